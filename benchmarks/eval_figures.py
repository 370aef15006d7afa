"""Score kazreader.analysis.figures against the hand-labelled set.

    python benchmarks/eval_figures.py            # scores
    python benchmarks/eval_figures.py --errors   # ... and every mismatch
    python benchmarks/eval_figures.py --speed 20000   # time N articles (seed texts, repeated)

Then, when ``../shared/corpora/abp-dev`` is present, the scores on real coverage
(``benchmarks/eval_figures_abp.py``: value+qualifier, measure, disagreement
precision/recall on 25 hand-labelled story folders, dev and held-out).

Detection: a predicted figure matches a gold figure of the same article when
their spans overlap (one-to-one, greedy by overlap); P/R/F1 over those matches,
plus how many matched spans are exactly right. Gold dates and years are left
out: they are no figures, so reporting one costs precision. Over matched pairs: accuracy of
kind, qualifier, interval (low and high both equal) and measure. "measure
(counts with one)" is the accuracy on gold counts whose measure is not null:
how often the tool finds what a number counts and what happened to it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kazreader.analysis.figures import Figure, extract_figures  # noqa: E402
from kazreader.corpus.model import Article  # noqa: E402
from kazreader.text import sanitize  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "labelled"
#: One gold figure as labelled (tests/data/labelled/figures.json).
Gold = dict[str, Any]
#: Gold kinds that are no figures ("years and dates are not figures", #14): the labels keep
#: them (they were figures once), and a tool that reports them is charged with spurious figures.
NOT_FIGURES = frozenset({"date", "year"})


def load_labelled(only: set[str] | None = None) -> tuple[list[Article], list[Gold]]:
    """The labelled articles (ids = file stems) and their gold figures.

    *only* restricts both to the named articles.
    """
    articles = [
        Article(id=p.stem, path=str(p), text=p.read_text(encoding="utf-8"), paragraphs=())
        for p in sorted((LABELLED / "figures").glob("*.txt"))
        if only is None or p.stem in only
    ]
    gold = [
        g
        for g in json.loads((LABELLED / "figures.json").read_text(encoding="utf-8"))["figures"]
        if (only is None or g["article"] in only) and g["kind"] not in NOT_FIGURES
    ]
    return articles, gold


def held_out() -> set[str]:
    """Articles written and labelled after the rules were tuned (never tuned on)."""
    return set(json.loads((LABELLED / "figures.json").read_text(encoding="utf-8"))["held_out"])


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def match(gold: list[Gold], pred: list[Figure]) -> list[tuple[Gold, Figure]]:
    """One-to-one overlap matching of gold and predicted figures."""
    pairs = []
    for g in gold:
        for p in pred:
            if p.article == g["article"] and p.start < g["end"] and g["start"] < p.end:
                overlap = min(p.end, g["end"]) - max(p.start, g["start"])
                pairs.append((overlap, id(g), g, p))
    pairs.sort(key=lambda t: -t[0])
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, gid, g, p in pairs:
        if gid in used_g or id(p) in used_p:
            continue
        used_g.add(gid)
        used_p.add(id(p))
        out.append((g, p))
    return out


def evaluate(show_errors: bool = False, only: set[str] | None = None) -> dict[str, float]:
    articles, gold = load_labelled(only)
    pred = list(extract_figures(articles).figures)
    pairs = match(gold, pred)
    tp = len(pairs)
    scores: dict[str, float] = {
        "gold": len(gold),
        "predicted": len(pred),
        "precision": tp / len(pred) if pred else 0.0,
        "recall": tp / len(gold) if gold else 0.0,
    }
    p, r = scores["precision"], scores["recall"]
    scores["f1"] = 2 * p * r / (p + r) if p + r else 0.0
    checks: dict[str, Callable[[Gold, Figure], bool]] = {
        "exact span": lambda g, f: (g["start"], g["end"]) == (f.start, f.end),
        "kind": lambda g, f: g["kind"] == f.kind,
        "qualifier": lambda g, f: g["qualifier"] == f.qualifier,
        "interval": lambda g, f: _close(g["low"], f.low) and _close(g["high"], f.high),
        "measure": lambda g, f: g["measure"] == f.measure,
    }
    errors: list[str] = []
    for name, ok in checks.items():
        good = [ok(g, f) for g, f in pairs]
        scores[name] = sum(good) / len(good) if good else 0.0
        for (g, f), fine in zip(pairs, good):
            if not fine:
                errors.append(f"{name:10} {g['article']}: {g['text']!r} gold={_show(name, g)} got={_show(name, f)}")
    with_measure = [(g, f) for g, f in pairs if g["measure"]]
    gold_with_measure = [g for g in gold if g["measure"]]
    scores["measure (counts with one)"] = (
        sum(g["measure"] == f.measure for g, f in with_measure) / len(gold_with_measure)
        if gold_with_measure
        else 0.0
    )
    if show_errors:
        matched_g = {id(g) for g, _ in pairs}
        matched_p = {id(f) for _, f in pairs}
        errors += [f"missed     {g['article']}: {g['text']!r}" for g in gold if id(g) not in matched_g]
        errors += [
            f"spurious   {f.article}: {f.text!r} ({f.kind}, {f.measure})"
            for f in pred
            if id(f) not in matched_p
        ]
        print("\n".join(errors))
        print()
    return scores


def _show(name: str, x: Gold | Figure) -> str:
    def get(k: str) -> Any:
        return x[k] if isinstance(x, dict) else getattr(x, k)

    if name == "exact span":
        return f"{get('start')}-{get('end')}"
    if name == "interval":
        return f"[{get('low')}, {get('high')}]"
    return repr(get(name))


def speed(n: int) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    texts = [sanitize(p.read_text(encoding="utf-8")) for p in seeds]
    articles = [
        Article(id=f"a{i}", path="", text=texts[i % len(texts)] + f"\n\nArticle {i}.", paragraphs=())
        for i in range(n)
    ]
    t0 = time.perf_counter()
    result = extract_figures(articles)
    dt = time.perf_counter() - t0
    words = sum(a.words for a in articles)
    print(f"{n} articles, {words} words: {dt:.1f} s, {len(result.figures)} figures, "
          f"{len(result.disagreements)} disagreements")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="list every mismatch")
    ap.add_argument("--speed", type=int, metavar="N", help="time N articles instead")
    ap.add_argument("--held-out", action="store_true", help="score only the held-out articles")
    args = ap.parse_args()
    if args.speed:
        speed(args.speed)
        return
    sets = {"held-out": held_out()} if args.held_out else {"all": None, "held-out": held_out()}
    results = {name: evaluate(args.errors, only) for name, only in sets.items()}
    print(f"{'':28}" + "".join(f"{name:>10}" for name in results))
    for k in next(iter(results.values())):
        row = [r[k] for r in results.values()]
        print(f"{k:28}" + "".join(f"{v:10.3f}" if isinstance(v, float) else f"{v:10}" for v in row))
    from benchmarks import eval_figures_abp

    if eval_figures_abp.CORPUS.is_dir():
        print("\nreal coverage (abp-dev story folders, all stories of a set opened together)")
        sys.argv = sys.argv[:1]
        eval_figures_abp.main()


if __name__ == "__main__":
    main()
