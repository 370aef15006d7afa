"""What one article alone gives the search index's name and quotation fields.

The index's ``entity``, ``speaker`` and ``quote`` fields of an article are
computed from that article only (:func:`article_fields`): its entities merged
as if the corpus were this one article, its quotations attributed with them
(the part the quotes keep per article, :mod:`kazreader.analysis.quotes.local`).
So a changed, added or removed file rewrites one document and computes one
article's fields; nothing corpus-wide is read. The corpus-wide merge comes in
at search time instead: ``entity:X`` and ``speaker:X`` are expanded to every
variant of X's merged entity (:mod:`kazreader.index.expand`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kazreader.analysis.quotes.local import Local, local_part
from kazreader.corpus.model import Article

__all__ = ["FIELD_NAMES", "article_fields", "fields_of"]

#: The index fields :func:`article_fields` fills, each a list of values (one per line in the index).
FIELD_NAMES: tuple[str, ...] = ("entity", "speaker", "quote")


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v.strip()))


def fields_of(article: Article, local: Local) -> dict[str, list[str]]:
    """The values of *article*'s ``entity``, ``speaker`` and ``quote`` fields, read from its
    :func:`~kazreader.analysis.quotes.local.local_part` (*local*: what the quotes keep per article).

    ``entity``: the canonical name and every written form of each entity the
    article names (as :func:`~kazreader.analysis.entities.extract.article_entities`
    merges them); ``speaker``: the same names of each entity it quotes;
    ``quote``: its quotations' texts.
    """
    names = {name: [name, *variants] for name, variants, _spans in local["entities"]}
    rows = local["quotes"]
    return {
        "entity": _distinct(n for forms in names.values() for n in forms),
        "speaker": _distinct(n for row in rows if row[2] for n in names.get(row[2], [row[2]])),
        "quote": [article.text[row[0]:row[1]] for row in rows],
    }


def article_fields(article: Article, entity_part: Mapping[str, Any] | None = None) -> dict[str, list[str]]:
    """:func:`fields_of` *article*, computed from it alone; *entity_part* is its stored entity scan
    (:func:`~kazreader.analysis.entities.extract.article_part`), so as not to scan it again."""
    return fields_of(article, local_part(article, entity_part))
