"""Saved web pages (issue #13): main text and metadata through trafilatura, cached in the snapshot."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from kazreader.corpus import load_corpus
from kazreader.corpus import loader as loader_mod
from kazreader.corpus.formats import Format

HTML_DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "html-dev"
GOLD = json.loads((Path(__file__).parent / "data" / "html_gold.json").read_text("utf-8"))["pages"]

PAGE = """<!DOCTYPE html><html><head><title>Bridge closed for repairs | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<link rel="canonical" href="https://www.dailyexample.com/news/bridge">
<meta property="article:published_time" content="2022-01-06T10:15:00Z">
<meta name="author" content="Jane Roe"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
<article><h1>Bridge closed for repairs</h1>
<p>The council met on Monday and voted to close the old bridge for repairs, officials said.</p>
<p>Engineers said the work would take three months and would cost more than two million pounds.</p>
<p>Traffic will be diverted through the town centre while the work goes on, the council added.</p>
<p>Residents said they had complained about the state of the bridge for years before anything was done.</p>
</article>
<aside><h3>Related stories</h3><ul><li><a href="/a">Council tax rises again</a></li><li><a href="/b">New mayor elected</a></li></ul></aside>
<footer>Copyright 2022 The Daily Example. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""


def test_a_saved_page_is_one_article_with_its_metadata(tmp_path: Path) -> None:
    (tmp_path / "bridge.html").write_text(PAGE)
    (tmp_path / "bridge2.htm.gz").write_bytes(gzip.compress(PAGE.replace("/bridge", "/bridge2").encode()))
    corpus = load_corpus([tmp_path])
    assert corpus.warnings == []
    a, b = corpus.articles
    assert (a.id, b.id) == ("bridge", "bridge2")
    assert a.title == "Bridge closed for repairs"
    assert (a.outlet, a.date, a.author) == ("The Daily Example", "2022-01-06", "Jane Roe")
    assert a.url == "https://www.dailyexample.com/news/bridge"
    assert a.text.startswith("The council met on Monday") and "years before anything was done" in a.text
    for furniture in ("Related stories", "cookies", "Copyright", "Sport", "New mayor"):
        assert furniture not in a.text


@pytest.mark.parametrize("page", ["", "<html><body></body></html>", "<html><p>unclosed <b>tags <i>everywhere",
                                  "\x00\x01<<<>>>", "<" * 10000])
def test_broken_pages_skip_with_one_line(tmp_path: Path, page: str) -> None:
    (tmp_path / "bad.html").write_text(page)
    (tmp_path / "ok.txt").write_text("The council met on Monday. It voted to close the bridge.")
    corpus = load_corpus([tmp_path])
    assert [a.id for a in corpus.articles] in (["ok"], ["bad", "ok"])
    assert all("\n" not in w.message for w in corpus.warnings)


def test_reopening_does_not_extract_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "bridge.html").write_text(PAGE)
    import os

    os.utime(folder / "bridge.html", (1_600_000_000, 1_600_000_000))
    first = load_corpus([folder], cache_dir=tmp_path / "cache")

    def fail(*args: object) -> None:
        raise AssertionError("extracted again")

    monkeypatch.setitem(loader_mod._WHOLE, Format.HTML, fail)
    again = load_corpus([folder], cache_dir=tmp_path / "cache")
    assert [(a.id, a.text, a.title, a.url) for a in again.articles] == [
        (a.id, a.text, a.title, a.url) for a in first.articles]


def test_html_dev_pages_against_the_gold() -> None:
    """Every phrase of each page's article is in its body; page furniture is not."""
    if not HTML_DEV.is_dir():
        pytest.skip("../shared/corpora/html-dev is not here")
    corpus = load_corpus([HTML_DEV])
    by_id = corpus.by_id()
    assert set(by_id) == set(GOLD), corpus.warnings
    missing, leaked = [], []
    for page_id, gold in GOLD.items():
        article = by_id[page_id]
        body = " ".join(article.text.split())
        missing += [(page_id, phrase) for phrase in gold["in"] if phrase not in body]
        leaked += [(page_id, phrase) for phrase in gold["out"] if phrase in body]
        for field in ("title", "outlet", "date"):
            if field in gold:
                assert getattr(article, field) == gold[field], (page_id, field)
    assert missing == []
    assert leaked == []
