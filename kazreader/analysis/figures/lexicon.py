"""The figure lexicon (``kazreader/analysis/data/figures.txt``) as Python tables.

Every word list that decides what a number is lives in that data file, one
section per concern; this module only reads it. A section's line is either a
bare ``a | b | c`` list or ``key: a | b | c``; the readers below turn the
sections into the lookup tables the grammar uses.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from importlib import resources

__all__ = [
    "AMOUNT_MODIFIERS",
    "CHANGE_VERBS",
    "CURRENCIES",
    "EVENTS",
    "EXPECTATION",
    "GROUPS",
    "LEVEL_NOUNS",
    "LEVEL_VERBS",
    "LEVIES",
    "NOT_LEVIED_ON",
    "MEASURE_NOUNS",
    "MODALS",
    "NOUN_MODIFIERS",
    "PREDICATES",
    "PEOPLE_ONLY_TRIGGERS",
    "PLACE_ADVERBS",
    "NOT_ADVERBS",
    "NOT_COUNTED_AFTER_HYPHEN",
    "AMOUNTS_AFTER_HYPHEN",
    "PHONE_LINES",
    "NOUN_PHRASE_ENDS",
    "PLURALS_WITHOUT_S",
    "POST_QUALIFIERS",
    "PRE_QUALIFIERS",
    "RANGE_OPENERS",
    "TIME_PHRASES",
    "VERB_QUALIFIERS",
    "WHOLE_SUBJECTS",
    "section",
]

Entry = tuple[str | None, tuple[str, ...]]


@cache
def _sections() -> dict[str, list[Entry]]:
    text = resources.files("kazreader.analysis").joinpath("data", "figures.txt").read_text("utf-8")
    out: dict[str, list[Entry]] = defaultdict(list)
    name = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            name = line[1:-1]
            continue
        key, sep, rest = line.partition(": ")
        items = rest if sep else line
        surfaces = tuple(s.strip() for s in items.split(" | ") if s.strip())
        out[name].append((key.strip() if sep else None, surfaces))
    return dict(out)


def section(name: str) -> list[Entry]:
    """The entries of one section of the data file."""
    return _sections().get(name, [])


def _flat(name: str) -> frozenset[str]:
    return frozenset(s for _, surfaces in section(name) for s in surfaces)


def _keyed(name: str) -> dict[str, str]:
    return {s: key or s for key, surfaces in section(name) for s in surfaces}


def _pre_qualifiers() -> list[tuple[tuple[str, ...], str, bool, bool]]:
    rows = [
        (tuple(phrase.split()), key.split()[0], "strict" in key.split()[1:], "scale" in key.split()[1:])
        for key, phrases in section("qualifiers")
        if key
        for phrase in phrases
    ]
    return sorted(rows, key=lambda t: -len(t[0]))


def _events() -> dict[str, tuple[str, str]]:
    out = {}
    for key, phrases in section("events"):
        assert key is not None
        event, _, category = key.rpartition(" ")
        out[event] = (category, "|".join(phrases))
    return out


def _groups() -> dict[str, tuple[str, str]]:
    out = {}
    for key, surfaces in section("groups"):
        assert key is not None
        group, _, category = key.rpartition(" ")
        for s in surfaces:
            out[s] = (group, category)
    return out


#: (words, qualifier, strict bound, a place on a scale: see ``interval``), longest phrases first.
PRE_QUALIFIERS = _pre_qualifiers()
#: Phrases right after an amount (and its unit) that qualify it ("or more"), as (words, qualifier).
POST_QUALIFIERS = sorted(((tuple(p.split()), key) for key, phrases in section("post qualifiers") if key for p in phrases),
                         key=lambda t: -len(t[0]))
#: "ranging from 3% to 4%": a range; "rose from 3% to 4%" is a change (two figures).
RANGE_OPENERS = _flat("range openers")
#: Verbs right before an amount that bound it ("surpassed 3 million": more than).
VERB_QUALIFIERS = _keyed("verb qualifiers")
#: "ticked up to 7.9 percent": the level reached, not "up to".
CHANGE_VERBS = _flat("change verbs")
#: Verbs that state a level or a tally ("averaged", "stood at"): no predicate.
LEVEL_VERBS = _flat("level verbs")
#: Event classes: (category, trigger phrases separated by "|").
EVENTS = _events()
#: Surface verb (or phrase) -> its normalised predicate.
PREDICATES = _keyed("predicates")
#: Counted noun (head or two-word head) -> (canonical group, category).
GROUPS = _groups()
#: Nouns a percentage or a sum is of, found before it ("the unemployment rate ... 7.9%").
MEASURE_NOUNS = _flat("measure nouns")
NOUN_MODIFIERS = _flat("noun modifiers")
#: Between a determiner and an amount, words that leave the phrase a noun's ("the earlier 10 percent increase").
AMOUNT_MODIFIERS = _flat("amount modifiers")
#: Measure nouns whose object after "on" is part of the measure ("tariffs on steel").
LEVIES = _flat("levies")
#: Words after "on" that are no levy's object ("on average").
NOT_LEVIED_ON = _flat("not levied on")
#: "a record high of 14.7%": nouns for a level reached, not for what is measured.
LEVEL_NOUNS = _flat("level nouns")
#: Currency symbol, code or word -> currency name.
CURRENCIES = _keyed("currencies")
#: Words that make a figure a forecast, plan or hypothesis ("could", "expected", "needs to").
EXPECTATION = _flat("expectation")
MODALS = frozenset(s for key, surfaces in section("expectation") if key == "modal" for s in surfaces)
#: Subjects that stand for the whole ("the economy added 165,000 jobs"): no agent restricting the count.
WHOLE_SUBJECTS = _flat("whole subjects")
#: Event words that name their event only for a known group of people ("50 programs would be eliminated").
PEOPLE_ONLY_TRIGGERS = _flat("people-only triggers")
#: Counted nouns that name many without a final "s" ("three children", "12 aircraft").
PLURALS_WITHOUT_S = _flat("plural without s")
#: Words that name a figure's place alone ("deaths nationwide", "Worldwide, ...").
PLACE_ADVERBS = _flat("place adverbs")
#: "a three-way race", "a five-fold rise": words that a number glued to them does not count.
NOT_COUNTED_AFTER_HYPHEN = _flat("not counted after a hyphen")
#: "mid-2017", "under-65": lowercase words a number glued after them leaves an amount (else a name's: "covid-19").
AMOUNTS_AFTER_HYPHEN = _flat("amounts after a hyphen")
#: "call 911", "a 911 operator": emergency numbers, no amounts.
PHONE_LINES = _flat("phone lines")
#: "30 people ages 18 to 24": counted nouns that are never a modifier of the next word.
NOUN_PHRASE_ENDS = _flat("noun phrase ends")
#: Words ending in -ly that are no adverbs ("family", "daily", "elderly").
NOT_ADVERBS = _flat("not adverbs")
#: Multi-word time phrases ("so far", "last month"), as word tuples.
TIME_PHRASES = sorted((tuple(p.split()) for p in _flat("time words")), key=lambda t: -len(t))
