"""Score quotes on real coverage read in place from ``../shared/corpora``.

Two gold sets, neither copied into the repository:

* **basil-dev** (``annotations/YEAR/*_ann.json``): phrase-level labels, among
  them quoted spans (``quote == "yes"``) with their ``speaker``. Only spans
  that lie between quotation marks in the text are scored (the others are
  reported speech, which kazreader does not look for). A named speaker
  (``Rick_Perry``) is scored; ``other_anti``/``other_pro``/``other_neutral``
  name nobody and are scored for "found" only. BASIL often names an affiliation
  ("NAACP", "Obama campaign") for a person's words: only labels that begin
  with a given name (``kazreader/analysis/data/given_names.tsv``) are judged.
  The annotations cover the biased phrases only, so precision cannot be measured on this set.
* **abp-dev hand labels** (``tests/data/labelled/quotes_abp.tsv``): every
  quotation-mark pair opening in the first :data:`LABELLED_CHARS` characters of
  an article, with its speaker (``-`` none named, ``x`` not a quotation,
  ``?`` not judged) and a group label shared by renderings of one statement.
  Articles are read from ``content_original`` (the text as published) through
  the real loader's ``build_article``.

Figures: **found** = gold quotes that a predicted quote covers (recall) and
predicted quotes in the labelled region that are gold quotes (precision);
**speaker right** = found quotes whose speaker is the gold one (an
unattributed gold quote is right only when left unattributed); **pairs** =
pairs of found gold quotes in one gold group that share a predicted group
(recall), and predicted same-group pairs among found quotes that share a gold
group (precision).
"""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kazreader.corpus.formats import RawRecord  # noqa: E402
from kazreader.corpus.loader import build_article  # noqa: E402
from kazreader.corpus.model import Article  # noqa: E402
from kazreader.text import fold  # noqa: E402

CORPORA = ROOT / ".." / "shared" / "corpora"
LABELS = ROOT / "tests" / "data" / "labelled" / "quotes_abp.tsv"
#: Quotation marks opening before this offset are labelled in each abp article.
LABELLED_CHARS = 2000
#: Stories never tuned on (reported apart).
HELD_OUT = ("world/2018-07-11", "trade/2015-05-12", "violence_in_america/2013-09-04")
_OPEN_MARKS = "\u201c\"\u2018'\u201e\u00ab"


def _nowarn(_message: str) -> None:
    return None


def abp_article(path: Path) -> Article | None:
    """One abp-dev record as the loader would build it from its published text."""
    d = json.loads(path.read_text(encoding="utf-8"))
    rec = RawRecord(d["content_original"], d.get("title"), d.get("date"), d.get("source"), d.get("url"), d.get("ID"))
    return build_article(rec, id=d["ID"], path=str(path), warn=_nowarn)


def load_story(story: str) -> list[Article]:
    folder = CORPORA / "abp-dev" / story
    return [a for p in sorted(folder.glob("*.json")) if (a := abp_article(p)) is not None]


@dataclass
class Gold:
    """One gold quotation: where it starts, who said it, its statement group."""

    article: str
    pos: int  # an offset inside the quoted words
    end: int  # end of the gold span (pos + 1 when only a locator is known)
    speaker: str | None  # None: nobody named; "?": not judged
    group: str
    story: str = ""


@dataclass
class Scores:
    gold: int = 0
    found: int = 0
    predicted: int = 0
    predicted_right: int = 0
    speaker_judged: int = 0
    speaker_right: int = 0
    pairs_gold: int = 0
    pairs_grouped: int = 0
    pairs_pred: int = 0
    pairs_pred_right: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Scores) -> None:
        for k, v in vars(other).items():
            setattr(self, k, getattr(self, k) + v)

    def line(self, name: str) -> str:
        def r(a: int, b: int) -> str:
            return f"{a / b:.3f} ({a}/{b})" if b else "  n/a"

        return (
            f"{name:28} found R={r(self.found, self.gold)} P={r(self.predicted_right, self.predicted)}"
            f"  speaker right={r(self.speaker_right, self.speaker_judged)}"
            f"  pairs R={r(self.pairs_grouped, self.pairs_gold)} P={r(self.pairs_pred_right, self.pairs_pred)}"
        )


