"""The cached library listing: rows like the articles', reused while unchanged, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import art
from kazreader.corpus import load_corpus
from kazreader.corpus.listing import LISTING_NAME, ListingRow, read_listing, write_listing
from kazreader.corpus.model import Corpus


def test_rows_match_the_articles(tmp_path: Path) -> None:
    arts = [art("a", "No title here. Second sentence.", outlet="Daily"), art("b", "Body text.", title="A title")]
    assert write_listing(tmp_path, arts) is True
    digest, rows = read_listing(tmp_path)
    assert digest == Corpus(arts).digest
    assert rows == [ListingRow.of(a) for a in arts]
    a, b = rows
    assert (a.id, a.outlet, a.title, a.lead, a.words, a.label) == ("a", "Daily", None, "No title here.", 5, "Daily")
    assert (b.lead, b.words, b.label) == ("", 2, "b")
    assert write_listing(tmp_path, arts) is False  # current: not rewritten


def test_unchanged_rows_are_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arts = [art(f"a{i}", f"Article {i} text.") for i in range(5)]
    write_listing(tmp_path, arts)
    built: list[str] = []
    real = ListingRow.of.__func__

    def counting(cls, a):
        built.append(a.id)
        return real(cls, a)

    monkeypatch.setattr(ListingRow, "of", classmethod(counting))
    arts[2] = art("a2", "Article 2 was edited.")
    assert write_listing(tmp_path, [*arts, art("new", "A new one.")]) is True
    assert built == ["a2", "new"]
    assert [r.words for r in read_listing(tmp_path)[1]] == [3, 3, 4, 3, 3, 3]


@pytest.mark.parametrize("content", ["", "{", "[]", '{"format": 2, "digest": "x", "rows": [[1]]}', '{"format": 1}'])
def test_damaged_listing_reads_as_none(tmp_path: Path, content: str) -> None:
    (tmp_path / LISTING_NAME).write_text(content)
    assert read_listing(tmp_path) is None
    assert write_listing(tmp_path, [art("a", "Text.")]) is True
    assert read_listing(tmp_path)[1][0].id == "a"


def test_workspace_writes_it_for_the_bundled_corpus(tmp_path: Path) -> None:
    from kazreader.workspace import Workspace

    ws = Workspace(cache_dir=tmp_path)
    assert ws.write_listing() is True
    rows = read_listing(tmp_path)[1]
    assert [r.id for r in rows] == [a.id for a in load_corpus(ws.paths).articles]


def test_rows_carry_the_file_name_for_untitled_articles(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "story-17.txt").write_text("no title, just one long lowercase sentence that runs on and on.")
    (tmp_path / "feed.jsonl").write_text('{"id": "x9", "text": "Body text of a record."}\n')
    rows = {r.id: r for r in map(ListingRow.of, load_corpus([tmp_path]).articles)}
    assert (rows["story-17"].name, rows["story-17"].display_title) == ("story-17.txt", "story-17.txt")
    assert (rows["x9"].name, rows["x9"].display_title) == ("feed.jsonl", "feed.jsonl · x9")
    write_listing(tmp_path / "cache", [a for a in load_corpus([tmp_path]).articles])
    assert [r.name for r in read_listing(tmp_path / "cache")[1]] == ["story-17.txt", "feed.jsonl"]
