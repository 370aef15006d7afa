"""The reader: one article, wrapped at a readable width, with its analyses highlighted."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Label, OptionList, Static

from kazreader.analysis.registry import REGISTRY, Stage
from kazreader.ui.palette import DARK, Highlights, highlights
from kazreader.ui.labels import article_caption, article_headline, article_subtitle
from kazreader.ui.findings import FindingsKeys, findings_bindings
from kazreader.ui.marking import MarkKeys, MarkTarget, mark_label, marking_bindings
from kazreader.ui.messages import OpenCompare
from kazreader.ui.widgets.article_view import ArticleView, safe_text
from kazreader.ui.widgets.entity_sidebar import EntitySidebar
from kazreader.ui.widgets.figures_panel import FiguresPanel
from kazreader.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from kazreader.analysis.clusters import PassageCluster
    from kazreader.analysis.entities import Entity
    from kazreader.analysis.figures import FiguresResult
    from kazreader.analysis.quotes import Quote
    from kazreader.corpus import Article
    from kazreader.workspace import Workspace

__all__ = ["LAYER_STYLES", "ReaderScreen", "legend"]

Span = tuple[int, int]
#: A highlight layer: its name, its spans and its style.
Layer = tuple[str, list[Span], str]

#: Below this many columns the sidebar is hidden until ``b`` shows it (over the text).
SIDEBAR_MIN_WIDTH = 100

#: How marked items (kazreader.marks) are shown, under the other highlights' colours.
MARKED_STYLE = "underline"

#: Highlight layers (on a dark theme), painted in this order (later wins); see :mod:`kazreader.ui.palette`.
LAYER_STYLES: Mapping[str, str] = DARK.layers


def legend(with_hits: bool = False, colours: Highlights = DARK) -> Text:
    """The key to the reader's colours."""
    layers, entities = colours.layers, colours.entities
    parts: list[tuple[str, str]] = [
        ("person", entities["PERSON"]),
        ("org", entities["ORG"]),
        ("place", entities["PLACE"]),
        ("“quote”", layers["quote"]),
        ("figure", layers["figure"]),
        ("disputed", layers["disputed"]),
        ("shared passage", layers["passage"]),
    ]
    if with_hits:
        parts.append(("search hit", layers["hit"]))
    out = Text(no_wrap=True, overflow="ellipsis")
    for i, (label, style) in enumerate(parts):
        if i:
            out.append(" ")
        out.append(label, style=style)
    return out


