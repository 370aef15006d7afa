"""The app shell: start-up, load warnings, help, palette, navigation keys, sizes."""

from __future__ import annotations

import json
from pathlib import Path

from textual.command import CommandPalette

from kazreader.ui.app import KazreaderApp
from kazreader.ui.commands import binding_commands
from kazreader.ui.screens.compare import CompareScreen
from kazreader.ui.screens.help import HelpScreen
from kazreader.ui.screens.library import LibraryScreen
from kazreader.ui.screens.reader import ReaderScreen
from kazreader.ui.widgets.log_panel import LogPanel
from harness import wait_ready, wait_until


async def test_starts_on_the_library_and_fills_the_table() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, LibraryScreen)
        await wait_until(pilot, lambda: app.workspace is not None)
        await pilot.pause()
        ws = app.workspace
        table = app.screen.query_one("#articles")
        assert table.row_count == len(ws.articles) > 0
        assert f"{len(ws.articles)} articles" in app.sub_title
        assert app.corpus_name in app.sub_title
        await wait_ready(pilot, app)
        assert set(app.stages.values()) == {"done"}


async def test_load_warnings_go_to_a_notification_and_the_log(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.jsonl").write_text(json.dumps({
        "title": "A title", "outlet": "Outlet", "date": "2022-01-05",
        "text": "Police said dozens of people were killed in Almaty on Thursday.",
    }) + "\n{not json\n", encoding="utf-8")
    (corpus / "broken.json").write_text("{", encoding="utf-8")
    app = KazreaderApp([str(corpus)], warm=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.workspace is not None)
        await pilot.pause()
        ws = app.workspace
        assert ws.warnings, "the fixture should produce load warnings"
        log = app.screen.query_one("#log", LogPanel)
        assert len([e for e in log.entries if e[0] == "warning"]) == len(ws.warnings)
        assert any("could not be loaded" in n.message for n in app._notifications)
        assert not log.has_class("-shown")
        await pilot.press("L")
        assert log.has_class("-shown")
        await pilot.press("L")
        assert not log.has_class("-shown")


async def test_a_corpus_that_fails_to_load_is_reported(tmp_path: Path) -> None:
    def factory(**_kw):
        raise OSError("disk on fire")

    app = KazreaderApp(workspace_factory=factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query_one("#log", LogPanel).entries))
        log = app.screen.query_one("#log", LogPanel)
        assert "disk on fire" in log.entries[0][1]
        assert log.has_class("-shown")


async def test_help_opens_from_every_screen_and_closes() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        assert isinstance(app.screen, ReaderScreen)


async def test_every_binding_is_in_the_palette() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        titles = {row[0] for row in binding_commands(app.screen)}
        for expected in ("Search", "Open", "Compare", "Sort", "Log", "Help", "Quotes", "Figures", "Coverage"):
            assert expected in titles
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press("escape")
        # The reader's own actions are offered there too.
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        titles = {row[0] for row in binding_commands(app.screen)}
        assert {"Back", "Next", "Prev", "Compare", "Filter library", "Help"} <= titles


async def test_palette_command_runs_the_action() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        rows = {row[0]: row for row in binding_commands(app.screen)}
        _title, _help, node, binding = rows["Compare"]
        await node.run_action(binding.action)
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.ready)


async def test_q_goes_back_and_quits_on_the_root() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.ready)
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("q")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_analysis_screens_are_one_key_away() -> None:
    from kazreader.ui.app import EXTRA_SCREENS

    app = KazreaderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        for key, name in (("Q", "quotes"), ("F", "figures"), ("C", "coverage")):
            module, cls_name, label = EXTRA_SCREENS[name]
            before = len(app._notifications)
            await pilot.press(key)
            await pilot.pause(0.2)
            if type(app.screen).__name__ == cls_name:
                await pilot.press("escape")
                await pilot.pause(0.1)
                assert isinstance(app.screen, LibraryScreen)
            else:  # not built yet: the user is told so, nothing crashes
                assert len(app._notifications) > before


async def test_tiny_sizes_and_resizes_do_not_crash() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(20, 6)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("enter")
        await pilot.pause(0.2)
        for size in ((80, 24), (20, 6), (160, 45), (12, 4)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.05)
        await pilot.press("c")
        await pilot.pause(0.3)
        for size in ((20, 6), (80, 24), (10, 3)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.05)
        await pilot.press("n", "question_mark")
        await pilot.pause(0.1)


async def test_f1_opens_and_closes_help_over_the_pickers() -> None:
    """A modal screen hides the app's keys (and "?" is typed into a picker's filter): F1 still helps."""
    from kazreader.ui.screens.compare import ArticlePicker, CompareScreen
    from kazreader.ui.screens.help import HelpScreen

    app = KazreaderApp()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.ready)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticlePicker))
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticlePicker))


async def test_a_screenshot_is_saved_in_the_export_folder(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "not-yet" / "exports"
    monkeypatch.setenv("KAZREADER_EXPORT_DIR", str(folder))
    app = KazreaderApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.workspace is not None)
        app.deliver_screenshot("shot.svg")
        # (the file is written by a thread: wait until it is whole, not until it exists)
        shot = folder / "shot.svg"
        await wait_until(pilot, lambda: shot.exists() and shot.read_text(encoding="utf-8").rstrip().endswith("</svg>"))
    assert shot.read_text(encoding="utf-8").lstrip().startswith("<svg")
