"""Records of any schema → raw records: which field holds the text, the title, the date…

The names each field goes by in the common news data sets are data
(``data/fields.toml``), not code; a ``corpus.toml`` ``[fields]`` table puts
its own names (dotted paths for nested values) in front of them, and an
``[outlets]`` table renames source codes. The body may be a string, a list of
paragraphs, a list of paragraphs that are lists of sentences (BASIL), or
objects holding one of these; when two fields hold the same text, the one
that reads as published (not tokenised) wins.
"""

from __future__ import annotations

import hashlib
import html
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

__all__ = ["Field", "FieldMap", "RawRecord", "body_text", "default_map", "lookup", "record_from", "as_string"]


class Field(StrEnum):
    """The parts of an article a record can hold."""

    TEXT = "text"
    TITLE = "title"
    DATE = "date"
    OUTLET = "outlet"
    URL = "url"
    ID = "id"
    AUTHOR = "author"


@dataclass
class RawRecord:
    """One article as a file format delivers it.

    ``number`` is the 1-based position of the record in its file (``None``
    for a file that is one article); the loader builds ids from it.
    ``date`` is raw (a string or a Unix timestamp) and parsed later.
    ``notes`` are things worth a warning (a body truncated by an API).
    """

    text: str
    title: str | None = None
    date: str | int | float | None = None
    outlet: str | None = None
    url: str | None = None
    id: str | None = None
    author: str | None = None
    number: int | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldMap:
    """Where each field is looked for, and how source codes are renamed."""

    names: Mapping[Field, tuple[str, ...]]
    containers: tuple[str, ...]
    outlets: Mapping[str, str] = field(default_factory=dict)

    def overridden(self, fields: Mapping[str, str], outlets: Mapping[str, str]) -> FieldMap:
        """This map with *fields* (field → dotted path) tried first and *outlets* added."""
        names = dict(self.names)
        for name, path in fields.items():
            names[Field(name)] = (path.lower(), *names[Field(name)])
        merged = {**self.outlets, **{k.lower(): v for k, v in outlets.items()}}
        return FieldMap(names, self.containers, merged)

    @cached_property
    def digest(self) -> str:
        """A short hash of the map: part of a file's snapshot signature."""
        payload = repr((sorted((str(k), v) for k, v in self.names.items()), self.containers,
                        sorted(self.outlets.items())))
        return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    def outlet_name(self, value: str | None) -> str | None:
        """*value* renamed by the ``[outlets]`` table (case-insensitive), else as it is."""
        if value is None:
            return None
        return self.outlets.get(value.strip().lower(), value)


