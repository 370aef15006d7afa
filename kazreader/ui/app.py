"""The Textual face of kazreader: the app shell.

The app paints the library at once, loads the corpus in a worker, fills the
table when it is ready, then warms the core's cached analyses (passages,
entities, quotes, figures, the index) in the background while showing progress.
Screens ask for navigation with :class:`~kazreader.ui.messages.OpenArticle` and
:class:`~kazreader.ui.messages.OpenCompare`; the app handles both.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import App
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen

from kazreader.analysis.registry import REGISTRY, Stage
from kazreader.paths import styles_dir
from kazreader.text import escape_controls
from kazreader.ui.commands import ArticleCommands, BindingCommands
from kazreader.ui.messages import OpenArticle, OpenCompare
from kazreader.ui.screens.library import LibraryScreen
from kazreader.ui.widgets.log_panel import LogPanel
from kazreader.ui.widgets.status import (
    CoreNotice,
    StageDone,
    StageProgress,
    StageState,
    StatusLine,
    WorkspaceFailed,
    WorkspaceReady,
    stages,
)

if TYPE_CHECKING:
    from kazreader.ingest_process import IngestProcess
    from kazreader.workspace import Workspace

__all__ = ["KazreaderApp", "run"]

WorkspaceFactory = Callable[..., "Workspace"]

#: A first opening of at least this many articles computes its analyses in a
#: child process (:mod:`kazreader.ingest_process`), so the UI never waits for
#: them; smaller corpora are quicker done in a thread than a process starts.
CHILD_INGEST_MIN = 1000

#: At most one progress message per stage this often (seconds). The core may
#: report every article; at 20,000 articles unthrottled messages queue up in
#: front of the keystrokes and the UI lags by seconds.
PROGRESS_INTERVAL = 0.1


def throttled_progress(post: Callable[[StageProgress], object]) -> Callable[[str, int, int], None]:
    """A ``Workspace.progress`` callback posting at most every :data:`PROGRESS_INTERVAL` per stage.

    The first and the last report of a stage (``done == 0`` or ``done >= total``)
    always go through, so the status line never stops short of "done".
    """
    last: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done <= 0 or done >= total or now - last.get(stage, 0.0) >= PROGRESS_INTERVAL:
            last[stage] = now
            post(StageProgress(stage, done, total))

    return progress


def _css_paths() -> list[str | PurePath]:
    """``styles/app.tcss`` first, then every other stylesheet (screens' own)."""
    root = styles_dir()
    first = root / "app.tcss"
    rest: list[str | PurePath] = sorted(p for p in root.glob("*.tcss") if p.name != "app.tcss")
    return [first, *rest] if first.exists() else rest


# (action, module, class, label) of the analysis screens built by TUI-B.
EXTRA_SCREENS: dict[str, tuple[str, str, str]] = {
    "quotes": ("kazreader.ui.screens.quotes", "QuotesScreen", "Quotes"),
    "figures": ("kazreader.ui.screens.figures", "FiguresScreen", "Figures"),
    "coverage": ("kazreader.ui.screens.coverage", "CoverageScreen", "Coverage"),
    "reprints": ("kazreader.ui.screens.reprints", "ReprintsScreen", "Reprints"),
}


class KazreaderApp(App[int]):
    """kazreader's reader."""

    TITLE = "kazreader"
    CSS_PATH = _css_paths()
    COMMANDS = App.COMMANDS | {BindingCommands, ArticleCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-normal"), (140, "-wide")]

    # Every screen also declares "?" itself (early, so it survives a narrow footer);
    # the app's copy makes it work everywhere and is not repeated in the footer.
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="app.help", key_display="?", show=False),
        Binding("Q", "quotes", "Quotes", id="app.quotes"),
        Binding("F", "figures", "Figures", id="app.figures"),
        Binding("C", "coverage", "Coverage", id="app.coverage"),
        Binding("R", "reprints", "Reprints", id="app.reprints",
                tooltip="Reprinted passages with their origin, and the story's timeline"),
        Binding("H", "home", "Library", id="app.home", tooltip="Back to the library (closes every screen)"),
    ]

    def __init__(
        self,
        paths: Sequence[str | Path] | WorkspaceFactory | None = None,
        *,
        workspace_factory: WorkspaceFactory | None = None,
        workspace: Workspace | None = None,
        warm: bool = True,
    ) -> None:
        super().__init__()
        if callable(paths):
            workspace_factory, paths = paths, None
        self.paths = [str(p) for p in paths] if paths else None
        self._factory = workspace_factory
        self.workspace: Workspace | None = workspace
        self.warm = warm
        self.library = LibraryScreen()
        self.stages: dict[str, StageState] = {}
        self._ingest: IngestProcess | None = None
        self._ingest_lock = threading.Lock()
        self._quitting = False
        #: The corpus was opened through the background ingest (see _open_in_child).
        self._opened_in_child = False
        #: The workspace this app loaded from ``paths`` itself (a child process can load it too).
        self._from_paths: Workspace | None = None

    # -- start-up ----------------------------------------------------------

    @property
    def corpus_name(self) -> str:
        ws = self.workspace
        paths = ws.paths if ws is not None else [Path(p) for p in self.paths or []]
        if not paths:
            return "bundled corpus"
        if len(paths) == 1:
            return Path(paths[0]).name or str(paths[0])
        return f"{Path(paths[0]).name} +{len(paths) - 1}"

    def on_mount(self) -> None:
        listed = False
        if self.workspace is None and self._factory is None:
            # Rows to paint while the corpus loads (see kazreader.corpus.listing); the cache folder is
            # found without importing the workspace (and the loader): nothing but the paint runs first.
            from kazreader.corpus.listing import read_listing
            from kazreader.paths import corpus_cache_dir, seeds_dir

            listing = read_listing(corpus_cache_dir(tuple(self.paths or [str(seeds_dir())])))
            if listing is not None:
                self.library.listing = listing[1]
                listed = True
        self.push_screen(self.library)
        if self.workspace is not None:
            self.call_after_refresh(self.post_message, WorkspaceReady(self.workspace))
        elif listed:
            self.call_after_refresh(self._load)  # (the rows are painted before the load takes the GIL)
        else:
            self._load()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        callbacks: dict[str, Any] = {
            "progress": throttled_progress(self.post_message),
            "on_message": self._notice,
        }
        try:
            if self._factory is not None:
                ws = self._factory(**callbacks)
            else:
                from kazreader.workspace import Workspace

                if self._first_large_opening() and self._open_in_child(callbacks):
                    return
                ws = self._from_paths = Workspace(self.paths, **callbacks)
        except Exception as exc:  # noqa: BLE001 - shown to the user, not a crash
            self.post_message(WorkspaceFailed(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(WorkspaceReady(ws))

    def _first_large_opening(self) -> bool:
        """True for a corpus with nothing cached that is large enough to load in parallel.

        Such a load forks worker processes, which this threaded process cannot
        do safely: the background ingest process loads it instead (and then
        computes everything else), and the reader reads the snapshot it writes.
        """
        from kazreader.corpus.loader import parallel_load_pays
        from kazreader.corpus.snapshot import SNAPSHOT_NAME
        from kazreader.workspace import Workspace

        if not self.warm or not self.paths:
            return False
        if (Workspace.cache_dir_for(self.paths) / SNAPSHOT_NAME).exists():
            return False
        return parallel_load_pays(self.paths)

    def _open_in_child(self, callbacks: dict[str, Any]) -> bool:
        """Open the corpus through the background ingest process (in the load worker).

        The child loads the articles in parallel, writes the corpus snapshot
        and says so; the workspace here is then read from that snapshot and
        shown while the child goes on with the analyses, which appear as they
        are stored (:meth:`_ingest_in_child`). False (nothing shown) if the
        child failed before the articles were loaded: the caller loads them
        here instead.
        """
        from kazreader.workspace import Workspace

        def open_workspace() -> Workspace | None:
            if self._quitting:
                return None
            ws = self._from_paths = Workspace(self.paths, **callbacks)
            self._opened_in_child = True
            self.post_message(WorkspaceReady(ws))
            return ws

        shown: set[str] = set()
        ws = self._ingest_in_child(None, shown, open_workspace)
        if ws is None:
            return False
        if not self._quitting:
            self._compute_stages(ws, shown)
        return True

    def on_workspace_ready(self, message: WorkspaceReady) -> None:
        if self._status() is None:
            return
        ws = self.workspace = message.workspace
        if ws.progress is None:
            ws.progress = throttled_progress(self.post_message)
        if ws.on_message is None:
            ws.on_message = self._notice
        self.sub_title = f"{self.corpus_name} · {len(ws.articles)} articles"
        self.library.workspace_ready(ws)
        log = self.library.query_one("#log", LogPanel)
        for w in ws.warnings:
            log.add("warning", str(w))
        for text in ws.messages:
            log.add("info", text)
        summary = Text.assemble(
            (self.corpus_name, "bold"), f" · {len(ws.articles)} articles",
        )
        if ws.warnings:
            summary.append(f" · {len(ws.warnings)} skipped (L)", style="yellow")
            self.notify(
                f"{len(ws.warnings)} file{'s' if len(ws.warnings) != 1 else ''} could not be loaded "
                "— press L in the library for details.",
                title="Load warnings", severity="warning", timeout=6, markup=False,
            )
        if not ws.articles:
            self.notify("No articles found in this corpus.", severity="warning", markup=False)
        self.library.query_one("#status", StatusLine).set_summary(summary)
        if self.warm and ws.articles and not self._opened_in_child:
            self.call_after_refresh(self._warm_up, ws)  # (after the first paint: it reads every cached analysis)

    def on_workspace_failed(self, message: WorkspaceFailed) -> None:
        if self._status() is None:
            return
        self.library.query_one("#status", StatusLine).set_summary(Text("could not load the corpus", style="red"))
        self.library.query_one("#log", LogPanel).add("error", message.error)
        self.library.query_one("#log", LogPanel).add_class("-shown")
        self.library.query_one("#articles").loading = False
        self.notify(message.error, title="Could not load the corpus", severity="error", timeout=10, markup=False)

    @work(thread=True, exclusive=True, group="warm")
    def _warm_up(self, ws: Workspace) -> None:
        """Compute (or read from the cache) every analysis, in the background.

        A large corpus opened for the first time is ingested by a child
        process first (see :data:`CHILD_INGEST_MIN`); the loop below then only
        reads the cache. Should the child fail, the loop computes here.
        """
        shown: set[str] = set()
        if (
            ws is self._from_paths
            and len(ws.articles) >= CHILD_INGEST_MIN
            and ws.cache.enabled
            and ws.pending()
        ):
            self._ingest_in_child(ws, shown)
        self._compute_stages(ws, shown)

    def _compute_stages(self, ws: Workspace, shown: set[str]) -> None:
        """Read (or compute) every analysis not in *shown*, then store the library listing."""
        for stage, _label in stages():
            if self._quitting:
                return
            if stage in shown:
                continue
            self.post_message(StageProgress(stage, 0, 0))
            error = self._load_stage(ws, stage)
            if error is not None:  # one failing analysis must not stop the others
                self.post_message(StageDone(stage, None, error))
        if not self._quitting:
            try:
                ws.write_listing()  # the next start paints the library at once (see Workspace.witness)
                ws.prune_cache()  # entries the corpus can no longer reach
            except Exception as exc:  # noqa: BLE001 - only the next start is slower
                self.post_message(CoreNotice(f"could not store the library listing: {exc}"))

    def _load_stage(self, ws: Workspace, stage: str) -> str | None:
        """Read (or compute) one analysis and show it; the error if it failed."""
        try:
            result = ws.index() if stage == Stage.INDEX else ws.result(stage)
        except Exception as exc:  # noqa: BLE001 - reported by the caller, never a crash
            return f"{type(exc).__name__}: {exc}"
        self.post_message(StageDone(stage, result))
        return None

    def _ingest_in_child(
        self,
        ws: Workspace | None,
        shown: set[str],
        open_workspace: Callable[[], Workspace | None] | None = None,
    ) -> Workspace | None:
        """Run the first ingest in a child process, relaying its progress.

        Each analysis is read from the cache and shown as soon as the child
        has stored it (its name then goes into *shown*); the index comes last.
        Without a workspace, ``open_workspace()`` makes one once the child has
        loaded the articles (it announces ``corpus`` before any analysis).
        Returns the workspace (``None`` if none was opened).
        """
        current = [ws]

        def stored(stage: str) -> None:
            if stage == "corpus" and current[0] is None and open_workspace is not None:
                current[0] = open_workspace()
                if current[0] is not None:
                    self.call_from_thread(self.library.set_index_elsewhere, True)
                return
            if stage not in REGISTRY or self._quitting:
                return  # (the index is opened once the child has let go of it)
            if current[0] is None:
                return
            error = self._load_stage(current[0], stage)
            if error is not None:  # shown; the loop after the child tries again
                self.post_message(CoreNotice(f"{stage}: {error}"))
            else:
                shown.add(stage)

        from kazreader.ingest_process import IngestFailed, IngestProcess
        from kazreader.workspace import Workspace

        with self._ingest_lock:
            if self._quitting:
                return ws
            if ws is not None:
                child = self._ingest = IngestProcess(ws.paths, ws.cache_dir)
            else:
                child = self._ingest = IngestProcess(self.paths or [], Workspace.cache_dir_for(self.paths))
        if ws is not None:
            self.call_from_thread(self.library.set_index_elsewhere, True)
        try:
            child.run(
                on_progress=throttled_progress(self.post_message),
                on_message=self._notice,
                on_stored=stored,
            )
        except IngestFailed as exc:
            if not self._quitting:
                self.post_message(CoreNotice(f"background ingest failed ({exc}); computing here instead"))
        except OSError as exc:
            self.post_message(CoreNotice(f"could not start the background ingest ({exc}); computing here instead"))
        finally:
            if not self._quitting and current[0] is not None:
                self.call_from_thread(self.library.set_index_elsewhere, False)
        return current[0]

    def _stop_ingest(self) -> None:
        """Kill the background ingest, if any (the app is closing)."""
        with self._ingest_lock:
            self._quitting = True
            child = self._ingest
        if child is not None:
            child.stop()

    async def action_quit(self) -> None:
        self._stop_ingest()
        await super().action_quit()

    def on_unmount(self) -> None:
        self._stop_ingest()

    def _notice(self, text: str) -> None:
        """``Workspace.on_message`` (from any thread): the notice goes to the log and a toast."""
        self.post_message(CoreNotice(text))

    def _status(self) -> StatusLine | None:
        try:
            return self.library.query_one("#status", StatusLine)
        except NoMatches:  # shutting down
            return None

    def _log_panel(self) -> LogPanel | None:
        try:
            return self.library.query_one("#log", LogPanel)
        except NoMatches:
            return None

    def on_stage_progress(self, message: StageProgress) -> None:
        stage = REGISTRY.by_label(message.stage)
        if self.stages.get(stage) not in (StageState.DONE, StageState.FAILED):
            self.stages[stage] = StageState.RUNNING
        status = self._status()
        if status is not None:
            status.progress_of(message.stage, message.done, message.total)

    def on_stage_done(self, message: StageDone) -> None:
        status, log = self._status(), self._log_panel()
        if status is None or log is None:
            return
        if message.error:
            self.stages[message.stage] = StageState.FAILED
            status.stage(message.stage, StageState.FAILED)
            log.add("error", f"{message.stage}: {message.error}")
            return
        self.stages[message.stage] = StageState.DONE
        status.stage(message.stage, StageState.DONE)
        if message.stage == Stage.CLUSTERS:
            self.library.set_shared(message.result)
        elif message.stage == Stage.STORIES:
            self.library.set_stories(message.result)
        elif message.stage == Stage.INDEX:
            self.library.index_ready()

    def on_core_notice(self, message: CoreNotice) -> None:
        log = self._log_panel()
        if log is None:
            return
        log.add("info", message.text)
        self.notify(escape_controls(message.text), severity="information", markup=False)

    # -- navigation --------------------------------------------------------

    def on_open_article(self, message: OpenArticle) -> None:
        message.stop()
        if self.workspace is None:
            return
        from kazreader.ui.screens.reader import ReaderScreen

        if message.article_id not in self.workspace.by_id:
            self.notify(f"no article {message.article_id!r}", severity="error", markup=False)
            return
        self.push_screen(ReaderScreen(self.workspace, message.article_id, message.span, message.highlights))

    def on_open_compare(self, message: OpenCompare) -> None:
        message.stop()
        if self.workspace is None:
            return
        from kazreader.ui.screens.compare import CompareScreen

        by_id = self.workspace.by_id
        if message.a_id not in by_id or (message.b_id and message.b_id not in by_id):
            self.notify("cannot compare: unknown article", severity="error", markup=False)
            return
        if len(by_id) < 2:
            self.notify("comparing needs at least two articles", severity="warning", markup=False)
            return
        self.push_screen(CompareScreen(self.workspace, message.a_id, message.b_id or None))

    def filter_library(self, name: str, article_ids: Iterable[str]) -> None:
        """Go back to the library, showing only *article_ids* (the articles naming *name*)."""
        while len(self.screen_stack) > 1 and self.screen is not self.library:
            self.pop_screen()
        self.library.apply_entity_filter(name, article_ids)

    def focus_library_search(self) -> None:
        while len(self.screen_stack) > 1 and self.screen is not self.library:
            self.pop_screen()
        self.library.action_focus_search()

    def _on_stack(self, cls: type[Screen[Any]]) -> Screen[Any] | None:
        """The topmost screen of class *cls* on the stack, if any."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, cls):
                return screen
        return None

    def _pop_to(self, screen: Screen[Any]) -> None:
        while len(self.screen_stack) > 1 and self.screen is not screen:
            self.pop_screen()

    def _extra_screen(self, key: str, *args: Any) -> None:
        """Show an analysis screen: go back to it when it is already open, else open it."""
        module_name, class_name, label = EXTRA_SCREENS[key]
        if self.workspace is None:
            self.notify("The corpus is still loading…", markup=False)
            return
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except Exception:  # noqa: BLE001 - the screen may not exist yet in this build
            self.notify(f"{label} view is not available yet.", severity="warning", markup=False)
            return
        existing = self._on_stack(cls)
        if existing is not None:
            # Never stack a second copy: going back to it keeps `q` a short way home.
            self._pop_to(existing)
            refocus = getattr(existing, "refocus", None)
            if callable(refocus) and any(a is not None for a in args):
                refocus(*args)
            return
        try:
            self.push_screen(cls(self.workspace, *args))
        except Exception as exc:  # noqa: BLE001
            self.notify(f"{label} view failed to open: {exc}", severity="error", markup=False)

    def action_home(self) -> None:
        """Back to the library, closing every screen above it."""
        self._pop_to(self.library)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "home":
            return self.screen is not self.library and len(self.screen_stack) > 1
        return True

    def action_quotes(self) -> None:
        self._extra_screen("quotes")

    def action_figures(self) -> None:
        self._extra_screen("figures")

    def action_coverage(self) -> None:
        sides = getattr(self.screen, "coverage_sides", None)
        x, y = sides() if callable(sides) else (None, None)
        self._extra_screen("coverage", x, y)

    def action_reprints(self) -> None:
        self._extra_screen("reprints")

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Save an SVG screenshot of the screen, by default in the export folder (where ``e`` writes;
        Textual's default, the Downloads folder, is missing on many machines and the save failed)."""
        from kazreader.export.bundle import export_folder

        folder = Path(path) if path else export_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.notify(f"Could not save the screenshot in {folder}: {exc}", severity="error", markup=False)
            return None
        return super().deliver_screenshot(filename, str(folder), time_format)

    def action_help(self) -> None:
        from kazreader.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))


def run(paths: Sequence[str] | None = None) -> int:
    """Run the reader on *paths* (the bundled corpus when empty); the process exit code."""
    app = KazreaderApp(list(paths) if paths else None)
    app.run()
    return int(app.return_code or 0)
