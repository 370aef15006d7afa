"""Load a corpus: walk paths, read and decode files, parse, clean, assign ids.

:func:`load_corpus` never raises for bad input. Every file it skips or repairs
yields a :class:`~kazreader.corpus.model.LoadWarning`, collected in
``Corpus.warnings`` and passed to ``on_warning`` as it happens.
"""

from __future__ import annotations

import dataclasses
import errno
import fnmatch
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from kazreader.corpus.clean import collapse, finish, split_blocks
from kazreader.corpus.decode import decode_bytes, looks_binary, mostly_utf8, repair_mojibake
from kazreader.corpus.fields import FieldMap, default_map
from kazreader.corpus.formats import (
    UNSUPPORTED_SUFFIXES,
    Format,
    LineParser,
    RawRecord,
    format_of,
    parse_json,
    parse_json_lines,
    parse_markdown,
    parse_text,
)
from kazreader.corpus.metadata import (
    SIDECAR_NAME,
    clean_outlet,
    infer,
    known_outlet,
    outlet_from_url,
    parse_date,
    read_sidecar,
    read_sidecar_maps,
    strip_date_marker,
)
from kazreader.corpus.model import Article, Corpus, CorpusNotFound, LoadWarning, display_path
from kazreader.corpus.snapshot import Event, Snapshot, signature
from kazreader.corpus.sources import (
    DECOMPRESS_ERRORS,
    Compression,
    Member,
    Skip,
    compression_of,
    describe,
    iter_lines,
    max_file_bytes,
    members,
    open_regular,
    read_bounded,
    read_upto,
)
from kazreader.corpus.tabular import parse_csv_lines, parse_tsv_lines
from kazreader.corpus.webpage import parse_html
from kazreader.gcpause import gc_paused
from kazreader.text import safe_name, sanitize

__all__ = ["MAX_ARTICLE_CHARS", "build_article", "load_corpus", "parallel_load_pays"]

WarningHandler = Callable[[LoadWarning], None]

#: Longer texts are skipped with a warning. The longest news features run to
#: ~100k characters; a text this size is a dump or a mis-export, and every
#: analysis (and the index) of it would take minutes.
MAX_ARTICLE_CHARS = 8_000_000

#: Files to read adding up to at least this many bytes are parsed by
#: :data:`LOAD_PROCS` processes (a first load of a large archive).
PARALLEL_LOAD_BYTES = 8_000_000
#: Processes that parse files in parallel (only from a single-threaded process).
LOAD_PROCS = max(1, min(2, os.cpu_count() or 1))


def _max_article_chars() -> int:
    """The size limit, raised or lowered with ``KAZREADER_MAX_ARTICLE_CHARS``."""
    try:
        return int(os.environ.get("KAZREADER_MAX_ARTICLE_CHARS", MAX_ARTICLE_CHARS))
    except ValueError:
        return MAX_ARTICLE_CHARS


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _stem(name: str) -> str:
    """The id a file's name gives: without folders, compression and format suffixes.

    A name that is not valid UTF-8 (its bytes kept as lone surrogates) is
    read as cp1252, so ``caf\\xe9.txt`` is the article ``café``.
    """
    from kazreader.corpus.sources import inner_name

    stem = os.path.splitext(inner_name(os.path.basename(name)))[0]
    if any("\udc80" <= ch <= "\udcff" for ch in stem):
        stem = os.fsencode(stem).decode("cp1252", errors="replace")
    return stem


def _clean_field(value: str | None) -> str | None:
    """Sanitise a one-line metadata value; empty → ``None``."""
    if value is None:
        return None
    return collapse(sanitize(repair_mojibake(value))) or None


def _outlet(record: RawRecord, url: str | None, inferred: str | None) -> str | None:
    """The record's outlet, else the URL's, else what the text says.

    A short source code (``nyt``, ``hpo``) whose URL belongs to a known news
    site is that site's name.
    """
    own = clean_outlet(_clean_field(record.outlet))
    from_url = outlet_from_url(url) if url else None
    if own is None:
        return from_url or inferred
    if from_url and own.isalnum() and len(own) <= 5 and known_outlet(url or "") is not None:
        return from_url
    known = outlet_from_url(own) if "." in own and " " not in own else None
    return known or own


