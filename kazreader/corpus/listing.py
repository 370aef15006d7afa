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
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kazreader.atomic import atomic_file
from kazreader.corpus.model import Article, Corpus
from kazreader.text import sentence_spans

__all__ = [
    "FORMAT", "LISTING_NAME", "ListingRow", "lead_sentence", "listing_rows", "read_listing", "shorten", "source_name",
    "write_listing",
]

#: Bump when the stored shape changes.
FORMAT = 3
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
                   source_name(article))


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
    try:
        with open(_path(cache_dir), encoding="utf-8") as fh:
            data = json.load(fh)
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("digest"), str):
            return None
        rows = [
            ListingRow(str(i), o, d, t, int(w), str(lead), str(dg), str(name))
            for i, o, d, t, w, lead, dg, name in data["rows"]
        ]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return data["digest"], rows


def write_listing(cache_dir: Path, corpus: Corpus | Sequence[Article]) -> bool:
    """Store the listing of *corpus* in *cache_dir* unless it is already current.

    Rows of unchanged articles are reused (counting words is what costs:
    ~3.5 s for 20,000 articles). Returns True if a file was written.
    Failures to write are ignored (the next start is simply not instant).
    """
    corpus = corpus if isinstance(corpus, Corpus) else Corpus(list(corpus))
    current = read_listing(cache_dir)
    if current is not None and current[0] == corpus.digest:
        return False
    return _store(cache_dir, corpus.digest, _rows(corpus, current))


def listing_rows(cache_dir: Path | None, corpus: Corpus | Sequence[Article]) -> list[ListingRow]:
    """The rows of *corpus*, in its order: the stored ones where current, the others made (and stored).

    What ``articles --json`` reads its word counts from. With *cache_dir*
    None nothing is read or stored.
    """
    corpus = corpus if isinstance(corpus, Corpus) else Corpus(list(corpus))
    current = read_listing(cache_dir) if cache_dir is not None else None
    rows = _rows(corpus, current)
    if cache_dir is not None and (current is None or current[0] != corpus.digest):
        _store(cache_dir, corpus.digest, rows)
    return rows


def _rows(corpus: Corpus, current: tuple[str, list[ListingRow]] | None) -> list[ListingRow]:
    """A row per article of *corpus*: the one in *current* when its article is unchanged, else a new one."""
    old = {(r.id, r.digest): r for r in current[1]} if current is not None else {}
    return [old.get((a.id, a.digest[:16])) or ListingRow.of(a) for a in corpus.articles]


def _store(cache_dir: Path, digest: str, rows: Sequence[ListingRow]) -> bool:
    payload = {
        "format": FORMAT,
        "digest": digest,
        "rows": [[r.id, r.outlet, r.date, r.title, r.words, r.lead, r.digest, r.name] for r in rows],
    }
    path = _path(cache_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path, prefix=".listing-") as fh:
            json.dump(payload, fh, ensure_ascii=False, separators=(",", ":"))
    except OSError:
        return False
    return True
