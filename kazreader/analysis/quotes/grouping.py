"""Statement groups: which quotations, across articles, render one statement."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import chain
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from kazreader.analysis.quotes.model import Quote
from kazreader.gcpause import gc_paused
from kazreader.text import fold, word_norms

__all__ = ["group_quotes", "normalise_quote"]

# --- grouping ---------------------------------------------------------------------

#: Paraphrase lexicon: surface word -> shared key. General news-speak only.
_SYNONYMS: dict[str, str] = {}
for _key, _words in {
    "kill": "kill killed kills killing eliminate eliminated eliminates eliminating "
    "neutralise neutralised neutralize neutralized neutralising neutralizing "
    "liquidate liquidated liquidating slain slay slayed",
    "attacker": "attacker attackers assailant assailants rioter rioters militant "
    "militants gunman gunmen insurgent insurgents bandit bandits",
    "injure": "injure injured injuring injuries wound wounded wounding hurt",
    "detain": "detain detained detaining arrest arrested arresting",
    "say": "say says said state stated",
    "big": "big large huge major",
    "start": "start started begin began begun commence commenced",
    "help": "help helped aid aided assist assisted assistance",
    "troop": "troop troops soldier soldiers force forces",
    "people": "people persons individuals",
    "attack": "attack attacked attacks assault assaulted assaults storm stormed",
}.items():
    for _w in _words.split():
        _SYNONYMS[_w] = _key

_STOP = set(
    "a an the of to in on at for and or but is are was were be been being it its "
    "this that these those with as by from we our us i you he she they them their "
    "his her will would has have had not no do does did so all any am my me".split()
)
#: Group containment and similarity thresholds (token level).
SIM_SAME_SPEAKER = 0.6
SIM_UNATTRIBUTED = 0.75
CONTAIN_MIN = 0.85
CONTAIN_SAME_SPEAKER = 0.75
#: Renderings that do not contain one another share at least this share of their content words.
SHARED_CONTENT = 0.5
#: A word carried by more quotes than this is too common to block on.
BLOCK_MAX_DF = 200
BLOCK_KEYS = 4


_CONTRACTIONS = {"ve": "have", "m": "am", "re": "are", "ll": "will", "d": "would", "t": "not", "s": ""}


_SPELLING = (("isation", "ization"), ("ised", "ized"), ("ising", "izing"), ("ise", "ize"), ("our", "or"))


def _spelling(w: str) -> str:
    if len(w) < 6:
        return w
    for brit, amer in _SPELLING:
        if len(w) >= 6 and w.endswith(brit):
            return w[: -len(brit)] + amer
    return w


@lru_cache(maxsize=1 << 18)
def _stem(w: str) -> str:
    if w in _STOP or w in _SYNONYMS:
        return _SYNONYMS.get(w, w)
    w = _spelling(w)
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    return _SYNONYMS.get(w, w)


_DOTTED_RE = re.compile(r"\b(?:[A-Za-z]\.){2,}")


def normalise_quote(text: str) -> list[str]:
    """A quote's comparison tokens: folded, contractions expanded, stemmed, paraphrase-keyed.

    Dotted abbreviations lose their dots (E.U. = EU) and British spellings
    meet American ones (organise = organize, labour = labor).
    """
    out: list[str] = []
    for w in word_norms(_DOTTED_RE.sub(lambda m: m.group().replace(".", ""), text)):
        if "'" in w:
            head, _, tail = w.partition("'")
            if tail in _CONTRACTIONS:
                if tail == "t" and head.endswith("n"):  # don't -> do not, can't -> can not
                    head = head[:-1]
                out.append(_stem(head))
                if _CONTRACTIONS[tail]:
                    out.append(_CONTRACTIONS[tail])
                continue
            w = w.replace("'", "")
        out.append(_stem(w))
    return out


def _speakers_compatible(a: str | None, b: str | None) -> bool:
    """Whether two canonical speaker names may be one speaker (None fits any)."""
    if a is None or b is None or a == b:
        return True
    fa, fb = fold(a), fold(b)
    if fuzz.ratio(fa, fb) >= 85:
        return True
    la, lb = fa.replace(".", "").split(), fb.replace(".", "").split()
    ta, tb = set(la), set(lb)
    if len(ta) >= 2 and len(tb) >= 2:
        # two full names: one person only with the same first and last names (Hillary Rodham Clinton
        # is Hillary Clinton; Melania Trump is not Donald Trump)
        return la[0] == lb[0] and la[-1] == lb[-1]
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def _compare(a: Sequence[str], b: Sequence[str], ca: set[str], cb: set[str]) -> tuple[float, float, bool]:
    """Scores for two renderings by one speaker, by possibly different ones, and whether they are
    surely one statement (near-identical, or one contains the other); one LCS for all three."""
    return _scores(len(a), len(b), len(ca), len(cb), len(ca & cb), lambda: LCSseq.similarity(a, b))


def _scores(
    la: int, lb: int, ka: int, kb: int, shared: int, lcs_of: Callable[[], float]
) -> tuple[float, float, bool]:
    """:func:`_compare` from the lengths of the two renderings (*la*, *lb* words; *ka*, *kb* content
    words), the content words they share, and their word LCS (asked for only when needed)."""
    if not _may_match(la, lb, ka, kb, shared):
        return 0.0, 0.0, False  # too few shared words for any test below, whatever their order: no alignment
    short, short_c = (la, ka) if la <= lb else (lb, kb)
    content_contained = shared / short_c
    enough_shared = shared >= SHARED_CONTENT * max(ka, kb)
    lcs = lcs_of()
    sim = 2 * lcs / (la + lb)
    contain = lcs / short
    scores = []
    for same_speaker in (True, False):
        floor = CONTAIN_SAME_SPEAKER if same_speaker and short >= 4 else CONTAIN_MIN
        need = SIM_SAME_SPEAKER if same_speaker else SIM_UNATTRIBUTED
        if contain >= floor and content_contained >= floor:
            scores.append(max(sim, 0.5 + contain / 4))  # one rendering contains the other
        elif sim >= need and enough_shared:
            scores.append(sim)
        else:
            scores.append(0.0)
    near = sim >= SAME_ARTICLE_SIM and shared >= SAME_ARTICLE_SIM * max(ka, kb)
    surely = near or (contain >= CONTAIN_MIN and content_contained >= CONTAIN_MIN)
    return scores[0], scores[1], surely


def _may_match(la: int, lb: int, ka: int, kb: int, shared: int) -> bool:
    """:func:`_scores`' first test: the renderings share half the content words of the larger set,
    or most of the shorter rendering's (else no word order can make them match)."""
    if not ka or not kb or not shared:
        return False
    short_c = ka if la <= lb else kb
    return shared >= SHARED_CONTENT * max(ka, kb) or shared / short_c >= min(CONTAIN_SAME_SPEAKER, CONTAIN_MIN)


