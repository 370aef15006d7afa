"""Metadata people can see (issue #13): agency credits, outlets from URLs, titles, dates, URLs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kazreader.cli import main
from kazreader.corpus import load_corpus
from kazreader.corpus.metadata import agency_in, known_outlet, outlet_from_url, parse_date

PARA = ("Security forces killed dozens of protesters on Thursday as the unrest spread to the largest city, "
        "officials said, and the government declared a state of emergency across the country.")


@pytest.mark.parametrize("opening, agency", [
    (["NUR-SULTAN, Jan 6 (Reuters) - " + PARA], "Reuters"),
    (["By Jane Doe", "ALMATY, Kazakhstan (AFP) — " + PARA], "AFP"),
    (["By Olga Petrova, Reuters", PARA], "Reuters"),
    (["— AP", PARA], "AP"),
    (["By John Smith | Associated Press", PARA], "AP"),
    ([PARA], None),
    (["This, Associated Press (AP) reports, is the first time " + PARA], None),  # a mention, not a credit
    (["By Tom Jones, Staff Writer", PARA], None),
])
def test_agency_credits_in_the_opening_lines(opening: list[str], agency: str | None) -> None:
    assert agency_in(opening) == agency


def test_agency_becomes_the_outlet_of_a_plain_text_file(tmp_path: Path) -> None:
    (tmp_path / "w.txt").write_text("Protests spread across Kazakhstan\n\nBy Olga Petrova, Reuters\n\n" + PARA
                                    + "\n\n" + PARA)
    (a,) = load_corpus([tmp_path]).articles
    assert (a.outlet, a.title) == ("Reuters", "Protests spread across Kazakhstan")


@pytest.mark.parametrize("url, known, shown", [
    ("https://www.nytimes.com/2022/01/06/world/asia/x.html", "The New York Times", "The New York Times"),
    ("http://edition.cnn.com/2022/01/06/x", "CNN", "CNN"),
    ("https://www.bbc.co.uk/news/world-asia-59883392", "BBC News", "BBC News"),
    ("https://news.example.org/a/b", None, "news.example.org"),
    ("theguardian.com", "The Guardian", "The Guardian"),
    ("not a url", None, None),
])
def test_outlet_from_url(url: str, known: str | None, shown: str | None) -> None:
    assert known_outlet(url) == known
    assert outlet_from_url(url) == shown


def test_outlet_from_a_record_url_and_codes(tmp_path: Path) -> None:
    recs = [
        {"id": "a", "text": PARA, "url": "https://apnews.com/article/x"},  # no source: the URL's outlet
        {"id": "b", "text": PARA, "url": "https://blog.example.net/x"},  # unknown domain: the domain
        {"id": "c", "text": PARA, "source": "fox", "url": "https://www.foxnews.com/x"},  # a code and a known URL
        {"id": "d", "text": PARA, "source": "Daily Planet", "url": "https://www.foxnews.com/x"},  # a name stays
    ]
    (tmp_path / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs))
    got = {a.id: a.outlet for a in load_corpus([tmp_path]).articles}
    assert got == {"a": "Associated Press", "b": "blog.example.net", "c": "Fox News", "d": "Daily Planet"}


def test_a_short_headline_with_a_full_stop_is_the_title(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("Kazakhstan Declares State of Emergency After Protests.\n\n" + PARA + "\n\n" + PARA)
    (a,) = load_corpus([tmp_path]).articles
    assert a.title == "Kazakhstan Declares State of Emergency After Protests."
    assert a.text.startswith("Security forces")


@pytest.mark.parametrize("line", ["The 2016 election officially began with a tweet.", "Updated June 17, 2020."])
def test_a_short_sentence_or_date_line_is_not_a_title(tmp_path: Path, line: str) -> None:
    (tmp_path / "t.txt").write_text(line + "\n\n" + PARA + "\n\n" + PARA)
    (a,) = load_corpus([tmp_path]).articles
    assert a.title is None


@pytest.mark.parametrize("line", ["WEST PALM BEACH, Fla.", "WASHINGTON —", "ALMATY, Kazakhstan (AP) —", "MOSCOW"])
def test_a_dateline_line_is_not_a_title(tmp_path: Path, line: str) -> None:
    (tmp_path / "t.txt").write_text(line + "\n\n" + PARA + "\n\n" + PARA)
    (a,) = load_corpus([tmp_path]).articles
    assert a.title is None


@pytest.mark.parametrize("value, iso", [
    ("2022-01-06T23:30:00-05:00", "2022-01-06"),
    ("Thu, 06 Jan 2022 10:00:00 GMT", "2022-01-06"),
    ("Jan. 6, 2022", "2022-01-06"),
    ("January 6th, 2022", "2022-01-06"),
    ("6 January 2022", "2022-01-06"),
    (1641464100, "2022-01-06"),
    ("1641464100000", "2022-01-06"),
    ("20220106T101500Z", "2022-01-06"),
    ("20220106101500", "2022-01-06"),
    ("1/6/22", "2022-01-06"),
    ("12/19/98", "1998-12-19"),
    ("sometime", None),
])
def test_dates_in_every_common_form(value: object, iso: str | None) -> None:
    assert parse_date(value) == iso


def test_url_in_articles_and_show_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.jsonl").write_text(json.dumps({"id": "x1", "text": PARA, "url": "https://apnews.com/a"}) + "\n")
    assert main(["articles", "--json", "--corpus", str(tmp_path)]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["url"] == "https://apnews.com/a"
    assert main(["show", "x1", "--json", "--corpus", str(tmp_path)]) == 0
    assert json.loads(capsys.readouterr().out)["url"] == "https://apnews.com/a"
