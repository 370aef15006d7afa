"""Whoosh analyzers built on :func:`kazreader.text.tokenize`.

The index and every analysis must agree on what a word is, so the tokenizers
here do not use Whoosh's own regexes: they call :func:`kazreader.text.tokenize`
(typography folded, case folded, hyphens and dashes split words, punctuation
dropped) and add nothing else. In particular **no stop words are removed**, so
a phrase such as ``"to be or not to be"`` is matched word for word.

Two analyzers are provided:

* :func:`word_analyzer` — one term per word, with positions and character
  offsets into the original text (the character offsets are those of
  :class:`kazreader.text.Token`, i.e. offsets into ``Article.text``);
* :func:`pair_analyzer` — one term per pair of adjacent *pair words*
  ("common grams": :data:`COMMON_WORDS` plus the corpus' own frequent words,
  see :func:`frequent_words`), used by the search layer to turn a phrase of
  frequent words into an intersection of much rarer pair terms before the
  positions are checked.

* :func:`forms_analyzer` — the words of :func:`word_analyzer` through the
  Snowball English stemmer (Whoosh's, the one its ``StemmingAnalyzer`` uses),
  *indexing only the words the stemmer changes* ("terrorists" as
  "terrorist", at its position; "terrorist" itself is left to the exact
  field, where it already is its own stem). A word's forms are then its stem
  in the exact field or in the forms field (:func:`stem`): half the postings
  of a full stemmed copy. At query time (``mode="query"``) every word is stemmed.

All accept ``line_gap``: when positive, a newline in the value starts a new
*value* (e.g. one quotation per line) and positions jump by ``line_gap``, so a
phrase never matches across two values and no pair spans them.
"""

from __future__ import annotations

import math
import pickle
import zlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import add, and_, is_not, mul, ne, not_, sub
from typing import Any

from whoosh.analysis.acore import Token as WhooshToken
from whoosh.analysis.tokenizers import Tokenizer
from whoosh.lang.snowball.english import EnglishStemmer
from whoosh.system import pack_uint

from kazreader.index.whooshfix.encoding import count_values, encode_count, encode_positions, single_values
from kazreader.positions import group_positions
from kazreader.text import Token, fold, token_columns, tokenize, word_norms

__all__ = [
    "COMMON_WORDS",
    "FREQUENT_DF",
    "FREQUENT_SAMPLE",
    "MAX_FREQUENT",
    "PAIR_BUCKETS",
    "PAIR_SEPARATOR",
    "PairTokenizer",
    "WordTokenizer",
    "FormsTokenizer",
    "encode_count",
    "encode_positions",
    "term_columns",
    "forms_analyzer",
    "frequent_words",
    "pair_analyzer",
    "pair_term",
    "stem",
    "stems",
    "value_tokens",
    "word_analyzer",
    "word_pairs",
]

#: ``(terms, frequencies, values)``: one document's postings of one field, by column.
Columns = tuple[list[str], list[int], list[bytes]]


#: Joins the two words of a pair term (a space never occurs inside a word).
PAIR_SEPARATOR = " "


def value_tokens(text: str, line_gap: int = 0) -> Iterator[tuple[int, Token]]:
    """Yield ``(position, token)`` for the words of *text*.

    Positions count words from 0; with ``line_gap > 0`` each newline-separated
    line starts ``line_gap`` positions after the previous line's last word.
    """
    if line_gap <= 0:
        yield from enumerate(tokenize(text))
        return
    pos = 0
    offset = 0
    for line in text.split("\n"):
        for tok in tokenize(line):
            yield pos, Token(tok.norm, tok.start + offset, tok.end + offset)
            pos += 1
        offset += len(line) + 1
        pos += line_gap


