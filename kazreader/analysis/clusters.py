"""Corpus-wide passage clusters: one cluster per passage carried by two or more
articles.

Three outlets reprinting one wire paragraph make *one* cluster with three
members, not three pairs. :func:`cluster_passages` never compares all pairs of
articles:

1. **Fingerprints.** Every article's word n-grams are hashed (stable hashes,
   see :mod:`kazreader.analysis.reuse_banality`) and cached per article.
2. **Banality.** N-grams carried by a large share of the corpus
   (:func:`~kazreader.analysis.reuse_banality.banal_threshold`: stock
   phrases, bylines, site furniture) are set aside, and so are those found
   in one article only (almost all of them). Those of a reprinted text (a
   wire story run by many outlets: tens of banal n-grams carried by nearly
   the same articles, of several sites, see
   :mod:`~kazreader.analysis.reprints`) are ordinary again once the
   candidate pass has found the banal ones (step 3 counts them then).
3. **Candidates.** For each remaining n-gram carried by several articles, the
   first carrier (in digest order, so that the order of the files does not
   matter) is paired with each of the others (a star, not all pairs: the
   clusters are joined transitively anyway, so ``k`` carriers cost ``k - 1``
   alignments, not ``k²/2``); the carriers of an n-gram that at most
   :data:`ALL_PAIRS_MAX_DF` articles carry are all paired. A pair becomes a
   candidate when it shares at least :data:`MIN_SHARED_NGRAMS` such n-grams,
   or as many n-grams of reprinted texts (counted alike, on their own).
4. **Alignment.** Candidates go through
   :func:`kazreader.analysis.passages.align`, which decides what is reuse;
   each pair's alignment is cached (keyed by the two article digests, in
   digest order). A passage whose shared n-grams are mostly banal is dropped
   (:func:`~kazreader.analysis.reuse_banality.is_banal`, decided without
   hashing the spans again where the two articles share no banal n-gram, and
   otherwise cached per pair and banal n-grams it carries: see
   :mod:`kazreader.analysis.banal_links`).
5. **Union.** Each aligned pair links a span of one article to a span of the
   other; spans of one article that overlap by at least :data:`MIN_OVERLAP`
   (of the shorter) are the same node; connected components (union-find) are
   the clusters. A member is the union of an article's overlapping spans in
   the component. A cluster carried by as many articles as make an n-gram
   banal is banal too (a site's boilerplate whose pieces recur in ever new
   combinations) and is left out, unless as many of its articles carry one
   reprinted text.

**Incremental.** Given a :class:`~kazreader.parts.PartStore`, fingerprints
and alignments are parts: after one article changes, is added or removed,
only its fingerprints are computed and only the pairs that are new
candidates are aligned (those involving it, and the few whose star centre or
banality it changed), and only the pairs whose banal n-grams changed have
their links' banality checked again; the union is rebuilt from the cached links. Every part
is a pure function of its key, so the result equals a clean build. The
reprinted texts are found again every time, from the banal n-grams with
their carriers (which the incremental candidate pass gives as a full one
does) and the articles' sites: a pure function too.

Large corpora (:data:`PARALLEL_MIN_ARTICLES` articles or more) fingerprint,
index and align on all cores with forked worker processes, in chunks.
"""

from __future__ import annotations

import bisect
import hashlib
import multiprocessing
import os
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, repeat
from typing import Any, Protocol

from kazreader.analysis.banal_links import banal_verdicts
from kazreader.analysis.cluster_state import StateFile, read_state, update, write_state
from kazreader.analysis.passages import align_texts, prepare
from kazreader.analysis.reprints import Reprint, find_reprints, site_of
from kazreader.analysis.reuse_banality import (
    BANAL_MIN_DOCS,
    FINGERPRINT_MIN_CONTENT,
    FINGERPRINT_N,
    banal_threshold,
    decode_fingerprints,
    encode_fingerprints,
    fingerprints,
)
from kazreader.analysis.unionfind import UnionFind
from kazreader.corpus.model import Article

