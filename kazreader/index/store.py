"""The on-disk index: open or create, incremental sync, locking, repair.

Layout of an index directory (the directory belongs to the index)::

    VERSION            schema version (``schema.VERSION``); another → rebuild
    manifest.json      {"version", "generation", "docs": {id: key}, "extra_key",
                        "files": {name: [crc32, size]}}
    open.lock          serialises opening and rebuilding across processes
    _MAIN_*.toc, MAIN_*  Whoosh's own files

The manifest lets :meth:`CorpusIndex.sync` decide in memory what changed, so
re-opening an unchanged corpus never touches the postings. It is written after
each committed batch and tagged with the Whoosh generation it describes; when
the generation differs (a process was killed between a commit and the manifest
write) it is rebuilt from the stored ``id``/``digest`` fields, which are always
the truth. Its ``files`` are the CRC-32s of the committed files, read only
when a query fails, to tell damaged files from a bad query.

Damage heals: a garbled ``VERSION``, a folder where a file belongs (or a file
where the index's folder belongs), a segment Whoosh cannot open, or one that
fails while a query runs is reported once (:data:`DAMAGED`) and rebuilt (at
search time from the last :meth:`CorpusIndex.sync`'s articles).

Writers take Whoosh's write lock (an ``fcntl`` lock, released by the kernel if
the process dies) and wait up to ``lock_timeout`` seconds for another process
to finish; readers never lock. A complete, current index is searched from a
folder that cannot be written (read-only, no permission, full); writing there
raises :class:`CacheNotWritableError`, which says so plainly.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import pickle
import re
import shutil
import struct
import threading
import time
import zlib
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TypeVar

from whoosh import index as whoosh_index
from whoosh.index import TOC, EmptyIndexError, FileIndex, LockError
from whoosh.query.qcore import Query
from whoosh.writing import SegmentWriter

from kazreader.atomic import atomic_file
from kazreader.corpus.model import Article
from kazreader.index import whooshfix
from kazreader.index.whooshfix import bulk
from kazreader.index.whooshfix.bulk import BulkSegmentWriter
from kazreader.index.whooshfix.live import LiveSearcher
from kazreader.index.analyzers import COMMON_WORDS, frequent_words
from kazreader.index.schema import EXTRA_FIELDS, FORM_FIELDS, NAME_TERM_FIELDS, VERSION, build_schema
from kazreader.index.search import IndexReadError, QueryError, SearchResult, SortOrder, keep_facets_in, run_search

__all__ = [
    "BATCH_SIZE", "DAMAGED", "INDEX_PROCS", "PARALLEL_MIN",
    "CacheNotWritableError", "CorpusIndex", "IndexLockedError", "SyncStats",
]

#: Documents written between two commits (progress survives a killed process).
#: Large, because every commit adds a segment (one per indexing process) and a
#: search visits every segment; Whoosh's merge policy then rewrites small ones
#: (at 500 documents a batch, a 20,000-article build spent a third of its time
#: merging). Every segment also writes a block for each of its terms, and most
#: terms are rare: at 20,000 articles, 10,000 a batch took 5–13 CPU-seconds
#: less than 5,000 (of ~90), for ~60 MB more in each indexing process.
BATCH_SIZE = 10_000
#: A write of at least this many documents uses :data:`INDEX_PROCS` processes.
PARALLEL_MIN = 2000
#: Indexing processes for large writes (one segment each, see
#: :meth:`~kazreader.index.whooshfix.bulk.BulkSegmentWriter.add_in_children`);
#: ``KAZREADER_INDEX_PROCS`` overrides it, 1 disables it.
INDEX_PROCS = max(1, min(2, os.cpu_count() or 1))
#: Seconds a writer waits for another process's write lock by default.
LOCK_TIMEOUT = 60.0

_VERSION_FILE = "VERSION"
_MANIFEST_FILE = "manifest.json"
_INDEX_NAME = "MAIN"
#: The index's pair words (see :func:`~kazreader.index.analyzers.frequent_words`).
_PAIR_WORDS_FILE = "pairwords.json"
#: A first sync of at least this many articles chooses the index's pair words
#: from their vocabulary; smaller corpora keep :data:`COMMON_WORDS`.
PAIR_WORDS_MIN = 200

#: What :meth:`CorpusIndex.open` and :meth:`CorpusIndex.search` say, once, when
#: they find the index unreadable and rebuild it.
DAMAGED = "the index was damaged; rebuilding"
_VERSION_RE = re.compile(r"kazreader-index-\d+")
#: The folder (in the index's) where each segment keeps its documents' outlets and days.
FACETS_FOLDER = "facets"
#: Bytes of ``VERSION`` read (a real one is about 20).
_VERSION_MAX = 256
_LOCK_FILE = "open.lock"
#: Errors that mean the index's bytes are not what Whoosh wrote (never the query's fault).
_DAMAGE_ERRORS: tuple[type[BaseException], ...] = (
    zlib.error, pickle.UnpicklingError, struct.error, EOFError, OSError, UnicodeDecodeError,
)

Message = Callable[[str], None]
_T = TypeVar("_T")


class IndexLockedError(RuntimeError):
    """Another process kept the index's write lock for longer than the timeout."""


