"""A large first opening is ingested by a child process; quitting kills it."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import wait_ready, wait_until

from kazreader.ui import app as app_module
from kazreader.ui.app import KazreaderApp

FLOOD = Path(__file__).parents[1] / "data" / "flood"


async def test_first_opening_ingests_in_a_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAZREADER_CACHE", str(tmp_path / "cache"))  # a cold cache of its own
    monkeypatch.setattr(app_module, "CHILD_INGEST_MIN", 1)
    app = KazreaderApp([str(FLOOD)])
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot, app)
        assert app._ingest is not None  # the child ran
        assert set(app.stages.values()) == {"done"}
        assert app.workspace is not None and app.workspace.pending() == []
        assert app.library.shared is not None


async def test_warm_cache_needs_no_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "CHILD_INGEST_MIN", 1)
    app = KazreaderApp([str(FLOOD)])
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot, app)
    app = KazreaderApp([str(FLOOD)])
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot, app)
        assert app._ingest is None


async def test_quitting_kills_the_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kazreader.ingest_process import IngestProcess

    monkeypatch.setenv("KAZREADER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(app_module, "CHILD_INGEST_MIN", 1)
    monkeypatch.setattr(IngestProcess, "command", lambda self: ["python3", "-c", "import time; time.sleep(60)"])
    app = KazreaderApp([str(FLOOD)])
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app._ingest is not None and app._ingest._proc is not None)
        proc = app._ingest._proc
        assert proc.poll() is None
        await pilot.press("q")
    assert proc.wait(timeout=30) is not None


async def test_a_search_waits_for_the_background_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Typed while the child builds the index, a search waits for it: no second index is built here."""
    import threading

    from kazreader.ingest_process import IngestProcess

    monkeypatch.setenv("KAZREADER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(app_module, "CHILD_INGEST_MIN", 1)
    go = threading.Event()
    real_run = IngestProcess.run

    def held_run(self, *args, **kwargs):
        go.wait(30)  # the child is still busy
        return real_run(self, *args, **kwargs)

    monkeypatch.setattr(IngestProcess, "run", held_run)
    app = KazreaderApp([str(FLOOD)])
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.workspace is not None and app.library._index_elsewhere)
        await pilot.press("slash", *"flood")
        status = app.library.query_one("#search-status")
        await wait_until(pilot, lambda: "built in the background" in str(status.render()))
        assert app.workspace._index is None  # nothing indexed in this process
        go.set()
        await wait_until(pilot, lambda: "match" in str(status.render()), timeout=30)
        assert app.library.last_result is not None and app.library.last_result.total > 0


async def test_a_large_first_opening_is_loaded_by_the_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing cached and large: the child loads the articles; the reader reads its snapshot."""
    from kazreader.corpus import loader
    from kazreader.corpus.snapshot import SNAPSHOT_NAME
    from kazreader.workspace import Workspace

    monkeypatch.setenv("KAZREADER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(loader, "PARALLEL_LOAD_BYTES", 0)  # the flood corpus counts as large
    monkeypatch.setattr(app_module, "CHILD_INGEST_MIN", 1)
    parsed_here: list[str] = []
    real_parse = loader._Loader.parse_file

    def spy(self, path, data, events):
        parsed_here.append(path)
        return real_parse(self, path, data, events)

    monkeypatch.setattr(loader._Loader, "parse_file", spy)
    app = KazreaderApp([str(FLOOD)])
    assert app._first_large_opening()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot, app)
        assert app._opened_in_child and app._ingest is not None
        assert parsed_here == []  # every article came from the child's snapshot
        assert (Workspace.cache_dir_for([str(FLOOD)]) / SNAPSHOT_NAME).is_file()
        assert set(app.stages.values()) == {"done"}
        assert app.workspace is not None and len(app.workspace.articles) == 3
        assert app.workspace.pending() == [] and app.library.shared is not None
    # opened again: the snapshot is there, so the reader loads it itself
    assert not KazreaderApp([str(FLOOD)])._first_large_opening()


async def test_a_child_that_fails_before_loading_leaves_the_load_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kazreader.corpus import loader
    from kazreader.ingest_process import IngestProcess

    monkeypatch.setenv("KAZREADER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(loader, "PARALLEL_LOAD_BYTES", 0)
    monkeypatch.setattr(app_module, "CHILD_INGEST_MIN", 10_000)  # no second child afterwards
    monkeypatch.setattr(IngestProcess, "command", lambda self: ["python3", "-c", "raise SystemExit(3)"])
    app = KazreaderApp([str(FLOOD)])
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot, app)
        assert not app._opened_in_child
        assert app.workspace is not None and len(app.workspace.articles) == 3
        assert set(app.stages.values()) == {"done"}
