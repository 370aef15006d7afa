"""Snapshots of the main screens on the bundled corpus at fixed sizes.

Regenerate with ``pytest tests/ui/test_snapshots.py --snapshot-update`` and look
at the SVGs under ``__snapshots__/`` before committing them.
"""

from __future__ import annotations

import asyncio

from kazreader.ui.app import KazreaderApp
from kazreader.ui.widgets.status import stages


async def _ready(pilot) -> None:
    app = pilot.app
    loop = asyncio.get_running_loop()
    end = loop.time() + 20
    while not (app.workspace is not None and len(app.stages) == len(stages())
               and all(s in ("done", "failed") for s in app.stages.values())):
        assert loop.time() < end, "app never became ready"
        await pilot.pause(0.05)
    await pilot.pause(0.1)


async def _settle(pilot, predicate) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + 20
    while not predicate():
        assert loop.time() < end
        await pilot.pause(0.05)
    await pilot.pause(0.2)


def test_library(snap_compare) -> None:
    assert snap_compare(KazreaderApp(), terminal_size=(110, 24), run_before=_ready)


def test_library_search(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("slash", *'"security forces"')
        await _settle(pilot, lambda: pilot.app.screen.last_result is not None)
        await pilot.press("down")  # focus the results (no blinking cursor in frame)
        await pilot.pause(0.1)

    assert snap_compare(KazreaderApp(), terminal_size=(100, 30), run_before=run_before)


async def _first_reader_passage(pilot) -> None:
    await _ready(pilot)
    await pilot.press("enter")
    await _settle(pilot, lambda: getattr(pilot.app.screen, "analyses_ready", False))
    await pilot.press("n")
    await pilot.pause(0.1)


def test_reader(snap_compare) -> None:
    assert snap_compare(KazreaderApp(), terminal_size=(120, 36), run_before=_first_reader_passage)


def test_compare(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("c")
        await _settle(pilot, lambda: getattr(pilot.app.screen, "ready", False))
        await pilot.press("n", "n")
        await pilot.pause(0.1)

    assert snap_compare(KazreaderApp(), terminal_size=(120, 36), run_before=run_before)


def test_help_at_80x24(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.1)

    assert snap_compare(KazreaderApp(), terminal_size=(80, 24), run_before=run_before)


def test_coverage_at_80x24(snap_compare) -> None:
    """The summary of the two sides reads whole on its own row ("1 shared pa…" before)."""

    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("C")
        await _settle(pilot, lambda: getattr(pilot.app.screen, "data", None) is not None)

    assert snap_compare(KazreaderApp(), terminal_size=(80, 24), run_before=run_before)


def test_reader_in_a_light_theme(snap_compare) -> None:
    """Passages, quotes, figures and entities read on textual-light (they were navy and pale there)."""

    async def run_before(pilot) -> None:
        pilot.app.theme = "textual-light"
        await _first_reader_passage(pilot)

    assert snap_compare(KazreaderApp(), terminal_size=(120, 36), run_before=run_before)
