"""Time figure extraction (stories included) against another copy of the figures module, interleaved.

    python benchmarks/speed_figures.py --module /tmp/old/figures.py [--parts 2] [--rounds 3]

Real text: the first parts of ``../shared/corpora/abp-10k`` (2,500 articles a
part). Runs alternate between the two modules so that a busy machine slows
both alike; the best time of each is reported.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))
from eval_figures_abp import load_module  # noqa: E402

from kazreader.corpus.model import Article  # noqa: E402
from kazreader.text import sanitize  # noqa: E402

CORPUS = ROOT / ".." / "shared" / "corpora" / "abp-10k"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--module", required=True, help="the other copy of the figures module (a baseline)")
    ap.add_argument("--parts", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    articles = []
    for path in sorted(CORPUS.glob("part-*.jsonl.gz"))[: args.parts]:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                d = json.loads(line)
                text = sanitize(d.get("content_original") or d.get("content") or "")
                articles.append(Article(id=f"{path.stem}-{n}", path=str(path), text=text, paragraphs=(),
                                        outlet=d.get("source"), date=(d.get("date") or "")[:10] or None,
                                        title=d.get("title")))
    new, old = load_module(None), load_module(args.module)
    best = {"new": float("inf"), "old": float("inf")}
    for _ in range(args.rounds):
        for name, mod in (("old", old), ("new", new)):
            gc.collect()
            t0 = time.perf_counter()
            result = mod.extract_figures(articles)
            best[name] = min(best[name], time.perf_counter() - t0)
            print(f"{name}: {time.perf_counter() - t0:.2f} s, {len(result.figures)} figures, "
                  f"{len(result.disagreements)} disagreements", flush=True)
    print(f"{len(articles)} articles: old {best['old']:.2f} s, new {best['new']:.2f} s, "
          f"ratio {best['new'] / best['old']:.2f}")


if __name__ == "__main__":
    main()
