"""The bulk segment writer writes exactly the index Whoosh's own writer writes."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import whoosh
import whoosh.writing
from whoosh import index as whoosh_index
from whoosh.codec import whoosh3

from kazreader.index import whooshfix
from kazreader.index.whooshfix import bulk
from kazreader.index.whooshfix.bulk import BulkSegmentWriter, ChildIndexingError, TermPool
from kazreader.index.whooshfix import SUPPORTED_WHOOSH
from kazreader.index.schema import build_schema

WORDS = "the strike harbour union police said city troops killed more than at least about".split()


@pytest.fixture(autouse=True)
def _whoosh_fixes_on() -> None:
    """The fixes are on, as an index opening turns them on (a test may have turned them off)."""
    assert whooshfix.enable()


def _docs(n: int, seed: int = 5) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    docs: list[dict[str, Any]] = []
    for i in range(n):
        doc: dict[str, Any] = {
            "id": f"d{i}",
            "digest": f"x{i}",
            "title": " ".join(rng.choices(WORDS, k=4)),
            "body": " ".join(rng.choices(WORDS, k=rng.randint(5, 60))) + f" rare{i}",
        }
        doc["body_pairs"] = doc["body"]
        if i % 3 == 0:
            doc["outlet"] = rng.choice(["Reuters", "The Guardian", "AP"])
            doc["date"] = datetime(2022, 1, 1 + i % 28)
        if i % 4 == 0:
            doc["quote"] = "we will restore order\nthe police said more"
        if i % 7 == 0:
            doc["body"] = ""  # an empty field: no postings, length 0
        docs.append(doc)
    return docs


def _dump(directory: Path) -> tuple[list[tuple], list[dict], list[tuple]]:
    """Every term with its statistics and postings, every stored document, every length."""
    ix = whoosh_index.open_dir(str(directory))
    terms = []
    with ix.searcher() as s:
        r = s.reader()
        for field, term in r.all_terms():
            info = r.term_info(field, term)
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                     info.max_weight())
            terms.append((field, term, stats, list(r.postings(field, term).all_items())))
        stored = [dict(f) for f in r.all_stored_fields()]
        lengths = [(f, r.field_length(f), r.min_field_length(f), r.max_field_length(f))
                   for f in ("title", "body", "quote")]
    ix.close()
    return terms, stored, lengths


def _build(directory: Path, bulk_writer: bool, batches: list[dict[str, Any]]) -> None:
    """Write *batches* (``add``: documents, ``delete``: ids, ``commit``: keywords), one writer each.

    ``bulk_writer=False`` is Whoosh's own writer (and posting pool) and length reader.
    """
    directory.mkdir()
    saved = whoosh3.W3PerDocReader.doc_field_length_reader
    if not bulk_writer:
        whoosh3.W3PerDocReader.doc_field_length_reader = bulk._whoosh_length_reader
    try:
        ix = whoosh_index.create_in(str(directory), build_schema())
        for batch in batches:
            w = BulkSegmentWriter(ix) if bulk_writer else whoosh.writing.SegmentWriter(ix)
            for doc_id in batch.get("delete", ()):
                w.delete_by_term("id", doc_id)
            for d in batch.get("add", ()):
                w.add_document(**d)
            w.commit(**batch.get("commit", {}))
        ix.close()
    finally:
        whoosh3.W3PerDocReader.doc_field_length_reader = saved


def _parts(docs: list[dict[str, Any]], n: int) -> list[list[dict[str, Any]]]:
    size = -(-len(docs) // n)
    return [docs[k : k + size] for k in range(0, len(docs), size)]


def test_same_index_as_whoosh(tmp_path: Path) -> None:
    docs = _docs(400)  # common words: terms with hundreds of postings, several blocks each
    _build(tmp_path / "whoosh", False, [{"add": docs}])
    _build(tmp_path / "bulk", True, [{"add": docs}])
    ours, theirs = _dump(tmp_path / "bulk"), _dump(tmp_path / "whoosh")
    assert max(len(p) for *_, p in ours[0]) > 2 * 128  # really several blocks
    assert {t[0] for t in ours[0]} >= {"title", "body", "body_pairs", "quote", "outlet", "date", "id"}
    assert ours == theirs


def test_a_term_index_past_64_kb_is_read_as_whoosh_writes_it(tmp_path: Path) -> None:
    """The term index's key positions outgrow 16-bit integers (Whoosh widens its array)."""
    docs = _docs(60)
    for i, doc in enumerate(docs):
        doc["body"] = " ".join(f"uniqueword{i}x{k}" for k in range(60)) + " " + doc["body"]
    _build(tmp_path / "whoosh", False, [{"add": docs}])
    _build(tmp_path / "bulk", True, [{"add": docs}])
    ours, theirs = _dump(tmp_path / "bulk"), _dump(tmp_path / "whoosh")
    assert len(ours[0]) > 3000
    assert ours == theirs