#: Frequent English function words. A phrase made only of such words has
#: enormous posting lists, so pairs of them ("common grams") are indexed as
#: single terms; pairs with a rarer word are not (the rare word's own short
#: posting list already makes the phrase fast, and indexing every pair would
#: triple the build time).
COMMON_WORDS: frozenset[str] = frozenset(
    """
    a about after against all also an and any are as at be because been before
    being between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in
    into is it it's its just me more most my no nor not now of off on once only
    or other our out over own same she should so some such than that that's the
    their them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would
    you your said says say one two new last first year years people
    """.split()
)


#: Pair terms are hashed into this many buckets. Whoosh pays a lot per
#: distinct term (a posting block, a dictionary entry): hashing caps the number
#: of pair terms, while the buckets stay rare enough to filter (a collision
#: only adds a candidate; positions decide).
PAIR_BUCKETS = 1 << 16


def pair_term(a: str, b: str) -> str:
    """The indexed term of the adjacent words *a* *b* (a bucket number, in hex)."""
    key = a + PAIR_SEPARATOR + b
    term = _PAIR_TERMS.get(key)
    if term is None:
        term = format(zlib.crc32(key.encode("utf-8")) % PAIR_BUCKETS, "x")
        if len(_PAIR_TERMS) < _PAIR_TERMS_MAX:
            _PAIR_TERMS[key] = term
    return term


#: Pair terms already hashed (pairs of frequent words recur in every article).
_PAIR_TERMS: dict[str, str] = {}
_PAIR_TERMS_MAX = 1 << 19


def word_pairs(words: list[str], pair_words: frozenset[str] = COMMON_WORDS) -> list[str]:
    """The indexed pair terms among consecutive *words*.

    Only pairs of two *pair_words* are indexed: with the default
    :data:`COMMON_WORDS`, the terms of "to be" and "be or" for ``to be or``,
    nothing for ``largest city``.
    """
    return [
        pair_term(a, b)
        for a, b in zip(words, words[1:])
        if a in pair_words and b in pair_words
    ]


#: A word is a pair word of a corpus when at least this fraction of its
#: articles contain it (see :func:`frequent_words`).
FREQUENT_DF = 0.08
#: :func:`frequent_words` counts on at most this many texts.
FREQUENT_SAMPLE = 2000
#: At most this many corpus-frequent words are added to :data:`COMMON_WORDS`.
MAX_FREQUENT = 1000


