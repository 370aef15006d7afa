"""FiguresScreen: measures × articles, disagreements first, detail line, opening a cell."""

from __future__ import annotations

import pytest
from harness import FakeWorkspace, HarnessApp

from kazreader.ui.screens.figures import FiguresScreen
from kazreader.ui.widgets.figures_matrix import FiguresMatrix, build_matrix, column_labels, format_figure


async def _ready(pilot, screen) -> None:
    for _ in range(100):
        await pilot.pause()
        if screen.loaded:
            break
    await pilot.pause()


def test_format_and_matrix() -> None:
    ws = FakeWorkspace()
    result = ws.figures()
    assert [format_figure(f) for f in result.figures] == ["12", "13", "≥8", "Dozens", ">1,000", "~1,000"]
    rows, columns = build_matrix(result, [a.id for a in ws.articles])
    assert columns == ["a1", "a2", "a3", "zz-no-outlet"]
    killed = next(r for r in rows if r.measure == "officers killed")
    assert killed.disagreement == "differ"
    assert {"a1", "a2"} == killed.differing and not killed.conflicting  # 12 vs 13: two stated numbers differ
    wounded = next(r for r in rows if r.measure == "people wounded")
    assert wounded.disagreement is None
    labels = column_labels(columns, ws.by_id)
    assert labels[0] != labels[2] and labels[0].startswith("Alpha News")  # same outlet, told apart
    assert labels[3] == "zz-no-outlet"


async def test_table_disagreements_first_and_detail() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: FiguresScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        table = screen.query_one(FiguresMatrix)
        assert screen.focused is table
        assert table.row_count == 2 and len(table.columns) == 2 + 4
        assert table.rows_shown[0].measure == "officers killed"
        row, aid = table.current()
        assert aid == "a1"
        detail = screen.query_one("#figures-detail").render()
        assert "Police said 12 officers" in str(detail)
        await pilot.press("l")
        assert table.current()[1] == "a2"
        await pilot.press("enter")
        await pilot.pause()
        f = ws.figures_result.figures[1]
        assert app.opened[-1].article_id == "a2" and app.opened[-1].span == (f.start, f.end)


async def test_toggle_sort_filter_and_jump() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: FiguresScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        table = screen.query_one(FiguresMatrix)
        await pilot.press("d")
        assert [r.measure for r in table.rows_shown] == ["officers killed"]
        await pilot.press("d", "s")
        assert screen.sort == "measure"
        assert [r.measure for r in table.rows_shown] == ["officers killed", "people wounded"]
        await pilot.press("j", "n")
        assert table.cursor_row == 0
        await pilot.press("slash", *"wound")
        await pilot.pause()
        assert [r.measure for r in table.rows_shown] == ["people wounded"]
        await pilot.press("escape", "escape")
        assert screen.focused is table and table.row_count == 2
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, FiguresScreen)


async def test_an_empty_table_says_why() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: FiguresScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        table = screen.query_one(FiguresMatrix)

        def detail() -> str:
            return str(screen.query_one("#figures-detail").render())

        await pilot.press("slash", *"wound", "enter", "d")  # wounded: no disagreement
        assert table.rows_shown == [] and "d shows every measure" in detail()
        await pilot.press("slash", *"zz")
        await pilot.pause()
        assert table.rows_shown == [] and "matches the filter" in detail()


async def test_empty_cell_does_not_open() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: FiguresScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        await pilot.press("j", "enter")  # people wounded · a1: no figure
        await pilot.pause()
        assert app.opened == []


async def test_failure_and_empty() -> None:
    ws = FakeWorkspace(fail="figures")
    app = HarnessApp(lambda: FiguresScreen(ws))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        assert "exploded" in screen.error
        await pilot.press("enter", "n", "d", "s")


