"""A snapshot of a loaded corpus, so re-opening unchanged files skips reading them.

:func:`~kazreader.corpus.loader.load_corpus` turns each file into a list of
:data:`Event`\\ s (the warnings it produced, the ids its records asked for and
the articles they became) and then *replays* them: assigning final ids,
renaming duplicates across files. A :class:`Snapshot` stores each file's events
under its signature (size, mtime, ctime, device, inode); on the next load a
file whose signature is unchanged is replayed from the snapshot without being
opened. Everything that spans files (duplicate-id renaming, ``corpus.toml``
sidecars, which are re-read on every load) runs on every load, so the result is
exactly what a full reload gives.

The snapshot is one JSON file, written atomically. Its key covers the format
version, the loader's own source code and the size limit, so a change to any
of them is a miss; so is a missing, unreadable or corrupt file (never an error).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from kazreader.corpus.model import Article

__all__ = ["FORMAT", "SNAPSHOT_NAME", "Event", "Signature", "Snapshot", "signature"]

#: Bump when the stored shape changes.
FORMAT = 3

#: The snapshot's file name inside a corpus cache directory.
SNAPSHOT_NAME = "corpus-snapshot.json"

#: A file modified this recently (nanoseconds) is not stored: a second edit
#: within the file system's timestamp granularity could keep its signature.
RACY_NS = 2_000_000_000

#: What loading one file produced, in order: ``("w", message)`` a warning,
#: ``("i", base_id)`` a record asking for an id, ``("a", article)`` the article
#: built for the last id asked for (with that base id).
Event = tuple[str, str | Article]

#: ``(size, mtime_ns, ctime_ns, device, inode)`` of a file.
Signature = tuple[int, int, int, int, int]

_SOURCES = ("clean.py", "decode.py", "formats.py", "loader.py", "metadata.py", "model.py")


def signature(st: os.stat_result) -> Signature:
    """A file's signature from its ``stat`` result."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_dev, st.st_ino)


def _code_digest() -> str:
    """A hash of the source of everything that turns bytes into articles."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in [*(here / name for name in _SOURCES), here.parent / "text.py"]:
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(path.name.encode())
    return h.hexdigest()


def _encode_article(a: Article) -> list[Any]:
    # Paragraph offsets as one string of numbers: far faster to load than JSON ints.
    spans = " ".join(str(n) for span in a.paragraphs for n in span)
    return [a.id, a.text, spans, a.outlet, a.date, a.title, a.url, a.author, a.removed, a.digest]


def _decode_article(raw: list[Any], path: str) -> Article:
    aid, text, spans, outlet, date, title, url, author, removed, digest = raw
    numbers = map(int, spans.split())
    paragraphs = tuple(zip(numbers, numbers))
    return Article(aid, path, text, paragraphs, outlet, date, title, url, author, removed, digest)


def _load_json(text: str) -> Any:
    """``json.loads`` with the cyclic GC paused: it would rescan the growing tree of lists."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return json.loads(text)
    finally:
        if enabled:
            gc.enable()


def _encode_events(events: list[Event]) -> list[Any]:
    return [[k, _encode_article(v) if k == "a" else v] for k, v in events]  # type: ignore[arg-type]


def _decode_events(raw: list[Any], path: str) -> list[Event]:
    return [(k, _decode_article(v, path) if k == "a" else v) for k, v in raw]


class Snapshot:
    """Per-file load results, keyed by path and checked by signature.

    Use :meth:`open` to read one (an empty snapshot on any miss),
    :meth:`lookup` and :meth:`record` while loading, and :meth:`save` at the
    end: it drops files that were not seen and writes only if something changed.
    """

    def __init__(self, path: Path, key: str, files: dict[str, Any] | None = None) -> None:
        self.path = path
        self.key = key
        self._files: dict[str, Any] = files or {}
        self._seen: set[str] = set()
        self._dirty = files is None
        #: Files replayed from the snapshot / (re)read, in this load.
        self.hits = 0
        self.misses = 0

    @staticmethod
    def make_key(*extra: str) -> str:
        """The snapshot key: format, loader source and any *extra* settings."""
        return "\n".join([f"format-{FORMAT}", _code_digest(), *extra])

    @classmethod
    def open(cls, cache_dir: Path, *extra: str) -> Snapshot:
        """The snapshot in *cache_dir*; empty if missing, stale or unreadable."""
        path = Path(cache_dir) / SNAPSHOT_NAME
        key = cls.make_key(*extra)
        try:
            with open(path, encoding="utf-8") as fh:
                data = _load_json(fh.read())
            if isinstance(data, dict) and data.get("key") == key and isinstance(data.get("files"), dict):
                return cls(path, key, data["files"])
        except (OSError, ValueError, UnicodeDecodeError):
            pass
        return cls(path, key)

    def lookup(self, path: str, sig: Signature) -> list[Event] | None:
        """The events stored for *path* if its signature is still *sig*."""
        self._seen.add(path)
        entry = self._files.get(path)
        if entry is not None:
            try:
                if tuple(entry[0]) == sig:
                    events = _decode_events(entry[1], path)
                    self.hits += 1
                    return events
            except (AttributeError, TypeError, ValueError, IndexError, KeyError):
                pass  # a damaged entry: read the file again
            self._files.pop(path, None)
            self._dirty = True
        self.misses += 1
        return None

    def record(self, path: str, sig: Signature, events: list[Event]) -> None:
        """Store the events of a file just read (unless it was modified too recently)."""
        self._seen.add(path)
        if sig[1] > time.time_ns() - RACY_NS:
            self._files.pop(path, None)
        else:
            self._files[path] = [list(sig), _encode_events(events)]
        self._dirty = True

    def save(self) -> None:
        """Write the snapshot (atomically) if it changed; drop files not seen this load.

        A failure to write is ignored: the next load is simply a miss.
        """
        gone = [p for p in self._files if p not in self._seen]
        for p in gone:
            del self._files[p]
        if not (self._dirty or gone):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".snapshot-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump({"key": self.key, "files": self._files}, fh)  # ASCII: fastest to decode
                os.replace(tmp, self.path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            return
        self._dirty = False
