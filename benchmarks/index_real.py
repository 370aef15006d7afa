"""The kazreader index on real text, with SQLite FTS5 beside it in the same run.

Loads the first N articles of a real corpus (``../shared/corpora/abp-10k`` by
default) with :func:`kazreader.corpus.load_corpus`, then

* builds the kazreader index (:class:`kazreader.index.CorpusIndex`, no extra
  fields) and an FTS5 table of the same ids, titles and texts, and reports
  both build costs in CPU seconds (this process and its indexing children);
* times phrase queries (2–6 consecutive words sampled from the texts), word
  queries (a word of a text), and phrases of frequent words
  (``"the white house"`` and the like), top 20 with snippets as the faces
  ask for them, against FTS5's ``MATCH … ORDER BY rank LIMIT 20`` with
  ``snippet()``;
* times an incremental sync after one article changes (and one added, one
  deleted) and checks that every query then finds what a clean build finds.

The index keeps the decoded posting blocks of its commonest words between
queries (:mod:`kazreader.index.whooshfix.postings`), so a run's phrases of
frequent words share them; ``kaz_cold`` is the same queries with those blocks
forgotten before each one (a first query of a fresh process). The load
average is reported before and after the queries.

    python -m benchmarks.index_real --docs 2500
    python -m benchmarks.index_real --docs 5000 --json

Query times are CPU times of this process (``time.process_time``), so a
busy shared machine distorts them less; the build's CPU includes the
forked indexing children (``RUSAGE_CHILDREN``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import resource
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kazreader.corpus import load_corpus
from kazreader.corpus.model import Article
from kazreader.index import CorpusIndex
from kazreader.index.whooshfix import postings

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "abp-10k"
FREQUENT_PHRASES = (
    '"the white house"', '"the united states"', '"according to the"', '"one of the"',
    '"in a statement"', '"the president said"', '"at the end of the"', '"as well as"',
)
STOP = set(
    "the of and to a in that is was he for it with as his on be at by i this had not are but "
    "from or have an they which one you were her all she there would their we him been has "
    "when who will more no if out so said what up its about into than them can only".split()
)


def cpu() -> float:
    """CPU seconds of this process and its reaped children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def load(corpus: Path, docs: int) -> list[Article]:
    parts = sorted(corpus.glob("part-*.jsonl.gz")) if corpus.is_dir() else []
    paths = parts[: max(1, -(-docs // 2500))] if parts else [corpus]  # (2,500 articles a part)
    return list(load_corpus(paths).articles[:docs])


def sample_queries(articles: list[Article], n: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    phrases, words = [], []
    for _ in range(n):
        toks = [w.strip(".,;:!?()\"'“”‘’") for w in rng.choice(articles).text.split()]
        toks = [w for w in toks if w.isalpha()]
        if len(toks) < 8:
            continue
        k = rng.randint(2, 6)
        i = rng.randrange(0, len(toks) - k)
        phrases.append('"' + " ".join(toks[i : i + k]).lower() + '"')
        words.append(rng.choice([w for w in toks if w.lower() not in STOP] or toks).lower())
    return {"phrase": phrases, "word": words, "frequent": list(FREQUENT_PHRASES)}


def latency(run: Callable[[str], Any], queries: list[str], before: Callable[[], Any] | None = None) -> dict[str, float]:
    """p50 and p95 CPU milliseconds of *run* over *queries* (*before*, untimed, ahead of each)."""
    run(queries[0])
    times = []
    for q in queries:
        if before is not None:
            before()
        t0 = time.process_time()
        run(q)
        times.append(time.process_time() - t0)
    qs = statistics.quantiles(times, n=20, method="inclusive")
    return {"p50_ms": round(statistics.median(times) * 1000, 2), "p95_ms": round(qs[18] * 1000, 2)}


def build_fts(articles: list[Article], path: Path) -> tuple[sqlite3.Connection, float]:
    t0 = cpu()
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body)")
    db.executemany("INSERT INTO docs VALUES (?, ?, ?)", ((a.id, a.title or "", a.text) for a in articles))
    db.commit()
    return db, cpu() - t0


def fts_query(db: sqlite3.Connection) -> Callable[[str], Any]:
    def run(q: str) -> Any:
        return db.execute(
            "SELECT id, snippet(docs, 2, '', '', '…', 30) FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 20",
            (q.replace("'", " "),),
        ).fetchall()

    return run


def answers(ix: CorpusIndex, queries: list[str]) -> list[tuple[int, list[tuple[str, float]]]]:
    out = []
    for q in queries:
        r = ix.search(q, limit=50)
        out.append((r.total, [(h.id, round(h.score, 6)) for h in r.hits]))
    return out


def incremental(articles: list[Article], folder: Path, queries: list[str]) -> dict[str, Any]:
    """Touch one article, add one, delete one; time the sync; compare with a clean build."""
    base, extra = articles[:-1], articles[-1]
    changed = dataclasses.replace(base[3], text=base[3].text + "\n\nA new closing line.", digest=base[3].digest + "x")
    after = [changed if a.id == changed.id else a for a in base[1:]] + [extra]
    with CorpusIndex.open(folder / "inc") as ix:
        ix.sync(base)
        t0, c0 = time.perf_counter(), cpu()
        stats = ix.sync(after)
        wall, used = time.perf_counter() - t0, cpu() - c0
        got = answers(ix, queries)
    with CorpusIndex.open(folder / "clean") as ix:
        ix.sync(after)
        want = answers(ix, queries)
    db, _ = build_fts(base, folder / "inc.sqlite")
    t1 = time.perf_counter()
    db.execute("DELETE FROM docs WHERE id = ?", (base[0].id,))
    db.execute("UPDATE docs SET body = ? WHERE id = ?", (changed.text, changed.id))
    db.execute("INSERT INTO docs VALUES (?, ?, ?)", (extra.id, extra.title or "", extra.text))
    db.commit()
    fts_wall = time.perf_counter() - t1
    db.close()
    return {
        "sync_wall_s": round(wall, 3), "sync_cpu_s": round(used, 3), "stats": dataclasses.asdict(stats),
        "fts5_same_change_wall_s": round(fts_wall, 4), "same_as_clean": got == want,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--docs", type=int, default=2500)
    ap.add_argument("--queries", type=int, default=150)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-incremental", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    articles = load(args.corpus, args.docs)
    by_id = {a.id: a for a in articles}
    queries = sample_queries(articles, args.queries, args.seed)
    report: dict[str, Any] = {"docs": len(articles)}
    with tempfile.TemporaryDirectory() as tmp:
        c0 = cpu()
        ix = CorpusIndex.open(Path(tmp) / "kaz")
        ix.sync(articles)
        report["kaz_build_cpu_s"] = round(cpu() - c0, 2)
        db, fts_cpu = build_fts(articles, Path(tmp) / "fts.sqlite")
        report["fts5_build_cpu_s"] = round(fts_cpu, 2)
        report["build_ratio"] = round(report["kaz_build_cpu_s"] / fts_cpu, 1)
        fts = fts_query(db)
        report["load_before_queries"] = round(os.getloadavg()[0], 2)
        for kind, qs in queries.items():
            ours = latency(lambda q: ix.search(q, limit=20, articles=by_id), qs)
            cold = latency(lambda q: ix.search(q, limit=20, articles=by_id), qs, before=postings.clear_block_cache)
            theirs = latency(fts, qs)
            report[kind] = {"kaz": ours, "kaz_cold": cold, "fts5": theirs,
                            "ratio_p50": round(ours["p50_ms"] / max(theirs["p50_ms"], 0.01), 2),
                            "hits": sum(ix.search(q, limit=0).total for q in qs)}
        report["load_after_queries"] = round(os.getloadavg()[0], 2)
        ix.close()
        db.close()
        if not args.no_incremental:
            report["incremental"] = incremental(articles, Path(tmp), [*queries["phrase"][:40], *queries["word"][:40], *FREQUENT_PHRASES])
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for k, v in report.items():
            print(f"{k:18} {v}")


if __name__ == "__main__":
    main()
