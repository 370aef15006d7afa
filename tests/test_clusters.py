"""Tests for kazreader.analysis.clusters (corpus-wide passage clusters)."""

from __future__ import annotations

from pathlib import Path

from kazreader.analysis.clusters import (
    ClusterMember,
    PassageCluster,
    candidate_pairs,
    cluster_passages,
)
from kazreader.corpus.model import Article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

AFP = (
    "Customs officers seized forty crates of counterfeit medicine hidden inside "
    "a shipment of ceramic tiles bound for the northern border crossing."
)
AFP_CURLY = AFP.replace("Customs officers", "CUSTOMS officers").replace(" bound", "\nbound")
REUTERS = (
    "Engineers at the Tashkent rail depot walked off the job after managers "
    "cancelled a promised bonus, halting freight traffic across three provinces."
)
OWN = [
    "The regional governor toured flooded villages along the river valley on Monday.",
    "Opposition lawmakers demanded an inquiry into the procurement of ambulances.",
    "Hospital directors described chronic shortages of oxygen and nursing staff.",
    "Farmers complained that compensation payments had arrived months late again.",
    "A new bridge over the Ili river will open to lorries next spring, officials promised.",
]


def article(ident: str, *paragraphs: str, date: str | None = None) -> Article:
    text = "\n\n".join(paragraphs)
    return Article(id=ident, path=f"{ident}.txt", text=text, paragraphs=((0, len(text)),), date=date)


def corpus() -> list[Article]:
    return [
        article("a", OWN[0], AFP, OWN[1], date="2022-01-07"),
        article("b", REUTERS, OWN[2], AFP_CURLY, date="2022-01-05"),
        article("c", OWN[3], AFP, REUTERS, date=None),
        article("d", OWN[4], "Lawmakers visited ambulances and an oxygen plant.", date="2022-01-01"),
    ]


def test_one_cluster_per_passage_with_all_carriers() -> None:
    arts = corpus()
    clusters = cluster_passages(arts)
    assert len(clusters) == 2
    afp, reuters = clusters  # three carriers first, then two
    assert [(m.article, m.text) for m in afp.members] == [("a", AFP), ("b", AFP_CURLY), ("c", AFP)]
    for m in afp.members:
        text = next(x.text for x in arts if x.id == m.article)
        assert text[m.start : m.end] == m.text
    assert afp.origin == "b"  # earliest dated member; "c" has no date
    assert [(m.article, m.text) for m in reuters.members] == [("b", REUTERS), ("c", REUTERS)]
    assert reuters.origin == "b"


def test_origin_is_none_without_dates() -> None:
    arts = [article("x", AFP, OWN[0]), article("y", OWN[1], AFP)]
    [cluster] = cluster_passages(arts)
    assert cluster.origin is None
    assert cluster.articles == ("x", "y")


def test_no_shared_passage_no_cluster() -> None:
    arts = [article(str(k), text) for k, text in enumerate(OWN)]
    assert cluster_passages(arts) == []
    assert cluster_passages([]) == []


def test_candidate_pairs_come_from_shared_ngrams_only() -> None:
    texts = [a.text for a in corpus()]
    pairs = candidate_pairs(texts)
    # d shares only common words with the others; a-b, a-c (star on AFP), b-c.
    assert (0, 1) in pairs and (1, 2) in pairs
    assert all(3 not in p for p in pairs)


def test_ids_are_stable_and_order_independent() -> None:
    arts = corpus()
    first = cluster_passages(arts)
    again = cluster_passages(list(reversed(arts)))
    assert [c.id for c in first] == [c.id for c in cluster_passages(arts)]
    assert {c.id for c in first} == {c.id for c in again}
    assert len({c.id for c in first}) == len(first)


def test_parallel_matches_serial() -> None:
    arts = corpus() * 1
    assert cluster_passages(arts, processes=2) == cluster_passages(arts, processes=1)


def test_json_round_trip() -> None:
    [afp, _] = cluster_passages(corpus())
    data = afp.to_json()
    assert set(data) == {"id", "members", "origin"}
    assert set(data["members"][0]) == {"article", "start", "end", "text"}
    assert PassageCluster.from_json(data) == afp
    assert ClusterMember.from_json(data["members"][0]) == afp.members[0]


def seed_articles() -> list[Article]:
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.append(Article(id=path.stem[:3], path=str(path), text=text, paragraphs=((0, len(text)),)))
    return out


def test_seeds_clusters() -> None:
    clusters = cluster_passages(seed_articles())
    by_text = {c.members[0].text[:40]: c for c in clusters}
    quote = next(c for c in clusters if "Last night, extremist forces" in c.members[0].text)
    assert quote.articles == ("000", "001")
    protests = [c for c in clusters if any(m.text.startswith("Protests spread across") for m in c.members)]
    assert len(protests) == 1  # 000 carries it twice, 001 once: one cluster
    assert [m.article for m in protests[0].members] == ["000", "000", "001"]
    assert any(c.articles == ("002", "004") for c in clusters)
    assert all("003" not in c.articles for c in clusters)
    assert by_text  # every cluster has members


def test_pairs_are_aligned_in_a_local_order_with_the_same_clusters(monkeypatch) -> None:
    """The aligner walks pairs article by article (cache locality); clusters are unchanged."""
    import random

    from kazreader.analysis import clusters

    rng = random.Random(4)
    pairs = sorted({tuple(sorted(rng.sample(range(60), 2))) for _ in range(150)})
    ordered = clusters._local_order(pairs)
    assert sorted(ordered) == pairs  # every pair once, oriented as given
    # most consecutive pairs share an article (sorted pairs share only the first)
    share = sum(bool(set(p) & set(q)) for p, q in zip(ordered, ordered[1:]))
    assert share > 0.8 * len(pairs)

    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.generate import generate_corpus

    arts, _ = generate_corpus(150, seed=6)
    local = cluster_passages(arts, processes=1)
    monkeypatch.setattr(clusters, "_local_order", lambda ps: list(reversed(ps)))
    assert cluster_passages(arts, processes=1) == local and len(local) > 20


def test_cache_form_rebuilds_the_clusters_from_the_texts() -> None:
    """The cache keeps the members' offsets only; rebuilt from the texts, every cluster is the same."""
    import json

    arts = corpus()
    clusters = cluster_passages(arts)
    raw = json.loads(json.dumps([c.to_cache() for c in clusters]))
    assert all(isinstance(x, (str, int)) or x is None for row in raw for x in row)
    texts = {a.id: a.text for a in arts}
    assert [PassageCluster.from_cache(row, texts) for row in raw] == clusters
