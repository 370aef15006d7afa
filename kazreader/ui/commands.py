"""Command palette (Ctrl+P) providers: every key binding, and every article."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.markup import escape
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.dom import DOMNode

__all__ = ["ArticleCommands", "BindingCommands", "binding_commands"]


def binding_commands(screen: Any) -> list[tuple[str, str, DOMNode, Binding]]:
    """(title, help, node, binding) for every described, enabled binding active on *screen*.

    Bindings of a screen that offers its own bindings provider (``COMMANDS``)
    are left to it, so nothing shows twice.
    """
    rows: list[tuple[str, str, DOMNode, Binding]] = []
    seen: set[tuple[int, str]] = set()
    own_provider = bool(getattr(type(screen), "COMMANDS", None))
    app = screen.app
    # App actions a screen re-declares (e.g. "?" -> app.help) are offered once.
    redeclared = {
        b.action.removeprefix("app.")
        for bindings in getattr(getattr(screen, "_bindings", None), "key_to_bindings", {}).values()
        for b in bindings if b.action.startswith("app.")
    }
    for key, active in screen.active_bindings.items():
        binding, node = active.binding, active.node
        if not binding.description or not active.enabled:
            continue
        if node is app and binding.action in redeclared:
            continue
        if node is screen and own_provider:
            continue
        if binding.action.startswith(("command_palette",)):
            continue
        ident = (id(node), binding.action)
        if ident in seen:
            continue
        seen.add(ident)
        where = "app" if node is app else type(node).__name__.removesuffix("Screen")
        display = binding.key_display or app.get_key_display(binding)
        rows.append((binding.description, f"{where} · key: {display}", node, binding))
    return rows


class BindingCommands(Provider):
    """Every key binding with a description that is active where the palette was opened."""

    def _rows(self) -> list[tuple[str, str, Any]]:
        return [
            (title, help_text, partial(self.app.run_action, binding.action, node))
            for title, help_text, node, binding in binding_commands(self.screen)
        ]

    async def discover(self) -> Hits:
        for title, help_text, callback in self._rows():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._rows():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


def plain_highlight(matcher: Any, candidate: str) -> Content:
    """Like ``Matcher.highlight`` but *candidate* is plain text, never markup."""
    content = Content(candidate)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ArticleCommands(Provider):
    """"Open …" for every article of the corpus (matched on outlet, title and id)."""

    async def search(self, query: str) -> Hits:
        from kazreader.ui.messages import OpenArticle
        from kazreader.ui.widgets.article_view import safe_text

        workspace = getattr(self.app, "workspace", None)
        if workspace is None:
            return
        matcher = self.matcher(query)
        for art in workspace.articles:
            name = safe_text(f"Open {art.outlet or art.id} — {art.title or art.id}")
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    plain_highlight(matcher, name),
                    partial(self.app.post_message, OpenArticle(art.id)),
                    text=name,
                    help=escape(f"{art.date or 'undated'} · {art.id}"),
                )
