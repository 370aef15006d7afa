"""Load a corpus: walk paths, read and decode files, parse, clean, assign ids.

:func:`load_corpus` never raises for bad input. Every file it skips or repairs
yields a :class:`~kazreader.corpus.model.LoadWarning`, collected in
``Corpus.warnings`` and passed to ``on_warning`` as it happens.
"""

from __future__ import annotations

import dataclasses
import errno
import gc
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from kazreader.corpus.clean import collapse, finish, split_blocks
from kazreader.corpus.decode import decode_bytes
from kazreader.corpus.formats import UNSUPPORTED_SUFFIXES, RawRecord, parse_text, parser_for
from kazreader.corpus.metadata import (
    SIDECAR_NAME,
    clean_outlet,
    infer,
    parse_date,
    read_sidecar,
    strip_date_marker,
)
from kazreader.corpus.model import Article, Corpus, LoadWarning
from kazreader.corpus.snapshot import Event, Snapshot, signature
from kazreader.text import sanitize

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
    return os.path.splitext(os.path.basename(name))[0]


def _clean_field(value: str | None) -> str | None:
    """Sanitise a one-line metadata value; empty → ``None``."""
    if value is None:
        return None
    return collapse(sanitize(value)) or None


def build_article(record: RawRecord, *, id: str, path: str, warn: Callable[[str], None]) -> Article | None:
    """Turn one raw record into a cleaned :class:`Article` (``None`` if nothing is left).

    The text is sanitised first, then metadata lines are taken off it and page
    furniture removed. The record's own fields win over what the text shows.
    """
    text, marker_date = strip_date_marker(sanitize(record.text))
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
            warn(f"unparseable date {str(record.date)[:40]!r}, left empty")
    return Article(
        id=id,
        path=path,
        text=cleaned.text,
        paragraphs=cleaned.paragraphs,
        outlet=clean_outlet(_clean_field(record.outlet)) or inferred.outlet or inferred.agency,
        date=date or marker_date or inferred.date,
        title=title or inferred.title,
        url=_clean_field(record.url),
        author=_clean_field(record.author) or inferred.author,
        removed=cleaned.removed,
    )


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
        self.prefetched: dict[str, tuple[tuple[int, ...], list[Event]]] = {}

    def warn(self, path: str, message: str) -> None:
        warning = LoadWarning(path, " ".join(message.split()))  # always one line
        self.warnings.append(warning)
        if self.on_warning is not None:
            self.on_warning(warning)

    # -- walking ----------------------------------------------------------------

    def files(self, root: str) -> Iterator[str]:
        """Yield the article files under *root* (a file or folder), in stable order."""
        return self._list_files(root)

    def _list_files(self, root: str) -> Iterator[str]:
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
        sibling = os.path.join(os.path.dirname(root), SIDECAR_NAME)
        if os.path.isfile(sibling):
            self.add_sidecar(sibling)
        if _suffix(name) in UNSUPPORTED_SUFFIXES:
            self.warn(root, "skipped: unsupported format")
            return
        yield root  # an explicit file of any other kind is tried as text

    def walk(self, folder: str) -> Iterator[str]:
        try:
            st = os.stat(folder)
        except OSError as exc:
            self.warn(folder, f"skipped: {exc.strerror or exc}")
            return
        key = (st.st_dev, st.st_ino)
        if key in self.seen_dirs:
            self.warn(folder, "skipped: symlink loop (folder already visited)")
            return
        self.seen_dirs.add(key)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.warn(folder, f"skipped: unreadable folder ({exc.strerror or exc})")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = os.path.join(folder, entry.name)
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError as exc:
                reason = "symlink loop" if exc.errno == errno.ELOOP else exc.strerror or exc
                self.warn(path, f"skipped: {reason}")
                continue
            if is_dir:
                yield from self.walk(path)
            elif entry.name == SIDECAR_NAME and is_file:
                self.add_sidecar(path)
            elif is_file:
                suffix = _suffix(entry.name)
                if suffix and parser_for(suffix) is not None:
                    yield path
                elif suffix in UNSUPPORTED_SUFFIXES:
                    self.warn(path, "skipped: unsupported format")
            elif entry.is_symlink():
                self.warn(path, "skipped: broken symlink")

    def add_sidecar(self, path: str) -> None:
        if path not in self.sidecars:
            self.sidecars.append(path)

    # -- reading ------------------------------------------------------------------

    def load_file(self, path: str) -> None:
        """Load one file: from the snapshot if it is unchanged, else by reading it."""
        if self.snapshot is not None:
            try:
                st = os.stat(path)
            except OSError:
                pass  # reading it will say what is wrong
            else:
                events = self.snapshot.lookup(path, signature(st))
                if events is not None:
                    key = (st.st_dev, st.st_ino)
                    if key not in self.seen_files:
                        self.seen_files.add(key)
                        self.replay(path, events)
                    return
        self.replay(path, self.read_file(path))

    def read_file(self, path: str) -> list[Event]:
        """Read, decode and parse one file into its events (see :data:`~kazreader.corpus.snapshot.Event`).

        A file that cannot be read warns directly (and is not stored in the
        snapshot, so it is tried again next time); so does a file already read.
        """
        events: list[Event] = []
        try:
            with open(path, "rb") as fh:
                st = os.fstat(fh.fileno())
                key = (st.st_dev, st.st_ino)
                if key in self.seen_files:
                    return events  # the same file reached twice (given twice, or via a link)
                self.seen_files.add(key)
                ahead = self.prefetched.pop(path, None)
                if ahead is not None and ahead[0] == signature(st):
                    events = ahead[1]  # parsed by another process, from these very bytes
                    data = None
                else:
                    data = fh.read()
        except FileNotFoundError:
            self.warn(path, "skipped: file disappeared before it could be read")
            return events
        except PermissionError:
            self.warn(path, "skipped: permission denied")
            return events
        except OSError as exc:
            self.warn(path, f"skipped: unreadable ({exc.strerror or exc})")
            return events
        if data is not None:
            self.parse_file(path, data, events)
        if self.snapshot is not None:
            self.snapshot.record(path, signature(st), events)
        return events

    def parse_file(self, path: str, data: bytes, events: list[Event]) -> None:
        """Decode and parse *data* read from *path*, appending to *events*."""

        def warn(message: str) -> None:
            events.append(("w", message))

        if not data.strip():
            warn("skipped: empty")
            return
        decoded = decode_bytes(data)
        if decoded.text is None:
            warn(f"skipped: {decoded.skip}")
            return
        for note in decoded.notes:
            warn(note)
        if not decoded.text.strip():
            warn("skipped: empty")
            return

        parser = parser_for(_suffix(path)) or parse_text
        records, problems = parser(decoded.text)
        for problem in problems:
            warn(problem)
        stem = _stem(path)
        limit = _max_article_chars()
        for record in records:
            if len(record.text) > limit:
                where = "" if record.number is None else f"record {record.number}: "
                warn(
                    f"{where}skipped: too large ({len(record.text) / 1e6:.1f} million characters; "
                    f"the limit is {limit / 1e6:g} million, set by KAZREADER_MAX_ARTICLE_CHARS)",
                )
                continue
            base = record.id or (stem if record.number is None else f"{stem}:{record.number}")
            base = _clean_field(base) or stem
            events.append(("i", base))
            article = build_article(record, id=base, path=path, warn=warn)
            if article is not None:
                events.append(("a", article))

    def replay(self, path: str, events: list[Event]) -> None:
        """Apply one file's events: warnings, unique ids (renaming duplicates), articles."""
        article_id = ""
        for kind, value in events:
            if kind == "w":
                self.warn(path, value)  # type: ignore[arg-type]
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
            values = {k: (v if k == "date" else _clean_field(v)) for k, v in fields.items()}
            self.articles[i] = dataclasses.replace(self.articles[i], **values, digest="")


