"""What kind of quantity an amount is, and how far the figure's words reach.

:func:`classify` runs the amount through :data:`STEPS` in order; the first
step that recognises it decides its kind (and extends the figure over its
unit, percent sign or currency). A step answers ``True`` (decided), ``False``
(not mine, go on) or ``None`` (not a figure at all: an ordinal, a pronoun
"one", a number that is part of a name such as "COVID-19"). Dates, times and
years are recognised so they are never read as counts.
"""

from __future__ import annotations

from collections.abc import Callable

from kazreader.analysis.figures import lexicon
from kazreader.analysis.figures.model import Qualifier, QuantityKind
from kazreader.analysis.figures.qualifiers import post_qualifier, pre_qualifier, read_range
from kazreader.analysis.figures.sentence import Cand, Sentence
from kazreader.analysis.figures.words import (
    COORDINATORS,
    CURRENCY_CODES,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    EVENT_NOUNS,
    GROUPS,
    MONTHS,
    OTHER_UNITS,
    STOP,
    TIME_OF_DAY,
    TIME_UNITS,
    UNIT_KINDS,
    WEEKDAYS,
)
from kazreader.analysis.numbers import ORDINALS, Amount, is_number_start, parse_amount, parse_digits

__all__ = ["STEPS", "classify"]

Step = Callable[[Sentence, Cand], "bool | None"]
_PRONOUN_ONE_AFTER = frozenset("of another day night time way side thing".split())
_PRONOUN_ONE_BEFORE = frozenset("no the this that any every each which someone anyone".split())
_SYMBOL_CURRENCY = {"$": "dollars", "€": "euros", "£": "pounds", "¥": "yen", "₸": "tenge", "₽": "roubles",
                    "₹": "rupees"}


def classify(s: Sentence, a: Amount) -> Cand | None:
    """Qualifier, kind and extent of the amount, or ``None`` if it is no figure."""
    c = Cand(amount=a, q_start=a.start, end=a.end, char_end=s.tokens[a.end - 1].end)
    if _is_ordinal_or_pronoun(s, c):
        return _ordinal_date(s, c)
    pre_qualifier(s, c)
    c.qualified = c.qualifier != Qualifier.EXACT
    if a.vague and c.qualifier in (Qualifier.EXACT, Qualifier.ABOUT):
        c.qualifier = Qualifier.VAGUE
    for step in STEPS:
        verdict = step(s, c)
        if verdict is None:
            return None
        if verdict:
            if c.kind in _UNIT_KINDS:  # "between 5% and 10%", "5% or more", "$5 million or less"
                read_range(s, c)
                post_qualifier(s, c)
            return c
    post_qualifier(s, c)
    return c


#: Kinds decided by a unit before a range or a qualifier after the amount is read.
_UNIT_KINDS = frozenset({QuantityKind.PERCENT, QuantityKind.MONEY})


def _is_ordinal_or_pronoun(s: Sentence, c: Cand) -> bool:
    """"3rd", "first", "one of the", "no one", "at one point": not amounts."""
    i, j = c.amount.start, c.amount.end
    w0, nw = s.words[i], s.word(j)
    if w0[:1].isdigit() and nw in ("st", "nd", "rd", "th") and not s.gap(j):
        return True
    if w0 in ORDINALS:
        return True
    return w0 == "one" and j == i + 1 and (
        nw in _PRONOUN_ONE_AFTER or s.word(i - 1) in _PRONOUN_ONE_BEFORE or (s.word(i - 1), nw) == ("at", "point")
    )


def _ordinal_date(s: Sentence, c: Cand) -> Cand | None:
    """"January 19th" is a date; other ordinals are no figures."""
    i, j = c.amount.start, c.amount.end
    if s.words[i][:1].isdigit() and s.word(j) in ("st", "nd", "rd", "th") and s.word(i - 1) in MONTHS and (
        s.is_capitalised(i - 1)
    ):
        return _extend(s, c, i - 1, j + 1, QuantityKind.DATE)
    return None


