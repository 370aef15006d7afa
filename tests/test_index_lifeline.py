"""Killing only the main process ends its forked indexing children too.

A process (forked from the test) starts indexing children that block; the
test kills that process with SIGKILL and waits, with a deadline, for the
children to disappear (or become zombies) — no fixed sleeps.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def alive(pid: int) -> bool:
    """True while *pid* runs (a zombie has ended: it only waits to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_until_gone(pids: list[int], deadline: float = 20.0) -> list[int]:
    """The *pids* still running after *deadline* seconds (those are then killed: a failure must not leave them)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        left = [p for p in pids if alive(p)]
        if not left:
            return []
        time.sleep(0.02)  # (polling the condition, with a deadline)
    left = [p for p in pids if alive(p)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


def read_pids(fd: int, count: int) -> list[int]:
    data = b""
    while data.count(b"\n") < count:
        chunk = os.read(fd, 64)
        assert chunk, "the indexing process ended before its children started"
        data += chunk
    return [int(x) for x in data.split()]


def children_outliving(parent: int, r: int, count: int) -> list[int]:
    """Read *count* children's pids from the pipe *r*, SIGKILL their *parent*,
    and return those still running after the deadline."""
    children = read_pids(r, count)
    os.close(r)
    assert parent not in children and all(alive(p) for p in children)  # (real children, running)
    os.kill(parent, signal.SIGKILL)
    os.waitpid(parent, 0)
    return wait_until_gone(children)


def test_die_with_parent_ends_a_child_whose_parent_is_killed() -> None:
    from kazreader.lifeline import die_with_parent

    r, w = os.pipe()
    parent = os.fork()
    if parent == 0:  # the "main process"
        os.close(r)
        me = os.getpid()
        if os.fork() == 0:  # its worker
            die_with_parent(me)
            os.write(w, f"{os.getpid()}\n".encode())
            while True:
                signal.pause()
        while True:
            signal.pause()
    os.close(w)
    assert children_outliving(parent, r, 1) == []


def test_killing_the_indexer_ends_its_indexing_children(tmp_path: Path) -> None:
    from builders import art
    from kazreader.index import CorpusIndex, whooshfix
    from kazreader.index.whooshfix.bulk import BulkSegmentWriter

    r, w = os.pipe()
    parent = os.fork()
    if parent == 0:
        try:
            os.close(r)
            ix = CorpusIndex.open(tmp_path / "ix")
            assert whooshfix.active()
            writer = ix._acquire_writer(1.0)

            def block(self: BulkSegmentWriter, **fields: object) -> None:
                os.write(w, f"{os.getpid()}\n".encode())  # a child, indexing
                while True:
                    signal.pause()

            BulkSegmentWriter.add_document = block  # type: ignore[method-assign]  # (in this process only)
            writer.add_in_children([CorpusIndex._document(art(f"d{i}", "text"), {}) for i in range(4)], 2)
        finally:
            os._exit(1)
    os.close(w)
    assert children_outliving(parent, r, 2) == []


def test_killing_an_ingest_ends_its_children(tmp_path: Path) -> None:
    """``Workspace.ingest`` forks children for the entities, the quotes and the index: they die with the
    main process too, busy or waiting."""
    import threading

    import kazreader.analysis.entities as entities_module
    from kazreader.workspace import Workspace

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Police said the protest grew in Almaty on Friday.\n", encoding="utf-8")
    r, w = os.pipe()
    parent = os.fork()
    if parent == 0:
        try:
            os.close(r)
            ws = Workspace([corpus], cache_dir=tmp_path / "cache")
            ws.articles  # (loaded before the fork)

            def block(articles: object, parts: object = None) -> None:
                # the child computing entities, and its siblings: the quotes child (waiting for it)
                # and the index child (waiting for the parent)
                siblings: list[int] = []
                for _ in range(200):
                    siblings = _children_of(os.getppid())
                    if len(siblings) >= 3:
                        break
                    time.sleep(0.05)
                os.write(w, "".join(f"{pid}\n" for pid in siblings[:3]).encode())
                while True:
                    signal.pause()

            # (in this process only; the registry's entities analysis calls it in the ingest's child)
            entities_module.extract_entities = block  # type: ignore[assignment]
            if threading.active_count() == 1:
                ws.ingest(processes=2)
        finally:
            os._exit(1)
    os.close(w)
    assert children_outliving(parent, r, 3) == []


def _children_of(pid: int) -> list[int]:
    """The pids of *pid*'s children (Linux ``/proc``)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return sorted(out)
