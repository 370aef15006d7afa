"""A faster way to write Whoosh segments: postings grouped by term, blocks written whole.

Whoosh's :class:`~whoosh.writing.SegmentWriter` puts every posting of a new
segment into a pool as a ``(field, term, docnum, weight, value)`` tuple,
sorts them all (spilling sorted runs to disk past ``limitmb``), merges the
runs back and hands them one by one to the codec, which buffers them into
blocks of 128. At 20,000 articles that is tens of millions of tuples sorted,
pickled or marshalled, read back and added one at a time: most of the index
build (cProfile, 3,000 articles: the pool, the sort, the run files and the
per-posting ``add`` took about half of it).

:class:`TermPool` keeps a segment's postings grouped by field and term as
they arrive (documents arrive in docnum order, so each term's postings are
already sorted); only the distinct terms are sorted at the end. A document's
postings come from the schema's fields as columns (terms, frequencies,
values: :meth:`~kazreader.index.schema.KazText.index_columns`) and are added
with C-level ``map`` calls, not a Python step per posting.
:class:`BulkSegmentWriter` then writes each term's blocks whole, through the
codec's own block writer, so the files are the ones Whoosh writes (a test
compares every term, posting and statistic). It also indexes large batches
in forked children, each writing a segment of its own, instead of Whoosh's
multi-process writer, which pickles every document to a job file for its
workers to read back.

Writing the postings looks up each document's field length (for each
block's shortest and longest), and Whoosh's accessor seeks and reads one byte
per call (13% of the build): :func:`fast_length_reader` reads a field's whole
length column once. :func:`install` puts it in place (called by
:func:`kazreader.index.whooshfix.enable`).

All of this follows the internals of the exactly pinned ``whoosh3``
(:mod:`kazreader.index.whooshfix`); on any other version :func:`supported` is
false and the index uses Whoosh's own writer.

Blocks are written by :class:`_TermWriter`: the postings, statistics and
term infos of Whoosh's postings writer, a block's data pickled with protocol
4 (smaller and about three times faster to write and to read back than
Whoosh's protocol 2, which pickles each posting value as a function call),
and the term index filled a field at a time (:func:`_add_terms`).

Keeping postings in memory instead of spilling them costs about 20 bytes a
posting (docnum, weight, row number, and a pointer to a value shared between
equal values), 4 for a presence field (its docnum); a batch of
:data:`~kazreader.index.store.BATCH_SIZE` articles holds about 3.6 million.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import struct
import traceback
import zlib
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from hashlib import md5
from itertools import accumulate, chain, repeat
from operator import and_, sub
from multiprocessing.connection import Connection, wait
from typing import Any, cast

from whoosh import columns
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.system import emptybytes, pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from kazreader.index import whooshfix
from kazreader.lifeline import die_with_parent

__all__ = [
    "BulkSegmentWriter", "ChildIndexingError", "TermPool", "fast_length_reader", "install", "length_total", "supported",
    "uninstall",
]

#: Children report how many documents they have indexed every this many.
PROGRESS_EVERY = 50

Posting = tuple[str, bytes, int, float, bytes]


class ChildIndexingError(RuntimeError):
    """A child process indexing part of a batch failed (its traceback is the message)."""


class _FieldPostings:
    """One field's postings in a :class:`TermPool`, in arrival order, and each term's rows.

    While every posting so far has the same weight and value (a presence
    field: ``id``, ``date``, ``body_pairs``), only each term's docnums are
    kept, in ``rows``: no columns to fill, nothing to gather by row.
    """

    __slots__ = ("docnums", "weights", "values", "same", "rows", "last", "unsorted", "count")

    def __init__(self) -> None:
        self.docnums: array[int] = array("I")
        self.weights: array[float] = array("f")
        self.values: list[bytes] = []
        #: the weight and value of every posting so far, while they are all
        #: equal (a presence field): then the three columns stay empty
        self.same: tuple[float, bytes] | None = None
        #: term → the rows (indexes into the columns above) of its postings;
        #: its docnums while ``same`` is set
        self.rows: defaultdict[bytes, array[int]] = defaultdict(_new_rows)
        #: the highest docnum added so far
        self.last = -1
        #: terms whose postings arrived out of docnum order (merges only)
        self.unsorted: set[bytes] = set()
        #: postings added so far
        self.count = 0

    def add(self, docnum: int, terms: Sequence[bytes], weights: Sequence[float], values: Sequence[bytes]) -> None:
        if docnum < self.last:
            self.unsorted.update(terms)
        else:
            self.last = docnum
        n = len(terms)
        if not n:
            return
        same = self.same
        if not self.count and weights.count(weights[0]) == n and values.count(values[0]) == n:
            same = self.same = (weights[0], values[0])
        self.count += n
        if same is not None and (weights.count(same[0]) < n or values.count(same[1]) < n):
            self._columns()  # no longer all equal
            same = None
        if same is not None:
            deque(map(array.append, map(self.rows.__getitem__, terms), repeat(docnum)), 0)
            return
        start = len(self.docnums)
        self.docnums.extend(repeat(docnum, n))
        self.weights.extend(weights)
        self.values.extend(values)
        deque(map(array.append, map(self.rows.__getitem__, terms), range(start, start + n)), 0)

    def _columns(self) -> None:
        """Leave the all-equal mode: fill the columns, and each term's rows, from the docnums kept so far."""
        assert self.same is not None
        weight, value = self.same
        docnums = self.docnums
        for term, found in self.rows.items():
            start = len(docnums)
            docnums.extend(found)
            self.rows[term] = array("I", range(start, len(docnums)))
        self.weights.extend(repeat(weight, len(docnums)))
        self.values.extend(repeat(value, len(docnums)))
        self.same = None

    def postings(self, term: bytes) -> tuple[array[int], array[float], list[bytes]]:
        """*term*'s ``(docnums, weights, values)``, in docnum order."""
        rows = self.rows[term]
        if self.same is not None:
            weight, value = self.same
            docnums = array("I", sorted(rows)) if term in self.unsorted else rows
            return docnums, array("f", (weight,)) * len(rows), [value] * len(rows)
        docnum_of = self.docnums.__getitem__
        if term in self.unsorted:
            rows = array("I", sorted(rows, key=docnum_of))
        docnums = array("I", map(docnum_of, rows))
        return docnums, array("f", map(self.weights.__getitem__, rows)), list(map(self.values.__getitem__, rows))


