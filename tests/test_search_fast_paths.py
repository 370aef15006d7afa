"""The search's fast paths give exactly what Whoosh's own collectors gave.

Phrases are collected straight from the phrase matchers (top hits from a heap),
and words' totals and facets come from posting lists: the hits, their scores
and order, the totals and the facets must equal the plain path's, on an index
of several segments with a replaced document (deleted postings), for phrases,
bare and fielded, ``~forms``, words, and mixed queries.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from kazreader.corpus.model import Article
from kazreader.index import CorpusIndex
from kazreader.index import search as search_module
from kazreader.text import word_norms

ABP = Path(__file__).parents[1] / ".." / "shared" / "corpora" / "abp-dev"
SEEDS = Path(__file__).parents[1] / "seeds"


def _articles() -> list[Article]:
    from kazreader.corpus.loader import load_corpus

    folders = sorted(ABP.iterdir())[:1] if ABP.is_dir() else []
    return list(load_corpus([SEEDS, *folders]).articles)


def _queries(articles: list[Article]) -> list[str]:
    rng = random.Random(5)
    out = ['"the white house"', '"the president"', '"of the"', "title:\"the\"", '"said the"~forms',
           "police", "title:police", "police OR protest", "police NOT protest", '"the police" protest',
           "protesters~forms", '"police officers"~forms', "presid*", "date:..2019-01-01 police"]
    for _ in range(12):
        words = [w for w in word_norms(rng.choice(articles).text) if w.isalpha()]
        if len(words) > 6:
            i = rng.randrange(len(words) - 4)
            out.append('"' + " ".join(words[i : i + rng.randrange(2, 5)]) + '"')
            out.append(rng.choice(words))
            out.append(f'body:"{words[i]} {words[i + 1]}"')
    return out


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> tuple[CorpusIndex, dict[str, Article]]:
    articles = _articles()
    ix = CorpusIndex.open(tmp_path_factory.mktemp("fast") / "index")
    half = len(articles) // 2
    ix.sync(articles[:half])  # (two segments, and a replaced document: deleted postings)
    changed = replace(articles[0], text=articles[0].text + " The white house said the police.", digest="changed")
    ix.sync([changed, *articles[1:]])
    return ix, {a.id: a for a in [changed, *articles[1:]]}


def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "_phrase_parts", lambda q: None)
    monkeypatch.setattr(search_module, "_word_scores", lambda searcher, q: None)


@pytest.mark.parametrize("limit", [7])
def test_fast_paths_equal_the_plain_ones(index, monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    ix, by_id = index
    queries = _queries(list(by_id.values()))
    used = []
    word_scores = search_module._word_scores
    monkeypatch.setattr(search_module, "_word_scores", lambda s, q: used.append(word_scores(s, q)) or used[-1])
    fast = [ix.search(q, limit=limit, articles=by_id) for q in queries]
    assert sum(u is not None for u in used) >= 5  # (the words took the fast path)
    _plain(monkeypatch)
    plain = [ix.search(q, limit=limit, articles=by_id) for q in queries]
    assert sum(r.total > 0 for r in plain) > len(queries) // 2
    for q, a, b in zip(queries, fast, plain):
        assert a.total == b.total, q
        assert [(h.id, h.score, h.snippet, h.spans) for h in a.hits] == [(h.id, h.score, h.snippet, h.spans) for h in b.hits], q
        assert list(a.facets["outlet"].items()) == list(b.facets["outlet"].items()), q
        assert list(a.facets["date"].items()) == list(b.facets["date"].items()), q


def test_field_lengths_read_at_once_equal_whooshs_per_document_lengths(index) -> None:
    from kazreader.index.whooshfix import postings

    ix, _by_id = index
    with ix._ix.searcher() as searcher:
        leaves = searcher.leaf_searchers()
        assert len(leaves) >= 2
        for leaf, _offset in leaves:
            reader = leaf.reader()
            for field in ("body", "title", "title_forms", "body_forms"):
                column = postings.field_lengths(reader, field)
                if field not in reader.schema:
                    continue
                assert column is not None, field
                assert column is postings.field_lengths(reader, field)  # (read once per segment)
                for doc in range(reader.doc_count_all()):
                    assert column[doc] == reader.doc_field_length(doc, field, 1) or (
                        column[doc] is None and reader.doc_field_length(doc, field, 1) is None), (field, doc)
