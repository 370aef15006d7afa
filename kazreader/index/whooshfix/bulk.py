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

Writing a block uses Whoosh's own ``_write_block``, with C-level twins of
its two per-posting helpers (:func:`_fast_minifiers`).

Keeping postings in memory instead of spilling them costs about 20 bytes a
posting (docnum, weight, row number, and a pointer to a value shared between
equal values), 8 for a presence field; a batch of
:data:`~kazreader.index.store.BATCH_SIZE` articles holds about 3.6 million.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback
import zlib
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, repeat
from operator import sub
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
    """One field's postings in a :class:`TermPool`, in arrival order, and each term's rows."""

    __slots__ = ("docnums", "weights", "values", "same", "rows", "last", "unsorted")

    def __init__(self) -> None:
        self.docnums: array[int] = array("I")
        self.weights: array[float] = array("f")
        self.values: list[bytes] = []
        #: the weight and value of every posting so far, while they are all
        #: equal (a presence field): then ``weights`` and ``values`` stay empty
        self.same: tuple[float, bytes] | None = None
        #: term → the rows (indexes into the columns above) of its postings
        self.rows: defaultdict[bytes, array[int]] = defaultdict(_new_rows)
        #: the highest docnum added so far
        self.last = -1
        #: terms whose postings arrived out of docnum order (merges only)
        self.unsorted: set[bytes] = set()

    def add(self, docnum: int, terms: Sequence[bytes], weights: Sequence[float], values: Sequence[bytes]) -> None:
        if docnum < self.last:
            self.unsorted.update(terms)
        else:
            self.last = docnum
        start = len(self.docnums)
        n = len(terms)
        if not n:
            return
        same = self.same
        if not start and weights.count(weights[0]) == n and values.count(values[0]) == n:
            same = self.same = (weights[0], values[0])
        if same is not None and (weights.count(same[0]) < n or values.count(same[1]) < n):
            self.weights.extend(repeat(same[0], start))  # no longer all equal
            self.values.extend(repeat(same[1], start))
            same = self.same = None
        self.docnums.extend(repeat(docnum, n))
        if same is None:
            self.weights.extend(weights)
            self.values.extend(values)
        deque(map(array.append, map(self.rows.__getitem__, terms), range(start, start + n)), 0)

    def postings(self, term: bytes) -> tuple[array[int], array[float], list[bytes]]:
        """*term*'s ``(docnums, weights, values)``, in docnum order."""
        rows = self.rows[term]
        docnum_of = self.docnums.__getitem__
        if term in self.unsorted:
            rows = array("I", sorted(rows, key=docnum_of))
        docnums = array("I", map(docnum_of, rows))
        if self.same is not None:
            weight, value = self.same
            return docnums, array("f", (weight,)) * len(rows), [value] * len(rows)
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
            fmt = fieldobj.format
            fw.start_field(fieldname, fieldobj)
            pw = fw._postwriter
            _fast_minifiers(pw)
            limit = pw._blocklimit
            scored = lengths is not None and fieldobj.scorable  # (others have no lengths: 0 for all)
            length_of = lengths.doc_field_length_reader(fieldname) if scored else None
            fieldid = fw._fieldid
            add_term = fw._tindex.add
            prefix = pack_ushort(fieldid)
            single = _SingleBlock(pw, fmt, length_of)
            for term, ids, weights, values in self.terms_pool.terms(fieldname):
                n = len(ids)
                if n <= limit:
                    add_term(prefix + term, single.write(ids, weights, values))
                    continue
                pw.start_postings(fmt, W3TermInfo())  # type: ignore[no-untyped-call]
                for start in range(0, n, limit):
                    end = min(start + limit, n)
                    block_ids = ids[start:end]
                    block_weights = weights[start:end]
                    block_values = values[start:end]
                    if emptybytes in block_values:
                        block_values = list(filter(None, block_values))
                    pw._ids = block_ids
                    pw._weights = block_weights
                    pw._values = block_values
                    pw._maxweight = max(0, max(block_weights))
                    if length_of is not None:
                        found = [x for x in map(length_of, block_ids) if x]
                        pw._minlength = min(found) if found else None
                        pw._maxlength = max(found) if found else 0
                    else:
                        pw._minlength, pw._maxlength = None, 0
                    if end < n:
                        pw._write_block()
                terminfo = pw.finish_postings()
                add_term(prefix + term, terminfo.to_bytes())
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


