"""The library's story filter: the stories of the corpus in a list; enter keeps one story's articles.

Stories come from the registry's ``stories`` analysis (:mod:`kazreader.analysis.stories`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from kazreader.ui.widgets.article_view import safe_text

if TYPE_CHECKING:
    from kazreader.analysis.stories import Story

__all__ = ["ALL_STORIES", "StoryPicker", "short_label"]

#: The option that clears the story filter.
ALL_STORIES = "*all*"
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}\s+")


def short_label(story: Story) -> str:
    """The story's label without its leading date (the library has a date column): ``trump mexico``."""
    return _DATE_PREFIX.sub("", story.label) or story.label


class StoryPicker(ModalScreen[str | None]):
    """Choose a story (largest first): dismissed with its id, :data:`ALL_STORIES`, or None (escape)."""

    DEFAULT_CSS = """
    StoryPicker { align: center middle; }
    #story-dialog { width: 80%; max-width: 90; height: 80%; border: round $accent; background: $surface; }
    #story-title { padding: 0 1; width: 100%; }
    #story-list { height: 1fr; border: none; }
    """
    BINDINGS = [Binding("escape,q", "cancel", "Cancel", id="stories.cancel")]

    def __init__(self, stories: Sequence[Story], current: str | None = None, filtered: bool = False) -> None:
        super().__init__()
        self.stories = list(stories)
        self.current = current
        self.filtered = filtered

    def compose(self) -> ComposeResult:
        with Vertical(id="story-dialog"):
            yield Label(Text.assemble(
                ("Show one story's articles", "bold"), ("   enter: choose · esc: cancel", "dim"),
            ), id="story-title")
            yield OptionList(*self._options(), id="story-list", markup=False)

    def _options(self) -> list[Option]:
        options = []
        if self.filtered:
            options.append(Option(Text("all stories (clear the filter)", style="italic"), id=ALL_STORIES))
        width = len(str(max((len(s.articles) for s in self.stories), default=1)))
        for story in self.stories:
            n = len(story.articles)
            options.append(Option(Text.assemble(
                (f"{n:>{width}} article{'s' if n != 1 else ' '}  ", "dim"), safe_text(story.label),
            ), id=story.id))
        return options

    def on_mount(self) -> None:
        listing = self.query_one("#story-list", OptionList)
        ids = [o.id for o in listing.options]
        listing.highlighted = ids.index(self.current) if self.current in ids else 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
