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

from kazreader.analysis.entities.cues import Cues
from kazreader.analysis.entities.merging import Group
from kazreader.analysis.entities.model import EntityType
from kazreader.analysis.entities.scanning import Cand

__all__ = ["attach_short_forms"]


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
    surnamed: dict[str, set[int]] = defaultdict(set)  # surname -> articles naming a person of it in full
    for g in glist:
        words = g.key.split()
        if g.type == EntityType.PERSON and len(words) >= 2 and words[-1] in companies:
            surnamed[words[-1]].update(cands[ci].art for ci in g.cands)
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
