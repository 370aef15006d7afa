"""Aligned passages shared by two articles, with a word-level diff.

:func:`align` finds every passage two articles share — verbatim, re-typeset,
lightly edited, elided or moved to another place — and returns them as
:class:`PassagePair` objects in the first article's reading order.

How it works (a local, order-independent aligner in the spirit of BLAST):

1. **Tokens.** Both texts go through :func:`kazreader.text.tokenize`, so curly
   and straight quotes, dashes, case and line breaks never matter, and every
   word keeps its character span in the article's text.
2. **Seeds.** Every word :data:`SEED_N`-gram of A that also occurs in B is a
   seed ``(i, j)``, unless it is made only of :data:`COMMON_WORDS` and words of
   :data:`STOCK_PHRASES`, or occurs more than :data:`MAX_SEED_OCCURRENCES`
   times in either text (boilerplate).
3. **Chains.** Seeds are chained along (near-)diagonals by dynamic programming:
   a seed may follow another one that lies up to :data:`MAX_GAP` words further
   on *in both texts*, so small insertions, deletions, replacements, elisions
   ("…") and lists reordered inside a sentence are bridged, while passages that
   appear in a different order in the two articles simply make separate chains.
4. **Refinement.** Each chain is extended word by word while both texts agree,
   snapped to the sentence boundary when at most :data:`SNAP_WORDS` words are
   missing on each side (up to :data:`MAX_GAP` when both sentences start or
   end with the same word: an elided quotation), and aligned word by word
   (:func:`rapidfuzz.distance.Indel.opcodes`, i.e. a longest common
   subsequence, with adjacent deletions and insertions reported as one
   replacement) to give the diff and the similarity. A weak end (fewer than
   :data:`MIN_TAIL_UNITS` content units) joined to the rest across a
   sentence break *and* an edit is cut off: it is a neighbouring sentence that
   happens to share a few words, not part of the passage.
5. **Filters.** A passage is reported only if it has at least :data:`MIN_WORDS`
   words on both sides, at least :data:`MIN_CONTENT_UNITS` shared content units
   (a run of capitalised words — a name such as "President Kassym-Jomart
   Tokayev" — counts once, common words not at all), a run of at least
   :data:`MIN_RUN` identical words, and a similarity of at least
   :data:`MIN_SIMILARITY`. Stock phrases ("on Thursday", "the country's
   largest city", "the president said that") and shared names therefore never
   count as reuse. Whatever else it holds, a region with an identical run of
   :data:`MIN_VERBATIM_RUN` words or more is reported (that run at least): a
   twelve-word quotation two outlets print word for word is reuse even when
   it is made of plain words ("They do have my blessing to discuss the end of
   the war" has only four content units).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count
from operator import not_
from typing import Any

from rapidfuzz.distance import Indel

from kazreader.corpus.model import Article
from kazreader.positions import group_positions
from kazreader.text import token_columns, tokenize

__all__ = [
    "COMMON_WORDS",
    "DiffOp",
    "MAX_GAP",
    "MAX_SEED_OCCURRENCES",
    "MIN_TAIL_UNITS",
    "MIN_CONTENT_UNITS",
    "MIN_RUN",
    "MIN_SIMILARITY",
    "MIN_VERBATIM_RUN",
    "MIN_WORDS",
    "PassagePair",
    "PreparedText",
    "SEED_N",
    "STOCK_PHRASES",
    "SNAP_WORDS",
    "align",
    "align_prepared",
    "align_texts",
    "prepare",
]

#: Minimum passage length, in words, on both sides. Nine words is about the
#: shortest sentence worth calling copied; anything shorter is too often a
#: stock phrase, a short quotation both outlets took from the same speaker, or
#: a title plus a name.
MIN_WORDS = 9
#: Minimum number of *content units* among the words both sides share: a run
#: of capitalised words counts as one unit (so shared names alone never make a
#: passage), a common word counts as none.
MIN_CONTENT_UNITS = 5
#: An identical run of at least this many words is always reported, whatever
#: its content units and the similarity of the region around it: twelve words
#: in the same order are far beyond what a stock phrase or a shared name
#: produces by chance (the longest stock phrases, such as "did not immediately
#: respond to a request for comment", have nine), and a quotation printed word
#: for word by two outlets is reuse even when made of plain words.
MIN_VERBATIM_RUN = 12
#: Minimum word-level similarity (``2·matches / (len_a + len_b)``).
MIN_SIMILARITY = 0.6
#: The longest run of identical words a passage needs (a seed's length: after
#: trimming, a passage must still contain one whole seed).
MIN_RUN = 4
#: Seed length in words. Four words survive light editing (an edit every five
#: words still leaves seeds) while being rare enough to be meaningful.
SEED_N = 4
#: Largest gap, in words, bridged inside one passage on each side (an inserted
#: clause, an elision, a reordered list).
MAX_GAP = 12
#: A seed n-gram occurring more often than this in either text is ignored.
MAX_SEED_OCCURRENCES = 8
#: A passage is extended to its sentence boundary when no more than this many
#: words are missing on each side (or, when both sentences start with the same
#: word, up to :data:`MAX_GAP` words: an elided quotation).
SNAP_WORDS = 3
#: Content units an end segment needs to stay attached across a sentence
#: break and an edit.
MIN_TAIL_UNITS = 3

#: English function words and newswire stock words. They never seed a passage
#: and never count as content.
COMMON_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against ago all almost also although am among an
    and another any are aren't around as at away back be became because become
    been before being below between both but by can can't cannot could couldn't
    did didn't do does doesn't doing don't down during each early earlier either
    else even ever every far few first for from further had hadn't has hasn't
    have haven't having he he'd he's her here hers herself him himself his how
    however i i'd i'm i've if in including into is isn't it it's its itself just
    last late later least less like made make many may me might more most much
    must my myself near nearly never new next no nor not now of off often on once
    one only onto or other others our ours ourselves out over own per perhaps
    rather same second several shall she she's should shouldn't since so some
    still such than that that's the their theirs them themselves then there
    there's these they they'd they're they've third this those though three
    through thus to too two under until up upon us very via was wasn't we we're
    we've well were weren't what what's when where whether which while who
    who's whom whose why will with within without won't would wouldn't yet you
    your yours yourself
    said say says saying told tell according added adding asked stated noted
    reported reports report reporting news statement statements
    today yesterday tomorrow tonight morning afternoon evening night overnight
    day days week weeks month months year years time times
    monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november
    december mr mrs ms dr
    """.split()
)

