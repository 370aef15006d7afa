"""Fuzzy terms (``word~``) on a many-segment index, found in C instead of Python.

Whoosh's ``MultiReader.terms_within`` (the base ``IndexReader``'s) walks the
field's whole lexicon merged across the segments and computes a
Damerau-Levenshtein distance in pure Python for every term: at 20,000 real
articles a single ``leggings~`` took 1.4 s, nearly all of it there, twice per
field (the search and the highlighter each expand the term).

:func:`terms_within` returns the same words in the same order: the field's
terms (each segment's lexicon, merged once per reader and kept with it) in
lexicon order, those sharing the prefix selected by bisection, and the
distance computed by rapidfuzz's ``OSA`` (the optimal-string-alignment
distance: Whoosh's ``damerau_levenshtein`` is that one, adjacent
transpositions counted once, no substring edited twice). A single segment's
reader keeps Whoosh's own automaton.
"""

from __future__ import annotations

import bisect
import threading
import weakref
from collections.abc import Iterator
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh.reading import MultiReader

__all__ = ["install", "terms_within", "uninstall"]

_whoosh_terms_within = MultiReader.terms_within
#: Each reader's decoded, sorted lexicon per field (dropped with the reader).
_LEXICONS: weakref.WeakKeyDictionary[Any, dict[str, list[str]]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _words(reader: MultiReader, fieldname: str) -> list[str]:
    """*fieldname*'s terms in all of *reader*'s segments, decoded, in lexicon order."""
    with _lock:
        fields = _LEXICONS.setdefault(reader, {})
        words = fields.get(fieldname)
    if words is None:
        fieldobj = reader.schema[fieldname]
        merged: set[bytes] = set()
        for sub in reader.readers:
            merged.update(sub.lexicon(fieldname))
        # (byte order is code point order: UTF-8 keeps it, so this is Whoosh's lexicon order)
        words = [fieldobj.from_bytes(b) for b in sorted(merged)]
        with _lock:
            fields[fieldname] = words
    return words


def terms_within(self: MultiReader, fieldname: str, text: str, maxdist: int, prefix: int = 0) -> Iterator[str]:
    """The words of *fieldname* within *maxdist* edits of *text* sharing its first *prefix*
    characters, as Whoosh's ``IndexReader.terms_within`` yields them."""
    if fieldname not in self.schema:
        return iter(_whoosh_terms_within(self, fieldname, text, maxdist, prefix))
    words = _words(self, fieldname)
    head = text[:prefix]
    lo = bisect.bisect_left(words, head)
    if head:
        hi = bisect.bisect_left(words, head + "\U0010ffff", lo)
        while hi < len(words) and words[hi].startswith(head):
            hi += 1
    else:
        hi = len(words)
    # (extract_iter yields the choices that pass in their order: the lexicon's)
    found = process.extract_iter(text, words[lo:hi], scorer=OSA.distance, score_cutoff=maxdist)
    return iter([w for w, _distance, _k in found])


def install() -> None:
    """Use :func:`terms_within` for many-segment readers (only
    :func:`kazreader.index.whooshfix.enable` calls it, after the version check)."""
    MultiReader.terms_within = terms_within  # type: ignore[method-assign,assignment]  # (a MultiReader method)


def uninstall() -> None:
    """Put Whoosh's own ``terms_within`` back."""
    MultiReader.terms_within = _whoosh_terms_within  # type: ignore[method-assign]

