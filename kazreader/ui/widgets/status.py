"""The app's internal messages about loading and analysing, and the status line that shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from kazreader.analysis.registry import REGISTRY, Stage

if TYPE_CHECKING:
    from kazreader.workspace import Workspace

__all__ = [
    "CoreNotice", "StageDone", "StageProgress", "StatusLine", "WorkspaceFailed", "WorkspaceReady", "stages",
]


def stages() -> list[tuple[str, str]]:
    """The steps the app warms up after loading, in order, with their labels: every
    corpus-wide analysis in the registry, then the index."""
    return [(a.name, a.stage_label) for a in REGISTRY.corpus()] + [(Stage.INDEX, Stage.INDEX)]


class WorkspaceReady(Message):
    """The corpus is loaded; analyses may still be running."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace


class WorkspaceFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class StageProgress(Message):
    """``Workspace.progress`` forwarded from a worker thread."""

    def __init__(self, stage: str, done: int, total: int) -> None:
        super().__init__()
        self.stage = stage
        self.done = done
        self.total = total


class StageDone(Message):
    """A warm-up analysis finished (``error`` is set when it failed)."""

    def __init__(self, stage: str, result: Any = None, error: str | None = None) -> None:
        super().__init__()
        self.stage = stage
        self.result = result
        self.error = error


class CoreNotice(Message):
    """A notice from the core (``Workspace.on_message``)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class StatusLine(Static):
    """One line: what is loading or analysing, then a summary once ready."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)
        self.loading_corpus = True
        self.summary: Text = Text("")
        self.states: dict[str, str] = {}  # stage -> "" | "running" | "done" | "failed"
        self.progress: dict[str, tuple[int, int]] = {}

    def on_mount(self) -> None:
        self.refresh_line()

    def set_summary(self, summary: Text) -> None:
        self.loading_corpus = False
        self.summary = summary
        self.refresh_line()

    def stage(self, stage: str, state: str) -> None:
        self.states[stage] = state
        self.refresh_line()

    def progress_of(self, stage: str, done: int, total: int) -> None:
        # The workspace reports an analysis under its label ("passages" for clusters).
        key = REGISTRY.by_label(stage)
        self.progress[key] = (done, total)
        if self.states.get(key) not in ("done", "failed"):
            self.states[key] = "running"
        self.refresh_line()

    @property
    def busy(self) -> bool:
        return self.loading_corpus or any(s in ("", "running") for s in self.states.values())

    def refresh_line(self) -> None:
        if self.loading_corpus:
            self.update(Text("Loading corpus…", style="italic"))
            return
        line = self.summary.copy()
        if self.states and self.busy:
            line.append("   analysing: ", style="bold")
            for key, label in stages():
                state = self.states.get(key)
                if state is None:
                    continue
                if state == "done":
                    line.append(f"{label} ✓ ", style="green")
                elif state == "failed":
                    line.append(f"{label} ✗ ", style="red")
                elif state == "running":
                    done, total = self.progress.get(key, (0, 0))
                    extra = f" {done}/{total}" if total > 1 else "…"
                    line.append(f"{label}{extra} ", style="bold yellow")
                else:
                    line.append(f"{label} ", style="dim")
        elif any(s == "failed" for s in self.states.values()):
            failed = [label for key, label in stages() if self.states.get(key) == "failed"]
            line.append(f"   unavailable: {', '.join(failed)} (L for details)", style="red")
        self.update(line)
