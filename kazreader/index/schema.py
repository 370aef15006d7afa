"""The Whoosh schema of the kazreader index and its version.

Fields a person can query (see :data:`USER_FIELDS`):

``title``, ``body``
    The article's title and cleaned text (positions kept: phrases work).
``outlet``
    The outlet name (matched word by word, also stored).
``date``
    The publication date (``date:2022-01-06``, ``date:2022-01``,
    ``date:[2022-01-01 TO 2022-01-31]``), sortable.
``quote``, ``speaker``, ``entity``
    Filled from the ``extra`` callback of :meth:`CorpusIndex.sync`: quotation
    texts, canonical speaker names and canonical entity names, one per line.
``id``
    The article id (exact).

Hidden fields: ``digest`` and ``extra_digest`` (stored, for incremental
sync) and ``body_pairs`` (unstored word pairs of the body, to make phrase
queries fast on large corpora).
"""

from __future__ import annotations

from whoosh import fields

from kazreader.index.analyzers import pair_analyzer, word_analyzer

__all__ = [
    "DEFAULT_FIELDS",
    "EXTRA_FIELDS",
    "PAIR_FIELDS",
    "USER_FIELDS",
    "VERSION",
    "build_schema",
]

#: Bump when the schema or the analyzers change: an index written with another
#: version is rebuilt from scratch.
VERSION = "kazreader-index-4"

#: Fields filled from ``extra(article)``.
EXTRA_FIELDS: tuple[str, ...] = ("quote", "speaker", "entity")
#: Fields searched by bare words.
DEFAULT_FIELDS: tuple[str, ...] = ("title", "body")
#: Fields a query may name, in the order error messages list them.
USER_FIELDS: tuple[str, ...] = ("body", "title", "outlet", "date", *EXTRA_FIELDS, "id")
#: Positional field → its hidden word-pair field.
PAIR_FIELDS: dict[str, str] = {"body": "body_pairs"}

#: Positions jump by this much between the lines of multi-valued fields.
LINE_GAP = 100


def build_schema() -> fields.Schema:
    """A fresh :class:`whoosh.fields.Schema` for the kazreader index."""
    words = word_analyzer()
    lines = word_analyzer(LINE_GAP)
    schema = fields.Schema(
        id=fields.ID(unique=True, stored=True, sortable=True),
        digest=fields.STORED(),
        extra_digest=fields.STORED(),
        outlet=fields.TEXT(analyzer=words, stored=True, multitoken_query="phrase"),
        date=fields.DATETIME(stored=True, sortable=True),
        title=fields.TEXT(analyzer=words, stored=True, multitoken_query="phrase"),
        body=fields.TEXT(analyzer=words, multitoken_query="phrase"),
        body_pairs=fields.TEXT(analyzer=pair_analyzer(), phrase=False),
    )
    for name in EXTRA_FIELDS:
        schema.add(name, fields.TEXT(analyzer=lines, multitoken_query="phrase"))
    return schema
