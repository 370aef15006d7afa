"""Posting lists read and skipped a block at a time (phrase search candidates).

Whoosh's ``skip_to`` steps one posting at a time inside a block and reads
every block it passes. These helpers use the block structure of the pinned
``whoosh3``'s on-disk matchers (``_ids``, ``_i``, ``_read_ids``,
``_next_block``) while :func:`kazreader.index.whooshfix.active`; otherwise,
or for any other matcher, they use Whoosh's public matcher API, with the
same results.
"""

from __future__ import annotations

import bisect
import pickle
import threading
import weakref
import zlib
from collections import OrderedDict
from itertools import accumulate
from operator import itemgetter
from typing import Any

from whoosh.system import _INT_SIZE

from whoosh.codec.whoosh3 import W3LeafMatcher, W3PerDocReader
from whoosh.matching.wrappers import FilterMatcher

from kazreader.index.whooshfix import active, bulk

__all__ = [
    "all_ids", "block_deltas", "blocks", "blockwise", "field_lengths", "positions", "present", "seek",
    "BLOCK_CACHE_BYTES", "BLOCK_CACHE_MIN", "clear_block_cache", "install", "uninstall", "unfiltered", "visit",
    "visit_positions",
]


def _unfiltered(m: Any) -> tuple[Any, frozenset[int] | set[int]]:
    """*m* without the filter Whoosh puts over a segment with deleted
    documents, and those documents (*m* itself and nothing when unfiltered)."""
    if type(m) is FilterMatcher and m._exclude and m.boost == 1.0 and blockwise(m.child):
        return m.child, m._ids
    return m, frozenset()


def blockwise(m: Any) -> bool:
    """True when *m* may be read a block at a time: the fixes are enabled
    (:func:`kazreader.index.whooshfix.active`, the pinned Whoosh) and *m* is
    one of its on-disk posting matchers."""
    return active() and isinstance(m, W3LeafMatcher)


def all_ids(m: Any) -> list[int]:
    """Every document id of the posting matcher *m*, a block at a time
    (a segment's deleted documents, which Whoosh filters out, left out too)."""
    raw, gone = _unfiltered(m)
    if gone:
        return [doc for doc in all_ids(raw) if doc not in gone]
    if not blockwise(m):
        return list(m.all_ids())
    out: list[int] = []
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        out.extend(m._ids[m._i :])
        m._next_block()
    return out


def positions(m: Any) -> list[int]:
    """The positions of the posting matcher *m*'s current posting (a ``Positions`` field).

    Whoosh's ``value_as("positions")`` sums the pickled deltas in a Python
    loop; here :func:`itertools.accumulate` does, with the same result.
    """
    m = _unfiltered(m)[0]
    if not blockwise(m):
        return list(m.value_as("positions"))
    value = m.value()
    if not value.endswith(b"."):
        value += b"."
    return list(accumulate(pickle.loads(value[_INT_SIZE:])))


def seek(m: Any, doc: int) -> None:
    """Move the posting matcher *m* to *doc*, which it holds.

    Whoosh's ``skip_to`` steps one posting at a time inside a block; here
    whole blocks are skipped by their last id and the block is bisected.
    """
    m = _unfiltered(m)[0]  # (*doc* is not a deleted document: the filter has nothing to skip)
    if m.id() >= doc:
        return
    if not blockwise(m):
        m.skip_to(doc)
        return
    while m.block_max_id() < doc:
        m._next_block()
    if m._ids is None:
        m._read_ids()
    m._i = bisect.bisect_left(m._ids, doc, m._i)


def present(m: Any, wanted: list[int]) -> list[int]:
    """The documents of sorted *wanted* that the posting matcher *m* holds."""
    raw, gone = _unfiltered(m)
    if gone:
        return [doc for doc in present(raw, wanted) if doc not in gone]
    out: list[int] = []
    if not blockwise(m):
        for doc in wanted:
            if m.id() < doc:
                m.skip_to(doc)
                if not m.is_active():
                    break
            if m.id() == doc:
                out.append(doc)
        return out
    for some in _blocks_holding(m, wanted):
        here = set(m._ids)
        out += [doc for doc in some if doc in here]
    return out


