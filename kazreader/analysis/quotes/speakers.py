"""Quotes by speaker: every quote of one person across outlets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from kazreader.analysis.quotes.model import Quote
from kazreader.text import fold

__all__ = ["by_speaker", "speaker_matches"]


def speaker_matches(speaker: str | None, name: str) -> bool:
    """Whether canonical *speaker* is the one *name* asks for ("Trump" finds "Donald Trump").

    Every word of *name* must be a word of *speaker* (typography- and case-insensitively).
    """
    if not speaker:
        return False
    want = fold(name).replace(".", " ").split()
    have = set(fold(speaker).replace(".", " ").split())
    return bool(want) and all(w in have for w in want)


def by_speaker(quotes: Sequence[Quote], name: str) -> list[Quote]:
    """The quotes of *name*, in their order: those credited to them, and the unattributed
    renderings of statements credited to them and to nobody else."""
    credited: dict[str, set[bool]] = defaultdict(set)
    for q in quotes:
        if q.speaker is not None:
            credited[q.group].add(speaker_matches(q.speaker, name))
    theirs = {g for g, verdicts in credited.items() if verdicts == {True}}
    return [q for q in quotes if speaker_matches(q.speaker, name) or (q.speaker is None and q.group in theirs)]
