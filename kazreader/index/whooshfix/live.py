"""A searcher whose scoring statistics leave deleted documents out.

Whoosh marks a deleted (or replaced) document in its segment and keeps
counting it in the statistics BM25 scores with (the number of documents, a
term's document frequency, a field's total length) until the segment is
merged away. An index updated in place would then score the same documents
a little differently from a clean build of the same articles.
:class:`LiveSearcher` corrects the three statistics for the few deleted
documents: the document count and document frequencies exactly (a deleted
document is looked up in the term's posting list, a block at a time), the
field lengths from the lengths Whoosh keeps per document (stored in one byte:
close, not exact; a merged segment's totals are sums of those bytes too).
Without deletions it is Whoosh's own searcher.
"""

from __future__ import annotations

from typing import Any

from whoosh.searching import Searcher

from kazreader.index.whooshfix import postings

__all__ = ["LiveSearcher"]


class LiveSearcher(Searcher):
    """A :class:`whoosh.searching.Searcher` scoring as if deleted documents were gone."""

    def __init__(self, reader: Any, **kwargs: Any) -> None:
        super().__init__(reader, **kwargs)
        self._gone: list[tuple[Any, list[int]]] = []
        self._lengths: dict[str, int] = {}
        if kwargs.get("parent") is not None or not reader.has_deletions():
            return
        for leaf, _offset in reader.leaf_readers():
            deleted = sorted(getattr(leaf, "deleted_docs_set", ()) or ())
            if deleted:
                self._gone.append((leaf, deleted))
        if self._gone:
            self._doccount = reader.doc_count()
            self.doc_frequency = self._live_doc_frequency  # type: ignore[method-assign]

    def _live_doc_frequency(self, fieldname: str, text: str | bytes) -> int:
        total = int(self.ixreader.doc_frequency(fieldname, text))
        if not total:
            return 0
        for leaf, deleted in self._gone:
            raw = _raw_postings(leaf, fieldname, text)
            if raw is not None:
                total -= len(postings.present(raw, deleted))
        return max(total, 0)

    def field_length(self, fieldname: str) -> int:
        if self.has_parent():
            return int(self.get_parent().field_length(fieldname))
        total = int(self.ixreader.field_length(fieldname))
        if not self._gone:
            return total
        if fieldname not in self._lengths:
            self._lengths[fieldname] = sum(
                leaf.doc_field_length(doc, fieldname, 0) or 0 for leaf, deleted in self._gone for doc in deleted
            )
        return max(total - self._lengths[fieldname], 0)


def _raw_postings(leaf: Any, fieldname: str, text: str | bytes) -> Any:
    """*leaf*'s posting matcher for the term, deleted documents included (None: absent)."""
    field = leaf.schema[fieldname]
    key = text if isinstance(text, bytes) else field.to_bytes(text)
    if (fieldname, key) not in leaf:
        return None
    terms = getattr(leaf, "_terms", None)
    if terms is None:
        return None
    return terms.matcher(fieldname, key, field.format)
