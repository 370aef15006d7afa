"""The quotes screen's two lists: statements (or speakers) and their renderings.

The groups themselves come from the core
(:mod:`kazreader.analysis.quotes.statements`); this module only formats them,
and article text only ever reaches the widgets as :class:`rich.text.Text`.

Every rendering shows exactly the words its outlet printed (``quote.text``):
how it differs from the first rendering is shown by styling its own words and
by a count of the words it lacks on the header line, never by splicing another
outlet's words into it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kazreader.analysis.quotes.statements import (
    Change,
    ChangeKind,
    GroupKind,
    QuoteGroup,
    Rendering,
    matches,
    missing_words,
    speaker_groups,
    statement_groups,
    wording_changes,
)
from kazreader.render import CHANGE_STYLE, INSERT_STYLE, shorten

__all__ = [
    "GroupKind",
    "GroupList",
    "QuoteGroup",
    "Rendering",
    "RenderingList",
    "group_prompt",
    "matches",
    "missing_words",
    "rendering_prompt",
    "speaker_groups",
    "statement_groups",
    "wording_diff",
]

UNATTRIBUTED = "(unattributed)"


def _styled(text: str, changes: Iterable[Change]) -> Text:
    """*text*, verbatim, its changed words styled (insert underlined, replace highlighted)."""
    out = Text(text)
    for c in changes:
        out.stylize(CHANGE_STYLE if c.kind is ChangeKind.REPLACE else INSERT_STYLE, c.start, c.end)
    return out


def wording_diff(base: str, text: str) -> tuple[Text, float]:
    """*text*, verbatim, with the words that differ from *base* styled, and the word similarity.

    The result's ``plain`` is always exactly *text* (see
    :func:`kazreader.analysis.quotes.statements.wording_changes`).
    """
    changes, similarity = wording_changes(base, text)
    return _styled(text, changes), similarity


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
    body.append_text(_styled(q.text, r.changes))
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