def build_article(record: RawRecord, *, id: str, path: str, warn: Callable[[str], None]) -> Article | None:
    """Turn one raw record into a cleaned :class:`Article` (``None`` if nothing is left).

    The text is sanitised first, then metadata lines are taken off it and page
    furniture removed. The record's own fields win over what the text shows.
    """
    text, marker_date = strip_date_marker(sanitize(repair_mojibake(record.text)))
    title = _clean_field(record.title)
    blocks, inferred = infer(split_blocks(text), known_title=title)
    cleaned = finish(blocks)
    if not cleaned.text:
        warn("skipped: no article text left after cleaning")
        return None

    date = None
    if record.date is not None and record.date != "":
        date = parse_date(record.date)
        if date is None:
            warn(f"unparseable date {safe_name(str(record.date)[:40])!r}, left empty")
    url = _clean_field(record.url)
    return Article(
        id=id,
        path=path,
        text=cleaned.text,
        paragraphs=cleaned.paragraphs,
        outlet=_outlet(record, url, inferred.outlet or inferred.agency),
        date=date or marker_date or inferred.date,
        title=title or inferred.title,
        url=url,
        author=_clean_field(record.author) or inferred.author,
        removed=cleaned.removed,
    )


#: Names of files that travel with data sets but are not articles (by stem, lower case).
NOT_ARTICLES = frozenset({
    "readme", "license", "licence", "copying", "changelog", "changes", "history", "news", "authors",
    "contributors", "contributing", "notice", "code_of_conduct", "security", "todo", "manifest",
    "citation", "install", "makefile", "requirements",
})
#: Record ids that data sets use for "no id": the file name or position is used instead.
_PLACEHOLDER_IDS = frozenset({"", "empty", "none", "null", "nil", "nan", "n/a", "na", "undefined", "-", "0", "id"})
#: How the warning of a whole file skipped begins (counted in one line when there are many).
_WHOLE_FILE_SKIPS = ("skipped", "not an article")
#: A folder's file of glob lines naming more files to skip.
IGNORE_NAME = ".kazreaderignore"
#: After this many warnings of one kind, the rest of that kind are counted in one line.
_SAME_KIND_SHOWN = 5
#: After this many problems in one file, the rest are counted in one line.
_PROBLEMS_PER_FILE = 20

#: Whole-file parsers by format (the others read line by line).
_WHOLE: dict[Format, Callable[[str, FieldMap], tuple[list[RawRecord], list[str]]]] = {
    Format.TEXT: parse_text, Format.MARKDOWN: parse_markdown, Format.JSON: parse_json, Format.HTML: parse_html,
}
_LINES: dict[Format, LineParser] = {
    Format.JSONL: parse_json_lines, Format.CSV: parse_csv_lines, Format.TSV: parse_tsv_lines,
}


def _file_sig(st: os.stat_result, fmap: FieldMap) -> tuple[int | str, ...]:
    """A file's snapshot signature: its ``stat`` and the field map it is read with."""
    return (*signature(st), fmap.digest)


class _Folder:
    """A folder being walked: its entries left, field map and ignore patterns."""

    def __init__(self, path: str, entries: list[os.DirEntry[str]], fmap: FieldMap, ignores: list[tuple[str, str]]):
        self.path = path
        self.entries = iter(entries)
        self.fmap = fmap
        self.ignores = ignores


