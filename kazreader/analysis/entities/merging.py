"""Merging: candidate mentions -> groups by name key -> typed, merged entities.

* **Groups** hold every candidate with one :func:`~kazreader.analysis.gazetteer.name_key`;
  a group's type is the strongest cue pooled over its mentions.
* **Unions** (never across types): gazetteer aliases; acronyms and their
  expansions, written in any case (``NAFTA``, ``Nafta``); spelling and
  transliteration variants; personal names that differ only by middle
  initials or a nickname (``James B. Comey``, ``Rudy Giuliani``), never two
  different full names; nickname variants of a surname other people bear
  only on evidence of one person (:mod:`.namesakes`).
* **Surnames** (:mod:`.surnames`) join a full name mention by mention.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from kazreader.analysis.entities.cues import cues, initials
from kazreader.analysis.entities.model import ENTITY_TYPES, EntityType
from kazreader.analysis.entities.namesakes import Namesakes
from kazreader.analysis.entities.scanning import Cand
from kazreader.analysis.gazetteer import Gazetteer, GeoKind, name_key
from kazreader.analysis.unionfind import UnionFind

__all__ = ["Group", "build_groups", "canonical", "merge_groups", "resolve_weak"]

PERSON, ORG, PLACE, OTHER = EntityType.PERSON, EntityType.ORG, EntityType.PLACE, EntityType.OTHER
TYPE_RANK = {t: i for i, t in enumerate(ENTITY_TYPES)}
DIGITS_RE = re.compile(r"\d+")


@dataclass(slots=True)
class Group:
    """Every candidate with one name key (and, rarely, one honorific split)."""

    key: str
    type: str = OTHER
    score: int = 0
    cands: list[int] = field(default_factory=list)
    cues: dict[str, int] = field(default_factory=dict)
    acronym: bool = False
    upper: bool = False
    known: str | None = None
    #: typed PERSON only because its last word is a person's surname ("Beware Obama")
    inferred: bool = False


def pick_type(cues: dict[str, int]) -> tuple[str, int]:
    if not cues:
        return OTHER, 0
    typ = min(cues, key=lambda t: (-cues[t], TYPE_RANK[t]))
    return typ, cues[typ]


# --- weak candidates -----------------------------------------------------------------


def near_surname(key: str, surnames: Mapping[str, Sequence[str]]) -> str | None:
    """The unique known surname that *key* is a spelling variant of (same initial; each surname listed once)."""
    if len(key) < 5:
        return None
    near = process.extract(key, surnames.get(key[:1], ()), scorer=fuzz.ratio, score_cutoff=80, limit=2)
    return str(near[0][0]) if len(near) == 1 else None


def resolve_weak(cands: list[Cand], gaz: Gazetteer, text_of: list[str]) -> list[Cand]:
    """Keep weak candidates only when the corpus (or the gazetteer) vouches for them."""
    strong: set[str] = set()
    surnames: dict[str, dict[str, None]] = defaultdict(dict)  # by initial, in first-seen order
    for c in cands:
        if not c.weak:
            strong.add(c.key)
            if " " in c.key and c.cues.get(PERSON, 0) >= 2:
                last = c.key.rsplit(" ", 1)[1]
                strong.add(last)
                surnames[last[:1]][last] = None
    out: list[Cand] = []
    by_initial = {k: list(v) for k, v in surnames.items()}
    near: dict[str, bool] = {}  # (a weak name is asked about once, however often it is written)
    for c in cands:
        if not c.weak or c.key in strong or gaz.lookup(c.key) is not None or _geo_vouched(gaz, c):
            out.append(c)
        elif " " not in c.key:
            if c.key not in near:
                near[c.key] = near_surname(c.key, by_initial) is not None
            if near[c.key]:
                out.append(c)
        else:
            out += _headline_names(c, gaz, strong, text_of[c.art])
    return out


def _geo_vouched(gaz: Gazetteer, c: Cand) -> bool:
    place = gaz.place(c.key)
    return place is not None and (" " in c.key or place.population >= 100_000)


def _headline_names(c: Cand, gaz: Gazetteer, strong: set[str], text: str) -> list[Cand]:
    """A headline run: its longest sub-runs that are known names."""
    spans = [(m.start() + c.start, m.end() + c.start) for m in re.finditer(r"\S+", text[c.start:c.end])]
    out: list[Cand] = []
    i = 0
    while i < len(spans):
        for j in range(len(spans), i, -1):
            s, e = spans[i][0], spans[j - 1][1]
            surf = text[s:e].rstrip(",;:")
            e = s + len(surf)
            if surf.endswith(("'s", "\u2019s")):
                surf, e = surf[:-2], e - 2
            key = name_key(surf)
            if key and (key in strong or gaz.lookup(key) is not None) and key not in gaz.demonyms:
                sub = Cand(c.art, s, e, surf, key, False, para=c.para)
                known = gaz.lookup(key)
                if known is not None:
                    sub.cue(known.type, 3)
                out.append(sub)
                i = j - 1
                break
        i += 1
    return out


# --- groups and their types -------------------------------------------------------------


def build_groups(cands: list[Cand], gaz: Gazetteer, common: frozenset[str] = frozenset()) -> list[Group]:
    """Group candidates by key; a known place named with an honorific splits off as a person.

    A one-word name in *common* (common words of the corpus that no article writes as a person's
    name inside a sentence, see :func:`~kazreader.analysis.entities.extract.common_words`: "Image",
    "Employers", "Back") is a person only after an honorific ("Mr. Price"): a title before it may be
    an adjective ("Chief Image caption"), a speech verb after it a plural's ("Employers added").
    """
    # (keyed by the name key alone, or (key, PERSON) for the split: no tuple made per mention;
    # one dict, so the groups keep the order of their first mention)
    groups: dict[str | tuple[str, str], Group] = {}
    lookup = gaz.lookup
    states = gaz.state_abbreviations  # ("s.c.", "fla.": written with their dots)
    for ci, c in enumerate(cands):
        key = c.key
        known = lookup(key)
        sub = known is not None and known.type != PERSON and c.cues.get(PERSON, 0) >= 5
        slot = (key, PERSON) if sub else key
        g = groups.get(slot)
        if g is None:
            name = known.name if known and not sub else None
            if name is None:
                name = states.get(c.surface.casefold())  # "S.C.", "Fla.": the state (see _known_aliases)
            g = groups[slot] = Group(key, known=name)
        g.cands.append(ci)
        if c.acronym:
            g.acronym = True
        if not g.upper and c.surface.isupper():
            g.upper = True
        pooled = g.cues
        for typ, sc in c.cues.items():
            if sc > pooled.get(typ, 0):
                pooled[typ] = sc
        if sub:
            g.cues = {PERSON: max(pooled.get(PERSON, 0), 5)}
    glist = list(groups.values())
    for g in glist:
        g.type, g.score = pick_type(g.cues)
        if g.type == PERSON and g.score < 5 and g.key in common and g.known is None:
            g.type, g.score = pick_type({t: s for t, s in g.cues.items() if t != PERSON})
    _surname_evidence(glist, common | gaz.common)
    return glist


def _surname_evidence(glist: list[Group], common: frozenset[str]) -> None:
    """"Mr Nazarbayev" makes "Nursultan Nazarbayev" a PERSON, and a full PERSON name its surname
    (not a common word of the corpus or of the lexicon: "Back" is no surname for being the last
    word of "Do They Back", nor "The", "To", "On" for ending a headline's run)."""
    single_person = {g.key for g in glist if " " not in g.key and g.type == PERSON and g.score >= 4}
    multi_person_last = {g.key.rsplit(" ", 1)[1] for g in glist if " " in g.key and g.type == PERSON and g.score >= 2}
    for g in glist:
        if g.score >= 3 or g.known is not None or g.acronym:
            continue
        if " " in g.key and g.key.rsplit(" ", 1)[1] in single_person:
            g.type, g.score, g.inferred = PERSON, 3, True
        elif " " not in g.key and g.key in multi_person_last and g.key not in common:
            g.type, g.score = PERSON, 2


# --- unions ------------------------------------------------------------------------------


def merge_groups(glist: list[Group], cands: list[Cand], gaz: Gazetteer) -> UnionFind:
    """Union the groups that name one entity (aliases, acronyms, spellings, name variants)."""
    uf = UnionFind(len(glist))
    _known_aliases(glist, uf)
    _acronyms(glist, cands, uf, gaz)
    _fuzzy_merge(glist, uf, gaz)
    _person_variants(glist, cands, uf, gaz)
    _qualified_orgs(glist, cands, uf, gaz)
    return uf


def _national_qualifier(key: str, gaz: Gazetteer) -> bool:
    """A known organisation ("Senate", "U.N.") or a country ("U.S.", "France"); not a state or a
    city, whose "Colorado Republican Party" is a branch of the Republican Party, not the party."""
    known = gaz.lookup(key)
    if known is None:
        return False
    if known.type != PLACE:
        return True
    place = gaz.place(key)
    return place is None or place.kind == GeoKind.COUNTRY


def _qualified_orgs(glist: list[Group], cands: list[Cand], uf: UnionFind, gaz: Gazetteer) -> None:
    """"U.S. Supreme Court" / "Supreme Court", "Senate Judiciary Committee" / "Judiciary Committee":
    an organisation's name of two words or more, and the same name after a known organisation or
    a country (at most two words: :func:`_national_qualifier`), when the corpus writes it after no other qualifier ("House
    Judiciary Committee" beside the Senate's keeps the bare "Judiciary Committee" apart from both;
    so does "Texas Supreme Court" beside the U.S. one), and an article writes both (the evidence
    that one body is meant: "Police Department" elsewhere is any city's)."""
    orgs = {g.key: i for i, g in enumerate(glist) if g.type == ORG and " " in g.key and not g.acronym}
    qualified: dict[str, list[int]] = defaultdict(list)  # bare name -> its qualified forms
    for key, i in orgs.items():
        words = key.split()
        for k in (1, 2):
            bare = " ".join(words[k:])
            if len(words) - k >= 2 and bare in orgs:
                if _national_qualifier(" ".join(words[:k]), gaz):
                    qualified[bare].append(i)
                else:
                    qualified[bare].append(-1)  # (an unknown qualifier: a namesake, never joined)
    for bare, forms in qualified.items():
        if len(forms) == 1 and forms[0] >= 0:
            i, j = orgs[bare], forms[0]
            if {cands[ci].art for ci in glist[i].cands} & {cands[ci].art for ci in glist[j].cands}:
                uf.union(i, j)


def _known_aliases(glist: list[Group], uf: UnionFind) -> None:
    """UN / United Nations, Astana / Nur-Sultan."""
    by_known: dict[tuple[str, str], int] = {}
    for i, g in enumerate(glist):
        if g.known is not None and g.type != PERSON:
            uf.union(i, by_known.setdefault((g.known, g.type), i))


def _acronyms(glist: list[Group], cands: list[Cand], uf: UnionFind, gaz: Gazetteer) -> None:
    """Explicit ("Collective Security Treaty Organisation (CSTO)") and implicit (unique initials)."""
    acr_targets: dict[str, set[int]] = defaultdict(set)
    initials_index: dict[str, set[int]] = defaultdict(set)
    for i, g in enumerate(glist):
        for ci in g.cands:
            if cands[ci].expands:
                acr_targets[str(cands[ci].expands)].add(i)
        if " " in g.key and (g.type == ORG or g.type == OTHER and not _holds_a_person(g.key, gaz)):
            for ini in set(initials(g.key.split(), gaz)):
                if len(ini) >= 2:
                    initials_index[ini].add(i)
    for i, g in enumerate(glist):
        if g.type == PERSON or " " in g.key or not (g.acronym or (len(g.key) >= 4 and g.known is None)):
            continue
        targets = acr_targets.get(g.key) or (
            set() if g.known is not None or len(g.key) < 3
            else {t for t in initials_index.get(g.key, ()) if g.key not in glist[t].key.split()}
        )  # implicit initials: never a known name ("U.S."), two letters ("S.C.", "ET") or a word of the name
        roots = {uf.find(t) for t in targets}
        if len(roots) != 1:
            continue
        t = next(iter(targets))
        uf.union(i, t)
        if glist[t].type == OTHER and glist[t].score < 5:
            glist[t].type, glist[t].score = ORG, max(glist[t].score, 2)
        g.type = glist[t].type


def _holds_a_person(key: str, gaz: Gazetteer) -> bool:
    """Whether a name of no known type has a first name inside it, a person's name after it ("Next Pascal
    Rossignol", a photo credit after a gallery's "Next": its initials are no acronym of NPR's)."""
    return any(gaz.gender(w) is not None and w not in gaz.common and gaz.place(w) is None for w in key.split()[1:-1])


def _fuzzy_merge(glist: list[Group], uf: UnionFind, gaz: Gazetteer) -> None:
    """Merge spelling/transliteration variants of the same type, within small blocks; never two
    people whose first names are of different genders ("Eric Garner" and his daughter "Erica Garner")."""
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, g in enumerate(glist):
        if g.acronym:
            continue
        words = g.key.split()
        if g.type == PERSON:
            if len(words) >= 2:
                blocks[("P", words[0][0], words[-1][:2], str(len(words)))].append(i)
        elif len(compact := g.key.replace(" ", "")) >= 6:
            blocks[(g.type, compact[:2], str(len(words)))].append(i)
    shapes: dict[int, _Shape] = {}  # (each name's words and digits split once, not once per pair)
    for block in blocks.values():
        block = block[:200]  # guard against pathological blocks
        for i in block:
            if i not in shapes:
                shapes[i] = _shape(glist[i].key)
        for x, bx in enumerate(block):
            for by in block[x + 1:]:
                gi, gj = glist[bx], glist[by]
                if uf.find(bx) == uf.find(by) or (gi.known and gj.known and gi.known != gj.known):
                    continue
                if _same_name(gi.type == PERSON, shapes[bx], shapes[by]) and not (
                    gi.type == PERSON and _genders_differ(gaz, shapes[bx][1][0], shapes[by][1][0])
                ):
                    uf.union(bx, by)


def _genders_differ(gaz: Gazetteer, a: str, b: str) -> bool:
    """Whether first names *a* and *b* are known to be a man's and a woman's."""
    if a == b:
        return False
    ga, gb = gaz.gender(a), gaz.gender(b)
    return {ga, gb} == {"m", "f"}


#: A name key as :func:`_same_name` compares it: its numbers, its words, its letters without spaces, itself.
_Shape = tuple[list[str], list[str], str, str]


def _shape(key: str) -> _Shape:
    return DIGITS_RE.findall(key), key.split(), key.replace(" ", ""), key


def _same_name(person: bool, a: _Shape, b: _Shape) -> bool:
    """Two keys of one block (of two people's names when *person*) that spell one name."""
    if a[0] != b[0]:
        return False
    if person:
        wa, wb = a[1], b[1]
        if any(fuzz.ratio(x, y) < 80 for x, y in zip(wa, wb)):
            return False
        return fuzz.ratio(wa[-1], wb[-1]) >= 85 and fuzz.ratio(a[3], b[3]) >= 85
    return fuzz.ratio(a[2], b[2]) >= 88


def _person_variants(glist: list[Group], cands: list[Cand], uf: UnionFind, gaz: Gazetteer) -> None:
    """James B. Comey ~ James Comey; Rudy ~ Rudolph Giuliani: one first name, one surname.

    Names are compared without middle initials; two names whose initials
    differ (George W. Bush, George H.W. Bush) stay apart, and a name without
    initials joins only when a single set of initials is in use.
    """
    by_core: dict[tuple[str, int], list[int]] = defaultdict(list)
    namesakes = Namesakes(glist, cands, uf, gaz, _parts)
    for i, g in enumerate(glist):
        if g.type == PERSON and " " in g.key:
            words = _parts(g.key)[0]
            if len(words) >= 2:
                by_core[(words[-1], len(words))].append(i)
                namesakes.add_person(words)
    for (_, n), members in by_core.items():
        if len(members) < 2:
            continue
        for x, gx in enumerate(members):
            for gy in members[x + 1:]:
                if (
                    uf.find(gx) != uf.find(gy)
                    and _variant_pair(glist[gx].key, glist[gy].key, members, glist, gaz)
                    and namesakes.same_person(gx, gy, members)
                ):
                    uf.union(gx, gy)
    _middle_names(glist, uf, gaz, by_core, namesakes)


def _middle_names(
    glist: list[Group], uf: UnionFind, gaz: Gazetteer, by_core: dict[tuple[str, int], list[int]], namesakes: Namesakes,
) -> None:
    """Devin Patrick Kelley ~ Devin Kelley: a full name with middle names and the same first name and
    surname without them, on evidence that they name one person (:meth:`Namesakes.evidence`: an article
    writing both, one title, the same entities near both). Only when the corpus writes one set of middle
    names between that first name and surname, and no initials (George Herbert Walker Bush, George W. Bush
    and George Bush stay as they are)."""
    for (last, n), longs in by_core.items():
        shorts = by_core.get((last, 2)) if n >= 3 else None
        if not shorts:
            continue
        for gl in longs:
            core = _parts(glist[gl].key)[0]
            first = core[0]
            same_first = [m for m in longs if gaz.same_given_name(_parts(glist[m].key)[0][0], first)]
            if len({tuple(_parts(glist[m].key)[0][1:-1]) for m in same_first}) != 1:
                continue
            partners = [m for m in shorts if gaz.same_given_name(_parts(glist[m].key)[0][0], first)]
            if any(_parts(glist[m].key)[1] for m in partners):
                continue
            for gs in partners:
                words = set(core) | set(_parts(glist[gs].key)[0])
                if uf.find(gl) != uf.find(gs) and namesakes.evidence([gl], [gs], words):
                    uf.union(gl, gs)


def _parts(key: str) -> tuple[list[str], tuple[str, ...]]:
    words = key.split()
    core = [w for w in words if len(w) > 1 and w != "hw"]
    marks = tuple(w for w in words if len(w) == 1 or w == "hw")
    return core, marks


def _variant_pair(a: str, b: str, members: list[int], glist: list[Group], gaz: Gazetteer) -> bool:
    (ca, ia), (cb, ib) = _parts(a), _parts(b)
    if ca[1:] != cb[1:] or not gaz.same_given_name(ca[0], cb[0]):
        return False
    if ia and ib:
        return ia == ib
    if ia or ib:  # one has initials: only if every name of this core uses the same ones
        used = {_parts(glist[m].key)[1] for m in members if _parts(glist[m].key)[0][1:] == ca[1:]} - {()}
        return len(used) == 1
    return True


# --- the canonical name -----------------------------------------------------------------


#: A full name is the canonical one only when written at least this share as often as the commonest full name.
FULL_NAME_SHARE = 0.1


def _name_words(v: str) -> int:
    """The words of a name, initials and a leading "The" not counted ("The Trump" once is no fuller
    name than 21,525 "Trump"s)."""
    words = v.replace("-", " ").split()
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
    return sum(1 for w in words if len(w.rstrip(".")) > 1)


def _shouted(v: str) -> bool:
    """A name with a word of capitals ("AMY GOODMAN", "POLITICO Playbook")."""
    return any(len(w) > 4 and w.isupper() for w in v.replace("-", " ").split())


def _with_fewer_middle_names(variant_counts: Counter[str]) -> set[str]:
    """The person's names that the same first name and surname with fewer words between them outnumber
    ("Hillary Rodham Clinton" 18 times beside "Hillary Clinton" 213 times)."""
    out: set[str] = set()
    for v in variant_counts:
        words = v.split()
        if len(words) < 3:
            continue
        for u in variant_counts:
            other = u.split()
            if 2 <= len(other) < len(words) and (other[0], other[-1]) == (words[0], words[-1]) and (
                variant_counts[u] > variant_counts[v]
            ):
                out.add(v)
                break
    return out


def canonical(variant_counts: Counter[str], groups: list[Group], person: bool = False) -> str:
    """The most complete well-formed variant (the expansion, not the acronym); for a *person*, the
    commonest full name ("Hillary Clinton", not "Hillary Rodham Clinton" written a tenth as often); for a
    company, its name as written most, with or without its legal suffix ("Facebook", not "Facebook Inc")."""
    known = next((g.known for g in groups if g.known), None)
    if len(variant_counts) == 1:  # the common case
        only = next(iter(variant_counts))
        return known if known is not None and " " not in only and only.isupper() else only

    suffixes = cues().company_suffixes

    def score(v: str) -> tuple[bool, bool, int, int, int, int]:
        words = v.replace("-", " ").split()
        acronym = len(words) == 1 and sum(c.isupper() for c in v) >= 2 and v.upper() == v
        shouted = _shouted(v)
        legal = len(words) > 1 and words[-1].rstrip(".").casefold() in suffixes
        return (
            not acronym,
            not shouted,
            _name_words(v) - legal,  # middle initials add nothing, nor a company's legal suffix ("Facebook Inc")
            variant_counts[v],
            sum(c.isupper() for c in v) if not shouted else 0,
            -v.count("-"),
        )

    if known is not None and known in variant_counts:
        return known
    # The most complete name wins, but only among the full names written often enough: one quoted
    # headline ("Donald Trump Just Suggested That Someone Shoot Hillary Clinton", once) had named the
    # entity of 2,318 "Hillary Clinton"s, and its "Donald" then kept every bare "Clinton" away from it.
    # (not against a transcript's capitals: "AMY GOODMAN" 900 times leaves "Amy Goodman" the name)
    full = [v for v in variant_counts if _name_words(v) >= 2 and not _shouted(v)]
    floor = max((variant_counts[v] for v in full), default=0) * FULL_NAME_SHARE
    shorter = _with_fewer_middle_names(variant_counts) if person else set()
    best = max(sorted(
        v for v in variant_counts if (_name_words(v) < 2 or variant_counts[v] >= floor) and v not in shorter
    ), key=score)
    if known is not None and " " not in best and best.isupper():
        return known  # only the acronym was seen: "UN" -> "United Nations"
    return best
