"""Real corpora in: compressed files, JSON of any schema, CSV, sidecar tables, skips (issue #13)."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import zipfile
from pathlib import Path

import pytest

from kazreader.cli import main
from kazreader.corpus import Corpus, load_corpus
from kazreader.corpus.model import CorpusNotFound

BODY = ("The council met on Monday and voted to close the old bridge for repairs. "
        "Engineers said the work would take three months.\n\nTraffic will be diverted through the town centre.")


def record(i: int, **extra: object) -> dict[str, object]:
    return {"id": f"r{i}", "title": f"Bridge closed {i}", "text": BODY, "date": "2022-01-06", **extra}


def jsonl(n: int) -> bytes:
    return "".join(json.dumps(record(i)) + "\n" for i in range(n)).encode()


def ids(corpus: Corpus) -> list[str]:
    return [a.id for a in corpus.articles]


def messages(corpus: Corpus) -> list[str]:
    return [f"{os.path.basename(w.path)}: {w.message}" for w in corpus.warnings]


# --- compression -----------------------------------------------------------------------


@pytest.mark.parametrize("suffix, pack", [(".gz", gzip.compress), (".bz2", bz2.compress), (".xz", lzma.compress)])
def test_compressed_jsonl_json_text_and_csv(tmp_path: Path, suffix: str, pack) -> None:
    (tmp_path / f"feed.jsonl{suffix}").write_bytes(pack(jsonl(3)))
    (tmp_path / f"one.json{suffix}").write_bytes(pack(json.dumps(record(9)).encode()))
    (tmp_path / f"note.txt{suffix}").write_bytes(pack(BODY.encode()))
    (tmp_path / f"table.csv{suffix}").write_bytes(pack(f'id,title,text\nc1,Row one,"{BODY}"\n'.encode()))
    corpus = load_corpus([tmp_path])
    assert sorted(ids(corpus)) == ["c1", "note", "r0", "r1", "r2", "r9"]
    assert corpus.warnings == []


def test_zip_members_are_files(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as zf:
        zf.writestr("a/first.txt", BODY)
        zf.writestr("feed.jsonl", jsonl(2).decode())
        zf.writestr("__MACOSX/._first.txt", "junk")
        zf.writestr("broken.json", "{nope")
    corpus = load_corpus([tmp_path])
    assert ids(corpus) == ["first", "r0", "r1"]
    assert messages(corpus) == ["bundle.zip: [broken.json]: invalid JSON at line 1, column 2: "
                                "Expecting property name enclosed in double quotes"]


def test_a_zip_bomb_stops_at_the_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAZREADER_MAX_FILE_BYTES", "1000000")
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a " * 5_000_000))  # 10 MB from 10 KB
    (tmp_path / "ok.txt").write_text(BODY)
    corpus = load_corpus([tmp_path])
    assert ids(corpus) == ["ok"]
    (w,) = corpus.warnings
    assert w.path.endswith("bomb.txt.gz") and "too large" in w.message


def test_a_truncated_gz_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    data = gzip.compress(jsonl(400))
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    corpus = load_corpus([tmp_path])
    assert 0 < len(corpus) < 400
    (w,) = corpus.warnings
    assert "damaged or truncated data after" in w.message


# --- JSON of any schema ------------------------------------------------------------------


SCHEMAS = {
    "basil": {"title": "T", "date": "2010-07-02", "source": "nyt", "url": "http://www.nytimes.com/x.html",
              "uuid": "u1", "body-paragraphs": [["First sentence here.", "Second one."], ["Next paragraph."]]},
    "newsplease": {"title": "T", "maintext": BODY, "date_publish": "2022-01-06 10:15:00",
                   "source_domain": "www.theguardian.com", "url": "https://www.theguardian.com/a"},
    "nested": {"article": {"body": BODY, "title": "Nested title"}, "meta": {"x": 1}},
    "guardian": {"webTitle": "G title", "webPublicationDate": "2022-01-06T10:00:00Z",
                 "webUrl": "https://www.theguardian.com/world/x", "fields": {"bodyText": BODY}},
    "gdelt": {"DocumentIdentifier": "https://apnews.com/x", "seendate": "20220106T101500Z",
              "text": BODY, "title": "GDELT title"},
}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_json_schemas(tmp_path: Path, name: str) -> None:
    (tmp_path / f"{name}.json").write_text(json.dumps(SCHEMAS[name]))
    corpus = load_corpus([tmp_path])
    assert corpus.warnings == []
    (a,) = corpus.articles
    assert a.text and a.title
    if name == "basil":
        assert a.paragraph_texts() == ["First sentence here. Second one.", "Next paragraph."]
        assert (a.outlet, a.date, a.id) == ("The New York Times", "2010-07-02", "u1")  # a code and a known URL
    if name == "newsplease":
        assert (a.outlet, a.date) == ("The Guardian", "2022-01-06")
    if name == "guardian":
        assert a.date == "2022-01-06" and a.url == "https://www.theguardian.com/world/x"
    if name == "gdelt":
        assert a.date == "2022-01-06"


def test_untokenised_field_wins(tmp_path: Path) -> None:
    tokenised = "The men are of `` high interest '' in the probe , police said .\nThey did n't say more ."
    original = 'The men are of "high interest" in the probe, police said.\n\nThey didn\'t say more.'
    for name, rec in {"a": {"content": tokenised, "content_original": original},
                      "b": {"content_original": original, "content": tokenised}}.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(rec))
    for a in load_corpus([tmp_path]).articles:
        assert a.text.startswith('The men are of "high interest" in the probe, police said.')


def test_newsapi_truncation_is_noted(tmp_path: Path) -> None:
    rec = {"source": {"id": None, "name": "BBC News"}, "title": "T", "publishedAt": "2022-01-06T10:00:00Z",
           "content": "Protesters stormed the building on Wednesday, officials said… [+1843 chars]"}
    (tmp_path / "api.json").write_text(json.dumps({"status": "ok", "articles": [rec]}))
    corpus = load_corpus([tmp_path])
    (a,) = corpus.articles
    assert a.outlet == "BBC News" and "[+1843" not in a.text
    assert messages(corpus) == ["api.json: record 1: body truncated by its source (1,843 characters missing)"]


def test_every_container_list_is_read(tmp_path: Path) -> None:
    (tmp_path / "both.json").write_text(json.dumps({"articles": [record(1)], "items": [record(2)]}))
    assert ids(load_corpus([tmp_path])) == ["r1", "r2"]


def test_json_lines_inside_a_json_file(tmp_path: Path) -> None:
    (tmp_path / "part-00000.json").write_bytes(jsonl(3))
    corpus = load_corpus([tmp_path])
    assert ids(corpus) == ["r0", "r1", "r2"] and corpus.warnings == []


def test_sidecar_fields_and_outlets(tmp_path: Path) -> None:
    rec = {"doc": {"payload": {"words": BODY}}, "hed": "My headline", "src": "wapo", "when": "2021-03-04"}
    (tmp_path / "odd.jsonl").write_text(json.dumps(rec) + "\n")
    (tmp_path / "corpus.toml").write_text(
        '[fields]\ntext = "doc.payload.words"\ntitle = "hed"\noutlet = "src"\ndate = "when"\n'
        '[outlets]\nwapo = "The Washington Post"\n'
    )
    corpus = load_corpus([tmp_path])
    assert corpus.warnings == []
    (a,) = corpus.articles
    assert (a.title, a.outlet, a.date) == ("My headline", "The Washington Post", "2021-03-04")


def test_sidecar_change_rereads_the_files(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "odd.jsonl").write_text(json.dumps({"words": BODY, "src": "x"}) + "\n")
    os.utime(folder / "odd.jsonl", (1_600_000_000, 1_600_000_000))
    assert len(load_corpus([folder], cache_dir=tmp_path / "cache")) == 0
    (folder / "corpus.toml").write_text('[fields]\ntext = "words"\n')
    assert len(load_corpus([folder], cache_dir=tmp_path / "cache")) == 1


# --- CSV -------------------------------------------------------------------------------------


def test_csv_with_a_header_and_ragged_rows(tmp_path: Path) -> None:
    rows = ["headline;published;media_name;story_body",
            f'First;2022-01-06;CNN;"{BODY}"',
            "Broken;2022-01-06",
            f'Second;2022-01-07;BBC;"{BODY}"']
    (tmp_path / "export.csv").write_text("\n".join(rows) + "\n")
    corpus = load_corpus([tmp_path])
    assert [(a.title, a.date, a.outlet) for a in corpus.articles] == [
        ("First", "2022-01-06", "CNN"), ("Second", "2022-01-07", "BBC")]
    assert messages(corpus) == ["export.csv: line 5: 2 cells where the header has 4, skipped"]  # row 1 has 3 lines


def test_tsv(tmp_path: Path) -> None:
    (tmp_path / "t.tsv").write_text(f"title\ttext\nOne\t{BODY.replace(chr(10), ' ')}\n")
    assert [a.title for a in load_corpus([tmp_path]).articles] == ["One"]


# --- nothing skipped silently ------------------------------------------------------------------


def test_readme_hidden_and_ignored_files_are_noted(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# About this data\n\nSome words about it.\n")
    (tmp_path / "LICENSE").write_text("MIT")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "d.txt").write_text(BODY)
    (tmp_path / "keep.txt").write_text(BODY)
    (tmp_path / "keep.bak.txt").write_text(BODY)
    (tmp_path / ".kazreaderignore").write_text("# not these\ndrafts/*\n*.bak.txt\n")
    corpus = load_corpus([tmp_path])
    assert ids(corpus) == ["keep"]
    assert messages(corpus) == [
        ".DS_Store: skipped: hidden",
        "LICENSE: skipped: not an article (a README, LICENSE or similar file)",
        "README.md: skipped: not an article (a README, LICENSE or similar file)",
        "d.txt: skipped: matched by .kazreaderignore",
        "keep.bak.txt: skipped: matched by .kazreaderignore",
    ]


def test_many_skipped_files_are_counted_in_one_line(tmp_path: Path) -> None:
    for i in range(12):
        (tmp_path / f"doc{i:02}.pdf").write_bytes(b"%PDF")
    corpus = load_corpus([tmp_path])
    said = messages(corpus)
    assert len(said) == 6
    assert said[-1] == f"{tmp_path.name}: skipped 7 more files: unsupported format (.pdf)"


def test_missing_path_is_a_clear_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CorpusNotFound):
        load_corpus([tmp_path / "nope"])
    assert main(["articles", "--corpus", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "no such file or folder" in err and err.count("\n") == 1
    assert main(["open", str(tmp_path / "nope")]) == 2  # the reader is not started
