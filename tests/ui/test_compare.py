"""Compare: shared passages in matching colours, n/p, word diffs, pickers, swap, figures."""

from __future__ import annotations

from itertools import combinations

from kazreader.ui.app import KazreaderApp
from kazreader.ui.messages import OpenCompare
from kazreader.ui.screens.compare import (
    CURRENT_STYLE,
    DELETE_STYLE,
    INSERT_STYLE,
    PASSAGE_COLOURS,
    ArticlePicker,
    CompareScreen,
)
from kazreader.ui.widgets.article_view import ArticleView
from harness import wait_until


def best_pair(ws) -> tuple[str, str]:
    """The two articles sharing the most passages (computed from the core, never hard-coded)."""
    return max(
        ((a.id, b.id) for a, b in combinations(ws.articles, 2)),
        key=lambda p: len(ws.compare(ws.by_id[p[0]], ws.by_id[p[1]])),
    )


async def open_compare(pilot, app: KazreaderApp, a: str | None = None, b: str | None = None) -> CompareScreen:
    await wait_until(pilot, lambda: app.workspace is not None)
    if a is None:
        a, b = best_pair(app.workspace)
    app.post_message(OpenCompare(a, b or ""))
    await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.ready)
    await pilot.pause()
    return app.screen


async def test_each_shared_passage_has_the_same_colour_in_both_panes() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_compare(pilot, app)
        ws = app.workspace
        pairs = ws.compare(screen.a, screen.b)
        assert pairs and screen.pairs == pairs
        va, vb = screen.query_one("#view-a", ArticleView), screen.query_one("#view-b", ArticleView)
        for i, p in enumerate(pairs):
            layer = f"passage-{i % len(PASSAGE_COLOURS)}"
            assert (p.a_start, p.a_end) in va.layer_spans(layer)
            assert (p.b_start, p.b_end) in vb.layer_spans(layer)
            assert va._layers[layer].style == vb._layers[layer].style
        summary = str(screen.query_one("#compare-summary").render())
        assert f"{len(pairs)} shared passage" in summary and "%" in summary


async def test_word_differences_are_struck_and_underlined_at_the_diff_offsets() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_compare(pilot, app)
        va, vb = screen.query_one("#view-a", ArticleView), screen.query_one("#view-b", ArticleView)
        deletes = [(o.a_start, o.a_end) for p in screen.pairs for o in p.diff if o.op == "delete" and o.a_end > o.a_start]
        inserts = [(o.b_start, o.b_end) for p in screen.pairs for o in p.diff if o.op == "insert" and o.b_end > o.b_start]
        assert list(va.layer_spans("delete")) == deletes
        assert list(vb.layer_spans("insert")) == inserts
        assert va._layers["delete"].style == DELETE_STYLE
        assert vb._layers["insert"].style == INSERT_STYLE
        # the diff layers are painted above the passage colours
        names = list(va._layers)
        assert names.index("delete") > names.index("passage-0")


async def test_n_p_scroll_both_panes_to_the_passage() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(100, 18)) as pilot:
        screen = await open_compare(pilot, app)
        va, vb = screen.query_one("#view-a", ArticleView), screen.query_one("#view-b", ArticleView)
        n = len(screen.pairs)
        await pilot.press("p")  # from nothing, p goes to the last passage
        assert screen.current == n - 1
        last = screen.pairs[-1]
        for view, start in ((va, last.a_start), (vb, last.b_start)):
            lo, hi = view.visible_offsets()
            assert lo <= start <= hi
        assert va.layer_spans("current") == ((last.a_start, last.a_end),)
        assert va._layers["current"].style == CURRENT_STYLE
        await pilot.press("n")
        assert screen.current == 0
        assert f"passage 1/{n}" in str(screen.query_one("#passage-info").render())


async def test_x_swaps_sides_and_the_pickers_choose_an_article() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_compare(pilot, app)
        a, b = screen.a.id, screen.b.id
        await pilot.press("x")
        await wait_until(pilot, lambda: screen.ready)
        assert (screen.a.id, screen.b.id) == (b, a)
        # choose B with the fuzzy-filterable picker
        others = [x for x in app.workspace.articles if x.id not in (screen.a.id, screen.b.id)]
        target = others[0]
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticlePicker))
        picker = app.screen
        assert screen.a.id not in [picker.query_one("#picker-list").get_option_at_index(i).id
                                   for i in range(picker.query_one("#picker-list").option_count)]
        await pilot.press(*target.id)
        await pilot.pause()
        assert picker.query_one("#picker-list").get_option_at_index(0).id == target.id
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen and screen.ready)
        assert screen.b.id == target.id
        assert screen.query_one("#view-b", ArticleView).text == target.text
        # escape in a picker changes nothing
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticlePicker))
        await pilot.press("escape")
        assert app.screen is screen and screen.b.id == target.id


async def test_disagreeing_figures_are_listed() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_until(pilot, lambda: app.workspace is not None)
        ws = app.workspace
        pair = next(
            ((a, b) for d in ws.figures().disagreements for a, b in combinations(sorted({f.article for f in d.values}), 2)),
            None,
        )
        if pair is None:
            return  # this corpus has no disagreement to show
        screen = await open_compare(pilot, app, *pair)
        box = screen.query_one("#compare-figures")
        assert screen.disagreements and box.display
        assert "disagree" in str(box.render())


async def test_open_reader_from_compare_at_the_current_passage() -> None:
    from kazreader.ui.screens.reader import ReaderScreen

    app = KazreaderApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_compare(pilot, app)
        await pilot.press("n", "tab", "o")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        p = screen.pairs[0]
        assert app.screen.article.id == screen.b.id
        assert app.screen.initial_span == (p.b_start, p.b_end)
