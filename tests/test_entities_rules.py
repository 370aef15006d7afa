"""General typing and name-boundary rules of entity extraction, on invented texts."""

from __future__ import annotations

import pytest

from kazreader.analysis.entities import Entity, EntityType, extract_entities
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
        # events, wars and holidays are no people (a lowercase title before one is an adjective)
        ("The base was built during the Cold War era, officials said.", "Cold War", "OTHER"),
        ("Voters cast ballots before the official Election Day in many states.", "Election Day", "OTHER"),
        ("Every major Arab Spring state has faltered.", "Arab Spring", "OTHER"),
        ("The singer Doris Day said she was moved.", "Doris Day", "PERSON"),
        # a bare surname is a person when the context says so
        ("The masks arrived late.\n\nOn Tuesday Vardeman urges people to stay home.", "Vardeman", "PERSON"),
        ("The board met on Friday to discuss Qorvell's firing and the budget.", "Qorvell", "PERSON"),
        ("The hearing went ahead without Brasko, who had been invited.", "Brasko", "PERSON"),
        ("Job gains were strong. \u2014 Kelly Danforth (@kdanforth) April 5, 2019", "Kelly Danforth", "PERSON"),
        ("The Brannick administration said a Brannick appointee would decide.", "Brannick", "PERSON"),
        ("On Thursday, Tavo Kessary, 32, shot a jogger.", "Tavo Kessary", "PERSON"),
        ("Cases are surging in the South and West this week.", "West", "PLACE"),
        # a lowercase title before a name that a title follows belongs to that one: the name says where
        ("He is the firm\u2019s chief Albany lobbyist, and he was a senior Pentagon official.", "Albany", "PLACE"),
        # a place head no one has for a surname makes a place even after a first name
        ("A judge denied James Square nursing home\u2019s motion.", "James Square", "PLACE"),
        ("James Hill, a farmer, said so.", "James Hill", "PERSON"),
        # what an organisation is: a web address, the employer after a title and "for"
        ("Tomas Arve, the director of Pruvela.org, called it a betrayal.", "Pruvela.org", "ORG"),
        ("Jan Orlo, chief economist for Brenmark Analytics, predicted a rise.", "Brenmark Analytics", "ORG"),
        # a company's two-word head; a place and a team's plural noun, even when the place is a given name
        ("The siblings were in the Delta Air Lines ticket line at the airport.", "Delta Air Lines", "ORG"),
        ("Passengers aboard three Velmora Cruise Line ships were delayed.", "Velmora Cruise Line", "ORG"),
        ("He was eating lunch and watching the Carolina Panthers game.", "Carolina Panthers", "ORG"),
        ("Fans of the Toronto Blue Jays waited outside.", "Toronto Blue Jays", "ORG"),
        ("Victoria Sims, a nurse, said the ward was full.", "Victoria Sims", "PERSON"),  # a surname, not a team
        ("Elizabeth Beavers, a lawyer, said the ward was full.", "Elizabeth Beavers", "PERSON"),
        ("The song Blurred Lines topped the charts.", "Blurred Lines", "OTHER"),  # "Lines" alone is no company
        # a garden or a hook (a spit of land) ends a place's name, even after a word that is a first name
        ("The president spoke in the Rose Garden on Monday.", "Rose Garden", "PLACE"),
        ("Parents of children killed at Sandy Hook met the governor.", "Sandy Hook", "PLACE"),
        ("The envoy Brian Hook said the talks had failed.", "Brian Hook", "PERSON"),
        ("Rose McGowan said she would testify.", "Rose McGowan", "PERSON"),
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



