"""Findings out of the reader: ``y`` copies the selected item with its citation, ``o`` opens
the article's URL, ``e`` exports the view as Markdown (and CSV for tables).

A screen mixes in :class:`FindingsKeys`, adds :func:`findings_bindings` to its
``BINDINGS`` and answers up to three questions: :meth:`FindingsKeys.finding`
(the selected items, as :class:`~kazreader.citation.Cited`),
:meth:`FindingsKeys.finding_source` (the article whose URL ``o`` opens; by
default the first finding's) and :meth:`FindingsKeys.finding_export` (the view
as an :class:`~kazreader.export.bundle.ExportBundle`).
"""

from __future__ import annotations

import os
import sys
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from kazreader.text import escape_controls

if TYPE_CHECKING:
    from kazreader.citation import Cited, SourceLike
    from kazreader.export.bundle import ExportBundle

__all__ = ["FindingsKeys", "can_open_browser", "findings_bindings"]

#: How much of a copied citation the notification shows.
PREVIEW = 90


def findings_bindings(
    screen: str, copy: str = "y", open_: str = "o", export: str = "e", *, show_open: bool = True
) -> list[Binding]:
    """The three keys, with ids ``SCREEN.copy``, ``SCREEN.open_source``, ``SCREEN.export``.

    *show_open* False keeps the source key out of the footer (still in the help and the palette):
    where ``o`` already opens the reader and the key is ``O``, the footer would show both.
    """
    return [
        Binding(copy, "copy_finding", "Copy", id=f"{screen}.copy",
                tooltip="Copy the selected item with its citation (y)"),
        Binding(open_, "open_source", "Source", id=f"{screen}.open_source", show=show_open,
                tooltip="Open the article's URL in a browser (or show it)"),
        Binding(export, "export_view", "Export", id=f"{screen}.export",
                tooltip="Export this view as Markdown (and CSV) to the export folder"),
    ]


def can_open_browser() -> bool:
    """True where a graphical browser can open (a terminal browser would take over the screen)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _preview(text: str) -> str:
    line = escape_controls(" ".join(text.split()))
    return line if len(line) <= PREVIEW else line[: PREVIEW - 1] + "…"


class FindingsKeys:
    """Mixin for screens: the copy, open-source and export actions."""

    #: Where ``o`` sends a URL (tests replace it); returns False when no browser took it.
    open_url: Callable[[str], bool] = staticmethod(webbrowser.open)

    # -- what a screen answers -------------------------------------------------

    def finding(self) -> list[Cited]:
        """The selected items (empty when nothing is selected)."""
        return []

    def finding_source(self) -> SourceLike | None:
        found = self.finding()
        return found[0].source if found else None

    def finding_export(self) -> ExportBundle | None:
        return None

    # -- the actions -----------------------------------------------------------

    def _notify(self, message: str, **kwargs: Any) -> None:
        self.notify(message, markup=False, **kwargs)  # type: ignore[attr-defined]

    def action_copy_finding(self) -> None:
        from kazreader.export.bundle import append_citation, export_folder

        found = self.finding()
        if not found:
            self._notify("nothing selected to copy", timeout=2)
            return
        text = "\n\n".join(c.verbatim for c in found)
        self.app.copy_to_clipboard(text)  # type: ignore[attr-defined]
        try:
            saved: Path | str = append_citation(export_folder(), text.replace("\n\n", "\n- "))
        except OSError as exc:
            saved = f"(could not also save it: {exc})"
        self._notify(f"{_preview(text)}\nalso added to {saved} (terminals may drop the clipboard)",
                     title="Copied with its citation", timeout=6)

    def action_open_source(self) -> None:
        source = self.finding_source()
        if source is None:
            self._notify("nothing selected", timeout=2)
            return
        url = source.url
        if not url:
            self._notify(f"{source.outlet or source.id} has no URL in this corpus "
                         "(a corpus.toml can give one)", timeout=4)
            return
        if not can_open_browser():
            self._notify(escape_controls(url), title="The article's URL (no browser here)", timeout=12)
            return
        opener = type(self).open_url
        threading.Thread(target=self._open_in_browser, args=(opener, url), daemon=True).start()
        self._notify(escape_controls(url), title="Opening in the browser", timeout=6)

    def _open_in_browser(self, opener: Callable[[str], bool], url: str) -> None:
        try:
            opened = opener(url)
        except Exception:  # noqa: BLE001 - the URL is shown instead
            opened = False
        if not opened:
            self.app.call_from_thread(  # type: ignore[attr-defined]
                self._notify, escape_controls(url), title="No browser opened; the URL", timeout=12)

    def action_export_view(self) -> None:
        from kazreader.export.bundle import export_folder, write_bundle

        try:
            bundle = self.finding_export()
        except Exception as exc:  # noqa: BLE001 - shown, never a crash
            self._notify(f"could not export: {exc}", severity="error")
            return
        if bundle is None:
            self._notify("nothing to export here yet", timeout=2)
            return
        try:
            paths = write_bundle(bundle, export_folder())
        except OSError as exc:
            self._notify(f"could not write the export: {exc}", severity="error", timeout=8)
            return
        self._notify("\n".join(str(p) for p in paths), title=f"Exported {bundle.name}", timeout=8)
