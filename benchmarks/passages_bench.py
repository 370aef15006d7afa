"""Benchmark of shared-passage detection: speed, recall and precision.

Run ``python -m benchmarks.passages_bench`` (``--help`` for options). In one
run it reports:

Pairwise times are CPU times of this process (robust on a shared machine);
clustering reports wall time and CPU time (parent plus workers).

* **pairwise alignment** on generated article pairs that share planted
  passages plus pairs that share none (same names and stock phrases): time
  per pair of :func:`kazreader.analysis.passages.align` (cold: tokenising both
  texts; warm: texts already prepared, as in a corpus) against
  :class:`difflib.SequenceMatcher` with ``autojunk=False`` on the same pairs
  (on characters, as the issue measured it, and on word lists), and recall /
  precision of the planted passages, per planting kind;
* **corpus clustering** of generated corpora of several sizes, each in a fresh
  process: wall time, peak resident memory (parent and largest worker), and
  recall / precision of the planted copies.

With ``--real PATH`` (e.g. ``../shared/corpora/abp-10k``) it clusters the
first N articles of a real corpus instead, for each of ``--sizes``, each in a
fresh process: CPU seconds (parent plus workers), clusters, then the
incremental stage: with the fingerprints and alignments kept as parts and the
candidate pass' state kept (:mod:`kazreader.analysis.cluster_state`), one
article edited, one added, one removed, the CPU of the rebuild, whether it
equals a clean build, and the state's size.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import resource
import subprocess
import sys
import time
from collections import Counter

from benchmarks.generate import PlantedCopy, PlantedTruth, generate_corpus
from kazreader.analysis import passages
from kazreader.analysis.clusters import cluster_passages
from kazreader.corpus.model import Article
from kazreader.text import tokenize

__all__ = ["bench_align", "bench_cluster", "main"]


def _covers(start: int, end: int, copy: PlantedCopy) -> bool:
    """A found span matches a planted copy when it covers at least half of it
    and lies mostly inside it."""
    shared = min(end, copy.end) - max(start, copy.start)
    return shared >= 0.5 * (copy.end - copy.start) and shared >= 0.5 * (end - start)


def bench_align(n_pairs: int, seed: int, difflib_pairs: int) -> dict:
    """Pairwise alignment: speed against difflib, recall and precision."""
    articles, truth = generate_corpus(max(200, n_pairs), seed=seed)
    by_id = {a.id: a for a in articles}
    planted = truth.pairs()
    rng = random.Random(seed)
    keys = sorted(planted)
    rng.shuffle(keys)
    reuse_pairs = keys[:n_pairs]
    clean_pairs: list[tuple[str, str]] = []
    while len(clean_pairs) < n_pairs:
        a, b = sorted(rng.sample(sorted(by_id), 2))
        if (a, b) not in planted:
            clean_pairs.append((a, b))
    pairs = reuse_pairs + clean_pairs

    passages.prepare.cache_clear()
    t0 = time.process_time()
    for a, b in pairs:
        passages.prepare.cache_clear()
        passages.align(by_id[a], by_id[b])
    cold = (time.process_time() - t0) / len(pairs)
    for a, b in pairs:  # prepare everything, then time the alignments alone
        passages.prepare(by_id[a].text)
        passages.prepare(by_id[b].text)
    results = {}
    t0 = time.process_time()
    for a, b in pairs:
        results[(a, b)] = passages.align(by_id[a], by_id[b])
    warm = (time.process_time() - t0) / len(pairs)
    # difflib (autojunk=False) on the same pairs (a sample: it is slow).
    sample = pairs[: max(1, difflib_pairs // 2)] + clean_pairs[: max(1, difflib_pairs // 2)]
    t0 = time.process_time()
    for a, b in sample:
        difflib.SequenceMatcher(None, by_id[a].text, by_id[b].text, autojunk=False).get_matching_blocks()
    difflib_chars = (time.process_time() - t0) / len(sample)
    words = {i: [t.norm for t in tokenize(by_id[i].text)] for p in sample for i in p}
    t0 = time.process_time()
    for a, b in sample:
        difflib.SequenceMatcher(None, words[a], words[b], autojunk=False).get_matching_blocks()
    difflib_words = (time.process_time() - t0) / len(sample)

    found = Counter()
    total = Counter()
    reported = matched = 0
    for (a, b), found_pairs in results.items():
        truth_here = planted.get((a, b), [])
        for ca, cb in truth_here:
            kind = cb.kind if ca.kind == "origin" else ca.kind
            total[kind] += 1
            if any(_covers(p.a_start, p.a_end, ca) and _covers(p.b_start, p.b_end, cb) for p in found_pairs):
                found[kind] += 1
        for p in found_pairs:
            reported += 1
            matched += any(
                _covers(p.a_start, p.a_end, ca) and _covers(p.b_start, p.b_end, cb) for ca, cb in truth_here
            )
    return {
        "pairs": len(pairs),
        "pairs_with_reuse": len(reuse_pairs),
        "planted_pair_passages": sum(total.values()),
        "align_cold_ms": cold * 1e3,
        "align_warm_ms": warm * 1e3,
        "difflib_pairs": len(sample),
        "difflib_chars_ms": difflib_chars * 1e3,
        "difflib_words_ms": difflib_words * 1e3,
        "speedup_vs_difflib_chars_cold": difflib_chars / cold,
        "speedup_vs_difflib_chars_warm": difflib_chars / warm,
        "speedup_vs_difflib_words_warm": difflib_words / warm,
        "recall": sum(found.values()) / max(1, sum(total.values())),
        "recall_by_kind": {k: found[k] / total[k] for k in sorted(total)},
        "reported": reported,
        "precision": matched / max(1, reported),
        "false_positives_on_clean_pairs": sum(len(results[p]) for p in clean_pairs),
    }


def _cluster_quality(articles: list[Article], truth: PlantedTruth, clusters) -> tuple[float, float]:
    """Recall of planted copies, precision of cluster members."""
    copy_of: dict[str, list[tuple[PlantedCopy, str]]] = {}
    for passage in truth.passages:
        for c in passage.copies:
            copy_of.setdefault(c.article, []).append((c, passage.id))
    recalled: set[tuple[str, int]] = set()
    members = good = 0
    for cluster in clusters:
        hits: dict[str, list[PlantedCopy]] = {}
        for m in cluster.members:
            members += 1
            ok = False
            for c, pid in copy_of.get(m.article, ()):
                if _covers(m.start, m.end, c):
                    hits.setdefault(pid, []).append(c)
                    ok = True
            good += ok
        for pid, cs in hits.items():
            if len({c.article for c in cs}) >= 2:
                recalled.update((c.article, c.start) for c in cs)
    n_copies = sum(len(p.copies) for p in truth.passages)
    return len(recalled) / max(1, n_copies), good / max(1, members)


def _cpu() -> float:
    """CPU seconds used by this process and its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def bench_cluster(n: int, seed: int, processes: int | None) -> dict:
    """Cluster a generated corpus of *n* articles (call in a fresh process)."""
    articles, truth = generate_corpus(n, seed=seed)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu0 = _cpu()
    t0 = time.perf_counter()
    clusters = cluster_passages(articles, processes=processes)
    elapsed = time.perf_counter() - t0
    cpu = _cpu() - cpu0
    recall, precision = _cluster_quality(articles, truth, clusters)
    return {
        "articles": n,
        "words": sum(len(a.text.split()) for a in articles),
        "planted_passages": len(truth.passages),
        "clusters": len(clusters),
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "peak_rss_mb_parent": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_mb_after_generation": rss_before / 1024,
        "peak_rss_mb_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "recall": recall,
        "precision": precision,
    }


