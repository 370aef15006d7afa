"""Shared fixtures: every test runs with its own empty cache directory."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ``KAZREADER_CACHE`` at a fresh directory so tests never share or pollute a cache."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("KAZREADER_CACHE", str(cache))
    return cache


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The bundled corpus."""
    from kazreader.paths import seeds_dir

    return seeds_dir()


@pytest.fixture(autouse=True)
def _findings_stay_here(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys a test presses (fuzzing too) may copy, export or open a URL (y, e, o): never into
    the working directory or the user's documents, never in a real browser."""
    monkeypatch.setenv("KAZREADER_EXPORT_DIR", str(tmp_path_factory.mktemp("exports")))
    monkeypatch.setenv("BROWSER", "true")
