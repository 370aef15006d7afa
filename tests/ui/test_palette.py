"""Highlight colours follow the theme: every foreground reads on its background in the light themes."""

from __future__ import annotations

import pytest
from harness import wait_until
from rich.style import Style
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from kazreader.ui.app import KazreaderApp
from kazreader.ui.palette import DARK, MIN_CONTRAST, contrast, highlights

LIGHT = sorted(name for name, theme in BUILTIN_THEMES.items() if not theme.dark)


def _colours(style: str) -> tuple[Color | None, Color | None]:
    s = Style.parse(style)
    fg = Color.from_rich_color(s.color) if s.color and s.color.triplet else None
    bg = Color.from_rich_color(s.bgcolor) if s.bgcolor and s.bgcolor.triplet else None
    return fg, bg


def test_dark_themes_keep_the_tuned_colours() -> None:
    assert highlights(BUILTIN_THEMES["textual-dark"]) is DARK
    assert highlights(None) is DARK


@pytest.mark.parametrize("name", LIGHT)
def test_every_highlight_reads_in_a_light_theme(name: str) -> None:
    theme = BUILTIN_THEMES[name]
    colours = highlights(theme)
    foreground = Color.parse(theme.foreground) if theme.foreground and not theme.foreground.startswith("ansi") else Color(0, 0, 0)
    passage = _colours(colours.layers["passage"])[1]
    assert passage is not None and contrast(foreground, passage) >= MIN_CONTRAST  # body text on a passage
    for layer in ("quote", "figure", "disputed", "hit", "selected"):
        fg, bg = _colours(colours.layers[layer])
        assert fg is not None
        assert contrast(fg, bg or passage) >= MIN_CONTRAST, (name, layer)
    for kind, colour in colours.entities.items():
        assert contrast(Color.parse(colour), passage) >= MIN_CONTRAST, (name, kind)
    for style in (colours.delete, colours.insert, colours.change):
        fg, _ = _colours(style)
        assert fg is not None
        for bg in colours.passages:
            assert contrast(fg, Color.parse(bg)) >= MIN_CONTRAST, (name, style, bg)
    for bg in colours.passages:  # body text on a compare passage
        assert contrast(foreground, Color.parse(bg)) >= MIN_CONTRAST


async def test_the_reader_repaints_when_the_theme_changes() -> None:
    from kazreader.ui.screens.reader import ReaderScreen

    app = KazreaderApp(warm=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.workspace is not None)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.analyses_ready)
        view = app.screen.query_one("#article")
        assert view._layers["passage"].style == DARK.layers["passage"]
        app.theme = "catppuccin-latte"
        await wait_until(pilot, lambda: view._layers["passage"].style != DARK.layers["passage"])
        light = highlights(app.current_theme)
        assert view._layers["passage"].style == light.layers["passage"]
        assert view._layers["entity-PLACE"].style == light.entities["PLACE"]
