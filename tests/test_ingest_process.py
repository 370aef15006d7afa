"""The background ingest: a child process fills the cache while its parent stays free."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest

from kazreader.ingest_process import IngestFailed, IngestProcess
from kazreader.workspace import Workspace

FLOOD = Path(__file__).parent / "data" / "flood"


def test_child_ingest_fills_the_cache_and_reports_progress(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert Workspace([FLOOD], cache_dir=cache).pending() == ["clusters", "entities", "quotes", "figures"]
    seen: list[tuple[str, int, int]] = []
    stored: list[str] = []
    times = IngestProcess([FLOOD], cache).run(on_progress=lambda *p: seen.append(p), on_stored=stored.append)
    assert {"figures", "clusters", "entities", "quotes", "index"} <= set(times)
    # each result is announced once it is in the cache, the index last
    assert sorted(stored) == ["clusters", "corpus", "entities", "figures", "index", "listing", "quotes"]
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


def test_stop_kills_the_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    child = IngestProcess([FLOOD], tmp_path / "cache")
    # a child that never finishes on its own, with a worker of its own (as ingest forks them)
    script = "import subprocess, time; subprocess.Popen(['sleep', '61.25']); time.sleep(60)"
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
    time.sleep(0.3)
    child.stop()
    t.join(10)
    assert not t.is_alive() and time.monotonic() - t0 < 10
    time.sleep(0.2)
    left = subprocess.run(["pgrep", "-f", "sleep 61.25"], capture_output=True, text=True).stdout
    assert left == ""  # the worker went with it
    assert len(errors) == 1 and isinstance(errors[0], IngestFailed) and str(errors[0]) == "stopped"
    # stopped before it started: it never starts
    with pytest.raises(IngestFailed, match="stopped"):
        child.run()
