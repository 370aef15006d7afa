"""The benchmark harness (benchmarks/run.py and benchmarks/harness/) on a tiny corpus, in seconds."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.harness import corpus as bc
from benchmarks.harness import incremental as inc
from benchmarks.harness import stages
from benchmarks.harness.measure import latency, run_timed
from benchmarks.harness.report import ratios, render
from kazreader.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]


def _record(i: int) -> dict[str, Any]:
    paras = [f"Paragraph {j} of story {i}: the white house said on monday that talks went on." for j in range(9)]
    return {"ID": f"rec{i:03d}", "title": f"Story {i}", "date": "2020-01-0" + str(1 + i % 9),
            "source": f"Outlet {i % 3}", "content_original": "\n".join(paras)}


POOL = [_record(i) for i in range(6)]


def test_real_records_sample_then_replicate_with_unique_ids_and_edits() -> None:
    sample = bc.real_records(4, seed=1, pool=POOL)
    assert len({r["ID"] for r in sample}) == 4 and all("-r" not in r["ID"] for r in sample)
    many = bc.real_records(15, seed=1, pool=POOL)
    assert len({r["ID"] for r in many}) == 15
    assert many == bc.real_records(15, seed=1, pool=POOL)  # deterministic
    originals = {r["ID"]: r for r in many[:6]}
    for r in many[6:]:
        base = originals[r["ID"].split("-r")[0]]
        assert r["content_original"] != base["content_original"] and r["date"] != base["date"]
    assert len({r["content_original"] for r in many}) == 15  # no exact duplicates


def test_written_corpus_loads_with_one_single_article_file(tmp_path: Path) -> None:
    bc.write_records(bc.real_records(8, seed=2, pool=POOL), tmp_path / "c", gz=True)
    assert next(bc.iter_raw_file(tmp_path / "c" / bc.SINGLE))["ID"]
    assert len(load_corpus([tmp_path / "c"]).articles) == 8
    copy = tmp_path / "copy"
    (tmp_path / "src").mkdir()
    bc.write_jsonl(tmp_path / "src" / "all.jsonl", POOL)
    bc.copy_corpus(tmp_path / "src", copy)
    assert (copy / bc.SINGLE).exists() and len(load_corpus([copy]).articles) == 6


def test_queries_include_frequent_word_phrases() -> None:
    texts = [r["content_original"] for r in POOL]
    q = bc.sample_queries(texts, 5, seed=3)
    assert len(q["phrase"]) == len(q["term"]) == 5
    assert '"the white house"' in q["frequent_phrase"]
    assert all(sum(len(w) >= 4 for w in p.strip('"').split()) >= 2 for p in q["frequent_phrase"])


def test_changes_edit_add_and_delete_one_article(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    bc.write_records(POOL, corpus, gz=False)
    before = {a.id: a.text for a in load_corpus([corpus]).articles}
    for change in inc.CHANGES.values():
        change(corpus)
    after = {a.id: a.text for a in load_corpus([corpus]).articles}
    assert len(after) == len(before)  # one added, one deleted
    assert len(set(before) - set(after)) == 1 and len(set(after) - set(before)) == 1
    assert sum(after[k] != before[k] for k in set(before) & set(after)) == 1


def test_run_timed_counts_a_childs_cpu() -> None:
    t = run_timed([sys.executable, "-c", "sum(range(3_000_000)); print('ok')"], cwd=ROOT)
    assert t.returncode == 0 and t.stdout.strip() == "ok" and t.cpu_s > 0 and t.maxrss_mb > 1
    bad = run_timed([sys.executable, "-c", "raise SystemExit('nope')"], cwd=ROOT)
    assert bad.numbers()["error"] == ["nope"]


def test_latency_leaves_out_failing_queries() -> None:
    def run(q: str) -> None:
        if q == "bad":
            raise ValueError(q)

    out = latency(run, ["a", "bad", "b"])
    assert out["n"] == 2 and out["errors"] == 1 and out["p50_ms"] >= 0


def test_stages_and_report_on_a_tiny_corpus(tmp_path: Path) -> None:
    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    bc.write_records(bc.real_records(6, seed=4, pool=POOL), corpus, gz=False)
    queries = bc.sample_queries([r["content_original"] for r in POOL], 3, seed=4)
    r: dict[str, Any] = {"articles": 6, "mode": "test", "cpus": 2, "load_before": "0", "load_after": "0"}
    r["ingest"] = stages.stage_ingest(corpus, cache)
    assert r["ingest"]["articles"] == 6 and r["ingest"]["total_cpu_s"] > 0
    r["index_build"] = stages.stage_index_build(corpus, cache, tmp_path)
    r["queries"] = stages.stage_queries(corpus, cache, queries)
    r["sqlite"] = stages.stage_sqlite(corpus, queries, tmp_path)
    r["whoosh"] = stages.stage_whoosh(corpus, queries, tmp_path)
    assert r["sqlite"]["update"]["wall_s"] >= 0 and r["queries"]["frequent_phrase"]["hits"] > 0
    r["ratios"] = ratios(r)
    assert r["ratios"]["index_build_cpu / fts5_build_cpu"] is not None
    text = render(r)
    assert "full first ingest" in text and "frequent_phrase query" in text
    json.dumps(r)


def test_tantivy_stage_runs_or_skips(tmp_path: Path) -> None:
    pytest.importorskip("tantivy")
    from benchmarks.harness.tantivy_stage import stage_tantivy

    corpus = tmp_path / "corpus"
    bc.write_records(POOL, corpus, gz=False)
    queries = bc.sample_queries([r["content_original"] for r in POOL], 3, seed=5)
    out = stage_tantivy(corpus, queries, tmp_path)
    assert out["build_cpu_s"] >= 0 and out["phrase"]["n"] == 3 and "update" in out


def test_faces_are_timed_in_fresh_processes_with_digests(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    bc.write_records(POOL, corpus, gz=False)
    env = {**os.environ, "KAZREADER_CACHE": str(tmp_path / "cache")}
    out = inc.articles_vs_jsonl(corpus, env)
    listed = out["articles"]
    assert listed["returncode"] == 0 and listed["cpu_s"] > 0 and len(listed["digest"]) == 16
    assert out["plain_jsonl"]["returncode"] == 0


def test_scores_are_left_out_of_the_clean_comparison() -> None:
    a = {"total": 2, "hits": [{"id": "x", "score": 2.0}, {"id": "y", "score": 1.0}]}
    b = {"total": 2, "hits": [{"id": "y", "score": 1.5}, {"id": "x", "score": 1.4}]}
    assert inc._canonical(json.dumps(a)) == inc._canonical(json.dumps(b))
    assert inc._canonical(json.dumps(a)) != inc._canonical(json.dumps({**a, "total": 3}))
