"""A company's bare name joins the company its article names in full, mention by mention.

"Boeing Co. said it would cut jobs. Boeing said the planes were safe": the
second "Boeing" reads as a person's ("said"), yet it is the company the
article named with its legal suffix a moment before. A name written as a
company's full name without its suffix (``[company_suffixes]`` in
``data/lexicon.txt``: Co., Inc., Corp., Labs, ...) joins that company in the
articles that name it, unless the article also names a person of that
surname ("Abbott Laboratories" and "Greg Abbott" in one article: the bare
"Abbott" stays as the other steps left it). Elsewhere only a name typed as an
organisation joins ("Chevron" said of the company in another story); a
person's ("Abbott said" in a story about the governor) stays as it was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

from kazreader.analysis.entities.cues import Cues
from kazreader.analysis.entities.merging import Group
from kazreader.analysis.entities.model import EntityType
from kazreader.analysis.entities.scanning import Cand

__all__ = ["attach_head_forms", "attach_short_forms"]

#: How far back from a bare head ("Post") its "the" may start ("the Post", "The Post").
_THE_BEFORE = 4


def attach_short_forms(
    glist: list[Group], cands: list[Cand], cues: Cues, common: frozenset[str] = frozenset()
) -> dict[int, int]:
    """Candidate index -> the company group it joins (its bare name, in an article naming the company
    and no person of that surname: the company then wins over a person named only elsewhere).
    Elsewhere only an organisation's name that is no common word (*common*: the corpus' own, and
    the lexicon's: "Gas" of "The Gas Co." is not every "Gas")."""
    companies: dict[str, dict[int, int]] = defaultdict(dict)  # short key -> article -> company group
    for i, g in enumerate(glist):
        words = g.key.split()
        if g.type == EntityType.ORG and len(words) >= 2 and words[-1].rstrip(".") in cues.company_suffixes:
            short = " ".join(words[:-1])
            for ci in g.cands:
                companies[short].setdefault(cands[ci].art, i)
    if not companies:
        return {}
    surnamed = _surnamed(glist, cands, companies.keys())
    out: dict[int, int] = {}
    for g in glist:
        named = companies.get(g.key)
        if named is None or g.acronym or g.type == EntityType.PLACE:
            continue  # (the Suez Canal is no Suez Canal Company)
        # (elsewhere, a company's name by itself too: "Chevron" in a story without "Chevron Corp.")
        anywhere = g.type == EntityType.ORG and g.key not in common and g.key not in cues.gaz.common
        elsewhere = next(iter(named.values())) if anywhere else None
        persons = surnamed.get(g.key, set())
        for ci in g.cands:
            art = cands[ci].art
            target = named.get(art, elsewhere)
            if target is not None and art not in persons:
                out[ci] = target
    return out


def _surnamed(glist: list[Group], cands: list[Cand], words: Collection[str]) -> dict[str, set[int]]:
    """Each of *words* -> the articles that name a person of that surname in full."""
    out: dict[str, set[int]] = defaultdict(set)
    for g in glist:
        parts = g.key.split()
        if g.type == EntityType.PERSON and len(parts) >= 2 and parts[-1] in words:
            out[parts[-1]].update(cands[ci].art for ci in g.cands)
    return out


def attach_head_forms(glist: list[Group], cands: list[Cand], cues: Cues, texts: Sequence[str]) -> dict[int, int]:
    """Candidate index -> the organisation it stands for: "the Post" for The Washington Post, "the
    Court" for the Supreme Court, "the Committee" for the House Intelligence Committee, in an
    article that names exactly one organisation ending with that word. Only after "the", and never
    for a word known as an organisation of its own ("the House" is not the White House, "the
    Senate" no Senate committee) or standing for one (``[standalone_heads]``: "the Administration"
    is the president's, not the Food and Drug Administration's), nor in an article naming a person
    of that surname."""
    heads: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))  # head -> article -> orgs
    for i, g in enumerate(glist):
        words = g.key.split()
        if g.type == EntityType.ORG and len(words) >= 2 and not g.acronym:
            for ci in g.cands:
                heads[words[-1]][cands[ci].art].add(i)
    if not heads:
        return {}
    persons = _surnamed(glist, cands, heads.keys())
    standalone = cues.gaz.words("standalone_heads")
    out: dict[int, int] = {}
    for g in glist:
        named = heads.get(g.key)
        if named is None or " " in g.key or g.acronym or g.type in (EntityType.PERSON, EntityType.PLACE):
            continue
        if cues.gaz.lookup(g.key) is not None or g.key in standalone:
            continue
        for ci in g.cands:
            c = cands[ci]
            orgs = named.get(c.art)
            if not orgs or len(orgs) != 1 or c.art in persons.get(g.key, ()):
                continue
            if texts[c.art][max(0, c.start - _THE_BEFORE) : c.start].casefold().rstrip() == "the":
                out[ci] = next(iter(orgs))
    return out
