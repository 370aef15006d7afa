"""Where "more than", "about", "nearly"... are decided, and the interval each implies.

:func:`pre_qualifier` reads the phrase right before an amount (the phrases are
the ``[qualifiers]`` section of ``data/figures.txt``), a verb that bounds it
("surpassed 3 million") or a phrase after it ("1,000 or more", "200 or so",
"1,000-plus"); :func:`read_range` makes "between 10 and 20" one vague
figure; :func:`interval` turns the qualifier into ``[low, high]``:

==============  ===========================================  ==================
``exact``       12                                           [12, 12]
``at_least``    at least, no fewer than, or more             [n, None]
``more_than``   more than, over, upwards of, surpassed       [n + 1, None] (integers)
``about``       about, around, roughly, some, an estimated   [floor(0.9n), ceil(1.1n)]
``nearly``      nearly, almost, close to, just under         [floor(0.9n), n - 1] (integers)
``up_to``       up to, as many as, at most, no more than     [0, n]
                fewer than, less than, under, below          [0, n - 1] (integers)
``vague``       dozens, hundreds, several, between 10 and 20  see :mod:`kazreader.analysis.numbers`
==============  ===========================================  ==================

"ticked up to 7.9 percent" is a level reached (``exact``), not "up to". A
negative amount's interval is its size's, mirrored ("up to -5 %": [-5, 0]),
unless the phrase places it on a scale ("below -10 degrees": [None, -10]): see
:func:`interval`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from kazreader.analysis.figures import lexicon
from kazreader.analysis.figures.model import Qualifier, QuantityKind
from kazreader.analysis.numbers import SCALES, Amount, is_number_start, parse_amount
from kazreader.analysis.figures.sentence import MINUS_SIGNS, Cand, Sentence, minus_before
from kazreader.analysis.figures.words import CURRENCY_SYMBOLS, PRE_QUALIFIER_INDEX, TIME_UNITS

__all__ = ["interval", "post_qualifier", "pre_qualifier", "read_range"]


def read_range(s: Sentence, c: Cand) -> None:
    """Make *c* one vague figure [low, high] when it opens a range: "between 10 and 20", "10 to 20",
    "10-20", "between 5% and 10%", "5 percent to 10 percent", "ranging from 3% to 4%" (a unit read
    after the first amount is read after the second too)."""
    a = c.amount
    i, j = a.start, c.end
    sign = "%" if c.unit == "%" and c.end == a.end else ""  # ("5%-10%": the sign is no token)
    gap = s.gap(j)[len(sign):] if s.gap(j).startswith(sign) else s.gap(j)
    between = s.word(i - 1) == "between" and c.q_start == i and s.word(j) == "and"
    dash = gap in ("-", "–", "—") and s.word(j)[:1].isdigit() and a.value is not None
    before = s.word(c.q_start - 1)
    plain_to = s.word(j) == "to" and (
        before not in ("from", "by", "of") or before == "from" and s.word(c.q_start - 2) in lexicon.RANGE_OPENERS
    )
    if not (between or dash or plain_to) or a.value is None or c.qualifier != "exact":
        return
    k = j if dash else j + 1
    other = parse_amount(s.words, k) if is_number_start(s.word(k)) and not any(ch in s.gap(j) for ch in ",;:") else None
    if other is None or other.value is None:
        return  # ("rose 1 percent, to 26,049")
    if _years(s, i, k) and c.kind == QuantityKind.COUNT:  # "between 2002 and 2004": a span of time, no figure
        c.amount = Amount(c.q_start, other.end, None, a.value, other.value, vague=True, spelled=a.spelled)
        c.kind, c.end, c.char_end = QuantityKind.YEAR, other.end, s.tokens[other.end - 1].end
        return
    low, high = a.value, (-other.value if minus_before(s, k) else other.value)  # ("-5 to -2 degrees")
    scale = s.words[other.end - 1]
    if j - i == 1 and other.end - k > 1 and scale in SCALES:
        low *= SCALES[scale]  # "between 2 and 3 million"
    if between and high < low < 0:
        low, high = high, low  # "between -5% and -10%": two falls, by their size
    if not low < high:
        return  # ("a 5-4 ruling", "49.5% to 49%": a split, see kinds)
    end, char_end = other.end, s.tokens[other.end - 1].end
    unit_words = s.words[a.end:c.end]
    symbol = s.gap(i)[-1:] if c.char_start is not None else ""
    if sign and s.text[char_end:char_end + 2].lstrip(" ").startswith("%"):
        char_end = s.text.index("%", char_end) + 1
    elif unit_words and s.match(end, unit_words):
        end += len(unit_words)
        char_end = s.tokens[end - 1].end
    elif sign or unit_words or symbol and (not s.gap(k).endswith(symbol) or not s.gap(other.end)):
        return  # the second amount in another unit: a change and a level ("rose 9 cents to $26.63")
    c.amount = Amount(c.q_start, other.end, None, low, high, vague=True, spelled=a.spelled)
    c.q_start = i - 1 if between else c.q_start
    c.qualifier = Qualifier.VAGUE
    c.end, c.char_end = end, char_end


def _years(s: Sentence, i: int, k: int) -> bool:
    """Whether tokens *i* and *k* are both years ("from 2021 to 2031")."""
    return all(len(w) == 4 and w.isdigit() and 1000 <= int(w) <= 2100 for w in (s.words[i], s.word(k)))


def pre_qualifier(s: Sentence, c: Cand) -> None:
    """The qualifier phrase right before the amount ("more than 200"), or a bounding verb ("surpassed 3 million")."""
    i = c.amount.start
    if _lead(s, c).strip(" " + CURRENCY_SYMBOLS):
        return
    for words, qualifier, strict, scale in PRE_QUALIFIER_INDEX.get(s.word(i - 1), ()):
        k = i - len(words)
        if k >= 0 and s.match(k, words, sep=" ") and not _false_qualifier(s, c, words, k):
            c.qualifier, c.strict, c.scale, c.q_start = Qualifier(qualifier), strict, scale, k
            return
    verb = lexicon.VERB_QUALIFIERS.get(s.word(i - 1))
    if verb and not _lead(s, c).strip():
        c.qualifier = Qualifier(verb)  # the verb stays out of the figure's words


def _lead(s: Sentence, c: Cand) -> str:
    """The characters before the amount's first token, less the amount's own minus sign ("up to -5 %")."""
    gap = s.gap(c.amount.start)
    return gap[:-1] if (c.amount.value or 0) < 0 and gap.endswith(MINUS_SIGNS) else gap


def _false_qualifier(s: Sentence, c: Cand, words: tuple[str, ...], k: int) -> bool:
    """Qualifier words that mean something else here."""
    if words == ("some",) and s.word(k - 1) in ("of", "for"):
        return True
    if words == ("over",) and s.word(c.end) in TIME_UNITS and s.word(k - 1) not in ("for", "in", "since"):
        return True  # "a rise over two years": during, not more than
    # "ticked up to 7.9 percent", "rose to 25 %": the level reached, not a maximum.
    return words == ("up", "to") and s.word(k - 1) in lexicon.CHANGE_VERBS


def post_qualifier(s: Sentence, c: Cand) -> None:
    """"1,000 or more", "5% or less", "200 or so" (the ``[post qualifiers]``), "1,000-plus"."""
    j = c.end
    if c.qualifier not in (Qualifier.EXACT, Qualifier.VAGUE) or c.amount.vague:
        return
    for words, qualifier in lexicon.POST_QUALIFIERS:
        if s.match(j, words) and not s.gap(j).strip(" %-"):  # ("150-odd")
            c.qualifier, c.end, c.char_end = Qualifier(qualifier), j + len(words), s.tokens[j + len(words) - 1].end
            return
    if s.word(j) == "plus" and s.gap(j) in ("-", ""):
        c.qualifier, c.end, c.char_end = Qualifier.MORE_THAN, j + 1, s.tokens[j].end


def interval(c: Cand) -> tuple[float | None, float | None]:
    """The ``[low, high]`` the figure's qualifier implies (``None``: unbounded); always ``low <= high``.

    A negative value's qualifier sizes the amount: "up to -5 %" is a fall of up
    to 5 % ([-5, 0]), "at least -4 %" a fall of 4 % or more ([…, -4]), "nearly
    -3" a little less than 3 below zero, as "a decline of up to 5 %" would be.
    The phrases that place the amount on a scale (``scale`` in the data file)
    keep their direction: "below -10 degrees" is colder than -10 ([…, -10]),
    "above -5" warmer than -5 ([-5, …]).
    """
    a = c.amount
    if c.qualifier == "vague" or a.value is None:
        return _f(a.low), _f(a.high)
    v = float(a.value)
    if v < 0 and not c.scale:
        low, high = _interval(c, -v)  # the same interval as the amount's size, mirrored
        return _mirror(high), _mirror(low)
    return _interval(c, v)


def _interval(c: Cand, v: float) -> tuple[float | None, float | None]:
    """The interval of *v* read upwards (a size, or a place on a scale)."""
    step = 1.0 if v.is_integer() and c.kind == QuantityKind.COUNT else 0.0  # (whole counts: "more than 10" is 11)
    match c.qualifier:
        case "at_least":
            return v, None
        case "more_than":
            return v + step, None
        case "about":
            return _outward(v - 0.1 * abs(v), v, math.floor), _outward(v + 0.1 * abs(v), v, math.ceil)
        case "nearly":
            return _outward(v - 0.1 * abs(v), v, math.floor), v - step
        case "up_to":  # a size has no less than none; a scale below zero no floor ("below -10 degrees")
            return (0.0 if v >= 0 else None), (v - step if c.strict else v)
    return v, v


def _outward(x: float, v: float, rounding: Callable[[float], int]) -> float:
    """*x* rounded away from *v* to the precision *v* is written in: whole numbers for "about 40" ([36,
    44]) or "about 2 million", tenths for "about 2.1 %" ([1.8, 2.4], not [1, 3])."""
    places = _decimals(v)
    unit = 10.0 ** -places
    return round(rounding(round(x / unit, 6)) * unit, places)


def _decimals(v: float) -> int:
    """How many decimal places *v* is written with (at most 6): 0 for 12, 1 for 2.1, 2 for 0.25."""
    text = f"{abs(v):.6f}".rstrip("0")
    return len(text) - text.index(".") - 1


def _mirror(x: float | None) -> float | None:
    return None if x is None else 0.0 - x  # (not -0.0)


def _f(x: float | None) -> float | None:
    return None if x is None else float(x)

