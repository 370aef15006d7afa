"""The grammar's small word sets (function words, months, clause markers).

The lexicons a reader may want to extend (qualifier phrases, events,
predicates, counted groups, currencies, units) are data, in
``kazreader/analysis/data/figures.txt``, read by :mod:`.lexicon`; what is
here are the closed classes of English the grammar leans on.
"""

from __future__ import annotations

import re
from collections import defaultdict

from kazreader.analysis.figures import lexicon


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# ... indexed by their last word.
PRE_QUALIFIER_INDEX: dict[str, list[tuple[tuple[str, ...], str, bool, bool]]] = defaultdict(list)
for _q in lexicon.PRE_QUALIFIERS:
    PRE_QUALIFIER_INDEX[_q[0][-1]].append(_q)

MONTHS = _words(
    "january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec"
)
WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
CURRENCY_SYMBOLS = "$€£¥₸₽₹₴₺"
CURRENCY_CODES = _words("usd eur gbp kzt rub cny jpy chf inr uah try us$")
CURRENCY_WORDS = {
    **dict.fromkeys(("dollar", "dollars"), "dollars"),
    **dict.fromkeys(("euro", "euros"), "euros"),
    **dict.fromkeys(("tenge",), "tenge"),
    **dict.fromkeys(("rouble", "roubles", "ruble", "rubles"), "roubles"),
    **dict.fromkeys(("yuan", "renminbi"), "yuan"),
    **dict.fromkeys(("yen",), "yen"),
    **dict.fromkeys(("rupee", "rupees"), "rupees"),
    **dict.fromkeys(("franc", "francs"), "francs"),
    **dict.fromkeys(("sterling",), "pounds"),
    # a currency's hundredth: "56 cents an hour" is money, not a count of cents
    **dict.fromkeys(("cent", "cents"), "cents"),
    **dict.fromkeys(("penny", "pence"), "pence"),
    **dict.fromkeys(
        "hryvnia hryvnias manat lira lire som pesos peso lari dram zloty zlotys forint "
        "koruna krona kronor krone kroner rand reais real naira shekel shekels dinar dinars "
        "dirham dirhams riyal riyals ringgit baht won rupiah rial rials".split(),
        None,
    ),
    **{c: c.upper() for c in ("usd", "eur", "gbp", "kzt", "rub", "cny", "jpy", "chf", "inr")},
}
#: Unit word -> the kind of quantity it measures ("miles": length).
UNIT_KINDS: dict[str, str] = {u: k or u for k, units in lexicon.section("units") for u in units}
TIME_UNITS = frozenset(u for u, k in UNIT_KINDS.items() if k == "duration")
OTHER_UNITS = frozenset(UNIT_KINDS)
TIME_OF_DAY = _words("am pm gmt utc bst cet est pst o'clock hrs hours_")
# Function words that end a counted noun phrase (and cannot name a thing).
STOP = _words(
    "a an the this that these those its their his her our your my of in on at to from "
    "with by for and or but as than then so if is are was were be been being have has "
    "had will would could should may might can do does did not no nor who whom whose "
    "which what where when while after before since until during over under about "
    "including such also only just more most less least each every all some any both "
    "other another same per via into onto upon amid among against across through "
    "reportedly allegedly apparently already still yet so far this that there here "
    "it they them he she we you i said says say told according reported reportedly "
    "believed feared thought estimated confirmed expected likely without within near "
    "outside inside behind beyond along around toward towards like despite except between "
    "beneath below above throughout across off out up down due away ago apart whereas whilst although though "
    "unless because now currently recently again"
)
# Words between the amount and its noun that do not belong to the noun phrase.
NOUN_PREFIXES = _words("other more additional further extra")
# Verbs that a noun phrase cannot end with ("Thousands took to the streets").
VERBS = _words("took take takes came come comes went go goes gave give gives made make makes remain remained "
                "remains stay stays stayed got get gets became become becomes turned turns showed shows "
                "appeared appears seemed seems tried tries lost loses left leaves joined joins stood stands "
                "says wants needs continues travels walks moves")
DETERMINERS = _words("the these those its their his her our your my this that")
PARTITIVE_HEADS = _words("members member units groups number numbers ranks")
PRONOUN_OBJECTS = _words("whom them those which these us it they")
# Groups: canonical name and whether they are people ("human") or things.
GROUPS = lexicon.GROUPS

# Head nouns that are themselves an event: "45 deaths" = 45 people killed.
EVENT_NOUNS: dict[str, str] = {
    **dict.fromkeys(("deaths", "fatalities", "bodies", "killings"), "killed"),
    **dict.fromkeys(("injuries",), "wounded"),
    **dict.fromkeys(("arrests", "detentions", "detainees"), "detained"),
    **dict.fromkeys(("evacuees",), "evacuated"),
    **dict.fromkeys(("hospitalisations", "hospitalizations"), "hospitalised"),
}

