"""Two articles side by side, their shared passages in matching colours."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from kazreader.analysis.links import best_partner, shared_disagreements
from kazreader.ui.findings import FindingsKeys, findings_bindings
from kazreader.ui.palette import DARK, Highlights, highlights
from kazreader.ui.labels import article_caption, article_headline, first_sentence
from kazreader.ui.widgets.article_view import ArticleView, safe_text
from kazreader.analysis.figures.describe import figure_words
from kazreader.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from kazreader.analysis.clusters import PassageCluster
    from kazreader.analysis.figures import Disagreement
    from kazreader.analysis.passages import PassagePair
    from kazreader.corpus import Article
    from kazreader.workspace import Workspace

__all__ = ["ArticlePicker", "CompareScreen", "PASSAGE_COLOURS"]

#: Background of shared passage i is PASSAGE_COLOURS[i % len]; the same in both panes.
#: (On a dark theme; a light theme has its own, see :mod:`kazreader.ui.palette`.)
PASSAGE_COLOURS = DARK.passages
CURRENT_STYLE = DARK.current
DELETE_STYLE = DARK.delete
INSERT_STYLE = DARK.insert
CHANGE_STYLE = DARK.change


#: At most this many articles in the picker list at once.
PICKER_LIMIT = 200


def _clusters_or_none(workspace: Workspace) -> list[PassageCluster] | None:
    try:
        return workspace.clusters()
    except Exception:  # noqa: BLE001 - best_partner falls back to pairwise comparison
        return None


def _figure_words(f: Any) -> str:
    """The figure as written, with its qualifier when the words do not already say it."""
    return safe_text(figure_words(f))


def article_choice(a: Article) -> str:
    return f"{a.outlet or 'outlet unknown'} · {a.date or 'undated'} · {a.title or first_sentence(a, 120)} · {a.id}"


class ArticlePicker(ModalScreen[str | None]):
    """Choose an article: type to filter (fuzzy), enter to pick, escape to cancel."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        # (a modal screen hides the app's own keys; "?" is typed into the filter)
        Binding("f1", "app.help", "Help", show=False, id="picker.help"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
    ]

    def __init__(self, workspace: Workspace, title: str, current: str | None = None, exclude: str | None = None):
        super().__init__()
        self.workspace = workspace
        self.picker_title = title
        self.current = current
        self.exclude = exclude
        self.choices = [a for a in workspace.articles if a.id != exclude]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(Text(self.picker_title, style="bold"), id="picker-title")
            yield Input(placeholder="type to filter by outlet, title, date or id", id="picker-filter")
            yield OptionList(id="picker-list", markup=False)
            yield Static(Text("enter: choose · esc: cancel", style="dim"), markup=False)

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, query: str) -> None:
        options = self.query_one("#picker-list", OptionList)
        options.clear_options()
        arts = self.choices
        if query.strip():
            from rapidfuzz import fuzz, process

            if getattr(self, "_keys", None) is None:
                self._keys = {a.id: article_choice(a) for a in arts}
            found = process.extract(query, self._keys, scorer=fuzz.WRatio, limit=None, score_cutoff=40)
            by_id = self.workspace.by_id
            arts = [by_id[key] for _choice, _score, key in found]
        # A list of thousands of two-line options takes seconds to build and lay
        # out: show the best PICKER_LIMIT (and the current article), say how many more.
        more = max(0, len(arts) - PICKER_LIMIT)
        if more:
            head = arts[:PICKER_LIMIT]
            if not query.strip() and self.current and all(a.id != self.current for a in head):
                cur = next((a for a in arts if a.id == self.current), None)
                if cur is not None:
                    head = [cur, *head[:-1]]
            arts = head
        opts = []
        for a in arts:
            prompt = article_caption(a, with_id=False)
            if a.id == self.current:
                prompt.append("  (current)", style="dim cyan")
            prompt.append("\n  ")
            prompt.append_text(article_headline(a, limit=120))
            prompt.no_wrap, prompt.overflow = True, "ellipsis"
            opts.append(Option(prompt, id=a.id))
        if more:
            opts.append(Option(Text(f"… {more} more — type to narrow", style="dim italic"), disabled=True))
        options.add_options(opts)
        if opts:
            index = next((i for i, a in enumerate(arts) if a.id == self.current), 0) if not query.strip() else 0
            options.highlighted = index

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submit(self) -> None:
        options = self.query_one("#picker-list", OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, delta: int) -> None:
        options = self.query_one("#picker-list", OptionList)
        if delta > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ComparePane(Vertical):
    """One side: a heading and the article view."""