class CacheNotWritableError(RuntimeError):
    """The index must be written but its folder cannot be (read-only, no permission, full).

    ``str(error)`` says so plainly, naming the folder. An index that is
    complete and current is still searched from a read-only folder.
    """


@dataclass(frozen=True)
class SyncStats:
    """What :meth:`CorpusIndex.sync` did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        """True when the index was written to."""
        return bool(self.added or self.updated or self.removed)


def _extra_digest(values: Mapping[str, str]) -> str:
    if not values:
        return ""
    payload = json.dumps(sorted(values.items()), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _key(digest: str, extra_digest: str) -> str:
    return f"{digest}:{extra_digest}" if extra_digest else digest


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d")
    except ValueError:
        return None


def _atomic_write(path: Path, text: str) -> None:
    with atomic_file(path, prefix=path.name, suffix=".tmp") as fh:
        fh.write(text)


@contextmanager
def _open_lock(directory: Path) -> Iterator[OSError | None]:
    """Serialise opening (and possibly rebuilding) the index across processes.

    Two processes opening a fresh or outdated index at once would otherwise
    both rebuild it, one deleting the other's files. Readers of an existing,
    healthy index hold this lock only for the few milliseconds ``open`` takes.

    Yields None, or the error that refused opening the lock file for writing
    (a read-only or full cache folder): the lock is then taken on a read-only
    handle if the file exists, or not at all, and the caller may only read.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: best effort, no lock
        yield None
        return
    refusal: OSError | None = None
    try:
        fh: IO[bytes] | None = open(directory / _LOCK_FILE, "a+b")
    except OSError as exc:
        if not _unwritable(exc):
            raise
        refusal = exc
        try:
            fh = open(directory / _LOCK_FILE, "rb")
        except OSError:
            fh = None
    if fh is None:
        yield refusal
        return
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield refusal
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


#: ``errno`` values meaning "this folder cannot be written to".
_UNWRITABLE = frozenset({errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT})


def _unwritable(exc: BaseException) -> bool:
    """True if *exc* says the cache folder cannot be written (permissions, read-only, full)."""
    return isinstance(exc, OSError) and exc.errno in _UNWRITABLE


def _not_writable(directory: Path, exc: BaseException | None = None) -> CacheNotWritableError:
    reason = f" ({exc.strerror})" if isinstance(exc, OSError) and exc.strerror else ""
    return CacheNotWritableError(
        f"the cache folder {directory.parent} can't be written{reason}, so the search index "
        "can't be built or updated there; make it writable or free some space, or point "
        "KAZREADER_CACHE at another folder"
    )


