"""Findings out of the CLI: --csv, report, timeline, export --to opensearch/passim, passages --from-passim."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from kazreader.cli import main

WIRE = ("Rescue teams pulled 14 survivors from the collapsed apartment block overnight, "
        "the regional emergency ministry said in a statement on Friday morning.")
OUTLETS = {
    "alpha": ("Alpha Daily", "Quake hits coastal town", "2023-03-01", "https://alpha.example/quake?id=1&x=2"),
    "beta": ("Beta_Post", "Survivors *found* after quake", "2023-03-02", "https://beta.example/survivors"),
}


@pytest.fixture
def corpus() -> Path:
    """Two outlets reprinting one wire paragraph and one quote, with outlet, title, date and URL."""
    return Path(__file__).parent / "data" / "findings"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def unescape_md(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize("argv", [
    ["articles"], ["search", "survivors"], ["compare", "alpha", "beta"], ["passages"], ["entities"],
    ["quotes"], ["figures"], ["coverage", "alpha", "beta"], ["timeline"],
])
def test_csv_has_the_json_fields_one_row_per_item(capsys: pytest.CaptureFixture[str], corpus: Path,
                                                  argv: list[str]) -> None:
    doc = json.loads(run(capsys, *argv, "--corpus", str(corpus), "--json"))
    rows = list(csv.DictReader(io.StringIO(run(capsys, *argv, "--corpus", str(corpus), "--csv"))))
    assert rows, argv
    items = {"search": lambda d: d["hits"], "compare": lambda d: d["passages"], "figures": lambda d: d["figures"],
             "passages": lambda d: [m for c in d for m in c["members"]]}.get(argv[0], lambda d: d)
    if argv[0] != "coverage":
        first = items(doc)[0]
        assert len(rows) == len(items(doc))
        assert set(first) - {"diff"} <= set(rows[0])
        for key, value in first.items():
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                assert rows[0][key] == str(value)


def test_cited_fields_in_json(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    quotes = json.loads(run(capsys, "quotes", "--corpus", str(corpus), "--json"))
    alpha = next(q for q in quotes if q["article"] == "alpha")
    assert (alpha["outlet"], alpha["title"], alpha["date"], alpha["url"]) == OUTLETS["alpha"]
    assert alpha["citation"] == (f"“{alpha['text']}” — {alpha['speaker']}, in Alpha Daily, “Quake hits coastal town”, "
                                 "2023-03-01, https://alpha.example/quake?id=1&x=2")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_cites_every_item(capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    run(capsys, "report", "Alpha", "beta", "--corpus", str(corpus), "--format", fmt, "-o", str(out))
    text = out.read_text(encoding="utf-8")
    if fmt == "html":
        import html

        assert "<script" not in text and "http" not in text.split("<body>")[0].replace("http-equiv", "")
        assert '<mark class="change">during the night</mark>' in text
        assert '<mark class="change">overnight</mark>' in text
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    else:
        text = unescape_md(text)
    for outlet, title, date, url in OUTLETS.values():
        assert outlet in text and f"“{title}”" in text and date in text and url in text
    assert "Maria Lopez" in text and "We will not stop until every family is found" in text
    assert "people killed" in text or "killed" in text
    for section in ("Shared passages", "Only in Alpha Daily", "Only in Beta_Post", "Quotes and who gave them",
                    "Figures they disagree on", "Named by only one side"):
        assert section in text


def test_report_includes_the_marks_on_either_side(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    assert "no marks on these articles" in unescape_md(run(capsys, "report", "Alpha", "beta", "--corpus", str(corpus)))
    run(capsys, "star", "beta", "--corpus", str(corpus))
    run(capsys, "mark", "alpha", "0", "12", "--flag", "disputed", "--note", "who said so?", "--corpus", str(corpus))
    text = unescape_md(run(capsys, "report", "Alpha", "beta", "--corpus", str(corpus)))
    section = text.split("## Marks and notes", 1)[1]
    assert "Beta_Post · starred" in section
    alpha = next(line for line in section.splitlines() if "disputed" in line)
    assert "Alpha Daily · disputed selection · note: who said so?" in alpha and "Alpha Daily" in alpha
    assert "“Survivors found after quake”" not in alpha  # (each mark cites its own article)


def test_timeline_firsts(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    entries = json.loads(run(capsys, "timeline", "--corpus", str(corpus), "--json"))
    assert [e["article"] for e in entries] == ["alpha", "beta"]
    assert {"article", "outlet", "date", "title", "url", "firsts"} <= set(entries[0])
    kinds = {f["kind"] for f in entries[0]["firsts"]}
    assert "passage" in kinds
    assert not any(f["kind"] == "passage" for f in entries[1]["firsts"])


def test_export_opensearch(capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "os"
    run(capsys, "export", "--to", "opensearch", "--corpus", str(corpus), "-o", str(out), "--index", "news")
    lines = (out / "bulk.ndjson").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and (out / "bulk.ndjson").read_text(encoding="utf-8").endswith("\n")
    actions, docs = [json.loads(x) for x in lines[::2]], [json.loads(x) for x in lines[1::2]]
    assert actions[0] == {"index": {"_index": "news", "_id": docs[0]["id"]}}
    alpha = next(d for d in docs if d["id"] == "alpha")
    assert alpha["outlet"] == "Alpha Daily" and alpha["quotes"][0]["speaker"]
    assert any(f["measure"] for f in alpha["figures"]) and alpha["entities"]
    mapping = json.loads((out / "mapping.json").read_text(encoding="utf-8"))
    props = mapping["mappings"]["properties"]
    assert set(docs[0]) <= set(props)
    for nested in ("entities", "quotes", "figures"):
        assert props[nested]["type"] == "nested"
        assert {k for d in docs for item in d[nested] for k in item} <= set(props[nested]["properties"])


def test_passim_round_trip(capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path) -> None:
    records = [json.loads(x) for x in run(capsys, "export", "--to", "passim", "--corpus", str(corpus)).splitlines()]
    assert {r["series"] for r in records} == {"Alpha Daily", "Beta_Post"}
    assert all({"id", "series", "text"} <= set(r) for r in records)
    # passim's output: out.json/part-* of one record per reused passage (input fields + cluster, size, begin, end).
    by_id = {r["id"]: r for r in records}
    out = tmp_path / "passim-out" / "out.json"
    out.mkdir(parents=True)
    lines = []
    for aid, passage in (("alpha", WIRE), ("beta", WIRE.replace("overnight", "during the night"))):
        begin = by_id[aid]["text"].find(passage)
        lines.append({**by_id[aid], "cluster": 7, "size": 2, "begin": begin, "end": begin + len(passage),
                      "uid": 1, "text": passage.replace("ministry", "ministry ")})
    lines.append({"id": "not-in-corpus", "series": "x", "cluster": 7, "size": 1, "begin": 0, "end": 3, "text": "abc"})
    (out / "part-00000").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    (out / "_SUCCESS").write_text("", encoding="utf-8")
    clusters = json.loads(run(capsys, "passages", "--corpus", str(corpus), "--from-passim",
                              str(tmp_path / "passim-out"), "--json"))
    assert len(clusters) == 1 and clusters[0]["origin"] == "alpha"
    shown = json.loads(run(capsys, "show", "alpha", "--corpus", str(corpus), "--json"))["text"]
    member = clusters[0]["members"][0]
    assert shown[member["start"]:member["end"]] == WIRE == member["text"]
    assert main(["passages", "--corpus", str(corpus), "--from-passim", str(tmp_path / "nowhere")]) == 2


def _chromium() -> str | None:
    import shutil

    for name in ("/usr/bin/chromium", "chromium", "chromium-headless-shell", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_html_report_renders_in_a_headless_browser(capsys: pytest.CaptureFixture[str], corpus: Path,
                                                   tmp_path: Path) -> None:
    import subprocess

    browser = _chromium()
    if browser is None:
        pytest.skip("no chromium on this machine")
    out = tmp_path / "report.html"
    run(capsys, "report", "alpha", "beta", "--corpus", str(corpus), "--format", "html", "-o", str(out))
    dom = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9",
         "--dump-dom", out.as_uri()], capture_output=True, text=True, timeout=60, check=False,
    ).stdout
    assert '<mark class="change">overnight</mark>' in dom and "Alpha Daily" in dom
    assert "<style>" in dom and "text-decoration:line-through" in dom


def test_report_bad_sides_and_paths_are_usage_errors(capsys: pytest.CaptureFixture[str], corpus: Path,
                                                     tmp_path: Path) -> None:
    assert main(["report", "alpha", "Alpha Daily", "--corpus", str(corpus)]) == 2
    assert main(["report", "alpha", "nosuch", "--corpus", str(corpus)]) == 2
    assert main(["report", "alpha", "beta", "--corpus", str(corpus), "-o", str(tmp_path / "no" / "x.md")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_timeline_and_report_on_a_real_story(capsys: pytest.CaptureFixture[str]) -> None:
    story = Path(__file__).parents[1] / ".." / "shared" / "corpora" / "abp-dev" / "immigration" / "2013-01-28"
    if not story.is_dir():
        pytest.skip("the shared corpora are not here")
    entries = json.loads(run(capsys, "timeline", "--corpus", str(story), "--json"))
    dates = [e["date"] or "9999" for e in entries]
    assert dates == sorted(dates)
    clusters = {c["id"]: c for c in json.loads(run(capsys, "passages", "--corpus", str(story), "--json"))}
    dated = {e["article"]: e["date"] for e in entries}
    for e in entries:
        for f in e["firsts"]:
            if f["kind"] == "passage":
                members = {m["article"] for m in clusters[f["id"]]["members"]}
                assert e["date"] == min(dated[a] or "9999" for a in members)
    outlets = [e["outlet"] for e in entries if e["outlet"]]
    text = unescape_md(run(capsys, "report", outlets[0], outlets[-1], "--corpus", str(story)))
    for e in entries:
        if e["outlet"] in (outlets[0], outlets[-1]) and e["url"]:
            assert e["url"] in text


def test_anchor_finds_passages_by_words_or_by_escaped_offsets() -> None:
    from html import escape

    from kazreader.export.passim import anchor

    text = "Q&A: “Rates rise,” the bank said.\n\nMarkets <fell> today, traders said."
    assert anchor(text, "Markets &lt;fell&gt; today") == (text.index("Markets"), text.index(" today") + 6)
    s = text.index("Markets")
    assert anchor(text, '"Rates rise," the bank said.') == (text.index("“"), text.index("said.") + 5)
    escaped = escape(text, quote=False)
    b = escaped.index("Markets")
    e = escaped.index(" traders")
    assert anchor(text, None, b, e) == (s, text.index(" traders"))
    assert anchor(text, "nothing like it at all here", 0, 5) is None
