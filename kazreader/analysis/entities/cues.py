"""The cue tables: patterns and word lists that scanning and typing consult.

The word lists live in ``data/lexicon.txt`` (sections named in :class:`Cues`);
this module compiles them once, with the patterns, and holds the tables of
context cues (the word before a name, the words after it) that typing applies
in order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from kazreader.analysis.entities.model import EntityType
from kazreader.analysis.gazetteer import Gazetteer, gazetteer, name_key

__all__ = ["AFTER_CUES", "BEFORE_CUES", "Cues", "PrevWordCue", "cues", "prev_word", "subject_list"]

UPPER = "".join(re.escape(chr(c)) for c in range(0x250) if chr(c).isupper()) + "\u0386-\u03ab\u0400-\u042f"
CAPWORD_RE = re.compile(  # (the lookahead only tests the first character early: every branch starts so)
    rf"(?=[{UPPER}\d])(?<![\w'.])(?:(?:[{UPPER}]\.){{2,}}|[{UPPER}]\w*(?:'\w+)*(?:-\w+(?:'\w+)*)*'?"
    rf"|\d{{1,3}}(?:st|nd|rd|th)(?= [{UPPER}]))"  # an ordinal before a name: "4th Circuit", "82nd Airborne"
)
# "Roe v. Wade": the versus of a court case's name
VERSUS_GAPS = frozenset({" v. ", " vs. ", " v ", " vs "})
HYPHEN_DIGITS_RE = re.compile(rf"\b([{UPPER}]\w+)-(\d{{1,3}})\b")
BARE_ACRONYM_RE = re.compile(r" \(([A-Z]{2,7})\)")
PAREN_ACRONYM_RE = re.compile(r" ?\((?:the )?([A-Z][A-Za-z.&]{1,9})\)")
DIGITS_AFTER_RE = re.compile(r" (\d{1,3})\b(?!,\d)(?: (\w+))?")
JOIN_GAP_RE = re.compile(r" ([a-z]+)(?: ([a-z]+))? ")
APPOS_AFTER_RE = re.compile(r", (?:a|an|the|its|his|her|their)\b([^,.;:()\"]{0,60})")
PLACE_AFTER_RE = re.compile(
    r" (?:city|province|region|district|oblast|town|village|county|rivers?|lake|valley"
    r"|mountains|desert|delta|basin|peninsula|island|islands)\b"
)
# "Amedy Coulibaly, 32, shot": a person's age in apposition
AGE_AFTER_RE = re.compile(r", \d{1,3},(?! ?\d)")
#: An appositive's age noun, as LETTERS_RE reads "a 17-year-old" ("year-old"; "two-year-old").
AGE_NOUN_RE = re.compile(r"(?:\w+-)?(?:year|month)s?-old")
# ", who": a relative pronoun only people take (organisations take "which")
WHO_AFTER_RE = re.compile(r", who\b")
# "Mark Knoller (@markknoller)": an embedded post's author and handle
HANDLE_AFTER_RE = re.compile(r" \(@\w+\)")
STATE_OF_RE = re.compile(
    r"^(?:republic|kingdom|state|commonwealth|federation|principality|sultanate|emirate) of (.+)$"
)
SMALL_WORDS = frozenset("a an the of in on at to for and or as by with from but is are".split())
LETTERS_RE = re.compile(r"[^\W\d_][\w'\-]*")
DATELINE_AFTER_RE = re.compile(r"(?:,| \(| -| \u2014| \u2013)")
# ", Indonesia researcher at ...": an appositive role without a determiner
BARE_APPOS_RE = re.compile(r", (?:[\w'\-]+ ){0,3}?([a-z][\w\-]*)(?= (?:at|of|for|with|in|to)\b|,)")
KNOWN_AS_RE = re.compile(r",? (?:also |better |commonly |locally )?(?:known|abbreviated) as ([A-Z][A-Za-z.&]{1,9})\b")
ORG_VERB_AFTER_RE = re.compile(
    r" (?:is|was|are|were|has been|had been) (?:owned|bought|acquired|listed|headquartered|majority-owned)\b"
)
GROUP_OF_NUMBER_RE = re.compile(r" of (\d{1,3})\b(?![.,]\d)")
SUBJECT_LIST_RE = re.compile(
    r"((?:, [A-Z][\w'\-]*(?: [A-Z][\w'\-]*){0,2})+),? and ([A-Z][\w'\-]*(?: [A-Z][\w'\-]*){0,2})( \([A-Z]{2,8}\))?"
)
SUBJECT_NOUN_RE = re.compile(r"(?:tion|sion|logy|ment|ics|ity|ence|ance|ure|ies|ing|ism|ness)$")
# "D-Calif.", "R-Iowa": a party and state tag after a US politician's name
PARTY_TAG_RE = re.compile(r"^[DRI]-[A-Z][a-z]*\.?$")
# a social-media handle or hashtag: "@ GovAbbott", "#HurricaneHarvey", and "pic.twitter.com/..."
HANDLE_BEFORE_RE = re.compile(r"(?:[@#] ?|pic\.twitter\.com/)$")
# "The Hill" link lists glue a repeated surname to the next headline: "InsleeHere", "TrumpGOP"
CAMEL_GLUE_RE = re.compile(r"[a-z][A-Z]")


@dataclass(frozen=True)
class Cues:
    """The lexicon's cue word lists, compiled once."""

    gaz: Gazetteer
    org_nouns_before: frozenset[str]
    org_nouns_after: re.Pattern[str]
    staff_nouns: frozenset[str]
    org_before_in: frozenset[str]
    kin_before: frozenset[str]
    name_possessives: frozenset[str]
    place_appositive: frozenset[str]
    appositive_stops: frozenset[str]
    compass: frozenset[str]
    regions: frozenset[str]
    prepositions: frozenset[str]
    org_joiners: frozenset[str]
    place_first_heads: frozenset[str]
    #: place heads that are no one's surname ("James Square" is a place, "James Hill" a person)
    place_heads_no_surname: frozenset[str]
    #: a company's legal suffixes ("Co.", "Inc.", "Labs")
    company_suffixes: frozenset[str]
    #: generation marks after a surname ("Jr.", "III")
    name_suffixes: frozenset[str]
    #: the last two words of an organisation's name whose last alone is no head ("air lines")
    org_head_phrases: frozenset[str]
    #: plural nouns that, after a place, name a sports team ("panthers")
    team_heads: frozenset[str]
    law_heads: frozenset[str]
    event_first_heads: frozenset[str]
    #: last words of named events, wars and holidays ("Cold War", "Election Day")
    event_last_heads: frozenset[str]
    abbreviated_titles: frozenset[str]
    #: titles that, written in lowercase, are as often adjectives ("a major Arab Spring state")
    adjective_titles: frozenset[str]
    word_given_names: frozenset[str]
    title_phrase_tails: dict[str, list[str]]
    #: " said", " urges": a speech verb right after a name (from ``speech_verbs_after``)
    speech_after: re.Pattern[str]
    #: "'s wife", "'s firing": what only a person has, after a possessive name
    possession_after: re.Pattern[str]
    #: " administration", " appointee": what follows a person's bare name ("Trump administration")
    person_nouns_after: re.Pattern[str]
    #: ".org", ".com": the end of a web address right after a capitalised word
    domain_after: re.Pattern[str]
    #: keys of known names and their leading words ("republican", "republican party")
    known_heads: frozenset[str] = frozenset()
    #: BEFORE_CUES with their word sets resolved: (words, gaps, type, score)
    before: tuple[tuple[frozenset[str], frozenset[str], EntityType, int], ...] = ()
    #: every word of :attr:`before` (a word in none of them skips the table)
    before_words: frozenset[str] = frozenset()
    _titles: dict[str, bool] = field(default_factory=dict)
    _given: dict[tuple[str, bool], bool] = field(default_factory=dict)

    def is_title(self, low: str) -> bool:
        """Whether a casefolded word is a title or honorific (``gov.``, ``president``)."""
        hit = self._titles.get(low)
        if hit is None:
            gaz = self.gaz
            bare = low.rstrip(".")
            hit = bare in gaz.titles or bare in gaz.honorifics or low in gaz.honorifics or _designate(bare, gaz)
            if not hit and len(bare) > 5 and bare.endswith("s"):  # Presidents Bush, Representatives
                hit = bare[:-1] in gaz.titles
            self._titles[low] = hit
        return hit

    def given_name(self, word: str, strict: bool = False) -> bool:
        """Whether *word* reads as a first name (not a common word, a place, a title...).

        Given names that are also common words (Will, May, Rose) count only
        when not *strict*.
        """
        hit = self._given.get((word, strict))
        if hit is None:
            hit = self._given[(word, strict)] = self._given_name(word, strict)
        return hit

    def rare_first_word(self, word: str) -> bool:
        """Whether *word*, a full name's first word, is no known given name, nor anything else
        known (a common word, a particle, a title, a place's or organisation's word): "Tamerlan", "Dzhokhar",
        "Chung" (of Chung Eui-yong), "Hua" (of Hua Chunying). Such a word alone names the one
        person whose name it opens: a rare given name, or a family name written first."""
        low = word.casefold()
        return low not in self.gaz.genders and low not in self.gaz.particles and self._plain_name_word(word)

    def _given_name(self, word: str, strict: bool) -> bool:
        low = word.casefold()
        if low not in self.gaz.genders or not self._plain_name_word(word):
            return False
        return not (strict and low in self.word_given_names)

    def _plain_name_word(self, word: str) -> bool:
        """No common word, title, place's or organisation's word, known name or large place."""
        low = word.casefold()
        gaz = self.gaz
        if low in gaz.common or low in gaz.nonnames or self.is_title(low):
            return False
        if low in gaz.org_heads or low in gaz.place_heads or low in self.place_first_heads or low in self.compass:
            return False
        if gaz.lookup(name_key(word)) is not None:
            return False
        place = gaz.place(name_key(word))
        return place is None or place.population < 200_000