def test_merging_segments_goes_through_the_term_pool(tmp_path: Path) -> None:
    """Whoosh merges small segments at commit by re-adding their postings: same index."""
    docs = _docs(300, seed=8)
    batches: list[dict[str, Any]] = [{"add": part} for part in _parts(docs, 6)]
    batches.append({"delete": [d["id"] for d in docs[::17]], "commit": {"optimize": True}})
    _build(tmp_path / "whoosh", False, batches)
    _build(tmp_path / "bulk", True, batches)
    ix = whoosh_index.open_dir(str(tmp_path / "bulk"))
    assert len(ix._read_toc().segments) == 1 and ix.doc_count() == 300 - len(docs[::17])
    ix.close()
    assert _dump(tmp_path / "bulk") == _dump(tmp_path / "whoosh")


def test_children_write_one_segment_each(tmp_path: Path) -> None:
    docs = _docs(240, seed=3)
    (tmp_path / "bulk").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "bulk"), build_schema())
    w = BulkSegmentWriter(ix)
    seen: list[int] = []
    w.add_in_children(docs, 3, seen.append)
    w.commit(merge=False)
    segments = ix._read_toc().segments
    assert [s.doc_count_all() for s in segments] == [80, 80, 80]
    assert seen and max(seen) <= 240
    with ix.searcher() as s:  # in document order
        assert [f["id"] for f in s.all_stored_fields()] == [d["id"] for d in docs]
    ix.close()
    # the same as three commits of Whoosh's own writer
    _build(tmp_path / "whoosh", False, [{"add": part, "commit": {"merge": False}} for part in _parts(docs, 3)])
    assert _dump(tmp_path / "bulk") == _dump(tmp_path / "whoosh")


def test_a_failing_child_raises_and_nothing_is_committed(tmp_path: Path) -> None:
    docs = _docs(60)
    docs[45] = {**docs[45], "nosuchfield": "x"}  # Whoosh refuses it in the second child
    (tmp_path / "bulk").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "bulk"), build_schema())
    w = BulkSegmentWriter(ix)
    with pytest.raises(ChildIndexingError, match="nosuchfield"):
        w.add_in_children(docs, 2)
    w.cancel()
    assert ix.doc_count_all() == 0
    w = BulkSegmentWriter(ix)  # the lock was released
    w.add_in_children(docs[:40], 2)
    w.commit()
    assert ix.doc_count_all() == 40


def test_term_pool_sorts_postings_that_arrive_out_of_order() -> None:
    tp = TermPool()
    for docnum in (5, 2, 9, 1):
        tp.add(("body", b"word", docnum, float(docnum), b"v%d" % docnum))
    tp.add(("body", b"also", 3, 1.0, b""))
    tp.add(("title", b"t", 0, 1.0, b""))
    assert list(tp.iter_postings()) == [
        ("body", b"also", 3, 1.0, b""),
        ("body", b"word", 1, 1.0, b"v1"),
        ("body", b"word", 2, 2.0, b"v2"),
        ("body", b"word", 5, 5.0, b"v5"),
        ("body", b"word", 9, 9.0, b"v9"),
        ("title", b"t", 0, 1.0, b""),
    ]
    assert tp.fieldnames == {"body", "title"}


def test_progress_is_reported_in_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "PROGRESS_EVERY", 10)
    (tmp_path / "bulk").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "bulk"), build_schema())
    w = BulkSegmentWriter(ix)
    seen: list[int] = []
    w.add_in_children(_docs(100), 2, seen.append)
    w.commit()
    assert len(seen) >= 8 and seen == sorted(seen) and seen[-1] == 100


