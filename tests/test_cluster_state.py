"""The candidate pass updated from the last full pass' state equals a full pass: after edits,
additions and deletions, with the banal threshold moving both ways, and past MAX_CHANGED
(a full pass again). A damaged or foreign state is not read."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.generate import generate_corpus
from kazreader.analysis import cluster_state, clusters
from kazreader.analysis.cluster_state import StateFile, read_state
from kazreader.corpus.model import Article
from kazreader.parts import PartsFile, PartStore


def _digest(found: list[clusters.PassageCluster]) -> str:
    return hashlib.sha256(json.dumps([c.to_json() for c in found]).encode()).hexdigest()


def _edited(a: Article, text: str) -> Article:
    return replace(a, text=text, paragraphs=((0, len(text)),), digest="")


@pytest.fixture
def low_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """A threshold that moves every 16 articles, from 4 to 5 carriers at 65 (the generated corpus
    has hundreds of n-grams carried 3 and 4 times; the real threshold moves every 200 articles
    from 5,000 on)."""
    monkeypatch.setattr(clusters, "BANAL_MIN_DOCS", 3)
    monkeypatch.setattr(clusters, "banal_threshold", lambda n: max(3, math.ceil(n / 16)))


def test_updated_candidates_equal_a_full_pass(tmp_path: Path, low_threshold: None, monkeypatch: pytest.MonkeyPatch) -> None:
    articles, _ = generate_corpus(64, seed=11)
    parts = PartStore(PartsFile(None), "clusters:test")
    state = StateFile(tmp_path / "state.bin", parts.namespace)

    def check(corpus: list[Article], *, updated: bool = True) -> None:
        ordered = sorted(corpus, key=lambda a: a.digest)
        texts, keys = [a.text for a in ordered], [a.digest for a in ordered]
        threshold = clusters.banal_threshold(len(corpus))
        found = clusters._incremental_candidates(state, texts, keys, threshold, parts, 1)
        if updated:  # the candidate pass itself, pairs and banal n-grams with their carriers
            assert found is not None
            pairs, banal = clusters._candidates(clusters._fingerprints_of(texts, keys, parts, 1), threshold, 1)
            assert found[0] == pairs
            assert {h: sorted(c) for h, c in found[1].items()} == banal
        else:
            assert found is None
        incremental = clusters.cluster_passages(corpus, parts=parts, state=state)
        clean = clusters.cluster_passages(corpus)
        assert incremental == clean
        assert _digest(incremental) == _digest(clean)

    check(articles, updated=False)
    assert state.path.is_file()
    corpus = list(articles)
    corpus[3] = _edited(corpus[3], corpus[3].text + " One more closing line for the edit.")
    check(corpus)
    corpus.append(replace(articles[4], id="copy-4", digest=""))  # 65 articles: the threshold moves up
    assert clusters.banal_threshold(65) > clusters.banal_threshold(64)
    check(corpus)
    del corpus[10]
    del corpus[20]  # 63: and down
    assert clusters.banal_threshold(63) < clusters.banal_threshold(65)
    check(corpus)
    corpus += [replace(a, id=f"copy-{a.id}", digest="") for a in articles[30:50]]  # a copy shares everything
    check(corpus)
    monkeypatch.setattr(cluster_state, "MAX_CHANGED", 3)
    corpus = corpus[:40]
    check(corpus, updated=False)  # too many changes since: a full pass, and a new state
    check(corpus)
    assert read_state(state.path, parts.namespace) is not None


def test_a_damaged_or_foreign_state_is_not_read(tmp_path: Path) -> None:
    articles, _ = generate_corpus(30, seed=3)
    parts = PartStore(PartsFile(None), "clusters:test")
    path = tmp_path / "state.bin"
    expected = clusters.cluster_passages(articles, parts=parts, state=StateFile(path, parts.namespace))
    assert read_state(path, "clusters:other code") is None
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])  # cut short
    assert read_state(path, parts.namespace) is None
    path.write_bytes(b"not a state")
    assert read_state(path, parts.namespace) is None
    assert clusters.cluster_passages(articles, parts=parts, state=StateFile(path, parts.namespace)) == expected
    assert read_state(path, parts.namespace) is not None  # written again by the full pass