@pytest.mark.parametrize(
    ("text", "names", "absent"),
    [
        # a small town that is also a first name does not split a person's name
        ("And Mary Kay Henry, the union's president, said no.", {"Mary Kay Henry"}, {"Mary", "Kay Henry"}),
        # a state after a person's full name is apart from the name
        ("Senator Lamar Alexander Tennessee, said the founders did not want a king.",
         {"Lamar Alexander", "Tennessee"}, {"Lamar Alexander Tennessee"}),
        # a gerund or adverb opening a sentence is no part of the name after it
        ("Having Donald Trump at the top of the ticket hurts.", {"Donald Trump"}, {"Having Donald Trump"}),
        ("Boeing Co. said it would cut jobs.", {"Boeing Co"}, set()),
        # a quoted Title Case title is one name, not a run of names
        ("The agency put out a solicitation titled \u201cTechnical Assistance in Evaluating Options for Health "
         "Reform.\u201d The contract followed.",
         {"Technical Assistance in Evaluating Options for Health Reform"}, {"Technical Assistance", "Care"}),
        # an ordinal inside a court's or unit's name, a court case's versus, a hyphenated "-area"
        ("A panel of the 6th U.S. Circuit Court of Appeals and the U.S. Court of Appeals for the 4th Circuit "
         "cited Roe v. Wade in the Omaha-area case.",
         {"6th U.S. Circuit Court of Appeals", "U.S. Court of Appeals for the 4th Circuit", "Roe v. Wade", "Omaha"},
         {"Circuit", "U.S. Court of Appeals", "Roe", "Wade", "Omaha-area"}),
        # a demonym before a first name is no part of the name
        ("Two tourists, American Dominique Molina and her son, were hurt.", {"Dominique Molina"},
         {"American Dominique Molina"}),
        # a title's own words (Secretary of Defense) before a name are its role; hyphenated "-passed"
        ("U.S. Secretary of Defense Ashton Carter backed the House-passed bill. We've seen it.",
         {"Ashton Carter", "United States"}, {"U.S. Secretary of Defense Ashton Carter", "House-passed", "We've"}),
        # a name glued to a word after it is no link-list echo when a comma parts them
        ("Barack Obama spoke about Jonathan Gruber, ObamaCare and the White House.", {"ObamaCare"}, {"Care"}),
        # a sharing widget's imperative opening a line is no part of the name after it
        ("Add Barack Obama as an interest to stay up to date on the latest news.\n\nBarack Obama spoke.",
         {"Barack Obama"}, {"Add Barack Obama"}),
        # a common word opening a known place is no sentence opener (abp-dev, coronavirus: 49 "York"s)
        ("Officials said so.\n\nNew York has become a hotspot. Little Rock police agreed.",
         {"New York", "Little Rock"}, {"York", "Rock"}),
        # a place's first word (abbreviated or a town's name too) opens it; a first name after it
        # does not split it off (abp-dev: "San" + "Diego County", "St" + "Louis County")
        ("Officials in San Diego County said so, and St. Louis County Police Chief Jon Belmar agreed.",
         {"San Diego County", "St. Louis County", "Jon Belmar"}, {"San", "St", "Diego County", "Louis County"}),
        ("She moved to St. Lucie County and then to St. Louis.", {"St. Lucie County", "St. Louis"}, {"St"}),
        # a demonym is no entity, a plural one neither (abp-dev: "Korean" 38 times a place, "Malian" 29,
        # "Mexicans" 9; "North Americans" had drawn "North Africa" into "North America")
        ("The Korean War ended in 1953. Korean officials met Malian and Mexican diplomats. Italians voted.",
         {"Korean War"}, {"Korean", "Malian", "Mexican", "Italians"}),
        # two plain full names glued without a comma are two people (abp-10k: "Joe Donnelly Mike Braun",
        # "Counselor to President Donald Trump Kellyanne Conway"); longer names, a connector inside, an
        # organisation's words or two family names keep them whole
        ("Counselor to President Donald Trump Maria Lopez criticized the left. Lopez said so.",
         {"Donald Trump", "Maria Lopez"}, {"Donald Trump Maria Lopez"}),
        ("George Herbert Walker Bush died. Rocky Mountain Gun Owners sued. José Jasán Nieves Cárdenas spoke.",
         {"George Herbert Walker Bush", "Rocky Mountain Gun Owners", "José Jasán Nieves Cárdenas"},
         {"George Herbert", "Gun Owners", "Nieves Cárdenas"}),
        # a generation mark after a surname that is also a title ("King Jr." split "Jr" off as a person)
        ("He quoted Martin Luther King Jr. and Rodney King. Stephen King Jr. wrote it.",
         {"Martin Luther King Jr", "Rodney King", "Stephen King Jr"}, {"Jr", "Martin Luther"}),
    ],
)
def test_name_boundaries(text: str, names: set[str], absent: set[str]) -> None:
    got = typed(run(text))
    assert names <= set(got) and not absent & set(got), got


