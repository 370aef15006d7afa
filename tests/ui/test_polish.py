"""The lead's walk-through fixes: single-line sidebar rows and a hidden sidebar at 80
columns, article names without a repeated id, coverage's default pair, screens that
do not stack, and the footer's first keys."""

from __future__ import annotations

from dataclasses import dataclass

from harness import FakeWorkspace, HarnessApp
from rich.console import Console

from kazreader.ui.app import KazreaderApp
from kazreader.ui.labels import article_caption, article_headline, article_subtitle
from kazreader.ui.messages import OpenArticle
from kazreader.ui.screens.compare import CompareScreen
from kazreader.ui.screens.coverage import CoverageScreen
from kazreader.ui.screens.figures import FiguresScreen
from kazreader.ui.screens.library import LibraryScreen
from kazreader.ui.screens.quotes import QuotesScreen
from kazreader.ui.screens.reader import ReaderScreen
from kazreader.analysis.links import SideLinks
from kazreader.ui.widgets.coverage_panels import SidePicker
from kazreader.ui.widgets.entity_sidebar import EntitySidebar
from kazreader.ui.widgets.figures_panel import FiguresPanel
from kazreader.ui.widgets.status import stages
from harness import wait_until


async def ready(pilot, app: KazreaderApp) -> None:
    await wait_until(pilot, lambda: app.workspace is not None and len(app.stages) == len(stages())
                     and all(s in ("done", "failed") for s in app.stages.values()))


def rendered_lines(renderable, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return [line for line in console.export_text().splitlines() if line.strip()]


# -- names ----------------------------------------------------------------------


def test_an_article_without_outlet_or_title_is_named_once() -> None:
    ws = FakeWorkspace()
    art = ws.by_id["zz-no-outlet"]
    sub = article_subtitle(art)
    assert sub.count(art.id) == 1 and sub.startswith(art.id)
    assert "Dozens of officers were killed" in sub
    caption = article_caption(art, words=True)
    assert caption.plain.count(art.id) == 1
    headline = article_headline(art)
    assert "untitled" not in headline.plain and "dim" in str(headline.style)
    with_outlet = ws.by_id["a1"]
    assert article_subtitle(with_outlet).startswith("Alpha News — ")


async def test_reader_and_compare_headers_never_repeat_an_id() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot, app)
        ws = app.workspace
        bare = [a for a in ws.articles if not a.outlet]
        assert bare, "the test needs an article with no outlet"
        art = bare[0]
        app.post_message(OpenArticle(art.id))
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        screen = app.screen
        heading = screen.query_one("#article-heading").render()
        assert str(heading).count(art.id) == 1
        assert screen.sub_title.count(art.id) == 1
        assert "(untitled)" not in str(heading)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.ready)
        for side in ("a", "b"):
            title = str(app.screen.query_one(f"#title-{side}").render())
            shown = app.screen.a if side == "a" else app.screen.b
            assert title.count(shown.id) <= 1


# -- the reader's sidebar -------------------------------------------------------------


async def test_sidebar_rows_are_one_line_and_hidden_by_default_at_80_columns() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.analyses_ready)
        screen = app.screen
        assert not screen.query_one("#sidebar").display  # the text gets the whole width
        view = screen.query_one("#article")
        assert view.size.width >= 76
        await pilot.press("b")
        await pilot.pause()
        assert screen.query_one("#sidebar").display
        sidebar = screen.query_one("#entities", EntitySidebar)
        assert screen.focused is sidebar and sidebar.highlighted is not None
        width = sidebar.scrollable_content_region.width
        for e in sidebar.entities:
            assert len(rendered_lines(sidebar._prompt(e), width)) == 1, e.name
        panel = screen.query_one("#figures", FiguresPanel)
        for f in panel.figures:
            assert len(rendered_lines(panel._prompt(f), width)) == 1, f.text
        # The highlighted entity's full name is on the info line and in the tooltip.
        entity = sidebar.highlighted_entity()
        assert entity is not None and entity.name in str(screen.query_one("#mark-info").render())
        assert sidebar.tooltip is not None
        await pilot.press("b")
        await pilot.pause()
        assert not screen.query_one("#sidebar").display
        assert screen.focused is screen.query_one("#article")
        # Wide again: the sidebar is back, and even the longest name keeps to one line.
        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        assert screen.query_one("#sidebar").display
        longest = max(sidebar.entities, key=lambda e: len(e.name))
        assert len(rendered_lines(sidebar._prompt(longest), sidebar.scrollable_content_region.width)) == 1


