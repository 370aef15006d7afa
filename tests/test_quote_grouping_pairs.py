"""The grouping's fast pair search finds exactly the pairs, and so the groups, of the plain one.

The reference below is the grouping's earlier code, kept verbatim: every candidate pair
of the blocks (texts sharing one of their rarest words, or a word and a speaker)
compared in Python. The fast search (:func:`grouping._matching_pairs`) compares
them in C behind a cutoff that no matching pair fails; both must give the same
matching pairs with the same scores, and :func:`group_quotes` the same groups.
"""

from __future__ import annotations

import gzip
import json
import random
import zlib
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from rapidfuzz.distance import LCSseq

from kazreader.analysis.quotes import Quote, find_quote_spans, group_quotes, normalise_quote
from kazreader.analysis.quotes import grouping as G
from kazreader.corpus.model import Article
from kazreader.text import fold, sanitize

ABP_10K = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "abp-10k"


def _old_candidate_pairs(contents: Sequence[set[str]], speakers: Sequence[set[str]]) -> Iterable[tuple[int, int]]:
    df: dict[str, int] = defaultdict(int)
    for c in contents:
        for t in c:
            df[t] += 1
    postings: dict[Any, list[int]] = defaultdict(list)
    keys_of: list[list[Any]] = []
    for i, c in enumerate(contents):
        shared = sorted((t for t in c if df[t] > 1), key=lambda t: (df[t], t))
        keys: list[Any] = shared[: G.BLOCK_KEYS]
        for who in {fold(sp).split()[-1] for sp in speakers[i] if sp.strip()}:
            keys.extend((who, t) for t in shared)
        for key in keys:
            postings[key].append(i)
        keys_of.append(keys)
    for i, keys in enumerate(keys_of):
        partners: set[int] = set()
        for key in keys:
            ids = postings[key]
            if len(ids) <= G.BLOCK_MAX_DF:
                partners.update(ids[bisect_right(ids, i):])
        for j in sorted(partners):
            yield i, j


def _old_compare(a: Sequence[str], b: Sequence[str], ca: set[str], cb: set[str]) -> tuple[float, float, bool]:
    shared = len(ca & cb)
    if not ca or not cb or not shared:
        return 0.0, 0.0, False
    short, short_c = (a, ca) if len(a) <= len(b) else (b, cb)
    content_contained = shared / len(short_c)
    enough_shared = shared >= G.SHARED_CONTENT * max(len(ca), len(cb))
    if not enough_shared and content_contained < min(G.CONTAIN_SAME_SPEAKER, G.CONTAIN_MIN):
        return 0.0, 0.0, False
    lcs = LCSseq.similarity(a, b)
    sim = 2 * lcs / (len(a) + len(b))
    contain = lcs / len(short)
    scores = []
    for same_speaker in (True, False):
        floor = G.CONTAIN_SAME_SPEAKER if same_speaker and len(short) >= 4 else G.CONTAIN_MIN
        need = G.SIM_SAME_SPEAKER if same_speaker else G.SIM_UNATTRIBUTED
        if contain >= floor and content_contained >= floor:
            scores.append(max(sim, 0.5 + contain / 4))
        elif sim >= need and enough_shared:
            scores.append(sim)
        else:
            scores.append(0.0)
    near = sim >= G.SAME_ARTICLE_SIM and shared >= G.SAME_ARTICLE_SIM * max(len(ca), len(cb))
    surely = near or (contain >= G.CONTAIN_MIN and content_contained >= G.CONTAIN_MIN)
    return scores[0], scores[1], surely


def _old_matching_pairs(tx: Any) -> list[tuple[int, int, float, float, bool]]:
    out = []
    for tu, tv in _old_candidate_pairs(tx.contents, tx.speakers):
        same, unattributed, surely = _old_compare(tx.texts[tu], tx.texts[tv], tx.contents[tu], tx.contents[tv])
        if same:
            out.append((tu, tv, same, unattributed, surely))
    return out


def _same_pairs_and_groups(quotes: list[Quote], monkeypatch: pytest.MonkeyPatch) -> int:
    norms = [normalise_quote(q.text) for q in quotes]
    tx = G._distinct(quotes, norms)
    new, old = sorted(G._matching_pairs(tx)), _old_matching_pairs(tx)
    assert new == old
    grouped = group_quotes(quotes, None, norms)
    with monkeypatch.context() as m:
        m.setattr(G, "_matching_pairs", _old_matching_pairs)
        assert group_quotes(quotes, None, norms) == grouped
    return len(new)


_WORDS = ("minister said the talks would resume next week after a long pause in the capital while "
          "protesters gathered outside parliament demanding new elections and an end to corruption "
          "we will not accept any deal that harms our farmers workers or families").split()
_SPEAKERS = [None, None, "Jane Roe", "John Doe", "Roe", "Maria Lopez", "Mr. Lopez"]


def _synthetic(n: int, seed: int) -> list[Quote]:
    """Statements, their renderings (cut, reworded, reordered) and noise, by several speakers."""
    rng = random.Random(seed)
    statements = [[rng.choice(_WORDS) for _ in range(rng.randint(1, 18))] for _ in range(n // 4)]
    quotes = []
    for k in range(n):
        words = list(rng.choice(statements))
        if rng.random() < 0.5 and len(words) > 3:
            lo = rng.randrange(len(words) // 2)
            words = words[lo : lo + rng.randint(2, len(words))]
        for _ in range(rng.randint(0, 3)):
            words[rng.randrange(len(words))] = rng.choice(_WORDS)
        text = " ".join(words)
        quotes.append(Quote(f"a{k % (n // 3)}", k, k + len(text), text, rng.choice(_SPEAKERS), None, None, None, ""))
    return quotes


@pytest.mark.parametrize("max_df", [G.BLOCK_MAX_DF, 12])
def test_fast_pairs_equal_plain_pairs_on_rewordings(monkeypatch: pytest.MonkeyPatch, max_df: int) -> None:
    monkeypatch.setattr(G, "BLOCK_MAX_DF", max_df)  # small blocks: the cap drops some keys
    assert _same_pairs_and_groups(_synthetic(600, seed=max_df), monkeypatch) > 20


def test_fast_pairs_equal_plain_pairs_on_real_quotes(monkeypatch: pytest.MonkeyPatch) -> None:
    parts = sorted(ABP_10K.glob("part-*.jsonl.gz"))
    if not parts:
        pytest.skip("../shared/corpora/abp-10k is absent")
    with gzip.open(parts[0], "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line, _ in zip(fh, range(300))]
    articles = [Article(id=f"abp-{n}", path=str(parts[0]), text=sanitize(r.get("content_original") or ""),
                        paragraphs=()) for n, r in enumerate(records)]
    quotes = []
    for a in articles:
        for s in find_quote_spans(a):
            # a speaker chosen from the article id (crc32: the same in every process), so speaker blocks are used
            speaker = _SPEAKERS[zlib.crc32(a.id.encode()) % len(_SPEAKERS)]
            quotes.append(Quote(a.id, s.start, s.end, a.text[s.start : s.end], speaker, None, None, None, ""))
    assert _same_pairs_and_groups(quotes, monkeypatch) > 100
