"""The heavy stages; each runs in a fresh process (``python -m benchmarks.run --stage SPEC``).

kazreader is reached only through :class:`kazreader.workspace.Workspace` and
:func:`kazreader.corpus.load_corpus`, so the harness keeps working while the
internals change. Every stage returns a JSON-able dict with its wall and CPU
(own + children) and peak memory.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.harness.measure import clock, latency, peak_mb, since

Queries = dict[str, list[str]]
BASELINE_KINDS = ("phrase", "term", "frequent_phrase")


def stage_ingest(corpus: Path, cache: Path) -> dict[str, Any]:
    """Load + every analysis + index, cold cache, as :meth:`Workspace.ingest` does it.

    ``steps_s``/``steps_cpu_s``: each step's wall and CPU as the ingest
    measures them, in the process that ran it (its own and its workers';
    ``entities+quotes``: the children's wall until the last one ended);
    ``steps_peak_mib``: the peak memory of each child process, by its step.
    """
    from kazreader.workspace import CPU_SUFFIX, PEAK_SUFFIX, Workspace

    start = clock()
    ws = Workspace([corpus], cache_dir=cache)
    load = since(start)
    times = ws.ingest()
    total = since(start)
    n = len(ws.articles)
    ws.close()
    steps = {k: round(v, 3) for k, v in times.items() if not k.endswith((CPU_SUFFIX, PEAK_SUFFIX))}
    steps_cpu = {k[: -len(CPU_SUFFIX)]: round(v, 3) for k, v in times.items() if k.endswith(CPU_SUFFIX)}
    steps_peak = {k[: -len(PEAK_SUFFIX)]: round(v) for k, v in times.items() if k.endswith(PEAK_SUFFIX)}
    return {"articles": n, "load_s": load["wall_s"], "load_cpu_s": load["cpu_s"],
            "steps_s": steps, "steps_cpu_s": steps_cpu, "steps_peak_mib": steps_peak, "total_s": total["wall_s"],
            "total_cpu_s": total["cpu_s"], **peak_mb()}


def stage_index_build(corpus: Path, cache: Path, tmp: Path) -> dict[str, Any]:
    """The index alone, built anew over a copy of the ingest's cache without its ``index`` folder."""
    from kazreader.workspace import Workspace

    work = tmp / "cache-index-build"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(cache, work, ignore=shutil.ignore_patterns("index"))
    ws = Workspace([corpus], cache_dir=work)
    start = clock()
    ws.index()
    out = since(start)
    ws.close()
    shutil.rmtree(work, ignore_errors=True)
    return {"build_s": out["wall_s"], "build_cpu_s": out["cpu_s"], **peak_mb()}


def stage_reopen(corpus: Path, cache: Path) -> dict[str, Any]:
    """The same folder again: load, the index, every analysis from the cache."""
    from kazreader.workspace import Workspace

    start = clock()
    ws = Workspace([corpus], cache_dir=cache)
    load = since(start)
    t1 = clock()
    ws.index()
    index = since(t1)
    t2 = clock()
    ws.entities(), ws.quotes(), ws.figures(), ws.clusters()
    analyses = since(t2)
    total = since(start)
    ws.close()
    return {"load_s": load["wall_s"], "index_s": index["wall_s"], "analyses_s": analyses["wall_s"],
            "total_s": total["wall_s"], "total_cpu_s": total["cpu_s"], **peak_mb()}


def stage_queries(corpus: Path, cache: Path, queries: Queries) -> dict[str, Any]:
    """Search latency as the faces call it (top 20 with snippets), and of the index alone."""
    from kazreader.workspace import Workspace

    ws = Workspace([corpus], cache_dir=cache)
    ix = ws.index()
    out: dict[str, Any] = {}
    for kind, qs in queries.items():
        out[kind] = latency(lambda q: ws.search(q, limit=20), qs)
        out[kind]["index_only"] = latency(lambda q: ix.search(q, limit=20), qs)
        out[kind]["hits"] = sum(ws.search(q, limit=1).total for q in qs[:50])
    out.update(peak_mb())
    ws.close()
    return out


def _articles(corpus: Path) -> list[Any]:
    from kazreader.corpus import load_corpus

    return list(load_corpus([corpus]).articles)


def stage_whoosh(corpus: Path, queries: Queries, tmp: Path) -> dict[str, Any]:
    """Default-schema Whoosh: ``TEXT()`` fields with the standard analyzer, one process."""
    from whoosh import fields, index
    from whoosh.qparser.default import MultifieldParser
    from whoosh.qparser.syntax import AndGroup

    articles = _articles(corpus)
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True), title=fields.TEXT(stored=True), body=fields.TEXT()
    )
    folder = tmp / "whoosh-default"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    ix = index.create_in(str(folder), schema)
    start = clock()
    writer = ix.writer()
    for a in articles:
        writer.add_document(id=a.id, title=a.title or "", body=a.text)
    writer.commit()
    build = since(start)
    parser = MultifieldParser(["title", "body"], schema, group=AndGroup)
    out: dict[str, Any] = {"build_s": build["wall_s"], "build_cpu_s": build["cpu_s"]}
    with ix.searcher() as s:
        for kind in BASELINE_KINDS:
            out[kind] = latency(lambda q: s.search(parser.parse(q), limit=20), queries[kind])
    shutil.rmtree(folder, ignore_errors=True)
    return {**out, **peak_mb()}


def stage_sqlite(corpus: Path, queries: Queries, tmp: Path) -> dict[str, Any]:
    """SQLite FTS5 (standard library, unicode61): build, queries with snippets, one-row changes."""
    articles = _articles(corpus)
    path = tmp / "fts.sqlite"
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body)")
    start = clock()
    db.executemany("INSERT INTO docs VALUES (?, ?, ?)",
                   ((a.id, a.title or "", a.text) for a in articles))
    db.commit()
    build = since(start)
    out: dict[str, Any] = {"build_s": build["wall_s"], "build_cpu_s": build["cpu_s"]}

    def run(q: str) -> Any:
        return db.execute(
            "SELECT id, snippet(docs, 2, '', '', '…', 30) FROM docs WHERE docs MATCH ? "
            "ORDER BY rank LIMIT 20", (q.replace("'", " "),)).fetchall()

    for kind in BASELINE_KINDS:
        out[kind] = latency(run, queries[kind])
    text = articles[0].text
    out["update"] = _one_row(db, lambda: db.execute(
        "UPDATE docs SET body = ? WHERE rowid = 1", (text + " One more sentence.",)))
    out["add"] = _one_row(db, lambda: db.execute(
        "INSERT INTO docs VALUES (?, ?, ?)", ("bench-new", "New", text)))
    out["delete"] = _one_row(db, lambda: db.execute("DELETE FROM docs WHERE rowid = 2"))
    db.close()
    path.unlink(missing_ok=True)
    return {**out, **peak_mb()}


def _one_row(db: sqlite3.Connection, change: Callable[[], Any]) -> dict[str, float]:
    start = clock()
    change()
    db.commit()
    return since(start)
