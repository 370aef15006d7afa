"""Citations: where a quote, passage, figure or search hit comes from, in one line.

A citation reads ``“…” — Speaker, in Outlet, “Title”, 2022-01-06, URL`` and
leaves out whatever is unknown. :func:`source_fields` gives the same facts as
JSON fields (``outlet``, ``date``, ``title``, ``url``), and :func:`enrich`
adds them to the JSON documents of the listing commands, so every item can be
cited without a second lookup.
"""

from __future__ import annotations

import copy
import functools

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

__all__ = [
    "Cited",
    "Kind",
    "SOURCE_FIELDS",
    "SourceLike",
    "attribution",
    "cite",
    "quoted",
    "enrich",
    "source_fields",
]

#: The article facts every cited item carries, in this order.
SOURCE_FIELDS = ("outlet", "date", "title", "url")

#: Quoted text longer than this many characters is cut (with an ellipsis) in a citation.
MAX_QUOTED = 600


class SourceLike(Protocol):
    """What a citation reads from an article (``kazreader.corpus.Article`` fits)."""

    @property
    def id(self) -> str: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def date(self) -> str | None: ...
    @property
    def title(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...


class Kind(StrEnum):
    """What is cited."""

    QUOTE = "quote"
    PASSAGE = "passage"
    FIGURE = "figure"
    HIT = "search hit"
    ARTICLE = "article"


@dataclass(frozen=True)
class Cited:
    """One item with its provenance: the exact words, who said them, where they appeared."""

    kind: Kind
    text: str | None
    source: SourceLike
    speaker: str | None = None
    start: int | None = None
    end: int | None = None

    @property
    def citation(self) -> str:
        return cite(self.text, self.source, self.speaker)

    @property
    def verbatim(self) -> str:
        """The citation with the text exactly as the article has it (what the reader copies)."""
        return cite(self.text, self.source, self.speaker, verbatim=True)

    def fields(self) -> dict[str, Any]:
        """The item as flat JSON/CSV fields (article id, text, speaker, source, citation)."""
        return {
            "kind": str(self.kind),
            "article": self.source.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "speaker": self.speaker,
            **source_fields(self.source),
            "citation": self.citation,
        }


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    line = " ".join(value.split())
    return line or None


def _quoted(text: str) -> str:
    line = " ".join(text.split()).strip("“”\"")
    if len(line) > MAX_QUOTED:
        line = line[: MAX_QUOTED - 1].rstrip() + "…"
    return f"“{line}”"


def attribution(source: SourceLike, speaker: str | None = None, *, quoting: bool = True) -> str:
    """What follows the dash of a citation: ``Speaker, in Outlet, “Title”, date, URL``.

    Leaves out what is unknown; without outlet and title the article is named
    by its id. *quoting*: the attribution follows quoted words (``in Outlet``).
    """
    return _attribution(source.id, source.outlet, source.title, source.date, source.url, speaker, quoting)


@functools.lru_cache(maxsize=4096)
def _attribution(
    id_: str, outlet_: str | None, title_: str | None, date: str | None, url: str | None, speaker: str | None,
    quoting: bool,
) -> str:
    """:func:`attribution` from the source's fields (kept: a listing cites each article many times)."""
    outlet, title = _clean(outlet_), _clean(title_)
    named = [p for p in (outlet, f"“{title}”" if title else None) if p] or [f"article {id_}"]
    tail = ", ".join([*named, *(p for p in (_clean(date), _clean(url)) if p)])
    if outlet and (speaker or quoting):
        tail = f"in {tail}"
    who = _clean(speaker)
    return f"{who}, {tail}" if who else tail


def quoted(text: str) -> str:
    """*text* on one line between curly quotes (cut at :data:`MAX_QUOTED` characters)."""
    return _quoted(text)


def cite(text: str | None, source: SourceLike, speaker: str | None = None, *, verbatim: bool = False) -> str:
    """``“text” — Speaker, in Outlet, “Title”, date, URL``, leaving out what is unknown.

    Without quoted text the citation is the source alone (see :func:`attribution`).
    The text is put on one line and cut at :data:`MAX_QUOTED` characters, unless
    *verbatim* (what the reader copies: the words exactly as the article has them).
    """
    if not text or not text.strip():
        return attribution(source, speaker, quoting=False)
    words = f"“{text}”" if verbatim else _quoted(text)
    return f"{words} — {attribution(source, speaker)}"


def source_fields(source: SourceLike | None) -> dict[str, str | None]:
    """``{"outlet", "date", "title", "url"}`` of *source* (all None when unknown)."""
    return {name: getattr(source, name, None) if source is not None else None for name in SOURCE_FIELDS}


# -- the listing commands' JSON ------------------------------------------------

Record = dict[str, Any]


def _add(record: Record, by_id: Mapping[str, SourceLike], key: str, prefix: str = "") -> Record:
    """*record* with its article's source fields (named ``prefix + field``) where absent."""
    source = by_id.get(record.get(key) or "")
    for name, value in source_fields(source).items():
        record.setdefault(prefix + name, value)
    return record


def _each(
    records: Any, by_id: Mapping[str, SourceLike], key: str, text: str | Callable[[Record], str] | None = None,
    speaker: str | None = None,
) -> None:
    """Source fields on every record; a ``citation`` too, quoting its *text* field or what *text* gives
    for the record (the source alone if None)."""
    for record in records or ():
        if not isinstance(record, dict):
            continue
        _add(record, by_id, key)
        source = by_id.get(record.get(key) or "")
        if source is not None and "citation" not in record:
            who = record.get(speaker) or record.get(f"{speaker}_text") if speaker else None
            words = text(record) if callable(text) else record.get(text) if text else None
            record["citation"] = cite(words, source, who)


def _quotes(value: Any, by_id: Mapping[str, SourceLike]) -> None:
    _each(value, by_id, "article", "text", "speaker")


#: A figure's citation quotes at most this many characters of its sentence around it (the record
#: carries the whole sentence already; quoting it all again doubled the figures JSON).
FIGURE_QUOTE = 100


def figure_quote(record: Record) -> str:
    """The words around a figure in its sentence, at most :data:`FIGURE_QUOTE` characters, cut at spaces."""
    sentence = str(record.get("sentence") or "")
    if len(sentence) <= FIGURE_QUOTE:
        return sentence
    at = int(record.get("start") or 0) - int(record.get("sentence_start") or 0)
    end = at + len(str(record.get("text") or ""))
    lo = max(0, min(at - (FIGURE_QUOTE - (end - at)) // 2, len(sentence) - FIGURE_QUOTE))
    hi = lo + FIGURE_QUOTE
    if lo > 0:
        lo = sentence.find(" ", lo, at) + 1 if sentence.find(" ", lo, at) >= 0 else lo
    if hi < len(sentence):
        cut = sentence.rfind(" ", end, hi)
        hi = cut if cut > 0 else hi
    return ("…" if lo > 0 else "") + sentence[lo:hi].strip() + ("…" if hi < len(sentence) else "")


def _figures(value: Any, by_id: Mapping[str, SourceLike]) -> None:
    _each(value.get("figures"), by_id, "article", figure_quote)
    for d in value.get("disagreements") or ():
        _each(d.get("values"), by_id, "article", figure_quote)


def _passages(value: Any, by_id: Mapping[str, SourceLike]) -> None:
    for cluster in value:
        _each(cluster.get("members"), by_id, "article", "text")
        origin = by_id.get(cluster.get("origin") or "")
        for name, field_value in source_fields(origin).items():
            cluster.setdefault(f"origin_{name}", field_value)


def _compare(value: Any, by_id: Mapping[str, SourceLike]) -> None:
    for passage in value.get("passages") or ():
        passage.setdefault("article", value.get("a"))
        passage.setdefault("b_article", value.get("b"))
        _each([passage], by_id, "article", "a_text")
        _add(passage, by_id, "b_article", "b_")
        b = by_id.get(passage.get("b_article") or "")
        if b is not None:
            passage.setdefault("b_citation", cite(passage.get("b_text"), b))


def _search(value: Any, by_id: Mapping[str, SourceLike]) -> None:
    _each(value.get("hits"), by_id, "id")


def _coverage(value: Any, by_id: Mapping[str, SourceLike]) -> None:
    for key in ("only_x", "only_y"):
        _each(value.get(key), by_id, "article", "text")
    for key in ("quotes_only_x", "quotes_only_y"):
        _each(value.get(key), by_id, "article", "text", "speaker")
    for passage in value.get("shared") or ():
        _add(passage, by_id, "x_article", "x_")
        _add(passage, by_id, "y_article", "y_")
    for d in value.get("figure_disagreements") or ():
        _each(d.get("values"), by_id, "article", "text")


def _articles(value: Any, by_id: Mapping[str, SourceLike]) -> None:
    _each(value, by_id, "id")


_ENRICHERS: dict[str, Callable[[Any, Mapping[str, SourceLike]], None]] = {
    "articles": _articles,
    "quotes": _quotes,
    "figures": _figures,
    "passages": _passages,
    "compare": _compare,
    "search": _search,
    "coverage": _coverage,
}


def _json_copy(value: Any) -> Any:
    """A copy of a JSON value's dicts and lists (what :func:`enrich` fills in), its other values
    shared; ``copy.deepcopy`` for anything else. Three times faster than ``deepcopy`` alone (which
    was a third of ``passages --json`` at 20,000 articles)."""
    kind = type(value)
    if kind is dict:
        return {k: _json_copy(v) for k, v in value.items()}
    if kind is list:
        return [_json_copy(v) for v in value]
    if kind in _IMMUTABLE:
        return value
    return copy.deepcopy(value)


_IMMUTABLE = (str, int, float, bool, type(None))


def enriches(command: str) -> bool:
    """True when :func:`enrich` adds fields to *command*'s JSON (else it returns it as it is)."""
    return command in _ENRICHERS


def enrich(command: str, value: Any, by_id: Mapping[str, SourceLike]) -> Any:
    """The JSON document of *command* with every item's ``outlet``, ``date``, ``title``, ``url``.

    Fields already present are kept; unknown commands pass through unchanged.
    Returns a copy; *value* is left as it was.
    """
    fill = _ENRICHERS.get(command)
    if fill is None or value is None:
        return value
    value = _json_copy(value)  # (an analysis' JSON may share dicts with its cached result)
    fill(value, by_id)
    return value
