"""A seeded generator of news-like corpora with planted shared passages.

:func:`generate_corpus` writes articles of pseudo-English (real function
words and newswire stock phrases, a Zipf-distributed vocabulary of invented
content words, recurring multi-word names of the "event") and plants source
passages into several articles each, in one of these forms:

* ``verbatim``: copied as is;
* ``typography``: straight quotes made curly, apostrophes typographic,
  hyphens turned into dashes, a word's case changed, a space made a line break;
* ``edited``: one to three words inserted, dropped or replaced;
* ``elided``: three to six words cut and replaced by "…";
* ``reordered``: a four-word list inside the passage reversed.

Copies land at random places, so two articles sharing two passages often carry
them in different orders (transposition). The first copy of each passage is
the ``origin`` (and, when dated, its article has the earliest date). The
returned :class:`PlantedTruth` gives every copy's exact span, so benchmarks can
measure recall and precision. Everything depends only on ``seed``.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from kazreader.corpus.model import Article

__all__ = [
    "KINDS",
    "PlantedCopy",
    "PlantedPassage",
    "PlantedTruth",
    "generate_corpus",
]

#: The forms a non-origin copy can take.
KINDS = ("verbatim", "typography", "edited", "elided", "reordered")

_FUNCTION_WORDS = (
    "the the the the of of of to to and and a a in in is was for on that with "
    "as by at from it its has had have be been were are their which this after "
    "but not or an more than over into about who also they his her would could "
    "said said says told"
).split()
_STOCK_PHRASES = (
    "on Thursday", "on Wednesday", "late on Monday", "the country's largest city",
    "the president said that", "according to officials", "in a statement",
    "earlier this week", "local media reported", "officials said on Friday",
)
_SYLLABLES = (
    "ka ra to mi na sel vor ten dan li po ber sha qu zen lat mor vi ex tar ul "
    "gri fen hol om ster plen dro cas nit vel am bor ris tek lun pha ord"
).split()


@dataclass(frozen=True, slots=True)
class PlantedCopy:
    """One copy of a planted passage: where it is and how it was altered."""

    article: str
    start: int
    end: int
    kind: str  # "origin" or one of KINDS


@dataclass(frozen=True, slots=True)
class PlantedPassage:
    """A source passage and its copies (the first is the origin)."""

    id: str
    words: int
    copies: tuple[PlantedCopy, ...]


@dataclass(frozen=True)
class PlantedTruth:
    """Everything planted into a generated corpus."""

    passages: tuple[PlantedPassage, ...]
    _by_pair: dict[tuple[str, str], list[tuple[PlantedCopy, PlantedCopy]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def pairs(self) -> dict[tuple[str, str], list[tuple[PlantedCopy, PlantedCopy]]]:
        """For each article pair ``(a, b)`` (``a < b``) sharing planted
        passages, the copies each carries: ``[(copy in a, copy in b), ...]``."""
        if not self._by_pair:
            for passage in self.passages:
                for x, y in itertools.combinations(passage.copies, 2):
                    if x.article == y.article:
                        continue
                    if x.article > y.article:
                        x, y = y, x
                    self._by_pair.setdefault((x.article, y.article), []).append((x, y))
        return self._by_pair


class _Writer:
    """Random pseudo-English from one seeded generator."""

    def __init__(self, rng: random.Random, vocab_size: int, n_names: int) -> None:
        self.rng = rng
        words: set[str] = set()
        while len(words) < vocab_size:
            n = rng.choice((2, 2, 3, 3, 4))
            words.add("".join(rng.choice(_SYLLABLES) for _ in range(n)))
        self.vocab = sorted(words)
        rng.shuffle(self.vocab)
        self.cum = list(itertools.accumulate(1.0 / (r + 1) ** 1.05 for r in range(vocab_size)))
        self.names = [
            " ".join(w.capitalize() for w in rng.sample(self.vocab[:2000], rng.choice((1, 2, 3))))
            for _ in range(n_names)
        ]

    def sentence(self) -> list[str]:
        rng = self.rng
        n = rng.randint(8, 26)
        content = rng.choices(self.vocab, cum_weights=self.cum, k=n)
        words = [
            rng.choice(_FUNCTION_WORDS) if rng.random() < 0.42 else content[k]
            for k in range(n)
        ]
        if rng.random() < 0.35:
            words.insert(rng.randrange(len(words)), rng.choice(self.names))
        if rng.random() < 0.35:
            words.insert(rng.randrange(len(words)), rng.choice(_STOCK_PHRASES))
        if rng.random() < 0.3:
            k = rng.randrange(1, len(words))
            words[k - 1] += ","
        words[0] = words[0][0].upper() + words[0][1:]
        return words

    def sentences(self, n_words: int) -> Iterator[str]:
        """Sentences until about *n_words* words are written."""
        written = 0
        while written < n_words:
            words = self.sentence()
            written += len(words)
            yield " ".join(words) + "."

    def passage(self) -> str:
        """A source passage: one or two sentences, often a quotation, with an
        apostrophe and a hyphenated word so typography can vary."""
        rng = self.rng
        sentences = [" ".join(self.sentence()) for _ in range(rng.randint(1, 2))]
        first = sentences[0].split(" ")
        k = rng.randrange(2, len(first) - 2)
        first[k] = f"{first[k]}-{rng.choice(self.vocab[:500])}"
        first[-1] = f"{first[-1]}'s {rng.choice(self.vocab[:500])}"
        sentences[0] = " ".join(first)
        if rng.random() < 0.5:
            quote = " ".join(self.sentence())
            sentences.insert(
                rng.randrange(len(sentences) + 1), f'"{quote}," {rng.choice(self.names)} said'
            )
        return ". ".join(s.replace(",,", ",") for s in sentences) + "."


def _vary(text: str, kind: str, rng: random.Random, writer: _Writer) -> str:
    """A copy of *text* altered as *kind* says."""
    if kind in ("verbatim", "origin"):
        return text
    if kind == "typography":
        out = text.replace("'", "\u2019")
        out = out.replace('"', "\u201c", 1).replace('"', "\u201d", 1)
        out = out.replace("-", "\u2013")
        words = out.split(" ")
        k = rng.randrange(len(words))
        words[k] = words[k].upper() if rng.random() < 0.5 else words[k].lower()
        k = rng.randrange(1, len(words))
        return " ".join(words[:k]) + "\n" + " ".join(words[k:])
    words = text.split(" ")
    n = len(words)
    if kind == "edited":
        positions = sorted(rng.sample(range(3, n - 3), min(rng.randint(1, 3), max(1, (n - 6) // 6))))
        for k in reversed(positions):
            what = rng.choice(("insert", "delete", "replace"))
            if what == "insert":
                words.insert(k, rng.choice(("reportedly", "on Thursday", "also", writer.vocab[rng.randrange(50, 3000)])))
            elif what == "delete":
                del words[k]
            else:
                words[k] = writer.vocab[rng.randrange(50, 3000)]
        return " ".join(words)
    if kind == "elided":
        k = rng.randrange(3, max(4, n - 10))
        cut = rng.randint(3, 6)
        return " ".join(words[:k] + ["\u2026"] + words[k + cut :])
    if kind == "reordered":
        k = rng.randrange(3, max(4, n - 7))
        return " ".join(words[:k] + words[k : k + 4][::-1] + words[k + 4 :])
    raise ValueError(f"unknown kind {kind!r}")


def generate_corpus(
    n_articles: int,
    *,
    seed: int,
    words_per_article: int = 600,
    passages_per_article: float = 1.0,
    copies: tuple[int, int] = (2, 4),
    kinds: tuple[str, ...] = KINDS,
    vocab_size: int = 20_000,
    dated: float = 0.9,
) -> tuple[list[Article], PlantedTruth]:
    """Generate *n_articles* articles and the truth about their shared passages.

    Each article is about *words_per_article* words long. About
    *passages_per_article* planted copies land in each article on average;
    each passage has between ``copies[0]`` and ``copies[1]`` copies (the
    first verbatim, the others in a form drawn from *kinds*). A fraction
    *dated* of the articles gets a date. Same arguments, same corpus.
    """
    rng = random.Random(seed)
    writer = _Writer(rng, vocab_size, n_names=60)
    ids = [f"gen{k:06d}" for k in range(n_articles)]
    slots: list[list[tuple[str, str, int]]] = [[] for _ in range(n_articles)]  # (text, kind, passage)
    mean_copies = (copies[0] + copies[1]) / 2
    n_passages = int(n_articles * passages_per_article / mean_copies) if n_articles >= copies[0] else 0
    sources = []
    for p in range(n_passages):
        source = writer.passage()
        sources.append(source)
        carriers = rng.sample(range(n_articles), min(n_articles, rng.randint(*copies)))
        for c, doc in enumerate(carriers):
            kind = "origin" if c == 0 else rng.choice(kinds)
            slots[doc].append((_vary(source, kind, rng, writer), kind, p))
    # Dates: origins are never later than their copies.
    base = date(2024, 1, 1)
    offsets = [rng.randrange(30) for _ in range(n_articles)]
    for doc, planted in enumerate(slots):
        for _, kind, p in planted:
            if kind == "origin":
                offsets[doc] = min(offsets[doc], 0)
    articles: list[Article] = []
    copies_of: list[list[PlantedCopy]] = [[] for _ in range(n_passages)]
    outlets = [f"Outlet {writer.vocab[k].capitalize()}" for k in range(40)]
    for doc in range(n_articles):
        planted = slots[doc]
        rng.shuffle(planted)
        budget = max(50, words_per_article - sum(len(t.split()) for t, _, _ in planted))
        paragraphs: list[list[str]] = []
        current: list[str] = []
        for s in writer.sentences(budget):
            current.append(s)
            if len(current) >= rng.randint(1, 4):
                paragraphs.append(current)
                current = []
        if current:
            paragraphs.append(current)
        # Each planted copy becomes its own paragraph at a random place.
        slots_at = sorted(rng.randrange(len(paragraphs) + 1) for _ in planted)
        pieces: list[tuple[str, tuple[str, int] | None]] = []
        planted_iter = iter(planted)
        for k in range(len(paragraphs) + 1):
            while slots_at and slots_at[0] == k:
                slots_at.pop(0)
                text, kind, p = next(planted_iter)
                pieces.append((text, (kind, p)))
            if k < len(paragraphs):
                pieces.append((" ".join(paragraphs[k]), None))
        body_parts: list[str] = []
        spans: list[tuple[int, int]] = []
        pos = 0
        for text, mark in pieces:
            if body_parts:
                pos += 2
            spans.append((pos, pos + len(text)))
            body_parts.append(text)
            if mark is not None:
                kind, p = mark
                copies_of[p].append(PlantedCopy(ids[doc], pos, pos + len(text), kind))
            pos += len(text)
        body = "\n\n".join(body_parts)
        day = base + timedelta(days=offsets[doc]) if rng.random() < dated else None
        articles.append(
            Article(
                id=ids[doc],
                path=f"generated/{ids[doc]}.txt",
                text=body,
                paragraphs=tuple(spans),
                outlet=rng.choice(outlets),
                date=day.isoformat() if day else None,
                title=" ".join(writer.sentence()[:8]),
            )
        )
    truth = PlantedTruth(
        tuple(
            PlantedPassage(
                f"planted{p:06d}",
                len(sources[p].split()),
                tuple(sorted(copies_of[p], key=lambda c: c.kind != "origin")),
            )
            for p in range(n_passages)
        )
    )
    return articles, truth
