"""General typing and name-boundary rules of entity extraction, on invented texts."""

from __future__ import annotations

import pytest

from kazreader.analysis.entities import Entity, extract_entities
from kazreader.corpus.model import Article


def run(text: str) -> list[Entity]:
    return extract_entities([Article("t", "t.txt", text, ((0, len(text)),))])


def typed(entities: list[Entity]) -> dict[str, str]:
    return {e.name: e.type for e in entities}


@pytest.mark.parametrize(
    ("text", "name", "typ"),
    [
        # appositive head noun decides, even for a sentence-initial single word
        ("The talks stalled.\n\nVelmora, the state shipping company, said nothing.", "Velmora", "ORG"),
        ("Farmers fled.\n\nTalvoro, a coffee-growing town in the department of Ruma, was cut off.", "Talvoro", "PLACE"),
        ("The trial ended. Okonjo Bara, a security guard, said he saw it.", "Okonjo Bara", "PERSON"),
        # cue words before the name
        ("The Danish drugmaker Helvix said the pill worked.", "Helvix", "ORG"),
        ("He was signed by Portuguese side Varzim last year.", "Varzim", "ORG"),
        ("Analysts at Brindle said the deal was rich.", "Brindle", "ORG"),
        ("The study was published in the Quillon on Monday.", "Quillon", "ORG"),
        ("Shares in Morvant Holdings rose 3%.", "Morvant Holdings", "ORG"),
        ("Manager Tiago Barral said the team was tired.", "Tiago Barral", "PERSON"),
        ("Her son Javier was among those trapped underground.", "Javier", "PERSON"),
        # name shapes
        ("Rates were held. Bank Zandor said inflation was easing.", "Bank Zandor", "ORG"),
        ("Rain fell across Central Veluwe on Sunday.", "Central Veluwe", "PLACE"),
        ("Talks were held at the Commission for Conciliation, Mediation and Arbitration.",
         "Commission for Conciliation, Mediation and Arbitration", "ORG"),
        ("The Thorn & Bailey Foundation paid for it.", "Thorn & Bailey Foundation", "ORG"),
        ("Delegates of the People's Consultative Assembly met.", "People's Consultative Assembly", "ORG"),
        ("Researchers from Human Rights Watch visited the camp.", "Human Rights Watch", "ORG"),
        ("Leaders of the Group of 20 met in Rome.", "Group of 20", "ORG"),
        ("Kelburn Rovers is owned by a fund. Kelburn City is owned by a bank.", "Kelburn City", "ORG"),
    ],
)
def test_general_typing_rules(text: str, name: str, typ: str) -> None:
    assert typed(run(text)).get(name) == typ, typed(run(text))


def test_list_of_names_is_not_one_organisation() -> None:
    ents = typed(run("Lenders including Bank of America, Citigroup and Wells Fargo agreed."))
    assert "Bank of America" in ents and "Citigroup" in ents and "Wells Fargo" in ents


def test_known_as_acronym_merges_with_expansion() -> None:
    ents = run("The General Elections Commission, known as KPU, met. The KPU said the count was over.")
    e = next(e for e in ents if e.name == "General Elections Commission")
    assert e.type == "ORG"
    assert set(e.variants) == {"General Elections Commission", "KPU"}
    assert len(e.mentions) == 3


def test_possessive_of_ordinary_name_still_stripped() -> None:
    text = "The People's Party won. Brindle's chief said Brindle's profit fell."
    ents = {e.name: e for e in run(text)}
    assert "People's Party" in ents
    assert "Brindle" in ents and [m.text for m in ents["Brindle"].mentions] == ["Brindle", "Brindle"]
