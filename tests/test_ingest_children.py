"""``Workspace.ingest`` on several processes: the same results as one process, whatever child fails."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from kazreader.analysis.registry import REGISTRY, Stage
from kazreader.workspace import CPU_SUFFIX, Workspace
from tests.test_incremental import _corpus, _digests

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the ingest's children are forked")

QUERIES = ('"state of emergency"', "entity:kazakhstan", "police", "speaker:trump", "quote:people")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    return _corpus(seeds, tmp_path_factory.mktemp("ingest") / "corpus")


def _ingested(folder: Path, cache: Path, processes: int) -> tuple[dict[str, str], dict[str, Any], dict[str, float]]:
    ws = Workspace([folder], cache_dir=cache)
    try:
        times = ws.ingest(processes=processes)
        hits = {q: sorted(h.id for h in ws.search(q, limit=500).hits) for q in QUERIES}
        hits["docs"] = ws.index().indexed()
        return _digests(ws), hits, times
    finally:
        ws.close()


@pytest.fixture(scope="module")
def single(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, Any]]:
    digests, hits, _ = _ingested(folder, tmp_path_factory.mktemp("single") / "cache", 1)
    return digests, hits


def _only_in_children(parent: int, fail: Any) -> Any:
    """*fail* in a forked child of the process *parent*; the original function elsewhere."""

    def wrapper(original: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            if os.getpid() != parent:
                fail()
            return original(*args, **kwargs)

        return call

    return wrapper


def test_the_children_build_what_one_process_builds(
    folder: Path, tmp_path: Path, single: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if threading.active_count() > 1:
        pytest.skip("the ingest forks only from a single-threaded process")
    import kazreader.index.store as store

    # (the index's own workers too, as on a large corpus: forked from the index child)
    monkeypatch.setattr(store, "PARALLEL_MIN", 2)
    monkeypatch.setenv("KAZREADER_INDEX_PROCS", "2")
    writers = tmp_path / "writers"
    original = store.CorpusIndex._add_batch

    def add_batch(self: Any, fields: Any, procs: int, *args: Any) -> Any:
        with open(writers, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {procs}\n")
        return original(self, fields, procs, *args)

    monkeypatch.setattr(store.CorpusIndex, "_add_batch", add_batch)
    digests, hits, times = _ingested(folder, tmp_path / "cache", 2)
    assert (digests, hits) == single
    # written once, by the index child (not this process), with its two workers
    (pid, procs), = [line.split() for line in writers.read_text().splitlines()]
    assert int(pid) != os.getpid() and procs == "2"
    assert any(hits[q] for q in QUERIES)
    # every step's wall and CPU, the children's analyses included (measured where they ran)
    steps = [a.name for a in REGISTRY.corpus()] + ["listing", Stage.INDEX]
    for step in steps:
        assert times[step] >= 0 and times[step + CPU_SUFFIX] >= 0, step
    assert "entities+quotes" in times and times["index-fields" + CPU_SUFFIX] >= 0
    # the last child, its analysis done, filled index fields from the other end
    assert times["index-fields-child" + CPU_SUFFIX] >= 0


def test_index_fields_filled_from_both_ends_are_each_computed_once(folder: Path, tmp_path: Path) -> None:
    """What one end stored the other skips, and the fields read back equal those computed in one go."""
    ws = Workspace([folder], cache_dir=tmp_path / "cache")
    try:
        arts = ws.articles
        half = len(arts) // 2
        assert ws.fill_index_fields(arts[:half]) == len({a.digest for a in arts[:half]})
        rest = len({a.digest for a in arts}) - len({a.digest for a in arts[:half]})
        assert ws.fill_index_fields(arts, backward=True) == rest
        assert ws.fill_index_fields(arts) == 0
        filled = ws.index_fields(arts)
    finally:
        ws.close()
    fresh = Workspace([folder], cache_dir=tmp_path / "fresh")
    try:
        assert fresh.index_fields(fresh.articles) == filled
    finally:
        fresh.close()


@pytest.mark.parametrize("how", ["raise", "die"])
@pytest.mark.parametrize("where", ["entities", "quotes", "index"])
def test_a_failing_child_leaves_its_share_to_another_process(
    folder: Path, tmp_path: Path, single: Any, monkeypatch: pytest.MonkeyPatch, where: str, how: str
) -> None:
    """An error (or death) in a child loses nothing: what it did not store, the parent (or the next child)
    computes, and the results equal a one-process build."""
    if threading.active_count() > 1:
        pytest.skip("the ingest forks only from a single-threaded process")
    import kazreader.analysis.entities as entities_module
    import kazreader.analysis.quotes as quotes_module
    from kazreader.index import CorpusIndex

    def fail() -> None:
        if how == "die":
            os._exit(3)
        raise RuntimeError(f"{where} failed in a child")

    wrap = _only_in_children(os.getpid(), fail)
    if where == "entities":
        monkeypatch.setattr(entities_module, "extract_entities", wrap(entities_module.extract_entities))
    elif where == "quotes":
        monkeypatch.setattr(quotes_module, "extract_quotes", wrap(quotes_module.extract_quotes))
    else:
        monkeypatch.setattr(CorpusIndex, "sync", wrap(CorpusIndex.sync))
    digests, hits, times = _ingested(folder, tmp_path / "cache", 2)
    assert (digests, hits) == single
    assert times[where] >= 0


def test_the_index_child_reports_progress(folder: Path, tmp_path: Path) -> None:
    if threading.active_count() > 1:
        pytest.skip("the ingest forks only from a single-threaded process")
    seen: list[tuple[str, int, int]] = []
    ws = Workspace([folder], cache_dir=tmp_path / "cache", progress=lambda s, d, t: seen.append((s, d, t)))
    done: list[str] = []
    ws.ingest(processes=2, on_done=done.append)
    ws.close()
    assert any(stage == "index" and d == t and t > 0 for stage, d, t in seen)
    assert set(done) >= {a.name for a in REGISTRY.corpus()} | {"listing", Stage.INDEX}
    assert done[-1] == Stage.INDEX


def test_a_child_dying_midway_keeps_the_batches_it_stored(
    folder: Path, tmp_path: Path, single: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entities child dies after its first batches: the parts it stored are read, not scanned again,
    by the process that takes over (the quotes child), and the results equal a one-process build."""
    if threading.active_count() > 1:
        pytest.skip("the ingest forks only from a single-threaded process")
    from kazreader.analysis.entities import extract

    parent, log = os.getpid(), tmp_path / "scans"
    original = extract.article_part
    monkeypatch.setattr(extract, "BATCH", 4)

    def scan(text: str) -> dict[str, Any]:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {hashlib.sha1(text.encode()).hexdigest()}\n")
        done = [line.split()[0] for line in log.read_text(encoding="utf-8").splitlines()]
        if os.getpid() != parent and done.count(done[0]) == 9 and done[0] == str(os.getpid()):
            os._exit(3)  # the first scanning process dies in its third batch (two stored)
        return original(text)

    monkeypatch.setattr(extract, "article_part", scan)
    digests, hits, _ = _ingested(folder, tmp_path / "cache", 2)
    assert (digests, hits) == single
    scans = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    first = scans[0][0]
    stored = {text for pid, text in scans[:8]}  # (the dying process' first two batches of 4)
    assert all(pid == first for pid, _ in scans[:9]) and sum(pid == first for pid, _ in scans) == 9
    later = {text for pid, text in scans if pid not in (first, str(parent))}
    by_parent = {text for pid, text in scans if pid == str(parent)}
    other = Workspace([folder], cache_dir=tmp_path / "other")
    n = len(other.articles)
    other.close()
    # The two stored batches are read, not scanned again, by the child that takes over (the
    # quotes child); every other article is scanned by it or by the parent, which computes the
    # index fields meanwhile (and may race the first child to an article it had not stored yet).
    assert not stored & later and len(stored | later | by_parent) == n
