"""Quote statement groups: grouping, filtering, word-level wording diffs and the two lists.

Pure helpers (``group_quotes``, ``speaker_groups``, ``matches``,
``wording_diff``) work on anything shaped like
:class:`kazreader.analysis.quotes.Quote`; the widgets only ever receive
article text as :class:`rich.text.Text`.

Every rendering shows exactly the words its outlet printed (``quote.text``):
how it differs from the first rendering is shown by styling its own words and
by a count of the words it lacks on the header line, never by splicing another
outlet's words into it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kazreader.render import CHANGE_STYLE, INSERT_STYLE, shorten
from kazreader.text import fold, tokenize

if TYPE_CHECKING:
    from kazreader.analysis.quotes import Quote
    from kazreader.corpus import Article

__all__ = [
    "QuoteGroup",
    "Rendering",
    "GroupList",
    "RenderingList",
    "GroupKind",
    "group_quotes",
    "speaker_groups",
    "matches",
    "wording_diff",
]

UNATTRIBUTED = "(unattributed)"


class GroupKind(StrEnum):
    """What a group gathers: the renderings of one statement, or every quote of one speaker."""

    STATEMENT = "statement"
    SPEAKER = "speaker"


@dataclass(frozen=True)
class Rendering:
    """One article's rendering of a statement."""

    quote: Any  # a Quote
    label: str  # outlet or id
    date: str | None
    similarity: float  # word similarity to the group's first rendering (1.0 for the first)
    diff: Text  # the rendering's own words, those that differ from the first rendering styled
    missing: int = 0  # words of the first rendering this one lacks


@dataclass(frozen=True)
class QuoteGroup:
    """All renderings of one statement, the first (earliest) rendering first."""

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


def wording_diff(base: str, text: str) -> tuple[Text, float]:
    """*text*, verbatim, with the words that differ from *base* styled, and the word similarity.

    The result's ``plain`` is always exactly *text*: words *text* adds are
    underlined, words it replaces highlighted; words of *base* it lacks are
    counted by :func:`missing_words`, never shown inside it. Matching is
    typography-insensitive.
    """
    ta, tb = tokenize(base), tokenize(text)
    sm = SequenceMatcher(None, [t.norm for t in ta], [t.norm for t in tb], autojunk=False)
    out = Text(text)
    for tag, _i1, _i2, j1, j2 in sm.get_opcodes():
        if tag in ("insert", "replace") and j2 > j1:
            out.stylize(CHANGE_STYLE if tag == "replace" else INSERT_STYLE, tb[j1].start, tb[j2 - 1].end)
    return out, (1.0 if not ta and not tb else sm.ratio())


def missing_words(base: str, text: str) -> int:
    """How many words of *base* *text* lacks (deleted or replaced)."""
    ta, tb = tokenize(base), tokenize(text)
    sm = SequenceMatcher(None, [t.norm for t in ta], [t.norm for t in tb], autojunk=False)
    return sum(i2 - i1 for tag, i1, i2, _j1, _j2 in sm.get_opcodes() if tag in ("delete", "replace"))


def _speaker(quotes: Sequence[Any]) -> str | None:
    names = Counter(q.speaker for q in quotes if q.speaker)
    return names.most_common(1)[0][0] if names else None


def group_quotes(quotes: Iterable[Quote], by_id: Mapping[str, Article]) -> list[QuoteGroup]:
    """Quotes grouped by statement: most widely carried first, each group's earliest rendering first."""
    order = {aid: i for i, aid in enumerate(by_id)}
    buckets: dict[str, list[Any]] = {}
    for q in quotes:
        buckets.setdefault(q.group, []).append(q)

    def when(q: Any) -> tuple[str, int, int]:
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
            diff, sim = wording_diff(base, q.text)
            renderings.append(
                Rendering(q, art.label if art else q.article, art.date if art else None, sim, diff,
                          missing_words(base, q.text))
            )
        speaker = _speaker(members)
        key_parts = [speaker or ""]
        key_parts += [q.speaker_text or "" for q in members]
        key_parts += [q.text for q in members]
        key_parts += [r.label for r in renderings]
        others = {o for q in members for o in getattr(q, "attributed_differently", ())}
        also = tuple(sorted({n for o in others if (n := speaker_of.get(o)) and n != speaker}))
        groups.append(QuoteGroup(gid, speaker, tuple(renderings), fold(" \n".join(key_parts)), also=also))
    groups.sort(key=lambda g: (-len(g.outlets), -len(g.renderings), when(g.first.quote)))
    return groups


def matches(group: QuoteGroup, query: str) -> bool:
    """Whether every word of *query* occurs (typography- and case-insensitively) in the group."""
    words = fold(query).split()
    return all(w in group.search_key for w in words)


