"""The footer every screen uses: compact below 100 columns, so more keys fit."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

__all__ = ["COMPACT_BELOW", "KeyFooter"]

#: Terminal widths below this get the compact footer.
COMPACT_BELOW = 100


class KeyFooter(Footer):
    """Textual's footer, compact on narrow terminals."""

    def on_mount(self) -> None:
        super().on_mount()
        self.compact = self.app.size.width < COMPACT_BELOW

    def on_resize(self, event: events.Resize) -> None:
        self.compact = self.app.size.width < COMPACT_BELOW
