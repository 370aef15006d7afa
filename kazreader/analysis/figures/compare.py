"""Comparing figures like with like: which figures measure the same thing, and what their difference means.

Two figures are compared only when they come from different articles of the
same story and their measures match (:func:`measure_key`: kind and unit,
counted noun, predicate; places must agree, a place-less figure matching the
story's own place). :func:`compare` then says what the difference means:

``equal``       the same number ("Twelve" = "12")
``consistent``  both can hold: the intervals overlap, allowing for the rounding
                a round number implies ("nearly 400" vs "400", "about 1,000"
                vs "more than 1,000", "170,000" vs "171,000"); vague amounts
                ("dozens") are consistent with anything less than twice apart
``update``      the same measure at different stated times or in articles of
                different dates
``differ``      two stated numbers that differ beyond rounding ("12" vs "13")
``conflict``    they cannot both hold ("more than 10" vs "10")

Figures more than :data:`SCALE_FACTOR` apart are not set against each other
at all: with the same words they still count different things (a district's
toll and the country's, a month's jobs and a year's).

Only ``differ`` and ``conflict`` make a :class:`Disagreement`.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from kazreader.analysis.figures.measure import PREVIOUS
from kazreader.analysis.figures.past import MONTH_NUMBERS
from kazreader.analysis.figures.model import (
    COMPARED_KINDS,
    Comparison,
    Disagreement,
    Figure,
    Qualifier,
    QuantityKind,
    hi,
    lo,
)

__all__ = ["article_verdicts", "compare", "comparable", "find_disagreements", "measure_key", "pair_disagreement"]

MeasureKey = tuple[str, str, str]
#: Figures further apart than this factor measure different things (a subtotal and a
#: total, a month and a year), not the same thing reported differently.
SCALE_FACTOR = 2.5
#: Vague amounts closer than this factor are consistent ("dozens" vs "more than 100").
VAGUE_FACTOR = 2.0
#: The most a round number is taken to be rounded by, as a fraction of it.
ROUNDING_CAP = 0.05
#: Times that name a period relative to the article's date: (unit, how many back).
_RELATIVE_PERIODS = {
    "last month": ("month", 1), "this month": ("month", 0), "last year": ("year", 1), "this year": ("year", 0),
    "a month ago": ("month", 1), "a year ago": ("year", 1),
}
_CUMULATIVE = frozenset({"so far", "to date"})
_CALENDAR_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)
#: Kinds whose articles restate earlier values ("from 7.8 %", last year's budget): an article
#: that also states the other article's number agrees with it.
HISTORY_KINDS = frozenset({QuantityKind.PERCENT, QuantityKind.MONEY})
_STRENGTH = {Comparison.CONFLICT: 2, Comparison.DIFFER: 1}


def comparable(f: Figure) -> bool:
    """Whether the figure has a measure worth comparing across outlets."""
    if f.kind not in COMPARED_KINDS or f.value is None and f.low is None or f.aside is not None:
        return False
    if f.measure == "population":
        return True
    if not f.noun:
        return False
    return bool(f.predicate) or f.kind != QuantityKind.COUNT


def measure_key(f: Figure) -> MeasureKey | None:
    """What a figure is compared on: its story and its measure in words (noun, predicate, a subdivision it
    is restricted to, an old event's year), any currency aside; a bare place and the time are checked pairwise."""
    if not comparable(f) or not f.measure:
        return None
    measure = f.measure
    if f.kind == QuantityKind.MONEY and measure.endswith(")"):
        measure = measure.rsplit(" (", 1)[0]  # "$3.5 billion" and "2.8 billion euros" are compared
    return (f.story or "", str(f.kind), measure)


def same_place(a: Figure, b: Figure, ledes: dict[str, str] | None = None) -> bool:
    """Places agree, or only one figure names one and it is the other article's own place (named in its lede,
    as a word: "US" is not in "because")."""
    if (a.place or "").lower() == (b.place or "").lower():
        return True
    if a.place and b.place:
        return False
    place, other = (a.place, b) if a.place else (b.place, a)
    lede = (ledes or {}).get(other.article, "")
    return bool(place) and re.search(rf"(?<!\w){re.escape(place or '')}(?!\w)", lede, re.IGNORECASE) is not None


def compare(a: Figure, b: Figure) -> Comparison:
    """What the difference between two figures of one measure means."""
    if _same_number(a, b):
        return Comparison.EQUAL
    if a.kind == QuantityKind.MONEY and a.unit != b.unit:
        return Comparison.DIFFER  # different currencies: no rate to judge by
    if _overlap(a, b):
        return Comparison.CONSISTENT
    if _different_times(a, b) or (a.date and b.date and a.date != b.date):
        return Comparison.UPDATE
    if _vague_close(a, b):
        return Comparison.CONSISTENT
    exact = (Qualifier.EXACT,)
    if a.qualifier in exact and b.qualifier in exact and a.value is not None and b.value is not None:
        return Comparison.DIFFER
    return Comparison.CONFLICT


def pair_disagreement(a: Figure, b: Figure) -> str | None:
    """``"differ"`` or ``"conflict"`` when two figures disagree, else ``None``."""
    kind = compare(a, b)
    return str(kind) if kind.disagrees else None


def _different_times(a: Figure, b: Figure) -> bool:
    """Both say when and it differs, or one is the earlier value of a change ("from 7.8 %")."""
    ta, tb = (a.time or "").lower(), (b.time or "").lower()
    if PREVIOUS in (ta, tb):
        return ta != tb
    pa, pb = _period(ta, a.date), _period(tb, b.date)
    if pa and pb and pa[0] == pb[0]:
        return pa != pb  # "last month" in a May article is "in April"; "that month" is another month
    if {_time_class(ta), _time_class(tb)} == {"calendar", "cumulative"}:
        return True  # "43 killed so far this year" is a tally, "19 killed Sunday" one day's count
    return bool(ta and tb and ta != tb and _time_class(ta) == _time_class(tb))


def _period(t: str, date: str | None) -> tuple[str, str] | None:
    """A month or a year that *t* names, resolved against the article's *date*: ("month", "2013-04")
    for "last month" or "in April"; ("month", "that") for an earlier month named before ("that month")."""
    words = t.replace(",", " ").split()
    if not words:
        return None
    if words[-1] in ("month", "year") and words[0] in ("that", "the") and len(words) == 2:
        return words[-1], "that"
    shift = _RELATIVE_PERIODS.get(" ".join(words))
    year, month = (int(date[:4]), int(date[5:7])) if date and len(date) >= 7 and date[:4].isdigit() else (0, 0)
    if shift is not None and year:
        unit, back = shift
        if unit == "year":
            return "year", str(year - back)
        m = (year * 12 + month - 1) - back
        return "month", f"{m // 12:04d}-{m % 12 + 1:02d}"
    names = [w for w in words if w in MONTH_NUMBERS]
    if len(names) == 1 and year:
        m = MONTH_NUMBERS[names[0]]
        given = next((int(w) for w in words if w.isdigit() and len(w) == 4), None)
        y = given or (year if m <= month else year - 1)
        return "month", f"{y:04d}-{m:02d}"
    return None


def _time_class(t: str) -> str:
    """"on Tuesday" and "so far" say different things (when it happened, how far the count has got)."""
    if not t:
        return ""
    if t in _CUMULATIVE:
        return "cumulative"
    return "calendar" if any(ch.isdigit() for ch in t) or t.split()[-1] in _CALENDAR_WORDS else "relative"


def same_scale(a: Figure, b: Figure) -> bool:
    """Whether the gap between two figures' intervals is within :data:`SCALE_FACTOR` (see there)."""
    top, bottom = _gap(a, b)
    if bottom <= top or top <= 0 or math.isinf(top):
        return True
    return bottom / top < SCALE_FACTOR


def _gap(a: Figure, b: Figure) -> tuple[float, float]:
    """The near ends of two intervals (the lower one's top, the higher one's bottom), as sizes: two
    intervals below zero ("-2 %" and "-5 %") are set apart by their sizes, as two above it are."""
    (la, ha), (lb, hb) = (lo(a), hi(a)), (lo(b), hi(b))
    if ha <= 0 and hb <= 0:
        (la, ha), (lb, hb) = (-ha, -la), (-hb, -lb)
    return (ha, lb) if ha <= hb else (hb, la)


def _states(figures: Sequence[Figure], f: Figure) -> bool:
    """Whether one of *figures* (one article's) says the same as *f*."""
    return any(not compare(g, f).disagrees for g in figures)


def _same_number(a: Figure, b: Figure) -> bool:
    return (a.value, a.low, a.high, a.qualifier, a.unit) == (b.value, b.low, b.high, b.qualifier, b.unit)


def _rounding(f: Figure) -> float:
    """How much a bare round number may have been rounded: half its last significant place, at most 5%."""
    if f.qualifier != Qualifier.EXACT or f.value is None or not float(f.value).is_integer() or abs(f.value) < 100:
        return 0.0
    v, place = abs(int(f.value)), 1
    while v % (place * 10) == 0:
        place *= 10
    return 0.0 if place == 1 else min(place / 2, ROUNDING_CAP * v)


def _overlap(a: Figure, b: Figure) -> bool:
    ra, rb = _rounding(a), _rounding(b)
    return max(lo(a) - ra, lo(b) - rb) <= min(hi(a) + ra, hi(b) + rb)


def _vague_close(a: Figure, b: Figure) -> bool:
    """A vague amount less than :data:`VAGUE_FACTOR` away from the other figure's interval."""
    if Qualifier.VAGUE not in (a.qualifier, b.qualifier):
        return False
    top, bottom = _gap(a, b)
    return top > 0 and not math.isinf(top) and bottom / top < VAGUE_FACTOR


def find_disagreements(figures: Iterable[Figure], ledes: dict[str, str] | None = None) -> list[Disagreement]:
    """Measures of one story on which articles differ or conflict (see the module docstring)."""
    by_key: dict[MeasureKey, list[Figure]] = defaultdict(list)
    for f in figures:
        key = measure_key(f)
        if key is not None:
            by_key[key].append(f)
    out = [d for key, figs in by_key.items() if (d := _disagreement(key, figs, ledes)) is not None]
    out.sort(key=lambda d: (d.kind != Comparison.CONFLICT, d.story or "", d.measure))
    return out


def _disagreement(key: MeasureKey, figs: Sequence[Figure], ledes: dict[str, str] | None) -> Disagreement | None:
    if len({f.article for f in figs}) < 2:
        return None
    values = list({(f.article, f.value, f.low, f.high): f for f in reversed(figs)}.values())[::-1]
    strongest, pairs = _strongest(values, ledes)
    if strongest is None:
        return None
    index = {id(f): i for i, f in enumerate(values)}
    indices = tuple(sorted({tuple(sorted((index[id(a)], index[id(b)]))) for a, b in pairs}))
    first = values[indices[0][0]]
    return Disagreement(first.measure or "", tuple(values), strongest, key[0] or None,
                        tuple((i, j) for i, j in indices))


def _strongest(values: Sequence[Figure], ledes: dict[str, str] | None
               ) -> tuple[Comparison | None, list[tuple[Figure, Figure]]]:
    """The strongest disagreement between two articles' figures, and the pairs that disagree.

    Figures saying the same thing (number, qualifier, place, time, date) are compared once, so a
    measure stated by many articles costs the square of its distinct statements, not of its articles.
    """
    by_article: dict[str, list[Figure]] = defaultdict(list)
    statements: dict[tuple[object, ...], list[Figure]] = defaultdict(list)
    for f in values:
        by_article[f.article].append(f)
        statements[(f.value, f.low, f.high, f.qualifier, f.unit, f.place, f.time, f.date)].append(f)
    groups = list(statements.values())
    strongest: Comparison | None = None
    found: list[tuple[Figure, Figure]] = []
    for i, xs in enumerate(groups):
        for ys in groups[i + 1:]:
            kind = compare(xs[0], ys[0])
            if not kind.disagrees or not same_scale(xs[0], ys[0]):
                continue
            pairs = [(a, b) for a in xs for b in ys if _counts(a, b, by_article, ledes)]
            if pairs:
                found.extend(pairs)
                if strongest is None or _STRENGTH[kind] > _STRENGTH[strongest]:
                    strongest = kind
    return strongest, found


def _counts(a: Figure, b: Figure, by_article: dict[str, list[Figure]], ledes: dict[str, str] | None) -> bool:
    """Whether a disagreeing pair is one between two outlets about one thing."""
    if a.article == b.article or not same_place(a, b, ledes):
        return False
    if (a.place or b.place) and (a.place or "").lower() != (b.place or "").lower() and (
        _split_by_place(by_article[a.article]) or _split_by_place(by_article[b.article])
    ):
        return False  # "10 killed at the airport" and "20 at the metro station": subtotals, not the toll
    if a.kind in HISTORY_KINDS:
        return not (_states(by_article[a.article], b) or _states(by_article[b.article], a))
    return True


def _split_by_place(figures: Sequence[Figure]) -> bool:
    """Whether one article gives its measure for more than one place (or for a place and for the whole)."""
    return len({(f.place or "").lower() for f in figures}) > 1


def article_verdicts(pairs: Iterable[tuple[Figure, Figure]]) -> dict[str, Comparison]:
    """Per article, the strongest disagreement its figures have in *pairs* (for marking cells)."""
    out: dict[str, Comparison] = {}
    for a, b in pairs:
        kind = compare(a, b)
        if not kind.disagrees:
            continue
        for art in (a.article, b.article):
            if art not in out or _STRENGTH[kind] > _STRENGTH[out[art]]:
                out[art] = kind
    return out