def frequent_words(
    texts: Sequence[str],
    *,
    min_df: float = FREQUENT_DF,
    limit: int = MAX_FREQUENT,
    sample: int = FREQUENT_SAMPLE,
) -> frozenset[str]:
    """:data:`COMMON_WORDS` plus the words in at least *min_df* of *texts*.

    The pair words of an index: a phrase made only of them would otherwise
    intersect posting lists as long as the corpus, while a phrase with any
    other word has a short list to start from. Chosen once per index from the
    first large batch of articles, so they fit the corpus' own vocabulary
    ("kazakhstan" in a corpus about Kazakhstan) on any event.

    Document frequencies are counted on at most *sample* texts, evenly
    spaced: a word's share of 2,000 articles is within about a percentage
    point of its share of them all, at a tenth of the cost for 20,000.
    """
    if len(texts) > sample > 0:
        texts = [texts[len(texts) * k // sample] for k in range(sample)]
    df: Counter[str] = Counter()
    n = 0
    for text in texts:
        df.update(set(word_norms(text)))
        n += 1
    if not n:
        return COMMON_WORDS
    need = max(2, math.ceil(min_df * n))
    frequent = [w for w, c in df.most_common(limit) if c >= need]
    return COMMON_WORDS | frozenset(frequent)


#: The last text :func:`_value_norms` split, and its words. A document's body is
#: indexed twice (words, then word pairs): the second field reuses the split.
_LAST_NORMS: tuple[str | None, list[str]] = (None, [])


def _value_norms(value: str) -> list[str]:
    """:func:`~kazreader.text.word_norms` of *value*, reusing the last result for the same text.

    (The same string object: a string is immutable, and the memo keeps it alive,
    so its identity cannot be reused by another text.)
    """
    global _LAST_NORMS
    last = _LAST_NORMS
    if last[0] is value:
        return last[1]
    norms = word_norms(value)
    _LAST_NORMS = (value, norms)
    return norms


#: The last multi-line value :func:`_line_words` split, its gap, and its words and positions.
_LAST_LINES: tuple[str | None, int, list[str], list[int]] = (None, 0, [], [])


def _line_words(value: str, line_gap: int) -> tuple[list[str], list[int]]:
    """The words of *value* and their positions as :func:`value_tokens` numbers
    them (each line starts *line_gap* positions after the previous line's last
    word), from one pass over the whole value instead of one per line (an
    entity field has a line per name); the last result is reused for the same
    value (a quote field and its forms twin).

    A word never spans a newline and typography folds one character for one,
    so the words are those of the lines, in order.
    """
    global _LAST_LINES
    last = _LAST_LINES
    if last[0] is value and last[1] == line_gap:
        return last[2], last[3]
    norms, starts, _ends = token_columns(value)
    words = list(norms)
    breaks = list(accumulate(map(len, value.split("\n")[:-1]), lambda total, n: total + n + 1, initial=0))[1:]
    if breaks:
        lines = map(bisect_right, repeat(breaks), starts)
        positions = list(map(add, count(), map(mul, lines, repeat(line_gap))))
    else:
        positions = list(range(len(words)))
    _LAST_LINES = (value, line_gap, words, positions)
    return words, positions


class _KazTokenizer(Tokenizer):
    """Shared plumbing: fill Whoosh tokens from :func:`value_tokens`."""

    def __init__(self, line_gap: int = 0) -> None:
        self.line_gap = line_gap

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _KazTokenizer) and type(self) is type(other) and self.line_gap == other.line_gap

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.line_gap))

    def _terms(self, value: str) -> Iterator[tuple[str, int, int, int]]:
        raise NotImplementedError

    def present_terms(self, value: str) -> list[bytes]:
        """The distinct terms of *value*, UTF-8 (a presence field's postings)."""
        return [t.encode() for t in dict.fromkeys(text for text, _pos, _start, _end in self._terms(value))]

    def _query_terms(self, value: str) -> Iterator[tuple[str, int, int, int]]:
        """The terms of *value* in a query (default: as indexed)."""
        return self._terms(value)

    def term_columns(self, value: str, positional: bool = True) -> Columns:
        """The postings of *value* as columns: ``(terms, frequencies, values)``,
        the values those of Whoosh's ``Positions`` format if *positional*,
        else of ``Frequency`` (see :func:`term_columns`): what indexing needs,
        without one Whoosh token per word (the fast path of
        :class:`~kazreader.index.schema.KazText`)."""
        found = [(text, pos) for text, pos, _start, _end in self._terms(value)]
        return term_columns([t for t, _ in found], [p for _, p in found], positional=positional)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[WhooshToken]:
        t = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = self._query_terms(value) if mode == "query" else self._terms(value)
        if not tokenize:
            # Used by the query parser for wildcard/fuzzy texts: fold the text
            # the way words are folded, but keep it as one term.
            t.original = value  # type: ignore[attr-defined]  # (Whoosh sets it dynamically)
            t.text = fold(value)
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for text, pos, start, end in terms:
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[start:end]  # type: ignore[attr-defined]
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


class WordTokenizer(_KazTokenizer):
    """One token per word of :func:`kazreader.text.tokenize`."""

    def _terms(self, value: str) -> Iterator[tuple[str, int, int, int]]:
        for pos, tok in value_tokens(value, self.line_gap):
            yield tok.norm, pos, tok.start, tok.end

    def term_columns(self, value: str, positional: bool = True) -> Columns:
        if self.line_gap <= 0:
            return term_columns(_value_norms(value), positional=positional)
        words, positions = _line_words(value, self.line_gap)
        return term_columns(words, positions, positional=positional)


