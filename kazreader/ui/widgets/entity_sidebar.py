"""The entities named in one article, grouped by type, with mention counts and roles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kazreader.ui.widgets.article_view import safe_text

if TYPE_CHECKING:
    from kazreader.analysis.entities import Entity

__all__ = ["ENTITY_STYLES", "EntitySidebar", "TYPE_LABELS"]

TYPE_ORDER = ("PERSON", "ORG", "PLACE", "OTHER")
TYPE_LABELS = {"PERSON": "people", "ORG": "organisations", "PLACE": "places", "OTHER": "other"}
#: Foreground colours of entity mentions in the text, by type.
ENTITY_STYLES = {
    "PERSON": "#7fc8ff",
    "ORG": "#ffb86c",
    "PLACE": "#a6e22e",
    "OTHER": "#c9a0ff",
}


def _compact(n: int) -> str:
    """A count in at most four characters: 999, 1.2k, 12k (a large corpus names an entity in thousands of articles)."""
    if n < 1000:
        return str(n)
    if n < 10_000:
        return f"{n // 100 / 10:.1f}k"  # (rounded down: 9999 is 9.9k, never 10.0k)
    return f"{n // 1000}k"


class EntitySidebar(OptionList):
    """Select an entity (enter/click) to highlight its mentions; again to clear."""

    class EntitySelected(Message):
        def __init__(self, sidebar: EntitySidebar, entity: Entity | None) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.entity = entity

        @property
        def control(self) -> EntitySidebar:
            return self.sidebar

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.entities: list[Entity] = []
        self.article_id = ""
        self.selected: Entity | None = None
        self._shown: Sequence[Entity] = ()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        """Repaint the rows in the new theme's entity colours."""
        self.set_entities(self.article_id, self._shown)

    def _style(self, kind: str) -> str:
        """The foreground of an entity type in the current theme (readable on light themes too)."""
        from kazreader.ui.palette import highlights  # (palette reads this module's dark colours)

        styles = highlights(self.app.current_theme).entities
        return styles.get(kind, styles["OTHER"])

    def set_entities(self, article_id: str, entities: Sequence[Entity]) -> None:
        """Show the entities that *article_id* mentions, grouped by type, most mentioned first."""
        self.article_id = article_id
        self._shown = entities
        here = {id(e): n for e in entities if (n := e.count_in(article_id))}
        mine = [e for e in entities if id(e) in here]
        self.entities = []
        self.clear_options()
        options: list[Option] = []
        for kind in TYPE_ORDER:
            group = sorted(
                (e for e in mine if (e.type if e.type in TYPE_ORDER else "OTHER") == kind),
                key=lambda e: (-here[id(e)], e.name.casefold()),
            )
            if not group:
                continue
            options.append(Option(Text(f"{TYPE_LABELS[kind]} ({len(group)})", style="bold dim"), disabled=True))
            for e in group:
                idx = len(self.entities)
                self.entities.append(e)
                options.append(Option(self._prompt(e), id=f"entity-{idx}"))
        if not options:
            options.append(Option(Text("no entities found", style="dim italic"), disabled=True))
        self.add_options(options)

    def role(self, e: Entity) -> str | None:
        """The title written before the name in this article ("Secretary of State"), else its usual one."""
        here = next((m.role for m in e.mentions_in(self.article_id) if getattr(m, "role", None)), None)
        return here or getattr(e, "role", None)

    def _prompt(self, e: Entity) -> Table:
        """One line: the name and its role (cut with "…" when too long), the counts right-aligned."""
        here = e.count_in(self.article_id) if self.article_id else 0
        others = len(e.counts()) - (1 if here else 0)
        style = self._style(e.type)
        name = Text("● " if e is self.selected else "  ", style=style, no_wrap=True, overflow="ellipsis")
        name.append(safe_text(e.name), style=style)
        role = self.role(e)
        if role:
            name.append(f" — {safe_text(role)}", style="dim")
        grid = Table.grid(expand=True, padding=(0, 0, 0, 1))
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(justify="right", no_wrap=True, width=5)
        grid.add_row(name, Text(f"×{here}", style="bold"), Text(f"+{_compact(others)}" if others else "", style="dim"))
        return grid

    def detail(self, e: Entity) -> Text:
        """The full name, type and where else it is named (for the tooltip and the info line)."""
        counts = e.counts()
        here = counts.get(self.article_id, 0)
        others = sum(1 for a in counts if a != self.article_id)
        out = Text(safe_text(e.name), style=self._style(e.type) + " bold")
        role = self.role(e)
        if role:
            out.append(f" — {safe_text(role)}")
        out.append(f" · {TYPE_LABELS.get(e.type, 'other').rstrip('s')}", style="dim")
        out.append(f" · {here} mention{'s' if here != 1 else ''} here")
        out.append(f" · in {others} other article{'s' if others != 1 else ''}" if others else " · only here", style="dim")
        variants = [v for v in e.variants if v != e.name]
        if variants:
            out.append(" · also “" + "”, “".join(safe_text(v) for v in variants[:3]) + "”", style="dim")
        return out

    def highlighted_detail(self) -> Text | None:
        entity = self.highlighted_entity()
        return self.detail(entity) if entity is not None else None

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        detail = self.highlighted_detail()
        self.tooltip = detail

    def entity_for(self, option: Option) -> Entity | None:
        if option.id and option.id.startswith("entity-"):
            return self.entities[int(option.id.removeprefix("entity-"))]
        return None

    def highlighted_entity(self) -> Entity | None:
        if self.highlighted is None:
            return None
        return self.entity_for(self.get_option_at_index(self.highlighted))

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entity = self.entity_for(event.option)
        if entity is None:
            return
        self.select_entity(None if entity is self.selected else entity)

    def select_entity(self, entity: Entity | None) -> None:
        previous = self.selected
        self.selected = entity
        for e in (previous, entity):
            if e is not None:
                idx = self.entities.index(e)
                self.replace_option_prompt(f"entity-{idx}", self._prompt(e))
        self.post_message(self.EntitySelected(self, entity))

    def on_focus(self) -> None:
        # Land on the first item, so enter works at once and the info line explains it.
        if self.highlighted is None:
            first = next((i for i in range(self.option_count) if not self.get_option_at_index(i).disabled), None)
            if first is not None:
                self.highlighted = first
