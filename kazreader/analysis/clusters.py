"""Corpus-wide passage clusters: one cluster per passage carried by two or more
articles.

Three outlets reprinting one wire paragraph make *one* cluster with three
members, not three pairs. :func:`cluster_passages` never compares all pairs of
articles:

1. **Index.** Every article's word :data:`INDEX_N`-grams with at least
   :data:`INDEX_MIN_CONTENT` content words (see
   :data:`kazreader.analysis.passages.COMMON_WORDS`) are hashed into an
   inverted index. N-grams found in one article only — almost all of them —
   are dropped.
2. **Candidates.** For each n-gram carried by several articles, the first
   article is paired with each of the others (a star, not all pairs: the
   clusters are joined transitively anyway, so ``k`` carriers cost ``k - 1``
   alignments, not ``k²/2``). A pair becomes a candidate when it shares at
   least :data:`MIN_SHARED_NGRAMS` such n-grams.
3. **Alignment.** Candidates go through
   :func:`kazreader.analysis.passages.align`, which decides what is reuse.
4. **Union.** Each aligned pair links a span of one article to a span of the
   other; spans of one article that overlap by at least :data:`MIN_OVERLAP`
   (of the shorter) are the same node; connected components (union-find) are
   the clusters. A member is the union of an article's overlapping spans in
   the component.

Large corpora (:data:`PARALLEL_MIN_ARTICLES` articles or more) are indexed and
aligned on all cores with forked worker processes, in chunks.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import threading
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kazreader.analysis.passages import COMMON_WORDS, align_texts, prepare
from kazreader.analysis.unionfind import UnionFind
from kazreader.corpus.model import Article
from kazreader.text import fold_chars

__all__ = [
    "ClusterMember",
    "INDEX_MIN_CONTENT",
    "INDEX_N",
    "MIN_OVERLAP",
    "MIN_SHARED_NGRAMS",
    "PARALLEL_MIN_ARTICLES",
    "PassageCluster",
    "candidate_pairs",
    "cluster_passages",
]

#: N-gram length of the inverted index. Five words are rare enough that
#: chance collisions between unrelated articles are negligible, and short
#: enough that a lightly edited nine-word passage still shares some.
INDEX_N = 5
#: Content words an n-gram needs to be indexed ("in the west of the" is not).
INDEX_MIN_CONTENT = 2
#: Shared indexed n-grams that make two articles a candidate pair. Two, so that
#: one shared name-plus-phrase does not trigger an alignment, while a
#: nine-word passage (five 5-grams) always does.
MIN_SHARED_NGRAMS = 2
#: Two spans of one article are one cluster node when they overlap by at
#: least this fraction of the shorter span.
MIN_OVERLAP = 0.5
#: Corpora at least this large use every core.
PARALLEL_MIN_ARTICLES = 2000
#: Hash partitions of the index (bounds the memory of one dictionary).
_PARTITIONS = 16
_CHUNK = 256
_INDEX_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class ClusterMember:
    """One article's copy of a clustered passage."""

    article: str
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"article": self.article, "start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ClusterMember:
        """Rebuild a member from :meth:`to_json` output."""
        return cls(d["article"], d["start"], d["end"], d["text"])


