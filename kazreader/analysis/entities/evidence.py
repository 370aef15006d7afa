"""Typing from evidence: the cues one mention carries, scored per type.

A candidate collects, for each type, the strongest cue seen: the gazetteers
(known names, GeoNames places, state abbreviations), the name's own shape
(organisation, place, law and event head words; a given name first), the
word before it (:data:`~kazreader.analysis.entities.cues.BEFORE_CUES`) and
what follows it (appositives, speech verbs, organisation nouns). Typing pools
these over every mention of a name (see :mod:`.merging`).
"""

from __future__ import annotations

import re

from kazreader.analysis.entities.cues import (
    AFTER_CUES,
    AGE_AFTER_RE,
    AGE_NOUN_RE,
    APPOS_AFTER_RE,
    BARE_APPOS_RE,
    DATELINE_AFTER_RE,
    HANDLE_AFTER_RE,
    WHO_AFTER_RE,
    KNOWN_AS_RE,
    LETTERS_RE,
    PAREN_ACRONYM_RE,
    STATE_OF_RE,
    VERSUS_GAPS,
    Cues,
    cues,
    initials,
    prev_word,
)
from kazreader.analysis.entities.model import EntityType
from kazreader.analysis.entities.scanning import Cand, Part, Word
from kazreader.analysis.gazetteer import Gazetteer, GeoKind, Known, name_key

__all__ = ["make_candidate"]

PERSON, ORG, PLACE, OTHER = EntityType.PERSON, EntityType.ORG, EntityType.PLACE, EntityType.OTHER
_PLACE_BEFORE = frozenset("in at from to of near across the".split())


def make_candidate(
    cues: Cues, art: int, text: str, folded: str, part: Part, weak_line: bool
) -> Cand | None:
    """The candidate mention for a cleaned run, with its type cues (None if it is no name)."""
    gaz = cues.gaz
    seg = part.words
    single, w0 = len(seg) == 1, seg[0]
    if single and not w0.upper and (w0.low in gaz.common or w0.low in gaz.titles):
        return None
    start, end = w0.start, seg[-1].end
    surface = text[start:end]
    key = name_key(surface if single else " ".join(surface.split()))
    if not key or key in gaz.nonnames or key in gaz.demonyms:
        return None
    known = gaz.lookup(key)
    if single and known is None and not _single_word_name(cues, folded, w0, key, end):
        return None
    if single and w0.upper and _after_clock(gaz, folded, start):
        return None  # "9 a.m. ET, the diplomat …": a time zone (its appositive is the sentence's subject)
    cand = Cand(art, start, end, surface, key, weak_line or (single and w0.initial))
    cand.role, cand.honorific = part.role, part.honorific
    if part.person_score:
        cand.cue(PERSON, part.person_score)
    if single and w0.upper:
        _acronym_shape(cand, folded, w0, single, known, key in gaz.acronyms)
    if known is not None and single:  # the gazetteer decides; only a person's cues may overrule it
        cand.cue(known.type, 6)
        _before_cues(cues, cand, folded, single)
        if cues.speech_after.match(folded, end) and prev_word(folded, start)[0] not in _PLACE_BEFORE:
            cand.cue(PERSON, 2)  # "Jordan said": maybe Jim Jordan (not "in Washington said")
        return cand
    _intrinsic_cues(cues, cand, seg, folded, known)
    _before_cues(cues, cand, folded, single)
    _after_cues(cues, cand, folded, len(seg), weak_line)
    if not single:
        _expansion(cues, cand, folded, len(seg))
    return cand


#: The intrinsic cues by written form: of names that open a sentence, of the others.
_INTRINSIC: tuple[dict[str, tuple[str, dict[str, int]]], dict[str, tuple[str, dict[str, int]]]] = ({}, {})


def _intrinsic_cues(cues: Cues, cand: Cand, seg: list[Word], folded: str, known: Known | None) -> None:
    """The cues of the name itself (gazetteers, shape, first name), computed once per written form."""
    memo = _INTRINSIC[0 if seg[0].initial else 1]
    hit = memo.get(cand.surface)
    if hit is None:
        probe = Cand(cand.art, cand.start, cand.end, cand.surface, cand.key, False)
        _gazetteer_cues(cues, probe, seg, known)
        _shape_cues(cues, probe, seg, folded, known)
        if len(memo) > 100_000:
            memo.clear()
        hit = memo[cand.surface] = (probe.key, probe.cues)
    cand.key = hit[0]
    if not cand.cues:
        cand.cues.update(hit[1])  # (what cue() would keep: the scores are all positive)
        return
    for typ, score in hit[1].items():
        cand.cue(typ, score)


