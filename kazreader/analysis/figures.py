"""Figures: the numbers a reader compares across outlets, and where they disagree.

:func:`extract_figures` finds every amount in the articles (digits, number
words, vague amounts such as "dozens"), decides what kind of number it is, and
for counts works out what is counted and what happened to it. Counts that
share a *measure* ("security forces killed") are compared across articles.

Kinds
    ``count`` (people, cars, ...), ``date`` (``January 19``, ``3 p.m.``,
    ``2022-01-06``), ``year`` (``in 1991``, ``the 1990s``), ``age``
    (``a 25-year-old``, ``aged 34``), ``percent`` (``10%``, ``10 per cent``),
    ``money`` (``$5 million``, ``€3bn``, ``5 billion tenge``) and ``other``
    (durations ``two-week``, ``180-day``; distances ``4,700 miles``; any number
    followed by a unit, and magnitudes). Ordinals ("first", "3rd") and numbers
    that are part of a name ("Khabar 24", "Khabar-24", "COVID-19",
    "Article 5") are not figures at all, nor is "one" used as a pronoun
    ("one of the", "no one") or a lone "one" that no event is attached to.

Qualifiers and the interval they imply (``low``/``high``; ``None`` = unbounded)
    ==============  ===========================================  ==================
    ``exact``       12                                           [12, 12]
    ``at_least``    at least, no fewer than, or more, a minimum  [n, None]
    ``more_than``   more than, over, upwards of, in excess of    [n + 1, None] (integers)
    ``about``       about, around, roughly, some, approximately,  [⌊0.9n⌋, ⌈1.1n⌉]
                    an estimated, or so
    ``nearly``      nearly, almost, close to, just under         [⌊0.9n⌋, n - 1] (integers)
    ``up_to``       up to, as many as, at most, no more than     [0, n]
                    fewer than, less than, under, below          [0, n - 1]
    ``vague``       dozens, hundreds, several, ...               see :mod:`.numbers`
                    a range: between 10 and 20, 10 to 20, 10-20  [10, 20]
    ==============  ===========================================  ==================

    For non-integers ``more_than``/``nearly`` use ``n`` as the (open) bound.
    A qualifier on a vague amount ("more than a dozen") applies to its point
    value when it has one; otherwise the figure stays ``vague``.

Measures
    A measure is ``"<counted group> <event>"``, e.g. ``"security forces killed"``,
    ``"people in intensive care"``, ``"vehicles burned"``. The counted noun
    phrase is normalised to a group (``security officers``, ``police
    officers``, ``members of the security forces`` → ``security forces``;
    ``people``/``persons``/``residents`` → ``people``; ``protesters``,
    ``demonstrators`` and ``rioters`` → ``protesters``, kept apart from
    ``people``; unknown nouns → their plural). The event is a verb class:

    ==================== ================================================
    killed               killed, dead, died, deaths, fatalities, eliminated,
                         beheaded, drowned, lost their lives, death toll
    wounded              wounded, injured, hurt, injuries, sought treatment
    seriously injured    seriously/critically injured, in a serious condition
    hospitalised         hospitalised/hospitalized, (treated) in hospital
    in intensive care    in intensive care, ICU
    detained             detained, arrested, (were) held, in custody, arrests
    sent                 sent, deployed, dispatched, mobilised
    burned               burned, burnt, torched, set on fire/alight/ablaze
    damaged / destroyed  damaged / destroyed, collapsed, flattened
    looted, missing, trapped, rescued, evacuated, displaced (homeless, fled),
    protesting (took to the streets, rallied, marched), on strike
    ==================== ================================================

    The event comes from the counted noun itself ("45 deaths"), from the verb
    right before the amount ("killing at least one person"), from the figure
    it is coordinated with ("killed dozens of demonstrators and 12 police
    officers", "120 cars, including 33 police vehicles"), from a tally named
    earlier in the clause ("the death toll rose to 41", "put the crowd at
    18,000", "the number of people evacuated at nearly 15,000") or from the
    rest of its clause ("Twelve security officers have been killed and 353
    wounded"). An elided noun ("353 wounded", "more than 200 had been
    detained") is taken from the previous figure of the sentence when it can
    suffer that event, else it is ``people``. ``nation of 19 million`` is the
    measure ``population``. Counts with no event have no measure. A figure in
    a sentence that names one other year ("in 1998, when 112 people died")
    gets it in its measure ("people killed in 1998"), so an old toll is not
    compared with today's. The event must come from the figure's own clause:
    a later clause with its own subject ("1,500 shelters had been opened and
    that 3,000 tonnes were sent") is not searched. A figure explicitly
    restricted to a subdivision ("in Kurigram alone", "in Dadu district",
    "in the province of Sindh") carries the place in its measure ("people
    killed in Kurigram"), so a regional subtotal is not compared with the
    whole event's toll; a bare "in Pakistan" is no restriction.

Disagreements
    Per measure, across at least two articles: ``conflict`` when two articles'
    intervals do not overlap (they cannot both be true: "nearly 400" vs
    "400"), else ``differ`` when two articles state different point values
    ("at least 8" vs "12"). Same number, different hedge ("about 1,000" vs
    "more than 1,000") is not a disagreement.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kazreader.analysis.numbers import (
    ORDINALS,
    SCALES,
    Amount,
    is_number_start,
    parse_amount,
)
from kazreader.corpus.model import Article
from kazreader.text import Token, sentence_spans, tokenize

__all__ = [
    "EVENTS",
    "KINDS",
    "QUALIFIERS",
    "VERSION",
    "Disagreement",
    "Figure",
    "FiguresResult",
    "extract_figures",
    "find_disagreements",
    "find_figures",
]

#: Bump when the output of :func:`extract_figures` changes.
VERSION = 3

QUALIFIERS = ("exact", "at_least", "more_than", "about", "nearly", "up_to", "vague")
KINDS = ("count", "date", "year", "age", "percent", "money", "other")


# --- result types -----------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One number in one article.

    ``text`` is the figure's words incl. its qualifier (``at least 8``), at
    ``[start, end)`` of the article text; ``sentence`` the sentence holding it
    (starting at ``sentence_start``). ``value`` is the stated number (``None``
    for vague amounts and dates), ``low``/``high`` the interval it implies
    (``None`` = unbounded). ``counted`` is the counted noun phrase as written
    (or inherited, or ``people`` when elided), ``event`` the event class and
    ``measure`` the comparison key; ``unit`` names the currency or unit of
    money and ``other`` figures.
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
            "qualifier": self.qualifier,
            "measure": self.measure,
            "counted": self.counted,
            "kind": self.kind,
            "sentence_start": self.sentence_start,
            "event": self.event,
            "unit": self.unit,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Figure:
        """Rebuild a figure from :meth:`to_json` output."""
        return cls(
            article=d["article"],
            start=d["start"],
            end=d["end"],
            text=d["text"],
            sentence=d.get("sentence", ""),
            value=_float(d.get("value")),
            low=_float(d.get("low")),
            high=_float(d.get("high")),
            qualifier=d.get("qualifier", "exact"),
            measure=d.get("measure"),
            counted=d.get("counted"),
            kind=d.get("kind", "count"),
            sentence_start=d.get("sentence_start", 0),
            event=d.get("event"),
            unit=d.get("unit"),
        )

    def overlaps(self, other: Figure) -> bool:
        """Whether the two figures' intervals can both be true."""
        lo = max(_lo(self), _lo(other))
        hi = min(_hi(self), _hi(other))
        return lo <= hi


