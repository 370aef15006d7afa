"""Query parsing, searching, highlight spans and snippets.

The query language is Whoosh's (``AND``/``OR``/``NOT``, parentheses,
``field:term``, ``"phrases"``, ``term~`` fuzzy, ``wild*cards``, date ranges)
with kazreader's conventions:

* the query text is typography-folded first (curly quotes delimit phrases,
  ``’`` is an apostrophe, dashes are hyphens) and every word goes through the
  same analyzer as the index, so matching ignores case and typography;
* bare words search ``title`` and ``body``, and all of them must match;
* a word that the analyzer splits (``Khabar-24``) is searched as a phrase;
* a phrase over ``body`` is also required to contain the phrase's word pairs
  (the hidden ``body_pairs`` field), so long posting lists of common words are
  intersected only on the few documents that contain the rare pairs.

Every problem with the query text is a :class:`QueryError` with a message for
people; a failure while a parsed query runs is an :class:`IndexReadError`, which
:meth:`~kazreader.index.store.CorpusIndex.search` turns into a rebuild (damaged
files) or a :class:`QueryError`. No other Whoosh exception leaves :func:`run_search`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from whoosh.matching.mcore import ListMatcher, NullMatcher
from whoosh.qparser.default import MultifieldParser, QueryParser
from whoosh.qparser.plugins import FuzzyTermPlugin
from whoosh.qparser.syntax import AndGroup
from whoosh.query.positional import Phrase
from whoosh.query.qcore import NullQuery, Query
from whoosh.query.terms import MultiTerm, Term
from whoosh.query.wrappers import Not
from whoosh.fields import Schema
from whoosh.searching import Searcher

from kazreader.corpus.model import Article, Span
from kazreader.index.analyzers import word_pairs
from kazreader.index.whooshfix import postings
from kazreader.index.schema import DEFAULT_FIELDS, PAIR_FIELDS, USER_FIELDS
from kazreader.text import Token, fold_chars, tokenize

__all__ = [
    "HIGHLIGHT_FIELDS",
    "MAX_QUERY_CHARS",
    "SNIPPET_WORDS",
    "Hit",
    "IndexReadError",
    "PairedPhrase",
    "QueryError",
    "SearchResult",
    "check_query_length",
    "find_spans",
    "make_snippet",
    "parse_query",
    "run_search",
]

#: Fields whose matched words are highlighted in ``Article.text``.
HIGHLIGHT_FIELDS: frozenset[str] = frozenset({"body", "title", "quote", "speaker", "entity"})
#: Approximate length of a snippet, in words.
SNIPPET_WORDS = 30
#: Words of context shown before the first match of a snippet.
_LEAD_WORDS = 8
#: The longest query searched, in characters (a pasted paragraph fits; Whoosh's
#: parser is quadratic in the length of a word: 16,000 characters took 2.5 s).
MAX_QUERY_CHARS = 2000

# `name:` at the start of a query or after a space/bracket/operator, followed by
# something other than whitespace: a field reference.
_FIELD_RE = re.compile(r"(?:^|(?<=[\s(+\-]))([A-Za-z_]\w*):(?=\S)")
_QUOTED_RE = re.compile(r'"[^"]*"')
_SPACE_RE = re.compile(r"\s+")


class QueryError(ValueError):
    """The query text cannot be searched; ``str(error)`` is meant for people."""


class IndexReadError(RuntimeError):
    """Running a parsed query failed: the index's fault or the query's.

    :meth:`~kazreader.index.store.CorpusIndex.search` decides which (damaged
    files are rebuilt; otherwise it is a :class:`QueryError`). ``cause`` is
    the exception Whoosh raised.
    """

    def __init__(self, message: str, cause: BaseException) -> None:
        super().__init__(message)
        self.cause = cause


@dataclass(frozen=True)
class Hit:
    """One matching article.

    ``spans`` are the character ranges of ``Article.text`` that the query's
    words and phrases match (sorted, non-overlapping); ``snippet`` is a
    plain-text excerpt of about :data:`SNIPPET_WORDS` words around the best
    match, with ``…`` where the text was cut.
    """

    id: str
    score: float
    snippet: str
    spans: list[Span] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``search --json`` hit record."""
        return {
            "id": self.id,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "spans": [list(s) for s in self.spans],
        }


@dataclass(frozen=True)
class SearchResult:
    """The answer to one query: ``total`` matches, the best ``hits`` first."""

    query: str
    total: int
    hits: list[Hit]

    def to_json(self) -> dict[str, Any]:
        """The ``search --json`` document."""
        return {"query": self.query, "total": self.total, "hits": [h.to_json() for h in self.hits]}


# --- parsing ----------------------------------------------------------------


