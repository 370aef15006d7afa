"""Clusters built from cached parts (fingerprints per article, alignments per
pair) equal a clean build after an edit, an addition and a deletion."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kazreader.analysis.clusters import PassageCluster, cluster_passages
from kazreader.corpus import load_corpus
from kazreader.corpus.model import Article
from kazreader.parts import PartsFile, PartStore

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
STORY = ROOT / ".." / "shared" / "corpora" / "abp-dev" / "violence_in_america"


class CountingStore:
    """A PartStore that remembers which keys it had to compute."""

    def __init__(self) -> None:
        self.store = PartStore(PartsFile(None), "clusters:test")
        self.computed: list[str] = []

    def map(self, keys: Sequence[str], compute: Callable[[list[str]], Mapping[str, Any]]) -> dict[str, Any]:
        def counted(missing: list[str]) -> Mapping[str, Any]:
            self.computed.extend(missing)
            return compute(missing)

        return self.store.map(keys, counted)


def digest(clusters: list[PassageCluster]) -> str:
    return hashlib.sha256(json.dumps([c.to_json() for c in clusters]).encode()).hexdigest()


def edited(a: Article, text: str) -> Article:
    return replace(a, text=text, paragraphs=((0, len(text)),), digest="")


def check_incremental(articles: list[Article], donor: Article) -> CountingStore:
    """Build, then edit one article, add one, delete one: incremental == clean."""
    parts = CountingStore()
    first = cluster_passages(articles, parts=parts)
    assert first == cluster_passages(articles)  # a store changes nothing
    parts.computed.clear()

    changed = edited(articles[1], articles[1].text.replace(".", ";", 3) + "\n\nOne more closing line for the edit.")
    added = replace(donor, id="added-copy", digest="")
    corpus = [articles[0], changed, *articles[3:], added]  # articles[2] is deleted
    incremental = cluster_passages(corpus, parts=parts)
    clean = cluster_passages(corpus)
    assert incremental == clean
    assert digest(incremental) == digest(clean)
    fresh = {changed.digest, added.digest}
    assert {k for k in parts.computed if "-" not in k} == fresh  # only their fingerprints
    return parts


def test_seeds_incremental_equals_clean() -> None:
    articles = list(load_corpus([SEEDS]).articles)
    assert cluster_passages(articles)  # something to keep equal
    check_incremental(articles, articles[0])


def test_story_folders_incremental_equals_clean_and_aligns_little() -> None:
    if not STORY.is_dir():
        pytest.skip("shared corpora absent")
    articles = list(load_corpus([STORY]).articles)[:60]
    before = CountingStore()
    cluster_passages(articles, parts=before)
    aligned_first = sum("-" in k for k in before.computed)
    parts = check_incremental(articles, articles[5])
    aligned_again = [k for k in parts.computed if "-" in k]
    assert len(aligned_again) < max(3, aligned_first // 4)
