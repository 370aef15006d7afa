"""Grouping the positions of repeated items, at C speed.

Indexing an article and preparing it for alignment both need, for each
distinct word (or n-gram), the positions where it occurs. Most occur once,
so building a list per item in a Python loop wastes most of the work:
:func:`group_positions` finds every item's first position with C-level
``map`` calls and builds lists only for the items that repeat.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Sequence
from itertools import compress
from operator import ne
from typing import TypeVar

__all__ = ["group_positions"]

K = TypeVar("K", bound=Hashable)


def group_positions(
    items: Sequence[K], positions: Iterable[int] | None = None
) -> tuple[dict[K, int], dict[K, list[int]]]:
    """``(first, repeated)`` of *items* found at *positions* (default 0, 1, 2 …).

    ``first`` maps every distinct item, in order of first occurrence, to its
    first position; ``repeated`` maps each item found more than once to all
    its positions, in order. Equal to grouping ``{item: [position, ...]}``
    in a loop, several times faster when most items are unique.
    """
    at = list(range(len(items)) if positions is None else positions)
    first: dict[K, int] = {}
    deque(map(first.setdefault, items, at), 0)
    repeated: dict[K, list[int]] = {}
    if len(first) == len(at):
        return first, repeated
    last = dict(zip(items, at))  # (same key order as first)
    for item in compress(first, map(ne, first.values(), last.values())):
        repeated[item] = []
    marks = list(map(repeated.__contains__, items))
    deque(map(list.append, map(repeated.__getitem__, compress(items, marks)), compress(at, marks)), 0)
    return first, repeated
