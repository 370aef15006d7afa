"""Precision/recall of entity extraction on the hand-labelled set, and its speed.

Usage: ``python benchmarks/eval_entities.py [--speed N] [--scale N] [--spacy PYTHON] [-v]``

* real articles (``tests/data/labelled/entities_real.txt``, read in place from
  ``../shared/corpora``; see :mod:`benchmarks.real_gold`): typed right,
  precision of listed entities, multi-variant entities merged whole and wrong
  merges, on the development labels, on the held-out ones (whose errors
  are never printed: only their totals) and on the held-out articles marked
  ``fresh`` (labelled last; see the label file's header for what they were used for).
* ``--spacy PYTHON``: the same figures for spaCy's small English model, run
  by another interpreter that has ``spacy`` and the model installed
  (``benchmarks/spacy_entities.py``); it does not merge variants.
* ``--scale N``: time :func:`extract_entities` on the first N real articles
  of ``abp-dev`` (the story folders in sorted order).

* entity level: each article is its own corpus; a predicted entity matches a
  gold one when its canonical name is one of the gold entity's variants (each
  gold entity matches at most one prediction, so a split entity costs
  precision); "typed" also requires the same type.
* mention level: a predicted mention matches when its span equals a gold
  mention span (gold mentions are the whole-word occurrences of the variants).
* ``--speed N``: time :func:`extract_entities` on N synthetic articles made
  by recombining the labelled and bundled texts (600 words each).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from kazreader.analysis.entities import extract_entities  # noqa: E402
from kazreader.analysis.gazetteer import name_key  # noqa: E402
from kazreader.corpus.model import Article  # noqa: E402
from benchmarks.real_gold import CORPORA, Predicted, Tally, kazreader_predictions, score  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "labelled"


def article(aid: str, text: str) -> Article:
    spans, pos = [], 0
    for para in text.split("\n\n"):
        spans.append((pos, pos + len(para)))
        pos += len(para) + 2
    return Article(aid, aid, text, tuple(spans))


def gold_mentions(text: str, entities: list[dict[str, Any]]) -> set[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    variants = sorted({v for e in entities for v in e["variants"]}, key=len, reverse=True)
    taken = [False] * len(text)
    for v in variants:
        for m in re.finditer(rf"(?<![\w-]){re.escape(v)}(?![\w-])", text):
            if not any(taken[m.start():m.end()]):
                found.append(m.span())
                for i in range(m.start(), m.end()):
                    taken[i] = True
    return set(found)


def evaluate(verbose: bool = False, subset: str = "all") -> dict[str, float]:
    """Scores over ``subset``: ``"all"``, ``"dev"`` or ``"held_out"`` articles."""
    data = json.loads((LABELLED / "entities.json").read_text("utf-8"))
    held = set(data.get("held_out", ()))
    gold = {
        k: v for k, v in data["articles"].items()
        if subset == "all" or (k in held) == (subset == "held_out")
    }
    tp_e = tp_t = n_pred_e = n_gold_e = 0
    tp_m = n_pred_m = n_gold_m = 0
    for aid, gents in gold.items():
        text = (LABELLED / "entities" / f"{aid}.txt").read_text("utf-8")
        pred = extract_entities([article(aid, text)])
        n_pred_e += len(pred)
        n_gold_e += len(gents)
        used: set[int] = set()
        for p in pred:
            pk = name_key(p.name)
            hit = next(
                (i for i, g in enumerate(gents)
                 if i not in used and pk in {name_key(v) for v in [g["name"], *g["variants"]]}),
                None,
            )
            if hit is None:
                if verbose:
                    print(f"  [{aid}] false entity: {p.type} {p.name} {list(p.variants)}")
                continue
            used.add(hit)
            tp_e += 1
            if p.type == gents[hit]["type"]:
                tp_t += 1
            elif verbose:
                print(f"  [{aid}] wrong type: {p.name} {p.type} (gold {gents[hit]['type']})")
        if verbose:
            for i, g in enumerate(gents):
                if i not in used:
                    print(f"  [{aid}] missed entity: {g['type']} {g['name']}")
        gm = gold_mentions(text, gents)
        pm = {(m.start, m.end) for e in pred for m in e.mentions}
        n_gold_m += len(gm)
        n_pred_m += len(pm)
        tp_m += len(gm & pm)
        if verbose:
            for s, e in sorted(pm - gm):
                print(f"  [{aid}] extra mention: {text[s:e]!r} @{s}")
            for s, e in sorted(gm - pm):
                print(f"  [{aid}] missed mention: {text[s:e]!r} @{s}")

    def f(tp: int, n: int) -> float:
        return tp / n if n else 0.0

    return {
        "entity_precision": f(tp_e, n_pred_e),
        "entity_recall": f(tp_e, n_gold_e),
        "typed_entity_precision": f(tp_t, n_pred_e),
        "typed_entity_recall": f(tp_t, n_gold_e),
        "mention_precision": f(tp_m, n_pred_m),
        "mention_recall": f(tp_m, n_gold_m),
    }


def speed(n: int, words: int = 600) -> float:
    paras = []
    for p in [*sorted((LABELLED / "entities").glob("*.txt")), *sorted((ROOT / "seeds").glob("*.txt"))]:
        paras += [x for x in p.read_text("utf-8").split("\n\n") if len(x.split()) > 15]
    rng = random.Random(0)
    arts = []
    for i in range(n):
        chunks, count = [], 0
        while count < words:
            para = rng.choice(paras)
            chunks.append(para)
            count += len(para.split())
        arts.append(article(f"a{i:05d}", "\n\n".join(chunks)))
    t0 = time.perf_counter()
    ents = extract_entities(arts)
    dt = time.perf_counter() - t0
    print(f"speed: {n} articles x ~{words} words -> {len(ents)} entities in {dt:.1f}s")
    return dt


def spacy_predictions(python: str) -> Callable[[list[Article]], list[Predicted]]:
    """An extractor that asks spaCy (in another interpreter) for each article's entities."""

    def extract(arts: list[Article]) -> list[Predicted]:
        payload = json.dumps({a.id: a.text for a in arts})
        out = subprocess.run(
            [python, str(ROOT / "benchmarks" / "spacy_entities.py")],
            input=payload, capture_output=True, text=True, check=True,
        ).stdout
        preds = []
        for aid, ents in json.loads(out).items():
            for name, typ, surfaces in ents:
                p = Predicted(name, typ, {name_key(x) for x in surfaces}, sorted(surfaces))
                p.article = aid  # type: ignore[attr-defined]
                preds.append(p)
        return preds

    return extract


