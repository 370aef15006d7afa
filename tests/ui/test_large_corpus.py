"""Large corpora: the library table grows page by page; the figures matrix caps its columns.

Synthetic workspaces of a few hundred articles stand in for 20,000 (the
behaviour only depends on being larger than a page or the column cap).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness import FakeDisagreement, FakeFigures, FakeWorkspace, HarnessApp, _article, fake_figure, wait_until

from kazreader.ui.app import KazreaderApp
from kazreader.ui.screens.figures import FiguresScreen
from kazreader.ui.screens.library import PAGE
from kazreader.ui.widgets.figures_matrix import MAX_COLUMNS, FiguresMatrix, build_matrix, cap_columns

N = max(PAGE * 2 + 50, 450)  # beyond a page, and beyond the pickers' caps


@dataclass
class ManyArticles:
    """Just what the app shell and the library read from a Workspace."""

    articles: list[Any]
    warnings: list[Any] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    paths: list[Any] = field(default_factory=list)
    progress: Any = None
    on_message: Any = None

    def __post_init__(self) -> None:
        self.by_id = {a.id: a for a in self.articles}


def many(n: int = N) -> ManyArticles:
    return ManyArticles([
        _article(f"art{i:04d}", f"Outlet {i % 7}", f"2022-{1 + i % 12:02d}-{1 + i % 28:02d}",
                 [f"Article number {i} says something." + " word" * (i % 50)])
        for i in range(n)
    ])


def row_id(table, r: int) -> str:
    return table.coordinate_to_cell_key((r, 0)).row_key.value


async def test_library_lists_a_page_then_grows_as_the_cursor_nears_the_end() -> None:
    ws = many()
    app = KazreaderApp(workspace=ws, warm=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.library
        table = screen.query_one("#articles")
        assert table.row_count == PAGE and screen.rows_pending == N - PAGE
        assert f"first {PAGE} listed" in screen.sub_title
        order = [a.id for a in screen.visible_articles()]
        assert len(order) == N  # the reader's next/previous still sees every article
        assert [row_id(table, r) for r in range(PAGE)] == order[:PAGE]
        table.move_cursor(row=PAGE - 3, animate=False)
        await pilot.press("j")
        await pilot.pause()
        assert table.row_count == 2 * PAGE
        assert table.cursor_row == PAGE - 2
        # end builds the rest and lands on the last article
        await pilot.press("end")
        await pilot.pause()
        assert table.row_count == N and screen.rows_pending == 0
        assert row_id(table, table.cursor_row) == order[-1]
        assert "listed" not in screen.sub_title
        # enter opens the article under the cursor
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ReaderScreen"
        assert app.screen.article_id == order[-1] if hasattr(app.screen, "article_id") else True


async def test_library_sort_keeps_the_cursor_article_even_beyond_the_first_page() -> None:
    ws = many()
    app = KazreaderApp(workspace=ws, warm=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.library
        table = screen.query_one("#articles")
        await pilot.press("end")
        await pilot.pause()
        current = row_id(table, table.cursor_row)
        await pilot.press("s")  # sort by title: the article may sit anywhere
        await pilot.pause()
        assert row_id(table, table.cursor_row) == current
        assert table.row_count % PAGE == 0 or table.row_count == N
        index = [a.id for a in screen.visible_articles()].index(current)
        assert table.row_count > index
        await pilot.press("r")
        await pilot.pause()
        assert row_id(table, table.cursor_row) == current
        order = [a.id for a in screen.visible_articles()]
        assert [row_id(table, r) for r in range(table.row_count)] == order[: table.row_count]
        assert screen.sort_key == "title" and screen.sort_reverse


async def test_library_grows_when_scrolled_with_the_mouse_or_page_down() -> None:
    app = KazreaderApp(workspace=many(), warm=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.library
        table = screen.query_one("#articles")
        table.scroll_to(y=table.max_scroll_y, animate=False, immediate=True)
        await pilot.pause()
        assert table.row_count == 2 * PAGE
        for _ in range(40):
            await pilot.press("pagedown")
        await pilot.pause()
        assert table.row_count == N


def _wide_figures(n: int) -> FakeWorkspace:
    arts, figs = [], []
    for i in range(n):
        sentence = f"Police said {i + 1} officers were killed."
        arts.append(_article(f"w{i:03d}", f"Outlet {i}", "2022-01-05", [sentence, "Nothing else."]))
        figs.append(fake_figure(f"w{i:03d}", 12, 12 + len(str(i + 1)), str(i + 1), sentence,
                                i + 1, i + 1, i + 1, "exact", "officers killed"))
        if i % 3 == 0:  # a second measure reported by every third article
            figs.append(fake_figure(f"w{i:03d}", 0, 6, "Police", sentence, 5, 5, 5, "exact", "people wounded"))
    killed = [f for f in figs if f.measure == "officers killed"]
    disagreement = FakeDisagreement("officers killed", tuple(killed[:2]))
    return FakeWorkspace(articles=arts, figures_result=FakeFigures(tuple(figs), (disagreement,)))


def test_cap_columns_prefers_disputed_and_busy_articles_in_corpus_order() -> None:
    ws = _wide_figures(60)
    rows, columns = build_matrix(ws.figures_result, [a.id for a in ws.articles])
    assert len(columns) == 60
    kept = cap_columns(rows, columns, limit=10)
    assert len(kept) == 10 and kept == [c for c in columns if c in kept]
    # the two articles that disagree on "officers killed" first, then those also giving "people wounded"
    assert kept == ["w000", "w001"] + [f"w{i:03d}" for i in range(3, 27, 3)]
    # an article in a disagreement beats a busier one that is not
    calm = [r for r in rows if r.measure == "people wounded"]
    for r in rows:
        if r.measure == "officers killed":
            r.conflicting, r.differing = {"w059"}, {"w059"}
    assert "w059" in cap_columns(rows, columns, limit=3)
    assert calm
    assert cap_columns(rows[:1], columns[:5], limit=10) == columns[:5]


async def test_figures_matrix_caps_columns_and_filter_brings_others_into_view() -> None:
    ws = _wide_figures(60)
    app = HarnessApp(lambda: FiguresScreen(ws))
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        for _ in range(100):
            await pilot.pause()
            if screen.loaded:
                break
        await pilot.pause()
        table = screen.query_one(FiguresMatrix)
        assert len(table.columns) == 2 + MAX_COLUMNS
        status = str(screen.query_one("#figures-status").render())
        assert f"{MAX_COLUMNS} of 60 articles" in status
        await pilot.press("slash")
        await pilot.press(*"wounded")
        await pilot.pause(0.3)
        await pilot.pause()
        assert len(table.columns) == 2 + 20  # the 20 articles giving that measure all fit
        assert table.article_columns == [f"w{i:03d}" for i in range(0, 60, 3)]


async def test_compare_picker_lists_a_capped_number_and_keeps_the_current_article() -> None:
    from kazreader.ui.screens.compare import PICKER_LIMIT, ArticlePicker

    ws = many()
    last = ws.articles[-1].id
    app = HarnessApp(lambda: ArticlePicker(ws, "pick", current=last, exclude=ws.articles[0].id))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        olist = app.screen.query_one("#picker-list")
        assert olist.option_count == PICKER_LIMIT + 1
        assert olist.get_option_at_index(olist.highlighted).id == last
        assert "more — type to narrow" in str(olist.get_option_at_index(PICKER_LIMIT).prompt)
        await pilot.press(*"art0417")
        await pilot.pause()
        assert olist.get_option_at_index(0).id == "art0417"


async def test_side_picker_lists_a_capped_number_and_keeps_the_current_side() -> None:
    from kazreader.ui.widgets.coverage_panels import SIDE_LIMIT, SideChoice, SideKind, SidePicker

    sides = [SideChoice(f"s{i}", f"side {i}", "article", SideKind.ARTICLE) for i in range(N)]
    app = HarnessApp(lambda: SidePicker(sides, "X", current=f"s{N - 1}"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        olist = app.screen.query_one("#side-picker-list")
        assert olist.option_count == SIDE_LIMIT + 1
        assert app.screen.shown[olist.highlighted].ref == f"s{N - 1}"
        await pilot.press(*"side 417")
        await pilot.pause()
        assert app.screen.shown[0].ref == "s417"


async def test_end_on_a_huge_list_reverses_the_order_instead_of_building_every_row(monkeypatch) -> None:
    from kazreader.ui.screens import library

    monkeypatch.setattr(library, "END_BUILD_LIMIT", PAGE)
    app = KazreaderApp(workspace=many(), warm=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.library
        table = screen.query_one("#articles")
        last = screen.visible_articles()[-1].id
        await pilot.press("end")
        await pilot.pause()
        assert screen.sort_reverse and table.row_count == PAGE
        assert row_id(table, table.cursor_row) == last


async def test_loading_more_while_the_columns_are_being_rebuilt_is_a_no_op() -> None:
    """Clearing the columns (on sort) can fire the scroll callback that loads more
    rows; found by the key fuzz: it must not add rows to a table with no columns."""
    app = KazreaderApp(workspace=many(), warm=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await wait_until(pilot, lambda: app.library.query_one("#articles").row_count == PAGE)
        screen = app.library
        table = screen.query_one("#articles")
        table.clear(columns=True)
        assert screen.rows_pending and screen.load_more() == 0
        screen.refill()
        assert table.row_count == PAGE and len(table.columns) == 5
        for _ in range(6):
            await pilot.press("s", "end")
        assert table.row_count >= PAGE