class _Stems(dict[str, str]):
    """word → its stem, filled on first use (most words of a corpus repeat: a
    dictionary lookup instead of the stemmer's few microseconds per word)."""

    #: Forget everything past this many words (a bound on memory, not a tuning knob).
    LIMIT = 1 << 20

    def __init__(self) -> None:
        super().__init__()
        self._stem = EnglishStemmer().stem

    def __missing__(self, word: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        value: str = self._stem(word)  # type: ignore[no-untyped-call]  # (Whoosh: unannotated)
        self[word] = value
        return value


_STEMS = _Stems()


def stem(word: str) -> str:
    """The Snowball English stem of the folded *word* ("terrorists" → "terrorist",
    "elected" → "elect"), the term of a *forms* field."""
    return _STEMS[word]


def stems(words: Iterable[str]) -> list[str]:
    """:func:`stem` of each of *words* (one C-level map over the memo: the search
    layer stems every word of each hit's article to highlight word forms)."""
    return list(map(_STEMS.__getitem__, words))


class FormsTokenizer(WordTokenizer):
    """The stem (:func:`stem`) of each word of :func:`kazreader.text.tokenize` that the
    stemmer changes, at the word's position; in a query, the stem of every word."""

    def _query_terms(self, value: str) -> Iterator[tuple[str, int, int, int]]:
        stems = _STEMS
        for text, pos, start, end in super()._terms(value):
            yield stems[text], pos, start, end

    def _terms(self, value: str) -> Iterator[tuple[str, int, int, int]]:
        stems = _STEMS
        for text, pos, start, end in super()._terms(value):
            if stems[text] != text:
                yield stems[text], pos, start, end

    def term_columns(self, value: str, positional: bool = True) -> Columns:
        if self.line_gap > 0:
            norms, at = _line_words(value, self.line_gap)
        else:
            norms, at = _value_norms(value), None
        stems = list(map(_STEMS.__getitem__, norms))
        changed = list(map(ne, stems, norms))
        positions = compress(count() if at is None else at, changed) if positional else None
        return term_columns(list(compress(stems, changed)), positions, positional=positional)


class PairTokenizer(_KazTokenizer):
    """One token per pair of adjacent *pair words* (never across a ``line_gap``)."""

    def __init__(self, line_gap: int = 0, pair_words: frozenset[str] = COMMON_WORDS) -> None:
        super().__init__(line_gap)
        self.pair_words = frozenset(pair_words)
        #: pair word → its number (an int pair key hashes and compares faster than a string)
        self._words = sorted(self.pair_words)
        self._numbers = {w: i for i, w in enumerate(self._words)}
        self._width = len(self._words)
        #: pair key (``number(a) * width + number(b)``) → the pair's indexed term, UTF-8
        self._pair_keys: dict[int, bytes] = {}

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.pair_words == other.pair_words  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.line_gap, len(self.pair_words)))

    def _terms(self, value: str) -> Iterator[tuple[str, int, int, int]]:
        prev: tuple[int, Token] | None = None
        for pos, tok in value_tokens(value, self.line_gap):
            if (
                prev is not None
                and prev[0] == pos - 1
                and prev[1].norm in self.pair_words
                and tok.norm in self.pair_words
            ):
                yield pair_term(prev[1].norm, tok.norm), prev[0], prev[1].start, tok.end
            prev = (pos, tok)

    def term_columns(self, value: str, positional: bool = True) -> Columns:
        if self.line_gap > 0:
            return super().term_columns(value, positional)
        norms = _value_norms(value)
        common = self.pair_words
        marks = list(map(common.__contains__, norms))
        pairs = list(map(and_, marks, islice(marks, 1, None)))  # pair i: words i and i + 1
        keys = list(map(PAIR_SEPARATOR.join, compress(zip(norms, islice(norms, 1, None)), pairs)))
        found = list(map(_PAIR_TERMS.get, keys))
        if None in found:  # not hashed yet
            for i in list(compress(count(), map(not_, found))):
                found[i] = pair_term(*keys[i].split(PAIR_SEPARATOR))
        terms: list[str] = found  # type: ignore[assignment]  # (every None replaced just above)
        positions = compress(count(), pairs) if positional else None
        return term_columns(terms, positions, positional=positional)

    def present_terms(self, value: str) -> list[bytes]:
        """The distinct pair terms of *value* (UTF-8), what a presence field needs:
        the terms of :meth:`term_columns`, computed from word numbers
        instead of joined strings."""
        if self.line_gap > 0:
            return super().present_terms(value)
        numbers = list(map(self._numbers.get, _value_norms(value)))
        marks = list(map(is_not, numbers, repeat(None)))
        pairs = list(map(and_, marks, islice(marks, 1, None)))  # pair i: words i and i + 1
        firsts = compress(numbers, pairs)
        keys = list(dict.fromkeys(map(add, map(mul, firsts, repeat(self._width)),
                                      compress(islice(numbers, 1, None), pairs))))
        known = self._pair_keys
        found = list(map(known.get, keys))
        if None in found:  # not hashed yet
            for i in list(compress(count(), map(not_, found))):
                a, b = divmod(keys[i], self._width)
                term = found[i] = pair_term(self._words[a], self._words[b]).encode()
                if len(known) < _PAIR_TERMS_MAX:
                    known[keys[i]] = term
        return list(dict.fromkeys(found))  # type: ignore[arg-type]  # (every None replaced just above)