def report_real(extract: Callable[[list[Article]], list[Predicted]], label: str, verbose: bool) -> None:
    """Print the real-article figures (dev and held-out) for one extractor."""
    rows: dict[str, Tally] = {}
    for sub in ("dev", "held_out", "fresh"):
        t = score(extract, sub)
        if t is None:
            print("(no ../shared/corpora: real-article labels skipped)")
            return
        rows[sub] = t
    print(f"== real articles, {label}")
    figs = {sub: t.figures() for sub, t in rows.items()}
    print(f"{'':16s} {'dev':>7s} {'held':>7s} {'fresh':>7s}  (fresh: held-out articles labelled last)")
    for k in figs["dev"]:
        print(f"{k:16s} " + " ".join(f"{figs[sub][k]:7.3f}" for sub in figs))
    if verbose:
        for e in rows["dev"].errors:
            print("  " + e)


def scale(n: int) -> float:
    """Seconds to extract the entities of the first *n* real abp-dev articles."""
    from kazreader.corpus.loader import load_corpus

    folders = sorted(p for p in (CORPORA / "abp-dev").glob("*/*") if p.is_dir())
    arts: list[Article] = []
    for folder in folders:
        arts += load_corpus([folder]).articles
        if len(arts) >= n:
            break
    arts = arts[:n]
    t0 = time.perf_counter()
    ents = extract_entities(arts)
    dt = time.perf_counter() - t0
    print(f"scale: {len(arts)} real articles -> {len(ents)} entities in {dt:.2f}s")
    return dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speed", type=int, default=0, help="also time N synthetic articles")
    ap.add_argument("--scale", type=int, default=0, help="also time the first N real abp-dev articles")
    ap.add_argument("--spacy", metavar="PYTHON", help="an interpreter with spaCy and en_core_web_sm")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every error (not the held-out ones)")
    args = ap.parse_args()
    scores = {sub: evaluate(False, sub) for sub in ("all", "dev", "held_out")}
    print("== invented articles (tests/data/labelled/entities.json)")
    print(f"{'':24s} {'all':>6s} {'dev':>6s} {'held':>6s}")
    for k in scores["all"]:
        print(f"{k:24s} " + " ".join(f"{scores[sub][k]:6.3f}" for sub in scores))
    report_real(kazreader_predictions, "kazreader", args.verbose)
    if args.spacy:
        report_real(spacy_predictions(args.spacy), "spaCy en_core_web_sm", False)
    if args.speed:
        speed(args.speed)
    if args.scale:
        scale(args.scale)


if __name__ == "__main__":
    main()
