"""The footer every screen uses: compact below 100 columns, so more keys fit.

Keys that do not fit before the command palette's key are left out whole
(Textual's footer would show the first of them cut, "e Expo", under the
palette's key); every key is still in ``?`` help and in the palette.
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["COMPACT_BELOW", "KeyFooter"]

#: Terminal widths below this get the compact footer.
COMPACT_BELOW = 100


class KeyFooter(Footer):
    """Textual's footer, compact on narrow terminals, showing only the keys that fit."""

    def __init__(self) -> None:
        super().__init__()
        self._pending = False
        self._composed: tuple[object, ...] | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self.compact = self.app.size.width < COMPACT_BELOW

    def on_resize(self, event: events.Resize) -> None:
        self.compact = self.app.size.width < COMPACT_BELOW
        for key in self.query(FooterKey):
            key.display = True
        self.call_after_refresh(self.hide_clipped)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Recompose once for any number of binding updates in a row, and only when the keys changed.

        Textual's footer recomposes (about a dozen widgets, restyled) after every
        focus change or ``refresh_bindings()``: six times while the library opens.
        """
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen or self._pending:
            return
        self._pending = True
        self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        if not self.is_attached:  # (its screen was closed meanwhile)
            return
        keys = self._shown_keys()
        if keys != self._composed:
            self._composed = keys
            await self.recompose()

    def _shown_keys(self) -> tuple[object, ...]:
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING
        )

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self.hide_clipped)

    def hide_clipped(self) -> None:
        """Hide the keys from the first one that ends under the palette's key (or past the edge)."""
        if not self.is_attached:
            return
        keys = list(self.query(FooterKey))
        palette = [k for k in keys if k.has_class("-command-palette")]
        limit = palette[0].region.x if palette else self.region.right
        clipped = False
        for key in keys:
            if key in palette:
                continue
            clipped = clipped or key.region.right > limit
            if clipped:
                key.display = False
