"""The bad-input matrix, end to end: through the command line and the reader.

Each row puts one bad file next to good ones and runs ``kazreader articles
--json --corpus DIR`` (in-process; a few rows in a real subprocess). Every row
asserts the exact one-line warning on stderr, exit code 0 and that the good
articles are all in the JSON. The last test loads every bad file at once in
the TUI and checks its log panel shows the very warnings the CLI printed.
(Loader-level details live in ``test_corpus_loader.py``; this is the user's view.)
"""

from __future__ import annotations

import asyncio
import codecs
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kazreader.cli import main
from kazreader.corpus import loader

GOOD = {
    "good1": "The council met on Monday and voted to close the old bridge for repairs.\n",
    "good2": "Rescue teams worked through the night, the regional ministry said on Friday.\n",
}
ROOT = Path(__file__).resolve().parents[1]


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, list[str]]:
    """Run the CLI in-process: exit code, stdout, stderr lines."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder holding the good articles."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in GOOD.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (a loaded machine does not inflate it)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def articles(capsys: pytest.CaptureFixture[str], folder: Path) -> tuple[dict[str, dict], list[str]]:
    """``articles --json``: exit 0 asserted; the records by id and the stderr lines."""
    code, out, err = cli(capsys, "articles", "--json", "--corpus", str(folder))
    assert code == 0, err
    rows = json.loads(out)
    assert GOOD.keys() <= {r["id"] for r in rows}, "a good article went missing"
    return {r["id"]: r for r in rows}, err


def text_of(capsys: pytest.CaptureFixture[str], folder: Path, article_id: str) -> str:
    code, out, err = cli(capsys, "show", article_id, "--json", "--corpus", str(folder))
    assert code == 0, err
    return json.loads(out)["text"]


def warning(path: Path, message: str) -> str:
    return f"warning: {path}: {message}"


# --- the matrix ---------------------------------------------------------------------


def test_empty_file(capsys, corpus: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    rows, err = articles(capsys, corpus)
    assert err == [warning(corpus / "empty.txt", "skipped: empty")]
    assert set(rows) == set(GOOD)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_bytes(capsys, corpus: Path, seed: int) -> None:
    (corpus / "noise.txt").write_bytes(random.Random(seed).randbytes(4096))
    rows, err = articles(capsys, corpus)
    assert err == [warning(corpus / "noise.txt", "skipped: binary file")]
    assert set(rows) == set(GOOD)


def test_nul_bytes_in_text(capsys, corpus: Path) -> None:
    (corpus / "nul.txt").write_bytes(b"The mayor\x00 spoke about the bridge\x00 on Tuesday.\n")
    rows, err = articles(capsys, corpus)
    assert err == [warning(corpus / "nul.txt", "removed 2 NUL bytes")]
    assert set(rows) == {*GOOD, "nul"}
    assert text_of(capsys, corpus, "nul") == "The mayor spoke about the bridge on Tuesday."


def test_cp1251_file(capsys, corpus: Path) -> None:
    text = "Президент заявил, что в стране введено чрезвычайное положение. Протесты продолжаются."
    (corpus / "ru.txt").write_bytes(text.encode("cp1251"))
    rows, err = articles(capsys, corpus)
    assert err == [warning(corpus / "ru.txt", "decoded as cp1251")]
    assert rows["ru"]["words"] == 10
    assert text_of(capsys, corpus, "ru") == text


@pytest.mark.parametrize(
    "text",
    [
        "Café owners near the théâtre said the crème of the city's youth had gathered.",
        "The protesters’ leader, Jérôme Müller, called the response “naïve” – and left.",
    ],
)
def test_latin1_and_cp1252_files(capsys, corpus: Path, text: str) -> None:
    encoding = "cp1252" if "’" in text else "latin-1"
    (corpus / "fr.txt").write_bytes(text.encode(encoding))
    rows, err = articles(capsys, corpus)
    # cp1252 is latin-1 plus typographic quotes and dashes: one name for both.
    assert err == [warning(corpus / "fr.txt", "decoded as cp1252")]
    assert text_of(capsys, corpus, "fr") == text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(capsys, corpus: Path, codec: str) -> None:
    text = "“Order has been restored,” the ministry said — on Friday."
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    (corpus / "wide.txt").write_bytes(data)
    rows, err = articles(capsys, corpus)
    assert err == []  # a BOM makes the encoding certain: nothing to warn about
    assert text_of(capsys, corpus, "wide") == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [
    "“Order has been restored,” the ministry said — on Friday.\n\nTroops left Almaty.",
    "«Порядок восстановлен», — заявили в министерстве в пятницу.\n\nВойска покинули Алматы.",
])
def test_utf16_without_bom_is_text_with_a_note(capsys, corpus: Path, codec: str, text: str) -> None:
    (corpus / "wide.txt").write_bytes(text.encode(codec))
    rows, err = articles(capsys, corpus)
    assert err == [warning(corpus / "wide.txt", f"decoded as {codec} (no byte-order mark)")]
    assert text_of(capsys, corpus, "wide") == text


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_are_not_taken_for_utf16(seed: int) -> None:
    import random

    from kazreader.corpus.decode import decode_bytes

    rng = random.Random(seed)
    data = bytes(rng.randrange(256) for _ in range(rng.choice([64, 999, 4096])))
    data = data.replace(b"\x00", b"\x01") + b"\x00" * 64  # NUL-heavy: binary-looking
    assert decode_bytes(data).skip == "binary file"
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(2000))
    assert decode_bytes(png).skip == "binary file"


def test_fifty_megabyte_article(capsys, corpus: Path) -> None:
    paragraph = "Protesters gathered in the square and police said 1,000 people were detained. " * 6
    big = "\n\n".join([paragraph] * (50_000_000 // (len(paragraph) + 2) + 1))
    (corpus / "huge.txt").write_text(big, encoding="utf-8")
    start = cpu_seconds()
    rows, err = articles(capsys, corpus)
    assert cpu_seconds() - start < 15
    millions = f"{len(big) / 1e6:.1f}"
    assert err == [warning(
        corpus / "huge.txt", f"skipped: too large ({millions} million characters; "
        "the limit is 8 million, set by KAZREADER_MAX_ARTICLE_CHARS)"
    )]
    assert set(rows) == set(GOOD)


def test_oversized_record_in_jsonl_skips_only_that_record(capsys, corpus: Path, monkeypatch) -> None:
    monkeypatch.setenv("KAZREADER_MAX_ARTICLE_CHARS", "1000")
    lines = [{"id": "small", "text": "A short record about the harbour."}, {"id": "big", "text": "word " * 400}]
    (corpus / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in lines), encoding="utf-8")
    rows, err = articles(capsys, corpus)
    assert err == [warning(corpus / "feed.jsonl", "record 2: skipped: too large (0.0 million characters; "
                                                        "the limit is 0.001 million, set by KAZREADER_MAX_ARTICLE_CHARS)")]
    assert set(rows) == {*GOOD, "small"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"foo": 1, "bar": [1, 2]}', "not an article (no text field), skipped"),
        ("[1, 2]", "record 1: not an article (int), skipped; record 2: not an article (int), skipped"),
        ('"just a string"', "not an article (str), skipped"),
        ('{"text": ', "invalid JSON at line 1, column 10: Expecting value"),
    ],
)
def test_json_that_is_not_an_article(capsys, corpus: Path, content: str, message: str) -> None:
    (corpus / "data.json").write_text(content, encoding="utf-8")
    rows, err = articles(capsys, corpus)
    assert err == [warning(corpus / "data.json", m) for m in message.split("; ")]
    assert set(rows) == set(GOOD)


def test_jsonl_with_broken_lines(capsys, corpus: Path) -> None:
    (corpus / "feed.jsonl").write_text(
        '{"id": "r1", "text": "The first record, about the harbour."}\n'
        '{"id": "r2", "text": "cut off mid-wri\n'
        "\n"
        "[1, 2]\n"
        '{"id": "r3", "text": "The third record, about the bridge.", "outlet": "Wire"}\n',
        encoding="utf-8",
    )
    rows, err = articles(capsys, corpus)
    assert err == [
        warning(corpus / "feed.jsonl", "line 2: invalid JSON, skipped"),
        warning(corpus / "feed.jsonl", "line 4: not an article (list), skipped"),
    ]
    assert set(rows) == {*GOOD, "r1", "r3"}
    assert rows["r3"]["outlet"] == "Wire"


def test_file_removed_between_listing_and_reading(capsys, corpus: Path, monkeypatch) -> None:
    (corpus / "gone.txt").write_text("Soon to vanish.\n", encoding="utf-8")
    listed: list[str] = []
    real_files = loader._Loader.files

    def files_then_delete(self: loader._Loader, root: str) -> Iterator[str]:
        for path in real_files(self, root):
            listed.append(path)
            if path.endswith("gone.txt"):
                os.unlink(path)  # another process deletes it right after the listing
            yield path

    monkeypatch.setattr(loader._Loader, "files", files_then_delete)
    rows, err = articles(capsys, corpus)
    assert str(corpus / "gone.txt") in listed
    assert err == [warning(corpus / "gone.txt", "skipped: file disappeared before it could be read")]
    assert set(rows) == set(GOOD)


def test_unreadable_permissions(capsys, corpus: Path, monkeypatch) -> None:
    secret = corpus / "secret.txt"
    secret.write_text("Nobody may read this.\n", encoding="utf-8")
    secret.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make open() behave as for a normal user
        real_open = open

        def guarded_open(file, *args, **kwargs):
            if os.fspath(file) == str(secret):
                raise PermissionError(13, "Permission denied", str(secret))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr("builtins.open", guarded_open)
    try:
        rows, err = articles(capsys, corpus)
    finally:
        secret.chmod(0o644)
    assert err == [warning(secret, "skipped: permission denied")]
    assert set(rows) == set(GOOD)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_folder(capsys, corpus: Path) -> None:
    locked = corpus / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text("Hidden away.\n")
    locked.chmod(0)
    try:
        rows, err = articles(capsys, corpus)
    finally:
        locked.chmod(0o755)
    assert err == [warning(locked, "skipped: unreadable folder (Permission denied)")]
    assert set(rows) == set(GOOD)


def test_symlink_loop(capsys, corpus: Path) -> None:
    (corpus / "sub").mkdir()
    (corpus / "sub" / "inner.txt").write_text("An article in a subfolder about the port.\n")
    os.symlink(corpus, corpus / "sub" / "loop")
    os.symlink("self", corpus / "self")  # a link to itself: ELOOP
    rows, err = articles(capsys, corpus)
    assert err == [
        warning(corpus / "self", "skipped: symlink loop"),
        warning(corpus / "sub" / "loop", "skipped: symlink loop (folder already visited)"),
    ]
    assert set(rows) == {*GOOD, "inner"}


def test_ten_thousand_tiny_files(capsys, corpus: Path) -> None:
    bulk = corpus / "bulk"
    bulk.mkdir()
    for i in range(10_000):
        (bulk / f"t{i:05d}.txt").write_text(f"Tiny note {i}.")
    (bulk / "t10000.txt").write_text("")
    start = cpu_seconds()
    rows, err = articles(capsys, corpus)
    elapsed = cpu_seconds() - start
    assert err == [warning(bulk / "t10000.txt", "skipped: empty")]
    assert len(rows) == 10_002
    assert rows["t09999"]["words"] == 3
    assert elapsed < 15  # ~2 s here


def test_duplicate_ids(capsys, corpus: Path) -> None:
    (corpus / "a.jsonl").write_text(
        json.dumps({"id": "good1", "text": "A record claiming an id a file already has."}) + "\n"
        + json.dumps({"id": "dup", "text": "First of two."}) + "\n"
        + json.dumps({"id": "dup", "text": "Second of two."}) + "\n",
        encoding="utf-8",
    )
    rows, err = articles(capsys, corpus)
    assert err == [
        warning(corpus / "a.jsonl", "duplicate id 'dup' renamed to 'dup~2'"),
        warning(corpus / "good1.txt", "duplicate id 'good1' renamed to 'good1~2'"),
    ]
    assert set(rows) == {*GOOD, "good1~2", "dup", "dup~2"}
    assert text_of(capsys, corpus, "dup~2") == "Second of two."
    assert text_of(capsys, corpus, "good1~2") == GOOD["good1"].strip()


# --- everything at once: a real process, and the reader ---------------------------------


def bad_folder(folder: Path) -> list[str]:
    """Put one of each bad file in *folder* (beside the good ones); the expected warnings."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "noise.txt").write_bytes(random.Random(5).randbytes(4096))
    (folder / "nul.txt").write_bytes(b"The mayor\x00 spoke.")
    (folder / "ru.txt").write_bytes("Президент заявил о чрезвычайном положении.".encode("cp1251"))
    (folder / "data.json").write_text('{"foo": 1}')
    (folder / "feed.jsonl").write_text('{"id": "r1", "text": "A fine record."}\n{broken\n')
    (folder / "dup.jsonl").write_text(json.dumps({"id": "good2", "text": "Same id as a file."}))
    (folder / "sub").mkdir()
    os.symlink(folder, folder / "sub" / "loop")
    return [
        f"{folder / 'data.json'}: not an article (no text field), skipped",
        f"{folder / 'empty.txt'}: skipped: empty",
        f"{folder / 'feed.jsonl'}: line 2: invalid JSON, skipped",
        f"{folder / 'good2.txt'}: duplicate id 'good2' renamed to 'good2~2'",
        f"{folder / 'noise.txt'}: skipped: binary file",
        f"{folder / 'nul.txt'}: removed 1 NUL byte",
        f"{folder / 'ru.txt'}: decoded as cp1251",
        f"{folder / 'sub' / 'loop'}: skipped: symlink loop (folder already visited)",
    ]


