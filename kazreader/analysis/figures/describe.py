"""One wording of a figure for every face (reader panel, figures screen, compare, CLI).

Plain strings only: the faces wrap them in :class:`rich.text.Text` (article
words are untrusted and never become markup).
"""

from __future__ import annotations

import math

from kazreader.analysis.figures import lexicon
from kazreader.analysis.figures.model import Comparison, Figure, Qualifier

__all__ = [
    "COMPARISON_WORDS", "QUALIFIER_WORDS", "compact", "figure_words", "interval_words", "says_qualifier", "what_it_counts",
]

QUALIFIER_WORDS: dict[str, str] = {
    Qualifier.EXACT: "exact",
    Qualifier.AT_LEAST: "at least",
    Qualifier.MORE_THAN: "more than",
    Qualifier.ABOUT: "about",
    Qualifier.NEARLY: "nearly",
    Qualifier.UP_TO: "up to",
    Qualifier.VAGUE: "vague",
}
COMPARISON_WORDS: dict[str, str] = {
    Comparison.EQUAL: "the same number",
    Comparison.CONSISTENT: "consistent: both can hold",
    Comparison.UPDATE: "an update: another time or date",
    Comparison.DIFFER: "differ",
    Comparison.CONFLICT: "conflict: they cannot both hold",
}
_SIGNS: dict[str, str] = {Qualifier.AT_LEAST: "≥", Qualifier.MORE_THAN: ">", Qualifier.ABOUT: "~", Qualifier.NEARLY: "~<",
          Qualifier.UP_TO: "≤"}
#: The sign a negative amount's interval turns round ("up to -5 %" is [-5, 0]: ``≥-5%``).
_TURNED: dict[str, str] = {"≥": "≤", ">": "<", "≤": "≥", "~<": "~>"}
_POST_PHRASES: dict[str, tuple[str, ...]] = {
    str(q): tuple(" ".join(w) for w, k in lexicon.POST_QUALIFIERS if k == q) for q in Qualifier
} | {Qualifier.MORE_THAN: ("plus",)}


def says_qualifier(f: Figure) -> bool:
    """Whether the figure's own words already say its qualifier ("More than 1,000", "1,000 or more")."""
    if f.qualifier in (Qualifier.EXACT, Qualifier.VAGUE):
        return True
    words = " ".join(f.text.lower().split())
    phrases = [" ".join(p) for p, q, *_ in lexicon.PRE_QUALIFIERS if q == f.qualifier]
    return any(words.startswith(p + " ") for p in phrases) or any(p in words for p in _POST_PHRASES.get(f.qualifier, ()))


def figure_words(f: Figure) -> str:
    """The figure as written, with its qualifier in brackets only when the words do not say it."""
    text = " ".join(f.text.split())
    return text if says_qualifier(f) else f"{text} ({QUALIFIER_WORDS.get(f.qualifier, str(f.qualifier))})"


def what_it_counts(f: Figure) -> str | None:
    """The measure as it reads after this figure's words: the measure names its noun in the plural
    (the key figures are compared on), so one of it takes the singular the article wrote ("1 concern",
    "one unionist killed", not "1 concerns"); else the counted words."""
    if not f.measure:
        return f.counted
    if f.value == 1 and f.low == f.high == 1 and f.noun and f.counted and f.measure.startswith(f.noun):
        head = f.counted.split()[-1].lower()
        if head != f.noun and head.isalpha() and not head.endswith("s"):  # ("people" for one "person" too)
            return head + f.measure[len(f.noun):]
    return f.measure


def _number(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.4g}"


def interval_words(low: float | None, high: float | None) -> str:
    """``[12, 12]``, ``[8, …]``: the interval a figure implies."""
    return f"[{_bound(low)}, {_bound(high)}]"


def _bound(v: float | None) -> str:
    return "…" if v is None else (f"{v:,.0f}" if float(v).is_integer() else f"{v:,}")


def compact(f: Figure) -> str:
    """A short cell value: ``12``, ``≥8``, ``>1,000``, ``~1,000``, ``7.9%``, ``dozens``."""
    if f.qualifier == Qualifier.VAGUE or f.value is None:
        words = " ".join(f.text.split())
        return words if len(words) <= 14 else words[:13] + "…"
    symbol = _CURRENCY_SYMBOLS.get(f.unit or "", "") if f.kind == "money" else ""
    out = _sign(f) + symbol + _scaled(f.value)
    if f.kind == "percent":
        out += "%" if f.unit == "%" else " pts"
    elif f.unit in _CURRENCY_SUFFIXES:
        out += _CURRENCY_SUFFIXES[f.unit or ""]
    elif f.unit and len(f.unit) <= 3 and not symbol:
        out += f.unit
    return out


def _sign(f: Figure) -> str:
    """The qualifier's sign, turned round when a negative amount's interval runs the other way
    (:func:`kazreader.analysis.figures.qualifiers.interval`: "at least -4 %" is […, -4])."""
    sign = _SIGNS.get(str(f.qualifier), "")
    if f.value is None or f.value >= 0 or sign not in _TURNED:
        return sign
    v, high = f.value, math.inf if f.high is None else f.high
    from_below = sign in ("≥", ">")  # the amount is the interval's low end for a positive amount
    return _TURNED[sign] if (high <= v if from_below else high > v) else sign


#: A currency's sign in a cell ("$200bn"); other currencies keep the number alone (the measure names them).
_CURRENCY_SYMBOLS: dict[str, str] = {"dollars": "$", "euros": "€", "pounds": "£", "yen": "¥"}
#: A currency's hundredth after the number ("56¢").
_CURRENCY_SUFFIXES: dict[str, str] = {"cents": "¢", "pence": "p"}
#: Large numbers in a cell: ``200bn`` reads at a glance, ``200,000,000,000`` does not.
_SCALES: tuple[tuple[float, str], ...] = ((1e12, "tn"), (1e9, "bn"), (1e6, "m"))


def _scaled(v: float) -> str:
    for size, suffix in _SCALES:
        if abs(v) >= size:
            return f"{v / size:,.3g}{suffix}" if v / size < 1000 else f"{v / size:,.0f}{suffix}"
    return _number(v)
