"""UI tests share one analysis cache: they test behaviour, not caching, and
recomputing every analysis for each Pilot test would only make the suite slow."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def _shared_ui_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ui-cache")


@pytest.fixture(autouse=True)
def _isolated_cache(_shared_ui_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Overrides the per-test cache of tests/conftest.py with the shared one."""
    monkeypatch.setenv("KAZREADER_CACHE", str(_shared_ui_cache))
    return _shared_ui_cache


@pytest.fixture(autouse=True)
def _no_marks_between_tests(_shared_ui_cache: Path):  # type: ignore[no-untyped-def]
    """Marks and saved searches (kazreader.marks) are the user's data, not a cache: a test's
    marks must not show in the next test (or its snapshot)."""
    def clear() -> None:
        for db in _shared_ui_cache.glob("*/marks.sqlite*"):
            db.unlink(missing_ok=True)

    clear()
    yield
    clear()
