"""The candidate pass of the passage clusters, updated from the last full pass instead of redone.

:func:`kazreader.analysis.clusters.cluster_passages` finds its candidate pairs
and banal n-grams from every article's fingerprints at once: at 20,000 real
articles a pass over 16.5 M postings (tens of CPU-seconds) after any one
change. Yet a change moves little: a pair's count of shared non-banal n-grams
is a sum over n-grams, each n-gram's share depends only on its carriers and
the banal threshold, and one article changed changes the carriers of its own
n-grams only.

So a full pass also writes a :class:`CandidateState` (beside the parts, one
file per corpus cache folder): every n-gram's carriers (the inverted index,
singletons included: a new article may share an n-gram that one old article
alone carried), every pair's count, the candidate pairs, the n-grams carried
by :data:`~kazreader.analysis.reuse_banality.BANAL_MIN_DOCS` articles or more
(the only ones any threshold can make banal), the documents (by digest) and
the threshold. A later run (:func:`update`) reads it through ``mmap`` (only
the pages it looks up), and for the n-grams of the articles added or removed
since, and those whose banality the threshold's move changes, subtracts each
n-gram's old share of the pair counts and adds its new one, with the star
centre (first carrier in digest order) and the
:data:`~kazreader.analysis.clusters.ALL_PAIRS_MAX_DF` rule applied to the old
and new carriers alike. The result equals a full pass over the same
fingerprints. The state is never updated in place: each run starts again from
the last full pass, so when too many articles changed since
(:data:`MAX_CHANGED`), or the state is missing, damaged or of other code, a
full pass runs and writes a new one.
"""

from __future__ import annotations

import json
import mmap
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kazreader.atomic import atomic_file

__all__ = [
    "MAX_CHANGED", "CandidateState", "Contribution", "StateFile", "Update", "read_state", "update", "write_state",
]

#: Articles added or removed since the last full pass past which a full pass
#: runs again (and writes a new state): each costs a few hundred look-ups in
#: the stored index, a full pass at 20k tens of CPU-seconds.
MAX_CHANGED = 200
_MAGIC = b"KZCS1\n"
_MASK = (1 << 32) - 1

#: ``contribution(carriers, threshold)``: the pair keys (``lo << 32 | hi``, in
#: the carriers' order) one n-gram adds to, or ``None`` when it is banal.
Contribution = Callable[[Sequence[int], int], "list[int] | None"]


@dataclass(frozen=True)
class StateFile:
    """Where a :class:`CandidateState` is kept, and the namespace of the code that may read it
    (the clusters' parts namespace: a state written by other code is not read)."""

    path: Path
    namespace: str


@dataclass
class CandidateState:
    """What a full candidate pass found, as flat arrays (see the module docstring)."""

    namespace: str
    threshold: int
    docs: list[str]  # digests, in digest order (a document's number is its place here)
    hashes: Sequence[int]  # every n-gram, sorted
    offsets: Sequence[int]  # its carriers are carriers[offsets[i]:offsets[i + 1]]
    carriers: Sequence[int]
    heavy: Sequence[int]  # n-grams carried by BANAL_MIN_DOCS documents or more, sorted
    pair_keys: Sequence[int]  # every pair sharing a non-banal n-gram, sorted
    pair_counts: Sequence[int]
    candidates: Sequence[int]  # the pair keys counted MIN_SHARED_NGRAMS times or more, sorted

    def carriers_of(self, h: int) -> Sequence[int]:
        """The documents that carry n-gram *h* (in digest order); empty when none does."""
        i = bisect_left(self.hashes, h)
        if i == len(self.hashes) or self.hashes[i] != h:
            return ()
        return self.carriers[self.offsets[i] : self.offsets[i + 1]]

    def count_of(self, pair: int) -> int:
        """How many non-banal n-grams pair *pair* shared in the full pass."""
        i = bisect_left(self.pair_keys, pair)
        return self.pair_counts[i] if i < len(self.pair_keys) and self.pair_keys[i] == pair else 0


_ARRAYS = (
    ("hashes", "q"), ("offsets", "i"), ("carriers", "i"), ("heavy", "q"),
    ("pair_keys", "q"), ("pair_counts", "i"), ("candidates", "q"),
)


def write_state(
    path: Path,
    namespace: str,
    threshold: int,
    docs: Sequence[str],
    ranges: Sequence[tuple[array[int], array[int], array[int], list[int]]],
    counts: Mapping[int, int],
    candidates: Iterable[tuple[int, int]],
) -> None:
    """Write the state of a full pass to *path* atomically: a JSON header line, the digests, then
    the arrays' bytes (the layout :func:`read_state` maps). *ranges* holds, per hash range in
    ascending order, the sorted n-grams, their offsets (from 0) and carriers, and its heavy
    n-grams; *counts* every pair's count; *candidates* the candidate pairs.

    Written a range and a slice at a time, never joined in memory: at 10,000 real articles the
    state is 90 MB, and building it whole first took the first ingest's parent from 530 to 830 MiB.
    """
    keys = sorted(counts)
    picked = array("q", sorted((a << 32) | b for a, b in candidates))
    n_hashes = sum(len(r[0]) for r in ranges)
    lengths = [n_hashes, n_hashes + 1, sum(len(r[2]) for r in ranges), sum(len(r[3]) for r in ranges),
               len(keys), len(keys), len(picked)]
    header = {
        "namespace": namespace, "threshold": threshold, "docs": len(docs),
        "lengths": lengths, "byteorder": array("i", [1]).tobytes()[0],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path, "wb", prefix=".tmp-state-") as fh:
        fh.write(_MAGIC + json.dumps(header).encode() + b"\n")
        fh.write(b"".join(bytes.fromhex(d) for d in docs))
        for hashes, _, _, _ in ranges:
            fh.write(hashes.tobytes())
        fh.write(array("i", [0]).tobytes())
        base = 0
        for _, offsets, carriers, _ in ranges:
            fh.write(array("i", [o + base for o in offsets[1:]]).tobytes())
            base += len(carriers)
        for _, _, carriers, _ in ranges:
            fh.write(carriers.tobytes())
        for _, _, _, heavy in ranges:
            fh.write(array("q", heavy).tobytes())
        for k in range(0, len(keys), _SLICE):
            fh.write(array("q", keys[k : k + _SLICE]).tobytes())
        for k in range(0, len(keys), _SLICE):
            fh.write(array("i", [counts[key] for key in keys[k : k + _SLICE]]).tobytes())
        fh.write(picked.tobytes())