def term_columns(
    terms: Sequence[str], positions: Iterable[int] | None = None, *, positional: bool = True
) -> Columns:
    """The postings of a document whose words (or pair terms) are *terms*, by column.

    ``(distinct terms, how often each occurs, posting values)``: the values are
    Whoosh's ``Positions`` values (:func:`encode_positions`) if *positional*,
    else its ``Frequency`` values (:func:`encode_count`). *positions* are the
    positions of *terms* (default: 0, 1, 2 …; increasing).

    Equal to grouping ``{term: [position, ...]}`` and encoding each, but
    built with C-level ``map`` calls: most words of an article occur once, and
    only the repeated ones get a list of positions (about 5× faster on
    articles, the index's hot path).
    """
    if not positional:
        counts = Counter(terms)
        freqs = list(counts.values())
        return list(counts), freqs, count_values(freqs)
    first, repeated = group_positions(terms, positions)
    distinct = list(first)
    firsts = list(first.values())
    singles = single_values(max(firsts) + 1) if firsts else None
    if singles is not None:
        values = list(map(singles.__getitem__, firsts))
    else:
        values = [encode_positions([p]) for p in firsts]
    freqs = [1] * len(distinct)
    if repeated:
        index = dict(zip(distinct, count()))
        found = list(repeated.values())
        lengths = list(map(len, found))
        # (encode_positions of each, in C-level maps: a repeated term has no single-position value to share)
        encoded = list(map(add, map(pack_uint, lengths), map(pickle.dumps, map(_deltas, found), repeat(2))))
        for i, n, value in zip(map(index.__getitem__, repeated), lengths, encoded):
            freqs[i] = n
            values[i] = value
    return distinct, freqs, values


def _deltas(positions: list[int]) -> list[int]:
    """The gaps between sorted *positions*, the first from 0 (Whoosh's ``Positions`` encoding)."""
    return list(map(sub, positions, chain((0,), positions)))


def word_analyzer(line_gap: int = 0) -> WordTokenizer:
    """The analyzer of every text field: kazreader words, no stop words."""
    return WordTokenizer(line_gap)


def forms_analyzer(line_gap: int = 0) -> FormsTokenizer:
    """The analyzer of the hidden *forms* fields: kazreader words, stemmed."""
    return FormsTokenizer(line_gap)


def pair_analyzer(line_gap: int = 0, pair_words: frozenset[str] = COMMON_WORDS) -> PairTokenizer:
    """The analyzer of the hidden word-pair field used to speed up phrases."""
    return PairTokenizer(line_gap, pair_words)
