"""A measure for every figure, built from its sentence: noun, predicate, place and time.

After :mod:`.counted` has read the counted noun phrase and any casualty-style
event, :func:`build_measures` completes each comparable figure:

* ``noun``: the counted group ("security officers" -> ``security forces``,
  "job gains" -> ``jobs``) or, for a percentage or a sum, what it is of: the
  noun after it ("25 percent tariffs", "$60 billion of US imports", "in aid")
  or the measure noun before it in its clause ("the unemployment rate ticked
  up to 7.9 percent");
* ``predicate``: the event, else the verb that governs the amount ("employers
  added 148,000 jobs", "171,000 jobs were added"), normalised through the
  ``[predicates]`` table (killed/dead/died -> ``killed``); a verb the table does
  not know is kept as written. A level reached or stated ("rose to 7.9
  percent", "averaged 171,000", "was 4.1 %") has none;
* ``place``: a subdivision it is restricted to ("in Kurigram alone", which
  the measure's words name too) or else the place its clause names ("killed
  in Gaza", "a bombing in Karachi killed 150"), used when comparing;
* ``time``: the time its clause names ("in October", "on Sunday", "so far",
  "in 2016").

:func:`measure_words` says the parts in words; the comparison key is in
:mod:`.compare`.
"""

from __future__ import annotations

import re

from kazreader.analysis.figures import lexicon
from kazreader.analysis.figures.counted import caps_run, clause_bounds, find_counted, has_object, noun_run, plural
from kazreader.analysis.figures.words import CLAUSE_STOPS
from kazreader.analysis.figures.model import COMPARED_KINDS, QuantityKind
from kazreader.analysis.figures.sentence import Cand, Sentence
from kazreader.analysis.figures.words import CURRENCY_SYMBOLS, DETERMINERS, EVENT_CATEGORY, GROUPS, MONTHS, STOP, WEEKDAYS

__all__ = ["PREVIOUS", "build_measures", "measure_words", "noun_group"]

_AUXILIARIES = frozenset("were was have had been are is being has be will would could".split())
_LEVEL_PREPOSITIONS = frozenset("to at from by of".split())
_TIME_PREPOSITIONS = frozenset("in on since during by through until as of for".split())
_SET_MODIFIERS = frozenset("remaining additional further other extra".split())
POSSESSIVE_RE = re.compile(r"['\u2019]s?$")
#: Heads that say little alone: the word before them is what is measured ("death rate", "annual rate"); so
#: do the verbal nouns of the ``[predicates]`` ("tax increases", "spending cuts").
_GENERIC_HEADS = frozenset("rate rates share index level".split())
_PERIODS = {"day": "daily", "week": "weekly", "month": "monthly", "year": "yearly", "hour": "hourly"}
_MONEY_LINKS = (("worth", "of"), ("of",), ("in",), ("for",))
_PLACE_PREPOSITIONS = frozenset("in at across throughout".split())
_OPENING_PREPOSITIONS = frozenset("in at outside near across throughout".split())
_RELATIVES = frozenset("which where that when".split())
_TIME_INDEX: dict[str, list[tuple[str, ...]]] = {}
for _phrase in lexicon.TIME_PHRASES:
    _TIME_INDEX.setdefault(_phrase[0], []).append(_phrase)
#: The time of a figure that is the earlier value of a change ("from 7.8 %").
PREVIOUS = "previously"


def build_measures(s: Sentence, cands: list[Cand]) -> None:
    """Fill noun, predicate, place and time of every comparable figure of one sentence."""
    comparable = [c for c in cands if c.kind in COMPARED_KINDS]
    taken = {k for c in comparable for k in range(c.end, max(c.end, c.phrase_end))}
    for k, c in enumerate(comparable):
        if c.split:
            continue  # "a 5-4 ruling", "voted 60-37": a side of a split, no measure
        lo = comparable[k - 1].end if k else 0
        hi = comparable[k + 1].q_start if k + 1 < len(comparable) else len(s)
        _modifier(s, c)
        if c.kind != QuantityKind.COUNT:
            _noun_after(s, c)
        if c.counted is None and not c.population:
            _noun_before(s, c, lo, taken)
        inherited = k and s.word(c.q_start - 1) in ("from", "to", "and", "or") and _inherit(s, c, comparable[k - 1])
        if c.counted is None and c.kind == QuantityKind.COUNT:
            _subject_before(s, c)
        _rate(s, c)
        c.noun = noun_group(c) or ("people" if EVENT_CATEGORY.get(c.event or "") == "human" else None)
        _levied_on(s, c)
        c.predicate = c.event or (None if c.compound else _predicate(s, c, hi)) or (
            comparable[k - 1].predicate if inherited else None
        )
        c.agent = None if c.event else _agent(s, c)
        c.time = c.era or _previous(s, c, comparable) or _time(s, c, lo, hi)
        c.place = c.scope
        if c.place is None and (c.predicate or c.kind != QuantityKind.COUNT):
            c.place = _place_after(s, c, hi) or _place_before(s, c, lo) or _place_in_noun(s, c) or _opening_place(s)


