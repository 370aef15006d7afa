"""Article text that looks like Rich markup or carries escape sequences is shown literally."""

from __future__ import annotations

from pathlib import Path

from kazreader.corpus import Article, Corpus
from kazreader.ui.app import KazreaderApp
from kazreader.ui.messages import OpenArticle, OpenCompare
from kazreader.ui.screens.compare import CompareScreen
from kazreader.ui.screens.reader import ReaderScreen
from kazreader.ui.widgets.article_view import ArticleView, safe_text
from kazreader.ui.widgets.status import stages
from harness import wait_until

MARKUP = "[bold red]BOOM[/bold red] [link=https://evil.example]click[/link] [@click=app.quit]quit[/]"
ESCAPES = "\x1b[31mred\x1b[0m and \x1b]8;;https://x\x07link\x1b]8;;\x07 bell\x07"


def article(aid: str, outlet: str, extra: str) -> Article:
    text = (
        f"{MARKUP} Police in Almaty said dozens of people were killed on Thursday.\n\n"
        f"{ESCAPES} President Tokayev said order had been restored. {extra}"
    )
    first = text.index("\n\n")
    return Article(
        id=aid, path=f"/tmp/{aid}.txt", text=text,
        paragraphs=((0, first), (first + 2, len(text))),
        outlet=outlet, date="2022-01-06", title=f"[b]{aid}[/b] {MARKUP}",
    )


def make_app(tmp_path: Path) -> KazreaderApp:
    from kazreader.workspace import Workspace

    corpus = Corpus([article("hostile-a", "[i]Outlet[/i]", "More text."),
                     article("hostile-b", "Other [red]outlet", "Different ending here.")])
    return KazreaderApp(workspace_factory=lambda **kw: Workspace(corpus=corpus, cache_dir=tmp_path / "c", **kw))


def screen_text(app) -> str:
    """Everything on screen, as plain characters."""
    lines = app.screen._compositor.render_update(full=True)  # noqa: SLF001
    del lines
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())  # noqa: SLF001


def test_safe_text_keeps_offsets_and_shows_controls() -> None:
    out = safe_text(ESCAPES)
    assert len(out) == len(ESCAPES)
    assert "\x1b" not in out and "\x07" not in out
    assert "␛" in out


async def test_markup_and_escapes_are_literal_everywhere(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_until(pilot, lambda: app.workspace is not None and len(app.stages) == len(stages())
                         and all(s in ("done", "failed") for s in app.stages.values()))
        await pilot.pause()
        shown = screen_text(app)
        assert "[b]hostile-a[/b] [bold red]BOOM" in shown
        assert "[i]Outlet[/i]" in shown
        # search snippets
        await pilot.press("slash", *"BOOM")
        await wait_until(pilot, lambda: app.screen.last_result is not None)
        await pilot.pause()
        shown = screen_text(app)
        assert "[bold red]BOOM[/bold red]" in shown
        # the reader
        app.post_message(OpenArticle("hostile-a"))
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.analyses_ready)
        await pilot.pause()
        view = app.screen.query_one("#article", ArticleView)
        rendered = "\n".join(view.render_line(y).text for y in range(view.size.height))
        assert "[bold red]BOOM[/bold red]" in rendered
        assert "[link=https://evil.example]click[/link]" in rendered
        assert "[@click=app.quit]quit[/]" in rendered
        assert "\x1b" not in rendered and "\x07" not in rendered
        shown = screen_text(app)
        assert "[b]hostile-a[/b]" in shown  # the heading
        assert "\x1b" not in shown
        # the compare screen
        app.post_message(OpenCompare("hostile-a", "hostile-b"))
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.ready)
        await pilot.pause()
        shown = screen_text(app)
        assert shown.count("[bold red]BOOM[/bold red]") >= 2
        assert "Other [red]outlet" in shown
        assert "\x1b" not in shown
        # still running: the [@click=app.quit] text was not an action
        assert app.is_running
