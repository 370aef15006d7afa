"""The query language in brief, as data (no Whoosh import: the TUI shows it at startup).

Read by ``kazreader search --help``, the library's search hint and the ``?`` help
screen, so the three never disagree. The syntax itself is implemented in
:mod:`kazreader.index.search`.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["FILTER_SYNTAX", "QUERY_GUIDE", "SortOrder", "compact_hint", "facet_filter", "guide_lines"]


class SortOrder(StrEnum):
    """How search hits are ordered: best score first, or oldest first (undated last)."""

    SCORE = "score"
    DATE = "date"

#: ``(syntax, example, meaning)``, one per field and operator.
QUERY_GUIDE: tuple[tuple[str, str, str], ...] = (
    ("word", "terrorist", "title or text, any word form (terrorists)"),
    ('"phrase"', '"band of terrorists"', "exact words in order (typography ignored)"),
    ('"phrase"~forms', '"band of terrorist"~forms', "a phrase, any word forms"),
    ("word*", "terror*", "words that start so"),
    ("word~", "tokaev~", "close spellings"),
    ("AND OR NOT ( )", "almaty NOT police", "combine (bare words: all must match)"),
    ("title:", "title:unrest", "the title"),
    ("body:", 'body:"death toll"', "the text"),
    ("outlet:", 'outlet:"evening post"', "an outlet"),
    ("date:", "date:2022-01-05..2022-01-07", "a day or days (date:..2022-01-07, date:2022-01-05..)"),
    ("quote:", "quote:terrorist", "quotations"),
    ("speaker:", "speaker:tokayev", "who is quoted"),
    ("entity:", "entity:almaty", "people, organisations, places"),
    ("story:", "story:almaty", "a story (its id or a part of it)"),
    ("id:", "id:a3", "one article"),
)

#: How a facet value narrows a query: facet name → filter template.
FILTER_SYNTAX: dict[str, str] = {"outlet": 'outlet:"{}"', "date": "date:{}"}


def guide_lines() -> list[str]:
    """:data:`QUERY_GUIDE` as aligned plain-text lines: syntax, example, meaning."""
    width = max(len(syntax) for syntax, _, _ in QUERY_GUIDE)
    example_width = max(len(example) for _, example, _ in QUERY_GUIDE)
    return [f"{syntax:<{width}}  {example:<{example_width}}  {meaning}" for syntax, example, meaning in QUERY_GUIDE]


def compact_hint() -> str:
    """One line: the operators and every field (examples: ``?``)."""
    fields = " ".join(syntax for syntax, _, _ in QUERY_GUIDE if syntax.endswith(":"))
    return f'words (any form) · "exact phrase" · "…"~forms · {fields} · AND OR NOT · ? examples'


def facet_filter(facet: str, value: str) -> str:
    """The query filter that keeps the matches with *value* in *facet* (``outlet:"Reuters"``)."""
    return FILTER_SYNTAX[facet].format(value.replace('"', " ").strip())
