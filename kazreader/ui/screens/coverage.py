"""Outlet coverage: what two outlets (or articles) share, what only one reports, where figures differ."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Header, Input, OptionList, Static, TabbedContent, TabPane

from kazreader.analysis.links import SideLinks
from kazreader.render import shorten
from kazreader.text import fold
from kazreader.ui.findings import FindingsKeys, findings_bindings
from kazreader.ui.messages import OpenArticle, OpenCompare
from kazreader.ui.widgets.coverage_panels import (
    X_STYLE,
    Y_STYLE,
    CoverageItem,
    CoverageList,
    SideChoice,
    SideKind,
    SidePicker,
    default_sides,
    list_sides,
)
from kazreader.ui.widgets.figures_matrix import figure_sentence, format_figure
from kazreader.ui.widgets.quote_groups import wording_diff
from kazreader.ui.widgets.screen_commands import ScreenBindingsProvider
from kazreader.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from kazreader.workspace import Workspace

__all__ = ["CoverageScreen"]

NARROW = 110

#: (tab pane id, list ids in that pane) in tab order; tab/shift+tab walks the lists.
PANES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cov-shared", ("list-shared",)),
    ("cov-only-x", ("list-only-x",)),
    ("cov-only-y", ("list-only-y",)),
    ("cov-entities", ("list-ent-x", "list-ent-y")),
    ("cov-quotes", ("list-quo-x", "list-quo-y")),
    ("cov-figures", ("list-figures",)),
)
LIST_ORDER = [lid for _, lids in PANES for lid in lids]
PANE_OF = {lid: pid for pid, lids in PANES for lid in lids}


@dataclass
class CoverageData:
    """Everything the panes show, computed off the UI thread."""

    cov: Any
    entity_spans: dict[str, dict[str, tuple[str, int, int]]]  # side -> name -> first mention
    figures: dict[tuple[str, int, int], Any]  # (article, start, end) -> Figure


class CoverageLoaded(Message):
    def __init__(
        self,
        token: int,
        data: CoverageData | None,
        error: str | None = None,
        *,
        x: str | None = None,
        y: str | None = None,
        links: SideLinks | None = None,
    ) -> None:
        super().__init__()
        self.token = token
        self.data = data
        self.error = error
        self.x, self.y = x, y
        self.links = links


class CoverageScreen(FindingsKeys, Screen[None]):
    """Pick two sides (outlets, or articles), then walk what they share and what only one says."""

    TITLE = "Coverage"
    AUTO_FOCUS = "#list-shared"
    COMMANDS = {ScreenBindingsProvider}
    BINDINGS = [
        Binding("q", "back", "Back", id="coverage.back"),
        Binding("escape", "back", "Back", show=False, id="coverage.escape"),
        Binding("x", "pick('X')", "X", tooltip="Choose side X (outlet or article)", id="coverage.pick_x"),
        Binding("y", "pick('Y')", "Y", tooltip="Choose side Y (outlet or article)", id="coverage.pick_y"),
        Binding("w", "swap", "Swap", tooltip="Swap X and Y", id="coverage.swap"),
        Binding("tab", "next_pane(1)", "Pane", tooltip="Next pane", id="coverage.next_pane"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="coverage.help"),
        Binding("shift+tab", "next_pane(-1)", "Prev pane", show=False, tooltip="Previous pane",
                id="coverage.prev_pane"),
        Binding("slash", "filter", "Filter", key_display="/", tooltip="Filter every pane by words",
                id="coverage.filter"),
        Binding("c", "compare", "Compare", tooltip="Compare the two articles side by side",
                id="coverage.compare"),
        Binding("n", "cursor('down')", "Next item", show=False, id="coverage.next"),
        Binding("p", "cursor('up')", "Prev item", show=False, id="coverage.previous"),
        Binding("j", "cursor('down')", "Down", show=False, id="coverage.down"),
        Binding("k", "cursor('up')", "Up", show=False, id="coverage.up"),
        *(
            Binding(str(i), f"show_pane({i - 1})", f"Pane {i}", show=False, id=f"coverage.pane{i}")
            for i in range(1, len(PANES) + 1)
        ),
        *findings_bindings("coverage", copy="Y"),
    ]

    def __init__(
        self,
        workspace: Workspace,
        x: str | None = None,
        y: str | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id)
        self.workspace = workspace
        self.sides: list[SideChoice] = list_sides(workspace)
        # Sides not given are chosen in the worker: the pair sharing the most passages.
        self.x = x
        self.y = y
        self.links: SideLinks | None = None
        self.data: CoverageData | None = None
        self.error: str | None = None
        self._token = 0
        self._wide: bool | None = None
        self._summary_text = Text("")

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="coverage-bar"):
            yield Button("X", id="coverage-x", compact=True)
            yield Static(Text(" vs ", style="dim"), id="coverage-vs", markup=False)
            yield Button("Y", id="coverage-y", compact=True)
            yield Button("⇄", id="coverage-swap", compact=True, tooltip="swap X and Y (w)")
            yield Static(Text(""), id="coverage-summary", markup=False)
        yield Static(Text(""), id="coverage-summary-row", markup=False)
        yield Input(placeholder="/ filter every pane by words", id="coverage-filter")
        with TabbedContent(id="coverage-tabs"):
            with TabPane("Shared", id="cov-shared"):
                yield CoverageList(id="list-shared", empty="no shared passages")
            with TabPane("Only X", id="cov-only-x"):
                yield CoverageList(id="list-only-x", empty="X says nothing Y does not")
            with TabPane("Only Y", id="cov-only-y"):
                yield CoverageList(id="list-only-y", empty="Y says nothing X does not")
            with TabPane("Entities", id="cov-entities"):
                with Horizontal(classes="coverage-split"):
                    with Vertical(id="ent-x-col", classes="coverage-col"):
                        yield CoverageList(id="list-ent-x", empty="none", divided=False)
                    with Vertical(id="ent-y-col", classes="coverage-col"):
                        yield CoverageList(id="list-ent-y", empty="none", divided=False)
            with TabPane("Quotes", id="cov-quotes"):
                with Horizontal(classes="coverage-split"):
                    with Vertical(id="quo-x-col", classes="coverage-col"):
                        yield CoverageList(id="list-quo-x", empty="none")
                    with Vertical(id="quo-y-col", classes="coverage-col"):
                        yield CoverageList(id="list-quo-y", empty="none")
            with TabPane("Figures", id="cov-figures"):
                yield CoverageList(id="list-figures", empty="no figures differ between the two sides")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "what two outlets share and what only one says"
        self._apply_width(self.size.width or self.app.size.width)
        self._update_side_buttons()
        self.load()

    def on_resize(self, event: Any) -> None:
        self._apply_width(event.size.width)
        self.call_after_refresh(self._place_summary)

    def _apply_width(self, width: int) -> None:
        wide = width >= NARROW
        self.set_class(not wide, "-stacked")
        if wide != self._wide:
            self._wide = wide
            if self.data is not None:
                self._fill()

    def _side_label(self, ref: str | None) -> str:
        if ref is None:
            return "…"
        for s in self.sides:
            if s.ref == ref and s.kind == SideKind.OUTLET:
                return s.label
        art = self.workspace.by_id.get(ref)
        if art is not None and art.outlet:
            return f"{art.outlet} · {shorten(art.id, 12)}"
        return ref

    def _update_side_buttons(self) -> None:
        for bid, which, ref in (("#coverage-x", "X", self.x), ("#coverage-y", "Y", self.y)):
            button = self.query_one(bid, Button)
            button.label = Content(f"{which}: " + shorten(self._side_label(ref), 30))
            button.refresh(layout=True)
        self.call_after_refresh(self._place_summary)

    # -- loading -------------------------------------------------------------

    def load(self) -> None:
        self._update_side_buttons()
        if self.x is not None and self.x == self.y:
            self._summary(Text("X and Y are the same: pick another side (x / y)", style="bold yellow"))
            return
        self._token += 1
        self.query_one(TabbedContent).loading = True
        self._summary(Text("comparing…" if self.x and self.y else "choosing the two sides…", style="dim"))
        self._compute(self._token, self.x, self.y)

    @work(thread=True, exclusive=True, group="coverage")
    def _compute(self, token: int, x: str | None, y: str | None) -> None:
        links = self.links
        if links is None:
            try:
                links = SideLinks.build(self.workspace.outlets(), self.workspace.articles, self.workspace.clusters())
            except Exception:  # noqa: BLE001 - no clusters: fall back to the first sides
                links = None
        if x is None and y is None:
            if links is not None:
                x, y, _n = links.default_pair()
            else:
                x, y = default_sides(self.sides)
        elif y is None or x is None:
            known = x if x is not None else y
            assert known is not None
            partner = links.best_partner(known) if links is not None else None
            if partner is None:
                partner = next((s.ref for s in self.sides if s.ref != known), None)
            x, y = (known, partner) if y is None else (partner, known)
        if x is None or y is None:
            self.post_message(CoverageLoaded(token, None, "need two outlets or articles to compare",
                                             x=x, y=y, links=links))
            return
        try:
            cov = self.workspace.coverage(x, y)
            side_of = {a: "x" for a in cov.x_articles} | {a: "y" for a in cov.y_articles}
            spans: dict[str, dict[str, tuple[str, int, int]]] = {"x": {}, "y": {}}
            for ent in self.workspace.entities():
                for m in ent.mentions:
                    side = side_of.get(m.article)
                    if side and ent.name not in spans[side]:
                        spans[side][ent.name] = (m.article, m.start, m.end)
            figs = {(f.article, f.start, f.end): f for f in self.workspace.figures().figures}
        except Exception as err:  # report, never crash the UI
            self.post_message(CoverageLoaded(token, None, f"{type(err).__name__}: {err}", x=x, y=y, links=links))
            return
        self.post_message(CoverageLoaded(token, CoverageData(cov, spans, figs), x=x, y=y, links=links))

    def on_coverage_loaded(self, message: CoverageLoaded) -> None:
        if message.token != self._token:
            return  # a newer comparison is on its way
        self.query_one(TabbedContent).loading = False
        if message.links is not None:
            self.links = message.links
        self.x, self.y = message.x, message.y
        self._update_side_buttons()
        if message.data is None:
            self.error = message.error
            self._summary(Text(f"could not compare: {message.error}", style="bold red"))
            return
        self.error = None
        self.data = message.data
        self._fill()
        if not isinstance(self.focused, (Input, Button)):
            self._focus_list(self._active_list_id())

    def _summary(self, text: Text) -> None:
        self._summary_text = text
        for sid in ("#coverage-summary", "#coverage-summary-row"):
            self.query_one(sid, Static).update(text)
        self.call_after_refresh(self._place_summary)

    def _place_summary(self) -> None:
        """The summary follows the sides on their row when it fits there, else it takes the row below
        (wrapping if it must): at 80 columns "1 shared pa…" told nothing."""
        bar = self.query_one("#coverage-bar", Horizontal)
        inline = self.query_one("#coverage-summary", Static)
        others = sum(w.outer_size.width + w.styles.margin.width for w in bar.children if w is not inline and w.display)
        free = bar.content_region.width - others - inline.styles.padding.width
        fits = self._summary_text.cell_len <= free
        inline.display = fits
        self.query_one("#coverage-summary-row", Static).display = not fits

    # -- building the panes ----------------------------------------------------

    def _label(self, aid: str) -> str:
        art = self.workspace.by_id.get(aid)
        return art.label if art else aid

    def _article_tag(self, aid: str, style: str, many: bool) -> Text:
        art = self.workspace.by_id.get(aid)
        tag = Text(self._label(aid), style=style)
        if many or (art and art.label != aid):
            bits = [b for b in ((art.date if art else None), aid if art and art.label != aid else None) if b]
            if bits:
                tag.append("  " + " · ".join(bits), style="dim")
        return tag

    def _shared_items(self, cov: Any) -> list[CoverageItem]:
        items = []
        for p in cov.shared:
            y_text, sim = wording_diff(p.x_text, p.y_text)
            x_tag = self._article_tag(p.x_article, X_STYLE, True)
            y_tag = self._article_tag(p.y_article, Y_STYLE, True)
            meta = Text(f"{p.words} words · {100 * p.similarity:.0f}% similar", style="dim")
            if self._wide:
                grid = Table.grid(expand=True, padding=(0, 2))
                grid.add_column(ratio=1)
                grid.add_column(ratio=1)
                grid.add_row(Text.assemble(x_tag, "  ", meta), y_tag)
                grid.add_row(Text(p.x_text), y_text)
                prompt: Text | Table = grid
            else:
                prompt = Text("\n").join([
                    Text.assemble(x_tag, "  ", meta), Text(p.x_text), y_tag, y_text,
                ])
            items.append(CoverageItem(
                prompt, p.x_article, (p.x_start, p.x_end), fold(p.x_text + " " + p.y_text), p.y_article,
            ))
        return items

    def _segment_items(self, segments: Any, style: str, many: bool) -> list[CoverageItem]:
        items = []
        for s in segments:
            prompt = Text("\n").join([self._article_tag(s.article, style, many), Text(s.text)]) if many \
                else Text(s.text)
            items.append(CoverageItem(prompt, s.article, (s.start, s.end), fold(s.text)))
        return items

    def _entity_items(self, rows: Any, side: str, style: str) -> list[CoverageItem]:
        assert self.data is not None
        spans = self.data.entity_spans.get(side, {})
        items = []
        for e in rows:
            name = e.get("name", "")
            prompt = Text(name, style="bold")
            prompt.append(f"  {e.get('type', '')}", style="dim")
            prompt.append(f"  ×{e.get('mentions', '')}", style=style)
            where = spans.get(name)
            items.append(CoverageItem(
                prompt, where[0] if where else None, (where[1], where[2]) if where else None,
                fold(f"{name} {e.get('type', '')}"),
            ))
        return items

    def _quote_items(self, rows: Any, style: str, many: bool) -> list[CoverageItem]:
        items = []
        for q in rows:
            speaker = q.get("speaker")
            head = Text(speaker or "(unattributed)", style="bold" if speaker else "dim italic")
            head.append("  ")
            head.append_text(self._article_tag(q["article"], style, many))
            body = Text("“" + q.get("text", "") + "”")
            items.append(CoverageItem(
                Text("\n").join([head, body]), q["article"], (q["start"], q["end"]),
                fold(f"{speaker or ''} {q.get('speaker_text') or ''} {q.get('text', '')}"),
            ))
        return items

    def _figure_items(self, rows: Any) -> list[CoverageItem]:
        assert self.data is not None
        items = []
        for d in rows:
            for v in d["values"]:
                f = self.data.figures.get((v["article"], v["start"], v["end"]))
                style = X_STYLE if v["side"] == "x" else Y_STYLE
                head = Text(d["measure"], style="bold")
                head.append("  ")
                head.append(v["side"].upper(), style=style)
                head.append("  ")
                head.append_text(self._article_tag(v["article"], style, True))
                head.append("  ")
                head.append(format_figure(f) if f is not None else v.get("text", ""), style="bold red")
                lines = [head]
                if f is not None:
                    lines.append(figure_sentence(f))
                items.append(CoverageItem(
                    Text("\n").join(lines), v["article"], (v["start"], v["end"]),
                    fold(f"{d['measure']} {v.get('text', '')} {f.sentence if f is not None else ''}"),
                ))
        return items

    def _fill(self) -> None:
        if self.data is None:
            return
        cov = self.data.cov
        query = self.query_one("#coverage-filter", Input).value
        many_x, many_y = len(cov.x_articles) > 1, len(cov.y_articles) > 1
        lists: dict[str, list[CoverageItem]] = {
            "list-shared": self._shared_items(cov),
            "list-only-x": self._segment_items(cov.only_x, X_STYLE, many_x),
            "list-only-y": self._segment_items(cov.only_y, Y_STYLE, many_y),
            "list-ent-x": self._entity_items(cov.entities_only_x, "x", X_STYLE),
            "list-ent-y": self._entity_items(cov.entities_only_y, "y", Y_STYLE),
            "list-quo-x": self._quote_items(cov.quotes_only_x, X_STYLE, many_x),
            "list-quo-y": self._quote_items(cov.quotes_only_y, Y_STYLE, many_y),
            "list-figures": self._figure_items(cov.figure_disagreements),
        }
        for lid, items in lists.items():
            self.query_one(f"#{lid}", CoverageList).show(items, query)
        self._relabel()
        summary = Text()
        summary.append(f"{len(cov.shared)} shared passage{'s' if len(cov.shared) != 1 else ''} · ")
        summary.append(f"{100 * cov.x_shared_fraction:.0f}%", style=X_STYLE)
        summary.append(" of X · ")
        summary.append(f"{100 * cov.y_shared_fraction:.0f}%", style=Y_STYLE)
        summary.append(" of Y")
        self._summary(summary)

    def _relabel(self) -> None:
        tabs = self.query_one(TabbedContent)

        def n(lid: str) -> int:
            return len(self.query_one(f"#{lid}", CoverageList).shown_items)

        labels = {
            "cov-shared": f"1 Shared {n('list-shared')}",
            "cov-only-x": f"2 Only X {n('list-only-x')}",
            "cov-only-y": f"3 Only Y {n('list-only-y')}",
            "cov-entities": f"4 Entities {n('list-ent-x')}|{n('list-ent-y')}",
            "cov-quotes": f"5 Quotes {n('list-quo-x')}|{n('list-quo-y')}",
            "cov-figures": f"6 Figures {len({d['measure'] for d in self.data.cov.figure_disagreements})}"
            if self.data else "6 Figures",
        }
        stacked = self.has_class("-stacked")
        for pid, label in labels.items():
            tabs.get_tab(pid).label = Content(label.split(" ", 1)[1] if stacked else label)
        x, y = self._side_label(self.x), self._side_label(self.y)
        for col, side, style, what in (
            ("#ent-x-col", x, X_STYLE, "only X"), ("#ent-y-col", y, Y_STYLE, "only Y"),
            ("#quo-x-col", x, X_STYLE, "only X"), ("#quo-y-col", y, Y_STYLE, "only Y"),
        ):
            self.query_one(col).border_title = Content(f"{what} · {shorten(side, 40)}")

    # -- navigation ------------------------------------------------------------

    def _active_list_id(self) -> str:
        focused = self.focused
        if isinstance(focused, CoverageList) and focused.id in PANE_OF:
            return focused.id
        active = self.query_one(TabbedContent).active
        for pid, lids in PANES:
            if pid == active:
                return lids[0]
        return LIST_ORDER[0]

    def _focus_list(self, lid: str) -> None:
        tabs = self.query_one(TabbedContent)
        if tabs.active != PANE_OF[lid]:
            tabs.active = PANE_OF[lid]
        self.call_after_refresh(self.query_one(f"#{lid}", CoverageList).focus)

    def action_next_pane(self, step: int) -> None:
        i = LIST_ORDER.index(self._active_list_id())
        self._focus_list(LIST_ORDER[(i + step) % len(LIST_ORDER)])

    def action_show_pane(self, index: int) -> None:
        if 0 <= index < len(PANES):
            self._focus_list(PANES[index][1][0])

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        focused = self.focused
        if isinstance(focused, CoverageList) and PANE_OF.get(focused.id or "") == event.pane.id:
            return
        if isinstance(focused, Input):
            return
        for pid, lids in PANES:
            if pid == event.pane.id:
                self.call_after_refresh(self.query_one(f"#{lids[0]}", CoverageList).focus)

    def action_cursor(self, direction: str) -> None:
        widget = self.focused
        if not isinstance(widget, OptionList):
            widget = self.query_one(f"#{self._active_list_id()}", CoverageList)
            widget.focus()
        widget.action_cursor_down() if direction == "down" else widget.action_cursor_up()

    def action_filter(self) -> None:
        self.query_one("#coverage-filter", Input).focus()

    @on(Input.Changed, "#coverage-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        for lst in self.query(CoverageList):
            lst.refilter(event.value)
        if self.data is not None:
            self._relabel()

    @on(Input.Submitted, "#coverage-filter")
    def _filter_submitted(self) -> None:
        self._focus_list(self._active_list_id())

    def action_back(self) -> None:
        flt = self.query_one("#coverage-filter", Input)
        if self.focused is flt:
            if flt.value:
                flt.value = ""
            else:
                self._focus_list(self._active_list_id())
            return
        self.dismiss()

    # -- sides -------------------------------------------------------------------

    def refocus(self, x: str | None, y: str | None) -> None:
        """Show sides *x* / *y* (None: keep X, or choose Y's best partner) — used when C is pressed again."""
        if x is None and y is None:
            return
        if (x, y) == (self.x, self.y) or (x == self.x and y is None):
            return
        self.x, self.y = x, y
        self.load()

    def action_pick(self, which: str) -> None:
        current = self.x if which == "X" else self.y
        other = self.y if which == "X" else self.x
        shared = None
        if self.links is not None and other is not None:
            shared = {s.ref: self.links.shared(s.ref, other) for s in self.sides}

        def chosen(ref: str | None) -> None:
            if ref is None:
                return
            if which == "X":
                self.x = ref
            else:
                self.y = ref
            self.load()

        self.app.push_screen(
            SidePicker(self.sides, which, current, shared, self._side_label(other) if other else ""), chosen,
        )

    def action_swap(self) -> None:
        self.x, self.y = self.y, self.x
        self.load()

    @on(Button.Pressed, "#coverage-x")
    def _press_x(self) -> None:
        self.action_pick("X")

    @on(Button.Pressed, "#coverage-y")
    def _press_y(self) -> None:
        self.action_pick("Y")

    @on(Button.Pressed, "#coverage-swap")
    def _press_swap(self) -> None:
        self.action_swap()

    # -- opening -------------------------------------------------------------------

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, CoverageList):
            event.stop()
            self._open(event.option_list)

    def _open(self, lst: CoverageList) -> None:
        item = lst.current
        if item is None or item.article is None:
            if item is not None:
                self.notify("no mention to open", timeout=2)
            return
        self.post_message(OpenArticle(item.article, span=item.span))

    def action_compare(self) -> None:
        lst = self.query_one(f"#{self._active_list_id()}", CoverageList)
        item = lst.current
        if item is not None and item.article and item.other:
            self.post_message(OpenCompare(item.article, item.other))
            return
        cov = self.data.cov if self.data else None
        if cov and cov.x_articles and cov.y_articles:
            self.post_message(OpenCompare(cov.x_articles[0], cov.y_articles[0]))

    # -- findings out (y, o, e: kazreader.ui.findings) ----------------------------

    def finding(self) -> list[Any]:
        from kazreader.ui.findings_views import coverage_finding

        return coverage_finding(self)

    def finding_export(self) -> Any:
        from kazreader.ui.findings_views import coverage_export

        return coverage_export(self)