def _levied_on(s: Sentence, c: Cand) -> None:
    """What a levied rate is on, as part of its noun: "25 percent tariffs on steel", "tariffs of 25
    percent on steel imports and 10 percent on aluminum imports", "tariffs on aluminum at 10 percent"
    (``tariffs on steel``, ``tariffs on aluminum``: two measures, where "tariffs" alone set 25 against 10)."""
    if c.kind != QuantityKind.PERCENT:
        return
    end = max(c.end, c.phrase_end)
    on = end if s.word(end) == "on" else None
    head = (c.noun or "").split()[-1:]
    noun = c.noun if head and head[0] in lexicon.LEVIES else None
    # (past the clause: "and" opens one, and a change's earlier value ends the one before it)
    before = range(c.q_start - 1, max(0, c.q_start - 14) - 1, -1)
    if noun is None and on is None and s.word(c.q_start - 1) in ("to", "from") and c.noun in (None, "goods"):
        # "raised duties on $200 billion of Chinese imports to 25% from 10%": the levy named before its
        # object, which the rate went to (not the imports': "goods" had measured both rates)
        levied = next((k for k in before if s.words[k] in lexicon.LEVIES and s.word(k + 1) == "on"), None)
        if levied is None:
            return
        noun = c.noun = GROUPS.get(s.words[levied], (s.words[levied],))[0] or s.words[levied]
        on = levied + 1
    if noun is None:
        if on is None or c.phrase_end > c.end or c.noun not in (None, "goods"):
            # ("a 30% discount on …", "the top marginal rate to 39.5 percent on those making …": a
            # measure of its own; "10 percent on aluminum imports" had only its object's "goods")
            return
        # "… tariffs of 25 percent on steel imports and 10 percent on aluminum imports": the levy named
        # shortly before
        levy = next((s.words[k] for k in before if s.words[k] in lexicon.LEVIES), None)
        if levy is None:
            return
        noun = GROUPS.get(levy, (levy,))[0] or levy  # (named as the figure's own noun would be: "tariffs")
    if on is None:
        # "tariffs on aluminum at 10 percent", "hiked tariffs on Chinese goods to 25% from 10%": the levy
        # named before the figure, with its object
        on = next((k + 1 for k in before if s.words[k] == head[-1] and s.word(k + 1) == "on"), None)
        if on is None:
            return
    j = on + 1
    while s.word(j) in DETERMINERS:
        j += 1
    j = _past_amount(s, j)
    if s.word(j) in lexicon.NOT_LEVIED_ON:
        return
    a, b = noun_run(s, j)
    if s.word(b)[:1].isdigit() or s.word(b) == "of":
        return  # "a tariff on almost $200 billion of autos", "a tax on the gain of your stocks": no plain object
    thing = ""
    if b - a > 1 and GROUPS.get(s.words[b - 1], ("",))[0] == "goods":
        b -= 1  # "steel imports": steel; "Chinese imports": Chinese goods
        thing = " goods" if s.is_capitalised(b - 1) else ""
    if b > a:
        c.noun = f"{noun} on {s.phrase(a, b)}{thing}"


#: Words of an amount that a levy's object follows after "of" ("on almost $200 billion of autos",
#: "on billions of dollars of Chinese imports").
_AMOUNT_WORDS = frozenset(
    "hundred hundreds thousand thousands million millions billion billions trillion trillions dollars "
    "worth almost nearly about roughly some over more than an additional another estimated".split()
)


