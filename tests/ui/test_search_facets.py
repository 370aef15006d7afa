"""Library search facets (issue #18): choosing an outlet narrows the search; s orders hits by date."""

from __future__ import annotations

from harness import wait_ready, wait_until

from kazreader.ui.app import KazreaderApp
from kazreader.ui.widgets.facets import FacetList


async def test_choosing_an_outlet_facet_narrows_the_search() -> None:
    app = KazreaderApp()
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot, app)
        screen = app.screen
        ws = app.workspace
        await pilot.press("slash", *"kazakhstan", "enter")
        await wait_until(pilot, lambda: screen.last_result is not None)
        first = screen.last_result
        facets = screen.query_one("#facets", FacetList)
        assert facets.display and first.facets["outlet"]
        assert sum(first.facets["outlet"].values()) <= first.total
        # the first outlet option (after the "Outlets" heading)
        outlet, count = next(iter(first.facets["outlet"].items()))
        facets.focus()
        facets.highlighted = 1
        assert facets.filter_at(1) == f'outlet:"{outlet}"'
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.last_result is not None and screen.last_result is not first
                         and "outlet:" in screen.last_result.query)
        narrowed = screen.last_result
        assert screen.query_one("#search").value == f'kazakhstan outlet:"{outlet}"'
        assert narrowed.total == count
        assert {ws.by_id[h.id].outlet for h in narrowed.hits} == {outlet}
        # s orders the hits by date, oldest first
        screen.query_one("#results").focus()
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.last_result is not narrowed)
        days = [ws.by_id[h.id].date or "" for h in screen.last_result.hits]
        assert screen.search_sort == "date" and days == sorted(days)
