"""CoverageScreen: sides, panes, picker, opening items."""

from __future__ import annotations

import pytest
from harness import HOSTILE, FakeWorkspace, HarnessApp
from textual.widgets import TabbedContent

from kazreader.ui.screens.coverage import CoverageScreen
from kazreader.ui.widgets.coverage_panels import CoverageList, SidePicker, list_sides, rank_sides


async def _ready(pilot, screen) -> None:
    for _ in range(100):
        await pilot.pause()
        if screen.data is not None or screen.error:
            break
    await pilot.pause()


def _list(screen, lid: str) -> CoverageList:
    return screen.query_one(f"#{lid}", CoverageList)


def test_sides_and_ranking() -> None:
    ws = FakeWorkspace()
    sides = list_sides(ws)
    assert [s.ref for s in sides if s.kind == "outlet"] == ["Alpha News", "Beta Times"]
    assert "zz-no-outlet" in [s.ref for s in sides]
    assert rank_sides(sides, "bt")[0].ref == "Beta Times"
    assert rank_sides(sides, "alpha")[0].ref == "Alpha News"
    assert rank_sides(sides, "no outlet")[0].ref == "zz-no-outlet"
    assert rank_sides(sides, "qqqq") == []


async def test_default_sides_and_panes() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: CoverageScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        assert (screen.x, screen.y) == ("Alpha News", "Beta Times")
        cov = screen.data.cov
        assert len(_list(screen, "list-shared").items) == len(cov.shared) >= 1
        assert len(_list(screen, "list-only-x").items) == len(cov.only_x)
        assert {i.search for i in _list(screen, "list-ent-y").items} == {"health ministry org"}
        quotes_x = _list(screen, "list-quo-x").items
        assert any(HOSTILE in i.prompt.plain for i in quotes_x)  # shown literally
        assert len(_list(screen, "list-figures").items) == 2  # 12 (X) vs 13 (Y); ≥8 is consistent with both
        assert screen.focused is _list(screen, "list-shared")
        await pilot.press("enter")
        await pilot.pause()
        p = cov.shared[0]
        assert app.opened[-1].article_id == p.x_article and app.opened[-1].span == (p.x_start, p.x_end)
        await pilot.press("c")
        await pilot.pause()
        assert (app.compared[-1].a_id, app.compared[-1].b_id) == (p.x_article, p.y_article)


async def test_tab_walks_panes_and_enter_opens_entity() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: CoverageScreen(ws, "Alpha News", "Beta Times"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        tabs = screen.query_one(TabbedContent)
        await pilot.press("tab")
        await pilot.pause()
        assert tabs.active == "cov-only-x" and screen.focused.id == "list-only-x"
        await pilot.press("tab", "tab", "tab")
        await pilot.pause()
        assert tabs.active == "cov-entities" and screen.focused.id == "list-ent-y"
        await pilot.press("enter")
        await pilot.pause()
        assert app.opened[-1].article_id == "a2"
        s = ws.by_id["a2"].text.index("health ministry")
        assert app.opened[-1].span == (s, s + len("health ministry"))
        await pilot.press("shift+tab")
        await pilot.pause()
        assert screen.focused.id == "list-ent-x"
        await pilot.press("6")
        await pilot.pause()
        assert tabs.active == "cov-figures"
        await pilot.press("j", "enter")
        await pilot.pause()
        item = _list(screen, "list-figures").current
        assert app.opened[-1].article_id == item.article


async def test_picker_changes_side_and_swap() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: CoverageScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SidePicker)
        await pilot.press(*"no outlet", "enter")
        await _ready(pilot, screen)
        for _ in range(50):
            await pilot.pause()
            if screen.data and screen.data.cov.y_articles == ("zz-no-outlet",):
                break
        assert app.screen is screen
        assert screen.y == "zz-no-outlet"
        assert screen.data.cov.y_articles == ("zz-no-outlet",)
        await pilot.press("w")
        for _ in range(50):
            await pilot.pause()
            if screen.data.cov.x_articles == ("zz-no-outlet",):
                break
        assert screen.x == "zz-no-outlet" and screen.data.cov.x_articles == ("zz-no-outlet",)
        # escape cancels the picker, leaving the sides alone
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.x == "zz-no-outlet"


async def test_filter_and_back() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: CoverageScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        await pilot.press("slash", *"PRESIDENT")
        await pilot.pause()
        assert len(_list(screen, "list-only-x").shown_items) == 1
        assert _list(screen, "list-shared").shown_items == []
        await pilot.press("escape")
        assert screen.query_one("#coverage-filter").value == ""
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(screen.focused, CoverageList)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, CoverageScreen)


async def test_same_side_and_failure() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: CoverageScreen(ws, "Alpha News", "Alpha News"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        assert screen.data is None and "coverage" not in ws.calls
        await pilot.press("enter", "tab", "c", "n")
    ws = FakeWorkspace(fail="coverage")
    app = HarnessApp(lambda: CoverageScreen(ws))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        assert "exploded" in screen.error
        await pilot.press("enter", "tab", "c")


@pytest.mark.parametrize(("size", "inline"), [((80, 24), False), ((160, 45), True)])
async def test_the_summary_is_read_whole(size, inline) -> None:
    """At 80 columns the summary takes its own row under the sides (it was cut to "1 shared pa…");
    where it fits it follows them on their row."""
    ws = FakeWorkspace()
    app = HarnessApp(lambda: CoverageScreen(ws))
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        await pilot.pause()
        text = screen._summary_text
        assert "shared passage" in text.plain and text.plain.endswith("of Y")
        shown = screen.query_one("#coverage-summary" if inline else "#coverage-summary-row")
        hidden = screen.query_one("#coverage-summary-row" if inline else "#coverage-summary")
        assert shown.display and not hidden.display
        assert shown.content_region.width >= text.cell_len
        await pilot.resize_terminal(160 if size[0] == 80 else 80, 24)
        await pilot.pause()
        await pilot.pause()
        assert hidden.display and not shown.display  # (and back on the other size)


@pytest.mark.parametrize("size", [(80, 24), (160, 45), (20, 6)])
async def test_sizes(size) -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: CoverageScreen(ws))
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        assert screen.has_class("-stacked") == (size[0] < 110)
        await pilot.resize_terminal(150, 40)
        await pilot.pause()
        await pilot.resize_terminal(14, 5)
        await pilot.pause()
        await pilot.press("tab", "tab", "enter", "x")
        await pilot.pause()
        await pilot.press("escape")
