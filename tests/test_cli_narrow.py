"""The human (non-JSON) output of every command at 80 columns (a default terminal, or any pipe)
and at 160: nothing a person reads is cut to a sliver or wrapped a word to a line.

Each command runs through :func:`kazreader.cli.main` on the bundled corpus with ``COLUMNS`` set
(Rich reads it); what a person must see is checked against the command's own JSON.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from kazreader.cli import main
from kazreader.render import ByWidth, short_ids

WIDTHS = [80, 160]

#: A cell cut to two characters or fewer and an ellipsis ("th…", "ex…", a lone "…"), between
#: column gaps: what the views printed at 80 columns before they chose their layout by width.
SLIVER = re.compile(r"(?:^|\s{2})\S{0,2}…(?:\s{2}|$)")


@pytest.fixture(scope="module")
def module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("narrow-cache")


@pytest.fixture(autouse=True)
def _shared_cache(monkeypatch: pytest.MonkeyPatch, module_cache: Path) -> None:
    monkeypatch.setenv("KAZREADER_CACHE", str(module_cache))


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int, *argv: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = out.splitlines()
    assert lines, argv
    assert max(len(line) for line in lines) <= width, argv
    return out


def as_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def listing(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int, *argv: str
            ) -> tuple[list[dict], str]:
    """The command's JSON items (a non-empty list) and its output for people at *width*."""
    items = as_json(capsys, *argv)
    assert isinstance(items, list) and items, argv
    return items, run(capsys, monkeypatch, width, *argv)


def words(text: str, n: int) -> str:
    return " ".join(text.split()[:n])


def on_one_line(out: str, text: str) -> bool:
    return any(text in line for line in out.splitlines())


def no_slivers(out: str) -> None:
    cut = [line for line in out.splitlines() if SLIVER.search(line)]
    assert not cut, cut[:5]


COMMANDS = [
    ["articles"], ["show", "000"], ["search", "police"], ["compare", "000", "001"], ["passages"], ["stories"],
    ["entities"], ["quotes"], ["figures"], ["coverage", "000", "001"], ["timeline"], ["marks"], ["searches"],
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: "-".join(a))
def test_no_cell_is_cut_to_a_sliver(capsys, monkeypatch, argv: list[str], width: int) -> None:
    no_slivers(run(capsys, monkeypatch, width, *argv))


@pytest.mark.parametrize("width", WIDTHS)
def test_figures_show_each_figure_and_measure_whole(capsys, monkeypatch, width: int) -> None:
    doc = as_json(capsys, "figures")
    out = run(capsys, monkeypatch, width, "figures")
    shown = [f for f in doc["figures"] if f.get("kind", "count") in ("count", "percent", "money")]
    assert shown
    for f in shown:
        assert on_one_line(out, " ".join(f["text"].split())), f["text"]
        if f["measure"]:
            assert on_one_line(out, f["measure"]), f["measure"]
    for d in doc["disagreements"]:
        assert on_one_line(out, d["measure"])
    if width == 80:  # the sentence keeps the width: its first words on one line
        for f in shown:
            assert on_one_line(out, words(f["sentence"], 5)), f["sentence"]


@pytest.mark.parametrize("width", WIDTHS)
def test_passages_are_read_as_lines_not_a_word_a_line(capsys, monkeypatch, width: int) -> None:
    clusters, out = listing(capsys, monkeypatch, width, "passages")
    for c in clusters:
        assert on_one_line(out, c["id"])
        assert on_one_line(out, words(c["members"][0]["text"], 6)), c["members"][0]["text"]
    short = short_ids(a["id"] for a in as_json(capsys, "articles"))  # type: ignore[union-attr]
    for c in clusters:  # every carrier is named (by its unique id prefix)
        for m in c["members"]:
            assert short[m["article"]] in out


@pytest.mark.parametrize("width", WIDTHS)
def test_entities_name_and_count_on_one_line(capsys, monkeypatch, width: int) -> None:
    entities, out = listing(capsys, monkeypatch, width, "entities")
    for e in entities:  # (the wide table wraps a name of more than 40 characters in its column)
        name = e["name"] if len(e["name"]) <= 40 else words(e["name"], 2)
        total = str(sum(e["mentions"].values()))
        assert any(name in line and total in line for line in out.splitlines()), e["name"]


