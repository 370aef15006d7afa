"""How articles and outlets are linked by what they share.

Pure functions over the corpus' passage clusters (and, failing those, pairwise
comparisons): which article shares the most with another (the compare
screen's default partner), how many passages link any two sides of an outlet
comparison and which two sides share the most (the coverage screen's
defaults), and the figure disagreements two articles take part in. The faces
only format what these return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kazreader.corpus.model import Article

if TYPE_CHECKING:
    from kazreader.analysis.clusters import PassageCluster
    from kazreader.analysis.figures import Disagreement
    from kazreader.analysis.passages import PassagePair

__all__ = ["SideLinks", "best_partner", "shared_disagreements"]


def _cluster_scores(article_id: str, clusters: Iterable[PassageCluster]) -> dict[str, int]:
    """Characters of *article_id* each other article shares with it through clusters."""
    scores: dict[str, int] = {}
    for c in clusters:
        members = {m.article for m in c.members}
        if article_id in members:
            mine = sum(m.end - m.start for m in c.members if m.article == article_id)
            for other in members - {article_id}:
                scores[other] = scores.get(other, 0) + mine
    return scores


def best_partner(
    article_id: str,
    articles: Sequence[Article],
    clusters: Iterable[PassageCluster] | None,
    compare: Callable[[Article, Article], Sequence[PassagePair]] | None = None,
) -> str | None:
    """The article sharing the most with *article_id*: by passage *clusters*, else by ``compare``.

    ``clusters=None`` (unavailable) or clusters linking nothing fall back to
    comparing the article with every other one; ties and no sharing at all
    give the first other article.
    """
    others = [a for a in articles if a.id != article_id]
    if not others:
        return None
    scores = _cluster_scores(article_id, clusters) if clusters is not None else {}
    if not scores and compare is not None:
        me = next(a for a in articles if a.id == article_id)
        for other in others:
            try:
                scores[other.id] = sum(p.a_end - p.a_start for p in compare(me, other))
            except Exception:  # noqa: BLE001 - one failing pair must not hide the others
                continue
    return max(others, key=lambda a: (scores.get(a.id, 0), a.id == others[0].id)).id


def shared_disagreements(disagreements: Iterable[Disagreement], a_id: str, b_id: str) -> list[Disagreement]:
    """The figure disagreements in which the two articles disagree with each other."""
    return [d for d in disagreements if any({x.article, y.article} == {a_id, b_id} for x, y in d.disagreeing())]


@dataclass
class SideLinks:
    """How many shared passages (corpus clusters) link any two sides.

    A side is an outlet (its articles) or one article (by id). Built once
    from the corpus' clusters; answers ``shared(a, b)`` for the pickers and
    chooses the default pair of sides.
    """

    members: dict[str, frozenset[str]]  # side ref -> its article ids
    clusters: list[frozenset[str]]  # the articles of each cluster
    clusters_of: dict[str, frozenset[int]]  # article id -> the clusters it is in
    units: list[str]  # the natural sides: outlets, and articles with no outlet

    @classmethod
    def build(
        cls,
        outlets: Mapping[str, Sequence[Article]],
        articles: Sequence[Article],
        clusters: Iterable[PassageCluster],
    ) -> SideLinks:
        members = {name: frozenset(a.id for a in arts) for name, arts in outlets.items()}
        for a in articles:
            members.setdefault(a.id, frozenset((a.id,)))
        sets = [frozenset(m.article for m in c.members) for c in clusters]
        index: dict[str, set[int]] = {}
        for i, arts in enumerate(sets):
            for aid in arts:
                index.setdefault(aid, set()).add(i)
        units = [*outlets, *(a.id for a in articles if not a.outlet)]
        if len(units) < 2:
            units = [a.id for a in articles]
        return cls(members, sets, {a: frozenset(i) for a, i in index.items()}, list(dict.fromkeys(units)))

    def _members(self, ref: str) -> frozenset[str]:
        return self.members.get(ref, frozenset((ref,)))

    def _clusters(self, ref: str) -> set[int]:
        out: set[int] = set()
        for a in self._members(ref):
            out |= self.clusters_of.get(a, frozenset())
        return out

    def shared(self, a: str, b: str) -> int:
        """Passages that an article of side *a* and a different article of side *b* both carry."""
        if a == b:
            return 0
        ma, mb = self._members(a), self._members(b)
        common = self._clusters(a) & self._clusters(b)
        if not ma & mb:
            return len(common)
        return sum(
            1 for i in common
            if any(x != y for x in self.clusters[i] & ma for y in self.clusters[i] & mb)
        )

    def best_partner(self, ref: str) -> str | None:
        """The side that shares the most passages with *ref* (the first other side on a tie)."""
        others = [u for u in self.units if u != ref] or [u for u in self.members if u != ref]
        if not others:
            return None
        return max(others, key=lambda u: (self.shared(ref, u), -others.index(u)))

    def _pair_counts(self) -> dict[tuple[str, str], int]:
        """Clusters linking each two natural sides (in :attr:`units` order)."""
        unit_of: dict[str, str] = {}
        for u in self.units:
            for a in self._members(u):
                unit_of.setdefault(a, u)
        order = {u: i for i, u in enumerate(self.units)}
        counts: dict[tuple[str, str], int] = {}
        for arts in self.clusters:
            present = sorted({unit_of[a] for a in arts if a in unit_of}, key=order.__getitem__)
            for i, u in enumerate(present):
                for v in present[i + 1:]:
                    counts[(u, v)] = counts.get((u, v), 0) + 1
        return counts

    def default_pair(self) -> tuple[str | None, str | None, int]:
        """The two natural sides that share the most passages, and how many."""
        counts = self._pair_counts()
        if not counts:
            return (self.units[0] if self.units else None), (self.units[1] if len(self.units) > 1 else None), 0
        order = {u: i for i, u in enumerate(self.units)}
        (x, y), n = max(counts.items(), key=lambda kv: (kv[1], -order[kv[0][0]], -order[kv[0][1]]))
        return x, y, n