def _blocks_holding(m: Any, wanted: list[int]) -> Any:
    """The documents of sorted *wanted* that each block of the on-disk matcher *m* may hold
    (those up to its last id), one block after the other, *m* standing on the block with its
    ids read; blocks before the next wanted document are passed by their headers alone."""
    bisect_right = bisect.bisect_right
    i, n = 0, len(wanted)
    while i < n and m.is_active():
        top = m.block_max_id()
        if wanted[i] > top:
            m._next_block()  # reads the next block's header only
            continue
        j = bisect_right(wanted, top, i)
        if m._ids is None:
            m._read_ids()
        yield wanted[i:j]
        i = j
        m._next_block()


def visit(m: Any, wanted: list[int]) -> Any:
    """Move the posting matcher *m* to each document of sorted *wanted* that it
    holds, yielding the document while *m* stands on it (read its
    :func:`positions` or ``weight()`` then). Whole blocks are skipped by their
    last id and a block is bisected, as in :func:`seek`; a segment's deleted
    documents are never yielded."""
    raw, gone = _unfiltered(m)
    if not blockwise(raw):
        for doc in wanted:
            if not m.is_active():
                return
            if m.id() < doc:
                m.skip_to(doc)
                if not m.is_active():
                    return
            if m.id() == doc:
                yield doc
        return
    for doc, _i in _hits(raw, gone, wanted):
        yield doc


def _hits(raw: Any, gone: frozenset[int] | set[int], wanted: list[int]) -> Any:
    """``(doc, i)`` for each document of sorted *wanted* that the on-disk matcher *raw* holds,
    *raw* standing on it (``i``: its index in the block held); *gone* (deleted) are skipped.
    Whole blocks are skipped by their last id, a block is bisected, and the block's last id is
    kept while candidates fall inside it (this loop runs per phrase candidate)."""
    bisect_left, top = bisect.bisect_left, -1
    for doc in wanted:
        if doc in gone:
            continue
        if doc > top:
            while raw.is_active() and raw.block_max_id() < doc:
                raw._next_block()
            if not raw.is_active():
                return
            if raw._ids is None:
                raw._read_ids()
            top = raw.block_max_id()
        i = bisect_left(raw._ids, doc, raw._i)
        raw._i = i
        if raw._ids[i] == doc:
            yield doc, i


def blocks(m: Any) -> Any:
    """The posting matcher *m*'s postings from where it stands, a block at a
    time: ``(ids, weights)`` per block (a segment's deleted documents left
    out). Only for :func:`blockwise` matchers (or one filtered over such)."""
    raw, gone = _unfiltered(m)
    while raw.is_active():
        if raw._ids is None:
            raw._read_ids()
        if raw._weights is None:
            raw._read_weights()
        ids, weights = raw._ids[raw._i :], raw._weights[raw._i :]
        if gone:
            kept = [k for k, doc in enumerate(ids) if doc not in gone]
            ids, weights = [ids[k] for k in kept], [weights[k] for k in kept]
        yield ids, weights
        raw._next_block()


def unfiltered(m: Any) -> Any:
    """The on-disk posting matcher under *m* (Whoosh's filter over a segment's
    deleted documents removed; *m* itself otherwise): check it with
    :func:`blockwise` before :func:`blocks`, and read its ``scorer``."""
    return _unfiltered(m)[0]


def visit_positions(m: Any, wanted: list[int]) -> Any:
    """``(doc, positions, weight)`` for each document of sorted *wanted* that the
    posting matcher *m* holds: :func:`visit` with :func:`positions` and the
    weight read in place (one check of the matcher's kind, not one per posting)."""
    raw, gone = _unfiltered(m)
    if not blockwise(raw):
        for doc in visit(m, wanted):
            yield doc, positions(m), m.weight()
        return
    loads = pickle.loads
    for doc, i in _hits(raw, gone, wanted):
        if raw._values is None:
            raw._read_values()
        if raw._weights is None:
            raw._read_weights()
        value = raw._values[i]
        if not value.endswith(b"."):
            value += b"."
        yield doc, accumulate(loads(value[_INT_SIZE:])), raw._weights[i]


#: The pickle protocol header of a ``Positions`` value's deltas (``pickle.dumps(deltas, 2)``).
_PROTO_2 = b"\x80\x02"
#: The pickle's STOP opcode, ending a value (as a byte's number).
_STOP = ord(".")


