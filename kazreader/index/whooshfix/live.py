"""A searcher whose scoring statistics do not depend on the index's history.

Whoosh marks a deleted (or replaced) document in its segment and keeps
counting it in the statistics BM25 scores with (the number of documents, a
term's document frequency, a field's total length) until the segment is
merged away; and a merged segment's total lengths are sums of the one-byte
lengths Whoosh keeps per document, where a freshly written one has the exact
counts. An index updated in place would then score the same documents a
little differently from a clean build of the same articles.

:class:`LiveSearcher` computes the three statistics over the live documents
only: the document count, document frequencies (each deleted document is
looked up in the term's posting list, a block at a time), and a field's
total length as the sum of the per-document lengths Whoosh keeps, whatever
the segment's history. So an index answers a query with the same scores
however it came to hold its documents. (The totals are thereby within a
fraction of a percent of the exact word counts; scores differ from plain
Whoosh's by as little.)
"""

from __future__ import annotations

from typing import Any

from whoosh.searching import Searcher

from kazreader.index.whooshfix import active, postings
from kazreader.index.whooshfix.bulk import length_total

__all__ = ["LiveSearcher"]


class LiveSearcher(Searcher):
    """A :class:`whoosh.searching.Searcher` scoring as if its documents had been indexed in one go."""

    def __init__(self, reader: Any, **kwargs: Any) -> None:
        super().__init__(reader, **kwargs)
        self._lengths: dict[str, int] = {}
        self._leaves: list[tuple[Any, list[int]]] = []
        if kwargs.get("parent") is not None:
            return
        self._leaves = [(leaf, sorted(getattr(leaf, "deleted_docs_set", ()) or ()))
                        for leaf, _offset in reader.leaf_readers()]
        if any(deleted for _leaf, deleted in self._leaves):
            self._doccount = reader.doc_count()
            self.doc_frequency = self._live_doc_frequency

    def _live_doc_frequency(self, fieldname: str, text: str | bytes) -> int:
        total = int(self.ixreader.doc_frequency(fieldname, text))
        if not total:
            return 0
        for leaf, deleted in self._leaves:
            raw = _raw_postings(leaf, fieldname, text) if deleted else None
            if raw is not None:
                total -= len(postings.present(raw, deleted))
        return max(total, 0)

    def field_length(self, fieldname: str) -> int:
        parent = self.parent() if self.parent is not None else None
        if parent is not None:
            return int(parent.field_length(fieldname))  # type: ignore[no-untyped-call]
        if fieldname not in self._lengths:
            self._lengths[fieldname] = self._live_length(fieldname)
        return self._lengths[fieldname]

    def _live_length(self, fieldname: str) -> int:
        total = 0
        for leaf, deleted in self._leaves:
            part = length_total(leaf._perdoc, fieldname, deleted) if active() and hasattr(leaf, "_perdoc") else None
            if part is None:  # (another Whoosh: the same sum, a byte at a time)
                gone = set(deleted)
                part = sum(leaf.doc_field_length(doc, fieldname, 0) or 0
                           for doc in range(leaf.doc_count_all()) if doc not in gone)
            total += part
        return max(total, 0)


def _raw_postings(leaf: Any, fieldname: str, text: str | bytes) -> Any:
    """*leaf*'s posting matcher for the term, deleted documents included (None: absent)."""
    field = leaf.schema[fieldname]
    key = text if isinstance(text, bytes) else field.to_bytes(text)
    terms = getattr(leaf, "_terms", None)
    if terms is None or (fieldname, key) not in leaf:
        return None
    return terms.matcher(fieldname, key, field.format)
