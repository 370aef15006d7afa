"""Sub-results of an analysis, cached one article (or one pair) at a time.

A corpus-wide analysis that can be split — entities scanned per article, an
article's passage fingerprints, the alignment of one pair — keeps each part in
a :class:`PartStore`, keyed by the content digests it was computed from. When
one file of 20,000 changes, the analysis reads 19,999 parts and computes one;
its corpus-wide merge is then all that runs again. Parts are pure functions of
their key and of the analysis' sources, so a result built from stored parts
equals a clean build of the same files.

All parts live in one SQLite file (``parts.sqlite`` in the corpus' cache
folder), one row per part, grouped by *namespace*: the analysis' name and the
digest of its sources (see :meth:`kazreader.workspace.Workspace.parts`), so
editing an analysis' code starts a fresh namespace and the old one is pruned.
Values are JSON. SQLite's write-ahead log lets the ingest child and the parent
write at once; a connection is opened per process (never shared across
``fork``). A damaged database is a miss, never an error: it is deleted and
the parts are computed again.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["PartStore", "PartsFile"]

#: Keys looked up per SQL statement (below SQLite's variable limit).
_BATCH = 500
#: Values longer than this are stored compressed.
_COMPRESS_OVER = 2048


#: SQLite's primary result codes that mean the file itself is damaged (SQLITE_CORRUPT, SQLITE_NOTADB).
_DAMAGE_CODES = frozenset({11, 26})


def _is_damage(err: sqlite3.Error) -> bool:
    """True when *err* says the database file is damaged; False for a busy or locked database,
    a full disk or any other failure that removing the file would not cure (and would lose every
    part another process is writing: a first ingest's parent and child share the file)."""
    code = getattr(err, "sqlite_errorcode", None)
    if code is None:
        return not isinstance(err, sqlite3.OperationalError)
    return code & 0xFF in _DAMAGE_CODES


def _encode(value: Any) -> bytes:
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    return b"z" + zlib.compress(raw, 1) if len(raw) > _COMPRESS_OVER else b"j" + raw


def _decode(blob: bytes) -> Any:
    raw = zlib.decompress(blob[1:]) if blob[:1] == b"z" else blob[1:]
    return json.loads(raw.decode("utf-8", "surrogatepass"))


class PartsFile:
    """The SQLite file every namespace's parts are kept in (one per corpus cache folder).

    ``path=None`` keeps everything in memory (a workspace with its cache
    disabled): parts are then shared within the process only.
    """

    #: Seconds a statement waits for another process' lock (then that read or write is skipped).
    busy_timeout = 60.0

    def __init__(self, path: Path | None, *, on_message: Callable[[str], None] | None = None) -> None:
        self.path = path
        self.on_message = on_message
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self._memory: dict[tuple[str, str], bytes] = {}
        self._told_busy = False

    # -- connection -------------------------------------------------------

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        # (after a fork the parent's connection must not be used: open our own)
        try:
            conn = self._open(self.path)
        except sqlite3.DatabaseError as err:
            if not _is_damage(err):
                self._busy(err)  # (another process holds it: this call does without, the next tries again)
                return None
            self._damaged(err)  # removes the file: one more try on a fresh one
            try:
                conn = self._open(self.path)
            except sqlite3.DatabaseError:
                self.path = None  # give up on the disk: parts are kept in memory
                return None
        self._conn, self._pid = conn, os.getpid()
        return conn

    def _open(self, path: Path) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=self.busy_timeout, check_same_thread=False, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS parts (ns TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
                " PRIMARY KEY (ns, key)) WITHOUT ROWID"
            )
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _failed(self, err: sqlite3.DatabaseError) -> None:
        """A statement failed: a damaged file is removed (:meth:`_damaged`); anything else —
        above all another process holding the lock past :attr:`busy_timeout` — only loses this
        read or write (a miss: the parts are computed again), never the file."""
        if _is_damage(err):
            self._damaged(err)
        else:
            self._busy(err)

    def _busy(self, err: sqlite3.DatabaseError) -> None:
        if self.on_message is not None and not self._told_busy:
            self._told_busy = True
            self.on_message(f"the parts cache could not be used just now ({err}); what was not stored is computed again")

    def _damaged(self, err: Exception) -> None:
        if self.on_message is not None:
            self.on_message(f"the parts cache was damaged ({err}); it is rebuilt")
        self.close()
        if self.path is not None:
            for suffix in ("", "-wal", "-shm"):
                try:
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                except OSError:
                    pass

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                try:
                    self._conn.close()
                except sqlite3.Error:
                    pass
            self._conn = None

    # -- rows ---------------------------------------------------------------

    def get_many(self, ns: str, keys: Sequence[str]) -> dict[str, Any]:
        """The stored parts among *keys* in namespace *ns* (missing or unreadable ones are left out)."""
        with self._lock:
            conn = self._connect()
            if conn is None:
                return {k: _decode(self._memory[(ns, k)]) for k in keys if (ns, k) in self._memory}
            out: dict[str, Any] = {}
            try:
                for lo in range(0, len(keys), _BATCH):
                    chunk = keys[lo : lo + _BATCH]
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(f"SELECT key, value FROM parts WHERE ns=? AND key IN ({marks})", (ns, *chunk))
                    for key, blob in rows:
                        try:
                            out[key] = _decode(blob)
                        except (ValueError, zlib.error):
                            continue  # one damaged row: that part is computed again
            except sqlite3.DatabaseError as err:
                self._failed(err)
                return {}
            return out

    def stored(self, ns: str, keys: Sequence[str]) -> set[str]:
        """Those of *keys* stored in namespace *ns* (nothing decoded; unreadable: none)."""
        with self._lock:
            conn = self._connect()
            if conn is None:
                return {k for k in keys if (ns, k) in self._memory}
            out: set[str] = set()
            try:
                for lo in range(0, len(keys), _BATCH):
                    chunk = keys[lo : lo + _BATCH]
                    marks = ",".join("?" * len(chunk))
                    out.update(k for (k,) in conn.execute(
                        f"SELECT key FROM parts WHERE ns=? AND key IN ({marks})", (ns, *chunk)))
            except sqlite3.DatabaseError as err:
                self._failed(err)
                return set()
            return out

    def put_many(self, ns: str, items: Mapping[str, Any]) -> None:
        """Store *items* (key → JSON-able value) in namespace *ns*; failures to write are ignored."""
        with self._lock:
            conn = self._connect()
            if conn is None:
                self._memory.update(((ns, k), _encode(v)) for k, v in items.items())  # (a copy: callers may mutate)
                return
            # (encoded before the transaction: the write lock, which another process may wait
            # for, is held only while the rows are written)
            rows = [(ns, k, _encode(v)) for k, v in items.items()]
            try:
                with conn:
                    conn.execute("BEGIN")
                    conn.executemany("INSERT OR REPLACE INTO parts (ns, key, value) VALUES (?, ?, ?)", rows)
            except sqlite3.DatabaseError as err:
                self._failed(err)
            except OSError:
                pass

    def drop_variants(self, ns: str, keys: Iterable[str]) -> None:
        """Delete the parts keyed ``DIGESTS:other`` in *ns* for each ``DIGESTS:this`` of *keys* (those replace them)."""
        pairs = [(k.split(":", 1)[0] + ":", k) for k in keys if ":" in k]
        with self._lock:
            conn = self._connect()
            if conn is None:
                for prefix, key in pairs:
                    for dead in [m for m in self._memory if m[0] == ns and m[1].startswith(prefix) and m[1] != key]:
                        del self._memory[dead]
                return
            try:
                with conn:
                    conn.execute("BEGIN")
                    conn.executemany(
                        "DELETE FROM parts WHERE ns=? AND key>=? AND key<? AND key!=?",
                        ((ns, prefix, prefix[:-1] + ";", key) for prefix, key in pairs),
                    )
            except sqlite3.DatabaseError as err:
                self._failed(err)
            except OSError:
                pass

    def prune(self, namespaces: Iterable[str], alive: Callable[[str], bool]) -> int:
        """Delete every part outside *namespaces*, and those whose key ``alive(key)`` rejects; how many."""
        keep = set(namespaces)
        with self._lock:
            conn = self._connect()
            if conn is None:
                dead = [k for k in self._memory if k[0] not in keep or not alive(k[1])]
                for k in dead:
                    del self._memory[k]
                return len(dead)
            try:
                rows = conn.execute("SELECT ns, key FROM parts").fetchall()
                dead_rows = [(ns, key) for ns, key in rows if ns not in keep or not alive(key)]
                if dead_rows:
                    with conn:
                        conn.execute("BEGIN")
                        conn.executemany("DELETE FROM parts WHERE ns=? AND key=?", dead_rows)
                return len(dead_rows)
            except sqlite3.DatabaseError as err:
                self._failed(err)
                return 0


class PartStore:
    """One analysis' parts: a view of a :class:`PartsFile` on one namespace."""

    def __init__(self, file: PartsFile, namespace: str) -> None:
        self.file = file
        self.namespace = namespace

    def get_many(self, keys: Sequence[str]) -> dict[str, Any]:
        return self.file.get_many(self.namespace, keys)

    def put_many(self, items: Mapping[str, Any]) -> None:
        self.file.put_many(self.namespace, items)

    def stored(self, keys: Sequence[str]) -> set[str]:
        return self.file.stored(self.namespace, keys)

    def drop_variants(self, keys: Iterable[str]) -> None:
        """A part keyed ``DIGESTS:what-else`` replaces that article's parts for anything else (see :meth:`map`)."""
        self.file.drop_variants(self.namespace, keys)

    def map(self, keys: Sequence[str], compute: Callable[[list[str]], Mapping[str, Any]]) -> dict[str, Any]:
        """The part for every one of *keys*: stored ones read, the others ``compute(missing)``\\ d and stored.

        *compute* receives the missing keys (in the order given) and returns a
        JSON-able part for each. Duplicate keys are computed once. A key may
        be article digests, ``:`` and a digest of what else the part depends
        on (another analysis' result): a new part for it replaces the
        article's parts computed from anything else.
        """
        found = self.get_many(list(dict.fromkeys(keys)))
        found.update(self._computed([k for k in dict.fromkeys(keys) if k not in found], compute))
        return found

    def fill(self, keys: Sequence[str], compute: Callable[[list[str]], Mapping[str, Any]]) -> int:
        """Compute and store the parts of *keys* not stored yet (as :meth:`map`, nothing read back);
        how many were computed."""
        stored = self.stored(list(dict.fromkeys(keys)))
        return len(self._computed([k for k in dict.fromkeys(keys) if k not in stored], compute))

    def _computed(self, missing: list[str], compute: Callable[[list[str]], Mapping[str, Any]]) -> dict[str, Any]:
        """``compute(missing)``, stored (replacing the variants of each key it makes; none asked: nothing)."""
        if not missing:
            return {}
        fresh = dict(compute(missing))
        self.put_many(fresh)
        self.drop_variants(fresh)
        return fresh
