"""A listing command's JSON items as printed, kept one item at a time under a key of what each is made of.

``passages --json`` of 20,000 real articles prints 49,510 clusters, 227 MB of
JSON: enriching each item with its citations, indenting and escaping it was 6
of the command's 7 CPU seconds, and one changed article changes a handful of
items. :class:`ItemCache` keeps every item's printed bytes, so a command prints
the items it has seen before from the file and makes only the new ones.

The key of an item is the caller's: a digest of everything its printed text
is made of (for a passage cluster, its id, origin, members' spans and their
articles' content digests; see
:attr:`kazreader.analysis.registry.Analysis.json_item_key`). The *version*
names the code that prints (a digest of its sources): another version starts
afresh.

On disk, in the corpus' cache folder:

* ``items-NAME.idx``, replaced atomically: a header (magic, version, the data
  file's name) then one row per item, ``key, offset, length, crc32``;
* ``items-NAME-GEN.bin``, the items' bytes, only ever appended to. A run that
  made new items appends them as it prints them (never holding them all),
  then writes the index of the items it printed. When less than half of the
  data file is still indexed, the live items are copied into the next
  generation's file and the old one removed.

It is a cache: an unreadable, short or foreign file, or an item whose
checksum fails, is a miss (the item is made again), never an error. Writers
take an ``flock``; a second process that finds it taken prints without
saving. A reader never locks: appends leave what it reads unchanged, and a
generation removed under it stays readable through the file it opened.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from kazreader.atomic import atomic_file

__all__ = ["ItemCache", "cached_texts"]

_MAGIC = b"KZITEMS1"
_ROW = struct.Struct("<16sQII")  # key, offset, length, crc32
_LEN = struct.Struct("<I")
_COUNT = struct.Struct("<Q")
#: Compact when the indexed items fill less than this share of the data file.
_LIVE_SHARE = 0.5
#: … and the file is larger than this (a small file is not worth rewriting).
_COMPACT_OVER = 1 << 20


class ItemCache:
    """The printed items of one listing (*name*) in *folder*, as *version* prints them.

    Use :func:`cached_texts`; ``folder=None`` caches nothing.
    """

    def __init__(self, folder: Path | None, name: str, version: str, *, keep_unread: bool = False) -> None:
        self.folder = folder
        self.name = name
        self.version = version
        #: Keep indexing the items this run did not read (a filtered listing, ``quotes --speaker``,
        #: prints a few; the next full listing should still find the rest).
        self.keep_unread = keep_unread
        self._rows: dict[bytes, tuple[int, int, int]] = {}  # key → offset, length, crc
        self._data_name = ""
        self._data: IO[bytes] | None = None
        self._lock_fh: IO[bytes] | None = None
        self._out: IO[bytes] | None = None
        self._out_name = ""
        self._out_at = 0
        self._new: dict[bytes, tuple[int, int, int]] = {}  # written this run, in _out_name
        self._used: dict[bytes, tuple[int, int, int]] = {}  # read this run, in _data_name
        self._writable = folder is not None
        if folder is not None:
            self._read_index()

    # -- reading ---------------------------------------------------------------

    @property
    def _index_path(self) -> Path:
        assert self.folder is not None
        return self.folder / f"items-{self.name}.idx"

    def _read_index(self) -> None:
        try:
            raw = self._index_path.read_bytes()
            rows, data_name = _parse_index(raw, self.version)
            if not rows:
                return
            fh = open(self._path(data_name), "rb")  # noqa: SIM115 - closed in close()
            if max(offset + length for offset, length, _ in rows.values()) > os.fstat(fh.fileno()).st_size:
                fh.close()
                return  # (a data file shorter than its index: start afresh)
        except (OSError, ValueError, struct.error):
            return
        self._data = fh
        self._rows, self._data_name = rows, data_name

    def _path(self, data_name: str) -> Path:
        assert self.folder is not None
        return self.folder / data_name

    def get(self, key: bytes) -> bytes | None:
        """The stored text of *key*, or None (absent, or its checksum fails)."""
        row = self._rows.get(key)
        if row is None or self._data is None:
            return None
        offset, length, crc = row
        try:
            text = os.pread(self._data.fileno(), length, offset)
        except OSError:
            return None
        if len(text) != length or zlib.crc32(text) != crc:
            return None
        self._used[key] = row
        return text

    # -- writing ---------------------------------------------------------------

    def put(self, key: bytes, text: bytes) -> None:
        """Append *text* as *key*'s item (nothing when another process is writing, or on any error)."""
        if not self._writable or key in self._new:
            return
        try:
            if self._out is None and not self._open_out():
                return
            assert self._out is not None
            self._out.write(text)
        except OSError:
            self._give_up()
            return
        self._new[key] = (self._out_at, len(text), zlib.crc32(text))
        self._out_at += len(text)

    def _open_out(self) -> bool:
        """Lock and open the data file to append to: the current one, or a new generation's."""
        assert self.folder is not None
        import fcntl

        self.folder.mkdir(parents=True, exist_ok=True)
        lock = open(self.folder / f"items-{self.name}.lock", "ab")  # noqa: SIM115 - held until close()
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            self._writable = False
            return False
        self._lock_fh = lock
        # (the index read before the lock may be stale: what another process wrote since is lost
        # from this run's index, never corrupted. If it has moved the items to another generation
        # since, those read here are not indexed again: they are made again next time)
        if self._data is not None and _same_file(self._data, self._path(self._data_name)):
            self._out_name = self._data_name
        else:
            self._used = {}
            self._out_name = self._next_name()
        self._out = open(self._path(self._out_name), "ab")  # noqa: SIM115 - closed in save()
        self._out_at = self._out.seek(0, os.SEEK_END)
        return True

    def _next_name(self) -> str:
        """The data file of a generation after every one in the folder."""
        assert self.folder is not None
        gen = 0
        for p in self.folder.glob(f"items-{self.name}-*.bin"):
            try:
                gen = max(gen, int(p.stem.rsplit("-", 1)[1]) + 1)
            except ValueError:
                continue
        return f"items-{self.name}-{gen}.bin"

    def _give_up(self) -> None:
        """Stop writing (what was appended is not indexed); reading goes on."""
        self._writable = False
        self._new.clear()
        _close_quietly(self._out, self._lock_fh)
        self._out = self._lock_fh = None

    def save(self) -> None:
        """Write the index of the items read or made this run (compacting the data file when most of
        it is no longer indexed); nothing when every item was read and nothing else is indexed."""
        if not self._writable or self.folder is None:
            self.close()
            return
        if not self._new and (self.keep_unread or len(self._used) == len(self._rows)):
            self.close()
            return
        try:
            if self._out is None and not self._open_out():
                return
            assert self._out is not None
            self._out.flush()
            # (items are read from the file appended to: a new file is begun only when none was read)
            rows = {**self._used, **self._new}
            if self.keep_unread and self._out_name == self._data_name:
                rows = {**self._rows, **rows}
            live = sum(length for _, length, _ in rows.values())
            if self._out_at > _COMPACT_OVER and live < _LIVE_SHARE * self._out_at:
                rows = self._compact(rows)
            self._write_index(rows)
        except OSError:
            self._writable = False
        finally:
            self.close()

    def _compact(self, rows: dict[bytes, tuple[int, int, int]]) -> dict[bytes, tuple[int, int, int]]:
        """*rows* (in the current output file) copied into the next generation's file."""
        assert self._out is not None
        old_name = self._out_name
        self._out.close()
        self._out = None
        new_name = self._next_name()
        out: dict[bytes, tuple[int, int, int]] = {}
        with open(self._path(old_name), "rb") as src, open(self._path(new_name), "wb") as dst:
            at = 0
            for key, (offset, length, crc) in sorted(rows.items(), key=lambda kv: kv[1][0]):
                src.seek(offset)
                dst.write(src.read(length))
                out[key] = (at, length, crc)
                at += length
        self._out_name = new_name
        return out

    def _write_index(self, rows: dict[bytes, tuple[int, int, int]]) -> None:
        head = [_MAGIC]
        for part in (self.version.encode(), self._out_name.encode()):
            head += [_LEN.pack(len(part)), part]
        head.append(_COUNT.pack(len(rows)))
        body = b"".join(_ROW.pack(key, *row) for key, row in rows.items())
        with atomic_file(self._index_path, "wb") as fh:
            fh.write(b"".join(head) + body)
        # the other generations are no longer indexed
        for p in self.folder.glob(f"items-{self.name}-*.bin") if self.folder else ():
            if p.name != self._out_name:
                p.unlink(missing_ok=True)

    def close(self) -> None:
        """Release the data files and the lock."""
        _close_quietly(self._out, self._lock_fh, self._data)
        self._out = self._lock_fh = self._data = None