def _single_word_name(cues: Cues, folded: str, w0: Word, key: str, end: int) -> bool:
    gaz = cues.gaz
    if w0.low in gaz.common or w0.low in gaz.titles or len(key) < 2 or key[0].isdigit():
        return False
    # shouted words: BREAKING, UPDATE (but datelines are places)
    return not (w0.upper and len(key) > 6 and not (w0.initial and DATELINE_AFTER_RE.match(folded, end)))


def _after_clock(gaz: Gazetteer, folded: str, start: int) -> bool:
    """Whether a clock time ends right before *start* ("9 a.m.", "5pm")."""
    prev, gap, _ = prev_word(folded, start)
    if gap not in (" ", ". "):
        return False
    clock = gaz.words("clock_words")
    return prev in clock or (prev[:1].isdigit() and prev.lstrip("0123456789:") in clock)


def _acronym_shape(cand: Cand, folded: str, w0: Word, single: bool, known: Known | None, acronym: bool) -> None:
    if not (single and w0.upper):
        return
    if len(w0.text) == 2 and w0.low in cues().gaz.words("postal_codes") and _after_city(folded, cand.start):
        cand.cue(PLACE, 5)  # Grand Rapids, MI
    elif w0.initial and known is None and DATELINE_AFTER_RE.match(folded, cand.end):
        cand.cue(PLACE, 3)  # KARACHI — ...
        cand.weak = False
    elif len(cand.key.replace(" ", "")) <= 7 and known is None:
        cand.acronym = True
        cand.cue(ORG, 1)
    elif known is not None and acronym:
        cand.acronym = True


def _after_city(folded: str, start: int) -> bool:
    """Whether a capitalised place name and a comma come right before *start*."""
    before = folded[max(0, start - 40):start].rstrip()
    if not before.endswith(","):
        return False
    words = before[:-1].split()
    return bool(words) and words[-1][:1].isupper() and cues().gaz.place(name_key(" ".join(words[-2:]))) is not None \
        or bool(words) and cues().gaz.place(name_key(words[-1])) is not None


def _gazetteer_cues(cues: Cues, cand: Cand, seg: list[Word], known: Known | None) -> None:
    gaz = cues.gaz
    if known is None:
        m_state = STATE_OF_RE.match(cand.key)
        if m_state and (inner := gaz.lookup(m_state.group(1))) is not None and inner.type == PLACE:
            known, cand.key = inner, m_state.group(1)  # Republic of Kazakhstan
    if known is not None:
        cand.cue(known.type, 6)  # the gazetteer is definitive (but see honorific split)
        return
    if len(seg) == 1 and seg[0].low in gaz.state_abbreviations:
        cand.cue(PLACE, 6)  # Fla.
        return
    place = gaz.place(cand.key)
    if place is None:
        return
    if place.kind in (GeoKind.COUNTRY, GeoKind.US_STATE):
        cand.cue(PLACE, 6)
    elif len(seg) > 1 or place.population >= 1_000_000:
        cand.cue(PLACE, 4)
    else:
        cand.cue(PLACE, 3 if place.population >= 100_000 else 2)


