"""Figures: measures as rows, articles as columns, disagreements first and highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from kazreader.analysis.figures.describe import COMPARISON_WORDS, figure_words
from kazreader.corpus.listing import shorten
from kazreader.text import fold
from kazreader.ui.findings import FindingsKeys, findings_bindings
from kazreader.ui.labels import Part, fit_parts
from kazreader.ui.messages import OpenArticle
from kazreader.ui.widgets.figures_matrix import (
    CONFLICT_STYLE,
    DIFFER_STYLE,
    SORTS,
    FiguresMatrix,
    MeasureRow,
    MAX_ROWS,
    build_matrix,
    cap_columns,
    column_labels,
    figure_sentence,
    format_figure,
    sort_rows,
    story_order,
)
from kazreader.ui.widgets.screen_commands import ScreenBindingsProvider
from kazreader.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from kazreader.workspace import Workspace

__all__ = ["FiguresScreen"]

NARROW = 110


class FiguresLoaded(Message):
    def __init__(self, rows: list[MeasureRow] | None, columns: list[str], error: str | None = None,
                 unmeasured: int = 0, story_labels: dict[str, str] | None = None) -> None:
        super().__init__()
        self.rows = rows
        self.columns = columns
        self.error = error
        self.unmeasured = unmeasured
        self.story_labels = story_labels or {}


class FiguresScreen(FindingsKeys, Screen[None]):
    """Which numbers the articles give for each measure, and where they disagree."""

    TITLE = "Figures"
    AUTO_FOCUS = "#figures-table"
    COMMANDS = {ScreenBindingsProvider}
    BINDINGS = [
        Binding("q", "back", "Back", id="figures.back"),
        Binding("escape", "back", "Back", show=False, id="figures.escape"),
        Binding("slash", "filter", "Filter", key_display="/", id="figures.filter"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="figures.help"),
        Binding("enter", "open", "Open", key_display="enter", tooltip="Open the cell's sentence in the reader", id="figures.open"),
        Binding("d", "toggle_disagreements", "Only ≠", tooltip="Show only disagreements (toggle)",
                id="figures.disagreements"),
        Binding("s", "cycle_sort", "Sort", tooltip="Sort: disagreements first / measure / most articles",
                id="figures.sort"),
        Binding("n", "next_disagreement", "Next ≠", tooltip="Next disagreement", id="figures.next"),
        Binding("p", "previous_disagreement", "Prev ≠", show=False, tooltip="Previous disagreement",
                id="figures.previous"),
        Binding("t", "next_story", "Story", tooltip="Show the next story's figures (figures are compared within a"
                " story); after the last, every story", id="figures.story"),
        Binding("tab", "switch_pane", "Pane", show=False, id="figures.pane"),
        *findings_bindings("figures"),
    ]

    def __init__(self, workspace: Workspace, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.workspace = workspace
        self.rows: list[MeasureRow] = []
        self.columns: list[str] = []
        self.labels: list[str] = []
        self.only_disagreements = False
        #: Measures matching, rows shown, columns shown, articles with a figure in them (the status line's).
        self._counts = (0, 0, 0, 0)
        self.sort = SORTS[0]
        self.error: str | None = None
        self.unmeasured = 0
        self.loaded = False
        #: The stories with figures (most disagreements first), their labels, and the one shown (None: all).
        self.stories: list[str] = []
        self.story_labels: dict[str, str] = {}
        self.story: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="figures-bar"):
            yield Input(placeholder="/ filter measures", id="figures-filter")
            yield Static(Text("loading…", style="dim"), id="figures-status", markup=False)
        yield FiguresMatrix(id="figures-table")
        with VerticalScroll(id="figures-detail-pane", can_focus=False):
            yield Static(Text(""), id="figures-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "numbers per measure and article"
        self.query_one(FiguresMatrix).loading = True
        self.query_one("#figures-detail-pane").border_title = "sentence"
        self.set_class((self.size.width or self.app.size.width) < NARROW, "-stacked")
        self.query_one(FiguresMatrix).focus()
        self.load()

    def on_resize(self, event: Any) -> None:
        stacked = event.size.width < NARROW
        if stacked != self.has_class("-stacked"):
            self.set_class(stacked, "-stacked")
            if self.loaded and self.error is None:
                self._relabel()
                self._refresh_table()
        elif self.loaded and self.error is None:
            self.call_after_refresh(self._show_status)  # (once the status line has its new width)

    # -- loading -------------------------------------------------------------

    @work(thread=True, exclusive=True, group="figures")
    def load(self) -> None:
        try:
            result = self.workspace.figures()
            order = [a.id for a in self.workspace.articles]
            rows, columns = build_matrix(result, order)
            unmeasured = sum(1 for f in result.figures if not f.measure)
            labels = {s.id: s.label for s in self.workspace.stories()}
        except Exception as err:  # report, never crash the UI
            self.post_message(FiguresLoaded(None, [], f"{type(err).__name__}: {err}"))
            return
        self.post_message(FiguresLoaded(rows, columns, unmeasured=unmeasured, story_labels=labels))

    def on_figures_loaded(self, message: FiguresLoaded) -> None:
        table = self.query_one(FiguresMatrix)
        table.loading = False
        self.loaded = True
        if not isinstance(self.focused, Input):
            table.focus()
        if message.rows is None:
            self.error = message.error
            self._status(Text(f"could not read figures: {message.error}", style="bold red"))
            return
        self.rows, self.columns = message.rows, message.columns
        self.unmeasured = message.unmeasured
        self.story_labels = message.story_labels
        self.stories = story_order(self.rows)
        # Several stories: start with the one whose outlets disagree most (a matrix of
        # every story's articles is mostly empty cells).
        self.story = self.stories[0] if len(self.stories) > 1 else None
        self._relabel()
        self._refresh_table()

    def _relabel(self) -> None:
        """Column labels are made in :meth:`_refresh_table`, for the columns it shows."""

    # -- table ---------------------------------------------------------------

    def _visible_rows(self, *, only_disagreements: bool | None = None) -> list[MeasureRow]:
        words = fold(self.query_one("#figures-filter", Input).value).split()
        rows = [r for r in self.rows if all(w in fold(r.measure) for w in words)]
        if self.story is not None:
            rows = [r for r in rows if r.story == self.story]
        if self.only_disagreements if only_disagreements is None else only_disagreements:
            rows = [r for r in rows if r.disagreement]
        return sort_rows(rows, self.sort)

    def _refresh_table(self) -> None:
        table = self.query_one(FiguresMatrix)
        keep, _ = table.current()
        matching = self._visible_rows()
        rows = matching[:MAX_ROWS]
        columns = cap_columns(rows, self.columns)
        # Labels are made unique among the columns shown (a few dozen), not the whole corpus.
        measure_width = 24 if self.has_class("-stacked") else 40
        self.labels = column_labels(columns, self.workspace.by_id, self._label_width(len(columns), measure_width))
        table.show(rows, columns, self.labels, keep=keep.measure if keep else None,
                   measure_width=measure_width, one_story=self.story is not None)
        used = {aid for r in rows for aid in r.cells}
        self._counts = (len(matching), len(rows), len(columns), len(used))
        self._show_status()
        self._update_detail()

    def _label_width(self, columns: int, measure_width: int) -> int:
        """Column headers' width: 10 cells stacked, else 16, or up to 28 when few columns leave room
        ("Christian Science Monitor" whole on a wide terminal)."""
        if self.has_class("-stacked"):
            return 10
        room = (self.size.width or self.app.size.width) - measure_width - 6
        return max(16, min(28, room // max(1, columns) - 2))

    def _show_status(self) -> None:
        """The counts of the last table shown, in the words that fit the status line's width."""
        if not self.rows:
            status = Text("no measured figures in this corpus", style="dim")
        else:
            width = self.query_one("#figures-status", Static).content_size.width or self.size.width // 2
            status = fit_parts(self._status_parts(*self._counts), width)
        self._status(status)

    def _status_parts(self, matching: int, rows: int, columns: int, used: int) -> list[Part]:
        """The status line's pieces, most important first, each with a short form for narrow screens."""
        n_dis = sum(1 for r in self.rows if r.disagreement)
        n_conf = sum(1 for r in self.rows if r.disagreement == "conflict")
        parts = [Part(Text(f"{matching}/{len(self.rows)} measures", style="bold" if matching < len(self.rows) else ""),
                      Text(f"{matching}/{len(self.rows)}", style="bold" if matching < len(self.rows) else ""))]
        if self.only_disagreements:
            parts.append(Part(Text("only disagreements", style="bold"), Text("only ≠", style="bold")))
        if not n_dis:
            parts.append(Part(Text("no disagreements", style="dim"), Text("no ≠", style="dim")))
        else:
            parts.append(Part(Text(f"⚠ {n_conf} conflict", style="red"), Text(f"⚠ {n_conf}", style="red")))
        if n_dis - n_conf:
            parts.append(Part(Text(f"≠ {n_dis - n_conf} differ", style="yellow"),
                              Text(f"≠ {n_dis - n_conf}", style="yellow")))
        if self.story is not None:
            label = self.story_labels.get(self.story, self.story)
            where = f"story {self.stories.index(self.story) + 1}/{len(self.stories)}"
            parts.append(Part(Text.assemble((f"{where} ", "bold"), (label, "bold cyan"), (" (t)", "dim")),
                              Text.assemble((f"{where} ", "bold"), (shorten(label, 16), "bold cyan"))))
        elif len(self.stories) > 1:
            parts.append(Part(Text(f"all {len(self.stories)} stories (t: one story)", style="dim"),
                              Text(f"{len(self.stories)} stories (t)", style="dim"), optional=True))
        if rows < matching:
            parts.append(Part(Text(f"first {rows} rows", style="yellow"), Text(f"{rows} rows", style="yellow")))
        if columns < used:
            parts.append(Part(Text(f"{columns} of {used} articles (most figures; / narrows)", style="yellow"),
                              Text(f"{columns} of {used} articles", style="yellow")))
        if self.sort != SORTS[0]:
            parts.append(Part(Text(f"sort: {self.sort}", style="dim"), optional=True))
        return parts

    def _status(self, text: Text) -> None:
        self.query_one("#figures-status", Static).update(text)

    @on(DataTable.CellHighlighted, "#figures-table")
    def _cell_highlighted(self) -> None:
        self._update_detail()

    @on(DataTable.CellSelected, "#figures-table")
    def _cell_selected(self) -> None:
        self.action_open()

    def _update_detail(self) -> None:
        detail = self.query_one("#figures-detail", Static)
        pane = self.query_one("#figures-detail-pane")
        row, aid = self.query_one(FiguresMatrix).current()
        if row is None:
            pane.border_title = "sentence"
            detail.update(Text(self._empty_words() if self.loaded else "", style="dim"))
            return
        by_id = self.workspace.by_id
        out = Text()
        if aid is None:
            pane.border_title = row.measure
            items = [(a, f) for a in self.columns for f in row.cells.get(a, [])]
        else:
            art = by_id.get(aid)
            pane.border_title = f"{row.measure} · {art.label if art else aid}"
            items = [(aid, f) for f in row.cells.get(aid, [])]
            if not items:
                out.append(f"{art.label if art else aid} gives no figure for “{row.measure}”.", style="dim")
        if row.disagreement and aid is None:
            out.append(f"{COMPARISON_WORDS[row.disagreement]}\n", style="bold red" if row.disagreement == "conflict"
                       else "bold yellow")
        for i, (a, f) in enumerate(items):
            if i:
                out.append("\n")
            art = by_id.get(a)
            style = CONFLICT_STYLE if a in row.conflicting else (
                DIFFER_STYLE if row.disagreement and a in row.differing else "bold")
            out.append(figure_words(f), style=style)
            out.append(f"  {art.label if art else a}", style="cyan")
            if art and art.date:
                out.append(f" {art.date}", style="dim")
            if art and art.label != a:
                out.append(f" {a}", style="dim")
            if f.time and fold(f.time) not in fold(f.sentence):  # (the sentence follows: no "In 2013 In 2013, …")
                out.append(f" · {f.time}", style="italic")
            out.append("  ")
            out.append_text(figure_sentence(f))
        detail.update(out)

    def _empty_words(self) -> str:
        """Why the table is empty, and the key that brings rows back."""
        if not self.rows:
            return "no figure in these articles has a measure to compare"
        if not self._visible_rows(only_disagreements=False):
            return "no measure matches the filter (esc clears it)"
        if self.only_disagreements:
            return "no outlets disagree on these measures (d shows every measure)"
        return "nothing to show"

    # -- actions -------------------------------------------------------------

    def action_back(self) -> None:
        flt = self.query_one("#figures-filter", Input)
        if self.focused is flt:
            if flt.value:
                flt.value = ""
            else:
                self.query_one(FiguresMatrix).focus()
            return
        self.dismiss()

    def action_filter(self) -> None:
        self.query_one("#figures-filter", Input).focus()

    @on(Input.Changed, "#figures-filter")
    def _filter_changed(self) -> None:
        if self.loaded:
            self._refresh_table()

    @on(Input.Submitted, "#figures-filter")
    def _filter_submitted(self) -> None:
        self.query_one(FiguresMatrix).focus()

    def action_switch_pane(self) -> None:
        table = self.query_one(FiguresMatrix)
        (self.query_one("#figures-filter") if self.focused is table else table).focus()

    def action_open(self) -> None:
        row, aid = self.query_one(FiguresMatrix).current()
        if row is None:
            return
        if aid is None:  # on the measure label: open the first article that gives it
            aid = next((a for a in self.columns if a in row.cells), None)
        figs = row.cells.get(aid or "", [])
        if not figs:
            self.notify("no figure in this cell", timeout=2)
            return
        f = figs[0]
        self.post_message(OpenArticle(f.article, span=(f.start, f.end)))

    def action_toggle_disagreements(self) -> None:
        self.only_disagreements = not self.only_disagreements
        self._refresh_table()

    def action_next_story(self) -> None:
        """One story after the other, then every story at once."""
        if len(self.stories) < 2:
            self.notify("these figures come from one story", timeout=2)
            return
        cycle: list[str | None] = [*self.stories, None]
        self.story = cycle[(cycle.index(self.story) + 1) % len(cycle)]
        self._refresh_table()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._refresh_table()

    def _jump(self, step: int) -> None:
        table = self.query_one(FiguresMatrix)
        rows = table.rows_shown
        if not rows:
            return
        start = table.cursor_row
        for i in range(1, len(rows) + 1):
            r = (start + step * i) % len(rows)
            if rows[r].disagreement:
                table.move_cursor(row=r)
                return
        self.notify("no disagreements", timeout=2)

    def action_next_disagreement(self) -> None:
        self._jump(1)

    def action_previous_disagreement(self) -> None:
        self._jump(-1)

    @on(DataTable.HeaderSelected, "#figures-table")
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        if event.column_key.value in ("⚠", "measure"):
            self.action_cycle_sort()

    # -- findings out (y, o, e: kazreader.ui.findings) ----------------------------

    def finding(self) -> list[Any]:
        from kazreader.ui.findings_views import figures_finding

        return figures_finding(self)

    def finding_export(self) -> Any:
        from kazreader.ui.findings_views import figures_export

        return figures_export(self)
