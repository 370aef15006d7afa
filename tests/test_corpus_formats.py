"""File formats (kazreader.corpus.formats) and their loading end to end."""

from __future__ import annotations

import json

from kazreader.corpus import load_corpus
from kazreader.corpus.formats import parse_json, parse_jsonl, parse_markdown


def load(tmp_path, name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return load_corpus([path])


def test_plain_text_file(tmp_path):
    corpus = load(tmp_path, "story.txt", "Floods hit the north\n\nRain fell all week. Rivers rose.\n\nMore rain is due.\n")
    (a,) = corpus.articles
    assert a.id == "story"
    assert a.title == "Floods hit the north"
    assert a.text == "Rain fell all week. Rivers rose.\n\nMore rain is due."
    assert a.paragraphs == ((0, 32), (34, 51))
    assert corpus.warnings == []


def test_file_without_extension_given_explicitly(tmp_path):
    corpus = load(tmp_path, "README", "Just a note. It has two sentences.")
    assert [a.id for a in corpus.articles] == ["README"]


def test_markdown_markup_is_stripped():
    md = (
        "<!-- scraped 2022-01-06 -->\n"
        "# Floods hit the *north*\n\n"
        "Rain fell for **a whole week**, said [the agency](https://example.org/a) in a\n"
        "statement. ![a flooded street](img/street.jpg)\n\n"
        "## What comes next\n\n"
        "- More rain is due\n"
        "- Roads are closed\n\n"
        "> “We have never seen this,” a farmer said.\n\n"
        "Use snake_case_names and __init__ files _carefully_.\n"
    )
    (record,), problems = parse_markdown(md)
    assert problems == []
    assert record.title == "Floods hit the north"
    assert "<!--" not in record.text and "![" not in record.text and "](" not in record.text


def test_markdown_loaded_paragraphs(tmp_path):
    md = (
        "# Floods hit the north\n\n"
        "Rain fell for **a whole week**, said [the agency](https://example.org/a) in a\n"
        "statement. ![a flooded street](img/street.jpg)\n\n"
        "## What comes next\n\n"
        "- More rain is due\n"
        "- Roads are closed\n\n"
        "> “We have never seen this,” a farmer said.\n\n"
        "Use snake_case_names and _carefully_ read [ref][1].\n\n"
        "[1]: https://example.org/ref\n"
    )
    (a,) = load(tmp_path, "floods.md", md).articles
    assert a.title == "Floods hit the north"
    assert a.paragraph_texts() == [
        "Rain fell for a whole week, said the agency in a statement.",
        "What comes next",
        "More rain is due",
        "Roads are closed",
        "“We have never seen this,” a farmer said.",
        "Use snake_case_names and carefully read ref.",
    ]


def test_markdown_setext_title_and_front_matter():
    md = "---\ntitle: \"Front title\"\ndate: 2022-01-06\nsource: Example Times\n---\nBody text here.\n"
    (record,), _ = parse_markdown(md)
    assert (record.title, record.date, record.outlet) == ("Front title", "2022-01-06", "Example Times")
    assert record.text.strip() == "Body text here."
    (record,), _ = parse_markdown("Setext Title\n============\n\nBody.\n")
    assert record.title == "Setext Title"
    assert record.text.strip() == "Body."


def test_json_single_object(tmp_path):
    obj = {
        "headline": "Strike ends",
        "body": "Workers went back on Monday.\n\nThe union agreed.",
        "publishedAt": "2022-01-06T08:00:00Z",
        "publisher": {"name": "Example Times and agencies"},
        "link": "https://example.org/strike",
    }
    (a,) = load(tmp_path, "one.json", json.dumps(obj)).articles
    assert a.id == "one"
    assert (a.title, a.date, a.outlet, a.url) == ("Strike ends", "2022-01-06", "Example Times", "https://example.org/strike")
    assert a.text == "Workers went back on Monday.\n\nThe union agreed."


def test_json_list_of_paragraphs_and_ids(tmp_path):
    items = [
        {"id": 17, "title": "A", "paragraphs": ["First para.", "Second para."], "date": "6 Jan 2022", "source": "X News"},
        {"title": "B", "content": ["Only para."], "pubdate": "January 7, 2022", "site_name": "Y"},
        {"text": "Third story text.", "published": 1641513600},
    ]
    corpus = load(tmp_path, "batch.json", json.dumps(items))
    assert [a.id for a in corpus.articles] == ["17", "batch:2", "batch:3"]
    assert corpus.articles[0].paragraph_texts() == ["First para.", "Second para."]
    assert [a.date for a in corpus.articles] == ["2022-01-06", "2022-01-07", "2022-01-07"]
    assert [a.outlet for a in corpus.articles] == ["X News", "Y", None]


def test_json_container_keys():
    for key in ("articles", "items", "data"):
        records, problems = parse_json(json.dumps({"meta": 1, key: [{"text": "Hello there."}]}))
        assert [r.text for r in records] == ["Hello there."] and problems == []


def test_json_html_body_becomes_paragraphs():
    (record,), _ = parse_json(json.dumps({"text": "<p>One &amp; two.</p><p>Three <b>four</b>.</p>"}))
    assert record.text.split() == ["One", "&", "two.", "Three", "four."]
    assert "\n\n" in record.text


def test_json_values_that_are_not_articles(tmp_path):
    assert parse_json("42") == ([], ["not an article (int), skipped"])
    assert parse_json('{"debug": true, "port": 8080}') == ([], ["not an article (no text field), skipped"])
    records, problems = parse_json('[{"text": "Fine text."}, 3, {"title": "no body"}]')
    assert [r.number for r in records] == [1]
    assert problems == [
        "record 2: not an article (int), skipped",
        "record 3: not an article (no text field), skipped",
    ]


def test_json_unparseable_date_warns_and_is_null(tmp_path):
    corpus = load(tmp_path, "d.json", json.dumps({"text": "Some text.", "date": "last Tuesday"}))
    assert corpus.articles[0].date is None
    assert [w.message for w in corpus.warnings] == ["unparseable date 'last Tuesday', left empty"]


def test_json_strings_are_sanitised(tmp_path):
    obj = {"title": "Evil\u001b[31m title", "text": "Body \u001b]8;;http://x\u0007link\u001b]8;;\u0007 text.", "source": "Out\u202elet"}
    (a,) = load(tmp_path, "e.json", json.dumps(obj)).articles
    assert a.title == "Evil title"
    assert a.text == "Body link text."
    assert a.outlet == "Outlet"


def test_broken_json_reports_line_and_column(tmp_path):
    corpus = load(tmp_path, "bad.json", '{\n  "text": "x",\n  oops\n}')
    assert corpus.articles == []
    (w,) = corpus.warnings
    assert w.message.startswith("invalid JSON at line 3, column 3")
    assert w.path.endswith("bad.json")


def test_jsonl_good_and_broken_lines(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "First story."}),
        "",
        json.dumps({"text": "Second story."}),
        "{not json",
        json.dumps({"config": True}),
        json.dumps({"id": "b", "body": "Third story."}),
    ]
    corpus = load(tmp_path, "feed.jsonl", "\n".join(lines))
    assert [a.id for a in corpus.articles] == ["a", "feed:3", "b"]
    assert [w.message for w in corpus.warnings] == [
        "line 4: invalid JSON, skipped",
        "line 5: not an article (no text field), skipped",
    ]


def test_ndjson_parser_direct():
    records, problems = parse_jsonl('{"text": "x y"}\n[1]\n')
    assert len(records) == 1 and problems == ["line 2: not an article (list), skipped"]
