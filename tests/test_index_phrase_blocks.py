"""Phrases read a block of postings at a time, and the decoded blocks kept between queries.

:func:`kazreader.index.whooshfix.postings.block_deltas` (positions unpickled a
block at a time), the patched ``_read_ids``/``_read_data`` (ids summed with
``accumulate``, large blocks kept decoded) and :func:`~kazreader.index.search._phrase_starts`
must give what Whoosh reads one posting at a time: the same documents, positions,
weights and scores, with the block cache cold or warm, with deleted documents, on
posting lists of many blocks (frequent words in more than 128 documents).
"""

from __future__ import annotations

import pickle
import random
import weakref
import zlib
from itertools import accumulate
from pathlib import Path

import pytest
from whoosh.query import Phrase, Term
from whoosh.util.numlists import delta_decode

from builders import art
from kazreader.index import CorpusIndex
from kazreader.index.search import PairedPhrase, _candidates, _with_pairs, parse_query
from kazreader.index.snippets import HitText, Marks, _key_word, find_spans
from kazreader.index.whooshfix import postings
from kazreader.text import tokenize

FREQUENT = "the of to a in and said that as well at end one white house statement".split()
RARE = "minister police protest fuel prices city officials election kazakhstan army".split()
PHRASES = [
    "the white house", "one of the", "as well as", "at the end of the", "in a statement",
    "of the", "the the", "said that the", "white house said", "the police", "a the of",
    "to the city", "the end", "end of the end", "house of the white house",
]


def _text(rng: random.Random) -> str:
    words = [rng.choice(FREQUENT) if rng.random() < 0.8 else rng.choice(RARE) for _ in range(rng.randrange(20, 160))]
    return " ".join(words)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    rng = random.Random(5)
    arts = [art(f"p{i:04}", _text(rng), title=_text(rng)[:40]) for i in range(600)]
    ix = CorpusIndex.open(tmp_path_factory.mktemp("phrases") / "ix")
    ix.sync(arts)
    ix.sync([a for i, a in enumerate(arts) if i % 7])  # (deleted documents in the segments)
    yield ix
    ix.close()


def _leaves(ix: CorpusIndex) -> list:
    return [leaf for leaf, _ in ix._get_searcher().leaf_searchers()]


def _brute(ix: CorpusIndex, words: list[str]) -> set[str]:
    """The ids of the articles whose body holds *words* in a row (the stored texts regenerated)."""
    searcher = ix._get_searcher()
    found = set()
    for docnum in searcher.docs_for_query(Phrase("body", words)):
        found.add(searcher.stored_fields(docnum)["id"])
    return found


@pytest.mark.parametrize("cold", [True, False])
def test_paired_phrases_find_whooshs_documents_and_the_generic_scores(index: CorpusIndex, cold: bool) -> None:
    searcher = index._get_searcher()
    to_pairs = _with_pairs(searcher.schema)
    for text in PHRASES:
        words = text.split()
        fast = to_pairs(Phrase("body", words))
        assert isinstance(fast, PairedPhrase)
        want_ids = _brute(index, words)
        got_ids = set()
        for leaf, offset in searcher.leaf_searchers():
            if cold:
                postings.clear_block_cache()
            docs, scores = fast.find(leaf, searcher.context())
            # the one-document-at-a-time path (Whoosh's matchers, seek and positions per posting)
            matchers = [Term("body", w).matcher(leaf, searcher.context()) for w in words]
            keys = [("body", w.encode()) for w in words] + [("body_pairs", p.encode()) for p in fast.pairs]
            reader = leaf.reader()
            slow = fast._find_by_document(_candidates(reader, keys) if all(k in reader for k in keys) else [], matchers)
            assert (docs, scores) == slow, text
            got_ids |= {leaf.stored_fields(d)["id"] for d in docs}
        assert got_ids == want_ids, text


def test_block_deltas_are_the_positions_and_weights_read_one_by_one(index: CorpusIndex) -> None:
    rng = random.Random(9)
    for leaf in _leaves(index):
        reader = leaf.reader()
        size = reader.doc_count_all()
        for word in ["the", "of", "white", "minister", "end"]:
            if ("body", word.encode()) not in reader:
                continue
            for share in (1.0, 0.5, 0.05):
                wanted = sorted(rng.sample(range(size), int(size * share)))
                postings.clear_block_cache()
                fast = []
                for docs, gaps, weights in postings.block_deltas(reader.postings("body", word.encode()), wanted):
                    fast += [(d, list(accumulate(g)), w) for d, g, w in zip(docs, gaps, weights)]
                slow = [
                    (d, list(p), w)
                    for d, p, w in postings.visit_positions(reader.postings("body", word.encode()), wanted)
                ]
                assert fast == slow, (word, share)
                assert len(fast) > 0 or share < 1


