"""The quotation records: where the marks are, and one attributed, grouped quotation."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Quote", "QuoteSpan"]


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """Where a quotation's marks and words are in an article's text.

    ``start``/``end`` span the quoted words (no marks, no trailing comma);
    ``open_mark`` is the first opening mark, ``close_mark`` the closing one;
    ``continued`` the re-opening marks of the paragraphs it runs across.
    """

    start: int
    end: int
    open_mark: int
    close_mark: int
    continued: tuple[int, ...] = ()


@dataclass(frozen=True)
class Quote:
    """One quotation in one article, its speaker and its statement group."""

    article: str
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_text: str | None
    speaker_start: int | None
    speaker_end: int | None
    group: str
    #: ids of groups where the same statement is credited to another speaker
    attributed_differently: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``quotes --json`` record (contract fields plus speaker offsets)."""
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Quote:
        """Rebuild a quote from :meth:`to_json` output (extra keys ignored)."""
        return cls(
            article=d["article"],
            start=int(d["start"]),
            end=int(d["end"]),
            text=d["text"],
            speaker=d.get("speaker"),
            speaker_text=d.get("speaker_text"),
            speaker_start=d.get("speaker_start"),
            speaker_end=d.get("speaker_end"),
            group=d["group"],
            attributed_differently=tuple(d.get("attributed_differently") or ()),
        )