def test_all_bad_inputs_in_a_real_process(corpus: Path, tmp_path: Path) -> None:
    expected = bad_folder(corpus)
    env = {**os.environ, "KAZREADER_CACHE": str(tmp_path / "cache")}
    res = subprocess.run(
        [sys.executable, "-m", "kazreader", "articles", "--json", "--corpus", str(corpus)],
        capture_output=True, text=True, timeout=60, env=env, cwd=ROOT,
    )
    assert res.returncode == 0, res.stderr
    assert res.stderr.splitlines() == [f"warning: {w}" for w in expected]
    ids = {r["id"] for r in json.loads(res.stdout)}
    assert ids == {*GOOD, "good2~2", "nul", "ru", "r1"}


async def test_reader_shows_the_same_warnings(corpus: Path, capsys) -> None:
    from kazreader.ui.app import KazreaderApp
    from kazreader.ui.widgets.log_panel import LogPanel

    expected = bad_folder(corpus)
    code, _out, err = cli(capsys, "articles", "--json", "--corpus", str(corpus))
    assert code == 0 and err == [f"warning: {w}" for w in expected]

    app = KazreaderApp([str(corpus)], warm=False)
    async with app.run_test(size=(120, 36)) as pilot:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        while (
            app.workspace is None
            or not app.library.query_one("#log", LogPanel).entries
            or not app._notifications  # noqa: SLF001 - posted as a message, shown a moment later
        ):
            assert loop.time() < deadline, "the reader never finished loading"
            await pilot.pause(0.05)
        log = app.library.query_one("#log", LogPanel)
        assert log.entries == [("warning", w) for w in expected]
        notes = [n.message for n in app._notifications]  # noqa: SLF001 - what the user sees pop up
        assert f"{len(expected)} files could not be loaded — press L in the library for details." in notes
        await pilot.press("L")  # the log panel opens on demand
        deadline = loop.time() + 20
        while not (log.display and log.has_class("-shown")):
            assert loop.time() < deadline, "L did not open the log panel"
            await pilot.pause(0.05)
        assert len(app.workspace.articles) == 6
