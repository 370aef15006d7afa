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


HOSTILE = ["*bold* _it_ [link](http://x.invalid) <script>alert(1)</script> `code` ~~gone~~ # head | pipe \\ back",
           "a_b 2*3 <b>", "1. not a list", "> not a quote"]


@pytest.mark.parametrize("text", HOSTILE)
def test_article_text_is_never_markup_in_markdown_or_html(text: str) -> None:
    import html
    import re

    from markdown_it import MarkdownIt

    from kazreader.export.document import Document, Item, Mark, Run, Section, Table, to_html, to_markdown

    runs = (Run(text), Run(" kept ", Mark.DELETE), Run(text, Mark.INSERT))
    doc = Document(text, [text], [Section(text, text, [Item(runs, text, text)], Table((text,), ((text,),)))])
    rendered = MarkdownIt("commonmark").enable(["strikethrough", "table"]).render(to_markdown(doc))
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"h1", "h2", "ul", "li", "p", "s", "strong", "table", "thead", "tbody", "tr", "th", "td"}
    plain = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert " ".join(text.split()) in plain
    page = to_html(doc)
    assert "<script>" not in page and html.escape(text, quote=True) in page