#: Newswire stock phrases: their words never count as content where the whole
#: phrase occurs (so "Almaty, the country's largest city" plus a shared name is
#: not a passage). Matched on normalised words.
STOCK_PHRASES: tuple[str, ...] = (
    "the country's largest city",
    "the country's capital",
    "the largest city",
    "the capital city",
    "the president said",
    "the prime minister said",
    "the ministry said",
    "officials said",
    "police said",
    "said in a statement",
    "told reporters",
    "told the news agency",
    "state news agency",
    "news agency reported",
    "on condition of anonymity",
    "was not immediately clear",
    "did not immediately respond to a request for comment",
    "could not be independently verified",
    "in a televised address",
    "local media reported",
    "according to local media",
    "according to officials",
    "social media",
)
_STOCK_BY_LAST: dict[str, list[tuple[str, ...]]] = {}
for _phrase in STOCK_PHRASES:
    _words = tuple(t.norm for t in tokenize(_phrase))
    _STOCK_BY_LAST.setdefault(_words[-1], []).append(_words)
del _phrase, _words

# Between two words: a sentence ends at a line break, or at . ! ? (closing
# quotes/brackets allowed) followed by a space, when the next word is
# capitalised or a number. An ellipsis is an elision, not a sentence end.
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’»)\]]*\s")
_OPENING = "\"'“‘«([„"
_CLOSING = ".!?…\"'”’»)]"


