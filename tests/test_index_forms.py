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
