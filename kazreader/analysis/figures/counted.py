"""What a count counts and what happened to it: the counted noun phrase, its group and event.

:func:`find_counted` reads the noun phrase after the amount ("security
officers", "members of the security forces", "migrants in the caravan"),
:func:`find_event` the event class from the noun itself ("45 deaths"), the verb
before the amount ("killing at least one"), a coordinated figure, a tally named
earlier ("the death toll rose to 41") or the rest of the clause; :func:`scope`
the subdivision a figure is restricted to ("in Kurigram alone"). The event
phrases and counted groups are the ``[events]`` and ``[groups]`` sections of
``data/figures.txt``.
"""

from __future__ import annotations

from kazreader.analysis.figures.lexicon import AMOUNT_MODIFIERS, NOT_ADVERBS, NOT_COUNTED_AFTER_HYPHEN, NOUN_PHRASE_ENDS, PEOPLE_ONLY_TRIGGERS, PLURALS_WITHOUT_S, PREDICATES, PRE_QUALIFIERS
from kazreader.analysis.figures.model import QuantityKind
from kazreader.analysis.figures.sentence import Cand, Sentence
from kazreader.analysis.numbers import is_number_start
from kazreader.analysis.figures.words import CLAUSE_JOINERS, CLAUSE_STOPS, COORDINATORS, DETERMINERS, EVENT_CATEGORY, EVENT_INDEX, EVENT_NOUNS, EVENT_WORDS, GATHERING_NOUNS, GROUPS, MONTHS, NEW_SUBJECT_STARTS, NOUN_PREFIXES, PEOPLE_ONLY_EVENTS, OBJECT_VERBS, OTHER_UNITS, PARTITIVE_HEADS, POPULATION_NOUNS, POSSESSOR_RE, PRONOUN_OBJECTS, STOP, SUBDIVISIONS, TALLY_NOUNS, TIME_WORDS, VERBS

def find_counted(s: Sentence, c: Cand) -> None:
    """The counted noun phrase after the amount: "security officers", "people"."""
    j = c.end
    if c.split or compound(s, c):
        return
    if s.word(c.q_start - 1) == "of" and s.word(c.q_start - 2) in POPULATION_NOUNS:
        c.population = True
    if s.word(j) == "of" and not s.gap(j).strip():
        k = j + 1
        if s.word(k) in PRONOUN_OBJECTS:
            c.partitive = True
            c.phrase_end = k + 1
            if s.word(k + 1) in ("were", "are", "was"):  # "132 of which were children"
                start, end = noun_run(s, k + 2)
                if end > start:
                    _set_counted(s, c, start, end, start)
            return
        while s.word(k) in DETERMINERS:
            k += 1
        event = _event_at(s, k)
        if event and k > j + 1:
            c.partitive, c.superset_event, c.phrase_end = True, event, k + 1
            if s.word(k + 1) in ("were", "are", "was"):  # "132 of the dead were children"
                start, end = noun_run(s, k + 2)
                if end > start:
                    _set_counted(s, c, start, end, start)
                    c.phrase_end = k + 1
            return
        j = k
    elif s.gap(j).strip(" -%") or not s.gap(j) and s.word(j)[:1].isalpha():
        c.phrase_end = j  # (letters glued to the digits make a name or a code: "401Ks", "5G", "3D")
        return
    while s.word(j) in NOUN_PREFIXES and not s.gap(j).strip():
        j += 1
    before = s.word(c.q_start - 1)
    determined = before in DETERMINERS or before in ("a", "an")
    if not determined and before in AMOUNT_MODIFIERS:  # "the earlier 10 percent increase"
        determined = s.word(c.q_start - 2) in DETERMINERS or s.word(c.q_start - 2) in ("a", "an")
    start, end = noun_run(s, j, determined=determined)
    if end > start and s.words[end - 1] in PARTITIVE_HEADS and s.word(end) == "of":
        k = end + 1
        while s.word(k) in DETERMINERS:
            k += 1
        inner_start, inner_end = noun_run(s, k)
        if inner_end > inner_start and names_many(s.words[inner_end - 1]):  # (not "members of the NTSB")
            _set_counted(s, c, start, inner_end, inner_start)
            return
    if end > start:
        _set_counted(s, c, start, end, start)
    else:
        c.phrase_end = j


