"""Time the index build and phrase search on real corpora (issue #18: word forms).

Builds a fresh :class:`kazreader.index.CorpusIndex` over *paths* (default: the
bundled seeds plus ``/work/shared/corpora/abp-dev``-style folder given on the
command line), then times exact phrases sampled from the articles (three
consecutive words, seeded) and the same phrases relaxed with ``~forms``.

    python -m benchmarks.search_forms ../shared/corpora/abp-dev
    python -m benchmarks.search_forms --build-only ../shared/corpora/abp-dev

CPU times of this process (``time.process_time``): a busy machine distorts them less.
Run it on two checkouts (before/after) in the same session to compare.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from kazreader.corpus.loader import load_corpus
from kazreader.paths import seeds_dir
from kazreader.index import CorpusIndex
from kazreader.text import tokenize


def _phrases(texts: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        tokens = tokenize(rng.choice(texts))
        if len(tokens) < 4:
            continue
        i = rng.randrange(len(tokens) - 3)
        out.append(" ".join(t.norm for t in tokens[i : i + 3]))
    return out


def _p50(index: CorpusIndex, queries: list[str], by_id: dict) -> float:  # type: ignore[type-arg]
    times = []
    for q in queries:
        t = time.process_time()
        index.search(q, limit=20, articles=by_id)
        times.append((time.process_time() - t) * 1000)
    return statistics.median(times)


def _forget_stems() -> None:
    """Empty the stemmer's memo (each build pays for stemming, as a first build does)."""
    from kazreader.index import analyzers

    stems = getattr(analyzers, "_STEMS", None)  # (absent before word forms)
    if stems is not None:
        stems.clear()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--builds", type=int, default=3, help="builds timed (the best is reported)")
    args = ap.parse_args()
    corpus = load_corpus([seeds_dir(), *map(Path, args.paths)])
    articles = list(corpus.articles)
    by_id = {a.id: a for a in articles}
    builds = []
    for _ in range(args.builds):
        _forget_stems()
        with tempfile.TemporaryDirectory() as tmp:
            index = CorpusIndex.open(Path(tmp) / "index")
            t = time.process_time()
            index.sync(articles)
            builds.append(time.process_time() - t)
            index.close()
    with tempfile.TemporaryDirectory() as tmp:
        index = CorpusIndex.open(Path(tmp) / "index")
        index.sync(articles)
        phrases = _phrases([a.text for a in articles], args.queries, 18)
        _p50(index, [f'"{p}"' for p in phrases[:20]], by_id)  # warm up
        report = {
            "articles": len(articles),
            "build_s": round(min(builds), 3),
            "phrase_p50_ms": round(_p50(index, [f'"{p}"' for p in phrases], by_id), 2),
            "word_p50_ms": round(_p50(index, [p.split()[-1] for p in phrases], by_id), 2),
        }
        try:
            report["forms_phrase_p50_ms"] = round(_p50(index, [f'"{p}"~forms' for p in phrases], by_id), 2)
        except Exception:  # (the build before word forms has no ~forms)
            pass
        index.close()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
