"""Opening corpus files safely: regular files only, compressed or not, every read bounded.

A path is opened without blocking (a FIFO never hangs the load) and checked
with ``fstat`` before a byte is read: devices, FIFOs, sockets and ``/proc``
or ``/sys`` files are refused, and a file larger than the size cap is refused
from its ``stat`` alone. Compressed files (``.gz``, ``.bz2``, ``.xz``) and zip
archives (each member a file) are decompressed as streams, never past the
cap (no zip bomb). Every failure is a :class:`Skip` with a one-line reason.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, Any, cast

__all__ = [
    "Compression", "Member", "Skip", "compression_of", "describe", "inner_name", "iter_lines", "max_file_bytes",
    "members", "open_regular", "read_bounded", "read_upto", "stream_limit",
]

#: A file (or a decompressed member) larger than this is skipped. A whole
#: file is read into memory at once, so this bounds the memory one file takes.
MAX_FILE_BYTES = 256_000_000
#: Streams (JSON Lines, CSV) are read a line at a time; one line at most this long.
MAX_LINE_BYTES = 64_000_000
#: A decompressed stream stops after this many bytes (a zip bomb's end) ...
MAX_STREAM_BYTES = 8_000_000_000
#: ... or after this many times its compressed size, once past the file size cap
#: (text compresses 3-10 times; a bomb a thousand times).
MAX_RATIO = 100
_CHUNK = 1 << 20

#: Errors a damaged compressed stream raises while it is read.
DECOMPRESS_ERRORS = (EOFError, OSError, zlib.error, lzma.LZMAError, zipfile.BadZipFile, ValueError)


class Skip(Exception):
    """A file or member that cannot be read; the message is the one-line reason."""


class Compression(StrEnum):
    GZIP = ".gz"
    BZIP2 = ".bz2"
    XZ = ".xz"
    ZIP = ".zip"


def max_file_bytes() -> int:
    """The size cap, set with ``KAZREADER_MAX_FILE_BYTES``."""
    try:
        return int(os.environ.get("KAZREADER_MAX_FILE_BYTES", MAX_FILE_BYTES))
    except ValueError:
        return MAX_FILE_BYTES


_COMPRESSIONS = {c.value: c for c in Compression}


def compression_of(name: str) -> Compression | None:
    """The compression a file name says (``a.jsonl.gz``: gzip), if any."""
    return _COMPRESSIONS.get(os.path.splitext(name)[1].lower())


def inner_name(name: str) -> str:
    """The name without its compression suffix (``a.jsonl.gz`` → ``a.jsonl``)."""
    return os.path.splitext(name)[0] if compression_of(name) not in (None, Compression.ZIP) else name


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))
_VIRTUAL = ("/proc/", "/sys/")  # (devices are refused by their file type)


def describe(mode: int) -> str:
    """What a file that is not a regular file is ("a FIFO", "a device")."""
    return next((kind for test, kind in _KINDS if test(mode)), "a special file")


def open_regular(path: str) -> tuple[IO[bytes], os.stat_result]:
    """Open *path* for reading if it is a regular file within the size cap.

    Raises :class:`Skip` (what it is instead) or ``OSError``.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Skip(f"skipped: {describe(st.st_mode)}, not a file")
        real = os.path.realpath(path)
        if real.startswith(_VIRTUAL):
            raise Skip(f"skipped: a system file ({real.split('/')[1]})")
        cap = max_file_bytes()
        if st.st_size > cap and compression_of(path) is None and not _streamed(path):
            raise Skip(f"skipped: too large ({st.st_size / 1e6:,.0f} MB; the limit is {cap / 1e6:,.0f} MB, "
                       "set by KAZREADER_MAX_FILE_BYTES)")
        return os.fdopen(fd, "rb"), st
    except BaseException:
        os.close(fd)
        raise


def _streamed(name: str) -> bool:
    from kazreader.corpus.formats import Format, format_of

    return format_of(name) in (Format.JSONL, Format.CSV, Format.TSV)


_CHUNK = 1 << 20


def read_bounded(stream: IO[bytes], cap: int | None = None) -> bytes:
    """At most *cap* bytes of *stream*; :class:`Skip` if there are more."""
    cap = max_file_bytes() if cap is None else cap
    # In chunks: one read(cap + 1) allocates the whole cap (256 MB) up front for every
    # file, which under a memory limit failed every file of the corpus.
    chunks: list[bytes] = []
    got = 0
    while got <= cap:
        part = stream.read(min(_CHUNK, cap + 1 - got))
        if not part:
            break
        chunks.append(part)
        got += len(part)
    data = b"".join(chunks)
    if len(data) > cap:
        raise Skip(f"skipped: too large (over {cap / 1e6:,.0f} MB; the limit is set by KAZREADER_MAX_FILE_BYTES)")
    return data