def compound(s: Sentence, c: Cand) -> bool:
    """"the nearly 200-nation accord", "a 12-member panel", "the 2,000-page bill": an amount glued by a
    hyphen to a singular noun, before the noun it describes, counts that noun (nations, members,
    pages), not the noun after it; the verb of the clause is the described noun's ("renegotiating the
    accord"), so the figure takes none. Units ("a 10-day trip", "a 30-year-old man") are decided before
    (:mod:`.kinds`); "a three-way race", "a 10-pack" (nothing after it) are no compounds."""
    j = c.end
    word = s.word(j)
    if c.kind != QuantityKind.COUNT or s.gap(j) != "-" or not word.isalpha() or not word.islower() or (
        not s.text[s.tokens[j].start].islower()
    ):
        return False
    if word in STOP or word in NOT_COUNTED_AFTER_HYPHEN or word in OTHER_UNITS or names_many(word) or (
        word.endswith(("ed", "ing", "ly"))
    ):
        return False
    start, end = noun_run(s, j + 1)
    if s.gap(j + 1) != " " or end == start or start != j + 1:
        return False  # ("a 10-pack for $20", "a 5-megawatt, graphite-moderated reactor")
    c.counted, c.phrase_end, c.compound = s.phrase(j, j + 1), end, True
    many = plural(word)
    c.group, c.category = GROUPS.get(many, (many, None))
    return True


def noun_run(s: Sentence, j: int, determined: bool = False) -> tuple[int, int]:
    """Tokens ``[j, k)`` forming a noun phrase (no function, event or time words).

    *determined*: a determiner opens the phrase before an amount ("a $800 billion cut", "a 2 percent
    raise"): its one word is a noun even when it could be a verb (not a past participle: "the $1.2
    trillion called for").

    Abbreviations ("U.S. products", "12 oz. bottles") and adverbs ("five presidentially appointed
    members") before it are skipped; initials within it ("48 large U.S. cities") and a model's code
    ("four FA-18 aircraft") are part of it; another abbreviation or an adverb ends it ("two ads Mr.
    Romney ran", "three justices eventually agreed"), and it never ends on a code ("SU-24 and").
    """
    while _abbreviation(s, j) or is_adverb(s.word(j)) and s.word(j) not in EVENT_INDEX and s.word(j) not in STOP:
        j += 1
    k, codes = j, 0
    while k < len(s) and k - j - codes < 4:
        w = s.words[k]
        if k > j and s.gap(k) not in (" ", "-") and not (_abbreviation(s, k - 1) and s.gap(k).startswith(".")):
            break
        if k > j and w[:1].isdigit() and s.gap(k) in ("-", "/"):
            k, codes = k + 1, codes + 1  # "FA-18", "MS-13", "COVID-19": a model's or a name's code
            continue
        if w in STOP or w in TIME_WORDS or w[:1].isdigit() or w in EVENT_WORDS and w not in EVENT_NOUNS:
            break
        if w in OTHER_UNITS and k == j or k > j and _verbal_in(s, j, k) and s.word(k + 1) not in GROUPS:
            break
        if k > j and (is_adverb(w) or _abbreviation(s, k) and len(w) > 1):
            break
        k += 1
        if w in NOUN_PHRASE_ENDS:
            break  # "30 people ages 18 to 24"
    while k > j and s.words[k - 1][:1].isdigit():  # the code ends it: neither it nor its letters are counted
        k -= 1 + (k - 1 > j and s.gap(k - 1) in ("-", "/"))
    while k > j and (_verbal_in(s, j, k - 1) or k > j + 1 and s.words[k - 1].endswith("ing")):
        if k == j + 1 and (determined and not _participle(s.words[j]) or s.word(j - 1) in DETERMINERS):
            break  # "the decrease in prison population": a noun after its determiner
        k -= 1
    return j, k


def _participle(word: str) -> bool:
    """"called" of "the $1.2 trillion called for": a past participle after the amount, not its noun."""
    return len(word) > 4 and word.endswith("ed")


