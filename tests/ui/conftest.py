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
