"""A panel listing load warnings and notices from the core."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import RichLog

from kazreader.text import escape_controls

__all__ = ["LogPanel"]


class LogPanel(RichLog):
    """Warnings (bad files, failed analyses) and core notices, newest last."""

    DEFAULT_CSS = """
    LogPanel {
        height: 8;
        border-top: hkey $warning;
        background: $panel;
        display: none;
    }
    LogPanel.-shown {
        display: block;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(wrap=True, markup=False, highlight=False, **kwargs)
        self.border_title = "log"
        self.entries: list[tuple[str, str]] = []

    def add(self, kind: str, message: str) -> None:
        """Add one entry; *kind* is "warning", "error" or "info"."""
        self.entries.append((kind, message))
        style = {"warning": "yellow", "error": "bold red"}.get(kind, "dim")
        line = Text(f"{kind:<8}", style=style)
        line.append(escape_controls(message))
        self.write(line)
        self.border_title = f"log · {len(self.entries)}"
