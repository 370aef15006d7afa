"""Quotations in articles: marks found, speakers attributed, scare quotes dropped, groups set."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from kazreader.analysis.quotes.attribution import ArticleContext, Attribution, attribute
from kazreader.analysis.quotes.grouping import group_quotes, normalise_quote
from kazreader.analysis.quotes.lexicon import lexicon
from kazreader.analysis.quotes.marks import find_quote_spans, paragraphs
from kazreader.analysis.quotes.model import Quote, QuoteSpan
from kazreader.corpus.model import Article
from kazreader.gcpause import gc_paused
from kazreader.text import word_norms

__all__ = ["SHORT_WORDS", "article_quotes", "attribute_quotes", "mentions_by_article", "quote_from_row", "quote_rows"]

#: Quoted phrases of at most this many words need an attribution to count.
SHORT_WORDS = 3
_SO_CALLED_RE = re.compile(r"\bso[\s-]called\s*$", re.I)
_WORD_CHAR_RE = re.compile(r"\w")
_TITLE_WORD_RE = re.compile(r"[^\W_]+(?:['\u2019&][^\W_]+)*")
#: The word right before a quotation's opening mark (only spaces between).
_LAST_WORD_BEFORE_RE = re.compile(r"([\w'\u2019]+)\s+$")


def _continues(ctx: ArticleContext, span: QuoteSpan, prev: Quote | None) -> bool:
    """Whether a quotation with no cue goes on with the previous quotation's speaker.

    It must stand alone (nothing but marks before it in its sentence), follow
    the previous quotation in the same or the next paragraph, and no other
    person may be named in between.
    """
    if prev is None or prev.speaker is None:
        return False
    if _WORD_CHAR_RE.search(ctx.masked[ctx.sentence_start(span.open_mark) : span.open_mark]):
        return False
    if ctx.paragraph(span.open_mark) - ctx.paragraph(prev.end) not in (0, 1):
        return False
    between = ctx.mentions_in(ctx.sentence_end(prev.end), span.open_mark)  # after the attribution's sentence
    return not any(m.entity.type == "PERSON" and m.entity.name != prev.speaker for m in between)


def _is_title(ctx: ArticleContext, span: QuoteSpan, text: str) -> bool:
    """Whether a short quotation is a name or a title, not words said: every word capitalised (a
    name's small words aside) and the word before it a preposition, "told", "the" or a possessive
    ('told NBC's “Meet the Press”', 'said on “Fox News Sunday.”', 'the “Gang of Eight”')."""
    lex = lexicon()
    ws = _TITLE_WORD_RE.findall(text)
    if not ws or not ws[0][0].isupper():
        return False
    if any(not w[0].isupper() and w.lower() not in lex.title_small_words for w in ws):
        return False
    before = _LAST_WORD_BEFORE_RE.search(ctx.masked, max(0, span.open_mark - 40), span.open_mark)
    if before is None:
        return False
    word = before.group(1).lower()
    return word.endswith(("'s", "\u2019s")) or word in lex.title_lead or word in lex.oblique


#: A programme's name this close (in words) after its guest goes on with the guest's words.
TITLE_GUEST_WORDS = 6


def _names_the_programme_of(ctx: ArticleContext, span: QuoteSpan, att: Attribution) -> bool:
    """Whether a title quotation names where its speaker spoke, the speaker named just before it
    ("Christie also told “Fox News Sunday” that …"): a quotation standing alone after it goes on
    with the speaker, as after the guest's own words."""
    if att.speaker is None or att.end is None or att.end > span.open_mark:
        return False
    return len(word_norms(ctx.masked[att.end : span.open_mark])) <= TITLE_GUEST_WORDS


def _aside(ctx: ArticleContext, q: Quote, prev: Quote | None) -> bool:
    """Whether *q*, with no speaker, is quoted in the sentence of *prev*'s attribution, which then goes
    on ('“…,” says Amy Black, who gave a forum on “Political Civility in Uncivil Times.” “So we …”')."""
    if q.speaker is not None or prev is None or prev.speaker is None or prev.speaker_end is None:
        return False
    return ctx.sentence_start(q.start) == ctx.sentence_start(prev.speaker_end)


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
        n_words = len(word_norms(article.text[span.start : span.end]))
        if n_words <= SHORT_WORDS and _is_title(ctx, span, article.text[span.start : span.end]):
            if _names_the_programme_of(ctx, span, att):  # ('Christie told “Fox News Sunday” …', then his words)
                prev = _quote(article, span, att)
            continue  # a programme, a committee, a slogan's name: not a statement
        if not att.cue and n_words <= SHORT_WORDS:
            continue  # a scare quote or an unattributed label
        if not att.cue and _continues(ctx, span, prev):
            assert prev is not None
            att = Attribution(prev.speaker, prev.speaker_text, prev.speaker_start, prev.speaker_end, False)
        q = _quote(article, span, att)
        if (q.speaker is not None or n_words > SHORT_WORDS) and not _aside(ctx, q, prev):
            prev = q  # a short phrase quoted in the attribution ("efforts to “defund” it") does not interrupt
        out.append(q)
    return out


def article_quotes(article: Article, entities: Sequence[Any]) -> list[Quote]:
    """The quotations of *article* alone, attributed with *entities*' mentions in it (not grouped: ``group`` is empty)."""
    return _article_quotes(article, mentions_by_article(entities).get(article.id, []))


def quote_rows(article: Article, entities: Sequence[Any]) -> list[list[Any]]:
    """:func:`article_quotes` as JSON rows: ``[start, end, speaker, speaker_text, speaker_start,
    speaker_end, normalised words]``."""
    return [_row(q) for q in article_quotes(article, entities)]


def attribute_quotes(articles: Sequence[Article], entities: Sequence[Any]) -> list[Quote]:
    """All quotations in *articles*, attributed with the mentions of the given *entities*, and grouped.

    What the corpus' quotations are when *entities* are given by hand (tests,
    an evaluation's gold entities). The workspace attributes each article with
    its own entities instead (:func:`~kazreader.analysis.quotes.local.extract_quotes`).
    Returned in article order, then text order.
    """
    by_article = mentions_by_article(entities)
    dates = {a.id: a.date or "9999-99-99" for a in articles}
    with gc_paused():
        quotes = [q for art in articles for q in _article_quotes(art, by_article.get(art.id, []))]
        del by_article  # (every mention of the corpus as a tuple: not needed to group)
        return group_quotes(quotes, dates)


def mentions_by_article(entities: Sequence[Any]) -> dict[str, list[tuple[int, int, Any]]]:
    """Every article's mentions as ``(start, end, entity)``, in entity order (read from the compact
    lists' offsets when the mentions have them: no mention object is built)."""
    by_article: dict[str, list[tuple[int, int, Any]]] = defaultdict(list)
    for ent in entities:
        mentions = getattr(ent, "mentions", ())
        flat = getattr(mentions, "flat", None)
        if flat is None:
            for m in mentions:
                by_article[m.article].append((m.start, m.end, ent))
            continue
        arts, counts, offsets = flat()
        j = 0
        for art, n in zip(arts, counts):
            by_article[art].extend((offsets[k], offsets[k + 1], ent) for k in range(2 * j, 2 * (j + n), 2))
            j += n
    return by_article


def _row(q: Quote) -> list[Any]:
    return [q.start, q.end, q.speaker, q.speaker_text, q.speaker_start, q.speaker_end, normalise_quote(q.text)]


def quote_from_row(article: Article, row: Sequence[Any], speaker: str | None) -> Quote:
    """The quote of *article* one of its :func:`quote_rows` describes, credited to *speaker* (ungrouped)."""
    start, end, _, speaker_text, speaker_start, speaker_end, _ = row
    return Quote(article.id, start, end, article.text[start:end], speaker, speaker_text, speaker_start, speaker_end, "")
