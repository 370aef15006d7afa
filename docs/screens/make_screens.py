"""Screenshots for the README tour: drives kazreader on the bundled corpus and saves SVGs.

Run from the repository root::

    python docs/screens/make_screens.py            # 120x36 (the default)
    python docs/screens/make_screens.py --size 160x45

Every screen is reached with keys alone, as a user would: the library, a search,
the reader on a search hit, compare, quotes, figures, coverage, reprints, the timeline and help. The
SVGs land next to this file (``docs/screens/*.svg``). A private, temporary
cache is used, so the run never touches the user's cache.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: The phrase searched for in the tour: words quoted by several outlets.
QUERY = '"extremist forces"'


async def _until(pilot: Any, predicate: Callable[[], bool], timeout: float = 60) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        if loop.time() > end:
            raise TimeoutError("the app did not get there in time")
        await pilot.pause(0.05)
    await pilot.pause(0.2)


async def tour(out: Path, size: tuple[int, int]) -> list[Path]:
    from kazreader.ui.app import KazreaderApp

    app = KazreaderApp()
    saved: list[Path] = []

    def shot(name: str) -> None:
        path = app.save_screenshot(filename=f"{name}.svg", path=str(out))
        saved.append(Path(path))
        print(f"  {name:<10} {path}")

    async with app.run_test(size=size) as pilot:
        await _until(pilot, lambda: app.workspace is not None and len(app.stages) == 5
                     and all(s in ("done", "failed") for s in app.stages.values()))
        shot("library")

        await pilot.press("slash", *QUERY, "enter")
        await _until(pilot, lambda: app.library.last_result is not None)
        shot("search")

        await pilot.press("enter")  # the first hit, its matches highlighted
        await _until(pilot, lambda: getattr(app.screen, "analyses_ready", False))
        await pilot.press("n")
        await pilot.pause(0.2)
        shot("reader")

        await pilot.press("c")  # compare with the article that shares the most
        await _until(pilot, lambda: getattr(app.screen, "ready", False))
        await pilot.press("n")
        await pilot.pause(0.2)
        shot("compare")

        await pilot.press("Q")
        await _until(pilot, lambda: bool(getattr(app.screen, "groups", None)))
        await pilot.press("j")
        await pilot.pause(0.2)
        shot("quotes")

        await pilot.press("F")
        await _until(pilot, lambda: getattr(app.screen, "loaded", False))
        shot("figures")

        await pilot.press("C")
        await _until(pilot, lambda: getattr(app.screen, "data", None) is not None)
        shot("coverage")

        await pilot.press("R")  # reprinted passages with their origin, then the timeline
        await _until(pilot, lambda: type(app.screen).__name__ == "ReprintsScreen"
                     and getattr(app.screen, "data", None) is not None)
        shot("reprints")
        await pilot.press("t")
        await pilot.pause(0.3)
        shot("timeline")

        await pilot.press("question_mark")
        await pilot.pause(0.3)
        shot("help")
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="120x36", help="terminal size, COLSxROWS (default 120x36)")
    parser.add_argument("--out", type=Path, default=HERE, help="where to write the SVGs")
    args = parser.parse_args(argv)
    cols, rows = (int(n) for n in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kazreader-screens-") as cache:
        os.environ["KAZREADER_CACHE"] = cache
        asyncio.run(tour(args.out, (cols, rows)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
