"""The search face of issue #18: `search --help`, --sort, story:, JSON `matched` and `facets`."""

from __future__ import annotations

import json

import pytest

from kazreader.cli import main
from kazreader.index import USER_FIELDS, QueryError
from kazreader.index.search import OUTER_FIELDS
from kazreader.search_guide import QUERY_GUIDE
from kazreader.workspace import Workspace


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)  # type: ignore[no-any-return]


def test_guide_lists_every_field_with_an_example():
    listed = {syntax.rstrip(":") for syntax, _, _ in QUERY_GUIDE}
    assert set(USER_FIELDS) | set(OUTER_FIELDS) <= listed
    for syntax, example, _ in QUERY_GUIDE:
        if syntax.endswith(":"):
            assert example.startswith(syntax)


def test_search_help_lists_fields(capsys):
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    out = capsys.readouterr().out
    for field in (*USER_FIELDS, *OUTER_FIELDS):
        assert f"{field}:" in out
    assert "date:2022-01-05..2022-01-07" in out and "--sort" in out and "~forms" in out


def test_search_json_has_matched_and_facets(capsys):
    doc = run_json(capsys, "search", "kill", "--limit", "1")
    assert doc["total"] > 1 and len(doc["hits"]) == 1
    assert doc["hits"][0]["matched"]  # killed / killing ...
    assert all(m.lower().startswith("kill") for m in doc["hits"][0]["matched"])
    assert sum(doc["facets"]["outlet"].values()) <= doc["total"]
    assert sum(doc["facets"]["date"].values()) <= doc["total"]
    assert set(doc) >= {"query", "total", "hits", "facets"}


def test_search_sort_by_date(capsys):
    doc = run_json(capsys, "search", "almaty", "--sort", "date")
    days = [h["date"] for h in doc["hits"] if h.get("date")]
    assert days == sorted(days) and days


def test_story_filter(seeds):
    ws = Workspace([seeds])
    try:
        everything = ws.search("almaty", limit=100)
        story = ws.search("almaty story:almaty", limit=100)
        assert story.query == "almaty story:almaty"
        assert {h.id for h in story.hits} <= {h.id for h in everything.hits} and story.total
        label = ws.stories()[0].label  # e.g. "2022-01-06 almaty kazakhstan"
        assert "almaty" in label
        words = " ".join(label.split()[1:])
        assert ws.search(f'story:"{words}"').total >= story.total
        with pytest.raises(QueryError, match="no story"):
            ws.search("almaty story:no-such-story-here")
    finally:
        ws.close()
