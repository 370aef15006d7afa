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
    texts, and the names of the article's speakers and entities as the
    article alone gives them, one per line (the workspace expands
    ``entity:``/``speaker:`` queries to the corpus' merged names, see
    :mod:`kazreader.index.expand`).
``id``
    The article id (exact).

Hidden fields: ``digest`` and ``extra_digest`` (stored, for incremental
sync), ``entity_names`` and ``speaker_names`` (:data:`NAME_TERM_FIELDS`: each
whole name of the ``entity`` and ``speaker`` fields as one term, what their
expanded queries look up), ``body_pairs`` (unstored word pairs of the body, to make phrase
queries fast on large corpora) and the *forms* fields ``title_forms``,
``body_forms`` and ``quote_forms`` (:data:`FORM_FIELDS`: the same words
stemmed, positions kept, so a bare word matches its forms and a phrase
relaxed with ``~forms`` matches word forms too).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from whoosh import fields, formats
from whoosh.analysis.tokenizers import RegexTokenizer
from whoosh.system import emptybytes

from kazreader.index import whooshfix
from kazreader.index.analyzers import COMMON_WORDS, forms_analyzer, pair_analyzer, word_analyzer

__all__ = [
    "DEFAULT_FIELDS",
    "EXTRA_FIELDS",
    "FORM_FIELDS",
    "KazText",
    "NAME_TERM_FIELDS",
    "PAIR_FIELDS",
    "USER_FIELDS",
    "VERSION",
    "build_schema",
]

#: Bump when the schema or the analyzers change: an index written with another
#: version is rebuilt from scratch.
VERSION = "kazreader-index-10"

#: Fields filled from ``extra(article)``.
EXTRA_FIELDS: tuple[str, ...] = ("quote", "speaker", "entity")
#: Name field → its hidden twin holding each whole name (one per line of the
#: value, as :func:`~kazreader.index.expand.name_terms` writes them) as one term;
#: also filled from ``extra(article)``.
NAME_TERM_FIELDS: dict[str, str] = {"entity": "entity_names", "speaker": "speaker_names"}
#: Fields searched by bare words.
DEFAULT_FIELDS: tuple[str, ...] = ("title", "body")
#: Fields a query may name, in the order error messages list them.
USER_FIELDS: tuple[str, ...] = ("body", "title", "outlet", "date", *EXTRA_FIELDS, "id")
#: Positional field → its hidden word-pair field.
PAIR_FIELDS: dict[str, str] = {"body": "body_pairs"}
#: Exact field → its hidden stemmed twin (word forms).
FORM_FIELDS: dict[str, str] = {"title": "title_forms", "body": "body_forms", "quote": "quote_forms"}

#: Positions jump by this much between the lines of multi-valued fields.
LINE_GAP = 100


class KazText(fields.TEXT):
    """A Whoosh ``TEXT`` field that indexes through kazreader's analyzers' fast path.

    Whoosh's own path builds one token object per word and runs it through
    generic format code; here the analyzer returns the document's postings as
    columns (:meth:`~kazreader.index.analyzers.WordTokenizer.term_columns`),
    which :class:`~kazreader.index.whooshfix.bulk.BulkSegmentWriter` adds without a
    Python step per posting. Postings are byte-identical to a plain ``TEXT``
    field with the same analyzer; querying is unchanged.

    With ``presence=True`` the field records only which documents hold each
    term (Whoosh's ``Existence`` format: no frequencies, no positions, no
    field lengths, not scored), all a filter field such as ``body_pairs``
    needs, at a fraction of the cost of writing its postings.
    """

    def __init__(self, *args: Any, presence: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if presence:
            self.format = formats.Existence(field_boost=self._field_boost())
            self.scorable = False

    def _field_boost(self) -> float:
        """The format's field boost (a ``TEXT`` field always has a format)."""
        assert self.format is not None
        return float(self.format.field_boost)

    def index_columns(self, value: Any) -> tuple[list[bytes], list[int], list[bytes]] | None:
        """*value*'s postings as ``(terms, frequencies, values)``; weights are the
        frequencies times ``self.format.field_boost``. None when the analyzer has
        no fast path (or *value* is not a string), or when the Whoosh fixes are
        off (another Whoosh: its own format code encodes the values): use
        :meth:`index`."""
        term_columns = getattr(self.analyzer, "term_columns", None)
        if term_columns is None or not isinstance(value, str) or not whooshfix.active():
            return None
        if isinstance(self.format, formats.Existence):
            present: list[bytes] = getattr(self.analyzer, "present_terms")(value)
            return present, [1] * len(present), [emptybytes] * len(present)
        terms, freqs, values = term_columns(value, isinstance(self.format, formats.Positions))
        return list(map(str.encode, terms)), freqs, values

    def index(self, value: Any, **kwargs: Any) -> Generator[tuple[bytes, int, float | int, bytes], Any, None]:
        columns = self.index_columns(value)
        if columns is None:
            yield from super().index(value, **kwargs)
            return
        terms, freqs, values = columns
        boost = self._field_boost()
        yield from zip(terms, freqs, [n * boost for n in freqs], values)


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
        body_pairs=KazText(analyzer=pair_analyzer(0, pair_words), phrase=False, presence=True),
    )
    for name in EXTRA_FIELDS:
        schema.add(name, KazText(analyzer=lines, multitoken_query="phrase"))
    for hidden in NAME_TERM_FIELDS.values():
        schema.add(hidden, KazText(analyzer=RegexTokenizer(r"[^\n]+"), phrase=False, presence=True))
    for name, forms in FORM_FIELDS.items():
        gap = LINE_GAP if name in EXTRA_FIELDS else 0
        schema.add(forms, KazText(analyzer=forms_analyzer(gap), multitoken_query="phrase"))
    return schema
