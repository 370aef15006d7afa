"""Tests of the scale work: fast indexing path, corpus pair words, phrase
candidates, parallel indexing and Workspace.ingest (no timings: behaviour only)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import fields, formats
from whoosh.system import pack_uint

from builders import art
from kazreader.corpus.model import Article
from kazreader.index import CorpusIndex, whooshfix
from kazreader.index import store as store_mod
from kazreader.index.analyzers import (
    COMMON_WORDS,
    frequent_words,
    pair_analyzer,
    pair_term,
    term_columns,
    word_analyzer,
    word_pairs,
)
from kazreader.index.schema import KazText
from kazreader.text import tokenize, word_norms

TEXTS = [
    "Kazakhstan’s Khabar–24 said “to be or not to be”. Straße İstanbul ß 1,000.5 O'Brien",
    "line one\nline two words\n\nthe of the of",
    "",
    "   ",
]


@pytest.mark.parametrize("text", TEXTS)
def test_word_norms_equal_token_norms(text: str) -> None:
    assert word_norms(text) == [t.norm for t in tokenize(text)]


@pytest.mark.parametrize("phrase", [True, False])
@pytest.mark.parametrize(
    "analyzer",
    [word_analyzer(), word_analyzer(100), pair_analyzer(), pair_analyzer(100),
     pair_analyzer(0, COMMON_WORDS | {"kazakhstan's", "khabar"})],
)
def test_fast_field_postings_equal_plain_text_field(analyzer, phrase: bool) -> None:
    fast = KazText(analyzer=analyzer, phrase=phrase)
    plain = fields.TEXT(analyzer=analyzer, phrase=phrase)
    for text in TEXTS:
        assert sorted(fast.index(text)) == sorted(plain.index(text))


@pytest.mark.parametrize("analyzer", [word_analyzer(), pair_analyzer(), pair_analyzer(100),
                                      pair_analyzer(0, COMMON_WORDS | {"kazakhstan's", "khabar"})])
def test_presence_field_postings_equal_an_existence_text_field(analyzer) -> None:
    assert whooshfix.enable()  # (the fast path is on only with the fixes, as an opened index has them)
    fast = KazText(analyzer=analyzer, phrase=False, presence=True)
    plain = fields.TEXT(analyzer=analyzer, phrase=False)
    plain.format = formats.Existence()
    assert not fast.scorable and isinstance(fast.format, formats.Existence)
    for text in TEXTS:
        assert sorted(fast.index(text)) == sorted(plain.index(text))
    terms, freqs, values = fast.index_columns(TEXTS[1] + " the of the of")
    assert terms and len(set(terms)) == len(terms)
    assert freqs == [1] * len(terms) and values == [b""] * len(terms)


def test_term_columns_equal_grouped_positions() -> None:
    rng = random.Random(5)
    for n in (0, 1, 2, 50, 700):
        words = [rng.choice("abcdefghij") * rng.randint(1, 2) for _ in range(n)]
        grouped: dict[str, list[int]] = {}
        for pos, w in enumerate(words):
            grouped.setdefault(w, []).append(pos)
        terms, freqs, values = term_columns(words)
        assert terms == list(grouped)
        assert freqs == [len(v) for v in grouped.values()]
        assert values == [formats.Positions().encode(v) for v in grouped.values()]
        positions = [3 * i + 7 for i in range(n)]  # given positions
        terms, freqs, values = term_columns(words, positions)
        assert values == [formats.Positions().encode([3 * p + 7 for p in v]) for v in grouped.values()]
        terms, freqs, values = term_columns(words, positional=False)
        assert (terms, freqs) == (list(grouped), [len(v) for v in grouped.values()])
        assert values == [pack_uint(len(v)) for v in grouped.values()]


def test_word_pairs_use_the_given_pair_words() -> None:
    words = ["the", "police", "said", "on", "friday"]
    assert word_pairs(words) == [pair_term("said", "on")]
    more = COMMON_WORDS | {"police", "friday"}
    assert word_pairs(words, more) == [
        pair_term("the", "police"), pair_term("police", "said"),
        pair_term("said", "on"), pair_term("on", "friday"),
    ]
    assert pair_term("a", "b") == pair_term("a", "b") != pair_term("b", "a")


def test_frequent_words_are_the_corpus_own() -> None:
    texts = ["Almaty protest police"] * 9 + ["Almaty calm"] + ["rare word here"] * 10
    words = frequent_words(texts, min_df=0.4)
    assert {"almaty", "protest", "police", "rare", "word", "here"} <= words
    assert "calm" not in words
    assert COMMON_WORDS <= words
    assert frequent_words([]) == COMMON_WORDS


def test_frequent_words_of_a_large_corpus_are_counted_on_an_even_sample() -> None:
    # "early" is in the first half only, "late" in the second: a sample of the
    # first texts would keep only one of them, an even one finds both at 50 %
    texts = [f"early text{i}" for i in range(3000)] + [f"late text{i}" for i in range(3000)]
    words = frequent_words(texts, min_df=0.4, sample=100)
    assert {"early", "late"} <= words and "text7" not in words
    assert frequent_words(texts, min_df=0.6, sample=100) == COMMON_WORDS


def _corpus(n: int, seed: int = 3) -> list[Article]:
    """Articles where a few content words are in nearly every article."""
    rng = random.Random(seed)
    frequent = ["protesters", "police", "almaty", "government", "city", "fuel"]
    rare = [f"word{k}" for k in range(400)]
    out = []
    for i in range(n):
        words = [rng.choice(frequent) if rng.random() < 0.5 else rng.choice(rare) for _ in range(60)]
        out.append(art(f"d{i:04}", " ".join(words)))
    return out


def _brute_force(articles: list[Article], phrase: list[str]) -> set[str]:
    found = set()
    for a in articles:
        norms = word_norms(a.text)
        k = len(phrase)
        if any(norms[i : i + k] == phrase for i in range(len(norms) - k + 1)):
            found.add(a.id)
    return found


def test_large_first_sync_picks_pair_words_and_phrases_stay_exact(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store_mod, "PAIR_WORDS_MIN", 50)
    arts = _corpus(120)
    ix = CorpusIndex.open(tmp_path / "ix")
    ix.sync(arts)
    saved = (tmp_path / "ix" / "pairwords.json").read_text()
    assert '"police"' in saved and '"almaty"' in saved
    rng = random.Random(9)
    for _ in range(25):
        a = rng.choice(arts)
        norms = word_norms(a.text)
        k = rng.randint(2, 4)
        i = rng.randrange(len(norms) - k)
        phrase = norms[i : i + k]
        result = ix.search('"' + " ".join(phrase) + '"', limit=500)
        assert {h.id for h in result.hits} == _brute_force(arts, phrase)
        assert result.total == len(result.hits)
    # reopening keeps the same pair words; a later small sync uses them too
    ix.close()
    ix = CorpusIndex.open(tmp_path / "ix")
    extra = art("zz", "police almaty fuel city police almaty")
    ix.sync([*arts, extra])
    want = _brute_force([*arts, extra], ["fuel", "city", "police", "almaty"])
    assert "zz" in want
    assert {h.id for h in ix.search('"fuel city police almaty"', limit=500).hits} == want
    ix.close()


def test_other_process_pair_words_are_picked_up(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store_mod, "PAIR_WORDS_MIN", 50)
    arts = _corpus(80)
    late = CorpusIndex.open(tmp_path / "ix")  # opened before the words were chosen
    first = CorpusIndex.open(tmp_path / "ix")
    first.sync(arts)
    extra = art("zz", "police almaty fuel city")
    late.sync([*arts, extra])
    want = _brute_force([*arts, extra], ["almaty", "fuel", "city"])
    assert "zz" in want
    for ix in (first, late):
        assert {h.id for h in ix.search('"almaty fuel city"', limit=500).hits} == want
    first.close()
    late.close()


def test_choosing_pair_words_never_leaves_the_index_unreadable(tmp_path: Path, monkeypatch) -> None:
    """Another process reading while the words are chosen always finds an index.

    (Recreating the index deleted its table of contents before writing a new
    one; a second process reading in between failed with "Index 'MAIN' does
    not exist", which CI caught once in the two-process test.)
    """
    from whoosh import index as whoosh_index
    from whoosh.filedb.filestore import FileStorage

    monkeypatch.setattr(store_mod, "PAIR_WORDS_MIN", 50)
    arts = _corpus(80)
    ix = CorpusIndex.open(tmp_path / "ix")
    seen: list[str] = []

    def readable(op: str) -> None:
        other = whoosh_index.open_dir(str(tmp_path / "ix"), indexname="MAIN")
        with other.reader() as reader:
            reader.doc_count_all()
        seen.append(op)

    for name in ("delete_file", "rename_file", "create_file"):
        original = getattr(FileStorage, name)

        def spy(self, *args, _original=original, _name=name, **kwargs):
            result = _original(self, *args, **kwargs)
            if "MAIN" in str(args[0]):
                readable(_name)
            return result

        monkeypatch.setattr(FileStorage, name, spy)
    ix._choose_pair_words([a.text for a in arts])
    assert "rename_file" in seen  # the new table of contents was written…
    assert (tmp_path / "ix" / "pairwords.json").exists()  # …and the words chosen
    ix.sync(arts)
    assert len(ix) == 80
    ix.close()


def test_choosing_pair_words_waits_for_no_writer(tmp_path: Path, monkeypatch) -> None:
    """A process writing with the current schema keeps it: nobody changes it underneath."""
    monkeypatch.setattr(store_mod, "PAIR_WORDS_MIN", 50)
    arts = _corpus(80)
    ix = CorpusIndex.open(tmp_path / "ix")
    writer = CorpusIndex.open(tmp_path / "ix")._ix.writer()
    ix._choose_pair_words([a.text for a in arts])
    assert not (tmp_path / "ix" / "pairwords.json").exists()
    writer.cancel()
    ix.sync(arts)  # now free: chooses and writes
    assert (tmp_path / "ix" / "pairwords.json").exists() and len(ix) == 80
    ix.close()


def test_parallel_index_build_matches_serial(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store_mod, "PARALLEL_MIN", 50)
    monkeypatch.setattr(store_mod, "PAIR_WORDS_MIN", 50)
    monkeypatch.setenv("KAZREADER_INDEX_PROCS", "2")
    arts = _corpus(150, seed=5)
    assert store_mod._procs(150) == 2
    par = CorpusIndex.open(tmp_path / "par")
    par.sync(arts)
    monkeypatch.setenv("KAZREADER_INDEX_PROCS", "1")
    ser = CorpusIndex.open(tmp_path / "ser")
    ser.sync(arts)
    assert len(par) == len(ser) == 150
    for q in ['"police almaty"', "word17", '"fuel city"', "word3*", "police AND NOT fuel"]:
        a, b = par.search(q, limit=200), ser.search(q, limit=200)
        assert a.total == b.total
        assert {h.id for h in a.hits} == {h.id for h in b.hits}
    par.close()
    ser.close()


def test_workspace_ingest_computes_everything_once(tmp_path: Path) -> None:
    from kazreader.workspace import Workspace

    root = Path(__file__).resolve().parents[1] / "seeds"
    ws = Workspace([root], cache_dir=tmp_path / "cache")
    steps = ws.ingest(processes=2)
    assert {"figures", "clusters", "entities", "quotes", "index"} <= set(steps)
    entities, quotes = ws.entities(), ws.quotes()
    ws.close()
    # a fresh workspace reads every analysis from the cache: same results
    again = Workspace([root], cache_dir=tmp_path / "cache")
    assert again.entities() == entities
    assert again.quotes() == quotes
    assert again.search('"state of emergency"').total >= 1
    again.close()


@pytest.mark.parametrize("text", TEXTS)
def test_tokenize_builds_real_tokens(text: str) -> None:
    import re

    from kazreader.text import Token, fold_chars

    word = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:['\u2019\u02bc]\w+)*")
    want = [(m.group().casefold(), m.start(), m.end()) for m in word.finditer(fold_chars(text))]
    got = tokenize(text)
    assert [tuple(t) for t in got] == want
    assert all(type(t) is Token for t in got)
    if got:
        assert (got[0].norm, got[0].start, got[0].end) == want[0]


def test_token_columns_are_the_tokens_columns() -> None:
    from kazreader.text import token_columns, tokenize

    for text in [*TEXTS, "İstanbul’s 1,000.5 — O’Brien\u00a0said", "   ", "ß"]:
        tokens = tokenize(text)
        assert token_columns(text) == (
            tuple(t.norm for t in tokens), tuple(t.start for t in tokens), tuple(t.end for t in tokens)
        )