def _time_or_date(s: Sentence, c: Cand) -> bool | None:
    """"3:30 p.m.", "9 am", "January 19", "19 January 2022", "2022-01-06"."""
    i, j = c.amount.start, c.amount.end
    if not s.words[i][:1].isdigit():
        return False
    nw, after = s.word(j), s.text[c.char_end:c.char_end + 12]
    if after.startswith(":") and s.word(j)[:1].isdigit() and not s.gap(j).strip(":"):
        k = j + 1
        if s.word(k) in TIME_OF_DAY:
            k += 1
        elif s.word(k) in ("a", "p") and s.word(k + 1) == "m":
            k += 2
        return bool(_extend(s, c, c.q_start, k, QuantityKind.DATE, dot=k > j + 1))
    if nw in TIME_OF_DAY or (nw in ("a", "p") and s.word(j + 1) == "m"):
        return bool(_extend(s, c, c.q_start, j + (2 if nw in ("a", "p") else 1), QuantityKind.DATE, dot=True))
    if s.word(i - 1) in MONTHS and s.is_capitalised(i - 1) and not s.gap(i).strip(" ."):
        if s.gap(j) in _DASHES and s.word(j).isdigit() and int(s.word(j)) <= 31:
            j += 1  # "March 24-29", "Sept. 12-13": days
        end = j + 1 if _is_year_token(s, j) and s.gap(j).strip() in (",", "") else j
        return bool(_extend(s, c, i - 1, end, QuantityKind.DATE))
    if nw in MONTHS and s.is_capitalised(j) and s.gap(j) == " ":
        return bool(_extend(s, c, i, j + 2 if _is_year_token(s, j + 1) else j + 1, QuantityKind.DATE))
    w0 = s.words[i]
    if len(w0) == 4 and s.gap(j) == "-" and len(s.word(j)) == 2 and s.word(j).isdigit() and (
        s.gap(j + 1) == "-" and s.word(j + 1).isdigit()
    ):
        return bool(_extend(s, c, i, j + 2, QuantityKind.DATE))
    return False


_DASHES = ("-", "\u2013")


def _joined(s: Sentence, c: Cand) -> bool | None:
    """Numbers joined without spaces: "9/11" or "01/14/2014" is a date (no figure); "1-800-494-8477" a phone
    number or a code (no figure); "a 5-4 ruling", "voted 60-37", "a 5-to-4 vote", "50%-42%" (the larger
    first: "10-20" is a range) or "24/7", "50/50" a split, a score or a ratio: each side a figure of its own,
    but no count of the noun after it nor of what the sentence's verb did, so no measure (see ``Cand.split``)."""
    i, j = c.amount.start, c.amount.end
    if not s.words[i][:1].isdigit() or j != i + 1 or c.qualified:
        return False
    if s.gap(j) == "/" and s.word(j).isdigit() or s.gap(i) == "/" and s.word(i - 1).isdigit():
        end = j + 1 if s.gap(j) == "/" else j
        while s.gap(end) == "/" and s.word(end).isdigit():
            end += 1
        if s.gap(i) != "/" and s.words[i].isdigit() and int(s.words[i]) <= 12 and int(s.word(j)) <= 31 and end - i <= 3:
            return bool(_extend(s, c, i, end, QuantityKind.DATE))
        c.split = True
        return False
    left, right = i, j
    while s.gap(left) in _DASHES and s.word(left - 1)[:1].isdigit():
        left -= 1
    while s.gap(right) in _DASHES and s.word(right)[:1].isdigit():
        right += 1
    if right - left >= 3:
        return None  # "1-800-494-8477"
    c.split = _split_side(s, i, j) or _split_side(s, i - 2 if _to_glued(s, i - 1) else i - 1, i, i)
    return False


def _to_glued(s: Sentence, k: int) -> bool:
    """Whether token *k* is a "to" glued between two numbers by hyphens ("5-to-4")."""
    return s.word(k) == "to" and s.gap(k) == "-" and s.gap(k + 1) == "-"


def _split_side(s: Sentence, i: int, j: int, second: int | None = None) -> bool:
    """Whether the number at token *i* (ending at *j*) and the one after it ("-4", "-to-4", "%-42%") are the
    larger and the smaller side of a split; *second* is that one's token when known."""
    if i < 0 or not s.words[i][:1].isdigit() or _is_year_token(s, i):
        return False
    k = second if second is not None else j + 1 if _to_glued(s, j) else j
    if s.gap(k).lstrip("%") not in _DASHES or not s.word(k)[:1].isdigit() or k > j + 1 and not _to_glued(s, j):
        return False
    first, other = parse_digits(s.words[i]), parse_digits(s.word(k))
    return first is not None and other is not None and first >= other


