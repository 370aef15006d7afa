"""The real development corpora load whole, with the metadata their files hold (issue #13's done-when).

Reads ../shared/corpora in place (skipped when it is not there); abp-10k is sampled to stay fast.
"""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest

from kazreader.corpus import load_corpus
from kazreader.corpus.clean import strip_name_cards

CORPORA = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora"
#: Records of abp-10k read (the first of one part file).
SAMPLE = 300


def need(name: str) -> Path:
    path = CORPORA / name
    if not path.is_dir():
        pytest.skip(f"../shared/corpora/{name} is not here")
    return path


def test_basil_loads_whole() -> None:
    root = need("basil-dev")
    corpus = load_corpus([root])
    files = sorted((root / "articles").rglob("*.json"))
    assert len(corpus) == len(files) == 90
    assert all(a.title and a.date and a.outlet and a.url for a in corpus.articles)
    assert {a.outlet for a in corpus.articles} == {"The New York Times", "Fox News", "HuffPost"}
    # the annotations and the README are not articles: said in a few lines, not one per file
    assert len(corpus.warnings) <= 8
    assert all(len(a.paragraphs) > 1 for a in corpus.articles)


def test_abp_story_folders_load_whole() -> None:
    root = need("abp-dev")
    topics = sorted(p for p in root.iterdir() if p.is_dir())[:3]
    corpus = load_corpus(topics)
    files = [f for t in topics for f in t.rglob("*.json")]
    assert len(corpus) == len(files) and corpus.warnings == []
    for a in corpus.articles:
        raw = json.loads(next(f for f in files if f.stem == a.id).read_text("utf-8"))
        assert a.title and a.outlet and a.url == raw["url"]
        assert (a.date is not None) == bool(raw["date"])
        # the text as published (less the name cards pasted into it), not the tokenised copy
        published = " ".join(strip_name_cards(raw["content_original"]).split())
        assert " ".join(a.text.split()[:12]) in published


def test_abp_10k_sample_loads_whole(tmp_path: Path) -> None:
    root = need("abp-10k")
    with gzip.open(root / "part-0.jsonl.gz", "rt", encoding="utf-8") as fh:
        lines = list(itertools.islice(fh, SAMPLE))
    (tmp_path / "sample.jsonl.gz").write_bytes(gzip.compress("".join(lines).encode("utf-8")))
    corpus = load_corpus([tmp_path])
    assert len(corpus) == SAMPLE
    records = [json.loads(line) for line in lines]
    dated = sum(1 for r in records if r["date"])
    assert sum(1 for a in corpus.articles if a.date) == dated
    assert all(a.title and a.outlet and a.url for a in corpus.articles)
