"""An index updated in place answers every query as a clean build of the same articles.

Touch one article, add one, delete one, change one article's extra fields:
the sync writes only those documents, and every query then finds the same
hits (ids, totals, scores) as an index built from scratch.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping
from pathlib import Path

from builders import art
from kazreader.corpus.model import Article
from kazreader.index import CorpusIndex
from kazreader.index.search import _term_docs, parse_query

WORDS = (
    "the of and to a in said minister border talks trade tariff caravan migrants court "
    "lawsuit judge president senate vote budget army police protest election rally "
    "statement house white official report city state government week new law"
).split()
QUERIES = [
    "border", "minister talks", "tariff OR lawsuit", '"the white house"', '"said the minister"',
    "court AND judge", "election NOT rally", "entity:acme", 'quote:"we will win"', "speaker:jones",
    "police", '"trade talks"', "migrants~", "senat*", '"the border"~forms',
]


def _corpus(n: int, seed: int = 3) -> list[Article]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words = rng.choices(WORDS, k=rng.randint(40, 120))
        if i % 4 == 0:
            words += "the white house said the minister".split()
        out.append(art(f"a{i:03}", " ".join(words).capitalize() + ".", title=" ".join(rng.choices(WORDS, k=4))))
    return out


def _extra(changed: str = "") -> Mapping[str, Mapping[str, str]]:
    extras: dict[str, dict[str, str]] = {}
    for i in range(0, 60, 5):
        extras[f"a{i:03}"] = {"entity": "Acme Corp\nAcme", "quote": "we will win", "speaker": "Pat Jones"}
    if changed:
        extras[changed] = {"entity": "Other Group", "quote": "", "speaker": ""}
    return extras


def _answers(ix: CorpusIndex) -> dict[str, tuple[int, list[tuple[str, float]]]]:
    out = {}
    for q in QUERIES:
        r = ix.search(q, limit=1000)
        out[q] = (r.total, sorted((h.id, h.score) for h in r.hits))
    return out


def _same(got: Mapping[str, tuple[int, list[tuple[str, float]]]],
          want: Mapping[str, tuple[int, list[tuple[str, float]]]]) -> None:
    for q in QUERIES:
        assert got[q][0] == want[q][0], q
        assert got[q][1] == want[q][1], q  # the same ids, the same scores


def test_incremental_sync_equals_clean_build(tmp_path: Path) -> None:
    base = _corpus(60)
    extras0, extras1 = _extra(), _extra(changed="a010")
    touched = dataclasses.replace(base[7], text=base[7].text + " A new closing line about tariffs.",
                                  digest=base[7].digest + "-2")
    new = art("a999", "The minister said the border talks went well. The white house agreed.")
    after = [touched if a.id == touched.id else a for a in base if a.id != "a020"] + [new]
    with CorpusIndex.open(tmp_path / "inc") as ix:
        ix.sync(base, extra=lambda a: extras0.get(a.id, {}), extra_key="x0")
        stats = ix.sync(after, extra=lambda a: extras1.get(a.id, {}), extra_key="x1")
        assert (stats.added, stats.updated, stats.removed) == (1, 2, 1)  # a007's text, a010's extras
        got = _answers(ix)
    with CorpusIndex.open(tmp_path / "clean") as ix:
        ix.sync(after, extra=lambda a: extras1.get(a.id, {}), extra_key="x1")
        want = _answers(ix)
    _same(got, want)
    assert got['"the white house"'][0] > 10


def test_word_query_documents_from_postings_equal_whooshs_walk(tmp_path: Path) -> None:
    base = _corpus(40, seed=5)
    with CorpusIndex.open(tmp_path / "ix") as ix:
        ix.sync(base[:30])
        ix.sync(base[5:])  # deletions in the first segment, a second segment
        searcher = ix._get_searcher()
        for text in ("border", "minister talks", "tariff OR lawsuit", "court AND judge", "senate"):
            q = parse_query(text, searcher.schema)
            assert _term_docs(searcher, q) == sorted(searcher.docs_for_query(q)), text


def test_many_small_syncs_and_merges_equal_clean_build(tmp_path: Path) -> None:
    articles = _corpus(50, seed=9)
    with CorpusIndex.open(tmp_path / "inc") as ix:
        ix.sync(articles)
        for round_ in range(6):  # each a commit; Whoosh merges the small segments
            i = 3 + 7 * round_
            articles[i] = dataclasses.replace(articles[i], text=articles[i].text + " border court",
                                              digest=f"{articles[i].digest}-{round_}")
            articles = [a for a in articles if a.id != f"a{40 + round_:03}"]
            ix.sync(articles)
        got = _answers(ix)
    with CorpusIndex.open(tmp_path / "clean") as ix:
        ix.sync(articles)
        want = _answers(ix)
    _same(got, want)