def _name_part(s: Sentence, c: Cand) -> bool | None:
    """"Khabar 24", "Khabar-24", "COVID-19", "covid-19", "call 911", "Article 5", "No. 7", "the Gang of Eight": part of a name."""
    i = c.amount.start
    p = s.word(i - 1)
    if c.amount.spelled and s.is_capitalised(i) and p == "of" and s.is_capitalised(i - 2) and s.word(i - 2) not in STOP:
        return None
    if not s.words[i][:1].isdigit():
        return False
    if not c.qualified and len(p) == 1 and s.is_capitalised(i - 1) and s.gap(i) in (".", ". ") and s.word(i - 2) != "u":
        return None  # "H.R. 1", "S. 649": a bill's number (not "the U.S. 10-year note")
    if not c.qualified and i > 0 and s.is_capitalised(i - 1) and s.gap(i) in (" ", "-") and not (
        p in STOP or p in MONTHS or p in WEEKDAYS or p in COORDINATORS or p.endswith("'s") or p.isdigit()
    ):
        return None
    if not c.qualified and c.amount.end == i + 1 and s.words[i] in lexicon.PHONE_LINES:
        return None  # "call 911", "a 911 operator": the emergency line
    if not c.qualified and s.gap(i) == "-" and p.isalpha() and p not in lexicon.AMOUNTS_AFTER_HYPHEN:
        return None  # "covid-19", "type-1 diabetes", "catch-22", "top-10 states": a name's number, or a rank
    if _rank_mark(s, i):
        return None
    return False


def _rank_mark(s: Sentence, i: int) -> bool:
    """"No. 1 concern", "Nos. 3 and 4", "number 10", "#1": a place in an order, not an amount."""
    p, gap = s.word(i - 1), s.gap(i)
    if p in ("no", "nos") and "." in gap:
        return True
    return p == "number" or gap.rstrip().endswith("#")


def _percent(s: Sentence, c: Cand) -> bool | None:
    """"10%", "10 per cent", "10 percent", "2 percentage points"."""
    j = c.amount.end
    nw, after = s.word(j), s.text[c.char_end:c.char_end + 12]
    if after.lstrip().startswith("%"):
        c.char_end += after.index("%") + 1
        c.kind, c.unit = QuantityKind.PERCENT, "%"
        return True
    if nw in ("percent", "pct") or s.match(j, ("per", "cent")):
        return bool(_extend(s, c, c.q_start, j + (2 if nw == "per" else 1), QuantityKind.PERCENT, unit="%"))
    if s.match(j, ("percentage", "points")) or s.match(j, ("percentage", "point")):
        return bool(_extend(s, c, c.q_start, j + 2, QuantityKind.PERCENT, unit="percentage points"))
    return False


#: After a currency sign, a letter glued to the digits is the amount's scale ("$2.3m", "$370B"); alone,
#: "5m" may be metres and "27b" a name.
_MONEY_SCALES: dict[str, float] = {"m": 1e6, "b": 1e9}


def _money(s: Sentence, c: Cand) -> bool | None:
    """"$5 million", "€3bn", "US$5", "5 billion tenge", "USD 5", "5 US dollars"."""
    i, j = c.amount.start, c.amount.end
    nw, text = s.word(j), s.text
    before = text[:s.tokens[i].start].rstrip()
    if before and before[-1] in CURRENCY_SYMBOLS and (len(before) < 2 or not before[-2].isdigit()):
        sym_at = len(before) - 1
        if sym_at >= 2 and text[sym_at - 2:sym_at].upper() == "US":
            sym_at -= 2
        c.unit, c.kind = _SYMBOL_CURRENCY.get(before[-1], before[-1]), QuantityKind.MONEY
        if c.q_start == i:
            c.char_start = sym_at
        scale = _MONEY_SCALES.get(nw) if not s.gap(j) and c.amount.value is not None else None
        if scale:  # "$2.3m", "$370B"
            a = c.amount
            c.amount = Amount(a.start, j + 1, a.value * scale if a.value is not None else None,
                              None if a.low is None else a.low * scale, None if a.high is None else a.high * scale,
                              spelled=a.spelled)
            _extend(s, c, c.q_start, j + 1, QuantityKind.MONEY)
        return True
    if s.word(i - 1) in CURRENCY_CODES and c.q_start == i and s.gap(i).strip() == "":
        c.unit, c.kind, c.q_start = s.words[i - 1].upper(), QuantityKind.MONEY, i - 1
        return True
    if nw in CURRENCY_WORDS and s.gap(j).strip() == "":
        return bool(_extend(s, c, c.q_start, j + 1, QuantityKind.MONEY, unit=CURRENCY_WORDS[nw] or nw))
    if nw == "us" and s.word(j + 1) in ("dollars", "dollar"):
        return bool(_extend(s, c, c.q_start, j + 2, QuantityKind.MONEY, unit="dollars"))
    return False


