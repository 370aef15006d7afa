"""Gold entities labelled in real articles (``tests/data/labelled/entities_real.txt``).

The labels are read in place from ``../shared/corpora`` (never copied): see the
header of the label file for its format. :func:`score` runs an extractor on each
labelled story (the whole story folder, as a reader opens it) and judges the
entities that have a mention in the labelled article:

* **found**: gold entities with at least one of their forms listed;
* **typed right**: found gold entities whose main prediction (the one holding
  most of its forms) has the gold type;
* **precision**: listed entities (ignoring those made only of ``?`` forms)
  that are one gold entity, rightly typed (junk, a cut name, a wrong type or a
  merge of two gold entities is an error);
* **merged whole**: gold entities written in two or more forms that one
  listed entity holds all of;
* **wrong merges**: listed entities holding forms of two gold entities, plus
  ``!`` pairs listed as one entity.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kazreader.analysis.gazetteer import name_key
from kazreader.corpus.model import Article

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "labelled" / "entities_real.txt"
CORPORA = ROOT / ".." / "shared" / "corpora"


@dataclass
class GoldEntity:
    name: str
    type: str
    forms: list[str]


@dataclass
class GoldArticle:
    story: str
    article: str
    held_out: bool
    fresh: bool = False  # labelled last (see the label file's header)
    entities: list[GoldEntity] = field(default_factory=list)
    ignore: set[str] = field(default_factory=set)
    apart: list[tuple[str, str]] = field(default_factory=list)


def read_labels(path: Path = LABELS) -> list[GoldArticle]:
    """The labelled articles, in file order."""
    out: list[GoldArticle] = []
    for raw in path.read_text("utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head, _, rest = line.partition(" ")
        if head == "@":
            parts = rest.split()
            out.append(GoldArticle(parts[0], parts[1], "held-out" in parts[2:], "fresh" in parts[2:]))
        elif head == "?":
            out[-1].ignore |= {name_key(x) for x in rest.split(" | ")}
        elif head == "!":
            a, _, b = rest.partition(" ~ ")
            out[-1].apart.append((a.strip(), b.strip()))
        else:
            forms = [x.strip() for x in rest.split(" | ")]
            out[-1].entities.append(GoldEntity(forms[0], head, forms))
    return out


def load_story(story: str) -> list[Article]:
    """The articles of a story, read by kazreader's own loader: an abp-dev folder, or a basil-dev triplet prefix."""
    from kazreader.corpus.loader import load_corpus

    where = CORPORA / story
    paths = [where] if where.is_dir() else [Path(p) for p in sorted(glob.glob(os.fspath(where) + "*.json"))]
    return list(load_corpus(paths).articles)


def labelled_article(arts: Sequence[Article], label: str) -> Article:
    """The article a label names: by the loader's id, or by the file's stem (BASIL ids are record uuids)."""
    return next(a for a in arts if a.id.startswith(label) or Path(a.path).stem.startswith(label))


Extractor = Callable[[Sequence[Article]], list[Any]]


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    typed: int = 0
    listed: int = 0
    correct: int = 0
    multi: int = 0
    whole: int = 0
    wrong_merges: int = 0
    #: gold entities whose every form is gone from the article's text (see :func:`judge`)
    gone: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for k in ("gold", "found", "typed", "listed", "correct", "multi", "whole", "wrong_merges", "gone"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.errors += other.errors

    def figures(self) -> dict[str, float]:
        def f(a: int, b: int) -> float:
            return a / b if b else 0.0

        return {
            "found": f(self.found, self.gold),
            "typed_right": f(self.typed, self.found),
            "precision": f(self.correct, self.listed),
            "merged_whole": f(self.whole, self.multi),
            "wrong_merges": float(self.wrong_merges),
            "gold_entities": float(self.gold),
            "multi_variant": float(self.multi),
            "listed": float(self.listed),
            "gold_gone": float(self.gone),
        }


@dataclass
class Predicted:
    """One predicted entity as seen from the labelled article."""

    name: str
    type: str
    keys: set[str]
    surfaces: list[str]


def _present(text: str, form: str) -> bool:
    import re

    return re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text) is not None