# --- result types -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One word-level edit inside a passage pair.

    ``op`` is ``"equal"``, ``"insert"`` (words only in B; empty span in A at
    the insertion point), ``"delete"`` (words only in A; empty span in B) or
    ``"replace"``. Spans are half-open character ranges into each article's
    text.
    """

    op: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "op": self.op,
            "a_start": self.a_start,
            "a_end": self.a_end,
            "b_start": self.b_start,
            "b_end": self.b_end,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DiffOp:
        """Rebuild a :class:`DiffOp` from :meth:`to_json` output."""
        return cls(d["op"], d["a_start"], d["a_end"], d["b_start"], d["b_end"])


@dataclass(frozen=True, slots=True)
class PassagePair:
    """A passage found in both articles: its span and text in each, and how
    they differ.

    ``words`` is the passage length in words (the shorter side);
    ``similarity`` is the word-level similarity in ``0..1``.
    """

    a_start: int
    a_end: int
    a_text: str
    b_start: int
    b_end: int
    b_text: str
    words: int
    similarity: float
    diff: tuple[DiffOp, ...]

    def to_json(self) -> dict[str, Any]:
        """The ``compare --json`` passage record, plus a ``"diff"`` list."""
        return {
            "a_start": self.a_start,
            "a_end": self.a_end,
            "a_text": self.a_text,
            "b_start": self.b_start,
            "b_end": self.b_end,
            "b_text": self.b_text,
            "words": self.words,
            "similarity": self.similarity,
            "diff": [op.to_json() for op in self.diff],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PassagePair:
        """Rebuild a :class:`PassagePair` from :meth:`to_json` output."""
        return cls(
            a_start=d["a_start"],
            a_end=d["a_end"],
            a_text=d["a_text"],
            b_start=d["b_start"],
            b_end=d["b_end"],
            b_text=d["b_text"],
            words=d["words"],
            similarity=d["similarity"],
            diff=tuple(DiffOp.from_json(op) for op in d.get("diff", ())),
        )


# --- prepared text ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreparedText:
    """A text tokenised once for any number of alignments.

    ``norms``, ``starts`` and ``ends`` describe its words (see
    :func:`kazreader.text.tokenize`); ``content`` marks words not in
    :data:`COMMON_WORDS`; ``capital`` marks words that start with a capital
    letter; ``seeds`` maps each usable :data:`SEED_N`-gram to the first word
    position where it starts, ``repeats`` those found more than once to all
    of them (most occur once: no list for them).
    """

    text: str
    norms: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    content: tuple[bool, ...]
    capital: tuple[bool, ...]
    seeds: dict[tuple[str, ...], int]
    repeats: dict[tuple[str, ...], list[int]]

    def seed_positions(self, gram: tuple[str, ...]) -> list[int] | tuple[int]:
        """Every word position where the seed *gram* starts."""
        return self.repeats.get(gram) or (self.seeds[gram],)

    def sentence_start(self, k: int) -> bool:
        """True when a sentence (or paragraph) starts at word *k*."""
        if k == 0:
            return True
        gap_start, gap_end = self.ends[k - 1], self.starts[k]
        if "\n" in self.text[gap_start:gap_end]:
            return True
        return (self.capital[k] or self.norms[k][0].isdigit()) and (
            _SENTENCE_END_RE.search(self.text, gap_start, gap_end) is not None
        )


@lru_cache(maxsize=512)
def prepare(text: str) -> PreparedText:
    """Tokenise *text* and index its seed n-grams (cached per text)."""
    norms, starts, ends = token_columns(text)
    content = _content_flags(norms)
    capital = tuple(map(str.isupper, map(text.__getitem__, starts)))
    useful = list(map(any, zip(*(content[k:] for k in range(SEED_N)))))
    grams = list(compress(zip(*(norms[k:] for k in range(SEED_N))), useful))
    at = list(compress(count(), useful))
    seeds, repeats = group_positions(grams, at)
    return PreparedText(text, norms, starts, ends, content, capital, seeds, repeats)


def _content_flags(norms: tuple[str, ...]) -> tuple[bool, ...]:
    """True for each word that is neither common nor inside a stock phrase."""
    flags = list(map(not_, map(COMMON_WORDS.__contains__, norms)))
    if not _STOCK_BY_LAST.keys() & set(norms):
        return tuple(flags)
    for k in compress(range(len(norms)), map(_STOCK_BY_LAST.__contains__, norms)):
        for phrase in _STOCK_BY_LAST[norms[k]]:
            lo = k + 1 - len(phrase)
            if lo >= 0 and norms[lo : k + 1] == phrase:
                flags[lo : k + 1] = [False] * len(phrase)
    return tuple(flags)


# --- alignment --------------------------------------------------------------


def align(a: Article, b: Article) -> list[PassagePair]:
    """The passages articles *a* and *b* share, in *a*'s reading order."""
    return align_texts(a.text, b.text)


