"""Quotations in articles: marks found, speakers attributed, scare quotes dropped, groups set."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from kazreader.analysis.quotes.attribution import ArticleContext, Attribution, attribute
from kazreader.analysis.quotes.grouping import group_quotes
from kazreader.analysis.quotes.marks import find_quote_spans, paragraphs
from kazreader.analysis.quotes.model import Quote, QuoteSpan
from kazreader.corpus.model import Article
from kazreader.text import tokenize

__all__ = ["SHORT_WORDS", "extract_quotes"]

#: Quoted phrases of at most this many words need an attribution to count.
SHORT_WORDS = 3
_SO_CALLED_RE = re.compile(r"\bso[\s-]called\s*$", re.I)


def _continues(ctx: ArticleContext, span: QuoteSpan, prev: Quote | None) -> bool:
    """Whether a quotation with no cue goes on with the previous quotation's speaker.

    It must stand alone (nothing but marks before it in its sentence), follow
    the previous quotation in the same or the next paragraph, and no other
    person may be named in between.
    """
    if prev is None or prev.speaker is None:
        return False
    if re.search(r"\w", ctx.masked[ctx.sentence_start(span.open_mark) : span.open_mark]):
        return False
    if ctx.paragraph(span.open_mark) - ctx.paragraph(prev.end) not in (0, 1):
        return False
    between = ctx.mentions_in(ctx.sentence_end(prev.end), span.open_mark)  # after the attribution's sentence
    return not any(m.entity.type == "PERSON" and m.entity.name != prev.speaker for m in between)


def _quote(article: Article, span: QuoteSpan, att: Attribution) -> Quote:
    return Quote(
        article.id, span.start, span.end, article.text[span.start : span.end],
        att.speaker, att.text, att.start, att.end, "",
    )


def _article_quotes(article: Article, mentions: Sequence[tuple[int, int, Any]]) -> list[Quote]:
    spans = find_quote_spans(article)
    if not spans:
        return []
    ctx = ArticleContext(
        article.id, article.text, [(s.open_mark + 1, s.close_mark) for s in spans], mentions, paragraphs(article)
    )
    out: list[Quote] = []
    prev: Quote | None = None
    for span in spans:
        if _SO_CALLED_RE.search(ctx.masked[max(0, span.open_mark - 12) : span.open_mark]):
            continue
        att = attribute(ctx, span.open_mark, span.close_mark)
        if not att.cue and len(tokenize(article.text[span.start : span.end])) <= SHORT_WORDS:
            continue  # a scare quote or an unattributed label
        if not att.cue and _continues(ctx, span, prev):
            assert prev is not None
            att = Attribution(prev.speaker, prev.speaker_text, prev.speaker_start, prev.speaker_end, False)
        q = _quote(article, span, att)
        if q.speaker is not None or len(tokenize(q.text)) > SHORT_WORDS:
            prev = q  # a short phrase quoted in the attribution ("efforts to “defund” it") does not interrupt
        out.append(q)
    return out


def extract_quotes(articles: Sequence[Article], entities: Sequence[Any]) -> list[Quote]:
    """All quotations in *articles*, attributed with *entities* and grouped.

    Returned in article order, then text order. ``entities`` follows the
    :mod:`kazreader.analysis.entities` contract (canonical ``name``, ``type``,
    ``mentions``); mentions of other articles are ignored per article.
    """
    by_article: dict[str, list[tuple[int, int, Any]]] = defaultdict(list)
    for ent in entities:
        for m in getattr(ent, "mentions", ()):
            by_article[m.article].append((m.start, m.end, ent))
    quotes: list[Quote] = []
    for art in articles:
        quotes.extend(_article_quotes(art, by_article.get(art.id, [])))
    dates = {a.id: a.date or "9999-99-99" for a in articles}
    return group_quotes(quotes, dates)
