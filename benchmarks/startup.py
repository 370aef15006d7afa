"""Start-up time: kazreader's library vs a bare Textual app, started the same way.

    python benchmarks/startup.py            # 7 runs each
    python benchmarks/startup.py --runs 15 --corpus path/to/corpus

How it is measured (the same for both apps, in one invocation):

* Each run is a fresh ``python benchmarks/startup.py --child KIND`` subprocess
  (interpreter start-up, imports, app construction, first layout and paint),
  timed by the parent from spawn to exit, wall clock.
* Both apps run with ``App.run(headless=True)`` at 120x36 (no terminal is
  needed, so the numbers do not depend on the terminal emulator).
* ``bare``: an ``App`` with a Header, a DataTable (5 rows) and a Footer; from
  ``call_after_refresh`` after its first mount (i.e. once painted) it writes
  ``READY`` to its stdout and exits.
* ``kazreader``: the real app on the corpus; it writes ``READY`` from
  ``call_after_refresh`` once the corpus is loaded and the library table is
  filled (the moment it is interactive). The background analyses may still
  be reading the cache at that moment: that is what a user sees too.
* The parent's clock stops at the ``READY`` line, so process shutdown is
  counted for neither app.
* The cache is warm: one untimed run first lets every analysis finish and be
  written to a private cache directory, which every timed run then uses.

The table reports median and min per app and the ratio kazreader/bare, plus the
time each child spent before the app's first line of code (imports) as a hint
of where time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (120, 36)


# -- the children -------------------------------------------------------------


def _child_bare(report: dict[str, float], t0: float) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    report["imported"] = time.perf_counter() - t0

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable(id="t")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("outlet", "date", "title", "words")
            for i in range(5):
                table.add_row(f"outlet {i}", "2022-01-0{i}", f"title {i}", str(100 * i))
            self.call_after_refresh(_signal_ready, report, t0)

    Bare().run(headless=True, size=SIZE)


def _child_kazreader(report: dict[str, float], t0: float, corpus: list[str], full: bool) -> None:
    from kazreader.ui.app import KazreaderApp
    from kazreader.ui.widgets.status import StageDone, WorkspaceReady

    report["imported"] = time.perf_counter() - t0

    class Timed(KazreaderApp):
        # (Textual calls the app's own handlers after these: calling super() would run them twice)
        def on_workspace_ready(self, message: WorkspaceReady) -> None:
            if not full:
                self.call_after_refresh(self.painted, len(message.workspace.articles))

        def painted(self, articles: int) -> None:
            from textual.widgets import DataTable

            from kazreader.ui.screens.library import PAGE

            # the library lists the first PAGE rows and adds more as you scroll
            assert self.library.query_one("#articles", DataTable).row_count == min(PAGE, articles)
            _signal_ready(report, t0)

        def on_stage_done(self, message: StageDone) -> None:
            if full:  # (checked once the app's own handler has recorded the stage)
                self.call_after_refresh(self.exit_when_warm)

        def exit_when_warm(self) -> None:
            if all(self.stages.get(s) in ("done", "failed") for s in
                   ("clusters", "entities", "quotes", "figures", "index")):
                self.exit()

    Timed(corpus or None).run(headless=True, size=SIZE)


def _signal_ready(report: dict[str, float], t0: float) -> None:
    """Tell the parent the app is interactive (straight to fd 1: Textual captures print), then leave.

    The parent stops its clock at this line, so shutting down (waiting for
    background threads) is never counted, for either app.
    """
    report["ready"] = time.perf_counter() - t0
    os.write(1, ("READY " + json.dumps(report) + "\n").encode())
    os._exit(0)


def child(kind: str, corpus: list[str]) -> None:
    t0 = time.perf_counter()
    report: dict[str, float] = {}
    if kind == "bare":
        _child_bare(report, t0)
    else:
        _child_kazreader(report, t0, corpus, full=kind == "warm")
    os.write(1, ("READY " + json.dumps(report) + "\n").encode())
    os._exit(0)


# -- the parent ---------------------------------------------------------------


def _run(kind: str, corpus: list[str], env: dict[str, str]) -> tuple[float, dict[str, float]]:
    """Spawn one child; the wall time until it says READY, and what it reported."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, *corpus]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    wall, report = None, {}
    for line in proc.stdout:
        if line.startswith("READY "):
            wall = time.perf_counter() - start
            report = json.loads(line.removeprefix("READY "))
            break
    _out, err = proc.communicate(timeout=300)
    if wall is None:
        raise SystemExit(f"{kind} run never became ready ({proc.returncode}):\n{err[-2000:]}")
    return wall, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="kazreader start-up time vs a bare Textual app")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", choices=("bare", "kazreader", "warm"), help=argparse.SUPPRESS)
    parser.add_argument("corpus", nargs="*", help="corpus paths (default: the bundled corpus)")
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.corpus)
        return 0

    with tempfile.TemporaryDirectory(prefix="kazreader-startup-") as cache:
        env = dict(os.environ, KAZREADER_CACHE=cache, PYTHONDONTWRITEBYTECODE="0")
        env.pop("TEXTUAL", None)
        print("warming the cache (one untimed run that finishes every analysis)…", flush=True)
        warm_wall, _ = _run("warm", args.corpus, env)
        print(f"  cold start + every analysis: {1000 * warm_wall:.0f} ms")
        _run("bare", [], env)  # warm the OS file cache for Textual's own imports too
        walls: dict[str, list[float]] = {"bare": [], "kazreader": []}
        imports: dict[str, list[float]] = {"bare": [], "kazreader": []}
        for _ in range(args.runs):  # interleaved, so drift hits both alike
            for kind in ("bare", "kazreader"):
                wall, report = _run(kind, args.corpus, env)
                walls[kind].append(wall)
                imports[kind].append(report.get("imported", float("nan")))

    def ms(v: float) -> str:
        return f"{1000 * v:8.0f}"

    print()
    print(f"{args.runs} runs each, headless {SIZE[0]}x{SIZE[1]}, warm cache; wall time from spawn to interactive")
    print(f"{'app':<12}{'median ms':>10}{'min ms':>10}{'imports ms':>12}")
    for kind in ("bare", "kazreader"):
        print(f"{kind:<12}{ms(statistics.median(walls[kind])):>10}{ms(min(walls[kind])):>10}"
              f"{ms(statistics.median(imports[kind])):>12}")
    ratio = statistics.median(walls["kazreader"]) / statistics.median(walls["bare"])
    ratio_min = min(walls["kazreader"]) / min(walls["bare"])
    print(f"ratio kazreader/bare: {ratio:.2f}x (median), {ratio_min:.2f}x (min)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
