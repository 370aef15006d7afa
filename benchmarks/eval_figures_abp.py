"""Score figures on real coverage: hand labels from Article-Bias-Prediction story folders.

    python benchmarks/eval_figures_abp.py               # dev and held-out stories
    python benchmarks/eval_figures_abp.py --errors      # ... and every mismatch (dev stories only)
    python benchmarks/eval_figures_abp.py --module /tmp/old/figures.py   # score another copy (baseline)

The labels (``tests/data/labelled/figures_abp.json``) give, for figures of 25
story folders of ``../shared/corpora/abp-dev``, the figure's words, value,
qualifier, kind and measure parts, and the cross-outlet pairs that really
disagree. Every story of a set is opened *together* (as a user opening several
folders would), so figures must also be kept within their story.

* value+qualifier: a gold figure is right when a predicted figure overlaps it
  with the same value (``None`` for vague amounts) and qualifier;
* measure: ... and the same kind, counted noun (head word), predicate, and the
  place and time when the label names one;
* disagreements: a gold pair is found when both figures are predicted and the
  tool flags them as differing or conflicting; precision counts the flagged
  pairs whose two figures are both labelled (other pairs cannot be judged).
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kazreader.corpus.loader import load_corpus  # noqa: E402
from kazreader.corpus.model import Article  # noqa: E402

LABELS = ROOT / "tests" / "data" / "labelled" / "figures_abp.json"
CORPUS = ROOT / ".." / "shared" / "corpora" / "abp-dev"


def load_module(path: str | None) -> ModuleType:
    """The figures module to score: the package's, or a copy given by path."""
    if path is None:
        import kazreader.analysis.figures as mod

        return mod
    spec = importlib.util.spec_from_file_location("figures_under_test", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def load_articles(stories: Iterable[str]) -> list[Article]:
    return list(load_corpus([CORPUS / s for s in stories], on_warning=lambda w: None).articles)


def _head(noun: str | None) -> str | None:
    if not noun:
        return None
    w = noun.lower().split()[-1]
    irregular = {"person": "people", "persons": "people", "man": "men", "woman": "women", "child": "children"}
    w = irregular.get(w, w)
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def _group(noun: str) -> str | None:
    """The counted group the package itself would give a gold noun (so "victims" matches "people")."""
    try:
        from kazreader.analysis.figures.lexicon import GROUPS
    except ImportError:
        return None
    words = noun.lower().split()
    return GROUPS.get(" ".join(words[-2:]), GROUPS.get(words[-1], (None, None)))[0]


def parts(f: Any) -> tuple[str | None, str | None, str | None, str | None]:
    """(noun, predicate, place, time) of a predicted figure, old or new shape."""
    if hasattr(f, "predicate"):
        return f.counted or f.noun, f.predicate, f.place, f.time
    measure = f.measure or ""
    place = measure.split(" in ", 1)[1] if " in " in measure else None
    return f.counted, f.event, place, None


def value_ok(g: dict[str, Any], f: Any) -> bool:
    gv, fv = g["value"], f.value
    same = (gv is None and fv is None) or (gv is not None and fv is not None and abs(gv - fv) < 1e-6 * max(1, gv))
    return same and g["qualifier"] == str(f.qualifier)


def measure_ok(g: dict[str, Any], f: Any) -> bool:
    noun, pred, place, time = parts(f)
    if g["kind"] != str(f.kind):
        return False
    if g["noun"] and _head(g["noun"]) != _head(noun) and _group(g["noun"]) != getattr(f, "noun", None):
        return False
    if (g["predicate"] or None) != (pred or None):
        return False
    if g["place"] and g["place"].lower() not in (place or "").lower():
        return False
    return not (g["time"] and g["time"].lower() not in (time or "").lower())


def match(gold: list[dict[str, Any]], pred: list[Any]) -> dict[int, Any]:
    """Gold index -> the predicted figure that overlaps it most (one-to-one)."""
    by_article: dict[str, list[Any]] = {}
    for p in pred:
        by_article.setdefault(p.article, []).append(p)
    pairs = []
    for i, g in enumerate(gold):
        for p in by_article.get(g["article"], ()):
            if p.start < g["end"] and g["start"] < p.end:
                pairs.append((min(p.end, g["end"]) - max(p.start, g["start"]), i, p))
    pairs.sort(key=lambda t: -t[0])
    out: dict[int, Any] = {}
    used: set[int] = set()
    for _, i, p in pairs:
        if i not in out and id(p) not in used:
            out[i] = p
            used.add(id(p))
    return out


def flagged_pairs(mod: ModuleType, result: Any) -> set[tuple[Any, Any]]:
    """Pairs of predicted figures (by article and number) from different articles the tool says disagree."""
    pair_kind: Callable[[Any, Any], str | None] | None = getattr(mod, "pair_disagreement", None)
    out: set[tuple[Any, Any]] = set()
    for d in result.disagreements:
        vals = list(d.values)
        listed = d.disagreeing() if hasattr(d, "disagreeing") else None
        candidates = listed if listed is not None else [(a, b) for a in vals for b in vals if a.article < b.article]
        for a, b in candidates:
            if a.article != b.article:
                kind = "differ" if listed is not None else (pair_kind(a, b) if pair_kind else _old_pair_kind(a, b))
                if kind in ("differ", "conflict"):
                    sa, sb = (a.article, a.value, a.low, a.high), (b.article, b.value, b.low, b.high)
                    out.update(((sa, sb), (sb, sa)))
    return out


def _old_pair_kind(a: Any, b: Any) -> str | None:
    inf = float("inf")
    lo = max(-inf if a.low is None else a.low, -inf if b.low is None else b.low)
    hi = min(inf if a.high is None else a.high, inf if b.high is None else b.high)
    if lo > hi:
        return "conflict"
    return "differ" if a.value is not None and b.value is not None and a.value != b.value else None


def _canon(result: Any, pred: list[Any]) -> dict[tuple[str, int, int], Any]:
    return {(p.article, p.start, p.end): p for p in pred}


def _per_story(mod: ModuleType, stories: list[str]) -> Any:
    """Each story opened alone (what a baseline without stories needs to be judged fairly)."""
    figures, disagreements = [], []
    for s in stories:
        r = mod.extract_figures(load_articles([s]))
        figures.extend(r.figures)
        disagreements.extend(r.disagreements)
    return SimpleNamespace(figures=tuple(figures), disagreements=tuple(disagreements))


def _compact(text: str) -> tuple[str, list[int]]:
    """*text* without white space, and where each kept character stands in *text*."""
    where = [i for i, c in enumerate(text) if not c.isspace()]
    return "".join(text[i] for i in where), where


@functools.cache
def _labelled_text(story: str, article: str) -> str:
    """The tokenised ``content`` of *article*, the text the labels' offsets were made on."""
    raw = json.loads((CORPUS / story / f"{article}.json").read_text(encoding="utf-8"))
    return str(raw.get("content", ""))


def anchor(g: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """*g* with its offsets moved onto the text the loader reads.

    The labels were made on ABP's tokenised ``content`` ("$ 6.5 billion ,"); the
    loader reads the published ``content_original``. Both hold the same characters
    but for white space, so the label's place is found by its non-space characters.
    """
    text = texts.get(g["article"], "")
    if text[g["start"]:g["end"]] == g["text"]:
        return g
    before = len(_compact(_labelled_text(g["story"], g["article"])[:g["start"]])[0])
    needle = _compact(g["text"])[0]
    flat, where = _compact(text)
    hits = [m for m in range(len(flat)) if flat.startswith(needle, m)] if needle else []
    if not hits:
        return g
    at = min(hits, key=lambda m: abs(m - before))
    return {**g, "start": where[at], "end": where[at + len(needle) - 1] + 1}


def in_furniture(g: dict[str, Any]) -> bool:
    """Whether gold figure *g* lies in a paragraph of its source that the cleaning drops as page
    furniture (a video's "CLOSE …" caption, a promo): no longer article text, so not counted (as
    ``real_gold`` does for entities whose every form is gone)."""
    from kazreader.corpus.clean import collapse, is_furniture

    content = _labelled_text(g["story"], g["article"])
    at = g["start"]
    if content[at:g["end"]] != g["text"]:  # (the offset does not hold the words: their nearest occurrence)
        places = [m.start() for m in re.finditer(re.escape(g["text"]), content)]
        if not places:
            return False
        at = min(places, key=lambda k: abs(k - g["start"]))
    lo, hi = content.rfind("\n", 0, at) + 1, content.find("\n", at + len(g["text"]))
    return is_furniture(collapse(content[lo : hi if hi >= 0 else len(content)]))


def evaluate(mod: ModuleType, stories: list[str], data: dict[str, Any], errors: bool,
             per_story: bool = False) -> dict[str, float]:
    everything = [g for g in data["figures"] if g["story"] in stories]
    labelled = [g for g in everything if not in_furniture(g)]
    articles = load_articles(stories)
    texts = {a.id: a.text for a in articles}
    gold = [anchor(g, texts) for g in labelled]
    result = _per_story(mod, stories) if per_story else mod.extract_figures(articles)
    pred = list(result.figures)
    canon = _canon(result, pred)
    matched = match(gold, pred)
    scores: dict[str, float] = {"stories": len(stories), "gold figures": len(gold)}
    scores["detected"] = len(matched) / len(gold)
    vq = [i in matched and value_ok(g, matched[i]) for i, g in enumerate(gold)]
    ms = [i in matched and measure_ok(g, matched[i]) for i, g in enumerate(gold)]
    scores["value+qualifier"] = sum(vq) / len(gold)
    scores["measure"] = sum(ms) / len(gold)
    # Disagreements: a disagreement lists each article's distinct number once, so figures are
    # identified by their article and number; a gold pair is found when the tool flags two
    # figures with those articles and numbers within one disagreement.
    ref = {f"{g['article']}:{g['start']}": i for i, g in enumerate(labelled)}  # (the labels' own offsets)
    flagged = flagged_pairs(mod, result)

    def sig(i: int) -> tuple[str, Any, Any, Any] | None:
        p = matched.get(i)
        return (p.article, p.value, p.low, p.high) if p is not None else None

    gold_pairs = {(ref[a], ref[b]) for a, b in data["disagreements"] if a in ref and b in ref}
    scores["gold in furniture"] = len(everything) - len(labelled)
    found = [(a, b) for a, b in gold_pairs if sig(a) and sig(b) and (sig(a), sig(b)) in flagged]
    by_sig: dict[Any, list[int]] = {}
    for i in matched:
        by_sig.setdefault(sig(i), []).append(i)
    judged = {(x, y) for sa, sb in flagged for x in by_sig.get(sa, ()) for y in by_sig.get(sb, ()) if x < y}
    gold_sym = gold_pairs | {(b, a) for a, b in gold_pairs}
    tp = sum(1 for p in judged if p in gold_sym)
    scores["disagreement pairs (gold)"] = len(gold_pairs)
    scores["disagreement recall"] = len(found) / len(gold_pairs) if gold_pairs else 1.0
    scores["disagreement precision"] = tp / len(judged) if judged else 1.0
    scores["flagged pairs judged"] = len(judged)
    cross = sum(1 for d in result.disagreements if len({getattr(v, "story", None) or _story_of(v, data) for v in d.values}) > 1)
    scores["disagreements across stories"] = cross
    if errors:
        _print_errors(gold, matched, vq, ms, gold_pairs, found, judged, gold_sym)
    del canon
    return scores


_STORY_OF: dict[str, str] = {}


def _story_of(f: Any, data: dict[str, Any]) -> str:
    if not _STORY_OF:
        for s in data["stories"]:
            for p in (CORPUS / s).glob("*.json"):
                _STORY_OF[p.stem] = s
    return _STORY_OF.get(f.article, "?")


def _print_errors(gold: list[dict[str, Any]], matched: dict[int, Any], vq: list[bool], ms: list[bool],
                  gold_pairs: set[tuple[int, int]], found: list[tuple[int, int]],
                  judged: set[tuple[int, int]], gold_sym: set[tuple[int, int]]) -> None:
    for i, g in enumerate(gold):
        f = matched.get(i)
        where = f"{g['story']} {g['article'][:6]}:{g['start']} {g['text']!r}"
        if f is None:
            print(f"missed    {where}")
            continue
        if not vq[i]:
            print(f"value     {where}: gold {g['value']} {g['qualifier']} got {f.value} {f.qualifier} ({f.text!r})")
        if not ms[i]:
            got = parts(f)
            print(f"measure   {where}: gold {g['kind']} {g['noun']}|{g['predicate']}|{g['place']}|{g['time']} "
                  f"got {f.kind} {got[0]}|{got[1]}|{got[2]}|{got[3]}")
    for a, b in sorted(gold_pairs - set(found)):
        print(f"not found {gold[a]['story']}: {gold[a]['text']!r} vs {gold[b]['text']!r}")
    for a, b in sorted(judged - gold_sym):
        print(f"wrong     {gold[a]['story']}: {gold[a]['text']!r} vs {gold[b]['text']!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="list every mismatch of the dev stories")
    ap.add_argument("--module", help="score the figures module at this path instead (a baseline copy)")
    ap.add_argument("--held-out", action="store_true", help="score only the held-out stories")
    ap.add_argument("--per-story", action="store_true", help="open each story alone instead of all together")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"{CORPUS} is absent")
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    mod = load_module(args.module)
    held = [s for s in data["stories"] if s in data["held_out"]]
    dev = [s for s in data["stories"] if s not in data["held_out"]]
    sets = {"held-out": held} if args.held_out else {"dev": dev, "held-out": held}
    results = {name: evaluate(mod, s, data, args.errors and name == "dev", args.per_story) for name, s in sets.items()}
    print(f"{'':30}" + "".join(f"{name:>10}" for name in results))
    for k in next(iter(results.values())):
        row = [r[k] for r in results.values()]
        print(f"{k:30}" + "".join(f"{v:10.3f}" if isinstance(v, float) else f"{v:10}" for v in row))


if __name__ == "__main__":
    main()
