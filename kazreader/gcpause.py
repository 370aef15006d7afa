"""The cyclic garbage collector paused while a step makes many objects that hold no cycles.

Each collection walks every tracked object made so far; a step that builds
hundreds of thousands of lists and records (an analysis' merge, a cached
result decoded) would pay for walks that free nothing. Pausing only defers
collection: results are the same.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic GC paused for the block (left as it was found: a caller may have paused it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
