"""Marks, notes and saved searches: a researcher's own layer over a corpus.

One SQLite database per corpus (``marks.sqlite`` in the corpus' cache folder)
holds stars on articles, flags (verified, disputed, to check) on any quote,
figure, passage or entity mention, free-text notes, and saved searches. A mark
is keyed by article id, character offsets *and* the marked text, so a later
edit of the article is detected: :meth:`MarkStore.anchor` finds the text again
(exactly, then with typography folded) and reports the mark as ``moved`` with
its new offsets, or ``lost`` -- never silently misplaced. Nothing here depends
on the index or the analyses' cache, so marks survive re-indexing and edits
of other files.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from kazreader.text import fold_chars

__all__ = [
    "DB_NAME", "Flag", "Mark", "MarkKind", "MarkStatus", "MarkStore", "SavedSearch", "anchor_mark", "next_flag",
]

DB_NAME = "marks.sqlite"


class Flag(StrEnum):
    """A researcher's verdict on a marked item."""

    VERIFIED = "verified"
    DISPUTED = "disputed"
    TO_CHECK = "to_check"


#: The order ``m`` cycles through (None: no flag).
FLAG_CYCLE: tuple[Flag | None, ...] = (Flag.TO_CHECK, Flag.VERIFIED, Flag.DISPUTED, None)


def next_flag(flag: Flag | None) -> Flag | None:
    """The flag after *flag* in :data:`FLAG_CYCLE` (no flag → to check → verified → disputed → none)."""
    if flag is None:
        return FLAG_CYCLE[0]
    return FLAG_CYCLE[(FLAG_CYCLE.index(flag) + 1) % len(FLAG_CYCLE)]


class MarkKind(StrEnum):
    """What a mark is on."""

    STAR = "star"  # a whole article (no offsets)
    QUOTE = "quote"
    FIGURE = "figure"
    PASSAGE = "passage"
    ENTITY = "entity"
    SELECTION = "selection"


class MarkStatus(StrEnum):
    """Where a mark stands against the article's current text."""

    OK = "ok"
    MOVED = "moved"
    LOST = "lost"


@dataclass(frozen=True)
class Mark:
    """One mark. ``start``/``end``/``status`` are as anchored in the current text."""

    id: int
    kind: MarkKind
    article: str
    start: int | None
    end: int | None
    text: str
    flag: Flag | None
    note: str
    created: float
    status: MarkStatus = MarkStatus.OK
    #: The offsets as stored (differ from start/end when ``moved``).
    stored_start: int | None = None
    stored_end: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": str(self.kind), "article": self.article, "start": self.start, "end": self.end,
            "text": self.text, "flag": str(self.flag) if self.flag else None, "note": self.note,
            "status": str(self.status), "stored_start": self.stored_start, "stored_end": self.stored_end,
        }


@dataclass(frozen=True)
class SavedSearch:
    """A saved query; ``seen`` are the ``id:digest`` keys it matched when last opened."""

    name: str
    query: str
    created: float
    opened: float | None
    seen: frozenset[str]

    def new_matches(self, current: Iterable[str]) -> list[str]:
        """The keys in *current* not matched at the last open."""
        return [k for k in current if k not in self.seen]


def _folded(text: str) -> str:
    """Typography and case folded, one character for one (offsets preserved)."""
    out = fold_chars(text)
    low = out.lower()
    return low if len(low) == len(out) else out


def _nearest(hay: str, needle: str, near: int) -> int | None:
    """The start of the occurrence of *needle* in *hay* closest to *near*."""
    best: int | None = None
    pos = hay.find(needle)
    while pos >= 0:
        if best is None or abs(pos - near) < abs(best - near):
            best = pos
        pos = hay.find(needle, pos + 1)
    return best


def anchor_mark(mark: Mark, texts: Mapping[str, str], folded: dict[str, str] | None = None) -> Mark:
    """*mark* anchored in the current article texts: ok, moved (new offsets) or lost.

    *folded* memoises the articles' folded texts across calls (many marks, one article).
    """
    text = texts.get(mark.article)
    if text is None:
        return replace(mark, status=MarkStatus.LOST)
    if mark.kind is MarkKind.STAR or mark.start is None or mark.end is None:
        return mark
    if text[mark.start:mark.end] == mark.text:
        return mark
    if not mark.text:
        return replace(mark, status=MarkStatus.LOST)
    pos = _nearest(text, mark.text, mark.start)
    if pos is None:
        memo = {} if folded is None else folded
        if mark.article not in memo:
            memo[mark.article] = _folded(text)
        pos = _nearest(memo[mark.article], _folded(mark.text), mark.start)
    if pos is None:
        return replace(mark, status=MarkStatus.LOST, start=None, end=None)
    return replace(mark, status=MarkStatus.MOVED, start=pos, end=pos + len(mark.text))


_SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, article TEXT NOT NULL, start INTEGER, "end" INTEGER,
    text TEXT NOT NULL DEFAULT '', flag TEXT, note TEXT NOT NULL DEFAULT '', created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS marks_article ON marks(article, start, "end");
CREATE VIRTUAL TABLE IF NOT EXISTS marks_fts USING fts5(
    text, note, content='marks', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS marks_ai AFTER INSERT ON marks BEGIN
    INSERT INTO marks_fts(rowid, text, note) VALUES (new.id, new.text, new.note);
END;
CREATE TRIGGER IF NOT EXISTS marks_ad AFTER DELETE ON marks BEGIN
    INSERT INTO marks_fts(marks_fts, rowid, text, note) VALUES ('delete', old.id, old.text, old.note);
END;
CREATE TRIGGER IF NOT EXISTS marks_au AFTER UPDATE ON marks BEGIN
    INSERT INTO marks_fts(marks_fts, rowid, text, note) VALUES ('delete', old.id, old.text, old.note);
    INSERT INTO marks_fts(rowid, text, note) VALUES (new.id, new.text, new.note);
END;
CREATE TABLE IF NOT EXISTS searches (
    name TEXT PRIMARY KEY, query TEXT NOT NULL, created REAL NOT NULL, opened REAL, seen TEXT NOT NULL DEFAULT '[]'
);
"""

_COLUMNS = 'id, kind, article, start, "end", text, flag, note, created'


def _row_mark(row: Sequence[Any]) -> Mark:
    mid, kind, article, start, end, text, flag, note, created = row
    return Mark(int(mid), MarkKind(kind), str(article), start, end, str(text), Flag(flag) if flag else None,
                str(note), float(created), stored_start=start, stored_end=end)


class MarkStore:
    """The marks and saved searches of one corpus, in ``DIRECTORY/marks.sqlite`` (or ``:memory:``)."""

    def __init__(self, directory: Path | None) -> None:
        if directory is None:
            self.path: Path | None = None
            target = ":memory:"
        else:
            directory.mkdir(parents=True, exist_ok=True)
            self.path = directory / DB_NAME
            target = str(self.path)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(target, check_same_thread=False, timeout=10)
        with self._lock, self._db:
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- marks -----------------------------------------------------------

    def add(
        self, kind: MarkKind, article: str, start: int | None = None, end: int | None = None, *,
        text: str = "", flag: Flag | None = None, note: str = "",
    ) -> Mark:
        """A new mark (the same item marked twice is one mark: its flag and note are updated)."""
        existing = self.find(kind, article, start, end)
        if existing is not None:
            return self.update(existing.id, flag=flag, note=note or existing.note)
        with self._lock, self._db:
            cur = self._db.execute(
                f'INSERT INTO marks ({_COLUMNS.replace("id, ", "", 1)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
                (str(kind), article, start, end, text, str(flag) if flag else None, note, time.time()),
            )
            mid = int(cur.lastrowid or 0)
        return self.get(mid)

    def find(self, kind: MarkKind, article: str, start: int | None, end: int | None) -> Mark | None:
        """The mark of *kind* on exactly this span, if any."""
        with self._lock:
            row = self._db.execute(
                f'SELECT {_COLUMNS} FROM marks WHERE article = ? AND start IS ? AND "end" IS ? AND kind = ?',
                (article, start, end, str(kind)),
            ).fetchone()
        return _row_mark(row) if row else None

    def get(self, mark_id: int) -> Mark:
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM marks WHERE id = ?", (mark_id,)).fetchone()
        if row is None:
            raise KeyError(mark_id)
        return _row_mark(row)

    def update(self, mark_id: int, *, flag: Flag | None, note: str) -> Mark:
        with self._lock, self._db:
            self._db.execute("UPDATE marks SET flag = ?, note = ? WHERE id = ?",
                             (str(flag) if flag else None, note, mark_id))
        return self.get(mark_id)

    def remove(self, mark_id: int) -> bool:
        with self._lock, self._db:
            return self._db.execute("DELETE FROM marks WHERE id = ?", (mark_id,)).rowcount > 0

    def star(self, article: str) -> bool:
        """Toggle the star on *article*; True when it is now starred."""
        existing = self.find(MarkKind.STAR, article, None, None)
        if existing is not None:
            self.remove(existing.id)
            return False
        self.add(MarkKind.STAR, article)
        return True

    def starred(self) -> set[str]:
        with self._lock:
            rows = self._db.execute("SELECT article FROM marks WHERE kind = ?", (str(MarkKind.STAR),)).fetchall()
        return {str(r[0]) for r in rows}

    def all(self, texts: Mapping[str, str] | None = None, *, article: str | None = None) -> list[Mark]:
        """Every mark (of *article*), anchored in *texts* when given, oldest first."""
        sql, params = f"SELECT {_COLUMNS} FROM marks", tuple[str, ...]()
        if article is not None:
            sql, params = sql + " WHERE article = ?", (article,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id", params).fetchall()
        marks = [_row_mark(r) for r in rows]
        folded: dict[str, str] = {}
        return [anchor_mark(m, texts, folded) for m in marks] if texts is not None else marks

    def search(self, words: str, *, limit: int = 200) -> list[Mark]:
        """Marks whose text or note contains *words* (substring, case-insensitive; FTS5 trigram)."""
        sql, params = self._search_sql(words, limit)
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [_row_mark(r) for r in rows]

    def _search_sql(self, words: str, limit: int) -> tuple[str, tuple[Any, ...]]:
        cols = ", ".join(f"m.{c.strip()}" for c in _COLUMNS.split(","))
        if len(words.strip()) < 3:  # (trigrams need three characters: a short needle scans)
            like = f"%{words.strip()}%"
            return (f"SELECT {cols} FROM marks m WHERE m.text LIKE ? OR m.note LIKE ? ORDER BY m.id LIMIT ?",
                    (like, like, limit))
        phrase = '"' + words.strip().replace('"', '""') + '"'
        return (f"SELECT {cols} FROM marks_fts f JOIN marks m ON m.id = f.rowid WHERE marks_fts MATCH ? "
                "ORDER BY m.id LIMIT ?", (phrase, limit))

    def query_plan(self, words: str) -> str:
        """SQLite's plan for :meth:`search` (tests check it uses the FTS index)."""
        sql, params = self._search_sql(words, 200)
        with self._lock:
            rows = self._db.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        return "\n".join(str(r[-1]) for r in rows)

    def add_many(self, items: Iterable[tuple[MarkKind, str, int | None, int | None, str, Flag | None, str]]) -> int:
        """Insert many marks at once (no de-duplication); how many."""
        now = time.time()
        rows = [(str(k), a, s, e, t, str(f) if f else None, n, now) for k, a, s, e, t, f, n in items]
        with self._lock, self._db:
            self._db.executemany(
                'INSERT INTO marks (kind, article, start, "end", text, flag, note, created) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return len(rows)

    # -- saved searches --------------------------------------------------

    def save_search(self, name: str, query: str) -> SavedSearch:
        """Save (or re-point) the search *name*."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO searches (name, query, created) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET query = excluded.query", (name, query, time.time()))
        return self.saved_search(name)

    def saved_search(self, name: str) -> SavedSearch:
        with self._lock:
            row = self._db.execute(
                "SELECT name, query, created, opened, seen FROM searches WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise KeyError(name)
        return _row_search(row)

    def saved_searches(self) -> list[SavedSearch]:
        with self._lock:
            rows = self._db.execute(
                "SELECT name, query, created, opened, seen FROM searches ORDER BY name").fetchall()
        return [_row_search(r) for r in rows]

    def opened_search(self, name: str, matched: Iterable[str]) -> None:
        """Record that *name* was opened and matched the keys *matched* (``id:digest``)."""
        seen = json.dumps(sorted(set(matched)))
        with self._lock, self._db:
            self._db.execute("UPDATE searches SET opened = ?, seen = ? WHERE name = ?", (time.time(), seen, name))

    def delete_search(self, name: str) -> bool:
        with self._lock, self._db:
            return self._db.execute("DELETE FROM searches WHERE name = ?", (name,)).rowcount > 0


def _row_search(row: Sequence[Any]) -> SavedSearch:
    name, query, created, opened, seen = row
    keys = json.loads(seen) if seen else []
    return SavedSearch(str(name), str(query), float(created), None if opened is None else float(opened),
                       frozenset(str(k) for k in keys))
