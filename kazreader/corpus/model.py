"""The data model every part of kazreader shares: cleaned articles and load warnings."""

from __future__ import annotations

import errno
import hashlib
import json
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from kazreader.text import safe_name, word_count

__all__ = ["Article", "Corpus", "CorpusNotFound", "LoadWarning", "Span", "Spans", "display_path"]


def display_path(path: str) -> str:
    """*path* as an article shows it: a name that is not valid UTF-8 (kept by the
    file system as bytes) has those bytes as escapes (``caf\\xe9.txt``), so
    the path can always be printed and written as JSON."""
    if any("\udc80" <= ch <= "\udcff" for ch in path):
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path

#: A half-open character range ``(start, end)`` into an article's ``text``.
Span = tuple[int, int]


class Spans(Sequence[Span]):
    """An immutable sequence of :data:`Span` kept as one array of offsets.

    Reads like the tuple of ``(start, end)`` pairs it replaces (indexing,
    iteration, ``len``, equality with a tuple or list of pairs, hashing), at
    a tenth of the memory: a tuple of pairs costs about 136 bytes a span,
    which at 20,000 articles was 20 MB of the TUI's memory.
    """

    __slots__ = ("_flat",)

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        if isinstance(spans, Spans):
            self._flat: array[int] = spans._flat
            return
        flat = array("I")
        for start, end in spans:
            flat.append(start)
            flat.append(end)
        self._flat = flat

    @classmethod
    def from_bytes(cls, raw: bytes) -> Spans:
        """The spans whose :meth:`to_bytes` is *raw* (``ValueError`` if it cannot be)."""
        flat = array("I")
        if len(raw) % (2 * flat.itemsize):
            raise ValueError("spans: length is not a whole number of spans")
        flat.frombytes(raw)
        self = cls.__new__(cls)
        self._flat = flat
        return self

    def to_bytes(self) -> bytes:
        """The offsets as bytes (machine order: for this machine's caches only)."""
        return self._flat.tobytes()

    def __len__(self) -> int:
        return len(self._flat) // 2

    @overload
    def __getitem__(self, index: int) -> Span: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Span, ...]: ...

    def __getitem__(self, index: int | slice) -> Span | tuple[Span, ...]:
        if isinstance(index, slice):
            return tuple(self)[index]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("span index out of range")
        flat = self._flat
        return flat[2 * index], flat[2 * index + 1]

    def __iter__(self) -> Iterator[Span]:
        offsets = iter(self._flat)
        return zip(offsets, offsets)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Spans):
            return self._flat == other._flat
        if isinstance(other, (tuple, list)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Spans, (tuple(self),))


@dataclass(frozen=True)
class Article:
    """One cleaned article.

    ``text`` is the cleaned body exactly as the reader shows it (sanitised, page
    furniture removed, paragraphs separated by one blank line). Every offset an
    analysis reports indexes this string. ``paragraphs`` are the spans of its
    paragraphs in reading order.
    """

    id: str
    path: str
    text: str
    paragraphs: Sequence[Span]  # kept as :class:`Spans`
    outlet: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    title: str | None = None
    url: str | None = None
    author: str | None = None
    #: Page-furniture paragraphs the cleaner removed (promos, "Read more", …).
    removed: int = field(default=0, compare=False)
    #: sha256 over everything above: the key of every on-disk cache entry.
    digest: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.paragraphs, Spans):
            object.__setattr__(self, "paragraphs", Spans(self.paragraphs))
        if not self.digest:
            payload = json.dumps(
                [self.id, self.text, self.outlet, self.date, self.title, self.url, self.author],
                ensure_ascii=False,
            )
            object.__setattr__(
                self, "digest", hashlib.sha256(payload.encode("utf-8")).hexdigest()
            )

    @property
    def words(self) -> int:
        """Number of words in the cleaned text."""
        return word_count(self.text)

    @property
    def label(self) -> str:
        """A short human name: the outlet if known, else the id."""
        return self.outlet or self.id

    def paragraph_texts(self) -> list[str]:
        """The text of each paragraph."""
        return [self.text[s:e] for s, e in self.paragraphs]

    def summary(self, words: int | None = None) -> dict[str, Any]:
        """The ``articles --json`` record (*words*: the count when the caller has it, e.g. cached)."""
        return {
            "id": self.id,
            "path": self.path,
            "outlet": self.outlet,
            "date": self.date,
            "title": self.title,
            "url": self.url,
            "words": self.words if words is None else words,
        }

    def to_json(self) -> dict[str, Any]:
        """The ``show --json`` record: the summary plus the text and its paragraphs."""
        return {
            **self.summary(),
            "author": self.author,
            "text": self.text,
            "paragraphs": [{"start": s, "end": e} for s, e in self.paragraphs],
        }


@dataclass(frozen=True)
class LoadWarning:
    """Something the loader skipped or repaired, with a one-line reason."""

    path: str
    message: str

    def __str__(self) -> str:
        """One line, safe to print: newlines, control characters and undecodable
        bytes of the file name (and message) show as escapes."""
        return f"{safe_name(self.path)}: {safe_name(self.message)}"


class CorpusNotFound(FileNotFoundError):
    """A corpus path that does not exist (a usage error: the CLI exits with 2)."""

    def __init__(self, path: str) -> None:
        super().__init__(errno.ENOENT, "no such file or folder", path)
        self.path = path

    def __str__(self) -> str:
        return f"no such file or folder: {safe_name(self.path)}"


@dataclass
class Corpus:
    """The articles loaded from a set of paths, and what went wrong loading them."""

    articles: list[Article]
    warnings: list[LoadWarning] = field(default_factory=list)
    roots: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.articles)

    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    @property
    def digest(self) -> str:
        """A hash of every article's digest, in id order."""
        h = hashlib.sha256()
        for d in sorted(a.digest for a in self.articles):
            h.update(d.encode())
        return h.hexdigest()
