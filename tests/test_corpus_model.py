"""Articles keep their paragraph spans compactly and still read like a tuple of pairs."""

from __future__ import annotations

import pickle
import sys

import pytest

from kazreader.corpus.model import Article, Spans

TEXT = "First paragraph.\n\nSecond one.\n\nThird."
PARAS = ((0, 16), (18, 29), (31, 37))


def test_spans_read_like_the_tuple_they_replace() -> None:
    spans = Spans(PARAS)
    assert len(spans) == 3 and list(spans) == list(PARAS)
    assert spans[0] == (0, 16) and spans[-1] == (31, 37) and spans[1:] == PARAS[1:]
    assert spans == PARAS and spans == list(PARAS) and spans != PARAS[:2]
    assert hash(spans) == hash(PARAS) and repr(spans) == repr(PARAS)
    assert [s for s, _e in spans] == [0, 18, 31]
    with pytest.raises(IndexError):
        spans[3]
    assert not Spans() and len(Spans()) == 0


def test_an_article_converts_its_paragraphs_and_compares_as_before() -> None:
    a = Article(id="a", path="a.txt", text=TEXT, paragraphs=PARAS)
    b = Article(id="a", path="a.txt", text=TEXT, paragraphs=list(PARAS))
    assert isinstance(a.paragraphs, Spans) and a.paragraphs == PARAS
    assert a == b and hash(a) == hash(b)
    assert a.paragraph_texts() == ["First paragraph.", "Second one.", "Third."]
    assert a.to_json()["paragraphs"][1] == {"start": 18, "end": 29}
    assert pickle.loads(pickle.dumps(a)) == a


def test_bytes_round_trip_and_damage() -> None:
    spans = Spans(PARAS)
    assert Spans.from_bytes(spans.to_bytes()) == spans
    with pytest.raises(ValueError):
        Spans.from_bytes(spans.to_bytes()[:-1])


def test_spans_are_much_smaller_than_a_tuple_of_pairs() -> None:
    many = tuple((k * 1000, k * 1000 + 900) for k in range(12))

    def size_of_tuple(t: tuple) -> int:
        return sys.getsizeof(t) + sum(sys.getsizeof(p) + sys.getsizeof(p[0]) + sys.getsizeof(p[1]) for p in t)

    compact = sys.getsizeof(Spans(many)) + sys.getsizeof(Spans(many)._flat)
    assert compact * 4 < size_of_tuple(many)
