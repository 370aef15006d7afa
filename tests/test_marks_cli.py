"""CLI: marks, mark, star, unmark, searches and search --save."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kazreader.cli import main


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a1.txt").write_text("The harbour strike ended after 40 days, the minister said.\n", encoding="utf-8")
    (folder / "a2.txt").write_text("Unions say the harbour strike is not over.\n", encoding="utf-8")
    return folder


def run(capsys: pytest.CaptureFixture[str], corpus: Path, *argv: str, code: int = 0) -> str:
    assert main([*argv, "--corpus", str(corpus)]) == code
    return capsys.readouterr().out


def test_mark_star_list_unmark(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    mark = json.loads(run(capsys, corpus, "mark", "a1", "4", "18", "--flag", "verified", "--note", "port", "--json"))
    assert (mark["text"], mark["flag"], mark["note"], mark["status"]) == ("harbour strike", "verified", "port", "ok")
    assert json.loads(run(capsys, corpus, "star", "a2", "--json")) == {"article": "a2", "starred": True}
    items = json.loads(run(capsys, corpus, "marks", "--json"))
    assert [(m["kind"], m["article"]) for m in items] == [("selection", "a1"), ("star", "a2")]
    assert {"outlet", "date", "title", "url", "status", "note", "start", "end"} <= set(items[0])
    rows = list(csv.DictReader(io.StringIO(run(capsys, corpus, "marks", "--csv"))))
    assert rows[0]["text"] == "harbour strike" and rows[0]["flag"] == "verified"
    assert [m["id"] for m in json.loads(run(capsys, corpus, "marks", "--search", "port", "--json"))] == [mark["id"]]
    assert "harbour" in run(capsys, corpus, "marks")
    run(capsys, corpus, "unmark", str(mark["id"]))
    assert [m["kind"] for m in json.loads(run(capsys, corpus, "marks", "--json"))] == ["star"]
    run(capsys, corpus, "unmark", "999", code=2)
    run(capsys, corpus, "mark", "a1", "5", "5000", code=2)


def test_moved_mark_in_cli(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    run(capsys, corpus, "mark", "a1", "4", "18", "--flag", "to_check")
    (corpus / "a1.txt").write_text("Breaking: the harbour strike ended after 40 days.\n", encoding="utf-8")
    [item] = json.loads(run(capsys, corpus, "marks", "--json"))
    assert item["status"] == "moved" and (item["start"], item["end"]) == (14, 28)


def test_saved_searches_count_new(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    json.loads(run(capsys, corpus, "search", "harbour", "--save", "port", "--json"))
    [s] = json.loads(run(capsys, corpus, "searches", "--json"))
    assert (s["name"], s["query"], s["matches"], s["new"]) == ("port", "harbour", 2, 2)
    assert "port" in run(capsys, corpus, "searches")
