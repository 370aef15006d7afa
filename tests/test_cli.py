"""The command-line contract (shared/cli-contract.md): names, JSON shapes, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kazreader import cli
from kazreader.cli import main

QUALIFIERS = {"exact", "at_least", "more_than", "about", "nearly", "up_to", "vague"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Two outlets reprinting one wire paragraph, plus an unrelated article."""
    wire = (
        "Rescue teams pulled 14 survivors from the collapsed apartment block overnight, "
        "the regional emergency ministry said in a statement on Friday morning."
    )
    (tmp_path / "alpha.txt").write_text(
        "date 2023-03-01\n\nQuake hits coastal town\n\n"
        f"{wire}\n\n"
        "“We will not stop until every family is found,” Governor Maria Lopez told reporters.\n\n"
        "At least 40 people were killed, officials said.\n",
        encoding="utf-8",
    )
    (tmp_path / "beta.txt").write_text(
        "date 2023-03-02\n\nSurvivors found after quake\n\n"
        "More than 60 people were killed in the earthquake, the ministry said.\n\n"
        f"{wire.replace('overnight', 'during the night')}\n\n"
        "\"We will not stop until every family is found,\" Lopez said.\n",
        encoding="utf-8",
    )
    (tmp_path / "gamma.md").write_text(
        "# Markets close higher\n\nShares in the region rose for a third day as investors "
        "weighed new figures on factory output and consumer spending.\n",
        encoding="utf-8",
    )
    return tmp_path


def test_articles_json_shape(capsys) -> None:
    rows = run_json(capsys, "articles")
    assert len(rows) == 5
    for row in rows:
        assert set(row) >= {"id", "path", "outlet", "date", "title", "words"}
        assert row["date"] is None or len(row["date"]) == 10
        assert row["words"] > 100
    assert rows[0]["id"] == "000_c205ff12a7dc4fd5"


def test_show_by_prefix_and_offsets(capsys) -> None:
    art = run_json(capsys, "show", "000")
    assert art["id"] == "000_c205ff12a7dc4fd5"
    assert set(art) >= {"id", "path", "outlet", "date", "title", "text", "paragraphs"}
    for para in art["paragraphs"]:
        chunk = art["text"][para["start"]:para["end"]]
        assert chunk and chunk == chunk.strip()


def test_unknown_and_ambiguous_ids_exit_2_with_candidates(capsys) -> None:
    code, out, err = run(capsys, "show", "nope", "--json")
    assert code == 2 and out == "" and "nope" in err
    code, out, err = run(capsys, "show", "00", "--json")
    assert code == 2 and "000_c205ff12a7dc4fd5" in err and "001_d3156641ac80ec0f" in err


def test_search_phrase_ignores_typography(capsys) -> None:
    curly = run_json(capsys, "search", "“country’s largest city”")
    straight = run_json(capsys, "search", '"COUNTRY\'S LARGEST CITY"')
    assert curly["total"] == straight["total"] >= 2
    assert {h["id"] for h in curly["hits"]} == {h["id"] for h in straight["hits"]}
    for hit in curly["hits"]:
        assert set(hit) >= {"id", "score", "snippet"}


def test_search_limit_and_bad_query(capsys) -> None:
    res = run_json(capsys, "search", "Almaty", "--limit", "2")
    assert len(res["hits"]) == 2 and res["total"] >= 2
    code, out, err = run(capsys, "search", "nosuchfield:foo", "--json")
    assert code == 2 and out == "" and "Traceback" not in err


def test_compare_json_shape(capsys, small_corpus: Path) -> None:
    res = run_json(capsys, "compare", "alpha", "beta", "--corpus", str(small_corpus))
    assert res["a"] == "alpha" and res["b"] == "beta"
    assert res["passages"], "the reprinted wire paragraph must be found"
    p = res["passages"][0]
    assert set(p) >= {"a_start", "a_end", "a_text", "b_start", "b_end", "b_text", "words", "similarity"}
    assert 0 <= p["similarity"] <= 1
    assert "collapsed apartment block" in p["a_text"]


