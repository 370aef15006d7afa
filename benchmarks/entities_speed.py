"""CPU cost of entity extraction on real articles, cold (no parts store), and a digest of its output.

Usage::

    python benchmarks/entities_speed.py [--n 1238] [--source abp-dev|abp-10k] [--root CHECKOUT] [--repeat 1]

* ``--root``: the checkout whose ``kazreader`` is timed (default: this one), so
  the same script times an old commit (``git worktree add /tmp/old REV``) with
  only public calls (``load_corpus``, ``extract_entities``).
* Reports CPU seconds (``time.process_time``: the machine may be shared, wall
  time would measure the neighbours), µs per article, and, when the checkout
  has per-article parts (:func:`article_part`), the split between the
  per-article scans and the corpus-wide merge.
* ``digest``: a blake2b of every entity (name, type, variants, roles, mention
  spans): equal digests on the same input prove a speed change kept the output.
  ``text`` is the digest of the article texts: the loader changed too, so to time two
  checkouts on the same input, ``--save`` the articles once and give both ``--articles``.
* Loading the cue tables and gazetteers (once per process) is timed apart.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib
import pickle
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / ".." / "shared" / "corpora"


def load(kz_loader: ModuleType, source: str, n: int) -> list[Any]:
    """The first *n* articles of ``abp-dev`` (story folders in sorted order) or ``abp-10k`` (parts in order)."""
    folder = CORPORA / source
    if source == "abp-10k":
        paths = sorted(folder.glob("part-*.jsonl.gz"))
        arts: list[Any] = []
        for p in paths:
            arts += kz_loader.load_corpus([p]).articles
            if len(arts) >= n:
                break
        return arts[:n]
    arts = []
    for story in sorted(p for p in folder.glob("*/*") if p.is_dir()):
        arts += kz_loader.load_corpus([story]).articles
        if len(arts) >= n:
            break
    return arts[:n]


def digest(entities: list[Any]) -> str:
    h = hashlib.blake2b(digest_size=12)
    for e in entities:
        h.update(repr((e.name, str(e.type), tuple(e.variants), tuple(getattr(e, "roles", ())))).encode())
        for m in e.mentions:
            h.update(repr((m.article, m.start, m.end, getattr(m, "role", None))).encode())
    return h.hexdigest()


def text_digest(arts: list[Any]) -> str:
    h = hashlib.blake2b(digest_size=8)
    for a in arts:
        h.update(a.text.encode())
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1238)
    ap.add_argument("--source", default="abp-dev", choices=("abp-dev", "abp-10k"))
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--repeat", type=int, default=1, help="time the whole extraction this many times")
    ap.add_argument("--split", action="store_true", help="also time per-article parts and the merge apart")
    ap.add_argument("--save", type=Path, help="pickle the loaded articles here (then time them on any checkout)")
    ap.add_argument("--articles", type=Path, help="read the articles from a --save pickle instead of loading")
    args = ap.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    loader = importlib.import_module("kazreader.corpus.loader")
    ents_mod = importlib.import_module("kazreader.analysis.entities")
    print(f"root {args.root} ({Path(ents_mod.__file__ or '').parent})")
    if args.articles:
        arts = pickle.loads(args.articles.read_bytes())[:args.n]
    else:
        arts = load(loader, args.source, args.n)
    if args.save:
        args.save.write_bytes(pickle.dumps(arts))
    t0 = time.process_time()
    ents_mod.extract_entities(arts[:1])  # loads the cue tables and gazetteers
    source = args.articles.name if args.articles else args.source
    print(f"load tables {time.process_time() - t0:.2f} CPU-s; input {len(arts)} {source} "
          f"articles, {sum(len(a.text) for a in arts) / 1e6:.1f} M chars, text {text_digest(arts)}")
    for _ in range(args.repeat):
        t0 = time.process_time()
        ents = ents_mod.extract_entities(arts)
        dt = time.process_time() - t0
        print(f"extract {dt:.2f} CPU-s ({dt / len(arts) * 1e6:.0f} µs/article) -> {len(ents)} entities, "
              f"digest {digest(ents)}")
    if args.split:
        split(arts)


def split(arts: list[Any]) -> None:
    """The per-article scans and the corpus-wide merge, timed apart (checkouts with :func:`article_part`)."""
    extract = importlib.import_module("kazreader.analysis.entities.extract")
    paused = getattr(extract, "_gc_paused", contextlib.nullcontext)  # (as extract_entities runs them)
    with paused():
        t0 = time.process_time()
        gathered = extract._Gathered()
        for i, a in enumerate(arts):
            gathered.add(i, extract.article_part(a.text))
        t1 = time.process_time()
        ents = extract._merge(arts, gathered)
        t2 = time.process_time()
    print(f"parts {t1 - t0:.2f} CPU-s ({(t1 - t0) / len(arts) * 1e6:.0f} µs/article); merge {t2 - t1:.2f} CPU-s "
          f"-> {len(ents)} entities, digest {digest(ents)}")


if __name__ == "__main__":
    main()
