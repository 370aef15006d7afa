"""The cached library listing: rows like the articles', reused while unchanged, never trusted blindly."""

from __future__ import annotations

import os
from enum import IntEnum, StrEnum
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


def test_articles_json_reads_the_cached_word_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``articles --json`` counts words once (then stores them in the listing) and reads them after."""
    import json

    from kazreader.cli import main
    from kazreader.corpus import model

    (tmp_path / "a.txt").write_text("First story\n\nOne two three four.\n")
    (tmp_path / "b.txt").write_text("Second story\n\nFive six.\n")
    assert main(["articles", "--json", "--corpus", str(tmp_path)]) == 0
    first = json.loads(capsys.readouterr().out)
    assert [r["words"] for r in first] == [4, 2]
    assert all(r["citation"] for r in first)

    def no_counting(text: str) -> int:
        raise AssertionError("counted words again")

    monkeypatch.setattr(model, "word_count", no_counting)
    assert main(["articles", "--json", "--corpus", str(tmp_path)]) == 0
    assert json.loads(capsys.readouterr().out) == first
    monkeypatch.undo()
    (tmp_path / "b.txt").write_text("Second story\n\nFive six seven.\n")  # an edited article is counted anew
    assert main(["articles", "--json", "--corpus", str(tmp_path)]) == 0
    assert [r["words"] for r in json.loads(capsys.readouterr().out)] == [4, 3]


class Kind(StrEnum):
    A = 'a "kind"'


class Rank(IntEnum):
    ONE = 1


@pytest.mark.parametrize("records", [
    [{"id": "a", "n": 1, "x": None, "f": 1.5, "b": True, "s": "quote \" back\\slash\nnew é \u202e\x85"}],
    [{"id": "a"}, {"id": "b", "words": 0}],
    [{"id": "}, {", "t": "x\x00,{y\x00:z"}, {"id": "b"}, {"0": "\"}"}],  # separators inside strings
    # each type by its own writer, subclasses (a StrEnum, an IntEnum) and floats by the encoder
    [{"k": Kind.A, "i": Rank.ONE, "big": 10**30, "neg": -3, "no": False, "nan": float("nan"), "e": 1e20}],
])
def test_flat_records_are_written_as_json_dumps_would(records: list[dict[str, object]]) -> None:
    import json

    from kazreader.cli import UNSAFE_RE, _dumps, _flat_records

    assert _flat_records(records)
    slow = json.dumps(records, ensure_ascii=False, indent=2)
    assert _dumps(records) == UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", slow)


def test_articles_json_answers_from_the_listing_while_the_files_are_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second ``articles --json`` loads nothing, prints the same bytes and warnings; an edited,
    added or removed file (or a new sub-folder entry) makes it load the corpus again."""
    import json

    from kazreader import cli
    from kazreader.corpus import listing

    monkeypatch.setattr(listing, "RACY_NS", 0)  # (files written just now count as settled)
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("First story\n\nOne two three four.\n")
    (corpus / "sub" / "b.txt").write_text("Second story\n\nFive six.\n")
    (corpus / "notes.pdf").write_bytes(b"%PDF")
    loads = []
    full = cli._workspace
    monkeypatch.setattr(cli, "_workspace", lambda *a: loads.append(1) or full(*a))

    def run() -> tuple[str, str]:
        assert cli.main(["articles", "--json", "--corpus", str(corpus)]) == 0
        out = capsys.readouterr()
        return out.out, out.err

    first = run()
    assert loads == [1] and "notes.pdf" in first[1]
    assert run() == first and loads == [1]  # from the listing: same output, same warning
    (corpus / "sub" / "b.txt").write_text("Second story\n\nFive six seven.\n")
    edited = run()
    assert loads == [1, 1] and '"words": 3' in edited[0]
    assert run() == edited and loads == [1, 1]
    (corpus / "sub" / "c.txt").write_text("Third story\n\nEight.\n")
    assert "c" in {r["id"] for r in json.loads(run()[0])} and len(loads) == 3
    (corpus / "a.txt").unlink()
    assert "a" not in {r["id"] for r in json.loads(run()[0])} and len(loads) == 4
    monkeypatch.setattr(listing, "RACY_NS", 10**18)  # a file modified too recently: no witness, a load
    run()
    assert len(loads) == 5
    monkeypatch.setattr(listing, "RACY_NS", 0)
    monkeypatch.chdir(tmp_path)  # the same folder named another way: its articles' paths say so
    assert cli.main(["articles", "--json", "--corpus", "corpus"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["path"] == os.path.join("corpus", "sub", "b.txt")
    assert len(loads) == 6


def test_a_workspace_stores_the_witness_of_the_files_it_loaded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an ingest (or the TUI) stored the listing, the first ``articles --json`` loads nothing;
    a file edited after the workspace loaded it makes the listing stale, not wrong."""
    import json

    from kazreader import cli
    from kazreader.corpus import listing
    from kazreader.workspace import Workspace

    monkeypatch.setattr(listing, "RACY_NS", 0)
    monkeypatch.setenv("KAZREADER_CACHE", str(tmp_path / "cache"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("First story\n\nOne two three four.\n")
    (corpus / "notes.pdf").write_bytes(b"%PDF")
    ws = Workspace([corpus], on_warning=lambda w: None)
    assert ws.witness is not None and ws.write_listing()
    loads = []
    full = cli._workspace
    monkeypatch.setattr(cli, "_workspace", lambda *a: loads.append(1) or full(*a))
    assert cli.main(["articles", "--json", "--corpus", str(corpus)]) == 0
    out = capsys.readouterr()
    assert loads == [] and json.loads(out.out)[0]["words"] == 4 and "notes.pdf" in out.err

    ws = Workspace([corpus])
    (corpus / "a.txt").write_text("First story\n\nOne two three four five.\n")  # after the load
    ws.write_listing()
    assert cli.main(["articles", "--json", "--corpus", str(corpus)]) == 0
    assert loads == [1] and json.loads(capsys.readouterr().out)[0]["words"] == 5
    assert Workspace([tmp_path / "corpus"], use_cache=False).witness is None
