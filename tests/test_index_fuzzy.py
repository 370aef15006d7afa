"""Fuzzy terms of a many-segment index: the same words as Whoosh's own walk, in the same order."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import fields, index
from whoosh.reading import MultiReader

from kazreader.index import whooshfix
from kazreader.index.whooshfix import fuzzy


@pytest.fixture(autouse=True)
def _whoosh_fixes_on() -> None:
    assert whooshfix.enable()


def _reader(tmp_path: Path, batches: list[list[str]]) -> MultiReader:
    """A reader over one segment per batch of texts (committed apart, never merged)."""
    schema = fields.Schema(body=fields.TEXT(), title=fields.TEXT(stored=True))
    ix = index.create_in(str(tmp_path), schema)
    for batch in batches:
        w = ix.writer()
        for text in batch:
            w.add_document(body=text, title=text.split(" ", 1)[0])
        w.commit(merge=False)
    reader = ix.reader()
    assert isinstance(reader, MultiReader) and len(reader.readers) == len(batches)
    return reader


def test_same_words_as_whoosh_for_every_distance_and_prefix(tmp_path: Path) -> None:
    rng = random.Random(11)
    # a small alphabet makes many near neighbours: transpositions, insertions, deletions, substitutions
    vocab = sorted({"".join(rng.choice("abcdé") for _ in range(rng.randint(1, 7))) for _ in range(400)})
    vocab += ["clinton", "clintons", "clniton", "klinton", "tokayev", "tokaev", "tokayevs", "naïve", "naive"]
    texts = [" ".join(rng.choice(vocab) for _ in range(12)) for _ in range(90)]
    reader = _reader(tmp_path, [texts[:30], texts[30:60], texts[60:]])
    probes = ["clinton", "tokayev", "naive", "abc", "", "é", *rng.sample(vocab, 40)]
    for word in probes:
        for maxdist in (0, 1, 2):
            for prefix in (0, 1, 2):
                for field in ("body", "title"):
                    ours = list(fuzzy.terms_within(reader, field, word, maxdist, prefix))
                    theirs = list(fuzzy._whoosh_terms_within(reader, field, word, maxdist, prefix))
                    assert ours == theirs, (word, maxdist, prefix, field)
    assert "clniton" in fuzzy.terms_within(reader, "body", "clinton", 1, 0)  # (a transposition is one edit)


def test_the_installed_reader_method_is_ours_only_while_the_fixes_are_on(tmp_path: Path) -> None:
    reader = _reader(tmp_path, [["alpha beta"], ["alpah gamma"]])
    assert list(reader.terms_within("body", "alpha", 1)) == ["alpah", "alpha"]
    whooshfix.disable()
    try:
        assert MultiReader.terms_within is fuzzy._whoosh_terms_within
        assert list(reader.terms_within("body", "alpha", 1)) == ["alpah", "alpha"]
    finally:
        assert whooshfix.enable()
    assert MultiReader.terms_within is fuzzy.terms_within
