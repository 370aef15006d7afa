"""JSON documents written an item at a time (cli._print_document) are the bytes the whole document
would be: ``figures``, ``compare``, ``coverage`` and ``search`` on a real-looking corpus, and objects of
every shape the writer meets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kazreader import cli
from kazreader.citation import enrich


def _whole(capsys: pytest.CaptureFixture[str], value: Any, fill: Any) -> str:
    cli._print_json(fill(value))
    return capsys.readouterr().out


def _streamed(capsys: pytest.CaptureFixture[str], value: Any, fill: Any) -> str:
    cli._print_document(value, fill)
    return capsys.readouterr().out


def _stamp(shell: dict[str, Any]) -> dict[str, Any]:
    """A fill that adds a field to every record of every list, and copies as enrich does."""
    out = json.loads(json.dumps(shell))
    for v in out.values():
        if isinstance(v, list):
            for item in v:
                if isinstance(item, dict):
                    item.setdefault("seen", shell.get("name"))
    return out


@pytest.mark.parametrize("value", [
    {},
    {"name": "x", "items": []},
    {"name": "x", "items": [{"a": 1}], "more": [{"b": [1, 2, {"c": None}]}, {}], "tail": 3.5},
    {"items": [{"a": "\u202e\x1b[31mred\x9b", "nested": {"deep": [{"k": "v"}]}}], "scalars": [1, "two"]},
    {"\u202ekey": [{"x": 1}], "empty": {}, "none": None, "flag": True},
])
def test_any_object_is_written_as_the_whole_would_be(capsys: pytest.CaptureFixture[str], value: Any) -> None:
    whole = _whole(capsys, value, _stamp)
    assert json.loads(whole) == _stamp(value)
    if cli._streamable(value):
        assert _streamed(capsys, value, _stamp) == whole
    assert "\x1b" not in whole and "\u202e" not in whole


def test_the_cited_commands_stream_the_bytes_of_the_whole(capsys: pytest.CaptureFixture[str], seeds: Path) -> None:
    from kazreader.analysis.registry import REGISTRY
    from kazreader.workspace import Workspace

    ws = Workspace([str(seeds)])
    try:
        a, b = ws.articles[0], ws.articles[1]
        docs = {
            "figures": REGISTRY["figures"].to_json(ws.result("figures")),
            "compare": {"a": a.id, "b": b.id, "passages": [p.to_json() for p in ws.compare(a, b)]},
            "search": {"query": "Almaty", "total": 3, "hits": [{"id": x.id, "score": 1.0} for x in ws.articles[:3]]},
        }
        for command, doc in docs.items():
            assert cli._streamable(doc), command
            fill = lambda shell, command=command: enrich(command, shell, ws.by_id)  # noqa: E731
            whole = _whole(capsys, doc, fill)
            assert _streamed(capsys, doc, fill) == whole, command
            assert '"citation"' in whole, command
    finally:
        ws.close()
