"""The help screen: every key, per screen, generated from the bindings themselves."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from kazreader.search_guide import QUERY_GUIDE

__all__ = ["HelpScreen", "help_text"]

#: ``(example, meaning)`` rows of the search syntax, one per field and operator.
SEARCH_SYNTAX = tuple((example, f"{syntax}  {meaning}" if syntax.endswith(":") else meaning)
                      for syntax, example, meaning in QUERY_GUIDE)


def _key_name(app: Any, binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    keys = [k.strip() for k in binding.key.split(",")]
    return " / ".join(app.get_key_display(Binding(k, binding.action)) for k in keys)


def _bindings_table(app: Any, title: str, bindings: list[Binding]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True, min_width=12)
    table.add_column()
    table.title = title
    table.title_style = "bold"
    table.title_justify = "left"
    seen: set[str] = set()
    for b in bindings:
        if not b.description or b.action in seen:
            continue
        seen.add(b.action)
        table.add_row(_key_name(app, b), b.description)
    return table


def _bindings_of(cls: type) -> list[Binding]:
    out: list[Binding] = []
    for item in getattr(cls, "BINDINGS", []):
        if isinstance(item, Binding):
            out.append(item)
        elif isinstance(item, tuple):
            out.append(Binding(*item))
    return out


def help_text(app: Any, screen: Screen[Any] | None) -> list[Any]:
    """Renderables for the help screen, the calling screen's keys first."""
    from kazreader.ui.screens.compare import CompareScreen
    from kazreader.ui.screens.library import LibraryScreen
    from kazreader.ui.screens.reader import ReaderScreen

    parts: list[Any] = [Text("kazreader — keys", style="bold reverse"), Text("")]
    screens: list[tuple[str, type]] = [
        ("Library", LibraryScreen), ("Reader", ReaderScreen), ("Compare", CompareScreen),
    ]
    if screen is not None and type(screen) not in [cls for _n, cls in screens]:
        screens.insert(0, (type(screen).__name__.removesuffix("Screen"), type(screen)))
    else:
        screens.sort(key=lambda item: item[1] is not type(screen))
    for name, cls in screens:
        here = " (this screen)" if screen is not None and cls is type(screen) else ""
        parts += [_bindings_table(app, name + here, _bindings_of(cls)), Text("")]
    general = [
        Binding("tab", "", "Next pane"), Binding("shift+tab", "", "Previous pane"),
        Binding("j,down", "", "Down / scroll"), Binding("k,up", "", "Up / scroll"),
        Binding("space,pagedown", "", "Page down"), Binding("g", "", "Top"), Binding("G", "", "Bottom"),
        Binding("enter", "", "Open / choose"), Binding("ctrl+p", "", "Command palette (every action)"),
        *_bindings_of(type(app)), Binding("ctrl+q", "", "Quit"),
    ]
    parts += [_bindings_table(app, "Everywhere", general), Text("")]
    syntax = Table.grid(padding=(0, 2))
    syntax.title, syntax.title_style, syntax.title_justify = "Search syntax", "bold", "left"
    syntax.add_column(style="bold yellow", no_wrap=True)
    syntax.add_column()
    for q, what in SEARCH_SYNTAX:
        syntax.add_row(Text(q), what)
    parts += [syntax, Text("In the library's results, tab reaches the matches per outlet and per day: "
                           "enter adds one as a filter; s orders hits by score or date.", style="dim"),
              Text(""), Text("The mouse works too: click rows, headers (sort), passages and mentions.", style="dim")]
    return parts


class HelpScreen(ModalScreen[None]):
    """Keys for every screen (the one you came from first) and the search syntax."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close"),
        Binding("j", "scroll('down')", "Down", show=False),
        Binding("k", "scroll('up')", "Up", show=False),
    ]

    def __init__(self, origin: Screen[Any] | None = None) -> None:
        super().__init__()
        self.origin = origin

    def compose(self) -> ComposeResult:
        from rich.console import Group

        with VerticalScroll(id="help-body"):
            yield Static(Group(*help_text(self.app, self.origin)), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if direction == "down":
            body.scroll_down()
        else:
            body.scroll_up()
