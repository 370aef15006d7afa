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
#: The matches a facet has no value for, each facet's label for them and the query filter that
#: keeps them (None: the query language has none; listed, not selectable).
UNKNOWN: dict[str, tuple[str, str | None]] = {
    "outlet": ("(outlet unknown)", "NOT outlet:*"),
    "date": ("(undated)", None),
}


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

    def show(self, facets: dict[str, dict[str, int]], total: int | None = None) -> None:
        """List *facets* (as :attr:`kazreader.index.SearchResult.facets`) of *total* matches.

        The matches without an outlet (or a date) are counted last, under :data:`UNKNOWN`'s label.
        """
        self.clear_options()
        self._filters = {}
        options: list[Option] = []
        for facet, heading in FACET_HEADINGS:
            counts = facets.get(facet) or {}
            unknown = max(0, total - sum(counts.values())) if total is not None else 0
            if not counts and not unknown:
                continue
            options.append(Option(Text(heading, style="bold"), disabled=True))
            values = list(counts.items())
            if len(values) > MAX_VALUES:
                values = sorted(sorted(values, key=lambda kv: -kv[1])[:MAX_VALUES])
            for value, n in values:
                options.append(self._option(n, Text(safe_text(value)), facet_filter(facet, value)))
            if unknown:
                label, query = UNKNOWN[facet]
                options.append(self._option(unknown, Text(label, style="italic"), query))
        self.add_options(options)

    def _option(self, n: int, label: Text, query: str | None) -> Option:
        """One value's row: its count and label; chosen, it adds *query* (None: not selectable)."""
        if query is None:
            return Option(Text.assemble(f"{n:>4}  ", label, style="dim"), disabled=True)
        key = f"facet-{len(self._filters)}"
        self._filters[key] = query
        return Option(Text.assemble(f"{n:>4}  ", label), id=key)

    def filter_at(self, index: int) -> str | None:
        """The query filter of the option at *index* (None for a heading)."""
        option = self.get_option_at_index(index)
        return self._filters.get(option.id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = self._filters.get(event.option.id or "")
        if chosen:
            self.post_message(self.Chosen(chosen))
