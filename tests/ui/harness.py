"""A tiny app to drive one screen in Pilot tests, and a small in-memory workspace.

``HarnessApp(factory)`` pushes ``factory()`` on mount and records every
``OpenArticle`` / ``OpenCompare`` the screen posts. ``FakeWorkspace`` answers
the Workspace calls the TUI-B screens make with hand-made data shaped like the
core's dataclasses (including article text that looks like Rich markup, which
must be shown literally).
"""

from __future__ import annotations

import asyncio

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from kazreader.analysis.entities import Entity, Mention, MentionList
from kazreader.analysis.figures import Figure
from kazreader.analysis.passages import PassagePair
from kazreader.analysis.quotes import Quote
from kazreader.corpus.model import Article
from kazreader.paths import styles_dir
from kazreader.ui.messages import OpenArticle, OpenCompare
from kazreader.workspace import Workspace
from kazreader.ui.widgets.status import stages


class HarnessApp(App[None]):
    """Pushes one screen and records the navigation messages it posts."""

    CSS_PATH = sorted(str(p) for p in styles_dir().glob("*.tcss"))

    def __init__(self, factory: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.factory = factory
        self.opened: list[OpenArticle] = []
        self.compared: list[OpenCompare] = []

    def compose(self) -> ComposeResult:
        yield Static("harness root")

    def on_mount(self) -> None:
        self.push_screen(self.factory())

    def on_open_article(self, message: OpenArticle) -> None:
        self.opened.append(message)

    def on_open_compare(self, message: OpenCompare) -> None:
        self.compared.append(message)


# -- a small in-memory workspace ------------------------------------------------

HOSTILE = "[bold red]BOOM[/] [link=https://x.invalid]click[/link]"


def _article(aid: str, outlet: str | None, date: str | None, paragraphs: list[str]) -> Article:
    text = "\n\n".join(paragraphs)
    spans, pos = [], 0
    for p in paragraphs:
        spans.append((pos, pos + len(p)))
        pos += len(p) + 2
    return Article(aid, f"/fake/{aid}.txt", text, tuple(spans), outlet, date, None, None)


ARTICLES = [
    _article("a1", "Alpha News", "2022-01-05", [
        "Police said 12 officers were killed in Almaty.",
        "“Dozens of assailants were eliminated,” police spokesman Saltanat Azirbek said.",
        f"A reader wrote: “{HOSTILE} is not markup.”",
        "The president thanked the alliance for its help.",
    ]),
    _article("a2", "Beta Times", "2022-01-06", [
        "Police said 13 officers were killed in Almaty.",
        "“Dozens of attackers were eliminated overnight,” spokeswoman Saltanat Azirbek said.",
        "More than 1,000 people were wounded, the health ministry said.",
    ]),
    _article("a3", "Alpha News", "2022-01-07", [
        "At least 8 officers were killed, officials said.",
        "About 1,000 people were wounded.",
    ]),
    _article("zz-no-outlet", None, None, [
        "Dozens of officers were killed, a witness said.",
        "“We are not afraid,” said a protester.",
    ]),
]


def _span(aid: str, needle: str) -> tuple[int, int]:
    text = next(a for a in ARTICLES if a.id == aid).text
    start = text.index(needle)
    return start, start + len(needle)


def _quote(aid: str, words: str, speaker: str | None, speaker_text: str | None, group: str) -> Quote:
    s, e = _span(aid, words)
    return Quote(aid, s, e, words, speaker, speaker_text, None, None, group)


QUOTES = [
    _quote("a1", "Dozens of assailants were eliminated,", "Saltanat Azirbek", "police spokesman Saltanat Azirbek", "g1"),
    _quote("a2", "Dozens of attackers were eliminated overnight,", "Saltanat Azirbek", "spokeswoman Saltanat Azirbek", "g1"),
    _quote("a1", f"{HOSTILE} is not markup.", None, None, "g2"),
    _quote("zz-no-outlet", "We are not afraid,", None, "a protester", "g3"),
]


def fake_figure(aid: str, start: int, end: int, text: str, sentence: str, value, low, high,
                qualifier: str, measure: str | None) -> Figure:
    """A real :class:`Figure` with what the UI tests don't need left empty (noun and predicate from *measure*)."""
    noun, _, predicate = (measure or "").rpartition(" ")
    return Figure(aid, start, end, text, sentence, value, low, high, qualifier, measure, counted=None, kind="count",
                  noun=noun or None, predicate=predicate or None)


def _figure(aid: str, text: str, sentence: str, value, low, high, qualifier, measure) -> Figure:
    s, e = _span(aid, text)
    return fake_figure(aid, s, e, text, sentence, value, low, high, qualifier, measure)


_F = [
    _figure("a1", "12", "Police said 12 officers were killed in Almaty.", 12, 12, 12, "exact", "officers killed"),
    _figure("a2", "13", "Police said 13 officers were killed in Almaty.", 13, 13, 13, "exact", "officers killed"),
    _figure("a3", "At least 8", "At least 8 officers were killed, officials said.", 8, 8, None, "at_least", "officers killed"),
    _figure("zz-no-outlet", "Dozens", "Dozens of officers were killed, a witness said.", None, 24, 99, "vague", "officers killed"),
    _figure("a2", "More than 1,000", "More than 1,000 people were wounded, the health ministry said.", 1000, 1001, None, "more_than", "people wounded"),
    _figure("a3", "About 1,000", "About 1,000 people were wounded.", 1000, 900, 1100, "about", "people wounded"),
]


@dataclass(frozen=True)
class FakeDisagreement:
    measure: str
    values: tuple[Figure, ...]
    story: str | None = None

    def disagreeing(self) -> tuple[tuple[Figure, Figure], ...]:
        from kazreader.analysis.figures import compare

        return tuple((a, b) for i, a in enumerate(self.values) for b in self.values[i + 1:]
                     if a.article != b.article and compare(a, b).disagrees)


@dataclass(frozen=True)
class FakeFigures:
    figures: tuple[Figure, ...]
    disagreements: tuple[FakeDisagreement, ...]


FIGURES = FakeFigures(tuple(_F), (FakeDisagreement("officers killed", (_F[0], _F[1], _F[2])),))


def _entity(name: str, typ: str, *where: tuple[str, str]) -> Entity:
    mentions = [Mention(a, *_span(a, w), w) for a, w in where]
    return Entity(name, typ, (name,), MentionList.of(mentions, name, {a.id: a.text for a in ARTICLES}))


ENTITIES = [
    _entity("Almaty", "PLACE", ("a1", "Almaty"), ("a2", "Almaty")),
    _entity("Saltanat Azirbek", "PERSON", ("a1", "Saltanat Azirbek"), ("a2", "Saltanat Azirbek")),
    _entity("health ministry", "ORG", ("a2", "health ministry")),
    _entity("alliance", "ORG", ("a1", "alliance")),
]




@dataclass
class FakeWorkspace:
    """Answers the Workspace calls made by the quotes, figures and coverage screens."""

    articles: list[Article] = field(default_factory=lambda: list(ARTICLES))
    quote_list: list[Any] = field(default_factory=lambda: list(QUOTES))
    figures_result: Any = FIGURES
    entity_list: list[Any] = field(default_factory=lambda: list(ENTITIES))
    fail: str | None = None
    calls: list[str] = field(default_factory=list)

    @property
    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    def _check(self, name: str) -> None:
        self.calls.append(name)
        if self.fail == name:
            raise RuntimeError(f"{name} exploded")

    def quotes(self) -> list[Any]:
        self._check("quotes")
        return self.quote_list

    def figures(self) -> Any:
        self._check("figures")
        return self.figures_result

    def entities(self) -> list[Any]:
        self._check("entities")
        return self.entity_list

    def stories(self) -> list[Any]:
        """One story per ``story`` the figures name (none: the figures of one event)."""
        from kazreader.analysis.stories import Story

        ids = sorted({f.story for f in self.figures_result.figures if f.story})
        return [Story(s, f"label of {s}", tuple(sorted({f.article for f in self.figures_result.figures
                                                           if f.story == s}))) for s in ids]

    # the real grouping: it only reads ``self.articles``
    outlets = Workspace.outlets

    def compare(self, a: Article, b: Article) -> list[PassagePair]:
        pairs = []
        for pa in a.paragraph_texts():
            for pb in b.paragraph_texts():
                if pa.split()[:2] == pb.split()[:2]:
                    sa, sb = a.text.index(pa), b.text.index(pb)
                    pairs.append(PassagePair(sa, sa + len(pa), pa, sb, sb + len(pb), pb, len(pa.split()), 0.8, ()))
        return pairs

    def coverage(self, x: str, y: str) -> Any:
        from kazreader.analysis.coverage import compare_coverage

        self._check("coverage")
        sx, sy = self._side(x), self._side(y)
        return compare_coverage(
            sx[0], sx[1], sy[0], sy[1], compare=self.compare,
            entities=self.entity_list, quotes=self.quote_list, figures=self.figures_result,
        )

    def _side(self, ref: str) -> tuple[str, list[Article]]:
        outlets = self.outlets()
        if ref in outlets:
            return ref, outlets[ref]
        art = self.by_id[ref]
        return art.label, [art]


async def wait_until(pilot: Any, predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    """Pause the pilot until *predicate* holds; fail after *timeout* seconds."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        if loop.time() > end:
            raise AssertionError("timed out waiting")
        await pilot.pause(0.05)


async def wait_ready(pilot: Any, app: Any) -> None:
    """The corpus is loaded and every warm-up analysis of the real app finished."""
    await wait_until(pilot, lambda: app.workspace is not None and len(app.stages) == len(stages())
                     and all(s in ("done", "failed") for s in app.stages.values()))
    await pilot.pause()
