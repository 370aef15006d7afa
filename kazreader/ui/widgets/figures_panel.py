"""The figures in one article: what each counts, its qualifier, and disagreements with others."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kazreader.ui.widgets.article_view import safe_text

if TYPE_CHECKING:
    from kazreader.analysis.figures import Disagreement, Figure, FiguresResult

__all__ = ["FiguresPanel", "QUALIFIER_LABELS", "disagreements_for"]

QUALIFIER_LABELS = {
    "exact": "exact",
    "at_least": "at least",
    "more_than": "more than",
    "about": "about",
    "nearly": "nearly",
    "up_to": "up to",
    "vague": "vague",
}


def disagreements_for(result: FiguresResult, article_id: str) -> dict[tuple[int, int], list[Disagreement]]:
    """(start, end) of each of *article_id*'s figures -> the disagreements it takes part in."""
    out: dict[tuple[int, int], list[Disagreement]] = {}
    for d in result.disagreements:
        for f in d.values:
            if f.article == article_id:
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

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.figures: list[Figure] = []
        self.disputed: dict[tuple[int, int], list[Disagreement]] = {}

    def set_figures(self, article_id: str, result: FiguresResult) -> None:
        self.disputed = disagreements_for(result, article_id)
        mine = sorted((f for f in result.figures if f.article == article_id), key=lambda f: f.start)
        # Counts first (what the outlets argue about), then dates, money, and the rest.
        counts = [f for f in mine if f.kind in ("count", "percent", "money")]
        rest = [f for f in mine if f.kind not in ("count", "percent", "money")]
        self.figures = counts + rest
        self.clear_options()
        options = [Option(self._prompt(f, article_id), id=f"figure-{i}") for i, f in enumerate(self.figures)]
        if not options:
            options = [Option(Text("no figures found", style="dim italic"), disabled=True)]
        self.add_options(options)

    def _prompt(self, f: Figure, article_id: str) -> Text:
        disputes = self.disputed.get((f.start, f.end), [])
        text = Text()
        text.append("⚠ " if disputes else "  ", style="bold red")
        text.append(safe_text(f.text), style="bold red" if disputes else "bold")
        qual = QUALIFIER_LABELS.get(f.qualifier, f.qualifier)
        if f.qualifier != "exact":
            text.append(f" ({qual})", style="italic")
        what = f.counted or f.measure
        if what:
            text.append(" " + safe_text(what), style="")
        elif f.kind not in ("count",):
            text.append(f" {f.kind}", style="dim")
        for d in disputes:
            others = [v for v in d.values if v.article != article_id]
            if others:
                said = "; ".join(f"{safe_text(v.text)} ({safe_text(v.article)})" for v in others[:3])
                text.append(f"\n    others: {said}", style="red")
        return text

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id.startswith("figure-"):
            self.post_message(self.FigureSelected(self, self.figures[int(event.option.id.removeprefix("figure-"))]))
