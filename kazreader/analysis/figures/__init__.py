"""Figures: the numbers a reader compares across outlets, what each counts, and where outlets disagree.

:func:`extract_figures` finds every amount in the articles (digits, number
words, vague amounts such as "dozens"), decides its qualifier and the kind of
quantity, builds its measure from the sentence (the counted noun, what
happened to it, where and when), groups the articles into stories and compares
figures of one measure within one story.

Where things are decided (a newcomer's map):

=========================  =====================================================
``data/figures.txt``       every word list: qualifier phrases, events,
                           predicates, counted groups, currencies, units
:mod:`.lexicon`            reads that file into tables
:mod:`kazreader.analysis.numbers`  "twelve", "1,000", "dozens" -> values, intervals
:mod:`.qualifiers`         "more than", "about", "nearly"... and the interval
:mod:`.kinds`              count, percent, money, length..., age, date, year
                           (dates and years are no figures: read, never reported)
:mod:`.counted`            the counted noun phrase and its casualty-style event
:mod:`.measure`            noun, predicate, agent, place and time of every figure
:mod:`.past`               tolls of an earlier event ("an Aug. 15 bombing that killed 27")
:mod:`.aside`              figures not compared: parts, subsets, forecasts
:mod:`.compare`            equal / consistent / update / differ / conflict
:mod:`.describe`           one wording of a figure for every face
:mod:`.extract`            the sentence loop that runs the above
:mod:`kazreader.analysis.stories`  which articles report one event
=========================  =====================================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from kazreader.analysis.figures.compare import (
    article_verdicts,
    compare,
    find_disagreements,
    measure_key,
    pair_disagreement,
)
from kazreader.analysis.figures.describe import compact, figure_words, interval_words
from kazreader.analysis.figures.extract import find_figures
from kazreader.analysis.figures.lexicon import EVENTS
from kazreader.analysis.figures.model import (
    VERSION,
    Aside,
    Comparison,
    Disagreement,
    Figure,
    FiguresResult,
    Qualifier,
    QuantityKind,
)
from kazreader.corpus.model import Article

__all__ = [
    "Aside",
    "EVENTS",
    "KINDS",
    "QUALIFIERS",
    "VERSION",
    "Comparison",
    "Disagreement",
    "Figure",
    "FiguresResult",
    "Qualifier",
    "QuantityKind",
    "article_verdicts",
    "compact",
    "compare",
    "extract_figures",
    "figure_words",
    "interval_words",
    "find_disagreements",
    "find_figures",
    "measure_key",
    "pair_disagreement",
]

QUALIFIERS = tuple(str(q) for q in Qualifier)
KINDS = tuple(str(k) for k in QuantityKind)
#: How much of an article names its own place ("killed in Gaza" compares with a place-less toll).
LEDE_CHARS = 1500


def extract_figures(
    articles: Sequence[Article],
    stories: Mapping[str, str] | None = None,
    *,
    find: Callable[[Article], Sequence[Figure]] | None = None,
) -> FiguresResult:
    """Every figure of *articles* (in article, then text order) and their disagreements within each story.

    *stories* maps article ids to story ids; without it the articles are
    grouped by :func:`kazreader.analysis.stories.group_stories`. *find*
    gives an article's figures without their story (default
    :func:`find_figures`; the workspace reads them from its per-article parts).
    """
    if stories is None:
        from kazreader.analysis.stories import group_stories, story_of

        stories = story_of(group_stories(articles))
    figures: list[Figure] = []
    for article in articles:
        story = stories.get(article.id)
        if find is None:
            figures.extend(find_figures(article, story))
        else:
            figures.extend(replace(f, story=story) for f in find(article))
    ledes = {a.id: f"{a.title or ''} {a.text[:LEDE_CHARS]}" for a in articles}
    return FiguresResult(tuple(figures), tuple(find_disagreements(figures, ledes)))