@pytest.mark.parametrize("size", [(80, 24), (160, 45), (20, 6)])
async def test_sizes(size) -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: FiguresScreen(ws))
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        assert screen.has_class("-stacked") == (size[0] < 110)
        await pilot.resize_terminal(12, 4)
        await pilot.pause()
        await pilot.press("j", "l", "enter")


async def test_several_stories_one_at_a_time() -> None:
    """Figures of several events: one story's measures and articles at a time, `t` for the next, then all."""
    from dataclasses import replace

    from harness import FIGURES, FakeDisagreement, FakeFigures

    figs = tuple(replace(f, story="s-police" if "officers" in (f.measure or "") else "s-hospital")
                 for f in FIGURES.figures)
    ws = FakeWorkspace(figures_result=FakeFigures(figs, (FakeDisagreement("officers killed", figs[:3], "s-police"),)))
    app = HarnessApp(lambda: FiguresScreen(ws))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        table = screen.query_one(FiguresMatrix)
        assert screen.stories == ["s-police", "s-hospital"]  # the story with a disagreement first
        assert screen.story == "s-police"
        assert [r.story for r in table.rows_shown] == ["s-police"]
        assert "story 1/2" in str(screen.query_one("#figures-status").render())
        await pilot.press("t")
        assert screen.story == "s-hospital" and [r.name for r in table.rows_shown] == ["people wounded"]
        assert table.article_columns == ["a2", "a3"]  # only the articles of that story's figures
        await pilot.press("t")
        assert screen.story is None and len(table.rows_shown) == 2
        assert "all 2 stories" in str(screen.query_one("#figures-status").render())


def test_status_parts_fit_short_forms_then_drop_optional_ones() -> None:
    from rich.text import Text

    from kazreader.ui.labels import Part, fit_parts

    parts = [Part(Text("12/40 measures"), Text("12/40")), Part(Text("only disagreements"), Text("only ≠")),
             Part(Text("all 3 stories (t: one story)"), Text("3 stories"), optional=True)]
    assert fit_parts(parts, 200).plain == "12/40 measures · only disagreements · all 3 stories (t: one story)"
    assert fit_parts(parts, 50).plain == "12/40 measures · only disagreements · 3 stories"
    assert fit_parts(parts, 30).plain == "12/40 · only ≠ · 3 stories"
    assert fit_parts(parts, 15).plain == "12/40 · only ≠"


async def test_status_line_fits_at_80_columns_with_only_disagreements() -> None:
    """The status line says "only disagreements" (or "only ≠") whole at 80 columns, and its words
    grow back when the terminal widens."""
    ws = FakeWorkspace()
    app = HarnessApp(lambda: FiguresScreen(ws))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        await pilot.press("d")
        await pilot.pause()
        status = screen.query_one("#figures-status")
        text = status.render().plain
        assert "only" in text and len(text) <= status.content_size.width
        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        await pilot.pause()
        assert "only disagreements" in status.render().plain


def test_column_labels_tell_one_outlets_articles_apart_in_few_cells() -> None:
    from kazreader.corpus.model import Article

    def art(aid: str, outlet: str, date: str) -> Article:
        return Article(id=aid, path=aid, text="x", paragraphs=((0, 1),), outlet=outlet, date=date)

    arts = {a.id: a for a in (art("a", "The Guardian", "2020-05-26"), art("b", "The Guardian", "2020-05-26"),
                              art("c", "USA TODAY", "2017-11-06"), art("d", "USA TODAY", "2017-11-07"),
                              art("e", "USA TODAY", "2017-11-07"))}
    # one date for both: the date tells nothing, a counter does; "The" goes before the name is cut
    assert column_labels(list(arts), arts, 12)[:2] == ["Guardian #1", "Guardian #2"]
    # dates that differ stay whole, and the counter after them
    assert column_labels(list(arts), arts, 28)[2:] == ["USA TODAY 11-06", "USA TODAY 11-07 #1", "USA TODAY 11-07 #2"]
    assert all(len(label) <= 12 for label in column_labels(list(arts), arts, 12))