def _shape_cues(cues: Cues, cand: Cand, seg: list[Word], folded: str, known: Known | None) -> None:
    """Head words of organisations, places, laws and events; a first name."""
    gaz = cues.gaz
    low = [w.low for w in seg]
    last, single = low[-1], len(seg) == 1
    if not single and (last in cues.law_heads or any(folded[a.end:b.start] in VERSUS_GAPS for a, b in zip(seg, seg[1:]))):
        cand.cue(OTHER, 5)  # Insurrection Act, Trade Act of 1974, Roe v. Wade
    elif not single and (low[0] in cues.event_first_heads or (
        last in cues.event_last_heads and not cues.given_name(seg[0].text, True)
    )):
        cand.cue(OTHER, 5)  # Hurricane Harvey, the Cold War (not Doris Day)
    elif last in gaz.org_heads or (
        not single and (_org_of(gaz.org_heads, seg, folded) or _company_or_team(cues, seg))
    ):
        cand.cue(ORG, 4)  # Delta Air Lines; Carolina Panthers (not the given name Carolina)
    elif not single and (last in gaz.place_heads or low[0] in cues.place_first_heads):
        no_surname = last in cues.place_heads_no_surname and not any(x in gaz.org_heads for x in low[:-1])
        cand.cue(PLACE, 4 if no_surname else 3)  # Gulf Coast, Fort Bragg; James Square (not a university's campus)
    elif known is None and not single and not cues.is_title(low[0]) and (
        low[0] in gaz.org_heads or getattr(gaz.lookup(name_key(seg[0].text)), "type", "") == ORG
    ):
        cand.cue(ORG, 2)  # Bank Indonesia, Radio Cooperativa, BBC Scotland
    elif known is None and len(seg) == 2 and low[0] in cues.compass:
        cand.cue(PLACE, 2)  # Central Java, Western Cape
    elif single and last in cues.regions and not seg[0].initial:
        cand.cue(PLACE, 2)  # the South and West
    elif any(x in gaz.org_heads for x in low[1:-1]):
        cand.cue(ORG, 3)  # Tea Party Patriots
    elif len(seg) >= 3 and any(folded[a.end:b.start] in (" and ", " for ", " of ", " on ") for a, b in zip(seg, seg[1:])):
        cand.cue(ORG, 2)  # U.S. Customs and Border Protection, Showing Up for Racial Justice
    if single and cues.domain_after.search(seg[0].text):
        cand.cue(ORG, 4)  # Presente.org
    if "-" in seg[0].text and single:
        head = gaz.lookup(name_key(seg[0].text.split("-")[0]))
        if head is not None and head.type == ORG:
            cand.cue(ORG, 3)
    _given_name_cue(cues, cand, seg, known)


def _company_or_team(cues: Cues, seg: list[Word]) -> bool:
    """A company's two-word head (``Delta Air Lines``), or a place and a team's plural noun (``Carolina
    Panthers``, ``Toronto Blue Jays``)."""
    low = [w.low for w in seg]
    if " ".join(low[-2:]) in cues.org_head_phrases:
        return True
    for n in (1, 2):
        if len(seg) > n and " ".join(low[-n:]) in cues.team_heads:
            where = name_key(" ".join(w.text for w in seg[:-n]))
            known = cues.gaz.lookup(where)
            return (known.type == PLACE) if known is not None else cues.gaz.place(where) is not None
    return False


def _org_of(heads: frozenset[str], seg: list[Word], folded: str) -> bool:
    """An organisation head before of/for/on: ``Ministry of Defence``."""
    return any(a.low in heads and folded[a.end:b.start] in (" of ", " for ", " on ") for a, b in zip(seg, seg[1:]))


def _given_name_cue(cues: Cues, cand: Cand, seg: list[Word], known: Known | None) -> None:
    first = seg[0].text.split("-")[0]
    if 2 <= len(seg) <= 4 and not any(w.upper for w in seg):
        if cues.given_name(first, strict=True):
            cand.cue(PERSON, 3)
        elif cues.given_name(first) and not seg[0].initial and not any(w.low in cues.gaz.common for w in seg[1:]):
            cand.cue(PERSON, 2)  # Will Hurd, Rose Gottemoeller (mid-sentence); not Marine One
    elif len(seg) == 1 and known is None and cues.given_name(first, strict=True):
        cand.cue(PERSON, 1)