def align_texts(a_text: str, b_text: str) -> list[PassagePair]:
    """The passages two texts share, in the first text's order."""
    return align_prepared(prepare(a_text), prepare(b_text))


def align_prepared(pa: PreparedText, pb: PreparedText) -> list[PassagePair]:
    """:func:`align` on texts already :func:`prepare`-d."""
    seeds = _seeds(pa, pb)
    runs = _verbatim_runs(pa, pb, seeds)
    regions = [_absorb(_refine(pa, pb, chain), runs) for chain in _chains(seeds)]
    kept: list[tuple[_Region, _Region, PassagePair]] = []  # (region, its passage's words, passage)
    for region in sorted(regions, key=lambda r: -(r[1] - r[0] + r[3] - r[2])):
        if any(_overlaps(region, k[0]) for k in kept):
            continue
        found = _pair(pa, pb, *region, anchors=[r for r in runs if _inside(r, region)])
        if found is not None:
            kept.append((region, found[1], found[0]))
    for run in runs:  # a verbatim run is always reported (its region may have been passed over)
        if not any(_inside(run, k[1]) for k in kept):
            found = _pair(pa, pb, *run, anchors=[run])
            if found is not None:
                kept.append((run, found[1], found[0]))
    kept.sort(key=lambda k: (k[1][0], k[1][2]))
    return [k[2] for k in kept]


_Region = tuple[int, int, int, int]


def _verbatim_runs(pa: PreparedText, pb: PreparedText, seeds: list[tuple[int, int]]) -> list[_Region]:
    """Every identical run of at least :data:`MIN_VERBATIM_RUN` words, as a
    region ``(a0, a1, b0, b1)``: seeds that touch on one diagonal, extended
    while both texts agree. Sorted, none inside another."""
    ends: dict[int, int] = {}  # diagonal -> end (in A) of the run being grown
    starts: dict[int, int] = {}
    found: set[_Region] = set()
    na, nb = pa.norms, pb.norms
    for i, j in seeds + [(-1, -1)]:
        d = i - j
        if i >= 0 and d in ends and i <= ends[d]:
            ends[d] = i + SEED_N
            continue
        if i < 0:
            closing = list(ends)
        else:
            closing = [d] if d in ends else []
        for dd in closing:
            a0, a1 = starts.pop(dd), ends.pop(dd)
            b0, b1 = a0 - dd, a1 - dd
            while a0 > 0 and b0 > 0 and na[a0 - 1] == nb[b0 - 1]:
                a0, b0 = a0 - 1, b0 - 1
            while a1 < len(na) and b1 < len(nb) and na[a1] == nb[b1]:
                a1, b1 = a1 + 1, b1 + 1
            if a1 - a0 >= MIN_VERBATIM_RUN:
                found.add((a0, a1, b0, b1))
        if i >= 0:
            starts[d], ends[d] = i, i + SEED_N
    return sorted(found)


def _inside(r: _Region, s: _Region) -> bool:
    """True when region *r* lies within region *s* in both texts."""
    return s[0] <= r[0] and r[1] <= s[1] and s[2] <= r[2] and r[3] <= s[3]


def _absorb(region: _Region, runs: list[_Region]) -> _Region:
    """*region* grown to take in the verbatim runs it overlaps in both texts."""
    for run in runs:
        if _overlaps(region, run) and not _inside(run, region):
            region = (min(region[0], run[0]), max(region[1], run[1]), min(region[2], run[2]), max(region[3], run[3]))
    return region


def _seeds(pa: PreparedText, pb: PreparedText) -> list[tuple[int, int]]:
    """Word positions ``(i, j)`` where the same seed n-gram starts in A and B."""
    small, large = (pa, pb) if len(pa.seeds) <= len(pb.seeds) else (pb, pa)
    out: list[tuple[int, int]] = []
    for gram in small.seeds.keys() & large.seeds.keys():
        here, there = small.seed_positions(gram), large.seed_positions(gram)
        if len(here) > MAX_SEED_OCCURRENCES or len(there) > MAX_SEED_OCCURRENCES:
            continue
        if small is pa:
            out.extend((i, j) for i in here for j in there)
        else:
            out.extend((i, j) for j in here for i in there)
    out.sort()
    return out


