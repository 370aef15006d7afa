"""Reading amounts written in English: digits, number words and vague amounts.

This module knows nothing about articles or measures; it turns a run of
normalised word tokens (as :func:`kazreader.text.tokenize` produces them) into
an :class:`Amount`:

* digits, with thousands separators and decimals: ``1,000`` → 1000,
  ``2.5`` → 2.5, optionally scaled: ``19 million``, ``3bn``, ``40k``;
* number words: ``twelve``, ``twenty one`` (hyphens are split by the
  tokenizer), ``one hundred and twenty``, ``a thousand``, ``a dozen``,
  ``two dozen``, ``half a million``;
* vague amounts, which have no point value but an implied interval:

  ==========================  ===================
  ``a handful``, ``several``  [3, 9]
  ``a few dozen``             [24, 60]
  ``dozens``                  [24, 99]
  ``scores``                  [40, 99]
  ``several hundred``         [300, 900]
  ``a few hundred``           [200, 500]
  ``hundreds``                [200, 999]
  ``thousands``               [2,000, 9,999]
  ``tens of thousands``       [20,000, 99,999]
  ``hundreds of thousands``   [200,000, 999,999]
  ``millions``                [2,000,000, 9,999,999]
  ==========================  ===================

  ("several thousand" and the like scale [3, 9]; "tens of millions" and the like
  follow the same pattern as "tens of thousands").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "CARDINALS",
    "ORDINALS",
    "SCALES",
    "Amount",
    "is_number_start",
    "parse_amount",
    "parse_digits",
]

#: Cardinal number words below one hundred.
CARDINALS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
} | {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}

#: Multiplying words, spelled out and abbreviated (``3bn``, ``40k``).
SCALES: dict[str, int] = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
_ABBREVIATED_SCALES: dict[str, int] = {
    "k": 1_000,
    "mln": 1_000_000,
    "mn": 1_000_000,
    "bn": 1_000_000_000,
    "bln": 1_000_000_000,
    "tn": 1_000_000_000_000,
    "trn": 1_000_000_000_000,
}

#: Ordinal words: "first" ranks, it does not count.
ORDINALS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
    "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
    "nineteenth twentieth thirtieth fortieth fiftieth hundredth thousandth "
    "millionth".split()
)

# Vague plurals and their implied interval; a "tens of"/"hundreds of" prefix
# multiplies by 10 / 100 ("tens of thousands" → [20,000, 99,999]).
_VAGUE_PLURALS: dict[str, tuple[float, float]] = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "millions": (2_000_000, 9_999_999),
    "billions": (2_000_000_000, 9_999_999_999),
}
_VAGUE_PREFIXES: dict[str, float] = {"tens": 10, "hundreds": 100}
# "several"/"a few" alone, and as multipliers of a scale ("several hundred").
_SEVERAL = (3.0, 9.0)
_A_FEW = (2.0, 5.0)
_HANDFUL = (3.0, 9.0)

_DIGITS_RE = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+")


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount read from tokens ``[start, end)`` of a token list.

    ``value`` is the point value (``None`` for a vague amount); ``low``/``high``
    the interval a vague amount implies (equal to ``value`` otherwise).
    ``spelled`` is true when the amount is written in words.
    """

    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    vague: bool = False
    spelled: bool = False


