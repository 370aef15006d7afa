"""The entities named in one article, grouped by type, with mention counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
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

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.entities: list[Entity] = []
        self.article_id = ""
        self.selected: Entity | None = None

    def set_entities(self, article_id: str, entities: Sequence[Entity]) -> None:
        """Show the entities that *article_id* mentions, grouped by type, most mentioned first."""
        self.article_id = article_id
        mine = [e for e in entities if e.counts().get(article_id)]
        self.entities = []
        self.clear_options()
        options: list[Option] = []
        for kind in TYPE_ORDER:
            group = sorted(
                (e for e in mine if (e.type if e.type in TYPE_ORDER else "OTHER") == kind),
                key=lambda e: (-e.counts()[article_id], e.name.casefold()),
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

    def _prompt(self, e: Entity) -> Text:
        counts = e.counts()
        here = counts.get(self.article_id, 0)
        others = sum(1 for a in counts if a != self.article_id)
        mark = "● " if e is self.selected else "  "
        text = Text(mark, style=ENTITY_STYLES.get(e.type, ENTITY_STYLES["OTHER"]))
        text.append(safe_text(e.name), style=ENTITY_STYLES.get(e.type, ENTITY_STYLES["OTHER"]))
        text.append(f" ×{here}", style="bold")
        if others:
            text.append(f" +{others} art.", style="dim")
        return text

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
