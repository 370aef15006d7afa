"""Passage fingerprints and the banality filter: which shared n-grams are not reuse.

Real news repeats stock phrases across hundreds of articles of every outlet
and topic: "did not immediately respond to a request for comment", "Media
playback is unsupported on your device", "The Associated Press contributed to
this report", one site's list of related headlines under every article,
"Senate Majority Leader Mitch McConnell". Two articles sharing such a phrase
have not copied each other. As TextPAIR's banality filter does, the corpus
itself says which n-grams are stock: those carried by a large share of its
articles (:func:`banal_threshold`). They make no candidate pairs, and a
passage made mostly of them forms no cluster (:func:`is_banal`). No list of
phrases is kept by hand: the same rule finds the boilerplate of any outlet,
in any corpus, and adapts as articles are added or removed (the document
frequencies come from the fingerprints of the current corpus). A text many
outlets reprint is carried as widely, but by nearly the same articles, of
many sites, over tens of n-grams: :mod:`kazreader.analysis.reprints` gives
its n-grams back to the clusters.

A *fingerprint* is a stable 64-bit hash (blake2b, never Python's per-process
``hash()``) of a word :data:`FINGERPRINT_N`-gram with at least
:data:`FINGERPRINT_MIN_CONTENT` content words; an article's fingerprints are
a sorted array of distinct hashes, cached per article digest.
"""

from __future__ import annotations

import base64
import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Sequence
from hashlib import blake2b
from math import ceil

from kazreader.analysis.passages import COMMON_WORDS
from kazreader.text import fold_chars

__all__ = [
    "BANAL_MIN_DOCS",
    "BANAL_SHARE",
    "FINGERPRINT_MIN_CONTENT",
    "FINGERPRINT_N",
    "banal_threshold",
    "decode_fingerprints",
    "encode_fingerprints",
    "fingerprints",
    "SpanGrams",
    "gram_hash",
    "gram_hashes",
    "is_banal",
    "mostly_banal",
]

#: N-gram length of a fingerprint. Five words are rare enough that chance
#: collisions between unrelated articles are negligible; a passage of
#: :data:`~kazreader.analysis.passages.MIN_WORDS` (9) identical words holds five.
FINGERPRINT_N = 5
#: Content words (not in :data:`~kazreader.analysis.passages.COMMON_WORDS`)
#: an n-gram needs to be a fingerprint ("in the west of the" is not one).
FINGERPRINT_MIN_CONTENT = 2
#: An n-gram carried by at least this share of the corpus' articles is banal.
#: Measured on 2,500 and 10,000 real articles (Article-Bias-Prediction: many
#: outlets, topics and years): site furniture and stock phrases sit above it
#: ("media playback is unsupported on your device": 2.3% of the articles,
#: "the associated press contributed to": 2.9%, a site's related-headlines
#: list: 1.2%, "did not immediately respond to": 0.7%); of 10,000 articles,
#: the n-grams that just reach it (50 to 70 articles) are all titles with
#: names ("senate minority leader mitch mcconnell"), credits, privacy notices
#: ("protected by recaptcha and the google privacy policy") and stock
#: wording ("in the 2016 presidential election", "i don t think we").
BANAL_SHARE = 0.005
#: ... but never by fewer than this many articles. In a small corpus (a story
#: folder, a week of one event) a share means too few articles: a statement
#: quoted by twenty outlets is the reuse the reader is for, not a stock phrase.
BANAL_MIN_DOCS = 25

_WORD_RE = re.compile(r"\w+")
_LITTLE = sys.byteorder == "little"


def banal_threshold(n_articles: int) -> int:
    """Document frequency from which an n-gram is banal in a corpus of *n_articles*."""
    return max(BANAL_MIN_DOCS, ceil(BANAL_SHARE * n_articles))


def gram_hash(words: Sequence[str]) -> int:
    """One n-gram's fingerprint (its words joined by spaces, hashed)."""
    return int.from_bytes(blake2b(" ".join(words).encode(), digest_size=8).digest(), "little", signed=True)


def gram_hashes(text: str) -> set[int]:
    """The fingerprints of *text* (see the module docstring), as a set.

    Words are split with a plain ``\\w+`` on folded, lower-cased text: several
    times faster than :func:`kazreader.text.tokenize` and applied alike to
    every article (the fingerprints only propose; the alignment decides).
    """
    norms = _WORD_RE.findall(fold_chars(text).lower())
    content = [n not in COMMON_WORDS for n in norms]
    grams = zip(*(norms[k:] for k in range(FINGERPRINT_N)))
    counts = map(sum, zip(*(content[k:] for k in range(FINGERPRINT_N))))
    return {gram_hash(g) for g, c in zip(grams, counts) if c >= FINGERPRINT_MIN_CONTENT}


