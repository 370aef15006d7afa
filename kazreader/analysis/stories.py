"""Grouping articles into stories: the articles that report one event.

A corpus can hold many events; figures (and anything else that compares
outlets) should only be compared within one. :func:`group_stories` links two
articles when

* they share a reprinted passage (``passages``: pairs of article ids, e.g. from
  the passage clusters), or
* their distinctive vocabulary is close: the cosine of their tf-idf vectors
  over the title and opening (capitalised words, i.e. names, count double)
  reaches :data:`THRESHOLD`,

and, when both are dated, they are at most :data:`MAX_DAYS` apart — or up to
:data:`FOLLOW_UP_DAYS` for a follow-up: a shared passage, or a cosine of at
least :data:`FOLLOW_UP_THRESHOLD`. An undated article joins one story at most.
Stories are the connected groups. Candidate pairs come from an inverted index over each
article's top terms, so a large corpus costs about linear time.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from datetime import date

from kazreader.analysis.unionfind import UnionFind
from kazreader.corpus.model import Article

__all__ = ["FOLLOW_UP_DAYS", "FOLLOW_UP_THRESHOLD", "MAX_DAYS", "THRESHOLD", "Story", "group_stories", "story_of"]

#: Articles more than this many days apart are different stories.
MAX_DAYS = 3
#: A follow-up a week or two later ("troops leave", "the verdict") is the same story when it
#: reprints a passage or is this similar (news of one event shares its names and words).
FOLLOW_UP_DAYS = 14
FOLLOW_UP_THRESHOLD = 0.4
#: A follow-up is proposed only by a term among both articles' this many strongest.
FOLLOW_UP_TERMS = 10
#: The cosine similarity of two articles' top terms that makes them one story.
THRESHOLD = 0.15
#: The cosine at which an article joins its nearest neighbour (its most similar article).
NEIGHBOUR_THRESHOLD = 0.03
#: How much of each article is read (title + opening), and how many terms it keeps.
OPENING_CHARS = 4000
TOP_TERMS = 60
#: Terms in more than this many articles do not propose candidate pairs (they still weigh).
CANDIDATE_DF = 30
#: How many of an article's strongest terms propose candidate pairs.
CANDIDATE_TERMS = 30

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
_STOP = frozenset(
    "that this with from have has had were been will would could should their there they them then than what "
    "when where which while who whom whose into onto upon over under about after before also just more most "
    "some such only other said says told according year years time last first week month monday tuesday "
    "wednesday thursday friday saturday sunday january february march april june july august september "
    "october november december people news report reports reported story highlights image caption photo "
    "getty images associated press reuters told very many much even still well back being because those "
    "these here here's it's he's she's we're they're don't didn't can't won't isn't wasn't".split()
)


@dataclass(frozen=True)
class Story:
    """One story: its id, a short label and its articles (ids, in corpus order)."""

    id: str
    label: str
    articles: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "articles": list(self.articles)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Story:
        return cls(str(d["id"]), str(d["label"]), tuple(str(a) for a in d["articles"]))


def group_stories(articles: Sequence[Article], passages: Iterable[tuple[str, str]] = ()) -> list[Story]:
    """The stories of *articles*, largest first (each article in exactly one)."""
    if not articles:
        return []
    vectors = [_vector(a) for a in articles]
    idf = _idf(vectors, len(articles))
    weighted = [_weigh(v, idf) for v in vectors]
    dates = [_date(a.date) for a in articles]
    days = [d.toordinal() if d else None for d in dates]
    uf = UnionFind(len(articles))
    index = {a.id: i for i, a in enumerate(articles)}
    # An undated article can't tell two events apart by date: it joins one story at most
    # (its strongest link to a dated article), so it never bridges stories of different days.
    mixed: dict[int, tuple[float, int]] = {}
    for x, y in passages:
        if x in index and y in index:
            i, j = index[x], index[y]
            if (days[i] is None) != (days[j] is None):
                _keep_best(mixed, i, j, days, 1.0)
            elif _close_dates(dates[i], dates[j], FOLLOW_UP_DAYS):
                uf.union(i, j)
    best: dict[int, tuple[float, int]] = {}
    linked: set[int] = set()
    for i, j in sorted(_candidates(weighted, days)):
        if i in linked and j in linked and uf.find(i) == uf.find(j):
            continue
        sim = _cosine(weighted[i], weighted[j])
        if not _close_dates(dates[i], dates[j]) and sim < FOLLOW_UP_THRESHOLD:
            continue
        if (days[i] is None) != (days[j] is None):
            if sim >= THRESHOLD:
                _keep_best(mixed, i, j, days, sim)
        elif sim >= THRESHOLD:
            uf.union(i, j)
            linked.update((i, j))
        for one, other in ((i, j), (j, i)):
            if sim > best.get(one, (0.0, -1))[0]:
                best[one] = (sim, other)
    _attach_undated(uf, mixed, linked)
    # An article with no strong link joins its nearest neighbour when that one is close enough
    # (an undated one only another undated one: the neighbour join must not bridge either).
    for i, (sim, j) in best.items():
        if i not in linked and sim >= NEIGHBOUR_THRESHOLD and (days[i] is None) == (days[j] is None):
            uf.union(i, j)
    return _stories(articles, uf, weighted)


def _keep_best(
    mixed: dict[int, tuple[float, int]], i: int, j: int, days: Sequence[int | None], sim: float
) -> None:
    """Remember the dated article of the pair ``(i, j)`` as the undated one's link if it is its strongest."""
    undated, dated = (i, j) if days[i] is None else (j, i)
    if sim > mixed.get(undated, (0.0, -1))[0]:
        mixed[undated] = (sim, dated)


