"""The library's facet panel: a search's matches per outlet and per day; choosing one narrows the search."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kazreader.search_guide import facet_filter
from kazreader.ui.widgets.article_view import safe_text

__all__ = ["FacetList"]

#: Facets shown, in order, with their headings.
FACET_HEADINGS: tuple[tuple[str, str], ...] = (("outlet", "Outlets"), ("date", "Days"))
#: At most this many values per facet are listed (the largest; days: the busiest).
MAX_VALUES = 30


class FacetList(OptionList):
    """Matches per outlet and per day; enter (or a click) posts :class:`FacetList.Chosen`."""

    class Chosen(Message):
        """A facet value was chosen: ``filter`` is the query text that keeps its matches."""

        def __init__(self, filter: str) -> None:
            super().__init__()
            self.filter = filter

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._filters: dict[str, str] = {}

    def show(self, facets: dict[str, dict[str, int]]) -> None:
        """List *facets* (as :attr:`kazreader.index.SearchResult.facets`)."""
        self.clear_options()
        self._filters = {}
        options: list[Option] = []
        for facet, heading in FACET_HEADINGS:
            counts = facets.get(facet) or {}
            if not counts:
                continue
            options.append(Option(Text(heading, style="bold"), disabled=True))
            values = list(counts.items())
            if len(values) > MAX_VALUES:
                values = sorted(sorted(values, key=lambda kv: -kv[1])[:MAX_VALUES])
            for value, n in values:
                key = f"facet-{len(self._filters)}"
                self._filters[key] = facet_filter(facet, value)
                options.append(Option(Text.assemble(f"{n:>4}  ", (safe_text(value), "")), id=key))
        self.add_options(options)

    def filter_at(self, index: int) -> str | None:
        """The query filter of the option at *index* (None for a heading)."""
        option = self.get_option_at_index(index)
        return self._filters.get(option.id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = self._filters.get(event.option.id or "")
        if chosen:
            self.post_message(self.Chosen(chosen))
