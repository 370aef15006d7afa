"""QuotesScreen: statement groups, wording diffs, filter, opening a rendering."""

from __future__ import annotations

import pytest
from harness import HOSTILE, FakeWorkspace, HarnessApp

from kazreader.ui.screens.quotes import QuotesScreen
from kazreader.ui.widgets.quote_groups import (
    GroupList,
    RenderingList,
    statement_groups,
    missing_words,
    wording_diff,
)


async def _ready(pilot, screen) -> None:
    for _ in range(100):
        await pilot.pause()
        if screen.groups or screen.error or screen.query_one("#quotes-body").loading is False:
            break
    await pilot.pause()


def test_wording_diff_marks_changed_words_and_keeps_the_rendering_verbatim() -> None:
    rendering = "Dozens of attackers were eliminated overnight"
    text, sim = wording_diff("Dozens of assailants were eliminated", rendering)
    assert text.plain == rendering  # never another outlet's words spliced in
    styles = {text.plain[s.start:s.end]: str(s.style) for s in text.spans}
    assert "magenta" in styles["attackers"]
    assert "underline" in styles["overnight"]
    assert 0 < sim < 1
    assert missing_words("Dozens of assailants were eliminated", rendering) == 1
    same, sim = wording_diff("“Peacekeeping forces…”", "\"Peacekeeping forces...\"")
    assert sim == 1.0 and not same.spans


def test_statement_groups_orders_by_outlets_and_first_rendering() -> None:
    ws = FakeWorkspace()
    groups = statement_groups(ws.quotes(), ws.by_id)
    assert groups[0].id == "g1"
    assert groups[0].speaker == "Saltanat Azirbek"
    assert groups[0].outlets == ["Alpha News", "Beta Times"]
    assert groups[0].first.quote.article == "a1"  # earliest date first
    assert groups[0].differs


def test_a_fragment_comes_after_a_statement_carried_as_widely() -> None:
    # (abp-dev's trade coverage: "too many", "dumping" topped the whole statements of three outlets)
    from kazreader.analysis.quotes import Quote

    quotes = [
        Quote("a1", 0, 8, "too many", "Ann Lee", "Lee", None, None, "frag"),
        Quote("a2", 0, 8, "too many", "Ann Lee", "Lee", None, None, "frag"),
        Quote("a1", 20, 60, "The bridge will reopen before the winter", "Ann Lee", "Lee", None, None, "whole"),
        Quote("a2", 20, 60, "The bridge will reopen before the winter", "Ann Lee", "Lee", None, None, "whole"),
        Quote("a1", 70, 75, "early", "Bo Park", "Park", None, None, "alone"),
    ]
    ws = FakeWorkspace(quote_list=quotes)
    assert [g.id for g in statement_groups(ws.quotes(), ws.by_id)] == ["whole", "frag", "alone"]


async def test_lists_groups_and_renderings() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: QuotesScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuotesScreen)
        await _ready(pilot, screen)
        groups = screen.query_one(GroupList)
        assert groups.option_count == 3
        renderings = screen.query_one(RenderingList)
        assert renderings.option_count == 2
        assert not screen.has_class("-stacked")
        # the hostile quote is shown literally, never parsed as markup
        screen.query_one("#quotes-filter").value = "boom"
        await pilot.pause()
        assert groups.option_count == 1
        prompt = renderings.get_option_at_index(0).prompt
        assert HOSTILE in prompt.plain


async def test_enter_opens_selected_rendering_and_n_moves() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: QuotesScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.opened[-1].article_id == "a1"
        q = ws.quote_list[0]
        assert app.opened[-1].span == (q.start, q.end)
        await pilot.press("n", "enter")
        await pilot.pause()
        assert app.opened[-1].article_id == "a2"
        # tab to the renderings, k back up, enter opens the first one
        await pilot.press("tab", "k", "enter")
        await pilot.pause()
        assert screen.focused is screen.query_one(RenderingList)
        assert app.opened[-1].article_id == "a1"


async def test_filter_is_typography_insensitive_and_escape_clears() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: QuotesScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        await pilot.press("slash")
        assert screen.focused.id == "quotes-filter"
        await pilot.press(*"AZIRBEK")
        await pilot.pause()
        assert [g.id for g in screen.shown] == ["g1"]
        flt = screen.query_one("#quotes-filter")
        flt.value = "we’re not"  # curly apostrophe vs none: no match, then fold-equal words
        await pilot.pause()
        assert screen.shown == []
        flt.value = "NOT AFRAID"
        await pilot.pause()
        assert [g.id for g in screen.shown] == ["g3"]
        await pilot.press("escape")
        assert flt.value == ""
        await pilot.press("escape")
        assert screen.focused is screen.query_one(GroupList)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuotesScreen)