def _designate(low: str, gaz: Gazetteer) -> bool:
    """``secretary-designate``, ``president-elect``: a title with a suffix."""
    head, sep, tail = low.rpartition("-")
    return bool(sep) and tail in ("designate", "elect") and (head in gaz.titles or head.split("-")[-1] in gaz.titles)


def _word_pattern(words: frozenset[str]) -> re.Pattern[str]:
    alts = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf" (?:{alts})\b")


@lru_cache(maxsize=1)
def cues() -> Cues:
    """The compiled cue lists (loaded once)."""
    gaz = gazetteer()
    tails: dict[str, list[str]] = defaultdict(list)
    for phrase in gaz.title_phrases:
        tails[phrase.rsplit(" ", 1)[1]].append(phrase)
    w = gaz.words
    made = Cues(
        gaz=gaz,
        org_nouns_before=w("org_nouns_before"),
        org_nouns_after=_word_pattern(w("org_nouns_after")),
        staff_nouns=w("staff_nouns"),
        org_before_in=w("org_before_in"),
        kin_before=w("kin_before"),
        name_possessives=w("name_possessives"),
        place_appositive=w("place_appositive"),
        appositive_stops=w("appositive_stops"),
        compass=w("compass"),
        regions=w("regions"),
        prepositions=w("prepositions"),
        org_joiners=w("org_joiners"),
        place_first_heads=w("place_first_heads"),
        place_heads_no_surname=w("place_heads_no_surname"),
        name_suffixes=w("name_suffixes"),
        company_suffixes=w("company_suffixes"),
        org_head_phrases=w("org_head_phrases"),
        team_heads=w("team_heads"),
        law_heads=w("law_heads"),
        event_first_heads=w("event_first_heads"),
        event_last_heads=w("event_last_heads"),
        abbreviated_titles=w("abbreviated_titles"),
        adjective_titles=w("adjective_titles"),
        word_given_names=w("word_given_names"),
        title_phrase_tails=dict(tails),
        speech_after=re.compile(_word_pattern(w("speech_verbs_after")).pattern + "(?!-)"),
        domain_after=re.compile(
            r"\.(?:" + "|".join(re.escape(d) for d in sorted(w("web_domains"), key=len, reverse=True)) + r")\b(?![.\w])"
        ),
        person_nouns_after=_word_pattern(w("person_nouns_after")),
        possession_after=re.compile(
            r"(?:'s|\u2019s) (?:[a-z]+ )?" + _word_pattern(w("person_possessions")).pattern[1:]
        ),
    )
    before = tuple(
        (getattr(made, c.section, None) or getattr(gaz, c.section), c.gaps, c.type, c.score) for c in BEFORE_CUES
    )
    object.__setattr__(made, "before", before)
    object.__setattr__(made, "before_words", frozenset().union(*(words for words, *_ in before)))
    heads = {" ".join(k.split()[:n]) for k in gaz.known if " " in k for n in range(1, k.count(" ") + 2)}
    object.__setattr__(made, "known_heads", frozenset(heads))
    return made


