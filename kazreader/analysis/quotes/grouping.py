"""Statement groups: which quotations, across articles, render one statement."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from kazreader.analysis.quotes.model import Quote
from kazreader.text import fold, tokenize

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
#: A word carried by more quotes than this is too common to block on.
BLOCK_MAX_DF = 200
BLOCK_KEYS = 4


_CONTRACTIONS = {"ve": "have", "m": "am", "re": "are", "ll": "will", "d": "would", "t": "not", "s": ""}


def _stem(w: str) -> str:
    if w in _STOP or w in _SYNONYMS:
        return _SYNONYMS.get(w, w)
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    return _SYNONYMS.get(w, w)


def normalise_quote(text: str) -> list[str]:
    """A quote's comparison tokens: folded, contractions expanded, stemmed, paraphrase-keyed."""
    out: list[str] = []
    for tok in tokenize(text):
        w = tok.norm
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
    ta, tb = set(fa.split()), set(fb.split())
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def _match(a: Sequence[str], b: Sequence[str], ca: set[str], cb: set[str], same_speaker: bool) -> float:
    """Match score of two normalised token lists (0 when they do not match)."""
    if not ca or not cb or not (ca & cb):
        return 0.0
    lcs = LCSseq.similarity(a, b)
    sim = 2 * lcs / (len(a) + len(b))
    short, short_c = (a, ca) if len(a) <= len(b) else (b, cb)
    contain = lcs / len(short)
    content_contained = len(ca & cb) / len(short_c)
    need = SIM_SAME_SPEAKER if same_speaker else SIM_UNATTRIBUTED
    if sim >= need:
        return sim
    floor = CONTAIN_SAME_SPEAKER if same_speaker and len(short) >= 4 else CONTAIN_MIN
    if contain >= floor and content_contained >= floor:
        return 0.5 + contain / 4
    return 0.0


def _candidate_pairs(contents: Sequence[set[str]], speakers: Sequence[set[str]]) -> Iterable[tuple[int, int]]:
    """Pairs of texts sharing a rare content word, or a word and a speaker."""
    df: dict[str, int] = defaultdict(int)
    for c in contents:
        for t in c:
            df[t] += 1
    postings: dict[Any, list[int]] = defaultdict(list)
    for i, c in enumerate(contents):
        shared = sorted((t for t in c if df[t] > 1), key=lambda t: (df[t], t))
        for t in shared[:BLOCK_KEYS]:
            postings[t].append(i)
        for who in {fold(sp).split()[-1] for sp in speakers[i] if sp.strip()}:
            # same speaker: every word is a key (a paraphrase may share few rare ones)
            for t in shared:
                postings[(who, t)].append(i)
    seen: set[tuple[int, int]] = set()
    for ids in postings.values():
        if len(ids) > BLOCK_MAX_DF:
            continue
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                p = (ids[x], ids[y])
                if p not in seen:
                    seen.add(p)
                    yield p


def group_quotes(quotes: Sequence[Quote], dates: dict[str, str] | None = None) -> list[Quote]:
    """Return *quotes* with ``group`` set: one id per statement across articles.

    Quotes are first collapsed by normalised text (wire copy repeats verbatim),
    candidate text pairs are blocked by rare words, and quotes are joined
    best match first, never putting two different speakers in one group.
    *dates* (article id -> ISO date) orders members so a group's id is a hash of
    its earliest member's normalised text, speaker and article.
    """
    dates = dates or {}
    n = len(quotes)
    norms = [normalise_quote(q.text) for q in quotes]
    # texts -> speaker -> quote indices
    text_ids: dict[tuple[str, ...], int] = {}
    buckets: list[dict[str | None, list[int]]] = []
    for i, toks in enumerate(norms):
        t = text_ids.setdefault(tuple(toks), len(text_ids))
        if t == len(buckets):
            buckets.append(defaultdict(list))
        buckets[t][quotes[i].speaker].append(i)
    texts = list(text_ids)
    contents = [{w for w in toks if w not in _STOP} or set(toks) for toks in texts]
    scored: list[tuple[float, int, int]] = []

    compatible: dict[tuple[str | None, str | None], bool] = {}

    def fits(a: str | None, b: str | None) -> bool:
        if a is None or b is None or a == b:
            return True
        if (a, b) not in compatible:
            compatible[a, b] = _speakers_compatible(a, b)
        return compatible[a, b]

    def link(tu: int, tv: int) -> None:
        bu, bv = buckets[tu], buckets[tv]
        if tu == tv:
            scores = {True: 1.0, False: 1.0}
        else:
            args = (texts[tu], texts[tv], contents[tu], contents[tv])
            scores = {True: _match(*args, True), False: _match(*args, False)}
            if not scores[True]:
                return  # the looser test failed: no speaker pairing can match
        for su, iu in bu.items():
            for sv, iv in bv.items():
                if (tu == tv and su == sv) or not fits(su, sv):
                    continue
                sc = scores[su is not None and sv is not None]
                if sc > 0:
                    scored.append((-sc, iu[0], iv[0]))

    parent = list(range(n))
    for b in buckets:  # identical text, identical speaker: one statement
        for idx in b.values():
            for k in idx[1:]:
                parent[k] = idx[0]
    for tu, b in enumerate(buckets):
        if len(b) > 1:
            link(tu, tu)
    for tu, tv in _candidate_pairs(contents, [set(filter(None, b)) for b in buckets]):
        link(tu, tv)
    scored.sort()
    speakers: list[set[str]] = [{q.speaker} if q.speaker else set() for q in quotes]

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, i, j in scored:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        merged = speakers[ri] | speakers[rj]
        if len(merged) > 1 and any(not fits(a, b) for a in merged for b in merged):
            continue  # never put two different speakers in one group
        parent[rj] = ri
        speakers[ri] = merged
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[find(i)].append(i)
    group_of: dict[int, str] = {}
    for idx in members.values():
        first = min(idx, key=lambda k: (dates.get(quotes[k].article, "9999-99-99"), quotes[k].article, quotes[k].start))
        key = "\x00".join([" ".join(norms[first]), quotes[first].speaker or "", quotes[first].article])
        gid = "q" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
        for k in idx:
            group_of[k] = gid
    return [
        Quote(q.article, q.start, q.end, q.text, q.speaker, q.speaker_text, q.speaker_start, q.speaker_end, group_of[i])
        for i, q in enumerate(quotes)
    ]
