"""Bounded memo caches emptied between steps (kazreader/memos.py)."""

from __future__ import annotations

from kazreader.analysis.gazetteer import name_key
from kazreader.analysis.quotes.lexicon import lexicon
from kazreader.memos import clear_memos


def test_bounded_memos_are_emptied_and_word_lists_kept() -> None:
    assert name_key("the CSTO's") == "csto"
    lexicon()
    assert name_key.cache_info().currsize >= 1 and lexicon.cache_info().currsize == 1
    assert clear_memos() >= 1
    assert name_key.cache_info().currsize == 0
    assert lexicon.cache_info().currsize == 1  # (read once from its data file: kept)
    assert name_key("C.S.T.O.") == "csto"  # and still answers