#: Pair counts written at a time (see :func:`write_state`).
_SLICE = 1 << 16


def read_state(path: Path, namespace: str) -> CandidateState | None:
    """The state at *path* if it was written by the code of *namespace*; ``None`` if absent or damaged.

    The arrays are views of the mapped file: a run reads the pages it looks up.
    """
    try:
        with open(path, "rb") as fh:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    try:
        if mm[: len(_MAGIC)] != _MAGIC:
            return None
        end = mm.find(b"\n", len(_MAGIC))
        header = json.loads(mm[len(_MAGIC) : end])
        if header["namespace"] != namespace or header["byteorder"] != array("i", [1]).tobytes()[0]:
            return None
        pos = end + 1
        n_docs = header["docs"]
        docs = [mm[pos + 32 * k : pos + 32 * (k + 1)].hex() for k in range(n_docs)]
        pos += 32 * n_docs
        view = memoryview(mm)
        fields: dict[str, Any] = {}
        for (name, code), length in zip(_ARRAYS, header["lengths"]):
            size = array(code).itemsize * length
            if pos + size > len(mm):
                return None
            fields[name] = view[pos : pos + size].cast("q" if code == "q" else "i")
            pos += size
        if pos != len(mm) or len(fields["offsets"]) != len(fields["hashes"]) + 1:
            return None
        return CandidateState(namespace, int(header["threshold"]), docs, **fields)
    except (ValueError, KeyError, TypeError):
        return None


@dataclass
class Update:
    """The candidate pass of the current corpus, from a state: pairs and banal n-grams in
    current document numbers (see :func:`update`)."""

    pairs: list[tuple[int, int]]
    banal: dict[int, list[int]]


def update(
    state: CandidateState,
    keys: Sequence[str],
    threshold: int,
    fingerprints_of: Callable[[list[str]], Mapping[str, Sequence[int]] | None],
    contribution: Contribution,
    min_shared: int,
) -> Update | None:
    """The candidate pairs and banal n-grams (with carriers) of the corpus *keys* (digests in
    digest order) under *threshold*, from *state* and the fingerprints of the articles added
    or removed since (``fingerprints_of(digests)``, ``None`` when some are not to be had).

    ``None`` when a full pass is needed instead: too many changes (:data:`MAX_CHANGED`),
    missing fingerprints, or repeated digests.
    """
    base = {d: k for k, d in enumerate(state.docs)}
    current = set(keys)
    if len(current) != len(keys) or len(base) != len(state.docs):
        return None
    removed = [d for d in state.docs if d not in current]
    added = [d for d in keys if d not in base]
    if len(removed) + len(added) > MAX_CHANGED:
        return None
    fps = fingerprints_of(removed + added) if removed or added else {}
    if fps is None:
        return None
    # Document numbers: the state's, then the added ones; ordered by digest.
    digest_of = list(state.docs) + added
    number = {d: len(state.docs) + k for k, d in enumerate(added)}
    gone = {base[d] for d in removed}
    carried_by_added: dict[int, list[int]] = {}
    for d in added:
        for h in fps[d]:
            carried_by_added.setdefault(h, []).append(number[d])

    touched = set(carried_by_added)
    for d in removed:
        touched.update(fps[d])
    low, high = sorted((state.threshold, threshold))
    if low != high:  # n-grams whose banality the threshold's move alone changes
        for h in state.heavy:
            if h not in touched and low <= len(state.carriers_of(h)) < high:
                touched.add(h)

    delta: Counter[int] = Counter()
    now_banal: dict[int, list[int]] = {}
    by_digest = digest_of.__getitem__
    for h in touched:
        old = list(state.carriers_of(h))
        new = [c for c in old if c not in gone]
        if h in carried_by_added:
            new = sorted(new + carried_by_added[h], key=by_digest)
        before = contribution(old, state.threshold) if len(old) > 1 else []
        after = contribution(new, threshold) if len(new) > 1 else []
        if before:
            delta.subtract(before)
        if after:
            delta.update(after)
        if after is None:
            now_banal[h] = new
    for h in state.heavy:
        if h not in touched:
            carriers = state.carriers_of(h)
            if len(carriers) >= threshold:
                now_banal[h] = list(carriers)

    candidates = set(state.candidates)
    for pair, change in delta.items():
        if change == 0:
            continue
        if pair >> 32 < len(state.docs) and pair & _MASK < len(state.docs):
            count = state.count_of(pair) + change
        else:
            count = change
        if count >= min_shared:
            candidates.add(pair)
        else:
            candidates.discard(pair)
    index = {d: k for k, d in enumerate(keys)}
    pairs: list[tuple[int, int]] = []
    for p in candidates:
        x, y = index[digest_of[p >> 32]], index[digest_of[p & _MASK]]
        pairs.append((x, y) if x < y else (y, x))
    pairs.sort()
    banal = {h: [index[digest_of[c]] for c in cs] for h, cs in now_banal.items()}
    return Update(pairs, banal)
