"""A bare surname (or first name) joins the full name its article means, mention by mention.

For a mention of ``Trump``, the candidates are the people, named in full,
whose name ends with it (or, for a given name, starts with it), filtered by
the honorific's gender (``Mrs Trump``):

* if the article names some of them in full, one of those: the only one, or
  the one whose full name was last used in the same paragraph; never a person
  the article doesn't name;
* else the only one in the corpus, or the only one with the role written
  before the mention (``President Trump``).

One sense per article: the mentions of a surname left undecided in an article
follow the others of it there when all of those went to one person and the
article names nobody else it could be ("President Trump" decides the plain
"Trump" of the paragraphs after it). Not for first names: one article often
has two Davids.

Otherwise the mention stays apart: a wrong merge is worse than a split.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from kazreader.analysis.entities.cues import Cues
from kazreader.analysis.entities.merging import Group
from kazreader.analysis.entities.model import EntityType
from kazreader.analysis.entities.scanning import Cand
from kazreader.analysis.gazetteer import name_key
from kazreader.analysis.unionfind import UnionFind

__all__ = ["attach_surnames"]

PERSON, OTHER = EntityType.PERSON, EntityType.OTHER
#: What :func:`_choose` returns for a mention kept from the only person it could join (:func:`_titled_before_named`).
_VETOED = -1
_GENDERS = {"mr": ("m", "u"), "mrs": ("f", "u"), "ms": ("f", "u"), "miss": ("f", "u"), "madam": ("f", "u")}


@dataclass
class _People:
    """The full-name PERSON roots: by surname / first name, their uses per article, roles."""

    by_last: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_first: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    uses: dict[int, list[tuple[int, int, int]]] = field(default_factory=lambda: defaultdict(list))
    #: The roots each article names in full (what :attr:`uses` holds, as a set: asked once per bare mention).
    named: dict[int, set[int]] = field(default_factory=dict)
    roles: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    gender: dict[int, str] = field(default_factory=dict)
    #: The roots whose name's first word is written as a word of its own ("Tamerlan Tsarnaev", not
    #: "WALMART-Denise Tolliver", whose key's first word is only a hyphen's half).
    first_written: set[int] = field(default_factory=set)


def _people(
    glist: list[Group], cands: list[Cand], uf: UnionFind, cues: Cues, common: frozenset[str] = frozenset()
) -> _People:
    p = _People()
    for i, g in enumerate(glist):
        if g.type != PERSON or " " not in g.key or not _full_name(g, cues):
            continue
        r = uf.find(i)
        words = g.key.split()
        # (a surname of two words or more ends a name only after what may be a first name: "Jefferson
        # Van Drew", "Omarosa Manigault Newman"; not after a common word or a title: "With Donald
        # Trump", "Average Joe Biden", "First Class Bowe Bergdahl", a link list's or a title's words)
        # (checked on the word before each such surname, not only the name's first: "Donald Trump Just
        # Suggested That Someone Shoot Hillary Clinton", a quoted headline, had made every "Hillary
        # Clinton" of the corpus its surname, 2,320 mentions away from her)
        whole = _may_open(words[0], cues, common)
        for k in range(1, len(words)):
            # (one that opens with a first name itself is someone's full name, unless a first name or
            # an initial comes before it too: "Mohammad Javad Zarif", not "… Shoot Hillary Clinton")
            if k == len(words) - 1 or whole and _may_open(words[k - 1], cues, common) and (
                words[k] not in cues.gaz.genders or words[k] in cues.gaz.particles
                or words[k - 1] in cues.gaz.genders or len(words[k - 1].rstrip(".")) == 1
            ):
                p.by_last[" ".join(words[k:])].add(r)
        p.by_first[words[0]].add(r)
        if name_key(cands[g.cands[0]].surface.split()[0]) == words[0]:
            p.first_written.add(r)
        p.gender.setdefault(r, cues.gaz.gender(words[0]) or "u")
        for ci in g.cands:
            c = cands[ci]
            p.uses[c.art].append((c.start, c.para, r))
            if c.role:
                p.roles[r].add(c.role.casefold().split()[-1])
            elif c.honorific and c.honorific not in _GENDERS:  # ("First Lady", "Sir", "Lord": a title too)
                p.roles[r].add(c.honorific)
    for art, uses in p.uses.items():
        uses.sort()
        p.named[art] = {r for _, _, r in uses}
    return p


def _may_open(word: str, cues: Cues, common: frozenset[str]) -> bool:
    """Whether *word* may be what comes before a surname of two words or more: a first name, an
    initial, or at least no common word or title."""
    return word in cues.gaz.genders or len(word.rstrip(".")) == 1 or not (
        word in common or word in cues.gaz.common or cues.is_title(word)
    )


def attach_surnames(
    glist: list[Group], cands: list[Cand], uf: UnionFind, cues: Cues, common: frozenset[str] = frozenset(),
    texts: Sequence[str] = (),
) -> dict[int, int]:
    """Candidate index -> the group it joins (bare surnames and first names).

    A bare name that is a common word of the corpus (*common*: "Back", "Watched") joins a person
    its article does not name only when the mention reads as a person's by more than a speech verb
    ("Rep. Young", "Mr. Price"; "Employers added" is a plural's): else "Back in the 1950s" would
    join whoever is the corpus' only "… Back".
    """
    people = _people(glist, cands, uf, cues, common)
    kin = cues.gaz.words("kinship")
    out: dict[int, int] = {}
    for i, g in enumerate(glist):
        if g.acronym or not _may_be_person(g, cands):
            continue
        root = uf.find(i)
        # (a rare first word only when typed a person's: "Ash" of "Ash Wednesday" is not Ash Carter's,
        # "Bing" the search engine no Bing West)
        rare = _rare_first(g.key, people, cues) if g.type == PERSON else set()
        targets = (_targets(g.key, people, cues) | rare) - {root}
        if not targets:
            continue
        surnamed = set(people.by_last.get(g.key, ())) | rare
        chosen: dict[int, set[int]] = defaultdict(set)
        undecided: dict[int, list[int]] = defaultdict(list)
        for ci in g.cands:
            c = cands[ci]
            if _reads_as_other(c):
                continue
            r = _choose(c, targets, people, surnamed, g.type == PERSON,
                        g.key not in common or c.cues.get(PERSON, 0) >= 3, texts, kin)
            if r == _VETOED:
                continue  # (nor does it follow the article's other mentions of the name)
            if r is None:
                undecided[c.art].append(ci)
            else:
                out[ci] = r
                chosen[c.art].add(r)
        for art, left in undecided.items():
            one = chosen.get(art, set())
            # (surnames only: two Davids of one article are common, two Trumps rare and named in full)
            if len(one) == 1 and targets <= surnamed and people.named.get(art, set()) & targets <= one:
                out.update((ci, next(iter(one))) for ci in left)
    return out


def _full_name(g: Group, cues: Cues) -> bool:
    """A first name and more, or a name that a title or honorific showed to be a person's."""
    first = g.key.split()[0]
    if g.inferred:
        return cues.given_name(first)
    return g.score >= 2 or len(first) == 1 or first in cues.gaz.genders or first in cues.gaz.particles


def _may_be_person(g: Group, cands: list[Cand]) -> bool:
    """PERSON or weakly typed names; a known place or organisation only with person cues ("Jordan said")."""
    if g.type == PERSON or (g.known is None and g.score < 5):
        return True
    return " " not in g.key and any(cands[ci].cues.get(PERSON, 0) >= 2 for ci in g.cands)


def _targets(key: str, people: _People, cues: Cues) -> set[int]:
    found = set(people.by_last.get(key, ()))
    if " " not in key:
        if cues.given_name(key, strict=True):
            found |= people.by_first.get(key, set())
    return found


def _rare_first(key: str, people: _People, cues: Cues) -> set[int]:
    """The one person whose full name opens with *key*, a word known as nothing else (see
    :meth:`Cues.rare_first_word`), when nobody's name ends with it: "Tamerlan" is Tamerlan
    Tsarnaev in the articles that call the brothers by their first names; "Mr. Chung" is
    Chung Eui-yong. Such a bare name typed a person's counts as a surname: from any article, after
    an honorific too."""
    if " " in key or people.by_last.get(key):
        return set()
    found = people.by_first.get(key, set())
    if len(found) != 1 or not found <= people.first_written or not cues.rare_first_word(key):
        return set()
    return set(found)


def _reads_as_other(c: Cand) -> bool:
    """This mention's own cues say it is no person's name."""
    return c.cues.get(PERSON, 0) < 1 and bool(c.cues) and max(c.cues.values()) >= 4


def _choose(
    c: Cand, targets: set[int], people: _People, surnamed: set[int], person: bool, elsewhere: bool = True,
    texts: Sequence[str] = (), kin: frozenset[str] = frozenset(),
) -> int | None:
    """The person *c* (a bare name) means among *targets* (or :data:`_VETOED`), *surnamed* those whose name ends with it;
    *person*: the bare name reads as a person's by itself; *elsewhere*: it may mean a person its
    article does not name; *texts*, *kin*: for :func:`_introduced_first`."""
    if c.honorific in _GENDERS and len(targets) > 1:  # "Mrs Trump": a hint, never a veto
        targets = {t for t in targets if people.gender.get(t, "u") in _GENDERS[c.honorific]} or targets
    here = people.named.get(c.art, set()) & targets
    if len(here) == 1:
        only = next(iter(here))
        return _VETOED if _titled_before_named(c, only, people) else only
    if here:
        last = _last_used(c, people.uses[c.art], here)
        if last is not None or not (here <= surnamed and texts and _one_person(c, texts[c.art])):
            return last
        return _introduced_first(c, people.uses[c.art], here, texts[c.art], kin, people.gender)
    if not elsewhere:
        return None
    # From another article, a first name joins the one person of that first name only when it reads
    # as a person's by itself ("Ivanka said"; not Hurricane "Harvey", the city of "Olympia"), and
    # never after a title: "Mr. Bradley" is a surname, not Bradley Manning's first name. (In the
    # article that names him, "Mr. Kim" may be Kim Jong Un's family name: see above.)
    if len(targets) == 1 and (targets <= surnamed or (person and not c.honorific)):
        return next(iter(targets))
    if c.role:
        word = c.role.casefold().split()[-1]
        with_role = {t for t in targets if word in people.roles.get(t, ())}
        if len(with_role) == 1:
            return next(iter(with_role))
    return None


def _titled_before_named(c: Cand, target: int, people: _People) -> bool:
    """"President Trump" before the article's first "Melania Trump", whose titles are others ("First
    lady"): a title the person never bears, before the article names her, is someone else's."""
    if not c.role:
        return False
    roles = people.roles.get(target)
    if not roles or c.role.casefold().split()[-1] in roles:
        return False
    return c.start < min(start for start, _para, r in people.uses[c.art] if r == target)


#: After a bare surname, a word that makes it a family's: "the Kouachi brothers", "the Tsarnaev family".
_COLLECTIVE_RE = re.compile(r"(?:'s|\u2019s)?\s+(?:brothers|sisters|siblings|family|families|twins|couple|household|clan)\b",
                            re.IGNORECASE)


#: The word right before a mention, when only a space parts them.
_WORD_BEFORE_RE = re.compile(r"(\w+)\s$")


def _one_person(c: Cand, text: str) -> bool:
    """Whether a bare surname reads as one person's in its article's *text*: no family's ("the
    Tsarnaev brothers"), and no fragment of a name the scan broke ("Said Kouachi", where "Said" read
    as the verb): a capitalised word right before it that is no title or honorific."""
    if _COLLECTIVE_RE.match(text, c.end):
        return False
    if c.role or c.honorific:
        return True
    m = _WORD_BEFORE_RE.search(text[max(0, c.start - 30):c.start])
    return m is None or not m.group(1)[:1].isupper()


def _introduced_first(
    c: Cand, uses: list[tuple[int, int, int]], here: set[int], text: str, kin: frozenset[str], gender: dict[int, str]
) -> int | None:
    """The one the article named in full first, before *c*, when every namesake after is named once,
    as someone's relative ("Christine Blasey Ford … Her husband, Russell Ford, told the newspaper … Ford
    said"): the story's own person, whom reporters call by the bare surname. Not two brothers the story
    is about ("his brother" is no such word: :data:`[kinship]` in ``data/lexicon.txt``). None when *c*
    comes before any of them. When the relative is of the other gender, only with more pronouns of the
    first one's than of the relative's around the mention, outside quotations ("her father, Andy
    Parker … Parker said" is the father's)."""
    k = bisect.bisect_left(uses, (c.start, -1, -1))
    first = next((r for _start, _para, r in uses[:k] if r in here), None)
    if first is None:
        return None
    seen: dict[int, int] = {}
    for start, _para, r in uses:
        if r in here and r != first:
            if r in seen:
                return None  # (named in full again: more than a relative in passing)
            seen[r] = start
    for start in seen.values():
        lead = text[max(0, start - 30):start].casefold()
        if not any(w.strip(",.'\u2019s") in kin for w in lead.split()[-3:]):
            return None
    own = gender.get(first, "u")
    other = {"m": "f", "f": "m"}.get(own)
    if other is not None and any(gender.get(r, "u") == other for r in seen):
        around = _QUOTED_RE.sub(" ", _around(text, c.start))
        # (more of hers than of his: "While his friend watched, Ford said, Kavanaugh pinned her to a bed
        # on her back" is hers; "Parker was reluctant to speak about his daughter's killing, but her
        # career changed his mind" is not)
        ours, theirs = len(_PRONOUNS[own].findall(around)), len(_PRONOUNS[other].findall(around))
        return first if ours > theirs else None
    return first


_PRONOUNS = {
    "m": re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE),
    "f": re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE),
}
_QUOTED_RE = re.compile(r"[\u201c\"][^\u201c\u201d\"]*[\u201d\"]")
_SENTENCE_END_RE = re.compile(r"[.!?][\u201d\"']?\s")


def _around(text: str, at: int) -> str:
    """The sentence holding *at* and the next one."""
    start = max((m.end() for m in _SENTENCE_END_RE.finditer(text, max(0, at - 400), at)), default=max(0, at - 400))
    ends = [m.end() for m in _SENTENCE_END_RE.finditer(text, at, at + 600)]
    return text[start:ends[1] if len(ends) > 1 else (ends[0] if ends else at + 600)]


def _last_used(c: Cand, uses: list[tuple[int, int, int]], here: set[int]) -> int | None:
    """The candidate whose full name was used last before *c*, in the same paragraph."""
    k = bisect.bisect_left(uses, (c.start, -1, -1))
    for start, para, r in reversed(uses[:k]):
        if r in here:
            return r if para == c.para else None
    return None
