"""Marks from the keyboard: ``m`` cycles the flag on the current item, ``N`` notes it,
``*`` stars the article (see :mod:`kazreader.marks`).

A screen mixes in :class:`MarkKeys`, adds :func:`marking_bindings` to its ``BINDINGS``
and answers :meth:`MarkKeys.mark_target` (the item under the cursor) and
:meth:`MarkKeys.star_target` (the article ``*`` stars).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from kazreader.marks import Flag, Mark, MarkKind, next_flag

if TYPE_CHECKING:
    from kazreader.workspace import Workspace

__all__ = ["FLAG_LABELS", "MarkKeys", "MarkTarget", "NoteModal", "mark_label", "marking_bindings"]

FLAG_LABELS = {Flag.VERIFIED: "✓ verified", Flag.DISPUTED: "✗ disputed", Flag.TO_CHECK: "? to check"}


@dataclass(frozen=True)
class MarkTarget:
    """What ``m`` and ``N`` act on: a span of an article, and what it is."""

    kind: MarkKind
    article: str
    start: int
    end: int


def marking_bindings(screen: str, *, star: bool = True) -> list[Binding]:
    """``m``, ``N`` (and ``*``) with ids ``SCREEN.flag``, ``SCREEN.note``, ``SCREEN.star``."""
    keys = [
        Binding("m", "cycle_flag", "Flag", id=f"{screen}.flag", show=False,
                tooltip="Flag the current quote, figure, passage or mention: to check → verified → disputed → none"),
        Binding("N", "note", "Note", id=f"{screen}.note", show=False,
                tooltip="Add or edit a note on the current item"),
    ]
    if star:
        keys.append(Binding("asterisk", "star", "Star", id=f"{screen}.star", show=False, key_display="*",
                            tooltip="Star or unstar the article"))
    return keys


def mark_label(mark: Mark | None) -> Text:
    """A mark's flag and note, for a status line."""
    out = Text()
    if mark is None:
        return out
    if mark.flag is not None:
        out.append(FLAG_LABELS[mark.flag], style="bold")
    if mark.note:
        out.append(("  ✎ " if out else "✎ ") + mark.note, style="italic")
    return out


class NoteModal(ModalScreen[str | None]):
    """A one-line note: enter keeps it (empty clears it), escape cancels."""

    DEFAULT_CSS = """
    NoteModal { align: center middle; }
    #note-dialog { width: 70; height: auto; border: round $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    def __init__(self, title: str, note: str = "") -> None:
        super().__init__()
        self.heading = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Label(Text(self.heading), id="note-title")
            yield Input(value=self.note, placeholder="a note (enter to keep, escape to cancel)", id="note-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class MarkKeys:
    """Mixin for screens: the flag, note and star actions."""

    def _ws(self) -> Workspace | None:
        ws: Workspace | None = getattr(self, "workspace", None)
        return ws

    def mark_target(self) -> MarkTarget | None:
        """The item under the cursor (None: nothing to mark)."""
        return None

    def star_target(self) -> str | None:
        """The article ``*`` stars."""
        return None

    def marks_changed(self) -> None:
        """Called after a mark, note or star changed (repaint)."""

    def _marks_store(self) -> Any:
        marks = getattr(self._ws(), "marks", None)  # (None: a workspace without marks, e.g. a test's)
        return None if marks is None else marks()

    def current_mark(self) -> Mark | None:
        target, store = self.mark_target(), self._marks_store()
        if target is None or store is None:
            return None
        found: Mark | None = store.find(target.kind, target.article, target.start, target.end)
        return found

    def _no_target(self) -> None:
        self.notify("Nothing to mark here: step to a quote, figure, passage or mention first (n/p, or the sidebar).",  # type: ignore[attr-defined]
                    markup=False)

    def action_cycle_flag(self) -> None:
        target, store = self.mark_target(), self._marks_store()
        if target is None or store is None:
            self._no_target()
            return
        existing = self.current_mark()
        flag = next_flag(existing.flag if existing else None)
        if existing is not None and flag is None and not existing.note:
            store.remove(existing.id)
        elif existing is not None:
            store.update(existing.id, flag=flag, note=existing.note)
        else:
            text = self._ws().by_id[target.article].text[target.start:target.end]  # type: ignore[union-attr]
            store.add(target.kind, target.article, target.start, target.end, text=text, flag=flag)
        self.notify(f"{target.kind}: {FLAG_LABELS[flag] if flag else 'no flag'}", timeout=1.5, markup=False)  # type: ignore[attr-defined]
        self.marks_changed()

    def action_note(self) -> None:
        target = self.mark_target()
        if target is None or self._marks_store() is None:
            self._no_target()
            return
        existing = self.current_mark()

        def done(note: str | None) -> None:
            if note is None:
                return
            self._save_note(target, existing, note)

        self.app.push_screen(NoteModal(f"Note on this {target.kind}", existing.note if existing else ""), done)  # type: ignore[attr-defined]

    def _save_note(self, target: MarkTarget, existing: Mark | None, note: str) -> None:
        store = self._marks_store()
        if existing is not None and not note and existing.flag is None:
            store.remove(existing.id)
        elif existing is not None:
            store.update(existing.id, flag=existing.flag, note=note)
        elif note:
            text = self._ws().by_id[target.article].text[target.start:target.end]  # type: ignore[union-attr]
            store.add(target.kind, target.article, target.start, target.end, text=text, note=note)
        self.marks_changed()

    def action_star(self) -> None:
        aid, store = self.star_target(), self._marks_store()
        if aid is None or store is None:
            return
        on = store.star(aid)
        self.notify(f"{'★ starred' if on else 'unstarred'}: {aid}", timeout=1.5, markup=False)  # type: ignore[attr-defined]
        self.marks_changed()


def library_bindings() -> list[Binding]:
    """The library's keys: ``*`` stars the selected article, ``M`` the Marked screen, ``S`` saved searches."""
    return [
        *marking_bindings("library")[2:],
        Binding("M", "marked", "Marked", id="library.marked", show=False,
                tooltip="Every mark and note, with its status (ok, moved, lost)"),
        Binding("S", "saved_searches", "Saved searches", id="library.saved_searches", show=False,
                tooltip="The saved searches, with how many matches are new since each was last opened"),
    ]


class LibraryMarkKeys(MarkKeys):
    """The library's half: star the selected article, open the Marked and saved-searches screens."""

    def star_target(self) -> str | None:
        aid: str | None = self.selected_article()  # type: ignore[attr-defined]
        return aid

    def action_marked(self) -> None:
        from kazreader.ui.screens.marked import MarkedScreen

        ws = self._ws()
        if ws is not None and self._marks_store() is not None:
            self.app.push_screen(MarkedScreen(ws))  # type: ignore[attr-defined]

    def action_saved_searches(self) -> None:
        from kazreader.ui.screens.marked import SavedSearchesScreen

        ws = self._ws()
        if ws is not None and self._marks_store() is not None:
            self.app.push_screen(SavedSearchesScreen(ws), self.run_saved_search)  # type: ignore[attr-defined]

    def run_saved_search(self, query: str | None) -> None:
        if query:
            box = self.query_one("#search", Input)  # type: ignore[attr-defined]
            box.value = query
            box.focus()
