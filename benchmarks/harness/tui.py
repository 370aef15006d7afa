"""TUI start-up probes: the reader and a bare Textual app, each in a fresh process."""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

from benchmarks.harness.measure import run_timed

ROOT = Path(__file__).resolve().parents[2]
#: Start-ups of the bare app and of the warm TUI, alternating (medians reported).
TUI_RUNS = 5

_TUI_PROBE = textwrap.dedent(
    """
    import asyncio, json, sys, time
    T0 = float(sys.argv[2])

    async def main():
        if sys.argv[1] == "bare":
            from textual.app import App
            from textual.widgets import DataTable, Footer, Header

            class Bare(App):
                def compose(self):
                    yield Header()
                    yield DataTable(id="articles")
                    yield Footer()

                def on_mount(self):
                    t = self.query_one(DataTable)
                    t.add_columns("id", "outlet", "date", "title")
                    t.add_row("a", "b", "c", "d")

            app, want = Bare(), 1
        else:
            from kazreader.ui.app import KazreaderApp

            from kazreader.ui.screens.library import PAGE

            # the library lists the first PAGE rows and adds more as you scroll
            # warm-up on: with a warm cache every analysis is a cache read; on a
            # cold start as the reader runs it (a large first opening is loaded
            # by the background ingest process, stopped when the probe quits)
            warm = sys.argv[4] in ("all", "cold")
            app, want = KazreaderApp([sys.argv[1]], warm=warm), min(PAGE, int(sys.argv[3]))
        out = {}
        async with app.run_test(size=(140, 40)) as pilot:
            while True:
                try:
                    table = app.screen.query_one("#articles")
                    if table.row_count >= want:
                        break
                except Exception:
                    pass
                await asyncio.sleep(0.005)
            out["first_paint_s"] = time.time() - T0
            if sys.argv[1] != "bare" and sys.argv[4] == "all":
                # every analysis loaded and the index open: the TUI's steady state
                while len(app.stages) < 5 or any(v not in ("done", "failed") for v in app.stages.values()):
                    await asyncio.sleep(0.01)
                out["all_ready_s"] = time.time() - T0
        rss = [int(l.split()[1]) / 1024 for l in open("/proc/self/status") if l.startswith("VmHWM:")]
        out["peak_mb"] = rss[0] if rss else None
        print(json.dumps(out))

    asyncio.run(main())
    """
)


def tui_start(target: str, rows: int, env: dict[str, str], wait: str = "paint") -> dict[str, Any]:
    """Seconds from process start until the library table holds *rows* rows.

    With ``wait="all"`` also until every analysis is loaded (``all_ready_s``),
    and the peak memory is the TUI's with everything loaded; ``wait="cold"``
    starts the app as the reader does (warm-up on) and stops at first paint.
    """
    t0 = time.time()
    proc = run_timed([sys.executable, "-c", _TUI_PROBE, target, repr(t0), str(rows), wait],
                     cwd=ROOT, env=env, timeout=600)
    if proc.returncode:
        return proc.numbers()
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out.update(process_s=proc.wall_s, cpu_s=proc.cpu_s, maxrss_mb=proc.maxrss_mb)
    return out


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median ``first_paint_s`` (failed runs left out)."""
    ok = sorted((r for r in runs if "first_paint_s" in r), key=lambda r: r["first_paint_s"])
    return ok[len(ok) // 2] if ok else (runs[0] if runs else {})


def copy_cache(cache: Path, corpus: Path, env: dict[str, str]) -> None:
    """Copy the ingest stage's cache to where the TUI (``KAZREADER_CACHE`` in *env*) finds it."""
    from kazreader import paths

    saved = os.environ.get("KAZREADER_CACHE")
    os.environ["KAZREADER_CACHE"] = env["KAZREADER_CACHE"]
    try:
        target = paths.corpus_cache_dir([str(corpus)])
    finally:
        if saved is None:
            del os.environ["KAZREADER_CACHE"]
        else:
            os.environ["KAZREADER_CACHE"] = saved
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(cache, target)
