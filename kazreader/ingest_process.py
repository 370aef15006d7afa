"""Run :meth:`Workspace.ingest` in a child process and follow its progress.

The first opening of a large corpus computes every analysis and builds the
index: minutes of CPU work at 20,000 articles. Done in a thread of the TUI,
that work holds the GIL and every keystroke waits for it. Done here, in a
fresh interpreter (``python -m kazreader.ingest_process``), it runs on the
other cores at a lower priority, writes its results to the on-disk cache, and
the TUI only reads them when it ends.

The child speaks JSON lines on stdout::

    {"progress": ["index", 1200, 20000]}     a step's progress
    {"stored": "corpus"}                     the articles are loaded (and in the snapshot)
    {"stored": "entities"}                   a step's result is in the cache
    {"message": "the index was damaged; rebuilding"}
    {"done": {"figures": 4.1, ...}}          every step's wall time, last line

Anything else the child prints (a traceback) goes to stderr; a parent keeps its
tail for the error message. Killing the child at any point loses nothing
already committed: cache entries are written atomically and the index commits
in batches.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

__all__ = ["IngestFailed", "IngestProcess", "main"]

#: How much lower the child's scheduling priority is than its parent's.
NICENESS = 5


class IngestFailed(RuntimeError):
    """The child process exited without finishing (its stderr's last lines say why)."""


class IngestProcess:
    """One child process ingesting a corpus into a cache directory.

    ``run(on_progress, on_message)`` starts it and blocks until it ends
    (call it from a worker thread); :meth:`stop` may be called from any
    thread to kill it early.
    """

    def __init__(self, paths: Sequence[str | os.PathLike[str]], cache_dir: Path) -> None:
        self.paths = [str(p) for p in paths]
        self.cache_dir = Path(cache_dir)
        self._proc: subprocess.Popen[str] | None = None
        self._stopped = False
        self._lock = threading.Lock()

    def command(self) -> list[str]:
        """The child's command line."""
        return [
            sys.executable, "-m", "kazreader.ingest_process",
            "--cache-dir", str(self.cache_dir), "--", *self.paths,
        ]

    def run(
        self,
        on_progress: Callable[[str, int, int], None] | None = None,
        on_message: Callable[[str], None] | None = None,
        on_stored: Callable[[str], None] | None = None,
    ) -> dict[str, float]:
        """Start the child, relay what it reports, return its step times.

        ``on_stored(step)`` is called (in the calling thread) as soon as a
        step's result is in the cache: the caller may read it at once.

        Raises :class:`IngestFailed` if it exits without finishing (or was
        stopped).
        """
        with self._lock:
            if self._stopped:
                raise IngestFailed("stopped")
            self._proc = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
                # Its own process group: stopping it stops the workers it forks too.
                start_new_session=True,
            )
        proc = self._proc
        assert proc.stdout is not None and proc.stderr is not None
        tail: list[str] = []
        reader = threading.Thread(target=_keep_tail, args=(proc.stderr, tail), daemon=True)
        reader.start()
        done: dict[str, float] | None = None
        for line in proc.stdout:
            event = _parse(line)
            times = _relay(event, on_progress, on_message, on_stored) if event is not None else None
            if times is not None:
                done = times
        code = proc.wait()
        reader.join(timeout=5)
        if code != 0 or done is None:
            if self._stopped:
                raise IngestFailed("stopped")
            why = " ".join(t.strip() for t in tail[-3:] if t.strip()) or f"exit code {code}"
            raise IngestFailed(why)
        return done

    def stop(self) -> None:
        """Kill the child if it runs (safe to call at any time, more than once)."""
        with self._lock:
            self._stopped = True
            proc = self._proc
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the child and every worker it forked
            except (AttributeError, OSError):  # pragma: no cover - no process groups here
                proc.kill()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - a zombie we cannot reap
                pass


def _relay(
    event: dict[str, Any],
    on_progress: Callable[[str, int, int], None] | None,
    on_message: Callable[[str], None] | None,
    on_stored: Callable[[str], None] | None,
) -> dict[str, float] | None:
    """Pass one event of the child on to its callback; the step times for the last one."""
    if "progress" in event and on_progress is not None:
        stage, n, total = event["progress"]
        on_progress(str(stage), int(n), int(total))
    elif "message" in event and on_message is not None:
        on_message(str(event["message"]))
    elif "stored" in event and on_stored is not None:
        on_stored(str(event["stored"]))
    elif "done" in event:
        return {str(k): float(v) for k, v in event["done"].items()}
    return None


def _keep_tail(stream: IO[str], tail: list[str], keep: int = 20) -> None:
    for line in stream:
        tail.append(line)
        del tail[:-keep]


def _parse(line: str) -> dict[str, Any] | None:
    try:
        event = json.loads(line)
    except ValueError:
        return None
    return event if isinstance(event, dict) else None


def _emit(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """The child: ingest the corpus at the given paths into ``--cache-dir``."""
    ap = argparse.ArgumentParser(prog="python -m kazreader.ingest_process")
    ap.add_argument("--cache-dir", required=True, type=Path)
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args(argv)
    try:
        os.nice(NICENESS)  # the reader that started us stays responsive
    except (AttributeError, OSError):  # pragma: no cover - no nice() here
        pass
    from kazreader.workspace import Workspace

    ws = Workspace(
        args.paths,
        cache_dir=args.cache_dir,
        progress=lambda stage, done, total: _emit({"progress": [stage, done, total]}),
        on_message=lambda text: _emit({"message": text}),
    )
    _emit({"stored": "corpus"})  # the articles are in the corpus snapshot
    times = ws.ingest(on_done=lambda step: _emit({"stored": step}))
    ws.close()
    _emit({"done": times})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
