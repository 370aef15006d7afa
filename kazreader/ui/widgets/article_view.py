"""A scrollable, wrapped, comfortable-width article view with highlight layers.

The view wraps the article itself (so it knows which screen line every
character offset lands on) and renders through Textual's line API: scrolling to
a span is exact, and resizing re-wraps. Article text is untrusted: it only ever
becomes a :class:`rich.text.Text` built with ``Text(str)``, and control
characters that survived the loader are shown as visible symbols (one
character for one, so the core's offsets stay valid).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich._wrap import divide_line
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

__all__ = ["ArticleView", "Layer", "safe_text"]

Span = tuple[int, int]

# C0 controls (but newline) become the Unicode "control pictures"; DEL and C1
# controls become a replacement character. Length-preserving on purpose.
_SAFE = {c: chr(0x2400 + c) for c in range(32) if c != 10}
_SAFE[9] = " "
_SAFE[127] = "\u2421"
_SAFE.update({c: "\ufffd" for c in range(0x80, 0xA0)})
# Bidi controls and invisible format characters could reorder or hide text.
_SAFE.update({c: "\ufffd" for c in (0x061C, 0xFEFF, *range(0x200B, 0x2010), *range(0x2028, 0x202F), *range(0x2060, 0x206A))})


def safe_text(text: str) -> str:
    """*text* with every terminal control character replaced by a visible one (same length)."""
    return text.translate(_SAFE)


@dataclass(frozen=True)
class Layer:
    """Spans to style, painted in the order layers were given (later wins)."""

    spans: tuple[Span, ...]
    style: str | Style


class ArticleView(ScrollView, can_focus=True):
    """Article text, wrapped at a readable width and centred, with highlight layers."""

    DEFAULT_CSS = """
    ArticleView {
        height: 1fr;
        background: $surface;
        scrollbar-size-vertical: 1;
    }
    ArticleView:focus {
        background-tint: $foreground 3%;
    }
    """

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
    ]

    class Clicked(Message):
        """The text at *offset* was clicked."""

        def __init__(self, view: ArticleView, offset: int) -> None:
            super().__init__()
            self.view = view
            self.offset = offset

        @property
        def control(self) -> ArticleView:
            return self.view

    def __init__(
        self,
        text: str = "",
        *,
        max_width: int = 84,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.max_width = max_width
        self._text = text
        self._layers: dict[str, Layer] = {}
        self._lines: list[Text] = []
        self._starts: list[int] = []
        self._wrap_width = 0
        self._pending_scroll: tuple[int, bool] | None = None
        self._left = 0
        self._styled: Text | None = None

    # -- content -----------------------------------------------------------

    @property
    def text(self) -> str:
        return self._text

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def set_text(self, text: str) -> None:
        """Show *text* (layers are cleared)."""
        self._text = text
        self._layers.clear()
        self._relayout(force=True)
        self.scroll_home(animate=False)

    def set_layer(self, name: str, spans: Iterable[Span], style: str | Style) -> None:
        """Add or replace the highlight layer *name*."""
        self._layers[name] = Layer(tuple(spans), style)
        self._restyle()

    def remove_layer(self, name: str) -> None:
        if self._layers.pop(name, None) is not None:
            self._restyle()

    def set_layers(self, layers: Sequence[tuple[str, Iterable[Span], str | Style]], *, replace: bool = False) -> None:
        """Set several layers at once (one re-render); with *replace*, drop every other layer.

        A layer that already exists keeps its place in the painting order.
        """
        if replace:
            self._layers.clear()
        for name, spans, style in layers:
            self._layers[name] = Layer(tuple(spans), style)
        self._restyle()

    def layer_names(self) -> tuple[str, ...]:
        """The layers, in painting order."""
        return tuple(self._layers)

    def layer_spans(self, name: str) -> tuple[Span, ...]:
        layer = self._layers.get(name)
        return layer.spans if layer else ()

    def styled_text(self) -> Text:
        """The whole article with every layer applied (what the view paints)."""
        if self._styled is None:
            out = Text(safe_text(self._text), end="")
            n = len(self._text)
            for layer in self._layers.values():
                for s, e in layer.spans:
                    s, e = max(0, s), min(n, e)
                    if s < e:
                        out.stylize(layer.style, s, e)
            self._styled = out
        return self._styled

    def _restyle(self) -> None:
        self._styled = None
        self._relayout(force=True)

    # -- layout ------------------------------------------------------------

    def _content_width(self) -> int:
        width = self.scrollable_content_region.width or self.size.width
        return max(1, min(self.max_width, width - 2))

    def _relayout(self, force: bool = False) -> None:
        if self.scrollable_content_region.width <= 0:
            # Not laid out yet (or hidden): wrap when there is a width.
            self._wrap_width = 0
            return
        width = self._content_width()
        if not force and width == self._wrap_width and self._lines:
            return
        # Keep the reader's place: the first character on screen stays on screen.
        top = int(self.scroll_offset.y)
        anchor = self._starts[min(top, len(self._starts) - 1)] if top > 0 and self._starts else None
        self._wrap_width = width
        styled = self.styled_text()
        plain = styled.plain
        lines: list[Text] = []
        starts: list[int] = []
        pos = 0
        for raw in plain.split("\n"):
            end = pos + len(raw)
            if not raw:
                lines.append(Text(""))
                starts.append(pos)
            else:
                segment = styled[pos:end]
                offsets = divide_line(raw, width, fold=True)
                for piece, off in zip(segment.divide(offsets), [0, *offsets]):
                    piece.rstrip_end(width)
                    lines.append(piece)
                    starts.append(pos + off)
            pos = end + 1
        self._lines, self._starts = lines, starts
        self.virtual_size = Size(width, len(lines))
        self.refresh()
        if self._pending_scroll is not None:
            self.call_after_refresh(self._apply_pending_scroll)
        elif anchor is not None:
            self.scroll_to(y=self.line_of(anchor), animate=False, immediate=True, force=True)

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def on_mount(self) -> None:
        self._relayout(force=True)

    # -- positions ---------------------------------------------------------

    def line_of(self, offset: int) -> int:
        """The wrapped line that shows character *offset*."""
        if not self._starts:
            return 0
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def offset_at(self, line: int, column: int) -> int:
        if not self._starts:
            return 0
        line = max(0, min(line, len(self._starts) - 1))
        return self._starts[line] + max(0, min(column, len(self._lines[line].plain)))

    def scroll_to_offset(self, offset: int, *, animate: bool = False) -> None:
        """Scroll so that *offset* sits about a third of the way down the view.

        Before the view is laid out (no width yet, or a new virtual size not yet
        applied) the target is kept and applied as soon as layout catches up.
        """
        self._pending_scroll = (offset, animate)
        self._apply_pending_scroll()

    def _apply_pending_scroll(self) -> None:
        if self._pending_scroll is None:
            return
        offset, animate = self._pending_scroll
        self._relayout()
        height = self.scrollable_content_region.height
        if not self._lines or height <= 0:
            return  # _relayout retries once there is a size
        if self.max_scroll_y < len(self._lines) - height:
            self.call_after_refresh(self._apply_pending_scroll)  # virtual size not applied yet
            return
        self._pending_scroll = None
        top = max(0, self.line_of(offset) - max(1, height // 3))
        # force: Textual ignores scrolling until the scrollbar has been laid out,
        # which happens after the first paint of a newly opened article.
        self.scroll_to(y=top, animate=animate, immediate=not animate, force=True)

    def visible_offsets(self) -> Span:
        """The range of characters currently on screen."""
        if not self._starts:
            return (0, 0)
        top = int(self.scroll_offset.y)
        bottom = min(len(self._starts) - 1, top + self.scrollable_content_region.height - 1)
        return self._starts[min(top, len(self._starts) - 1)], self._starts[bottom] + len(self._lines[bottom].plain)

    # -- rendering ---------------------------------------------------------

    def on_show(self) -> None:
        self._relayout()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width > 0 and max(1, min(self.max_width, width - 2)) != self._wrap_width:
            # Laid out while hidden or before the first resize: re-wrap now.
            self.call_after_refresh(self._relayout)
        base = self.rich_style
        index = int(self.scroll_offset.y) + y
        if index < 0 or index >= len(self._lines) or width <= 0:
            return Strip.blank(max(0, width), base)
        left = max(0, (width - self._wrap_width) // 2)
        segments = list(self._lines[index].render(self.app.console, end=""))
        if left:
            segments.insert(0, Segment(" " * left))
        strip = Strip(segments).crop_extend(0, width, None)
        return strip.apply_style(base)

    def on_click(self, event: events.Click) -> None:
        if not self._lines:
            return
        width = self.scrollable_content_region.width
        left = max(0, (width - self._wrap_width) // 2)
        line = int(self.scroll_offset.y) + event.y
        if 0 <= line < len(self._lines):
            self.post_message(self.Clicked(self, self.offset_at(line, event.x - left)))
