"""Evaluate quote detection, speaker attribution and grouping on the labelled set.

Usage: ``python benchmarks/eval_quotes.py [--real] [--seeds] [--scale N] [--time]``

Reads ``tests/data/labelled/quotes/*.txt`` through the real corpus loader and
the gold ``tests/data/labelled/quotes.json``, then prints:

* quote detection precision/recall (a predicted quote matches a gold one in the
  same article when their spans overlap by at least half of the longer one);
* speaker attribution precision/recall, the measure of the anchors (BBC citron
  0.93/0.73): precision = correct speakers / quotes we gave a speaker,
  recall = correct speakers / gold quotes that have a speaker;
* grouping pairwise precision/recall over matched quotes;
* not-quotes wrongly reported.

It runs twice: with gold entities (attribution in isolation) and, when
``kazreader.analysis.entities.extract_entities`` exists, with the real entities.
``--seeds`` prints the bundled corpus' quotes; ``--scale N`` times
``extract_quotes`` on N synthetic articles.

``--real`` scores real coverage read in place from ``../shared/corpora``
(see :mod:`eval_quotes_real`): the basil-dev annotations (quoted spans and
their speakers) and the hand labels of ``tests/data/labelled/quotes_abp.tsv``
on abp-dev stories (tuned and held-out stories reported apart): quotes found
(recall, precision), speaker right of found quotes, grouping pair recall and
precision. ``--time`` times ``extract_quotes`` on every abp-dev article, and
the same call of the main checkout (``--baseline PATH``) in the same run.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import namedtuple
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kazreader.analysis.quotes import Quote, extract_quotes  # noqa: E402
from kazreader.corpus import load_corpus  # noqa: E402
from kazreader.corpus.model import Article  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "labelled"

try:  # the entities module is written in parallel; duck-typed stand-ins otherwise
    from kazreader.analysis.entities import Entity, Mention
except ImportError:  # pragma: no cover
    Mention = namedtuple("Mention", "article start end text")  # type: ignore[misc]
    Entity = namedtuple("Entity", "name type variants mentions")  # type: ignore[misc]


def gold_entities(articles: list[Article], spec: dict[str, Any]) -> list[Any]:
    """Entities from the gold spec, mentions found by whole-word string search."""
    taken: dict[str, list[tuple[int, int]]] = {a.id: [] for a in articles}
    pairs = [(v, name) for name, d in spec.items() for v in d["variants"]]
    pairs.sort(key=lambda p: -len(p[0]))  # longest variant first
    found: dict[str, list[Any]] = {name: [] for name in spec}
    for variant, name in pairs:
        pat = re.compile(r"(?<!\w)" + re.escape(variant) + r"(?!\w)")
        for a in articles:
            for m in pat.finditer(a.text):
                if any(s < m.end() and m.start() < e for s, e in taken[a.id]):
                    continue
                taken[a.id].append((m.start(), m.end()))
                found[name].append(Mention(a.id, m.start(), m.end(), m.group()))
    return [
        Entity(name, d["type"], tuple(d["variants"]), tuple(found[name]))
        for name, d in spec.items()
    ]


def gold_span(text: str, quote: str) -> tuple[int, int]:
    """Locate a gold quote's text (head and tail, so continued paragraphs work)."""
    head, tail = quote[:40], quote[-40:]
    start = text.find(head)
    if start < 0:
        raise ValueError(f"gold quote not found: {quote[:50]!r}")
    end = text.find(tail, start) + len(tail)
    if "\n\n" in quote:  # the re-opening mark of the continued paragraph
        end = max(end, text.find(tail, start) + len(tail))
    return start, end


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(0, inter) / max(a[1] - a[0], b[1] - b[0])


def load_labelled() -> tuple[list[Article], dict[str, Any]]:
    gold = json.loads((LABELLED / "quotes.json").read_text(encoding="utf-8"))
    corpus = load_corpus([LABELLED / "quotes"])
    articles = [
        Article(a.id, a.path, a.text, a.paragraphs, gold["articles"][a.id]["outlet"],
                gold["articles"][a.id]["date"], a.title, a.url)
        for a in corpus.articles
    ]
    return articles, gold