def test_known_name_is_nobodys_initials() -> None:
    """"U.S." is the United States: never the initials of "US Steel" or the "U.S. Senate"."""
    ents = run("US Steel shares rose. The U.S. Senate voted on Tuesday. The U.S. Representative said the U.S. would act.")
    us = next(e for e in ents if "U.S." in e.variants)
    assert us.type == "PLACE" and not {"US Steel", "U.S. Senate"} & set(us.variants), [(e.name, e.variants) for e in ents]
    # two letters are too few to be anyone's initials: S.C. is South Carolina, not the Supreme Court
    ents = run("The Supreme Court heard the case from Columbia, S.C., on Monday.")
    assert not any({"S.C.", "Supreme Court"} <= set(e.variants) for e in ents)


def test_known_name_with_a_connector_is_whole() -> None:
    ents = run("Democrats control the House of Representatives, and the House will vote.")
    house = next(e for e in ents if e.name == "House of Representatives")
    assert set(house.variants) == {"House", "House of Representatives"}


def _articles(*texts: str) -> list[Article]:
    return [Article(f"a{i}", f"a{i}.txt", t, ((0, len(t)),)) for i, t in enumerate(texts)]


def test_common_word_capitalised_by_position_is_no_name() -> None:
    # "Employers" opens sentences of two articles and is written in lowercase in three: a common word
    # of this corpus, though a speech verb follows it; and it joins no person called "… Employers"
    texts = (
        "Employers added 20,000 jobs in May, the report said. Most employers were cautious.",
        "Employers added fewer workers than expected. Small employers struggled.",
        "The survey asked employers about wages.",
        "Analyst Dana Employers said the figures were weak.",
    )
    names = typed(extract_entities(_articles(*texts)))
    assert "Employers" not in names
    dana = next(e for e in extract_entities(_articles(*texts)) if e.name == "Dana Employers")
    assert {m.article for m in dana.mentions} == {"a3"}


def test_common_word_surname_after_honorific_stays_a_person() -> None:
    # a surname that is also a common word keeps its person after an honorific, in any article
    texts = (
        "Rather, the talks stalled. The price rose rather fast.",
        "Prices rose rather than fell, and rather quickly.",
        "It was rather late.",
        "We would rather wait.",
        "Dan Rather, the former anchor, spoke on Monday.",
        "Mr. Rather said the network had erred.",
    )
    ents = extract_entities(_articles(*texts))
    dan = next(e for e in ents if e.name == "Dan Rather")
    assert {m.article for m in dan.mentions} == {"a4", "a5"}


def test_lowercase_adjective_title_is_no_person_cue() -> None:
    names = typed(run("Every major Arab Spring state has faltered since then."))
    assert names.get("Arab Spring") != "PERSON"
    assert typed(run("The army general John Kowalski was killed."))["John Kowalski"] == "PERSON"


def test_title_case_question_line_is_a_headline() -> None:
    from kazreader.analysis.entities.scanning import LineKind, line_kind

    assert line_kind("Which Candidates Do They Back?") == LineKind.HEADLINE
    assert line_kind("Why?") == LineKind.TEXT
    assert line_kind("Is that right, do you think?") == LineKind.TEXT


