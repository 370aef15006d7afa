"""Whoosh's posting values, built without its per-position Python loops.

Byte for byte what :meth:`whoosh.formats.Positions.encode` and
:meth:`whoosh.formats.Frequency.encode` write in the pinned ``whoosh3``
(a test compares every posting with Whoosh's own writer). The indexing fast
path (:meth:`~kazreader.index.schema.KazText.index_columns`) uses them only
while :func:`kazreader.index.whooshfix.active`.
"""

from __future__ import annotations

import pickle

from whoosh.system import pack_uint

__all__ = ["count_values", "encode_count", "encode_positions", "single_values"]


#: Values of a word found once are shared for positions below this (most words of an article).
_SINGLE_POSITION_MAX = 1 << 16
#: ``Positions`` values of a word found once, by position (see :func:`single_values`).
_SINGLE_VALUES: list[bytes] = []


def single_values(n: int) -> list[bytes] | None:
    """The shared ``Positions`` values of a word found once at 0 … *n* - 1
    (None past :data:`_SINGLE_POSITION_MAX`): computed once per process
    instead of a new bytes object per posting."""
    if n > _SINGLE_POSITION_MAX:
        return None
    have = len(_SINGLE_VALUES)
    if have < n:
        upto = min(max(n, 2 * have), _SINGLE_POSITION_MAX)
        _SINGLE_VALUES.extend(pack_uint(1) + pickle.dumps([p], 2) for p in range(have, upto))
    return _SINGLE_VALUES


def encode_positions(positions: list[int]) -> bytes:
    """Whoosh's ``Positions`` posting value for sorted *positions*.

    Byte for byte what :meth:`whoosh.formats.Positions.encode` writes (a count,
    then the pickled position deltas), without its per-position Python loop.
    """
    if len(positions) == 1:
        singles = single_values(positions[0] + 1)
        if singles is not None:
            return singles[positions[0]]
    deltas = [b - a for a, b in zip([0, *positions], positions)]
    return pack_uint(len(deltas)) + pickle.dumps(deltas, 2)


#: ``Frequency`` posting values of small counts, shared (most are 1 or 2).
_COUNT_VALUES = [pack_uint(n) for n in range(256)]


def encode_count(n: int) -> bytes:
    """Whoosh's ``Frequency`` posting value of a term found *n* times (``pack_uint``)."""
    return _COUNT_VALUES[n] if n < 256 else pack_uint(n)


def count_values(freqs: list[int]) -> list[bytes]:
    if freqs and max(freqs) < 256:
        return list(map(_COUNT_VALUES.__getitem__, freqs))
    return list(map(encode_count, freqs))
