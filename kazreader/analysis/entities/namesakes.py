"""Nickname variants across articles: whether "Rob Ford" and "Robert Ford" name one person.

A given name and its short form (Robert, Rob: ``data/nicknames.txt``) before
one surname name one person far more often than two, so :mod:`.merging` joins
them -- unless the corpus names another person of that surname with an
unrelated given name (Christine Blasey Ford, Gerald Ford). Then the surname is
no rare coincidence in this corpus, and the two forms join only on evidence
that they name one person:

* an article writes both;
* one title is written before both, compared by its head noun with its
  abbreviations spelled out (``Sen.`` and ``senator``; ``defense secretary``
  and ``secretary of defense``: ``data/lexicon.txt``, ``[title_forms]``);
* their articles name the same other people, organisations and places: the
  cosine of the two sets of entities, each weighted by its inverse document
  frequency, reaches :data:`MIN_CONTEXT` (cross-document coreference after
  Bagga and Baldwin, 1998, with the articles' entities for their words).

Otherwise they stay apart: a wrong merge is worse than a split.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from kazreader.analysis.entities.scanning import Cand
from kazreader.analysis.gazetteer import Gazetteer
from kazreader.analysis.unionfind import UnionFind

if TYPE_CHECKING:
    from kazreader.analysis.entities.merging import Group

__all__ = ["MIN_CONTEXT", "Namesakes", "role_head"]

#: The context cosine from which two forms' articles speak of one person. On abp-dev's nickname pairs
#: whose surname another person bears, the forms of one person score 0.08 to 0.17, two people 0 to 0.02.
MIN_CONTEXT = 0.05


def role_head(role: str, forms: Mapping[str, str]) -> str:
    """The noun a role is compared by: "Defense Secretary", "Secretary of Defense" -> "secretary"."""
    words = role.casefold().replace(".", "").partition(" of ")[0].split()
    head = words[-1] if words else ""
    return forms.get(head, head)


class Namesakes:
    """Evidence that two nickname variants of a full name, from one corpus, name one person.

    *parts* splits a group's key into its name words and its initials;
    the corpus-wide tables (articles' entities, document frequencies) are built at the first question.
    """

    def __init__(
        self,
        glist: list[Group],
        cands: list[Cand],
        uf: UnionFind,
        gaz: Gazetteer,
        parts: Callable[[str], tuple[list[str], tuple[str, ...]]],
    ) -> None:
        self.glist, self.cands, self.uf, self.gaz, self.parts = glist, cands, uf, gaz, parts
        #: surname -> the given names the corpus writes before it (people's full names)
        self.bearers: dict[str, set[str]] = defaultdict(set)
        self._art_groups: dict[int, set[int]] | None = None
        self._roots: list[int] = []
        self._df: Counter[int] = Counter()

    def add_person(self, core: list[str]) -> None:
        """A PERSON group's name words (no initials), first name first."""
        if self.gaz.gender(core[0]) is not None:
            self.bearers[core[-1]].add(core[0])

    def same_person(self, a: int, b: int, members: list[int]) -> bool:
        """Whether groups *a* and *b* (one surname, given names that are nicknames of each other) join;
        *members*: every group of that surname and length."""
        ca, cb = self.parts(self.glist[a].key)[0], self.parts(self.glist[b].key)[0]
        fa, fb = ca[0], cb[0]
        if fa == fb or not self._surname_shared(ca[-1], fa, fb):
            return True
        side_a = [m for m in members if self.parts(self.glist[m].key)[0] == ca]
        side_b = [m for m in members if self.parts(self.glist[m].key)[0] == cb]
        if self._articles(side_a) & self._articles(side_b):
            return True
        if self._roles(side_a) & self._roles(side_b):
            return True
        name_words = set(ca) | set(cb)
        return _cosine(self._context(side_a, name_words), self._context(side_b, name_words), self._idf) >= MIN_CONTEXT

    def _surname_shared(self, last: str, fa: str, fb: str) -> bool:
        same = self.gaz.same_given_name
        return any(not same(f, fa) and not same(f, fb) for f in self.bearers.get(last, ()))

    def _articles(self, side: list[int]) -> set[int]:
        return {self.cands[ci].art for g in side for ci in self.glist[g].cands}

    def _roles(self, side: list[int]) -> set[str]:
        forms = self.gaz.title_forms
        return {
            role_head(role, forms) for g in side for ci in self.glist[g].cands if (role := self.cands[ci].role)
        } - {""}

    def _tables(self) -> dict[int, set[int]]:
        """Article -> the groups it names; each root's document frequency (built once)."""
        if self._art_groups is None:
            self._art_groups = defaultdict(set)
            self._roots = [self.uf.find(i) for i in range(len(self.glist))]
            for gi, g in enumerate(self.glist):
                for ci in g.cands:
                    self._art_groups[self.cands[ci].art].add(gi)
            for groups in self._art_groups.values():
                self._df.update({self._roots[gi] for gi in groups})
        return self._art_groups

    def _context(self, side: list[int], name_words: set[str]) -> set[int]:
        """The entities (roots) the side's articles name, but the name itself (its surname, the variants)."""
        art_groups = self._tables()
        out: set[int] = set()
        for art in self._articles(side):
            for gi in art_groups[art]:
                if name_words.isdisjoint(self.glist[gi].key.split()):
                    out.add(self._roots[gi])
        return out

    def _idf(self, root: int) -> float:
        return math.log(len(self._tables()) / self._df[root])


def _cosine(u: set[int], v: set[int], weight: Callable[[int], float]) -> float:
    """The cosine of two sets of entities, each weighted by *weight*."""

    def norm(s: Iterable[int]) -> float:
        return math.sqrt(sum(weight(r) ** 2 for r in s))

    nu, nv = norm(u), norm(v)
    return sum(weight(r) ** 2 for r in u & v) / (nu * nv) if nu and nv else 0.0
