"""The CLI's JSON writer is ``json.dumps(value, ensure_ascii=False, indent=2)`` byte for byte."""

from __future__ import annotations

import json
from enum import IntEnum, StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kazreader.jsonout import dumps_indented

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",))),
)
_keys = st.one_of(st.text(max_size=5), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(_keys, inner, max_size=4),
        st.lists(st.lists(st.integers(), min_size=2, max_size=2), max_size=3),  # spans
    ),
    max_leaves=30,
)


def _same(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


@settings(max_examples=400, deadline=None)
@given(_values)
def test_equal_to_json_dumps(value: Any) -> None:
    _same(value)


class Kind(StrEnum):
    PERSON = "PERSON"


class Level(IntEnum):
    HIGH = 3


def test_subclasses_pairs_and_edges() -> None:
    for value in (
        [], {}, [[]], [{}], {"a": []}, "x\u2028\u0085\"\\", [[1, 2], [3, True]], [[1, 2], [3]], [[1.0, 2]],
        {"spans": {"a1": [[0, 5], [10, 15]]}, "mentions": {"a1": 2}, "role": None, "ok": True},
        [Kind.PERSON, Level.HIGH, {Kind.PERSON: Level.HIGH}], (1, "a"), [float("nan"), -0.0, 1e300],
    ):
        _same(value)


def test_what_json_refuses_is_refused_alike() -> None:
    with pytest.raises(TypeError):
        dumps_indented({"a": {1, 2}})
    with pytest.raises(TypeError):
        dumps_indented({(1, 2): "tuple key"})
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError):
        dumps_indented(loop)


@settings(max_examples=300, deadline=None)
@given(st.lists(_values, max_size=6), st.integers(min_value=1, max_value=3))
def test_the_cli_streams_a_list_as_it_would_write_it_whole(value: Any, chunk: int) -> None:
    """``_print_json`` writes a list an item at a time (a few per write): the same bytes as the
    whole document, escapes of unsafe characters included."""
    import io
    import sys

    from kazreader import cli

    whole = cli._dumps(value) + "\n"
    saved, sys.stdout = sys.stdout, io.StringIO()
    chunk_items, cli._CHUNK_ITEMS = cli._CHUNK_ITEMS, chunk
    try:
        cli._print_json(value)
        assert sys.stdout.getvalue() == whole
        sys.stdout = io.StringIO()
        cli._print_json(value, each=lambda item: {"item": item, "c1": "\x85\u202e"})
        assert sys.stdout.getvalue() == cli._dumps([{"item": v, "c1": "\x85\u202e"} for v in value]) + "\n"
    finally:
        sys.stdout, cli._CHUNK_ITEMS = saved, chunk_items


_spans = st.dictionaries(
    st.text(max_size=4, alphabet=st.characters(blacklist_categories=("Cs",))),
    st.lists(st.tuples(st.integers(), st.integers()), max_size=3),
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(_spans, st.integers(min_value=0, max_value=3))
def test_span_lists_are_laid_out_as_the_writer_lays_out_their_lists(spans: dict[str, Any], level: int) -> None:
    """``span_lists_indented`` (from the flat form) writes what ``dumps_indented`` writes for the
    ``{article: [[start, end], …]}`` dict at that nesting level (inside *level* dicts)."""
    from kazreader.jsonout import span_lists_indented

    flat = [x for pairs in spans.values() for pair in pairs for x in pair]
    text = span_lists_indented(list(spans), [len(p) for p in spans.values()], flat, level)
    nested: Any = {a: [list(p) for p in pairs] for a, pairs in spans.items()}
    for _ in range(level):
        nested = {"k": nested}
    head = "".join("{\n" + "  " * (n + 1) + '"k": ' for n in range(level))
    tail = "".join("\n" + "  " * n + "}" for n in reversed(range(level)))
    assert dumps_indented(nested) == head + text + tail