def bench_real(path: str, n: int, processes: int | None) -> dict:
    """Cluster the first *n* articles of the real corpus at *path*, then
    rebuild incrementally after an edit, an addition and a removal (parts and
    the candidate-pass state kept, as the workspace keeps them)."""
    import tempfile
    from dataclasses import replace
    from pathlib import Path

    from kazreader.analysis.cluster_state import StateFile
    from kazreader.corpus import load_corpus
    from kazreader.parts import PartsFile, PartStore

    articles = list(load_corpus([path]).articles)[: n + 1]
    spare, articles = articles[-1], articles[:n]
    parts = PartStore(PartsFile(None), "clusters:bench")
    with tempfile.TemporaryDirectory(prefix="kazreader-bench-") as tmp:
        state = StateFile(Path(tmp) / "cluster-state.bin", parts.namespace)
        cpu0, t0 = _cpu(), time.perf_counter()
        clusters = cluster_passages(articles, processes=processes, parts=parts, state=state)
        cpu, elapsed = _cpu() - cpu0, time.perf_counter() - t0
        state_mb = state.path.stat().st_size / 1e6
        edited = articles[1].text + "\n\nOne more closing line for the edit."
        changed = [articles[0], replace(articles[1], text=edited, digest=""), *articles[3:], spare]
        cpu1, t1 = _cpu(), time.perf_counter()
        again = cluster_passages(changed, processes=processes, parts=parts, state=state)
        inc_cpu, inc_elapsed = _cpu() - cpu1, time.perf_counter() - t1
    return {
        "articles": n,
        "words": sum(len(a.text.split()) for a in articles),
        "clusters": len(clusters),
        "members": sum(len(c.members) for c in clusters),
        "largest": max((len(c.articles) for c in clusters), default=0),
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "incremental_seconds": inc_elapsed,
        "incremental_cpu_seconds": inc_cpu,
        "incremental_equals_clean": again == cluster_passages(changed, processes=processes),
        "state_mb": state_mb,
        "peak_rss_mb_parent": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.passages_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=300, help="article pairs with reuse (and as many without)")
    parser.add_argument("--difflib-pairs", type=int, default=40, help="pairs timed with difflib")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000, 20000], help="corpus sizes to cluster")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20220106)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--real", metavar="PATH", help="cluster the first N articles of this corpus instead")
    parser.add_argument("--cluster-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.real:
        return _main_real(args)
    if args.cluster_one:
        print(json.dumps(bench_cluster(args.cluster_one, args.seed, args.processes)))
        return 0
    report: dict = {"align": bench_align(args.pairs, args.seed, args.difflib_pairs), "cluster": []}
    if not args.json:
        _print_align(report["align"])
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.passages_bench", "--cluster-one", str(n),
             "--seed", str(args.seed), "--processes", str(args.processes)],
            check=True, capture_output=True, text=True,
        )
        row = json.loads(out.stdout)
        report["cluster"].append(row)
        if not args.json:
            _print_cluster_row(row)
    if args.json:
        print(json.dumps(report, indent=2))
    return 0