EVENTS = lexicon.EVENTS


def _compile_events() -> dict[str, list[tuple[tuple[frozenset[str], ...], str]]]:
    """Index event phrases by their first word's alternatives."""
    index: dict[str, list[tuple[tuple[frozenset[str], ...], str]]] = defaultdict(list)
    for event, (_, phrases) in EVENTS.items():
        for phrase in phrases.split("|"):
            slots = tuple(frozenset(w.split("/")) for w in phrase.split())
            for first in slots[0]:
                index[first].append((slots, event))
    for first in index:
        index[first].sort(key=lambda t: -len(t[0]))
    return dict(index)


EVENT_INDEX = _compile_events()
EVENT_CATEGORY = {e: cat for e, (cat, _) in EVENTS.items()}
#: Events that only happen to people: a count of things (jobs, buildings, vehicles) never takes them
#: ("3,200 jobs would be eliminated" is no killing; buildings can be evacuated, people burned).
PEOPLE_ONLY_EVENTS = frozenset(("killed", "wounded", "seriously injured", "in intensive care", "hospitalised",
                                "detained", "protesting", "on strike"))
EVENT_WORDS = frozenset(EVENT_INDEX) - _words("set took take taken taking takes went go "
                                                "going gone joined join joining lost losing "
                                                "were was been being are is pulled buried "
                                                "stuck walked stopped downed on rounded "
                                                "unaccounted critical serious intensive death "
                                                "injury shot gutted without lose lost losing "
                                                "seriously severely critically gravely "
                                                "serious grave held")
# Active verbs right before the amount: "killing at least one person".
OBJECT_VERBS: dict[str, str] = {
    "fatally shot": "killed", "shot dead": "killed", "shot and killed": "killed", "gunned down": "killed",
    "fatally stabbed": "killed",
    **dict.fromkeys("killed killing kill kills eliminated eliminating massacred".split(), "killed"),
    **dict.fromkeys("wounded wounding injured injuring injure hurt".split(), "wounded"),
    **dict.fromkeys("detained detaining detain arrested arresting arrest jailed".split(), "detained"),
    **dict.fromkeys("sent sending send sends deployed deploying deploy dispatched dispatching "
                    "dispatch mobilised mobilized".split(), "sent"),
    **dict.fromkeys("burned burnt burning torched torching".split(), "burned"),
    **dict.fromkeys("damaged damaging vandalised vandalized".split(), "damaged"),
    **dict.fromkeys("destroyed destroying razed flattened".split(), "destroyed"),
    **dict.fromkeys("looted looting ransacked".split(), "looted"),
    **dict.fromkeys("evacuated evacuating".split(), "evacuated"),
    **dict.fromkeys("rescued rescuing".split(), "rescued"),
    **dict.fromkeys("hospitalised hospitalized".split(), "hospitalised"),
    **dict.fromkeys("displaced".split(), "displaced"),
}
CLAUSE_STOPS = _words("said says say saying told according after before when while because "
                       "since although though but whereas where if unless")
COORDINATORS = _words("and or including plus as well along with among them of whom which "
                       "while")
# "and"/"but" followed by one of these opens a new clause with its own subject.
CLAUSE_JOINERS = _words("and but or")
NEW_SUBJECT_STARTS = _words("that the a an its their his her this these those he she they it we")
POSSESSOR_RE = re.compile(r"^.*['\u2019]s? ")
# Words that make "in X ..." a subdivision of the event's area.
SUBDIVISIONS = _words("district districts province provinces region state county municipality department "
                       "governorate prefecture oblast upazila subdistrict borough parish township")
# Nouns that name a tally: "put the crowd at 18,000".
TALLY_NOUNS = {"crowd": "protesting", "turnout": "protesting", "attendance": "protesting"}
GATHERING_NOUNS = _words("rally rallies crowd crowds march marches demonstration "
                          "demonstrations protest protests gathering procession vigil")
POPULATION_NOUNS = _words("nation country city town region province state republic "
                           "population capital village island metropolis")


# Sentences worth tokenising: they hold a digit or a word that can start an amount.
CANDIDATE_RE = re.compile(
    r"\d|\b(?:"
    + "|".join(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty "
        "sixty seventy eighty ninety hundreds? thousands? millions? billions? dozens? "
        "scores several handful few".split()
    )
    + r")\b",
)


#: Words that start a time expression and so end a noun phrase ("jobs last month").
TIME_WORDS = MONTHS | WEEKDAYS | frozenset("last next yesterday today tonight overnight earlier ago previously".split())
