"""Read Whoosh's compound segments in place instead of copying them.

Whoosh memory-maps a compound segment file and hands each of its parts to a
:class:`whoosh.filedb.structfile.BufferFile`, which wraps the part in
``io.BytesIO(memoryview)``. ``BytesIO`` copies a memoryview, so every reader
of the index held a private copy of its postings and terms: +460 MB of
resident memory for a 20,000-article index, and 0.2 s to copy it each time a
searcher opens. (Writing segments as plain files avoids the copy too, but
reads them through system calls: phrase queries were 1.8× slower.)

:class:`ViewIO` is the file object ``BufferFile`` reads through instead: a
position over the memoryview, returning only the bytes asked for. The
segment stays in the page cache, shared and reclaimable.

kazreader pins ``whoosh3`` exactly; :func:`kazreader.index.whooshfix.enable`
installs this only on that version and leaves any other Whoosh as it is.
"""

from __future__ import annotations

import io
import pickle
from typing import Any

from whoosh.filedb import structfile

__all__ = ["ViewIO", "install", "uninstall"]


_whoosh_init = structfile.BufferFile.__init__


class ViewIO:
    """A read-only, seekable file over a buffer, reading without copying the buffer."""

    __slots__ = ("_buf", "_pos", "_len", "closed")

    def __init__(self, buf: bytes | bytearray | memoryview) -> None:
        self._buf = buf if isinstance(buf, memoryview) else memoryview(buf)
        self._pos = 0
        self._len = len(self._buf)
        self.closed = False

    def read(self, n: int | None = -1) -> bytes:
        pos = self._pos
        end = self._len if n is None or n < 0 else min(self._len, pos + n)
        if end <= pos:
            return b""
        self._pos = end
        return self._buf[pos:end].tobytes()

    def peek(self, n: int = 0) -> bytes:
        """Bytes ahead of the position, without moving it (at least *n*, at most 4 KiB unless asked).

        ``pickle.load`` prefetches through ``peek`` when a file has it: one
        call per pickle instead of one ``read`` per opcode.
        """
        pos = self._pos
        return self._buf[pos : min(self._len, pos + max(n, 4096))].tobytes()

    def readinto(self, b: Any) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def readline(self, limit: int = -1) -> bytes:
        pos = self._pos
        end = self._len if limit is None or limit < 0 else min(self._len, pos + limit)
        if end <= pos:
            return b""
        nl = self._buf[pos:end].tobytes().find(b"\n")
        stop = end if nl < 0 else pos + nl + 1
        self._pos = stop
        return self._buf[pos:stop].tobytes()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            pos = offset
        elif whence == io.SEEK_CUR:
            pos = self._pos + offset
        elif whence == io.SEEK_END:
            pos = self._len + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if pos < 0:
            raise ValueError("negative seek position")
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def write(self, b: Any) -> int:
        raise io.UnsupportedOperation("read-only")

    def __iter__(self) -> Any:
        while line := self.readline():
            yield line

    def close(self) -> None:
        self.closed = True
        self._buf = memoryview(b"")  # drop the reference to the parent buffer


def _buffer_file_init(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:
    _whoosh_init(self, b"", name=name, onclose=onclose)
    self._buf = buf
    self.file = ViewIO(buf)


def _buffer_file_read_pickle(self: Any) -> Any:
    """``StructFile.read_pickle`` over a small copied window: ``pickle`` reads a ``BytesIO`` in C.

    Whoosh's block headers are pickles of a few hundred bytes; a longer one
    gets a wider window.
    """
    view = self.file
    if type(view) is not ViewIO:
        return pickle.load(self.file)
    pos, size = view._pos, view._len
    window = 1024
    while True:
        bio = io.BytesIO(view._buf[pos : pos + window])
        try:
            value = pickle.load(bio)
        except (EOFError, pickle.UnpicklingError, ValueError, IndexError):
            if pos + window >= size:
                raise
            window *= 16
            continue
        view._pos = pos + bio.tell()
        return value


_whoosh_read_pickle = structfile.BufferFile.read_pickle


def install() -> None:
    """Make Whoosh's ``BufferFile`` read through :class:`ViewIO` (only
    :func:`kazreader.index.whooshfix.enable` calls it, after the version check)."""
    structfile.BufferFile.__init__ = _buffer_file_init  # type: ignore[method-assign]
    structfile.BufferFile.read_pickle = _buffer_file_read_pickle  # type: ignore[method-assign]


def uninstall() -> None:
    """Put Whoosh's own ``BufferFile`` back."""
    structfile.BufferFile.__init__ = _whoosh_init  # type: ignore[method-assign]
    structfile.BufferFile.read_pickle = _whoosh_read_pickle  # type: ignore[method-assign]
