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
* the same other people, organisations and places are named near both
  (within :data:`NEAR` characters of a mention: the employer, the state, the
  committee): the cosine of the two sets of entities, each weighted by its
  inverse document frequency, reaches :data:`MIN_CONTEXT` (cross-document
  coreference after Bagga and Baldwin, 1998, with the entities around the
  name for the words of its sentences).

Otherwise they stay apart: a wrong merge is worse than a split.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from kazreader.analysis.entities.scanning import Cand
from kazreader.analysis.gazetteer import Gazetteer
from kazreader.analysis.unionfind import UnionFind

if TYPE_CHECKING:
    from kazreader.analysis.entities.merging import Group

__all__ = ["MIN_CONTEXT", "NEAR", "Namesakes", "role_head"]

#: How far from a mention (in characters, either way) the entities of its context are taken: about its
#: sentence and the next ones ("Chris Crane, president of the Immigration and Customs Enforcement Council").
NEAR = 300

#: The context cosine from which two forms name one person. Read by hand on the nickname pairs whose
#: surname another person bears, with no article or title in common: in abp-dev and the first 4,000
#: abp-10k articles, two people score at most 0.021 (Steve King the congressman, Stephen King the
#: novelist) and one person 0.046 or more (Mike Ryan, Michael Ryan of the WHO) -- or near 0, and then
#: the forms stay apart (Teddy, Theodore Roosevelt). On the next 4,000 articles (held out), the 16 pairs
#: it joins are all one person.
MIN_CONTEXT = 0.035


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
        self._group_of: list[int] = []
        self._roots: list[int] = []
        #: article -> the index of its first candidate (candidates are in article and offset order)
        self._first: dict[int, int] = {}
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
        return self.evidence(side_a, side_b, set(ca) | set(cb))

    def evidence(self, side_a: list[int], side_b: list[int], name_words: set[str]) -> bool:
        """Whether two sides (lists of groups) are shown to name one person: an article writes both,
        one title is written before both, or the same entities are named near both."""
        if self._articles(side_a) & self._articles(side_b):
            return True
        if self._roles(side_a) & self._roles(side_b):
            return True
        near_a, near_b = self._context(side_a, name_words), self._context(side_b, name_words)
        return _cosine(near_a, near_b, self._idf) >= MIN_CONTEXT

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

    def _tables(self) -> list[int]:
        """Each candidate's group (built once, with the roots, each article's candidates and each root's
        document frequency)."""
        if not self._group_of:
            cands = self.cands
            self._group_of = group_of = [0] * len(cands)
            for gi, g in enumerate(self.glist):
                for ci in g.cands:
                    group_of[ci] = gi
            self._roots = roots = [self.uf.find(i) for i in range(len(self.glist))]
            seen: set[int] = set()
            last = -1
            for ci, c in enumerate(cands):  # (in article order)
                if c.art != last:
                    self._df.update(seen)
                    seen = set()
                    self._first[c.art] = ci
                    last = c.art
                seen.add(roots[group_of[ci]])
            self._df.update(seen)
        return self._group_of

    def _context(self, side: list[int], name_words: set[str]) -> set[int]:
        """The entities (roots) named near the side's mentions, but the name itself (its surname, the variants)."""
        group_of = self._tables()
        cands, glist = self.cands, self.glist
        out: set[int] = set()
        for g in side:
            for ci in glist[g].cands:
                c = cands[ci]
                lo = self._first[c.art]
                k = bisect.bisect_left(cands, c.start - NEAR, lo, ci, key=_start)
                while k < len(cands) and cands[k].art == c.art and cands[k].start <= c.start + NEAR:
                    other = group_of[k]
                    if name_words.isdisjoint(glist[other].key.split()):
                        out.add(self._roots[other])
                    k += 1
        return out

    def _idf(self, root: int) -> float:
        return math.log(len(self._first) / self._df[root])


def _start(c: Cand) -> int:
    return c.start


def _cosine(u: set[int], v: set[int], weight: Callable[[int], float]) -> float:
    """The cosine of two sets of entities, each weighted by *weight*."""

    def norm(s: Iterable[int]) -> float:
        return math.sqrt(sum(weight(r) ** 2 for r in s))

    nu, nv = norm(u), norm(v)
    return sum(weight(r) ** 2 for r in u & v) / (nu * nv) if nu and nv else 0.0
