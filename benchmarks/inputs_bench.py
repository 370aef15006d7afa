"""Loading the corpus formats at scale: plain, compressed and HTML inputs, first load and re-open.

    python -m benchmarks.inputs_bench --articles 20000
    python -m benchmarks.inputs_bench --articles 2000 --pages 200

The same seeded articles (:func:`benchmarks.run.write_corpus`) are written as
JSONL shards, as gzipped JSONL shards, as a zip of JSON files and as saved web
pages (each article in a page with navigation, related links, a cookie banner
and a footer); each is loaded with a cold corpus snapshot (``first``) and
again with it (``reopen``), each in a fresh process, which prints its wall
times, CPU time (its own and its workers') and peak RSS. The machine's load
average is printed beside them: wall times on a shared machine move with it.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import resource
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

PAGE = """<!DOCTYPE html><html><head><title>{title} | {outlet}</title>
<meta property="og:site_name" content="{outlet}"><meta property="article:published_time" content="{date}">
<link rel="canonical" href="https://www.example-news.com/{id}"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/business">Business</a></li></ul></nav>
<div class="cookies">We use cookies. Accept all cookies.</div>
<article><h1>{title}</h1>{paragraphs}</article>
<aside><h3>Most read</h3><ul><li><a href="/1">Another story</a></li><li><a href="/2">Yet another story</a></li></ul></aside>
<footer>Copyright The Example News. All rights reserved.</footer></body></html>"""


def write_inputs(records: list[dict[str, Any]], pages: int, tmp: Path) -> dict[str, Path]:
    """The records in every input form; the folder of each."""
    plain = tmp / "jsonl"
    gz = tmp / "jsonl-gz"
    gz.mkdir()
    for shard in sorted(plain.glob("*.jsonl")):
        (gz / (shard.name + ".gz")).write_bytes(gzip.compress(shard.read_bytes(), 6))
    zipped = tmp / "zip"
    zipped.mkdir()
    with zipfile.ZipFile(zipped / "articles.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for r in records:
            zf.writestr(f"{r['id']}.json", json.dumps(r, ensure_ascii=False))
    web = tmp / "html"
    web.mkdir()
    for r in records[:pages]:
        paras = "".join(f"<p>{html.escape(p)}</p>" for p in r["text"].split("\n\n"))
        fields = {k: html.escape(str(r.get(k) or "")) for k in ("id", "title", "outlet", "date")}
        (web / f"{r['id']}.html").write_text(PAGE.format(paragraphs=paras, **fields), encoding="utf-8")
    return {"jsonl": plain, "jsonl.gz": gz, "zip of json": zipped, f"html ({pages} pages)": web}


def _child(folder: str, cache: str) -> None:
    """One load (in a fresh process): articles, seconds, CPU seconds and peak MB as JSON."""
    import time

    from kazreader.corpus import load_corpus

    t0 = time.perf_counter()
    corpus = load_corpus([folder], cache_dir=Path(cache))
    wall = time.perf_counter() - t0
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "articles": len(corpus), "warnings": len(corpus.warnings), "wall_s": round(wall, 2),
        "cpu_s": round(own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime, 2),
        "peak_mb": round(max(own.ru_maxrss, kids.ru_maxrss) / 1024, 1),
    }))


def _load(folder: Path, cache: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.inputs_bench", "--child", str(folder), str(cache)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--pages", type=int, default=500, help="saved web pages (extraction costs ~20 ms a page)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0
    from benchmarks.run import write_corpus

    with tempfile.TemporaryDirectory(prefix="kz-inputs-bench-") as name:
        tmp = Path(name)
        records = write_corpus(args.articles, args.seed, tmp / "jsonl")
        inputs = write_inputs(records, min(args.pages, len(records)), tmp)
        print(f"{'input':<18} {'stage':<7} {'articles':>8} {'wall s':>7} {'cpu s':>7} {'peak MB':>8}  load")
        for label, folder in inputs.items():
            cache = tmp / f"cache-{folder.name}"
            for stage in ("first", "reopen"):
                r = _load(folder, cache)
                load = " ".join(f"{x:.1f}" for x in os.getloadavg())
                print(f"{label:<18} {stage:<7} {r['articles']:>8} {r['wall_s']:>7} {r['cpu_s']:>7} {r['peak_mb']:>8}  {load}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