def block_deltas(m: Any, wanted: list[int]) -> Any:
    """:func:`visit_positions` a block of postings at a time: ``(docs, deltas, weights)``
    for the documents of sorted *wanted* that the posting matcher *m* holds in one block,
    each document's positions as a list of their gaps, the first from 0
    (:func:`itertools.accumulate` gives the positions).

    The deltas of the block's wanted postings are unpickled in one ``pickle.loads``: each
    value is a count then ``pickle.dumps(deltas, 2)`` (a list of ints: no memo reference),
    so the lists' bodies joined inside one list give the same lists. Values of any other
    shape are unpickled one by one. Any other matcher: one document at a time, as
    :func:`visit_positions` reads it.
    """
    raw, gone = _unfiltered(m)
    if not blockwise(raw):
        for doc, where, weight in visit_positions(m, wanted):
            places = list(where)
            if places:  # (a posting has a position; without one, no phrase starts there)
                yield [doc], [[b - a for a, b in zip([0, *places], places)]], [weight]
        return
    loads, bisect_left = pickle.loads, bisect.bisect_left
    for some in _blocks_holding(raw, wanted):
        ids, first = raw._ids, raw._i
        if len(some) > _FEW:
            at = dict(zip(ids, range(len(ids))))
            docs = [doc for doc in some if doc in at and at[doc] >= first and doc not in gone]
            ks = list(map(at.__getitem__, docs))
        else:  # (a few candidates in the block, an ordinary phrase's: bisected)
            docs, ks = [], []
            for doc in some:
                k = bisect_left(ids, doc, first)
                if k < len(ids) and ids[k] == doc and doc not in gone:
                    docs.append(doc)
                    ks.append(k)
        if docs:
            if raw._values is None:
                raw._read_values()
            if raw._weights is None:
                raw._read_weights()
            yield docs, _deltas_of(list(map(raw._values.__getitem__, ks)), loads), list(map(raw._weights.__getitem__, ks))


#: Up to this many candidates in a block are bisected; more, looked up in a table of the block's ids.
_FEW = 8
#: A ``Positions`` value's count and pickle header, and its pickle's end (see :func:`_deltas_of`).
_HEAD = itemgetter(slice(_INT_SIZE, _INT_SIZE + 2))
_LAST = itemgetter(-1)
_BODY = itemgetter(slice(_INT_SIZE + 2, -1))


def _deltas_of(values: list[bytes], loads: Any) -> list[list[int]]:
    """The position deltas of ``Positions`` *values* (see :func:`block_deltas`)."""
    if set(map(_HEAD, values)) == {_PROTO_2} and set(map(_LAST, values)) == {_STOP}:
        found = loads(b"\x80\x02(" + b"".join(map(_BODY, values)) + b"l.")
        if type(found) is list and len(found) == len(values):
            return found
    return [loads(v[_INT_SIZE:] if v.endswith(b".") else v[_INT_SIZE:] + b".") for v in values]


def field_lengths(reader: Any, fieldname: str) -> list[int | None] | None:
    """Every document's length in *fieldname* in the segment *reader* (``lengths[docnum]``, as
    Whoosh's ``doc_field_length`` gives it; ``None`` where it has none), read in one go from the
    lengths column and kept with the segment's reader; ``None`` when the fixes are not active or
    the segment is not the pinned Whoosh's own (the caller asks per document).

    Scoring a word looks up a length per posting: through Whoosh, a column read per call (half
    a word query's time on 20,000 articles); here a list index.
    """
    perdoc = getattr(reader, "_perdoc", None)
    if not active() or type(perdoc) is not W3PerDocReader:
        return None
    cache: dict[str, list[int | None] | None] = perdoc.__dict__.setdefault("_kz_field_lengths", {})
    if fieldname not in cache:
        column = bulk.length_column(perdoc, fieldname)
        if column is None:
            cache[fieldname] = None
        else:
            raw = column[0][: perdoc._doccount]
            table = bulk._LENGTHS
            cache[fieldname] = [table[b] for b in raw] + [None] * (perdoc._doccount + 1 - len(raw))
    return cache[fieldname]