def _parse_one(path: str) -> tuple[str, tuple[int, ...], list[Event]] | None:
    """Read and parse one file (in a worker process); ``None`` if it cannot be read."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            data = fh.read()
    except OSError:
        return None  # the main pass reads it again and says what is wrong
    events: list[Event] = []
    _Loader(None).parse_file(path, data, events)
    return path, signature(st), events


def _parallel_files(roots: Sequence[str]) -> list[str]:
    """The files a load of *roots* reads, if parsing them in :data:`LOAD_PROCS` processes pays, else none.

    (It pays for two files or more, :data:`PARALLEL_LOAD_BYTES` or more in
    all.) A silent walk: the real one reports problems in order.
    """
    if LOAD_PROCS < 2:
        return []
    todo: list[str] = []
    size = 0
    walker = _Loader(None)
    for root in roots:
        for path in walker._list_files(root):
            try:
                size += os.stat(path).st_size
            except OSError:
                continue
            todo.append(path)
    return todo if len(todo) >= 2 and size >= PARALLEL_LOAD_BYTES else []


def parallel_load_pays(paths: Sequence[str | os.PathLike[str]]) -> bool:
    """True when a first load of *paths* is large enough to parse in several processes.

    A process with threads cannot fork those workers: the TUI hands such a
    load to its background ingest process instead.
    """
    return bool(_parallel_files([os.fspath(p) for p in paths]))


def _prefetch(roots: list[str], snapshot: Snapshot | None) -> dict[str, tuple[tuple[int, ...], list[Event]]]:
    """Parse the files a load will have to read, in :data:`LOAD_PROCS` processes.

    Only for a first load (no snapshot to replay: a re-open never walks
    twice) from a single-threaded process (worker processes are forked); the
    load itself then runs as always, in order, taking each file's events
    from here when the file still has the same signature, so warnings, ids
    and the snapshot are exactly those of a serial load.
    """
    if threading.active_count() > 1 or (snapshot is not None and len(snapshot)):
        return {}
    todo = _parallel_files(roots)
    if not todo:
        return {}
    import multiprocessing

    try:
        with multiprocessing.get_context("fork").Pool(LOAD_PROCS) as pool:
            done = pool.map(_parse_one, todo, chunksize=max(1, len(todo) // (8 * LOAD_PROCS)))
    except (OSError, ValueError, RuntimeError):
        return {}  # no processes here: load serially
    return {r[0]: (r[1], r[2]) for r in done if r is not None}


def load_corpus(
    paths: Sequence[str | os.PathLike[str]],
    *,
    on_warning: WarningHandler | None = None,
    cache_dir: Path | None = None,
) -> Corpus:
    """Load the articles in *paths* (files and folders, folders read recursively).

    Folders are walked in sorted order, skipping hidden entries; ``.txt``,
    ``.md``/``.markdown``, ``.json`` and ``.jsonl``/``.ndjson`` files are read,
    common document types that cannot be read are reported, other files are
    ignored. A file given explicitly is read whatever its extension (as plain
    text unless it is Markdown or JSON). ``corpus.toml`` sidecars override
    metadata by article id.

    Never raises for bad files: each problem is a :class:`LoadWarning`, kept
    in ``Corpus.warnings`` and passed to *on_warning* as it happens.

    With a *cache_dir*, what each file produced is kept there in a
    :class:`~kazreader.corpus.snapshot.Snapshot`: the next load reads only the
    files added or changed since (the folders are still walked and the sidecars
    re-read), with exactly the same result, warnings included.
    """
    # The cyclic GC is paused while the corpus is built: it holds no cycles,
    # and every collection would rescan the growing heap of articles (at
    # 20,000 articles, a third of a snapshot load went to collections).
    enabled = gc.isenabled()
    gc.disable()
    try:
        snapshot = None
        if cache_dir is not None:
            snapshot = Snapshot.open(cache_dir, f"max-chars-{_max_article_chars()}")
        loader = _Loader(on_warning, snapshot)
        roots = [os.fspath(p) for p in paths]
        loader.prefetched = _prefetch(roots, snapshot)
        for root in roots:
            for path in loader.files(root):
                loader.load_file(path)
        loader.apply_sidecars()
        if snapshot is not None:
            snapshot.save()
    finally:
        if enabled:
            gc.enable()
    return Corpus(
        articles=loader.articles,
        warnings=loader.warnings,
        roots=tuple(str(Path(r).resolve()) for r in roots),
    )
