"""Finding the figures of an article: amounts, read sentence by sentence.

:func:`find_figures` tokenises only the sentences that can hold an amount,
reads every amount (:mod:`kazreader.analysis.numbers`), decides its qualifier
(:mod:`.qualifiers`) and kind (:mod:`.kinds`), what a count counts and what
happened to it (:mod:`.counted`), and completes the measure (:mod:`.measure`).
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left

from kazreader.analysis.figures.aside import set_aside
from kazreader.analysis.figures.counted import coordinated, find_counted, find_event, scope
from kazreader.analysis.figures.kinds import classify
from kazreader.analysis.figures.measure import build_measures, measure_words
from kazreader.analysis.figures.model import Figure, Qualifier, QuantityKind
from kazreader.analysis.figures.past import era_of, past_dates
from kazreader.analysis.figures.qualifiers import interval
from kazreader.analysis.figures.sentence import Cand, Sentence, minus_before
from kazreader.analysis.figures.words import CANDIDATE_RE
from kazreader.analysis.numbers import is_number_start, parse_amount
from kazreader.corpus.model import Article
from kazreader.text import sentence_spans

__all__ = ["NOT_FIGURES", "find_figures", "is_figure"]

#: Kinds of amount that are read but not reported as figures ("years and dates are not figures").
NOT_FIGURES = frozenset({QuantityKind.DATE, QuantityKind.YEAR})


def find_figures(article: Article, story: str | None = None) -> list[Figure]:
    """Every figure of one article, in text order."""
    out: list[Figure] = []
    text = article.text
    hits = [m.start() for m in CANDIDATE_RE.finditer(text.lower())]
    if not hits:
        return out
    for s_start, s_end in sentence_spans(text):
        h = bisect_left(hits, s_start)
        if h == len(hits) or hits[h] >= s_end:
            continue
        seg = text[s_start:s_end]
        sent = Sentence(seg)
        out.extend(
            _figure(article, story, sent, s_start, c) for c in sentence_candidates(sent, article.date) if is_figure(c.kind)
        )
    return out


def is_figure(kind: str) -> bool:
    """Whether an amount of this kind is a figure: dates and years are read (so that they are not
    taken for counts, and name the time of a past event) but are no figures."""
    return kind not in NOT_FIGURES


def _figure(article: Article, story: str | None, sent: Sentence, s_start: int, c: Cand) -> Figure:
    start = sent.tokens[c.q_start].start if c.char_start is None else c.char_start
    low, high = interval(c)
    return Figure(
        article=article.id,
        start=s_start + start,
        end=s_start + c.char_end,
        text=sent.text[start:c.char_end],
        sentence=sent.text,
        value=c.amount.value,
        low=low,
        high=high,
        qualifier=c.qualifier,
        measure=_measure(c),
        counted=c.counted,
        kind=c.kind,
        sentence_start=s_start,
        event=c.event,
        unit=c.unit,
        noun=c.noun,
        predicate=c.predicate,
        place=c.place,
        time=c.time,
        story=story,
        date=article.date,
        aside=c.aside,
        agent=c.agent,
    )


def _measure(c: Cand) -> str | None:
    if c.population:
        return "population"
    if c.noun is None and c.predicate is None:
        return None
    return measure_words(c.noun, c.predicate, c.scope, c.era, c.kind, c.unit, c.agent)


def sentence_candidates(s: Sentence, article_date: str | None = None) -> list[Cand]:
    """The figures of one sentence, with their counted nouns, events and measures."""
    cands = _amounts(s)
    counts = [c for c in cands if c.kind == QuantityKind.COUNT]
    for c in counts:
        find_counted(s, c)
    for k, c in enumerate(counts):
        prev = counts[k - 1] if k else None
        nxt_start = counts[k + 1].q_start if k + 1 < len(counts) else len(s)
        find_event(s, c, prev, nxt_start)
    # "5 people and 3 dogs were rescued": the event reaches back over "and".
    for k in range(len(counts) - 2, -1, -1):
        c, nxt = counts[k], counts[k + 1]
        if c.event is None and nxt.event and not nxt.own_event and coordinated(s, c, nxt):
            c.event = nxt.event
    _included(s, counts)
    _eras(s, cands, counts, article_date)
    for k, c in enumerate(counts):
        if c.event:
            lo = counts[k - 1].end if k else 0
            hi = counts[k + 1].q_start if k + 1 < len(counts) else len(s)
            c.scope = scope(s, c, lo, hi)
    build_measures(s, cands)
    set_aside(s, cands)
    return [c for c in cands if not _is_idle_one(c)]


def _amounts(s: Sentence) -> list[Cand]:
    """Every amount of the sentence that is a figure, with its qualifier and kind."""
    cands: list[Cand] = []
    i, n = 0, len(s)
    while i < n:
        amount = parse_amount(s.words, i) if is_number_start(s.words[i]) else None
        if amount is None:
            i += 1
            continue
        negative = minus_before(s, i) and amount.value is not None and not amount.vague
        if negative:
            amount = dataclasses.replace(amount, value=_neg(amount.value), low=_neg(amount.high), high=_neg(amount.low))
        c = classify(s, amount)
        if c is not None:
            if negative and c.q_start == i and c.char_start is None:
                c.char_start = s.tokens[i].start - 1  # (the figure's text holds its sign)
            cands.append(c)
        i = max(amount.end, c.end if c else 0)
    return cands


def _neg(x: float | None) -> float | None:
    return None if x is None else -x


def _included(s: Sentence, counts: list[Cand]) -> None:
    """"84 people are dead, including two Americans and 10 children": the listed parts share the total's event."""
    for k, c in enumerate(counts):
        if c.event is not None:
            continue
        head = k
        while head > 0 and coordinated(s, counts[head - 1], counts[head]):
            head -= 1
        if s.word(counts[head].q_start - 1) in ("including", "among") and head > 0 and counts[head - 1].event:
            c.event = counts[head - 1].event


def _eras(s: Sentence, cands: list[Cand], counts: list[Cand], article_date: str | None) -> None:
    """A past event named by its year ("in 1998, when 112 people died") or by a date well before the
    article's ("an Aug. 15 car bombing ... that killed 27"): the sentence's tolls are that event's."""
    year = article_date[:4] if article_date else None
    eras = [
        f"in {s.words[c.amount.start]}"
        for c in cands
        if c.kind == QuantityKind.YEAR
        and (s.word(c.q_start - 1) == "in" or (s.word(c.q_start - 1) == "since" and s.word(c.end) == "when"))
        and s.words[c.amount.start] != year
    ]
    if len(set(eras)) == 1:
        for c in counts:
            if c.event:
                c.era = eras[0]
    times = past_dates(s, cands, article_date)
    for c in counts:
        if c.event and c.era is None:
            c.era = era_of(s, times, c)


def _is_idle_one(c: Cand) -> bool:
    """A lone spelled "one" with nothing happening to it is not a figure."""
    return (
        c.kind == QuantityKind.COUNT
        and c.amount.spelled
        and c.amount.value == 1
        and c.event is None
        and c.qualifier == Qualifier.EXACT
    )