def test_deltas_of_values_of_another_shape_are_unpickled_one_by_one() -> None:
    count = (3).to_bytes(4, "big")
    plain = count + pickle.dumps([4, 1, 7], 2)
    unterminated = plain[:-1]  # (a value without its pickle's STOP)
    other = count + pickle.dumps([2, 2, 2], 4)  # (another protocol: not joined)
    single = (1).to_bytes(4, "big") + pickle.dumps([300], 2)
    for values in ([plain, single], [plain, unterminated], [other, plain], [unterminated], [single, other, plain]):
        want = [pickle.loads(v[4:] if v.endswith(b".") else v[4:] + b".") for v in values]
        assert postings._deltas_of(list(values), pickle.loads) == want


def test_read_ids_are_whooshs(index: CorpusIndex) -> None:
    for leaf in _leaves(index):
        reader = leaf.reader()
        for word in ["the", "of", "white", "minister"]:
            if ("body", word.encode()) not in reader:
                continue
            m = postings.unfiltered(reader.postings("body", word.encode()))
            blocks = 0
            while m.is_active():
                m._read_ids()
                raw = pickle.loads(_raw_block(m))
                assert m._ids == tuple(delta_decode(raw[0])), word
                m._next_block()
                blocks += 1
            assert blocks >= 1


def _raw_block(m) -> bytes:
    data = m._postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
    return zlib.decompress(data) if m._compression else data


def test_results_are_the_same_with_the_block_cache_cold_warm_or_tiny(index: CorpusIndex, monkeypatch) -> None:
    queries = [f'"{p}"' for p in PHRASES] + ["white", "minister", "the", "white house", "title:end"]

    def answers() -> list:
        return [index.search(q, limit=10).to_json() for q in queries]

    monkeypatch.setattr(postings, "BLOCK_CACHE_MIN", 0)  # (this index's blocks are small: keep them all)
    postings.clear_block_cache()
    cold = answers()
    assert postings._BLOCKS._size > 0
    assert answers() == cold  # warm
    monkeypatch.setattr(postings, "BLOCK_CACHE_BYTES", 5000)
    postings.clear_block_cache()
    assert answers() == cold
    assert postings._BLOCKS._size <= 5000


class _File:
    """A stand-in for a postings file (weakly referable)."""


def test_block_cache_forgets_the_oldest_and_never_answers_for_another_file(monkeypatch) -> None:
    monkeypatch.setattr(postings, "BLOCK_CACHE_BYTES", 100)
    cache = postings._BlockCache()
    a, b = _File(), _File()
    cache.put(a, 0, "a0", 40)
    cache.put(a, 8, "a8", 40)
    assert cache.get(a, 0) == "a0"  # (now the most recent)
    cache.put(b, 0, "b0", 40)
    assert cache.get(a, 8) is None and cache.get(a, 0) == "a0" and cache.get(b, 0) == "b0"
    assert cache.get(b, 8) is None
    cache.put(a, 16, "too big", 101)
    assert cache.get(a, 16) is None
    # an entry under the number of a file that is gone is not another file's
    cache._items[(id(b), 24)] = (weakref.ref(a), "a's", 1)
    assert cache.get(b, 24) is None


def test_a_hits_phrase_is_looked_for_by_its_rarest_word_with_the_same_spans() -> None:
    assert _key_word(("at", "the", "end", "of", "the")) == "end"
    assert _key_word(("one", "of", "the")) == "one"
    assert _key_word(("one", "of", "us")) == "one"  # (a word too short to look for is the last choice)
    assert _key_word(("the", "white", "house")) == "white"
    rng = random.Random(4)
    for _ in range(200):
        text = " ".join(rng.choice(FREQUENT + ["There", "other", "theme", "The,", "end."]) for _ in range(80))
        phrase = tuple(rng.choice(PHRASES).split())
        marks = Marks(phrases={phrase})
        tokens = tokenize(text)
        assert HitText(marks)(text)[0] == find_spans(tokens, (), [phrase]), (phrase, text)


def test_day_facets_are_every_days_count_in_date_order(tmp_path: Path) -> None:
    rng = random.Random(8)
    days = [f"2022-{m:02}-{d:02}" for m in (1, 2, 11) for d in (1, 9, 10, 28)]
    arts = [art(f"f{i:03}", _text(rng), date=rng.choice(days + [None]), outlet=rng.choice(["A", "B", None]))
            for i in range(300)]
    with CorpusIndex.open(tmp_path / "ix") as ix:
        ix.sync(arts)
        for q in ['"the white house"', "white", "minister OR police", '"of the"']:
            result = ix.search(q, limit=5)
            searcher = ix._get_searcher()
            want: dict[str, int] = {}
            for docnum in searcher.docs_for_query(parse_query(q, searcher.schema)):
                date = searcher.stored_fields(docnum).get("date")
                if date:
                    want[date.date().isoformat()] = want.get(date.date().isoformat(), 0) + 1
            assert list(result.facets["date"].items()) == sorted(want.items()), q
            assert sum(result.facets["date"].values()) == sum(want.values())