def group_prompt(group: QuoteGroup, width: int = 150) -> Text:
    """The group list line: speaker · outlets · first rendering (or, by speaker, their quote count)."""
    line = Text()
    if group.speaker:
        line.append(group.speaker, style="bold")
    else:
        line.append(UNATTRIBUTED, style="dim italic")
    n = len(group.outlets)
    if group.kind is GroupKind.SPEAKER:
        statements = len({r.quote.group for r in group.renderings})
        line.append(f"  {len(group.renderings)} quote{'s' if len(group.renderings) != 1 else ''}", style="cyan")
        line.append(f" · {statements} statement{'s' if statements != 1 else ''}", style="cyan")
    line.append(f"  {n} source{'s' if n != 1 else ''}", style="cyan")
    if group.kind is GroupKind.STATEMENT and len(group.renderings) > n:
        line.append(f" · {len(group.renderings)}×", style="cyan")
    if group.kind is GroupKind.STATEMENT and group.differs:
        line.append("  wording differs", style="magenta")
    if group.also:
        line.append("  attributed differently: also to ", style="bold yellow")
        line.append(", ".join(group.also), style="yellow")
    line.append("\n")
    line.append("“" + shorten(group.first.quote.text, width) + "”", style="italic")
    return line


def rendering_prompt(r: Rendering, is_first: bool, kind: GroupKind = GroupKind.STATEMENT) -> Text:
    """One rendering: who carried it, when, how close to the first, and its verbatim text."""
    q = r.quote
    head = Text()
    head.append(r.label, style="bold cyan")
    if r.date:
        head.append(f"  {r.date}", style="dim")
    if r.label != q.article:
        head.append(f"  {q.article}", style="dim")
    if kind is GroupKind.STATEMENT:
        head.append_text(_closeness(r, is_first))
    if q.speaker_text and q.speaker_text != q.speaker:
        head.append("  as “", style="dim")
        head.append(q.speaker_text, style="dim")
        head.append("”", style="dim")
    body = Text("“")
    body.append_text(r.diff)
    body.append("”")
    return Text("\n").join([head, body])


def _closeness(r: Rendering, is_first: bool) -> Text:
    if is_first:
        return Text("  first rendering", style="green")
    if r.similarity >= 1.0:
        return Text("  same words", style="green")
    out = Text(f"  {100 * r.similarity:.0f}% same words", style="magenta")
    if r.missing:
        out.append(f" · lacks {r.missing} word{'s' if r.missing != 1 else ''} of the first", style="magenta")
    return out


def speaker_groups(groups: Sequence[QuoteGroup]) -> list[QuoteGroup]:
    """Every quote of each speaker across outlets, statement by statement: most quoted first."""
    by_speaker: dict[str, list[Rendering]] = {}
    for g in groups:
        if g.speaker is None or g.kind is not GroupKind.STATEMENT:
            continue
        for r in g.renderings:
            by_speaker.setdefault(g.speaker, []).append(
                Rendering(r.quote, r.label, r.date, 1.0, Text(r.quote.text), 0)
            )
    out = []
    for name, renderings in by_speaker.items():
        key = fold(" \n".join([name] + [r.quote.text for r in renderings] + [r.label for r in renderings]))
        out.append(QuoteGroup(f"speaker:{name}", name, tuple(renderings), key, GroupKind.SPEAKER))
    out.sort(key=lambda g: (-len({r.quote.group for r in g.renderings}), -len(g.renderings), g.speaker or ""))
    return out


#: At most this many statements in the list at once (the filter narrows).
GROUP_LIMIT = 300


def _divided(options: Iterable[Option]) -> list[Option | None]:
    """Options with a divider line between each (dividers are not options)."""
    out: list[Option | None] = []
    for option in options:
        if out:
            out.append(None)
        out.append(option)
    return out


class GroupList(OptionList):
    """The statement groups (speaker, number of outlets, first rendering)."""

    BINDINGS = [Binding("enter", "select", "Open", key_display="enter", id="quotes.groups.open")]

    def show(self, groups: Sequence[QuoteGroup]) -> None:
        """Show the first :data:`GROUP_LIMIT` groups (thousands of options take seconds to lay out)."""
        more = len(groups) - GROUP_LIMIT
        options = _divided(Option(group_prompt(g), id=g.id) for g in groups[:GROUP_LIMIT])
        if more > 0:
            options += [None, Option(Text(f"… {more} more statements — type to narrow", style="dim italic"),
                                     disabled=True)]
        self.set_options(options)
        if groups:
            self.highlighted = 0


class RenderingList(OptionList):
    """The renderings of the selected group, with the wording differences marked."""

    BINDINGS = [Binding("enter", "select", "Open", key_display="enter", id="quotes.renderings.open")]

    def show(self, group: QuoteGroup | None) -> None:
        if group is None:
            self.set_options([])
            return
        self.set_options(
            _divided(
                Option(rendering_prompt(r, i == 0, group.kind), id=str(i)) for i, r in enumerate(group.renderings)
            )
        )
        self.highlighted = 0


def legend(kind: GroupKind = GroupKind.STATEMENT) -> Text:
    if kind is GroupKind.SPEAKER:
        return Text("every quote of this speaker, as each outlet printed it", style="dim")
    return Text.assemble(
        ("each outlet's words as printed; vs the first rendering: ", "dim"),
        ("added", INSERT_STYLE), ("  ", ""),
        ("changed", CHANGE_STYLE),
    )
