"""The bounded memo caches of kazreader's modules, emptied between two steps of one process.

Many small functions keep an ``lru_cache`` of their answers (a name's
comparison key, a word's stem): hundreds of thousands of strings once a
large corpus went through them. A process that goes on to another step
asks few of the same questions, and the memory they hold is then the floor
under that step's own peak: in a first ingest at 10,000 real articles, the
quotes' child held ~45 MiB of them from the per-article parts it filled
before grouping. :func:`clear_memos` empties them (the unbounded ones, word
lists read once from data files, are kept).
"""

from __future__ import annotations

import functools
import sys

__all__ = ["clear_memos"]


def clear_memos() -> int:
    """Empty every bounded ``functools.lru_cache`` of the loaded ``kazreader`` modules; how many
    entries were dropped."""
    dropped = 0
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "kazreader" or name.startswith("kazreader.")):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, functools._lru_cache_wrapper) and value.cache_parameters()["maxsize"] is not None:
                dropped += value.cache_info().currsize
                value.cache_clear()
    return dropped