def test_passages_json_shape(capsys, small_corpus: Path) -> None:
    clusters = run_json(capsys, "passages", "--corpus", str(small_corpus))
    assert clusters
    for c in clusters:
        assert set(c) >= {"id", "members", "origin"}
        assert len({m["article"] for m in c["members"]}) >= 2
        for m in c["members"]:
            assert set(m) >= {"article", "start", "end", "text"}
    wire = [c for c in clusters if any("apartment block" in m["text"] for m in c["members"])]
    assert wire and wire[0]["origin"] == "alpha"


def test_entities_quotes_figures_shapes(capsys, small_corpus: Path) -> None:
    ents = run_json(capsys, "entities", "--corpus", str(small_corpus))
    for e in ents:
        assert set(e) >= {"name", "type", "variants", "mentions"}
        assert e["type"] in {"PERSON", "ORG", "PLACE", "OTHER"}
    lopez = [e for e in ents if e["name"].endswith("Lopez")]
    assert lopez and lopez[0]["type"] == "PERSON" and set(lopez[0]["mentions"]) == {"alpha", "beta"}

    quotes = run_json(capsys, "quotes", "--corpus", str(small_corpus))
    for q in quotes:
        assert set(q) >= {"article", "start", "end", "text", "speaker", "speaker_text", "group"}
    stop = [q for q in quotes if q["text"].startswith("We will not stop")]
    assert len(stop) == 2 and len({q["group"] for q in stop}) == 1
    assert all(q["speaker"] and q["speaker"].endswith("Lopez") for q in stop)

    figs = run_json(capsys, "figures", "--corpus", str(small_corpus))
    assert set(figs) >= {"figures", "disagreements"}
    for f in figs["figures"]:
        assert set(f) >= {"article", "start", "end", "text", "sentence", "value", "low", "high",
                          "qualifier", "measure", "counted"}
        assert f["qualifier"] in QUALIFIERS
    # "At least 40" (alpha) and "More than 60" (beta) killed can both hold: not a disagreement.
    killed = [f for f in figs["figures"] if f["measure"] == "people killed"]
    assert {f["article"] for f in killed} >= {"alpha", "beta"} and all(f["story"] for f in killed)
    assert not [d for d in figs["disagreements"] if "killed" in (d["measure"] or "")]
    for d in figs["disagreements"]:
        assert d["kind"] in ("differ", "conflict") and "story" in d
        for v in d["values"]:
            assert set(v) >= {"article", "value", "low", "high", "text"}


def test_entities_json_is_written_from_each_entitys_text_byte_for_byte(capsys, small_corpus: Path) -> None:
    """``entities --json`` is printed from ``Entity.json_text`` (Analysis.json_texts): the same bytes
    as its ``to_json`` values laid out by the generic writer."""
    from kazreader import cli
    from kazreader.analysis.registry import REGISTRY
    from kazreader.workspace import Workspace

    code, fast, err = run(capsys, "entities", "--json", "--corpus", str(small_corpus))
    assert code == 0, err
    ws = Workspace([str(small_corpus)])
    try:
        cli._print_json(REGISTRY["entities"].to_json(ws.entities()))
    finally:
        ws.close()
    assert capsys.readouterr().out == fast and fast.startswith("[\n  {") and '"spans": {' in fast


def test_coverage_json_shape(capsys, small_corpus: Path) -> None:
    cov = run_json(capsys, "coverage", "alpha", "beta", "--corpus", str(small_corpus))
    assert set(cov) >= {"shared", "only_x", "only_y", "entities_only_x", "entities_only_y",
                        "quotes_only_x", "quotes_only_y", "figure_disagreements"}
    assert cov["shared"]
    assert any("40 people" in s["text"] for s in cov["only_x"])
    assert any("60 people" in s["text"] for s in cov["only_y"])