def _age(s: Sentence, c: Cand) -> bool | None:
    """"25-year-old", "25 years old", "a 6-month-old baby", "19-year-olds", "aged 25", "Sean Copeland, 51,"."""
    i, j, a = c.amount.start, c.amount.end, c.amount
    if s.word(j) in TIME_UNITS and s.word(j + 1) in ("old", "olds") and s.gap(j + 1) in (" ", "-"):
        unit = s.word(j) if s.word(j).endswith("s") else s.word(j) + "s"
        return bool(_extend(s, c, c.q_start, j + 2, QuantityKind.AGE, unit=unit))
    prev = s.word(c.q_start - 1)
    if (prev in ("aged", "age", "ages") or s.word(c.q_start - 2) in ("age", "ages") and prev in ("of", "to", "at")) and (
        not s.gap(c.q_start).strip()
    ):
        read_range(s, c)  # ("ages 18 to 29")
        c.kind, c.unit = QuantityKind.AGE, "years"
        return True
    after = s.text[c.char_end:c.char_end + 3].lstrip(" ")
    if _age_of_a_pronoun(s, c, after):
        c.kind, c.unit = QuantityKind.AGE, "years"
        return True
    if (
        s.words[i][:1].isdigit() and c.q_start == i and s.gap(i) in (", ", " , ")
        and s.is_capitalised(i - 1) and s.words[i - 1] not in STOP
        and after[:1] in (",", ";") and a.value is not None and 1 <= a.value <= 120
    ):
        c.kind, c.unit = QuantityKind.AGE, "years"
        return True
    return False


#: "when she was 15", "he turned 18", "I was 18 and": a person's age as a verb's complement.
_AGE_VERBS = frozenset(("was", "is", "turned", "turns", "been"))
_AGE_SUBJECTS = frozenset(("he", "she", "i"))
_AGE_AUXILIARIES = frozenset(("would", "have", "had", "has", "will", "be", "been"))
_AGE_ENDS = frozenset(("and", "when", "at", "or", "but", "then"))


def _age_of_a_pronoun(s: Sentence, c: Cand, after: str) -> bool:
    """A whole number of 1-120 right after "he/she/I was" (auxiliaries between allowed: "she would
    have been 17"), with nothing it counts after it: a comma or stop, or "and"/"when"… ("he was 17
    points ahead" counts points)."""
    a = c.amount
    if c.q_start != a.start or a.value is None or a.value != int(a.value) or not 1 <= a.value <= 120:
        return False
    if not (after[:1] in (",", ".", ";") or s.word(a.end) in _AGE_ENDS):
        return False
    k = c.q_start - 1
    if s.word(k) not in _AGE_VERBS:
        return False
    k -= 1
    while k >= 0 and s.word(k) in _AGE_AUXILIARIES:
        k -= 1
    return k >= 0 and s.word(k) in _AGE_SUBJECTS


def _range_step(s: Sentence, c: Cand) -> bool | None:
    """"between 10 and 20", "10 to 20", "10-20" become one vague figure; the kind is still open, and
    may be said after the range only ("5 to 10 percent", "2 to 3 million dollars")."""
    single = c.amount
    read_range(s, c)
    return c.amount is not single and (c.kind == QuantityKind.YEAR or bool(_percent(s, c) or _money(s, c) or _age(s, c)))


def _ratio(s: Sentence, c: Cand) -> bool | None:
    """"one in five", "3 out of 10": a percentage."""
    i, j, a = c.amount.start, c.amount.end, c.amount
    nw = s.word(j)
    k = j + 1 if nw == "in" else j + 2 if s.match(j, ("out", "of")) else 0
    ratio = parse_amount(s.words, k) if k and is_number_start(s.word(k)) else None
    if ratio is None or not a.value or not ratio.value or not a.value < ratio.value <= 1000 or _is_year_token(s, k):
        return False
    v = round(100 * a.value / ratio.value, 2)
    c.amount = Amount(i, ratio.end, v, v, v, spelled=a.spelled)
    return bool(_extend(s, c, c.q_start, ratio.end, QuantityKind.PERCENT, unit="%"))


#: "two-thirds", "three quarters of": a fraction's word -> its denominator.
_FRACTIONS: dict[str, int] = {
    **dict.fromkeys(("half", "halves"), 2), **dict.fromkeys(("third", "thirds"), 3),
    **dict.fromkeys(("fourth", "fourths", "quarter", "quarters"), 4), **dict.fromkeys(("fifth", "fifths"), 5),
    **dict.fromkeys(("sixth", "sixths"), 6), **dict.fromkeys(("eighth", "eighths"), 8),
    **dict.fromkeys(("tenth", "tenths"), 10),
}