def _past_amount(s: Sentence, j: int) -> int:
    """Where a levy's object starts after an amount that opens it: "autos" of "$200 billion of autos"
    (*j* itself when no amount opens it, or no "of" ends the amount)."""
    if not (s.word(j)[:1].isdigit() or s.word(j) in _AMOUNT_WORDS):
        return j
    k, after = j, j
    while k < j + 10 and (s.word(k)[:1].isdigit() or s.word(k) in _AMOUNT_WORDS or s.word(k) == "of"):
        if s.word(k) == "of":
            after = k + 1
        k += 1
    return after


def _modifier(s: Sentence, c: Cand) -> None:
    """"the remaining $300 billion", "three other Americans": a different set than the plain noun."""
    if s.word(c.q_start - 1) in _SET_MODIFIERS:
        c.modifier = s.word(c.q_start - 1)
    elif s.word(c.end) == "other":
        c.modifier = "other"


def _rate(s: Sentence, c: Cand) -> None:
    """"151,000 jobs per month", "an average of 200,000 a month", "on average": a rate or an average
    is another measure than the count of one period."""
    k = max(c.end, c.phrase_end)
    k += s.word(k) in ("jobs", "people")  # "adding 151,000 jobs per month" when the noun was not read
    unit = s.word(k + 1) if s.word(k) in ("per", "a", "each", "every", "an") else ""
    if unit in _PERIODS and not c.modifier and s.word(k + 2) not in ("ago", "earlier", "later", "before", "after"):
        c.modifier = _PERIODS[unit]
    elif not c.modifier and ("average" in s.words[max(0, c.q_start - 4):c.q_start] or s.match(0, ("on", "average"))):
        c.modifier = "average"


def _inherit(s: Sentence, c: Cand, prev: Cand) -> bool:
    """"rose to 7.9 % from 7.8 %", "added 171,000 jobs, down from 187,000": the second measures what the first
    does; "155,040 votes, or 49.5 percent": a share of what the count counts."""
    share = c.kind == QuantityKind.PERCENT and s.word(c.q_start - 1) == "or" and "," in s.gap(c.q_start - 1)
    if c.counted is None and (prev.kind == c.kind or share) and prev.counted:
        c.counted, c.group, c.category = prev.counted, prev.group, prev.category
        return True
    return False


def _subject_before(s: Sentence, c: Cand) -> None:
    """"monthly job gains averaged 171,000": the subject of a level verb is what is counted."""
    verb = c.q_start - 1
    if s.word(verb) in ("at", "to") and s.word(verb - 1) in lexicon.LEVEL_VERBS | lexicon.CHANGE_VERBS:
        verb -= 1
    if s.word(verb) not in lexicon.LEVEL_VERBS or s.word(verb) in _AUXILIARIES:
        return
    start = verb
    while start > max(0, verb - 3) and s.words[start - 1] not in STOP and s.words[start - 1].isalpha() and (
        not s.gap(start).strip()
    ):
        start -= 1
    if start < verb:
        c.counted = s.phrase(start, verb)


def _previous(s: Sentence, c: Cand, comparable: list[Cand]) -> str | None:
    """"to 7.9 % from 7.8 %", "from 10 percent to 25 percent": the "from" figure is the earlier value."""
    if s.word(c.q_start - 1) != "from":
        return None
    levels = [o for o in comparable if o is not c and o.kind == c.kind and s.word(o.q_start - 1) in ("to", "at")]
    return PREVIOUS if levels else None


def noun_group(c: Cand) -> str | None:
    """The counted noun's group: a known group, else the plural of its head, with set modifiers kept."""
    if c.population:
        return "population"
    if not c.counted:
        return c.group
    words = c.counted.lower().replace("\u2019", "'").split()
    two, head = " ".join(words[-2:]), words[-1]
    group = GROUPS.get(two, GROUPS.get(head, (None, None)))[0] or c.group
    generic = head in _GENERIC_HEADS or head in lexicon.PREDICATES  # "annual rate", "tax increases", "budget cuts"
    if group is None or group == head and generic and len(words) > 1:
        group = plural(head) if c.kind == QuantityKind.COUNT and c.amount.value == 1 else head
        group = f"{words[-2]} {group}" if generic and len(words) > 1 else group
    elif group == head and head not in GROUPS and _proper_pair(c.counted):
        group = f"{words[-2]} {head}"
    return f"{c.modifier} {group}" if c.modifier and not group.startswith(f"{c.modifier} ") else group