def _verbal_in(s: Sentence, j: int, k: int) -> bool:
    """Whether the word at *k* ends the noun phrase opened at *j* as a verb: not a verbal noun that is its
    first plural ("87 electoral votes", "$85 billion in spending cuts": a verb after a plural has no -s)."""
    w = s.words[k]
    first_plural = w in PREDICATES and w.endswith("s") and not w.endswith("ss") and not any(
        names_many(x) for x in s.words[j:k]
    )
    return _looks_verbal(w) and not first_plural


def is_adverb(word: str) -> bool:
    """"eventually", "heavily": a word in -ly that the ``[not adverbs]`` table does not hold."""
    return len(word) > 4 and word.endswith("ly") and word.isalpha() and word not in NOT_ADVERBS


def _abbreviation(s: Sentence, k: int) -> bool:
    """A short word written with a full stop inside the sentence: "U.S.", "Mr.", "St.", "vs.", "oz."
    (not "Republicans.Trump", two sentences run together)."""
    return k + 1 < len(s) and s.word(k).isalpha() and len(s.word(k)) <= 4 and s.gap(k + 1).startswith(".")


def _looks_verbal(word: str) -> bool:
    """A word that ends a clause's subject rather than naming it ("took", "stormed")."""
    if word in GROUPS or word in EVENT_NOUNS:
        return False
    return word in VERBS or word in PREDICATES or (len(word) > 4 and word.endswith("ed"))


def _set_counted(s: Sentence, c: Cand, start: int, end: int, inner: int) -> None:
    if c.kind == QuantityKind.COUNT and _many(c):  # a noun of many ends on a plural ("FA-18 aircraft struck")
        while end > inner and not names_many(s.words[end - 1]):
            end -= 1
        if end == inner:
            c.phrase_end = max(c.phrase_end, c.end)
            return  # "three presidential and one vice presidential", "seven heavily armed": no noun of many
    c.counted = s.phrase(start, end)
    c.phrase_end = end
    words = s.words[inner:end]
    head = words[-1]
    if head in EVENT_NOUNS:
        c.event, c.own_event = EVENT_NOUNS[head], True
        c.group, c.category = "people", "human"
        return
    two = " ".join(words[-2:])
    for key in (two, head):
        if key in GROUPS:
            c.group, c.category = GROUPS[key]
            return
    if head.endswith("workers") or head.endswith("worker"):
        c.group, c.category = "workers", "human"
        return
    c.group = plural(head) if c.amount.value == 1 else head
    c.category = None


def names_many(word: str) -> bool:
    """Whether a counted noun's last word can name many: a plural ("officers", "children", "aircraft")."""
    return (word.endswith("s") and word.isalpha() and len(word) > 2) or word.endswith(("men", "people", "children")) or (
        word in PLURALS_WITHOUT_S or word in GROUPS
    )


def _many(c: Cand) -> bool:
    """Whether the amount is more than one (a vague amount: at its least)."""
    least = c.amount.value if c.amount.value is not None else c.amount.low
    return least is not None and least > 1


def plural(word: str) -> str:
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


def coordinated(s: Sentence, a: Cand, b: Cand) -> bool:
    """Whether *b* follows *a* joined only by "and", "including", commas..."""
    start = max(a.phrase_end, a.end)
    if b.q_start < start:
        return False
    between = s.words[start:b.q_start]
    if any(w not in COORDINATORS for w in between):
        return False
    punct = "".join(s.gap(k) for k in range(start + (1 if start else 0), b.q_start + 1))
    return not punct.strip(" ,\n-–—")