def _fraction(s: Sentence, c: Cand) -> bool | None:
    """"two-thirds of voters", "more than three-fourths", "a two-thirds chance": a percentage, not a count
    of thirds. Without a hyphen only before "of" ("three quarters" may be a year's)."""
    i, j, a = c.amount.start, c.amount.end, c.amount
    denominator = _FRACTIONS.get(s.word(j), 0)
    if not denominator or a.value is None or not 0 < a.value < denominator or j != i + 1:
        return False
    if s.gap(j) != "-" and not (s.gap(j) == " " and s.word(j + 1) == "of"):
        return False
    v = round(100 * a.value / denominator, 2)
    c.amount = Amount(i, j + 1, v, v, v, spelled=a.spelled)
    return bool(_extend(s, c, c.q_start, j + 1, QuantityKind.PERCENT, unit="%"))


def _unit(s: Sentence, c: Cand) -> bool | None:
    """"two-week", "180-day", "4,700 miles", "6.2-magnitude", "40°C"."""
    j, w0 = c.amount.end, s.words[c.amount.start]
    nw = s.word(j)
    if nw in OTHER_UNITS and s.gap(j) in (" ", "-", ""):
        if w0 in ("a", "an") or (w0 == "one" and nw in TIME_UNITS and s.gap(j) == " "):
            return None  # "a day", "one week": idiom, not a figure
        return bool(_extend(s, c, c.q_start, j + 1, QuantityKind(UNIT_KINDS[nw]), unit=nw))
    if s.text[c.char_end:c.char_end + 1] == "°" or (nw in ("c", "f") and not s.gap(j)):
        return bool(_extend(s, c, c.q_start, j + (nw in ("c", "f")), QuantityKind.OTHER, unit="degrees"))
    if s.word(c.q_start - 1) == "magnitude":
        c.kind, c.unit = QuantityKind.OTHER, "magnitude"
        return True
    return False


def _year(s: Sentence, c: Cand) -> bool | None:
    """"in 1991", "the 1990s" (but "2000 people" is a count)."""
    i, j = c.amount.start, c.amount.end
    w0, nw = s.words[i], s.word(j)
    if not (len(w0) == 4 and w0.isdigit() and 1000 <= int(w0) <= 2100 and j == i + 1):
        return False
    if nw == "s" and not s.gap(j):
        return bool(_extend(s, c, i, j + 1, QuantityKind.YEAR))
    if len(nw) == 2 and nw.isdigit() and s.gap(j) in ("-", "\u2013", "/"):
        return bool(_extend(s, c, i, j + 1, QuantityKind.YEAR))  # "the 2019-20 season", "2020/21"
    if not c.qualified and GROUPS.get(nw, ("", ""))[1] != "human" and nw not in EVENT_NOUNS:
        c.kind = QuantityKind.YEAR
        return True
    return False


def _decade(s: Sentence, c: Cand) -> bool | None:
    """"the ’80s", "in the 70s", "a woman in her 50s": a decade or an age bracket, no figure (the
    four-digit "1990s" is a year, see :func:`_year`)."""
    i, j = c.amount.start, c.amount.end
    w0 = s.words[i]
    if len(w0) == 2 and w0.isdigit() and w0.endswith("0") and j == i + 1 and s.word(j) == "s" and not s.gap(j):
        return None
    return False


#: The order in which an amount's kind is decided: the first step that says so wins.
STEPS: tuple[Step, ...] = (
    _time_or_date, _joined, _decade, _name_part, _percent, _money, _age, _range_step, _ratio, _fraction, _unit, _year,
)


def _is_year_token(s: Sentence, k: int) -> bool:
    w = s.word(k)
    return len(w) == 4 and w.isdigit() and 1000 <= int(w) <= 2100


def _extend(s: Sentence, c: Cand, start: int, end: int, kind: QuantityKind, unit: str | None = None,
            dot: bool = False) -> Cand:
    """Stretch the figure over tokens ``[start, end)`` and set its kind."""
    c.q_start = min(c.q_start, start)
    c.end = end
    c.char_end = s.tokens[end - 1].end
    if dot and s.text[c.char_end:c.char_end + 1] == ".":
        c.char_end += 1
    c.kind = kind
    c.unit = unit if unit is not None else c.unit
    return c
