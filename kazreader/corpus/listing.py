"""A small cached listing of a corpus: what the library shows before the corpus is loaded.

Loading 20,000 articles from the corpus snapshot takes about 0.35 s, and in the
TUI it shares the interpreter with the app starting up. The library's rows
need far less than the articles: an id, the outlet, date, title (or first
sentence) and word count. :func:`write_listing` stores those rows next to the
corpus cache, :func:`read_listing` reads them back in a few milliseconds, so
the library can paint its rows at once and swap in the real articles when
they arrive (if anything changed since, the rows simply update).

The listing is a convenience, never a source of truth: it is keyed by the
corpus digest it was made from, and a missing, stale or damaged file reads
as ``None``.

``articles --json`` can answer from the listing alone, without loading the
corpus, when it also holds a *witness* of the files (:func:`tree_witness`:
every name and file signature under the corpus roots, and the loader's own
sources) taken before the load it was made from, and the files still give
the same witness (:func:`fresh_listing`). Any change, or a file modified too
recently to be told apart from a later edit, is a miss: the corpus is loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kazreader.atomic import atomic_file
from kazreader.corpus.model import Article, Corpus
from kazreader.gcpause import gc_paused
from kazreader.text import sentence_spans

__all__ = [
    "FORMAT", "LISTING_NAME", "ListingRow", "fresh_listing", "lead_sentence", "listing_rows", "read_listing",
    "shorten", "source_name", "tree_witness", "write_listing",
]

#: Bump when the stored shape changes.
FORMAT = 4
#: The listing's file name inside a corpus cache directory.
LISTING_NAME = "library-listing.json"


def lead_sentence(text: str, limit: int = 200) -> str:
    """The first sentence of *text*, on one line, cut to *limit* characters with "…"."""
    spans = sentence_spans(text[:4000])
    lead = text[spans[0][0] : spans[0][1]] if spans else text[:4000]
    return shorten(" ".join(lead.split()), limit)


def shorten(text: str, limit: int) -> str:
    """*text* cut to *limit* characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class ListingRow:
    """What the library lists of one article (the attributes it reads of an :class:`Article`)."""

    id: str
    outlet: str | None
    date: str | None
    title: str | None
    words: int
    #: The first sentence, shown for articles without a title.
    lead: str
    #: The start of the article's digest: a row is reused while it matches.
    digest: str = ""
    #: The name of the file the article came from (``story.json``, ``feed.jsonl.gz``):
    #: what tells rows apart when outlet and title are unknown.
    name: str = ""
    #: The article's ``path`` and ``url`` (what ``articles --json`` prints besides the above).
    path: str = ""
    url: str | None = None

    @property
    def label(self) -> str:
        return self.outlet or self.id

    @property
    def display_title(self) -> str:
        """The title; else the file name (with the id when the file holds several); else the lead."""
        if self.title:
            return self.title
        if self.name:
            return self.name if self.id == _stem(self.name) else f"{self.name} · {self.id}"
        return self.lead

    @classmethod
    def of(cls, article: Article) -> ListingRow:
        lead = "" if article.title else lead_sentence(article.text)
        return cls(article.id, article.outlet, article.date, article.title, article.words, lead, article.digest[:16],
                   source_name(article), article.path, article.url)

    def summary(self) -> dict[str, str | int | None]:
        """The ``articles --json`` record, as :meth:`Article.summary` gives it."""
        return {"id": self.id, "path": self.path, "outlet": self.outlet, "date": self.date, "title": self.title,
                "url": self.url, "words": self.words}


def source_name(article: Article) -> str:
    """The file name an article came from, as shown to a person."""
    return os.path.basename(article.path.rstrip("/\\")) if article.path else ""


def _stem(name: str) -> str:
    stem = name
    while "." in stem and len(os.path.splitext(stem)[1]) <= 6:
        stem = os.path.splitext(stem)[0]
    return stem


def _path(cache_dir: Path) -> Path:
    return Path(cache_dir) / LISTING_NAME


