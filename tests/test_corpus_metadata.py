"""Metadata inference and sidecars (kazreader.corpus.metadata)."""

from __future__ import annotations

import pytest

from kazreader.corpus.clean import finish, split_blocks
from kazreader.corpus.metadata import (
    clean_outlet,
    dateline,
    infer,
    parse_date,
    read_sidecar,
    strip_date_marker,
)


def run(text: str, known_title: str | None = None):
    blocks, found = infer(split_blocks(text), known_title=known_title)
    return finish(blocks).text, found


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2022-01-06", "2022-01-06"),
        ("2022-01-06T23:15:00Z", "2022-01-06"),
        ("2022-01-06T23:15:00+06:00", "2022-01-06"),
        ("2022/1/6", "2022-01-06"),
        ("Thu, 06 Jan 2022 10:00:00 GMT", "2022-01-06"),
        ("January 6, 2022", "2022-01-06"),
        ("Jan. 6th, 2022 10:30 AM", "2022-01-06"),
        ("6 January 2022", "2022-01-06"),
        ("Thursday 6th of January 2022", "2022-01-06"),
        ("06.01.2022", "2022-01-06"),
        ("01/06/2022", "2022-01-06"),
        ("25/12/2021", "2021-12-25"),
        ("20220106", "2022-01-06"),
        (1641427200, "2022-01-06"),
        (1641427200000, "2022-01-06"),
        ("1641427200", "2022-01-06"),
        ("yesterday", None),
        ("2022-02-30", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_date_marker_on_the_same_line_as_the_body():
    text, date = strip_date_marker(" date 2021-03-04 PARIS – The strike began.\n\nMore.")
    assert date == "2021-03-04"
    assert text == "PARIS – The strike began.\n\nMore."


def test_date_marker_on_its_own_line_and_no_marker():
    assert strip_date_marker("Date: 2021-03-04\nBody.") == ("Body.", "2021-03-04")
    assert strip_date_marker("Dated reports say 2021-03-04 was calm.") == (
        "Dated reports say 2021-03-04 was calm.",
        None,
    )


def test_title_line_followed_by_blank_line():
    text, found = run("Floods hit the northern provinces\n\nHeavy rain fell for a week. Rivers rose.\n\nMore rain is due.")
    assert found.title == "Floods hit the northern provinces"
    assert text.startswith("Heavy rain fell")


def test_title_rules_do_not_depend_on_case():
    _, found = run("STRIKE ENDS AFTER TEN DAYS\n\nWorkers returned on Monday.\n\nEnd.")
    assert found.title == "STRIKE ENDS AFTER TEN DAYS"
    _, found = run("Strike Ends After Ten Days\n\nWorkers returned on Monday.\n\nEnd.")
    assert found.title == "Strike Ends After Ten Days"


def test_title_followed_directly_by_hard_wrapped_body():
    text, found = run(
        "Storm closes ports\n"
        "The storm that crossed the coast on Sunday night forced the\n"
        "closure of every port in the region, officials said.\n\nEnd."
    )
    assert found.title == "Storm closes ports"
    assert text.startswith("The storm that crossed")


@pytest.mark.parametrize(
    "first",
    [
        "The government resigned on Wednesday after days of protests.",  # a sentence
        "LONDON (Reuters) - Shares fell",  # a dateline
        "By Jane Doe",  # a byline
    ],
)
def test_no_title_when_first_line_is_not_a_headline(first):
    _, found = run(f"{first}\n\nSecond paragraph here.")
    assert found.title is None


def test_single_paragraph_text_has_no_title():
    _, found = run("Strike ends after ten days")
    assert found.title is None


def test_known_title_repeated_in_body_is_removed():
    text, found = run("Strike ends\n\nWorkers went back.\n\nEnd.", known_title="Strike Ends")
    assert text == "Workers went back.\n\nEnd."
    assert found.title is None
    text, _ = run("Another line\n\nWorkers went back.", known_title="Strike Ends")
    assert text.startswith("Another line")


def test_section_label_above_a_standfirst_is_furniture():
    text, found = run(
        "World News\n\nA short standfirst that sums the story up in one sentence.\n\n"
        "The body begins here. It goes on.\n\nAnd ends."
    )
    assert found.title is None
    assert text.startswith("A short standfirst")


def test_section_label_above_a_title_is_furniture():
    text, found = run("Opinion\n\nWhy the strike matters\n\nThe body begins here. It goes on.\n\nEnd.")
    assert found.title == "Why the strike matters"
    assert text.startswith("The body begins")


def test_short_title_before_a_dateline_is_not_a_label():
    _, found = run("Kazakh unrest\n\nALMATY (Reuters) - Protests grew. More.\n\nEnd.")
    assert found.title == "Kazakh unrest"


@pytest.mark.parametrize(
    "line, outlet",
    [
        ("Source: TRTWorld and agencies", "TRTWorld"),
        ("Source : Nytimes", "Nytimes"),
        ("SOURCE: Daily Planet, agencies", "Daily Planet"),
        ("Sources: Example News with wires", "Example News"),
    ],
)
def test_source_line_sets_outlet_and_is_removed(line, outlet):
    text, found = run(f"First paragraph. More.\n\n{line}\n\nLast paragraph.")
    assert found.outlet == outlet
    assert text == "First paragraph. More.\n\nLast paragraph."


def test_clean_outlet():
    assert clean_outlet("  Example Times.  ") == "Example Times"
    assert clean_outlet("and agencies") is None
    assert clean_outlet(None) is None


@pytest.mark.parametrize(
    "para, place, agency",
    [
        ("MOSCOW (AP) — Troops arrived.", "MOSCOW", "AP"),
        ("ALMATY, Kazakhstan – Twelve officers died.", "ALMATY", None),
        ("LONDON (Reuters) - Shares fell.", "LONDON", "Reuters"),
        ("NUR-SULTAN, Jan 6 (Reuters) - Calm returned.", "NUR-SULTAN", "Reuters"),
        ("NEW YORK — Stocks rose.", "NEW YORK", None),
    ],
)
def test_dateline(para, place, agency):
    m = dateline(para)
    assert m is not None
    assert m.group("place") == place
    assert m.group("agency") == agency


@pytest.mark.parametrize("para", ["Moscow — troops arrived.", "The US - China talks", "A – B"])
def test_not_a_dateline(para):
    assert dateline(para) is None


def test_dateline_agency_is_reported_and_dateline_stays():
    text, found = run("MOSCOW (AP) — Troops arrived on Friday.\n\nMore text.")
    assert found.agency == "AP"
    assert found.outlet is None
    assert text.startswith("MOSCOW (AP) — Troops")


def test_byline_is_removed_and_kept_as_author():
    text, found = run("Storm closes ports\n\nBy Jane Doe and John Roe\n\nThe storm hit.\n\nEnd of it.")
    assert found.title == "Storm closes ports"
    assert found.author == "Jane Doe and John Roe"
    assert text == "The storm hit.\n\nEnd of it."


def test_sentence_starting_with_by_is_not_a_byline():
    text, found = run("Intro. Text.\n\nBy the end of the day.\n\nBy Monday, calm had returned to the streets of the capital.")
    assert found.author is None
    assert "By the end of the day." in text


def test_published_line_near_top_gives_date():
    text, found = run("Storm closes ports\n\nPublished: 6 January 2022, 10:30 GMT\n\nThe storm hit.\n\nEnd.")
    assert found.date == "2022-01-06"
    assert text == "The storm hit.\n\nEnd."


def test_updated_line_is_not_the_publication_date():
    _, found = run("Intro. Text.\n\nUpdated: 7 January 2022\n\nThe storm hit.")
    assert found.date is None


def test_read_sidecar(tmp_path):
    path = tmp_path / "corpus.toml"
    path.write_text(
        '[articles."a1"]\noutlet = "Example Times"\ndate = 2022-01-06\ntitle = "T"\n'
        '[articles."a2"]\ndate = "January 7, 2022"\ncolour = "red"\n'
        '[articles."a3"]\ndate = "soon"\n',
        encoding="utf-8",
    )
    entries, problems = read_sidecar(path)
    assert entries == {
        "a1": {"outlet": "Example Times", "date": "2022-01-06", "title": "T"},
        "a2": {"date": "2022-01-07"},
        "a3": {},
    }
    assert len(problems) == 2
    assert "colour" in problems[0] and "soon" in problems[1]


def test_broken_sidecar(tmp_path):
    path = tmp_path / "corpus.toml"
    path.write_text("[articles.\nnope", encoding="utf-8")
    entries, problems = read_sidecar(path)
    assert entries == {}
    assert len(problems) == 1 and problems[0].startswith("invalid sidecar")