@lru_cache(maxsize=1)
def default_map() -> FieldMap:
    """The shipped field names (``data/fields.toml``)."""
    raw = resources.files("kazreader.corpus").joinpath("data", "fields.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    names = {f: tuple(n.lower() for n in data["names"][f.value]) for f in Field}
    return FieldMap(names, tuple(c.lower() for c in data["names"]["containers"]))


# --- looking values up ------------------------------------------------------------


def _lowered(obj: Mapping[Any, Any]) -> dict[str, Any]:
    return {k.lower(): v for k, v in obj.items() if isinstance(k, str)}


def lookup(obj: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted *path* in *obj* (keys lower-cased), or ``None``.

    A key holding a dot itself is matched whole before the path is split.
    """
    if path in obj:
        return obj[path]
    head, dot, rest = path.partition(".")
    if not dot:
        return None
    inner = obj.get(head)
    if isinstance(inner, dict):
        return lookup(_lowered(inner), rest)
    return None


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def first(obj: Mapping[str, Any], paths: Iterable[str]) -> Any:
    """The first non-empty value among *paths*."""
    for path in paths:
        value = lookup(obj, path)
        if not _empty(value):
            return value
    return None


def as_string(value: Any, depth: int = 0) -> str | None:
    """A scalar as a string; an object's ``name``/``title``; a list's strings joined."""
    if value is None or isinstance(value, bool) or depth > 4:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        inner = first(_lowered(value), ("name", "title", "value", "url", "href", "$date"))
        return as_string(inner, depth + 1)
    if isinstance(value, list):
        parts = [s for s in (as_string(v, depth + 1) for v in value[:50]) if s]
        return ", ".join(parts) or None
    return None


# --- the body ---------------------------------------------------------------------

_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_HTML_BLOCK_RE = re.compile(r"<\s*(?:br\s*/?|/\s*(?:p|div|h[1-6]|li|blockquote|tr))\s*>", re.IGNORECASE)
_HTML_SIGNAL_RE = re.compile(r"<\s*(?:p|br|div|span|a|em|strong|b|i)\b[^>]*>", re.IGNORECASE)
_TEXT_KEYS = ("text", "content", "body", "sentence", "value")


def _paragraph(value: Any, depth: int) -> str | None:
    """One paragraph: a string, a list of sentences, or an object holding one."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list) and depth < 3:
        parts = [p for p in (_paragraph(v, depth + 1) for v in value) if p]
        return " ".join(parts) or None
    if isinstance(value, dict) and depth < 3:
        return _paragraph(first(_lowered(value), _TEXT_KEYS), depth + 1)
    return None


def body_text(value: Any) -> str | None:
    """Article text from a string, a list of paragraphs (strings, sentence lists
    or objects), or an object holding one of these; HTML fragments become text."""
    if isinstance(value, dict):
        value = first(_lowered(value), _TEXT_KEYS)
    if isinstance(value, str):
        body = value
    elif isinstance(value, list):
        body = "\n\n".join(p for p in (_paragraph(v, 1) for v in value) if p)
    else:
        return None
    if "<" in body and _HTML_SIGNAL_RE.search(body):
        body = html.unescape(_TAG_RE.sub("", _HTML_BLOCK_RE.sub("\n\n", body)))
    return body if body.strip() else None


#: What tokenised text shows: spaces before punctuation and clitics, ```` `` ```` quotes.
_TOKEN_MARKS = (" ,", " .", " ;", " :", " ?", " !", " )", "( ", "``", "''", " n't", " 's", " 're")


def _tokenised(text: str) -> int:
    """How tokenised *text* reads (marks of tokenisation in its opening)."""
    head = text[:600]
    return sum(head.count(mark) for mark in _TOKEN_MARKS)


_WORD_RE = re.compile(r"[^\W_]+")


def _same_text(a: str, b: str) -> bool:
    """True when two fields hold (mostly) the same words: most words of one's
    opening are in the other's (which may carry a caption or two more)."""
    words = set(_WORD_RE.findall(a[:300].lower()))
    other = set(_WORD_RE.findall(b[:2000].lower()))
    return bool(words) and len(words & other) >= 0.7 * len(words)


def _best_body(obj: Mapping[str, Any], paths: Iterable[str]) -> str | None:
    """The body from the first text field; a field with the same words that is
    less tokenised replaces it (``content`` vs ``content_original``)."""
    best: str | None = None
    for path in paths:
        text = body_text(lookup(obj, path))
        if text is None:
            continue
        if best is None:
            best = text
        elif _tokenised(text) < _tokenised(best) and _same_text(best, text):
            best = text
    return best


# --- a record ---------------------------------------------------------------------

_TRUNCATED_RE = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+(\d+) chars\]\s*$")


def _date_value(value: Any) -> str | int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)):
        return value
    return as_string(value)


def record_from(obj: Any, number: int | None, fmap: FieldMap | None = None) -> RawRecord | str:
    """One JSON (or CSV row) object → a record, or the reason it is not an article."""
    if not isinstance(obj, dict):
        return f"not an article ({type(obj).__name__})"
    fmap = fmap or default_map()
    fields = _lowered(obj)
    text = _best_body(fields, fmap.names[Field.TEXT])
    if not text:
        return "not an article (no text field)"
    notes: tuple[str, ...] = ()
    tail = len(text) - 60
    cut = _TRUNCATED_RE.search(text, max(0, tail)) if "chars]" in text[tail:] else None
    if cut:
        text = text[: cut.start()] + " …"
        notes = (f"body truncated by its source ({int(cut.group(1)):,} characters missing)",)

    def get(f: Field) -> str | None:
        return as_string(first(fields, fmap.names[f]))

    return RawRecord(
        text=text,
        title=get(Field.TITLE),
        date=_date_value(first(fields, fmap.names[Field.DATE])),
        outlet=fmap.outlet_name(get(Field.OUTLET)),
        url=get(Field.URL),
        id=get(Field.ID),
        author=get(Field.AUTHOR),
        number=number,
        notes=notes,
    )


def containers(value: Mapping[str, Any], fmap: FieldMap | None = None) -> list[Any] | None:
    """Every record held in the container keys of a JSON object (``None`` if none).

    An object holding both ``articles`` and ``items`` gives the records of both.
    """
    fmap = fmap or default_map()
    lowered = _lowered(value)
    found: list[Any] = []
    hit = False
    for path in fmap.containers:
        inner = lookup(lowered, path)
        if isinstance(inner, list):
            hit = True
            found.extend(inner)
    return found if hit else None