def test_fast_length_reader_reads_what_whoosh_reads(tmp_path: Path) -> None:
    docs = _docs(300) + [{"id": "empty"}]
    _build(tmp_path / "ix", True, [{"add": docs}])
    ix = whoosh_index.open_dir(str(tmp_path / "ix"))
    with ix.reader() as r:
        pdr = r._perdoc
        for field in ("title", "body", "id", "quote"):
            ours = bulk.fast_length_reader(pdr, field)
            theirs = bulk._whoosh_length_reader(pdr, field)
            got = [ours(d) for d in range(len(docs) + 3)]
            assert got == [theirs(d) for d in range(len(docs) + 3)]
            if field == "body":
                assert len({n for n in got if n}) > 10  # real, varied lengths
    ix.close()


def test_install_only_on_the_pinned_whoosh(monkeypatch: pytest.MonkeyPatch) -> None:
    reader = whoosh3.W3PerDocReader
    assert whooshfix.enable() is True and reader.doc_field_length_reader is bulk.fast_length_reader
    monkeypatch.setattr(whoosh, "__version__", (9, 9, 9))
    assert whooshfix.enable() is False and not bulk.supported()
    assert reader.doc_field_length_reader is bulk._whoosh_length_reader
    monkeypatch.setattr(whoosh, "__version__", SUPPORTED_WHOOSH)
    assert whooshfix.enable() is True and reader.doc_field_length_reader is bulk.fast_length_reader


def test_another_whoosh_indexes_with_whoosh_own_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kazreader.index import CorpusIndex
    from kazreader.index import store

    from builders import art

    monkeypatch.setattr(whoosh, "__version__", (9, 9, 9))
    monkeypatch.setattr(store, "PARALLEL_MIN", 2)
    ix = CorpusIndex.open(tmp_path / "ix")  # (the one call that decides)
    assert not whooshfix.active() and store._procs(10) == 1
    writer = ix._acquire_writer(1.0)
    assert type(writer) is whoosh.writing.SegmentWriter
    writer.cancel()
    ix.sync([art("a", "alpha beta"), art("b", "beta gamma")])
    assert {h.id for h in ix.search("beta").hits} == {"a", "b"}
    ix.close()


def _build_and_search(directory: Path, articles: list[Any], queries: list[str]) -> tuple[list[Any], list[Any]]:
    """Every posting of an index of *articles*, and the hits of *queries* on it."""
    from kazreader.index import CorpusIndex

    ix = CorpusIndex.open(directory)
    ix.sync(articles)
    with ix._ix.reader() as reader:
        postings = [(f, t, list(reader.postings(f, t).items_as("positions")) if f == "body" else
                     list(reader.postings(f, t).all_ids())) for f, t in reader.all_terms()]
    hits = [[(h.id, round(h.score, 6), h.snippet, h.spans) for h in ix.search(q).hits] for q in queries]
    ix.close()
    return postings, hits


def test_an_unpinned_whoosh_is_plain_whoosh_everywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard's one answer turns every fix off, and plain Whoosh finds the same."""
    from whoosh.filedb.structfile import BufferFile

    from builders import art
    from kazreader.index.whooshfix import postings, zerocopy

    rng = random.Random(7)
    vocab = ["police", "said", "the", "of", "protest", "city", "killed", "to", "be", "or", "not"]
    articles = [art(f"d{i:02}", " ".join(rng.choice(vocab) for _ in range(rng.randrange(5, 400))))
                for i in range(40)]
    queries = ["police", '"police said"', '"to be or not"', "protest NOT city", "kill*", "polise~"]
    fixed = _build_and_search(tmp_path / "fixed", articles, queries)
    assert whooshfix.active()

    monkeypatch.setattr(whoosh, "__version__", (3, 55, 0))
    plain = _build_and_search(tmp_path / "plain", articles, queries)
    assert not whooshfix.active() and not bulk.supported()
    assert whoosh3.W3PerDocReader.doc_field_length_reader is bulk._whoosh_length_reader
    assert BufferFile.__init__ is zerocopy._whoosh_init
    assert plain == fixed
    from kazreader.index import CorpusIndex

    with CorpusIndex.open(tmp_path / "plain") as ix, ix._ix.reader() as reader:
        assert not postings.blockwise(reader.postings("body", b"police"))  # the search's guard too
    monkeypatch.undo()
    with CorpusIndex.open(tmp_path / "plain") as ix, ix._ix.reader() as reader:
        assert postings.blockwise(reader.postings("body", b"police"))
