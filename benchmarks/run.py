"""One benchmark of every stage of kazreader at scale, with baselines.

    python -m benchmarks.run --articles 20000              # generated corpus (the old "Scale" target)
    python -m benchmarks.run --real 2500 --json out.json   # real articles (abp-dev + abp-10k)
    python -m benchmarks.run --corpus ../shared/corpora/abp-10k

Corpus (one of; see :mod:`benchmarks.harness.corpus`):

* ``--articles N``: a seeded generated corpus (:mod:`benchmarks.generate`), JSONL shards;
* ``--real N``: N real articles of ``../shared/corpora/abp-dev`` and ``abp-10k``
  (11,238 distinct), sampled by a seeded shuffle, or replicated with ids made
  unique and light deterministic edits beyond that size; gzipped JSONL shards
  in the original schema;
* ``--corpus PATH``: any folder kazreader loads, copied as it is (one JSONL
  record is moved to a file of its own, for the incremental stage).

Stages, each heavy one in a fresh process, each with its wall and CPU (own +
children) and peak memory (the process and its largest child):

* **ingest**: load + every analysis + index, cold cache
  (:meth:`kazreader.workspace.Workspace.ingest`), with each step's wall and CPU;
* **index build**: the index alone over the ingest's cached analyses;
* **reopen** (twice): load, the index and every analysis from the cache;
* **queries**: phrase, word, frequent-word phrase and fuzzy latency (p50/p95
  CPU ms, top 20 with snippets as the faces call it, and the index alone);
* **TUI start**: cold and warm (medians of alternating runs against a bare
  Textual app); ``kazreader articles --json`` against a plain JSONL read;
* **incremental**: one file edited, one added, one deleted; after each, the
  next ``search``, ``passages``, ``entities`` and warm TUI reopening, each a
  fresh process (:mod:`benchmarks.harness.incremental`); ``--check-clean``
  compares the final outputs with a clean build's;
* **baselines** on the same cleaned texts: default-schema Whoosh (build,
  queries), SQLite FTS5 (build, queries with snippets, one-row update/insert/
  delete) and tantivy (same, when its wheel is installed: the ``bench`` extra).

Prints a Markdown table and the ratios; ``--json PATH`` writes every number
(after every stage, as does ``DIR/result.json`` with ``--keep DIR``; ``--keep
DIR --resume`` then runs only the stages missing there, ``--skip`` leaves
stages out). On a shared machine compare CPU seconds: wall times grow with the
load average, printed before and after each stage.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.harness import corpus as bc
from benchmarks.harness.corpus import sample_queries
from benchmarks.harness.incremental import articles_vs_jsonl, run_incremental
from benchmarks.harness.measure import load_average, run_timed
from benchmarks.harness.report import ratios, render
from benchmarks.harness.tui import TUI_RUNS, copy_cache, median_run, tui_start

__all__ = ["main", "sample_queries", "write_corpus"]

ROOT = Path(__file__).resolve().parents[1]


def write_corpus(n: int, seed: int, folder: Path) -> list[dict[str, Any]]:
    """Generate *n* articles and write them as JSONL shards in *folder*."""
    records = bc.generated_records(n, seed)
    bc.write_records(records, folder, gz=False)
    return records


def prepare_corpus(opts: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Write or copy the corpus into *folder*; its description, size and sampled queries.

    Runs as a stage of its own, so the driver stays small: Linux counts a
    launcher's resident memory at ``fork`` in its child's peak.
    """
    from kazreader.corpus import load_corpus

    seed = opts["seed"]
    if opts["corpus"]:
        bc.copy_corpus(Path(opts["corpus"]), folder)
        mode = f"folder {opts['corpus']}"
    elif opts["real"]:
        bc.write_records(bc.real_records(opts["real"], seed), folder, gz=True)
        mode = f"real: abp-dev + abp-10k, {opts['real']} sampled/replicated, seed {seed}"
    else:
        write_corpus(opts["articles"], seed, folder)
        mode = f"generated, ~600 words, seed {seed}"
    texts = [a.text for a in load_corpus([folder]).articles]
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return {"mode": mode, "articles": len(texts), "corpus_mb": round(size / 2**20, 1), "words": round(sum(len(t.split()) for t in texts) / len(texts)),
            "queries": sample_queries(texts, opts["queries"], seed)}


def _child(stage: str, tmp: Path, queries: Any = None, opts: Any = None) -> dict[str, Any]:
    """Run one stage in a fresh interpreter; its JSON plus the process' wall, CPU and peak RSS."""
    spec = {"stage": stage, "corpus": str(tmp / "corpus"), "cache": str(tmp / "cache"),
            "tmp": str(tmp), "queries": queries, "opts": opts}
    spec_path = tmp / f"{stage}.json"
    spec_path.write_text(json.dumps(spec))
    t = run_timed([sys.executable, "-m", "benchmarks.run", "--stage", str(spec_path)], cwd=ROOT)
    if t.returncode:
        sys.stderr.write(t.stderr)
        return {"error": t.numbers().get("error")}
    out: dict[str, Any] = json.loads(t.stdout.strip().splitlines()[-1])
    out["process"] = t.numbers()
    print(f"  {stage}: {t.wall_s:.1f} s, {t.cpu_s:.1f} CPU-s, {t.maxrss_mb:.0f} MiB; load {load_average()}",
          file=sys.stderr, flush=True)
    return out