def read_upto(stream: IO[bytes], size: int) -> tuple[bytes, BaseException | None]:
    """Up to *size* bytes of *stream*, and the error that cut them short (a damaged
    compressed stream gives what it decoded before the damage)."""
    read = getattr(stream, "read1", stream.read)
    parts: list[bytes] = []
    got = 0
    try:
        while got < size:
            part = read(size - got)
            if not part:
                break
            parts.append(part)
            got += len(part)
    except DECOMPRESS_ERRORS as exc:
        return b"".join(parts), exc
    return b"".join(parts), None


def stream_limit(compressed: int | None) -> int:
    """How many decompressed bytes a stream of *compressed* bytes may give (``None``: not compressed)."""
    if compressed is None:
        return MAX_STREAM_BYTES
    return min(MAX_STREAM_BYTES, max(max_file_bytes(), MAX_RATIO * compressed))


def iter_lines(stream: IO[bytes], head: bytes = b"", failure: BaseException | None = None,
               limit: int = MAX_STREAM_BYTES) -> Iterator[bytes | None]:
    """The lines of *stream* (after *head*, bytes already read), split on ``\\n`` only.

    A line longer than :data:`MAX_LINE_BYTES` is yielded as ``None`` (and not
    kept in memory); reading stops after *limit* bytes (:func:`stream_limit`). A stream
    that breaks (*failure*, or an error while reading) yields its whole lines
    first, then raises.
    """
    carry = bytearray(head)
    total = len(head)
    dropping = False
    while True:
        chunk, error = (b"", failure) if failure is not None else read_upto(stream, _CHUNK)
        failure = failure or error
        total += len(chunk)
        start = 0
        if chunk:
            carry += chunk
        while (nl := carry.find(b"\n", start)) >= 0:
            if dropping:
                dropping = False
                yield None
            else:
                yield bytes(carry[start:nl])
            start = nl + 1
        del carry[:start]
        if len(carry) > MAX_LINE_BYTES:
            carry.clear()
            dropping = True
        if not chunk or total > limit:
            break
    if failure is not None:
        raise failure
    if dropping:
        yield None
    elif carry:
        yield bytes(carry)
    if total > limit:
        raise Skip(f"stopped after {limit / 1e6:,.0f} MB of decompressed data (a compression bomb?)")


@dataclass
class Member:
    """One file to parse: the file itself, its decompressed content or a zip member."""

    #: The name that decides the format and the id (``a.jsonl`` for ``a.jsonl.gz``).
    name: str
    #: What a warning adds to the path (``""``, or ``"[b.json]"`` for a zip member).
    label: str
    open: Callable[[], IO[bytes]]
    #: The most bytes a stream of it may give (:func:`stream_limit`).
    limit: int = MAX_STREAM_BYTES


def members(fh: IO[bytes], path: str) -> Iterator[Member]:
    """The files inside *fh* (opened from *path*): itself, decompressed, or each zip member."""
    base = os.path.basename(path)
    kind = compression_of(base)
    limit = stream_limit(os.fstat(fh.fileno()).st_size if kind is not None else None)
    if kind is None:
        yield Member(base, "", lambda: fh)
    elif kind is Compression.GZIP:
        yield Member(inner_name(base), "", lambda: _io(gzip.GzipFile(fileobj=fh, mode="rb")), limit)
    elif kind is Compression.BZIP2:
        yield Member(inner_name(base), "", lambda: _io(bz2.BZ2File(fh)), limit)
    elif kind is Compression.XZ:
        yield Member(inner_name(base), "", lambda: _io(lzma.LZMAFile(fh)), limit)
    else:
        yield from _zip_members(fh)


def _io(stream: Any) -> IO[bytes]:
    """A decompressing reader as the binary stream it behaves as."""
    return cast(IO[bytes], stream)


def _zip_members(fh: IO[bytes]) -> Iterator[Member]:
    try:
        archive = zipfile.ZipFile(fh)
        infos = sorted(archive.infolist(), key=lambda i: i.filename)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise Skip(f"skipped: not a readable zip archive ({exc})") from None
    for info in infos:
        name = info.filename.rsplit("/", 1)[-1]
        if info.is_dir() or not name or name.startswith(".") or "__MACOSX/" in info.filename:
            continue
        yield Member(name, f"[{info.filename}]", _opener(archive, info), stream_limit(info.compress_size))


def _opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    def open_member() -> IO[bytes]:
        if info.file_size > stream_limit(info.compress_size):
            raise Skip(f"skipped: too large ({info.file_size / 1e6:,.0f} MB uncompressed)")
        return _io(archive.open(info))

    return open_member