def _close_quietly(*handles: IO[bytes] | None) -> None:
    for fh in handles:
        if fh is not None:
            try:
                fh.close()
            except OSError:
                pass


def _same_file(fh: IO[bytes], path: Path) -> bool:
    """True when the open *fh* is the file at *path* (not one removed and made again since)."""
    try:
        mine, there = os.fstat(fh.fileno()), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _parse_index(raw: bytes, version: str) -> tuple[dict[bytes, tuple[int, int, int]], str]:
    """The rows and the data file's name of an index file; no rows for another version."""
    if not raw.startswith(_MAGIC):
        raise ValueError("not an item index")
    at = len(_MAGIC)
    parts: list[str] = []
    for _ in range(2):
        (n,) = _LEN.unpack_from(raw, at)
        at += _LEN.size
        parts.append(raw[at : at + n].decode())
        at += n
    if parts[0] != version:
        return {}, ""
    (count,) = _COUNT.unpack_from(raw, at)
    at += _COUNT.size
    if len(raw) - at != count * _ROW.size:
        raise ValueError("a torn item index")
    rows = {key: (offset, length, crc) for key, offset, length, crc in _ROW.iter_unpack(raw[at:])}
    return rows, parts[1]


def cached_texts(
    cache: ItemCache, items: Iterable[Any], key: Callable[[Any], bytes], make: Callable[[Any], bytes]
) -> Iterator[bytes]:
    """Each of *items*' printed text: from *cache* under ``key(item)``, else ``make(item)`` (then
    stored). The index is saved when the iteration ends; the cache is closed either way."""
    try:
        for item in items:
            k = key(item)
            text = cache.get(k)
            if text is None:
                text = make(item)
                cache.put(k, text)
            yield text
        cache.save()
    finally:
        cache.close()
