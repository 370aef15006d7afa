"""CPU of quote extraction and of the corpus-wide grouping on real articles, old code against new.

    python benchmarks/quotes_speed.py --sizes 2500,10000 --old /tmp/qs-base [--rounds 2]
    python benchmarks/quotes_speed.py --one 2500            # one measurement of this tree (JSON)

Real text: the first N articles of ``../shared/corpora/abp-10k`` (2,500 a part),
loaded as the workspace loads them. Entities are computed once per size with
this tree's code and kept in ``$KAZREADER_CACHE`` (or the temp folder), so both
codes attribute from the same entities and the entity scan is not timed.

Each measurement runs in its own process (cold: no parts, no warm caches):

* ``extract``: every article's quotations attributed (what a part holds,
  normalised words included; the GC paused when the code pauses it), CPU-s;
* ``group``: the corpus-wide grouping of those quotations, CPU-s;
* ``quotes_digest`` / ``groups_digest``: digests of the quotations and of the
  partition into groups (group ids and ``attributed_differently`` included).

With ``--old TREE`` (a folder holding another ``kazreader`` package, e.g.
``git archive BASE kazreader | tar -x -C TREE``) runs alternate old, new, old,
new… so that a busy machine slows both alike; the best CPU of each is reported
and the digests must agree.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpora" / "abp-10k"


def load(n: int) -> list[Any]:
    from kazreader.corpus import load_corpus

    parts = sorted(CORPUS.glob("part-*.jsonl.gz"))[: max(1, -(-n // 2500))]
    return list(load_corpus(parts).articles[:n])


def entities(articles: list[Any], n: int) -> list[Any]:
    """The entities of *articles*, computed once per size and kept as their cache form."""
    from kazreader.analysis.entities import Entity, extract_entities

    folder = Path(os.environ.get("KAZREADER_CACHE") or tempfile.gettempdir())
    key = hashlib.blake2b("".join(a.digest for a in articles).encode(), digest_size=8).hexdigest()
    path = folder / f"quotes-speed-entities-{n}-{key}.json.gz"
    texts = {a.id: a.text for a in articles}
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return [Entity.from_cache(raw, texts) for raw in json.load(fh)]
    found = extract_entities(articles)
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump([e.to_cache() for e in found], fh)
    return found


def _digest(rows: Any) -> str:
    return hashlib.blake2b(json.dumps(rows, sort_keys=True).encode(), digest_size=10).hexdigest()


def measure(n: int) -> dict[str, Any]:
    """One cold measurement of the kazreader importable here."""
    from kazreader.analysis.quotes import extract as ex
    from kazreader.analysis.quotes import grouping
    from kazreader.analysis.quotes.grouping import group_quotes, normalise_quote

    articles = load(n)
    ents = entities(articles, n)
    paused = getattr(grouping, "gc_paused", contextlib.nullcontext)  # as extract_quotes runs it
    t0 = time.process_time()
    by_article = ex.mentions_by_article(ents)
    with paused():
        quotes = [q for a in articles for q in ex._article_quotes(a, by_article.get(a.id, []))]
        norms = [normalise_quote(q.text) for q in quotes]
    t1 = time.process_time()
    dates = {a.id: a.date or "9999-99-99" for a in articles}
    grouped = group_quotes(quotes, dates, norms)
    t2 = time.process_time()
    plain = [[q.article, q.start, q.end, q.speaker, q.speaker_text, q.speaker_start, q.speaker_end] for q in quotes]
    groups = [[q.article, q.start, q.group, list(q.attributed_differently)] for q in grouped]
    return {
        "articles": len(articles), "quotes": len(quotes), "groups": len({q.group for q in grouped}),
        "extract": round(t1 - t0, 2), "group": round(t2 - t1, 2),
        "quotes_digest": _digest(plain), "groups_digest": _digest(groups), "code": str(Path(ex.__file__).parents[3]),
    }


def _run(n: int, tree: Path | None) -> dict[str, Any]:
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--one", str(n)], env=env,
                         cwd=tempfile.gettempdir(), capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def compare(sizes: list[int], old: Path, rounds: int, new: Path | None = None) -> None:
    for n in sizes:
        _run(n, None)  # entities computed and kept (not timed)
        best: dict[str, dict[str, Any]] = {}
        for _ in range(rounds):
            for name, tree in (("old", old), ("new", new)):
                r = _run(n, tree)
                print(f"{n} {name}: extract {r['extract']} CPU-s, group {r['group']} CPU-s, {r['quotes']} quotes, "
                      f"{r['groups']} groups ({r['code']})", flush=True)
                b = best.setdefault(name, dict(r))
                b["extract"], b["group"] = min(b["extract"], r["extract"]), min(b["group"], r["group"])
        o, w = best["old"], best["new"]
        same = all(o[k] == w[k] for k in ("quotes_digest", "groups_digest"))
        print(f"== {n} articles: extract {o['extract']} -> {w['extract']} CPU-s; group {o['group']} -> {w['group']} "
              f"CPU-s; quotes {'identical' if o['quotes_digest'] == w['quotes_digest'] else 'DIFFER'}, groups "
              f"{'identical' if o['groups_digest'] == w['groups_digest'] else 'DIFFER'}", flush=True)
        if not same:
            sys.exit(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--one", type=int, metavar="N", help="measure this tree once on N articles (JSON)")
    ap.add_argument("--sizes", default="2500", help="comma-separated article counts")
    ap.add_argument("--old", type=Path, help="folder holding the old kazreader package")
    ap.add_argument("--new", type=Path, help="folder holding the new kazreader package (default: this tree)")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.old is None:
        for n in sizes:
            print(json.dumps(_run(n, None)))
        return
    compare(sizes, args.old, args.rounds, args.new)


if __name__ == "__main__":
    main()
