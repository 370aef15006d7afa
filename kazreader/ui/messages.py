"""Messages that screens and widgets use to ask the app for navigation."""

from __future__ import annotations

from textual.message import Message

__all__ = ["OpenArticle", "OpenCompare"]


class OpenArticle(Message):
    """Open an article in the reader, optionally scrolled to and highlighting a span.

    ``highlights`` are extra spans to mark (e.g. search hits).
    """

    def __init__(
        self,
        article_id: str,
        span: tuple[int, int] | None = None,
        highlights: tuple[tuple[int, int], ...] = (),
    ) -> None:
        super().__init__()
        self.article_id = article_id
        self.span = span
        self.highlights = highlights


class OpenCompare(Message):
    """Open two articles side by side."""

    def __init__(self, a_id: str, b_id: str) -> None:
        super().__init__()
        self.a_id = a_id
        self.b_id = b_id