def test_common_word_written_as_a_name_mid_sentence_stays_a_person() -> None:
    # "grace" is written in lowercase in more articles than it names someone, but "Grace said" inside
    # a sentence is a person's name
    texts = (
        "The judge showed no grace. She said it with grace.",
        "It was a saving grace for the team.",
        "Her mother wept. \u201cI beg for mercy,\u201d Grace said.",
    )
    assert typed(extract_entities(_articles(*texts))).get("Grace") == "PERSON"


def test_founded_by_a_person_is_no_part_of_the_name() -> None:
    names = typed(run("Investors sold the Mark Zuckerberg-founded Facebook. Facebook said it would act."))
    assert names == {"Mark Zuckerberg": "PERSON", "Facebook": "ORG"}


def test_an_acronym_is_no_common_word() -> None:
    # web addresses write "nfl" in lowercase; the NFL is still a name
    texts = (
        "The NFL fined the team.",
        "Read more at nfl.com and twitter.com/nfl today.",
        "Scores are on nfl.com/scores.",
        "Go to www.nfl.com for tickets.",
    )
    assert "NFL" in typed(extract_entities(_articles(*texts)))


def test_lexicon_common_word_is_nobodys_surname() -> None:
    # a headline's "On" or "The" is no surname for being the last word of a person's name
    from kazreader.analysis.entities.cues import cues
    from kazreader.analysis.entities.merging import build_groups
    from kazreader.analysis.entities.scanning import Cand

    full = Cand(0, 0, 6, "Tom On", "tom on", False)
    full.cue(EntityType.PERSON, 3)
    groups = {g.key: g for g in build_groups([full, Cand(0, 20, 22, "On", "on", False)], cues().gaz)}
    assert groups["tom on"].type == "PERSON" and groups["on"].type != "PERSON"
    # (a surname that is no common word is still one)
    full = Cand(0, 0, 9, "Tom Vardo", "tom vardo", False)
    full.cue(EntityType.PERSON, 3)
    groups = {g.key: g for g in build_groups([full, Cand(0, 20, 25, "Vardo", "vardo", False)], cues().gaz)}
    assert groups["vardo"].type == "PERSON"


def test_a_full_name_at_the_end_of_a_headline_is_no_surname_of_it() -> None:
    # abp-10k: a quoted e-mail subject taken for a person had made every "Hillary Clinton" of the
    # corpus its surname (2,320 mentions away from her); "Javad Zarif" stays Mohammad Javad Zarif's
    from kazreader.analysis.entities.cues import cues
    from kazreader.analysis.entities.merging import Group
    from kazreader.analysis.entities.scanning import Cand
    from kazreader.analysis.entities.surnames import _people
    from kazreader.analysis.unionfind import UnionFind

    keys = ["donald trump just suggested that someone shoot hillary clinton", "mohammad javad zarif"]
    glist = [Group(k, EntityType.PERSON, 3, [i]) for i, k in enumerate(keys)]
    cands = [Cand(0, 100 * i, 100 * i + 50, k.title(), k, False) for i, k in enumerate(keys)]
    people = _people(glist, cands, UnionFind(len(glist)), cues())
    assert {"clinton", "javad zarif", "zarif"} <= set(people.by_last)
    assert "hillary clinton" not in people.by_last


def test_a_time_zone_after_a_clock_time_is_no_name() -> None:
    got = typed(run("On Friday at 9 a.m. ET, the 60-year-old diplomat will testify.\n\n"
                    "At 7:30 p.m. ET, the official announcement went out. At 5pm GMT, talks began."))
    assert "ET" not in got and "GMT" not in got, got