def _proper_pair(counted: str) -> bool:
    """Whether the counted noun ends in a two-word proper name ("5,000 New Yorkers", "200 South Koreans"):
    its head alone ("yorkers") would not say who."""
    words = counted.split()
    if len(words) < 2 or words[-2].lower() in STOP or words[-2].lower() in _WH_WORDS:
        return False  # (a headline's capitals: "Four Reasons Why Millions")
    if len(words) > 2 and _title(words[-3]):
        return False  # a longer name ("two New York Republicans"): its head alone, as before
    return _title(words[-2]) and _title(words[-1])


def _title(word: str) -> bool:
    return word[:1].isupper() and word[1:2].islower()


_WH_WORDS = frozenset("why how who whom whose what which where when".split())


def _noun_after(s: Sentence, c: Cand) -> None:
    """"25 percent tariffs", "75 percent of parts", "$60 billion in US imports", "$2 billion worth of goods"."""
    j = c.end
    if c.kind == QuantityKind.MONEY:
        for link in _MONEY_LINKS:
            if s.match(j, link, sep=" "):
                k = j + len(link)
                while s.word(k) in DETERMINERS:
                    k += 1
                start, end = noun_run(s, k)
                if end > start:
                    c.counted, c.phrase_end = s.phrase(start, end), end
                return
    find_counted(s, c)


def _noun_before(s: Sentence, c: Cand, lo: int, taken: set[int]) -> None:
    """"a job gain of 171,000"; else the measure noun earlier in the clause ("the unemployment rate ... 7.9 %",
    "driving the unemployment rate to a post-war high of 14.7%": "high" names no measure)."""
    i = c.q_start
    if s.word(i - 1) == "of" and s.word(i - 2) not in STOP | lexicon.LEVEL_VERBS | lexicon.LEVEL_NOUNS:
        start = i - 2
        while start > max(lo, i - 4) and s.word(start - 1) not in STOP and not s.gap(start).strip():
            start -= 1
        if s.words[start:i - 1] and not any(w[:1].isdigit() for w in s.words[start:i - 1]):
            c.counted = s.phrase(start, i - 1)
            return
    if c.kind == QuantityKind.COUNT:
        return
    start, _ = clause_bounds(s, c, 0, c.q_start)
    for k in range(c.q_start - 1, max(start, c.q_start - 14) - 1, -1):
        if s.words[k] in lexicon.MEASURE_NOUNS and k not in taken:
            named = s.word(k - 1) in lexicon.NOUN_MODIFIERS or s.words[k] in _GENERIC_HEADS and s.word(k - 1).isalpha() and (
                s.word(k - 1) not in STOP
            )
            first = k - 1 if named and not s.gap(k).strip() else k
            c.counted = s.phrase(first, k + 1)
            return


def _predicate(s: Sentence, c: Cand, hi: int) -> str | None:
    """The verb that governs the amount, normalised; ``None`` for a level or a tally."""
    before = c.q_start - 1
    if s.match(before - 2, ("the", "lives", "of"), sep=" "):
        before -= 3  # "claimed the lives of 67"
    while s.word(before) in _SET_MODIFIERS or s.word(before) in ("the", "a", "an") or s.gap(before + 1) == "-":
        before -= 1  # "a better-than-expected 171,000"
    verb = s.word(before)
    if verb == "by":
        return _change_by(s, c, before)
    nominal = f"{s.word(before - 1)} {verb}"
    if verb == "of" and nominal in lexicon.PREDICATES:
        return lexicon.PREDICATES[nominal]  # "the destruction of 32 tunnels"
    if verb in _LEVEL_PREPOSITIONS or verb in lexicon.VERB_QUALIFIERS:
        return None
    if verb in lexicon.LEVEL_VERBS:
        return _passive_after(s, c, hi)
    phrasal = f"{s.word(before - 1)} {verb}"
    if phrasal in lexicon.PREDICATES:
        return lexicon.PREDICATES[phrasal]  # "calling up 86,000 reservists"
    if verb in _PARTICLES and not s.gap(before + 1).strip() and not s.gap(before).strip() and _is_verb(s, before - 1):
        return _phrasal(s.word(before - 1), verb)  # "carried out 40 raids", "gained back 6.3 million"
    if verb and not s.gap(before + 1).strip(" " + CURRENCY_SYMBOLS) and _is_verb(s, before):  # ("raised $5 million")
        normal = lexicon.PREDICATES.get(verb, verb)
        if normal in _CHANGES and s.word(c.q_start) in _LEVEL_QUALIFIERS:
            return None  # "fell below 5 %": the level reached
        if normal == "decreased" and c.kind == QuantityKind.COUNT and c.phrase_end > c.end:
            return verb  # "dropped 72 bundles", "fell eight votes short": no fall of a level
        return normal
    return _passive_after(s, c, hi)


