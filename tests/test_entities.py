"""Entity extraction: names, types, variant merging, offsets, lookups."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import json

import pytest

from builders import art
from kazreader.analysis.entities import (
    VERSION,
    Entity,
    EntityLookup,
    Mention,
    entity_at,
    extract_entities,
    resolve_name,
)
from kazreader.analysis.gazetteer import name_key
from kazreader.corpus.model import Article

ROOT = Path(__file__).resolve().parents[1]


def by_name(entities: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


def names(entities: list[Entity]) -> set[str]:
    return {e.name for e in entities}


def find(entities: list[Entity], surface: str) -> Entity:
    hits = [e for e in entities if surface in e.variants]
    assert len(hits) == 1, (surface, [(e.name, e.variants) for e in entities])
    return hits[0]


# --- names and types ----------------------------------------------------------------


def test_titles_and_surnames_merge_into_one_person() -> None:
    text = (
        "President Amara Okonkwo-Bell addressed parliament on Monday. "
        "Mr Okonkwo-Bell said the budget was balanced. Later, Okonkwo-Bell left for Lagos. "
        "President Okonkwo-Bell did not take questions."
    )
    ents = extract_entities([art("a", text)])
    person = by_name(ents)["Amara Okonkwo-Bell"]
    assert person.type == "PERSON"
    assert set(person.variants) == {"Amara Okonkwo-Bell", "Okonkwo-Bell"}
    assert person.counts() == {"a": 4}
    # titles are not part of the mention
    starts = [m.start for m in person.mentions]
    assert starts == [text.index("Amara"), text.index("Okonkwo-Bell said"),
                      text.index("Okonkwo-Bell left"), text.index("Okonkwo-Bell did")]
    assert by_name(ents)["Lagos"].type == "PLACE"
    assert "President" not in names(ents) and "Monday" not in names(ents)


def test_mention_offsets_index_the_article_text() -> None:
    text = "“We will not yield,” said Prime Minister Elena Varga in Budapest’s parliament on Friday."
    ents = extract_entities([art("x", text)])
    for e in ents:
        for m in e.mentions:
            assert text[m.start:m.end] == m.text
    varga = by_name(ents)["Elena Varga"]
    assert varga.type == "PERSON"
    assert (varga.mentions[0].start, varga.mentions[0].end) == (41, 52)
    budapest = by_name(ents)["Budapest"]
    assert budapest.mentions[0].text == "Budapest"  # possessive left out


def test_roles_and_appositions_type_people() -> None:
    text = (
        "Tomas Rield, a government spokesman, denied the report. "
        "The country's interior minister, Halvard Strom, resigned. "
        "Police spokeswoman Ingrid Maal said two officers were hurt."
    )
    ents = by_name(extract_entities([art("a", text)]))
    for name in ("Tomas Rield", "Halvard Strom", "Ingrid Maal"):
        assert ents[name].type == "PERSON", name


def test_organisation_cues_and_spelling_variants() -> None:
    text = (
        "The Northern Fisheries Organisation (NFO) met the Ministry of Agriculture on Tuesday. "
        "The NFO's director said the Northern Fisheries Organization would appeal. "
        "The Baltic Grain Union and the Coastal Police also attended."
    )
    ents = extract_entities([art("a", text)])
    nfo = find(ents, "NFO")
    assert nfo.type == "ORG"
    assert nfo.name in ("Northern Fisheries Organisation", "Northern Fisheries Organization")
    assert set(nfo.variants) == {"NFO", "Northern Fisheries Organisation", "Northern Fisheries Organization"}
    assert nfo.counts() == {"a": 4}
    named = by_name(ents)
    assert named["Ministry of Agriculture"].type == "ORG"
    assert named["Baltic Grain Union"].type == "ORG"
    assert named["Coastal Police"].type == "ORG"


def test_acronym_of_lowercase_words_is_not_an_entity() -> None:
    text = "Prices for compressed natural gas (CNG) rose. CNG stations in Oslo were shut."
    ents = extract_entities([art("a", text)])
    assert names(ents) == {"Oslo"}


def test_hyphen_spacing_and_case_variants_merge() -> None:
    a = art("a", "The RIA Novosti agency and Channel-7 reported it first.")
    b = art("b", "According to Ria Novosti and Channel 7 news, the talks failed. RIA-Novosti later confirmed.")
    ents = extract_entities([a, b])
    ria = find(ents, "Ria Novosti")
    assert set(ria.variants) == {"RIA Novosti", "Ria Novosti", "RIA-Novosti"}
    assert ria.type == "ORG" and ria.counts() == {"a": 1, "b": 2}
    chan = find(ents, "Channel 7")
    assert set(chan.variants) == {"Channel-7", "Channel 7"}


def test_compound_organisation_stays_apart_from_its_parent() -> None:
    text = "Interfax reported the arrests, and Interfax-Ukraine said more were expected."
    ents = extract_entities([art("a", text)])
    assert find(ents, "Interfax") is not find(ents, "Interfax-Ukraine")
    assert find(ents, "Interfax-Ukraine").type == "ORG"


def test_transliteration_variants_merge_per_type() -> None:
    a = art("a", "Police spokesman Saltanat Berikova said the square was cleared.")
    b = art("b", "Police spokeswoman Sultanat Berikova told reporters the curfew would hold.")
    ents = extract_entities([a, b])
    person = find(ents, "Saltanat Berikova")
    assert set(person.variants) == {"Saltanat Berikova", "Sultanat Berikova"}
    assert person.counts() == {"a": 1, "b": 1}


def test_different_first_names_do_not_merge() -> None:
    text = "Minister John Harlow met Ambassador Joan Harlow in Paris."
    ents = extract_entities([art("a", text)])
    assert {"John Harlow", "Joan Harlow"} <= names(ents)


def test_place_and_person_with_one_name_stay_apart() -> None:
    a = art("a", "Refugees crossed into Jordan on Sunday. Aid agencies in Jordan asked for funds.")
    b = art("b", "Coach Michael Jordan praised the team. Mr Jordan said the season was over.")
    c = art("c", "Officials in Washington said a statue of George Washington was damaged.")
    ents = extract_entities([a, b, c])
    place = [e for e in ents if e.name == "Jordan"]
    assert len(place) == 1 and place[0].type == "PLACE" and place[0].counts() == {"a": 2}
    person = by_name(ents)["Michael Jordan"]
    assert person.type == "PERSON" and person.counts() == {"b": 2}
    assert by_name(ents)["Washington"].type == "PLACE"
    assert by_name(ents)["George Washington"].type == "PERSON"
    assert by_name(ents)["Washington"].counts() == {"c": 1}


def test_surname_merges_only_when_unique() -> None:
    a = art("a", "Finance Minister Peter Lindqvist spoke first. Lindqvist said taxes would rise.")
    b = art("b", "Defence Minister Anna Lindqvist disagreed. Lindqvist said spending must grow.")
    c = art("c", "Both ministers named Lindqvist attended, Lindqvist aides said.")
    ents = extract_entities([a, b, c])
    peter, anna = by_name(ents)["Peter Lindqvist"], by_name(ents)["Anna Lindqvist"]
    # unique in its own article: attached there
    assert peter.counts() == {"a": 2}
    assert anna.counts() == {"b": 2}
    # ambiguous in article c: stays apart from both
    lone = [e for e in ents if e.name == "Lindqvist"]
    assert len(lone) == 1 and lone[0].counts() == {"c": 2}


def test_non_names_are_not_entities() -> None:
    text = (
        "Earlier, protesters gathered on Thursday. Within hours they left. "
        "However, he said she would return in January. Under pressure, officials agreed. "
        "Videos showed crowds. The economy's G.D.P. fell. Protesters cheered on New Year's Eve. "
        "Russian troops and Kazakh police patrolled, and ex-Soviet states watched."
    )
    ents = extract_entities([art("a", text)])
    assert names(ents) == set(), [(e.name, e.type) for e in ents]


def test_prefix_and_suffix_hyphens() -> None:
    text = "A Moscow-led alliance met pro-Kremlin groups as Tehran-backed militias withdrew."
    ents = by_name(extract_entities([art("a", text)]))
    assert ents["Moscow"].mentions[0].text == "Moscow"
    assert ents["Tehran"].type == "PLACE"
    assert ents["Kremlin"].type == "ORG"


def test_title_case_headline_spawns_no_junk() -> None:
    text = (
        "Hundreds Flee As Floods Hit Northern Towns In Moldova\n\n"
        "Floods forced hundreds from their homes in Moldova on Saturday, officials said."
    )
    ents = extract_entities([art("a", text)])
    assert names(ents) == {"Moldova"}
    assert by_name(ents)["Moldova"].counts() == {"a": 2}


def test_place_contexts_and_datelines() -> None:
    text = (
        "ZARNOVKA, Veloria – Troops entered the city of Bratova on Monday. "
        "Fighting was also reported in Kessel, near the border."
    )
    ents = by_name(extract_entities([art("a", text)]))
    assert ents["Bratova"].type == "PLACE"
    assert ents["Kessel"].type == "PLACE"
    assert ents["ZARNOVKA"].type == "PLACE"


def test_particles_inside_names() -> None:
    text = "Commission President Ursula von der Leyen met Prime Minister Alexander De Croo. De Croo thanked von der Leyen."
    ents = by_name(extract_entities([art("a", text)]))
    croo = ents["Alexander De Croo"]
    assert croo.type == "PERSON" and set(croo.variants) == {"Alexander De Croo", "De Croo"}
    assert ents["Ursula von der Leyen"].type == "PERSON"


def test_known_acronyms_and_aliases_merge() -> None:
    a = art("a", "The United Nations called for calm. UN envoys arrived in Kyiv.")
    b = art("b", "The U.N. said aid reached Kiev.")
    ents = extract_entities([a, b])
    un = find(ents, "UN")
    assert un.name == "United Nations" and un.type == "ORG"
    assert un.counts() == {"a": 2, "b": 1}
    city = find(ents, "Kiev")
    assert set(city.variants) == {"Kyiv", "Kiev"}


def test_sorted_by_mentions_then_name() -> None:
    text = "Oslo and Bergen. Oslo again. Oslo. Bergen. Aalborg is in Denmark."
    ents = extract_entities([art("a", text)])
    order = [(e.name, len(e.mentions)) for e in ents]
    assert order == sorted(order, key=lambda x: (-x[1], x[0]))
    assert order[0] == ("Oslo", 3)


def test_json_round_trip() -> None:
    a = art("a", "President Lena Voss met Mr Voss's rival in Vienna.")
    ents = extract_entities([a])
    for e in ents:
        d = e.to_json()
        assert set(d) == {"name", "type", "variants", "mentions", "spans", "role", "roles", "mention_roles"}
        assert d["mentions"] == e.counts()
        assert Entity.from_json(d, {"a": a.text}) == e
    assert isinstance(VERSION, int)


# --- lookups for the quotes module -----------------------------------------------------


def test_entity_at_and_resolve_name() -> None:
    a = art("a", "Interior Minister Marek Dvorak said the NATO summit would go ahead. Dvorak added more.")
    b = art("b", "Mr Dvorak told the North Atlantic Treaty Organization that Prague was ready.")
    ents = extract_entities([a, b])
    dvorak = by_name(ents)["Marek Dvorak"]
    s = a.text.index("Marek")
    assert entity_at(ents, "a", s, s + len("Marek Dvorak")) is dvorak
    t = a.text.index("Minister")
    assert entity_at(ents, "a", t, s + 5) is dvorak  # span "Minister Marek" overlaps
    assert entity_at(ents, "a", 0, 5) is None
    assert entity_at(ents, "zzz", 0, 5) is None
    assert resolve_name(ents, "Mr Dvorak") is dvorak
    assert resolve_name(ents, "Interior Minister Dvorak") is dvorak
    assert resolve_name(ents, "the NATO") is resolve_name(ents, "North Atlantic Treaty Organization")
    assert resolve_name(ents, "the NATO's").type == "ORG"
    assert resolve_name(ents, "he") is None
    lookup = EntityLookup(ents)
    assert lookup.resolve("Dvorak", "b") is dvorak


def test_resolve_ambiguous_surname_uses_article() -> None:
    a = art("a", "Judge Tereza Novak ruled. Novak said so.")
    b = art("b", "Senator Pavel Novak objected.")
    ents = extract_entities([a, b])
    assert resolve_name(ents, "Novak") is None
    assert resolve_name(ents, "Novak", "b") is by_name(ents)["Pavel Novak"]


# --- the bundled seeds (loaded as the app loads them) -------------------------------------


@pytest.fixture(scope="module")
def seed_entities() -> tuple[list[Article], list[Entity]]:
    from kazreader.corpus.loader import load_corpus
    from kazreader.paths import seeds_dir

    arts = load_corpus([seeds_dir()]).articles
    return arts, extract_entities(arts)


def test_seeds_people(seed_entities) -> None:
    arts, ents = seed_entities
    tok = find(ents, "Tokayev")
    assert tok.name == "Kassym-Jomart Tokayev" and tok.type == "PERSON"
    assert "Kassym-Jomart Tokayev" in tok.variants
    assert len(tok.mentions) >= 8 and len(tok.counts()) == 4
    az = find(ents, "Saltanat Azirbek")
    assert "Sultanat Azirbek" in az.variants and az.type == "PERSON"
    assert find(ents, "Nikol Pashinyan").type == "PERSON"


def test_seeds_organisations(seed_entities) -> None:
    _, ents = seed_entities
    csto = find(ents, "CSTO")
    assert csto.type == "ORG"
    assert csto.name in ("Collective Security Treaty Organization", "Collective Security Treaty Organisation")
    assert {"Collective Security Treaty Organisation", "Collective Security Treaty Organization"} <= set(csto.variants)
    ria = find(ents, "RIA-Novosti")
    assert {"RIA Novosti", "Ria Novosti"} <= set(ria.variants)
    assert set(find(ents, "Khabar-24").variants) == {"Khabar 24", "Khabar-24"}
    assert find(ents, "Interfax") is not find(ents, "Interfax-Kazakhstan")
    assert find(ents, "AP") is find(ents, "Associated Press")
    assert find(ents, "White House").type == "ORG"


def test_seeds_places_and_non_entities(seed_entities) -> None:
    arts, ents = seed_entities
    assert find(ents, "Almaty").type == "PLACE"
    assert find(ents, "Nur-Sultan").type == "PLACE"
    assert find(ents, "Kazakhstan").type == "PLACE"
    all_variants = {v for e in ents for v in e.variants}
    for junk in ("Kazakh", "G.D.P.", "Thursday", "January", "Earlier", "Within", "Under",
                 "However", "Protesters", "Videos", "The", "he", "He", "she", "Russian"):
        assert junk not in all_variants, junk
    for e in ents:
        assert e.type in ("PERSON", "ORG", "PLACE", "OTHER")
        for m in e.mentions:
            text = next(a.text for a in arts if a.id == m.article)
            assert text[m.start:m.end] == m.text
            assert name_key(m.text) in {name_key(v) for v in e.variants}


# --- the hand-labelled evaluation set ------------------------------------------------------


def test_labelled_set_precision_recall() -> None:
    spec = importlib.util.spec_from_file_location("eval_entities", ROOT / "benchmarks" / "eval_entities.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    scores = mod.evaluate()
    assert scores["entity_precision"] >= 0.9 and scores["entity_recall"] >= 0.9
    assert scores["typed_entity_precision"] >= 0.85
    assert scores["mention_precision"] >= 0.9 and scores["mention_recall"] >= 0.9


def test_mention_dataclass_is_frozen() -> None:
    m = Mention("a", 0, 3, "Foo")
    with pytest.raises(AttributeError):
        m.start = 1  # type: ignore[misc]


def test_mention_list_is_a_compact_sequence_of_the_same_mentions() -> None:
    from kazreader.analysis.entities import Entity, Mention, MentionList

    texts = {"a": "Mr Tokayev met Tokayev's aides.", "b": "Kassym-Jomart Tokayev spoke."}
    plain = (
        Mention("a", 3, 10, "Tokayev"), Mention("a", 15, 22, "Tokayev"),
        Mention("b", 0, 21, "Kassym-Jomart Tokayev"),
    )
    compact = MentionList.of(plain, "Kassym-Jomart Tokayev", texts)
    assert len(compact) == 3 and list(compact) == list(plain) and compact == plain
    assert compact[1] == plain[1] and compact[-1] == plain[-1] and compact[0:2] == list(plain[:2])
    assert compact.in_article("b") == [plain[2]] and compact.in_article("zzz") == []
    ent, ref = Entity("K", "PERSON", ("K",), compact), Entity("K", "PERSON", ("K",), plain)
    assert ent == ref and hash(ent) == hash(Entity("K", "PERSON", ("K",), tuple(plain)))
    assert ent.counts() == ref.counts() == {"a": 2, "b": 1}
    assert ent.spans() == ref.spans() and ent.mentions_in("a") == ref.mentions_in("a")
    # rebuilt from JSON without the texts: each mention's text is the entity's name
    back = Entity.from_json(ent.to_json())
    assert [(m.article, m.start, m.end) for m in back.mentions] == [(m.article, m.start, m.end) for m in plain]
    assert {m.text for m in back.mentions} == {"K"}
    with pytest.raises(IndexError):
        compact[3]


def test_entity_cache_form_round_trips() -> None:
    from kazreader.analysis.entities import Entity, Mention, MentionList

    texts = {"a": "Mr Tokayev met Tokayev's aides.", "b": "Kassym-Jomart Tokayev spoke."}
    plain = (Mention("a", 3, 10, "Tokayev"), Mention("a", 15, 22, "Tokayev"), Mention("b", 0, 21, "Kassym-Jomart Tokayev"))
    for mentions in (plain, MentionList.of(plain, "Kassym-Jomart Tokayev", texts)):
        ent = Entity("Kassym-Jomart Tokayev", "PERSON", ("Tokayev", "Kassym-Jomart Tokayev"), mentions)
        back = Entity.from_cache(json.loads(json.dumps(ent.to_cache())), texts)
        assert back == ent and back.to_json() == ent.to_json()
    with pytest.raises(ValueError):
        Entity.from_cache(["x", "PERSON", [], ["a"], [2], "1 2"])


def test_an_entitys_json_text_is_its_json_laid_out() -> None:
    """``Entity.json_text`` writes the spans from the flat offsets: the same text as ``to_json``'s,
    whatever the ids hold (quotes, escapes, an article named "spans") and with or without roles."""
    from kazreader.analysis.entities.model import EntityType, Mention, MentionList
    from kazreader.jsonout import dumps_indented

    ids = ["a1", 'q"t', "spans", "\u2028\x85", ""]
    spans = {a: [(k, k + 3), (k + 10, k + 14)][: 1 + k % 2] for k, a in enumerate(ids)}
    plain = Entity("Name \"X\"", EntityType.PERSON, ("Name", "X"), MentionList(spans, "Name"))
    roled = Entity("Y", EntityType.ORG, ("Y",), MentionList(spans, "Y").with_roles({("spans", 2): "Chair"}), ("Chair",))
    listed = Entity("Z", EntityType.PLACE, ("Z",), [Mention("a1", 0, 1, "Z", "Mayor"), Mention("b", 2, 3, "Z")])
    empty = Entity("E", EntityType.OTHER, (), MentionList({}, "E"))
    none_in = Entity("N", EntityType.OTHER, ("N",), MentionList({"spans": [], "b": [(1, 2)]}, "N"))
    for e in (plain, roled, listed, empty, none_in):
        assert e.json_text() == dumps_indented(e.to_json())