class CompareScreen(FindingsKeys, Screen[None]):
    """``n``/``p`` step through the shared passages (both panes follow)."""

    AUTO_FOCUS = "#view-a"

    BINDINGS = [
        Binding("q,escape", "back", "Back", id="compare.back"),
        Binding("n", "next_passage", "Next passage", id="compare.next"),
        Binding("p", "prev_passage", "Prev passage", id="compare.prev"),
        Binding("x", "swap", "Swap", id="compare.swap"),
        Binding("b", "choose('b')", "Choose B", id="compare.choose_b"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="compare.help"),
        Binding("a", "choose('a')", "Choose A", id="compare.choose_a"),
        Binding("o", "open_reader", "Read", id="compare.open", tooltip="Open the focused side in the reader"),
        Binding("d", "toggle_figures", "Figures", id="compare.figures", show=False),
        *findings_bindings("compare", open_="O", show_open=False),
    ]

    def __init__(self, workspace: Workspace, a_id: str, b_id: str | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.a: Article = workspace.by_id[a_id]
        self.b: Article | None = workspace.by_id[b_id] if b_id else None
        self.pairs: list[PassagePair] = []
        self.current = -1
        self.disagreements: list[Disagreement] = []
        self.ready = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text("comparing…", style="italic dim"), id="compare-summary", markup=False)
        with Horizontal(id="panes"):
            with ComparePane(id="pane-a", classes="pane"):
                yield Static("", id="title-a", classes="pane-title", markup=False)
                yield ArticleView(self.a.text, id="view-a", max_width=100)
            with ComparePane(id="pane-b", classes="pane"):
                yield Static("", id="title-b", classes="pane-title", markup=False)
                yield ArticleView(self.b.text if self.b else "", id="view-b", max_width=100)
        yield Static("", id="passage-info", markup=False)
        yield Static("", id="compare-figures", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "kazreader"
        self._headings()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self._compute()

    def _headings(self) -> None:
        for side, art in (("a", self.a), ("b", self.b)):
            heading = Text(f"{side.upper()} ", style="bold reverse")
            if art is None:
                heading.append(" choosing…", style="dim")
            else:
                heading.append(" ")
                heading.append_text(article_caption(art, with_id=False))
                heading.append("\n")
                heading.append_text(article_headline(art, limit=160))
                heading.no_wrap, heading.overflow = True, "ellipsis"
            self.query_one(f"#title-{side}", Static).update(heading)
        if self.b is not None:
            self.sub_title = f"{self.a.label} ↔ {self.b.label}"

    @work(thread=True, exclusive=True, group="compare")
    def _compute(self) -> None:
        ws = self.workspace
        error = None
        b = self.b
        if b is None:
            partner = best_partner(self.a.id, ws.articles, _clusters_or_none(ws), ws.compare)
            b = ws.by_id[partner] if partner else None
        pairs: list[PassagePair] = []
        disagreements: list[Disagreement] = []
        if b is not None:
            try:
                pairs = list(ws.compare(self.a, b))
            except Exception as exc:  # noqa: BLE001
                error = f"cannot compare: {exc}"
            try:
                disagreements = shared_disagreements(ws.figures().disagreements, self.a.id, b.id)
            except Exception:  # noqa: BLE001 - the figures analysis may be unavailable
                disagreements = []
        try:
            self.app.call_from_thread(self._computed, self.a.id, b, pairs, disagreements, error)
        except RuntimeError:  # the app is shutting down
            pass

    def _computed(self, a_id: str, b: Article | None, pairs: list[PassagePair],
                  disagreements: list[Disagreement], error: str | None) -> None:
        if a_id != self.a.id or not self.is_attached:
            return
        if b is not None and (self.b is None or self.b.id != b.id):
            self.b = b
            self.query_one("#view-b", ArticleView).set_text(b.text)
        self.pairs = pairs
        self.disagreements = disagreements
        self.current = -1
        self.ready = True
        self._headings()
        self._paint()
        self._summary(error)
        self._figures()
        self._passage_info()

    def _colours(self) -> Highlights:
        return highlights(self.app.current_theme)

    def _theme_changed(self, _theme: object) -> None:
        if self.ready:
            self._paint()
            self._passage_info()

    def _paint(self) -> None:
        view_a = self.query_one("#view-a", ArticleView)
        view_b = self.query_one("#view-b", ArticleView)
        colours = self._colours()
        layers_a: list[tuple[str, list[tuple[int, int]], str]] = []
        layers_b: list[tuple[str, list[tuple[int, int]], str]] = []
        for colour_index, colour in enumerate(colours.passages):
            chosen = [p for i, p in enumerate(self.pairs) if i % len(colours.passages) == colour_index]
            layers_a.append((f"passage-{colour_index}", [(p.a_start, p.a_end) for p in chosen], f"on {colour}"))
            layers_b.append((f"passage-{colour_index}", [(p.b_start, p.b_end) for p in chosen], f"on {colour}"))
        cur = self.pairs[self.current] if 0 <= self.current < len(self.pairs) else None
        layers_a.append(("current", [(cur.a_start, cur.a_end)] if cur else [], colours.current))
        layers_b.append(("current", [(cur.b_start, cur.b_end)] if cur else [], colours.current))
        dels, ins, ch_a, ch_b = [], [], [], []
        for p in self.pairs:
            for op in p.diff:
                if op.op == "delete" and op.a_end > op.a_start:
                    dels.append((op.a_start, op.a_end))
                elif op.op == "insert" and op.b_end > op.b_start:
                    ins.append((op.b_start, op.b_end))
                elif op.op == "replace":
                    ch_a.append((op.a_start, op.a_end))
                    ch_b.append((op.b_start, op.b_end))
        layers_a += [("delete", dels, colours.delete), ("change", ch_a, colours.change)]
        layers_b += [("insert", ins, colours.insert), ("change", ch_b, colours.change)]
        view_a.set_layers(layers_a, replace=True)
        view_b.set_layers(layers_b, replace=True)

    def _summary(self, error: str | None = None) -> None:
        out = Text()
        if error:
            out.append(safe_text(error), style="bold red")
        elif self.b is None:
            out.append("no other article to compare with", style="dim")
        else:
            n = len(self.pairs)
            shared_a = sum(p.a_end - p.a_start for p in self.pairs)
            shared_b = sum(p.b_end - p.b_start for p in self.pairs)
            out.append(f"{n} shared passage{'s' if n != 1 else ''}", style="bold")
            out.append(" · A ")
            out.append(f"{100 * shared_a / max(1, len(self.a.text)):.0f}%", style="bold")
            out.append(" shared · B ")
            out.append(f"{100 * shared_b / max(1, len(self.b.text)):.0f}%", style="bold")
            out.append(" shared")
            if n:
                words = sum(p.words for p in self.pairs)
                out.append(f" · {words} words", style="dim")
        self.query_one("#compare-summary", Static).update(out)

    def _passage_info(self) -> None:
        out = Text()
        if self.pairs:
            if 0 <= self.current < len(self.pairs):
                p = self.pairs[self.current]
                out.append(f"passage {self.current + 1}/{len(self.pairs)}", style="bold")
                out.append(f" · {p.words} words · similarity {p.similarity:.0%}  ")
            else:
                out.append(f"{len(self.pairs)} passage{'s' if len(self.pairs) != 1 else ''} · n/p to step  ", style="bold")
            colours = self._colours()
            out.append("only in A", style=colours.delete)
            out.append("  ")
            out.append("only in B", style=colours.insert)
            out.append("  ")
            out.append("changed", style=colours.change)
        elif self.ready and self.b is not None:
            out.append("these two articles share no passage", style="dim")
        self.query_one("#passage-info", Static).update(out)

    def _figures(self) -> None:
        box = self.query_one("#compare-figures", Static)
        if not self.disagreements or self.b is None:
            box.display = False
            return
        box.display = True
        out = Text("figures that disagree", style="bold red")
        for d in self.disagreements:
            out.append("\n")
            out.append(safe_text(d.measure), style="bold")
            for side, art in (("A", self.a), ("B", self.b)):
                vals = [f for f in d.values if f.article == art.id]
                if vals:
                    out.append(f"  {side}: ", style="dim")
                    out.append("; ".join(_figure_words(f) for f in vals), style="red")
        box.update(out)

    # -- navigation --------------------------------------------------------

    def _goto(self, index: int) -> None:
        if not self.pairs:
            self.notify("no shared passages", timeout=1.5, markup=False)
            return
        self.current = index % len(self.pairs)
        p = self.pairs[self.current]
        view_a = self.query_one("#view-a", ArticleView)
        view_b = self.query_one("#view-b", ArticleView)
        current = self._colours().current
        view_a.set_layer("current", [(p.a_start, p.a_end)], current)
        view_b.set_layer("current", [(p.b_start, p.b_end)], current)
        view_a.scroll_to_offset(p.a_start)
        view_b.scroll_to_offset(p.b_start)
        self._passage_info()

    def action_next_passage(self) -> None:
        self._goto(self.current + 1)

    def action_prev_passage(self) -> None:
        self._goto(self.current - 1 if self.current >= 0 else -1)

    @on(ArticleView.Clicked)
    def _clicked(self, event: ArticleView.Clicked) -> None:
        side_a = event.view.id == "view-a"
        for i, p in enumerate(self.pairs):
            start, end = (p.a_start, p.a_end) if side_a else (p.b_start, p.b_end)
            if start <= event.offset < end:
                self._goto(i)
                return

    def action_choose(self, side: str) -> None:
        current = self.a.id if side == "a" else (self.b.id if self.b else None)
        other = self.b.id if side == "a" and self.b else (self.a.id if side == "b" else None)

        def chosen(article_id: str | None) -> None:
            if not article_id:
                return
            if side == "a":
                self.a = self.workspace.by_id[article_id]
                self.query_one("#view-a", ArticleView).set_text(self.a.text)
            else:
                self.b = self.workspace.by_id[article_id]
                self.query_one("#view-b", ArticleView).set_text(self.b.text)
            self._restart()

        self.app.push_screen(
            ArticlePicker(self.workspace, f"Choose article {side.upper()}", current=current, exclude=other), chosen,
        )

    def action_swap(self) -> None:
        if self.b is None:
            return
        self.a, self.b = self.b, self.a
        self.query_one("#view-a", ArticleView).set_text(self.a.text)
        self.query_one("#view-b", ArticleView).set_text(self.b.text)
        self._restart()

    def _restart(self) -> None:
        self.ready = False
        self.pairs = []
        self.current = -1
        self._headings()
        self.query_one("#compare-summary", Static).update(Text("comparing…", style="italic dim"))
        self._compute()

    def action_open_reader(self) -> None:
        from kazreader.ui.messages import OpenArticle

        art = self.b if self.focused is self.query_one("#view-b") and self.b else self.a
        pair = self.pairs[self.current] if 0 <= self.current < len(self.pairs) else None
        span = None
        if pair is not None:
            span = (pair.b_start, pair.b_end) if art is self.b else (pair.a_start, pair.a_end)
        self.post_message(OpenArticle(art.id, span=span))

    def action_toggle_figures(self) -> None:
        box = self.query_one("#compare-figures", Static)
        if self.disagreements:
            box.display = not box.display

    def action_back(self) -> None:
        self.app.pop_screen()

    def coverage_sides(self) -> tuple[str | None, str | None]:
        return (self.a.outlet or self.a.id, (self.b.outlet or self.b.id) if self.b else None)

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        if action in ("next_passage", "prev_passage") and self.ready and not self.pairs:
            return None
        return True

    # -- findings out (y, o, e: kazreader.ui.findings) ----------------------------

    def finding(self) -> list[Any]:
        from kazreader.ui.findings_views import compare_finding

        return compare_finding(self)

    def finding_export(self) -> Any:
        from kazreader.ui.findings_views import compare_export

        return compare_export(self)
