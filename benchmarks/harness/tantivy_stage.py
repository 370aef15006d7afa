"""tantivy (its Python wheel, the ``bench`` extra) on the same cleaned texts as the other baselines."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.harness.measure import clock, latency, peak_mb, since
from benchmarks.harness.stages import BASELINE_KINDS, Queries, _articles

#: Memory budget of tantivy's writer (its default is 50 MB per thread, 1 thread here).
HEAP = 100_000_000


def stage_tantivy(corpus: Path, queries: Queries, tmp: Path) -> dict[str, Any]:
    """Build (one writer thread), phrase/word queries with a snippet per hit, one-row changes."""
    try:
        import tantivy
    except ImportError:
        return {"skipped": "tantivy is not installed (pip install -e '.[bench]')"}
    articles = _articles(corpus)
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", stored=True)
    sb.add_text_field("body", stored=True)
    schema = sb.build()
    folder = tmp / "tantivy"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    index = tantivy.Index(schema, path=str(folder))
    start = clock()
    writer = index.writer(HEAP, 1)
    for a in articles:
        writer.add_document(tantivy.Document(id=a.id, title=a.title or "", body=a.text))
    writer.commit()
    writer.wait_merging_threads()
    build = since(start)
    index.reload()
    out: dict[str, Any] = {"build_s": build["wall_s"], "build_cpu_s": build["cpu_s"]}
    searcher = index.searcher()

    def run(q: str) -> Any:
        query = index.parse_query(q, ["title", "body"])
        hits = searcher.search(query, 20).hits
        gen = tantivy.SnippetGenerator.create(searcher, query, schema, "body")
        return [gen.snippet_from_doc(searcher.doc(addr)).fragment() for _, addr in hits]

    for kind in BASELINE_KINDS:
        out[kind] = latency(run, queries[kind])
    out.update(_changes(index, articles[0]))
    shutil.rmtree(folder, ignore_errors=True)
    return {**out, **peak_mb()}


def _changes(index: Any, article: Any) -> dict[str, Any]:
    """Update, add and delete one document, each with its own commit."""
    import tantivy

    out: dict[str, Any] = {}
    writer = index.writer(HEAP, 1)
    steps: dict[str, Callable[[], Any]] = {
        "update": lambda: (writer.delete_documents_by_term("id", article.id), writer.add_document(
            tantivy.Document(id=article.id, title="x", body=article.text + " One more."))),
        "add": lambda: writer.add_document(tantivy.Document(id="bench-new", title="New", body=article.text)),
        "delete": lambda: writer.delete_documents_by_term("id", "bench-new"),
    }
    for name, change in steps.items():
        start = clock()
        change()
        writer.commit()
        out[name] = since(start)
    writer.wait_merging_threads()
    return out
