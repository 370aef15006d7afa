"""Quotations: where they are, who said them, and which ones render one statement.

Pipeline, per article then across the corpus:

1. **Marks** (:mod:`.marks`): quotation-mark pairs, across paragraphs in the
   classic convention; apostrophes are never marks.
2. **Attribution** (:mod:`.attribution`, words from :mod:`.lexicon`): speech
   verbs and frames either side of the quote, titles leading to the person,
   pronouns to the nearest compatible person, roles to the entity they describe.
3. **Scare quotes** (:mod:`.extract`): a quoted phrase of at most
   :data:`SHORT_WORDS` words is kept only when a speech cue attributes it.
   A quotation standing alone right after another one goes on with its speaker.
4. **Per article** (:mod:`.local`): each article is attributed with its own
   entities alone (kept per article digest), then each speaker is named after
   a corpus entity (:func:`.local.corpus_speakers`).
5. **Groups** (:mod:`.grouping`): renderings of one statement share an id.

Every quote's ``text`` is exactly ``article.text[start:end]``: what the outlet
printed, never another outlet's words.
"""

from __future__ import annotations

from kazreader.analysis.quotes.attribution import Attribution, attribute, has_speech_cue
from kazreader.analysis.quotes.extract import SHORT_WORDS, attribute_quotes
from kazreader.analysis.quotes.grouping import group_quotes, normalise_quote
from kazreader.analysis.quotes.local import extract_quotes
from kazreader.analysis.quotes.marks import find_quote_spans
from kazreader.analysis.quotes.model import Quote, QuoteSpan
from kazreader.analysis.quotes.speakers import by_speaker, speaker_matches

__all__ = [
    "Attribution",
    "Quote",
    "QuoteSpan",
    "SHORT_WORDS",
    "VERSION",
    "attribute",
    "attribute_quotes",
    "by_speaker",
    "extract_quotes",
    "find_quote_spans",
    "group_quotes",
    "has_speech_cue",
    "normalise_quote",
    "speaker_matches",
]

#: Bump when the output of :func:`extract_quotes` changes.
VERSION = 4