class _SingleBlock:
    """Writes a term whose postings fit in one block (most terms: rare words)
    and returns its term info bytes: what Whoosh's ``start_postings``,
    ``_write_block(last=True)``, ``finish_postings`` and ``W3TermInfo.to_bytes``
    write, byte for byte, in one step instead of a dozen calls a term (a test
    compares every term and posting with Whoosh's own writer)."""

    def __init__(self, pw: Any, fmt: Any, length_of: Callable[[int], int | None] | None) -> None:
        self.postfile = pw._postfile
        self.compression = pw._compression
        self.fixedsize = fmt.fixed_value_size()
        self.length_of = length_of
        self.pack_info = W3TermInfo._struct.pack

    def _mini_values(self, values: Sequence[bytes]) -> Any:
        fixedsize = self.fixedsize
        if fixedsize is None or fixedsize < 0:
            return tuple(values)
        return None if fixedsize == 0 else emptybytes.join(values)

    def write(self, ids: array[int], weights: array[float], values: Sequence[bytes]) -> bytes:
        if emptybytes in values:
            values = list(filter(None, values))
        maxweight = max(0, max(weights))
        minlength: int | None = None
        maxlength = 0
        if self.length_of is not None:
            found = [x for x in map(self.length_of, ids) if x]
            if found:
                minlength, maxlength = min(found), max(found)
        n = len(ids)
        if weights.count(1.0) == n:
            mini_weights: Any = None
        elif weights.count(weights[0]) == n:
            mini_weights = weights[0]
        else:
            mini_weights = tuple(weights)
        data = pickle.dumps((tuple(map(sub, ids, chain((0,), ids))), mini_weights, self._mini_values(values)), 2)
        comp = self.compression if len(data) >= whoosh3.COMPRESSION_MIN_SIZE else 0
        if comp:
            data = zlib.compress(data, comp)
        minbyte, maxbyte = length_to_byte(minlength), length_to_byte(maxlength)
        info = pickle.dumps((n, ids[-1], maxweight, comp, minbyte, maxbyte), 2)
        block = b"".join((whoosh3.WHOOSH3_HEADER_MAGIC, pack_int(-(len(info) + len(data))), info, data))
        start = self.postfile.tell()
        self.postfile.write(block)
        stats = self.pack_info(False, sum(weights), n, minbyte, maxbyte, maxweight, ids[0], ids[-1])
        return b"".join((stats, pack_long(start), pack_int(len(block))))


def _fast_minifiers(pw: Any) -> None:
    """Give the postings writer *pw* C-level twins of Whoosh's ``_mini_ids`` and
    ``_mini_weights`` (same results: a block's id deltas, and its weights as
    None when all are 1, one weight when all are equal, else a tuple), which
    take a Python generator step per posting."""
    if pw._byteids or "_mini_ids" in vars(pw):
        return

    def mini_ids() -> tuple[int, ...]:
        ids = pw._ids
        return tuple(map(sub, ids, chain((0,), ids)))

    def mini_weights() -> Any:
        weights = pw._weights
        n = len(weights)
        if weights.count(1.0) == n:
            return None
        if weights.count(weights[0]) == n:
            return weights[0]
        return tuple(weights)

    pw._mini_ids = mini_ids
    pw._mini_weights = mini_weights


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
#: Decoded lengths of the 256 length bytes (0: no length stored).
_LENGTHS = [byte_to_length(b) if b else None for b in range(256)]


def fast_length_reader(self: Any, fieldname: str, default: int = 0) -> Any:
    """``W3PerDocReader.doc_field_length_reader`` reading the field's length column in one go.

    Same results as Whoosh's accessor (tested), which reads one byte per call.
    """
    reader = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)  # type: ignore[no-untyped-call]
    if type(reader) is not columns.NumericColumn.Reader or reader._fixedlen != 1 or reader._reverse:
        return _whoosh_length_reader(self, fieldname, default)  # type: ignore[no-untyped-call]
    count = reader._count
    raw = reader._dbfile.get(reader._basepos, count) if count else b""
    lengths = [_LENGTHS[b] for b in raw]
    missing = _LENGTHS[reader._defaultbytes[0]]

    def get(docnum: int) -> int | None:
        return lengths[docnum] if docnum < count else missing

    return get


def length_total(perdoc: Any, fieldname: str, deleted: Iterable[int] = ()) -> int | None:
    """The field's total length over a segment's documents but *deleted*, each
    length as Whoosh keeps it per document (one byte, close to the count);
    None when the length column is not the pinned Whoosh's byte column."""
    reader = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)  # type: ignore[no-untyped-call]
    if type(reader) is not columns.NumericColumn.Reader or reader._fixedlen != 1 or reader._reverse:
        return None
    count = reader._count
    raw = reader._dbfile.get(reader._basepos, count) if count else b""
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
