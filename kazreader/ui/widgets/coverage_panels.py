"""Pieces of the outlet-coverage screen: the side picker and the item lists.

Everything from an article enters a widget as :class:`rich.text.Text`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kazreader.render import shorten
from kazreader.text import fold

__all__ = [
    "CoverageItem",
    "CoverageList",
    "SideChoice",
    "SideKind",
    "SidePicker",
    "X_STYLE",
    "Y_STYLE",
    "list_sides",
    "rank_sides",
]

X_STYLE = "bold cyan"
Y_STYLE = "bold magenta"


class SideKind(StrEnum):
    OUTLET = "outlet"
    ARTICLE = "article"


@dataclass(frozen=True)
class SideChoice:
    """Something that can be one side of a comparison: an outlet or one article."""

    ref: str  # what Workspace.coverage() takes: the outlet name or the article id
    label: str
    detail: str
    kind: SideKind

    @property
    def key(self) -> str:
        return fold(f"{self.label} {self.detail} {self.ref}")


def list_sides(workspace: Any) -> list[SideChoice]:
    """Outlets first (with their article counts), then every article on its own."""
    sides: list[SideChoice] = []
    for outlet, arts in workspace.outlets().items():
        n = len(arts)
        sides.append(SideChoice(outlet, outlet, f"outlet · {n} article{'s' if n != 1 else ''}", SideKind.OUTLET))
    for a in workspace.articles:
        bits = [b for b in (a.outlet, a.date, a.title and shorten(a.title, 60)) if b]
        sides.append(SideChoice(a.id, a.id, " · ".join(bits) or "article", SideKind.ARTICLE))
    return sides


def default_sides(sides: Sequence[SideChoice]) -> tuple[str | None, str | None]:
    """Two outlets when there are two, else the first two articles."""
    outlets = [s.ref for s in sides if s.kind == SideKind.OUTLET]
    if len(outlets) >= 2:
        return outlets[0], outlets[1]
    articles = [s.ref for s in sides if s.kind == SideKind.ARTICLE]
    pool = outlets + [a for a in articles]
    pool = list(dict.fromkeys(pool))
    return (pool[0] if pool else None), (pool[1] if len(pool) > 1 else None)


_STOP = frozenset({"the", "a", "an", "of", "and", "de", "la", "le"})


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return bool(needle) and all(ch in it for ch in needle)


#: At most this many sides in the picker list at once.
SIDE_LIMIT = 200


def rank_sides(sides: Sequence[SideChoice], query: str) -> list[SideChoice]:
    """Sides matching *query* (fuzzy, typography-insensitive), best first; all of them for no query."""
    q = fold(query).strip()
    if not q:
        return list(sides)
    scored = []
    compact = q.replace(" ", "")
    for i, s in enumerate(sides):
        key = s.key
        words = fold(s.label).replace("-", " ").split()
        initials = "".join(w[0] for w in words if w)
        if q in key:
            score = 100.0
        elif compact and (compact in initials or compact in "".join(w[0] for w in words if w not in _STOP)):
            score = 95.0
        else:
            score = fuzz.partial_ratio(q, key) if len(compact) >= 4 else 0.0
            if score < 75:
                score = 60.0 if _subsequence(compact, fold(s.label)) else 0.0
        if score >= 60:
            scored.append((-score, i, s))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [s for _, _, s in scored]


def _side_prompt(side: SideChoice, shared: int | None = None, other: str = "") -> Table | Text:
    out = Text(side.label, style="bold" if side.kind == SideKind.OUTLET else "", no_wrap=True, overflow="ellipsis")
    out.append(f"  {side.detail}", style="dim")
    if shared is None:
        return out
    grid = Table.grid(expand=True, padding=(0, 0, 0, 2))
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right", no_wrap=True)
    count = Text(f"{shared} shared", style="bold green" if shared else "dim")
    grid.add_row(out, count)
    return grid


class SidePicker(ModalScreen[str | None]):
    """Pick an outlet or an article; type to filter fuzzily; enter picks, escape cancels."""

    DEFAULT_CSS = """
    SidePicker { align: center middle; }
    SidePicker > Vertical {
        width: 80%; max-width: 90; min-width: 16;
        height: 80%; max-height: 30; min-height: 5;
        border: round $accent; background: $surface; padding: 0 1;
    }
    SidePicker #side-picker-title { height: 1; }
    SidePicker Input { margin: 0; }
    SidePicker OptionList { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="coverage.picker.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="coverage.picker.down"),
        Binding("up", "move(-1)", "Up", show=False, id="coverage.picker.up"),
    ]

    def __init__(
        self,
        sides: Sequence[SideChoice],
        which: str,
        current: str | None = None,
        shared: dict[str, int] | None = None,
        other: str = "",
    ) -> None:
        super().__init__()
        self.sides = list(sides)
        self.which = which
        self.current = current
        #: side ref -> passages it shares with the other side (None: not known yet)
        self.shared = shared
        self.other = other
        self.shown: list[SideChoice] = list(sides)

    def compose(self) -> ComposeResult:
        with Vertical():
            title = Text()
            title.append(f"Choose side {self.which}", style=X_STYLE if self.which == "X" else Y_STYLE)
            if self.shared is not None and self.other:
                other = "Y" if self.which == "X" else "X"
                title.append(f"  · passages shared with {other} ({shorten(self.other, 30)})", style="dim")
            title.append("  · type to filter · enter picks · esc cancels", style="dim")
            title.no_wrap, title.overflow = True, "ellipsis"
            yield Static(title, id="side-picker-title", markup=False)
            yield Input(placeholder="outlet or article", id="side-picker-input")
            yield OptionList(id="side-picker-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        ranked = rank_sides(self.sides, query)
        # Thousands of options take seconds to lay out: the best SIDE_LIMIT, the current one kept.
        self.shown = ranked[:SIDE_LIMIT]
        if not query and self.current and all(s.ref != self.current for s in self.shown):
            cur = next((s for s in ranked if s.ref == self.current), None)
            if cur is not None:
                self.shown = [cur, *self.shown[:-1]]
        more = len(ranked) - len(self.shown)
        olist = self.query_one(OptionList)
        shared = self.shared
        olist.set_options([
            *(Option(_side_prompt(s, None if shared is None else shared.get(s.ref, 0))) for s in self.shown),
            *([Option(Text(f"… {more} more — type to narrow", style="dim italic"), disabled=True)] if more else []),
        ])
        if self.shown:
            refs = [s.ref for s in self.shown]
            olist.highlighted = refs.index(self.current) if not query and self.current in refs else 0

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._pick(self.query_one(OptionList).highlighted)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option_index)

    def _pick(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.shown):
            self.notify("nothing matches", timeout=2)
            return
        self.dismiss(self.shown[index].ref)

    def action_move(self, step: int) -> None:
        olist = self.query_one(OptionList)
        if olist.option_count:
            olist.action_cursor_down() if step > 0 else olist.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class CoverageItem:
    """One row of a coverage pane and where enter takes the reader."""

    prompt: Text | Table
    article: str | None
    span: tuple[int, int] | None
    search: str  # folded text for the filter
    other: str | None = None  # the other article of a shared passage (for compare)


class CoverageList(OptionList):
    """A list of coverage items; remembers them to open the selected one."""

    BINDINGS = [Binding("enter", "select", "Open", key_display="enter", id="coverage.list.open")]

    def __init__(self, *, empty: str = "nothing here", divided: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.divided = divided
        self.items: list[CoverageItem] = []
        self.shown_items: list[CoverageItem] = []
        self.empty = empty

    def show(self, items: Iterable[CoverageItem], query: str = "") -> None:
        self.items = list(items)
        self.refilter(query)

    def refilter(self, query: str) -> None:
        words = fold(query).split()
        self.shown_items = [i for i in self.items if all(w in i.search for w in words)]
        options: list[Option | None] = []
        for item in self.shown_items:
            if options and self.divided:
                options.append(None)
            options.append(Option(item.prompt))
        if not options:
            msg = self.empty if not self.items else "nothing matches the filter"
            options = [Option(Text(msg, style="dim italic"), disabled=True)]
        self.set_options(options)
        if self.shown_items:
            self.highlighted = 0

    @property
    def current(self) -> CoverageItem | None:
        i = self.highlighted
        if i is None or not 0 <= i < len(self.shown_items):
            return None
        return self.shown_items[i]