async def test_only_differing_toggle_and_q_back() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: QuotesScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        await pilot.press("d")
        assert [g.id for g in screen.shown] == ["g1"]
        await pilot.press("d")
        assert len(screen.shown) == 3
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, QuotesScreen)


async def test_core_failure_is_reported_not_raised() -> None:
    ws = FakeWorkspace(fail="quotes")
    app = HarnessApp(lambda: QuotesScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        assert screen.error and "exploded" in screen.error
        await pilot.press("enter", "n", "p")  # nothing to open: no crash


async def test_empty_corpus() -> None:
    ws = FakeWorkspace(quote_list=[])
    app = HarnessApp(lambda: QuotesScreen(ws))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        assert screen.shown == []
        await pilot.press("enter", "tab", "slash", "x")


@pytest.mark.parametrize("size", [(80, 24), (160, 45), (20, 6)])
async def test_sizes_and_resize(size) -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: QuotesScreen(ws))
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        assert screen.has_class("-stacked") == (size[0] < 110)
        await pilot.resize_terminal(130, 30)
        await pilot.pause()
        assert not screen.has_class("-stacked")
        await pilot.resize_terminal(15, 5)
        await pilot.pause()
        assert screen.has_class("-stacked")


async def test_palette_lists_screen_actions() -> None:
    from kazreader.ui.widgets.screen_commands import screen_bindings

    ws = FakeWorkspace()
    app = HarnessApp(lambda: QuotesScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(pilot, app.screen)
        actions = {b.action for b in screen_bindings(app.screen)}
        assert {"back", "filter", "open", "next_rendering", "toggle_differs"} <= actions
        assert all(b.id for b in QuotesScreen.BINDINGS)


async def test_command_palette_runs_screen_action() -> None:
    from textual.widgets import OptionList

    ws = FakeWorkspace()
    app = HarnessApp(lambda: QuotesScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"wording differs")
        for _ in range(40):
            await pilot.pause(0.05)
            if app.screen.query(OptionList) and app.screen.query_one(OptionList).option_count:
                break
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.only_differing


async def test_renderings_show_only_their_own_words_and_copy_is_verbatim() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: QuotesScreen(ws))
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        renderings = screen.query_one(RenderingList)
        group = screen.current_group
        for i, r in enumerate(group.renderings):
            body = renderings.get_option_at_index(i).prompt.plain.split("\n", 1)[1]
            assert body == f"“{r.quote.text}”"  # exactly the outlet's words between marks
        await pilot.press("n", "y")
        await pilot.pause()
        (text,) = copied  # the verbatim rendering between marks, then its citation
        assert text.startswith(f"“{group.renderings[1].quote.text}” — ")


async def test_by_speaker_view_lists_every_quote_of_a_speaker() -> None:
    ws = FakeWorkspace()
    app = HarnessApp(lambda: QuotesScreen(ws))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _ready(pilot, screen)
        await pilot.press("s")
        await pilot.pause()
        assert screen.by_speaker
        assert [g.speaker for g in screen.shown] == ["Saltanat Azirbek"]
        assert len(screen.shown[0].renderings) == 2
        assert screen.query_one("#quotes-groups-pane").border_title == "speakers"
        await pilot.press("s")
        assert not screen.by_speaker and len(screen.shown) == 3
        from kazreader.ui.widgets.screen_commands import screen_bindings

        assert {"toggle_speakers", "copy_finding"} <= {b.action for b in screen_bindings(screen)}


def test_same_statement_credited_to_two_speakers_is_shown_as_a_finding() -> None:
    from kazreader.analysis.quotes import Quote
    from kazreader.ui.widgets.quote_groups import group_prompt

    a = Quote("a1", 0, 22, "The bridge will reopen", "Ann Lee", "Lee", None, None, "g1", ("g2",))
    b = Quote("a2", 0, 22, "The bridge will reopen", "Bo Park", "Park", None, None, "g2", ("g1",))
    ws = FakeWorkspace(quote_list=[a, b])
    groups = {g.speaker: g for g in statement_groups(ws.quotes(), ws.by_id)}
    assert groups["Ann Lee"].also == ("Bo Park",) and groups["Bo Park"].also == ("Ann Lee",)
    assert "attributed differently" in group_prompt(groups["Ann Lee"]).plain
