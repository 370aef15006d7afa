"""Small builders the core tests share."""

from __future__ import annotations

from kazreader.corpus.model import Article

__all__ = ["art"]


def art(id: str, text: str, **kw: str | None) -> Article:
    """A one-paragraph article named ``{id}.txt`` (other fields as keywords)."""
    return Article(id=id, path=f"{id}.txt", text=text, paragraphs=((0, len(text)),), **kw)