def same_speaker(pred: str | None, gold: str | None) -> bool:
    """Whether a predicted canonical name names the gold speaker (surnames compared)."""
    if gold is None or pred is None:
        return gold is None and pred is None
    p, g = fold(pred).replace(".", "").split(), fold(gold).replace(".", "").split()
    if not p or not g:
        return False
    return p[-1] == g[-1] or set(p) <= set(g) or set(g) <= set(p)


def score(quotes: Sequence[Any], golds: Sequence[Gold], region: Callable[[Any], bool] | None) -> Scores:
    """Score predicted *quotes* against *golds*; *region* says which predictions were labelled."""
    sc = Scores(gold=len(golds))
    by_article: dict[str, list[Any]] = defaultdict(list)
    for q in quotes:
        by_article[q.article].append(q)
    hit: dict[int, Any] = {}
    for gi, g in enumerate(golds):
        for q in by_article.get(g.article, ()):
            if _covers(q, g):
                hit[gi] = q
                break
    sc.found = len(hit)
    if region is not None:
        gold_at = {(g.article, g.pos) for g in golds}
        for q in quotes:
            if region(q):
                sc.predicted += 1
                right = any(q.start <= p < q.end for a, p in gold_at if a == q.article)
                sc.predicted_right += right
                if not right:
                    sc.errors.append(f"extra {q.article[:8]} {q.text[:60]!r} ({q.speaker})")
    for gi, q in hit.items():
        g = golds[gi]
        if g.speaker == "?":
            continue
        sc.speaker_judged += 1
        if same_speaker(q.speaker, g.speaker):
            sc.speaker_right += 1
        else:
            sc.errors.append(f"speaker {q.speaker!r} != {g.speaker!r}: {q.article[:8]} {q.text[:60]!r}")
    for gi, g in enumerate(golds):
        if gi not in hit:
            sc.errors.append(f"missed {g.article[:8]} @{g.pos} ({g.speaker})")
    grouped = any(g.group for g in golds)
    for a, b in combinations(sorted(hit) if grouped else (), 2):
        ga, gb = golds[a], golds[b]
        same_gold = ga.group == gb.group and bool(ga.group)
        same_pred = hit[a].group == hit[b].group and hit[a] is not hit[b]
        sc.pairs_gold += same_gold
        sc.pairs_grouped += same_gold and same_pred
        sc.pairs_pred += same_pred
        sc.pairs_pred_right += same_pred and same_gold
        if same_gold != same_pred and (same_gold or same_pred):
            what = "not grouped" if same_gold else "wrongly grouped"
            sc.errors.append(f"{what}: {hit[a].text[:40]!r} / {hit[b].text[:40]!r}")
    return sc


def _covers(q: Any, g: Gold) -> bool:
    if g.end <= g.pos + 1:
        return q.start <= g.pos < q.end
    inter = min(q.end, g.end) - max(q.start, g.pos)
    return inter > 0 and inter >= 0.5 * min(q.end - q.start, g.end - g.pos)


# --- abp-dev hand labels --------------------------------------------------------------


def abp_labels() -> dict[str, list[tuple[str, str, str, str]]]:
    """``{story: [(article prefix, locator, speaker, group)]}`` from the label file."""
    out: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + [""] * 5
        out[cols[0]].append((cols[1], cols[2], cols[3], cols[4]))
    return out


def in_furniture(story: str, article: str, locator: str) -> bool:
    """Whether *locator* lies in a paragraph of the published text that the cleaning drops as page
    furniture (a video playlist's "JUST WATCHED … Replay More Videos"), as the figures' evaluation
    leaves such labels out."""
    from kazreader.corpus.clean import collapse, is_furniture

    raw = json.loads((CORPORA / "abp-dev" / story / f"{article}.json").read_text(encoding="utf-8"))
    paragraphs = re.split(r"\n\s*\n", str(raw.get("content_original", "")))
    return any(locator in p and is_furniture(collapse(p)) for p in paragraphs)


