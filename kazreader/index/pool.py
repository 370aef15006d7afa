"""A faster posting pool (and length lookup) for Whoosh's segment writer.

Whoosh collects every posting of a segment being written in a
:class:`whoosh.writing.PostingPool`; past ``limitmb`` it sorts what it holds
and spills it to a temporary "run" file, then merges the runs when the
segment is finished. Whoosh writes and reads a run one ``pickle`` call per
posting: at 20,000 articles that is tens of millions of calls, a quarter of
the whole index build (measured with cProfile, 1,000–5,000 articles).

:class:`FastPostingPool` stores a run as length-prefixed :mod:`marshal`
chunks of many postings each: the same postings, in the same order, at a
fraction of the cost. Postings are plain tuples ``(field, term bytes,
docnum, weight, value bytes)``, which ``marshal`` round-trips exactly. Its
``add`` skips Whoosh's per-posting type assertions (the postings come from
Whoosh's own writer).

Writing the postings then looks up the document's field length once per
posting, each a seek and a read in the segment's length column (13% of the
build). :func:`fast_length_reader` reads a field's whole column once.

:func:`install` makes Whoosh's writers use it, including the sub-writers of
its multi-process writer (they are created in forked children from the same
module). kazreader pins ``whoosh3`` exactly; :func:`install` refuses any other
version (:mod:`kazreader.index.pinned`), leaving Whoosh's own pool in place.
"""

from __future__ import annotations

import marshal
import struct
from collections.abc import Iterable, Iterator
from typing import Any

import whoosh.writing
from whoosh import columns
from whoosh.codec import whoosh3
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool

from kazreader.index.pinned import whoosh_is_supported

__all__ = ["CHUNK", "FastPostingPool", "fast_length_reader", "install"]

#: Postings per marshal chunk of a run.
CHUNK = 20_000

_LEN = struct.Struct("<Q")


class FastPostingPool(PostingPool):
    """Whoosh's posting pool with runs written in marshal chunks instead of one pickle per posting."""

    def add(self, item: Any) -> None:
        self.fieldnames.add(item[0])
        # Whoosh's own estimate of the item's size, in fewer steps.
        self.currentsize += 129 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def _write_run(self, f: Any, items: Iterable[Any]) -> None:
        write = f.write
        chunk: list[Any] = []
        append = chunk.append
        for item in items:
            append(item)
            if len(chunk) >= CHUNK:
                body = marshal.dumps(chunk, 4)
                write(_LEN.pack(len(body)))
                write(body)
                chunk.clear()
        if chunk:
            body = marshal.dumps(chunk, 4)
            write(_LEN.pack(len(body)))
            write(body)
        f.close()

    def _read_run(self, path: str) -> Iterator[Any]:
        f = self._open_run(path)
        try:
            while True:
                head = f.read(_LEN.size)
                if not head:
                    return
                if len(head) != _LEN.size:
                    raise EOFError(f"posting run {path} is cut off")
                (length,) = _LEN.unpack(head)
                body = f.read(length)
                if len(body) != length:
                    raise EOFError(f"posting run {path} is cut off")
                yield from marshal.loads(body)
        finally:
            f.close()
            self._remove_run(path)


_whoosh_length_reader = whoosh3.W3PerDocReader.doc_field_length_reader
#: Decoded lengths of the 256 length bytes (0: no length stored).
_LENGTHS = [byte_to_length(b) if b else None for b in range(256)]


def fast_length_reader(self: Any, fieldname: str, default: int = 0) -> Any:
    """``W3PerDocReader.doc_field_length_reader`` reading the field's length column in one go.

    Same results as Whoosh's accessor (tested), which reads one byte per call.
    """
    reader = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    if type(reader) is not columns.NumericColumn.Reader or reader._fixedlen != 1 or reader._reverse:
        return _whoosh_length_reader(self, fieldname, default)
    count = reader._count
    raw = reader._dbfile.get(reader._basepos, count) if count else b""
    lengths = [_LENGTHS[b] for b in raw]
    missing = _LENGTHS[reader._defaultbytes[0]]

    def get(docnum: int) -> int | None:
        return lengths[docnum] if docnum < count else missing

    return get


def install() -> bool:
    """Make Whoosh's segment writers use :class:`FastPostingPool` and :func:`fast_length_reader`.

    False (and nothing changed) if this Whoosh is not the supported version.
    """
    if not whoosh_is_supported():
        return False
    whoosh.writing.PostingPool = FastPostingPool  # type: ignore[misc]
    whoosh3.W3PerDocReader.doc_field_length_reader = fast_length_reader  # type: ignore[method-assign]
    return True
