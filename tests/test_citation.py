"""Citations: the one-line provenance of a quote, passage, figure or hit, and the JSON fields."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from kazreader.citation import cite, enrich
from kazreader.cli import main

AP = SimpleNamespace(id="a1", outlet="Associated Press", title="Unrest grows", date="2022-01-06",
                     url="https://example.org/a1")
BARE = SimpleNamespace(id="b2", outlet=None, title=None, date=None, url=None)


def test_cite_full_and_partial() -> None:
    assert cite("“terrorist band”", AP, "Kassym-Jomart Tokayev") == (
        "“terrorist band” — Kassym-Jomart Tokayev, in Associated Press, “Unrest grows”, 2022-01-06, "
        "https://example.org/a1"
    )
    assert cite("words  here", AP) == "“words here” — in Associated Press, “Unrest grows”, 2022-01-06, https://example.org/a1"
    assert cite(None, AP) == "Associated Press, “Unrest grows”, 2022-01-06, https://example.org/a1"
    assert cite("x", BARE) == "“x” — article b2"
    assert cite("x", BARE, "Lopez") == "“x” — Lopez, article b2"


def test_enrich_copies_and_keeps_existing_fields() -> None:
    doc = [{"article": "a1", "text": "hi", "speaker": None, "speaker_text": "he", "outlet": "kept"}]
    out = enrich("quotes", doc, {"a1": AP})
    assert "date" not in doc[0]
    assert out[0]["outlet"] == "kept" and out[0]["url"] == AP.url and out[0]["date"] == AP.date
    assert out[0]["citation"].startswith("“hi” — he, in Associated Press")


@pytest.mark.parametrize("argv, items", [
    (["quotes"], lambda d: d),
    (["figures"], lambda d: d["figures"] + [v for x in d["disagreements"] for v in x["values"]]),
    (["passages"], lambda d: [m for c in d for m in c["members"]]),
    (["compare", "000", "001"], lambda d: d["passages"]),
    (["search", "tokayev"], lambda d: d["hits"]),
    (["articles"], lambda d: d),
])
def test_items_carry_their_source(capsys: pytest.CaptureFixture[str], argv: list[str], items) -> None:
    assert main([*argv, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = items(doc)
    assert rows
    for row in rows:
        assert {"outlet", "date", "title", "url", "citation"} <= set(row)
    assert any(row["outlet"] for row in rows) or argv[0] == "compare"