class CorpusIndex:
    """A Whoosh full-text index of a corpus' articles, kept in one directory.

    Use :meth:`open` (never the constructor), then :meth:`sync` with the
    current articles, then :meth:`search` as often as needed; :meth:`close`
    releases the open files. A ``CorpusIndex`` may be searched from several
    threads; ``sync`` calls are serialised.
    """

    def __init__(
        self, directory: Path, ix: FileIndex, on_message: Message | None, refusal: OSError | None = None
    ) -> None:
        self.directory = directory
        #: why the index's folder cannot be written (then it is searched, never written), or None
        self._refusal = refusal
        #: the Whoosh index (``Any``: much of Whoosh's API is unannotated)
        self._ix: Any = ix
        self._on_message = on_message
        self._lock = threading.RLock()
        self._searcher: Any = None
        self._writer: Any = None
        #: the arguments of the last :meth:`sync`, to fill the index again if it is found damaged
        self._last_sync: tuple[Sequence[Article], Any, Any, str | None, Any] | None = None

    @property
    def writable(self) -> bool:
        """False when the index was opened from a folder that cannot be written."""
        return self._refusal is None

    # --- opening ------------------------------------------------------------

    @classmethod
    def open(cls, directory: Path, *, on_message: Message | None = None) -> CorpusIndex:
        """Open the index in *directory*, creating it if missing.

        An index written by another schema version, or one that cannot be
        read (a garbled ``VERSION``, a folder where a file belongs or the
        reverse, a segment Whoosh cannot open), is reported through
        *on_message* once and rebuilt empty (the next :meth:`sync` fills it
        again); no exception is raised for it.
        """
        # The fixes to the pinned Whoosh (plain Whoosh on any other version).
        whooshfix.enable()
        directory = Path(directory)
        say = on_message or (lambda _msg: None)
        try:
            misplaced = _make_room(directory)
        except OSError as exc:
            raise _not_writable(directory, exc) if _unwritable(exc) else exc
        with _open_lock(directory) as refusal:
            problem = DAMAGED if misplaced else _check_files(directory)
            if problem is None and any(directory.glob(f"_{_INDEX_NAME}_*.toc")):
                schema = build_schema(_read_pair_words(directory))

                def check() -> Any:
                    ix: Any = whoosh_index.open_dir(str(directory), indexname=_INDEX_NAME, schema=schema)
                    with ix.reader() as reader:
                        reader.doc_count_all()
                        for name in ("id", "body"):
                            reader.field_length(name)
                    return ix

                try:
                    return cls(directory, _between_commits(directory, check), on_message, refusal)
                except Exception:
                    problem = DAMAGED
            if refusal is not None:
                raise _not_writable(directory, refusal)
            if problem:
                say(problem)
            return cls._create(directory, on_message)

    @classmethod
    def _create(cls, directory: Path, on_message: Message | None) -> CorpusIndex:
        try:
            self = cls(directory, _create_files(directory), on_message)
            self._write_manifest({})
        except OSError as exc:
            raise _not_writable(directory, exc) if _unwritable(exc) else exc
        return self

    def close(self) -> None:
        """Close the searcher and the index (the object is unusable after)."""
        with self._lock:
            self._drop_searcher()
            self._ix.close()

    def __enter__(self) -> CorpusIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- manifest -------------------------------------------------------------

    def _manifest_path(self) -> Path:
        return self.directory / _MANIFEST_FILE

    def _write_manifest(self, docs: Mapping[str, str], extra_key: str | None = None) -> None:
        generation = self._ix.latest_generation()
        payload = {
            "version": VERSION,
            "generation": generation,
            "docs": dict(docs),
            "extra_key": extra_key,
            "files": self._checksums(generation),
        }
        _atomic_write(self._manifest_path(), json.dumps(payload, separators=(",", ":")))

    def _recorded_files(self, payload: Mapping[str, Any] | None) -> dict[str, tuple[int, int]]:
        """``{file name: (crc, size)}`` recorded in a manifest *payload* (empty if none or malformed)."""
        files = payload.get("files") if payload is not None else None
        if not isinstance(files, dict):
            return {}
        return {
            name: (v[0], v[1]) for name, v in files.items()
            if isinstance(v, list) and len(v) == 2 and all(type(x) is int for x in v)
        }

    def _checksums(self, generation: int) -> dict[str, tuple[int, int]]:
        """``{name: (crc, size)}`` of the committed index's files, so damage can be told from a bad query.

        Segment and table-of-contents files never change once written: the
        sums already in the manifest are kept, only new files are read (they
        were just written, so from the page cache: ~1 GB/s).
        """
        try:
            known = self._recorded_files(json.loads(self._manifest_path().read_text("utf-8")))
        except (OSError, ValueError):
            known = {}
        sums: dict[str, tuple[int, int]] = {}
        toc = f"_{_INDEX_NAME}_{generation}.toc"
        for path in self.directory.iterdir():
            name = path.name
            if name != toc and not (name.startswith(f"{_INDEX_NAME}_") and "." in name):
                continue
            try:
                size = path.stat().st_size
                sums[name] = known[name] if known.get(name, (0, -1))[1] == size else (_checksum(path), size)
            except OSError:
                continue  # (removed meanwhile by another process's commit)
        return sums

    def _intact(self) -> bool:
        """False if a file of the committed index no longer has the checksum recorded when it was written."""
        for name, (crc, size) in self._recorded_files(self._read_payload()).items():
            path = self.directory / name
            try:
                if path.stat().st_size != size or _checksum(path) != crc:
                    return False
            except FileNotFoundError:
                continue  # a newer commit replaced it
            except OSError:
                return False
        return True

    def _read_payload(self) -> dict[str, Any] | None:
        """The manifest if it describes the committed index, else ``None``."""
        try:
            payload = json.loads(self._manifest_path().read_text("utf-8"))
            if (
                isinstance(payload, dict)
                and payload.get("version") == VERSION
                and payload.get("generation") == self._ix.latest_generation()
                and isinstance(payload.get("docs"), dict)
            ):
                return payload
        except (OSError, ValueError):
            pass
        return None

    def _read_manifest(self) -> dict[str, str]:
        """``{id: key}`` of the committed index (from the manifest when current)."""
        payload = self._read_payload()
        if payload is not None:
            docs: dict[str, str] = payload["docs"]
            return docs

        def read() -> dict[str, str]:
            docs = {}
            with self._ix.reader() as reader:
                for fields in reader.all_stored_fields():
                    docs[fields["id"]] = _key(fields.get("digest", ""), fields.get("extra_digest", ""))
            return docs

        return _between_commits(self.directory, read)

    def indexed(self) -> dict[str, str]:
        """``{id: key}`` of every indexed article (key: digest plus extras hash)."""
        with self._lock:
            return dict(self._read_manifest())

    # --- writing --------------------------------------------------------------

    def sync(
        self,
        articles: Sequence[Article],
        *,
        extra: Callable[[Article], Mapping[str, str]] | None = None,
        extras: Callable[[Sequence[Article]], Sequence[Mapping[str, str]]] | None = None,
        extra_key: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> SyncStats:
        """Make the index hold exactly *articles* (by id), writing only changes.

        New articles are added, articles whose ``digest`` (or ``extra``
        values) changed are replaced, articles no longer given are deleted.
        ``extra(article)`` maps ``quote``/``speaker``/``entity`` to text (one
        value per line); ``extras(articles)`` is its batch form (the values of
        each article, in order), used instead when given.
        ``progress(done, total)`` is called while writing.
        Commits every :data:`BATCH_SIZE` documents. Raises
        :class:`IndexLockedError` if another process holds the write lock for
        more than *lock_timeout* seconds.

        *extra_key* names how the extra values are computed: with it, the
        values of an article must depend only on its digest and the key. It
        is stored with the index after a complete sync; under the same key,
        an article whose digest is the indexed one is kept without asking
        for its extra values, so re-opening an unchanged corpus computes
        nothing and one changed article computes one article's values.
        """
        self._last_sync = (articles, extra, extras, extra_key, progress)  # (what a repair fills it with)
        if extra_key is not None and self._current(articles, extra_key):
            return SyncStats(unchanged=len(articles))
        known: Mapping[str, str] = {}
        if extra_key is not None:
            with self._lock:
                payload = self._read_payload()
            if payload is not None and payload.get("extra_key") == extra_key:
                known = payload["docs"]

        def values_of(todo: Sequence[Article]) -> list[dict[str, str]]:
            if not todo:
                return []
            raw = list(extras(todo)) if extras is not None else [extra(a) if extra else {} for a in todo]
            out = []
            allowed = {*EXTRA_FIELDS, *NAME_TERM_FIELDS.values()}
            for values in map(dict, raw):
                unknown = set(values) - allowed
                if unknown:
                    raise ValueError(
                        f"unknown extra field(s) {sorted(unknown)}; expected {sorted(allowed)}"
                    )
                out.append({k: v for k, v in values.items() if v})
            return out

        wanted: dict[str, tuple[Article, dict[str, str] | None, str]] = {}
        todo: list[Article] = []
        for article in articles:
            key = known.get(article.id)
            if key is not None and key.split(":", 1)[0] == article.digest:
                wanted[article.id] = (article, None, key)  # (kept as it is: its values are not needed)
            else:
                todo.append(article)
        for article, values in zip(todo, values_of(todo), strict=True):
            wanted[article.id] = (article, values, _key(article.digest, _extra_digest(values)))

        with self._lock:
            plan = self._plan(wanted)
            if not (plan[0] or plan[1] or plan[2]):
                if extra_key is not None:
                    self._set_extra_key(extra_key)
                return SyncStats(unchanged=plan[3])
            if not self.writable:
                raise _not_writable(self.directory, self._refusal)
            try:
                return self._apply(wanted, plan, extra_key, progress, lock_timeout, values_of)
            except OSError as exc:
                if _unwritable(exc):
                    raise _not_writable(self.directory, exc) from exc
                raise

    def _apply(
        self,
        wanted: Mapping[str, tuple[Article, dict[str, str] | None, str]],
        plan: tuple[list[str], list[str], list[str], int],
        extra_key: str | None,
        progress: Callable[[int, int], None] | None,
        lock_timeout: float,
        values_of: Callable[[Sequence[Article]], list[dict[str, str]]],
    ) -> SyncStats:
        """Write the changes of *plan* (see :meth:`sync`), under the write lock.

        An article kept without its extra values (``None`` in *wanted*) that
        another process removed or changed meanwhile gets them from *values_of*.
        """
        if len(plan[0]) >= PAIR_WORDS_MIN and plan[3] == 0 and not plan[1]:
            self._choose_pair_words([wanted[i][0].text for i in plan[0]])
        procs = _procs(len(plan[0]) + len(plan[1]))
        self._writer = self._acquire_writer(lock_timeout)
        if not self._pair_words_current():
            # Another process chose the pair words while we waited: write
            # with the schema that matches them.
            self._writer.cancel()
            self._writer = self._acquire_writer(lock_timeout)
        try:
            # Another process may have written while we waited for the lock.
            current = self._read_manifest()
            stale = [i for i, (_, values, key) in wanted.items() if values is None and current.get(i) != key]
            if stale:
                wanted = dict(wanted)
                for i, values in zip(stale, values_of([wanted[i][0] for i in stale]), strict=True):
                    article = wanted[i][0]
                    wanted[i] = (article, values, _key(article.digest, _extra_digest(values)))
            added, updated, removed, unchanged = self._plan(wanted, current)
            self._write(
                wanted, current, added, updated, removed, progress, lock_timeout, procs,
                extra_key,
            )
        finally:
            if self._writer is not None:
                self._writer.cancel()
                self._writer = None
        self._drop_searcher()
        self._prune_facets()
        return SyncStats(len(added), len(updated), len(removed), unchanged)

    def _prune_facets(self) -> None:
        """Remove the facet files of segments the index no longer has (best effort)."""
        folder = self.directory / FACETS_FOLDER
        try:
            names = [p.name for p in folder.iterdir()]
        except OSError:
            return
        try:
            live = {f"{seg.segment_id()}.json" for seg in self._ix._segments()}
        except Exception:  # noqa: BLE001 - (another process committing meanwhile: next time)
            return
        for name in names:
            if name.endswith(".json") and name not in live:
                try:
                    (folder / name).unlink(missing_ok=True)
                except OSError:
                    pass

    def _current(self, articles: Sequence[Article], extra_key: str) -> bool:
        """True if the committed index holds exactly *articles*, stored under *extra_key*."""
        with self._lock:
            payload = self._read_payload()
        if payload is None or payload.get("extra_key") != extra_key:
            return False
        docs = payload["docs"]
        if len(docs) != len(articles):
            return False
        for a in articles:
            key = docs.get(a.id)
            if key is None or key.split(":", 1)[0] != a.digest:
                return False
        return True

    def _set_extra_key(self, extra_key: str) -> None:
        """Record *extra_key* for the unchanged index (under the write lock; skipped if busy)."""
        payload = self._read_payload()
        if payload is None or payload.get("extra_key") == extra_key or not self.writable:
            return
        try:
            writer = self._ix.writer(timeout=0.0)
        except LockError:
            return  # another process is writing; it records its own key
        except OSError as exc:
            if _unwritable(exc):
                return  # (a read-only cache: the key is recorded by the next writable run)
            raise
        try:
            payload = self._read_payload()
            if payload is not None:
                self._write_manifest(payload["docs"], extra_key)
        finally:
            writer.cancel()

    def _plan(
        self,
        wanted: Mapping[str, tuple[Article, dict[str, str] | None, str]],
        current: Mapping[str, str] | None = None,
    ) -> tuple[list[str], list[str], list[str], int]:
        if current is None:
            current = self._read_manifest()
        added = [i for i in wanted if i not in current]
        updated = [i for i in wanted if i in current and current[i] != wanted[i][2]]
        removed = [i for i in current if i not in wanted]
        unchanged = len(wanted) - len(added) - len(updated)
        return added, updated, removed, unchanged

    def _choose_pair_words(self, texts: Sequence[str]) -> None:
        """Fit the pair words to a first large batch (the index must be empty).

        Runs under the cross-process open lock and Whoosh's write lock: two
        processes indexing a fresh corpus at once must not both change the
        schema, and nobody may be writing with the old one. The one that comes
        second finds the words chosen (or the index being written) and keeps
        what is there. The new schema goes into a new table of contents,
        written atomically next to the old one, so a process reading the index
        meanwhile always finds one (recreating the index deleted the old table
        first, and a concurrent reader failed with "Index 'MAIN' does not
        exist").
        """
        with _open_lock(self.directory):
            if not self._pair_words_current():
                return  # another process chose them while we waited
            writelock = self._ix.lock("WRITELOCK")
            if not writelock.acquire(False):
                return  # another process is writing with the current schema
            try:
                with self._ix.reader() as reader:
                    if reader.doc_count_all() or (self.directory / _PAIR_WORDS_FILE).exists():
                        return
                words = frequent_words(texts)
                self._drop_searcher()
                generation = self._ix.latest_generation() + 1
                # Whoosh's indexing processes read the schema from the table of contents.
                toc: Any = TOC(build_schema(words), [], generation)  # type: ignore[no-untyped-call]
                toc.write(self._ix.storage, _INDEX_NAME)
                _atomic_write(self.directory / _PAIR_WORDS_FILE, json.dumps(sorted(words)))
                self._ix.close()
                self._ix = whoosh_index.open_dir(
                    str(self.directory), indexname=_INDEX_NAME, schema=build_schema(words)
                )
                self._write_manifest({})
            finally:
                writelock.release()

    def _pair_words_current(self) -> bool:
        """Re-read the saved pair words; reopen the index if another process changed them."""
        words = _read_pair_words(self.directory)
        if words == _schema_pair_words(self._ix.schema):
            return True
        self._drop_searcher()
        self._ix.close()
        self._ix = whoosh_index.open_dir(
            str(self.directory), indexname=_INDEX_NAME, schema=build_schema(words)
        )
        return False

    def _acquire_writer(self, timeout: float) -> Any:
        """A :class:`~kazreader.index.whooshfix.bulk.BulkSegmentWriter` (Whoosh's own on another Whoosh)."""
        writer_class = BulkSegmentWriter if bulk.supported() else SegmentWriter
        deadline = time.monotonic() + max(0.0, timeout)
        told = False
        while True:
            try:
                return writer_class(self._ix, timeout=0.0)
            except LockError:
                if time.monotonic() >= deadline:
                    raise IndexLockedError(
                        f"the index in {self.directory} is being written by another "
                        f"kazreader process (waited {timeout:.0f} s); try again later"
                    ) from None
                if not told and self._on_message is not None:
                    self._on_message("waiting for another process to finish indexing…")
                told = True
                time.sleep(0.1)

    def _write(
        self,
        wanted: Mapping[str, tuple[Article, dict[str, str] | None, str]],
        current: Mapping[str, str],
        added: list[str],
        updated: list[str],
        removed: list[str],
        progress: Callable[[int, int], None] | None,
        lock_timeout: float,
        procs: int = 1,
        extra_key: str | None = None,
    ) -> None:
        """Apply a plan with ``self._writer``, committing every :data:`BATCH_SIZE` docs.

        A batch of at least :data:`PARALLEL_MIN` documents is indexed by
        *procs* forked children, one segment each
        (:meth:`~kazreader.index.whooshfix.bulk.BulkSegmentWriter.add_in_children`).
        The write lock is released between batches, so another process may
        index some of the same articles meanwhile: after re-taking the lock the
        committed state is re-read; a document already there with the wanted
        key is skipped, one there with another key is replaced (never added
        twice).
        """
        docs = dict(current)
        total = len(added) + len(updated) + len(removed)
        done = 0

        def report(count: int) -> None:
            if progress is not None:
                progress(count, total)

        def commit(extra: str | None) -> None:
            writer, self._writer = self._writer, None
            writer.commit()
            self._write_manifest(docs, extra)

        for doc_id in removed:
            self._writer.delete_by_term("id", doc_id)
            docs.pop(doc_id, None)
            done += 1
        todo = [*updated, *added]
        next_ = 0
        while True:
            batch: list[str] = []
            while next_ < len(todo) and len(batch) < BATCH_SIZE:
                doc_id = todo[next_]
                next_ += 1
                if docs.get(doc_id) != wanted[doc_id][2]:
                    batch.append(doc_id)
                else:
                    done += 1
            for doc_id in batch:
                if doc_id in docs:  # replaced: the old version goes
                    self._writer.delete_by_term("id", doc_id)
            fields = [self._document(wanted[i][0], wanted[i][1]) for i in batch]
            done = self._add_batch(fields, procs, done, report)
            for doc_id in batch:
                docs[doc_id] = wanted[doc_id][2]
            if next_ >= len(todo):
                break
            commit(None)  # (the extras key is only true of a complete sync)
            self._writer = self._acquire_writer(lock_timeout)
            docs = dict(self._read_manifest())  # what others committed meanwhile
        commit(extra_key)
        if total:
            report(total)

    def _add_batch(
        self, fields: list[dict[str, Any]], procs: int, done: int, report: Callable[[int], None]
    ) -> int:
        """Add the documents *fields* with ``self._writer``, in *procs* forked
        children if there are at least :data:`PARALLEL_MIN`; returns *done* plus their number."""
        if procs > 1 and len(fields) >= PARALLEL_MIN:
            self._writer.add_in_children(fields, procs, lambda n: report(done + n))
            return done + len(fields)
        for doc in fields:
            self._writer.add_document(**doc)
            done += 1
            if done % 50 == 0:
                report(done)
        return done

    @staticmethod
    def _document(article: Article, values: Mapping[str, str] | None) -> dict[str, Any]:
        assert values is not None, "an article kept unchanged is never written"  # (see _apply)
        fields: dict[str, Any] = {
            "id": article.id,
            "digest": article.digest,
            "extra_digest": _extra_digest(values),
            "body": article.text,
            "body_pairs": article.text,
            "body_forms": article.text,
        }
        if article.title:
            fields["title"] = fields["title_forms"] = article.title
        if article.outlet:
            fields["outlet"] = article.outlet
        date = _parse_date(article.date)
        if date is not None:
            fields["date"] = date
        fields.update(values)
        for name, forms in FORM_FIELDS.items():
            if name in values:
                fields[forms] = values[name]
        return fields

    # --- reading --------------------------------------------------------------

    def _drop_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def _get_searcher(self) -> Any:
        # (Whoosh's Searcher.refresh() fails on a searcher of an empty index.)
        if self._searcher is not None and not self._searcher.up_to_date():
            self._drop_searcher()
        if self._searcher is None:
            self._pair_words_current()
            self._searcher = _between_commits(self.directory, self._new_searcher)
            keep_facets_in(self._searcher, self.directory / FACETS_FOLDER)
        return self._searcher

    def _new_searcher(self) -> Any:
        """A searcher scoring as a clean build would (:class:`~.whooshfix.live.LiveSearcher`)."""
        return LiveSearcher(self._ix.reader(), fromindex=self._ix)

    def __len__(self) -> int:
        with self._lock:
            return int(self._get_searcher().doc_count())

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        articles: Mapping[str, Article] | None = None,
        sort: SortOrder = SortOrder.SCORE,
        restrict: Collection[str] | None = None,
        expand: Callable[[Query], Query] | None = None,
    ) -> SearchResult:
        """Search the index; see :mod:`kazreader.index.search` for the syntax
        (and :func:`~kazreader.index.search.run_search` for *sort*, *restrict* and *expand*).

        Raises :class:`~kazreader.index.search.QueryError` (a ``ValueError``)
        for a query that cannot be searched.
        """
        run = partial(self._run, query, limit, articles, sort, restrict, expand)
        with self._lock:
            try:
                return run()
            except IndexReadError as exc:
                if not self._damaged(exc.cause):
                    raise QueryError(str(exc)) from None
            self._heal()
            try:
                return run()
            except IndexReadError as exc:
                raise RuntimeError(f"could not read the index in {self.directory}: {exc.cause}") from None

    def _run(
        self,
        query: str,
        limit: int,
        articles: Mapping[str, Article] | None,
        sort: SortOrder,
        restrict: Collection[str] | None,
        expand: Callable[[Query], Query] | None = None,
    ) -> SearchResult:
        try:
            searcher = self._get_searcher()
        except Exception as exc:
            raise IndexReadError(f"cannot open the index: {exc}", exc) from exc
        return run_search(searcher, query, limit=limit, articles=articles, sort=sort, restrict=restrict,
                          expand=expand)

    def _damaged(self, cause: BaseException) -> bool:
        """True if *cause*, raised while a parsed query ran, comes from damaged index files."""
        return isinstance(cause, _DAMAGE_ERRORS) or not self._intact()

    def _heal(self) -> None:
        """Rebuild the damaged index (said once) and bring it back to the last sync's articles."""
        if self._on_message is not None:
            self._on_message(DAMAGED)
        if not self.writable:
            raise _not_writable(self.directory, self._refusal)
        self._drop_searcher()
        self._ix.close()
        with _open_lock(self.directory):
            try:
                self._ix = _create_files(self.directory)
                self._write_manifest({})
            except OSError as exc:
                raise _not_writable(self.directory, exc) if _unwritable(exc) else exc
        if self._last_sync is not None:
            articles, extra, extras, extra_key, progress = self._last_sync
            self.sync(articles, extra=extra, extras=extras, extra_key=extra_key, progress=progress)


