"""The faces after a change: one file edited, one added, one deleted, each then timed as a user meets it.

After each change, in fresh processes as the faces run: ``kazreader search``,
``kazreader passages``, ``kazreader entities`` (``--json``), and a TUI
reopening with the warm cache (first paint, then every analysis loaded).
Their outputs are digested; with ``check_clean`` the last state is also
computed from an empty cache and the digests compared (an incremental result
must equal a clean build's). Also here: ``kazreader articles --json`` against
a plain read of the same JSONL records.
"""

from __future__ import annotations

import hashlib
import json
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.harness.corpus import SINGLE, Record, write_jsonl, iter_raw_file, replica
from benchmarks.harness.measure import run_timed
from benchmarks.harness.tui import ROOT, tui_start

KAZREADER = [sys.executable, "-m", "kazreader"]
ADDED = "zz-added.jsonl"
EDIT_SENTENCE = " An added sentence, for the benchmark's edit."
JSON_FILES = (".jsonl", ".jsonl.gz", ".json")


def cli(args: list[str], corpus: Path, env: dict[str, str]) -> dict[str, Any]:
    """One ``kazreader`` command in a fresh process: wall, CPU, peak RSS, a digest of its stdout."""
    t = run_timed([*KAZREADER, *args, "--corpus", str(corpus)], cwd=ROOT, env=env)
    out = t.numbers()
    out["digest"] = _digest(t.stdout)
    out["digest_no_scores"] = _digest(_canonical(t.stdout))
    return out


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _canonical(stdout: str) -> str:
    """*stdout* (JSON) without ``score`` fields, scored items sorted: BM25 statistics may
    legitimately differ between an updated index and a fresh one."""
    try:
        return json.dumps(_without_scores(json.loads(stdout)), sort_keys=True)
    except ValueError:
        return stdout


def _without_scores(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_scores(v) for k, v in value.items() if k != "score"}
    if isinstance(value, list):
        scored = bool(value) and all(isinstance(v, dict) and "score" in v for v in value)
        items = [_without_scores(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True)) if scored else items
    return value


def faces(corpus: Path, env: dict[str, str], query: str, rows: int, tui: bool = True) -> dict[str, Any]:
    """search, passages, entities and (with *tui*) the warm TUI reopening, in this order."""
    out = {
        "search": cli(["search", query, "--json"], corpus, env),
        "passages": cli(["passages", "--json"], corpus, env),
        "entities": cli(["entities", "--json"], corpus, env),
    }
    if tui:
        out["tui"] = tui_start(str(corpus), rows, env, wait="all")
    return out


def _json_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.name.endswith(JSON_FILES)
                  and p.name not in (SINGLE, ADDED))


def _read(path: Path) -> list[Record]:
    if path.suffix == ".json":
        return [json.loads(path.read_text(encoding="utf-8"))]
    return list(iter_raw_file(path))


def _edited(record: Record) -> Record:
    return {k: v + EDIT_SENTENCE if isinstance(v, str) and len(v) > 200 else v
            for k, v in record.items()}


def edit_one(corpus: Path) -> str:
    """Add a sentence to the text of the first record of the first JSON file."""
    path = _json_files(corpus)[0]
    records = _read(path)
    records[0] = _edited(records[0])
    if path.suffix == ".json":
        path.write_text(json.dumps(records[0], ensure_ascii=False), encoding="utf-8")
    else:
        write_jsonl(path, records)
    return f"edited one article of {path.name} ({len(records)} articles in the file)"


def add_one(corpus: Path) -> str:
    """A new file holding one new article (an edited replica of the first record)."""
    record = replica(_read(_json_files(corpus)[0])[-1], 97)
    write_jsonl(corpus / ADDED, [record])
    return f"added {ADDED} (1 article)"


def delete_one(corpus: Path) -> str:
    """Delete the file that holds one article alone (see :func:`benchmarks.harness.corpus.copy_corpus`)."""
    path = corpus / SINGLE
    n = len(_read(path))
    path.unlink()
    return f"deleted {SINGLE} ({n} article)"


CHANGES: dict[str, Callable[[Path], str]] = {"edit": edit_one, "add": add_one, "delete": delete_one}


def run_incremental(corpus: Path, env: dict[str, str], clean_env: dict[str, str] | None,
                    query: str, rows: int) -> dict[str, Any]:
    """The faces on the unchanged corpus, then after each change; the clean comparison last."""
    out: dict[str, Any] = {"query": query, "unchanged": faces(corpus, env, query, rows)}
    for name, change in CHANGES.items():
        what = change(corpus)
        out[name] = {"change": what, **faces(corpus, env, query, rows)}
        print(f"  incremental {name}: {what}: " + ", ".join(
            f"{k} {v.get('wall_s', v.get('first_paint_s', '?'))} s" for k, v in out[name].items()
            if isinstance(v, dict)), file=sys.stderr, flush=True)
    if clean_env is not None:
        clean = faces(corpus, clean_env, query, rows, tui=False)
        last = out["delete"]
        out["clean"] = clean
        out["equal_to_clean"] = {k: clean[k]["digest"] == last[k]["digest"] for k in clean}
        out["equal_to_clean_but_scores"] = {k: clean[k]["digest_no_scores"] == last[k]["digest_no_scores"]
                                            for k in clean}
    return out


_PLAIN_READ = textwrap.dedent(
    """
    import gzip, json, pathlib, sys
    out = []
    for p in sorted(pathlib.Path(sys.argv[1]).rglob("*")):
        if p.name.endswith((".jsonl", ".jsonl.gz")):
            with (gzip.open if p.suffix == ".gz" else open)(p, "rt", encoding="utf-8") as fh:
                recs = [json.loads(line) for line in fh if line.strip()]
        elif p.suffix == ".json":
            recs = [json.loads(p.read_text(encoding="utf-8"))]
        else:
            continue
        for r in recs:
            out.append({k: r.get(k) for k in ("ID", "id", "title", "date", "source", "outlet", "url")})
    print(json.dumps(out))
    """
)


def articles_vs_jsonl(corpus: Path, env: dict[str, str]) -> dict[str, Any]:
    """``kazreader articles --json`` (warm cache) against a plain Python read of the same JSON records."""
    ours = cli(["articles", "--json"], corpus, env)
    plain = run_timed([sys.executable, "-c", _PLAIN_READ, str(corpus)], cwd=ROOT, env=env).numbers()
    return {"articles": ours, "plain_jsonl": plain}


__all__ = ["CHANGES", "articles_vs_jsonl", "faces", "run_incremental"]
