"""Reuse that means something: stock phrases carried by a large share of the
corpus form no clusters; every identical run of 12+ words lies in a cluster."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kazreader.analysis.clusters import cluster_passages
from kazreader.analysis.reuse_banality import (
    BANAL_MIN_DOCS,
    BANAL_SHARE,
    banal_threshold,
    decode_fingerprints,
    encode_fingerprints,
    fingerprints,
    gram_hashes,
)
from kazreader.corpus.model import Article
from tests.test_passages_verbatim import QUOTE, REAL_RUNS, verbatim_runs

CORPORA = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora"

STOCK = "Sign up for our morning newsletter to receive the day's top stories delivered straight to your inbox"
NOUNS = "harbour tariff convoy ledger orchard quarry senate monsoon refinery pension glacier runway".split()
VERBS = "inspected delayed financed blocked audited rebuilt praised flooded leased closed".split()
PLACES = "Aktobe Oral Taraz Kostanay Pavlodar Semey Atyrau Turkistan Kokshetau Taldykorgan".split()


def article(ident: str, *paragraphs: str) -> Article:
    text = "\n\n".join(paragraphs)
    return Article(id=ident, path=f"{ident}.txt", text=text, paragraphs=((0, len(text)),))


def own_paragraph(rng: random.Random, k: int) -> str:
    """A paragraph no other article shares (its numbers and word choices are its own)."""
    return " ".join(
        f"Officials in {rng.choice(PLACES)} {rng.choice(VERBS)} the {rng.choice(NOUNS)} number {k * 100 + s}"
        f" after {rng.choice(NOUNS)}s {rng.randint(10, 999)} and {rng.randint(1000, 9999)} were counted."
        for s in range(4)
    )


def corpus_with_stock(n: int) -> list[Article]:
    rng = random.Random(7)
    arts = [article(f"a{k:02d}", own_paragraph(rng, k), STOCK + ".", own_paragraph(rng, k + 50)) for k in range(n)]
    arts[3] = article("a03", own_paragraph(rng, 3), f'"{QUOTE}," the minister said.', STOCK + ".")
    arts[8] = article("a08", f"Asked about the talks he replied: {QUOTE}.", own_paragraph(rng, 8), STOCK + ".")
    return arts


def test_threshold_is_a_share_of_the_corpus_with_a_floor() -> None:
    assert banal_threshold(5) == BANAL_MIN_DOCS
    assert banal_threshold(100_000) == round(BANAL_SHARE * 100_000)
    assert banal_threshold(10_000) >= BANAL_MIN_DOCS


def test_fingerprints_are_stable_and_round_trip() -> None:
    fps = fingerprints(QUOTE)
    assert list(fps) == sorted(gram_hashes(QUOTE))
    assert decode_fingerprints(encode_fingerprints(fps)) == fps
    # a fixed value: the hash must not depend on the process (no hash())
    assert min(fps) == min(gram_hashes("They do have my blessing to discuss the end of the war"))
    assert encode_fingerprints(fingerprints("have my blessing to discuss")) == "b7+hzI82g5E="


def test_stock_phrase_of_a_large_share_forms_no_cluster_but_a_shared_quote_does() -> None:
    arts = corpus_with_stock(BANAL_MIN_DOCS + 5)
    clusters = cluster_passages(arts)
    assert not any("morning newsletter" in m.text for c in clusters for m in c.members)
    quoted = [c for c in clusters if all(QUOTE in m.text for m in c.members)]
    assert [c.articles for c in quoted] == [("a03", "a08")]


def test_the_same_stock_phrase_in_a_few_articles_is_still_reuse() -> None:
    arts = corpus_with_stock(BANAL_MIN_DOCS + 5)[:6]  # below the floor: not banal
    clusters = cluster_passages(arts)
    assert any(len(c.articles) == 6 and "morning newsletter" in c.members[0].text for c in clusters)


#: Story folders where a third article carries only part of a quotation two
#: others share (a star through it alone would miss the rest).
PARTLY_CARRIED = ["immigration/2018-01-14", "us_military/2014-06-04", "us_military/2020-06-03"]


@pytest.mark.parametrize("folder", sorted({r[0] for r in REAL_RUNS} | set(PARTLY_CARRIED)))
def test_every_shared_12_word_run_lies_in_a_cluster(folder: str) -> None:
    root = CORPORA / "abp-dev" / folder
    if not root.is_dir():
        pytest.skip("shared corpora absent")
    from kazreader.corpus import load_corpus

    arts = list(load_corpus([root]).articles)
    clusters = cluster_passages(arts)
    for i, a in enumerate(arts):
        for b in arts[i + 1 :]:
            for start, end in verbatim_runs(a, b):
                assert any(
                    any(m.article == a.id and m.start <= start and end <= m.end for m in c.members)
                    and b.id in c.articles
                    for c in clusters
                ), a.text[start:end]


def test_a_cluster_carried_by_a_large_share_is_banal_too() -> None:
    from kazreader.analysis.clusters import _build_clusters

    arts = [article(f"s{k}", f"Boilerplate {k} and more words of the site's own furniture here.") for k in range(6)]
    links = [(0, 0, 20, k, 0, 20) for k in range(1, 6)]
    assert _build_clusters(arts, links, too_many=7)[0].articles == tuple(a.id for a in arts)
    assert _build_clusters(arts, links, too_many=7) == _build_clusters(arts, links)
    assert _build_clusters(arts, links, too_many=6) == []
