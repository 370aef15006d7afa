"""The background ingest: a child process fills the cache while its parent stays free."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kazreader.ingest_process import IngestFailed, IngestProcess
from kazreader.workspace import Workspace

FLOOD = Path(__file__).parent / "data" / "flood"


def test_child_ingest_fills_the_cache_and_reports_progress(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert Workspace([FLOOD], cache_dir=cache).pending() == ["clusters", "stories", "entities", "quotes", "figures"]
    seen: list[tuple[str, int, int]] = []
    stored: list[str] = []
    times = IngestProcess([FLOOD], cache).run(on_progress=lambda *p: seen.append(p), on_stored=stored.append)
    assert {"figures", "clusters", "stories", "entities", "quotes", "index"} <= set(times)
    # each result is announced once it is in the cache, the index last
    assert sorted(stored) == ["clusters", "corpus", "entities", "figures", "index", "listing", "quotes", "stories"]
    assert stored[0] == "corpus"  # the articles first (a reader may open them from the snapshot)
    assert stored[-1] == "index"
    assert {stage for stage, _, _ in seen} >= {"figures", "passages", "index"}
    ws = Workspace([FLOOD], cache_dir=cache)
    assert ws.pending() == []
    # what the child stored is what this process would compute
    fresh = Workspace([FLOOD], cache_dir=tmp_path / "other")
    assert [e.to_json() for e in ws.entities()] == [e.to_json() for e in fresh.entities()]
    assert [q.to_json() for q in ws.quotes()] == [q.to_json() for q in fresh.quotes()]
    assert ws.search('"flood"').total == fresh.search('"flood"').total > 0
    ws.close()
    fresh.close()


def test_a_failing_child_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")
    with pytest.raises(IngestFailed) as err:
        IngestProcess([FLOOD], blocker / "cache").run()
    assert "Error" in str(err.value)  # the last line of the child's traceback


def _running(pattern: str) -> bool:
    return subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout != ""


def _until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Poll *condition* (a process appearing or going away) until it holds; fail after *timeout*."""
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out waiting"
        time.sleep(0.02)


def test_stop_kills_the_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    child = IngestProcess([FLOOD], tmp_path / "cache")
    # a child that never finishes on its own, with a worker of its own (as ingest forks them)
    # (a duration of its own: other test runs on this machine must not be mistaken for it)
    marker = f"sleep 61.{os.getpid()}"
    script = f"import subprocess, time; subprocess.Popen({marker.split()!r}); time.sleep(60)"
    monkeypatch.setattr(child, "command", lambda: ["python3", "-c", script])
    errors: list[BaseException] = []

    def run() -> None:
        try:
            child.run()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    t = threading.Thread(target=run)
    t0 = time.monotonic()
    t.start()
    _until(lambda: _running(marker))  # the child runs (its worker soon)
    child.stop()
    t.join(10)
    assert not t.is_alive() and time.monotonic() - t0 < 10
    _until(lambda: not _running(marker))  # the worker went with it
    assert len(errors) == 1 and isinstance(errors[0], IngestFailed) and str(errors[0]) == "stopped"
    # stopped before it started: it never starts
    with pytest.raises(IngestFailed, match="stopped"):
        child.run()
