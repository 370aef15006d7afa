"""The figures in one article: what each counts, its qualifier, and disagreements with others."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kazreader.analysis.figures.describe import QUALIFIER_WORDS, figure_words, what_it_counts
from kazreader.ui.widgets.article_view import safe_text

if TYPE_CHECKING:
    from kazreader.analysis.figures import Disagreement, Figure, FiguresResult

__all__ = ["FiguresPanel", "QUALIFIER_LABELS", "disagreements_for"]

QUALIFIER_LABELS = QUALIFIER_WORDS


def disagreements_for(result: FiguresResult, article_id: str) -> dict[tuple[int, int], list[Disagreement]]:
    """(start, end) of each of *article_id*'s figures -> the disagreements it takes part in."""
    out: dict[tuple[int, int], list[Disagreement]] = {}
    for d in result.disagreements:
        for pair in d.disagreeing():
            for f in pair:
                if f.article == article_id and d not in out.get((f.start, f.end), []):
                    out.setdefault((f.start, f.end), []).append(d)
    return out


class FiguresPanel(OptionList):
    """Select a figure (enter/click) to scroll the article to it."""

    class FigureSelected(Message):
        def __init__(self, panel: FiguresPanel, figure: Figure) -> None:
            super().__init__()
            self.panel = panel
            self.figure = figure

        @property
        def control(self) -> FiguresPanel:
            return self.panel

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.figures: list[Figure] = []
        self.article_id = ""
        self.labels: dict[str, str] = {}
        self.disputed: dict[tuple[int, int], list[Disagreement]] = {}

    def set_figures(
        self, article_id: str, result: FiguresResult, labels: Mapping[str, str] | None = None,
    ) -> None:
        """Show *article_id*'s figures; *labels* names the other articles (outlet or id)."""
        self.article_id = article_id
        self.labels = dict(labels or {})
        self.disputed = disagreements_for(result, article_id)
        mine = sorted((f for f in result.figures if f.article == article_id), key=lambda f: f.start)
        # Counts, percentages and sums first (what the outlets argue about), then lengths, ages and the
        # rest (dates and years are no figures: the core does not report them).
        counts = [f for f in mine if f.kind in ("count", "percent", "money")]
        rest = [f for f in mine if f.kind not in ("count", "percent", "money")]
        self.figures = counts + rest
        self.clear_options()
        options = [Option(self._prompt(f), id=f"figure-{i}") for i, f in enumerate(self.figures)]
        if not options:
            options = [Option(Text("no figures found", style="dim italic"), disabled=True)]
        self.add_options(options)

    def _others(self, f: Figure) -> list[Figure]:
        seen: set[tuple[str, int, int]] = set()
        out = []
        for d in self.disputed.get((f.start, f.end), []):
            for a, b in d.disagreeing():
                if (a.start, a.end, a.article) == (f.start, f.end, f.article):
                    v = b
                elif (b.start, b.end, b.article) == (f.start, f.end, f.article):
                    v = a
                else:
                    continue
                key = (v.article, v.start, v.end)
                if v.article != self.article_id and key not in seen:
                    seen.add(key)
                    out.append(v)
        return out

    def _prompt(self, f: Figure) -> Table:
        """One line: the figure and what it counts (cut with "…"), disagreements right-aligned."""
        others = self._others(f)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("⚠ " if others else "  ", style="bold red")
        text.append(safe_text(" ".join(f.text.split())), style="bold red" if others else "bold")
        what = what_it_counts(f)
        if what:
            text.append(" " + safe_text(what))
        elif f.kind != "count" and not _says_unit(f):
            text.append(f" ({f.kind})", style="dim")  # "51 (age)"; not "four years duration"
        grid = Table.grid(expand=True, padding=(0, 0, 0, 1))
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(text, Text(f"≠{len(others)}", style="red") if others else Text(""))
        return grid

    def detail(self, f: Figure) -> Text:
        """The figure in full: qualifier, what it counts, and what the other articles say."""
        out = Text(safe_text(figure_words(f)), style="bold")
        if f.measure:
            out.append(" · " + safe_text(f.measure))
        when = [p for p in (f.place, f.time) if p]
        if when:
            out.append(" (" + safe_text(", ".join(when)) + ")", style="dim")
        others = self._others(f)
        if others:
            said = "; ".join(
                f"{safe_text(' '.join(v.text.split()))} ({safe_text(self.labels.get(v.article, v.article))})"
                for v in others[:4]
            )
            out.append(" · others say: ", style="dim")
            out.append(said, style="red")
        return out

    def highlighted_figure(self) -> Figure | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        if option.id and option.id.startswith("figure-"):
            return self.figures[int(option.id.removeprefix("figure-"))]
        return None

    def highlighted_detail(self) -> Text | None:
        figure = self.highlighted_figure()
        return self.detail(figure) if figure is not None else None

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.tooltip = self.highlighted_detail()

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id.startswith("figure-"):
            self.post_message(self.FigureSelected(self, self.figures[int(event.option.id.removeprefix("figure-"))]))

    def on_focus(self) -> None:
        # Land on the first item, so enter works at once and the info line explains it.
        if self.highlighted is None:
            first = next((i for i in range(self.option_count) if not self.get_option_at_index(i).disabled), None)
            if first is not None:
                self.highlighted = first


def _says_unit(f: Figure) -> bool:
    """Whether the figure's own words name its unit ("four years", "56 cents", "10%")."""
    unit = (f.unit or "").lower().rstrip("s")
    return bool(unit) and (unit in f.text.lower() or not unit.isalpha())
