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

from collections.abc import Iterator
from typing import Any

from whoosh import fields, formats
from whoosh.system import pack_uint

from kazreader.index.analyzers import COMMON_WORDS, encode_positions, pair_analyzer, word_analyzer

__all__ = [
    "DEFAULT_FIELDS",
    "EXTRA_FIELDS",
    "KazText",
    "PAIR_FIELDS",
    "USER_FIELDS",
    "VERSION",
    "build_schema",
]

#: Bump when the schema or the analyzers change: an index written with another
#: version is rebuilt from scratch.
VERSION = "kazreader-index-6"

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


class KazText(fields.TEXT):
    """A Whoosh ``TEXT`` field that indexes through kazreader's analyzers' fast path.

    Whoosh's own path builds one token object per word and runs it through
    generic format code; here the analyzer returns ``{term: positions}`` in
    one pass (:meth:`~kazreader.index.analyzers.WordTokenizer.term_positions`)
    and the posting values are encoded directly. Postings are byte-identical to
    a plain ``TEXT`` field with the same analyzer; querying is unchanged.
    """

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        term_positions = getattr(self.analyzer, "term_positions", None)
        if term_positions is None or not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        positional = isinstance(self.format, formats.Positions)
        for term, positions in term_positions(value).items():
            n = len(positions)
            value_bytes = encode_positions(positions) if positional else _count_value(n)
            yield term.encode("utf-8"), n, n * boost, value_bytes


#: ``Frequency`` posting values of small counts, shared (most are 1 or 2).
_COUNT_VALUES = [pack_uint(n) for n in range(256)]


def _count_value(n: int) -> bytes:
    """Whoosh's ``Frequency`` posting value of *n* (``pack_uint``)."""
    return _COUNT_VALUES[n] if n < 256 else pack_uint(n)


def build_schema(pair_words: frozenset[str] = COMMON_WORDS) -> fields.Schema:
    """A fresh :class:`whoosh.fields.Schema` for the kazreader index.

    *pair_words* are the words whose adjacent pairs ``body_pairs`` indexes
    (:func:`~kazreader.index.analyzers.frequent_words`).
    """
    words = word_analyzer()
    lines = word_analyzer(LINE_GAP)
    schema = fields.Schema(
        id=fields.ID(unique=True, stored=True, sortable=True),
        digest=fields.STORED(),
        extra_digest=fields.STORED(),
        outlet=KazText(analyzer=words, stored=True, multitoken_query="phrase"),
        date=fields.DATETIME(stored=True, sortable=True),
        title=KazText(analyzer=words, stored=True, multitoken_query="phrase"),
        body=KazText(analyzer=words, multitoken_query="phrase"),
        body_pairs=KazText(analyzer=pair_analyzer(0, pair_words), phrase=False),
    )
    for name in EXTRA_FIELDS:
        schema.add(name, KazText(analyzer=lines, multitoken_query="phrase"))
    return schema