def _before_cues(cues: Cues, cand: Cand, folded: str, single: bool) -> None:
    prev, gap, pstart = prev_word(folded, cand.start)
    if not prev:
        return
    bare = prev.rstrip(".")
    listed = bare in cues.before_words or prev in cues.before_words
    for words, gaps, typ, score in cues.before if listed else ():
        if gap in gaps and (bare in words or prev in words):
            if typ == PERSON and (_adjective_title(cues, cand, folded, prev, pstart) or _modifies_title(cues, cand, folded)):
                break
            cand.cue(typ, score)
            if typ == PERSON and cand.role is None and gap == " ":
                if prev in cues.gaz.titles:
                    cand.role = _lowercase_role(cues, folded, pstart, prev)
                else:  # a title of two words: "first lady Melania Trump" ("lady" alone is an honorific)
                    prev2, gap2, pstart2 = prev_word(folded, pstart)
                    if gap2 == " " and f"{prev2} {prev}" in cues.gaz.titles:
                        cand.role = _lowercase_role(cues, folded, pstart2, f"{prev2} {prev}")
            break
    else:
        if gap == " " and prev.endswith("maker"):
            cand.cue(ORG, 3)  # the Swiss drugmaker Novartis
        elif gap == ", ":
            before = folded[max(0, cand.start - 60):cand.start].rsplit(".", 1)[-1]
            if any(x.casefold() in cues.gaz.titles for x in LETTERS_RE.findall(before)[-6:]):
                cand.cue(PERSON, 2)
    if gap == " " and prev == "the":
        prev, gap, pstart = prev_word(folded, pstart)
    if gap == " ":
        _preposition_cues(cues, cand, folded, prev, pstart, single)


def _adjective_title(cues: Cues, cand: Cand, folded: str, prev: str, pstart: int) -> bool:
    """"a major Arab Spring state", "a private Google Groups forum": a lowercase title that is an
    adjective here (the name after it starts with no first name)."""
    return prev in cues.adjective_titles and folded[pstart:pstart + 1].islower() \
        and not cues.given_name(cand.surface.split()[0], True)


def _modifies_title(cues: Cues, cand: Cand, folded: str) -> bool:
    """"the firm's chief Albany lobbyist", "a senior White House official": a lowercase title right
    after the name is the one the title before it belongs to; the name only says where."""
    m = _NEXT_LOWER_RE.match(folded, cand.end)
    return m is not None and m.group(1) in cues.gaz.titles


_NEXT_LOWER_RE = re.compile(r" ([a-z]+)\b")


def _lowercase_role(cues: Cues, folded: str, pstart: int, title: str) -> str:
    """"White House press secretary Sarah Sanders": the lowercase title words before a name."""
    words = [title]
    for _ in range(3):
        prev, gap, pstart = prev_word(folded, pstart)
        if gap != " " or not prev or not prev.isalpha() or not (
            prev in cues.gaz.title_modifiers or prev in cues.gaz.titles
        ):
            break
        words.insert(0, prev)
    return " ".join(words)


def _preposition_cues(cues: Cues, cand: Cand, folded: str, prev: str, pstart: int, single: bool) -> None:
    """``city of X``, ``shares in X``, ``analysts at X``, ``in X``."""
    gaz = cues.gaz
    if prev == "of":
        head, gap2, _ = prev_word(folded, pstart)
        if gap2 == " " and head in gaz.place_context:
            cand.cue(PLACE, 4)
        elif gap2 == " " and head in cues.org_before_in:
            cand.cue(ORG, 3)  # shares of X
    elif prev in ("in", "at", "with", "for"):
        head, gap2, _ = prev_word(folded, pstart)
        people = head in cues.staff_nouns or head in gaz.titles or head.removesuffix("s") in gaz.titles
        if gap2 == " " and prev == "for" and people:
            cand.cue(ORG, 2)  # economist for Capital Economics (weaker: "a spokesman for Smith")
        elif gap2 == " " and (head in cues.org_before_in or (prev not in ("in", "for") and people)):
            cand.cue(ORG, 3)  # shares in X, published in the X, analysts at X
        elif single and prev != "for":
            cand.cue(PLACE, 1)
    elif prev in cues.prepositions and single:
        cand.cue(PLACE, 1)


def _after_cues(cues: Cues, cand: Cand, folded: str, n_words: int, weak_line: bool) -> None:
    """What follows the name: a space (verbs, head nouns, a handle), a comma (appositives, "who"), a possessive."""
    after = folded[cand.end:cand.end + 80]
    first = after[:1]
    if first == ",":
        _comma_after(cues, cand, folded, after, n_words, weak_line)
    elif first == " ":
        _space_after(cues, cand, after, n_words)
    elif first in ("'", "\u2019") and not cand.acronym and cues.possession_after.match(after):
        cand.cue(PERSON, 3)  # "Comey's firing"