def _new_rows() -> array[int]:
    return array("I")


class TermPool:
    """A segment's postings, grouped by field and term, in memory.

    A drop-in for Whoosh's ``PostingPool`` where :class:`BulkSegmentWriter`
    is concerned: ``add`` takes the same tuples and ``iter_postings`` yields
    them back sorted by field, term and docnum.

    Each field keeps its postings' docnums, weights and values in three
    columns in the order they arrive, and each term only the numbers of its
    rows: adding a document's postings is a few C-level extends and one
    append per posting (three appends to three small per-term arrays cost
    three times as much, in cache misses), and a term's postings are
    gathered by row when the segment is written. A field whose postings all
    have the same weight and value (``body_pairs``, a presence field) keeps
    just the docnums.
    """

    def __init__(self) -> None:
        self.fields: dict[str, _FieldPostings] = {}

    @property
    def fieldnames(self) -> set[str]:
        """The fields with postings (Whoosh's pools keep this set)."""
        return set(self.fields)

    def add(self, item: Posting) -> None:
        fieldname, term, docnum, weight, value = item
        self.add_columns(fieldname, docnum, [term], [weight], [value])

    def add_field(
        self,
        fieldname: str,
        docnum: int,
        items: Iterable[tuple[bytes, int, float, bytes]],
        boost: float = 1.0,
        scorable: bool = False,
    ) -> int:
        """Add one document's postings of one field: ``(term, freq, weight, value)`` as
        Whoosh's ``Field.index`` yields them, weights times *boost*.

        Returns the field's length (the sum of the frequencies) if *scorable*, else 0.
        """
        columns = list(zip(*items))
        if not columns:
            return 0
        terms, freqs, weights, values = columns
        self.add_columns(fieldname, docnum, terms, weights, values, boost)
        return sum(freqs) if scorable else 0

    def add_columns(
        self,
        fieldname: str,
        docnum: int,
        terms: Sequence[bytes],
        weights: Sequence[float],
        values: Sequence[bytes],
        boost: float = 1.0,
    ) -> None:
        """Add one document's postings of one field, by column (distinct *terms*),
        weights times *boost*."""
        field = self.fields.get(fieldname)
        if field is None:
            field = self.fields[fieldname] = _FieldPostings()
        field.add(docnum, terms, weights if boost == 1 else [w * boost for w in weights], values)

    def terms(self, fieldname: str) -> Iterator[tuple[bytes, array[int], array[float], list[bytes]]]:
        """``(term, docnums, weights, values)`` of *fieldname*, terms and docnums in order."""
        field = self.fields.get(fieldname)
        if field is None:
            return
        for term in sorted(field.rows):
            yield term, *field.postings(term)

    def iter_postings(self) -> Iterator[Posting]:
        for fieldname in sorted(self.fields):
            for term, ids, weights, values in self.terms(fieldname):
                for docnum, weight, value in zip(ids, weights, values):
                    yield fieldname, term, docnum, weight, value

    def cleanup(self) -> None:
        self.fields.clear()


