"""Reprints and timeline: who published each shared passage first and who carried it after,
and the corpus by date, marking where each shared passage and disputed figure first appears."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from kazreader.render import shorten
from kazreader.text import fold
from kazreader.ui.findings import FindingsKeys, findings_bindings
from kazreader.ui.messages import OpenArticle, OpenCompare
from kazreader.ui.widgets.article_view import safe_text
from kazreader.ui.widgets.footer import KeyFooter
from kazreader.ui.widgets.screen_commands import ScreenBindingsProvider

if TYPE_CHECKING:
    from kazreader.analysis.clusters import PassageCluster
    from kazreader.analysis.timeline import TimelineEntry
    from kazreader.citation import Cited
    from kazreader.corpus import Article
    from kazreader.export.bundle import ExportBundle
    from kazreader.workspace import Workspace

__all__ = ["ReprintsScreen", "carriers_of"]

#: At most this many passages in the list at once (the filter narrows).
MAX_SHOWN = 400
#: At most this many rows in the timeline: beyond, only the articles that published
#: something first (a DataTable row costs ~0.3 ms to build: 20,000 would freeze the screen).
MAX_TIMELINE = 1000
NARROW = 110
FIRST_STYLE = "bold green"
DISPUTED_STYLE = "bold red"


def carriers_of(cluster: PassageCluster, by_id: dict[str, Article]) -> list[Any]:
    """The cluster's members in publication order (the origin first, undated last)."""
    from kazreader.analysis.timeline import date_key

    def key(m: Any) -> tuple[int, tuple[str, str], int]:
        art = by_id.get(m.article)
        origin = 0 if m.article == cluster.origin else 1
        return (origin, date_key(art) if art else ("9999", m.article), m.start)

    return sorted(cluster.members, key=key)


@dataclass
class ReprintsData:
    clusters: list[PassageCluster]
    timeline: list[TimelineEntry]


class ReprintsLoaded(Message):
    def __init__(self, data: ReprintsData | None, error: str | None = None) -> None:
        super().__init__()
        self.data = data
        self.error = error


