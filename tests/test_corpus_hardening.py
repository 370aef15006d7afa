"""Hardening, round two (issue #19): one bad file, record or name never costs the corpus; every read is bounded."""

from __future__ import annotations

import gzip
import json
import os
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from kazreader.cli import main
from kazreader.corpus import load_corpus
from kazreader.corpus import loader as loader_mod
from kazreader.corpus.decode import decode_bytes
from kazreader.text import MAX_MARKS, safe_name, sanitize

BODY = "The council met on Monday and voted to close the old bridge for repairs, officials said."


def ids(folder: Path) -> list[str]:
    return [a.id for a in load_corpus([folder]).articles]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "good.txt").write_text(BODY)
    return folder


# --- 1. one bad item never loses the corpus ---------------------------------------------------


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses names that are not UTF-8")
def test_a_file_name_that_is_not_utf8(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open(os.path.join(os.fsencode(good), b"caf\xe9.txt"), "w") as fh:
        fh.write(BODY)
    os.mkfifo(os.path.join(os.fsencode(good), b"b\xffd.fifo")) if hasattr(os, "mkfifo") else None
    assert sorted(ids(good)) == ["café", "good"]
    assert main(["articles", "--json", "--corpus", str(good)]) == 0
    out, err = capsys.readouterr()
    assert sorted(r["id"] for r in json.loads(out)) == ["café", "good"]
    assert "b\\xffd.fifo" in err  # the undecodable byte shown as an escape


def test_a_lone_surrogate_in_a_json_string(good: Path) -> None:
    (good / "s.json").write_text('{"id": "s", "title": "a \\ud800 b", "text": "Text with \\udfff in it. ' + BODY + '"}')
    corpus = load_corpus([good])
    by_id = corpus.by_id()
    assert by_id["s"].title == "a \ufffd b" and "\ufffd" in by_id["s"].text
    assert "good" in by_id


@pytest.mark.parametrize("name", ["n.json", "n.jsonl"])
def test_a_number_of_5000_digits(good: Path, name: str) -> None:
    (good / name).write_text('{"id": "n", "count": ' + "9" * 5000 + ', "text": "' + BODY + '"}\n')
    assert sorted(ids(good)) == ["good", "n"]


def test_a_sidecar_nested_5000_deep(good: Path) -> None:
    (good / "corpus.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    corpus = load_corpus([good])
    assert [a.id for a in corpus.articles] == ["good"]
    assert any("sidecar" in w.message for w in corpus.warnings)


def test_a_folder_tree_1001_levels_deep(tmp_path: Path) -> None:
    """The recursive walk failed past ~990 levels. The tree is made and removed a
    level at a time from inside it, in memory (/dev/shm) when there is one: a
    thousand rmdirs on disk take seconds."""
    shm = Path("/dev/shm")
    top = Path(tempfile.mkdtemp(prefix="kz-deep-", dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else tmp_path))
    (top / "good.txt").write_text(BODY)
    home = os.getcwd()
    os.chdir(top)
    try:
        for _ in range(1001):
            os.mkdir("d")  # (os.makedirs recurses)
            os.chdir("d")
        with open("deep.txt", "w") as fh:
            fh.write(BODY)
        os.chdir(home)
        assert ids(top) == ["deep", "good"]
    finally:  # shutil.rmtree recurses too: take the tree down from the bottom
        os.chdir(top)
        depth = 0
        while os.path.isdir("d"):
            os.chdir("d")
            depth += 1
        if os.path.exists("deep.txt"):
            os.unlink("deep.txt")
        for _ in range(depth):
            os.chdir("..")
            os.rmdir("d")
        os.chdir(home)
        (top / "good.txt").unlink()
        top.rmdir()


# --- 2. JSON Lines split on \n only ----------------------------------------------------------


def test_json_lines_with_raw_line_separators(good: Path) -> None:
    records = [{"id": f"r{i}", "text": f"Line {sep} inside. {BODY}"} for i, sep in enumerate("\u2028\u2029\u0085\x0c")]
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records[:2]) + "\n{broken\n"
    text += "\n".join(json.dumps(r, ensure_ascii=False) for r in records[2:]) + "\n"
    (good / "f.jsonl").write_text(text, encoding="utf-8")
    corpus = load_corpus([good])
    assert sorted(a.id for a in corpus.articles) == ["good", "r0", "r1", "r2", "r3"]
    assert [w.message for w in corpus.warnings] == ["line 3: invalid JSON, skipped"]


# --- 3. UTF-8 with a few bad bytes stays UTF-8 -------------------------------------------------


def test_utf8_with_one_bad_byte_or_cut_mid_character() -> None:
    text = "Déjà vu: the café’s naïve “crème brûlée” — Nur-Sultan, Алматы. " * 3
    data = text.encode("utf-8")
    one_bad = decode_bytes(data[:10] + b"\xff" + data[10:])
    assert one_bad.encoding == "utf-8" and one_bad.text is not None and "crème brûlée" in one_bad.text
    assert one_bad.notes == ("1 invalid UTF-8 byte sequence replaced",)
    cut = decode_bytes(data[:-1])  # the last character (a full stop) is ASCII: cut into the "ы"
    cut = decode_bytes(data[: data.rindex("ы".encode()) + 1])
    assert cut.encoding == "utf-8" and cut.text is not None and cut.text.endswith("Алмат\ufffd")
    assert decode_bytes("café crème brûlée".encode("cp1252")).encoding == "cp1252"  # clearly not UTF-8


def test_jsonl_with_a_bad_byte_keeps_utf8(good: Path) -> None:
    line = json.dumps({"id": "u", "text": "Café “quoted” " + BODY}, ensure_ascii=False).encode()
    at = line.index(b"quoted") - 4
    (good / "u.jsonl").write_bytes(line[:at] + b"\xff" + line[at:] + b"\n")
    corpus = load_corpus([good])
    assert "Café\ufffd “quoted”" in corpus.by_id()["u"].text  # the bad byte replaced, the rest UTF-8
    assert [w.message for w in corpus.warnings] == ["1 line with invalid utf-8 bytes (replaced)"]


# --- 4. hangs and unbounded memory -------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_never_hangs(good: Path) -> None:
    os.mkfifo(good / "pipe.txt")
    corpus = load_corpus([good])
    assert [a.id for a in corpus.articles] == ["good"]
    assert [w.message for w in corpus.warnings] == ["skipped: a FIFO, not a file"]
    given = load_corpus([good / "pipe.txt"])  # given explicitly: opened without blocking, then refused
    assert given.articles == [] and given.warnings[0].message == "skipped: a FIFO, not a file"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_symlink_to_a_device(good: Path) -> None:
    os.symlink("/dev/zero", good / "zero.txt")
    corpus = load_corpus([good])
    assert [a.id for a in corpus.articles] == ["good"]
    assert [w.message for w in corpus.warnings] == ["skipped: a device, not a file"]
    assert load_corpus([good / "zero.txt"]).warnings[0].message == "skipped: a device, not a file"


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="no /proc")
def test_proc_files_are_refused() -> None:
    corpus = load_corpus(["/proc/self/status"])
    assert corpus.articles == [] and corpus.warnings[0].message == "skipped: a system file (proc)"