def _main_real(args: argparse.Namespace) -> int:
    if args.cluster_one:
        print(json.dumps(bench_real(args.real, args.cluster_one, args.processes)))
        return 0
    rows = []
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.passages_bench", "--real", args.real, "--cluster-one", str(n),
             "--processes", str(args.processes)],
            check=True, capture_output=True, text=True,
        )
        rows.append(json.loads(out.stdout))
        if not args.json:
            r = rows[-1]
            print(f"{r['articles']:>7} articles: {r['cpu_seconds']:.1f} CPU-s ({r['seconds']:.1f} s wall), "
                  f"{r['clusters']} clusters (largest {r['largest']}); after one edit/add/remove "
                  f"{r['incremental_cpu_seconds']:.2f} CPU-s, equal to a clean build: {r['incremental_equals_clean']}; "
                  f"state {r['state_mb']:.0f} MB",
                  flush=True)
    if len(rows) > 1 and not args.json:
        a, b = rows[0], rows[-1]
        print(f"growth {a['articles']}->{b['articles']} ({b['articles'] / a['articles']:.1f}x articles): "
              f"CPU {b['cpu_seconds'] / a['cpu_seconds']:.2f}x, clusters {b['clusters'] / max(1, a['clusters']):.2f}x")
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


def _print_align(r: dict) -> None:
    print(f"Pairwise alignment: {r['pairs']} pairs ({r['pairs_with_reuse']} with planted reuse, "
          f"{r['planted_pair_passages']} planted passage pairs)")
    print(f"  align  cold {r['align_cold_ms']:.2f} ms/pair   warm {r['align_warm_ms']:.2f} ms/pair")
    print(f"  difflib(autojunk=False) on {r['difflib_pairs']} pairs: chars {r['difflib_chars_ms']:.1f} ms/pair, "
          f"words {r['difflib_words_ms']:.2f} ms/pair")
    print(f"  speedup vs difflib chars: cold {r['speedup_vs_difflib_chars_cold']:.0f}x, "
          f"warm {r['speedup_vs_difflib_chars_warm']:.0f}x; vs difflib words (warm) "
          f"{r['speedup_vs_difflib_words_warm']:.1f}x")
    print(f"  recall {r['recall']:.3f}  precision {r['precision']:.3f}  "
          f"(false positives on clean pairs: {r['false_positives_on_clean_pairs']})")
    print("  recall by kind: " + ", ".join(f"{k} {v:.3f}" for k, v in r["recall_by_kind"].items()))
    print("Clustering:")
    print(f"  {'articles':>8} {'words':>10} {'seconds':>8} {'cpu s':>7} {'peak MB (parent/worker)':>24} {'clusters':>8} {'recall':>7} {'precision':>9}")


def _print_cluster_row(r: dict) -> None:
    print(f"  {r['articles']:>8} {r['words']:>10} {r['seconds']:>8.1f} {r['cpu_seconds']:>7.1f} "
          f"{r['peak_rss_mb_parent']:>12.0f}/{r['peak_rss_mb_worker']:<11.0f} {r['clusters']:>8} "
          f"{r['recall']:>7.3f} {r['precision']:>9.3f}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