def abp_gold(story: str, rows: list[tuple[str, str, str, str]], arts: list[Article]) -> list[Gold]:
    """Locate each labelled quotation (successive rows with one locator take successive places)."""
    golds = []
    cursor: dict[tuple[str, str], int] = {}
    for prefix, locator, speaker, group in rows:
        found = [a for a in arts if a.id.startswith(prefix)]
        if len(found) != 1:
            raise ValueError(f"{story}: no single article {prefix!r}")
        art = found[0]
        pos = art.text.find(locator, cursor.get((art.id, locator), 0))
        if pos < 0 and in_furniture(story, art.id, locator):
            continue  # (a paragraph the cleaning now drops as page furniture: no longer article text)
        if pos < 0:
            raise ValueError(f"{story} {prefix}: locator not found: {locator!r}")
        cursor[art.id, locator] = pos + 1
        if speaker == "x":
            continue
        who = None if speaker == "-" else speaker
        golds.append(Gold(art.id, pos, pos + 1, who, f"{story}:{group}" if group else "", story))
    return golds


def run_abp(extract: Callable[[list[Article]], list[Any]], verbose: bool) -> None:
    tuned, held = Scores(), Scores()
    for story, rows in sorted(abp_labels().items()):
        arts = load_story(story)
        golds = abp_gold(story, rows, arts)
        labelled = {a.id for a in arts if any(a.id.startswith(r[0]) for r in rows)}
        quotes = extract(arts)

        def region(q: Any, labelled: set[str] = labelled) -> bool:
            return q.article in labelled and q.start <= LABELLED_CHARS

        sc = score(quotes, golds, region)
        (held if story in HELD_OUT else tuned).add(sc)
        if verbose:
            print(sc.line(story))
            for e in sc.errors:
                print("     ", e)
    print(tuned.line("abp-dev labels (tuned)"))
    print(held.line("abp-dev labels (held out)"))


# --- basil-dev -------------------------------------------------------------------------


def basil_article(path: Path) -> Article | None:
    d = json.loads(path.read_text(encoding="utf-8"))
    text = "\n\n".join(" ".join(p) for p in d["body-paragraphs"])
    rec = RawRecord(text, d.get("title"), d.get("date"), d.get("source"), d.get("url"), d.get("uuid"))
    return build_article(rec, id=path.stem, path=str(path), warn=_nowarn)


def _in_marks(text: str, s: int, e: int) -> bool:
    """Whether ``[s, e)`` lies between quotation marks (or starts with one)."""
    if text[s : s + 1] in _OPEN_MARKS:
        return True
    para = text.rfind("\n\n", 0, s) + 1
    before = text[para:s]
    return before.count("\u201c") > before.count("\u201d") or before.count('"') % 2 == 1


def basil_set() -> list[tuple[list[Article], list[Gold]]]:
    """Each BASIL triplet's articles and its marked, speaker-labelled quoted spans."""
    out = []
    root = CORPORA / "basil-dev"
    triplets: dict[str, list[Path]] = defaultdict(list)
    for ann in sorted(glob.glob(str(root / "annotations" / "*" / "*_ann.json"))):
        triplets[Path(ann).name.rsplit("_", 2)[0]].append(Path(ann))
    for anns in triplets.values():
        arts, golds = [], []
        for ann in anns:
            path = Path(str(ann).replace("annotations", "articles").replace("_ann.json", ".json"))
            art = basil_article(path)
            if art is None:
                continue
            arts.append(art)
            for p in json.loads(ann.read_text(encoding="utf-8"))["phrase-level-annotations"]:
                g = _basil_gold(art, p)
                if g is not None:
                    golds.append(g)
        out.append((arts, golds))
    return out


