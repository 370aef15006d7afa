"""``entity:X`` and ``speaker:X`` expanded at search time to every name of X's merged entity.

The index's ``entity`` and ``speaker`` fields hold the names an article
itself writes (see :mod:`kazreader.analysis.article_fields`), one per line,
and their hidden twins (:data:`~kazreader.index.schema.NAME_TERM_FIELDS`)
hold each whole name as one term (:func:`name_terms`). The corpus-wide merge
of names ("CSTO" = "Collective Security Treaty Organization") is applied to
the query instead: each word or phrase on those fields also matches every
name, whole, of each merged entity one of whose names contains it
(:func:`expand_names`). So ``entity:csto`` finds the articles that only
write the long form, and one edited article changes one document.

A name of the expansion matches only a whole name: "Tokayev" of one entity
matches an article that writes "Tokayev", not one that only writes "Maria
Tokayev" (another entity); the words a person types still match anywhere in
a name, as before. A name that several merged entities have (a bare
"Clinton": Hillary's in one article, Bill's in another) is not part of any
expansion: which one an article means, only the corpus-wide merge knows. Pure
functions over Whoosh queries; no Whoosh I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from whoosh.query.compound import Or
from whoosh.query.positional import Phrase
from whoosh.query.qcore import Query
from whoosh.query.terms import Term

from kazreader.index.schema import NAME_TERM_FIELDS
from kazreader.text import word_norms

__all__ = ["NameVariants", "expand_names", "name_term", "name_terms", "uses_name_fields"]


def name_term(name: str) -> str:
    """*name* as one term of a hidden name field: its :func:`~kazreader.text.word_norms` words, space-joined."""
    return " ".join(word_norms(name))


def name_terms(names: Iterable[str]) -> str:
    """The value of a hidden name field: :func:`name_term` of each of *names*, one per line (each once)."""
    return "\n".join(dict.fromkeys(t for t in map(name_term, names) if t))


class NameVariants:
    """The corpus' merged names, looked up by any words of any of them.

    *groups* are the names of one merged entity each (its canonical name and
    variants); names are compared as :func:`~kazreader.text.word_norms` words.
    """

    def __init__(self, groups: Iterable[Sequence[str]]) -> None:
        self._groups: list[list[tuple[str, ...]]] = []
        self._by_word: dict[str, set[int]] = {}
        #: How many groups each name belongs to ("Clinton": Hillary's and Bill's).
        self._owners: dict[tuple[str, ...], int] = {}
        for names in groups:
            self._add([tuple(word_norms(n)) for n in names])

    def _add(self, names: list[tuple[str, ...]]) -> None:
        forms = list(dict.fromkeys(w for w in names if w))
        if not forms:
            return
        g = len(self._groups)
        self._groups.append(forms)
        for words in forms:
            self._owners[words] = self._owners.get(words, 0) + 1
            for w in words:
                self._by_word.setdefault(w, set()).add(g)

    def __len__(self) -> int:
        return len(self._groups)

    def to_json(self) -> list[list[str]]:
        """The groups' names, each as its :func:`name_term` (what :meth:`from_json` reads: no tokenising again)."""
        return [[" ".join(form) for form in forms] for forms in self._groups]

    @classmethod
    def from_json(cls, raw: list[list[str]]) -> NameVariants:
        """The variants :meth:`to_json` wrote."""
        out = cls(())
        for terms in raw:
            out._add([tuple(t.split(" ")) for t in terms if t])
        return out

    def alternatives(self, words: Sequence[str]) -> list[str]:
        """Every name (as a :func:`name_term`, sorted) of each group one of whose names holds *words* in a row,
        but the names that other groups have too: a bare "Clinton" names Hillary in one article and Bill in
        another, and which one only the corpus-wide merge knows (the words typed still match it)."""
        if not words:
            return []
        found = set.intersection(*(self._by_word.get(w, set()) for w in words))
        n = len(words)
        out: set[tuple[str, ...]] = set()
        want = tuple(words)
        for g in found:
            forms = self._groups[g]
            if any(form[i:i + n] == want for form in forms for i in range(len(form) - n + 1)):
                out.update(form for form in forms if self._owners[form] == 1)
        return sorted(" ".join(form) for form in out)


def _leaf_words(q: Query) -> list[str] | None:
    """The words of a ``Term`` or ``Phrase`` on a name field (None for any other query)."""
    if getattr(q, "fieldname", None) not in NAME_TERM_FIELDS:
        return None
    if type(q) is Term and isinstance(q.text, str):
        return [q.text]
    if type(q) is Phrase and all(isinstance(w, str) for w in q.words):
        return list(q.words)
    return None


def uses_name_fields(q: Query) -> bool:
    """True if *q* searches a name field with a word or phrase (what :func:`expand_names` changes)."""
    if _leaf_words(q) is not None:
        return True
    return any(uses_name_fields(c) for c in q.children())


def expand_names(q: Query, variants: NameVariants) -> Query:
    """*q* with each word or phrase on a name field also matching every whole name of the
    entities it names (see the module's docstring); other parts unchanged."""
    words = _leaf_words(q)
    if words is not None:
        hidden = NAME_TERM_FIELDS[getattr(q, "fieldname")]
        boost = getattr(q, "boost", 1.0)
        alts = [Term(hidden, name, boost=boost) for name in variants.alternatives(words)]
        return Or([q, *alts]) if alts else q
    if q.is_leaf():
        return q
    return q.apply(lambda child: expand_names(child, variants))