def _generation(directory: Path) -> int:
    """The latest committed generation of the index in *directory* (-1: none), as Whoosh finds it."""
    return whooshfix.latest_generation(str(directory), _INDEX_NAME)


def _between_commits(directory: Path, read: Callable[[], _T], attempts: int = 5) -> _T:
    """Run *read* on the latest committed generation, retrying if a commit intervened.

    Readers take no lock. When another process commits while *read* opens the
    index, Whoosh deletes the previous generation's files, and *read* fails on
    a missing file although nothing is wrong: it is retried on the new
    generation. A failure with no new generation is real and raised.
    """
    for attempt in range(attempts):
        generation = _generation(directory)
        try:
            return read()
        except (OSError, EmptyIndexError):
            if attempt == attempts - 1 or _generation(directory) == generation:
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _read_pair_words(directory: Path) -> frozenset[str]:
    """The pair words saved with the index in *directory* (default: common words)."""
    try:
        words = json.loads((directory / _PAIR_WORDS_FILE).read_text("utf-8"))
        if isinstance(words, list) and all(isinstance(w, str) for w in words):
            return frozenset(words)
    except (OSError, ValueError):
        pass
    return COMMON_WORDS


def _schema_pair_words(schema: Any) -> frozenset[str]:
    return getattr(schema["body_pairs"].analyzer, "pair_words", COMMON_WORDS)


