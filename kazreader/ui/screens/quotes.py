"""Quotes: every statement grouped by speaker, who carried it and how the wording differs.

``s`` switches to the speakers: every quote of one person across outlets.
``y`` copies the highlighted rendering exactly as its outlet printed it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static

from kazreader.ui.findings import FindingsKeys, findings_bindings
from kazreader.ui.messages import OpenArticle
from kazreader.ui.widgets.quote_groups import (
    GroupKind,
    GroupList,
    QuoteGroup,
    RenderingList,
    statement_groups,
    legend,
    matches,
    speaker_groups,
)
from kazreader.ui.widgets.screen_commands import ScreenBindingsProvider
from kazreader.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from kazreader.workspace import Workspace

__all__ = ["QuotesScreen"]

#: Below this many columns the two lists stack instead of sitting side by side.
NARROW = 110


class QuotesLoaded(Message):
    """The worker finished grouping the workspace's quotes."""

    def __init__(self, groups: list[QuoteGroup] | None, error: str | None = None) -> None:
        super().__init__()
        self.groups = groups
        self.error = error


class QuotesScreen(FindingsKeys, Screen[None]):
    """Statement groups on the left (or top), the selected group's renderings beside them."""

    TITLE = "Quotes"
    AUTO_FOCUS = "#quotes-groups"
    COMMANDS = {ScreenBindingsProvider}
    BINDINGS = [
        Binding("q", "back", "Back", id="quotes.back"),
        Binding("escape", "back", "Back", show=False, id="quotes.escape"),
        Binding("slash", "filter", "Filter", key_display="/", id="quotes.filter"),
        Binding("s", "toggle_speakers", "By speaker", tooltip="Every quote of one speaker across outlets (toggle)",
                id="quotes.by_speaker"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="quotes.help"),
        Binding("enter", "open", "Open", key_display="enter", tooltip="Open the selected rendering in the reader", id="quotes.open"),
        Binding("n", "next_rendering", "Next outlet", tooltip="Next rendering (outlet) of this statement",
                id="quotes.next"),
        Binding("p", "previous_rendering", "Prev outlet", show=False,
                tooltip="Previous rendering (outlet) of this statement", id="quotes.previous"),
        Binding("tab", "switch_pane", "Pane", tooltip="Switch between statements and renderings",
                id="quotes.pane"),
        Binding("shift+tab", "switch_pane", "Pane", show=False, id="quotes.pane_back"),
        Binding("j", "cursor('down')", "Down", show=False, id="quotes.down"),
        Binding("k", "cursor('up')", "Up", show=False, id="quotes.up"),
        Binding("d", "toggle_differs", "Differing", tooltip="Show only statements whose wording differs (toggle)",
                id="quotes.differs"),
        *findings_bindings("quotes"),
    ]

    def __init__(self, workspace: Workspace, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.workspace = workspace
        self.groups: list[QuoteGroup] = []
        self.shown: list[QuoteGroup] = []
        self.only_differing = False
        self.by_speaker = False
        self.speakers: list[QuoteGroup] = []
        self.error: str | None = None

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="quotes-bar"):
            yield Input(placeholder="/ filter by speaker or words", id="quotes-filter")
            yield Static(Text("loading…", style="dim"), id="quotes-count", markup=False)
        with Horizontal(id="quotes-body"):
            with Vertical(id="quotes-groups-pane"):
                yield GroupList(id="quotes-groups")
            with Vertical(id="quotes-renderings-pane"):
                yield RenderingList(id="quotes-renderings")
                yield Static(legend(), id="quotes-legend", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "statements, speakers and wording"
        self.query_one("#quotes-body").loading = True
        self._apply_width(self.size.width or self.app.size.width)
        self.query_one(GroupList).focus()
        self.load()

    def on_resize(self, event: Any) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < NARROW, "-stacked")

    # -- loading -------------------------------------------------------------

    @work(thread=True, exclusive=True, group="quotes")
    def load(self) -> None:
        try:
            quotes = self.workspace.quotes()
            groups = statement_groups(quotes, self.workspace.by_id)
        except Exception as err:  # the core reports; the screen must not crash
            self.post_message(QuotesLoaded(None, f"{type(err).__name__}: {err}"))
            return
        self.post_message(QuotesLoaded(groups))

    def on_quotes_loaded(self, message: QuotesLoaded) -> None:
        self.query_one("#quotes-body").loading = False
        if not isinstance(self.focused, Input):
            self.query_one(GroupList).focus()
        if message.groups is None:
            self.error = message.error
            self._set_count(Text(f"could not find quotes: {message.error}", style="bold red"))
            return
        self.groups = message.groups
        self.speakers = speaker_groups(message.groups)
        self._refilter()

    # -- filtering -----------------------------------------------------------

    @on(Input.Changed, "#quotes-filter")
    def _filter_changed(self) -> None:
        self._refilter()

    @on(Input.Submitted, "#quotes-filter")
    def _filter_submitted(self) -> None:
        self.query_one(GroupList).focus()

    def _refilter(self) -> None:
        query = self.query_one("#quotes-filter", Input).value
        pool = self.speakers if self.by_speaker else self.groups
        shown = [g for g in pool if matches(g, query)]
        if self.only_differing and not self.by_speaker:
            shown = [g for g in shown if g.differs]
        self.shown = shown
        self.query_one(GroupList).show(shown)
        self._show_group(shown[0] if shown else None)
        total = len(pool)
        n_quotes = sum(len(g.renderings) for g in self.groups)
        what = "speakers" if self.by_speaker else "statements"
        if not self.groups:
            self._set_count(Text("no quotes found in this corpus", style="dim"))
        elif len(shown) == total:
            self._set_count(Text(f"{total} {what} · {n_quotes} quotes", style="dim"))
        else:
            self._set_count(Text(f"{len(shown)} of {total} {what}", style="bold"))
        if total and not shown:
            self.query_one(RenderingList).set_options(
                [Text("nothing matches the filter (escape clears it)", style="dim italic")]
            )

    def _set_count(self, text: Text) -> None:
        self.query_one("#quotes-count", Static).update(text)

    # -- selection -----------------------------------------------------------

    @property
    def current_group(self) -> QuoteGroup | None:
        index = self.query_one(GroupList).highlighted
        if index is None or not (0 <= index < len(self.shown)):
            return None
        return self.shown[index]

    def _show_group(self, group: QuoteGroup | None) -> None:
        self.query_one(RenderingList).show(group)
        title = self.query_one("#quotes-renderings-pane")
        noun = "quote" if self.by_speaker else "rendering"
        if group is None:
            title.border_title = f"{noun}s"
        else:
            n = len(group.renderings)
            title.border_title = f"{n} {noun}{'s' if n != 1 else ''}"
        groups_pane = self.query_one("#quotes-groups-pane")
        groups_pane.border_title = "speakers" if self.by_speaker else "statements"

    @on(OptionList.OptionHighlighted, "#quotes-groups")
    def _group_highlighted(self) -> None:
        self._show_group(self.current_group)

    @on(OptionList.OptionSelected, "#quotes-groups")
    def _group_selected(self) -> None:
        self.action_open()

    @on(OptionList.OptionSelected, "#quotes-renderings")
    def _rendering_selected(self) -> None:
        self.action_open()

    # -- actions -------------------------------------------------------------

    def action_back(self) -> None:
        flt = self.query_one("#quotes-filter", Input)
        if self.focused is flt:
            if flt.value:
                flt.value = ""
            else:
                self.query_one(GroupList).focus()
            return
        self.dismiss()

    def action_filter(self) -> None:
        self.query_one("#quotes-filter", Input).focus()

    def action_cursor(self, direction: str) -> None:
        widget = self.focused
        if isinstance(widget, OptionList):
            widget.action_cursor_down() if direction == "down" else widget.action_cursor_up()

    def action_next_rendering(self) -> None:
        self.query_one(RenderingList).action_cursor_down()

    def action_previous_rendering(self) -> None:
        self.query_one(RenderingList).action_cursor_up()

    def action_switch_pane(self) -> None:
        groups, renderings = self.query_one(GroupList), self.query_one(RenderingList)
        (renderings if self.focused is groups else groups).focus()

    def action_toggle_differs(self) -> None:
        self.only_differing = not self.only_differing
        self.notify(
            "showing only statements whose wording differs" if self.only_differing
            else "showing every statement",
            timeout=2,
        )
        self._refilter()

    def action_toggle_speakers(self) -> None:
        self.by_speaker = not self.by_speaker
        kind = GroupKind.SPEAKER if self.by_speaker else GroupKind.STATEMENT
        self.query_one("#quotes-legend", Static).update(legend(kind))
        self.notify("every quote by speaker" if self.by_speaker else "quotes by statement", timeout=2)
        self._refilter()

    @property
    def current_quote(self) -> Any:
        """The highlighted rendering's quote (the group's first when none is highlighted)."""
        group = self.current_group
        if group is None:
            return None
        index = self.query_one(RenderingList).highlighted or 0
        if not 0 <= index < len(group.renderings):
            index = 0
        return group.renderings[index].quote

    def action_open(self) -> None:
        q = self.current_quote
        if q is None:
            return
        self.post_message(OpenArticle(q.article, span=(q.start, q.end)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "next_rendering", "previous_rendering", "copy_finding") and not self.shown:
            return None
        return True

    # -- findings out (y, o, e: kazreader.ui.findings) ----------------------------

    def finding(self) -> list[Any]:
        from kazreader.ui.findings_views import quotes_finding

        return quotes_finding(self)

    def finding_export(self) -> Any:
        from kazreader.ui.findings_views import quotes_export

        return quotes_export(self)
