"""Search work is bounded: snippets and highlight spans are linear, the query length is capped.

A frequent word in a 7.5-million-character article gave a million spans, and
the snippet counted the spans of every window against every span (67 s per
search); a 100,000-character query did not return within a minute (Whoosh's
parser is quadratic in the length of a word).
"""

from __future__ import annotations

import bisect
import gc
import random
import time

import pytest

from kazreader.index.search import (
    _LEAD_WORDS,
    MAX_QUERY_CHARS,
    SNIPPET_WORDS,
    QueryError,
    _occurrences,
    check_query_length,
    find_spans,
    make_snippet,
)
from kazreader.text import Token, tokenize


def quadratic_snippet(text: str, tokens: list[Token], spans: list[tuple[int, int]]) -> str:
    """The snippet as it was computed before (every window counted against every span)."""
    starts = [t.start for t in tokens]
    first = 0
    if spans:
        span_tokens = [bisect.bisect_right(starts, s) - 1 for s, _ in spans]
        best, best_count = 0, -1
        for i in span_tokens:
            lo = max(0, i - _LEAD_WORDS)
            count = sum(1 for j in span_tokens if lo <= j < lo + SNIPPET_WORDS)
            if count > best_count:
                best, best_count = lo, count
        first = best
    last = min(len(tokens), first + SNIPPET_WORDS)
    first = max(0, min(first, last - SNIPPET_WORDS))
    return f"{first}:{last}"


@pytest.mark.parametrize("seed", range(30))
def test_snippets_are_the_ones_the_quadratic_count_chose(seed: int) -> None:
    rng = random.Random(seed)
    vocab = ["police", "said", "the", "city", "protest", "fuel"][: rng.randrange(2, 7)]
    text = " ".join(rng.choice(vocab) for _ in range(rng.randrange(1, 400)))
    tokens = tokenize(text)
    words = set(rng.sample(vocab, rng.randrange(0, 3)))
    phrases = {tuple(rng.choice(vocab) for _ in range(rng.randrange(1, 4)))}
    spans = find_spans(tokens, words, phrases)
    got = make_snippet(text, tokens, spans)
    lo, hi = map(int, quadratic_snippet(text, tokens, spans).split(":"))
    body = " ".join(t_.norm for t_ in tokens[lo:hi])
    assert got.strip("…").rstrip(".") == body  # (lower-case words joined by spaces: text == norms here)


@pytest.mark.parametrize("seed", range(30))
def test_phrase_occurrences_match_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    items = [rng.choice("aab") for _ in range(rng.randrange(0, 300))]
    pattern = tuple(rng.choice("ab") for _ in range(rng.randrange(1, 6)))
    expected = [i for i in range(len(items)) if tuple(items[i : i + len(pattern)]) == pattern]
    assert list(_occurrences(items, pattern)) == expected


def _repeated(word: str, chars: int) -> tuple[str, list[Token]]:
    """*word* repeated to *chars* characters, with its tokens built directly (tokenizing 7.5 M characters is slow)."""
    n = chars // (len(word) + 1)
    text = (word + " ") * n
    step = len(word) + 1
    return text, [Token(word, k * step, k * step + len(word)) for k in range(n)]


def test_a_frequent_word_in_a_huge_article_is_snippeted_in_linear_time() -> None:
    """7.5 M characters, 680,000 spans: the quadratic count needed ~10^11 steps."""
    gc.disable()  # (680,000 tokens: the collector would rescan them while they are built)
    try:
        text, tokens = _repeated("government", 7_500_000)
        spans = [(t.start, t.end) for t in tokens]
        t0 = time.process_time()
        snippet = make_snippet(text, tokens, spans)
        assert time.process_time() - t0 < 20  # linear: ~0.4 s; the quadratic count: ~2 h here (400x the bound)
    finally:
        gc.enable()
    assert snippet.startswith("government government") and len(snippet.split()) == SNIPPET_WORDS


def test_a_hundred_thousand_spans_cost_a_fraction_of_a_second() -> None:
    """The quadratic count takes ~180 s here (10^10 steps: 100x the bound); linear ~0.2 s."""
    text, tokens = _repeated("police", 700_000)
    spans = [(t.start, t.end) for t in tokens]
    assert len(spans) == 100_000
    t0 = time.process_time()
    make_snippet(text, tokens, spans)
    assert time.process_time() - t0 < 1.8


def test_a_phrase_of_one_frequent_word_is_found_in_linear_time() -> None:
    text, tokens = _repeated("the", 600_000)
    phrase = ("the",) * 500
    t0 = time.process_time()
    spans = find_spans(tokens, [], [phrase])
    assert time.process_time() - t0 < 10  # the slice-and-compare loop: 150,000 × 500 steps
    assert spans == [(0, len(text) - 1)]


def test_a_long_query_is_refused_before_any_work(tmp_path) -> None:
    check_query_length("x" * MAX_QUERY_CHARS)
    with pytest.raises(QueryError, match=r"query too long \(100,000 characters; the limit is 2,000\)"):
        check_query_length("police " * 14_285 + "polic")


def test_cli_a_100000_character_query_is_exit_2_at_once(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    from kazreader.cli import main

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Police said the protest grew.\n", encoding="utf-8")
    for query in ("x" * 100_000, ("police " * 20_000)[:100_000], '"' + "the " * 25_000 + '"'):
        t0 = time.process_time()
        assert main(["search", query, "--json", "--corpus", str(corpus)]) == 2
        assert time.process_time() - t0 < 5  # (more than 60 s before)
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and "query too long" in err