def _attach_undated(uf: UnionFind, mixed: dict[int, tuple[float, int]], linked: set[int]) -> None:
    """Each group of undated articles joins the dated article its members link to most strongly."""
    attach: dict[int, tuple[float, int, int]] = {}
    for undated, (sim, dated) in sorted(mixed.items()):
        root = uf.find(undated)
        if sim > attach.get(root, (0.0, -1, -1))[0]:
            attach[root] = (sim, undated, dated)
    for _sim, undated, dated in attach.values():
        uf.union(undated, dated)
        linked.update((undated, dated))


def story_of(stories: Iterable[Story]) -> dict[str, str]:
    """Article id -> story id."""
    return {a: s.id for s in stories for a in s.articles}


def _vector(a: Article) -> Counter[str]:
    """Word counts of the title and opening; capitalised words (names) count double."""
    words = _WORD.findall(f"{a.title or ''}\n{a.text[:OPENING_CHARS]}")
    out = Counter(w.lower() for w in words)
    out.update(w.lower() for w in words if w[0].isupper())
    for w in _STOP.intersection(out):
        del out[w]
    return out


def _idf(vectors: Sequence[Counter[str]], n: int) -> dict[str, float]:
    """Inverse document frequency of the terms two or more articles share (the others cannot link anything)."""
    df: Counter[str] = Counter()
    for v in vectors:
        df.update(v.keys())
    return {w: math.log(1 + n / d) for w, d in df.items() if d > 1}


def _weigh(v: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """The article's top terms by tf-idf, as a unit vector."""
    scored = heapq.nlargest(TOP_TERMS, ((math.sqrt(c) * idf[w], w) for w, c in v.items() if w in idf))
    norm = math.sqrt(sum(s * s for s, _ in scored)) or 1.0
    return {w: s / norm for s, w in scored}


def _candidates(weighted: Sequence[dict[str, float]], days: Sequence[int | None]) -> set[tuple[int, int]]:
    """Pairs of articles sharing one of their strongest terms and dated at most :data:`FOLLOW_UP_DAYS` apart."""
    postings: dict[str, list[int]] = defaultdict(list)
    strong: list[set[str]] = []
    for i, v in enumerate(weighted):
        top = list(v)
        strong.append(set(top[:FOLLOW_UP_TERMS]))
        for w in top[:CANDIDATE_TERMS]:
            postings[w].append(i)
    pairs: set[tuple[int, int]] = set()
    for w, ids in postings.items():
        if not 1 < len(ids) <= CANDIDATE_DF:
            continue
        undated = [i for i in ids if days[i] is None]
        dated = sorted((i for i in ids if days[i] is not None), key=lambda i: days[i] or 0)
        pairs.update((min(a, b), max(a, b)) for k, a in enumerate(undated) for b in ids if b != a)
        for k, a in enumerate(dated):
            near = (days[a] or 0) + MAX_DAYS
            limit = (days[a] or 0) + FOLLOW_UP_DAYS if w in strong[a] else near
            for b in dated[k + 1:]:
                day = days[b] or 0
                if day > limit:
                    break
                # (a follow-up must be very similar: both carry the term among their strongest)
                if day <= near or (w in strong[a] and w in strong[b]):
                    pairs.add((min(a, b), max(a, b)))
    return pairs


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(a[w] * b[w] for w in a.keys() & b.keys())


def _date(s: str | None) -> date | None:
    try:
        return date.fromisoformat(s[:10]) if s else None
    except ValueError:
        return None


def _close_dates(a: date | None, b: date | None, days: int = MAX_DAYS) -> bool:
    return a is None or b is None or abs((a - b).days) <= days


def _stories(articles: Sequence[Article], uf: UnionFind, weighted: Sequence[dict[str, float]]) -> list[Story]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(articles)):
        groups[uf.find(i)].append(i)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), g[0]))
    stories, used = [], set()
    for members in ordered:
        label = _label(articles, members, weighted)
        sid = label
        k = 2
        while sid in used:
            sid, k = f"{label} ({k})", k + 1
        used.add(sid)
        stories.append(Story(sid, label, tuple(articles[i].id for i in members)))
    return stories


def _label(articles: Sequence[Article], members: list[int], weighted: Sequence[dict[str, float]]) -> str:
    """"2016-07-15 nice attack": the earliest date and the group's two strongest terms."""
    total: dict[str, float] = defaultdict(float)
    for i in members:
        for w, x in weighted[i].items():
            total[w] += x
    chosen: list[str] = []
    for w in heapq.nlargest(6, total, key=total.__getitem__):
        if len(chosen) < 2 and not any(w[:5] == c[:5] for c in chosen):
            chosen.append(w)  # "france french": one of the two is enough
    # in the order the articles write them: "hong kong", not "kong hong"
    first = articles[members[0]]
    opening = f"{first.title or ''} {first.text[:OPENING_CHARS]}".lower()
    chosen.sort(key=lambda w: (opening.find(w) if w in opening else len(opening), w))
    terms = " ".join(chosen)
    dates = sorted(a.date[:10] for i in members if (a := articles[i]).date)
    return f"{dates[0]} {terms}".strip() if dates else terms or articles[members[0]].id
