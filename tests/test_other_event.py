"""End to end on a different event than the bundled corpus (a flood, three outlets,
three formats), so no feature is tuned to the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazreader.workspace import Workspace

FLOOD = Path(__file__).parent / "data" / "flood"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace([FLOOD], cache_dir=tmp_path_factory.mktemp("flood-cache"))


def test_metadata_from_three_formats(ws: Workspace) -> None:
    meta = {a.id: (a.outlet, a.date, a.title) for a in ws.articles}
    assert meta == {
        "afp-bd-0815": ("AFP", "2024-08-15", "Bangladesh flood toll rises to 52"),
        "local": (None, None, "Army joins rescue as rivers swell"),
        "reuters": ("Reuters", "2024-08-14", "Floods kill at least 37 in northern Bangladesh"),
    }
    afp = ws.resolve("afp")
    assert "Read more" not in afp.text and "newsletter" not in afp.text
    assert ws.resolve("local").author == "Farhana Akter"


def test_entities_merge_variants_without_junk(ws: Workspace) -> None:
    by_name = {e.name: e for e in ws.entities()}
    rahman = by_name["Enamur Rahman"]
    assert rahman.type == "PERSON" and set(rahman.counts()) == {"afp-bd-0815", "local", "reuters"}
    ffwc = by_name["Flood Forecasting and Warning Centre"] if "Flood Forecasting and Warning Centre" in by_name \
        else by_name["Flood Forecasting and Warning Center"]
    assert ffwc.type == "ORG" and "FFWC" in ffwc.variants
    assert by_name["World Health Organization"].type == "ORG"
    assert "WHO" in by_name["World Health Organization"].variants
    assert by_name["Brahmaputra"].type == "PLACE"
    assert not any("Disaster Management" == n or n.lower() in {"he", "the", "wednesday"} for n in by_name)


def test_quotes_grouped_across_outlets(ws: Workspace) -> None:
    quotes = ws.quotes()
    bad = [q for q in quotes if q.text.startswith("The situation is very bad")]
    assert {q.article for q in bad} == {"afp-bd-0815", "reuters"}
    assert len({q.group for q in bad}) == 1
    assert all(q.speaker == "Enamur Rahman" for q in quotes)


def test_death_toll_conflict_is_flagged(ws: Workspace) -> None:
    figs = ws.figures()
    killed = [d for d in figs.disagreements if d.measure == "people killed"]
    assert killed
    says = {(f.article, f.text) for f in killed[0].values}
    assert {("afp-bd-0815", "52"), ("local", "41"), ("reuters", "at least 37")} <= says
    drowned = [f for f in figs.figures if f.text == "At least 15"]
    # "in Kurigram alone" is a regional subtotal: scoped, not compared with the national toll
    assert drowned and drowned[0].measure == "people killed in Kurigram" and drowned[0].low == 15
    assert all(f.text != "At least 15" for f in killed[0].values)
    shelters = [f for f in figs.figures if f.text == "about 1,500"]
    assert shelters and shelters[0].counted == "shelters" and shelters[0].measure != "shelters sent"


def test_reprinted_lead_and_quote_are_shared(ws: Workspace) -> None:
    pairs = ws.compare(ws.resolve("afp"), ws.resolve("reuters"))
    assert pairs
    joined = " ".join(p.a_text for p in pairs)
    assert "Flash floods triggered by monsoon rains" in joined
    assert "water is still rising" in joined
    assert ws.compare(ws.resolve("local"), ws.resolve("reuters")) == []


def test_field_search_finds_entities_and_speakers_by_any_variant(ws: Workspace) -> None:
    ids = lambda q: {h.id for h in ws.search(q).hits}  # noqa: E731
    # AFP never writes "FFWC", Reuters never writes "Center": one entity, found by either name.
    assert ids("entity:ffwc") == {"afp-bd-0815", "reuters"}
    assert ids('entity:"flood forecasting and warning centre"') == {"afp-bd-0815", "reuters"}
    # the local paper only says "Minister Rahman"
    assert ids('speaker:"enamur rahman"') == {"afp-bd-0815", "local", "reuters"}
    assert ids('quote:"leave no one behind"') == {"local"}