def _read_ids(self: Any) -> None:
    """``W3LeafMatcher._read_ids`` with the block's id gaps summed by :func:`itertools.accumulate`
    instead of Whoosh's generator (``delta_decode``, a Python step per posting): the same ids.
    Every posting block a query reads is decoded here (Whoosh's generator: a few per cent of a word query)."""
    if self._data is None:
        self._read_data()
    ids = self._data[0]
    self._ids = ids if self._byteids or type(self._data) is _Decoded else tuple(accumulate(ids))


#: Decoded posting blocks kept between queries, in bytes of memory at the most (see
#: :func:`_read_data`; a block counts its uncompressed bytes and :data:`_POSTING_OBJECTS` a posting).
BLOCK_CACHE_BYTES = 32 << 20
#: The Python objects of a decoded posting, about (its value's bytes object, its id and the
#: tuples' slots): with them a block's count is within a few per cent of ``sys.getsizeof``'s.
_POSTING_OBJECTS = 96
#: Only blocks of at least this many bytes on disk are kept: the long, position-heavy blocks of
#: the commonest words ("the", "of", …), which every phrase of frequent words decompresses again.
BLOCK_CACHE_MIN = 2048


class _Decoded(tuple):  # type: ignore[type-arg]
    """A kept block's ``(ids, weights, values)``, its ids already summed from their gaps."""


class _BlockCache:
    """Decoded posting blocks by (postings file, offset), least recently used dropped first.

    A segment's files never change; an entry holds its file weakly and counts only while that
    very file object is alive (an ``id`` may be reused once it is gone)."""

    def __init__(self) -> None:
        self._items: OrderedDict[tuple[int, int], tuple[Any, Any, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, postfile: Any, offset: int) -> Any:
        key = (id(postfile), offset)
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0]() is not postfile:
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, postfile: Any, offset: int, data: Any, size: int) -> None:
        if size > BLOCK_CACHE_BYTES:
            return
        key = (id(postfile), offset)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= old[2]
            self._items[key] = (weakref.ref(postfile), data, size)
            self._size += size
            while self._size > BLOCK_CACHE_BYTES:
                self._size -= self._items.popitem(last=False)[1][2]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


_BLOCKS = _BlockCache()


def clear_block_cache() -> None:
    """Forget every decoded posting block kept (the next reads decompress them again)."""
    _BLOCKS.clear()


def _read_data(self: Any) -> None:
    """``W3LeafMatcher._read_data``, keeping large decoded blocks between queries.

    Decompressing and unpickling the blocks of the commonest words was a third of a phrase of
    frequent words ("the" alone: 1.4 MB per 10,000 articles); the same words recur in every
    such phrase. Blocks of :data:`BLOCK_CACHE_MIN` bytes or more are kept, decoded, up to
    :data:`BLOCK_CACHE_BYTES` of memory: the same tuple Whoosh reads, shared read-only."""
    datalen = self._nextoffset - self._dataoffset
    postfile, offset = self._postfile, self._dataoffset
    data = _BLOCKS.get(postfile, offset) if datalen >= BLOCK_CACHE_MIN else None
    if data is None:
        raw = postfile.get(offset, datalen)
        if self._compression:
            raw = zlib.decompress(raw)
        data = pickle.loads(raw)
        if datalen >= BLOCK_CACHE_MIN:
            ids = data[0] if self._byteids else tuple(accumulate(data[0]))
            data = _Decoded((ids, *data[1:]))
            _BLOCKS.put(postfile, offset, data, len(raw) + _POSTING_OBJECTS * self._blocklength)
    self._data = data


_whoosh_read_ids = W3LeafMatcher._read_ids
_whoosh_read_data = W3LeafMatcher._read_data


def install() -> None:
    """Decode posting ids with :func:`_read_ids` (while the fixes are enabled)."""
    W3LeafMatcher._read_ids = _read_ids  # type: ignore[method-assign]
    W3LeafMatcher._read_data = _read_data  # type: ignore[method-assign]


def uninstall() -> None:
    """Put Whoosh's own ``_read_ids`` back."""
    W3LeafMatcher._read_ids = _whoosh_read_ids  # type: ignore[method-assign]
    W3LeafMatcher._read_data = _whoosh_read_data  # type: ignore[method-assign]
    _BLOCKS.clear()