class SpanGrams:
    """:func:`gram_hashes` of spans of some texts, each text's n-grams hashed once (not once per span).

    For a span that begins and ends on word boundaries of its text's folded,
    lower-cased form (see :func:`kazreader.analysis.banal_links.whole_words`),
    the words of the span are the text's words inside it, so its n-grams are
    the text's n-grams inside it: :meth:`of` returns exactly
    ``gram_hashes(text[start:end])``. The last *keep* texts' n-grams are kept
    (a text is hashed whole for a span of half of it or more, or once kept).
    """

    def __init__(self, texts: Sequence[str], keep: int = 256) -> None:
        self.texts = texts
        self.keep = keep
        self._memo: dict[int, tuple[list[int], list[int], list[int | None], list[int] | None]] = {}

    def of(self, doc: int, start: int, end: int) -> set[int]:
        """``gram_hashes(texts[doc][start:end])`` for a span on word boundaries (its own text hashed
        when it is under half of a text not kept: hashing the whole text would cost more)."""
        text = self.texts[doc]
        if doc not in self._memo and 2 * (end - start) < len(text):
            return gram_hashes(text[start:end])
        starts, ends, hashes, cum = self._grams(doc)
        if cum is not None:
            start, end = cum[start], cum[end]
        i = bisect_left(starts, start)
        j = bisect_right(ends, end)  # the words [i, j) lie inside the span
        out = set(hashes[i : max(i, j - FINGERPRINT_N + 1)])
        out.discard(None)
        return out  # type: ignore[return-value]

    def _grams(self, doc: int) -> tuple[list[int], list[int], list[int | None], list[int] | None]:
        memo = self._memo
        got = memo.pop(doc, None)
        if got is None:
            got = _positional_grams(self.texts[doc])
            if len(memo) >= self.keep:
                del memo[next(iter(memo))]
        memo[doc] = got  # (last used last)
        return got


def _positional_grams(text: str) -> tuple[list[int], list[int], list[int | None], list[int] | None]:
    """Each word's start and end in the folded, lower-cased text, the fingerprint of the n-gram each word
    begins (``None``: too few content words, or too near the end), and the offsets of that form when its
    length differs from the text's (a character whose lower case is longer), else ``None``."""
    low = fold_chars(text).lower()
    cum: list[int] | None = None
    if len(low) != len(text):
        cum = [0]
        for ch in text:
            cum.append(cum[-1] + len(fold_chars(ch).lower()))
    matches = list(_WORD_RE.finditer(low))
    norms = [m.group() for m in matches]
    content = [n not in COMMON_WORDS for n in norms]
    counts = map(sum, zip(*(content[k:] for k in range(FINGERPRINT_N))))
    grams = zip(*(norms[k:] for k in range(FINGERPRINT_N)))
    hashes: list[int | None] = [gram_hash(g) if c >= FINGERPRINT_MIN_CONTENT else None for g, c in zip(grams, counts)]
    return [m.start() for m in matches], [m.end() for m in matches], hashes, cum


def fingerprints(text: str) -> array[int]:
    """The fingerprints of *text*, sorted, in a signed 64-bit array."""
    return array("q", sorted(gram_hashes(text)))


def encode_fingerprints(fps: array[int]) -> str:
    """A JSON-able form of :func:`fingerprints` (little-endian bytes, base64)."""
    if not _LITTLE:
        fps = array("q", fps)
        fps.byteswap()
    return base64.b64encode(fps.tobytes()).decode("ascii")


def decode_fingerprints(raw: str) -> array[int]:
    """The array :func:`encode_fingerprints` encoded."""
    fps = array("q")
    fps.frombytes(base64.b64decode(raw))
    if not _LITTLE:
        fps.byteswap()
    return fps


def is_banal(a_span: str, b_span: str, banal: Collection[int]) -> bool:
    """Whether two aligned spans share mostly banal n-grams (so they form no cluster).

    The n-grams both spans carry are counted: when at least as many are
    banal as are not, the passage is a stock phrase or boilerplate with a few
    words around it. Spans that share no fingerprint at all (heavily edited
    passages) are never banal.
    """
    if not banal:
        return False
    return mostly_banal(gram_hashes(a_span), gram_hashes(b_span), banal)


def mostly_banal(a_grams: set[int], b_grams: set[int], banal: Collection[int]) -> bool:
    """:func:`is_banal` of two spans given their :func:`gram_hashes`."""
    shared = a_grams & b_grams
    stock = sum(1 for h in shared if h in banal)
    return stock > 0 and stock >= len(shared) - stock

