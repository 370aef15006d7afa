"""The figures' result types and the enums that name their parts."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum
from collections.abc import Mapping
from typing import Any

__all__ = [
    "Aside",
    "Comparison",
    "Disagreement",
    "Figure",
    "FiguresResult",
    "Qualifier",
    "QuantityKind",
    "hi",
    "lo",
]

#: Bump when the output of :func:`extract_figures` changes.
VERSION = 5


class Qualifier(StrEnum):
    """How a figure bounds its number (see :mod:`.qualifiers` for the words)."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    ABOUT = "about"
    NEARLY = "nearly"
    UP_TO = "up_to"
    VAGUE = "vague"


class QuantityKind(StrEnum):
    """What sort of quantity a number is. Dates and years are read so they are not taken for counts,
    but are no figures: :func:`kazreader.analysis.figures.extract.find_figures` does not report them."""

    COUNT = "count"
    PERCENT = "percent"
    MONEY = "money"
    LENGTH = "length"
    AREA = "area"
    WEIGHT = "weight"
    DURATION = "duration"
    AGE = "age"
    RANK = "rank"
    DATE = "date"
    YEAR = "year"
    OTHER = "other"


#: Kinds that get a measure and are compared across outlets (lengths, durations... are
#: told apart from counts but not compared; dates, years, ranks and ages are no figures to compare).
COMPARED_KINDS = frozenset({QuantityKind.COUNT, QuantityKind.PERCENT, QuantityKind.MONEY})


class Aside(StrEnum):
    """Why a figure is set aside from comparison though it has a measure."""

    PART = "part"  # one of several figures of its measure in one sentence ("12 in the basement and 15 upstairs")
    SUBSET = "subset"  # a part of a set named before it ("dozens of them", "18 of whom", "112 of the 178")
    EXPECTED = "expected"  # a forecast, plan or hypothesis ("could", "economists had expected", "needs to")


class Comparison(StrEnum):
    """What the difference between two figures of one measure means."""

    EQUAL = "equal"  # the same number ("Twelve" = "12")
    CONSISTENT = "consistent"  # both can hold (overlap, or within the rounding they imply)
    UPDATE = "update"  # the same measure at different times, or in articles of different dates
    DIFFER = "differ"  # two stated numbers that differ beyond rounding
    CONFLICT = "conflict"  # they cannot both hold

    @property
    def disagrees(self) -> bool:
        return self in (Comparison.DIFFER, Comparison.CONFLICT)


