"""Spans and snippets read around the matches equal those read over every token.

:class:`kazreader.index.snippets.HitText` (the search's hit path) tokenises
only near what its regular expression finds; :func:`find_spans` and
:func:`make_snippet` read the whole text. They must agree on any text and any
marks: real articles with sampled words, phrases and word forms, and
generated texts with numbers, apostrophes, hyphens and odd case folding.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kazreader.index.analyzers import stem, stems
from kazreader.index.snippets import HitText, Marks, find_spans, make_snippet
from kazreader.text import tokenize

ABP = Path(__file__).parents[1] / ".." / "shared" / "corpora" / "abp-dev"


def _full(text: str, marks: Marks) -> tuple[list[tuple[int, int]], str]:
    tokens = tokenize(text)
    spans = find_spans(tokens, marks.words, marks.phrases, marks.stems, marks.stem_phrases)
    return spans, make_snippet(text, tokens, spans)


def _marks_from(rng: random.Random, norms: list[str]) -> Marks:
    """Words, phrases and forms sampled from a text's own words (and a few absent ones)."""
    marks = Marks()
    for _ in range(rng.randrange(0, 3)):
        marks.words.add(rng.choice(norms) if rng.random() < 0.8 else "zzyzx")
    for _ in range(rng.randrange(0, 3)):
        i = rng.randrange(len(norms))
        marks.phrases.add(tuple(norms[i : i + rng.randrange(1, 5)]))
    for _ in range(rng.randrange(0, 2)):
        marks.stems.add(stem(rng.choice(norms)))
    if rng.random() < 0.3:
        i = rng.randrange(len(norms))
        marks.stem_phrases.add(tuple(stems(norms[i : i + rng.randrange(1, 4)])))
    return marks


def test_real_articles_agree() -> None:
    if not ABP.is_dir():
        pytest.skip("../shared/corpora/abp-dev is absent")
    from kazreader.corpus.loader import load_corpus

    rng = random.Random(17)
    fast = 0
    articles = list(load_corpus(sorted(ABP.iterdir())[:3]).articles)
    for article in rng.sample(articles, min(80, len(articles))):
        norms = [t.norm for t in tokenize(article.text)]
        if not norms:
            continue
        for _ in range(4):
            marks = _marks_from(rng, norms)
            hit_text = HitText(marks)
            fast += hit_text._finder is not None
            assert hit_text(article.text) == _full(article.text, marks), (article.id, marks)
    assert fast > 100  # (most marks take the shortcut)


_PIECES = st.sampled_from(
    ["the", "The", "THE", "house", "houses", "housing", "white", "1,000", "2.5", "3rd", "o'brien",
     "O’Brien", "country's", "countries", "dying", "die", "straße", "STRASSE", "İstanbul", "x",
     "white-house", "12abc", "covid19x", "a1b2", "9house", "house9", " ", "  ", "\n", "\n\n", ", ", ". ", "—", "“", "”", "…", "-", "'", "’"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=0, max_size=120), st.randoms(use_true_random=False))
def test_generated_texts_agree(pieces: list[str], rnd: random.Random) -> None:
    text = "".join(p if p.isspace() or not p[0].isalnum() else p + rnd.choice([" ", "", " ", "\n"]) for p in pieces)
    norms = [t.norm for t in tokenize(text)] or ["house"]
    marks = _marks_from(random.Random(rnd.random()), norms + ["house", "white", "the"])
    assert HitText(marks)(text) == _full(text, marks)


def test_no_marks_gives_the_opening_words() -> None:
    text = " ".join(f"w{i}" for i in range(100))
    assert HitText(Marks())(text) == _full(text, Marks())
    assert HitText(Marks())("") == _full("", Marks())
    assert HitText(Marks())(" ... ") == _full(" ... ", Marks())


def test_a_trigger_with_a_comma_does_not_hide_a_token_inside_it() -> None:
    """"the1,000" is the tokens "the1" and "000": the trigger "1,000" (a form to mark) matches
    across them, and the phrase "000 the" that starts inside it is still found (hypothesis' case)."""
    from kazreader.index.snippets import Marks

    text = "1,000\nthe the1,000\nthe the"
    marks = Marks()
    marks.stems.add("1,000")
    marks.phrases.add(("000", "the"))
    assert HitText(marks)(text) == _full(text, marks)
    assert (15, 22) in HitText(marks)(text)[0]