#: The predicates of a change in a level ("rose 5 %", "fell 0.3 %").
_CHANGES = frozenset({"increased", "decreased"})
#: Qualifiers after a change verb that make the amount the level reached ("fell below 5 %", "rose above 10 %").
_LEVEL_QUALIFIERS = frozenset("below under above between beneath".split())


def _phrasal(verb: str, particle: str) -> str:
    """A phrasal verb normalised: the ``[predicates]`` phrase, else the verb's ("gained back": added) but for a
    change (a "dropped out" is no decrease), else as written ("carried out")."""
    phrasal = f"{verb} {particle}"
    normal = lexicon.PREDICATES.get(verb)
    return lexicon.PREDICATES.get(phrasal) or (normal if normal and normal not in _CHANGES else phrasal)


def _agent(s: Sentence, c: Cand) -> str | None:
    """Who did it, when that restricts what is counted: "manufacturers cut 8,000 jobs", "restaurants and bars
    added 38,000 jobs" (not the whole: "the economy", "employers", a name; the ``[whole subjects]`` table)."""
    verb = c.q_start - 1
    if not c.predicate or lexicon.PREDICATES.get(s.word(verb), s.word(verb)) != c.predicate or s.gap(verb + 1).strip():
        return None
    if c.predicate in lexicon.EVENTS or c.category == "human" or c.kind == QuantityKind.PERCENT or (
        s.word(verb).endswith("ing")
    ):
        return None  # "a gunman killed 26", "a man stabbed three people": the toll; "making $50,000": no subject
    start = verb
    while start > max(0, verb - 6) and (s.words[start - 1].isalpha() or s.words[start - 1] == "and") and (
        s.words[start - 1] not in STOP or s.words[start - 1] == "and"
    ) and not s.gap(start).strip(" -\"\u201c\u201d"):
        start -= 1
    words = [w for w in s.words[start:verb] if w not in lexicon.WHOLE_SUBJECTS and not w.endswith("ly")]
    if start == verb or not words or s.word(verb - 1) in lexicon.WHOLE_SUBJECTS or any(
        s.is_capitalised(k) for k in range(max(start, 1), verb)
    ):
        return None  # (a whole named with its parts is still the whole: "private and public employers")
    before = s.word(start - 1)
    opens = start == 0 or s.gap(start).strip() or before in ("the", "a", "an", "while", "but", "and", "as", "whereas")
    if not opens and before not in CLAUSE_STOPS:
        return None  # "attackers with AK-47 rifles exited ...": the words before the verb are not its subject
    return " ".join(words) if words[-1] != "and" else None


def _change_by(s: Sentence, c: Cand, by: int) -> str | None:
    """"cutting the payments by 20 percent": the verb before "by", and its object as the noun."""
    for k in range(by - 1, max(-1, by - 6), -1):
        if any(ch in s.gap(k + 1) for ch in ",;:"):
            return None
        if _is_verb(s, k):
            if c.kind == QuantityKind.COUNT and _passive(s, k):
                return None  # "the strikes were carried out by eight jets": who did it, not by how much
            start = k + 1
            while s.word(start) in _PARTICLES and not s.gap(start).strip():
                start += 1  # "marked up by 5 %": the verb's particle
            verb = " ".join(s.words[k:start])
            while s.word(start) in DETERMINERS or s.word(start) in ("the", "a", "an"):
                start += 1
            if c.counted is None and start < by:
                c.counted = s.phrase(start, by)
                c.noun = noun_group(c)
            normal = lexicon.PREDICATES.get(verb, verb)
            return CHANGE_BY.get(normal, normal)
    return None


