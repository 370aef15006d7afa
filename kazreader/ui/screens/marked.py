"""The "Marked" screen (every mark, with its status and note) and the saved searches list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from kazreader.marks import Mark, MarkKind, MarkStatus
from kazreader.render import shorten
from kazreader.ui.findings import FindingsKeys, findings_bindings
from kazreader.ui.marking import mark_label
from kazreader.ui.messages import OpenArticle
from kazreader.ui.widgets.article_view import safe_text
from kazreader.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from kazreader.citation import Cited
    from kazreader.export.bundle import ExportBundle
    from kazreader.workspace import Workspace

__all__ = ["MarkedScreen", "SavedSearchesScreen"]

_STATUS_STYLE = {MarkStatus.OK: "green", MarkStatus.MOVED: "yellow", MarkStatus.LOST: "bold red"}


def mark_row(mark: Mark, label: str) -> Text:
    """One mark as a list row: status, flag, kind, article, text and note."""
    out = Text(no_wrap=False)
    out.append(f"{mark.status:<5} ", style=_STATUS_STYLE[mark.status])
    out.append("★ " if mark.kind is MarkKind.STAR else f"{mark.kind} ", style="dim")
    out.append(safe_text(label), style="bold")
    if mark.text:
        snippet = safe_text(shorten(mark.text, 101))
        # a quote's text has no marks of its own; a passage or figure is shown as it stands
        out.append(f"  “{snippet}”" if mark.kind is MarkKind.QUOTE else f"  {snippet}", style="italic")
    flagged = mark_label(mark)
    if flagged:
        out.append("\n      ")
        out.append_text(flagged)
    return out


class MarkedScreen(FindingsKeys, Screen[None]):
    """Every mark of the corpus; enter opens the article at the mark, ``d`` removes it."""

    AUTO_FOCUS = "#marks"
    BINDINGS = [
        Binding("q,escape", "back", "Back", id="marked.back"),
        Binding("enter", "open", "Open", id="marked.open", show=False),
        Binding("d", "remove", "Remove mark", id="marked.remove"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="marked.help"),
        *findings_bindings("marked"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.marks: list[Mark] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="marked-title", markup=False)
        yield OptionList(id="marks", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title, self.sub_title = "kazreader", "Marked"
        self.refresh_marks()

    def on_screen_resume(self) -> None:
        self.refresh_marks()

    def refresh_marks(self) -> None:
        self.marks = self.workspace.marked()
        by_id = self.workspace.by_id
        options = self.query_one("#marks", OptionList)
        keep = options.highlighted
        options.clear_options()
        options.add_options([Option(mark_row(m, by_id[m.article].label if m.article in by_id else m.article))
                             for m in self.marks])
        counts = {s: sum(1 for m in self.marks if m.status is s) for s in MarkStatus}
        title = f"{len(self.marks)} mark{'s' if len(self.marks) != 1 else ''} · " + " · ".join(f"{n} {s}" for s, n in counts.items() if n)
        self.query_one("#marked-title", Static).update(Text(title if self.marks else "No marks yet: m flags, "
                                                             "N notes, * stars (in the reader)", style="bold"))
        if self.marks:
            options.highlighted = min(keep or 0, len(self.marks) - 1)

    def selected(self) -> Mark | None:
        index = self.query_one("#marks", OptionList).highlighted
        return self.marks[index] if index is not None and 0 <= index < len(self.marks) else None

    @on(OptionList.OptionSelected, "#marks")
    def _chosen(self, _event: OptionList.OptionSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        mark = self.selected()
        if mark is None or mark.article not in self.workspace.by_id:
            return
        span = (mark.start, mark.end) if mark.start is not None and mark.end is not None else None
        self.post_message(OpenArticle(mark.article, span=span))

    def action_remove(self) -> None:
        mark = self.selected()
        if mark is not None:
            self.workspace.marks().remove(mark.id)
            self.refresh_marks()

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- findings out (y, o, e) -------------------------------------------------

    def finding(self) -> list[Cited]:
        from kazreader.citation import Cited, Kind

        mark = self.selected()
        art = self.workspace.by_id.get(mark.article) if mark else None
        if mark is None or art is None:
            return []
        return [Cited(Kind.ARTICLE if mark.kind is MarkKind.STAR else Kind.PASSAGE, mark.text or None, art,
                      start=mark.start, end=mark.end)]

    def finding_export(self) -> ExportBundle | None:
        from kazreader.citation import Cited, Kind
        from kazreader.export.bundle import ExportBundle, cited_items
        from kazreader.export.document import Document, Section

        ws, shown = self.workspace, [m for m in self.marks if m.article in self.workspace.by_id]
        cited = [Cited(Kind.PASSAGE, m.text or None, ws.by_id[m.article]) for m in shown]
        labels = [" · ".join(x for x in (str(m.status), str(m.kind), str(m.flag or ""), m.note) if x) for m in shown]
        doc = Document("Marked", [f"{len(shown)} marks"],
                       [Section("Marks", items=list(cited_items(cited, labels)), empty="no marks")])
        rows: list[dict[str, Any]] = ws.marks_json()
        return ExportBundle("marked", doc, rows)


class SavedSearchesScreen(Screen[str | None]):
    """The saved searches with their new-match counts; enter runs one in the library."""

    AUTO_FOCUS = "#searches"
    BINDINGS = [
        Binding("q,escape", "back", "Back", id="searches.back"),
        Binding("d", "remove", "Delete search", id="searches.remove"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="searches.help"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.names: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text("Saved searches (kazreader search QUERY --save NAME)", style="bold"), markup=False)
        yield OptionList(id="searches", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title, self.sub_title = "kazreader", "Saved searches"
        self.fill()

    def fill(self) -> None:
        rows = self.workspace.saved_searches()
        self.names = [s.name for s, _t, _n in rows]
        options = self.query_one("#searches", OptionList)
        options.clear_options()
        for saved, total, new in rows:
            line = Text(safe_text(saved.name), style="bold")
            line.append(f"  {safe_text(saved.query)}  ")
            line.append(f"{total} matches", style="dim")
            if new:
                line.append(f"  {new} new", style="bold green")
            options.add_option(Option(line))
        if not rows:
            options.add_option(Option(Text("no saved searches", style="dim italic"), disabled=True))
        else:
            options.highlighted = 0

    @on(OptionList.OptionSelected, "#searches")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.names):
            saved = self.workspace.open_saved_search(self.names[event.option_index])
            self.dismiss(saved.query)

    def action_remove(self) -> None:
        index = self.query_one("#searches", OptionList).highlighted
        if index is not None and 0 <= index < len(self.names):
            self.workspace.marks().delete_search(self.names[index])
            self.fill()

    def action_back(self) -> None:
        self.dismiss(None)