def test_a_surname_of_two_words_ends_a_name_only_after_a_first_name() -> None:
    # "Donald Trump" is no surname of "With Donald Trump" (a link list's words before a name);
    # "Van Drew" is Jefferson Van Drew's
    from kazreader.analysis.entities.cues import cues
    from kazreader.analysis.entities.merging import Group
    from kazreader.analysis.entities.scanning import Cand
    from kazreader.analysis.entities.surnames import _people
    from kazreader.analysis.unionfind import UnionFind

    keys = ["with donald trump", "jefferson van drew", "first class bowe bergdahl", "omarosa manigault newman"]
    glist = [Group(k, EntityType.PERSON, 3, [i]) for i, k in enumerate(keys)]
    cands = [Cand(0, 10 * i, 10 * i + 5, k.title(), k, False) for i, k in enumerate(keys)]
    people = _people(glist, cands, UnionFind(len(glist)), cues())
    assert {"trump", "van drew", "drew", "bergdahl", "manigault newman"} <= set(people.by_last)
    assert not {"donald trump", "class bowe bergdahl", "bowe bergdahl"} & set(people.by_last)


def test_a_companys_bare_name_joins_the_company_its_article_names() -> None:
    # "Boeing said" reads as a person's; after "Boeing Co." it is the company (abp-dev's coronavirus
    # story: "Abbott" beside "Abbott Labs" was a person)
    arts = [
        "Boeing Co. said it would cut jobs. Boeing said the planes were safe. Boeing shares fell.",
        "Abbott Labs makes the test. In response, Abbott last week released interim data.",
        "Gov. Greg Abbott praised Abbott Laboratories. Abbott said so.",
    ]
    ents = extract_entities([Article(f"a{i}", f"a{i}.txt", t, ((0, len(t)),)) for i, t in enumerate(arts)])
    by_variant = {v: e for e in ents for v in e.variants}
    assert by_variant["Boeing"] is by_variant["Boeing Co"] and by_variant["Boeing"].type == "ORG"
    assert by_variant["Boeing"].name == "Boeing"  # the name as written most, not its legal form
    labs = by_variant["Abbott Labs"]
    assert [m.text for m in labs.mentions if m.article == "a1"] == ["Abbott Labs", "Abbott"]
    # an article naming a person of that surname keeps its bare name with the person
    governor = by_variant["Greg Abbott"]
    assert [m.text for m in governor.mentions if m.article == "a2"] == ["Greg Abbott", "Abbott"]


def test_an_organisations_bare_name_joins_its_company_everywhere_unless_a_common_word() -> None:
    arts = [
        "Chevron Corp. reported a loss. The Gas Co. raised its rates.",
        "Shares of Chevron fell 2% on Monday.",
        "Prices of natural gas rose. Shares in Gas fell. The gas was cheap.",
        "The price of gas rose again.",
    ]
    ents = extract_entities([Article(f"a{i}", f"a{i}.txt", t, ((0, len(t)),)) for i, t in enumerate(arts)])
    by_variant = {v: e for e in ents for v in e.variants}
    assert by_variant["Chevron"] is by_variant["Chevron Corp"]
    assert "Gas" not in by_variant or by_variant["Gas"] is not by_variant["Gas Co"]


def test_a_persons_name_after_a_word_gives_no_acronym() -> None:
    # abp-dev: a gallery's "Previous Next Pascal Rossignol/Reuters" credit took "NPR" (119 mentions) as its
    # initials and named the broadcaster "Next Pascal Rossignol"
    arts = [
        "NPR reported the story on Monday. NPR said the mayor would resign.",
        "Police converged after the suspects were spotted at a gas station. Previous Next Pascal Rossignol/Reuters"
        " /Landov\n\nHide caption People gather at the cathedral.",
        "The NPR report was cited by NPR listeners.",
    ]
    ents = extract_entities([Article(f"a{i}", f"a{i}.txt", t, ((0, len(t)),)) for i, t in enumerate(arts)])
    assert all("Pascal" not in v for e in ents if "NPR" in e.variants for v in e.variants)


