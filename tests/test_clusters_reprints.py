"""A text reprinted by more articles than make an n-gram banal, from many outlets, is one
cluster; a stock phrase and one outlet's boilerplate carried as widely still form none; an
incremental build finds the same reprints as a clean one."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from kazreader.analysis import clusters
from kazreader.analysis.cluster_state import StateFile
from kazreader.analysis.clusters import cluster_passages
from kazreader.analysis.reprints import REPRINT_MIN_NGRAMS, Reprint, find_reprints, site_of
from kazreader.analysis.reuse_banality import BANAL_MIN_DOCS, banal_threshold, gram_hashes
from kazreader.corpus.model import Article
from kazreader.parts import PartsFile, PartStore
from tests.test_clusters_reuse import STOCK

COPIES = BANAL_MIN_DOCS + 5
SYLLABLES = "ka ri to mes lan dur ven pol sa ti gor nek bi lum ras fe ot".split()


def prose(rng: random.Random, words: int) -> str:
    """Sentences of made-up words: no two articles share five words in a row by chance."""
    out = []
    for k in range(0, words, 12):
        sentence = ["".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(min(12, words - k))]
        out.append(" ".join(sentence).capitalize() + ".")
    return " ".join(out)


def article(ident: str, *paragraphs: str, outlet: str | None = None, url: str | None = None) -> Article:
    text = "\n\n".join(paragraphs)
    return Article(id=ident, path=f"{ident}.txt", text=text, paragraphs=((0, len(text)),), outlet=outlet, url=url)


def wire_story() -> list[str]:
    rng = random.Random(3)
    return [prose(rng, 60) for _ in range(3)]


def edited_copy(paragraphs: list[str], k: int) -> list[str]:
    """The story with one word of one paragraph changed (a different one in each copy)."""
    out = list(paragraphs)
    p = k % len(out)
    words = out[p].split(" ")
    words[(7 * k) % len(words)] = "reportedly"
    out[p] = " ".join(words)
    return out


def boilerplate() -> str:
    """One site's long furniture paragraph (far more than REPRINT_MIN_NGRAMS n-grams)."""
    return prose(random.Random(5), 80)


def corpus() -> list[Article]:
    rng = random.Random(11)
    story = wire_story()
    arts = [
        article(f"wire{k:02d}", prose(rng, 50), *edited_copy(story, k), outlet=f"Outlet {k}")
        for k in range(COPIES)
    ]
    # a stock phrase, in as many articles of as many outlets
    arts += [
        article(f"stock{k:02d}", prose(rng, 50), STOCK + ".", prose(rng, 50),
                outlet=f"Paper {k}")
        for k in range(COPIES)
    ]
    # one site's boilerplate under as many articles, filed under its writers' names
    arts += [
        article(f"site{k:02d}", prose(rng, 50), boilerplate(), outlet=f"Columnist {k % 7}",
                url=f"https://www.daily-example.com/2020/{k}/story")
        for k in range(COPIES)
    ]
    return arts


def test_the_corpus_is_what_the_tests_say() -> None:
    arts = corpus()
    threshold = banal_threshold(len(arts))
    assert COPIES >= threshold > 0
    assert len(gram_hashes(boilerplate())) > 2 * REPRINT_MIN_NGRAMS
    assert len(gram_hashes(" ".join(wire_story()))) > 2 * REPRINT_MIN_NGRAMS
    assert len({site_of(a) for a in arts if a.id.startswith("site")}) == 1


def test_a_wire_story_reprinted_by_many_outlets_is_one_cluster() -> None:
    arts = corpus()
    found = cluster_passages(arts)
    copies = {a.id for a in arts if a.id.startswith("wire")}
    holding = [c for c in found if copies & set(c.articles)]
    assert len(holding) == 1
    assert set(holding[0].articles) == copies
    length = len("\n\n".join(wire_story()))
    by_id = {a.id: a for a in arts}
    for m in holding[0].members:  # each member is its copy of the story, not the outlet's own paragraph
        assert m.start >= by_id[m.article].text.index("\n\n") and m.end - m.start >= 0.95 * length