def read_listing(cache_dir: Path) -> tuple[str, list[ListingRow]] | None:
    """``(corpus digest, rows)`` stored in *cache_dir*; ``None`` if missing or unreadable."""
    stored = _read(cache_dir)
    return None if stored is None else (stored[0], stored[1])


def fresh_listing(cache_dir: Path, witness: str | None) -> tuple[list[ListingRow], list[str]] | None:
    """The rows and load warnings stored in *cache_dir* if they were made from files that still give
    *witness* (see :func:`tree_witness`); ``None`` otherwise."""
    stored = _read(cache_dir) if witness is not None else None
    if stored is None or stored[2] != witness:
        return None
    return stored[1], stored[3]


def _read(cache_dir: Path) -> tuple[str, list[ListingRow], str | None, list[str]] | None:
    """``(corpus digest, rows, witness, warnings)`` stored in *cache_dir*; ``None`` if missing or unreadable.

    The cyclic collector is paused meanwhile: the rows hold no cycles, and in the reader's process
    (a heap of widgets) each collection the new rows set off would walk everything again.
    """
    with gc_paused():
        return _parse(cache_dir)


def _parse(cache_dir: Path) -> tuple[str, list[ListingRow], str | None, list[str]] | None:
    try:
        with open(_path(cache_dir), encoding="utf-8") as fh:
            data = json.load(fh)
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("digest"), str):
            return None
        rows = [
            ListingRow(str(i), o, d, t, int(w), str(lead), str(dg), str(name), str(path), u)
            for i, o, d, t, w, lead, dg, name, path, u in data["rows"]
        ]
        witness, warnings = data.get("witness"), data.get("warnings") or []
        if not (witness is None or isinstance(witness, str)) or not all(isinstance(w, str) for w in warnings):
            return None
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return data["digest"], rows, witness, warnings


def write_listing(cache_dir: Path, corpus: Corpus | Sequence[Article], witness: str | None = None) -> bool:
    """Store the listing of *corpus* in *cache_dir* unless it is already current.

    Rows of unchanged articles are reused (counting words is what costs:
    ~3.5 s for 20,000 articles). Returns True if a file was written.
    Failures to write are ignored (the next start is simply not instant).
    *witness*: as for :func:`listing_rows`.
    """
    corpus = corpus if isinstance(corpus, Corpus) else Corpus(list(corpus))
    stored = _read(cache_dir)
    if stored is not None and stored[0] == corpus.digest and (witness is None or stored[2] == witness):
        return False
    return _store(cache_dir, corpus.digest, _rows(corpus, None if stored is None else (stored[0], stored[1])),
                  witness, [str(w) for w in corpus.warnings] if witness else [])


def listing_rows(cache_dir: Path | None, corpus: Corpus | Sequence[Article], witness: str | None = None,
                 ) -> list[ListingRow]:
    """The rows of *corpus*, in its order: the stored ones where current, the others made (and stored).

    What ``articles --json`` reads its word counts from. With *cache_dir*
    None nothing is read or stored. *witness*: :func:`tree_witness` of the
    corpus roots taken before *corpus* was loaded, stored with its warnings
    so that the next ``articles --json`` can answer without loading.
    """
    corpus = corpus if isinstance(corpus, Corpus) else Corpus(list(corpus))
    stored = _read(cache_dir) if cache_dir is not None else None
    rows = _rows(corpus, None if stored is None else (stored[0], stored[1]))
    if cache_dir is not None and (stored is None or stored[0] != corpus.digest or stored[2] != witness):
        _store(cache_dir, corpus.digest, rows, witness, [str(w) for w in corpus.warnings] if witness else [])
    return rows


def _rows(corpus: Corpus, current: tuple[str, list[ListingRow]] | None) -> list[ListingRow]:
    """A row per article of *corpus*: the one in *current* when its article is unchanged (and in the
    same file), else a new one."""
    old = {(r.id, r.digest, r.path): r for r in current[1]} if current is not None else {}
    return [old.get((a.id, a.digest[:16], a.path)) or ListingRow.of(a) for a in corpus.articles]


