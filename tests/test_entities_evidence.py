"""Issue 16: people typed as people, names whole, titles apart, variants merged, never wrongly.

Invented sentences for each rule, and the scores on the real-article labels
(``tests/data/labelled/entities_real.txt``, read in place from ../shared/corpora).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from kazreader.analysis.entities import Entity, EntityType, extract_entities
from kazreader.analysis.entities.namesakes import role_head
from kazreader.analysis.gazetteer import gazetteer
from kazreader.corpus.model import Article

ROOT = Path(__file__).resolve().parents[1]


def run(*texts: str) -> list[Entity]:
    arts = [Article(f"a{i}", f"a{i}.txt", t, ((0, len(t)),)) for i, t in enumerate(texts)]
    return extract_entities(arts)


def named(ents: list[Entity], name: str) -> Entity:
    hits = [e for e in ents if e.name == name]
    assert len(hits) == 1, [(e.name, e.variants) for e in ents]
    return hits[0]


def holding(ents: list[Entity], variant: str) -> list[Entity]:
    return [e for e in ents if variant in e.variants]


# --- typing from evidence ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "typ"),
    [
        ("Karina Gomez and Kenia Avila walked north with Olimpia Blanco.", "Karina Gomez", "PERSON"),
        ("Karina Gomez and Kenia Avila walked north with Olimpia Blanco.", "Olimpia Blanco", "PERSON"),
        ("The bill was backed by Zoe Lofgren on Tuesday.", "Zoe Lofgren", "PERSON"),
        ("Kim Jong Un did not comment on the talks.", "Kim Jong Un", "PERSON"),
        ("Migrants waited at the border near San Diego for a week.", "San Diego", "PLACE"),
        ("Flights to Grand Rapids were cancelled.", "Grand Rapids", "PLACE"),
        ("Troops left Fort Bragg on Monday.", "Fort Bragg", "PLACE"),
        ("Agents of U.S. Customs and Border Protection met them.", "U.S. Customs and Border Protection", "ORG"),
        ("Members of Showing Up for Racial Justice marched.", "Showing Up for Racial Justice", "ORG"),
        ("Congress never repealed the Insurrection Act after the riots.", "Insurrection Act", "OTHER"),
        ("Hurricane Harvey reached the coast on Friday.", "Hurricane Harvey", "OTHER"),
        ("He was born in Brewton, Ala., in 1950.", "Ala.", "PLACE"),
    ],
)
def test_typed_from_evidence(text: str, name: str, typ: str) -> None:
    assert named(run(text), name).type == typ


def test_given_names_that_are_words_need_context() -> None:
    ents = run("Will the talks resume? May was a hard month. Hope faded in June.")
    assert not any(e.type == EntityType.PERSON for e in ents), [(e.name, e.type) for e in ents]


def test_headline_lines_are_not_runs_of_names() -> None:
    ents = run("White House Delays Tariffs on Chinese Goods\n\nDespite Trump's threats, talks went on in Beijing.")
    names = {e.name for e in ents}
    assert "White House Delays Tariffs" not in names and "Despite Trump" not in names
    assert not any(e.type == EntityType.PERSON and "Despite" in e.name for e in ents)


# --- names whole, titles apart -------------------------------------------------------------


def test_titles_become_roles_not_names() -> None:
    ents = run(
        "Special Counsel Robert Mueller met Secretary of State-designate Mike Pompeo. "
        "The United States Donald Trump was not there."
    )
    mueller, pompeo = named(ents, "Robert Mueller"), named(ents, "Mike Pompeo")
    assert mueller.role == "Special Counsel" and mueller.mentions[0].role == "Special Counsel"
    assert pompeo.role == "Secretary of State-designate"
    assert named(ents, "Donald Trump").type == "PERSON"
    assert named(ents, "United States").type == "PLACE"
    assert not any("Counsel" in e.name or "designate" in e.name for e in ents)


def test_month_surname_and_sentence_initial_surname_kept() -> None:
    ents = run(
        "Prime Minister Theresa May arrived in May.\n\n"
        "Former president Jose Mujica spoke first. Mujica added that the vote was fair."
    )
    assert named(ents, "Theresa May").type == "PERSON"
    mujica = named(ents, "Jose Mujica")
    assert set(mujica.variants) == {"Jose Mujica", "Mujica"}


def test_link_list_echoes_are_dropped() -> None:
    text = ("Gov. Jay Inslee Jay Robert InsleeHere are the states requiring masks MORE urged residents "
            "to wear masks, Inslee said.")
    ents = run(text)
    inslee = named(ents, "Jay Inslee")
    assert inslee.type == "PERSON" and "Inslee" in inslee.variants
    assert not any("InsleeHere" in v or "Robert" in v for e in ents for v in e.variants)


# --- merging -------------------------------------------------------------------------------


def test_middle_initials_nicknames_acronyms_and_spellings_merge() -> None:
    ents = run(
        "Former FBI director James B. Comey testified. James Comey said he was fired. "
        "Rudy Giuliani spoke for Rudolph Giuliani's client. Rick Gates, or Richard Gates, pleaded guilty. "
        "The North American Free Trade Agreement (NAFTA) is old; Nafta was signed in 1992.",
        "Michael D. Cohen met the lawyer. Michael Cohen said nothing.",
    )
    assert set(named(ents, "James B. Comey").variants) == {"James B. Comey", "James Comey"}
    assert set(named(ents, "Rudolph Giuliani").variants) == {"Rudy Giuliani", "Rudolph Giuliani"}
    assert set(named(ents, "Richard Gates").variants) == {"Rick Gates", "Richard Gates"}
    assert {"NAFTA", "Nafta"} <= set(named(ents, "North American Free Trade Agreement").variants)
    assert set(named(ents, "Michael D. Cohen").variants) == {"Michael D. Cohen", "Michael Cohen"}


def test_different_full_names_never_merge() -> None:
    ents = run(
        "First lady Melania Trump visited a school. President Donald Trump stayed in Washington. "
        "Trump said the visit went well. Mrs. Trump thanked the teachers.",
        "Former President George W. Bush and his father, President George H.W. Bush, spoke.",
    )
    melania, donald = named(ents, "Melania Trump"), named(ents, "Donald Trump")
    assert melania is not donald
    assert [m.start for m in melania.mentions if m.text == "Trump"] != []  # Mrs. Trump
    said = next(m for m in donald.mentions if m.text == "Trump")
    assert said.start < next(m.start for m in melania.mentions if m.text == "Trump")
    assert named(ents, "George W. Bush") is not named(ents, "George H.W. Bush")


def test_nickname_variants_of_a_shared_surname_need_evidence() -> None:
    # Another person bears the surname (Christine Vessey), so "Rob" and "Robert" Vessey, from
    # articles about different things and with no title in common, are two people (Rob Ford the
    # Toronto mayor, Robert Ford the ambassador to Syria)
    ents = run(
        "Toronto Mayor Rob Vessey admitted smoking crack. Vessey said he would not resign.",
        "Robert Vessey, who was a U.S. ambassador to Syria, said the Assad government had won.",
        "Christine Vessey testified before the Senate Judiciary Committee on Thursday.",
    )
    assert named(ents, "Rob Vessey") is not named(ents, "Robert Vessey")
    assert holding(ents, "Christine Vessey") == [named(ents, "Christine Vessey")]


@pytest.mark.parametrize(
    ("texts", "short", "full"),
    [
        # one title, however written: "Sen." and "Senator"
        (("Sen. Bob Vessey voted against the bill.", "Senator Robert Vessey said the vote was close."),
         "Bob Vessey", "Robert Vessey"),
        # "Defense Secretary" and "Secretary of Defense"
        (("Defense Secretary Chuck Vessey flew to Kabul.", "Secretary of Defense Charles Vessey met the troops."),
         "Chuck Vessey", "Charles Vessey"),
        # one article writes both
        (("Police Chief Tom Vessey spoke on Monday. Thomas Vessey said the officer was on leave.",),
         "Tom Vessey", "Thomas Vessey"),
        # the two articles name the same other entities
        (("Mike Vessey, executive director of the World Health Organization's emergencies program, spoke.",
          "Michael Vessey of the World Health Organization warned against reading too much into the rates."),
         "Mike Vessey", "Michael Vessey"),
    ],
)
def test_nickname_variants_of_a_shared_surname_join_on_evidence(texts: tuple[str, ...], short: str, full: str) -> None:
    other = "Christine Vessey testified before the Senate Judiciary Committee on Thursday."
    ents = run(*texts, other)
    person = holding(ents, short)
    assert person == holding(ents, full) and len(person) == 1, [(e.name, e.variants) for e in ents]
    assert named(ents, "Christine Vessey") is not person[0]


def test_a_full_middle_name_joins_on_evidence_and_the_commonest_full_name_shows() -> None:
    # abp-dev, the Sutherland Springs shooting: "Devin Patrick Kelley" once, "Devin Kelley" once and
    # 29 "Kelley"s in one article were three entities
    ents = run(
        "Devin Patrick Kelley, the gunman, suffered three wounds. Kelley, 26, was also shot. "
        "Police said Devin Kelley had a history of violence. Devin Kelley was in the Air Force.",
        "Devin Kelley was discharged in 2014, the Air Force said.",
    )
    kelley = holding(ents, "Devin Patrick Kelley")
    assert kelley == holding(ents, "Devin Kelley") == holding(ents, "Kelley") and len(kelley) == 1
    assert kelley[0].name == "Devin Kelley"  # the name the articles use, not the one written once


def test_a_full_middle_name_without_evidence_stays_apart() -> None:
    # no article, title or neighbour in common; and two middle names in use: nobody knows which
    ents = run(
        "Sarah Lyn Vessey won the county's spelling bee on Friday.",
        "Sarah Vessey, a retired nurse from Ohio, wrote a letter.",
        "Sarah Ann Vessey and Sarah Lyn Vessey met at a fair.",
        "At the fair, Sarah Vessey sold jam.",
    )
    assert holding(ents, "Sarah Vessey") != holding(ents, "Sarah Lyn Vessey")
    assert holding(ents, "Sarah Ann Vessey") != holding(ents, "Sarah Lyn Vessey")


def test_role_head_spells_out_and_reorders_titles() -> None:
    forms = gazetteer().title_forms
    assert role_head("Sen.", forms) == role_head("senator", forms) == "senator"
    assert role_head("Defense Secretary", forms) == role_head("Secretary of Defense", forms) == "secretary"
    assert role_head("Rep.", forms) == role_head("Congressman", forms)


def test_bare_surname_left_apart_when_ambiguous() -> None:
    ents = run(
        "Tony Kim and Kim Hak-song were freed.\n\n"
        "Kim Jong Un met the envoy.\n\n"
        "Later, Kim said the talks went well."
    )
    for full in ("Tony Kim", "Kim Hak-song", "Kim Jong Un"):
        assert "Kim" not in named(ents, full).variants


def test_bare_surname_never_joins_a_person_the_article_does_not_name() -> None:
    ents = run("Melania Trump opened the garden.", "Donald Trump spoke. Trump said the economy was strong.")
    melania = named(ents, "Melania Trump")
    assert melania.counts() == {"a0": 1} and "Trump" not in melania.variants


def test_a_bare_surname_follows_the_titled_one_in_its_article() -> None:
    """One sense per article: "President Trump" decides the plain "Trump" of the paragraphs after it,
    though the corpus names two Trumps (as a Politico report of the Paris accord exit had them)."""
    ents = run(
        "President Donald Trump spoke in the Rose Garden.",
        "Ivanka Trump visited Berlin on Tuesday.",
        "Leaders slammed President Trump's decision on Thursday.\n\n"
        "Macron responded quickly to Trump's suggestion.\n\nTrump also spoke by phone with Merkel.",
    )
    donald = named(ents, "Donald Trump")
    assert donald.counts() == {"a0": 1, "a2": 3}
    assert named(ents, "Ivanka Trump").counts() == {"a1": 1}


def test_a_first_name_in_a_quote_decides_nothing() -> None:
    """Calling one of two namesakes by a first name is no sign the plain surname is the other: a voter's
    "Joe" (as in a Vox report on Joe Biden's age) or a mother's "her daughter Michelle"."""
    ents = run(
        "Former Vice President Joe Biden spoke in Iowa. His wife, Jill Biden, joined him.\n\n"
        "Biden, at 76, is not the oldest candidate.\n\n"
        "“I liked Biden as vice president, but Joe has lost a step,” a voter said."
    )
    assert named(ents, "Jill Biden").counts() == {"a0": 1}


def test_two_of_one_surname_both_in_full_leave_the_surname_apart() -> None:
    ents = run("Chelsea Clinton and Hillary Clinton arrived in Iowa.\n\nClinton said the race was close.")
    for full in ("Chelsea Clinton", "Hillary Clinton"):
        assert named(ents, full).counts() == {"a0": 1}


# --- data ----------------------------------------------------------------------------------


def test_shipped_data_names_its_sources() -> None:
    data = ROOT / "kazreader" / "analysis" / "data"
    readme = (data / "README.md").read_text("utf-8")
    for f in data.iterdir():
        if f.suffix in (".txt", ".tsv"):
            assert f"`{f.name}`" in readme, f.name
    assert "CC BY 4.0" in readme and "MIT" in readme
    gaz = gazetteer()
    assert gaz.place("san diego") is not None and gaz.gender("Melania") == "f"
    assert gaz.same_given_name("Bob", "Robert") and not gaz.same_given_name("Melania", "Donald")


# --- the real-article labels -----------------------------------------------------------------


def test_real_article_labels_meet_the_targets() -> None:
    if not (ROOT / ".." / "shared" / "corpora" / "abp-dev").is_dir():
        pytest.skip("../shared/corpora is absent")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("real_gold", ROOT / "benchmarks" / "real_gold.py")
    assert spec is not None and spec.loader is not None
    real_gold = importlib.util.module_from_spec(spec)
    sys.modules["real_gold"] = real_gold
    spec.loader.exec_module(real_gold)
    labels = real_gold.read_labels()
    assert len({g.story for g in labels if not g.held_out}) >= 20
    assert sum(len(g.entities) for g in labels if not g.held_out) >= 200
    assert sum(len(g.apart) for g in labels if not g.held_out) >= 30
    for subset in ("dev", "held_out"):
        figs = real_gold.score(subset=subset, labels=labels).figures()
        assert figs["typed_right"] >= 0.93, (subset, figs)
        # Precision stood at 0.946 (dev, 408 listed) and 0.968 (held-out, 154 listed; its five fresh
        # articles scored 0.878 when labelled, 0.951 after general fixes): the floor leaves some room.
        assert figs["precision"] >= 0.92, (subset, figs)
        assert figs["merged_whole"] >= 0.85, (subset, figs)
        assert figs["wrong_merges"] == 0, (subset, figs)


def test_geo_place_keys_match_name_keys() -> None:
    from kazreader.analysis import gazetteer as gz

    rows = gz._rows("geo_places.tsv")
    assert len(rows) > 30_000
    assert all(gz._plain_key(r[0]) == gz.name_key(r[0]) for r in rows[::7])


def test_name_key_short_cut_for_plain_words_equals_every_step() -> None:
    from kazreader.analysis import gazetteer as gz

    names = ["Trump", "The Hill", "the", "THE NATO", "Organisation of American States", "Defence Ministry",
             "cooperation", "Organised Crime", "Theresa May", "Ministry of Labour", "Thebes"]
    names += [r[0] for r in gz._rows("geo_places.tsv")[::97]]
    plain = [n for n in names if gz._PLAIN_RE.fullmatch(n)]
    assert len(plain) > 300
    assert [gz.name_key(n) for n in plain] == [gz._full_key(n) for n in plain]
    spellings = ["organised crime", "the organisations", "realising", "paris", "isis", "louis", "advised", "ised"]
    assert [gz._spelled(w) for w in spellings] == [gz._ISE_RE.sub(r"\1iz\2", w) for w in spellings]
    assert gz._spelled("organised") == "organized"


def test_postal_code_after_a_city_is_a_place() -> None:
    ents = run("The rally was held in Grand Rapids, MI on Friday.")
    assert named(ents, "MI").type == "PLACE"


def test_hyphen_digit_forms_equal_the_pattern() -> None:
    from kazreader.analysis.entities.cues import HYPHEN_DIGITS_RE
    from kazreader.analysis.entities.extract import hyphen_digit_forms

    text = ("Su-30 and MiG-29-1 jets, A-1B-2, X_Y-3, \u00c9a-12, Ab-1234, Ab-12a, -5, B--5, the 2016-09-19 "
            "story, COVID-19 cases, F-35s, Boeing 737-800, Channel 4-5 and Su-27.")
    assert hyphen_digit_forms(text) == [m.group() for m in HYPHEN_DIGITS_RE.finditer(text)]
    assert "Su-30" in hyphen_digit_forms(text) and "COVID-19" in hyphen_digit_forms(text)


@pytest.mark.parametrize("text", [
    "The push runs into skeptics from his own party – Senate Majority Leader Harry Reid and Majority Whip Dick Durbin.",
    "He and Senate Majority Leader Harry Reid and House Speaker Nancy Pelosi have been willing to act.",
])
def test_two_titled_people_joined_by_and_are_two_names(text: str) -> None:
    ents = run(text)
    assert not [e.name for e in ents if " and " in e.name]
    assert named(ents, "Harry Reid").type == EntityType.PERSON


def test_whip_is_a_title() -> None:
    assert named(run("Majority Whip Dick Durbin spoke first."), "Dick Durbin").type == EntityType.PERSON


def test_a_name_does_not_run_on_past_and_the() -> None:
    ents = run("Fox News' Lucas Tomlinson and The Associated Press contributed to this report.")
    assert named(ents, "Lucas Tomlinson").type == EntityType.PERSON
    assert named(ents, "Associated Press").type == EntityType.ORG
    assert named(run("The Flood Forecasting and Warning Centre said rivers rose."),
                 "Flood Forecasting and Warning Centre").type == EntityType.ORG


@pytest.mark.parametrize(("text", "names"), [
    ("Officials at the Centers for Disease Control and Prevention said so.",
     {"Centers for Disease Control and Prevention"}),
    ("The National Institutes of Health and District of Columbia agreed.",
     {"National Institutes of Health", "District of Columbia"}),
    ("Money for the CDC and National Institutes of Health rose.",
     {"Centers for Disease Control and Prevention", "National Institutes of Health"}),  # (CDC: a known acronym)
    ("Agents of U.S. Immigration and Customs Enforcement and ICE officers met.",
     {"U.S. Immigration and Customs Enforcement"}),
    ("The Treasury says it will hit the limit in two weeks.", {"Treasury"}),
    ("The House Committee on Oversight and Government Reform met.", {"House Committee on Oversight and Government Reform"}),
    ("The Peace and Freedom Party ran a candidate.", {"Peace and Freedom Party"}),
    ("Jennifer Lind and Daryl Press wrote it.", {"Jennifer Lind", "Daryl Press"}),
])
def test_organisation_names_with_and_whole_and_apart(text: str, names: set[str]) -> None:
    assert {e.name for e in run(text)} == names


def test_an_age_in_an_appositive_makes_a_person() -> None:
    ents = run("Before the pandemic, Jayden, a 17-year-old finishing up high school in eastern Missouri, "
               "was hoping to go to college. Now Jayden isn't sure she will find a job.")
    assert named(ents, "Jayden").type == EntityType.PERSON


def test_a_titled_surname_never_joins_someone_whose_first_name_it_is() -> None:
    ents = run(
        "Bradley Edward Manning was sentenced on Wednesday. Bradley, as his family called him, was 25.",
        "The two overlapped for months, said Afton Bradley, a former co-worker. "
        "“He was a very nice person,” Mr. Bradley said.",
    )
    manning = named(ents, "Bradley Edward Manning")
    assert set(manning.counts()) == {"a0"}, manning.counts()


def test_a_place_never_joins_a_person_of_that_first_name_from_another_article() -> None:
    ents = run(
        "Harvey Weinstein was charged in New York on Friday.",
        "Flooding from Harvey closed roads in Houston, where Harvey had stalled for days.",
    )
    weinstein = named(ents, "Harvey Weinstein")
    assert set(weinstein.counts()) == {"a0"}, weinstein.counts()


def test_a_man_and_a_woman_of_one_surname_are_never_spelling_variants() -> None:
    ents = run("Eric Garner died in 2014 after a police chokehold.", "Erica Garner, his daughter, became an activist.")
    assert "Erica Garner" not in named(ents, "Eric Garner").variants
    assert named(ents, "Erica Garner").type == EntityType.PERSON
