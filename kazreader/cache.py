"""An on-disk cache of analysis results, keyed by content hash.

Entries are JSON files written atomically (temporary file + ``os.replace``), so
a process killed mid-write leaves either the old entry or the new one, never a
torn file. A corrupt or unreadable entry is treated as a miss and recomputed.
Two processes computing the same entry at once both write a complete file; the
last rename wins and both are identical, so no lock is needed. A corrupt entry
is reported through ``on_message`` when one is set.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from kazreader.atomic import atomic_file
from kazreader.gcpause import gc_paused

__all__ = ["AnalysisCache", "JsonArray", "content_key", "pair_key", "pair_prefix"]

T = TypeVar("T")

#: Bump to invalidate every cache entry written by older versions of the cache format.
CACHE_FORMAT = 2


#: How many hex digits of each article digest a pair key carries in its name.
PAIR_DIGITS = 16


def content_key(name: str, version: int | str, digests: Iterable[str], *extra: str) -> str:
    """A cache key for analysis *name* at *version* (its sources' digest) over articles with *digests*."""
    h = hashlib.sha256(f"{CACHE_FORMAT}:{name}:{version}".encode())
    for d in digests:
        h.update(b"\0")
        h.update(d.encode())
    for e in extra:
        h.update(b"\1")
        h.update(e.encode())
    return f"{name}-{h.hexdigest()[:32]}"


def pair_prefix(name: str, version: int | str, *extra: str) -> str:
    """What every key of the per-pair analysis *name* at *version* begins with."""
    return content_key(name, version, (), *extra)[: len(name) + 25] + "-"


def pair_key(name: str, version: int | str, digests: Sequence[str], *extra: str) -> str:
    """A key naming its articles: ``prefix`` then each digest's first :data:`PAIR_DIGITS` digits.

    So :meth:`AnalysisCache.prune` can tell whether an entry's articles are
    still in the corpus without reading it.
    """
    return pair_prefix(name, version, *extra) + "-".join(d[:PAIR_DIGITS] for d in digests)


def pair_articles(key: str, prefix: str) -> list[str] | None:
    """The digest prefixes a pair key names, or ``None`` if it does not begin with *prefix*."""
    return key[len(prefix):].split("-") if key.startswith(prefix) else None


#: An entry is one JSON object, ``{"key":K,"sum":S,"value":V}``, written in that order so
#: that the value's text can be checked against its checksum before it is parsed.
_VALUE = '","value":'
_SUM_CHARS = 32


def _entry_head(key: str) -> str:
    return '{"key":' + json.dumps(key, ensure_ascii=False) + ',"sum":"'


def _hasher() -> Any:
    """The entries' checksum (:func:`_checksum` reads it, :meth:`AnalysisCache.put` writes it as it goes)."""
    return hashlib.blake2b(digest_size=_SUM_CHARS // 2)


def _checksum(body: str) -> str:
    digest = _hasher()
    digest.update(body.encode("utf-8", "surrogatepass"))
    return str(digest.hexdigest())


class JsonArray:
    """A JSON array made one item at a time: ``convert(item)`` for each of *items* (an analysis'
    ``encode``), so that :meth:`AnalysisCache.put` never holds the whole list of JSON values."""

    def __init__(self, items: Iterable[Any], convert: Callable[[Any], Any]) -> None:
        self.items = items
        self.convert = convert

    def __iter__(self) -> Iterator[Any]:
        return (self.convert(item) for item in self.items)


#: Items of a list encoded and written at once by :meth:`AnalysisCache.put`.
_PUT_SLICE = 2000


def _json_chunks(value: Any) -> Iterator[str]:
    """``json.dumps(value)`` (compact, not ASCII-escaped) in pieces: a list's items a slice at a time,
    a dict's values one at a time."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        yield "{"
        for n, (k, v) in enumerate(value.items()):
            yield ("," if n else "") + dumps(k) + ":"
            yield from _json_chunks(v)
        yield "}"
        return
    if not isinstance(value, (list, tuple, JsonArray)):
        yield dumps(value)
        return
    yield "["
    first = True
    piece: list[str] = []
    for item in value:
        piece.append(dumps(item))
        if len(piece) >= _PUT_SLICE:
            yield ("" if first else ",") + ",".join(piece)
            first, piece = False, []
    if piece:
        yield ("" if first else ",") + ",".join(piece)
    yield "]"


def _entry_body(key: str, text: str) -> str | None:
    """The value's JSON text of an entry for *key*, or ``None`` when the entry is not whole and unaltered."""
    head = _entry_head(key)
    start = len(head) + _SUM_CHARS + len(_VALUE)
    if not (text.startswith(head) and text.endswith("}") and text[start - len(_VALUE):start] == _VALUE):
        return None
    body = text[start:-1]
    return body if _checksum(body) == text[len(head):len(head) + _SUM_CHARS] else None


class AnalysisCache:
    """JSON entries under one directory; every miss is computed once and stored."""

    def __init__(
        self,
        directory: Path,
        *,
        enabled: bool = True,
        on_message: Callable[[str], None] | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.enabled = enabled
        #: Told about repairs ("cache entry … was corrupt; recomputed").
        self.on_message = on_message

    def _corrupt(self, key: str) -> None:
        if self.on_message is not None:
            self.on_message(f"cache entry {key} was corrupt; recomputed")

    def _path(self, key: str) -> Path:
        return self.directory / "analyses" / f"{key}.json"

    def has(self, key: str) -> bool:
        """True if an entry for *key* is stored (it may still turn out corrupt when read)."""
        return self.enabled and self._path(key).is_file()

    def get(self, key: str) -> Any | None:
        """The stored JSON value for *key*, or ``None`` (missing or corrupt)."""
        if not self.enabled:
            return None
        try:
            with open(self._path(key), encoding="utf-8") as fh:
                text = fh.read()
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            text = ""
        # An entry names its key and the checksum of its value: a file of any other
        # shape (truncated, foreign, hand-edited, even into valid JSON) is never
        # mistaken for a result, however lenient the analysis' ``from_json`` is.
        body = _entry_body(key, text)
        if body is not None:
            try:
                return json.loads(body)
            except ValueError:
                pass
        self._corrupt(key)
        return None

    def put(self, key: str, value: Any) -> None:
        """Store *value* under *key* atomically; failures to write are ignored."""
        if not self.enabled:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_file(path, "wb", prefix=".tmp-", suffix=".json") as fh:
                # The value's JSON is written as it is made, a slice of a list at a time (at 10,000
                # articles an analysis' JSON is tens of MB: never held whole); the checksum, which
                # comes before it, is filled in last.
                head = _entry_head(key).encode()
                fh.write(head + b"0" * _SUM_CHARS + _VALUE.encode())
                digest = _hasher()
                for chunk in _json_chunks(value):
                    raw = chunk.encode("utf-8")
                    digest.update(raw)
                    fh.write(raw)
                fh.write(b"}")
                fh.seek(len(head))
                fh.write(digest.hexdigest().encode())
        except OSError:
            pass

    def memo(
        self,
        key: str,
        compute: Callable[[], T],
        encode: Callable[[T], Any],
        decode: Callable[[Any], T],
    ) -> T:
        """Return the cached value for *key*, computing and storing it on a miss.

        The GC is paused while a value is read and decoded, or encoded and written: that makes
        many lists and records and no cycles (at 20,000 articles, reading the entities took
        1.0 CPU-s paused, 2.2-4.0 with the collections).
        """
        with gc_paused():
            raw = self.get(key)
            if raw is not None:
                try:
                    return decode(raw)
                except (KeyError, TypeError, ValueError, AttributeError, IndexError):
                    self._corrupt(key)  # valid JSON of another shape: recompute
        value = compute()
        with gc_paused():
            self.put(key, encode(value))
        return value

    def prune(self, keep: Iterable[str], also: Callable[[str], bool] | None = None) -> int:
        """Delete entries neither in *keep* nor accepted by ``also(key)``; return how many.

        Files being written by another process (``.tmp-*``) are left alone.
        """
        if not self.enabled:
            return 0
        keep_set = set(keep)
        removed = 0
        folder = self.directory / "analyses"
        if not folder.is_dir():
            return 0
        for p in folder.glob("*.json"):
            if p.name.startswith(".tmp-") or p.stem in keep_set or (also is not None and also(p.stem)):
                continue
            try:
                p.unlink(missing_ok=True)
            except OSError:
                continue
            removed += 1
        return removed