@dataclass(frozen=True, slots=True)
class PassageCluster:
    """A passage carried by two or more articles.

    ``id`` is stable (a hash of the members' article ids and spans, whatever
    the order of the articles); ``origin``
    is the id of the earliest-dated member, ``None`` when no member is dated.
    """

    id: str
    members: tuple[ClusterMember, ...]
    origin: str | None

    @property
    def articles(self) -> tuple[str, ...]:
        """The distinct article ids, in member order."""
        return tuple(dict.fromkeys(m.article for m in self.members))

    def to_json(self) -> dict[str, Any]:
        """The ``passages --json`` record."""
        return {
            "id": self.id,
            "members": [m.to_json() for m in self.members],
            "origin": self.origin,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PassageCluster:
        """Rebuild a cluster from :meth:`to_json` output."""
        return cls(
            id=d["id"],
            members=tuple(ClusterMember.from_json(m) for m in d["members"]),
            origin=d.get("origin"),
        )


# --- worker state -----------------------------------------------------------
# Filled in the parent before worker processes are forked, so workers read the
# texts and the index without pickling them (and with the same str hashes).
_STATE: dict[str, Any] = {}


def _fingerprints(text: str) -> set[int]:
    """Hashes of the indexable n-grams of *text*.

    The index only proposes candidates (alignment decides), so it splits words
    with a plain ``\\w+`` on folded, lower-cased text: several times faster
    than :func:`kazreader.text.tokenize` and applied alike to every article.
    """
    norms = _INDEX_WORD_RE.findall(fold_chars(text).lower())
    content = [n not in COMMON_WORDS for n in norms]
    grams = zip(*(norms[k:] for k in range(INDEX_N)))
    counts = map(sum, zip(*(content[k:] for k in range(INDEX_N))))
    return {hash(g) for g, c in zip(grams, counts) if c >= INDEX_MIN_CONTENT}


def _index_chunk(bounds: tuple[int, int]) -> tuple[list[array[int]], list[array[int]]]:
    """Partitioned ``(hashes, docs)`` arrays for articles ``[lo, hi)``."""
    texts = _STATE["texts"]
    hashes = [array("q") for _ in range(_PARTITIONS)]
    docs = [array("l") for _ in range(_PARTITIONS)]
    for d in range(*bounds):
        for h in _fingerprints(texts[d]):
            p = h % _PARTITIONS
            hashes[p].append(h)
            docs[p].append(d)
    return hashes, docs


def _pairs_in_partition(p: int) -> Counter[int]:
    """Star candidate pairs (``lo << 32 | hi``) and their shared n-gram counts,
    from partition *p* of the index."""
    first: dict[int, int] = {}
    others: dict[int, list[int]] = {}
    for hashes, docs in zip(_STATE["hashes"][p], _STATE["docs"][p]):
        for h, d in zip(hashes, docs):
            f = first.setdefault(h, d)
            if f != d:
                others.setdefault(h, []).append(d)
    counts: Counter[int] = Counter()
    for h, ds in others.items():
        f = first[h]
        counts.update((min(f, d) << 32) | max(f, d) for d in ds)
    return counts


_Link = tuple[int, int, int, int, int, int]


def _align_chunk(pairs: Sequence[tuple[int, int]]) -> list[_Link]:
    """Aligned spans ``(a, a_start, a_end, b, b_start, b_end)`` for *pairs*."""
    texts = _STATE["texts"]
    out: list[_Link] = []
    for a, b in pairs:
        for p in align_texts(texts[a], texts[b]):
            out.append((a, p.a_start, p.a_end, b, p.b_start, p.b_end))
    return out


def _chunks(seq: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [seq[k : k + size] for k in range(0, len(seq), size)]


def _local_order(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """*pairs* reordered so that an article's pairs come close together.

    Aligning a pair prepares both texts (tokens and seeds, the bulk of the
    cost), kept in a small cache. Sorted pairs reuse the first article but
    almost never the second; walking the pairs depth-first through the
    articles they join prepares most articles once (10,000 articles: 10,525
    preparations → 8,007).
    """
    incident: dict[int, list[int]] = {}
    for k, (a, b) in enumerate(pairs):
        incident.setdefault(a, []).append(k)
        incident.setdefault(b, []).append(k)
    taken = [False] * len(pairs)
    visited: set[int] = set()
    out: list[tuple[int, int]] = []
    for start in sorted(incident):
        stack = [start]
        while stack:
            node = stack.pop()
            if node in visited:
                continue
            visited.add(node)
            for k in incident[node]:
                if taken[k]:
                    continue
                taken[k] = True
                a, b = pairs[k]
                out.append((a, b))
                other = b if a == node else a
                if other not in visited:
                    stack.append(other)
    return out


def _run(func: Any, jobs: Sequence[Any], processes: int) -> list[Any]:
    """``map(func, jobs)`` in forked workers, or in-process when serial."""
    if processes <= 1 or len(jobs) <= 1 or threading.active_count() > 1:
        # Forking a multi-threaded process (the TUI runs analyses in worker
        # threads) can deadlock the child on a lock another thread held: stay
        # in-process there.
        return [func(job) for job in jobs]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes) as pool:
        return pool.map(func, jobs, chunksize=1)


# --- public API -------------------------------------------------------------


def candidate_pairs(
    texts: Sequence[str], *, processes: int = 1
) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of texts worth aligning: those sharing
    at least :data:`MIN_SHARED_NGRAMS` indexed n-grams (star-linked, see the
    module docstring). Sorted."""
    _STATE["texts"] = texts
    try:
        bounds = [(lo, min(lo + _CHUNK, len(texts))) for lo in range(0, len(texts), _CHUNK)]
        parts = _run(_index_chunk, bounds, processes)
        _STATE["hashes"] = [[hs[p] for hs, _ in parts] for p in range(_PARTITIONS)]
        _STATE["docs"] = [[ds[p] for _, ds in parts] for p in range(_PARTITIONS)]
        del parts
        counts: Counter[int] = Counter()
        for c in _run(_pairs_in_partition, range(_PARTITIONS), processes):
            counts.update(c)
    finally:
        _STATE.clear()
    mask = (1 << 32) - 1
    return sorted((k >> 32, k & mask) for k, n in counts.items() if n >= MIN_SHARED_NGRAMS)


def cluster_passages(
    articles: Sequence[Article], *, processes: int | None = None
) -> list[PassageCluster]:
    """Cluster the passages that two or more of *articles* share.

    Clusters come largest first (by number of articles), then in order of
    first occurrence (article order, then offset); members are in article
    order, then offset. *processes* defaults to every core for corpora of
    :data:`PARALLEL_MIN_ARTICLES` articles or more, one otherwise.
    """
    if processes is None:
        processes = (os.cpu_count() or 1) if len(articles) >= PARALLEL_MIN_ARTICLES else 1
    texts = [a.text for a in articles]
    pairs = candidate_pairs(texts, processes=processes)
    _STATE["texts"] = texts
    try:
        ordered = _local_order(pairs)
        chunks = _chunks(ordered, max(16, min(_CHUNK, len(pairs) // (4 * processes) + 1)))
        links = [link for part in _run(_align_chunk, chunks, processes) for link in part]
        # Back in the order of the pairs (stable: a pair's own links keep theirs).
        links.sort(key=lambda link: (link[0], link[3]))
    finally:
        _STATE.clear()
        prepare.cache_clear()
    return _build_clusters(articles, links)


# --- union ------------------------------------------------------------------


def _overlap_enough(s1: int, e1: int, s2: int, e2: int) -> bool:
    shared = min(e1, e2) - max(s1, s2)
    return shared > 0 and shared >= MIN_OVERLAP * min(e1 - s1, e2 - s2)


def _build_clusters(articles: Sequence[Article], links: Iterable[_Link]) -> list[PassageCluster]:
    """Union-find over article spans linked by alignments."""
    spans: list[tuple[int, int, int]] = []  # (doc, start, end)
    edges: list[tuple[int, int]] = []
    for a, a0, a1, b, b0, b1 in links:
        spans.append((a, a0, a1))
        spans.append((b, b0, b1))
        edges.append((len(spans) - 2, len(spans) - 1))
    uf = UnionFind(len(spans))
    for x, y in edges:
        uf.union(x, y)
    # Spans of one article that overlap enough are the same passage.
    order = sorted(range(len(spans)), key=lambda k: spans[k])
    open_: list[int] = []  # spans of the current article still reaching on
    for k in order:
        d, s, e = spans[k]
        open_ = [o for o in open_ if spans[o][0] == d and spans[o][2] > s]
        for o in open_:
            if _overlap_enough(spans[o][1], spans[o][2], s, e):
                uf.union(o, k)
        open_.append(k)
    groups: dict[int, list[int]] = {}
    for k in range(len(spans)):
        groups.setdefault(uf.find(k), []).append(k)

    clusters: list[tuple[tuple[int, int, int], PassageCluster]] = []
    for members_idx in groups.values():
        members = _merge_member_spans([spans[k] for k in members_idx])
        if len({d for d, _, _ in members}) < 2:
            continue
        members.sort()
        cluster_members = tuple(
            ClusterMember(articles[d].id, s, e, articles[d].text[s:e]) for d, s, e in members
        )
        key = "\n".join(sorted(f"{m.article}:{m.start}:{m.end}" for m in cluster_members))
        cid = "p" + hashlib.blake2b(key.encode(), digest_size=6).hexdigest()
        dated = [(articles[d].date, d) for d, _, _ in members if articles[d].date]
        origin = articles[min(dated)[1]].id if dated else None
        n_articles = len({d for d, _, _ in members})
        clusters.append(((-n_articles, members[0][0], members[0][1]), PassageCluster(cid, cluster_members, origin)))
    clusters.sort(key=lambda c: c[0])
    return [c for _, c in clusters]


def _merge_member_spans(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Per article, the union of overlapping spans (one member each)."""
    spans = sorted(spans)
    merged: list[tuple[int, int, int]] = []
    for d, s, e in spans:
        if merged and merged[-1][0] == d and s < merged[-1][2]:
            md, ms, me = merged[-1]
            merged[-1] = (md, ms, max(me, e))
        else:
            merged.append((d, s, e))
    return merged