class _Loader:
    """The state of one :func:`load_corpus` call."""

    def __init__(self, on_warning: WarningHandler | None, snapshot: Snapshot | None = None) -> None:
        self.on_warning = on_warning
        self.snapshot = snapshot
        self.warnings: list[LoadWarning] = []
        self.articles: list[Article] = []
        self.ids: set[str] = set()
        self.seen_files: set[tuple[int, int]] = set()
        self.seen_dirs: set[tuple[int, int]] = set()
        self.sidecars: list[str] = []
        #: path -> (signature, events) parsed ahead by :func:`_prefetch`.
        self.prefetched: dict[str, tuple[tuple[int | str, ...], list[Event]]] = {}
        #: warning kind -> how many were left unsaid, and where the first was.
        self.kinds: Counter[str] = Counter()
        self.unsaid: dict[str, tuple[str, int]] = {}
        self.base_map = default_map()
        #: The root being loaded (where a count of skipped files is reported).
        self.root = ""

    def warn(self, path: str, message: str) -> None:
        warning = LoadWarning(path, " ".join(message.split()))  # always one line
        self.warnings.append(warning)
        if self.on_warning is not None:
            self.on_warning(warning)

    def warn_kind(self, path: str, message: str, root: str) -> None:
        """A warning of a kind that can come by the thousand (one per skipped file):
        the first few are said, the rest counted in one line by :meth:`say_unsaid`."""
        self.kinds[message] += 1
        if self.kinds[message] <= _SAME_KIND_SHOWN:
            self.warn(path, message)
        else:
            where, n = self.unsaid.get(message, (root, 0))
            self.unsaid[message] = (where, n + 1)

    def say_unsaid(self) -> None:
        for message, (root, n) in self.unsaid.items():
            reason = message.removeprefix("skipped: ").removesuffix(", skipped")
            self.warn(root, f"skipped {n} more file{'s' if n != 1 else ''}: {reason}")
        self.unsaid.clear()

    # -- walking ----------------------------------------------------------------

    def files(self, root: str) -> Iterator[str]:
        """Yield the article files under *root* (a file or folder), in stable order."""
        return (path for path, _fmap in self._list_files(root))

    def _list_files(self, root: str) -> Iterator[tuple[str, FieldMap]]:
        """The files under *root* with the field map each is read with."""
        return self._walk_root(root)

    def _walk_root(self, root: str) -> Iterator[tuple[str, FieldMap]]:
        if not os.path.lexists(root):
            self.warn(root, "skipped: no such file or directory")
            return
        if os.path.isdir(root):
            yield from self.walk(root)
            return
        if not os.path.exists(root):
            self.warn(root, "skipped: broken symlink")
            return
        name = os.path.basename(root)
        if name == SIDECAR_NAME:
            self.add_sidecar(root)
            return
        fmap = self.base_map
        sibling = os.path.join(os.path.dirname(root), SIDECAR_NAME)
        if os.path.isfile(sibling):
            self.add_sidecar(sibling)
            fmap = self.folder_map(sibling, fmap)
        if _suffix(name) in UNSUPPORTED_SUFFIXES:
            self.warn(root, "skipped: unsupported format")
            return
        yield root, fmap  # an explicit file of any other kind is tried as text

    def folder_map(self, sidecar: str, parent: FieldMap) -> FieldMap:
        """*parent* with a sidecar's ``[fields]`` and ``[outlets]`` tables applied."""
        fields, outlets, problems = read_sidecar_maps(sidecar)
        for problem in problems:
            self.warn(sidecar, problem)
        return parent.overridden(fields, outlets) if fields or outlets else parent

    def open_folder(self, folder: str, parent: _Folder | None) -> _Folder | None:
        try:
            st = os.stat(folder)
        except OSError as exc:
            self.warn(folder, f"skipped: {exc.strerror or exc}")
            return None
        key = (st.st_dev, st.st_ino)
        if key in self.seen_dirs:
            self.warn(folder, "skipped: symlink loop (folder already visited)")
            return None
        self.seen_dirs.add(key)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.warn(folder, f"skipped: unreadable folder ({exc.strerror or exc})")
            return None
        fmap = parent.fmap if parent is not None else self.base_map
        ignores = list(parent.ignores) if parent is not None else []
        for entry in entries:
            if entry.name == SIDECAR_NAME and entry.is_file():
                self.add_sidecar(entry.path)
                fmap = self.folder_map(entry.path, fmap)
            elif entry.name == IGNORE_NAME and entry.is_file():
                ignores.extend((folder, pattern) for pattern in _read_ignore(entry.path))
        return _Folder(folder, entries, fmap, ignores)

    def walk(self, root: str) -> Iterator[tuple[str, FieldMap]]:
        """The files under folder *root*, depth first in name order (an iterative
        walk: a tree thousands of levels deep is fine)."""
        top = self.open_folder(root, None)
        stack = [top] if top is not None else []
        while stack:
            folder = stack[-1]
            entry = next(folder.entries, None)
            if entry is None:
                stack.pop()
                continue
            path = os.path.join(folder.path, entry.name)
            reason = self.entry_skip(entry, path, folder)
            if reason == "":
                yield path, folder.fmap
            elif reason == "folder":
                inner = self.open_folder(path, folder)
                if inner is not None:
                    stack.append(inner)
            elif reason is not None:
                self.warn_kind(path, reason, root)
        self.say_unsaid()

    def entry_skip(self, entry: os.DirEntry[str], path: str, folder: _Folder) -> str | None:
        """Why a folder entry is skipped (``""``: read it; ``"folder"``: walk it; ``None``: say nothing)."""
        name = entry.name
        if name in (SIDECAR_NAME, IGNORE_NAME):
            return None
        if name.startswith("."):
            return "skipped: hidden"
        if _ignored(path, folder.ignores):
            return f"skipped: matched by {IGNORE_NAME}"
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as exc:
            return f"skipped: {'symlink loop' if exc.errno == errno.ELOOP else exc.strerror or exc}"
        if is_dir:
            return "folder"
        if not is_file:
            return _not_a_file(path)
        if _stem(name).lower().split(".")[0] in NOT_ARTICLES:
            return "skipped: not an article (a README, LICENSE or similar file)"
        if format_of(name) is not None or compression_of(name) is Compression.ZIP:
            return ""
        suffix = _suffix(name)
        return f"skipped: unsupported format ({suffix or 'no extension'})"

    def add_sidecar(self, path: str) -> None:
        if path not in self.sidecars:
            self.sidecars.append(path)

    # -- reading ------------------------------------------------------------------

    def load_file(self, path: str, fmap: FieldMap | None = None) -> None:
        """Load one file: from the snapshot if it is unchanged, else by reading it."""
        fmap = fmap or self.base_map
        if self.snapshot is not None:
            try:
                st = os.stat(path)
            except OSError:
                pass  # reading it will say what is wrong
            else:
                events = self.snapshot.lookup(path, _file_sig(st, fmap))
                if events is not None:
                    key = (st.st_dev, st.st_ino)
                    if key not in self.seen_files:
                        self.seen_files.add(key)
                        self.replay(path, events)
                    return
        self.replay(path, self.read_file(path, fmap))

    def read_file(self, path: str, fmap: FieldMap | None = None) -> list[Event]:
        """Read, decode and parse one file into its events (see :data:`~kazreader.corpus.snapshot.Event`).

        A file that cannot be read warns directly (and is not stored in the
        snapshot, so it is tried again next time); so does a file already read.
        """
        fmap = fmap or self.base_map
        events: list[Event] = []
        try:
            fh, st = open_regular(path)
        except Skip as exc:
            self.warn(path, str(exc))
            return events
        except FileNotFoundError:
            self.warn(path, "skipped: file disappeared before it could be read")
            return events
        except PermissionError:
            self.warn(path, "skipped: permission denied")
            return events
        except OSError as exc:
            self.warn(path, f"skipped: unreadable ({exc.strerror or exc})")
            return events
        with fh:
            key = (st.st_dev, st.st_ino)
            if key in self.seen_files:
                return events  # the same file reached twice (given twice, or via a link)
            self.seen_files.add(key)
            sig = _file_sig(st, fmap)
            ahead = self.prefetched.pop(path, None)
            if ahead is not None and ahead[0] == sig:
                events = ahead[1]  # parsed by another process, from these very bytes
            else:
                self.parse_file(path, fh, events, fmap)
        if self.snapshot is not None:
            self.snapshot.record(path, sig, events)
        return events

    def parse_file(self, path: str, fh: IO[bytes], events: list[Event], fmap: FieldMap | None = None) -> None:
        """Parse the file *fh* opened from *path* (each member of an archive), appending to *events*."""
        fmap = fmap or self.base_map
        try:
            for member in members(fh, path):
                self.parse_member(path, member, events, fmap)
        except Skip as exc:
            events.append(("w", str(exc)))

    def parse_member(self, path: str, member: Member, events: list[Event], fmap: FieldMap) -> None:
        """Decode and parse one member (the file itself, decompressed, or a zip member)."""
        problems = 0

        def warn(message: str) -> None:
            nonlocal problems
            problems += 1
            if problems <= _PROBLEMS_PER_FILE:
                events.append(("w", f"{member.label}: {message}" if member.label else message))

        count = 0
        try:
            for item in self.records(member, fmap, warn):
                if isinstance(item, str):
                    warn(item)
                else:
                    count += 1
                    self.add_record(path, member, item, events, warn)
        except Skip as exc:
            warn(str(exc))
        except DECOMPRESS_ERRORS as exc:
            after = f" after {count} record{'s' if count != 1 else ''}" if count else ""
            warn(f"damaged or truncated data{after}, the rest skipped ({type(exc).__name__})")
        except Exception as exc:  # noqa: BLE001 - whatever one file does, the rest of the corpus loads
            warn(f"skipped: could not be read ({type(exc).__name__}: {str(exc)[:80]})")
        if problems > _PROBLEMS_PER_FILE:
            events.append(("w", f"{problems - _PROBLEMS_PER_FILE} more problems in this file not shown"))

    def records(self, member: Member, fmap: FieldMap, warn: Callable[[str], None]) -> Iterator[RawRecord | str]:
        """The records (or problems) of one member, read whole or line by line."""
        fmt = format_of(member.name) or Format.TEXT
        stream = member.open()
        if fmt in _LINES:
            yield from _LINES[fmt](_decoded_lines(stream, warn, member.limit), fmap)
            return
        data = read_bounded(stream)
        if not data.strip():
            yield "skipped: empty"
            return
        decoded = decode_bytes(data)
        del data
        if decoded.text is None:
            yield f"skipped: {decoded.skip}"
            return
        yield from decoded.notes
        if not decoded.text.strip():
            yield "skipped: empty"
            return
        records, problems = _WHOLE[fmt](decoded.text, fmap)
        yield from problems
        yield from records

    def add_record(self, path: str, member: Member, record: RawRecord, events: list[Event],
                   warn: Callable[[str], None]) -> None:
        """One record → its id event and article event (or a warning)."""
        where = "" if record.number is None else f"record {record.number}: "
        limit = _max_article_chars()
        if len(record.text) > limit:
            warn(f"{where}skipped: too large ({len(record.text) / 1e6:.1f} million characters; "
                 f"the limit is {limit / 1e6:g} million, set by KAZREADER_MAX_ARTICLE_CHARS)")
            return
        for note in record.notes:
            warn(f"{where}{note}")
        stem = _stem(member.name)
        own = record.id if record.id and record.id.strip().lower() not in _PLACEHOLDER_IDS else None
        base = own or (stem if record.number is None else f"{stem}:{record.number}")
        base = _clean_field(base) or stem
        events.append(("i", base))
        try:
            article = build_article(record, id=base, path=display_path(path), warn=warn)
        except (ValueError, RecursionError, MemoryError, UnicodeError) as exc:
            warn(f"{where}skipped: could not be read ({type(exc).__name__})")
            return
        if article is not None:
            events.append(("a", article))

    def replay(self, path: str, events: list[Event]) -> None:
        """Apply one file's events: warnings, unique ids (renaming duplicates), articles."""
        article_id = ""
        for kind, value in events:
            if kind == "w":
                message: str = value  # type: ignore[assignment]
                if message.startswith(_WHOLE_FILE_SKIPS):
                    self.warn_kind(path, message, self.root)
                else:
                    self.warn(path, message)
            elif kind == "i":
                article_id = self.unique_id(path, value)  # type: ignore[arg-type]
            else:
                article: Article = value  # type: ignore[assignment]
                if article.id != article_id:
                    article = dataclasses.replace(article, id=article_id, digest="")
                self.articles.append(article)

    def unique_id(self, path: str, base: str) -> str:
        article_id = base
        n = 2
        while article_id in self.ids:
            article_id = f"{base}~{n}"
            n += 1
        if article_id != base:
            self.warn(path, f"duplicate id {base!r} renamed to {article_id!r}")
        self.ids.add(article_id)
        return article_id

    # -- sidecars ---------------------------------------------------------------------

    def apply_sidecars(self) -> None:
        """Apply every sidecar found; deeper folders win over their parents."""
        overrides: dict[str, dict[str, str]] = {}
        origin: dict[str, str] = {}
        for sidecar in sorted(self.sidecars, key=lambda p: len(Path(p).resolve().parts)):
            entries, problems = read_sidecar(sidecar)
            for problem in problems:
                self.warn(sidecar, problem)
            for article_id, fields in entries.items():
                overrides.setdefault(article_id, {}).update(fields)
                origin[article_id] = sidecar
        if not overrides:
            return
        index = {a.id: i for i, a in enumerate(self.articles)}
        for article_id, fields in overrides.items():
            i = index.get(article_id)
            if i is None:
                self.warn(origin[article_id], f"sidecar entry {article_id!r} matches no article")
                continue
            values: dict[str, Any] = {k: (v if k == "date" else _clean_field(v)) for k, v in fields.items()}
            self.articles[i] = dataclasses.replace(self.articles[i], **values, digest="")