def _chains(seeds: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Chain seeds into local alignments ``(a0, a1, b0, b1)`` (word indexes).

    Dynamic programming over seeds sorted by A position: a seed's best
    predecessor is an earlier seed in both texts within ``SEED_N + MAX_GAP``
    words, scored by the new words it covers minus a penalty for the
    difference between the two gaps. Chains are then read back from the best
    end, each seed used once.
    """
    n = len(seeds)
    if not n:
        return []
    reach = SEED_N + MAX_GAP
    score = [float(SEED_N)] * n
    pred = [-1] * n
    lo = 0
    for k in range(n):
        i, j = seeds[k]
        while seeds[lo][0] < i - reach:
            lo += 1
        best, best_m = float(SEED_N), -1
        for m in range(lo, k):
            pi, pj = seeds[m]
            di, dj = i - pi, j - pj
            if di <= 0 or dj <= 0 or dj > reach:
                continue
            gain = min(SEED_N, di, dj) - 0.5 * abs(di - dj)
            if di > SEED_N and dj > SEED_N:
                gain -= 0.25 * (min(di, dj) - SEED_N)
            s = score[m] + gain
            if s > best:
                best, best_m = s, m
        score[k], pred[k] = best, best_m
    used = [False] * n
    chains: list[tuple[int, int, int, int]] = []
    for k in sorted(range(n), key=lambda x: -score[x]):
        if used[k]:
            continue
        last = k
        first = k
        m = k
        while m != -1 and not used[m]:
            used[m] = True
            first = m
            m = pred[m]
        (fi, fj), (li, lj) = seeds[first], seeds[last]
        chains.append((fi, li + SEED_N, fj, lj + SEED_N))
    return chains


def _refine(
    pa: PreparedText, pb: PreparedText, chain: tuple[int, int, int, int]
) -> tuple[int, int, int, int]:
    """Extend a chain while both texts agree, then snap it to sentence edges."""
    a0, a1, b0, b1 = chain
    na, nb = pa.norms, pb.norms
    while a0 > 0 and b0 > 0 and na[a0 - 1] == nb[b0 - 1]:
        a0 -= 1
        b0 -= 1
    while a1 < len(na) and b1 < len(nb) and na[a1] == nb[b1]:
        a1 += 1
        b1 += 1
    ka, kb = _sentence_start(pa, a0), _sentence_start(pb, b0)
    if ka is not None and kb is not None and _may_snap(a0 - ka, b0 - kb, na[ka] == nb[kb]):
        a0, b0 = ka, kb
    ka, kb = _sentence_end(pa, a1), _sentence_end(pb, b1)
    if ka is not None and kb is not None and _may_snap(
        ka - a1, kb - b1, na[ka - 1] == nb[kb - 1]
    ):
        a1, b1 = ka, kb
    return a0, a1, b0, b1


def _may_snap(missing_a: int, missing_b: int, same_edge_word: bool) -> bool:
    """Whether a passage may grow over the words missing to its sentence edge."""
    longest = max(missing_a, missing_b)
    return longest <= SNAP_WORDS or (same_edge_word and longest <= MAX_GAP)


def _sentence_start(p: PreparedText, k: int) -> int | None:
    """The start of word *k*'s sentence, if at most MAX_GAP words back."""
    for back in range(MAX_GAP + 1):
        if k - back < 0:
            return None
        if p.sentence_start(k - back):
            return k - back
    return None


def _sentence_end(p: PreparedText, k: int) -> int | None:
    """The end (exclusive word index) of the sentence that word ``k - 1`` ends
    or continues, if at most MAX_GAP words on."""
    n = len(p.norms)
    for on in range(MAX_GAP + 1):
        if k + on > n:
            return None
        if k + on == n or p.sentence_start(k + on):
            return k + on
    return None


def _overlaps(r: tuple[int, int, int, int], s: tuple[int, int, int, int]) -> bool:
    """True when two regions overlap in both texts (the same alignment twice)."""
    return r[0] < s[1] and s[0] < r[1] and r[2] < s[3] and s[2] < r[3]


_Op = tuple[str, int, int, int, int]


def _word_ops(
    pa: PreparedText, pb: PreparedText, a0: int, a1: int, b0: int, b1: int, anchors: Sequence[_Region] = ()
) -> list[_Op]:
    """Word-level opcodes (absolute word indexes); a deletion next to an
    insertion becomes one replacement. *anchors* (verbatim runs inside the
    region, sorted) are kept whole: the words between them are aligned
    piece by piece, so a repeated phrase never splits a run."""
    ops: list[_Op] = []
    i, j = a0, b0
    for x0, x1, y0, y1 in anchors:
        if x0 < i or y0 < j:
            continue  # crosses an earlier anchor
        _indel_ops(pa, pb, i, x0, j, y0, ops)
        _add_op(ops, "equal", x0, x1, y0, y1)
        i, j = x1, y1
    _indel_ops(pa, pb, i, a1, j, b1, ops)
    return ops


def _indel_ops(pa: PreparedText, pb: PreparedText, a0: int, a1: int, b0: int, b1: int, ops: list[_Op]) -> None:
    """Append the opcodes of words ``[a0, a1)`` of A against ``[b0, b1)`` of B to *ops*."""
    for op in Indel.opcodes(pa.norms[a0:a1], pb.norms[b0:b1]):
        _add_op(ops, op.tag, a0 + op.src_start, a0 + op.src_end, b0 + op.dest_start, b0 + op.dest_end)


def _add_op(ops: list[_Op], tag: str, i0: int, i1: int, j0: int, j1: int) -> None:
    """Append one opcode, merged with the last one: equal runs join, and
    deletions, insertions and replacements next to each other become one."""
    if i0 == i1 and j0 == j1:
        return
    if ops and (ops[-1][0] == "equal") == (tag == "equal"):
        last = ops.pop()
        tag = tag if last[0] == tag else "replace"
        i0, j0 = last[1], last[3]
    ops.append((tag, i0, i1, j0, j1))


def _units(p: PreparedText, k0: int, k1: int) -> int:
    """Content units among words ``[k0, k1)``: a capitalised run counts once."""
    units = 0
    in_name = False
    for k in range(k0, k1):
        if not p.content[k]:
            in_name = False
        elif p.capital[k]:
            units += not in_name
            in_name = True
        else:
            units += 1
            in_name = False
    return units


def _crosses_sentence(p: PreparedText, k0: int, k1: int) -> bool:
    """True when a sentence or paragraph boundary lies in or around the words
    ``[k0, k1)`` (between word ``k0 - 1`` and word ``k1``)."""
    return any(p.sentence_start(k) for k in range(max(k0, 1), min(k1, len(p.norms) - 1) + 1))


def _strong(pa: PreparedText, ops: Sequence[_Op]) -> bool:
    """Whether an end segment stays attached across a sentence break and an
    edit: it has :data:`MIN_TAIL_UNITS` content units, or a verbatim run."""
    equal = [o for o in ops if o[0] == "equal"]
    if any(o[2] - o[1] >= MIN_VERBATIM_RUN for o in equal):
        return True
    return sum(_units(pa, o[1], o[2]) for o in equal) >= MIN_TAIL_UNITS


def _trim_ends(pa: PreparedText, pb: PreparedText, ops: list[_Op]) -> tuple[int, int] | None:
    """The op range ``[first, last)`` to keep once weak ends glued on across a
    sentence break and an edit are cut off, or ``None`` when nothing is cut."""
    cuts = [
        t
        for t, (tag, i0, i1, j0, j1) in enumerate(ops)
        if tag != "equal"
        and 0 < t < len(ops) - 1
        and (_crosses_sentence(pa, i0, i1) or _crosses_sentence(pb, j0, j1))
    ]
    if not cuts:
        return None
    first, last = 0, len(ops)
    if not _strong(pa, ops[: cuts[0]]):
        first = cuts[0] + 1
    if not _strong(pa, ops[cuts[-1] + 1 :]):
        last = cuts[-1]
    if (first, last) == (0, len(ops)) or first >= last:
        return None if first < last else (0, 0)
    return first, last


def _trimmed(pa: PreparedText, pb: PreparedText, ops: list[_Op]) -> list[_Op]:
    """*ops* without their weak ends (see :func:`_trim_ends`), starting and ending on equal words."""
    keep = _trim_ends(pa, pb, ops)
    if keep is None:
        return ops
    ops = ops[keep[0] : keep[1]]
    while ops and ops[0][0] != "equal":
        ops.pop(0)
    while ops and ops[-1][0] != "equal":
        ops.pop()
    return ops


def _pair(
    pa: PreparedText, pb: PreparedText, a0: int, a1: int, b0: int, b1: int, *, anchors: Sequence[_Region] = ()
) -> tuple[PassagePair, _Region] | None:
    """Word-align a region and build its :class:`PassagePair` (and its word
    region), or ``None`` when it fails the filters. A region that fails them
    but holds an identical run of :data:`MIN_VERBATIM_RUN` words gives that
    run."""
    if min(a1 - a0, b1 - b0) < MIN_WORDS:
        return None
    ops = _word_ops(pa, pb, a0, a1, b0, b1, anchors)
    kept = _trimmed(pa, pb, list(ops))
    if kept:
        pair = _passage(pa, pb, kept)
        if pair is not None:
            return pair, (kept[0][1], kept[-1][2], kept[0][3], kept[-1][4])
    run = max((o for o in ops if o[0] == "equal"), key=lambda o: o[2] - o[1], default=None)
    if run is not None and run[2] - run[1] >= MIN_VERBATIM_RUN:
        pair = _passage(pa, pb, [run])
        return None if pair is None else (pair, run[1:])
    return None


def _passage(pa: PreparedText, pb: PreparedText, ops: list[_Op]) -> PassagePair | None:
    """The :class:`PassagePair` of word ops *ops* (from the first op's start to
    the last op's end), or ``None`` when it fails the filters (a verbatim run
    never does)."""
    a0, b0, a1, b1 = ops[0][1], ops[0][3], ops[-1][2], ops[-1][4]
    la, lb = a1 - a0, b1 - b0
    matched = sum(o[2] - o[1] for o in ops if o[0] == "equal")
    units = sum(_units(pa, o[1], o[2]) for o in ops if o[0] == "equal")
    longest = max((o[2] - o[1] for o in ops if o[0] == "equal"), default=0)
    similarity = 2 * matched / (la + lb)
    if longest < MIN_VERBATIM_RUN and (
        min(la, lb) < MIN_WORDS or units < MIN_CONTENT_UNITS or similarity < MIN_SIMILARITY or longest < MIN_RUN
    ):
        return None
    diff = tuple(
        DiffOp(tag, *_char_span(pa, i0, i1), *_char_span(pb, j0, j1))
        for tag, i0, i1, j0, j1 in ops
    )
    a_start, a_end = _snap_chars(pa, a0, a1)
    b_start, b_end = _snap_chars(pb, b0, b1)
    return PassagePair(
        a_start=a_start,
        a_end=a_end,
        a_text=pa.text[a_start:a_end],
        b_start=b_start,
        b_end=b_end,
        b_text=pb.text[b_start:b_end],
        words=min(la, lb),
        similarity=round(similarity, 4),
        diff=diff,
    )


def _char_span(p: PreparedText, k0: int, k1: int) -> tuple[int, int]:
    """Character span of words ``[k0, k1)``; an empty range sits right after
    word ``k0 - 1``."""
    if k1 > k0:
        return p.starts[k0], p.ends[k1 - 1]
    pos = p.ends[k0 - 1] if k0 > 0 else p.starts[0]
    return pos, pos


def _snap_chars(p: PreparedText, k0: int, k1: int) -> tuple[int, int]:
    """Character span of words ``[k0, k1)``, taking in adjacent opening quotes
    before and closing punctuation after (so whole sentences read whole)."""
    text = p.text
    start, end = p.starts[k0], p.ends[k1 - 1]
    while start > 0 and text[start - 1] in _OPENING:
        start -= 1
    while end < len(text) and text[end] in _CLOSING:
        end += 1
    return start, end