#: A quote with fewer content words than this may join a group but never bridges two.
HUB_CONTENT = 3
#: Two quotes of one article join a group only when near-identical or one contains the other.
SAME_ARTICLE_SIM = 0.85


def _blocks(contents: Sequence[set[str]], speakers: Sequence[set[str]]) -> list[list[int]]:
    """Groups of texts that may render one statement: those sharing a key, one of their
    :data:`BLOCK_KEYS` rarest shared content words (or a word and a speaker), each kept only
    with at most :data:`BLOCK_MAX_DF` texts (a common word blocks nothing). Every pair within
    one block is a candidate pair; a pair may lie in several blocks."""
    df: Counter[str] = Counter(t for c in contents for t in c)
    postings: dict[Any, list[int]] = defaultdict(list)
    for i, c in enumerate(contents):
        shared = sorted((t for t in c if df[t] > 1), key=lambda t: (df[t], t))
        keys: list[Any] = shared[:BLOCK_KEYS]
        for who in {fold(sp).split()[-1] for sp in speakers[i] if sp.strip()}:
            # same speaker: every word is a key (a paraphrase may share few rare ones)
            keys.extend((who, t) for t in shared)
        for key in keys:
            postings[key].append(i)
    return [ids for ids in postings.values() if 1 < len(ids) <= BLOCK_MAX_DF]


