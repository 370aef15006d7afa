"""Reader: layers at the core's offsets, sidebar, figures, n/p, compare-with, filter."""

from __future__ import annotations


from kazreader.ui.app import KazreaderApp
from kazreader.ui.messages import OpenArticle
from kazreader.analysis.links import best_partner
from kazreader.ui.screens.compare import CompareScreen
from kazreader.ui.screens.library import LibraryScreen
from kazreader.ui.screens.reader import ReaderScreen
from kazreader.ui.widgets.article_view import ArticleView
from kazreader.ui.widgets.entity_sidebar import EntitySidebar
from kazreader.ui.widgets.figures_panel import FiguresPanel
from harness import wait_until


async def open_reader(pilot, app: KazreaderApp, index: int = 0, **kw) -> ReaderScreen:
    await wait_until(pilot, lambda: app.workspace is not None)
    app.post_message(OpenArticle(app.workspace.articles[index].id, **kw))
    await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.analyses_ready)
    await pilot.pause()
    return app.screen


def richest(ws) -> int:
    """Index of the article with the most shared passages (the tests need some)."""
    counts = {}
    for c in ws.clusters():
        for m in c.members:
            counts[m.article] = counts.get(m.article, 0) + 1
    return max(range(len(ws.articles)), key=lambda i: counts.get(ws.articles[i].id, 0))


async def test_text_and_highlight_layers_match_the_core() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(pilot, app)
        ws, aid = app.workspace, reader.article.id
        view = reader.query_one("#article", ArticleView)
        assert view.text == ws.by_id[aid].text
        mentions = sorted((m.start, m.end) for e in ws.entities() for m in e.mentions if m.article == aid)
        painted = sorted(s for name in ("PERSON", "ORG", "PLACE", "OTHER") for s in view.layer_spans(f"entity-{name}"))
        assert painted == mentions
        assert sorted(view.layer_spans("quote")) == sorted((q.start, q.end) for q in ws.quotes() if q.article == aid)
        figs = ws.figures()
        assert sorted(view.layer_spans("figure")) == sorted((f.start, f.end) for f in figs.figures if f.article == aid)
        passages = sorted({(m.start, m.end) for c in ws.clusters() for m in c.members if m.article == aid})
        assert list(view.layer_spans("passage")) == passages
        # The painted text carries those styles at exactly those offsets.
        styled = view.styled_text()
        for s, e in mentions[:5]:
            assert any(sp.start <= s and sp.end >= e for sp in styled.spans)


async def test_n_p_step_through_shared_passages_and_scroll() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(100, 20)) as pilot:
        await wait_until(pilot, lambda: app.workspace is not None)
        reader = await open_reader(pilot, app, richest(app.workspace))
        view = reader.query_one("#article", ArticleView)
        marks = reader.marks()
        assert reader.marks_kind == "passage" and len(marks) >= 2
        await pilot.press("n")
        assert view.layer_spans("current") == (marks[0],)
        await pilot.press("n")
        assert view.layer_spans("current") == (marks[1],)
        start, end = view.visible_offsets()
        assert start <= marks[1][0] <= end
        await pilot.press("p", "p")
        assert view.layer_spans("current") == (marks[-1],)
        start, end = view.visible_offsets()
        assert start <= marks[-1][0] <= end
        assert f"{len(marks)}/{len(marks)}" in str(reader.query_one("#mark-info").render())


async def test_opening_from_a_search_highlights_and_scrolls_to_the_hit() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(100, 20)) as pilot:
        await wait_until(pilot, lambda: app.workspace is not None)
        art = max(app.workspace.articles, key=lambda a: len(a.text))
        idx = app.workspace.articles.index(art)
        last_word = art.text.rstrip().rsplit(None, 1)[-1]
        start = art.text.rindex(last_word)
        span = (start, start + len(last_word))
        reader = await open_reader(pilot, app, idx, span=span, highlights=(span,))
        view = reader.query_one("#article", ArticleView)
        assert view.layer_spans("hit") == (span,)

        def hit_visible() -> bool:
            lo, hi = view.visible_offsets()
            return lo <= span[0] <= hi

        await wait_until(pilot, hit_visible)
        assert reader.marks_kind == "hit"


async def test_selecting_an_entity_highlights_its_mentions_and_filters_the_library() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(pilot, app)
        sidebar = reader.query_one("#entities", EntitySidebar)
        assert sidebar.entities, "the article should name someone"
        # the sidebar groups by type: the first option is a (disabled) heading
        assert sidebar.get_option_at_index(0).disabled
        sidebar.focus()
        await pilot.press("home", "enter")
        entity = sidebar.selected
        assert entity is not None
        view = reader.query_one("#article", ArticleView)
        mine = tuple(sorted((m.start, m.end) for m in entity.mentions if m.article == reader.article.id))
        assert tuple(sorted(view.layer_spans("selected"))) == mine
        assert reader.marks_kind == "entity" and reader.marks() == mine
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert app.screen.row_filter.ids == frozenset(entity.counts())


async def test_selecting_a_figure_scrolls_to_it() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(100, 20)) as pilot:
        reader = await open_reader(pilot, app)
        panel = reader.query_one("#figures", FiguresPanel)
        assert panel.figures
        panel.focus()
        await pilot.press("end", "enter")
        fig = panel.figures[-1]
        view = reader.query_one("#article", ArticleView)
        assert view.layer_spans("current") == ((fig.start, fig.end),)
        lo, hi = view.visible_offsets()
        assert lo <= fig.start <= hi


async def test_compare_with_opens_the_article_sharing_the_most() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(pilot, app)
        ws = app.workspace
        expected = best_partner(reader.article.id, ws.articles, ws.clusters(), ws.compare)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.ready)
        assert app.screen.a.id == reader.article.id
        assert app.screen.b.id == expected


async def test_tab_moves_between_panes_and_brackets_change_article() -> None:
    app = KazreaderApp(warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(pilot, app)
        assert reader.focused is reader.query_one("#article")
        await pilot.press("tab")
        assert reader.focused is reader.query_one("#entities")
        await pilot.press("tab")
        assert reader.focused is reader.query_one("#figures")
        await pilot.press("b")
        assert not reader.query_one("#sidebar").display
        first = reader.article.id
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article.id != first)


def test_sidebar_counts_fit_their_column_on_large_corpora() -> None:
    from kazreader.ui.widgets.entity_sidebar import _compact

    assert [_compact(n) for n in (7, 999, 1000, 1234, 9999, 12_345, 250_000)] == [
        "7", "999", "1.0k", "1.2k", "9.9k", "12k", "250k",
    ]
    assert all(len("+" + _compact(n)) <= 5 for n in range(0, 1_000_000, 997))


def test_figures_panel_names_a_kind_only_when_the_words_do_not() -> None:
    """"four years" needs no "duration" after it; a bare "51" read as an age says "(age)"."""
    from types import SimpleNamespace

    from kazreader.ui.widgets.figures_panel import _says_unit

    def fig(text: str, unit: str | None) -> SimpleNamespace:
        return SimpleNamespace(text=text, unit=unit)

    assert _says_unit(fig("four years", "years")) and _says_unit(fig("56 cents", "cents"))
    assert _says_unit(fig("10%", "%")) and _says_unit(fig("two-week", "week"))
    assert not _says_unit(fig("51", "years")) and not _says_unit(fig("12", None))
