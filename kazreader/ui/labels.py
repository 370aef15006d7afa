"""How the UI names an article: outlet or id (never both ids), title or first sentence.

Article metadata is untrusted text: everything here returns plain strings (to be
wrapped in ``Text``) or :class:`rich.text.Text` built with ``Text(str)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from kazreader.corpus.listing import ListingRow, lead_sentence, shorten
from kazreader.ui.widgets.article_view import safe_text

if TYPE_CHECKING:
    from kazreader.corpus import Article

__all__ = ["Part", "article_caption", "article_headline", "article_subtitle", "first_sentence", "fit_parts"]


def first_sentence(article: Article | ListingRow, limit: int = 200) -> str:
    """The article's first sentence (for articles without a title)."""
    if isinstance(article, ListingRow):
        return shorten(article.lead, limit)
    return lead_sentence(article.text, limit)


def article_headline(article: Article, limit: int = 200) -> Text:
    """The title in bold, or (untitled) the first sentence, dim and italic."""
    if article.title:
        return Text(safe_text(" ".join(article.title.split())), style="bold")
    return Text(safe_text(first_sentence(article, limit)), style="dim italic")


def article_caption(article: Article, *, words: bool = False, with_id: bool = True) -> Text:
    """``outlet · date`` (+ words, + the id once); the id stands in for an unknown outlet."""
    out = Text()
    if article.outlet:
        out.append(safe_text(article.outlet), style="bold cyan")
    else:
        out.append(safe_text(article.id), style="bold")
    out.append(f" · {article.date or 'undated'}", style="dim")
    if words:
        out.append(f" · {article.words} words", style="dim")
    if with_id and article.outlet:
        out.append(" · ", style="dim")
        out.append(safe_text(article.id), style="dim")
    return out


def article_subtitle(article: Article, limit: int = 60) -> str:
    """One line for the app header: ``outlet — title``; the id only once when the outlet is unknown."""
    name = article.outlet or article.id
    if article.title:
        title = " ".join(article.title.split())
    else:
        title = first_sentence(article, limit)
    if len(title) > limit:
        title = title[: limit - 1].rstrip() + "…"
    bits = [name]
    if not article.outlet and article.date:
        bits.append(article.date)
    return safe_text(" · ".join(bits) + " — " + title)


@dataclass(frozen=True)
class Part:
    """One piece of a status line: its full wording, a shorter one, and whether it may go."""

    text: Text
    short: Text | None = None
    optional: bool = False


def fit_parts(parts: Sequence[Part], width: int, sep: str = " · ") -> Text:
    """*parts* joined by *sep* within *width* cells: the full wordings if they fit, else the short
    ones (the last parts first: they are the least important), else without the optional parts
    (the last first). What still does not fit is cut by the widget, never the first part."""
    chosen = [p.text for p in parts]
    kept = list(range(len(parts)))

    def joined() -> Text:
        return Text(sep).join(chosen[i] for i in kept)

    for i in reversed(range(len(parts))):
        if joined().cell_len <= width:
            return joined()
        if parts[i].short is not None:
            chosen[i] = parts[i].short  # type: ignore[assignment]
    for i in reversed(range(len(parts))):
        if joined().cell_len <= width:
            break
        if parts[i].optional:
            kept.remove(i)
    return joined()