@dataclass(frozen=True, slots=True)
class PrevWordCue:
    """A word right before a name (after one of *gaps*) that is evidence of a type."""

    section: str          # the Cues attribute or gazetteer set the word must be in
    gaps: frozenset[str]  # what may separate it from the name
    type: EntityType
    score: int


#: The word before a name, tried in order (the first that applies wins).
BEFORE_CUES: tuple[PrevWordCue, ...] = (
    PrevWordCue("honorifics", frozenset({" ", ". ", " . "}), EntityType.PERSON, 5),  # Mr Tokayev
    PrevWordCue("titles", frozenset({" "}), EntityType.PERSON, 4),                  # adviser Thomas Bossert
    PrevWordCue("abbreviated_titles", frozenset({". ", " . "}), EntityType.PERSON, 4),  # Gov. Greg Abbott
    PrevWordCue("org_nouns_before", frozenset({" "}), EntityType.ORG, 3),           # the drugmaker Novartis
    PrevWordCue("kin_before", frozenset({" ", ", "}), EntityType.PERSON, 3),        # whose son Javier
)

#: Patterns right after a name (casefolded text) and what they show.
AFTER_CUES: tuple[tuple[re.Pattern[str], EntityType, int], ...] = (
    (ORG_VERB_AFTER_RE, EntityType.ORG, 3),   # Manchester City is owned by ...
    (PLACE_AFTER_RE, EntityType.PLACE, 2),    # the Rhine river
)


