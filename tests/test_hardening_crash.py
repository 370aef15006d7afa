"""Crash safety of the cache and the index, with real ``kazreader`` processes.

* A ``kazreader search`` over a generated corpus of a few hundred articles is
  SIGKILLed at random points (seeded: after a random number of write events —
  documents, cache entries, manifest writes — or after a random delay). After
  every kill the index must open without repair, still hold every article a
  previous run committed, and the next run must finish the rest without
  waiting for a lock.
* Two processes started at once on one corpus both answer correctly and leave
  a consistent index.
* Corrupt analysis-cache entries and a corrupt or version-mismatched index are
  reported with one note on stderr and rebuilt; the output does not change.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kazreader.index import CorpusIndex
from kazreader.index.schema import VERSION
from kazreader.paths import corpus_cache_dir

ROOT = Path(__file__).resolve().parents[1]
N_ARTICLES = 300
#: Documents per index commit in the subprocesses (the real default is 500).
BATCH = 20

# Runs the real CLI, with a smaller batch so a corpus of a few hundred
# articles spans many commits, and an optional self-SIGKILL after the Nth
# write event (a document built, a cache entry or manifest written), or on
# entering the Nth manifest write (right after a commit).
_RUNNER = textwrap.dedent(
    """
    import os, signal, sys
    from kazreader import cache, cli
    from kazreader.index import store

    store.BATCH_SIZE = int(os.environ["KZ_BATCH"])
    kill_at = int(os.environ.get("KZ_KILL_AT", "0"))
    events = 0

    def tick():
        global events
        events += 1
        if events == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def counted(real):
        def wrapper(*args, **kwargs):
            tick()
            result = real(*args, **kwargs)
            tick()
            return result
        return wrapper

    manifest_kill = int(os.environ.get("KZ_KILL_AT_MANIFEST", "0"))
    manifests = 0
    real_manifest = store.CorpusIndex._write_manifest

    def manifest(self, docs, *args):
        global manifests
        manifests += 1
        if manifests == manifest_kill:
            os.kill(os.getpid(), signal.SIGKILL)
        return real_manifest(self, docs, *args)

    store.CorpusIndex._document = staticmethod(counted(store.CorpusIndex._document))
    store.CorpusIndex._write_manifest = counted(manifest)
    cache.AnalysisCache.put = counted(cache.AnalysisCache.put)
    code = cli.main(sys.argv[1:])
    sys.stderr.write(f"events: {events}\\n")
    sys.exit(code)
    """
)

CITIES = ["Northport", "Eastvale", "Riverton", "Lakeside", "Hillcrest", "Marlow"]
PEOPLE = ["Anna Berg", "Tomas Reyes", "Mina Okafor", "Piet de Vries", "Lena Holm"]
OUTLETS = ["Daily Ledger", "Harbour Post", "Metro Wire", "Valley Herald"]
FILLER = "the city council said police market prices rose again today after talks".split()


def write_corpus(folder: Path, n: int, *, seed: int = 7, start: int = 0, tag: str = "") -> None:
    """*n* news-like articles ``a0000.txt``…, each with a unique ``markerNNNN`` word."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        city, person = rng.choice(CITIES), rng.choice(PEOPLE)
        body = [
            f"Officials in {city} said {rng.randint(2, 90)} people were injured on Friday after "
            f"protests over fuel prices. Marker{i:04d} kzcommon {tag}",
            f"“We will restore calm,” {person} told reporters in {city}, adding that at least "
            f"{rng.randint(3, 40)} officers were hurt.",
            " ".join(rng.choice(FILLER) for _ in range(50)) + ".",
        ]
        text = f"Unrest in {city}, report {i}\n\n" + "\n\n".join(body) + f"\n\nSource: {rng.choice(OUTLETS)}\n"
        (folder / f"a{i:04d}.txt").write_text(text, encoding="utf-8")