class ReaderScreen(MarkKeys, FindingsKeys, Screen[None]):
    """One article. ``n``/``p`` step through the active marks: a selected entity's
    mentions, else the search hits it was opened with, else its shared passages."""

    AUTO_FOCUS = "#article"

    BINDINGS = [
        Binding("q,escape", "back", "Back", id="reader.back"),
        Binding("n", "next_mark", "Next", id="reader.next"),
        Binding("p", "prev_mark", "Prev", id="reader.prev"),
        Binding("b", "toggle_sidebar", "Sidebar", id="reader.sidebar",
                tooltip="Show or hide the entities and figures"),
        Binding("c", "compare", "Compare", id="reader.compare", tooltip="Compare with another article"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="reader.help"),
        Binding("l", "filter_library", "Filter library", id="reader.filter_library", show=False,
                tooltip="Library: only the articles naming the selected entity"),
        Binding("slash", "search", "Search", id="reader.search", show=False),
        Binding("right_square_bracket", "next_article", "Next article", id="reader.next_article", show=False),
        Binding("left_square_bracket", "prev_article", "Previous article", id="reader.prev_article", show=False),
        *findings_bindings("reader"),
        *marking_bindings("reader"),
    ]

    def __init__(
        self,
        workspace: Workspace,
        article_id: str,
        span: Span | None = None,
        highlights: Sequence[Span] = (),
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.article: Article = workspace.by_id[article_id]
        self.initial_span = span
        self.hits: tuple[Span, ...] = tuple(sorted(tuple(h) for h in highlights))  # type: ignore[misc]
        self.passages: tuple[Span, ...] = ()
        self.selected_entity: Entity | None = None
        self.marks_kind = "hit" if self.hits else "passage"
        self.mark_index = -1
        self.analyses_ready = False
        #: None: the width decides (shown from SIDEBAR_MIN_WIDTH columns); else the user's choice (b).
        self.sidebar_pref: bool | None = None
        self._was_wide: bool | None = None

    # -- layout ------------------------------------------------------------

    def compose(self) -> ComposeResult:
        a = self.article
        yield Header()
        with Horizontal(id="reader-body"):
            with Vertical(id="reader-main"):
                yield Static(self._heading(), id="article-heading", markup=False)
                yield Static(legend(bool(self.hits), self._colours()), id="legend", markup=False)
                yield ArticleView(a.text, id="article")
                yield Static("", id="mark-info", markup=False)
            with Vertical(id="sidebar"):
                yield Label("Entities", classes="sidebar-title")
                entities = EntitySidebar(id="entities")
                entities.loading = True
                yield entities
                yield Label("Figures", classes="sidebar-title")
                figures = FiguresPanel(id="figures")
                figures.loading = True
                yield figures
        yield KeyFooter()

    def _heading(self) -> Text:
        a = self.article
        out = article_headline(a, limit=160)
        out.no_wrap, out.overflow = True, "ellipsis"
        out.append("\n")
        out.append_text(article_caption(a, words=True))
        if not a.outlet:
            out.append(" · outlet unknown", style="dim italic")
        if getattr(self, "starred", False):
            out.append(" · ★ starred", style="bold")
        return out

    def on_mount(self) -> None:
        self._was_wide = self._wide()
        self._apply_sidebar()
        self.title = "kazreader"
        self.sub_title = article_subtitle(self.article)
        view = self.query_one("#article", ArticleView)
        if self.hits:
            view.set_layer("hit", self.hits, self._style("hit"))
        if self.initial_span is not None:
            target: Span = (self.initial_span[0], self.initial_span[1])
            if target in self.hits:
                self.mark_index = self.hits.index(target)
            view.set_layer("current", [target], self._style("current"))
            self.call_after_refresh(view.scroll_to_offset, target[0])
        self._update_mark_info()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.marks_changed()
        self._load_analyses()

    # -- colours -----------------------------------------------------------

    def _colours(self) -> Highlights:
        return highlights(self.app.current_theme)

    def _style(self, layer: str) -> str:
        """The style of a highlight layer (``entity-PERSON``…) in the current theme."""
        colours = self._colours()
        if layer == "marked":
            return MARKED_STYLE
        if layer.startswith("entity-"):
            return colours.entities[layer.removeprefix("entity-")]
        return colours.layers[layer]

    def _theme_changed(self, _theme: object) -> None:
        """Repaint every highlight (and the legend) in the new theme's colours."""
        view = self.query_one("#article", ArticleView)
        view.set_layers([(name, view.layer_spans(name), self._style(name)) for name in view.layer_names()])
        self.query_one("#legend", Static).update(legend(bool(self.hits), self._colours()))

    # -- analyses ----------------------------------------------------------

    @work(thread=True, exclusive=True, group="reader-analyses")
    def _load_analyses(self) -> None:
        ws = self.workspace
        results: dict[str, Any] = {}
        errors: list[str] = []
        for analysis in REGISTRY.corpus():
            name = analysis.name
            try:
                results[name] = ws.result(name)
            except Exception as exc:  # noqa: BLE001 - the reader still works without it
                errors.append(f"{name}: {exc}")
        try:
            self.app.call_from_thread(self._analyses_loaded, results, errors)
        except RuntimeError:  # the app is shutting down
            pass

    def _analyses_loaded(self, results: dict[str, Any], errors: list[str]) -> None:
        if not self.is_attached:
            return
        view = self.query_one("#article", ArticleView)
        painters: dict[str, Callable[[Any], list[Layer]]] = {
            # in painting order (later wins)
            Stage.CLUSTERS: self._passage_layers,
            Stage.ENTITIES: self._entity_layers,
            Stage.QUOTES: self._quote_layers,
            Stage.FIGURES: self._figure_layers,
        }
        layers: list[Layer] = []
        for name, paint in painters.items():
            if name in results:
                layers += paint(results[name])
        # Keep search hits, the selection and the current mark on top.
        layers += [(name, list(view.layer_spans(name)), self._style(name)) for name in ("hit", "marked", "selected", "current")]
        view.set_layers(layers, replace=True)
        for name, widget_id in ((Stage.ENTITIES, "#entities"), (Stage.FIGURES, "#figures")):
            if name not in results:
                widget = self.query_one(widget_id, OptionList)
                widget.loading = False
                widget.add_option(Text("unavailable", style="dim italic"))
        if errors:
            self.notify("Some analyses are unavailable: " + "; ".join(errors), severity="warning", markup=False)
        self.analyses_ready = True
        self._update_mark_info()

    def _passage_layers(self, clusters: Sequence[PassageCluster]) -> list[Layer]:
        aid = self.article.id
        spans = sorted({(m.start, m.end) for c in clusters for m in c.members if m.article == aid})
        self.passages = tuple(spans)
        self.passage_partners = {
            (m.start, m.end): sorted({o.article for o in c.members if o.article != aid})
            for c in clusters for m in c.members if m.article == aid
        }
        return [("passage", spans, self._style("passage"))]

    def _entity_layers(self, entities: Sequence[Entity]) -> list[Layer]:
        aid = self.article.id
        colours = self._colours().entities
        layers: list[Layer] = []
        for kind, style in colours.items():
            spans = [
                (m.start, m.end)
                for e in entities if (e.type if e.type in colours else "OTHER") == kind
                for m in e.mentions_in(aid)
            ]
            layers.append((f"entity-{kind}", spans, style))
        sidebar = self.query_one("#entities", EntitySidebar)
        sidebar.set_entities(aid, entities)
        sidebar.loading = False
        return layers

    def _quote_layers(self, quotes: Sequence[Quote]) -> list[Layer]:
        return [("quote", [(q.start, q.end) for q in quotes if q.article == self.article.id], self._style("quote"))]

    def _figure_layers(self, figures: FiguresResult) -> list[Layer]:
        aid = self.article.id
        panel = self.query_one("#figures", FiguresPanel)
        panel.set_figures(aid, figures, {a.id: a.label for a in self.workspace.articles})
        panel.loading = False
        return [
            ("figure", [(f.start, f.end) for f in figures.figures if f.article == aid], self._style("figure")),
            ("disputed", list(panel.disputed), self._style("disputed")),
        ]

    # -- marks (n/p) -------------------------------------------------------

    def marks(self) -> tuple[Span, ...]:
        if self.marks_kind == "entity" and self.selected_entity is not None:
            return tuple(sorted((m.start, m.end) for m in self.selected_entity.mentions_in(self.article.id)))
        if self.marks_kind == "hit" and self.hits:
            return self.hits
        if self.marks_kind == "figure":
            return tuple(sorted((f.start, f.end) for f in self.query_one("#figures", FiguresPanel).figures))
        return self.passages

    def _goto_mark(self, index: int) -> None:
        marks = self.marks()
        if not marks:
            self.notify("nothing to step through here", timeout=1.5, markup=False)
            return
        self.mark_index = index % len(marks)
        span = marks[self.mark_index]
        view = self.query_one("#article", ArticleView)
        view.set_layer("current", [span], self._style("current"))
        view.scroll_to_offset(span[0])
        self._update_mark_info()

    def action_next_mark(self) -> None:
        self._goto_mark(self.mark_index + 1)

    def action_prev_mark(self) -> None:
        self._goto_mark(self.mark_index - 1 if self.mark_index >= 0 else -1)

    def _update_mark_info(self) -> None:
        marks = self.marks()
        names = {"entity": "mention", "hit": "search hit", "figure": "figure", "passage": "shared passage"}
        label = names[self.marks_kind]
        info = Text()
        if self.marks_kind == "entity" and self.selected_entity is not None:
            info.append(safe_text(self.selected_entity.name), style="bold")
            info.append(" · ")
        if not marks:
            info.append(f"no {label}s" if self.analyses_ready or self.marks_kind == "hit" else "analysing…", style="dim")
        else:
            pos = f"{self.mark_index + 1}/{len(marks)}" if self.mark_index >= 0 else f"{len(marks)}"
            info.append(f"{label} {pos}", style="bold")
            if self.marks_kind == "passage" and self.mark_index >= 0:
                partners = getattr(self, "passage_partners", {}).get(marks[self.mark_index], [])
                if partners:
                    labels = [self.workspace.by_id[p].label if p in self.workspace.by_id else p for p in partners]
                    info.append(" · also in " + ", ".join(safe_text(x) for x in labels))
            info.append("   n/p step", style="dim")
        flagged = mark_label(self.current_mark())
        if flagged:
            info.append("   ")
            info.append_text(flagged)
        self.query_one("#mark-info", Static).update(info)

    # -- sidebar -----------------------------------------------------------

    @on(EntitySidebar.EntitySelected)
    def _entity_selected(self, event: EntitySidebar.EntitySelected) -> None:
        view = self.query_one("#article", ArticleView)
        self.selected_entity = event.entity
        self.mark_index = -1
        if event.entity is None:
            view.set_layer("selected", [], self._style("selected"))
            self.marks_kind = "hit" if self.hits else "passage"
            self._update_mark_info()
            return
        spans = [(m.start, m.end) for m in event.entity.mentions_in(self.article.id)]
        view.set_layer("selected", spans, self._style("selected"))
        self.marks_kind = "entity"
        self._goto_mark(0)

    @on(OptionList.OptionHighlighted, "#entities, #figures")
    def _sidebar_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.focused is event.option_list:
            self._show_detail(event.option_list)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, (EntitySidebar, FiguresPanel)):
            self._show_detail(event.widget)
        else:
            self._update_mark_info()

    def _show_detail(self, widget: Any) -> None:
        detail = widget.highlighted_detail()
        if detail is not None:
            detail.no_wrap, detail.overflow = True, "ellipsis"
            self.query_one("#mark-info", Static).update(detail)

    @on(FiguresPanel.FigureSelected)
    def _figure_selected(self, event: FiguresPanel.FigureSelected) -> None:
        self.marks_kind = "figure"
        marks = self.marks()
        span = (event.figure.start, event.figure.end)
        self._goto_mark(marks.index(span) if span in marks else 0)

    @on(ArticleView.Clicked)
    def _clicked(self, event: ArticleView.Clicked) -> None:
        # Clicking a mention selects its entity; clicking a figure selects it.
        offset = event.offset
        sidebar = self.query_one("#entities", EntitySidebar)
        for e in sidebar.entities:
            if any(m.start <= offset < m.end for m in e.mentions_in(self.article.id)):
                sidebar.select_entity(None if e is sidebar.selected else e)
                return

    # -- actions -----------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def _wide(self) -> bool:
        return (self.size.width or self.app.size.width) >= SIDEBAR_MIN_WIDTH

    def _apply_sidebar(self) -> None:
        shown = self.sidebar_pref if self.sidebar_pref is not None else self._wide()
        sidebar = self.query_one("#sidebar")
        sidebar.display = shown
        sidebar.set_class(not self._wide(), "-overlay")
        if not shown and self.focused is not None and sidebar in self.focused.ancestors:
            self.query_one("#article").focus()

    def on_resize(self) -> None:
        wide = self._wide()
        if wide != self._was_wide:
            # Crossing the breakpoint goes back to that width's default.
            self._was_wide = wide
            self.sidebar_pref = None
        self._apply_sidebar()

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one("#sidebar")
        self.sidebar_pref = not sidebar.display
        self._apply_sidebar()
        if self.sidebar_pref and not self._wide():
            self.query_one("#entities").focus()

    def action_compare(self) -> None:
        self.post_message(OpenCompare(self.article.id, ""))

    def action_filter_library(self) -> None:
        sidebar = self.query_one("#entities", EntitySidebar)
        entity = sidebar.selected or sidebar.highlighted_entity()
        if entity is None:
            self.notify("Select an entity in the sidebar first (tab, then enter).", markup=False)
            return
        self.app.filter_library(entity.name, entity.counts().keys())  # type: ignore[attr-defined]

    def action_search(self) -> None:
        self.app.focus_library_search()  # type: ignore[attr-defined]

    def _step_article(self, delta: int) -> None:
        library = getattr(self.app, "library", None)
        order = [a.id for a in library.visible_articles()] if library is not None else []
        if not order:
            order = [a.id for a in self.workspace.articles]
        if self.article.id not in order:
            return
        nxt = order[(order.index(self.article.id) + delta) % len(order)]
        self.app.switch_screen(ReaderScreen(self.workspace, nxt))

    def action_next_article(self) -> None:
        self._step_article(1)

    def action_prev_article(self) -> None:
        self._step_article(-1)

    def coverage_sides(self) -> tuple[str | None, str | None]:
        return (self.article.outlet or self.article.id, None)

    # -- marks and notes (m, N, *: kazreader.ui.marking) ------------------------

    def mark_target(self) -> MarkTarget | None:
        """The current item (n/p, the sidebar), a search hit inside a quote being the quote; else the
        first quote on screen."""
        from kazreader.marks import MarkKind

        aid, marks = self.article.id, self.marks()
        view = self.query_one("#article", ArticleView)
        quotes = sorted(view.layer_spans("quote"))
        if 0 <= self.mark_index < len(marks):
            start, end = marks[self.mark_index]
            around = [q for q in quotes if q[0] <= start and end <= q[1]]
            if self.marks_kind == "hit" and around:
                return MarkTarget(MarkKind.QUOTE, aid, *around[0])
            kinds = {"entity": MarkKind.ENTITY, "hit": MarkKind.SELECTION, "figure": MarkKind.FIGURE}
            return MarkTarget(kinds.get(self.marks_kind, MarkKind.PASSAGE), aid, start, end)
        low, high = view.visible_offsets()
        shown = [q for q in quotes if low <= q[0] < high]
        return MarkTarget(MarkKind.QUOTE, aid, *shown[0]) if shown else None

    def star_target(self) -> str | None:
        return self.article.id

    def marks_changed(self) -> None:
        """Underline the marked items (where they are now) and show the current one's flag and note."""
        store = self._marks_store()
        if store is None:
            return
        marks = store.all({self.article.id: self.article.text}, article=self.article.id)
        spans = [(m.start, m.end) for m in marks if m.start is not None and m.end is not None]
        self.query_one("#article", ArticleView).set_layer("marked", spans, MARKED_STYLE)
        self.starred = any(m.kind == "star" for m in marks)
        self.query_one("#article-heading", Static).update(self._heading())
        self._update_mark_info()

    # -- findings out (y, o, e: kazreader.ui.findings) ----------------------------

    def finding(self) -> list[Any]:
        from kazreader.ui.findings_views import reader_finding

        return reader_finding(self)

    def finding_export(self) -> Any:
        from kazreader.ui.findings_views import reader_export

        return reader_export(self)
