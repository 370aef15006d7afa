"""Outlet comparison: what two outlets share and what only one of them says.

A *side* is a set of articles (all of one outlet's articles, or a single
article). The comparison is built from the other analyses: shared passages come
from :func:`kazreader.analysis.passages.align` over every cross-side pair,
"only" passages are the sentences of one side that no shared passage covers,
and entities, quote groups and figure disagreements are split by side.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kazreader.corpus.model import Article
from kazreader.text import sentence_spans

if TYPE_CHECKING:
    from kazreader.analysis.entities import Entity
    from kazreader.analysis.figures import Figure, FiguresResult
    from kazreader.analysis.passages import PassagePair
    from kazreader.analysis.quotes import Quote

__all__ = ["Coverage", "Segment", "SharedPassage", "compare_coverage", "covered_fraction"]

#: A sentence counts as shared when at least this share of its characters lies
#: inside a shared passage.
SHARED_SENTENCE_COVER = 0.5


@dataclass(frozen=True)
class SharedPassage:
    """A passage carried by an article of each side."""

    x_article: str
    x_start: int
    x_end: int
    x_text: str
    y_article: str
    y_start: int
    y_end: int
    y_text: str
    words: int
    similarity: float

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Segment:
    """A sentence of one side that the other side does not carry."""

    article: str
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Coverage:
    """The result of comparing two sides."""

    x: str
    y: str
    x_articles: tuple[str, ...]
    y_articles: tuple[str, ...]
    shared: tuple[SharedPassage, ...]
    only_x: tuple[Segment, ...]
    only_y: tuple[Segment, ...]
    entities_only_x: tuple[dict[str, Any], ...]
    entities_only_y: tuple[dict[str, Any], ...]
    quotes_only_x: tuple[dict[str, Any], ...]
    quotes_only_y: tuple[dict[str, Any], ...]
    figure_disagreements: tuple[dict[str, Any], ...]
    #: Share (0..1) of each side's text that lies inside a shared passage.
    x_shared_fraction: float = 0.0
    y_shared_fraction: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "x": self.x,
            "y": self.y,
            "x_articles": list(self.x_articles),
            "y_articles": list(self.y_articles),
            "shared": [p.to_json() for p in self.shared],
            "only_x": [s.to_json() for s in self.only_x],
            "only_y": [s.to_json() for s in self.only_y],
            "entities_only_x": list(self.entities_only_x),
            "entities_only_y": list(self.entities_only_y),
            "quotes_only_x": list(self.quotes_only_x),
            "quotes_only_y": list(self.quotes_only_y),
            "figure_disagreements": list(self.figure_disagreements),
            "x_shared_fraction": round(self.x_shared_fraction, 4),
            "y_shared_fraction": round(self.y_shared_fraction, 4),
        }


def _uncovered_sentences(
    article: Article, covered: list[tuple[int, int]]
) -> list[Segment]:
    out = []
    for s, e in sentence_spans(article.text):
        inside = sum(max(0, min(e, ce) - max(s, cs)) for cs, ce in covered)
        if inside < SHARED_SENTENCE_COVER * (e - s):
            out.append(Segment(article.id, s, e, article.text[s:e]))
    return out


def covered_fraction(articles: Sequence[Article], covered: dict[str, list[tuple[int, int]]]) -> float:
    """Share of the articles' characters inside the (possibly overlapping) spans."""
    total = sum(len(a.text) for a in articles)
    inside = 0
    for a in articles:
        last = 0
        for s, e in sorted(covered.get(a.id, [])):
            s = max(s, last)
            if e > s:
                inside += e - s
                last = e
    return inside / total if total else 0.0


def _entities_only(
    entities: Sequence[Entity], mine: set[str], theirs: set[str]
) -> tuple[dict[str, Any], ...]:
    rows: list[dict[str, Any]] = []
    for ent in entities:
        counts = ent.counts()
        here = sum(c for a, c in counts.items() if a in mine)
        if here and not any(a in theirs for a in counts):
            rows.append({"name": ent.name, "type": ent.type, "mentions": here})
    rows.sort(key=lambda r: (-r["mentions"], r["name"]))
    return tuple(rows)


