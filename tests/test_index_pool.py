"""The marshal posting pool writes exactly the index Whoosh's own pool writes."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import whoosh.writing
from whoosh import index as whoosh_index
from whoosh.codec import whoosh3

from kazreader.index import pool
from kazreader.index.pinned import SUPPORTED_WHOOSH
from kazreader.index.schema import build_schema

WORDS = "the strike harbour union police said city troops killed more than at least about".split()


def _docs(n: int) -> list[dict[str, str]]:
    rng = random.Random(5)
    return [
        {"id": f"d{i}", "title": " ".join(rng.choices(WORDS, k=4)),
         "body": " ".join(rng.choices(WORDS, k=rng.randint(5, 60))) + f" rare{i}"}
        for i in range(n)
    ]


def _dump(directory: Path) -> list[tuple]:
    ix = whoosh_index.open_dir(str(directory))
    out = []
    with ix.reader() as r:
        for field, term in r.all_terms():
            m = r.postings(field, term)
            info = r.term_info(field, term)
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight())
            out.append((field, term, stats, list(m.all_items())))
    ix.close()
    return out


def _build(directory: Path, pool_class: type, docs: list[dict[str, str]], lengths: Any) -> None:
    directory.mkdir()
    saved = whoosh.writing.PostingPool, whoosh3.W3PerDocReader.doc_field_length_reader
    whoosh.writing.PostingPool = pool_class
    whoosh3.W3PerDocReader.doc_field_length_reader = lengths
    try:
        ix = whoosh_index.create_in(str(directory), build_schema())
        # a tiny memory limit: the pool spills many runs and merges them
        w = ix.writer(limitmb=0.02)
        for d in docs:
            w.add_document(**d)
        w.commit()
        ix.close()
    finally:
        whoosh.writing.PostingPool, whoosh3.W3PerDocReader.doc_field_length_reader = saved


def test_same_postings_as_whoosh_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "CHUNK", 37)  # many chunks per run too
    runs: list[int] = []

    class Counting(pool.FastPostingPool):
        def save(self) -> None:
            if self.current:
                runs.append(len(self.current))
            super().save()

    docs = _docs(400)
    assert pool.PostingPool is not pool.FastPostingPool
    _build(tmp_path / "whoosh", pool.PostingPool, docs, pool._whoosh_length_reader)  # Whoosh's own
    _build(tmp_path / "fast", Counting, docs, pool.fast_length_reader)
    assert len(runs) > 5  # the spill path really ran
    ours, theirs = _dump(tmp_path / "fast"), _dump(tmp_path / "whoosh")
    assert len(ours) > 400 and ours == theirs


def test_fast_length_reader_reads_what_whoosh_reads(tmp_path: Path) -> None:
    docs = _docs(300) + [{"id": "empty"}]
    _build(tmp_path / "ix", pool.FastPostingPool, docs, pool.fast_length_reader)
    ix = whoosh_index.open_dir(str(tmp_path / "ix"))
    with ix.reader() as r:
        pdr = r.segment_readers()[0]._perdoc if hasattr(r, "segment_readers") else r._perdoc
        for field in ("title", "body", "id", "quote"):
            ours = pool.fast_length_reader(pdr, field)
            theirs = pool._whoosh_length_reader(pdr, field)
            got = [ours(d) for d in range(len(docs) + 3)]
            assert got == [theirs(d) for d in range(len(docs) + 3)]
            if field == "body":
                assert len({n for n in got if n}) > 10  # real, varied lengths
    ix.close()


def test_install_only_on_the_pinned_whoosh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(whoosh.writing, "PostingPool", whoosh.writing.PostingPool)  # restored after
    monkeypatch.setattr(whoosh, "__version__", (9, 9, 9))
    assert pool.install() is False
    monkeypatch.setattr(whoosh, "__version__", SUPPORTED_WHOOSH)
    assert pool.install() is True and whoosh.writing.PostingPool is pool.FastPostingPool