def _comma_after(cues: Cues, cand: Cand, folded: str, after: str, n_words: int, weak_line: bool) -> None:
    gaz = cues.gaz
    ma = APPOS_AFTER_RE.match(after)
    if ma:
        _appositive(cues, cand, [x.casefold() for x in LETTERS_RE.findall(ma.group(1))[:6]], weak_line)
    elif n_words >= 2 and (mb := BARE_APPOS_RE.match(after)) and mb.group(1) in gaz.titles:
        cand.cue(PERSON, 2)  # Maya Putri, Indonesia researcher at ...
    elif AGE_AFTER_RE.match(after) and not cand.acronym:
        cand.cue(PERSON, 3)  # "Amedy Coulibaly, 32, shot"
    elif n_words == 1 and not cand.acronym and WHO_AFTER_RE.match(after) \
            and prev_word(folded, cand.start)[0] not in cues.appositive_stops:
        cand.cue(PERSON, 2)  # "Comey, who was fired" (not "qualify for DACA, who ...")


def _space_after(cues: Cues, cand: Cand, after: str, n_words: int) -> None:
    after_low = after.casefold()
    for pattern, typ, score in AFTER_CUES:
        if pattern.match(after_low):
            cand.cue(typ, score)
    if cues.org_nouns_after.match(after_low):
        cand.cue(ORG, 3)  # Interfax news agency
    if cues.speech_after.match(after) and (n_words >= 2 or not cand.acronym):
        cand.cue(PERSON, 1 if n_words >= 2 else 2)  # "Mujica added"
        cand.weak = cand.weak and n_words >= 2
    elif not cand.acronym and cues.person_nouns_after.match(after):
        cand.cue(PERSON, 2)  # the Trump administration, a Trump appointee
    elif n_words >= 2 and HANDLE_AFTER_RE.match(after) and cand.surface.split()[0].casefold() in cues.gaz.genders:
        cand.cue(PERSON, 3)  # "— Mark Knoller (@markknoller) April 5, 2019"


def _appositive(cues: Cues, cand: Cand, appos: list[str], weak_line: bool) -> None:
    """``X, a police spokeswoman``; ``Gavi, the vaccine alliance``; ``Rosal Alto, a town``."""
    gaz = cues.gaz
    # the head noun: the last word before a preposition, a relative pronoun or a participle
    # ("Jayden, a 17-year-old finishing up high school": not the school)
    cut = next((k for k, x in enumerate(appos) if x in cues.appositive_stops or (k >= 2 and x.endswith("ing"))),
               len(appos))
    noun = appos[cut - 1].rsplit("-", 1)[-1] if cut else ""
    if any(AGE_NOUN_RE.fullmatch(x) for x in appos[:cut]):
        cand.cue(PERSON, 3)  # "Jayden, a 17-year-old"
    elif any(x in gaz.titles for x in appos):
        cand.cue(PERSON, 2)
    elif noun in cues.org_nouns_before or noun in gaz.org_heads:
        cand.cue(ORG, 3)
        cand.weak = weak_line
    elif noun in gaz.place_heads or noun in cues.place_appositive:
        cand.cue(PLACE, 3)
        cand.weak = weak_line


def _expansion(cues: Cues, cand: Cand, folded: str, n_words: int) -> None:
    """``Collective Security Treaty Organisation (CSTO)``: the acronym this name introduces."""
    gaz = cues.gaz
    if n_words < 2:
        return
    mac = PAREN_ACRONYM_RE.match(folded, cand.end)
    if mac:
        acr = name_key(mac.group(1)).replace(" ", "")
        content, every = initials(cand.key.split(), gaz)
        if acr in (content, every) or (cand.cues.get(ORG, 0) >= 4 and gaz.lookup(acr) is None):
            cand.expands = acr
    elif (mk := KNOWN_AS_RE.match(folded, cand.end)) and mk.group(1).isupper():
        acr = name_key(mk.group(1)).replace(" ", "")
        if cand.cues.get(ORG, 0) >= 4 and gaz.lookup(acr) is None:
            cand.expands = acr  # the General Elections Commission, known as KPU
