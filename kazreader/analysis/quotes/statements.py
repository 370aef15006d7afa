"""Statements for display: the renderings of one statement side by side, or every quote of one speaker.

:func:`statement_groups` gathers the quotes that :func:`~kazreader.analysis.quotes.grouping.group_quotes`
put in one group, earliest rendering first, and says how each rendering's wording
differs from the first (:func:`wording_changes`: spans of the rendering's *own*
text, so that showing them never puts another outlet's words into it).
:func:`speaker_groups` regroups them by speaker. The faces (the TUI's quotes
screen, exports) only format these.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from typing import TYPE_CHECKING

from kazreader.analysis.quotes.extract import SHORT_WORDS
from kazreader.text import fold, tokenize, word_norms

if TYPE_CHECKING:
    from kazreader.analysis.quotes import Quote
    from kazreader.corpus import Article

__all__ = [
    "Change",
    "ChangeKind",
    "GroupKind",
    "QuoteGroup",
    "Rendering",
    "matches",
    "missing_words",
    "speaker_groups",
    "statement_groups",
    "wording_changes",
]


class GroupKind(StrEnum):
    """What a group gathers: the renderings of one statement, or every quote of one speaker."""

    STATEMENT = "statement"
    SPEAKER = "speaker"


class ChangeKind(StrEnum):
    """How a rendering's words differ from the first rendering's."""

    INSERT = "insert"  # words the first rendering does not have
    REPLACE = "replace"  # words in place of other words


@dataclass(frozen=True)
class Change:
    """A span of a rendering's own text (offsets into ``quote.text``) that differs from the first."""

    start: int
    end: int
    kind: ChangeKind


@dataclass(frozen=True)
class Rendering:
    """One article's rendering of a statement."""

    quote: Quote
    label: str  # outlet or id
    date: str | None
    similarity: float  # word similarity to the group's first rendering (1.0 for the first)
    changes: tuple[Change, ...] = ()  # its own words that differ from the first rendering
    missing: int = 0  # words of the first rendering this one lacks


@dataclass(frozen=True)
class QuoteGroup:
    """All renderings of one statement (or of one speaker), the first (earliest) rendering first."""

    id: str
    speaker: str | None
    renderings: tuple[Rendering, ...]
    search_key: str  # folded speaker, speaker texts and every rendering
    kind: GroupKind = GroupKind.STATEMENT
    also: tuple[str, ...] = ()  # other speakers the same statement is credited to

    @property
    def outlets(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self.renderings:
            seen.setdefault(r.label, None)
        return list(seen)

    @property
    def differs(self) -> bool:
        return any(r.similarity < 1.0 for r in self.renderings)

    @property
    def first(self) -> Rendering:
        return self.renderings[0]


def _opcodes(base: str, text: str) -> tuple[list[tuple[str, int, int, int, int]], float, list[tuple[int, int]]]:
    ta, tb = tokenize(base), tokenize(text)
    sm = SequenceMatcher(None, [t.norm for t in ta], [t.norm for t in tb], autojunk=False)
    ratio = 1.0 if not ta and not tb else sm.ratio()
    ops: list[tuple[str, int, int, int, int]] = list(sm.get_opcodes())
    return ops, ratio, [(t.start, t.end) for t in tb]


def wording_changes(base: str, text: str) -> tuple[tuple[Change, ...], float]:
    """The spans of *text* whose words differ from *base*, and the word similarity (typography-insensitive)."""
    changes, ratio, _missing = _compare_wording(base, text)
    return changes, ratio


def missing_words(base: str, text: str) -> int:
    """How many words of *base* *text* lacks (deleted or replaced)."""
    return _compare_wording(base, text)[2]


def _compare_wording(base: str, text: str) -> tuple[tuple[Change, ...], float, int]:
    """One alignment of *text* against *base*: its changed spans, the similarity, the words of *base* it lacks."""
    ops, ratio, spans = _opcodes(base, text)
    changes = tuple(
        Change(spans[j1][0], spans[j2 - 1][1], ChangeKind(tag))
        for tag, _i1, _i2, j1, j2 in ops
        if tag in ("insert", "replace") and j2 > j1
    )
    missing = sum(i2 - i1 for tag, i1, i2, _j1, _j2 in ops if tag in ("delete", "replace"))
    return changes, ratio, missing


def _speaker(quotes: Sequence[Quote]) -> str | None:
    names = Counter(q.speaker for q in quotes if q.speaker)
    return names.most_common(1)[0][0] if names else None


def statement_groups(quotes: Iterable[Quote], by_id: Mapping[str, Article]) -> list[QuoteGroup]:
    """Quotes grouped by statement: most widely carried first (fragments after whole statements carried
    as widely), each group's earliest rendering first."""
    order = {aid: i for i, aid in enumerate(by_id)}
    buckets: dict[str, list[Quote]] = {}
    for q in quotes:
        buckets.setdefault(q.group, []).append(q)

    def when(q: Quote) -> tuple[str, int, int]:
        art = by_id.get(q.article)
        return ((art.date if art and art.date else "9999"), order.get(q.article, len(order)), q.start)

    speaker_of = {gid: _speaker(members) for gid, members in buckets.items()}
    groups = []
    for gid, members in buckets.items():
        members.sort(key=when)
        base = members[0].text
        renderings = []
        for q in members:
            art = by_id.get(q.article)
            changes, sim, missing = _compare_wording(base, q.text)  # (one alignment for both)
            renderings.append(Rendering(q, art.label if art else q.article, art.date if art else None, sim,
                                        changes, missing))
        speaker = _speaker(members)
        key_parts = [speaker or ""]
        key_parts += [q.speaker_text or "" for q in members]
        key_parts += [q.text for q in members]
        key_parts += [r.label for r in renderings]
        others = {o for q in members for o in q.attributed_differently}
        also = tuple(sorted({n for o in others if (n := speaker_of.get(o)) and n != speaker}))
        groups.append(QuoteGroup(gid, speaker, tuple(renderings), fold(" \n".join(key_parts)), also=also))
    # (a fragment — "too many", "dumping" — after the statements carried by as many outlets)
    groups.sort(key=lambda g: (-len(g.outlets), _fragment(g), -len(g.renderings), when(g.first.quote)))
    return groups


def _fragment(group: QuoteGroup) -> bool:
    """Whether every rendering of a statement is a phrase of at most
    :data:`~kazreader.analysis.quotes.extract.SHORT_WORDS` words."""
    return all(len(word_norms(r.quote.text)) <= SHORT_WORDS for r in group.renderings)


def speaker_groups(groups: Sequence[QuoteGroup]) -> list[QuoteGroup]:
    """Every quote of each speaker across outlets, statement by statement: most quoted first."""
    by_speaker: dict[str, list[Rendering]] = {}
    for g in groups:
        if g.speaker is None or g.kind is not GroupKind.STATEMENT:
            continue
        for r in g.renderings:
            by_speaker.setdefault(g.speaker, []).append(Rendering(r.quote, r.label, r.date, 1.0))
    out = []
    for name, renderings in by_speaker.items():
        key = fold(" \n".join([name] + [r.quote.text for r in renderings] + [r.label for r in renderings]))
        out.append(QuoteGroup(f"speaker:{name}", name, tuple(renderings), key, GroupKind.SPEAKER))
    out.sort(key=lambda g: (-len({r.quote.group for r in g.renderings}), -len(g.renderings), g.speaker or ""))
    return out


def matches(group: QuoteGroup, query: str) -> bool:
    """Whether every word of *query* occurs (typography- and case-insensitively) in the group."""
    words = fold(query).split()
    return all(w in group.search_key for w in words)