def find_event(s: Sentence, c: Cand, prev: Cand | None, stop: int) -> None:
    if c.split:
        return  # ("a 5-4 ruling": neither side was ruled)
    # Elided noun ("353 wounded", "400 of whom"): take the previous figure's,
    # decided after the event is known.
    if c.event is None and not s.gap(c.q_start).strip():
        verb, two = s.word(c.q_start - 1), f"{s.word(c.q_start - 2)} {s.word(c.q_start - 1)}"
        c.event = OBJECT_VERBS.get(two) or OBJECT_VERBS.get(verb)
    if c.event is None and prev is not None and prev.event and not prev.own_event and coordinated(s, prev, c):
        c.event = prev.event
    if c.event is None and s.word(c.q_start - 1) == "of" and s.word(c.q_start - 2) in GATHERING_NOUNS:
        c.event = "protesting"
    if c.event is None and c.counted is None:
        c.event = _toll_before(s, c.q_start)
        if c.event is None:
            _number_of_before(s, c)
    if c.event is None:
        people = c.counted is None or c.category == "human"
        c.event = _event_after(s, max(c.phrase_end, c.end), stop, _foreign(c), people) or c.superset_event
    if c.event is None and c.partitive and prev is not None and prev.event:
        c.event = prev.event  # "141 people dead, 132 of which were children"
    if c.event in PEOPLE_ONLY_EVENTS and c.category in ("thing", "measure"):
        c.event = None  # "3,200 jobs would be eliminated": things are not killed
    if c.counted is None and not c.population:
        want = EVENT_CATEGORY.get(c.event or "", "human")
        if prev is not None and prev.counted and prev.category in (want, None) and (
            c.partitive or c.event is not None
        ):
            c.counted, c.group, c.category = prev.counted, prev.group, prev.category
        elif c.event is not None and want == "human":
            c.counted, c.group, c.category = "people", "people", "human"


#: An event right after these, past an aside, is still the counted noun's ("…, were killed").
_PASSIVE_AUXILIARIES = frozenset("were was are is been be being".split())


def _resumes(s: Sentence, k: int, comma: bool) -> bool:
    """Whether the verb at token *k*, past a comma, is still the counted noun's: its passive ("Twenty
    nationals, working for a Dubai company, were safely evacuated") or a finite verb right after the
    aside ("22 senators, including Mitch McConnell, sent"); not a participle ("…, killing 30") nor
    another clause's verb ("…one purpose, in that key players gathered")."""
    for back in range(1, 4):  # "were safely evacuated", "was shot and killed"
        if s.word(k - back) in _PASSIVE_AUXILIARIES:
            return True
        if "," in s.gap(k - back + 1):
            break
    return comma and not s.word(k).endswith("ing")


def _foreign(c: Cand) -> bool:
    """Whether *c* counts something named that no group of the lexicon holds ("one purpose"): an
    event after a comma is then another clause's ("…one purpose, in that key players gathered")."""
    return c.counted is not None and c.category is None


def _event_after(s: Sentence, j: int, stop: int, comma_ends: bool = False, people: bool = True) -> str | None:
    """The first event phrase in the clause after token *j* (before *stop*).

    A coordinated clause with its own subject ("... opened and that 3,000
    tonnes were sent", "... and the army sent") is another clause; with
    *comma_ends*, so is what follows a comma, but for a passive verb. A verb
    with an amount for its object ("two bombs killed three people") is what
    the counted noun did, not what happened to it; unless *people* are
    counted, the ``[people-only triggers]`` are passed over ("50 programs
    would be eliminated").
    """
    k = j
    limit = min(stop, j + 16, len(s))
    after_comma = False
    while k < limit:
        if k > j and any(ch in s.gap(k) for ch in ";:()[]"):
            return None
        if s.words[k] in CLAUSE_STOPS:
            return None
        if k > j and s.words[k] in CLAUSE_JOINERS and s.word(k + 1) in NEW_SUBJECT_STARTS:
            return None
        comma = comma_ends and "," in s.gap(k)
        after_comma = after_comma or comma
        found = _event_span(s, k) if not after_comma or _resumes(s, k, comma) else None
        if found and (people or not PEOPLE_ONLY_TRIGGERS.intersection(s.words[k:found[1]])):
            return None if has_object(s, k, found[1]) else found[0]
        k += 1
    return None


def has_object(s: Sentence, verb: int, end: int) -> bool:
    """Whether the verb at token *verb* (its phrase ending before *end*) is active with an amount for its
    object: "two bombs killed three people", "gunmen wounded at least 20", "killed the two men"."""
    for back in range(1, 4):  # "were killed", "were later killed": a passive has no object
        if s.word(verb - back) in _PASSIVE_AUXILIARIES:
            return False
        if s.gap(verb - back + 1).strip():
            break
    if s.gap(end).strip():
        return False
    k = end + (s.word(end) in DETERMINERS)
    for words, *_ in PRE_QUALIFIERS:
        if s.match(k, words, sep=" "):
            k += len(words)
            break
    return is_number_start(s.word(k)) and s.word(k) not in ("a", "an")