@dataclass(frozen=True)
class Disagreement:
    """A measure whose figures from different articles conflict or differ.

    ``kind`` is ``"conflict"`` when some two articles' intervals cannot both be
    true, ``"differ"`` when they overlap but state different numbers.
    ``values`` holds every figure of the measure (one per distinct number and
    article), in article order.
    """

    measure: str
    values: tuple[Figure, ...]
    kind: str = "differ"

    def to_json(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "kind": self.kind,
            "values": [f.to_json() for f in self.values],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Disagreement:
        return cls(
            measure=d["measure"],
            values=tuple(Figure.from_json(v) for v in d["values"]),
            kind=d.get("kind", "differ"),
        )


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

    def for_article(self, article_id: str) -> tuple[Figure, ...]:
        """The figures of one article, in text order."""
        return tuple(f for f in self.figures if f.article == article_id)


def _num(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def _float(x: Any) -> float | None:
    return None if x is None else float(x)


def _lo(f: Figure) -> float:
    return -math.inf if f.low is None else f.low


def _hi(f: Figure) -> float:
    return math.inf if f.high is None else f.high


# --- lexicons ----------------------------------------------------------------


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# Qualifier phrases before the amount: (words, qualifier, strict upper bound).
_PRE_QUALIFIERS: list[tuple[tuple[str, ...], str, bool]] = sorted(
    [
        (tuple(p.split()), q, strict)
        for q, strict, phrases in [
            ("at_least", False, "at least|no fewer than|no less than|not less than|a minimum of"),
            ("more_than", False, "more than|over|upwards of|in excess of|above|just over|well over|"
                                 "well above|more then"),
            ("about", False, "about|around|roughly|some|approximately|an estimated|estimated|"
                             "circa|approx|about some|or about|an approximate"),
            ("nearly", False, "nearly|almost|close to|just under|just short of|nearly all of"),
            ("up_to", False, "up to|as many as|at most|no more than|not more than|a maximum of"),
            ("up_to", True, "fewer than|less than|under|below|just below"),
        ]
        for p in phrases.split("|")
    ],
    key=lambda t: -len(t[0]),
)
# ... indexed by their last word.
_PRE_QUALIFIER_INDEX: dict[str, list[tuple[tuple[str, ...], str, bool]]] = defaultdict(list)
for _q in _PRE_QUALIFIERS:
    _PRE_QUALIFIER_INDEX[_q[0][-1]].append(_q)

_MONTHS = _words(
    "january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec"
)
_WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
_CURRENCY_SYMBOLS = "$€£¥₸₽₹₴₺"
_CURRENCY_CODES = _words("usd eur gbp kzt rub cny jpy chf inr uah try us$")
_CURRENCY_WORDS = {
    **dict.fromkeys(("dollar", "dollars"), "dollars"),
    **dict.fromkeys(("euro", "euros"), "euros"),
    **dict.fromkeys(("tenge",), "tenge"),
    **dict.fromkeys(("rouble", "roubles", "ruble", "rubles"), "roubles"),
    **dict.fromkeys(("yuan", "renminbi"), "yuan"),
    **dict.fromkeys(("yen",), "yen"),
    **dict.fromkeys(("rupee", "rupees"), "rupees"),
    **dict.fromkeys(("franc", "francs"), "francs"),
    **dict.fromkeys(("sterling",), "pounds"),
    **dict.fromkeys(
        "hryvnia hryvnias manat lira lire som pesos peso lari dram zloty zlotys forint "
        "koruna krona kronor krone kroner rand reais real naira shekel shekels dinar dinars "
        "dirham dirhams riyal riyals ringgit baht won rupiah rial rials".split(),
        None,
    ),
    **{c: c.upper() for c in ("usd", "eur", "gbp", "kzt", "rub", "cny", "jpy", "chf", "inr")},
}
_TIME_UNITS = _words(
    "second seconds minute minutes hour hours day days night nights week weeks month "
    "months year years decade decades century centuries"
)
_OTHER_UNITS = _TIME_UNITS | _words(
    "mile miles km kms kilometre kilometres kilometer kilometers metre metres meter meters "
    "cm mm foot feet ft inch inches yard yards kg kilogram kilograms kilo kilos gram grams "
    "tonne tonnes ton tons litre litres liter liters gallon gallons barrel barrels bpd "
    "hectare hectares acre acres sq square degree degrees mph kph kmh magnitude points "
    "point times storey storeys story stories floor floors mw gw kw kwh megawatts "
    "gigawatts watts volts"
)
_TIME_OF_DAY = _words("am pm gmt utc bst cet est pst o'clock hrs hours_")
# Function words that end a counted noun phrase (and cannot name a thing).
_STOP = _words(
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
    "beneath below above throughout across off out up down"
)
# Words between the amount and its noun that do not belong to the noun phrase.
_NOUN_PREFIXES = _words("other more additional further extra")
# Verbs that a noun phrase cannot end with ("Thousands took to the streets").
_VERBS = _words("took take takes came come went go gave made make remain remained remains "
                "stay stayed got get became become turned showed appeared seemed tried "
                "lost left joined stood")
_DETERMINERS = _words("the these those its their his her our your my this that")
_PARTITIVE_HEADS = _words("members member units groups number numbers ranks")
_PRONOUN_OBJECTS = _words("whom them those which these us it they")
# Groups: canonical name and whether they are people ("human") or things.
_GROUPS: dict[str, tuple[str, str]] = {}


def _group(canonical: str, category: str, surfaces: str) -> None:
    for s in surfaces.split("|"):
        _GROUPS[s] = (canonical, category)


_group("people", "human", "people|persons|person|individuals|individual|residents|resident|"
       "inhabitants|inhabitant|citizens|citizen|victims|victim|bystanders|locals|souls|"
       "men|man|women|woman|others|lives")
_group("civilians", "human", "civilians|civilian")
_group("children", "human", "children|child|kids|minors|boys|girls")
_group("security forces", "human",
       "security forces|security force|security officers|security officer|police officers|"
       "police officer|policemen|policeman|policewomen|police|officers|officer|"
       "security personnel|law enforcement officers|law enforcement|riot police|gendarmes|"
       "guards|national guardsmen|guardsmen|cops|security servicemen")
_group("troops", "human", "troops|soldiers|soldier|servicemen|serviceman|peacekeepers|"
       "peacekeeper|paratroopers|contingents|military personnel|marines|personnel")
_group("protesters", "human", "protesters|protester|protestors|demonstrators|demonstrator|"
       "rioters|rioter|marchers|activists")
_group("attackers", "human", "attackers|attacker|assailants|assailant|militants|militant|"
       "gunmen|gunman|terrorists|terrorist|insurgents|extremists|bandits|fighters|looters")
_group("workers", "human", "workers|worker|employees|employee|staff|strikers|miners|"
       "miner|drivers|nurses|doctors|teachers")
_group("journalists", "human", "journalists|journalist|reporters|reporter")
_group("students", "human", "students|student|pupils")
_group("passengers", "human", "passengers|passenger")
_group("migrants", "human", "migrants|refugees|asylum seekers")
_group("vehicles", "thing", "cars|car|vehicles|vehicle|automobiles|trucks|truck|buses|bus|"
       "lorries")
_group("police vehicles", "thing", "police vehicles|police vehicle|police cars|police car")
_group("buildings", "thing", "buildings|building|structures|houses|house|homes|home|"
       "dwellings|apartment blocks|schools|mosques|churches")
_group("businesses", "thing", "businesses|business|shops|shop|stores|store|companies|"
       "enterprises|banks")

# Head nouns that are themselves an event: "45 deaths" = 45 people killed.
_EVENT_NOUNS: dict[str, str] = {
    **dict.fromkeys(("deaths", "fatalities", "bodies", "killings"), "killed"),
    **dict.fromkeys(("injuries",), "wounded"),
    **dict.fromkeys(("arrests", "detentions", "detainees"), "detained"),
    **dict.fromkeys(("evacuees",), "evacuated"),
    **dict.fromkeys(("hospitalisations", "hospitalizations"), "hospitalised"),
}

#: Event classes, their trigger phrases (``|``-separated; ``/`` alternatives
#: within a word slot) and whether they happen to people or things.
EVENTS: dict[str, tuple[str, str]] = {
    "killed": ("human", "killed|kill|kills|killing|dead|died|die|dies|dying|deaths|death toll|"
               "eliminated|eliminating|fatalities|beheaded|slain|perished|murdered|massacred|"
               "drowned|drowning|electrocuted|crushed to death|burned to death|"
               "lost/losing their/his/her lives/life|shot dead|toll"),
    "wounded": ("human", "wounded|wounding|injured|injuring|injure|injures|hurt|injuries|"
                "injury toll|sought/received/needed/required treatment|"
                "treated for injuries/wounds|treated at the scene"),
    "seriously injured": ("human", "seriously/severely/critically/gravely "
                          "injured/wounded/hurt|serious/critical/grave condition|seriously|"
                          "severely|critically"),
    "in intensive care": ("human", "intensive care|icu|intensive therapy"),
    "hospitalised": ("human", "hospitalised|hospitalized|hospitalising|hospitalizing|hospital|"
                     "hospitals|hospitalisation|hospitalization"),
    "detained": ("human", "detained|detaining|detain|arrested|arresting|arrest|arrests|"
                 "custody|apprehended|rounded up|detentions|jailed|imprisoned|"
                 "were/was/been/being/are/is held"),
    "sent": ("human", "sent|sending|send|sends|deployed|deploying|deploy|deploys|dispatched|"
             "dispatching|dispatch|mobilised|mobilized|mobilising|mobilizing|stationed"),
    "burned": ("thing", "burned|burnt|burning|torched|torching|set on fire|set alight|"
               "set ablaze|set/sets/setting them/it on fire|went up in flames|"
               "set fire to|gutted by fire"),
    "damaged": ("thing", "damaged|damaging|vandalised|vandalized|smashed"),
    "destroyed": ("thing", "destroyed|destroying|collapsed|flattened|razed|levelled|leveled"),
    "looted": ("thing", "looted|looting|ransacked|pillaged"),
    "missing": ("human", "missing|unaccounted for|disappeared"),
    "trapped": ("human", "trapped|buried under|buried in|stuck under"),
    "rescued": ("human", "rescued|rescuing|pulled alive|pulled from|saved|freed"),
    "evacuated": ("human", "evacuated|evacuating|evacuate|evacuation"),
    "displaced": ("human", "displaced|homeless|fled|fleeing|flee|without shelter|"
                  "lost/lose/losing their homes|without a home|from their homes|out of their homes|sheltering|"
                  "in shelters/camps|in relief/evacuation camps/centres/centers"),
    "protesting": ("human", "took/take/taken/taking/takes to the streets|rallied|rallying|"
                   "rally|rallies|march|marches|protest|protests|demonstrate|"
                   "marched|marching|protested|protesting|demonstrated|gathered|gathering|"
                   "joined/join/joining the protests/protest/rally/rallies/march/marches/"
                   "demonstration/demonstrations"),
    "on strike": ("human", "on strike|went/go/going/gone on strike|striking|walked out|"
                  "walked off the job|stopped work|downed tools|joined/join/joining the strike"),
}


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


_EVENT_INDEX = _compile_events()
_EVENT_CATEGORY = {e: cat for e, (cat, _) in EVENTS.items()}
_EVENT_WORDS = frozenset(_EVENT_INDEX) - _words("set took take taken taking takes went go "
                                                "going gone joined join joining lost losing "
                                                "were was been being are is pulled buried "
                                                "stuck walked stopped downed on rounded "
                                                "unaccounted critical serious intensive death "
                                                "injury shot gutted without lose lost losing "
                                                "seriously severely critically gravely "
                                                "serious grave")
# Active verbs right before the amount: "killing at least one person".
_OBJECT_VERBS: dict[str, str] = {
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
_CLAUSE_STOPS = _words("said says say saying told according after before when while because "
                       "since although though but whereas where if unless")
_COORDINATORS = _words("and or including plus as well along with among them of whom which "
                       "while")
# "and"/"but" followed by one of these opens a new clause with its own subject.
_CLAUSE_JOINERS = _words("and but or")
_NEW_SUBJECT_STARTS = _words("that the a an its their his her this these those he she they it we")
_POSSESSOR_RE = re.compile(r"^.*['\u2019]s? ")
# Words that make "in X ..." a subdivision of the event's area.
_SUBDIVISIONS = _words("district districts province provinces region state county municipality department "
                       "governorate prefecture oblast upazila subdistrict borough parish township")
# Nouns that name a tally: "put the crowd at 18,000".
_TALLY_NOUNS = {"crowd": "protesting", "turnout": "protesting", "attendance": "protesting"}
_GATHERING_NOUNS = _words("rally rallies crowd crowds march marches demonstration "
                          "demonstrations protest protests gathering procession vigil")
_POPULATION_NOUNS = _words("nation country city town region province state republic "
                           "population capital village island metropolis")

# Sentences worth tokenising: they hold a digit or a word that can start an amount.
_CANDIDATE_RE = re.compile(
    r"\d|\b(?:"
    + "|".join(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty "
        "sixty seventy eighty ninety hundreds? thousands? millions? billions? dozens? "
        "scores several handful few".split()
    )
    + r")\b",
)


# --- extraction ----------------------------------------------------------------


@dataclass
class _Cand:
    """A figure being built from one amount of one sentence."""

    amount: Amount
    q_start: int  # first token (qualifier included)
    end: int  # token after the amount (and its unit / percent / currency words)
    char_end: int  # end of the figure's text, relative to the sentence
    qualifier: str = "exact"
    strict: bool = False
    kind: str = "count"
    unit: str | None = None
    counted: str | None = None
    group: str | None = None
    category: str | None = None
    phrase_end: int = 0  # token after the counted noun phrase
    event: str | None = None
    partitive: bool = False
    superset_event: str | None = None  # "nearly 60 of the injured": wounded
    era: str | None = None  # "in 1998, when 112 people died"
    population: bool = False
    scope: str | None = None  # "15 people drowned in Kurigram alone": a regional subtotal
    char_start: int | None = None  # a currency symbol before the first token


class _Sentence:
    """The tokens of one sentence and the gaps between them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Token] = tokenize(text)
        self.words = [t.norm for t in self.tokens]
        ends = [0, *(t.end for t in self.tokens)]
        starts = [0, *(t.start for t in self.tokens[1:]), len(text)]
        # gaps[i]: the characters between token i - 1 and token i.
        self.gaps = [""] + [text[e:b] for e, b in zip(ends[1:], starts[1:])]

    def __len__(self) -> int:
        return len(self.tokens)

    def word(self, i: int) -> str:
        return self.words[i] if 0 <= i < len(self.words) else ""

    def gap(self, i: int) -> str:
        """The characters between token ``i - 1`` and token ``i``."""
        return self.gaps[i] if 0 < i < len(self.gaps) else ""

    def is_capitalised(self, i: int) -> bool:
        return 0 <= i < len(self.tokens) and self.text[self.tokens[i].start].isupper()

    def phrase(self, i: int, j: int) -> str:
        return self.text[self.tokens[i].start:self.tokens[j - 1].end] if j > i else ""

    def match(self, i: int, words: Sequence[str], sep: str = " -") -> bool:
        """Whether tokens from ``i`` spell *words*, separated only by *sep* characters."""
        if i < 0 or i + len(words) > len(self.words):
            return False
        for k, w in enumerate(words):
            if self.words[i + k] != w:
                return False
            if k and self.gap(i + k).strip(sep):
                return False
        return True


def find_figures(article: Article) -> list[Figure]:
    """Every figure of one article, in text order."""
    out: list[Figure] = []
    text = article.text
    year = article.date[:4] if article.date else None
    hits = [m.start() for m in _CANDIDATE_RE.finditer(text.lower())]
    if not hits:
        return out
    for s_start, s_end in sentence_spans(text):
        h = bisect_left(hits, s_start)
        if h == len(hits) or hits[h] >= s_end:
            continue
        seg = text[s_start:s_end]
        sent = _Sentence(seg)
        for c in _sentence_candidates(sent, year):
            start = sent.tokens[c.q_start].start if c.char_start is None else c.char_start
            value = c.amount.value
            low, high = _interval(c)
            out.append(
                Figure(
                    article=article.id,
                    start=s_start + start,
                    end=s_start + c.char_end,
                    text=seg[start:c.char_end],
                    sentence=seg,
                    value=None if c.kind == "date" else value,
                    low=None if c.kind == "date" else low,
                    high=None if c.kind == "date" else high,
                    qualifier=c.qualifier,
                    measure=_measure(c),
                    counted=c.counted,
                    kind=c.kind,
                    sentence_start=s_start,
                    event=c.event,
                    unit=c.unit,
                )
            )
    return out


def _interval(c: _Cand) -> tuple[float | None, float | None]:
    a = c.amount
    if c.qualifier == "vague" or a.value is None:
        return _f(a.low), _f(a.high)
    v = float(a.value)
    whole = v.is_integer() and c.kind == "count"
    match c.qualifier:
        case "at_least":
            return v, None
        case "more_than":
            return (v + 1 if whole else v), None
        case "about":
            return float(math.floor(round(0.9 * v, 6))), float(math.ceil(round(1.1 * v, 6)))
        case "nearly":
            return float(math.floor(round(0.9 * v, 6))), (v - 1 if whole else v)
        case "up_to":
            return 0.0, (v - 1 if c.strict and whole and c.kind == "count" else v)
    return v, v


def _f(x: float | None) -> float | None:
    return None if x is None else float(x)


def _measure(c: _Cand) -> str | None:
    if c.kind != "count":
        return None
    if c.population:
        return "population"
    if c.event is None:
        return None
    measure = f"{c.group or 'people'} {c.event}"
    if c.era:
        measure = f"{measure} in {c.era}"
    return f"{measure} in {c.scope}" if c.scope else measure


def _sentence_candidates(s: _Sentence, year: str | None = None) -> list[_Cand]:
    cands: list[_Cand] = []
    i = 0
    n = len(s)
    while i < n:
        w = s.words[i]
        amount = parse_amount(s.words, i) if is_number_start(w) else None
        if amount is None:
            i += 1
            continue
        c = _classify(s, amount)
        if c is not None:
            cands.append(c)
        i = max(amount.end, c.end if c else 0)
    counts = [c for c in cands if c.kind == "count"]
    for k, c in enumerate(counts):
        _find_counted(s, c)
    for k, c in enumerate(counts):
        prev = counts[k - 1] if k else None
        nxt_start = counts[k + 1].q_start if k + 1 < len(counts) else len(s)
        _find_event(s, c, prev, nxt_start)
    # "5 people and 3 dogs were rescued": the event reaches back over "and".
    for k in range(len(counts) - 2, -1, -1):
        c, nxt = counts[k], counts[k + 1]
        if c.event is None and nxt.event and _coordinated(s, c, nxt):
            c.event = nxt.event
    # A past event named by its year: "in 1998, when 112 people died".
    eras = [
        s.words[c.amount.start]
        for c in cands
        if c.kind == "year"
        and (s.word(c.q_start - 1) == "in" or (s.word(c.q_start - 1) == "since" and s.word(c.end) == "when"))
        and s.words[c.amount.start] != year
    ]
    if len(set(eras)) == 1:
        for c in counts:
            if c.event:
                c.era = eras[0]
    for k, c in enumerate(counts):
        if c.event:
            lo = counts[k - 1].end if k else 0
            hi = counts[k + 1].q_start if k + 1 < len(counts) else len(s)
            c.scope = _scope(s, c, lo, hi)
    return [c for c in cands if not _is_idle_one(s, c)]


def _is_idle_one(s: _Sentence, c: _Cand) -> bool:
    """A lone spelled "one" with nothing happening to it is not a figure."""
    return (
        c.kind == "count"
        and c.amount.spelled
        and c.amount.value == 1
        and c.event is None
        and c.qualifier == "exact"
    )


def _classify(s: _Sentence, a: Amount) -> _Cand | None:
    """Qualifier, kind and extent of the amount, or ``None`` if it is no figure."""
    i, j = a.start, a.end
    text = s.text
    w0 = s.words[i]
    digits = w0[:1].isdigit()
    c = _Cand(amount=a, q_start=i, end=j, char_end=s.tokens[j - 1].end)
    after = text[c.char_end:c.char_end + 12]
    nw = s.word(j)

    # Ordinals ("3rd", "first") and ranks.
    if digits and nw in ("st", "nd", "rd", "th") and not s.gap(j):
        if s.word(i - 1) in _MONTHS and s.is_capitalised(i - 1):
            return _extend(s, c, i - 1, j + 1, "date")
        return None
    if w0 in ORDINALS:
        return None

    # Pronoun "one": "one of the", "no one", "the one", "one another".
    if w0 == "one" and j == i + 1:
        if nw in ("of", "another", "day", "night", "time", "way", "side", "thing") or s.word(i - 1) in (
            "no", "the", "this", "that", "any", "every", "each", "which", "someone", "anyone"
        ):
            return None

    _pre_qualifier(s, c)
    qualified = c.qualifier != "exact"
    if a.vague and c.qualifier in ("exact", "about"):
        c.qualifier = "vague"

    # Times of day and dates.
    if digits:
        if after.startswith(":") and s.word(j)[:1].isdigit() and not s.gap(j).strip(":"):
            k = j + 1
            if s.word(k) in _TIME_OF_DAY:
                k += 1
            elif s.word(k) in ("a", "p") and s.word(k + 1) == "m":
                k += 2
            return _extend(s, c, c.q_start, k, "date", dot=k > j + 1)
        if nw in _TIME_OF_DAY or (nw in ("a", "p") and s.word(j + 1) == "m"):
            return _extend(s, c, c.q_start, j + (2 if nw in ("a", "p") else 1), "date", dot=True)
        if s.word(i - 1) in _MONTHS and s.is_capitalised(i - 1) and not s.gap(i).strip(" ."):
            end = j + 1 if _is_year_token(s, j) and s.gap(j).strip() in (",", "") else j
            return _extend(s, c, i - 1, end, "date")
        if nw in _MONTHS and s.is_capitalised(j) and s.gap(j) == " ":
            end = j + 2 if _is_year_token(s, j + 1) else j + 1
            return _extend(s, c, i, end, "date")
        if (
            len(w0) == 4
            and s.gap(j) == "-"
            and s.word(j).isdigit()
            and len(s.word(j)) == 2
            and s.gap(j + 1) == "-"
            and s.word(j + 1).isdigit()
        ):
            return _extend(s, c, i, j + 2, "date")

        # Part of a name: "Khabar 24", "Khabar-24", "COVID-19", "Article 5".
        p = i - 1
        if (
            not qualified
            and p >= 0
            and s.is_capitalised(p)
            and s.gap(i) in (" ", "-")
            and s.words[p] not in _STOP
            and s.words[p] not in _MONTHS
            and s.words[p] not in _WEEKDAYS
            and s.words[p] not in _COORDINATORS
            and not s.words[p].endswith("'s")
            and not s.words[p].isdigit()
        ):
            return None
        if s.word(i - 1) in ("no", "nos", "number") and s.gap(i).strip(" ."):
            return None

    # Percentages.
    if after.lstrip().startswith("%"):
        c.char_end += after.index("%") + 1
        c.kind, c.unit = "percent", "%"
        return c
    if nw in ("percent", "pct") or s.match(j, ("per", "cent")):
        return _extend(s, c, c.q_start, j + (2 if nw == "per" else 1), "percent", unit="%")
    if s.match(j, ("percentage", "points")) or s.match(j, ("percentage", "point")):
        return _extend(s, c, c.q_start, j + 2, "percent", unit="percentage points")

    # Money: "$5 million", "€3bn", "US$5", "5 billion tenge", "USD 5".
    before = text[:s.tokens[i].start].rstrip()
    if before and before[-1] in _CURRENCY_SYMBOLS and (
        len(before) < 2 or not before[-2].isdigit()
    ):
        sym_at = len(before) - 1
        if sym_at >= 2 and text[sym_at - 2:sym_at].upper() == "US":
            sym_at -= 2
        c.unit = {"$": "dollars", "€": "euros", "£": "pounds", "¥": "yen", "₸": "tenge",
                  "₽": "roubles", "₹": "rupees"}.get(before[-1], before[-1])
        c.kind = "money"
        if c.q_start == i:
            c.char_start = sym_at
        return c
    if s.word(i - 1) in _CURRENCY_CODES and c.q_start == i and s.gap(i).strip() == "":
        c.unit = s.words[i - 1].upper()
        c.kind = "money"
        c.q_start = i - 1
        return c
    if nw in _CURRENCY_WORDS and s.gap(j).strip() == "":
        return _extend(s, c, c.q_start, j + 1, "money", unit=_CURRENCY_WORDS[nw] or nw)
    if nw == "us" and s.word(j + 1) in ("dollars", "dollar"):
        return _extend(s, c, c.q_start, j + 2, "money", unit="dollars")

    # Ages: "25-year-old", "25 years old", "aged 25".
    if s.match(j, ("year", "old")) or s.match(j, ("years", "old")):
        return _extend(s, c, c.q_start, j + 2, "age", unit="years")
    if s.word(c.q_start - 1) in ("aged", "age") or (
        s.word(c.q_start - 2) == "age" and s.word(c.q_start - 1) in ("of", "to", "at")
    ):
        c.kind, c.unit = "age", "years"
        return c

    if (
        digits
        and c.q_start == i
        and s.gap(i) == ", "
        and s.is_capitalised(i - 1)
        and s.words[i - 1] not in _STOP
        and after.startswith(",")
        and a.value is not None
        and 1 <= a.value <= 120
    ):
        c.kind, c.unit = "age", "years"
        return c

    # Ranges: "between 10 and 20", "10 to 20", "10-20" (not "from 8 to 12": a change).
    _range(s, c)

    # Ratios: "one in five", "3 out of 10".
    k = j + 1 if nw == "in" else j + 2 if s.match(j, ("out", "of")) else 0
    ratio = parse_amount(s.words, k) if k and is_number_start(s.word(k)) else None
    if (
        ratio is not None
        and a.value
        and ratio.value
        and a.value < ratio.value <= 1000
        and not _is_year_token(s, k)
    ):
        v = round(100 * a.value / ratio.value, 2)
        c.amount = Amount(i, ratio.end, v, v, v, spelled=a.spelled)
        return _extend(s, c, c.q_start, ratio.end, "percent", unit="%")

    # Units: "two-week", "180-day", "4,700 miles", "6.2-magnitude".
    if nw in _OTHER_UNITS and s.gap(j) in (" ", "-", ""):
        if w0 in ("a", "an") or (w0 == "one" and nw in _TIME_UNITS and s.gap(j) == " "):
            return None  # "a day", "one week": idiom, not a figure
        return _extend(s, c, c.q_start, j + 1, "other", unit=nw)
    if after.startswith("°") or (nw in ("c", "f") and not s.gap(j)):
        return _extend(s, c, c.q_start, j + (nw in ("c", "f")), "other", unit="degrees")
    if s.word(c.q_start - 1) == "magnitude":
        c.kind, c.unit = "other", "magnitude"
        return c

    # Years: "in 1991", "the 1990s".
    if digits and len(w0) == 4 and w0.isdigit() and 1000 <= int(w0) <= 2100 and j == i + 1:
        if nw == "s" and not s.gap(j):
            return _extend(s, c, i, j + 1, "year")
        if not qualified and _GROUPS.get(nw, ("", ""))[1] != "human" and nw not in _EVENT_NOUNS:
            c.kind = "year"
            return c

    # Post-qualifiers: "1,000 or more", "200 or so", "1,000-plus".
    if c.qualifier in ("exact", "vague") and not a.vague:
        if s.match(j, ("or", "more")):
            c.qualifier, c.end, c.char_end = "at_least", j + 2, s.tokens[j + 1].end
        elif s.match(j, ("or", "so")):
            c.qualifier, c.end, c.char_end = "about", j + 2, s.tokens[j + 1].end
        elif nw == "plus" and s.gap(j) in ("-", ""):
            c.qualifier, c.end, c.char_end = "more_than", j + 1, s.tokens[j].end
    return c


def _range(s: _Sentence, c: _Cand) -> None:
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
    low = a.value
    scale = s.words[other.end - 1]
    if j - i == 1 and other.end - k > 1 and scale in SCALES:
        low *= SCALES[scale]  # "between 2 and 3 million"
    if not low < other.value:
        return
    c.amount = Amount(c.q_start, other.end, None, low, other.value, vague=True, spelled=a.spelled)
    c.q_start = i - 1 if between else c.q_start
    c.qualifier = "vague"
    c.end = other.end
    c.char_end = s.tokens[other.end - 1].end


def _is_year_token(s: _Sentence, k: int) -> bool:
    w = s.word(k)
    return len(w) == 4 and w.isdigit() and 1000 <= int(w) <= 2100


def _extend(
    s: _Sentence, c: _Cand, start: int, end: int, kind: str, unit: str | None = None,
    dot: bool = False,
) -> _Cand:
    c.q_start = min(c.q_start, start)
    c.end = end
    c.char_end = s.tokens[end - 1].end
    if dot and s.text[c.char_end:c.char_end + 1] == ".":
        c.char_end += 1
    c.kind = kind
    c.unit = unit if unit is not None else c.unit
    return c


def _pre_qualifier(s: _Sentence, c: _Cand) -> None:
    i = c.amount.start
    gap = s.gap(i)
    if gap.strip(" " + _CURRENCY_SYMBOLS):
        return
    for words, qualifier, strict in _PRE_QUALIFIER_INDEX.get(s.word(i - 1), ()):
        k = i - len(words)
        if k >= 0 and s.match(k, words, sep=" "):
            if words == ("some",) and s.word(k - 1) in ("of", "for"):
                continue
            if words == ("over",) and s.word(c.end) in _TIME_UNITS and s.word(k - 1) not in (
                "for", "in", "since"
            ):
                continue  # "a rise over two years": during, not more than
            c.qualifier, c.strict, c.q_start = qualifier, strict, k
            return


def _find_counted(s: _Sentence, c: _Cand) -> None:
    """The counted noun phrase after the amount: "security officers", "people"."""
    j = c.end
    if s.word(c.q_start - 1) == "of" and s.word(c.q_start - 2) in _POPULATION_NOUNS:
        c.population = True
    if s.word(j) == "of" and not s.gap(j).strip():
        k = j + 1
        if s.word(k) in _PRONOUN_OBJECTS:
            c.partitive = True
            c.phrase_end = k + 1
            return
        while s.word(k) in _DETERMINERS:
            k += 1
        event = _event_at(s, k)
        if event and k > j + 1:
            c.partitive, c.superset_event, c.phrase_end = True, event, k + 1
            return
        j = k
    elif s.gap(j).strip(" -"):
        c.phrase_end = j
        return
    while s.word(j) in _NOUN_PREFIXES and not s.gap(j).strip():
        j += 1
    start, end = _noun_run(s, j)
    if end > start and s.words[end - 1] in _PARTITIVE_HEADS and s.word(end) == "of":
        k = end + 1
        while s.word(k) in _DETERMINERS:
            k += 1
        inner_start, inner_end = _noun_run(s, k)
        if inner_end > inner_start:
            _set_counted(s, c, start, inner_end, inner_start)
            return
    if end > start:
        _set_counted(s, c, start, end, start)
    else:
        c.phrase_end = j


def _noun_run(s: _Sentence, j: int) -> tuple[int, int]:
    """Tokens ``[j, k)`` forming a noun phrase (no function or event words)."""
    k = j
    while k < len(s) and k - j < 4:
        w = s.words[k]
        if k > j and s.gap(k) not in (" ", "-"):
            break
        if w in _STOP or w[:1].isdigit() or w in _EVENT_WORDS and w not in _EVENT_NOUNS:
            break
        if w in _OTHER_UNITS and k == j or k > j and _looks_verbal(w):
            break
        k += 1
    while k > j and _looks_verbal(s.words[k - 1]):
        k -= 1
    return j, k


def _looks_verbal(word: str) -> bool:
    """A word that ends a clause's subject rather than naming it ("took", "stormed")."""
    if word in _GROUPS or word in _EVENT_NOUNS:
        return False
    return word in _VERBS or (len(word) > 4 and word.endswith("ed"))


def _set_counted(s: _Sentence, c: _Cand, start: int, end: int, inner: int) -> None:
    c.counted = s.phrase(start, end)
    c.phrase_end = end
    words = s.words[inner:end]
    head = words[-1]
    if head in _EVENT_NOUNS:
        c.event = _EVENT_NOUNS[head]
        c.group, c.category = "people", "human"
        return
    two = " ".join(words[-2:])
    for key in (two, head):
        if key in _GROUPS:
            c.group, c.category = _GROUPS[key]
            return
    if head.endswith("workers") or head.endswith("worker"):
        c.group, c.category = "workers", "human"
        return
    c.group = _plural(head) if c.amount.value == 1 else head
    c.category = None


def _plural(word: str) -> str:
    irregular = {"person": "people", "man": "men", "woman": "women", "child": "children"}
    if word in irregular:
        return irregular[word]
    if word.endswith("s"):
        return word
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("sh", "ch", "x", "z")):
        return word + "es"
    return word + "s"


def _coordinated(s: _Sentence, a: _Cand, b: _Cand) -> bool:
    """Whether *b* follows *a* joined only by "and", "including", commas..."""
    start = max(a.phrase_end, a.end)
    if b.q_start < start:
        return False
    between = s.words[start:b.q_start]
    if any(w not in _COORDINATORS for w in between):
        return False
    punct = "".join(s.gap(k) for k in range(start + (1 if start else 0), b.q_start + 1))
    return not punct.strip(" ,\n-–—")


def _find_event(s: _Sentence, c: _Cand, prev: _Cand | None, stop: int) -> None:
    # Elided noun ("353 wounded", "400 of whom"): take the previous figure's,
    # decided after the event is known.
    if c.event is None:
        verb = s.word(c.q_start - 1)
        if verb in _OBJECT_VERBS and not s.gap(c.q_start).strip():
            c.event = _OBJECT_VERBS[verb]
    if c.event is None and prev is not None and prev.event and _coordinated(s, prev, c):
        c.event = prev.event
    if c.event is None and s.word(c.q_start - 1) == "of" and s.word(c.q_start - 2) in _GATHERING_NOUNS:
        c.event = "protesting"
    if c.event is None and c.counted is None:
        c.event = _toll_before(s, c.q_start)
        if c.event is None:
            _number_of_before(s, c)
    if c.event is None:
        c.event = _event_after(s, max(c.phrase_end, c.end), stop) or c.superset_event
    if c.counted is None and not c.population:
        want = _EVENT_CATEGORY.get(c.event or "", "human")
        if prev is not None and prev.counted and prev.category in (want, None) and (
            c.partitive or c.event is not None
        ):
            c.counted, c.group, c.category = prev.counted, prev.group, prev.category
        elif c.event is not None and want == "human":
            c.counted, c.group, c.category = "people", "people", "human"


def _event_after(s: _Sentence, j: int, stop: int) -> str | None:
    """The first event phrase in the clause after token *j* (before *stop*).

    A coordinated clause with its own subject ("... opened and that 3,000
    tonnes were sent", "... and the army sent") is another clause.
    """
    k = j
    limit = min(stop, j + 16, len(s))
    while k < limit:
        if k > j and any(ch in s.gap(k) for ch in ";:()[]"):
            return None
        if s.words[k] in _CLAUSE_STOPS:
            return None
        if k > j and s.words[k] in _CLAUSE_JOINERS and s.word(k + 1) in _NEW_SUBJECT_STARTS:
            return None
        event = _event_at(s, k)
        if event:
            return event
        k += 1
    return None


def _event_at(s: _Sentence, k: int) -> str | None:
    """The event phrase starting at token *k*, if any ("March 3" is no march)."""
    if s.word(k) in _MONTHS and s.is_capitalised(k):
        return None
    for slots, event in _EVENT_INDEX.get(s.word(k), ()):
        if all(s.word(k + m) in slot for m, slot in enumerate(slots)):
            return event
    return None


def _number_of_before(s: _Sentence, c: _Cand) -> None:
    """"the number of people evacuated at nearly 15,000": counted and event before."""
    for k in range(c.q_start - 2, max(-1, c.q_start - 14), -1):
        if any(ch in s.gap(k + 2) for ch in ";:()"):
            return
        if s.words[k] == "number" and s.word(k + 1) == "of":
            start, end = _noun_run(s, k + 2)
            if end > start:
                _set_counted(s, c, start, end, start)
                c.phrase_end = max(c.end, c.phrase_end)
                c.event = c.event or _event_after(s, end, c.q_start)
            return


def _clause_bounds(s: _Sentence, c: _Cand, lo: int, hi: int) -> tuple[int, int]:
    """Token range of the clause holding *c*, within ``[lo, hi)``."""
    start = c.q_start
    while start > lo and not any(ch in s.gap(start) for ch in ";:()") and s.words[start - 1] not in _CLAUSE_STOPS:
        start -= 1
    end = max(c.end, c.phrase_end)
    while end < hi and not any(ch in s.gap(end) for ch in ";:()") and s.words[end] not in _CLAUSE_STOPS and not (
        s.words[end] in _CLAUSE_JOINERS and s.word(end + 1) in _NEW_SUBJECT_STARTS
    ):
        end += 1
    return start, end


def _caps_run(s: _Sentence, k: int, end: int) -> int:
    """End of the run of capitalised tokens from *k* (single-spaced), at most *end*."""
    j = k
    while j < end and s.is_capitalised(j) and (j == k or s.gap(j) in (" ", "-")):
        j += 1
    return j


def _scope(s: _Sentence, c: _Cand, lo: int, hi: int) -> str | None:
    """The place a figure is explicitly restricted to, if any.

    "in Kurigram alone" (anywhere in the figure's clause), "in Dadu district"
    or "in the province of Sindh" (opening the clause, or right after the
    figure's phrase): a subdivision's subtotal, not the whole event's. A bare
    "in Pakistan", or a subdivision naming where the whole event happened
    mid-clause ("swept through villages in Sindh province, forcing 40,000
    ..."), is no restriction.
    """
    start, end = _clause_bounds(s, c, lo, hi)
    phrase_end = max(c.end, c.phrase_end)
    for k in range(start, end):
        if s.words[k] != "in" or c.q_start <= k < phrase_end:
            continue
        placed = k == start or phrase_end <= k <= phrase_end + 4
        m = k + 1 + (s.word(k + 1) == "the")
        place = None
        if s.word(m) in _SUBDIVISIONS and s.word(m + 1) == "of":
            e = _caps_run(s, m + 2, end)
            if e > m + 2 and (placed or s.word(e) == "alone"):
                place = s.phrase(m + 2, e)
        elif (e := _caps_run(s, m, end)) > m:
            if s.word(e) == "alone" or (placed and s.word(e) in _SUBDIVISIONS and not s.is_capitalised(e)):
                place = s.phrase(m, e)
            elif placed and e - m >= 2 and s.words[e - 1] in _SUBDIVISIONS:
                place = s.phrase(m, e - 1)  # "in Dadu District"
        if place:
            return _POSSESSOR_RE.sub("", place)  # "Pakistan's Sindh" -> "Sindh"
    return None


def _toll_before(s: _Sentence, i: int) -> str | None:
    """A tally named earlier in the clause: "the death toll rose to 45",
    "the ministry put the crowd at 18,000"."""
    for k in range(i - 1, max(-1, i - 13), -1):
        if any(ch in s.gap(k + 1) for ch in ";:()"):
            return None
        w = s.words[k]
        if w == "toll":
            return "wounded" if s.word(k - 1) in ("injury", "casualty") else "killed"
        if w in _TALLY_NOUNS:
            return _TALLY_NOUNS[w]
    return None


# --- disagreements -------------------------------------------------------------


def find_disagreements(figures: Iterable[Figure]) -> list[Disagreement]:
    """Measures on which articles conflict or differ (see the module docstring)."""
    by_measure: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        if f.kind == "count" and f.measure:
            by_measure[f.measure].append(f)
    out: list[Disagreement] = []
    for measure, figs in by_measure.items():
        if len({f.article for f in figs}) < 2:
            continue
        seen: set[tuple[str, float | None, float | None, float | None]] = set()
        values = []
        for f in figs:
            key = (f.article, f.value, f.low, f.high)
            if key not in seen:
                seen.add(key)
                values.append(f)
        kind = _disagreement_kind(values)
        if kind is None:
            continue
        out.append(Disagreement(measure, tuple(values), kind))
    out.sort(key=lambda d: (d.kind != "conflict", d.measure))
    return out


def _disagreement_kind(figs: Sequence[Figure]) -> str | None:
    """"conflict", "differ" or ``None`` for one measure's figures (linear time)."""
    max_low: dict[str, float] = {}
    min_high: dict[str, float] = {}
    values: dict[str, set[float]] = defaultdict(set)
    for f in figs:
        max_low[f.article] = max(max_low.get(f.article, -math.inf), _lo(f))
        min_high[f.article] = min(min_high.get(f.article, math.inf), _hi(f))
        if f.value is not None:
            values[f.article].add(f.value)
    # Two articles conflict when one's highest low exceeds the other's lowest high.
    lows = sorted(max_low.items(), key=lambda t: -t[1])[:2]
    highs = sorted(min_high.items(), key=lambda t: t[1])[:2]
    if any(a != b and lo > hi for a, lo in lows for b, hi in highs):
        return "conflict"
    stated = [v for v in values.values() if v]
    if len(stated) >= 2 and len(set().union(*stated)) >= 2:
        return "differ"
    return None


def extract_figures(articles: Sequence[Article]) -> FiguresResult:
    """Every figure of *articles* (in article, then text order) and their disagreements."""
    figures: list[Figure] = []
    for article in articles:
        figures.extend(find_figures(article))
    return FiguresResult(tuple(figures), tuple(find_disagreements(figures)))