__all__ = [
    "ClusterMember",
    "ALL_PAIRS_MAX_DF",
    "INDEX_MIN_CONTENT",
    "INDEX_N",
    "MIN_OVERLAP",
    "MIN_SHARED_NGRAMS",
    "PARALLEL_MIN_ARTICLES",
    "PassageCluster",
    "candidate_pairs",
    "cluster_passages",
]

#: N-gram length of the fingerprints (see :mod:`~kazreader.analysis.reuse_banality`).
INDEX_N = FINGERPRINT_N
#: Content words an n-gram needs to be a fingerprint.
INDEX_MIN_CONTENT = FINGERPRINT_MIN_CONTENT
#: Shared non-banal n-grams that make two articles a candidate pair. A
#: passage of nine identical words holds five n-grams and a twelve-word
#: quotation eight, while one stock name with its title ("Senate Majority
#: Leader Mitch McConnell (R-Ky.)") or a nine-word stock phrase yields two to
#: four overlapping ones. On real articles (Article-Bias-Prediction, 2,500
#: and 10,000), most pairs sharing four or fewer aligned to nothing, and
#: those that did were mostly site furniture ("Read or Share this story"),
#: stock descriptions and credits; five keeps every shared twelve-word run
#: of abp-dev's story folders (503) in a cluster.
MIN_SHARED_NGRAMS = 5
#: An n-gram carried by this many articles or fewer pairs all its carriers,
#: not just the first with the others: when two articles share a quotation
#: and a third carries only its first half, the star through the third would
#: miss the second half (on abp-dev: 4 of 503 shared twelve-word runs). Small
#: groups cost little: three carriers make three pairs instead of two.
ALL_PAIRS_MAX_DF = 6
#: Two spans of one article are one cluster node when they overlap by at
#: least this fraction of the shorter span.
MIN_OVERLAP = 0.5
#: Corpora at least this large use every core.
PARALLEL_MIN_ARTICLES = 2000
#: Hash partitions of the index (bounds the memory of one dictionary).
_PARTITIONS = 16
_CUTS = [-(1 << 63) + k * ((1 << 64) // _PARTITIONS) for k in range(1, _PARTITIONS)]
_CHUNK = 256


class Parts(Protocol):
    """Where parts are kept (a :class:`kazreader.parts.PartStore`)."""

    def map(self, keys: Sequence[str], compute: Callable[[list[str]], Mapping[str, Any]]) -> dict[str, Any]: ...


class _NoParts:
    """Parts computed every time (no store)."""

    def map(self, keys: Sequence[str], compute: Callable[[list[str]], Mapping[str, Any]]) -> dict[str, Any]:
        return dict(compute(list(dict.fromkeys(keys))))


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

    def to_cache(self) -> list[Any]:
        """The on-disk cache's form: ``[id, origin, article, start, end, article, start, …]``, the
        members' texts left out (they are slices of the articles: at 20,000 real articles the
        JSON form was 105 MB, and reading it back peaked at 0.8 GB above the rest)."""
        return [self.id, self.origin, *(x for m in self.members for x in (m.article, m.start, m.end))]

    @classmethod
    def from_cache(cls, row: list[Any], texts: Mapping[str, str]) -> PassageCluster:
        """Rebuild what :meth:`to_cache` stored, the members' texts sliced from *texts* (id → text)."""
        flat = row[2:]
        members = tuple(
            ClusterMember(flat[k], flat[k + 1], flat[k + 2], texts.get(flat[k], "")[flat[k + 1] : flat[k + 2]])
            for k in range(0, len(flat), 3)
        )
        return cls(id=row[0], members=members, origin=row[1])


# --- worker state -----------------------------------------------------------
# Filled in the parent before worker processes are forked, so workers read the
# texts and the index without pickling them.
_STATE: dict[str, Any] = {}


def _fingerprint_chunk(indexes: Sequence[int]) -> list[str]:
    """Encoded fingerprints of the texts at *indexes*."""
    texts = _STATE["texts"]
    return [encode_fingerprints(fingerprints(texts[k])) for k in indexes]


def _partition(fps: Sequence[array[int]], p: int) -> list[tuple[int, array[int]]]:
    """Each document's fingerprints in hash range *p* (they are sorted: a slice)."""
    out: list[tuple[int, array[int]]] = []
    for d, arr in enumerate(fps):
        lo = bisect.bisect_left(arr, _CUTS[p - 1]) if p > 0 else 0
        hi = bisect.bisect_left(arr, _CUTS[p]) if p < len(_CUTS) else len(arr)
        if hi > lo:
            out.append((d, arr[lo:hi]))
    return out


def _contribution(docs: Sequence[int], limit: int) -> list[int] | None:
    """The pairs (``lo << 32 | hi``) one n-gram carried by *docs* (in digest order) counts
    towards, or ``None`` when it is banal (*limit* carriers or more): every pair of its
    carriers when they are at most :data:`ALL_PAIRS_MAX_DF`, else a star from the first."""
    if len(docs) >= limit:
        return None
    if len(docs) <= ALL_PAIRS_MAX_DF:
        return [(f << 32) | d for k, f in enumerate(docs) for d in docs[k + 1 :]]
    first = docs[0]
    return [(first << 32) | d for d in docs[1:]]


_Index = tuple["array[int]", "array[int]", "array[int]", list[int]]


def _pairs_in_partition(p: int) -> tuple[Counter[int], list[tuple[int, list[int]]], _Index | None]:
    """Candidate pairs (``lo << 32 | hi``) with their shared non-banal n-gram
    counts, and the banal n-grams with their carriers, from hash range *p*
    (see :func:`_contribution`); with ``_STATE["index"]``, also the range's
    inverted index for a :class:`~kazreader.analysis.cluster_state.CandidateState`
    (sorted n-grams, offsets, carriers, and the n-grams carried by
    :data:`~kazreader.analysis.reuse_banality.BANAL_MIN_DOCS` articles or more).

    Set operations find the n-grams carried twice or more (a few percent);
    only their postings are walked in Python.
    """
    slices = _partition(_STATE["fps"], p)
    seen: set[int] = set()
    shared: set[int] = set()
    for _, part in slices:
        shared.update(seen.intersection(part))
        seen.update(part)
    del seen
    carriers: dict[int, list[int]] = {}
    for d, part in slices:
        for h in shared.intersection(part):
            carriers.setdefault(h, []).append(d)
    limit = _STATE["threshold"]
    banal: list[tuple[int, list[int]]] = []
    counts: Counter[int] = Counter()
    for h, docs in carriers.items():
        pairs = _contribution(docs, limit)
        if pairs is None:
            banal.append((h, docs))
        else:
            counts.update(pairs)
    if not _STATE.get("index"):
        return counts, banal, None
    # Every n-gram of the range and one carrier (the only one for those carried once), then each
    # n-gram's carriers in hash order, flattened, all by C-level passes: 10,000 real articles hold
    # 8.4 M distinct n-grams, 97 % carried once, and a Python loop over them took the full pass
    # from 4 to 19 CPU-s (these passes: 16).
    one: dict[int, int] = {}
    for d, part in slices:
        one.update(zip(part, repeat(d)))
    keys = sorted(one)
    # (carriers.get(h, (d,)): zip() of one iterable makes the 1-tuples, all in C)
    groups = list(map(carriers.get, keys, zip(map(one.__getitem__, keys))))
    del one
    hashes = array("q", keys)
    del keys
    offsets = array("i", [0])
    offsets.extend(accumulate(map(len, groups)))
    docs_of = array("i", chain.from_iterable(groups))
    del groups
    heavy = sorted(h for h, docs in carriers.items() if len(docs) >= BANAL_MIN_DOCS)
    return counts, banal, (hashes, offsets, docs_of, heavy)


_Link = tuple[int, int, int, int, int, int]


def _align_chunk(pairs: Sequence[tuple[int, int]]) -> list[list[list[int]]]:
    """Aligned spans ``[a_start, a_end, b_start, b_end]`` of each of *pairs*."""
    texts = _STATE["texts"]
    return [[[p.a_start, p.a_end, p.b_start, p.b_end] for p in align_texts(texts[a], texts[b])] for a, b in pairs]


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
    """``map(func, jobs)`` in forked workers, or in-process when serial (see :func:`_run_each`)."""
    return list(_run_each(func, jobs, processes))


def _run_each(func: Any, jobs: Sequence[Any], processes: int) -> Iterator[Any]:
    """:func:`_run`, each result given as soon as it is in (in order), so that the caller merges
    one and lets it go before the next: the full candidate pass' sixteen partial counts of
    pairs, held at once, were as large as the merged count."""
    if processes <= 1 or len(jobs) <= 1 or threading.active_count() > 1:
        # Forking a multi-threaded process (the TUI runs analyses in worker
        # threads) can deadlock the child on a lock another thread held: stay
        # in-process there.
        yield from map(func, jobs)
        return
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes) as pool:
        yield from pool.imap(func, jobs, chunksize=1)


# --- steps ------------------------------------------------------------------


def _fingerprints_of(texts: Sequence[str], keys: Sequence[str], parts: Parts, processes: int) -> list[array[int]]:
    """Every text's fingerprints, read from *parts* or computed (key: the article digest)."""
    index = {k: i for i, k in enumerate(keys)}

    def compute(missing: list[str]) -> dict[str, str]:
        _STATE["texts"] = texts
        try:
            todo = [index[k] for k in missing]
            found = [fp for part in _run(_fingerprint_chunk, _chunks(todo, _CHUNK), processes) for fp in part]
        finally:
            _STATE.clear()
        return dict(zip(missing, found))

    stored = parts.map(keys, compute)
    return [decode_fingerprints(stored[k]) for k in keys]


def _candidates(
    fps: Sequence[array[int]], threshold: int, processes: int
) -> tuple[list[tuple[int, int]], dict[int, list[int]]]:
    """Candidate pairs of document numbers (sorted) and the banal n-grams, each with its carriers."""
    pairs, banal, _ = _full_pass(fps, threshold, processes, index=False)
    return pairs, banal


def _full_pass(
    fps: Sequence[array[int]], threshold: int, processes: int, *, index: bool
) -> tuple[list[tuple[int, int]], dict[int, list[int]], tuple[Counter[int], list[_Index]] | None]:
    """:func:`_candidates`, and with *index* every pair's count and each hash range's inverted index."""
    _STATE["fps"] = fps
    _STATE["threshold"] = threshold
    _STATE["index"] = index
    try:
        counts: Counter[int] = Counter()
        banal: dict[int, list[int]] = {}
        ranges: list[_Index] = []
        for c, b, idx in _run_each(_pairs_in_partition, range(_PARTITIONS), processes):
            counts.update(c)
            del c
            banal.update(b)
            if idx is not None:
                ranges.append(idx)
    finally:
        _STATE.clear()
    mask = (1 << 32) - 1
    pairs = sorted((k >> 32, k & mask) for k, n in counts.items() if n >= MIN_SHARED_NGRAMS)
    return pairs, banal, ((counts, ranges) if index else None)


class _Unavailable(Exception):
    """A removed article's fingerprints are no longer stored."""


def _incremental_candidates(
    state: StateFile, texts: Sequence[str], keys: Sequence[str], threshold: int, parts: Parts, processes: int
) -> tuple[list[tuple[int, int]], dict[int, list[int]]] | None:
    """The candidate pass from the state of the last full pass (see
    :mod:`~kazreader.analysis.cluster_state`); ``None`` when a full pass is needed."""
    stored = read_state(state.path, state.namespace)
    if stored is None:
        return None
    index = {k: i for i, k in enumerate(keys)}

    def fingerprints_of(digests: list[str]) -> dict[str, array[int]] | None:
        here = [d for d in digests if d in index]
        found = dict(zip(here, _fingerprints_of([texts[index[d]] for d in here], here, parts, processes)))

        def unavailable(missing: list[str]) -> dict[str, str]:
            raise _Unavailable

        gone = [d for d in digests if d not in index]
        try:
            raw = parts.map(gone, unavailable) if gone else {}
        except _Unavailable:
            return None
        found.update((d, decode_fingerprints(raw[d])) for d in gone)
        return found

    result = update(stored, keys, threshold, fingerprints_of, _contribution, MIN_SHARED_NGRAMS)
    return None if result is None else (result.pairs, result.banal)


def _alignments(
    texts: Sequence[str], keys: Sequence[str], pairs: Sequence[tuple[int, int]], parts: Parts, processes: int
) -> list[list[list[int]]]:
    """The aligned spans of each pair, read from *parts* or computed (key: ``"dA-dB"``)."""
    pair_keys = [f"{keys[a]}-{keys[b]}" for a, b in pairs]
    by_key = dict(zip(pair_keys, pairs))

    def compute(missing: list[str]) -> dict[str, Any]:
        ordered = _local_order([by_key[k] for k in missing])
        _STATE["texts"] = texts
        try:
            chunks = _chunks(ordered, max(16, min(_CHUNK, len(ordered) // (4 * processes) + 1)))
            found = [spans for part in _run(_align_chunk, chunks, processes) for spans in part]
        finally:
            _STATE.clear()
            prepare.cache_clear()
        return {f"{keys[a]}-{keys[b]}": spans for (a, b), spans in zip(ordered, found)}

    stored = parts.map(pair_keys, compute)
    return [stored[k] for k in pair_keys]


# --- public API -------------------------------------------------------------


def candidate_pairs(texts: Sequence[str], *, processes: int = 1) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of texts worth aligning: those sharing
    at least :data:`MIN_SHARED_NGRAMS` non-banal n-grams (star-linked, see the
    module docstring). Sorted."""
    fps = [fingerprints(t) for t in texts]
    pairs, _ = _candidates(fps, banal_threshold(len(texts)), processes)
    return pairs


def cluster_passages(
    articles: Sequence[Article],
    *,
    processes: int | None = None,
    parts: Parts | None = None,
    state: StateFile | None = None,
) -> list[PassageCluster]:
    """Cluster the passages that two or more of *articles* share.

    Clusters come largest first (by number of articles), then in order of
    first occurrence (article order, then offset); members are in article
    order, then offset. *processes* defaults to every core for corpora of
    :data:`PARALLEL_MIN_ARTICLES` articles or more, one otherwise. With
    *parts*, fingerprints and alignments are read from it and the missing
    ones stored (see the module docstring). With *state* as well, the
    candidate pass is updated from the last full pass' state, kept there
    (see :mod:`~kazreader.analysis.cluster_state`).
    """
    if processes is None:
        processes = (os.cpu_count() or 1) if len(articles) >= PARALLEL_MIN_ARTICLES else 1
    store: Parts = parts if parts is not None else _NoParts()
    # Documents are numbered in digest order: star centres and the orientation
    # of each aligned pair do not depend on the order of the files.
    order = sorted(range(len(articles)), key=lambda k: (articles[k].digest, k))
    texts = [articles[k].text for k in order]
    keys = [articles[k].digest for k in order]
    threshold = banal_threshold(len(articles))
    found = _incremental_candidates(state, texts, keys, threshold, store, processes) if state else None
    if found is not None:
        pairs, banal_carriers = found
    else:
        fps = _fingerprints_of(texts, keys, store, processes)
        pairs, banal_carriers, full = _full_pass(fps, threshold, processes, index=state is not None)
        del fps
        if state is not None and full is not None:
            write_state(state.path, state.namespace, threshold, keys, full[1], full[0], pairs)
            del full
    reprints = find_reprints(banal_carriers, lambda d: site_of(articles[order[d]]))
    if reprints:
        pairs, banal_carriers = _with_reprints(pairs, banal_carriers, reprints)
    aligned = _alignments(texts, keys, pairs, store, processes)
    verdicts = banal_verdicts(texts, keys, pairs, aligned, banal_carriers, store)
    links: list[_Link] = []
    for (a, b), spans, banal_links in zip(pairs, aligned, verdicts):
        for (a0, a1, b0, b1), stock in zip(spans, banal_links):
            if not stock:
                links.append((order[a], a0, a1, order[b], b0, b1))
    carried = [frozenset(order[d] for d in r.carriers) for r in reprints]
    return _build_clusters(articles, links, threshold, carried)


def _with_reprints(
    pairs: Sequence[tuple[int, int]], banal: Mapping[int, list[int]], reprints: Sequence[Reprint]
) -> tuple[list[tuple[int, int]], dict[int, list[int]]]:
    """The candidate pairs and banal n-grams once the n-grams of *reprints* are ordinary: each
    counts towards its carriers' pairs as in the candidate pass (:func:`_contribution`), and
    the pairs that reprinted n-grams alone count :data:`MIN_SHARED_NGRAMS` times are candidates
    too (a pair needs no other n-gram: a reprinted text holds tens)."""
    same: Counter[tuple[int, ...]] = Counter(tuple(sorted(banal[h])) for r in reprints for h in r.ngrams)
    counts: Counter[int] = Counter()
    for docs, times in same.items():  # (the n-grams of one carrier set count alike)
        for pair in _contribution(docs, len(docs) + 1) or ():
            counts[pair] += times
    mask = (1 << 32) - 1
    extra = {(k >> 32, k & mask) for k, n in counts.items() if n >= MIN_SHARED_NGRAMS}
    reprinted = frozenset().union(*(r.ngrams for r in reprints))
    return sorted(extra.union(pairs)), {h: c for h, c in banal.items() if h not in reprinted}


# --- union ------------------------------------------------------------------


def _overlap_enough(s1: int, e1: int, s2: int, e2: int) -> bool:
    shared = min(e1, e2) - max(s1, s2)
    return shared > 0 and shared >= MIN_OVERLAP * min(e1 - s1, e2 - s2)


def _build_clusters(
    articles: Sequence[Article],
    links: Iterable[_Link],
    too_many: int | None = None,
    reprints: Sequence[Collection[int]] = (),
) -> list[PassageCluster]:
    """Union-find over article spans linked by alignments. A cluster carried
    by *too_many* articles or more is banal like its n-grams (a site's
    boilerplate whose pieces recur in ever new combinations: each n-gram is
    below the threshold, the chain is not) and is left out, unless *too_many*
    of its articles carry one reprinted text (*reprints*: the article numbers
    carrying each, see :mod:`~kazreader.analysis.reprints`)."""
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
        n_articles = len({d for d, _, _ in members})
        if n_articles < 2:
            continue
        if too_many is not None and n_articles >= too_many:
            docs = {d for d, _, _ in members}
            if not any(len(docs.intersection(r)) >= too_many for r in reprints):
                continue
        members.sort()
        cluster_members = tuple(
            ClusterMember(articles[d].id, s, e, articles[d].text[s:e]) for d, s, e in members
        )
        key = "\n".join(sorted(f"{m.article}:{m.start}:{m.end}" for m in cluster_members))
        cid = "p" + hashlib.blake2b(key.encode(), digest_size=6).hexdigest()
        dated = [(articles[d].date, d) for d, _, _ in members if articles[d].date]
        origin = articles[min(dated)[1]].id if dated else None
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