#: Predicates that name a change when said with "by" ("raised taxes by $1 trillion": increased, while
#: "raised $5 million" is money raised).
CHANGE_BY = {"raised": "increased"}
#: The particles of a phrasal verb ("carried out", "marked up", "cut back").
_PARTICLES = frozenset("out up down back off over".split())
_BE = frozenset("were was been are is be being".split())


def _passive(s: Sentence, verb: int) -> bool:
    """Whether the verb at token *verb* is passive ("were carried out", "was later attacked")."""
    return s.word(verb - 1) in _BE or s.word(verb - 2) in _BE and s.word(verb - 1).endswith("ly")


def _passive_after(s: Sentence, c: Cand, hi: int) -> str | None:
    """"171,000 jobs were added", "19 firefighters died": the verb after the counted phrase."""
    k = max(c.end, c.phrase_end)
    if s.gap(k).strip(" ") or c.kind != QuantityKind.COUNT:
        return None  # "a 25 % tariff will affect ...": the verb is the noun's, not the percentage's
    seen_aux = False
    while k < min(hi, len(s)) and s.words[k] in _AUXILIARIES:
        k, seen_aux = k + 1, True
    verb = s.word(k)
    if verb in lexicon.LEVEL_VERBS or not verb or not seen_aux and has_object(s, k, k + 1):
        return None  # ("two bombs killed three people": what the bombs did, not what happened to them)
    if verb not in lexicon.PREDICATES and not (seen_aux and verb.endswith("ed") and _is_verb(s, k)):
        return None
    if verb not in lexicon.PREDICATES and (s.word(k + 1) == "to" or s.match(k + 1, ("not", "to"), sep=" ")):
        return None  # "dozens of people had tried to persuade him": what they did is the verb after "to"
    if s.word(k + 1) in _PARTICLES and not s.gap(k + 1).strip():
        return _phrasal(verb, s.word(k + 1))  # "429,000 people dropped out", "19 raids were carried out"
    normal = lexicon.PREDICATES.get(verb, verb)
    return None if normal in _CHANGES else normal  # ("two rockets fell into open areas": no change in a level)


def _is_verb(s: Sentence, k: int) -> bool:
    """A lower-case word that reads as a verb form (a known predicate, or -ed / -ing)."""
    w = s.word(k)
    if w in STOP or s.is_capitalised(k) and k > 0 or not w.isalpha():
        return False
    return w in lexicon.PREDICATES or (len(w) > 4 and w.endswith(("ed", "ing")))


def _time(s: Sentence, c: Cand, lo: int, hi: int) -> str | None:
    """The time the figure's clause names: nearest after it, else before it (not across a comma), else opening the sentence."""
    start, end = clause_bounds(s, c, lo, hi)
    tail = max(c.end, c.phrase_end)
    for k in range(tail, min(end, tail + 8)):
        if (found := _time_at(s, k)) is not None:
            return found
    if s.word(start - 1) == "when":  # "since October 2007, when about 139 ... died"
        start = max(0, start - 7)
    for k in range(c.q_start - 1, max(start, c.q_start - 9) - 1, -1):
        if (found := _time_at(s, k)) is not None:
            return found
        if "," in s.gap(k) and s.word(k) != "when":
            break
    opening = _time_at(s, 0)
    return opening if opening and "," in s.gap(len(opening.split())) else None


def _time_at(s: Sentence, k: int) -> str | None:
    """A time expression starting at token *k*: "in October", "on Sunday", "so far", "in 2016"."""
    w, nxt = s.word(k), s.word(k + 1)
    for phrase in _TIME_INDEX.get(w, ()):
        if s.match(k, phrase, sep=" "):
            return " ".join(phrase)
    if w in WEEKDAYS and s.is_capitalised(k):
        return s.phrase(k, k + 1)
    if w not in _TIME_PREPOSITIONS:
        return None
    if nxt in WEEKDAYS and s.is_capitalised(k + 1):
        return s.phrase(k, k + 2)
    if nxt in MONTHS and s.is_capitalised(k + 1):
        year = s.word(k + 2)
        return s.phrase(k, k + 3 if len(year) == 4 and year.isdigit() else k + 2)
    if len(nxt) == 4 and nxt.isdigit() and nxt[:2] in ("19", "20"):
        return s.phrase(k, k + 2)
    return None


