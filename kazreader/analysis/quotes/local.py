"""Each article's quotations attributed in that article alone, then named after the corpus' entities.

Attribution reads the mentions of the article's own entities (its names
merged as if the corpus were this one article: see
:func:`~kazreader.analysis.entities.extract.article_entities`), so an article's
attributed quotations depend on its text only. They are kept per article
digest (:func:`local_part`): one changed file attributes one article again, and
the search index's name and quotation fields are read from the same part
(:mod:`kazreader.analysis.article_fields`).

The corpus-wide step (:func:`corpus_speakers`) then names each speaker after
a corpus entity: the one of the mention in the words crediting the quotation
("said Barack Obama"), else the one of the article's own full name, else the
one holding the most of the speaker's mentions there. The article's "Trump"
becomes the corpus' "Donald Trump" where the corpus merged them, and stays
apart where it did not.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kazreader.analysis.entities import extract as entity_scan
from kazreader.analysis.entities.extract import article_entities
from kazreader.analysis.quotes.extract import mentions_by_article, quote_from_row, quote_rows
from kazreader.analysis.quotes.grouping import group_quotes
from kazreader.analysis.quotes.model import Quote
from kazreader.corpus.model import Article
from kazreader.gcpause import gc_paused

if TYPE_CHECKING:
    from kazreader.parts import PartStore

__all__ = ["Local", "corpus_speakers", "extract_quotes", "local_compute", "local_part"]

#: Articles whose parts are read (or computed) at once by :func:`extract_quotes`.
_BATCH = 500

#: One article's part (JSON): ``entities``, each ``[name, [variants…], [start, end, start, end…]]``
#: in entity order; ``quotes``, each a row of :func:`~kazreader.analysis.quotes.extract.quote_rows`
#: whose speaker is the name of one of ``entities``.
Local = dict[str, Any]


def local_part(article: Article, entity_part: Mapping[str, Any] | None = None) -> Local:
    """*article*'s entities and attributed quotations, from that article alone (JSON).

    *entity_part* is the article's stored entity scan
    (:func:`~kazreader.analysis.entities.extract.article_part`), so as not to
    scan it again.
    """
    with gc_paused():
        entities = article_entities(article, entity_part)
        spans: dict[int, list[int]] = {id(e): [] for e in entities}
        for start, end, ent in mentions_by_article(entities).get(article.id, []):
            spans[id(ent)] += (start, end)
        return {
            "entities": [[e.name, list(e.variants), spans[id(e)]] for e in entities],
            "quotes": quote_rows(article, entities),
        }


def corpus_speakers(local: Local, corpus_mentions: Sequence[tuple[int, int, Any]]) -> list[str | None]:
    """The speaker of each quotation of *local* (an article's :func:`local_part`), named after a corpus entity.

    *corpus_mentions* are the corpus entities' mentions in that article,
    ``(start, end, entity)``. Where the words crediting the quotation hold a
    mention of the speaker ("said Barack Obama"), the corpus entity of that
    mention; otherwise ("he said") the entity of the speaker's own name where
    the corpus kept one, else the one holding the most of the speaker's
    mentions (ties: the one named first). ``None`` when the corpus
    kept none of them (a name the corpus judged no entity).
    """
    rows = local["quotes"]
    speakers = {row[2] for row in rows if row[2] is not None}
    if not speakers:
        return [None] * len(rows)
    at = {(start, end): ent.name for start, end, ent in corpus_mentions}
    spans: dict[str, list[tuple[int, int]]] = {}
    voted: dict[str, str | None] = {}
    for name, _variants, flat in local["entities"]:
        if name not in speakers:
            continue
        spans[name] = own = [(flat[k], flat[k + 1]) for k in range(0, len(flat), 2)]
        votes = Counter(at[s] for s in own if s in at)  # (first-seen order: ties go to the earliest)
        # (the article's own full name first: where the corpus keeps a bare "Trump" apart, the
        # article's "Donald Trump" … "Trump" … "he said" is still Donald Trump)
        voted[name] = name if name in votes else votes.most_common(1)[0][0] if votes else None
    out: list[str | None] = []
    for row in rows:
        name, start, end = row[2], row[4], row[5]
        if name is None:
            out.append(None)
            continue
        named = None
        if start is not None:
            named = next((at[s] for s in spans.get(name, ()) if start <= s[0] and s[1] <= end and s in at), None)
        out.append(named or voted.get(name))
    return out


def local_compute(
    articles: Sequence[Article], scans: PartStore | None = None
) -> Callable[[list[str]], dict[str, Local]]:
    """A function from some of *articles*' digests to their :func:`local_part` (for a
    :class:`~kazreader.parts.PartStore`), each article's entity scan read from *scans* (the
    entities' parts) or made."""
    by_digest = {a.digest: a for a in articles}

    def compute(digests: list[str]) -> dict[str, Local]:
        with gc_paused():  # (one pause for the batch: each article's merge would otherwise end in a collection)
            if scans is None:
                found: dict[str, Any] = {}
            else:
                found = scans.map(digests, lambda ds: {d: entity_scan.article_part(by_digest[d].text) for d in ds})
            return {d: local_part(by_digest[d], found.get(d)) for d in digests}

    return compute


def extract_quotes(
    articles: Sequence[Article],
    entities: Sequence[Any],
    parts: PartStore | None = None,
    scans: PartStore | None = None,
) -> list[Quote]:
    """All quotations in *articles*: attributed in each article alone, credited to the corpus'
    *entities* (:func:`corpus_speakers`), and grouped across articles.

    Returned in article order, then text order. ``entities`` follows the
    :mod:`kazreader.analysis.entities` contract (canonical ``name``, ``type``,
    ``mentions``). With *parts*, each article's :func:`local_part` is kept
    under its digest (what it depends on), so a changed file attributes one
    article again; *scans* are the entities' parts, each article's scan.
    """
    compute = local_compute(articles, scans)
    by_article = mentions_by_article(entities)
    dates = {a.id: a.date or "9999-99-99" for a in articles}
    quotes: list[Quote] = []
    norms: list[list[str]] = []
    intern = sys.intern  # (one string per distinct word, not one per word of every quote read back)
    with gc_paused():
        for lo in range(0, len(articles), _BATCH):
            batch = articles[lo:lo + _BATCH]
            digests = list(dict.fromkeys(a.digest for a in batch))
            found = parts.map(digests, compute) if parts is not None else compute(digests)
            for art in batch:
                local = found[art.digest]
                for row, speaker in zip(local["quotes"], corpus_speakers(local, by_article.get(art.id, ()))):
                    quotes.append(quote_from_row(art, row, speaker))
                    norms.append([intern(w) for w in row[-1]])
        del by_article  # (every mention of the corpus as a tuple: not needed to group)
        return group_quotes(quotes, dates, norms)
