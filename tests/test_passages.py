"""Tests for kazreader.analysis.passages (pairwise aligned passages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazreader.analysis.passages import (
    MIN_WORDS,
    DiffOp,
    PassagePair,
    align,
    align_texts,
)
from kazreader.corpus.model import Article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

FILLER_A = (
    "The regional governor toured flooded villages along the river valley. "
    "Farmers complained that compensation payments had arrived months late.\n\n"
)
FILLER_B = (
    "Opposition lawmakers demanded an inquiry into the procurement of ambulances. "
    "Hospital directors described chronic shortages of oxygen and staff.\n\n"
)
WIRE = (
    "Engineers at the Tashkent rail depot walked off the job after managers "
    "cancelled a promised bonus, halting freight traffic across three provinces."
)
WIRE_2 = (
    "Customs officers seized forty crates of counterfeit medicine hidden inside "
    "a shipment of ceramic tiles bound for the northern border crossing."
)


def article(ident: str, text: str, date: str | None = None) -> Article:
    return Article(id=ident, path=f"{ident}.txt", text=text, paragraphs=((0, len(text)),), date=date)


def ops(pair: PassagePair, a: str, b: str) -> list[tuple[str, str, str]]:
    """The diff as (op, A words, B words), for readable assertions."""
    return [(d.op, a[d.a_start : d.a_end], b[d.b_start : d.b_end]) for d in pair.diff]


def test_verbatim_passage_exact_spans() -> None:
    a = FILLER_A + WIRE + "\n\nThe strike entered its second day."
    b = FILLER_B + "Union leaders said talks had stalled. " + WIRE
    pairs = align_texts(a, b)
    assert len(pairs) == 1
    p = pairs[0]
    assert (p.a_start, p.a_end) == (a.index(WIRE), a.index(WIRE) + len(WIRE))
    assert (p.b_start, p.b_end) == (b.index(WIRE), b.index(WIRE) + len(WIRE))
    assert p.a_text == p.b_text == WIRE
    assert p.words == 22
    assert p.similarity == 1.0
    assert [d.op for d in p.diff] == ["equal"]


def test_typography_only_differences_are_verbatim() -> None:
    a_passage = (
        "“We will not return to the depot until the bonus is paid,” "
        "the union’s spokeswoman said — adding that talks were over."
    )
    b_passage = (
        '"We will NOT return to the depot until the bonus\nis paid," '
        "the union's spokeswoman said - adding that talks were over."
    )
    a = FILLER_A + a_passage
    b = b_passage + "\n\n" + FILLER_B
    [p] = align_texts(a, b)
    assert p.a_text == a_passage
    assert p.b_text == b_passage
    assert p.similarity == 1.0
    assert all(d.op == "equal" for d in p.diff)


def test_insertion_is_reported_as_insert() -> None:
    a = FILLER_A + "In the worst clash so far, police said dozens of people were detained outside the regional parliament building in Karaganda."
    b = "In the worst clash so far, police on Thursday said dozens of people were detained outside the regional parliament building in Karaganda." + "\n\n" + FILLER_B
    [p] = align_texts(a, b)
    changes = [o for o in ops(p, a, b) if o[0] != "equal"]
    assert changes == [("insert", "", "on Thursday")]
    insert = next(d for d in p.diff if d.op == "insert")
    assert insert.a_start == insert.a_end == a.index("police") + len("police")
    assert p.words == 20
    assert p.similarity == pytest.approx(2 * 20 / (20 + 22), abs=1e-4)


def test_deletion_and_replacement() -> None:
    a = "Rescue teams pulled eleven miners alive from the collapsed shaft near Ekibastuz late on Saturday evening, officials confirmed."
    b = "Rescue crews pulled eleven miners from the collapsed shaft near Ekibastuz late on Saturday evening, officials confirmed."
    [p] = align_texts(a, b)
    changes = [o for o in ops(p, a, b) if o[0] != "equal"]
    assert changes == [("replace", "teams", "crews"), ("delete", "alive", "")]
    delete = next(d for d in p.diff if d.op == "delete")
    assert delete.b_start == delete.b_end


def test_elided_quotation() -> None:
    a = FILLER_A + "“Peacekeeping units… were deployed to the republic for a limited period to stabilise the situation,” the alliance said."
    b = '"Peacekeeping units of the regional defence pact were deployed to the republic for a limited period to stabilise the situation," the alliance said.' + "\n\n" + FILLER_B
    [p] = align_texts(a, b)
    assert p.a_text.startswith("“Peacekeeping units…")
    assert p.b_text.startswith('"Peacekeeping units of')
    assert ("insert", "", "of the regional defence pact") in ops(p, a, b)


def test_list_reordered_inside_sentence() -> None:
    a = FILLER_A + "The pact, an alliance of Russia, Armenia, Belarus, Kyrgyzstan and Tajikistan, said it would dispatch forces to stabilise the region."
    b = "The pact, an alliance of Belarus, Tajikistan, Russia, Armenia and Kyrgyzstan, said it would dispatch forces to stabilise the region." + "\n\n" + FILLER_B
    [p] = align_texts(a, b)
    assert p.a_text.startswith("The pact") and p.a_text.endswith("region.")
    assert p.b_text.startswith("The pact") and p.b_text.endswith("region.")
    assert 0.6 < p.similarity < 1.0


def test_transposed_passages_found_in_a_order() -> None:
    a = WIRE + "\n\n" + FILLER_A + WIRE_2
    b = WIRE_2 + "\n\n" + FILLER_B + WIRE
    pairs = align_texts(a, b)
    assert [p.a_text for p in pairs] == [WIRE, WIRE_2]
    assert [p.b_text for p in pairs] == [WIRE, WIRE_2]
    assert pairs[0].b_start > pairs[1].b_start


def test_same_event_without_reuse_gives_nothing() -> None:
    a = (
        "President Kassym-Jomart Tokayev said on Thursday that the Collective Security "
        "Treaty Organization would send troops to Almaty, the country's largest city. "
        "Protesters set fire to the mayor's office in Almaty on Wednesday."
    )
    b = (
        "Troops from the Collective Security Treaty Organization landed near Almaty, "
        "the country's largest city, after President Kassym-Jomart Tokayev said that "
        "foreign-trained terrorists were behind the unrest. The mayor's office burned overnight."
    )
    assert align_texts(a, b) == []


def test_stock_phrases_and_short_passages_are_not_reuse() -> None:
    a = (
        "The president said that the curfew would stay. On Thursday, in the country's "
        "largest city, crowds gathered. Grain prices doubled overnight in Shymkent markets."
    )
    b = (
        "Crowds dispersed on Thursday in the country's largest city. The president said that "
        "nothing would change. Analysts noted grain prices doubled overnight in Shymkent markets."
    )
    # The longest shared run is seven words: below MIN_WORDS.
    assert MIN_WORDS > 7
    assert align_texts(a, b) == []


def test_identical_texts_align_whole() -> None:
    text = FILLER_A + WIRE
    [p] = align_texts(text, text)
    assert (p.a_start, p.a_end) == (0, len(text))
    assert p.similarity == 1.0


def test_empty_and_tiny_texts() -> None:
    assert align_texts("", WIRE) == []
    assert align_texts("Police said.", "Police said.") == []


def test_align_uses_article_text_and_json_round_trip() -> None:
    a = article("a", FILLER_A + WIRE)
    b = article("b", WIRE + "\n\n" + FILLER_B)
    pairs = align(a, b)
    assert len(pairs) == 1
    data = pairs[0].to_json()
    assert set(data) >= {"a_start", "a_end", "a_text", "b_start", "b_end", "b_text", "words", "similarity", "diff"}
    # diff spans cover words; the passage also takes in the final full stop
    assert data["diff"][0] == {"op": "equal", "a_start": data["a_start"], "a_end": data["a_end"] - 1, "b_start": data["b_start"], "b_end": data["b_end"] - 1}
    assert PassagePair.from_json(data) == pairs[0]
    assert DiffOp.from_json(data["diff"][0]) == pairs[0].diff[0]


# --- the bundled seeds ------------------------------------------------------


def seed(prefix: str) -> str:
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def test_seeds_afp_paragraphs_shared_by_000_and_001() -> None:
    a, b = seed("000"), seed("001")
    pairs = align_texts(a, b)
    texts = [p.a_text for p in pairs]
    quote = next(p for p in pairs if "Last night, extremist forces" in p.a_text)
    assert quote.similarity == 1.0
    assert quote.a_text.endswith("Ria Novosti news agencies.")
    assert quote.b_text.startswith('"Last night')  # straight quotes in 001, curly in 000
    assert any(t.startswith("Protests spread across the nation of 19 million") for t in texts)
    assert any(t.startswith("Videos on social media") for t in texts)
    violence = next(p for p in pairs if p.a_text.startswith("In the worst reported violence"))
    assert ("insert", "", "on Thursday") in ops(violence, a, b)
    assert pairs == sorted(pairs, key=lambda p: (p.a_start, p.b_start))


def test_seeds_nyt_sentences_shared_by_002_and_004() -> None:
    pairs = align_texts(seed("002"), seed("004"))
    assert any("That announcement came after earlier reports" in p.a_text for p in pairs)
    assert any("broader demands for increased political representation" in p.a_text for p in pairs)


@pytest.mark.parametrize("x,y", [("003", "004"), ("001", "004"), ("002", "003"), ("001", "003")])
def test_seeds_without_reuse(x: str, y: str) -> None:
    assert align_texts(seed(x), seed(y)) == []
