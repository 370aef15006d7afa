"""Findings out of the reader: y copies with a citation, o opens the source, e exports files that parse."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from harness import wait_ready, wait_until
from kazreader.ui.app import KazreaderApp
from kazreader.ui.findings import FindingsKeys
from kazreader.ui.messages import OpenCompare

WIRE = ("Rescue teams pulled 14 survivors from the collapsed apartment block overnight, "
        "the regional emergency ministry said in a statement on Friday morning.")
SOURCES = {
    "alpha": ("Alpha Daily", "Quake hits coastal town", "2023-03-01", "https://alpha.example/quake?id=1&x=2"),
    "beta": ("Beta_Post", "Survivors *found* after quake", "2023-03-02", "https://beta.example/survivors"),
}


@pytest.fixture(scope="session")
def corpus() -> Path:
    """Two outlets reprinting one wire paragraph and one quote (tests/data/findings)."""
    return Path(__file__).parents[1] / "data" / "findings"


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "exports"
    monkeypatch.setenv("KAZREADER_EXPORT_DIR", str(folder))
    return folder


def cited_fields_in(text: str, keys: tuple[str, ...] = ("alpha", "beta")) -> None:
    plain = re.sub(r"\\(.)", r"\1", text)
    for key in keys:
        for value in SOURCES[key]:
            assert value in plain, value


async def open_loaded(pilot: object, app: KazreaderApp, key: str, cls: type) -> None:
    """Press *key* and wait until the screen of class *cls* has its ``data``."""
    await pilot.press(key)  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(app.screen, cls) and getattr(app.screen, "data", None) is not None)


def written(folder: Path, suffix: str) -> list[Path]:
    return sorted(p for p in folder.glob(f"*{suffix}") if p.name != "citations.md")


async def test_y_copies_the_quote_verbatim_with_its_citation(corpus: Path, exports: Path) -> None:
    app = KazreaderApp([str(corpus)])
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("Q")
        await wait_until(pilot, lambda: bool(getattr(app.screen, "shown", None)))
        screen = app.screen
        group = next(g for g in screen.shown if g.speaker and "Lopez" in g.speaker)
        screen.query_one("#quotes-groups").highlighted = screen.shown.index(group)
        await pilot.pause()
        await pilot.press("y")
        q = screen.current_group.renderings[0].quote
        outlet, title, date, url = SOURCES[q.article]
        expected = f"“{q.text}” — {q.speaker}, in {outlet}, “{title}”, {date}, {url}"
        assert app.clipboard == expected
        assert q.text.startswith("We will not stop until every family is found")
        assert app.workspace.by_id[q.article].text[q.start:q.end] == q.text
        assert expected in (exports / "citations.md").read_text(encoding="utf-8")


async def test_y_in_compare_copies_both_renderings_and_e_exports_md_and_csv(corpus: Path, exports: Path) -> None:
    app = KazreaderApp([str(corpus)])
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot, app)
        app.post_message(OpenCompare("alpha", "beta"))
        await wait_until(pilot, lambda: getattr(app.screen, "ready", False))
        await pilot.press("n", "y")
        ws = app.workspace
        pair = app.screen.pairs[0]
        assert app.clipboard == (
            f"“{pair.a_text}” — in Alpha Daily, “Quake hits coastal town”, 2023-03-01, https://alpha.example/quake?id=1&x=2\n\n"
            f"“{pair.b_text}” — in Beta_Post, “Survivors *found* after quake”, 2023-03-02, https://beta.example/survivors")
        assert ws.by_id["alpha"].text[pair.a_start:pair.a_end] == pair.a_text
        await pilot.press("e")
        md, = written(exports, ".md")
        cited_fields_in(md.read_text(encoding="utf-8"))
        rows = list(csv.DictReader(written(exports, ".csv")[0].open(encoding="utf-8")))
        assert rows[0]["a_text"] == pair.a_text and rows[0]["url"] == SOURCES["alpha"][3]
        assert rows[0]["b_url"] == SOURCES["beta"][3]


async def test_e_exports_the_figures_table_and_the_library(corpus: Path, exports: Path) -> None:
    app = KazreaderApp([str(corpus)])
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("e")
        await wait_until(pilot, lambda: bool(written(exports, ".csv")))
        lib_csv, = written(exports, ".csv")
        rows = list(csv.DictReader(lib_csv.open(encoding="utf-8")))
        assert {(r["outlet"], r["title"], r["date"], r["url"]) for r in rows} == set(SOURCES.values())
        cited_fields_in(written(exports, ".md")[0].read_text(encoding="utf-8"))
        for path in exports.iterdir():
            path.unlink()
        await pilot.press("F")
        await wait_until(pilot, lambda: getattr(app.screen, "loaded", False))
        await pilot.press("e")
        await wait_until(pilot, lambda: bool(written(exports, ".csv")))
        rows = list(csv.DictReader(written(exports, ".csv")[0].open(encoding="utf-8")))
        killed = next(r for r in rows if "killed" in r["measure"])
        # ("at least 40" and "more than 60" can both hold: the row is not flagged)
        assert not killed["disagreement"] and killed["Alpha Daily"] == "≥40" and killed["Beta_Post"] == ">60"
        md = written(exports, ".md")[0].read_text(encoding="utf-8")
        cited_fields_in(md)
        assert "| people killed |  | ≥40 | \\>60 |" in md  # (Markdown escapes ">")


async def test_o_opens_the_url_or_shows_it(corpus: Path, exports: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(FindingsKeys, "open_url", staticmethod(lambda url: opened.append(url) or True))
    monkeypatch.setenv("DISPLAY", ":0")
    app = KazreaderApp([str(corpus)])
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ReaderScreen")
        aid = app.screen.article.id
        await pilot.press("o")
        await wait_until(pilot, lambda: bool(opened))
        assert opened == [SOURCES[aid][3]]
        monkeypatch.delenv("DISPLAY")
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        await pilot.press("o")
        await pilot.pause()
        assert any(SOURCES[aid][3] in str(n.message) for n in app._notifications)
        assert len(opened) == 1


async def test_the_keys_are_in_the_palette_help_and_footer(corpus: Path) -> None:
    from kazreader.ui.commands import binding_commands
    from kazreader.ui.screens.help import help_text
    from kazreader.ui.widgets.screen_commands import screen_bindings

    app = KazreaderApp([str(corpus)])
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot, app)
        titles = [t for t, *_ in binding_commands(app.screen)]
        assert {"Copy", "Export", "Source"} <= set(titles)
        await pilot.press("Q")
        await wait_until(pilot, lambda: bool(getattr(app.screen, "shown", None)))
        tips = [b.tooltip or b.description for b in screen_bindings(app.screen)]
        assert any("export" in t.casefold() for t in tips)
        keys = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"y", "o", "e"} <= keys  # shown in the footer
        from rich.console import Console

        console = Console(width=120, record=True)
        for part in help_text(app, app.screen):
            console.print(part)
        assert "Export" in console.export_text()


async def test_reprints_screen_shows_origin_first_and_the_timeline(corpus: Path, exports: Path) -> None:
    from kazreader.ui.screens.reprints import ReprintsScreen

    app = KazreaderApp([str(corpus)])
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_ready(pilot, app)
        await open_loaded(pilot, app, "R", ReprintsScreen)
        screen = app.screen
        cluster = screen.current_cluster
        assert cluster is not None and cluster.origin == "alpha"
        detail = str(screen.query_one("#reprints-detail").render())
        assert detail.index("Alpha Daily") < detail.index("Beta_Post")
        await pilot.press("y")
        by_id = app.workspace.by_id
        a, b = sorted(cluster.members, key=lambda m: m.article)
        assert app.clipboard == (
            f"“{by_id['alpha'].text[a.start:a.end]}” — in Alpha Daily, “Quake hits coastal town”, 2023-03-01, "
            f"https://alpha.example/quake?id=1&x=2\n\n“{by_id['beta'].text[b.start:b.end]}” — in Beta_Post, "
            "“Survivors *found* after quake”, 2023-03-02, https://beta.example/survivors")
        assert app.clipboard.startswith(f"“{WIRE}") and "during the night" in app.clipboard
        await pilot.press("e")
        await wait_until(pilot, lambda: bool(written(exports, ".csv")))
        rows = list(csv.DictReader(written(exports, ".csv")[0].open(encoding="utf-8")))
        assert [(r["article"], r["origin"]) for r in rows] == [("alpha", "true"), ("beta", "false")]
        assert rows[0]["url"] == SOURCES["alpha"][3]
        for path in written(exports, ".csv") + written(exports, ".md"):
            path.unlink()
        await pilot.press("t")
        await pilot.pause()
        assert screen.current_entry.article == "alpha" and screen.current_entry.firsts
        await pilot.press("e")
        await wait_until(pilot, lambda: bool(written(exports, ".csv")))
        rows = list(csv.DictReader(written(exports, ".csv")[0].open(encoding="utf-8")))
        assert [r["article"] for r in rows] == ["alpha", "beta"] and "passage" in rows[0]["firsts"]
        cited_fields_in(written(exports, ".md")[0].read_text(encoding="utf-8"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ReaderScreen")


async def test_coverage_copies_with_Y_and_exports_the_report(corpus: Path, exports: Path) -> None:
    from kazreader.ui.screens.coverage import CoverageScreen

    app = KazreaderApp([str(corpus)])
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot, app)
        await open_loaded(pilot, app, "C", CoverageScreen)
        await pilot.press("Y")
        assert "” — in Alpha Daily" in app.clipboard or "” — in Beta_Post" in app.clipboard
        await pilot.press("e")
        await wait_until(pilot, lambda: bool(written(exports, ".csv")))
        md = written(exports, ".md")[0].read_text(encoding="utf-8")
        cited_fields_in(md)
        rows = list(csv.DictReader(written(exports, ".csv")[0].open(encoding="utf-8")))
        assert {"shared", "only_x", "only_y"} <= {r["section"] for r in rows}


async def test_a_search_hit_and_the_reader_are_cited_and_exported(corpus: Path, exports: Path) -> None:
    app = KazreaderApp([str(corpus)])
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("slash", *"killed", "enter")
        await wait_until(pilot, lambda: app.library.last_result is not None)
        await pilot.press("y")
        assert app.clipboard.startswith(("“At least 40 people were killed", "“More than 60 people were killed"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "analyses_ready", False))
        await pilot.press("e")
        await wait_until(pilot, lambda: bool(written(exports, ".csv")))
        rows = list(csv.DictReader(written(exports, ".csv")[0].open(encoding="utf-8")))
        assert {"quote", "figure"} <= {r["section"] for r in rows}
        aid = app.screen.article.id
        cited_fields_in(written(exports, ".md")[0].read_text(encoding="utf-8"), (aid,))