# -- coverage defaults ----------------------------------------------------------------


@dataclass(frozen=True)
class _Member:
    article: str


@dataclass(frozen=True)
class _Cluster:
    members: tuple[_Member, ...]


def _clusters(*groups: tuple[str, ...]) -> list[_Cluster]:
    return [_Cluster(tuple(_Member(a) for a in g)) for g in groups]


def test_side_links_choose_the_pair_sharing_the_most() -> None:
    ws = FakeWorkspace()
    # a1, a3: Alpha News; a2: Beta Times; zz-no-outlet has none.
    links = SideLinks.build(ws.outlets(), ws.articles, _clusters(("a2", "zz-no-outlet"), ("a2", "zz-no-outlet"), ("a1", "a2")))
    assert links.units == ["Alpha News", "Beta Times", "zz-no-outlet"]
    assert links.default_pair() == ("Beta Times", "zz-no-outlet", 2)
    assert links.shared("Beta Times", "zz-no-outlet") == 2
    assert links.shared("a1", "Beta Times") == 1
    assert links.shared("Alpha News", "a1") == 0  # one article is not shared with itself
    assert links.best_partner("Alpha News") == "Beta Times"
    none = SideLinks.build(ws.outlets(), ws.articles, [])
    assert none.default_pair()[2] == 0


class _ClusteredWorkspace(FakeWorkspace):
    def clusters(self):
        self.calls.append("clusters")
        return _clusters(("a2", "zz-no-outlet"), ("a2", "zz-no-outlet"), ("a1", "a2"))


async def test_coverage_opens_on_the_pair_that_shares_most_and_pickers_show_counts() -> None:
    ws = _ClusteredWorkspace()
    app = HarnessApp(lambda: CoverageScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.data is not None or screen.error)
        assert (screen.x, screen.y) == ("Beta Times", "zz-no-outlet")
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, SidePicker))
        picker = app.screen
        assert picker.shared is not None and picker.shared["Alpha News"] == 0  # with Y: zz-no-outlet
        assert picker.shared["Beta Times"] == picker.shared["a2"] == 2
        assert "shared" in str(rendered_lines(picker.query_one("#side-picker-list").get_option_at_index(0).prompt, 80))
        await pilot.press("escape")


# -- navigation -------------------------------------------------------------------------


def help_is_early(screen) -> None:
    """"?" is among the first footer keys (so a narrow footer keeps it); the app's copy is hidden."""
    actions = [b.binding.action for b in screen.active_bindings.values() if b.binding.show]
    assert "app.help" in actions[:8], (type(screen).__name__, actions)
    assert "help" not in actions


async def test_analysis_screens_never_stack_twice_and_H_goes_home() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot, app)
        help_is_early(app.screen)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        help_is_early(app.screen)
        for key, cls in (("F", FiguresScreen), ("Q", QuotesScreen), ("C", CoverageScreen)):
            await pilot.press(key)
            await wait_until(pilot, lambda cls=cls: isinstance(app.screen, cls))
            await pilot.pause()
            help_is_early(app.screen)
        depth = len(app.screen_stack)
        await pilot.press("F")  # figures is already open: back to it, not a new one
        await wait_until(pilot, lambda: isinstance(app.screen, FiguresScreen))
        assert len(app.screen_stack) == depth - 2
        assert sum(isinstance(s, FiguresScreen) for s in app.screen_stack) == 1
        await pilot.press("Q")
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(app.screen, FiguresScreen))
        assert sum(isinstance(s, FiguresScreen) for s in app.screen_stack) == 1
        await pilot.press("H")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert len(app.screen_stack) == 2


async def test_keys_typed_right_after_slash_land_in_the_search_box() -> None:
    from textual import events

    app = KazreaderApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.workspace is not None)
        await pilot.pause()
        for key, char in (("slash", "/"), ("c", "c"), ("s", "s"), ("o", "o")):
            app.post_message(events.Key(key, char))  # all at once, like a fast typist
        await wait_until(pilot, lambda: app.screen.query_one("#search").value == "cso")
        assert isinstance(app.screen, LibraryScreen)  # "c" did not open compare
        await pilot.press("slash")
        assert app.screen.query_one("#search").value == "cso/"