def _as_chars(seqs: Sequence[Iterable[str]], sort: bool) -> list[str]:
    """Each sequence of words as a string of one character per word (distinct words, distinct
    characters; sorted by character with *sort*), so that rapidfuzz compares them in C: the LCS
    of two sorted strings of distinct characters is the number of words the two sets share."""
    code: dict[str, str] = {}
    out = []
    for seq in seqs:
        chars = [code.get(w) or code.setdefault(w, chr(_CODE_BASE + len(code) + (len(code) >= _SURROGATES))) for w in seq]
        out.append("".join(sorted(chars) if sort else chars))
    return out


#: Characters of :func:`_as_chars` start here and skip the surrogates (never valid alone in a str).
_CODE_BASE = 0x100
_SURROGATES = 0xD800 - _CODE_BASE


def _overlapping(tx: _Texts, blocks: Sequence[list[int]]) -> dict[tuple[int, int], int]:
    """The candidate text pairs (in one block, lower index first) that pass :func:`_may_match`,
    with how many content words they share.

    That test needs the pair to share at least half the content words of its text with fewer
    of them (half of the larger set, or three quarters of the shorter rendering's): each block's
    texts are ordered by their number of content words and every text is compared, in C, only
    with those after it, at that cutoff; the few pairs above it take the exact test.
    """
    sets = _as_chars(tx.contents, sort=True)
    sizes = [len(c) for c in tx.contents]
    lengths = [len(t) for t in tx.texts]
    found: dict[tuple[int, int], int] = {}
    for ids in blocks:
        order = sorted(ids, key=lambda i: (sizes[i], i))
        strs = [sets[i] for i in order]
        for p in range(len(order) - 1):
            i = order[p]
            hits = process.extract(strs[p], strs[p + 1 :], scorer=LCSseq.similarity,
                                   score_cutoff=max(1, (sizes[i] + 1) // 2), limit=None)
            for _s, shared, idx in hits:
                j = order[p + 1 + idx]
                lo, hi = (i, j) if i < j else (j, i)
                if _may_match(lengths[lo], lengths[hi], sizes[lo], sizes[hi], int(shared)):
                    found[lo, hi] = int(shared)
    return found


def _matching_pairs(tx: _Texts) -> list[tuple[int, int, float, float, bool]]:
    """Candidate text pairs that match (:func:`_compare`'s scores, the looser one above 0).

    In the order the blocks find them: what is built from them (sorted scores, sets of linked
    pairs, conflicting groups) does not depend on it."""
    words = _as_chars(tx.texts, sort=False)
    out = []
    for (tu, tv), shared in _overlapping(tx, _blocks(tx.contents, tx.speakers)).items():
        wu, wv = words[tu], words[tv]
        same, unattributed, surely = _scores(len(wu), len(wv), len(tx.contents[tu]), len(tx.contents[tv]), shared,
                                             lambda: LCSseq.similarity(wu, wv))
        if same:
            out.append((tu, tv, same, unattributed, surely))
    return out


@dataclass
class _Texts:
    """The distinct normalised texts of the quotes, their content words, and who said each."""

    texts: list[tuple[str, ...]]
    contents: list[set[str]]
    buckets: list[dict[str | None, list[int]]]  # text -> speaker -> quote indices
    text_of: list[int]  # quote index -> text index
    speakers: list[set[str]] = field(default_factory=list)  # text -> its named speakers
    linked: set[tuple[int, int]] = field(default_factory=set)  # text pairs that match
    strong: set[tuple[int, int]] = field(default_factory=set)  # text pairs that are surely one statement


def _distinct(quotes: Sequence[Quote], norms: Sequence[list[str]]) -> _Texts:
    text_ids: dict[tuple[str, ...], int] = {}
    buckets: list[dict[str | None, list[int]]] = []
    for i, toks in enumerate(norms):
        t = text_ids.setdefault(tuple(toks), len(text_ids))
        if t == len(buckets):
            buckets.append(defaultdict(list))
        buckets[t][quotes[i].speaker].append(i)
    texts = list(text_ids)
    contents = [{w for w in toks if w not in _STOP} or set(toks) for toks in texts]
    speakers = [set(filter(None, b)) for b in buckets]
    return _Texts(texts, contents, buckets, [text_ids[tuple(toks)] for toks in norms], speakers)


class _Speakers:
    """Cached speaker compatibility (None fits anyone)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], bool] = {}

    def fit(self, a: str | None, b: str | None) -> bool:
        if a is None or b is None or a == b:
            return True
        key = (a, b) if a < b else (b, a)
        known = self._cache.get(key)
        if known is None:
            known = self._cache[key] = _speakers_compatible(a, b)
        return known

    def all_fit(self, names: set[str]) -> bool:
        return all(self.fit(a, b) for a in names for b in names)


def _links(tx: _Texts, who: _Speakers) -> tuple[list[tuple[float, int, int]], list[tuple[int, int]]]:
    """Scored quote pairs that may join, best first, and pairs of one statement credited to two speakers.

    Every text pair that matches is also recorded in ``tx.linked``.
    """
    scored: list[tuple[float, int, int]] = []
    conflicts: list[tuple[int, int]] = []
    matches = _matching_pairs(tx)
    for tu, tv, _same, _unattributed, surely in matches:
        tx.linked.add((tu, tv))
        if surely:
            tx.strong.add((tu, tv))
    pairs = chain(((t, t, 1.0, 1.0) for t, b in enumerate(tx.buckets) if len(b) > 1),
                  ((tu, tv, same, unattributed) for tu, tv, same, unattributed, _ in matches))
    for tu, tv, same, unattributed in pairs:
        scores = {True: same, False: unattributed}
        for su, iu in tx.buckets[tu].items():
            for sv, iv in tx.buckets[tv].items():
                if tu == tv and su == sv:
                    continue
                if not who.fit(su, sv):
                    substantial = min(len(tx.contents[tu]), len(tx.contents[tv])) >= HUB_CONTENT
                    if scores[False] and substantial:  # a show's name or a two-word phrase is no finding
                        conflicts.append((iu[0], iv[0]))
                    continue
                sc = scores[su is not None and sv is not None]
                if sc > 0:
                    scored.append((-sc, iu[0], iv[0]))
    scored.sort()
    return scored, conflicts


class _Union:
    """Disjoint sets of quotes, each set knowing its speakers and articles."""

    def __init__(self, quotes: Sequence[Quote], tx: _Texts) -> None:
        self.tx = tx
        self.parent = list(range(len(quotes)))
        self.speakers: list[set[str]] = [{q.speaker} if q.speaker else set() for q in quotes]
        self.articles: list[dict[str, list[int]]] = [{q.article: [i]} for i, q in enumerate(quotes)]
        #: Whether a set holds more than one distinct text (one that does not holds its root's only).
        self.mixed: list[bool] = [False] * len(quotes)
        for b in tx.buckets:  # identical text, identical speaker: one statement
            for idx in b.values():
                for k in idx[1:]:
                    self.join(idx[0], k)

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[rj] = ri
            self.speakers[ri] |= self.speakers[rj]
            self.mixed[ri] = self.mixed[ri] or self.mixed[rj] or self.tx.text_of[ri] != self.tx.text_of[rj]
            for art, idx in self.articles[rj].items():
                self.articles[ri].setdefault(art, []).extend(idx)

    def _linked(self, i: int, j: int, strong: bool = False) -> bool:
        tu, tv = self.tx.text_of[i], self.tx.text_of[j]
        return tu == tv or (min(tu, tv), max(tu, tv)) in (self.tx.strong if strong else self.tx.linked)

    def _bridges(self, z: int, x: int, y: int) -> bool:
        """Whether *z* renders both *x* and *y* (a quote another article printed in parts)."""
        n = self.tx.texts
        tz, tx_, ty = self.tx.text_of[z], self.tx.text_of[x], self.tx.text_of[y]
        longer = len(n[tz]) > min(len(n[tx_]), len(n[ty]))  # a fragment bridges nothing
        return longer and self._linked(x, z) and self._linked(y, z)

    def _small(self, i: int) -> bool:
        return len(self.tx.contents[self.tx.text_of[i]]) < HUB_CONTENT

    def may_join(self, i: int, j: int, who: _Speakers) -> bool:
        """Never two speakers in one group; two quotes of one article only when one contains the other
        or another article renders both as one statement (a quote printed in parts)."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return False
        if (self._small(i) and self.mixed[ri]) or (self._small(j) and self.mixed[rj]):
            # a two-word fragment attaches to a statement, it never joins two: once in a group with
            # other words, it links nothing more to it ("billions" had drawn in every quote with
            # that word). (Its identical renderings may still attach together.)
            return False
        a, b = self.articles[ri], self.articles[rj]
        for art in a.keys() & b.keys():
            others = [z for idx in (a, b) for other, zs in idx.items() if other != art for z in zs]
            for x in a[art]:
                for y in b[art]:
                    if not self._linked(x, y, strong=True) and not any(self._bridges(z, x, y) for z in others):
                        return False  # two statements of one article, not one rendered in parts
        return who.all_fit(self.speakers[ri] | self.speakers[rj])


def _group_ids(quotes: Sequence[Quote], norms: Sequence[list[str]], sets: _Union, dates: dict[str, str]) -> list[str]:
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(quotes)):
        members[sets.find(i)].append(i)
    group_of = [""] * len(quotes)
    for idx in members.values():
        first = min(idx, key=lambda k: (dates.get(quotes[k].article, "9999-99-99"), quotes[k].article, quotes[k].start))
        key = "\x00".join([" ".join(norms[first]), quotes[first].speaker or "", quotes[first].article])
        gid = "q" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
        for k in idx:
            group_of[k] = gid
    return group_of


def group_quotes(
    quotes: Sequence[Quote], dates: dict[str, str] | None = None, norms: Sequence[list[str]] | None = None
) -> list[Quote]:
    """Return *quotes* with ``group`` set: one id per statement across articles.

    Quotes are first collapsed by normalised text (wire copy repeats verbatim),
    candidate text pairs are blocked by rare words, and quotes are joined
    best match first, never putting two different speakers, nor two quotes of
    one article, in one group. A statement credited to two speakers stays in
    two groups that name each other in ``attributed_differently``.
    *dates* (article id -> ISO date) orders members so a group's id is a hash of
    its earliest member's normalised text, speaker and article.
    *norms*: each quote's :func:`normalise_quote` when already known (kept per article).
    """
    if norms is None:
        norms = [normalise_quote(q.text) for q in quotes]
    # (quotes and their pairs are hundreds of thousands of small objects with no cycles: at 5,000
    # articles, collections that rescanned them were a third of the grouping's time)
    with gc_paused():
        return _group(quotes, dates or {}, norms)


def _group(quotes: Sequence[Quote], dates: dict[str, str], norms: Sequence[list[str]]) -> list[Quote]:
    tx = _distinct(quotes, norms)
    who = _Speakers()
    scored, conflicts = _links(tx, who)
    sets = _Union(quotes, tx)
    for _, i, j in scored:
        if sets.may_join(i, j, who):
            sets.join(i, j)
    group_of = _group_ids(quotes, norms, sets, dates)
    others: dict[str, set[str]] = defaultdict(set)
    for i, j in conflicts:
        if group_of[i] != group_of[j]:
            others[group_of[i]].add(group_of[j])
            others[group_of[j]].add(group_of[i])
    return [
        Quote(q.article, q.start, q.end, q.text, q.speaker, q.speaker_text, q.speaker_start, q.speaker_end,
              group_of[i], tuple(sorted(others.get(group_of[i], ()))))
        for i, q in enumerate(quotes)
    ]