def parse_digits(s: str) -> float | None:
    """The value of a digit string: ``1,000`` → 1000.0, ``2.5`` → 2.5.

    Commas are thousands separators when they group by three, decimal commas
    otherwise (``2,5`` → 2.5); a dot followed by exactly three digits and
    nothing else in a long number is read as a decimal point (``1.250`` → 1.25),
    as English writing does.
    """
    if not _DIGITS_RE.fullmatch(s):
        return None
    if _THOUSANDS_RE.fullmatch(s):
        return float(s.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d+", s):
        return float(s.replace(",", ""))
    if s.count(",") == 1 and "." not in s:
        return float(s.replace(",", "."))
    if s.count(".") <= 1 and "," not in s:
        return float(s)
    return None


def is_number_start(word: str) -> bool:
    """Whether a normalised token can begin an amount (cheap pre-filter)."""
    return (
        word[:1].isdigit()
        or word in CARDINALS
        or word in _VAGUE_PLURALS
        or word in ("a", "an", "half", "several", "tens", "dozen")
    )


def _scale_at(words: Sequence[str], i: int) -> int | None:
    if i < len(words):
        return SCALES.get(words[i]) or _ABBREVIATED_SCALES.get(words[i])
    return None


def parse_amount(words: Sequence[str], i: int) -> Amount | None:
    """Read the amount that starts at ``words[i]``, or ``None``.

    *words* are normalised (lower-case) tokens. The longest reading wins:
    ``tens of thousands`` rather than ``tens``, ``one hundred and twenty``
    rather than ``one``. Each reader below answers an amount, ``None`` (this
    is its kind of word but no amount) or ``False`` (not its kind: ask the next).
    """
    if i >= len(words):
        return None
    if words[i][:1].isdigit():
        return _digit_amount(words, i)
    for reader in (_vague_amount, _article_amount):
        got = reader(words, i)
        if got is None or isinstance(got, Amount):
            return got
    if words[i] in CARDINALS:
        return _cardinal_amount(words, i)
    return None


def _digit_amount(words: Sequence[str], i: int) -> Amount | None:
    """Digits, optionally scaled ("19 million", "3bn", "2 dozen")."""
    value = parse_digits(words[i])
    if value is None:
        return None
    end = i + 1
    scale = _scale_at(words, end)
    if scale and scale >= 1000 or words[end:end + 1] == ["hundred"]:
        value *= scale or 100
        end += 1
    elif words[end:end + 1] == ["dozen"]:
        value *= 12
        end += 1
    return Amount(i, end, value, value, value)


def _vague_amount(words: Sequence[str], i: int) -> Amount | None | bool:
    """"tens of thousands", "hundreds", "several", "a few dozen", "a handful"."""
    n = len(words)
    w = words[i]
    nxt = words[i + 1] if i + 1 < n else ""
    if w in _VAGUE_PREFIXES and nxt == "of" and i + 2 < n and words[i + 2] in _VAGUE_PLURALS:
        lo, hi = _VAGUE_PLURALS[words[i + 2]]
        f = _VAGUE_PREFIXES[w]
        # "tens of thousands" = 20,000-99,999; "hundreds of thousands" = 200,000-999,999
        base = lo / 2 if words[i + 2] != "dozens" else 12
        return Amount(i, i + 3, None, 2 * f * base, (hi + 1) * f - 1, vague=True, spelled=True)
    if w in _VAGUE_PLURALS:
        lo, hi = _VAGUE_PLURALS[w]
        return Amount(i, i + 1, None, lo, hi, vague=True, spelled=True)
    if w == "several" or (w == "a" and nxt == "few"):
        lo, hi = _SEVERAL if w == "several" else _A_FEW
        end = i + 1 if w == "several" else i + 2
        after = words[end] if end < n else ""
        if after == "dozen":
            return Amount(i, end + 1, None, lo * 12, hi * 12, vague=True, spelled=True)
        if after in SCALES:
            s = SCALES[after]
            return Amount(i, end + 1, None, lo * s, hi * s, vague=True, spelled=True)
        if w == "several":
            return Amount(i, end, None, lo, hi, vague=True, spelled=True)
        return None  # "a few" alone is too common to be a figure
    if w == "a" and nxt == "handful":
        return Amount(i, i + 2, None, *_HANDFUL, vague=True, spelled=True)
    return False


def _article_amount(words: Sequence[str], i: int) -> Amount | None | bool:
    """"a dozen", "a thousand", "a hundred and fifty", "half a million"."""
    n = len(words)
    w = words[i]
    nxt = words[i + 1] if i + 1 < n else ""
    if w in ("a", "an"):
        if nxt == "dozen":
            return Amount(i, i + 2, 12, 12, 12, spelled=True)
        if nxt in SCALES:
            inner = _parse_words(["one", *words[i + 1:]], 0)
            if inner:
                value, length = inner
                return Amount(i, i + length, value, value, value, spelled=True)
        return None
    if w == "half" and nxt == "a" and i + 2 < n and words[i + 2] in SCALES and words[i + 2] != "hundred":
        value = SCALES[words[i + 2]] / 2
        return Amount(i, i + 3, value, value, value, spelled=True)
    return False


def _cardinal_amount(words: Sequence[str], i: int) -> Amount | None:
    """Spelled-out cardinals ("one hundred and twenty"), optionally "dozen"."""
    parsed = _parse_words(words, i)
    if parsed is None:
        return None
    value, length = parsed
    end = i + length
    if end < len(words) and words[end] == "dozen":
        value *= 12
        end += 1
    return Amount(i, end, value, value, value, spelled=True)


def _parse_words(words: Sequence[str], i: int) -> tuple[float, int] | None:
    """Parse spelled-out cardinals from ``words[i]``: (value, tokens used)."""
    total = 0
    current = 0
    j = i
    last = ""  # "unit" | "ten" | "hundred" | "scale"
    used = 0
    while j < len(words):
        w = words[j]
        if w in CARDINALS:
            v = CARDINALS[w]
            if last == "unit" or (last == "ten" and (v >= 10 or v == 0)):
                break
            current += v
            last = "ten" if v >= 20 else "unit"
        elif w == "hundred" and last in ("unit", "ten") and current < 100:
            current *= 100
            last = "hundred"
        elif w in SCALES and w != "hundred" and last in ("unit", "ten", "hundred"):
            total += current * SCALES[w]
            current = 0
            last = "scale"
        elif (
            w == "and"
            and last in ("hundred", "scale")
            and j + 1 < len(words)
            and words[j + 1] in CARDINALS
        ):
            j += 1
            continue
        else:
            break
        j += 1
        used = j - i
    if not used:
        return None
    return float(total + current), used