def _not_a_file(path: str) -> str:
    """Why a folder entry that is neither a file nor a folder is skipped."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return "skipped: symlink loop" if exc.errno == errno.ELOOP else "skipped: broken symlink"
    return f"skipped: {describe(st.st_mode)}, not a file"


def _read_ignore(path: str) -> list[str]:
    """The glob lines of a ``.kazreaderignore`` (blank lines and ``#`` comments left out)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read(1_000_000).splitlines()
    except OSError:
        return []
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _ignored(path: str, ignores: Iterable[tuple[str, str]]) -> bool:
    """True if *path* matches a pattern of a ``.kazreaderignore`` above it.

    A pattern without a slash matches a name at any depth below its file's
    folder; one with a slash matches the path relative to that folder.
    """
    name = os.path.basename(path)
    for folder, pattern in ignores:
        pattern = pattern.rstrip("/")
        if "/" in pattern:
            if fnmatch.fnmatch(os.path.relpath(path, folder), pattern.lstrip("/")):
                return True
        elif fnmatch.fnmatch(name, pattern):
            return True
    return False


#: Bytes read to choose how a stream is decoded.
_HEAD_BYTES = 65536
_UTF8_OTHER_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def _decoded_lines(stream: IO[bytes], warn: Callable[[str], None], limit: int) -> Iterator[tuple[int, str | None]]:
    """``(line number, text)`` of a stream, split on ``\\n`` only.

    The first 64 KB decide the encoding: UTF-8 (bad bytes replaced, with a
    note), a legacy encoding when UTF-8 is clearly wrong, or (a UTF-16/32
    file, or one that looks binary) the whole-file decoder.
    """
    head, failure = read_upto(stream, _HEAD_BYTES)
    if not head.strip() and failure is None and not stream.read(1):
        warn("skipped: empty")
        return
    if head.startswith(_UTF8_OTHER_BOMS) or looks_binary(head):
        if not head.startswith(_UTF8_OTHER_BOMS) and decode_bytes(head).text is None:
            warn("skipped: binary file")  # decided from the first bytes: the rest is never read
            return
        decoded = decode_bytes(head + read_bounded(stream, max_file_bytes() - len(head)))
        if decoded.text is None:
            warn(f"skipped: {decoded.skip}")
            return
        for note in decoded.notes:
            warn(note)
        yield from enumerate(decoded.text.split("\n"), 1)
        return
    encoding = "utf-8"
    cut = head[: max(0, len(head) - 3)]
    try:
        cut.decode("utf-8")
    except UnicodeDecodeError:
        if mostly_utf8(cut) is None:
            encoding = decode_bytes(cut).encoding or "latin-1"
            warn(f"decoded as {encoding}")
    head = head.removeprefix(b"\xef\xbb\xbf")
    bad = 0
    for n, line in enumerate(iter_lines(stream, head, failure, limit), 1):
        if line is None:
            yield n, None
            continue
        try:
            yield n, line.decode(encoding)
        except UnicodeDecodeError:
            bad += 1
            yield n, line.decode(encoding, errors="replace")
    if bad:
        warn(f"{bad} line{'s' if bad != 1 else ''} with invalid {encoding} bytes (replaced)")


def _parse_one(job: tuple[str, FieldMap]) -> tuple[str, tuple[int | str, ...], list[Event]] | None:
    """Read and parse one file (in a worker process); ``None`` if it cannot be read."""
    path, fmap = job
    try:
        fh, st = open_regular(path)
    except (OSError, Skip):
        return None  # the main pass opens it again and says what is wrong
    events: list[Event] = []
    with fh:
        _Loader(None).parse_file(path, fh, events, fmap)
    return path, _file_sig(st, fmap), events


#: How much a byte of a file costs to parse, against a byte of plain text:
#: a web page goes through an extractor, a compressed byte is several bytes.
_COST = {Format.HTML: 20}
_COMPRESSED_COST = 5


def _parallel_files(roots: Sequence[str]) -> list[tuple[str, FieldMap]]:
    """The files a load of *roots* reads, if parsing them in :data:`LOAD_PROCS` processes pays, else none.

    (It pays for two files or more, costing :data:`PARALLEL_LOAD_BYTES` or
    more in all.) A silent walk: the real one reports problems in order.
    """
    if LOAD_PROCS < 2:
        return []
    todo: list[tuple[str, FieldMap]] = []
    cost = 0
    walker = _Loader(None)
    for root in roots:
        for path, fmap in walker._walk_root(root):
            try:
                size = os.stat(path).st_size
            except OSError:
                continue
            weight = _COST.get(format_of(path) or Format.TEXT, 1)
            cost += size * weight * (_COMPRESSED_COST if compression_of(path) else 1)
            todo.append((path, fmap))
    return todo if len(todo) >= 2 and cost >= PARALLEL_LOAD_BYTES else []


def parallel_load_pays(paths: Sequence[str | os.PathLike[str]]) -> bool:
    """True when a first load of *paths* is large enough to parse in several processes.

    A process with threads cannot fork those workers: the TUI hands such a
    load to its background ingest process instead.
    """
    return bool(_parallel_files([os.fspath(p) for p in paths]))


def _prefetch(roots: list[str], snapshot: Snapshot | None) -> dict[str, tuple[tuple[int | str, ...], list[Event]]]:
    """Parse the files a load will have to read, in :data:`LOAD_PROCS` processes.

    Only for a first load (no snapshot to replay: a re-open never walks
    twice) from a single-threaded process (worker processes are forked); the
    load itself then runs as always, in order, taking each file's events
    from here when the file still has the same signature, so warnings, ids
    and the snapshot are exactly those of a serial load. A worker that dies
    (killed, out of memory) fails only its own files, which the load then
    reads itself: the pool never waits for a result that cannot come.
    """
    if threading.active_count() > 1 or (snapshot is not None and len(snapshot)):
        return {}
    todo = _parallel_files(roots)
    if not todo:
        return {}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done: dict[str, tuple[tuple[int | str, ...], list[Event]]] = {}
    try:
        with ProcessPoolExecutor(LOAD_PROCS, mp_context=multiprocessing.get_context("fork")) as pool:
            chunk = max(1, len(todo) // (8 * LOAD_PROCS))
            for result in pool.map(_parse_one, todo, chunksize=chunk):
                if result is not None:
                    done[result[0]] = (result[1], result[2])
    except (BrokenProcessPool, OSError, ValueError, RuntimeError, MemoryError):
        pass  # what was not parsed ahead is read by the load itself
    return done


def load_corpus(
    paths: Sequence[str | os.PathLike[str]],
    *,
    on_warning: WarningHandler | None = None,
    cache_dir: Path | None = None,
) -> Corpus:
    """Load the articles in *paths* (files and folders, folders read recursively).

    Folders are walked in sorted order; text, Markdown, JSON, JSON Lines,
    CSV/TSV and HTML files are read, compressed or not (``.gz``, ``.bz2``,
    ``.xz``, ``.zip``); every other file, hidden file, README-like file or
    file matched by a ``.kazreaderignore`` is skipped with a warning (counted
    in one line when there are many). A file given explicitly is read
    whatever its extension (as plain text unless its format is known).
    ``corpus.toml`` sidecars override metadata by article id, name record
    fields (``[fields]``) and rename outlets (``[outlets]``).

    Raises :class:`~kazreader.corpus.model.CorpusNotFound` if a path does not
    exist. Never raises for bad files: each problem is a :class:`LoadWarning`,
    kept in ``Corpus.warnings`` and passed to *on_warning* as it happens.

    With a *cache_dir*, what each file produced is kept there in a
    :class:`~kazreader.corpus.snapshot.Snapshot`: the next load reads only the
    files added or changed since (the folders are still walked and the sidecars
    re-read), with exactly the same result, warnings included.
    """
    roots = [os.fspath(p) for p in paths]
    missing = [r for r in roots if not os.path.lexists(r)]
    if missing:
        raise CorpusNotFound(missing[0])
    # The cyclic GC is paused while the corpus is built: it holds no cycles,
    # and every collection would rescan the growing heap of articles (at
    # 20,000 articles, a third of a snapshot load went to collections).
    with gc_paused():
        snapshot = None
        if cache_dir is not None:
            snapshot = Snapshot.open(cache_dir, f"max-chars-{_max_article_chars()}")
        loader = _Loader(on_warning, snapshot)
        loader.prefetched = _prefetch(roots, snapshot)
        for root in roots:
            loader.root = root
            for path, fmap in loader._list_files(root):
                loader.load_file(path, fmap)
            loader.say_unsaid()
        loader.apply_sidecars()
        if snapshot is not None:
            snapshot.save()
    return Corpus(
        articles=loader.articles,
        warnings=loader.warnings,
        roots=tuple(str(Path(r).resolve()) for r in roots),
    )