def evaluate(quotes: list[Quote], articles: list[Article], gold: dict[str, Any]) -> dict[str, float]:
    """Detection, speaker and grouping precision/recall against *gold*."""
    texts = {a.id: a.text for a in articles}
    golds = []
    for g in gold["quotes"]:
        golds.append({**g, "span": gold_span(texts[g["article"]], g["text"])})
    matched: dict[int, int] = {}  # predicted index -> gold index
    used: set[int] = set()
    for pi, q in enumerate(quotes):
        best, best_ov = None, 0.5
        for gi, g in enumerate(golds):
            if gi in used or g["article"] != q.article:
                continue
            ov = _overlap((q.start, q.end), g["span"])
            if ov >= best_ov:
                best, best_ov = gi, ov
        if best is not None:
            matched[pi] = best
            used.add(best)
    det_p = len(matched) / len(quotes) if quotes else 0.0
    det_r = len(used) / len(golds)
    # speaker: precision over quotes given a speaker, recall over gold speakers
    given = [pi for pi, q in enumerate(quotes) if q.speaker is not None]
    correct = [pi for pi in given if pi in matched and golds[matched[pi]]["speaker"] == quotes[pi].speaker]
    gold_with = [g for g in golds if g["speaker"] is not None]
    spk_p = len(correct) / len(given) if given else 0.0
    spk_r = len(correct) / len(gold_with)
    # speaker accuracy on matched quotes (None counts when gold is None)
    acc = sum(quotes[pi].speaker == golds[gi]["speaker"] for pi, gi in matched.items())
    # grouping, pairwise over matched quotes
    pairs_pred = {frozenset((a, b)) for a, b in combinations(matched, 2) if quotes[a].group == quotes[b].group}
    pairs_gold = {frozenset((a, b)) for a, b in combinations(matched, 2) if golds[matched[a]]["group"] == golds[matched[b]]["group"]}
    grp_p = len(pairs_pred & pairs_gold) / len(pairs_pred) if pairs_pred else 1.0
    grp_r = len(pairs_pred & pairs_gold) / len(pairs_gold) if pairs_gold else 1.0
    wrong_nq = 0
    for nq in gold["not_quotes"]:
        for q in quotes:
            if q.article == nq["article"] and q.text.strip(".,'’ ") == nq["text"]:
                wrong_nq += 1
    return {
        "detection_p": det_p, "detection_r": det_r,
        "speaker_p": spk_p, "speaker_r": spk_r,
        "speaker_accuracy": acc / len(matched) if matched else 0.0,
        "group_p": grp_p, "group_r": grp_r,
        "not_quotes_reported": wrong_nq,
        "predicted": len(quotes), "gold": len(golds),
        "errors": [
            (quotes[pi].article, quotes[pi].text[:50], quotes[pi].speaker, golds[gi]["speaker"])
            for pi, gi in matched.items()
            if quotes[pi].speaker != golds[gi]["speaker"]
        ] + [("MISSED", g["article"], g["text"][:50]) for gi, g in enumerate(golds) if gi not in used]
        + [("EXTRA", q.article, q.text[:50]) for pi, q in enumerate(quotes) if pi not in matched],
    }


def report(name: str, r: dict[str, Any], verbose: bool) -> None:
    print(f"== {name}")
    print(f"quote detection   P={r['detection_p']:.3f} R={r['detection_r']:.3f}  ({r['predicted']} predicted, {r['gold']} gold)")
    print(f"speaker           P={r['speaker_p']:.3f} R={r['speaker_r']:.3f}  accuracy on detected={r['speaker_accuracy']:.3f}")
    print(f"grouping pairwise P={r['group_p']:.3f} R={r['group_r']:.3f}")
    print(f"not-quotes reported: {r['not_quotes_reported']}")
    if verbose:
        for e in r["errors"]:
            print("   ", e)


def seeds() -> None:
    corpus = load_corpus([ROOT / "seeds"])
    try:
        from kazreader.analysis.entities import extract_entities
    except ImportError:
        print("(no kazreader.analysis.entities yet: seeds need real entities)")
        return
    ents = extract_entities(corpus.articles)
    for q in extract_quotes(corpus.articles, ents):
        print(f"{q.article[:3]} {q.group[:8]} {q.speaker or '-':24} | {q.speaker_text or '-':40} | {q.text[:70]!r}")


def scale(n: int) -> None:
    """Time extract_quotes on *n* synthetic articles built from a word pool."""
    rnd = random.Random(7)
    pool = [f"w{i}" for i in range(5000)]
    names = [(f"Speaker{i} Name{i}", f"Name{i}") for i in range(400)]
    statements = [" ".join(rnd.choice(pool) for _ in range(rnd.randint(3, 20))) for _ in range(3000)]
    arts, ments = [], {}
    for k in range(n):
        paras = []
        for _ in range(6):
            full, last = rnd.choice(names)
            st = rnd.choice(statements)
            paras.append(f"“{st},” {full} said on Monday. Some filler {rnd.choice(pool)} text follows here.")
        text = "\n\n".join(paras)
        spans, pos = [], 0
        for p in paras:
            spans.append((pos, pos + len(p)))
            pos += len(p) + 2
        aid = f"s{k:05d}"
        arts.append(Article(aid, aid, text, tuple(spans)))
        for m in re.finditer(r"Speaker\d+ Name\d+", text):
            ments.setdefault(m.group(), []).append(Mention(aid, m.start(), m.end(), m.group()))
    ents = [Entity(name, "PERSON", (name,), tuple(ms)) for name, ms in ments.items()]
    t0 = time.perf_counter()
    qs = extract_quotes(arts, ents)
    dt = time.perf_counter() - t0
    print(f"scale: {n} articles, {len(qs)} quotes, {len({q.group for q in qs})} groups in {dt:.1f}s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", action="store_true", help="print the bundled corpus' quotes")
    ap.add_argument("--scale", type=int, default=0, help="time N synthetic articles")
    ap.add_argument("-v", "--verbose", action="store_true", help="list errors")
    ap.add_argument("--real", action="store_true", help="score basil-dev and the abp-dev labels")
    ap.add_argument("--time", action="store_true", help="time extract_quotes on abp-dev")
    ap.add_argument("--baseline", default="", help="another checkout to time beside this one")
    args = ap.parse_args()
    if args.real or args.time:
        import eval_quotes_real

        if args.real:
            eval_quotes_real.main(args.verbose)
        if args.time:
            eval_quotes_real.timing(args.baseline)
        return
    articles, gold = load_labelled()
    ents = gold_entities(articles, gold["entities"])
    report("gold entities", evaluate(extract_quotes(articles, ents), articles, gold), args.verbose)
    try:
        from kazreader.analysis.entities import extract_entities
    except ImportError:
        print("== real entities: kazreader.analysis.entities not available yet")
    else:
        real = extract_entities(articles)
        report("real entities", evaluate(extract_quotes(articles, real), articles, gold), args.verbose)
    if args.seeds:
        seeds()
    if args.scale:
        scale(args.scale)


if __name__ == "__main__":
    main()
