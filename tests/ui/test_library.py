"""Library: table, sorting, search (debounced, stale-safe, errors inline), filters."""

from __future__ import annotations


from rich.text import Text

from kazreader.ui.app import KazreaderApp
from kazreader.ui.screens.library import HIT_STYLE, LibraryScreen, shared_counts
from kazreader.ui.screens.reader import ReaderScreen
from harness import wait_ready, wait_until


def row_ids(screen: LibraryScreen) -> list[str]:
    table = screen.query_one("#articles")
    return [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(table.row_count)]


async def test_table_shows_each_article_with_shared_counts_from_the_core() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        screen = app.screen
        ws = app.workspace
        counts = shared_counts(ws.clusters())
        table = screen.query_one("#articles")
        for aid in row_ids(screen):
            art = ws.by_id[aid]
            assert table.get_cell(aid, "words").plain == str(art.words)
            assert table.get_cell(aid, "shared").plain == str(counts.get(aid, 0))
            if not art.title:
                assert "dim" in str(table.get_cell(aid, "title").style)


async def test_sorting_by_key_and_by_clicking_a_header() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        screen = app.screen
        ws = app.workspace
        assert screen.sort_key == "date"
        await pilot.press("s")  # -> title
        assert screen.sort_key == "title"
        await pilot.press("s")  # -> the story (when there are several stories), then words, largest first
        if screen.sort_key == "story":
            await pilot.press("s")
        assert screen.sort_key == "words"
        words = [ws.by_id[i].words for i in row_ids(screen)]
        assert words == sorted(words, reverse=True)
        await pilot.press("r")
        words = [ws.by_id[i].words for i in row_ids(screen)]
        assert words == sorted(words)
        await pilot.click("#articles", offset=(3, 0))  # the "outlet" header
        await pilot.pause()
        assert screen.sort_key == "outlet"


async def test_search_shows_highlighted_snippets_at_the_cores_spans() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        screen = app.screen
        ws = app.workspace
        word = ws.articles[0].text.split()[3].strip(".,“”\"'")
        await pilot.press("slash")
        await pilot.press(*word)
        await wait_until(pilot, lambda: screen.last_result is not None)
        expected = ws.search(word, limit=50)
        assert [h.id for h in screen.last_result.hits] == [h.id for h in expected.hits]
        results = screen.query_one("#results")
        assert results.option_count == len(expected.hits) > 0
        prompt: Text = results.get_option_at_index(0).prompt
        hit = expected.hits[0]
        highlighted = [prompt.plain[s.start:s.end] for s in prompt.spans if str(s.style) == HIT_STYLE]
        art = ws.by_id[hit.id]
        in_text = [art.text[s:e] for s, e in hit.spans]
        assert highlighted and all(h in in_text for h in highlighted)
        # enter focuses results, enter opens the reader with the hits highlighted.
        await pilot.press("enter")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        reader = app.screen
        assert reader.article.id == hit.id
        assert reader.hits == tuple(sorted(tuple(s) for s in hit.spans))
        assert reader.query_one("#article").layer_spans("hit") == reader.hits


async def test_malformed_query_shows_its_error_inline() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        screen = app.screen
        await pilot.press("slash")
        await pilot.press(*'"unclosed phrase')
        await wait_until(pilot, lambda: screen.search_error is not None)
        status = screen.query_one("#search-status")
        assert status.has_class("-error")
        assert "quote" in str(status.render()).lower()
        assert isinstance(app.screen, LibraryScreen)
        # fixing the query clears the error
        await pilot.press('"')
        await wait_until(pilot, lambda: screen.search_error is None and screen.last_result is not None)
        assert not status.has_class("-error")


async def test_stale_searches_never_overwrite_newer_ones() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        screen = app.screen
        search = screen.query_one("#search")
        search.focus()
        for q in ("k", "ka", "kaz", "police"):
            search.value = q
            await pilot.pause(0.01)
        await wait_until(pilot, lambda: screen.last_result is not None)
        await pilot.pause(0.4)
        assert screen.last_result.query == "police"
        # an old generation's answer is dropped
        old = screen.search_generation - 1
        screen._search_done(old, app.workspace.search("kazakhstan"))
        assert screen.last_result.query == "police"
        # escape clears the search and shows the table again
        await pilot.press("escape")
        assert search.value == ""
        assert screen.query_one("#library-body").current == "articles"


async def test_entity_filter_shows_only_articles_naming_it() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        screen = app.screen
        ws = app.workspace
        entity = min(ws.entities(), key=lambda e: len(e.counts()))
        app.filter_library(entity.name, entity.counts().keys())
        await pilot.pause()
        assert set(row_ids(screen)) == set(entity.counts())
        assert screen.query_one("#filter-bar").display
        await pilot.press("x")
        assert len(row_ids(screen)) == len(ws.articles)
        assert not screen.query_one("#filter-bar").display


async def test_j_k_move_and_enter_opens() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        screen = app.screen
        table = screen.query_one("#articles")
        await pilot.press("j", "j", "k")
        assert table.cursor_row == 1
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.screen.article.id == row_ids(screen)[1]


async def test_the_sorted_column_header_shows_its_whole_arrow() -> None:
    """The narrow "words" and "shared" columns widen to fit " ▲"/" ▼" when sorted on."""
    app = KazreaderApp()
    for size in ((120, 40), (80, 24)):
        async with app.run_test(size=size) as pilot:
            await wait_ready(pilot, app)
            screen = app.screen
            table = screen.query_one("#articles")
            for key in ("words", "shared", "outlet", "date"):
                while screen.sort_key != key:
                    await pilot.press("s")
                await pilot.pause()
                column = table.columns[key]
                header = column.label.plain
                assert header.endswith(("▲", "▼")) and column.width >= len(header), (key, size)
        app = KazreaderApp()
