"""Highlight colours that read well in the app's current theme.

The reader and compare screens paint article text with Rich styles. Their
colours were tuned on dark themes (navy passages, pale yellow quotes); on a
light theme those put dark text on navy and pale text on grey. :func:`highlights`
returns the tuned set for a dark theme and, for a light one, a set derived
from the theme's own colours: tints of its primary colour behind text, and
foregrounds darkened until they reach a readable contrast (WCAG 4.5:1) against
the background they are drawn on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from textual.color import Color, ColorParseError
from textual.theme import Theme

from kazreader.ui.widgets.entity_sidebar import ENTITY_STYLES

__all__ = ["DARK", "Highlights", "contrast", "highlights", "readable"]

#: The contrast ratio a foreground keeps against its background (WCAG AA for text).
MIN_CONTRAST = 4.5

BLACK = Color(0, 0, 0)
WHITE = Color(255, 255, 255)


@dataclass(frozen=True)
class Highlights:
    """Every highlight style of the reader and compare screens."""

    layers: Mapping[str, str]  # the reader's layers: passage, quote, figure, disputed, hit, selected, current
    entities: Mapping[str, str]  # entity type -> foreground colour
    passages: tuple[str, ...]  # compare: the backgrounds shared passages cycle through
    current: str  # compare: the current passage
    delete: str  # compare: words only A has
    insert: str  # compare: words only B has
    change: str  # compare: words both changed


#: The colours tuned on textual-dark (what every dark theme uses).
DARK = Highlights(
    layers={
        "passage": "on #23283d",
        "quote": "italic #f1e6a8",
        "figure": "bold #ff8fd0",
        "disputed": "bold #ffffff on #8b1e2d",
        "hit": "bold black on yellow",
        "selected": "bold black on #7fc8ff",
        "current": "reverse",
    },
    entities=dict(ENTITY_STYLES),
    passages=("#233a5e", "#4a2f5e", "#1f4d3a", "#5a4421", "#5c2a36", "#1f4f57"),
    current="on #4f6fa8",
    delete="strike #ff8080",
    insert="underline bold #8cff8c",
    change="bold #ff9cf0",
)


def _luminance(c: Color) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)


def contrast(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(fg: Color, bg: Color, minimum: float = MIN_CONTRAST) -> Color:
    """*fg*, darkened on a light *bg* (lightened on a dark one) until it reads at *minimum* contrast."""
    light = _luminance(bg) > 0.18
    for _ in range(40):
        if contrast(fg, bg) >= minimum:
            break
        fg = fg.darken(0.03) if light else fg.lighten(0.03)
    return fg


def text_on(bg: Color) -> Color:
    """Black or white, whichever reads better on *bg*."""
    return BLACK if contrast(BLACK, bg) >= contrast(WHITE, bg) else WHITE


def _colour(value: str | None, fallback: Color) -> Color:
    try:
        colour = Color.parse(value) if value else fallback
    except ColorParseError:  # e.g. "ansi_default" in the ANSI themes
        return fallback
    # (an ANSI colour is whatever the terminal makes of it: no contrast can be worked out)
    return fallback if colour.ansi is not None else colour


def _tint(colour: Color, lightness: float) -> Color:
    """The hue of *colour* at *lightness* (0..1), saturation kept moderate."""
    hsl = colour.hsl
    return Color.from_hsl(hsl.h, min(hsl.s, 0.65), lightness)


def _behind(text: Color, candidates: list[Color]) -> Color:
    """The first (strongest) candidate background *text* still reads on, else the palest."""
    for bg in candidates:
        if contrast(text, bg) >= MIN_CONTRAST:
            return bg
    return max(candidates, key=_luminance)


def _light(theme: Theme) -> Highlights:
    variables = theme.to_color_system().generate()
    bg = _colour(variables.get("background"), WHITE)
    text = _colour(variables.get("foreground"), BLACK)
    primary = _colour(variables.get("primary"), Color(0, 69, 120))
    warning = _colour(variables.get("warning"), Color(254, 166, 43))
    error = _colour(variables.get("error"), Color(185, 60, 91))
    # Tints behind body text: as strong as the theme's text colour still reads on.
    passage = _behind(text, [bg.blend(primary, a) for a in (0.16, 0.13, 0.10, 0.07, 0.04)])
    selected = _tint(primary, 0.78)
    passages = tuple(_behind(text, [_tint(Color.parse(c), lum) for lum in (0.86, 0.89, 0.92, 0.95)])
                     for c in DARK.passages)
    darkest = min(passages, key=_luminance)

    def fg(style: str, colour: str, on: Color = passage) -> str:
        return f"{style} {readable(Color.parse(colour), on).hex}"

    return Highlights(
        layers={
            "passage": f"on {passage.hex}",
            "quote": f"italic {readable(warning, passage).hex}",
            "figure": fg("bold", "#ff8fd0"),
            "disputed": f"bold {text_on(error).hex} on {error.hex}",
            "hit": f"bold {text_on(warning).hex} on {warning.hex}",
            "selected": f"bold {text_on(selected).hex} on {selected.hex}",
            "current": "reverse",
        },
        entities={kind: readable(Color.parse(colour), passage).hex for kind, colour in DARK.entities.items()},
        passages=tuple(p.hex for p in passages),
        current=f"on {_tint(primary, 0.72).hex}",
        delete=fg("strike", "#ff8080", darkest),
        insert=fg("underline bold", "#8cff8c", darkest),
        change=fg("bold", "#ff9cf0", darkest),
    )


@lru_cache(maxsize=32)
def _for(theme: Theme) -> Highlights:
    return DARK if theme.dark else _light(theme)


def highlights(theme: Theme | None) -> Highlights:
    """The highlight styles for *theme* (the dark set when there is none)."""
    if theme is None:
        return DARK
    try:
        return _for(theme)
    except TypeError:  # an unhashable theme object: derive it each time
        return DARK if theme.dark else _light(theme)