def _place_after(s: Sentence, c: Cand, hi: int) -> str | None:
    """"killed in Gaza", "cases in Florida": a capitalised place right after the figure's phrase."""
    k = max(c.end, c.phrase_end)
    for j in range(k, min(hi, k + 7, len(s))):
        if s.words[j] == "there" and j > k:
            return "there"  # "the 89 people who were killed there": a place named before
        if s.words[j] in lexicon.PLACE_ADVERBS:
            return s.words[j]  # "213,715 deaths nationwide"
        if s.words[j] in ("inside", "outside"):  # "23 people died inside the church", "shot two people outside"
            m = j + 1 + (s.word(j + 1) in ("the", "a", "an"))
            end = m + 1 if s.word(m).isalpha() and s.word(m) not in STOP and not s.gap(m).strip() else j + 1
            return s.phrase(j, end)
        if s.words[j] in ("in", "at", "across", "throughout") and s.word(j + 1) not in MONTHS:
            m = j + 1 + (s.word(j + 1) == "the")
            e = caps_run(s, m, min(hi, len(s)))
            base = POSSESSIVE_RE.sub("", s.word(m))  # "in Tuesday's attacks" names a time, not a place
            if e > m and base not in WEEKDAYS and base not in MONTHS and not base.isdigit():
                return s.phrase(m, e)
            return None
        if s.gap(j).strip(" "):
            return None
    return None


def _place_in_noun(s: Sentence, c: Cand) -> str | None:
    """"13 percent of the US population", "Florida cases": a proper name modifying the counted noun."""
    if not c.counted:
        return None
    words = c.counted.split()
    names = [w for w in words[:-1] if w[:1].isupper()]
    return " ".join(names) if names else None


def _opening_place(s: Sentence) -> str | None:
    """"In Chicago, about 40 people chanted ...", "Outside the Seminole County courthouse, ...": a place
    opening the sentence (after at most one adverb) holds for its figures."""
    if s.word(0) in lexicon.PLACE_ADVERBS and "," in s.gap(1):
        return s.words[0]  # "Worldwide, nearly 500,000 have died"
    k = 1 if s.word(0) not in _OPENING_PREPOSITIONS and s.word(1) in _OPENING_PREPOSITIONS else 0
    if s.word(k) not in _OPENING_PREPOSITIONS:
        return None
    m = k + 1 + (s.word(k + 1) == "the")
    e = caps_run(s, m, len(s))
    if e == m or s.word(m) in WEEKDAYS or s.word(m) in MONTHS or "," not in s.gap(e) + s.gap(e + 1) + s.gap(e + 2):
        return None
    return s.phrase(m, e)


def _place_before(s: Sentence, c: Cand, lo: int) -> str | None:
    """"a bombing in the port city of Karachi killed 150", "the attack at Zaventem Airport, which killed 11"."""
    for k in range(c.q_start - 1, max(lo, c.q_start - 10) - 1, -1):
        if "," in s.gap(k + 1) and s.word(k + 1) not in _RELATIVES:
            return None
        if s.words[k] in _PLACE_PREPOSITIONS:
            for m in range(k + 1, min(k + 6, c.q_start)):
                if s.is_capitalised(m) and s.word(m) not in WEEKDAYS and s.word(m) not in MONTHS:
                    e = caps_run(s, m, c.q_start)
                    return s.phrase(m, e)
            return None
    return None


def measure_words(noun: str | None, predicate: str | None, place: str | None, time: str | None,
                  kind: str, unit: str | None, agent: str | None = None) -> str | None:
    """The measure in words: "jobs added", "jobs cut by manufacturers", "people killed in Gaza",
    "unemployment rate (%)"."""
    parts = [noun, predicate, f"by {agent}" if agent else None, f"in {place}" if place else None, time]
    base = " ".join(p for p in parts if p)
    if not base:
        return None
    if kind != QuantityKind.COUNT:
        base = f"{base} ({unit or kind})"
    return base