def _procs(writes: int) -> int:
    """Indexing processes for a sync that adds or replaces *writes* documents.

    Several only for large writes, and only from a single-threaded process:
    the indexing children are started with ``fork``, which is unsafe once threads run
    (the TUI indexes from a worker thread; it then indexes in-process).
    """
    try:
        procs = int(os.environ.get("KAZREADER_INDEX_PROCS", INDEX_PROCS))
    except ValueError:
        procs = INDEX_PROCS
    if procs <= 1 or writes < PARALLEL_MIN or threading.active_count() > 1 or not bulk.supported():
        return 1
    return procs


def _create_files(directory: Path) -> FileIndex:
    """A new, empty index in *directory* (its old files removed), under the open lock."""
    _clear(directory)  # (the pair words go too: the next large sync picks new ones)
    ix = whoosh_index.create_in(str(directory), build_schema(), indexname=_INDEX_NAME)
    _atomic_write(directory / _VERSION_FILE, VERSION + "\n")
    return ix


def _checksum(path: Path) -> int:
    """CRC-32 of the file at *path* (read a MiB at a time)."""
    crc = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def _make_room(directory: Path) -> bool:
    """Make *directory* a folder and its open lock a file; True if either was the wrong kind.

    (A file where the index's folder belongs, or a folder, FIFO or device
    where the lock file belongs, is removed: the cache folder is kazreader's.)
    """
    misplaced = False
    if os.path.lexists(directory) and not directory.is_dir():
        directory.unlink(missing_ok=True)
        misplaced = True
    directory.mkdir(parents=True, exist_ok=True)
    lock = directory / _LOCK_FILE
    if os.path.lexists(lock) and not lock.is_file():
        if lock.is_dir() and not lock.is_symlink():
            shutil.rmtree(lock, ignore_errors=True)
        else:
            lock.unlink(missing_ok=True)
        misplaced = True
    return misplaced