def _check_balance(text: str) -> None:
    """Raise :class:`QueryError` for unbalanced quotes or brackets."""
    if text.count('"') % 2:
        raise QueryError("unbalanced quote: a phrase must end with a closing \"")
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for ch in _QUOTED_RE.sub(" ", text):
        if ch in "([{":
            stack.append(ch)
        elif ch in pairs:
            if not stack or stack[-1] != pairs[ch]:
                raise QueryError(f"unbalanced parenthesis: unexpected {ch!r}")
            stack.pop()
    if stack:
        closing = {v: k for k, v in pairs.items()}[stack[-1]]
        raise QueryError(f"unbalanced parenthesis: missing {closing!r}")


def _normalize_fields(text: str) -> str:
    """Lower-case known field names; raise :class:`QueryError` for unknown ones."""
    known = set(USER_FIELDS)

    def fix(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.lower() not in known:
            raise QueryError(
                f"unknown field {name!r} — fields: {', '.join(USER_FIELDS)}"
            )
        return name.lower() + ":"

    # Field references inside phrases are plain words.
    out: list[str] = []
    last = 0
    for m in _QUOTED_RE.finditer(text):
        out.append(_FIELD_RE.sub(fix, text[last : m.start()]))
        out.append(m.group())
        last = m.end()
    out.append(_FIELD_RE.sub(fix, text[last:]))
    return "".join(out)


def _make_parser(schema: Schema) -> QueryParser:
    parser = MultifieldParser(list(DEFAULT_FIELDS), schema, group=AndGroup)
    parser.add_plugin(FuzzyTermPlugin())  # type: ignore[no-untyped-call]  # (Whoosh: unannotated)
    return parser


def _first_error(q: Query) -> str | None:
    error = getattr(q, "error", None)
    if error:
        return str(error)
    for child in q.children():
        error = _first_error(child)
        if error:
            return error
    return None


class PairedPhrase(Phrase):
    """An exact phrase, matched faster than Whoosh's own :class:`~whoosh.Phrase`.

    * Candidate documents must also hold the phrase's indexed word pairs
      (``pairs`` in ``pair_field``, see
      :func:`~kazreader.index.analyzers.word_pairs`): for a phrase of frequent
      words ("to be or not to be") this shrinks the documents whose positions
      are checked from most of the corpus to the few that hold the rare pairs.
      The pairs score nothing.
    * The rarest of all these terms drives the search and the others are
      only probed at its documents (:func:`_candidates`), instead of Whoosh's
      leap-frogging through every list; positions of the survivors are then
      checked with set arithmetic instead of Whoosh's span objects.

    Matches and scores are those of the plain exact phrase.
    """

    def __init__(
        self,
        fieldname: str,
        words: list[str],
        pair_field: str | None = None,
        pairs: list[str] | None = None,
        boost: float = 1.0,
    ) -> None:
        super().__init__(fieldname, words, slop=1, boost=boost)
        self.pair_field = pair_field
        self.pairs = list(pairs or ())

    def __repr__(self) -> str:
        return f"PairedPhrase({self.fieldname!r}, {self.words!r}, pairs={self.pairs!r})"

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        reader = searcher.reader()
        field = searcher.schema[self.fieldname]
        words = [field.to_bytes(w) for w in self.words]
        keys = [(self.fieldname, w) for w in words]
        if self.pair_field and self.pairs:
            pair_field = searcher.schema[self.pair_field]
            keys += [(self.pair_field, pair_field.to_bytes(p)) for p in self.pairs]
        if any(key not in reader for key in keys):
            return NullMatcher()
        ids = _candidates(reader, keys)
        if not ids:
            return NullMatcher()
        # The word matchers score (BM25 by default) and give the positions.
        scorers = [Term(self.fieldname, w).matcher(searcher, context) for w in words]
        found: list[int] = []
        scores: list[float] = []
        for doc in ids:
            starts: set[int] | None = None
            for offset, m in enumerate(scorers):
                postings.seek(m, doc)
                positions = m.value_as("positions")
                if starts is None:
                    starts = set(positions)
                else:
                    starts.intersection_update(p - offset for p in positions)
                if not starts:
                    break
            if starts:
                found.append(doc)
                scores.append(sum(m.score() for m in scorers) * self.boost)
        if not found:
            return NullMatcher()
        return ListMatcher(found, weights=scores)  # type: ignore[no-untyped-call]  # (Whoosh: unannotated)


def _candidates(reader: Any, keys: list[tuple[str, bytes]]) -> list[int]:
    """Documents of *reader* holding every term of *keys*.

    The rarest term drives: its documents are read, and every other term
    (rarest first) is only looked up at the surviving documents, block by
    block, so the long posting lists of frequent words are mostly skipped
    (a block is decoded only when a surviving document may be in it).
    """
    ranked = sorted(set(keys), key=lambda key: reader.doc_frequency(*key))
    ids = postings.all_ids(reader.postings(*ranked[0]))
    for key in ranked[1:]:
        if not ids:
            break
        ids = postings.present(reader.postings(*key), ids)
    return ids


def _pair_words(schema: Schema, pair_field: str) -> frozenset[str]:
    """The words whose pairs *pair_field* indexes (chosen per index)."""
    analyzer = schema[pair_field].analyzer if pair_field in schema else None
    return getattr(analyzer, "pair_words", frozenset())


def _with_pairs(schema: Schema) -> Callable[[Query], Query]:
    """A query visitor turning exact multi-word phrases into :class:`PairedPhrase`."""

    def visit(q: Query) -> Query:
        if type(q) is Phrase and q.slop == 1 and len(q.words) > 1:
            words = list(q.words)
            pair_field = PAIR_FIELDS.get(q.fieldname)
            pairs: list[str] = []
            if pair_field:
                pairs = list(dict.fromkeys(word_pairs(words, _pair_words(schema, pair_field))))
            return PairedPhrase(q.fieldname, words, pair_field, pairs, q.boost)
        return q

    return visit


def _has_phrase(q: Query) -> bool:
    """True if *q* has a phrase anywhere in it."""
    if isinstance(q, Phrase):
        return True
    return any(_has_phrase(c) for c in q.children())


def check_query_length(text: str) -> None:
    """Raise :class:`QueryError` for a query longer than :data:`MAX_QUERY_CHARS` (before any work on it)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query too long ({len(text):,} characters; the limit is {MAX_QUERY_CHARS:,})"
        )


def parse_query(text: str, schema: Schema) -> Query:
    """Parse *text* into a Whoosh query, or raise :class:`QueryError`.

    The returned query is the one a person meant; :func:`run_search` adds the
    word-pair acceleration on top of it.
    """
    check_query_length(text or "")
    folded = fold_chars(text or "").strip()
    if not folded:
        raise QueryError("empty query")
    _check_balance(folded)
    folded = _normalize_fields(folded)
    parser = _make_parser(schema)
    try:
        raw = parser.parse(folded, normalize=False)
    except Exception as exc:  # Whoosh raises many types for bad field values
        raise QueryError(f"cannot parse query: {exc}") from None
    error = _first_error(raw)
    if error:
        raise QueryError(f"cannot parse query: {error}")
    q: Query = raw.normalize()
    if q is NullQuery or isinstance(q, type(NullQuery)):
        raise QueryError(f"nothing to search for in {text.strip()!r}")
    return q


# --- highlighting -------------------------------------------------------------


def _highlight_terms(
    q: Query, searcher: Searcher
) -> tuple[set[str], set[tuple[str, ...]]]:
    """The words and phrases of *q* to highlight (negated parts excluded)."""
    words: set[str] = set()
    phrases: set[tuple[str, ...]] = set()

    def walk(node: Query) -> None:
        if isinstance(node, Not):
            return
        if isinstance(node, Phrase):
            if node.fieldname in HIGHLIGHT_FIELDS:
                phrases.add(tuple(node.words))
            return
        if isinstance(node, Term):
            if node.fieldname in HIGHLIGHT_FIELDS and isinstance(node.text, str):
                words.add(node.text)
            return
        if isinstance(node, MultiTerm):
            if getattr(node, "fieldname", None) in HIGHLIGHT_FIELDS:
                try:
                    for _, term in node.expanded_terms(searcher.reader()):
                        words.add(term.decode("utf-8", "replace") if isinstance(term, bytes) else str(term))
                except Exception:  # expansion is best effort
                    pass
            return
        for child in node.children():
            walk(child)

    walk(q)
    return words, phrases


def find_spans(
    tokens: list[Token], words: Iterable[str], phrases: Iterable[tuple[str, ...]]
) -> list[Span]:
    """Character spans of *words* and consecutive-word *phrases* in *tokens*.

    Overlapping or touching matches are merged; the result is sorted.
    """
    wordset = set(words)
    raw: list[Span] = [(t.start, t.end) for t in tokens if t.norm in wordset]
    norms = [t.norm for t in tokens]
    for phrase in phrases:
        n = len(phrase)
        for i in _occurrences(norms, phrase):
            raw.append((tokens[i].start, tokens[i + n - 1].end))
    raw.sort()
    merged: list[Span] = []
    for start, end in raw:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _occurrences(items: list[str], pattern: tuple[str, ...]) -> Iterator[int]:
    """Where *pattern* starts in *items* (overlapping matches too), in one pass (Knuth–Morris–Pratt).

    Linear in ``len(items) + len(pattern)``, whatever repeats: a phrase of
    one frequent word ("the the the …") in a long article cannot go quadratic.
    """
    m = len(pattern)
    if not m:
        return
    fail = [0] * m  # longest proper prefix of pattern[:k+1] that is also its suffix
    k = 0
    for q in range(1, m):
        while k and pattern[q] != pattern[k]:
            k = fail[k - 1]
        if pattern[q] == pattern[k]:
            k += 1
        fail[q] = k
    k = 0
    first = pattern[0]
    for i, item in enumerate(items):
        if not k and item != first:
            continue  # (the common case, kept cheap)
        while k and item != pattern[k]:
            k = fail[k - 1]
        if item == pattern[k]:
            k += 1
            if k == m:
                yield i - m + 1
                k = fail[k - 1]


def make_snippet(text: str, tokens: list[Token], spans: list[Span]) -> str:
    """A plain excerpt of about :data:`SNIPPET_WORDS` words around the best match.

    The best match is the window holding the most spans (earliest on ties);
    whitespace is collapsed and ``…`` marks where the text was cut. Linear in
    the number of spans (plus a binary search each): the window slides over
    them with two pointers, so a frequent word in a very long article costs
    no more than reading it.
    """
    if not tokens:
        return _SPACE_RE.sub(" ", text).strip()
    first = _best_window(tokens, spans) if spans else 0
    last = min(len(tokens), first + SNIPPET_WORDS)
    first = max(0, min(first, last - SNIPPET_WORDS))
    body = _SPACE_RE.sub(" ", text[tokens[first].start : tokens[last - 1].end]).strip()
    # keep closing punctuation right after the last word (e.g. '.' or '”')
    tail = text[tokens[last - 1].end : tokens[last - 1].end + 1]
    if tail and not tail.isspace() and not tail.isalnum():
        body += tail
    return ("…" if first > 0 else "") + body + ("…" if last < len(tokens) else "")


def _best_window(tokens: list[Token], spans: list[Span]) -> int:
    """The first token of the :data:`SNIPPET_WORDS`-token window, starting
    :data:`_LEAD_WORDS` before a span, that holds the most spans (earliest on ties).

    *spans* are sorted, so their tokens are too, and each window's bounds only
    move forward: two pointers count the spans inside, in one pass.
    """
    starts = [t.start for t in tokens]
    at = [bisect.bisect_right(starts, s) - 1 for s, _ in spans]
    best, best_count = 0, -1
    lo_ptr = hi_ptr = 0
    n = len(at)
    for i in at:
        lo = max(0, i - _LEAD_WORDS)
        hi = lo + SNIPPET_WORDS
        while lo_ptr < n and at[lo_ptr] < lo:
            lo_ptr += 1
        hi_ptr = max(hi_ptr, lo_ptr)
        while hi_ptr < n and at[hi_ptr] < hi:
            hi_ptr += 1
        if hi_ptr - lo_ptr > best_count:
            best, best_count = lo, hi_ptr - lo_ptr
    return best


# --- searching ----------------------------------------------------------------


def run_search(
    searcher: Searcher,
    text: str,
    *,
    limit: int = 20,
    articles: Mapping[str, Article] | None = None,
) -> SearchResult:
    """Search *searcher* for the query *text*.

    Snippets and spans come from ``articles[id].text`` when given; without the
    article, a hit's snippet is its stored title (or empty) and has no spans.
    """
    q = parse_query(text, searcher.schema)
    fast = q.accept(_with_pairs(searcher.schema))
    try:
        if _has_phrase(fast):
            # A phrase's matcher checks positions once per candidate: one pass
            # that scores every match gives the exact total too (a top-N pass
            # plus a counting pass would check them twice).
            results = searcher.search(fast, limit=None)
            total = len(results)
        else:
            # Words: top-N scoring skips the blocks of postings that cannot
            # reach the top; the exact total comes from a second pass that
            # only lists the matching documents, unscored. (Whoosh's own count
            # after a top-N search is not exact when it skipped blocks.)
            results = searcher.search(fast, limit=max(1, limit))
            total = len(list(searcher.docs_for_query(fast)))  # type: ignore[no-untyped-call]
        found = [
            (r["id"], float(r.score or 0.0), r.get("title") or "")
            for r in results[: max(0, limit)]
        ]
    except Exception as exc:
        raise IndexReadError(f"cannot run query {text.strip()!r}: {exc}", exc) from exc
    words, phrases = _highlight_terms(q, searcher)
    hits: list[Hit] = []
    for doc_id, score, title in found:
        article = articles.get(doc_id) if articles is not None else None
        if article is None:
            hits.append(Hit(doc_id, score, title, []))
            continue
        tokens = tokenize(article.text)
        spans = find_spans(tokens, words, phrases)
        hits.append(Hit(doc_id, score, make_snippet(article.text, tokens, spans), spans))
    return SearchResult(text, total, hits)
