"""Every identical run of MIN_VERBATIM_RUN (12) words or more between two
articles is a reported passage (kazreader.analysis.passages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazreader.analysis.passages import MIN_VERBATIM_RUN, align
from kazreader.corpus.model import Article
from kazreader.text import tokenize

CORPORA = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora"

QUOTE = "They do have my blessing to discuss the end of the war"

#: Real pairs of abp-dev whose shared 12-word runs were once missed by compare:
#: (story folder, article A, article B, the run's first words).
REAL_RUNS = [
    ("environment/2013-06-25", "NJyOIsWcXj2EVrwi", "PhXufFOHvWNmRXcs", "We don’t have time for a meeting"),
    ("taxes/2012-11-23", "5PMmKFPDVI24quMU", "fWOlM8UFB7IIcKTs", "I don't worry about that"),
    ("violence_in_america/2018-04-22", "gfUoiVEa1KCQ4D1W", "qc2bw0dfAkN1fpiP", "He is the hero here"),
    ("violence_in_america/2018-04-22", "qc2bw0dfAkN1fpiP", "tH2sxfSf6xCBpjuG", "a tragic day for our city"),
    ("national_security/2019-01-10", "Q0QVsnExjpCONjeg", "VVg8AFf7iovPPYMs", "If this doesn’t work out"),
]


def article(ident: str, text: str) -> Article:
    return Article(id=ident, path=f"{ident}.txt", text=text, paragraphs=((0, len(text)),))


def verbatim_runs(a: Article, b: Article) -> list[tuple[int, int]]:
    """Character spans in A of every maximal identical run of 12+ words shared with B."""
    ta, tb = tokenize(a.text), tokenize(b.text)
    starts: dict[tuple[str, ...], int] = {}
    for k in range(len(tb) - MIN_VERBATIM_RUN + 1):
        starts.setdefault(tuple(t.norm for t in tb[k : k + MIN_VERBATIM_RUN]), k)
    runs, k = [], 0
    while k <= len(ta) - MIN_VERBATIM_RUN:
        j = starts.get(tuple(t.norm for t in ta[k : k + MIN_VERBATIM_RUN]))
        if j is None:
            k += 1
            continue
        n = MIN_VERBATIM_RUN
        while k + n < len(ta) and j + n < len(tb) and ta[k + n].norm == tb[j + n].norm:
            n += 1
        runs.append((ta[k].start, ta[k + n - 1].end))
        k += n
    return runs


def assert_runs_reported(a: Article, b: Article) -> None:
    passages = align(a, b)
    for start, end in verbatim_runs(a, b):
        assert any(p.a_start <= start and end <= p.a_end for p in passages), a.text[start:end]


def test_short_plain_quote_shared_word_for_word_is_a_passage() -> None:
    a = article("a", f'The envoy met both delegations on Friday. "{QUOTE}," the president told aides in the capital.')
    b = article("b", f"Asked about the talks, the president replied: {QUOTE}. Negotiators left the hotel by car.")
    passages = align(a, b)
    assert len(passages) == 1
    assert QUOTE in passages[0].a_text and QUOTE in passages[0].b_text
    assert_runs_reported(a, b)


def test_eleven_plain_words_are_not_enough() -> None:
    short = "do have my blessing to discuss the end of the war"  # 11 words, 4 content units
    a = article("a", f"The envoy met both delegations on Friday and said we {short} soon.")
    b = article("b", f"Asked about the talks, the president replied that they {short} tomorrow.")
    assert align(a, b) == []


def test_run_inside_a_repeated_phrase_is_kept_whole() -> None:
    # B says "a tragic day" twice: the word alignment must not split the run.
    run = "it is a tragic day for our city anytime people lose their lives at the hands of a gunman"
    a = article("a", f"The mayor called it {run}. Police closed the road.")
    b = article("b", f"The mayor tweeted that it was a tragic day for the city. {run.capitalize()}. More later.")
    assert_runs_reported(a, b)


@pytest.mark.parametrize(("folder", "a_id", "b_id", "words"), REAL_RUNS)
def test_real_shared_runs_are_reported(folder: str, a_id: str, b_id: str, words: str) -> None:
    root = CORPORA / "abp-dev" / folder
    if not root.is_dir():
        pytest.skip("shared corpora absent")
    from kazreader.corpus import load_corpus

    by_id = {x.id: x for x in load_corpus([root]).articles}
    a, b = by_id[a_id], by_id[b_id]
    runs = verbatim_runs(a, b)
    assert any(a.text[s:e].startswith(words) for s, e in runs)
    assert_runs_reported(a, b)
    assert_runs_reported(b, a)
