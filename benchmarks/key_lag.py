"""Key latency in the library while a first opening of a large corpus is being ingested.

    python -m benchmarks.key_lag CORPUS_DIR            # analyses in a child process (the default)
    python -m benchmarks.key_lag CORPUS_DIR --thread   # analyses in a TUI thread (the first pass)

Starts the TUI headless on an empty cache (``KAZREADER_CACHE`` points at a
fresh temporary folder), waits until the corpus is loaded and the analyses
have run for 3 s, then presses ``j``/``k`` 40 times, 50 ms apart, timing each
press until the app has processed it. Prints p50, p95 and max. Make a corpus
with ``python -c "from benchmarks.run import write_corpus; from pathlib import
Path; write_corpus(5000, 7, Path('/tmp/c5k'))"``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time


async def measure(corpus: str, presses: int) -> list[float]:
    from kazreader.ui.app import KazreaderApp

    app = KazreaderApp([corpus])
    lags: list[float] = []
    async with app.run_test(size=(140, 40)) as pilot:
        while app.workspace is None:
            await asyncio.sleep(0.05)
        await asyncio.sleep(3)  # the analyses are under way
        for i in range(presses):
            t0 = time.perf_counter()
            await pilot.press("j" if i % 2 == 0 else "k")
            lags.append(time.perf_counter() - t0)
            await asyncio.sleep(0.05)
    return lags


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--thread", action="store_true", help="compute the analyses in a TUI thread instead")
    ap.add_argument("--presses", type=int, default=40)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kazlag-") as cache:
        os.environ["KAZREADER_CACHE"] = cache
        if args.thread:
            from kazreader.ui import app as app_module

            app_module.CHILD_INGEST_MIN = 10**9
        lags = sorted(asyncio.run(measure(args.corpus, args.presses)))
    ms = [x * 1000 for x in lags]
    mode = "thread" if args.thread else "child process"
    print(f"analyses in a {mode}: key latency p50 {statistics.median(ms):.0f} ms, "
          f"p95 {ms[int(0.95 * (len(ms) - 1))]:.0f} ms, max {ms[-1]:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
