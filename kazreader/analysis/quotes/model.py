"""The quotation records: where the marks are, and one attributed, grouped quotation."""

from __future__ import annotations

from collections.abc import Mapping
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

    def to_cache(self) -> list[Any]:
        """The on-disk cache's form: ``[article, start, end, speaker, speaker_start, speaker_end, group,
        *attributed_differently]``. The quote's words and the speaker's are slices of the article
        (``speaker_text`` is ``None`` exactly when ``speaker_start`` is), so they are not stored: at
        20,000 real articles the JSON form was 37 MB, and decoding it took 2.9 s."""
        return [self.article, self.start, self.end, self.speaker, self.speaker_start, self.speaker_end,
                self.group, *self.attributed_differently]

    @classmethod
    def from_cache(cls, row: list[Any], texts: Mapping[str, str]) -> Quote:
        """Rebuild what :meth:`to_cache` stored, the words sliced from *texts* (article id → text)."""
        article, start, end, speaker, s_start, s_end, group = row[:7]
        text = texts.get(article, "")
        return cls(article, start, end, text[start:end], speaker,
                   None if s_start is None else text[s_start:s_end], s_start, s_end, group, tuple(row[7:]))