def test_a_states_abbreviation_is_the_state() -> None:
    # abp-dev: "Fla." (18 mentions), "S.C." (17), "Conn." (27) and two dozen others were places of their own
    arts = [
        "The Times and Democrat of Orangeburg, S.C., ran two stories. He lives in Tampa, Fla., now.",
        "Florida voters went to the polls. South Carolina voted too.",
    ]
    ents = extract_entities([Article(f"a{i}", f"a{i}.txt", t, ((0, len(t)),)) for i, t in enumerate(arts)])
    by_variant = {v: e for e in ents for v in e.variants}
    assert by_variant["Fla."] is by_variant["Florida"] and by_variant["Fla."].name == "Florida"
    assert by_variant["S.C."] is by_variant["South Carolina"]


def test_a_leading_the_makes_no_name_fuller() -> None:
    # abp-10k: one "The Trump" had named the entity of 21,525 "Trump"s
    from collections import Counter

    from kazreader.analysis.entities.merging import canonical

    assert canonical(Counter({"Trump": 21525, "TRUMP": 37, "The Trump": 1}), [], person=True) == "Trump"
    assert canonical(Counter({"Kassym-Jomart Tokayev": 3, "Tokayev": 40}), []) == "Kassym-Jomart Tokayev"


def _by_name(entities: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


def _in(e: Entity) -> set[str]:
    return {m.article for m in e.mentions}


def test_a_rare_first_word_alone_names_the_one_person_it_opens() -> None:
    # brothers of one surname are called by their first names; a family name written first
    # ("Chung" of Chung Eui-yong) is the person's in another article too, after "Mr." as well
    arts = _articles(
        "Tamerlan Tsarnaev, 26, and his brother Dzhokhar Tsarnaev, 19, planted the bombs, police said.",
        "Tamerlan told a friend he had changed. Dzhokhar told the court he was sorry.",
        "National security adviser Chung Eui-yong flew to Washington on Thursday.",
        "Mr. Chung said the talks would go on. Chung met the president.",
        "Crowds gathered on Ash Wednesday. Defense Secretary Ash Carter spoke later.",
    )
    ents = _by_name(extract_entities(arts))
    assert _in(ents["Tamerlan Tsarnaev"]) == {"a0", "a1"}
    assert _in(ents["Dzhokhar Tsarnaev"]) == {"a0", "a1"}
    assert "a3" in _in(ents["Chung Eui-yong"])
    assert "Tamerlan" not in ents and "Chung" not in ents
    # a word that is not typed a person's stays apart: the "Ash" of a holiday is not Ash Carter
    assert all(m.text != "Ash" for m in ents["Ash Carter"].mentions)


def test_a_title_the_person_never_bears_before_the_article_names_her_is_someone_elses() -> None:
    (art,) = _articles(
        "President Obama spoke to the press on Monday. First Lady Michelle Obama joined him later. "
        "“We will not give up,” Mrs. Obama said."
    )
    ents = _by_name(extract_entities([art]))
    michelle = {m.text for m in ents["Michelle Obama"].mentions}
    assert michelle == {"Michelle Obama", "Obama"}  # Mrs. Obama's, not the president's
    assert len(ents["Michelle Obama"].mentions) == 2
    (art,) = _articles("Sen. Elizabeth Warren spoke on Monday. Later, Sen. Warren left for Boston.")
    ents = _by_name(extract_entities([art]))
    assert len(ents["Elizabeth Warren"].mentions) == 2  # (her own title, after her name: hers)


def test_the_head_of_an_organisation_named_in_full_stands_for_it_after_the() -> None:
    arts = _articles(
        "The Washington Post published the interview on Sunday. The Post said it had verified the notes.",
        "The Food and Drug Administration approved the test. The Administration stopped short of a ban.",
        "The House voted on Friday, the White House said.",
    )
    ents = _by_name(extract_entities(arts))
    assert {m.text for m in ents["Washington Post"].mentions} == {"Washington Post", "Post"}
    # never a word standing for something of its own, or an organisation known by itself
    assert {m.text for m in ents["Food and Drug Administration"].mentions} == {"Food and Drug Administration"}
    assert all(m.text != "House" for m in ents["White House"].mentions)


def test_a_nationally_qualified_organisation_is_the_one_the_article_also_names_bare() -> None:
    arts = _articles(
        "The U.S. Supreme Court heard the case. The Supreme Court will rule in June.",
        "The Senate Judiciary Committee met. The Judiciary Committee will vote on Thursday.",
        "The Colorado Republican Party endorsed him. The Republican Party said nothing.",
    )
    ents = _by_name(extract_entities(arts))
    court = next(e for e in ents.values() if "Supreme Court" in e.variants)
    assert "U.S. Supreme Court" in court.variants
    committee = next(e for e in ents.values() if "Judiciary Committee" in e.variants)
    assert "Senate Judiciary Committee" in committee.variants
    # a state's branch is not the party
    party = next(e for e in ents.values() if "Republican Party" in e.variants)
    assert "Colorado Republican Party" not in party.variants


def _paragraphed(*paragraphs: str) -> Article:
    spans, at = [], 0
    for p in paragraphs:
        spans.append((at, at + len(p)))
        at += len(p) + 2
    return Article("a", "a.txt", "\n\n".join(paragraphs), tuple(spans))


def test_a_bare_surname_is_the_story_s_person_when_a_namesake_is_only_a_relative_in_passing() -> None:
    ents = _by_name(extract_entities([_paragraphed(
        "“I thought he might hurt me,” Christine Blasey Ford, 51, told the newspaper. Ford said she told "
        "nobody at the time.",
        "Her husband, Russell Ford, said she described the attack in 2012.",
        "Ford has asked for an inquiry, her lawyer said.",
        "While his friend watched, Ford said, the boy pinned her to a bed on her back.",
    )]))
    assert len(ents["Christine Blasey Ford"].mentions) == 4 and len(ents["Russell Ford"].mentions) == 1
    # the relative, of the other gender, may be the one the bare name means: then a pronoun must say whose
    ents = _by_name(extract_entities([_paragraphed(
        "Alison Parker, 24, a reporter, was shot on air on Wednesday.",
        "Her father, Andy Parker, spoke to reporters on Thursday.",
        "“Nothing will bring her back,” Parker said. “We want a law.”",
    )]))
    assert len(ents["Alison Parker"].mentions) == 1
    # two brothers the story is about, or a family, leave the bare surname undecided
    ents = _by_name(extract_entities([_paragraphed(
        "Tamerlan Tsarnaev, 26, and his brother Dzhokhar Tsarnaev, 19, planted the bombs, police said.",
        "Tsarnaev bought fireworks in February. The Tsarnaev brothers had lived in Cambridge.",
    )]))
    assert len(ents["Tamerlan Tsarnaev"].mentions) == 1 and len(ents["Dzhokhar Tsarnaev"].mentions) == 1


def test_the_namesake_used_last_in_the_paragraph_wins_even_when_it_is_the_first_group() -> None:
    # (the first group found has index 0: "0 or …" had once dropped it for the fallback)
    ents = _by_name(extract_entities([_paragraphed(
        "Kim Jong-un met Moon Jae-in at the border, where Kim said he wondered why it had taken so long.",
        "His sister, Kim Yo-jong, stood beside him.",
    )]))
    kim = next(e for e in ents.values() if "Kim Jong-un" in e.variants)
    assert {m.text for m in kim.mentions} == {"Kim Jong-un", "Kim"}


def test_a_lowercase_title_of_two_words_is_the_person_s_role() -> None:
    ents = _by_name(extract_entities([_paragraphed(
        "President Trump met the leaders at the airport on Tuesday.",
        "Later, first lady Melania Trump joined him at the dinner.",
    )]))
    assert "first lady" in (ents["Melania Trump"].roles or ())
    trump = next(e for e in ents.values() if "President Trump" not in e.variants and e.name == "Trump")
    assert {m.text for m in trump.mentions} == {"Trump"}  # the president's, not hers
