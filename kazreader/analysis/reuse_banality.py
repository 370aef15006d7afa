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
frequencies come from the fingerprints of the current corpus).

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
from collections.abc import Collection
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
    "gram_hashes",
    "is_banal",
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
    return {
        int.from_bytes(blake2b(" ".join(g).encode(), digest_size=8).digest(), "little", signed=True)
        for g, c in zip(grams, counts)
        if c >= FINGERPRINT_MIN_CONTENT
    }


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
    shared = gram_hashes(a_span) & gram_hashes(b_span)
    stock = sum(1 for h in shared if h in banal)
    return stock > 0 and stock >= len(shared) - stock

