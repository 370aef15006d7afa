"""Forked workers that end when the process that forked them dies.

The indexing children (:meth:`~kazreader.index.whooshfix.bulk.BulkSegmentWriter.add_in_children`)
are forked; killing only the main process (``kill -9 PID``, an OOM kill)
used to leave them running, indexing for nobody. A child calls
:func:`die_with_parent` first thing: on Linux the kernel sends it ``SIGKILL``
when its parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere a daemon thread
watches the parent's pid.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading

__all__ = ["die_with_parent"]

#: ``PR_SET_PDEATHSIG`` from ``<linux/prctl.h>``.
_PR_SET_PDEATHSIG = 1
#: Seconds between two looks at the parent where ``prctl`` is not available.
_WATCH_EVERY = 0.5


def die_with_parent(parent_pid: int) -> None:
    """Make this (forked) process die when *parent_pid*, its parent, does.

    Call it first thing in the child. If the parent is already gone (it died
    between the fork and this call), the child exits at once.
    """
    if not _set_death_signal():
        _watch(parent_pid)
    if os.getppid() != parent_pid:
        os._exit(1)


def _set_death_signal() -> bool:
    """Ask the kernel for ``SIGKILL`` when the parent dies; False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    """A daemon thread that ends the process once its parent has changed (reparented: the parent died)."""

    def watch() -> None:
        stop = threading.Event()
        while not stop.wait(_WATCH_EVERY):
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="kazreader-lifeline", daemon=True).start()
