"""The story's timeline: the articles in date order, and what each one published first.

A passage cluster *first appears* in its earliest-dated carrier (every carrier
sharing that date, since a date alone cannot order them); a disputed measure
first appears in the earliest-dated article giving a figure for it. Undated
articles come last and are never first when a dated carrier exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kazreader.citation import SourceLike as Dated

__all__ = ["First", "FirstKind", "TimelineEntry", "build_timeline", "carriers", "date_key"]

#: Sorts after every ISO date.
UNDATED = "9999-99-99"


class FirstKind(StrEnum):
    PASSAGE = "passage"
    MEASURE = "measure"


@dataclass(frozen=True)
class First:
    """A passage cluster or disputed measure that appears first in an article."""

    kind: FirstKind
    id: str  # the cluster id, or the measure
    text: str  # the passage, or the figure as this article gives it
    start: int
    end: int
    #: How many articles carry the passage (give the measure) in all.
    carriers: int

    def to_json(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "id": self.id, "text": self.text, "start": self.start,
                "end": self.end, "carriers": self.carriers}


@dataclass(frozen=True)
class TimelineEntry:
    """One article in the timeline."""

    article: str
    outlet: str | None
    date: str | None
    title: str | None
    url: str | None
    firsts: tuple[First, ...]

    def to_json(self) -> dict[str, Any]:
        return {"article": self.article, "outlet": self.outlet, "date": self.date, "title": self.title,
                "url": self.url, "firsts": [f.to_json() for f in self.firsts]}


def date_key(article: Dated) -> tuple[str, str]:
    """Date order (undated last), then id."""
    return (article.date or UNDATED, article.id)


def carriers(article_ids: Iterable[str], by_id: Mapping[str, Dated]) -> list[str]:
    """The ids in date order; the earliest come first (see :func:`date_key`)."""
    known = {a for a in article_ids if a in by_id}
    return sorted(known, key=lambda a: date_key(by_id[a]))


def _earliest(article_ids: Iterable[str], by_id: Mapping[str, Dated]) -> list[str]:
    """The articles sharing the earliest date (the first one alone when none is dated)."""
    order = carriers(article_ids, by_id)
    if not order:
        return []
    first = by_id[order[0]].date
    if first is None:
        return order[:1]
    return [a for a in order if by_id[a].date == first]


def _firsts(
    kind: FirstKind, groups: Iterable[tuple[str, Sequence[Any]]], by_id: Mapping[str, Dated]
) -> dict[str, list[First]]:
    """For each (id, items) group, the items of its earliest carriers (items have article/start/end/text)."""
    out: dict[str, list[First]] = {}
    for gid, items in groups:
        ids = {m.article for m in items}
        for aid in _earliest(ids, by_id):
            m = next(m for m in items if m.article == aid)
            out.setdefault(aid, []).append(First(kind, gid, m.text, m.start, m.end, len(ids)))
    return out


def build_timeline(articles: Sequence[Dated], clusters: Iterable[Any], disagreements: Iterable[Any]) -> list[TimelineEntry]:
    """Every article in date order with the passages and disputed measures it published first.

    *clusters* are :class:`~kazreader.analysis.clusters.PassageCluster` (or
    anything with ``id`` and ``members`` of ``article, start, end, text``),
    *disagreements* :class:`~kazreader.analysis.figures.Disagreement`.
    """
    by_id = {a.id: a for a in articles}
    passages = _firsts(FirstKind.PASSAGE, ((c.id, c.members) for c in clusters), by_id)
    measures = _firsts(FirstKind.MEASURE, ((d.measure, d.values) for d in disagreements), by_id)
    out = []
    for a in sorted(articles, key=date_key):
        firsts = sorted(passages.get(a.id, []), key=lambda f: f.start) + measures.get(a.id, [])
        out.append(TimelineEntry(a.id, a.outlet, a.date, a.title, a.url, tuple(firsts)))
    return out