@pytest.mark.parametrize("width", WIDTHS)
def test_quotes_keep_the_width(capsys, monkeypatch, width: int) -> None:
    quotes, out = listing(capsys, monkeypatch, width, "quotes")
    for q in quotes:
        assert on_one_line(out, words(q["text"], 5)), q["text"]
        assert on_one_line(out, q["group"])
        if q["speaker"]:
            assert q["speaker"] in out


@pytest.mark.parametrize("width", WIDTHS)
def test_articles_keep_whole_ids_and_titles(capsys, monkeypatch, width: int) -> None:
    articles, out = listing(capsys, monkeypatch, width, "articles")
    for a in articles:
        assert on_one_line(out, a["id"])  # the whole id, still
        assert str(a["words"]) in out
        if a["title"]:
            assert on_one_line(out, words(a["title"], 3)), a["title"]


@pytest.mark.parametrize("width", WIDTHS)
def test_search_hits_keep_id_score_and_snippet(capsys, monkeypatch, width: int) -> None:
    doc = as_json(capsys, "search", "police")
    out = run(capsys, monkeypatch, width, "search", "police")
    assert isinstance(doc, dict) and doc["hits"]
    for hit in doc["hits"]:
        assert on_one_line(out, hit["id"]) and f"{hit['score']:.2f}" in out
        assert on_one_line(out, words(hit["snippet"], 4)), hit["snippet"]


@pytest.mark.parametrize("width", [50, *WIDTHS])
def test_compare_shows_both_sides(capsys, monkeypatch, width: int) -> None:
    doc = as_json(capsys, "compare", "000", "001")
    out = run(capsys, monkeypatch, width, "compare", "000", "001")
    assert isinstance(doc, dict) and doc["passages"]
    for p in doc["passages"]:
        assert on_one_line(out, words(p["a_text"], 3)) and on_one_line(out, words(p["b_text"], 3))
        assert f"{p['similarity']:.2f}" in out


def test_timeline_names_each_article(capsys, monkeypatch) -> None:
    short = short_ids(a["id"] for a in as_json(capsys, "articles"))  # type: ignore[union-attr]
    entries, out = listing(capsys, monkeypatch, 80, "timeline")
    for e in entries:
        assert short[e["article"]] in out


def test_marks_at_80_columns(capsys, monkeypatch) -> None:
    note = "check this against the other copy, it may be the same wire story"
    assert main(["mark", "000", "0", "60", "--flag", "verified", "--note", note]) == 0
    capsys.readouterr()
    out = run(capsys, monkeypatch, 80, "marks")
    assert "verified" in out and "0-60" in out and on_one_line(out, "check this against")
    assert main(["unmark", "1"]) == 0


def test_short_ids_are_unique_prefixes() -> None:
    ids = ["000_c205ff12a7dc4fd5", "001_d3156641ac80ec0f", "Yso6m22q9hwFw8TC", "Yso6x1", "abc", "abcdef", "zz"]
    short = short_ids(ids)
    assert short["000_c205ff12a7dc4fd5"] == "000"  # up to the separator
    assert short["Yso6m22q9hwFw8TC"] == "Yso6m" and short["Yso6x1"] == "Yso6x"
    assert short["zz"] == "zz" and short["abc"] == "abc" and short["abcdef"] == "abcde"
    for i, s in short.items():
        assert i.startswith(s)
        others = [j for j in ids if j != i and j.startswith(s)]
        assert not others or s == i  # unique, or the whole id (an exact id wins)


def test_by_width_picks_the_layout_from_the_width_rich_gives() -> None:
    from rich.text import Text

    view = ByWidth(lambda: Text("wide"), lambda: Text("narrow"), at=100)
    for width, want in ((80, "narrow"), (100, "wide"), (160, "wide")):
        console = Console(width=width, record=True, color_system=None)
        console.print(view)
        assert console.export_text().strip() == want


def test_hostile_text_at_80_columns_stays_literal(capsys, monkeypatch, tmp_path: Path) -> None:
    from tests.test_hardening_text import COMMANDS as HOSTILE, FORBIDDEN, hostile_corpus

    corpus = hostile_corpus(tmp_path / "corpus")
    seen = ""
    for argv in HOSTILE:
        monkeypatch.setenv("COLUMNS", "80")
        assert main([*argv, "--corpus", str(corpus)]) == 0
        out = capsys.readouterr().out
        assert FORBIDDEN.search(out) is None, argv
        seen += out
    # markup is printed as its characters (the wrapped views may break it at its one space)
    assert "BOOM[/bold" in seen and "[link=https://evil.example]click[/link]" in seen
