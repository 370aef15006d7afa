"""Marks in the TUI: m flags the current item, N notes it, * stars, M lists the marks, S saved searches."""

from __future__ import annotations

from kazreader.marks import Flag, MarkKind
from kazreader.ui.app import KazreaderApp
from kazreader.ui.marking import NoteModal
from kazreader.ui.screens.library import LibraryScreen
from kazreader.ui.screens.marked import MarkedScreen, SavedSearchesScreen
from kazreader.ui.screens.reader import ReaderScreen
from kazreader.ui.widgets.article_view import ArticleView
from harness import wait_until
from test_reader import open_reader, richest


async def test_m_cycles_the_flag_and_N_notes_the_current_item() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.workspace is not None)
        reader = await open_reader(pilot, app, richest(app.workspace))
        await pilot.press("n")
        span = reader.marks()[reader.mark_index]
        await pilot.press("m")
        [mark] = app.workspace.marks().all()
        assert (mark.article, mark.start, mark.end, mark.flag) == (reader.article.id, *span, Flag.TO_CHECK)
        assert mark.kind in (MarkKind.PASSAGE, MarkKind.QUOTE)
        assert mark.text == reader.article.text[span[0]:span[1]]
        assert span in reader.query_one("#article", ArticleView).layer_spans("marked")
        await pilot.press("m")
        assert app.workspace.marks().get(mark.id).flag is Flag.VERIFIED
        await pilot.press("N")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteModal))
        await pilot.press(*"port", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.workspace.marks().get(mark.id).note == "port"
        assert "port" in str(reader.query_one("#mark-info").render())


async def test_star_in_reader_and_library() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(pilot, app)
        aid = reader.article.id
        await pilot.press("asterisk")
        assert app.workspace.marks().starred() == {aid}
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        library = app.screen
        selected = library.selected_article()
        await pilot.press("asterisk")
        expected = {aid} ^ {selected}
        assert app.workspace.marks().starred() == expected


async def test_marked_screen_lists_marks_and_opens_the_article_at_the_mark() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.workspace is not None and isinstance(app.screen, LibraryScreen))
        ws = app.workspace
        art = ws.articles[1]
        ws.marks().add(MarkKind.QUOTE, art.id, 10, 30, text=art.text[10:30], flag=Flag.DISPUTED, note="ask them")
        ws.marks().add(MarkKind.FIGURE, art.id, 0, 5, text="gone, not in the text", flag=Flag.TO_CHECK)
        await pilot.press("M")
        await wait_until(pilot, lambda: isinstance(app.screen, MarkedScreen))
        marked = app.screen
        assert [m.status for m in marked.marks] == ["ok", "lost"]
        assert "ask them" in str(marked.query_one("#marks").get_option_at_index(0).prompt)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.screen.article.id == art.id and app.screen.initial_span == (10, 30)


async def test_saved_searches_screen_shows_new_counts_and_runs_the_query() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.workspace is not None and isinstance(app.screen, LibraryScreen))
        app.workspace.marks().save_search("protest", "protest*")
        await pilot.press("S")
        await wait_until(pilot, lambda: isinstance(app.screen, SavedSearchesScreen))
        line = str(app.screen.query_one("#searches").get_option_at_index(0).prompt)
        assert "protest" in line and "new" in line
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert app.screen.query_one("#search").value == "protest*"
        [(_s, _total, new)] = app.workspace.saved_searches()
        assert new == 0


async def test_e_on_the_marked_screen_exports_the_marks(tmp_path, monkeypatch) -> None:
    import csv

    folder = tmp_path / "exports"
    monkeypatch.setenv("KAZREADER_EXPORT_DIR", str(folder))
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.workspace is not None and isinstance(app.screen, LibraryScreen))
        art = app.workspace.articles[0]
        app.workspace.marks().add(MarkKind.QUOTE, art.id, 0, 12, text=art.text[:12], flag=Flag.VERIFIED, note="ok")
        await pilot.press("M")
        await wait_until(pilot, lambda: isinstance(app.screen, MarkedScreen))
        await pilot.press("e")
        await wait_until(pilot, lambda: folder.is_dir() and any(folder.glob("*.csv")))
        [row] = list(csv.DictReader(next(folder.glob("*.csv")).open(encoding="utf-8")))
        assert (row["article"], row["flag"], row["note"], row["status"]) == (art.id, "verified", "ok", "ok")
        assert any("verified" in p.read_text(encoding="utf-8") for p in folder.glob("*.md"))
