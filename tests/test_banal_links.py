"""Banal verdicts of aligned links read from parts equal is_banal's, and only the pairs
whose banal n-grams changed are checked again."""

from __future__ import annotations

from pathlib import Path

from kazreader.analysis import clusters
from kazreader.analysis.banal_links import banal_verdicts, whole_words
from kazreader.analysis.reuse_banality import banal_threshold, is_banal
from kazreader.corpus import load_corpus
from tests.test_clusters_incremental import CountingStore

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def test_whole_words() -> None:
    assert whole_words("the cat sat", 4, 7)
    assert whole_words("the cat sat", 0, 11)
    assert not whole_words("the cat sat", 5, 7)
    assert not whole_words("the cat sat", 4, 6)
    # a number token stops inside a \w+ run: "1,000" then "abc"
    assert not whole_words("paid 1,000abc today", 5, 10)
    # a capital sigma lower-cases by its neighbours
    assert not whole_words("the ΟΔΟΣ road", 4, 8)
    # folded apostrophes are no word characters
    assert whole_words("it\u2019s here", 0, 2)


def test_verdicts_equal_is_banal_and_are_reused() -> None:
    articles = sorted(load_corpus([SEEDS]).articles, key=lambda a: a.digest)
    texts, keys = [a.text for a in articles], [a.digest for a in articles]
    store = clusters._NoParts()
    fps = clusters._fingerprints_of(texts, keys, store, 1)
    pairs, _ = clusters._candidates(fps, banal_threshold(len(articles)), 1)
    aligned = clusters._alignments(texts, keys, pairs, store, 1)
    assert sum(map(len, aligned))
    carriers: dict[int, list[int]] = {}
    for d, arr in enumerate(fps):
        for h in arr:
            carriers.setdefault(h, []).append(d)
    parts = CountingStore()
    some_banal = False
    # banal sets of several sizes, as a threshold moving both ways would make them
    for step, threshold in enumerate((2, 2, 3, banal_threshold(len(articles)), 2)):
        parts.computed.clear()
        banal = {h: docs for h, docs in carriers.items() if len(docs) >= threshold}
        verdicts = banal_verdicts(texts, keys, pairs, aligned, banal, parts)
        expected = [
            [is_banal(texts[a][a0:a1], texts[b][b0:b1], banal) for a0, a1, b0, b1 in spans]
            for (a, b), spans in zip(pairs, aligned)
        ]
        assert verdicts == expected
        some_banal = some_banal or any(map(any, verdicts))
        if step == 0:
            assert parts.computed
        if step == 1:
            assert not parts.computed  # the same banal set again: every verdict read, none computed
    assert some_banal


def test_span_grams_equal_the_hashes_of_the_span_text() -> None:
    """Every span on word boundaries: its n-grams read from the text's, hashed once, are
    ``gram_hashes`` of its own text (seeds, and characters whose lower case is longer or folded)."""
    import random

    from kazreader.analysis.reuse_banality import SpanGrams, gram_hashes

    texts = [a.text for a in load_corpus([SEEDS]).articles][:6]
    texts.append("İstanbul’s mayor İmamoğlu said the “city will not bow” — again, İzmir’s council "
                 "agreed on Tuesday that the new budget would fund the metro line extension at last.")
    grams = SpanGrams(texts, keep=2)  # (a small memo: texts dropped and hashed again)
    rng = random.Random(7)
    checked = 0
    for _ in range(3000):
        d = rng.randrange(len(texts))
        text = texts[d]
        start, end = sorted(rng.randrange(len(text) + 1) for _ in range(2))
        if not whole_words(text, start, end):
            continue
        assert grams.of(d, start, end) == gram_hashes(text[start:end]), (d, start, end)
        checked += 1
    assert checked > 200
    assert grams.of(len(texts) - 1, 0, len(texts[-1])) == gram_hashes(texts[-1]) != set()