def _event_at(s: Sentence, k: int) -> str | None:
    """The event phrase starting at token *k*, if any ("March 3" is no march)."""
    found = _event_span(s, k)
    return found[0] if found else None


def _event_span(s: Sentence, k: int) -> tuple[str, int] | None:
    """The event phrase starting at token *k* and the token after it."""
    if s.word(k) in MONTHS and s.is_capitalised(k):
        return None
    for slots, event in EVENT_INDEX.get(s.word(k), ()):
        if all(s.word(k + m) in slot for m, slot in enumerate(slots)):
            return event, k + len(slots)
    return None


def _number_of_before(s: Sentence, c: Cand) -> None:
    """"the number of people evacuated at nearly 15,000": counted and event before."""
    for k in range(c.q_start - 2, max(-1, c.q_start - 14), -1):
        if any(ch in s.gap(k + 2) for ch in ";:()"):
            return
        if s.words[k] == "number" and s.word(k + 1) == "of":
            start, end = noun_run(s, k + 2)
            if end > start:
                _set_counted(s, c, start, end, start)
                c.phrase_end = max(c.end, c.phrase_end)
                c.event = c.event or _event_after(s, end, c.q_start)
            return


def clause_bounds(s: Sentence, c: Cand, lo: int, hi: int) -> tuple[int, int]:
    """Token range of the clause holding *c*, within ``[lo, hi)``."""
    start, breaks, words = c.q_start, s.breaks, s.words
    while start > lo and not breaks[start] and words[start - 1] not in CLAUSE_STOPS:
        start -= 1
    end = max(c.end, c.phrase_end)
    hi = min(hi, len(words))
    while end < hi and not breaks[end] and words[end] not in CLAUSE_STOPS and not (
        words[end] in CLAUSE_JOINERS and s.word(end + 1) in NEW_SUBJECT_STARTS
    ):
        end += 1
    return start, end


def caps_run(s: Sentence, k: int, end: int) -> int:
    """End of the run of capitalised tokens from *k* (single-spaced), at most *end*."""
    j = k
    while j < end and s.is_capitalised(j) and (j == k or s.gap(j) in (" ", "-")):
        j += 1
    return j


def scope(s: Sentence, c: Cand, lo: int, hi: int) -> str | None:
    """The place a figure is explicitly restricted to, if any.

    "in Kurigram alone" (anywhere in the figure's clause), "in Dadu district"
    or "in the province of Sindh" (opening the clause, or right after the
    figure's phrase): a subdivision's subtotal, not the whole event's. A bare
    "in Pakistan", or a subdivision naming where the whole event happened
    mid-clause ("swept through villages in Sindh province, forcing 40,000
    ..."), is no restriction.
    """
    start, end = clause_bounds(s, c, lo, hi)
    phrase_end = max(c.end, c.phrase_end)
    for k in range(start, end):
        if s.words[k] != "in" or c.q_start <= k < phrase_end:
            continue
        placed = k == start or phrase_end <= k <= phrase_end + 4
        m = k + 1 + (s.word(k + 1) == "the")
        place = None
        if s.word(m) in SUBDIVISIONS and s.word(m + 1) == "of":
            e = caps_run(s, m + 2, end)
            if e > m + 2 and (placed or s.word(e) == "alone"):
                place = s.phrase(m + 2, e)
        elif (e := caps_run(s, m, end)) > m:
            if s.word(e) == "alone" or (placed and s.word(e) in SUBDIVISIONS and not s.is_capitalised(e)):
                place = s.phrase(m, e)
            elif placed and e - m >= 2 and s.words[e - 1] in SUBDIVISIONS:
                place = s.phrase(m, e - 1)  # "in Dadu District"
        if place:
            return POSSESSOR_RE.sub("", place)  # "Pakistan's Sindh" -> "Sindh"
    return None


def _toll_before(s: Sentence, i: int) -> str | None:
    """A tally named earlier in the clause: "the death toll rose to 45",
    "the ministry put the crowd at 18,000"."""
    for k in range(i - 1, max(-1, i - 13), -1):
        if any(ch in s.gap(k + 1) for ch in ";:()"):
            return None
        w = s.words[k]
        if w == "toll":
            return "wounded" if s.word(k - 1) in ("injury", "casualty") else "killed"
        if w in TALLY_NOUNS:
            return TALLY_NOUNS[w]
    return None