def _run_stage(spec_path: str) -> None:
    from benchmarks.harness import stages
    from benchmarks.harness.tantivy_stage import stage_tantivy

    spec = json.loads(Path(spec_path).read_text())
    corpus, cache, tmp, queries = (Path(spec["corpus"]), Path(spec["cache"]), Path(spec["tmp"]),
                                   spec["queries"])
    run = {
        "prepare": lambda: prepare_corpus(spec["opts"], corpus),
        "ingest": lambda: stages.stage_ingest(corpus, cache),
        "index_build": lambda: stages.stage_index_build(corpus, cache, tmp),
        "reopen": lambda: stages.stage_reopen(corpus, cache),
        "queries": lambda: stages.stage_queries(corpus, cache, queries),
        "whoosh": lambda: stages.stage_whoosh(corpus, queries, tmp),
        "sqlite": lambda: stages.stage_sqlite(corpus, queries, tmp),
        "tantivy": lambda: stage_tantivy(corpus, queries, tmp),
    }
    print(json.dumps(run[spec["stage"]]()))


def tui_stages(tmp: Path, n: int, env: dict[str, str], runs: int = TUI_RUNS) -> dict[str, Any]:
    """Cold start, then alternating bare / warm starts (medians) over the ingest's cache."""
    target = str(tmp / "corpus")
    out: dict[str, Any] = {"cold": tui_start(target, n, env, wait="cold")}
    copy_cache(tmp / "cache", tmp / "corpus", env)
    bare_runs, warm_runs = [], []
    for _ in range(runs):
        bare_runs.append(tui_start("bare", 1, env))
        warm_runs.append(tui_start(target, n, env, wait="all"))
    out.update(bare=median_run(bare_runs), warm=median_run(warm_runs),
               runs={"bare": bare_runs, "warm": warm_runs})
    return out


def measure(args: argparse.Namespace, tmp: Path, result: dict[str, Any]) -> None:
    """Every stage, in order, into *result* (saved in ``tmp/result.json`` after each one).

    With ``--resume`` the stages already in that file, and those named by
    ``--skip``, are not run again.
    """
    skip = set(args.skip.split(",")) if args.skip else set()

    def stage(name: str, run: Callable[[], Any]) -> None:
        if name in result or name in skip:
            return
        result[name] = run()
        (tmp / "result.json").write_text(json.dumps(result, indent=2, default=str))
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2, default=str))

    opts = {k: getattr(args, k) for k in ("articles", "real", "corpus", "seed", "queries")}
    stage("prepared", lambda: _child("prepare", tmp, opts=opts))
    prep = result["prepared"]
    if "error" in prep:
        raise SystemExit(f"preparing the corpus failed: {prep['error']}")
    queries = {k: v[: args.queries // 4 if k == "fuzzy" else args.queries] for k, v in prep["queries"].items()}
    result.update({k: v for k, v in prep.items() if k not in ("queries", "process")},
                  frequent_phrases=queries["frequent_phrase"])
    print(f"{result['articles']} articles ({result['mode']}) ready", file=sys.stderr, flush=True)
    for name in ("ingest", "index_build", "reopen", "reopen_again", "queries"):
        stage(name, lambda: _child(name.replace("_again", ""), tmp, queries))
    env = dict(os.environ, KAZREADER_CACHE=str(tmp / "tui-cache"))
    copy_cache(tmp / "cache", tmp / "corpus", env)
    stage("tui", lambda: tui_stages(tmp, result["articles"], env, args.tui_runs))
    stage("articles_json", lambda: articles_vs_jsonl(tmp / "corpus", env))
    if not args.no_baselines:
        for name in ("sqlite", "tantivy", "whoosh"):
            stage(name, lambda: _child(name, tmp, queries))
    clean = dict(os.environ, KAZREADER_CACHE=str(tmp / "clean-cache")) if args.check_clean else None
    stage("incremental", lambda: run_incremental(tmp / "corpus", env, clean, queries["term"][0],
                                                 result["articles"]))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    what = ap.add_mutually_exclusive_group()
    what.add_argument("--articles", type=int, default=2000, help="generated articles (default)")
    what.add_argument("--real", type=int, metavar="N", help="N real articles (abp-dev + abp-10k)")
    what.add_argument("--corpus", metavar="PATH", help="a folder kazreader can load (copied)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--no-baselines", action="store_true", help="skip Whoosh, FTS5 and tantivy")
    ap.add_argument("--skip", metavar="STAGES", help="comma-separated stages not to run, e.g. tui,incremental")
    ap.add_argument("--tui-runs", type=int, default=TUI_RUNS, help="warm and bare TUI starts (medians)")
    ap.add_argument("--check-clean", action="store_true",
                    help="after the incremental stage, compare its outputs with a clean build's")
    ap.add_argument("--json", metavar="PATH", help="also write every number to PATH")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR (kept) instead of a temporary folder")
    ap.add_argument("--resume", action="store_true",
                    help="with --keep: reuse DIR's corpus, cache and result.json; run only the missing stages")
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.stage:
        _run_stage(args.stage)
        return 0
    result: dict[str, Any] = {"seed": args.seed, "cpus": os.cpu_count(), "load_before": load_average()}
    with tempfile.TemporaryDirectory(prefix="kazbench-") as d:
        tmp = Path(args.keep) if args.keep else Path(d)
        if args.keep and args.resume and (tmp / "result.json").exists():
            result.update(json.loads((tmp / "result.json").read_text()), load_before=result["load_before"])
        elif args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
        try:
            measure(args, tmp, result)
        finally:
            result["load_after"] = load_average()
            result["ratios"] = ratios(result) if "ingest" in result else {}
            if args.json:
                Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    print(render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