class ReprintsScreen(FindingsKeys, Screen[None]):
    """Reprinted passages with their origin, and the timeline of the corpus."""

    TITLE = "Reprints"
    AUTO_FOCUS = "#reprints-list"
    COMMANDS = {ScreenBindingsProvider}
    BINDINGS = [
        Binding("q", "back", "Back", id="reprints.back"),
        Binding("escape", "back", "Back", show=False, id="reprints.escape"),
        Binding("t", "toggle_tab", "Timeline", tooltip="Switch between reprints and the timeline",
                id="reprints.timeline"),
        Binding("slash", "filter", "Filter", key_display="/", id="reprints.filter"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="reprints.help"),
        Binding("enter", "open", "Read", key_display="enter", tooltip="Open the passage (or article) in the reader",
                id="reprints.open"),
        Binding("c", "compare", "Compare", tooltip="Compare the origin with the next carrier", id="reprints.compare"),
        *findings_bindings("reprints"),
        Binding("j", "cursor('down')", "Down", show=False, id="reprints.down"),
        Binding("k", "cursor('up')", "Up", show=False, id="reprints.up"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.data: ReprintsData | None = None
        self.shown: list[PassageCluster] = []
        #: Folded passage and carriers of each cluster, what the filter matches (built on first use).
        self._keys: dict[str, str] = {}
        #: Each cluster's list entry, made once for the width they were made for.
        self._prompts: dict[str, Text] = {}
        self._prompts_width = 0
        #: The timeline rows shown (all articles, or those that published something first).
        self.timeline_rows: list[TimelineEntry] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="reprints-bar"):
            yield Input(placeholder="/ filter by words or outlet", id="reprints-filter")
            yield Static(Text("loading…", style="dim"), id="reprints-count", markup=False)
        with TabbedContent(id="reprints-tabs"):
            with TabPane("Reprints", id="tab-reprints"):
                with Horizontal(id="reprints-body"):
                    yield OptionList(id="reprints-list", markup=False)
                    with VerticalScroll(id="reprints-detail-pane", can_focus=False):
                        yield Static("", id="reprints-detail", markup=False)
            with TabPane("Timeline", id="tab-timeline"):
                with Vertical(id="timeline-body"):
                    yield DataTable(id="timeline-table", cursor_type="row", zebra_stripes=True)
                    with VerticalScroll(id="timeline-detail-pane", can_focus=False):
                        yield Static("", id="timeline-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "who published first, who carried it after"
        self.query_one("#reprints-detail-pane").border_title = "carriers, earliest first"
        self.query_one("#timeline-detail-pane").border_title = "first published here"
        self.set_class((self.size.width or self.app.size.width) < NARROW, "-stacked")
        self.query_one("#reprints-tabs").loading = True
        self.load()

    def on_resize(self, event: Any) -> None:
        self.set_class(event.size.width < NARROW, "-stacked")

    # -- loading ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="reprints")
    def load(self) -> None:
        from kazreader.analysis.timeline import build_timeline

        ws = self.workspace
        try:
            clusters = ws.clusters()
            timeline = build_timeline(ws.articles, clusters, ws.figures().disagreements)
        except Exception as err:  # noqa: BLE001 - reported on screen, never a crash
            self.post_message(ReprintsLoaded(None, f"{type(err).__name__}: {err}"))
            return
        self.post_message(ReprintsLoaded(ReprintsData(clusters, timeline)))

    def on_reprints_loaded(self, message: ReprintsLoaded) -> None:
        self.query_one("#reprints-tabs").loading = False
        if message.data is None:
            self._count(Text(f"could not load: {message.error}", style="bold red"))
            return
        self.data = message.data
        self._fill_timeline()
        self._refilter()
        if not isinstance(self.focused, Input):
            self.query_one("#reprints-list").focus()

    def _count(self, text: Text) -> None:
        self.query_one("#reprints-count", Static).update(text)

    # -- reprints ----------------------------------------------------------------------

    def _label(self, aid: str) -> str:
        art = self.workspace.by_id.get(aid)
        return art.label if art else aid

    def _date(self, aid: str) -> str:
        art = self.workspace.by_id.get(aid)
        return art.date if art and art.date else "undated"

    def _matches(self, cluster: PassageCluster, words: list[str]) -> bool:
        if not words:
            return True
        key = self._keys.get(cluster.id)
        if key is None:
            key = self._keys[cluster.id] = fold(
                " ".join([cluster.members[0].text, *(self._label(m.article) for m in cluster.members)]))
        return all(w in key for w in words)

    def _refilter(self) -> None:
        if self.data is None:
            return
        words = fold(self.query_one("#reprints-filter", Input).value).split()
        matching = [c for c in self.data.clusters if self._matches(c, words)]
        self.shown = matching[:MAX_SHOWN]
        if self._prompts_width != self.size.width:
            self._prompts, self._prompts_width = {}, self.size.width
        options = []
        for c in self.shown:
            if c.id not in self._prompts:
                self._prompts[c.id] = self._prompt(c)
            options.append(Option(self._prompts[c.id], id=c.id))
        lst = self.query_one("#reprints-list", OptionList)
        lst.clear_options()
        lst.add_options(options)
        if options:
            lst.highlighted = 0
        total = len(self.data.clusters)
        note = f"{len(matching)} of {total} reprinted passages" if words else f"{total} reprinted passages"
        if len(matching) > len(self.shown):
            note += f" · first {len(self.shown)} listed"
        self._count(Text(note, style="bold" if words else "dim"))
        self._show_cluster()

    def _prompt(self, c: PassageCluster) -> Text:
        order = carriers_of(c, self.workspace.by_id)
        head = Text()
        origin = c.origin or order[0].article
        head.append(safe_text(self._label(origin)), style=FIRST_STYLE if c.origin else "bold")
        head.append(f" · {self._date(origin)}", style="dim")
        later = list(dict.fromkeys(self._label(m.article) for m in order if m.article != origin))
        head.append(f"  → {len(later)} carrier{'s' if len(later) != 1 else ''} after\n", style="dim")
        width = (self.size.width or self.app.size.width) // (1 if self.has_class("-stacked") else 2) - 12
        head.append("then ", style="dim")
        head.append(safe_text(shorten(", ".join(later), max(20, width))))
        head.append("\n")
        head.append(safe_text(shorten(c.members[0].text, 150)), style="italic")
        return head

    @property
    def current_cluster(self) -> PassageCluster | None:
        index = self.query_one("#reprints-list", OptionList).highlighted
        return self.shown[index] if index is not None and 0 <= index < len(self.shown) else None

    @on(OptionList.OptionHighlighted, "#reprints-list")
    def _show_cluster(self) -> None:
        detail = self.query_one("#reprints-detail", Static)
        c = self.current_cluster
        if c is None:
            detail.update(Text("no passage is carried by two articles" if self.data else "", style="dim"))
            return
        out = Text()
        for i, m in enumerate(carriers_of(c, self.workspace.by_id)):
            if i:
                out.append("\n\n")
            first = m.article == c.origin
            out.append("origin " if first else "then   ", style=FIRST_STYLE if first else "dim")
            out.append(safe_text(self._label(m.article)), style="bold")
            ident = f" · {m.article}" if self._label(m.article) != m.article else ""
            out.append(f" · {self._date(m.article)}{ident}\n", style="dim")
            out.append(safe_text(m.text))
        if c.origin is None:
            out.append("\n\nno carrier is dated: the order is unknown", style="dim italic")
        detail.update(out)

    # -- timeline ----------------------------------------------------------------------

    def _fill_timeline(self) -> None:
        assert self.data is not None
        table = self.query_one("#timeline-table", DataTable)
        table.clear(columns=True)
        total = (self.size.width or self.app.size.width) - 3
        outlet = 18 if total >= 100 else 12
        widths = (("date", 10), ("outlet", outlet), ("first", 8), ("title", max(20, total - outlet - 18 - 8)))
        for label, width in widths:
            table.add_column(label, key=label, width=width)
        rows = self.data.timeline
        if len(rows) > MAX_TIMELINE:
            rows = [e for e in rows if e.firsts][:MAX_TIMELINE]
            self.notify(f"timeline: the {len(rows)} articles that published something first "
                        f"(of {len(self.data.timeline)})", timeout=4, markup=False)
        self.timeline_rows = rows
        for e in rows:
            passages = sum(1 for f in e.firsts if f.kind == "passage")
            measures = sum(1 for f in e.firsts if f.kind == "measure")
            marks = Text()
            if passages:
                marks.append(f"▲{passages} ", style=FIRST_STYLE)
            if measures:
                marks.append(f"⚠{measures}", style=DISPUTED_STYLE)
            art = self.workspace.by_id.get(e.article)
            title = art.title if art and art.title else (shorten(art.text, 90) if art else e.article)
            table.add_row(Text(e.date or "undated", style="" if e.date else "dim"),
                          Text(safe_text(e.outlet or "—"), no_wrap=True, overflow="ellipsis"),
                          marks, Text(safe_text(title), no_wrap=True, overflow="ellipsis"), key=e.article)
        self._show_entry()

    @property
    def current_entry(self) -> TimelineEntry | None:
        rows = self.timeline_rows
        row = self.query_one("#timeline-table", DataTable).cursor_row
        return rows[row] if rows and 0 <= row < len(rows) else None

    @on(DataTable.RowHighlighted, "#timeline-table")
    def _show_entry(self) -> None:
        detail = self.query_one("#timeline-detail", Static)
        e = self.current_entry
        if e is None:
            detail.update("")
            return
        out = Text()
        if not e.firsts:
            out.append("nothing shared or disputed appears here first", style="dim")
        for i, f in enumerate(e.firsts):
            if i:
                out.append("\n")
            if f.kind == "measure":
                out.append(f"⚠ figure  ×{f.carriers:<3}", style=DISPUTED_STYLE)
                out.append(safe_text(f"{f.id}: {f.text}"))
            else:
                out.append(f"▲ passage ×{f.carriers:<3}", style=FIRST_STYLE)
                out.append(safe_text(shorten(f.text, max(40, self.size.width - 24))))
        if e.firsts:
            out.append("\n×N: how many articles carry the passage (give a figure for the measure)", style="dim")
        detail.update(out)

    # -- actions -----------------------------------------------------------------------

    def _on_timeline(self) -> bool:
        return self.query_one("#reprints-tabs", TabbedContent).active == "tab-timeline"

    def action_toggle_tab(self) -> None:
        tabs = self.query_one("#reprints-tabs", TabbedContent)
        tabs.active = "tab-reprints" if self._on_timeline() else "tab-timeline"
        self.query_one("#timeline-table" if self._on_timeline() else "#reprints-list").focus()

    @on(TabbedContent.TabActivated, "#reprints-tabs")
    def _tab_activated(self) -> None:
        if not isinstance(self.focused, Input):  # (/ switches to the reprints to type in the filter)
            self.query_one("#timeline-table" if self._on_timeline() else "#reprints-list").focus()

    def action_filter(self) -> None:
        tabs = self.query_one("#reprints-tabs", TabbedContent)
        tabs.active = "tab-reprints"
        self.query_one("#reprints-filter", Input).focus()

    @on(Input.Changed, "#reprints-filter")
    def _filter_changed(self) -> None:
        self._refilter()

    @on(Input.Submitted, "#reprints-filter")
    def _filter_submitted(self) -> None:
        self.query_one("#reprints-list").focus()

    def action_cursor(self, direction: str) -> None:
        widget = self.focused
        if isinstance(widget, (OptionList, DataTable)):
            widget.action_cursor_down() if direction == "down" else widget.action_cursor_up()

    def action_back(self) -> None:
        flt = self.query_one("#reprints-filter", Input)
        if self.focused is flt:
            if flt.value:
                flt.value = ""
            else:
                self.query_one("#reprints-list").focus()
            return
        self.dismiss()

    @on(OptionList.OptionSelected, "#reprints-list")
    @on(DataTable.RowSelected, "#timeline-table")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        if self._on_timeline():
            e = self.current_entry
            if e is not None:
                first = e.firsts[0] if e.firsts else None
                self.post_message(OpenArticle(e.article, span=(first.start, first.end) if first else None))
            return
        c = self.current_cluster
        if c is not None:
            m = carriers_of(c, self.workspace.by_id)[0]
            self.post_message(OpenArticle(m.article, span=(m.start, m.end)))

    def action_compare(self) -> None:
        c = self.current_cluster
        if c is None or self._on_timeline():
            return
        order = list(dict.fromkeys(m.article for m in carriers_of(c, self.workspace.by_id)))
        if len(order) > 1:
            self.post_message(OpenCompare(order[0], order[1]))

    # -- findings out (y, o, e) ------------------------------------------------------

    def finding(self) -> list[Cited]:
        from kazreader.citation import Cited, Kind

        by_id = self.workspace.by_id
        if self._on_timeline():
            e = self.current_entry
            return [Cited(Kind.ARTICLE, None, by_id[e.article])] if e and e.article in by_id else []
        c = self.current_cluster
        if c is None:
            return []
        return [Cited(Kind.PASSAGE, m.text, by_id[m.article], None, m.start, m.end)
                for m in carriers_of(c, by_id) if m.article in by_id]

    def finding_export(self) -> ExportBundle | None:
        from kazreader.ui.findings_views import reprints_export, timeline_export

        if self.data is None:
            return None
        if self._on_timeline():
            return timeline_export(self.workspace, self.timeline_rows)
        return reprints_export(self.workspace, self.shown)