def _store(cache_dir: Path, digest: str, rows: Sequence[ListingRow], witness: str | None = None,
           warnings: Sequence[str] = ()) -> bool:
    payload = {
        "format": FORMAT,
        "digest": digest,
        "rows": [[r.id, r.outlet, r.date, r.title, r.words, r.lead, r.digest, r.name, r.path, r.url] for r in rows],
        "witness": witness,
        "warnings": list(warnings),
    }
    path = _path(cache_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path, prefix=".listing-") as fh:
            json.dump(payload, fh, ensure_ascii=False, separators=(",", ":"))
    except OSError:
        return False
    return True


# -- the witness of a corpus' files ---------------------------------------------

#: A file modified this recently (nanoseconds) gives no witness: a second edit within the file
#: system's timestamp granularity could keep its signature (as for the corpus snapshot).
RACY_NS = 2_000_000_000
#: Settings that change what the loader makes of the same files.
_LOADER_SETTINGS = ("KAZREADER_MAX_ARTICLE_CHARS", "KAZREADER_MAX_FILE_BYTES")
_SIDECAR = "corpus.toml"


def tree_witness(roots: Sequence[str | os.PathLike[str]]) -> str | None:
    """A digest of everything a load of *roots* reads: each root, every name in every folder under
    it (hidden folders, which the loader skips, are not entered), every file's signature (size,
    times, inode), a file root's ``corpus.toml``, and the loader's sources and settings.

    ``None`` when a root is missing or unreadable or a file was modified in the last two seconds.
    """
    h = hashlib.blake2b(digest_size=20)
    h.update(_loader_stamp().encode())
    newest = time.time_ns() - RACY_NS
    try:
        for root in roots:
            path = os.path.abspath(os.fspath(root))
            # (as written too: the articles' paths keep the root's spelling, "../corpus/a.txt")
            h.update(b"\0root\0" + os.fsencode(path) + b"\0" + os.fsencode(os.fspath(root)))
            st = os.stat(path)
            if stat.S_ISDIR(st.st_mode):
                ok = _witness_folder(path, h, newest)
            else:
                sidecar = os.path.join(os.path.dirname(path), _SIDECAR)
                ok = _witness_file(h, path, st, newest) and (
                    not os.path.lexists(sidecar) or _witness_file(h, sidecar, os.stat(sidecar), newest)
                )
            if not ok:
                return None
    except OSError:
        return None
    return h.hexdigest()


def _witness_folder(top: str, h: hashlib.blake2b, newest: int) -> bool:
    seen: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        st = os.stat(folder)
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        h.update(b"\0dir\0" + os.fsencode(folder))
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
        for entry in entries:
            try:
                est = entry.stat()
            except OSError:  # a broken link: its name is in the digest
                h.update(b"\0broken\0" + os.fsencode(entry.name))
                continue
            if stat.S_ISDIR(est.st_mode):
                h.update(b"\0sub\0" + os.fsencode(entry.name))
                if not entry.name.startswith("."):
                    stack.append(entry.path)
            elif not _witness_file(h, entry.name, est, newest):
                return False
    return True


def _witness_file(h: hashlib.blake2b, name: str, st: os.stat_result, newest: int) -> bool:
    if max(st.st_mtime_ns, st.st_ctime_ns) > newest:
        return False
    h.update(f"\0file\0{name}\0{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_dev} {st.st_ino}".encode(
        "utf-8", "surrogateescape"))
    return True


def _loader_stamp() -> str:
    """The loader's sources (signatures of every file of this package and of ``text.py``), the
    listing's format and the loader's settings: a new kazreader or other settings are a miss."""
    here = Path(__file__).resolve().parent
    parts = [f"format {FORMAT}", *(f"{k}={os.environ.get(k, '')}" for k in _LOADER_SETTINGS)]
    for folder in (here, here / "data"):
        with os.scandir(folder) as it:
            parts.extend(f"{e.path} {e.stat().st_size} {e.stat().st_mtime_ns}" for e in sorted(it, key=lambda e: e.name)
                         if e.is_file())
    text = here.parent / "text.py"
    parts.append(f"{text} {text.stat().st_mtime_ns}")
    return "\n".join(parts)