def subject_list(text: str, pos: int) -> bool:
    """Whether ``, X, Y and Z`` at *pos* continues an organisation's name.

    True when the list is followed by an acronym in parentheses, or when every
    item ends in a field-of-activity noun (Mediation, Meteorology, Studies);
    a list of other names ("Bank of America, Citigroup and Wells Fargo") is not.
    """
    m = SUBJECT_LIST_RE.match(text, pos)
    if m is None:
        return False
    if m.group(3):
        return True
    items = [x.strip() for x in m.group(1).split(",") if x.strip()] + [m.group(2)]
    return all(SUBJECT_NOUN_RE.search(x.rsplit(" ", 1)[-1]) for x in items)


_WORD_BACK_RE = re.compile(r"(?:[^\W_]|['\-.]){0,30}")


def prev_word(text: str, start: int) -> tuple[str, str, int]:
    """The word before ``start`` (casefolded), the gap after it, and its start."""
    seg = text[start - 34 if start > 34 else 0:start]
    body = seg.rstrip(" ,.")
    gap = len(seg) - len(body)
    if gap > 4:
        body, gap = seg[:-4], 4
    m = _WORD_BACK_RE.match(body[::-1])
    i = start - gap
    j = i - m.end() if m else i
    return text[j:i].casefold(), text[i:start], j


def initials(words: list[str], gaz: Gazetteer) -> tuple[str, str]:
    """Initials of a multi-word name: without and with joiner words."""
    content = "".join(w[0] for w in words if w not in gaz.joiners and w[0].isalnum())
    every = "".join(w[0] for w in words if w[0].isalnum())
    return content, every