class BulkSegmentWriter(SegmentWriter):
    """Whoosh's segment writer with a :class:`TermPool` and whole-block writing.

    Used exactly like :class:`~whoosh.writing.SegmentWriter` (the index's
    :meth:`~whoosh.index.FileIndex.writer` is not involved: construct it with
    the index). :meth:`add_in_children` indexes many documents in forked
    children, each adding a segment that this writer's commit puts in the
    table of contents.
    """

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)  # type: ignore[no-untyped-call]  # (Whoosh: unannotated)
        self.terms_pool = TermPool()
        self.pool = self.terms_pool  # type: ignore[assignment]  # (Whoosh's code sees its pool)
        self._child_segments: list[Any] = []

    # --- adding documents -----------------------------------------------------

    def add_document(self, **fields: Any) -> None:
        """Whoosh's ``add_document``, with the postings going straight into the :class:`TermPool`.

        Same steps, same per-document data; only the per-posting tuple and
        call are gone. Fields with a spelling field or term vectors, which the
        kazreader schema has none of, go through Whoosh's own code.
        """
        schema = self.schema
        if any(schema[name].separate_spelling() or schema[name].vector
               for name in fields if not name.startswith("_") and name in schema):
            super().add_document(**fields)  # type: ignore[no-untyped-call]
            return
        self._check_state()  # type: ignore[no-untyped-call]
        perdocwriter = self.perdocwriter
        docnum = self.docnum
        pool = self.terms_pool
        docboost = self._doc_boost(fields)  # type: ignore[no-untyped-call]
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)  # type: ignore[no-untyped-call]

        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)  # type: ignore[no-untyped-call]
                    columns = getattr(field, "index_columns", _no_columns)(value)
                    if columns is None:
                        length = pool.add_field(fieldname, docnum, field.index(value), fieldboost, field.scorable)
                    else:
                        terms, freqs, values = columns
                        pool.add_columns(fieldname, docnum, terms, freqs, values, fieldboost * field.format.field_boost)
                        length = sum(freqs) if field.scorable else 0
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except ValueError:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    # --- writing the postings -------------------------------------------------

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None  # type: ignore[no-untyped-call]
        try:
            self._write_postings(lengths)
        finally:
            self.fieldwriter.close()
            if lengths is not None:
                lengths.close()

    def _write_postings(self, lengths: Any) -> None:
        fw = self.fieldwriter
        schema = self.schema
        for fieldname in sorted(self.terms_pool.fields):
            fieldobj = schema[fieldname]
            scored = lengths is not None and fieldobj.scorable  # (others have no lengths: 0 for all)
            length_of = lengths.doc_field_length_reader(fieldname) if scored else None
            fw.start_field(fieldname, fieldobj)
            terms = _TermWriter(fw, fieldobj.format, length_of)
            for term, ids, weights, values in self.terms_pool.terms(fieldname):
                terms.write(term, ids, weights, values)
            terms.finish()
            fw.finish_field()

    def _merge_segments(self, mergetype: Any, optimize: Any, merge: Any) -> list[Any]:
        merged: list[Any] = super()._merge_segments(mergetype, optimize, merge)  # type: ignore[no-untyped-call]
        return merged + self._child_segments

    # --- indexing in children -------------------------------------------------

    def add_in_children(
        self,
        documents: Sequence[dict[str, Any]],
        procs: int,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """Index *documents* in *procs* forked children, each writing one segment.

        The segments join the index when this writer commits (and are
        forgotten, their files removed by a later commit, if it cancels).
        ``progress(n)`` is told how many documents the children have indexed
        so far. Raises :class:`ChildIndexingError` if a child fails. Call
        only from a process with no other threads (``fork``).
        """
        if not documents:
            return
        procs = max(1, min(procs, len(documents)))
        ctx = multiprocessing.get_context("fork")
        bounds = [len(documents) * k // procs for k in range(procs + 1)]
        children: dict[Connection, Any] = {}
        counts: dict[Connection, int] = {}
        order: dict[Connection, int] = {}
        for k in range(procs):
            receive, send = ctx.Pipe(duplex=False)
            part = documents[bounds[k] : bounds[k + 1]]
            child = ctx.Process(target=_child_main, args=(self, part, send, os.getpid()), daemon=True)
            child.start()
            send.close()
            children[receive] = child
            counts[receive] = 0
            order[receive] = k
        segments: list[Any] = [None] * procs  # in document order, whatever order they finish in
        failure: str | None = None
        try:
            open_ = list(children)
            while open_:
                for conn in cast(list[Connection], wait(open_)):
                    try:
                        kind, payload = conn.recv()
                    except EOFError:
                        kind, payload = "error", "the indexing process ended without a result"
                    if kind == "count":
                        counts[conn] = payload
                        if progress is not None:
                            progress(sum(counts.values()))
                        continue
                    open_.remove(conn)
                    if kind == "segment":
                        segments[order[conn]] = pickle.loads(payload)
                    elif failure is None:
                        failure = payload
                        for child in children.values():
                            child.kill()
        finally:
            for conn, child in children.items():
                child.join()
                conn.close()
        if failure is not None:
            raise ChildIndexingError(failure)
        self._child_segments.extend(segments)


class _TermWriter:
    """Writes one field's terms: each term's posting blocks into the postings
    file and its term info into the term index, for the same postings, block
    statistics and term infos as Whoosh's ``start_postings``,
    ``add_posting``, ``_write_block``, ``finish_postings`` and
    ``W3TermInfo.to_bytes`` (a test compares every term and posting with
    Whoosh's own writer), in a few C-level steps per block instead of a
    dozen calls per term and one per posting.

    Two things differ from Whoosh's bytes, not from what Whoosh reads back:
    a block's data tuple is pickled with protocol 4 (Whoosh's protocol 2
    pickles every position value as a call to ``codecs.encode``: blocks a
    third larger, three times slower to pickle and to unpickle; the reader
    calls ``pickle.loads``, which reads any protocol), and the blocks and
    term entries are written in large chunks (:func:`_add_terms`).
    """

    #: Postings bytes gathered before one write to the file.
    CHUNK = 1 << 20

    def __init__(self, fw: Any, fmt: Any, length_of: Callable[[int], int | None] | None) -> None:
        pw = fw._postwriter
        self.postfile = pw._postfile
        self.compression = pw._compression
        self.limit = pw._blocklimit
        self.fixedsize = fmt.fixed_value_size()
        self.length_of = length_of
        self.tindex = fw._tindex
        self.prefix = pack_ushort(fw._fieldid)
        self.offset = self.postfile.tell()
        self.chunks: list[bytes] = []
        self.pending = 0
        self.keys: list[bytes] = []
        self.infos: list[bytes] = []

    def write(self, term: bytes, ids: array[int], weights: array[float], values: Sequence[bytes]) -> None:
        """Write *term*'s postings (docnums in order) and remember its term info."""
        n = len(ids)
        limit = self.limit
        parts = [whoosh3.WHOOSH3_HEADER_MAGIC]
        total, maxweight, minlength, maxlength = 0.0, 0.0, None, 0
        for start in range(0, n, limit):
            end = start + limit
            block_weights = weights[start:end] if n > limit else weights
            block, block_max, low, high = self._block(ids[start:end] if n > limit else ids, block_weights,
                                                      values[start:end] if n > limit else values, end >= n)
            parts.append(block)
            total += sum(block_weights)
            maxweight = max(maxweight, block_max)
            minlength = low if minlength is None else min(minlength, low)  # type: ignore[type-var]  # (as W3TermInfo.add_block)
            maxlength = max(maxlength, high)
        data = b"".join(parts)
        info = _PACK_INFO(False, total, n, length_to_byte(minlength), length_to_byte(maxlength), maxweight,
                          ids[0], ids[-1])
        self.keys.append(self.prefix + term)
        self.infos.append(info + pack_long(self.offset) + pack_int(len(data)))
        self.offset += len(data)
        self.chunks.append(data)
        self.pending += len(data)
        if self.pending >= self.CHUNK:
            self._flush()

    def _block(
        self, ids: array[int], weights: array[float], values: Sequence[bytes], last: bool
    ) -> tuple[bytes, float, int | None, int]:
        """One block's bytes (length, info, data) and its max weight, min and max length."""
        if emptybytes in values:
            values = list(filter(None, values))
        n = len(ids)
        maxweight = max(0, max(weights))
        minlength: int | None = None
        maxlength = 0
        if self.length_of is not None:
            found = [x for x in map(self.length_of, ids) if x]
            if found:
                minlength, maxlength = min(found), max(found)
        if weights.count(1.0) == n:
            mini_weights: Any = None
        elif weights.count(weights[0]) == n:
            mini_weights = weights[0]
        else:
            mini_weights = tuple(weights)
        fixedsize = self.fixedsize
        if fixedsize is None or fixedsize < 0:
            mini_values: Any = tuple(values)
        else:
            mini_values = None if fixedsize == 0 else emptybytes.join(values)
        data = pickle.dumps((tuple(map(sub, ids, chain((0,), ids))), mini_weights, mini_values), 4)
        comp = self.compression if len(data) >= whoosh3.COMPRESSION_MIN_SIZE else 0
        if comp:
            data = zlib.compress(data, comp)
        info = pickle.dumps((n, ids[-1], maxweight, comp, length_to_byte(minlength), length_to_byte(maxlength)), 2)
        size = len(info) + len(data)
        return b"".join((pack_int(-size if last else size), info, data)), maxweight, minlength, maxlength

    def _flush(self) -> None:
        if self.chunks:
            self.postfile.write(b"".join(self.chunks))
            self.chunks.clear()
            self.pending = 0

    def finish(self) -> None:
        """Write what is pending and the field's term entries."""
        self._flush()
        _add_terms(self.tindex, self.keys, self.infos)
        self.keys, self.infos = [], []


_PACK_INFO = W3TermInfo._struct.pack
_LENGTHS_STRUCT = struct.Struct("!ii")


def _add_terms(tindex: Any, keys: list[bytes], values: list[bytes]) -> None:
    """``tindex.add(key, value)`` for each of *keys* (increasing) and *values*:
    the same file, hash buckets and key index as Whoosh's
    ``OrderedHashWriter.add``, written in one chunk."""
    if not keys:
        return
    if keys[0] <= tindex.lastkey:
        raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{keys[0]!r}")
    dbfile = tindex.dbfile
    sizes = list(map(len, values))
    entries = list(map(_LENGTHS_STRUCT.pack, map(len, keys), sizes))
    steps = list(map(sum, zip(repeat(_LENGTHS_STRUCT.size), map(len, keys), sizes)))
    positions = list(accumulate(steps[:-1], initial=dbfile.tell()))
    dbfile.write(b"".join(chain.from_iterable(zip(entries, keys, values))))
    index = tindex.index
    try:
        index.array.extend(array(index.typecode, positions))  # (all or nothing)
    except OverflowError:
        index.extend(positions)  # Whoosh's own growth to a wider type
    hashes = list(map(_md5_hash if tindex.hashtype == 0 else tindex.hashfn, keys))
    deque(map(list.append, map(tindex.buckets.__getitem__, map(and_, hashes, repeat(255))), zip(hashes, positions)), 0)
    tindex.lastkey = keys[-1]


def _md5_hash(key: bytes) -> int:
    """Whoosh's ``md5_hash`` (the low 32 bits of the key's MD5), without the hex round trip."""
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")


def _no_columns(value: Any) -> None:
    """A field without :meth:`~kazreader.index.schema.KazText.index_columns`."""
    return None


def _child_main(
    parent: BulkSegmentWriter, documents: Sequence[dict[str, Any]], send: Connection, parent_pid: int
) -> None:
    """A child of :meth:`BulkSegmentWriter.add_in_children`: one segment of *documents*
    (killed with the parent process, see :mod:`kazreader.lifeline`)."""
    die_with_parent(parent_pid)
    try:
        writer = BulkSegmentWriter(_IndexOf(parent), _lk=False)
        for done, fields in enumerate(documents, 1):
            writer.add_document(**fields)
            if done % PROGRESS_EVERY == 0:
                send.send(("count", done))
        segment = writer._finalize_segment()  # type: ignore[no-untyped-call]
        send.send(("segment", pickle.dumps(segment)))
    except BaseException:  # reported to the parent, which raises it
        try:
            send.send(("error", traceback.format_exc()))
        except Exception:
            pass
    finally:
        send.close()
        os._exit(0)  # no atexit handlers or buffers of the parent's


class _IndexOf:
    """The index a writer writes to, as a new writer needs it (storage, name, table of contents)."""

    def __init__(self, writer: SegmentWriter) -> None:
        self.storage = writer.storage
        self.indexname = writer.indexname
        self._schema = writer.schema
        self._generation = writer.generation - 1
        self._segments = writer.segments

    def _read_toc(self) -> Any:
        from whoosh.index import TOC

        return TOC(self._schema, self._segments, self._generation)  # type: ignore[no-untyped-call]

    def lock(self, name: str) -> Any:  # pragma: no cover - children never lock
        raise RuntimeError("a child writer does not lock the index")


# --- field lengths ------------------------------------------------------------

_whoosh_length_reader = whoosh3.W3PerDocReader.doc_field_length_reader
#: Decoded lengths of the 256 length bytes (0: no length stored), as Whoosh's ``doc_field_length`` gives them.
_LENGTHS: list[int | None] = [byte_to_length(b) if b else None for b in range(256)]


def length_column(perdoc: Any, fieldname: str) -> tuple[bytes, int] | None:
    """*fieldname*'s length column in a segment as the pinned Whoosh writes it: one byte per
    document (:data:`_LENGTHS` decodes them) and the byte of a document past its end; None for any
    other column (the caller then asks Whoosh per document)."""
    reader = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)  # type: ignore[no-untyped-call]
    if type(reader) is not columns.NumericColumn.Reader or reader._fixedlen != 1 or reader._reverse:
        return None
    count = reader._count
    return (reader._dbfile.get(reader._basepos, count) if count else b""), reader._defaultbytes[0]


def fast_length_reader(self: Any, fieldname: str, default: int = 0) -> Any:
    """``W3PerDocReader.doc_field_length_reader`` reading the field's length column in one go.

    Same results as Whoosh's accessor (tested), which reads one byte per call.
    """
    column = length_column(self, fieldname)
    if column is None:
        return _whoosh_length_reader(self, fieldname, default)  # type: ignore[no-untyped-call]
    raw, past_end = column
    count = len(raw)
    lengths = [_LENGTHS[b] for b in raw]
    missing = _LENGTHS[past_end]

    def get(docnum: int) -> int | None:
        return lengths[docnum] if docnum < count else missing

    return get


def length_total(perdoc: Any, fieldname: str, deleted: Iterable[int] = ()) -> int | None:
    """The field's total length over a segment's documents but *deleted*, each
    length as Whoosh keeps it per document (one byte, close to the count);
    None when the length column is not the pinned Whoosh's byte column."""
    column = length_column(perdoc, fieldname)
    if column is None:
        return None
    raw = column[0]
    count = len(raw)
    total = sum((_LENGTHS[b] or 0) * n for b, n in Counter(raw).items())
    return total - sum(_LENGTHS[raw[d]] or 0 for d in deleted if d < count)


def supported() -> bool:
    """True when the fixes are enabled (:func:`kazreader.index.whooshfix.enable`):
    :class:`BulkSegmentWriter` follows this Whoosh."""
    return whooshfix.active()


def install() -> None:
    """Make Whoosh's per-document readers use :func:`fast_length_reader`
    (only :func:`kazreader.index.whooshfix.enable` calls it, after the version check)."""
    whoosh3.W3PerDocReader.doc_field_length_reader = fast_length_reader  # type: ignore[method-assign]


def uninstall() -> None:
    """Put Whoosh's own length reader back."""
    whoosh3.W3PerDocReader.doc_field_length_reader = _whoosh_length_reader  # type: ignore[method-assign]