def test_copies_cut_short_at_different_lengths_are_one_cluster() -> None:
    # every copy keeps the first paragraph (banal), two in three the second, one in three the third
    rng = random.Random(2)
    story = wire_story()
    arts = [
        article(f"cut{k:02d}", prose(rng, 50), *edited_copy(story, k)[: 1 + k % 3], url=f"https://www.site{k}.com/a")
        for k in range(COPIES)
    ] + [article(f"own{k:02d}", prose(rng, 120), outlet=f"Paper {k}") for k in range(COPIES)]
    holding = [c for c in cluster_passages(arts) if any(a.startswith("cut") for a in c.articles)]
    assert [set(c.articles) for c in holding] == [{a.id for a in arts if a.id.startswith("cut")}]


def test_stock_phrases_and_one_sites_boilerplate_form_no_cluster() -> None:
    found = cluster_passages(corpus())
    assert not any("morning newsletter" in m.text for c in found for m in c.members)
    assert not any(a.startswith(("stock", "site")) for c in found for a in c.articles)


def test_one_outlets_boilerplate_without_urls_forms_no_cluster_either() -> None:
    arts = [replace(a, outlet="The Daily Example", url=None, digest="") if a.id.startswith("site") else a
            for a in corpus()]
    assert not any(a.startswith("site") for c in cluster_passages(arts) for a in c.articles)


def test_without_outlets_a_long_shared_text_stays_banal() -> None:
    # (no site known: a reprint cannot be told from a site's boilerplate)
    arts = [replace(a, outlet=None, digest="") for a in corpus() if a.id.startswith("wire")]
    assert cluster_passages(arts) == []


def test_reprints_are_found_whatever_the_order() -> None:
    rng = random.Random(1)
    sites = [f"s{d}" for d in range(45)]
    banal: dict[int, list[int]] = {h: list(range(30)) for h in range(REPRINT_MIN_NGRAMS - 5)}
    banal.update({100 + h: [d for d in range(30) if d != h % 30] for h in range(10)})  # edited copies
    banal.update({200 + h: list(range(20, 45)) for h in range(3)})  # a phrase ten of them carry
    expected = [Reprint(frozenset(range(REPRINT_MIN_NGRAMS - 5)) | frozenset(range(100, 110)), frozenset(range(30)))]
    assert find_reprints(banal, sites.__getitem__) == expected
    shuffled = list(banal.items())
    rng.shuffle(shuffled)
    mixed = {h: sorted(c, key=lambda _: rng.random()) for h, c in shuffled}
    assert find_reprints(mixed, sites.__getitem__) == expected
    assert find_reprints(banal, (["one"] * 15 + sites[15:]).__getitem__) == []  # one site holds half its carriers
    assert find_reprints({h: c for h, c in banal.items() if h < 100}, sites.__getitem__) == []  # too short


def test_site_of() -> None:
    assert site_of(article("a", "x", outlet="Victor Hanson", url="https://www.nationalreview.com/2019/07/x")) == (
        "nationalreview.com"
    )
    assert site_of(article("a", "x", url="https://money.cnn.com/x")) == "cnn.com"
    assert site_of(article("a", "x", url="http://news.bbc.co.uk/x")) == "bbc.co.uk"
    assert site_of(article("a", "x", outlet="Outlet 3")) == "outlet 3"
    assert site_of(article("a", "x")) is None


def test_incremental_equals_clean(tmp_path: Path) -> None:
    arts = corpus()
    parts = PartStore(PartsFile(None), "clusters:test")
    state = StateFile(tmp_path / "state.bin", parts.namespace)
    first = cluster_passages(arts, parts=parts, state=state)
    assert first == cluster_passages(arts)
    story = wire_story()
    changed = [
        replace(arts[1], text=arts[1].text + "\n\nOne more closing line for the edit.", digest=""),
        *arts[3:],
        article("wire-new", "A late copy of the story.", *story, outlet="Outlet New"),
    ]  # arts[0] and arts[2] (copies) removed, one edited, one added
    assert clusters._incremental_candidates(  # the state is read, not rebuilt
        state, [a.text for a in sorted(changed, key=lambda a: a.digest)],
        sorted(a.digest for a in changed), banal_threshold(len(changed)), parts, 1,
    ) is not None
    incremental = cluster_passages(changed, parts=parts, state=state)
    clean = cluster_passages(changed)
    assert incremental == clean
    copies = {a.id for a in changed if a.id.startswith("wire")}
    assert any(set(c.articles) == copies for c in clean)