def judge(gold: GoldArticle, text: str, preds: list[Predicted]) -> Tally:
    """Score the predictions for one labelled article."""
    t = Tally()
    where = f"[{gold.story.rsplit('/', 1)[-1]} {gold.article}]"
    owner: dict[str, int] = {}
    for i, g in enumerate(gold.entities):
        for form in g.forms:
            owner.setdefault(name_key(form), i)
    pairs = [(name_key(a), name_key(b), f"{a} ~ {b}") for a, b in gold.apart]
    holders: dict[int, list[int]] = {}
    for j, p in enumerate(preds):
        gis = {owner[k] for k in p.keys if k in owner}
        for gi in gis:
            holders.setdefault(gi, []).append(j)
        if not gis and p.keys <= gold.ignore:
            continue
        t.listed += 1
        split = [label for ka, kb, label in pairs if ka in p.keys and kb in p.keys]
        if len(gis) > 1 or split:
            t.wrong_merges += 1
            t.errors.append(f"{where} wrong merge: {p.type} {p.name} {p.surfaces} {split}")
        elif len(gis) == 1 and not (p.keys - set(owner) - gold.ignore):
            gi = next(iter(gis))
            if p.type == gold.entities[gi].type:
                t.correct += 1
            else:
                t.errors.append(f"{where} mistyped: {p.name} {p.type} (gold {gold.entities[gi].type})")
        else:
            t.errors.append(f"{where} junk: {p.type} {p.name} {p.surfaces}")
    for i, g in enumerate(gold.entities):
        forms = {name_key(f) for f in g.forms if _present(text, f)}
        if not forms:
            # Labelled where the loader's text no longer has it: only inside page furniture that the
            # cleaning now takes out (a name card's headlines). The article does not name it.
            t.gone += 1
            continue
        t.gold += 1
        js = holders.get(i, [])
        if js:
            t.found += 1
            main = max(js, key=lambda j: len(preds[j].keys & forms))
            if preds[main].type == g.type:
                t.typed += 1
        else:
            t.errors.append(f"{where} missed: {g.type} {g.name}")
        if len(forms) >= 2:
            t.multi += 1
            if any(forms <= preds[j].keys for j in js):
                t.whole += 1
            else:
                t.errors.append(
                    f"{where} not merged whole: {g.name} -> {[sorted(preds[j].keys & forms) for j in js]}"
                )
    return t


def score(
    extract: Callable[[list[Article]], list[Predicted]] | None = None,
    subset: str = "all",
    labels: list[GoldArticle] | None = None,
) -> Tally | None:
    """The tally over ``subset`` (``all``, ``dev``, ``held_out``, ``fresh``), or None without the corpora."""
    if not CORPORA.is_dir():
        return None
    extract = extract or kazreader_predictions
    total = Tally()
    for gold in labels if labels is not None else read_labels():
        if subset == "fresh" and not gold.fresh or subset in ("dev", "held_out") and gold.held_out != (subset == "held_out"):
            continue
        arts = load_story(gold.story)
        art = labelled_article(arts, gold.article)
        by_article = extract(arts)
        total.add(judge(gold, art.text, [p for p in by_article if _in_article(p, art.id)]))
    return total


def _in_article(p: Predicted, article_id: str) -> bool:
    return getattr(p, "article", article_id) == article_id


def kazreader_predictions(arts: list[Article]) -> list[Predicted]:
    """kazreader's entities, one :class:`Predicted` per (entity, article)."""
    from kazreader.analysis.entities import extract_entities

    out: list[Predicted] = []
    for ent in extract_entities(arts):
        for art in arts:
            ms = ent.mentions_in(art.id)
            if ms:
                p = Predicted(ent.name, ent.type, {name_key(m.text) for m in ms}, sorted({m.text for m in ms}))
                p.article = art.id  # type: ignore[attr-defined]
                out.append(p)
    return out
