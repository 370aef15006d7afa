"""Benchmark the kazreader index against a default-schema Whoosh index.

Generates a seeded synthetic corpus (Zipf-distributed vocabulary with the
common English function words on top, so phrases full of stop words are as
expensive as in real news text), builds

* the kazreader index (:class:`kazreader.index.CorpusIndex`), and
* a plain Whoosh index (``TEXT()`` body with the default analyzer),

then times phrase and term queries sampled from the documents on both.

    python benchmarks/index_bench.py --docs 2000 --words 600
    python benchmarks/index_bench.py --docs 20000   # the "Scale" target

All times are CPU times of this process (``time.process_time``), so a busy
shared machine does not distort them; wall times on an idle machine are close.
Prints one line per measurement; ``--json`` prints a JSON document instead.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from whoosh import fields, index, qparser

from kazreader.corpus.model import Article
from kazreader.index import CorpusIndex

FUNCTION_WORDS = (
    "the of and to a in that is was he for it with as his on be at by i this had not are "
    "but from or have an they which one you were her all she there would their we him been "
    "has when who will more no if out so said what up its about into than them can only "
    "other new some could time these two may then do first any my now such like our over"
).split()


def make_corpus(docs: int, words: int, seed: int) -> list[Article]:
    """``docs`` articles of ``words`` words, deterministic for a given seed."""
    rng = random.Random(seed)
    syllables = ["ka", "za", "kh", "st", "an", "ol", "mi", "ra", "te", "no", "vi", "lu", "pe", "dor"]
    vocab = list(FUNCTION_WORDS)
    seen = set(vocab)
    while len(vocab) < 30000:
        w = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            vocab.append(w)
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(vocab))]
    out = []
    for i in range(docs):
        body = rng.choices(vocab, weights, k=words)
        sentences = [" ".join(body[j : j + 20]).capitalize() + "." for j in range(0, words, 20)]
        text = "\n\n".join(" ".join(sentences[k : k + 5]) for k in range(0, len(sentences), 5))
        out.append(
            Article(
                id=f"doc{i:06}",
                path="",
                text=text,
                paragraphs=(),
                outlet=f"Outlet {i % 17}",
                date=f"2022-01-{1 + i % 28:02}",
                title=" ".join(rng.choices(vocab, weights, k=8)).capitalize(),
            )
        )
    return out


def sample_queries(articles: list[Article], n: int, seed: int) -> tuple[list[str], list[str]]:
    """Phrases of 2–6 consecutive words and single rare-ish terms from the corpus."""
    rng = random.Random(seed + 1)
    phrases, terms = [], []
    for _ in range(n):
        words = rng.choice(articles).text.replace(".", "").lower().split()
        k = rng.randint(2, 6)
        i = rng.randrange(0, len(words) - k)
        phrases.append('"' + " ".join(words[i : i + k]) + '"')
        terms.append(rng.choice([w for w in words if w not in FUNCTION_WORDS] or words))
    return phrases, terms


def percentiles(samples: list[float]) -> tuple[float, float]:
    qs = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples) * 1000, qs[18] * 1000


def time_queries(run, queries: list[str]) -> tuple[float, float, int]:
    times, found = [], 0
    for q in queries:
        t0 = time.process_time()
        found += run(q)
        times.append(time.process_time() - t0)
    p50, p95 = percentiles(times)
    return p50, p95, found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    report: dict[str, float | int] = {"docs": args.docs, "words": args.words}
    t0 = time.process_time()
    articles = make_corpus(args.docs, args.words, args.seed)
    report["generate_s"] = round(time.process_time() - t0, 2)
    phrases, terms = sample_queries(articles, args.queries, args.seed)

    with tempfile.TemporaryDirectory() as tmp:
        # kazreader index
        t0 = time.process_time()
        kz = CorpusIndex.open(Path(tmp) / "kaz")
        kz.sync(articles)
        report["kaz_build_s"] = round(time.process_time() - t0, 2)
        kz.close()
        t0 = time.process_time()
        kz = CorpusIndex.open(Path(tmp) / "kaz")
        stats = kz.sync(articles)
        report["kaz_reopen_noop_s"] = round(time.process_time() - t0, 3)
        assert not stats.changed
        run = lambda q: kz.search(q, limit=20).total  # noqa: E731
        run(phrases[0])
        for name, qs in (("phrase", phrases), ("term", terms)):
            p50, p95, found = time_queries(run, qs)
            report[f"kaz_{name}_p50_ms"] = round(p50, 2)
            report[f"kaz_{name}_p95_ms"] = round(p95, 2)
            report[f"kaz_{name}_hits"] = found
        kz.close()

        # default-schema Whoosh index, same documents
        t0 = time.process_time()
        schema = fields.Schema(id=fields.ID(stored=True, unique=True), title=fields.TEXT(), body=fields.TEXT())
        (Path(tmp) / "plain").mkdir()
        ix = index.create_in(str(Path(tmp) / "plain"), schema)
        w = ix.writer()
        for a in articles:
            w.add_document(id=a.id, title=a.title or "", body=a.text)
        w.commit()
        report["whoosh_build_s"] = round(time.process_time() - t0, 2)
        parser = qparser.MultifieldParser(["title", "body"], schema, group=qparser.AndGroup)
        with ix.searcher() as s:
            run = lambda q: len(s.search(parser.parse(q), limit=20))  # noqa: E731
            run(phrases[0])
            for name, qs in (("phrase", phrases), ("term", terms)):
                p50, p95, found = time_queries(run, qs)
                report[f"whoosh_{name}_p50_ms"] = round(p50, 2)
                report[f"whoosh_{name}_p95_ms"] = round(p95, 2)
                report[f"whoosh_{name}_hits"] = found

    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for k, v in report.items():
            print(f"{k:24} {v}")


if __name__ == "__main__":
    main()
