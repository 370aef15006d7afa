"""Measuring: CPU and wall time, peak memory, load average, query latencies."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def cpu_now() -> float:
    """CPU seconds of this process and of its children waited for so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def hwm_mb() -> float:
    """This process' peak resident memory in MiB.

    ``VmHWM`` rather than ``ru_maxrss``: Linux carries ``ru_maxrss`` over
    ``fork`` + ``exec``, so a stage would report at least its launcher's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_mb() -> dict[str, float]:
    """Peak memory of this process and of its largest child (an upper bound, see :func:`hwm_mb`)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_mb": round(hwm_mb(), 1), "peak_child_mb": round(kids, 1)}


@dataclass
class Timed:
    """A finished process: wall and CPU seconds (its own + its children's), peak RSS, output."""

    wall_s: float
    cpu_s: float
    maxrss_mb: float
    returncode: int
    stdout: str
    stderr: str

    def numbers(self) -> dict[str, Any]:
        d = asdict(self)
        del d["stdout"], d["stderr"]
        if self.returncode:
            d["error"] = self.stderr.strip().splitlines()[-1:] or ["failed"]
        return d


def run_timed(cmd: Sequence[str], *, cwd: Path, env: dict[str, str] | None = None,
              timeout: float = 3600) -> Timed:
    """Run *cmd* and measure it with ``wait4``: its CPU includes every descendant it waited for.

    ``maxrss_mb`` is the largest peak RSS of the process and its descendants.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, text=True)
        deadline = t0 + timeout
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
            time.sleep(0.005)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Timed(round(wall, 3), round(ru.ru_utime + ru.ru_stime, 3),
                     round(ru.ru_maxrss / 1024, 1), proc.returncode, out.read(), err.read())


def latency(run: Callable[[str], Any], queries: Sequence[str]) -> dict[str, float]:
    """p50/p95 CPU milliseconds of ``run(q)`` over *queries* (after one warm-up call).

    CPU time of this process: other jobs on a shared machine do not inflate
    it; on an idle machine wall time is the same. Queries that raise are
    counted in ``errors`` and left out.
    """
    if not queries:
        return {"p50_ms": float("nan"), "p95_ms": float("nan"), "n": 0}
    try:
        run(queries[0])
    except Exception:  # noqa: BLE001 - a baseline's parser may reject a query
        pass
    times, errors = [], 0
    for q in queries:
        t0 = time.process_time()
        try:
            run(q)
        except Exception:  # noqa: BLE001
            errors += 1
            continue
        times.append(time.process_time() - t0)
    times.sort() if times else times.append(float("nan"))
    return {
        "p50_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 2),
        "n": len(queries) - errors, "errors": errors,
    }


def clock() -> tuple[float, float]:
    """(wall, CPU of this process and its waited children) now."""
    return time.perf_counter(), cpu_now()


def since(start: tuple[float, float]) -> dict[str, float]:
    """Wall and CPU seconds since *start* (from :func:`clock`)."""
    wall, cpu = clock()
    return {"wall_s": round(wall - start[0], 3), "cpu_s": round(cpu - start[1], 3)}
