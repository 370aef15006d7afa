"""After incremental updates, the hits are a clean build's; the BM25 statistics may lag (documented).

Whoosh keeps a deleted document's terms in the BM25 statistics (document
count, document frequencies, field-length totals) until its segment is
merged, and merging rewrites lengths from their one-byte approximations, so
no two build histories have exactly the same statistics. Rewriting every
segment with a deletion at each update would make them equal (nearly), at
~2x the cost of a full build for one edited file (11.7 s instead of 0.04 s
for 2,000 articles), so it is not done: ``docs/reliability.md`` documents it.
This test holds the documented guarantee: the same documents match, with the
same totals, and each score is within a few percent of a clean build's.
"""

from __future__ import annotations

import random
from pathlib import Path

from builders import art
from kazreader.index import CorpusIndex

WORDS = "police said the of protest city killed to be or not officials fuel prices".split()
QUERIES = ['"police said"', "police", '"the city"', "protest OR fuel", "kill*"]


def corpus(rng: random.Random, ids: range, tag: str = "") -> list:
    return [art(f"d{i:02}", " ".join(rng.choice(WORDS) for _ in range(rng.randrange(30, 200))) + tag) for i in ids]


def test_updates_match_what_a_clean_build_matches(tmp_path: Path) -> None:
    rng = random.Random(2)
    first = corpus(rng, range(30))
    final = first[:20] + corpus(rng, range(20, 25), " changed") + corpus(rng, range(40, 43))
    with CorpusIndex.open(tmp_path / "inc") as inc, CorpusIndex.open(tmp_path / "clean") as clean:
        inc.sync(first)
        inc.sync(final)
        clean.sync(final)
        for q in QUERIES:
            a, b = inc.search(q, limit=100), clean.search(q, limit=100)
            assert a.total == b.total
            scores_a = {h.id: h.score for h in a.hits}
            scores_b = {h.id: h.score for h in b.hits}
            assert scores_a.keys() == scores_b.keys()
            for doc, score in scores_b.items():
                assert abs(scores_a[doc] - score) <= 0.05 * score, (q, doc)