@dataclass(frozen=True, slots=True)
class Figure:
    """One number in one article.

    ``text`` is the figure's words incl. its qualifier (``at least 8``), at
    ``[start, end)`` of the article text; ``sentence`` the sentence holding it
    (starting at ``sentence_start``). ``value`` is the stated number (``None``
    for vague amounts and dates), ``low``/``high`` the interval it implies
    (``None`` = unbounded). The measure's parts: ``counted`` the counted noun
    phrase as written (or inherited, or ``people`` when elided), ``noun`` its
    normalised group, ``predicate`` what happened to it (normalised,
    ``event`` the casualty-style event class when there is one), ``place``
    a subdivision or place it is restricted to, ``time`` the time it refers
    to; ``unit`` the currency or unit; ``measure`` says them in words and is
    the comparison key within a ``story``; ``aside`` says why a figure with a
    measure is still not compared (:class:`Aside`), ``None`` when it is; ``agent``
    who did it when that restricts what is counted ("manufacturers" cut jobs).
    """

    article: str
    start: int
    end: int
    text: str
    sentence: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    measure: str | None
    counted: str | None
    kind: str
    sentence_start: int = 0
    event: str | None = None
    unit: str | None = None
    noun: str | None = None
    predicate: str | None = None
    place: str | None = None
    time: str | None = None
    story: str | None = None
    date: str | None = field(default=None, compare=False)
    aside: str | None = None
    agent: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``figures --json`` record (contract fields plus extras)."""
        return {
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "sentence": self.sentence,
            "value": _num(self.value),
            "low": _num(self.low),
            "high": _num(self.high),
            "qualifier": str(self.qualifier),
            "measure": self.measure,
            "counted": self.counted,
            "kind": str(self.kind),
            "sentence_start": self.sentence_start,
            "event": self.event,
            "unit": self.unit,
            "noun": self.noun,
            "predicate": self.predicate,
            "place": self.place,
            "time": self.time,
            "story": self.story,
            "date": self.date,
            "aside": None if self.aside is None else str(self.aside),
            "agent": self.agent,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Figure:
        """Rebuild a figure from :meth:`to_json` output."""
        return cls(
            article=d["article"], start=d["start"], end=d["end"], text=d["text"],
            sentence=d.get("sentence", ""),
            value=_float(d.get("value")), low=_float(d.get("low")), high=_float(d.get("high")),
            qualifier=Qualifier(d.get("qualifier", "exact")),
            measure=d.get("measure"), counted=d.get("counted"),
            kind=QuantityKind(d.get("kind", "count")),
            sentence_start=d.get("sentence_start", 0),
            event=d.get("event"), unit=d.get("unit"), noun=d.get("noun"),
            predicate=d.get("predicate"), place=d.get("place"), time=d.get("time"),
            story=d.get("story"), date=d.get("date"),
            aside=None if d.get("aside") is None else Aside(d["aside"]),
            agent=d.get("agent"),
        )


@dataclass(frozen=True)
class Disagreement:
    """A measure of one story whose figures from different articles differ or conflict.

    ``kind`` is the strongest :class:`Comparison` between two of its articles'
    figures (``conflict`` or ``differ``); ``values`` holds every figure of the
    measure (one per distinct number and article), in article order, and
    ``pairs`` the indices of the pairs that disagree.
    """

    measure: str
    values: tuple[Figure, ...]
    kind: str = Comparison.DIFFER
    story: str | None = None
    #: The pairs of ``values`` (indices) from two articles that differ or conflict.
    pairs: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "kind": str(self.kind),
            "story": self.story,
            "values": [f.to_json() for f in self.values],
            "pairs": [list(p) for p in self.pairs],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Disagreement:
        return cls(
            measure=d["measure"],
            values=tuple(Figure.from_json(v) for v in d["values"]),
            kind=Comparison(d.get("kind", "differ")),
            story=d.get("story"),
            pairs=tuple((int(i), int(j)) for i, j in d.get("pairs", ())),
        )

    def disagreeing(self) -> tuple[tuple[Figure, Figure], ...]:
        """The pairs of figures from two articles that differ or conflict."""
        return tuple((self.values[i], self.values[j]) for i, j in self.pairs)


@dataclass(frozen=True)
class FiguresResult:
    """Every figure of a set of articles, and the measures they disagree on."""

    figures: tuple[Figure, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``figures --json`` document."""
        return {
            "version": VERSION,
            "figures": [f.to_json() for f in self.figures],
            "disagreements": [d.to_json() for d in self.disagreements],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> FiguresResult:
        return cls(
            figures=tuple(Figure.from_json(f) for f in d.get("figures", ())),
            disagreements=tuple(Disagreement.from_json(x) for x in d.get("disagreements", ())),
        )

    def to_cache(self) -> dict[str, Any]:
        """The on-disk cache's form: a row per figure, its words and sentence as offsets into the
        article (they are verbatim slices), not as text. At 20,000 real articles the JSON form
        was 130 MB, and reading it back peaked at 2 GB."""
        return {
            "version": VERSION,
            "figures": [_row(f) for f in self.figures],
            "disagreements": [
                {**{k: v for k, v in x.to_json().items() if k != "values"}, "values": [_row(f) for f in x.values]}
                for x in self.disagreements
            ],
        }

    @classmethod
    def from_cache(cls, d: dict[str, Any], texts: Mapping[str, str]) -> FiguresResult:
        """Rebuild what :meth:`to_cache` stored, the words and sentences sliced from *texts*
        (article id → text; one string per sentence, shared by the figures in it)."""
        sentences: dict[tuple[str, int, int], str] = {}
        figures = tuple(_unrow(r, texts, sentences) for r in d["figures"])
        return cls(
            figures=figures,
            disagreements=tuple(
                replace(Disagreement.from_json({**x, "values": ()}),
                        values=tuple(_unrow(r, texts, sentences) for r in x["values"]))
                for x in d["disagreements"]
            ),
        )


def _row(f: Figure) -> list[Any]:
    """*f* as a cache row (see :meth:`FiguresResult.to_cache`; :func:`_unrow` reads it)."""
    return [
        f.article, f.start, f.end, f.sentence_start, len(f.sentence), _num(f.value), _num(f.low), _num(f.high),
        str(f.qualifier), f.measure, f.counted, str(f.kind), f.event, f.unit, f.noun, f.predicate, f.place,
        f.time, f.story, f.date, None if f.aside is None else str(f.aside), f.agent,
    ]


# Enum members by value: a dict lookup, where ``Qualifier(value)`` costs 2.5 µs (a third of
# decoding 236,000 cached figures).
_QUALIFIERS: dict[str, Qualifier] = {str(m.value): m for m in Qualifier}
_KINDS: dict[str, QuantityKind] = {str(m.value): m for m in QuantityKind}
_ASIDES: dict[str, Aside] = {str(m.value): m for m in Aside}


def _unrow(row: list[Any], texts: Mapping[str, str], sentences: dict[tuple[str, int, int], str]) -> Figure:
    (article, start, end, s_start, s_len, value, low, high, qualifier, measure, counted, kind, event, unit,
     noun, predicate, place, time, story, date, aside, agent) = row
    text = texts.get(article, "")
    key = (article, s_start, s_len)
    sentence = sentences.get(key)
    if sentence is None:
        sentence = sentences[key] = text[s_start : s_start + s_len]
    return Figure(
        article=article, start=start, end=end, text=text[start:end], sentence=sentence,
        value=_float(value), low=_float(low), high=_float(high), qualifier=_QUALIFIERS[qualifier],
        measure=measure, counted=counted, kind=_KINDS[kind], sentence_start=s_start, event=event,
        unit=unit, noun=noun, predicate=predicate, place=place, time=time, story=story, date=date,
        aside=None if aside is None else _ASIDES[aside], agent=agent,
    )


def _num(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def _float(x: Any) -> float | None:
    return None if x is None else float(x)


def lo(f: Figure) -> float:
    """The figure's lower bound (``-inf`` when unbounded)."""
    return -math.inf if f.low is None else f.low


def hi(f: Figure) -> float:
    """The figure's upper bound (``inf`` when unbounded)."""
    return math.inf if f.high is None else f.high
