"""What one article alone gives the search index's name and quotation fields.

The index's ``entity``, ``speaker`` and ``quote`` fields of an article are
computed from that article only (:func:`article_fields`): its entities merged
as if the corpus were this one article, its quotations attributed with them.
So a changed, added or removed file rewrites one document and computes one
article's fields; nothing corpus-wide is read. The corpus-wide merge comes in
at search time instead: ``entity:X`` and ``speaker:X`` are expanded to every
variant of X's merged entity (:mod:`kazreader.index.expand`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kazreader.analysis.entities.extract import article_entities
from kazreader.analysis.quotes.extract import article_quotes
from kazreader.corpus.model import Article

__all__ = ["FIELD_NAMES", "article_fields"]

#: The index fields :func:`article_fields` fills, each a list of values (one per line in the index).
FIELD_NAMES: tuple[str, ...] = ("entity", "speaker", "quote")


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v.strip()))


def article_fields(article: Article, entity_part: Mapping[str, Any] | None = None) -> dict[str, list[str]]:
    """The values of *article*'s ``entity``, ``speaker`` and ``quote`` fields (JSON).

    ``entity``: the canonical name and every written form of each entity the
    article names (as :func:`~kazreader.analysis.entities.extract.article_entities`
    merges them); ``speaker``: the same names of each entity it quotes;
    ``quote``: its quotations' texts. *entity_part* is the article's stored
    entity scan (:func:`~kazreader.analysis.entities.extract.article_part`),
    to not scan it again.
    """
    entities = article_entities(article, entity_part)
    names = {e.name: [e.name, *e.variants] for e in entities}
    quotes = article_quotes(article, entities)
    return {
        "entity": _distinct(n for forms in names.values() for n in forms),
        "speaker": _distinct(n for q in quotes if q.speaker for n in names.get(q.speaker, [q.speaker])),
        "quote": [q.text for q in quotes],
    }
