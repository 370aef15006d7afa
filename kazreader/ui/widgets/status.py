"""The app's internal messages about loading and analysing, and the status line that shows them."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from kazreader.analysis.registry import REGISTRY, Stage

if TYPE_CHECKING:
    from kazreader.workspace import Workspace

__all__ = [
    "CoreNotice", "StageDone", "StageProgress", "StageState", "StatusLine", "WorkspaceFailed", "WorkspaceReady",
    "stages",
]


class StageState(StrEnum):
    """Where a warm-up step is."""

    WAITING = ""
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


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
        self.states: dict[str, StageState] = {}
        self.progress: dict[str, tuple[int, int]] = {}

    def on_mount(self) -> None:
        self.refresh_line()

    def set_summary(self, summary: Text) -> None:
        self.loading_corpus = False
        self.summary = summary
        self.refresh_line()

    def stage(self, stage: str, state: StageState) -> None:
        self.states[stage] = state
        self.refresh_line()

    def progress_of(self, stage: str, done: int, total: int) -> None:
        # The workspace reports an analysis under its label ("passages" for clusters).
        key = REGISTRY.by_label(stage)
        self.progress[key] = (done, total)
        if self.states.get(key) not in (StageState.DONE, StageState.FAILED):
            self.states[key] = StageState.RUNNING
        self.refresh_line()

    @property
    def busy(self) -> bool:
        return self.loading_corpus or any(s in (StageState.WAITING, StageState.RUNNING) for s in self.states.values())

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
                if state == StageState.DONE:
                    line.append(f"{label} ✓ ", style="green")
                elif state == StageState.FAILED:
                    line.append(f"{label} ✗ ", style="red")
                elif state == StageState.RUNNING:
                    done, total = self.progress.get(key, (0, 0))
                    extra = f" {done}/{total}" if total > 1 else "…"
                    line.append(f"{label}{extra} ", style="bold yellow")
                else:
                    line.append(f"{label} ", style="dim")
        elif StageState.FAILED in self.states.values():
            failed = [label for key, label in stages() if self.states.get(key) == StageState.FAILED]
            line.append(f"   unavailable: {', '.join(failed)} (L for details)", style="red")
        self.update(line)
