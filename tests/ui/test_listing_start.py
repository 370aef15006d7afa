"""The library paints its rows from the cached listing before the corpus has loaded."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from harness import wait_ready, wait_until

from kazreader.ui.app import KazreaderApp
from kazreader.workspace import Workspace

FLOOD = Path(__file__).parents[1] / "data" / "flood"


async def test_rows_from_the_listing_then_the_articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAZREADER_CACHE", str(tmp_path / "cache"))
    app = KazreaderApp([str(FLOOD)])
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot, app)  # the warm-up ends by storing the listing
        expected = [a.id for a in app.library.visible_articles()]
    real_init = Workspace.__init__
    loading = threading.Event()  # the corpus loads (a large one: until the test says so)
    may_finish = threading.Event()

    def slow_init(self: Workspace, *args: object, **kwargs: object) -> None:
        loading.set()
        may_finish.wait(timeout=60)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(Workspace, "__init__", slow_init)
    app = KazreaderApp([str(FLOOD)])
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.library.query_one("#articles")
        await wait_until(pilot, lambda: table.row_count == len(expected) and loading.is_set())
        assert app.workspace is None  # painted from the listing
        assert [r.value for r in table.rows] == expected
        await pilot.press("enter")  # nothing to open yet: no error
        from textual.widgets._footer import FooterKey

        def footer_disabled() -> dict[str, bool]:
            return {k.action: k.has_class("-disabled") for k in app.screen.query(FooterKey)}

        assert footer_disabled().get("open") is True  # nothing to open yet, and the footer says so
        may_finish.set()
        await wait_ready(pilot, app)
        assert [r.value for r in table.rows] == expected
        assert app.library.articles[0].__class__.__name__ == "Article"
        # the articles arrived: Open and Compare light up (the snapshot test caught them dim)
        await wait_until(pilot, lambda: footer_disabled().get("open") is False)
        assert footer_disabled().get("compare") is False


async def test_the_warm_up_stores_the_files_witness(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After the reader's warm-up, `articles --json` answers from the listing without loading."""
    from kazreader.corpus import listing

    monkeypatch.setenv("KAZREADER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(listing, "RACY_NS", 0)  # (files written just now count as settled)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("First story\n\nPolice said 12 people were detained.\n")
    (corpus / "b.txt").write_text("Second story\n\nOfficials said 13 people were detained.\n")
    app = KazreaderApp([str(corpus)])
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot, app)
        cache_dir = app.workspace.cache_dir
    stored = listing.fresh_listing(cache_dir, listing.tree_witness([str(corpus)]))
    assert stored is not None and [r.id for r in stored[0]] == ["a", "b"]