def test_coverage_of_an_article_with_itself_agrees_with_compare(capsys, small_corpus: Path) -> None:
    cov = run_json(capsys, "coverage", "alpha", "alpha", "--corpus", str(small_corpus))
    pairs = run_json(capsys, "compare", "alpha", "alpha", "--corpus", str(small_corpus))["passages"]
    assert len(cov["shared"]) == len(pairs) >= 1
    assert cov["only_x"] == cov["only_y"] == [] and cov["x_shared_fraction"] == 1.0


def test_corpus_before_the_command_is_read_too(capsys, small_corpus: Path, tmp_path: Path) -> None:
    """``kazreader --corpus X articles`` reads X (it had read the bundled corpus, silently)."""
    ids = {r["id"] for r in run_json(capsys, "--corpus", str(small_corpus), "articles")}
    assert ids == {r["id"] for r in run_json(capsys, "articles", "--corpus", str(small_corpus))}
    assert "alpha" in ids and not any(i.startswith("000_") for i in ids)
    other = tmp_path / "other"
    other.mkdir()
    (other / "solo.txt").write_text("A single article about the harbour and its cranes.\n", encoding="utf-8")
    both = {r["id"] for r in run_json(capsys, "--corpus", str(small_corpus), "articles", "--corpus", str(other))}
    assert both == ids | {"solo"}


def test_bad_files_warn_on_stderr_and_exit_0(capsys, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("A perfectly ordinary article about the harbour.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.jsonl").write_text('{"id": "r1", "text": "fine record"}\n{nope\n', encoding="utf-8")
    code, out, err = run(capsys, "articles", "--json", "--corpus", str(tmp_path))
    assert code == 0
    ids = {r["id"] for r in json.loads(out)}
    assert {"good", "r1"} <= ids
    assert "empty.txt" in err and "broken.jsonl" in err
    assert all(line.startswith("warning:") for line in err.strip().splitlines())


def test_human_output_renders_every_command(capsys, small_corpus: Path) -> None:
    for argv in (["articles"], ["show", "alpha"], ["search", "quake"], ["compare", "alpha", "beta"],
                 ["passages"], ["entities"], ["quotes"], ["figures"], ["coverage", "alpha", "beta"]):
        code, out, err = run(capsys, *argv, "--corpus", str(small_corpus))
        assert code == 0, (argv, err)
        assert out.strip(), argv


def test_markup_in_articles_is_printed_literally(capsys, tmp_path: Path) -> None:
    (tmp_path / "evil.txt").write_text(
        "[bold red]Not bold[/bold red] and [link=http://x]a link[/link] \x1b[31mred\x1b[0m\x1b]52;c;aGk=\x07.\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "show", "evil", "--corpus", str(tmp_path))
    assert code == 0
    assert "[bold red]Not bold[/bold red]" in out and "[link=http://x]" in out
    assert "\x1b" not in out


def test_python_dash_m_and_version() -> None:
    res = subprocess.run([sys.executable, "-m", "kazreader", "articles", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert len(json.loads(res.stdout)) == 5
    res = subprocess.run([sys.executable, "-m", "kazreader", "--version"], capture_output=True, text=True)
    assert res.returncode == 0 and "kazreader" in res.stdout


def test_a_folder_or_file_as_the_first_argument_opens_the_reader_on_it(monkeypatch, tmp_path, capsys) -> None:
    """``kazreader ~/folder`` is ``kazreader open ~/folder``; a word that is neither stays an error."""
    opened: list[object] = []
    monkeypatch.setattr(cli, "_run_tui", lambda paths: opened.append(paths) or 0)
    story = tmp_path / "story.txt"
    story.write_text("Title\n\nBody.", encoding="utf-8")
    assert main([str(tmp_path)]) == 0
    assert main([str(story), str(tmp_path)]) == 0
    assert main(["open", str(tmp_path)]) == 0
    assert opened == [[str(tmp_path)], [str(story), str(tmp_path)], [str(tmp_path)]]
    with pytest.raises(SystemExit) as exc:
        main([str(tmp_path / "missing")])
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err