@pytest.mark.parametrize("name", ["huge.txt", "huge.jsonl", "huge.json"])
def test_a_6gb_sparse_file_is_not_read(good: Path, name: str) -> None:
    with open(good / name, "wb") as fh:
        fh.truncate(6 * 1024**3)  # sparse: costs no disk
    corpus = load_corpus([good])
    assert [a.id for a in corpus.articles] == ["good"]
    (w,) = corpus.warnings
    assert w.message.startswith(("skipped: too large", "skipped: binary file"))


def test_large_jsonl_is_streamed(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A JSON Lines file is never read whole: a file over the size cap still loads, a line at a time."""
    monkeypatch.setenv("KAZREADER_MAX_FILE_BYTES", "20000")
    (good / "big.jsonl").write_text("".join(json.dumps({"id": f"r{i}", "text": BODY}) + "\n" for i in range(500)))
    assert (good / "big.jsonl").stat().st_size > 20000
    assert len(load_corpus([good])) == 501


_REAL_PARSE = loader_mod._parse_one


def _dying_parse(job: tuple) -> object:
    """``_parse_one`` in a worker that is killed (out of memory, say) on one file."""
    if job[0].endswith("a3.txt"):
        os._exit(9)
    return _REAL_PARSE(job)


def test_a_dead_worker_fails_only_its_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    for i in range(6):
        (folder / f"a{i}.txt").write_text(f"{BODY} Number {i}.")
    serial = load_corpus([folder])
    monkeypatch.setattr(loader_mod, "PARALLEL_LOAD_BYTES", 0)
    monkeypatch.setattr(loader_mod, "LOAD_PROCS", 2)
    monkeypatch.setattr(loader_mod.threading, "active_count", lambda: 1)
    monkeypatch.setattr(loader_mod, "_parse_one", _dying_parse)
    got = load_corpus([folder])
    assert [a.id for a in got.articles] == [a.id for a in serial.articles]
    assert got.warnings == serial.warnings == []
    assert threading.active_count() >= 1


# --- 5. quadratic corners ----------------------------------------------------------------------


def test_long_runs_of_combining_marks_are_capped() -> None:
    text = "a" + "\u0301\u0316" * 160_000 + " b"  # 320 K marks: NFC alone is quadratic in the run
    out = sanitize(text)
    assert out.startswith("á") and out.endswith(" b") and len(out) <= MAX_MARKS + 3
    assert sanitize("e\u0301") == "é"  # ordinary marks compose as before


# --- 8. warning lines name files safely --------------------------------------------------------


def test_a_newline_in_a_file_name_cannot_forge_a_warning(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (good / "x\nwarning: forged.pdf").write_bytes(b"%PDF")
    (good / "e\x1b[31m.txt").write_text("")
    assert main(["articles", "--json", "--corpus", str(good)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(line.startswith("warning: ") for line in err)
    assert any("x\\nwarning: forged.pdf" in line for line in err)
    assert not any("\x1b" in line for line in err)


def test_safe_name() -> None:
    assert safe_name("caf\udce9\n\x1b.txt") == "caf\\xe9\\n\\x1b.txt"
    assert safe_name("plain name.txt") == "plain name.txt"


def test_truncated_gzip_and_broken_zip_skip_with_one_line(good: Path) -> None:
    (good / "t.txt.gz").write_bytes(gzip.compress(BODY.encode())[:-12])
    (good / "z.zip").write_bytes(b"PK\x03\x04 not really a zip")
    corpus = load_corpus([good])
    assert [a.id for a in corpus.articles] == ["good"]
    assert len(corpus.warnings) == 2 and all("\n" not in w.message for w in corpus.warnings)


def test_a_jsonl_gz_bomb_stops_at_its_ratio(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A streamed bomb stops after 100 times its compressed size (past the file cap)."""
    monkeypatch.setenv("KAZREADER_MAX_FILE_BYTES", "100000")
    line = json.dumps({"id": "r", "text": BODY}).encode() + b"\n"
    filler = (b" " * 9999 + b"\n") * 2_000
    (good / "bomb.jsonl.gz").write_bytes(gzip.compress(line + filler, 9))  # 20 MB from ~20 KB
    corpus = load_corpus([good])
    assert sorted(a.id for a in corpus.articles) == ["good", "r"]
    (w,) = corpus.warnings
    assert "stopped after" in w.message and "compression bomb" in w.message


def test_an_unexpected_error_in_a_parser_skips_only_that_file(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kazreader.corpus.formats import Format

    def broken(text: str, fmap: object) -> object:
        raise TypeError("a bug in one parser")

    monkeypatch.setitem(loader_mod._WHOLE, Format.MARKDOWN, broken)
    (good / "x.md").write_text("# Title\n\n" + BODY)
    corpus = load_corpus([good])
    assert [a.id for a in corpus.articles] == ["good"]
    assert [w.message for w in corpus.warnings] == ["skipped: could not be read (TypeError: a bug in one parser)"]


def test_bounded_reads_never_ask_for_the_whole_cap_at_once() -> None:
    """A read of cap + 1 bytes allocates the cap up front: under a memory limit every file failed."""
    import io

    from kazreader.corpus.sources import Skip, read_bounded

    class Stingy(io.BytesIO):
        def read(self, n: int | None = -1) -> bytes:
            assert n is not None and 0 < n <= 1 << 20, n
            return super().read(n)

    assert read_bounded(Stingy(b"x" * 3_000_000), cap=256_000_000) == b"x" * 3_000_000
    with pytest.raises(Skip):
        read_bounded(Stingy(b"x" * 3_000_001), cap=3_000_000)
