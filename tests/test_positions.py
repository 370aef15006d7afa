"""kazreader.positions.group_positions against a plain grouping loop."""

from __future__ import annotations

import random

import pytest

from kazreader.positions import group_positions


def _grouped(items, positions):
    out: dict = {}
    for item, pos in zip(items, positions):
        out.setdefault(item, []).append(pos)
    return out


@pytest.mark.parametrize("n", [0, 1, 2, 3, 40, 600])
@pytest.mark.parametrize("alphabet", ["ab", "abcdefghijklmnopqrstuvwxyz", None])
def test_group_positions_equals_a_grouping_loop(n: int, alphabet: str | None) -> None:
    rng = random.Random(n)
    items = [rng.choice(alphabet) if alphabet else f"w{i}" for i in range(n)]
    for positions in (None, [5 * i + 2 for i in range(n)]):
        grouped = _grouped(items, range(n) if positions is None else positions)
        first, repeated = group_positions(items, positions)
        assert list(first.items()) == [(k, v[0]) for k, v in grouped.items()]
        assert repeated == {k: v for k, v in grouped.items() if len(v) > 1}


def test_group_positions_takes_tuples_and_an_iterator() -> None:
    items = [("a", "b"), ("b", "c"), ("a", "b")]
    first, repeated = group_positions(items, iter([10, 11, 12]))
    assert first == {("a", "b"): 10, ("b", "c"): 11}
    assert repeated == {("a", "b"): [10, 12]}
