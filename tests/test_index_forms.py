"""Word forms, filters, sorting and facets of the index (issue #18, items 1-3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import art

from kazreader.index import CorpusIndex, QueryError, SortOrder

CORPUS = [
    art("t1", "Officials said a band of terrorists attacked the airport.", outlet="Daily Planet",
        date="2022-01-05", title="Airport attack"),
    art("t2", "A terrorist group was blamed; the attack was “terrorist” in nature.", outlet="Morning Star",
        date="2022-01-06", title="Blame"),
    art("t3", "The president was elected after the election was held.", outlet="Daily Planet",
        date="2022-01-07", title="Vote"),
    art("t4", "Bands of terrorists fled. Police said the band of terrorist fighters fled.",
        outlet="Evening Post", date="2022-01-09", title="Flight"),
    art("t5", "Nothing to see about terrorism here.", outlet="Evening Post", title="Undated"),
]
BY_ID = {a.id: a for a in CORPUS}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    ix = CorpusIndex.open(tmp_path_factory.mktemp("forms") / "ix")
    ix.sync(CORPUS, extra=lambda a: {"quote": "a band of terrorists" if a.id == "t1" else ""})
    yield ix
    ix.close()


def ids(ix: CorpusIndex, q: str, **kw: object) -> set[str]:
    return {h.id for h in ix.search(q, articles=BY_ID, **kw).hits}  # type: ignore[arg-type]


def test_bare_word_matches_forms_and_says_which(index):
    res = index.search("terrorist", articles=BY_ID)
    assert {h.id for h in res.hits} == {"t1", "t2", "t4"}
    by_id = {h.id: h for h in res.hits}
    assert by_id["t1"].matched == ["terrorists"]
    assert "terrorists" in by_id["t1"].snippet
    text = BY_ID["t1"].text
    assert [text[s:e] for s, e in by_id["t1"].spans] == ["terrorists"]
    assert by_id["t2"].to_json()["matched"] == ["terrorist"]
    # an exact match scores above a mere form
    order = [h.id for h in res.hits]
    assert order.index("t2") < order.index("t1")
    assert ids(index, "terrorists") == {"t1", "t2", "t4"}  # any form finds the others
    assert ids(index, "title:attacks") == {"t1"}


def test_stemmer_decides_forms(index):
    assert ids(index, "elect") == {"t3"}  # elected, election
    assert ids(index, "terrorism") == {"t5"}  # (the stemmer keeps it apart from terrorist)


def test_quoted_stays_exact_and_forms_relaxes(index):
    assert ids(index, '"terrorist"') == {"t2", "t4"}
    assert ids(index, '"band of terrorists"') == {"t1"}
    assert ids(index, '"band of terrorist"~forms') == {"t1", "t4"}
    hit = {h.id: h for h in index.search('"bands of terrorist"~forms', articles=BY_ID).hits}["t4"]
    assert hit.matched == ["Bands of terrorists", "band of terrorist"]
    assert ids(index, 'body:"band of terrorist"~forms') == {"t1", "t4"}
    assert ids(index, 'quote:"bands of terrorist"~forms') == {"t1"}
    assert ids(index, "quote:terrorist") == {"t1"}
    with pytest.raises(QueryError, match="~forms"):
        index.search('outlet:"daily planet"~forms')


def test_phrase_ignores_typography(index):
    assert ids(index, 'was "terrorist" in nature') == {"t2"}
    assert ids(index, "“terrorist in nature”") == {"t2"}


def test_filters(index):
    assert ids(index, "terrorist outlet:star") == {"t2"}
    assert ids(index, 'terrorist outlet:"evening post"') == {"t4"}
    assert ids(index, "terrorist date:2022-01-05..2022-01-06") == {"t1", "t2"}
    assert ids(index, "terrorist date:..2022-01-05") == {"t1"}
    assert ids(index, "terrorist date:2022-01-06..") == {"t2", "t4"}
    assert ids(index, "date:2022-01-07") == {"t3"}
    with pytest.raises(QueryError):
        index.search("date:..")
    assert ids(index, "terrorist", restrict={"t1", "t3"}) == {"t1"}
    assert ids(index, "", restrict={"t1", "t3"}) == {"t1", "t3"}


def test_sort_by_date(index):
    res = index.search("terrorist OR terrorism", articles=BY_ID, sort=SortOrder.DATE)
    assert [h.id for h in res.hits] == ["t1", "t2", "t4", "t5"]  # oldest first, undated last
    assert [h.id for h in index.search("terrorist", sort=SortOrder.DATE, limit=1).hits] == ["t1"]


def test_facets_count_every_match(index):
    res = index.search("terrorist OR elect", articles=BY_ID, limit=1)
    assert res.total == 4 and len(res.hits) == 1
    assert res.facets == {
        "outlet": {"Daily Planet": 2, "Morning Star": 1, "Evening Post": 1},
        "date": {"2022-01-05": 1, "2022-01-06": 1, "2022-01-07": 1, "2022-01-09": 1},
    }
    assert res.to_json()["facets"]["outlet"]["Daily Planet"] == 2
    phrase = index.search('"band of terrorist"~forms', limit=1)
    assert phrase.facets["outlet"] == {"Daily Planet": 1, "Evening Post": 1}


def test_facets_are_kept_per_segment_and_read_back_by_the_next_process(tmp_path: Path) -> None:
    """Each segment's outlets and days are stored once; another index object (another process)
    reads them instead of the stored documents, an edit's new segment gets its own file, the
    replaced segments' files go, and a damaged file is read around."""
    from dataclasses import replace

    from kazreader.index.store import FACETS_FOLDER

    a = art("a", "Police in the harbour town.", outlet="Daily Planet", date="2022-01-05")
    b = art("b", "The harbour police said.", outlet="Evening Post", date="2022-01-06")
    ix = CorpusIndex.open(tmp_path / "index")
    ix.sync([a, b])
    first = ix.search("harbour").facets
    assert first == {"outlet": {"Daily Planet": 1, "Evening Post": 1}, "date": {"2022-01-05": 1, "2022-01-06": 1}}
    folder = tmp_path / "index" / FACETS_FOLDER
    assert len(list(folder.glob("*.json"))) == 1
    ix.close()

    from whoosh.reading import SegmentReader

    def no_stored_reads(self: object) -> None:
        raise AssertionError("the stored documents were read")

    again = CorpusIndex.open(tmp_path / "index")
    saved = SegmentReader.iter_docs
    SegmentReader.iter_docs = no_stored_reads  # type: ignore[assignment,method-assign]
    try:
        assert again.search("harbour").facets == first
    finally:
        SegmentReader.iter_docs = saved  # type: ignore[method-assign]
    edited = replace(b, text=b.text + " Harbour again.", digest="b2", outlet="Morning Star")
    again.sync([a, edited])
    assert again.search("harbour").facets["outlet"] == {"Daily Planet": 1, "Morning Star": 1}
    files = list(folder.glob("*.json"))
    assert files and all(f.stem in {s.segment_id() for s in again._ix._segments()} for f in files)
    for f in files:
        f.write_text("{not json")
    again.close()
    third = CorpusIndex.open(tmp_path / "index")
    assert third.search("harbour").facets["outlet"] == {"Daily Planet": 1, "Morning Star": 1}
    third.close()