def env_for(cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KZ_")}
    env.update(KAZREADER_CACHE=str(cache), KZ_BATCH=str(BATCH), **extra)
    return env


def start(corpus: Path, cache: Path, *args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _RUNNER, *args, "--corpus", str(corpus)],
        cwd=ROOT, env=env_for(cache, **extra), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def search(corpus: Path, cache: Path, query: str = "kzcommon", **extra: str) -> tuple[int, dict | None, str]:
    """Run ``kazreader search QUERY --json --limit 2000`` to completion."""
    proc = start(corpus, cache, "search", query, "--json", "--limit", "2000", **extra)
    out, err = proc.communicate(timeout=120)
    return proc.returncode, (json.loads(out) if proc.returncode == 0 else None), err


def index_dir(cache: Path, corpus: Path) -> Path:
    old = os.environ.get("KAZREADER_CACHE")
    os.environ["KAZREADER_CACHE"] = str(cache)
    try:
        return corpus_cache_dir([str(corpus.resolve())]) / "index"
    finally:
        if old is None:
            del os.environ["KAZREADER_CACHE"]
        else:
            os.environ["KAZREADER_CACHE"] = old


def committed(directory: Path) -> tuple[set[str], list[str]]:
    """The ids a search of the index finds, and what opening it said."""
    messages: list[str] = []
    if not directory.exists():
        return set(), messages
    with CorpusIndex.open(directory, on_message=messages.append) as ix:
        found = {h.id for h in ix.search("kzcommon", limit=5000).hits}
        assert found == set(ix.indexed()), "manifest and postings disagree"
        return found, messages


def analyses_are_whole(cache: Path) -> None:
    for path in cache.rglob("analyses/*.json"):
        json.loads(path.read_text("utf-8"))  # never a torn entry


def notes(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("note:")]


# --- SIGKILL at random points ----------------------------------------------------


def test_sigkill_at_random_points_loses_nothing_committed(tmp_path: Path) -> None:
    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    write_corpus(corpus, N_ARTICLES)
    n = N_ARTICLES
    ixdir = index_dir(cache, corpus)

    # A clean run on another cache tells how many write events a full run has.
    code, result, err = search(corpus, tmp_path / "probe")
    assert code == 0, err
    assert result is not None and result["total"] == N_ARTICLES
    total_events = int(err.rsplit("events: ", 1)[1])
    analysis_events = total_events - 2 * N_ARTICLES - 2 * (N_ARTICLES // BATCH + 1)
    assert analysis_events > 0

    rng = random.Random(20240106)
    before: set[str] = set()
    kills = revisions = 0
    for round_ in range(12):
        if round_ % 2 == 0:  # a random write event among those this run still has to do
            left = n - len(before)
            events_left = 2 * left + 2 * (left // BATCH + 1) + analysis_events
            proc = start(corpus, cache, "search", "kzcommon", "--json",
                         KZ_KILL_AT=str(rng.randint(1, events_left)))
        else:  # a random moment (may fall inside a Whoosh commit)
            proc = start(corpus, cache, "search", "kzcommon", "--json")
            time.sleep(rng.uniform(0.1, 0.6))
            proc.send_signal(signal.SIGKILL)
        _out, err = proc.communicate(timeout=120)
        assert "Traceback" not in err
        analyses_are_whole(cache)
        after, messages = committed(ixdir)
        if before:
            assert messages == [], messages  # no repair needed once something was committed
        assert before <= after, f"lost committed articles: {sorted(before - after)[:5]}"
        assert after <= {f"a{i:04d}" for i in range(n)}
        before = after
        if proc.returncode == -signal.SIGKILL:
            kills += 1
            continue
        assert proc.returncode == 0, err
        assert len(after) == n
        # Finished: give the next runs more to do (new and revised articles).
        revisions += 1
        write_corpus(corpus, 60, seed=100 + round_, start=n)
        write_corpus(corpus, 30, seed=200 + round_, start=rng.randrange(n - 30), tag=f"revision{revisions}")
        n += 60
    assert kills >= 8  # the seed makes most rounds die mid-run

    # The next run opens the index as it is, finishes the rest, and waits for no lock.
    t0 = time.monotonic()
    code, result, err = search(corpus, cache)
    assert code == 0, err
    assert notes(err) == []  # no "waiting for another process", no "rebuilding"
    assert time.monotonic() - t0 < 30
    assert result is not None and result["total"] == n
    assert {h["id"] for h in result["hits"]} == {f"a{i:04d}" for i in range(n)}
    code, result, err = search(corpus, cache, "marker0123")
    assert code == 0 and [h["id"] for h in result["hits"]] == ["a0123"]
    if revisions:  # revised texts replaced the old ones
        code, result, err = search(corpus, cache, f"revision{revisions}")
        assert code == 0 and result["total"] == 30


def test_killed_between_commit_and_manifest(tmp_path: Path) -> None:
    """The manifest lags the postings: the next run trusts the stored fields."""
    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    write_corpus(corpus, 100)
    ixdir = index_dir(cache, corpus)
    # Manifest writes: 1 when the index is created, then one after each batch's
    # commit. Die on entering the 4th: the 3rd batch is committed, not recorded.
    proc = start(corpus, cache, "search", "kzcommon", "--json", KZ_KILL_AT_MANIFEST="4")
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    manifest = json.loads((ixdir / "manifest.json").read_text())
    assert len(manifest["docs"]) == 2 * BATCH  # the manifest describes two batches…
    found, messages = committed(ixdir)
    assert messages == []
    assert len(found) == 3 * BATCH  # …but three were committed, and none is lost
    code, result, err = search(corpus, cache)
    assert code == 0 and result["total"] == 100 and notes(err) == []


# --- two processes at once --------------------------------------------------------------


def test_two_processes_on_one_corpus(tmp_path: Path) -> None:
    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    write_corpus(corpus, N_ARTICLES)
    for step in range(2):
        if step == 1:  # then both update: 40 new articles, 20 changed
            write_corpus(corpus, 40, seed=8, start=N_ARTICLES)
            write_corpus(corpus, 20, seed=9, start=0, tag="revised")
        procs = [start(corpus, cache, "search", "kzcommon", "--json", "--limit", "2000") for _ in range(2)]
        results = [p.communicate(timeout=120) for p in procs]
        expected = N_ARTICLES + 40 * step
        for proc, (out, err) in zip(procs, results):
            assert proc.returncode == 0, err
            assert "Traceback" not in err
            assert set(notes(err)) <= {"note: waiting for another process to finish indexing…"}
            assert json.loads(out)["total"] == expected
        found, messages = committed(index_dir(cache, corpus))
        assert messages == [] and len(found) == expected
    code, result, err = search(corpus, cache, "revised")
    assert code == 0 and {h["id"] for h in result["hits"]} == {f"a{i:04d}" for i in range(20)}
    analyses_are_whole(cache)


# --- corrupt and mismatched caches, through the CLI ------------------------------------------


@pytest.fixture
def small(tmp_path: Path, capsys) -> tuple[Path, Path, dict[str, str]]:
    """A 30-article corpus, its cache after one full run, and each command's clean output."""
    from kazreader.cli import main

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 30)
    outputs = {}
    for cmd in ("entities", "quotes", "figures", "passages"):
        assert main([cmd, "--json", "--corpus", str(corpus)]) == 0
        outputs[cmd] = capsys.readouterr().out
    assert main(["search", "kzcommon", "--json", "--corpus", str(corpus)]) == 0
    outputs["search"] = capsys.readouterr().out
    cache = Path(os.environ["KAZREADER_CACHE"])
    return corpus, cache, outputs


def run_all(capsys, corpus: Path) -> tuple[dict[str, str], list[str]]:
    from kazreader.cli import main

    outputs, err_lines = {}, []
    for argv in (["entities"], ["quotes"], ["figures"], ["passages"], ["search", "kzcommon"]):
        assert main([*argv, "--json", "--corpus", str(corpus)]) == 0
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        outputs[argv[0]] = out
        err_lines += err.splitlines()
    return outputs, err_lines


@pytest.mark.parametrize(
    "damage",
    [b"\x00\xff garbage", b'{"truncated": [1, 2', b'{"unexpected": "shape"}', b"[[1, 2], [3]]", b""],
    ids=["garbage", "truncated", "object", "nested-list", "empty"],
)
def test_corrupt_analysis_entries_are_recomputed(small, capsys, damage: bytes) -> None:
    corpus, cache, clean = small
    entries = sorted(cache.rglob("analyses/*.json"))
    assert len(entries) >= 4
    for path in entries:
        path.write_bytes(damage)
    outputs, err = run_all(capsys, corpus)
    assert outputs == clean
    assert err, "a repaired cache entry must be reported"
    assert all(line.startswith("note: cache entry ") and line.endswith(" was corrupt; recomputed")
               for line in err), err
    assert {line.split()[3] for line in err} == {p.stem for p in entries}
    _again, err = run_all(capsys, corpus)
    assert err == []  # rewritten whole


def test_corrupt_index_is_rebuilt_with_a_message(small, capsys) -> None:
    corpus, cache, clean = small
    ixdir = index_dir(cache, corpus)
    damaged = [p for p in ixdir.iterdir() if p.name.startswith(("_MAIN", "MAIN")) and p.suffix in (".toc", ".seg")]
    assert damaged
    for p in damaged:
        p.write_bytes(p.read_bytes()[:40])  # truncated, as by a full disk
    outputs, err = run_all(capsys, corpus)
    assert outputs == clean
    assert err == ["note: the index was damaged; rebuilding"]


def test_version_mismatched_index_is_rebuilt_with_a_message(small, capsys) -> None:
    corpus, cache, clean = small
    (index_dir(cache, corpus) / "VERSION").write_text("kazreader-index-0\n")
    outputs, err = run_all(capsys, corpus)
    assert outputs == clean
    assert err == [f"note: index version changed (kazreader-index-0 → {VERSION}); rebuilding"]


def test_garbage_manifest_is_rebuilt_silently(small, capsys) -> None:
    corpus, cache, clean = small
    (index_dir(cache, corpus) / "manifest.json").write_bytes(b"\x00{not json")
    outputs, err = run_all(capsys, corpus)
    assert outputs == clean and err == []  # the stored fields are the truth: nothing lost


def test_processes_rebuilding_an_outdated_index_at_once_do_not_clobber_each_other(tmp_path: Path) -> None:
    """Four processes find a version-mismatched index at the same moment: the open
    lock lets one rebuild it; the others then open the rebuilt index."""
    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    write_corpus(corpus, 40)
    code, _, err = search(corpus, cache, "kzcommon")
    assert code == 0, err
    idx = index_dir(cache, corpus)
    (idx / "VERSION").write_text("0-outdated\n", encoding="utf-8")
    procs = [start(corpus, cache, "search", "kzcommon", "--json", "--limit", "100") for _ in range(4)]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, results):
        assert proc.returncode == 0, err
        assert "Traceback" not in err
        assert json.loads(out)["total"] == 40
    rebuilt = [err for _, err in results if "rebuilding" in err]
    assert len(rebuilt) == 1, rebuilt
    found, messages = committed(idx)
    assert messages == [] and len(found) == 40


def test_four_processes_indexing_a_fresh_corpus_at_once(tmp_path: Path) -> None:
    """The first large sync of a fresh index picks its pair words and recreates the
    index generation: only one process may do that, the others must use its choice."""
    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    write_corpus(corpus, N_ARTICLES)
    procs = [start(corpus, cache, "search", "kzcommon", "--json", "--limit", "1000") for _ in range(4)]
    results = [p.communicate(timeout=180) for p in procs]
    for proc, (out, err) in zip(procs, results):
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "unexpected error" not in err
        assert json.loads(out)["total"] == N_ARTICLES
    found, messages = committed(index_dir(cache, corpus))
    assert messages == [] and len(found) == N_ARTICLES
