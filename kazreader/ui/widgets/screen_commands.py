"""Command-palette provider that offers the active screen's own key bindings.

A screen lists ``COMMANDS = {ScreenBindingsProvider}`` and every binding it
declares with a description shows up in Ctrl+P (so each action is reachable by
keyboard, by palette and in the footer).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

__all__ = ["ScreenBindingsProvider", "screen_bindings"]


def screen_bindings(screen: object) -> list[Binding]:
    """The screen's bindings that have a description, one per action, in declaration order."""
    seen: set[str] = set()
    out: list[Binding] = []
    bindings_map = getattr(screen, "_bindings", None)
    if bindings_map is None:
        return out
    for bindings in bindings_map.key_to_bindings.values():
        for binding in bindings:
            if not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append(binding)
    return out


class ScreenBindingsProvider(Provider):
    """Every described binding of the screen the palette was opened from."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        screen = self.screen
        rows: list[tuple[str, str, Callable[[], Any]]] = []
        for binding in screen_bindings(screen):
            key = binding.key_display or self.app.get_key_display(binding)
            title = binding.tooltip or binding.description
            help_text = f"{screen.__class__.__name__.removesuffix('Screen')} · key: {key}"
            rows.append((title, help_text, partial(screen.run_action, binding.action)))
        return rows

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