def _quotes_only(
    quotes: Sequence[Quote], mine: set[str], theirs: set[str]
) -> tuple[dict[str, Any], ...]:
    their_groups = {q.group for q in quotes if q.article in theirs}
    return tuple(
        q.to_json() for q in quotes if q.article in mine and q.group not in their_groups
    )


def _figure_row(f: Figure, side: str) -> dict[str, Any]:
    return {
        "side": side,
        "article": f.article,
        "value": f.value,
        "low": f.low,
        "high": f.high,
        "qualifier": f.qualifier,
        "text": f.text,
        "start": f.start,
        "end": f.end,
    }


def _values(f: Figure) -> tuple[float | None, float | None, float | None]:
    return (f.value, f.low, f.high)


def _figure_disagreements(
    figures: FiguresResult, xs: set[str], ys: set[str]
) -> tuple[dict[str, Any], ...]:
    out = []
    for d in figures.disagreements:
        pairs = [(a, b) if a.article in xs else (b, a) for a, b in d.disagreeing()
                 if {a.article, b.article} & xs and {a.article, b.article} & ys]
        fx = list({id(a): a for a, b in pairs if a.article in xs and b.article in ys}.values())
        fy = list({id(b): b for a, b in pairs if a.article in xs and b.article in ys}.values())
        if not fx or not fy:
            continue
        if {_values(f) for f in fx} == {_values(f) for f in fy}:
            continue
        out.append(
            {
                "measure": d.measure,
                "values": [_figure_row(f, "x") for f in fx] + [_figure_row(f, "y") for f in fy],
            }
        )
    return tuple(out)


def compare_coverage(
    x_label: str,
    x_articles: Sequence[Article],
    y_label: str,
    y_articles: Sequence[Article],
    *,
    compare: Callable[[Article, Article], list[PassagePair]],
    entities: Sequence[Entity],
    quotes: Sequence[Quote],
    figures: FiguresResult,
) -> Coverage:
    """Compare two sides; *compare* aligns one article pair (usually cached)."""
    xs = {a.id for a in x_articles}
    ys = {a.id for a in y_articles}
    shared: list[SharedPassage] = []
    covered: dict[str, list[tuple[int, int]]] = {}
    for a in x_articles:
        for b in y_articles:  # (an article on both sides shares itself whole, as compare says)
            for p in compare(a, b):
                shared.append(
                    SharedPassage(
                        a.id, p.a_start, p.a_end, p.a_text,
                        b.id, p.b_start, p.b_end, p.b_text,
                        p.words, p.similarity,
                    )
                )
                covered.setdefault(a.id, []).append((p.a_start, p.a_end))
                covered.setdefault(b.id, []).append((p.b_start, p.b_end))
    only_x = [s for a in x_articles for s in _uncovered_sentences(a, covered.get(a.id, []))]
    only_y = [s for b in y_articles for s in _uncovered_sentences(b, covered.get(b.id, []))]
    return Coverage(
        x=x_label,
        y=y_label,
        x_articles=tuple(sorted(xs)),
        y_articles=tuple(sorted(ys)),
        shared=tuple(shared),
        only_x=tuple(only_x),
        only_y=tuple(only_y),
        entities_only_x=_entities_only(entities, xs, ys),
        entities_only_y=_entities_only(entities, ys, xs),
        quotes_only_x=_quotes_only(quotes, xs, ys),
        quotes_only_y=_quotes_only(quotes, ys, xs),
        figure_disagreements=_figure_disagreements(figures, xs, ys),
        x_shared_fraction=covered_fraction(x_articles, covered),
        y_shared_fraction=covered_fraction(y_articles, covered),
    )
