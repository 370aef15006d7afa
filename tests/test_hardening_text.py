"""Hostile article text through every CLI command, as tables and as JSON.

Articles (and file names) carry ANSI colour and clear-screen sequences, OSC 52
(clipboard), OSC 8 (links), 8-bit C1 controls, bidi overrides and isolates,
BEL/backspace and Rich markup. Nothing that can drive a terminal may reach
stdout or stderr; markup must be printed as the literal characters. A 1 MB
single-line article must not hang any command. (The TUI side is in
``tests/ui/test_hostile_text.py``.)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kazreader.cli import main

ROOT = Path(__file__).resolve().parents[1]

MARKUP = "[bold red]BOOM[/bold red] [link=https://evil.example]click[/link] [@click=app.quit]quit[/]"
ESCAPES = (
    "\x1b[31mRED\x1b[0m \x1b[2J\x1b[H \x1b]52;c;aGVsbG8=\x07 \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ "
    "\x9b31m \x9d0;title\x9c \u202eevil\u202c \u2066iso\u2069 \u200fmark bell\x07 back\x08space \x1bP+q\x1b\\"
)
#: Anything a terminal would act on: C0 controls but tab/newline, ESC, DEL, C1
#: controls, bidi controls and isolates.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

COMMANDS = [
    ["articles"],
    ["show", "alpha"],
    ["show", "evil"],
    ["search", "police"],
    ["search", "BOOM"],
    ["compare", "alpha", "beta"],
    ["passages"],
    ["entities"],
    ["quotes"],
    ["figures"],
    ["coverage", "alpha", "beta"],
    ["coverage", "Alpha", "Beta"],
]


def hostile_corpus(folder: Path) -> Path:
    """Two outlets sharing hostile passages and quotes, plus a hostile file name."""
    folder.mkdir()
    shared = f"Police in the capital said 40 people were killed on Friday. {MARKUP} {ESCAPES}"
    (folder / "alpha.txt").write_text(
        f"Unrest {MARKUP} in the capital\n\n{shared}\n\n"
        f"“We will restore order {MARKUP} {ESCAPES},” President John Smith said.\n\n"
        f"The ministry said at least 12 officers died.\n\nSource: Alpha {MARKUP} News\n",
        encoding="utf-8",
    )
    (folder / "beta.txt").write_text(
        f"Source: Beta News\n\n{shared}\n\n"
        f"“We will restore order {MARKUP} {ESCAPES},” John Smith said on Saturday.\n\n"
        f"The ministry said more than 20 officers died {ESCAPES}.\n",
        encoding="utf-8",
    )
    (folder / "evil\x1b[31mname\u202e.txt").write_text(
        f"Another report {MARKUP} about the capital city.\n", encoding="utf-8"
    )
    (folder / "empty\x1b]52;c;aGk=\x07\u202e.txt").write_bytes(b"")  # a warning naming it
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_corpus(tmp_path_factory.mktemp("hostile") / "corpus")


@pytest.fixture(scope="module")
def module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-cache")


@pytest.fixture(autouse=True)
def _wide_and_shared(monkeypatch: pytest.MonkeyPatch, module_cache: Path) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # tables keep markup on one line
    monkeypatch.setenv("KAZREADER_CACHE", str(module_cache))


def assert_clean(text: str, where: str) -> None:
    bad = FORBIDDEN.search(text)
    assert bad is None, f"{where}: {bad.group()!r} at {bad.start()}: {text[max(0, bad.start() - 40):bad.end() + 40]!r}"


@pytest.mark.parametrize("as_json", [False, True], ids=["table", "json"])
@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: "-".join(a))
def test_no_terminal_control_reaches_the_output(capsys, corpus: Path, argv: list[str], as_json: bool) -> None:
    code = main([*argv, "--corpus", str(corpus), *(["--json"] if as_json else [])])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert_clean(out, "stdout")
    assert_clean(err, "stderr")
    # The one bad file is named, its controls shown as escapes, never raw.
    assert err.splitlines() == [
        f"warning: {corpus}/empty\\x1b]52;c;aGk=\\x07\\u202e.txt: skipped: empty"
    ]
    if as_json:
        json.loads(out)


@pytest.mark.parametrize(
    "argv",
    [["show", "alpha"], ["search", "BOOM"], ["compare", "alpha", "beta"], ["quotes"], ["coverage", "alpha", "beta"]],
    ids=lambda a: "-".join(a),
)
def test_markup_is_printed_literally(capsys, corpus: Path, argv: list[str]) -> None:
    assert main([*argv, "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "[bold red]BOOM[/bold red]" in out
    assert "[link=https://evil.example]click[/link]" in out or argv[0] == "search"


def test_json_keeps_markup_and_drops_escapes(capsys, corpus: Path) -> None:
    assert main(["show", "alpha", "--json", "--corpus", str(corpus)]) == 0
    art = json.loads(capsys.readouterr().out)
    assert art["outlet"] == f"Alpha {MARKUP} News"
    assert art["title"] == f"Unrest {MARKUP} in the capital"
    assert MARKUP in art["text"]
    assert "RED link evil iso mark bell backspace" in art["text"]  # escapes gone, words kept
    assert_clean(art["text"], "text")
    assert main(["quotes", "--json", "--corpus", str(corpus)]) == 0
    quotes = json.loads(capsys.readouterr().out)
    assert any(MARKUP in q["text"] for q in quotes)


def test_hostile_file_name_is_escaped_in_json_not_lost(capsys, corpus: Path) -> None:
    assert main(["articles", "--json", "--corpus", str(corpus)]) == 0
    raw = capsys.readouterr().out
    assert "\\u001b[31mname\\u202e.txt" in raw  # escaped on the wire…
    rows = {r["id"]: r for r in json.loads(raw)}
    assert rows["evilname"]["path"] == str(corpus / "evil\x1b[31mname\u202e.txt")  # …exact when parsed
    assert os.path.exists(rows["evilname"]["path"])


def test_hostile_query_and_unknown_id_are_escaped(capsys, corpus: Path) -> None:
    for argv in (["search", "police\x1b[2J\u202e"], ["search", "(\x1b]52;c;aGk=\x07"], ["show", "x\x1b[2J\u202e"],
                 ["compare", "alpha", "\x9b2J"]):
        code = main([*argv, "--corpus", str(corpus)])
        out, err = capsys.readouterr()
        assert code in (0, 2), err
        assert_clean(out, f"{argv} stdout")
        assert_clean(err, f"{argv} stderr")


def test_real_process_bytes_are_clean(corpus: Path, module_cache: Path) -> None:
    """What a terminal would receive, byte for byte, from a real process."""
    env = {**os.environ, "KAZREADER_CACHE": str(module_cache), "COLUMNS": "200"}
    for argv in (["show", "alpha"], ["quotes"], ["articles", "--json"]):
        res = subprocess.run([sys.executable, "-m", "kazreader", *argv, "--corpus", str(corpus)],
                             capture_output=True, timeout=60, env=env, cwd=ROOT)
        assert res.returncode == 0, res.stderr
        for stream in (res.stdout, res.stderr):
            assert b"\x1b" not in stream and b"\x07" not in stream and b"\x08" not in stream
            assert_clean(stream.decode("utf-8"), " ".join(argv))
        if argv[0] == "show":
            assert b"[bold red]BOOM[/bold red]" in res.stdout


# --- a 1 MB single-line article ------------------------------------------------------------


def test_one_megabyte_single_line_does_not_hang(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "long"
    folder.mkdir()
    sentence = ('Police said {n} people were detained in Northport on Friday, and Anna Berg said '
                '"we will restore order" [bold]now[/bold] \x1b[2J. ')
    line = "".join(sentence.format(n=i % 900 + 2) for i in range(8_000))  # ~1 MB, no newline
    assert len(line) > 1_000_000 and "\n" not in line
    (folder / "long.txt").write_text(line, encoding="utf-8")
    (folder / "other.txt").write_text("Police said 40 people were detained in Northport on Friday.\n")
    timings = {}
    for argv, as_json in [
        (["articles"], False), (["show", "long"], False), (["show", "long"], True),
        (["search", "detained"], False), (["search", '"restore order"'], True),
        (["compare", "long", "other"], True), (["passages"], True), (["entities"], True),
        (["quotes"], True), (["figures"], True), (["coverage", "long", "other"], True),
    ]:
        # CPU time, not wall time: other processes on a loaded machine must not fail it.
        start = time.process_time()
        code = main([*argv, "--corpus", str(folder), *(["--json"] if as_json else [])])
        timings[" ".join(argv)] = time.process_time() - start
        out, err = capsys.readouterr()
        assert code == 0, err
        assert "\x1b" not in out and "\x1b" not in err
    assert sum(timings.values()) < 45, timings  # ~8 s here; a quadratic step would take minutes
    assert max(timings.values()) < 20, timings
