"""Links between articles and outlets (the compare and coverage screens' defaults), in the core."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from builders import art

from kazreader.analysis.clusters import ClusterMember, PassageCluster
from kazreader.analysis.links import SideLinks, best_partner, shared_disagreements
from kazreader.analysis.passages import PassagePair

A = art("a", "Alpha text", outlet="Alpha")
B = art("b", "Beta text", outlet="Beta")
C = art("c", "Gamma text")
D = art("d", "Delta text", outlet="Alpha")


def _cluster(cid: str, *members: tuple[str, int]) -> PassageCluster:
    return PassageCluster(cid, tuple(ClusterMember(a, 0, n, "x" * n) for a, n in members), None)


def test_best_partner_by_clusters_then_by_comparison_then_the_first() -> None:
    clusters = [_cluster("p1", ("a", 10), ("b", 10)), _cluster("p2", ("a", 30), ("c", 30), ("b", 30))]
    assert best_partner("c", [A, B, C], clusters) == "a"  # tie a/b on 30: the first other
    assert best_partner("a", [A, B, C], clusters) == "b"  # 40 vs 30

    def compare(x, y):
        n = 50 if y.id == "c" else 0
        return [PassagePair(0, n, "", 0, n, "", 5, 1.0, ())]

    assert best_partner("a", [A, B, C], None, compare) == "c"  # clusters unavailable
    assert best_partner("a", [A, B, C], [], compare) == "c"  # clusters link nothing
    assert best_partner("a", [A, B, C], []) == "b"  # nothing at all: the first other
    assert best_partner("a", [A], []) is None


def test_side_links_count_passages_between_outlets_and_articles() -> None:
    clusters = [_cluster("p1", ("a", 5), ("d", 5)), _cluster("p2", ("b", 5), ("c", 5)), _cluster("p3", ("d", 5), ("c", 5))]
    links = SideLinks.build({"Alpha": [A, D], "Beta": [B]}, [A, B, C, D], clusters)
    assert links.units == ["Alpha", "Beta", "c"]
    assert links.shared("Alpha", "a") == 1  # a and d: different articles of the side
    assert links.shared("a", "a") == 0
    assert links.shared("Alpha", "c") == 1 and links.shared("Beta", "c") == 1
    assert links.best_partner("c") == "Alpha"
    assert links.default_pair() == ("Alpha", "c", 1)


def _disagreement(*articles: str) -> Any:
    # (only the values' articles are read; the figures' own shape belongs to kazreader.analysis.figures)
    values = tuple(SimpleNamespace(article=a) for a in articles)
    pairs = tuple((x, y) for i, x in enumerate(values) for y in values[i + 1:])
    return SimpleNamespace(measure="people killed", values=values, disagreeing=lambda: pairs)


def test_shared_disagreements_need_both_articles() -> None:
    d1 = _disagreement("a", "b")
    d2 = _disagreement("a", "c")
    assert shared_disagreements([d1, d2], "a", "b") == [d1]
    assert shared_disagreements([d1, d2], "b", "c") == []
