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

from kazreader.analysis.figures import lexicon
from kazreader.analysis.figures.model import Qualifier, QuantityKind
from kazreader.analysis.numbers import SCALES, Amount, is_number_start, parse_amount
from kazreader.analysis.figures.sentence import MINUS_SIGNS, Cand, Sentence, minus_before
from kazreader.analysis.figures.words import CURRENCY_SYMBOLS, PRE_QUALIFIER_INDEX, TIME_UNITS

__all__ = ["interval", "post_qualifier", "pre_qualifier", "read_range"]


def read_range(s: Sentence, c: Cand) -> None:
    """Make *c* one vague figure [low, high] when it opens a range."""
    a = c.amount
    i, j = a.start, a.end
    between = s.word(i - 1) == "between" and c.q_start == i and s.word(j) == "and"
    dash = s.gap(j) in ("-", "–", "—") and s.word(j)[:1].isdigit() and a.value is not None
    plain_to = s.word(j) == "to" and s.word(c.q_start - 1) not in ("from", "by", "of")
    if not (between or dash or plain_to) or a.value is None or c.qualifier != "exact":
        return
    k = j if dash else j + 1
    other = parse_amount(s.words, k) if is_number_start(s.word(k)) else None
    if other is None or other.value is None:
        return
    low, high = a.value, (-other.value if minus_before(s, k) else other.value)  # ("-5 to -2 degrees")
    scale = s.words[other.end - 1]
    if j - i == 1 and other.end - k > 1 and scale in SCALES:
        low *= SCALES[scale]  # "between 2 and 3 million"
    if not low < high:
        return
    c.amount = Amount(c.q_start, other.end, None, low, high, vague=True, spelled=a.spelled)
    c.q_start = i - 1 if between else c.q_start
    c.qualifier = Qualifier.VAGUE
    c.end = other.end
    c.char_end = s.tokens[other.end - 1].end



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
    """"1,000 or more", "200 or so", "1,000-plus"."""
    j = c.amount.end
    if c.qualifier not in (Qualifier.EXACT, Qualifier.VAGUE) or c.amount.vague:
        return
    if s.match(j, ("or", "more")):
        c.qualifier, c.end, c.char_end = Qualifier.AT_LEAST, j + 2, s.tokens[j + 1].end
    elif s.match(j, ("or", "so")):
        c.qualifier, c.end, c.char_end = Qualifier.ABOUT, j + 2, s.tokens[j + 1].end
    elif s.word(j) == "plus" and s.gap(j) in ("-", ""):
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
            ends = (round(v - 0.1 * abs(v), 6), round(v + 0.1 * abs(v), 6))
            return float(math.floor(ends[0])), float(math.ceil(ends[1]))
        case "nearly":
            return float(math.floor(round(v - 0.1 * abs(v), 6))), v - step
        case "up_to":  # a size has no less than none; a scale below zero no floor ("below -10 degrees")
            return (0.0 if v >= 0 else None), (v - step if c.strict else v)
    return v, v


def _mirror(x: float | None) -> float | None:
    return None if x is None else 0.0 - x  # (not -0.0)


def _f(x: float | None) -> float | None:
    return None if x is None else float(x)

