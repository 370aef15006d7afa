"""How well kazreader reads saved web pages: its article body against the gold, by shingle-F1.

    python -m benchmarks.eval_html [FOLDER]     # default ../shared/corpora/html-dev

The folder is loaded with kazreader's own loader (``load_corpus``, a fresh
cache); each labelled page's gold body is rebuilt from the page and its
locators (:mod:`benchmarks.html_gold`). Beside kazreader, trafilatura alone
is scored on the same pages as the baseline, called the way the benchmark
calls it (``trafilatura.extract(html, include_comments=False)``, every other
setting its default), on the page decoded the way kazreader decodes it.

The metric is the one of the public article-extraction benchmark
(scrapinghub/article-extraction-benchmark, ``evaluate.py``:
``string_shingle_matching``, ``_tokenize``, ``_ngrams``,
``metrics_from_tp_fp_fns``), re-implemented here:

- tokens are the ``\\w+`` runs of the text (case kept);
- shingles are the runs of 4 consecutive tokens (a text of fewer tokens is
  one shingle of them all), counted as a multiset;
- per page, TP/FP/FN are the shingle counts both share / only the
  prediction has / only the gold has, divided by their sum (so long pages
  do not weigh more); precision is TP/(TP+FP) and recall TP/(TP+FN), both 1
  when FP = FN = 0 and 0 when there is no TP;
- over the pages, precision and recall are averaged (precision over the
  pages that predicted something, recall over those whose gold has text), and
  F1 is the harmonic mean of the two averages. The mean of the per-page
  F1s is printed beside it.
"""

from __future__ import annotations

import argparse
import logging
import re
import statistics
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from benchmarks.html_gold import HTML_DEV, gold_bodies, page_id, read_page

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


@dataclass(frozen=True)
class Score:
    """One page's normalised shingle counts."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return 0.0 if self.tp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return 0.0 if self.tp == 0 else self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i: i + n]) for i in range(len(tokens) - n + 1))


def score(gold: str, predicted: str) -> Score:
    """The benchmark's per-page TP/FP/FN, normalised to sum to 1."""
    true, pred = shingles(gold), shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return Score(tp / total, fp / total, fn / total) if total else Score(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Summary:
    precision: float
    recall: float
    f1: float
    mean_page_f1: float


def summarise(scores: list[Score]) -> Summary:
    """The benchmark's corpus figures: mean precision, mean recall, their harmonic mean."""
    p = statistics.mean([s.precision for s in scores if s.tp + s.fp > 0] or [0.0])
    r = statistics.mean([s.recall for s in scores if s.tp + s.fn > 0] or [0.0])
    f1 = 0.0 if p + r == 0 else 2 * p * r / (p + r)
    return Summary(p, r, f1, statistics.mean(s.f1 for s in scores) if scores else 0.0)


def kazreader_bodies(folder: Path) -> dict[str, str]:
    """Each page's body as kazreader's loader reads it (a fresh cache)."""
    from kazreader.corpus import load_corpus

    with tempfile.TemporaryDirectory(prefix="kz-eval-html-") as cache:
        corpus = load_corpus([folder], cache_dir=Path(cache))
    return {a.id: a.text for a in corpus.articles}


def trafilatura_bodies(folder: Path, ids: set[str]) -> dict[str, str]:
    """Each page's body from trafilatura alone, called as the benchmark calls it."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    pages = {page_id(p): p for p in sorted(folder.iterdir()) if page_id(p) in ids}
    return {pid: trafilatura.extract(read_page(p), include_comments=False) or "" for pid, p in pages.items()}


@dataclass(frozen=True)
class Result:
    pages: list[str]
    kazreader: dict[str, Score]
    trafilatura: dict[str, Score]

    def summary(self, system: str) -> Summary:
        return summarise(list(getattr(self, system).values()))


def evaluate(folder: Path = HTML_DEV) -> Result:
    gold = gold_bodies(folder)
    ours = kazreader_bodies(folder)
    theirs = trafilatura_bodies(folder, set(gold))
    pages = sorted(gold)
    return Result(pages, {p: score(gold[p], ours.get(p, "")) for p in pages},
                  {p: score(gold[p], theirs.get(p, "")) for p in pages})


def report(result: Result) -> str:
    head = f"{'page':42s} {'kazreader P/R/F1':>20s}   {'trafilatura P/R/F1':>20s}"
    lines = [head, "-" * len(head)]
    for p in result.pages:
        k, t = result.kazreader[p], result.trafilatura[p]
        lines.append(f"{p:42s} {k.precision:.3f} {k.recall:.3f} {k.f1:.3f}   "
                     f"{t.precision:.3f} {t.recall:.3f} {t.f1:.3f}")
    ks, ts = result.summary("kazreader"), result.summary("trafilatura")
    lines.append("-" * len(head))
    lines.append(f"{'benchmark (mean P, mean R, their F1)':42s} {ks.precision:.3f} {ks.recall:.3f} {ks.f1:.3f}   "
                 f"{ts.precision:.3f} {ts.recall:.3f} {ts.f1:.3f}")
    lines.append(f"{'mean of per-page F1':42s} {'':12s}{ks.mean_page_f1:.3f}   {'':12s}{ts.mean_page_f1:.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=HTML_DEV)
    args = parser.parse_args(argv)
    print(report(evaluate(args.folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