def _basil_gold(art: Article, p: dict[str, Any]) -> Gold | None:
    if p.get("quote") != "yes":
        return None
    txt = p["txt"].strip().strip(_OPEN_MARKS + "\u201d\u2019 ,.")
    s = art.text.find(txt) if len(txt) > 3 else -1
    if s < 0 or not _in_marks(art.text, s, s + len(txt)):
        return None
    who = (p.get("speaker") or "").replace("_", " ")
    # BASIL names an affiliation as often as a person ("NAACP" for its president's
    # words, "Obama campaign" for a spokeswoman's): only a person's name is judged.
    parts = who.split()
    person = len(parts) >= 2 and parts[0].lower() in _given_names() and parts[-1].lower() not in _GROUP_WORDS
    speaker = who if person else "?"
    return Gold(art.id, s, s + len(txt), speaker, "")


_GIVEN: set[str] = set()
#: BASIL affiliation labels whose first word happens to be a given name ("Tea Party").
_GROUP_WORDS = {"party", "campaign", "democrats", "republicans", "lawmakers", "now"}


def _given_names() -> set[str]:
    if not _GIVEN:
        path = ROOT / "kazreader" / "analysis" / "data" / "given_names.tsv"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                _GIVEN.add(line.split("\t")[0].lower())
    return _GIVEN


def run_basil(extract: Callable[[list[Article]], list[Any]], verbose: bool) -> None:
    total = Scores()
    for arts, golds in basil_set():
        sc = score(extract(arts), golds, None)
        total.add(sc)
        if verbose:
            for e in sc.errors:
                if not e.startswith(("not grouped", "wrongly")):
                    print("     basil", e)
    print(total.line("basil-dev annotations"))


def real_extract(arts: list[Article]) -> list[Any]:
    from kazreader.analysis.entities import extract_entities
    from kazreader.analysis.quotes import extract_quotes

    return extract_quotes(arts, extract_entities(arts))


def main(verbose: bool = False) -> None:
    if not (CORPORA / "abp-dev").is_dir():
        print("== real coverage: ../shared/corpora is absent")
        return
    run_basil(real_extract, verbose)
    run_abp(real_extract, verbose)


# --- timing ----------------------------------------------------------------------------

_TIMER = """
import json, sys, time, pickle
sys.path.insert(0, sys.argv[1])
from kazreader.analysis.quotes import extract_quotes
arts, ents = pickle.load(open(sys.argv[2], "rb"))
best = 1e9
for _ in range(3):
    t0 = time.perf_counter(); qs = extract_quotes(arts, ents); best = min(best, time.perf_counter() - t0)
print(json.dumps({"seconds": best, "quotes": len(qs)}))
"""


def timing(baseline: str) -> None:
    """Time ``extract_quotes`` on every abp-dev article (entities computed once, shared)."""
    import pickle
    import tempfile

    from kazreader.analysis.entities import extract_entities

    paths = sorted((CORPORA / "abp-dev").glob("*/*/*.json"))
    arts = [a for p in paths if (a := abp_article(p)) is not None]
    ents = extract_entities(arts)
    with tempfile.NamedTemporaryFile(suffix=".pkl", delete=False) as fh:
        pickle.dump((arts, ents), fh)
    try:
        for name, root in (("this checkout", str(ROOT)), ("baseline", baseline)):
            if not root:
                continue
            out = subprocess.run([sys.executable, "-c", _TIMER, root, fh.name], capture_output=True, text=True,
                                 env={**os.environ, "PYTHONPATH": root}, check=True)
            r = json.loads(out.stdout)
            print(f"extract_quotes, {len(arts)} abp-dev articles, {name}: {r['seconds']:.2f}s ({r['quotes']} quotes)")
    finally:
        os.unlink(fh.name)


if __name__ == "__main__":
    t0 = time.perf_counter()
    main("-v" in sys.argv)
    print(f"({time.perf_counter() - t0:.1f}s)")
