"""An analysis registered through the registry alone is warmed up and shown by the TUI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness import wait_ready

from kazreader.analysis.registry import REGISTRY, Analysis, Inputs
from kazreader.ui.app import KazreaderApp
from kazreader.ui.widgets.status import StageState, StatusLine

FLOOD = Path(__file__).parents[1] / "data" / "flood"


def _words(inputs: Inputs) -> Any:
    return sum(len(a.text.split()) for a in inputs.articles)


def _same(value: Any, inputs: Inputs | None = None) -> Any:
    return value


async def test_a_registered_analysis_is_a_warm_up_stage() -> None:
    REGISTRY.register(Analysis("toywords", _words, _same, _same, _same, sources=("kazreader.text",), label="words"))
    try:
        app = KazreaderApp([str(FLOOD)])
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_ready(pilot, app)
            assert app.stages["toywords"] == StageState.DONE
            assert app.library.query_one("#status", StatusLine).states["toywords"] == StageState.DONE
            assert app.workspace is not None and app.workspace.result("toywords") > 0
    finally:
        REGISTRY.unregister("toywords")