def _check_files(directory: Path) -> str | None:
    """What is wrong with the index's files in *directory*, before Whoosh reads them.

    :data:`DAMAGED` (a garbled ``VERSION``, a folder where one of the index's
    files belongs, a version or manifest without the index), a "version
    changed" message, or None when the files look right.
    """
    has_index = False
    for path in directory.iterdir():
        name = path.name
        if (name in (_VERSION_FILE, _MANIFEST_FILE, _PAIR_WORDS_FILE) or path.suffix in (".toc", ".seg")) \
                and not path.is_file():  # (Whoosh's own MAIN.tmp is a folder)
            return DAMAGED
        has_index = has_index or (path.name.startswith(f"_{_INDEX_NAME}_") and path.suffix == ".toc")
    try:
        with open(directory / _VERSION_FILE, "rb") as fh:
            raw: bytes | None = fh.read(_VERSION_MAX)  # (a huge garbage file is not read whole)
    except FileNotFoundError:
        raw = None
    except OSError:
        return DAMAGED
    version = None
    if raw is not None:
        try:
            version = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            return DAMAGED
        if not _VERSION_RE.fullmatch(version):
            return DAMAGED
    if has_index and version != VERSION:
        return f"index version changed ({version or 'unknown'} → {VERSION}); rebuilding"
    if not has_index and (version is not None or os.path.lexists(directory / _MANIFEST_FILE)):
        return DAMAGED
    return None


def _ours(name: str) -> bool:
    """True for the names of the index's own files."""
    return (
        name in (_VERSION_FILE, _MANIFEST_FILE, _PAIR_WORDS_FILE, _LOCK_FILE, FACETS_FOLDER)
        or name.startswith((_INDEX_NAME, f"_{_INDEX_NAME}"))
        or name.endswith((".toc", ".seg", ".tmp"))
    )


def _clear(directory: Path) -> None:
    """Remove the index's files from *directory* (other files are left alone)."""
    for path in directory.iterdir():
        if not _ours(path.name) or path.name == _LOCK_FILE:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
