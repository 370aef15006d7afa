"""The library's story column and filter (issue #14), stars in the rows and the facet of unknown outlets
(issue #18), and a footer that never shows a key cut in half."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from harness import wait_ready, wait_until
from kazreader.analysis.registry import Stage
from kazreader.ui.app import KazreaderApp
from kazreader.ui.screens.library import STAR, LibraryScreen
from kazreader.ui.widgets.facets import FacetList
from kazreader.ui.widgets.story_picker import StoryPicker
from kazreader.workspace import Workspace

STORIES = {
    "flood-a.txt": ("2024-10-30", "Flash floods kill dozens in Valencia",
                    "Flash floods swept through Valencia after torrential rain, killing dozens of residents. "
                    "Rescuers searched flooded garages in Paiporta as the regional government declared mourning."),
    "flood-b.txt": ("2024-10-31", "Valencia counts the dead after floods",
                    "Rescuers in Valencia kept searching flooded garages in Paiporta on Thursday after torrential "
                    "rain and flash floods killed dozens, the regional government said."),
    "tariff-a.txt": ("2018-03-01", "Trump announces steel tariffs",
                     "President Trump said the United States would impose a tariff of 25 percent on steel imports "
                     "and 10 percent on aluminum, rattling markets and trading partners in Canada and Europe."),
    "tariff-b.txt": ("2018-03-02", "Steel tariff plan rattles allies",
                     "Canada and Europe warned of retaliation after Trump announced a 25 percent tariff on steel "
                     "imports and 10 percent on aluminum, and markets fell."),
}


@pytest.fixture
def two_stories(tmp_path: Path) -> Path:
    for name, (date, title, body) in STORIES.items():
        (tmp_path / name).write_text(f"date {date}\n\n{title}\n\n{body}\n", encoding="utf-8")
    return tmp_path


def column_keys(screen: LibraryScreen) -> list[str]:
    return [c.key.value for c in screen.query_one("#articles").ordered_columns]


def row_ids(screen: LibraryScreen) -> list[str]:
    table = screen.query_one("#articles")
    return [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(table.row_count)]


async def test_the_story_column_arrives_with_the_stories_and_f_keeps_one_story(
    two_stories: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real = Workspace.result

    def slow_result(self: Workspace, name: str):  # stories wait (as on a big corpus) until released
        if name == Stage.STORIES:
            release.wait(30)
        return real(self, name)

    monkeypatch.setattr(Workspace, "result", slow_result)
    app = KazreaderApp([str(two_stories)])
    async with app.run_test(size=(140, 30)) as pilot:
        screen = app.library
        await wait_until(pilot, lambda: screen.workspace is not None and len(row_ids(screen)) == 4)
        # the library is usable before the stories exist: no story column, no story filter yet
        assert "story" not in column_keys(screen)
        assert screen.check_action("story_filter", ()) is False
        release.set()
        await wait_ready(pilot, app)
        assert column_keys(screen) == ["outlet", "date", "title", "story", "words", "shared"]
        table = screen.query_one("#articles")
        story = {aid: table.get_cell(aid, "story").plain for aid in row_ids(screen)}
        assert story["flood-a"] == story["flood-b"] != story["tariff-a"] == story["tariff-b"]
        # f: the highlighted article's story is preselected; enter keeps its articles
        table.focus()
        table.move_cursor(row=row_ids(screen).index("tariff-b"))
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, StoryPicker))
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen and len(row_ids(screen)) == 2)
        assert set(row_ids(screen)) == {"tariff-a", "tariff-b"}
        assert "of the story" in str(screen.query_one("#filter-bar").render())
        # a search stays within the story
        await pilot.press("slash", *"tariff OR floods", "enter")
        await wait_until(pilot, lambda: screen.last_result is not None)
        assert {h.id for h in screen.last_result.hits} == {"tariff-a", "tariff-b"}
        await pilot.press("escape")
        # x clears the filter; the palette offers the story filter
        await pilot.press("x")
        assert len(row_ids(screen)) == 4
        from kazreader.ui.commands import binding_commands

        titles = {title for title, *_ in binding_commands(screen)}
        assert "Story filter" in titles


async def test_the_story_picker_can_clear_the_filter(two_stories: Path) -> None:
    app = KazreaderApp([str(two_stories)])
    async with app.run_test(size=(140, 30)) as pilot:
        await wait_ready(pilot, app)
        screen = app.library
        screen.apply_story_filter(screen.stories[0].id)
        await pilot.pause()
        assert len(row_ids(screen)) == 2
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, StoryPicker))
        await pilot.press("home", "enter")  # the first option: all stories
        await wait_until(pilot, lambda: len(row_ids(screen)) == 4)
        assert screen.row_filter is None


async def test_a_one_story_corpus_shows_no_story_column_at_any_width(tmp_path: Path) -> None:
    for name in ("flood-a.txt", "flood-b.txt"):
        date, title, body = STORIES[name]
        (tmp_path / name).write_text(f"date {date}\n\n{title}\n\n{body}\n", encoding="utf-8")
    app = KazreaderApp([str(tmp_path)])
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_ready(pilot, app)
        assert len(app.library.stories) == 1
        assert "story" not in column_keys(app.library)
        assert app.library.check_action("story_filter", ()) is False


async def test_a_starred_article_shows_its_star_in_the_row() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_ready(pilot, app)
        screen = app.library
        table = screen.query_one("#articles")
        aid = row_ids(screen)[1]
        table.move_cursor(row=1)
        await pilot.press("asterisk")
        await wait_until(pilot, lambda: table.get_cell(aid, "title").plain.startswith(STAR))
        assert aid in app.workspace.marks().starred()
        assert not any(table.get_cell(o, "title").plain.startswith(STAR) for o in row_ids(screen) if o != aid)
        await pilot.press("asterisk")
        await wait_until(pilot, lambda: not table.get_cell(aid, "title").plain.startswith(STAR))


async def test_matches_without_an_outlet_are_a_facet_of_their_own() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot, app)
        screen, ws = app.library, app.workspace
        await pilot.press("slash", *"kazakhstan", "enter")
        await wait_until(pilot, lambda: screen.last_result is not None)
        first = screen.last_result
        unknown = first.total - sum(first.facets["outlet"].values())
        assert unknown == sum(1 for h in ws.search("kazakhstan", limit=50).hits if not ws.by_id[h.id].outlet) > 0
        facets = screen.query_one("#facets", FacetList)
        labels = [facets.get_option_at_index(i).prompt.plain for i in range(facets.option_count)]
        index = next(i for i, label in enumerate(labels) if "(outlet unknown)" in label)
        assert labels[index].split()[0] == str(unknown)
        facets.focus()
        facets.highlighted = index
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.last_result is not first and screen.last_result is not None
                         and "outlet:*" in screen.last_result.query)
        assert screen.last_result.total == unknown
        assert all(not ws.by_id[h.id].outlet for h in screen.last_result.hits)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_footer_shows_no_key_cut_under_the_palette(size: tuple[int, int]) -> None:
    app = KazreaderApp()
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot, app)
        await pilot.pause()
        keys = list(app.screen.query(FooterKey))
        palette = next(k for k in keys if k.has_class("-command-palette"))
        shown = [k for k in keys if k.display and k is not palette]
        assert shown and all(k.region.right <= palette.region.x for k in shown)
        assert "/" in {k.key_display for k in shown}
        # (the footer recomposes only when its keys change: Open became enabled with the corpus)
        assert not next(k for k in shown if k.key_display == "o").disabled


async def test_sorting_by_words_reads_the_listings_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting 20,000 articles' words to sort them takes seconds: the listing has the counts."""
    from kazreader.corpus import model

    Workspace().write_listing()
    counted: list[int] = []
    real = model.word_count
    monkeypatch.setattr(model, "word_count", lambda text: counted.append(1) or real(text))
    app = KazreaderApp()
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_ready(pilot, app)
        screen = app.library
        screen.sort_key, screen.sort_reverse = "words", True
        screen.refill()
        await pilot.pause()
        words = [int(screen.query_one("#articles").get_cell(aid, "words").plain) for aid in row_ids(screen)]
        assert words == sorted(words, reverse=True) == sorted((a.words for a in app.workspace.articles), reverse=True)
        assert len(counted) == len(app.workspace.articles)  # (only the check above counted)
