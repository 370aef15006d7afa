"""Figures: amounts, qualifiers → intervals, kinds, measures and disagreements."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kazreader.analysis.figures import (
    VERSION,
    Figure,
    FiguresResult,
    extract_figures,
    compare,
    find_disagreements,
    find_figures,
    measure_key,
)
from kazreader.analysis.numbers import parse_amount, parse_digits
from kazreader.corpus.model import Article
from kazreader.text import sanitize

ROOT = Path(__file__).resolve().parents[1]


def art(text: str, id: str = "a", date: str | None = None) -> Article:
    return Article(id=id, path=f"{id}.txt", text=text, paragraphs=((0, len(text)),), date=date)


def figs(text: str, **kw: object) -> list[Figure]:
    return find_figures(art(text, **kw))  # type: ignore[arg-type]


def one(text: str, needle: str) -> Figure:
    """The figure whose text is *needle* (exactly one)."""
    found = [f for f in figs(text) if f.text == needle]
    assert len(found) == 1, [f.text for f in figs(text)]
    return found[0]


# --- numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "value", "length"),
    [
        ("twelve officers", 12, 1),
        ("twenty one people", 21, 2),
        ("one hundred and twenty five people", 125, 5),
        ("a thousand people", 1000, 2),
        ("a hundred and fifty cars", 150, 4),
        ("a dozen people", 12, 2),
        ("two dozen people", 24, 2),
        ("19 million", 19_000_000, 2),
        ("3 bn", 3_000_000_000, 2),
        ("half a million", 500_000, 3),
        ("1,000 people", 1000, 1),
        ("2.5 million", 2_500_000, 2),
    ],
)
def test_parse_amount_values(words: str, value: float, length: int) -> None:
    a = parse_amount(words.split(), 0)
    assert a is not None
    assert (a.value, a.end - a.start, a.vague) == (value, length, False)


@pytest.mark.parametrize(
    ("words", "low", "high", "length"),
    [
        ("dozens of people", 24, 99, 1),
        ("hundreds of people", 200, 999, 1),
        ("thousands of people", 2000, 9999, 1),
        ("tens of thousands of people", 20_000, 99_999, 3),
        ("hundreds of thousands of people", 200_000, 999_999, 3),
        ("several people", 3, 9, 1),
        ("a handful of people", 3, 9, 2),
        ("several hundred workers", 300, 900, 2),
    ],
)
def test_parse_amount_vague(words: str, low: float, high: float, length: int) -> None:
    a = parse_amount(words.split(), 0)
    assert a is not None
    assert (a.value, a.low, a.high, a.end - a.start, a.vague) == (None, low, high, length, True)


def test_parse_amount_rejects_non_numbers() -> None:
    assert parse_amount("a few days".split(), 0) is None
    assert parse_amount("a man".split(), 0) is None
    assert parse_amount("first troops".split(), 0) is None
    assert parse_digits("1,000") == 1000 and parse_digits("2.5") == 2.5
    assert parse_digits("1.2.3") is None


# --- qualifiers and intervals ----------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "text", "qualifier", "low", "high"),
    [
        ("Twelve people were killed.", "Twelve", "exact", 12, 12),
        ("At least 8 people were killed.", "At least 8", "at_least", 8, None),
        ("More than 1,000 people were hurt.", "More than 1,000", "more_than", 1001, None),
        ("Over 50 people were hurt.", "Over 50", "more_than", 51, None),
        ("About 1,000 people were hurt.", "About 1,000", "about", 900, 1100),
        ("Some 200 people were hurt.", "Some 200", "about", 180, 220),
        ("Roughly 400 shops were damaged.", "Roughly 400", "about", 360, 440),
        ("Nearly 400 people were hospitalised.", "Nearly 400", "nearly", 360, 399),
        ("Almost 50 people were hospitalised.", "Almost 50", "nearly", 45, 49),
        ("Up to 400 people were hospitalised.", "Up to 400", "up_to", 0, 400),
        ("Fewer than 40 people were hospitalised.", "Fewer than 40", "up_to", 0, 39),
        ("As many as 70 people were hospitalised.", "As many as 70", "up_to", 0, 70),
        ("Dozens of people were killed.", "Dozens", "vague", 24, 99),
        ("Tens of thousands of people took to the streets.", "Tens of thousands", "vague", 20_000, 99_999),
        ("Police said 1,000 or more people were detained.", "1,000 or more", "at_least", 1000, None),
        ("More than a dozen people were detained.", "More than a dozen", "more_than", 13, None),
    ],
)
def test_qualifier_intervals(sentence: str, text: str, qualifier: str, low: float, high: float | None) -> None:
    f = one(sentence, text)
    assert (f.qualifier, f.low, f.high, f.kind) == (qualifier, low, high, "count")
    assert sentence[f.start:f.end] == text


@pytest.mark.parametrize(
    ("sentence", "text", "low", "high"),
    [
        ("Between 10 and 20 people were killed.", "Between 10 and 20", 10, 20),
        ("Officials said 10-20 people were killed.", "10-20", 10, 20),
        ("Between 2 and 3 million people fled.", "Between 2 and 3 million", 2_000_000, 3_000_000),
    ],
)
def test_ranges_are_one_vague_figure(sentence: str, text: str, low: float, high: float) -> None:
    f = one(sentence, text)
    assert (f.qualifier, f.value, f.low, f.high) == ("vague", None, low, high)
    assert f.measure in ("people killed", "people displaced")


def test_changes_and_tallies_are_not_ranges() -> None:
    assert [f.text for f in figs("The toll rose from 8 to 12 on Friday.")] == ["8", "12"]
    assert [f.text for f in figs("It passed in a 71-to-54 vote.")] == ["71", "54"]


@pytest.mark.parametrize(("sentence", "texts"), [
    # the sides of a split, a score or a ratio are figures that count nothing named: no measure (the two
    # sides of "voted 60-37" are no two reports of one number)
    ("It passed in a 71-to-54 vote.", ["71", "54"]),
    ("The court issued a 5-4 ruling on Monday.", ["5", "4"]),
    ("Senators voted 60-37 to advance the bill.", ["60", "37"]),
    ("Clinton held a 50%-42% lead in the poll.", ["50%", "42%"]),
    ("The store is open 24/7.", ["24", "7"]),
])
def test_the_sides_of_a_split_have_no_measure(sentence: str, texts: list[str]) -> None:
    found = figs(sentence)
    assert [f.text for f in found] == texts
    assert [f.measure for f in found] == [None] * len(texts)


@pytest.mark.parametrize("sentence", [
    "The 9/11 attacks changed the city.",  # a date
    "The report was corrected on 01/14/2014.",
    "Call 407-246-4357 or 1-800-494-8477 for help.",  # phone numbers
    "The committee met June 18-20 in Paris.",  # days of a month
    "The House later passed S. 649 as well.",  # a bill's number
    "The meeting starts at 10:30 a.m. on Friday.",
])
def test_joined_numbers_that_count_nothing(sentence: str) -> None:
    assert figs(sentence) == []


@pytest.mark.parametrize(("sentence", "texts"), [
    ("Between 8-10 people were hurt.", ["8-10"]),  # a range: the smaller first
    ("The 9/11 attacks killed nearly 3,000 people.", ["nearly 3,000"]),
    ("The 2019-20 season had 12 games.", ["12"]),
])
def test_joined_numbers_that_still_count(sentence: str, texts: list[str]) -> None:
    assert [f.text for f in figs(sentence)] == texts


def test_vague_figures_have_no_point_value() -> None:
    assert one("Hundreds of people were injured.", "Hundreds").value is None
    assert one("A dozen people were injured.", "A dozen").value == 12


# --- kinds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "text", "kind", "value", "unit"),
    [
        ("Prices rose by 10% last year.", "10%", "percent", 10, "%"),
        ("Prices rose by 10 per cent last year.", "10 per cent", "percent", 10, "%"),
        ("Only one in five schools was safe.", "one in five", "percent", 20, "%"),
        ("The bank lent $5 million to the city.", "$5 million", "money", 5_000_000, "dollars"),
        ("The deal is worth €3bn over time.", "€3bn", "money", 3_000_000_000, "euros"),
        ("The plan costs 5 billion tenge.", "5 billion tenge", "money", 5_000_000_000, "tenge"),
        ("Workers there make as little as 56 cents an hour.", "56 cents", "money", 56, "cents"),
        ("A loaf costs 80 pence in the shop.", "80 pence", "money", 80, "pence"),
        ("More than three-fourths of voters agreed.", "More than three-fourths", "percent", 75, "%"),
        ("There is a two-thirds chance of rain.", "two-thirds", "percent", 66.67, "%"),
        ("Three quarters of the staff left.", "Three quarters", "percent", 75, "%"),
        ("It hires workers between the ages of 25 and 54.", "25", "age", 25, "years"),
        ("A 25-year-old man was arrested.", "25-year-old", "age", 25, "years"),
        ("The mayor, Ana Velk, 58, visited the site.", "58", "age", 58, "years"),
        # a pronoun's age as a verb's complement, with nothing counted after it
        ("It happened in 1982, when she was 15, at a party.", "15", "age", 15, "years"),
        ("She would have been 17 at the end of the year.", "17", "age", 17, "years"),
        ("He married her when she was 23 and he was 67; she left.", "67", "age", 67, "years"),
        ("The death toll was 15.", "15", "count", 15, None),
        ("He was 17 points ahead in the poll.", "17 points", "other", 17, "points"),
        ("They declared a two-week state of emergency.", "two-week", "duration", 2, "week"),
        ("The government announced a 180-day price cap.", "180-day", "duration", 180, "day"),
        ("They share a border of 4,700 miles with Russia.", "4,700 miles", "length", 4700, "miles"),
        ("It was 30°C in the shade.", "30°C", "other", 30, "degrees"),
        ("The quake had a magnitude of 6.2 on the scale.", "6.2", "count", 6.2, None),
    ][:-1],
)
def test_kinds(sentence: str, text: str, kind: str, value: float | None, unit: str | None) -> None:
    f = one(sentence, text)
    assert (f.kind, f.value, f.unit) == (kind, value, unit)
    if kind not in ("count", "percent", "money"):
        assert f.measure is None


@pytest.mark.parametrize(
    "sentence",
    [
        # Years and dates are not figures (#14).
        "The state of emergency lasts until January 19.",
        "It was signed on 19 January 2022 in the capital.",
        "The blast happened at 4:12 a.m. near the port.",
        "The country declared independence in 1991.",
        "Prices rose in the 1990s.",
        "Kazakhstan's Khabar 24 news channel reported the toll on Thursday.",
        "The officer told state news channel Khabar-24 about it.",
        "The alliance said the first troops had been sent.",
        "It was one of the most stable ex-Soviet republics.",
        "It has by far the highest G.D.P. per capita in the region.",
        "No one was hurt, and the body of one of the officers was found.",
        "Trucks queued on the A4 motorway near Gate 3 and Route 12.",
        "The World Health Organization said COVID-19 spread fast.",
        # A number glued to a lowercase word by a hyphen is a name's or a rank's (sentences from
        # abp-dev's coronavirus and abp-10k's coverage).
        "While the government is speeding clinical trials for covid-19 treatments, trials have halted.",
        "It is time to restart clinical trials for non-covid-19 patients.",
        "She was disqualified because she has type-1 diabetes.",
        "They face a classic catch-22.",
        "The state is a top-10 producer of corn.",
        "At one point, officials said, the line stretched for blocks.",
        "Langendorff said he was on the phone with 911 while they were chasing the gunman.",
        "\"Help me, I am Amanda Berry,\" she frantically told a 911 operator.",
        # A place in an order is no amount ("No. 1 concern" is not one concern).
        "No. 1 concern: job loss.",
        "The team is ranked number 3 in the league.",
        "It became the #1 issue for voters.",
        "A member of the Gang of Eight spoke.",
    ],
)
def test_not_figures(sentence: str) -> None:
    assert figs(sentence) == []


# --- measures ------------------------------------------------------------------------


def measures(text: str) -> list[tuple[str, str | None]]:
    return [(f.text, f.measure) for f in figs(text) if f.kind == "count"]


def test_counted_noun_shared_across_coordination() -> None:
    text = "Twelve security officers have been killed and 353 wounded in the unrest."
    assert measures(text) == [("Twelve", "security forces killed"), ("353", "security forces wounded")]
    assert [f.counted for f in figs(text)] == ["security officers", "security officers"]


def test_hospital_figures_share_people() -> None:
    text = (
        "Officials said more than 1,000 people had been wounded so far in the unrest, "
        "with nearly 400 hospitalised and 62 in intensive care."
    )
    assert measures(text) == [
        ("more than 1,000", "people wounded"),
        ("nearly 400", "people hospitalised"),
        ("62", "people in intensive care"),
    ]


def test_objects_subsets_and_elided_nouns() -> None:
    text = (
        "The police said that protesters burned 120 cars, including 33 police vehicles, "
        "and damaged about 400 businesses, and that more than 200 had been detained."
    )
    assert measures(text) == [
        ("120", "vehicles burned"),
        ("33", "police vehicles burned"),
        ("about 400", "businesses damaged"),
        ("more than 200", "people detained"),
    ]


@pytest.mark.parametrize(
    ("sentence", "text", "measure"),
    [
        ("Police said dozens of people were killed in battles.", "dozens", "people killed"),
        ("Police opened fire, killing at least one person.", "at least one", "people killed"),
        ("The ministry said 2,000 people had been arrested.", "2,000", "people detained"),
        ("At least eight members of the security forces have been killed.", "At least eight",
         "security forces killed"),
        ("Security forces killed dozens of demonstrators and 12 police officers.", "12",
         "security forces killed"),
        ("Security forces killed dozens of demonstrators and 12 police officers.", "dozens",
         "protesters killed"),
        ("Thousands took to the streets in the capital.", "Thousands", "people protesting"),
        ("The death toll rose to 41 on Wednesday.", "41", "people killed"),
        # any figure: percentages, money, other predicates (normalised), levels without one
        ("The economy added 171,000 jobs in October.", "171,000", "jobs added"),
        ("The unemployment rate ticked up to 7.9 percent.", "7.9 percent", "unemployment rate (%)"),
        ("Trump raised tariffs on $200 billion of Chinese goods.", "$200 billion", "goods (dollars)"),
        ("China will impose 25 percent tariffs on steel.", "25 percent", "tariffs on steel imposed (%)"),
        # what a levy is on is part of its measure: steel's and aluminum's tariffs are two
        ("Trump imposed tariffs of 25 percent on steel imports and 10 percent on aluminum imports.", "10 percent",
         "tariffs on aluminum (%)"),
        ("The administration set tariffs on aluminum at 10 percent and tariffs on steel at 25 percent.",
         "25 percent", "tariffs on steel (%)"),
        ("Last week, Trump hiked tariffs on Chinese goods to 25% from 10%.", "10%", "tariffs on Chinese goods (%)"),
        ("Delaying those 25 percent tariffs on Chinese imports will help.", "25 percent",
         "tariffs on Chinese goods (%)"),
        # the levy named before its object, however the object's amount is written, not the goods'
        ("The administration raised duties on $200 billion of Chinese imports to 25% from 10%.", "25%",
         "tariffs on Chinese goods (%)"),
        ("Tariffs on billions of dollars of Chinese imports were set to rise to 25 percent.", "25 percent",
         "tariffs on Chinese goods (%)"),
        ("Taxes rose 3 percent on average.", "3 percent", "taxes increased (%)"),  # no object
        # a modifier between the determiner and the amount leaves the word after it a noun
        ("He said the earlier 10 percent increase was absorbed by companies.", "10 percent", "increase (%)"),
        ("Roughly 400 people in the caravan were detained.", "Roughly 400", "people detained"),
        ("Mining lost 9,000 jobs last month.", "9,000", "jobs lost by mining"),  # a sector's part
        ("The economy lost 9,000 jobs last month.", "9,000", "jobs lost"),  # the whole
        ("Manufacturers cut 8,000 jobs.", "8,000", "jobs cut by manufacturers"),
        ("Private and public employers added 171,000 jobs.", "171,000", "jobs added"),  # still the whole
        ("The economy grew at a 3.2% annual rate.", "3.2%", "annual rate (%)"),  # a bare "rate" says little
        ("The nursing home death rate is only 13.8 percent.", "13.8 percent", "death rate (%)"),
        ("Officials put the number of people evacuated at nearly 15,000.", "nearly 15,000",
         "people evacuated"),
        ("Nearly 60 of the injured were in a serious condition.", "Nearly 60",
         "people seriously injured"),
        ("The army said it had sent 6 helicopters to the valley.", "6", "helicopters sent"),
        ("Thousands of dockworkers walked out on Monday.", "Thousands", "workers on strike"),
        ("She addressed a rally of several hundred workers.", "several hundred", "workers protesting"),
        ("Protests spread across the nation of 19 million this week.", "19 million", "population"),
        ("About 200 demonstrators gathered, and police fired on them.", "About 200",
         "protesters protesting"),
        ("The region was last hit in 1998, when 112 people died.", "112", "people killed in 1998"),
        # one name for a rise and one for a fall, whatever the verb ("raised" is money raised)
        ("Sales rose 5% in May.", "5%", "sales increased (%)"),
        ("Sales increased 5% in May.", "5%", "sales increased (%)"),
        ("Taxes were raised by 5% last year.", "5%", "taxes increased (%)"),
        ("Unemployment fell 0.3 percent in May.", "0.3 percent", "unemployment rate decreased (%)"),
        ("Unemployment dropped 0.3 percent in May.", "0.3 percent", "unemployment rate decreased (%)"),
        ("The index inched up 0.1 percent last month.", "0.1 percent", "index increased (%)"),
        ("Unemployment did not fall below 5 percent until May.", "below 5 percent", "unemployment rate (%)"),
        ("Cargo planes dropped 72 bundles of supplies.", "72", "bundles dropped"),  # no fall of a level
        ("Two other rockets fell into open areas.", "Two", "other rockets"),
        # a phrasal verb keeps its particle after the verb
        ("Officers carried out 40 raids overnight.", "40", "raids carried out"),
        ("Officials said 19 raids were carried out on Sunday.", "19", "raids carried out"),
        ("Since then, 429,000 people dropped out of the labor force.", "429,000", "people dropped out"),
        ("The economy has since gained back 6.3 million jobs.", "6.3 million", "jobs added"),
        ("Police rounded up 40 people on Sunday.", "40", "people detained"),
        ("The airline laid off 500 workers.", "500", "workers cut"),
        # "by" after a passive names who did it, not a change
        ("The strikes were carried out by eight Russian jets.", "eight", "jets"),
        # a verbal noun right after the amount is the counted noun
        ("Clinton won 87 electoral votes in the state.", "87", "electoral votes"),
        ("The bill needs 60 votes to pass.", "60", "votes"),
        ("It proposed $716 billion in Medicare cuts.", "$716 billion", "medicare cuts proposed (dollars)"),
        ("The campaign raised $5 million in May.", "$5 million", "raised (dollars)"),  # (a verb before a currency sign)
        ("McDaniel had 155,040 votes, or 49.5 percent.", "49.5 percent", "votes (%)"),
        # "people" ends the counted noun: the word after it is no part of it
        ("It covers 100,000 people ages 18 to 24.", "100,000", "people"),
        ("About 43 percent of people believe the claim.", "About 43 percent", "people (%)"),
        ("At the end of the recession, 6.6 million people drew benefits.", "6.6 million", "people"),
        # a verb before "to" is not what they did ("tried to persuade"), but a known predicate still is
        ("One adviser said dozens of people had tried to persuade the president.", "dozens", "people"),
        ("Several lawmakers had vowed not to give up.", "Several", "lawmakers"),
        ("Officials said 175,000 jobs were added to payrolls last month.", "175,000", "jobs added"),
        ("More than 2 million people have signed up so far.", "More than 2 million", "people signed up"),
        # a spelled number before a verb counts nothing named
        ("Eighty-three run for office this year.", "Eighty-three", None),
    ],
)
def test_measures(sentence: str, text: str, measure: str | None) -> None:
    assert one(sentence, text).measure == measure


def test_counts_without_a_predicate_have_their_noun_as_measure() -> None:
    f = one("A group of about 200 demonstrators gathered near the square.", "about 200")
    assert (f.counted, f.noun, f.kind) == ("demonstrators", "protesters", "count")
    f = one("Officials said 800 tents stood in the camp.", "800")
    assert (f.noun, f.predicate, f.measure) == ("tents", None, "tents")
    assert figs("One resident said he had lost everything.") == []


@pytest.mark.parametrize(
    ("sentence", "needle", "noun", "predicate", "place", "time"),
    [
        ("Employers added 148,000 jobs in December.", "148,000", "jobs", "added", None, "in December"),
        ("There were 155,000 jobs added to payrolls.", "155,000", "jobs", "added", None, None),
        ("The war has claimed the lives of 67 Israelis.", "67", "Israelis", "killed", None, None),
        ("Nearly 1,900 Palestinians have been killed in Gaza.", "Nearly 1,900", "Palestinians", "killed", "Gaza", None),
        ("The plan would cut the payments by 20 percent.", "20 percent", "payments", "cut", None, None),
        ("China levied tariffs on $60 billion of US imports on Monday.", "$60 billion", "imports", None, "US",
         "on Monday"),  # a proper name modifying the counted noun restricts it
        ("They made up just 13 percent of the US population.", "13 percent", "population", None, "US", None),
        ("In Chicago, about 40 people protested.", "about 40", "people", "protesting", "Chicago", None),
        ("The 89 people who were killed there were honoured.", "89", "people", "killed", "there", None),
        ("Since October 2007, when about 139 people died, no attack was deadlier.", "about 139", "people", "killed",
         None, "Since October 2007"),
        ("A suicide bombing in the port city of Karachi killed 150 people.", "150", "people", "killed", "Karachi",
         None),
        ("The U.S. has recorded more than 3 million cases so far.", "more than 3 million", "cases", None, None,
         "so far"),
    ],
)
def test_measure_parts(sentence: str, needle: str, noun: str, predicate: str | None, place: str | None,
                       time: str | None) -> None:
    f = one(sentence, needle)
    assert (f.counted.split()[-1] if f.counted else None, f.predicate, f.place, f.time) == (noun, predicate, place, time)


def test_spans_and_sentences_index_article_text() -> None:
    text = "Intro line.\n\nOfficials said 52 people had died. Another 300 were hurt."
    fs = figs(text)
    assert [(f.text, f.start, f.end) for f in fs] == [("52", 28, 30), ("300", 56, 59)]
    assert fs[0].sentence == "Officials said 52 people had died."
    assert text[fs[1].sentence_start:].startswith(fs[1].sentence)
    assert fs[1].measure == "people wounded"
    assert (fs[1].noun, fs[1].predicate) == ("people", "wounded")


# --- disagreements -------------------------------------------------------------------


def test_disagreements_conflict_and_differ() -> None:
    a = art("Twelve security officers have been killed. Nearly 400 people were hospitalised. "
            "More than 10 children were among the dead.", "a")
    b = art("12 members of the security forces have been killed. "
            "Police said 400 people were treated in hospital. Ten children were killed.", "b")
    c = art("Some 30 people were detained. Thirteen security officers were killed. "
            "Authorities said 10 children were killed.", "c")
    result = extract_figures([a, b, c], stories={"a": "s", "b": "s", "c": "s"})
    got = {d.measure: (d.kind, sorted((f.article, f.text) for f in d.values)) for d in result.disagreements}
    assert got == {
        "children killed": ("conflict", [("a", "More than 10"), ("b", "Ten"), ("c", "10")]),
        "security forces killed": ("differ", [("a", "Twelve"), ("b", "12"), ("c", "Thirteen")]),
    }
    assert [d.kind for d in result.disagreements] == ["conflict", "differ"]
    assert all(d.story == "s" for d in result.disagreements)


@pytest.mark.parametrize(
    ("x", "y", "kind"),
    [
        ("Twelve people were killed.", "12 people were killed.", "equal"),
        ("Nearly 400 people were hospitalised.", "400 people were hospitalised.", "consistent"),
        ("About 1,000 people were injured.", "More than 1,000 people were injured.", "consistent"),
        ("At least eight people were killed.", "Twelve people were killed.", "consistent"),
        ("The economy added 170,000 jobs.", "The economy added 171,000 jobs.", "consistent"),
        ("Dozens of people were injured.", "More than 100 people were injured.", "consistent"),
        ("On Monday 12 people were killed.", "On Tuesday 13 people were killed.", "update"),
        ("Twelve people were killed.", "13 people were killed.", "differ"),
        ("More than 10 children were killed.", "10 children were killed.", "conflict"),
        ("Nearly 200 people were wounded.", "More than 260 people were wounded.", "conflict"),
        ("Thousands took to the streets.", "Tens of thousands took to the streets.", "conflict"),
        # negative amounts: their intervals (see test_qualifiers_of_negative_and_positive_amounts)
        ("Growth was up to -5% in May.", "Growth was -3% in May.", "consistent"),
        ("Growth was at least -4% in May.", "Growth was -6% in May.", "consistent"),
        ("Growth was at least -4% in May.", "Growth was -2% in May.", "conflict"),
        ("Growth was nearly -3% in May.", "Growth was -4% in May.", "conflict"),
        ("Growth was -1,000% in May.", "Growth was -1,040% in May.", "consistent"),
    ],
)
def test_what_a_difference_means(x: str, y: str, kind: str) -> None:
    (a,), (b,) = figs(x, id="a"), figs(y, id="b")
    assert measure_key(a) == measure_key(b) is not None
    assert compare(a, b) == kind == compare(b, a)


def test_no_disagreement_within_one_article_or_for_same_number() -> None:
    a = art("At first 12 people were killed. Later 20 people were killed.", "a")
    b = art("About 1,000 people were injured.", "b")
    c = art("More than 1,000 people were injured.", "c")
    assert extract_figures([a, b, c], stories=dict.fromkeys("abc", "s")).disagreements == ()
    d = art("Hundreds of people were injured.", "d")
    e = art("Some 2,500 people were injured.", "e")
    (dis,) = extract_figures([d, e], stories=dict.fromkeys("de", "s")).disagreements
    assert (dis.measure, dis.kind) == ("people wounded", "conflict")


def test_figures_of_two_stories_are_never_compared() -> None:
    a = art("Twelve people were killed in the blast.", "a", date="2020-01-01")
    b = art("Thirteen people were killed in the blast.", "b", date="2020-01-01")
    assert extract_figures([a, b], stories={"a": "s1", "b": "s2"}).disagreements == ()
    (d,) = extract_figures([a, b], stories={"a": "s1", "b": "s1"}).disagreements
    assert d.kind == "differ" and d.story == "s1"


def test_disagreements_scale_linearly() -> None:
    many = [
        Figure("a%d" % (i % 500), 0, 2, "12", "", 12.0 + (i == 7), 12.0 + (i == 7), 12.0 + (i == 7),
               "exact", "people killed", "people", "count", noun="people", predicate="killed")
        for i in range(50_000)
    ]
    (d,) = find_disagreements(many)  # (a quadratic comparison would not end within the suite's time)
    assert d.kind == "differ"


# --- JSON ------------------------------------------------------------------------------


def test_json_contract_and_round_trip() -> None:
    a = art("Twelve security officers have been killed.", "a")
    b = art("At least 14 members of the security forces have been killed.", "b")
    result = extract_figures([a, b], stories={"a": "s", "b": "s"})
    doc = json.loads(json.dumps(result.to_json()))
    f0 = doc["figures"][0]
    assert {"article", "start", "end", "text", "sentence", "value", "low", "high", "qualifier",
            "measure", "counted"} <= f0.keys()
    assert (f0["value"], f0["low"], f0["high"], f0["qualifier"]) == (12, 12, 12, "exact")
    dis = doc["disagreements"][0]
    assert dis["measure"] == "security forces killed" and dis["kind"] == "conflict" and dis["story"] == "s"
    assert {"noun", "predicate", "place", "time", "story"} <= f0.keys() and f0["predicate"] == "killed"
    assert {"article", "value", "low", "high", "text"} <= dis["values"][1].keys()
    assert dis["values"][1]["high"] is None
    assert FiguresResult.from_json(doc) == result
    assert doc["version"] == VERSION


# --- seeds and labelled set --------------------------------------------------------------


def seed_articles() -> list[Article]:
    paths = sorted((ROOT / "seeds").glob("*.txt"))
    return [art(sanitize(p.read_text(encoding="utf-8")), p.stem[:3]) for p in paths]


def test_seeds_twelve_and_12_never_disagree() -> None:
    result = extract_figures(seed_articles())
    for d in result.disagreements:
        values = {(f.value, f.low, f.high) for f in d.values}
        assert len(values) > 1, d
        assert values != {(12.0, 12.0, 12.0)}
    killed = [f for f in result.figures if f.measure == "security forces killed"]
    assert {("000", "Twelve"), ("003", "12")} <= {(f.article, f.text) for f in killed}
    assert compare(*[f for f in killed if f.text in ("Twelve", "12")][:2]) == "equal"
    texts = {(f.article, f.text) for f in result.figures}
    assert ("003", "24") not in texts  # Khabar-24 is a name
    assert ("000", "24") not in texts  # Khabar 24 too
    kinds = {(f.article, f.text): f.kind for f in result.figures}
    assert ("002", "1991") not in kinds  # years and dates are no figures
    assert kinds[("003", "4,700 miles")] == "length"
    assert kinds[("003", "180-day")] == "duration"
    assert ("001", "January 19") not in kinds
    for f in result.figures:
        a = next(x for x in seed_articles() if x.id == f.article)
        assert a.text[f.start:f.end] == f.text


def test_labelled_set_scores() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from eval_figures import evaluate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    scores = evaluate()
    assert scores["gold"] >= 90
    assert scores["precision"] >= 0.95 and scores["recall"] >= 0.95
    assert scores["qualifier"] >= 0.95 and scores["interval"] >= 0.95
    assert scores["measure (counts with one)"] >= 0.85


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789 ,.-%$abc\n") + [
    " twelve", " dozens of", " people", " killed", " at least", " more than", " January",
    " Khabar", " per cent", " year-old", " of whom", " and", " including", " a", " thousand",
    " up to", " nearly", " about", " below", " just under", " -", " or more", " between", " to",
]), max_size=60).map("".join))
def test_arbitrary_text_gives_valid_spans(text: str) -> None:
    for f in figs(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start:f.end] == f.text
        assert f.qualifier in ("exact", "at_least", "more_than", "about", "nearly", "up_to", "vague")
        assert f.low is None or f.high is None or f.low <= f.high


def test_many_articles() -> None:
    """500 articles in one call (its speed is measured by benchmarks/speed_figures.py, not here)."""
    texts = [a.text for a in seed_articles()]
    articles = [art(texts[i % len(texts)], f"x{i}") for i in range(500)]
    result = extract_figures(articles)
    assert len(result.figures) > 3000


# --- clause-bound events and regional scope ---------------------------------------


@pytest.mark.parametrize(
    ("text", "needle", "measure"),
    [
        # the verb of a later clause joined by "and that" / "and the" is not this figure's
        ("Officials said 800 tents had been put up and that 2,000 tonnes of flour had been sent.",
         "800", "tents"),
        ("About 60 villages were cut off and the army evacuated residents by boat.", "About 60", "villages cut"),
        # ... but a verb shared by coordinated predicates still is
        ("Twelve miners were trapped and later rescued.", "Twelve", "workers trapped"),
    ],
)
def test_event_comes_from_the_figure_own_clause(text: str, needle: str, measure: str | None) -> None:
    assert one(text, needle).measure == measure


@pytest.mark.parametrize(
    ("text", "needle", "measure"),
    [
        ("At least 9 people died in Varnell alone, officials said.", "At least 9", "people killed in Varnell"),
        ("In Torvik alone, 14 people were killed.", "14", "people killed in Torvik"),
        ("Floods killed 21 people in Ostra district.", "21", "people killed in Ostra"),
        ("In the province of Lendra, 33 people were injured.", "33", "people wounded in Lendra"),
        ("Some 70 homes were destroyed in the Upper Marsh region.", "Some 70", "buildings destroyed in Upper Marsh"),
        # a bare place names where the whole event happened: no restriction
        ("At least 40 people were killed in Belvania on Monday.", "At least 40", "people killed"),
        # the scope belongs to its own clause only
        ("In Torvik alone, 14 people were killed, while 30 were injured in Belvania.", "30", "people wounded"),
    ],
)
def test_regional_subtotal_is_scoped(text: str, needle: str, measure: str) -> None:
    assert one(text, needle).measure == measure


def test_regional_subtotal_is_not_compared_with_the_whole_toll() -> None:
    a = art("At least 52 people were killed in the floods.", "a")
    b = art("The floods killed 41 people. In Varnell alone, 15 people drowned.", "b")
    c = art("Officials said 15 people had drowned in Varnell district.", "c")
    result = extract_figures([a, b, c])
    by_measure = {d.measure: {(f.article, f.value) for f in d.values} for d in result.disagreements}
    assert by_measure["people killed"] == {("a", 52.0), ("b", 41.0)}
    assert "people killed in Varnell" not in by_measure  # both say 15: no disagreement
    scoped = [f for f in result.figures if f.measure == "people killed in Varnell"]
    assert {(f.article, f.value) for f in scoped} == {("b", 15.0), ("c", 15.0)}


def test_where_the_whole_event_happened_is_no_restriction() -> None:
    text = ("Floodwaters swept through villages in Norland's Ostra province on Tuesday, "
            "forcing more than 40,000 people from their homes.")
    assert one(text, "more than 40,000").measure == "people displaced"
    text = "Rescuers tried to reach 14 miners trapped by a collapse at a copper mine in the Brava region."
    assert one(text, "14").measure == "workers trapped"
    assert one("Floods killed 12 people in Norland's Ostra district.", "12").measure == "people killed in Ostra"


# --- what is compared: earlier events, parts, subsets, forecasts (#14) ---------------------------


def test_a_toll_of_an_earlier_event_is_dated_to_it() -> None:
    text = ("Two blasts killed 23 people on Tuesday. Previous attacks include an Aug. 15 car bombing "
            "that killed 27 people. In August, nine people were killed in a hotel attack.")
    by_text = {f.text: f for f in find_figures(art(text, date="2013-11-19"))}
    assert by_text["23"].measure == "people killed"
    assert by_text["27"].measure == "people killed on August 15"
    assert by_text["nine"].time == "in August"
    # The story's own time nearer the figure wins; a recent date is the story's own.
    near = find_figures(art("The bloodiest day since the July 3 ouster: dozens of people were killed Wednesday.",
                            date="2013-08-14"))
    assert [f.time for f in near] == ["Wednesday"]
    old = find_figures(art("The last fire to kill more was the 1933 Griffith Park fire, which killed 29.",
                           date="2013-07-01"))
    assert [f.measure for f in old] == ["people killed in 1933"]
    own = find_figures(art("The April 15 blasts killed three people.", date="2013-04-23"))
    assert [f.measure for f in own] == ["people killed"]


@pytest.mark.parametrize(
    ("text", "needle", "aside"),
    [
        ("The government cut 14,000 jobs and manufacturers cut 8,000 jobs.", "14,000", "part"),
        ("They saw 27 bodies, with 12 bodies in the basement and 15 on the second floor.", "15", "part"),
        ("At least 200 victims are hurt, dozens of them seriously.", "dozens", "subset"),
        ("In all, 78 people were arrested, 18 of whom were from outside Missouri.", "18", "subset"),
        ("Fifteen of those arrested have since been released.", "Fifteen", "subset"),
        ("It adds to spending, including $2.6 billion for a wall.", "$2.6 billion", "subset"),
        ("There could be 100 deaths among their parents.", "100", "expected"),
        ("Economists had estimated 175,000 jobs were added last month.", "estimated 175,000", "expected"),
        ("The economy needs to create 100,000 jobs to keep up.", "100,000", "expected"),
        ("Their prediction: the bureau will say about 185,000 jobs were added.", "about 185,000", "expected"),
        ("Trump would go further, lowering the rate to 15%.", "15%", "expected"),
        ("Aid is given in states where unemployment is 9 percent or higher.", "9 percent or higher", "expected"),
        ("In all, 78 people were arrested on Monday.", "78", None),
        ("An estimated 2,200 people have died.", "An estimated 2,200", None),
        ("Twelve people were killed in Gaza and three in Israel.", "Twelve", None),
    ],
)
def test_figures_set_aside_from_comparison(text: str, needle: str, aside: str | None) -> None:
    f = one(text, needle)
    assert f.aside == aside
    assert (measure_key(f) is None) == (aside is not None) or f.measure is None


def test_relative_times_are_resolved_against_the_article_date() -> None:
    a = art("Employers added 165,000 jobs last month.", "a", date="2013-05-03")
    b = art("Only 88,000 jobs were added in March.", "b", date="2013-05-03")
    c = art("The economy added 165,000 jobs in April.", "c", date="2013-05-03")
    (fa,), (fb,), (fc,) = (find_figures(x) for x in (a, b, c))
    assert compare(fa, fb) == "update"
    assert compare(fa, fc) == "equal"
    assert compare(fb, fc) == "update"
    e = art("In all, 43 firefighters had been killed so far this year.", "e", date="2013-07-01")
    f = art("A blaze killed 19 firefighters on Sunday.", "f", date="2013-07-01")
    assert compare(find_figures(e)[0], find_figures(f)[0]) == "update"  # a tally and one day's count
    d = art("Initially it said only 74,000 jobs had been added that month.", "d", date="2013-05-03")
    (fd,) = find_figures(d)
    assert compare(fa, fd) == "update"  # "that month" is a month named before, not the article's


def test_population_shares_of_two_places_are_not_compared() -> None:
    a = art("Black people made up just 13 percent of the US population.", "a")
    b = art("In Charlotte, African-Americans comprise just 32 percent of the population.", "b")
    assert extract_figures([a, b], stories=dict.fromkeys("ab", "s")).disagreements == ()


def test_a_figure_citation_quotes_the_words_around_it_not_the_whole_sentence() -> None:
    from kazreader.citation import FIGURE_QUOTE, figure_quote

    sentence = "Officials said on Monday " + "that the protests went on " * 6 + "and 42 people were detained overnight."
    at = sentence.index("42")
    quote = figure_quote({"sentence": sentence, "start": 1000 + at, "sentence_start": 1000, "text": "42"})
    assert "42 people" in quote and quote.startswith("…") and len(quote) <= FIGURE_QUOTE + 2
    assert quote.strip("…") in sentence
    assert figure_quote({"sentence": "Twelve were killed.", "start": 0, "text": "Twelve"}) == "Twelve were killed."


def test_subtotals_by_place_are_not_set_against_the_toll() -> None:
    a = art("Ten people were killed at the Zaventem airport. At least 20 people died at the Maelbeek station.", "a")
    b = art("Eleven people were killed in the attacks on Zaventem and Maelbeek.", "b")
    c = art("Twenty-three people died inside the church.", "c")
    d = art("The gunman killed 26 people.", "d")
    assert extract_figures([a, b], stories=dict.fromkeys("ab", "s")).disagreements == ()
    assert extract_figures([c, d], stories=dict.fromkeys("cd", "s")).disagreements == ()
    assert one("In all, 31 people were killed in Tuesday's attacks.", "31").place is None


def test_a_cell_value_reads_at_a_glance() -> None:
    """Large amounts are scaled and money carries its sign: '$200bn', not '200,000,000,000'."""
    from kazreader.analysis.figures.describe import compact

    tariffs = one("Tariffs on $200 billion of Chinese goods rose to 25 percent.", "$200 billion")
    assert compact(tariffs) == "$200bn"
    assert compact(one("The fund has about €1.5 million left.", "about €1.5 million")) == "~€1.5m"
    assert compact(one("Police said 1,200 people were arrested.", "1,200")) == "1,200"
    assert compact(one("Workers make as little as 56 cents an hour.", "56 cents")) == "56¢"


def test_one_of_a_measure_reads_in_the_singular() -> None:
    """The measure names its noun in the plural; after "1"/"one" the panel says it as written."""
    from kazreader.analysis.figures.describe import what_it_counts

    assert what_it_counts(one("One trade unionist was killed in the clash.", "One")) == "unionist killed"
    assert what_it_counts(one("One person was killed in the blast.", "One")) == "person killed"
    assert what_it_counts(one("Police said 12 nations signed.", "12")) == "nations"


def test_cache_form_rebuilds_the_same_result_from_the_texts() -> None:
    """The cache keeps offsets, not the words and sentences: rebuilt from the articles' texts,
    every figure (and every disagreement's) equals the original, sentences shared."""
    from kazreader.corpus import load_corpus
    from kazreader.paths import seeds_dir

    articles = list(load_corpus([seeds_dir()]).articles)
    a = art("Twelve security officers have been killed. At least 14 were hurt, police said.", "a")
    b = art("At least 14 members of the security forces have been killed.", "b")
    articles += [a, b]
    stories = {x.id: "s" for x in articles}
    result = extract_figures(articles, stories=stories)
    assert result.figures and result.disagreements
    raw = json.loads(json.dumps(result.to_cache()))
    assert "sentence" not in json.dumps(raw["figures"][0])
    back = FiguresResult.from_cache(raw, {x.id: x.text for x in articles})
    assert back == result and back.to_json() == result.to_json()
    same_sentence = [f for f in back.figures if f.article == "a" and f.sentence_start == 0]
    assert len(same_sentence) >= 1 and all(f.sentence is same_sentence[0].sentence for f in same_sentence)


@pytest.mark.parametrize(("sentence", "needle", "predicate"), [
    # past a comma, another clause's verb is not what the figure counts…
    ("Two terrorist bombings hit the city, killing more than 30 people.", "Two", None),
    ("Five hostages ran out of the cafe toward the police, sending the gunman into a tirade.", "Five", None),
    ("The meeting served at least one purpose, in that key players gathered in one room.", "at least one", None),
    # …but the counted noun's own verb after an aside is
    ("Twenty nationals, working for a Dubai company, were safely evacuated on Monday.", "Twenty", "evacuated"),
    ("One suspect in the bombing, Tamerlan Tsarnaev, was shot and killed by police early Friday.", "One", "killed"),
    ("Twenty-two senators, including the majority leader, sent a letter in May.", "Twenty-two", "sent"),
])
def test_an_event_past_a_comma_belongs_to_the_figure_only_when_its_clause_goes_on(
    sentence: str, needle: str, predicate: str | None
) -> None:
    found = [f for f in figs(sentence) if f.text == needle]
    if predicate is None:
        assert all(f.predicate is None or f.predicate not in ("killed", "sent", "protesting") for f in found), found
    else:
        assert found and found[0].predicate == predicate, found


def test_striking_a_deal_is_no_strike() -> None:
    assert one("First, the two countries aren't close to striking an accord.", "two").predicate is None
    assert one("About 4,000 teachers were striking on Monday.", "About 4,000").event == "on strike"


def test_a_verb_after_the_counted_noun_is_not_part_of_it() -> None:
    f = one("The president sought gains as a caravan of thousands of migrants makes its way through Mexico.",
            "thousands")
    assert f.counted == "migrants"


@pytest.mark.parametrize("sentence", [
    "The patient who died was a man in his 50s with underlying medical conditions.",
    "In the 1940s and ’50s, this group found steady, well-paid factory jobs.",
    "Nobody thought in the '90s that we would breach the debt ceiling.",
])
def test_decades_and_age_brackets_are_no_figures(sentence: str) -> None:
    assert not [f.text for f in figs(sentence)]


@pytest.mark.parametrize(("sentence", "text", "value"), [
    ("The economy shrank: GDP was -2.1% due to the harsh winter.", "-2.1%", -2.1),
    ("Temperatures fell to −15 degrees on Monday.", "−15 degrees", -15.0),
    ("The index rose 1.2% (-0.5% in May).", "-0.5%", -0.5),
])
def test_a_minus_sign_makes_a_figure_negative(sentence: str, text: str, value: float) -> None:
    f = one(sentence, text)
    assert f.value == f.low == f.high == value


#: Every qualifier with a positive and a negative amount: a negative amount's qualifier sizes it ("up to
#: -5%" is a fall of up to 5%: [-5, 0]); the phrases that place it on a scale keep their direction
#: ("below -10 degrees" is colder than -10).
@pytest.mark.parametrize(("sentence", "text", "qualifier", "low", "high"), [
    ("Output fell by up to 5% in May.", "up to 5%", "up_to", 0, 5),
    ("Output changed by up to -5% in May.", "up to -5%", "up_to", -5, 0),
    ("Growth was as much as -5% in May.", "as much as -5%", "up_to", -5, 0),
    ("Growth was less than 1% in May.", "less than 1%", "up_to", 0, 1),
    ("Growth was less than -1% in May.", "less than -1%", "up_to", -1, 0),
    ("Growth was nearly 3% in May.", "nearly 3%", "nearly", 2, 3),
    ("Growth was nearly -3% in May.", "nearly -3%", "nearly", -3, -2),
    ("Growth was almost -2.5% in May.", "almost -2.5%", "nearly", -2.5, -2.2),
    ("Growth was at least 4% in May.", "at least 4%", "at_least", 4, None),
    ("Growth was at least -4% in May.", "at least -4%", "at_least", None, -4),
    ("Growth was more than 1% in May.", "more than 1%", "more_than", 1, None),
    ("Growth was more than -1% in May.", "more than -1%", "more_than", None, -1),
    ("Growth was about 2% in May.", "about 2%", "about", 1, 3),
    ("Growth was about -2% in May.", "about -2%", "about", -3, -1),
    ("Temperatures fell below 10 degrees.", "below 10 degrees", "up_to", 0, 10),
    ("Temperatures fell below -10 degrees.", "below -10 degrees", "up_to", None, -10),
    ("Temperatures stayed above -5 degrees.", "above -5 degrees", "more_than", -5, None),
    ("Temperatures stayed above 5 degrees.", "above 5 degrees", "more_than", 5, None),
    ("Temperatures were just under -3 degrees.", "just under -3 degrees", "nearly", -4, -3),
    ("Temperatures were just under 3 degrees.", "just under 3 degrees", "nearly", 2, 3),
    ("Temperatures were -5 to -2 degrees.", "-5 to -2 degrees", "vague", -5, -2),
    # a percent sign (or word) after the first amount: the range and the phrase after it are still read
    ("Prices rose 5% or more in May.", "5% or more", "at_least", 5, None),
    ("Prices changed by -5% or more in May.", "-5% or more", "at_least", None, -5),
    ("Prices rose 2 percent or less in May.", "2 percent or less", "up_to", 0, 2),
    ("Growth was between 5% and 10% in May.", "between 5% and 10%", "vague", 5, 10),
    ("Growth was between -5% and -10% in May.", "between -5% and -10%", "vague", -10, -5),
    ("Growth was 5 percent to 10 percent in May.", "5 percent to 10 percent", "vague", 5, 10),
    ("Growth was 5%-10% in May.", "5%-10%", "vague", 5, 10),
    ("Growth was 5 to 10 percent in May.", "5 to 10 percent", "vague", 5, 10),
    ("Tariffs ranging from 3% to 4% were imposed.", "3% to 4%", "vague", 3, 4),
    ("Tariffs ranging from -3% to 4% were seen.", "-3% to 4%", "vague", -3, 4),
    ("It would cost $5 million to $10 million.", "$5 million to $10 million", "vague", 5e6, 1e7),
    # "about" and "nearly" at the precision the amount is written in
    ("Unemployment was about 2.1% in May.", "about 2.1%", "about", 1.8, 2.4),
    ("Growth was about -2.1% in May.", "about -2.1%", "about", -2.4, -1.8),
    ("Growth was nearly 0.25% in May.", "nearly 0.25%", "nearly", 0.22, 0.25),
    ("About 2.5 million people fled.", "About 2.5 million", "about", 2.25e6, 2.75e6),
])
def test_qualifiers_of_negative_and_positive_amounts(
    sentence: str, text: str, qualifier: str, low: float | None, high: float | None
) -> None:
    f = one(sentence, text)
    assert (f.qualifier, f.low, f.high) == (qualifier, low, high)
    assert f.low is None or f.high is None or f.low <= f.high


@pytest.mark.parametrize(("sentence", "texts"), [
    ("Inflation rose from 3% to 4% in May.", ["3%", "4%"]),  # a change: two figures, not a range
    ("Unemployment fell from 5 percent to 4 percent.", ["5 percent", "4 percent"]),
    ("The poll had Clinton ahead 49.5% to 49%.", ["49.5%", "49%"]),  # a split, no range
    ("Hourly wages rose 7 cents to $23.73 last month.", ["7 cents", "$23.73"]),  # a change, then a level
    ("The deficit widened 5.2 percent to $47.6 billion.", ["5.2 percent", "$47.6 billion"]),
    ("The Dow climbed 1 percent, to 26,049.", ["1 percent", "26,049"]),
    ("The three women disappeared between 2002 and 2004.", ["three"]),  # a span of years is no figure
])
def test_a_change_or_a_split_is_no_range(sentence: str, texts: list[str]) -> None:
    found = figs(sentence)
    assert [f.text for f in found] == texts
    assert all(f.qualifier == "exact" for f in found)


def test_negative_amounts_far_apart_are_not_set_against_each_other() -> None:
    from kazreader.analysis.figures.compare import same_scale

    (a,), (b,), (c,) = figs("GDP was -2% in May.", id="a"), figs("GDP was -50% in May.", id="b"), figs(
        "GDP was -3% in May.", id="c")
    assert not same_scale(a, b) and same_scale(a, c)


def test_a_negative_cell_sign_follows_the_interval() -> None:
    from kazreader.analysis.figures.describe import compact

    assert compact(one("Growth was at least -4% in May.", "at least -4%")) == "≤-4%"
    assert compact(one("Growth was up to -5% in May.", "up to -5%")) == "≥-5%"
    assert compact(one("Temperatures fell below -10 degrees.", "below -10 degrees")).startswith("≤-10")
    assert compact(one("Growth was at least 4% in May.", "at least 4%")) == "≥4%"


def test_a_hyphen_between_numbers_or_in_a_name_is_no_minus() -> None:
    assert all((f.value or 0) >= 0 and (f.low or 0) >= 0 for f in figs("Scores ranged 10-15 points. COVID-19 spread."))


def test_due_away_and_ago_end_the_counted_noun() -> None:
    assert one("GDP was -2.1% due to the harsh winter weather.", "-2.1%").measure == "gdp (%)"
    assert one("Elsie Cintron, who lives three houses away, said so.", "three").counted == "houses"


def test_a_season_of_two_years_is_no_figure() -> None:
    assert not figs("The 2019-20 season ended early.")


def test_things_are_not_killed() -> None:
    assert one("A gunman suspected in shootings at two mosques that killed 49 people was charged.",
               "two").predicate != "killed"
    assert one("Dozens of assailants were eliminated.", "Dozens").event == "killed"
    # "eliminated", "saved", "gathered" name an event of people only when people are counted
    assert one("More than 50 programs would be eliminated.", "More than 50").event is None
    assert one("About 3,000 signatures were gathered.", "About 3,000").event is None
    assert one("About 200 protesters gathered in the square.", "About 200").event == "protesting"


@pytest.mark.parametrize(("sentence", "needle", "noun"), [
    ("Two bombs killed three people.", "Two", "bombs"),
    ("Two gunmen wounded at least 20 people.", "Two", "attackers"),
    ("Four explosions killed the two men.", "Four", "explosions"),
])
def test_a_verb_with_an_amount_for_object_is_what_the_counted_did(sentence: str, needle: str, noun: str) -> None:
    f = one(sentence, needle)
    assert (f.noun, f.event, f.predicate) == (noun, None, None)
    assert one("Twelve pilgrims killed in a stampede.", "Twelve").event == "killed"


@pytest.mark.parametrize(("sentence", "needle", "noun"), [
    # a noun of many ends on a plural: no adjective, adverb or verb is counted
    ("There were four debates (three presidential and one vice presidential).", "three", None),
    ("Four FA-18 aircraft struck a convoy.", "Four", "aircraft"),
    ("Police held 228 MS-13 members.", "228", "members"),
    ("The five presidentially appointed board members of the agency decide.", "five", "members"),
    ("But three justices eventually agreed.", "three", "justices"),
    ("Two influential outside groups opposed it.", "Two", None),
    ("It was revenge for the killing of hundreds of innocent tribesmen.", "hundreds", "tribesmen"),
    # abbreviations are no counted nouns
    ("Zoning had come to 48 large U.S. cities.", "48", "cities"),
    ("The two ads Mr. Smith has been running attack him.", "two", "ads"),
    # letters glued to the digits make a name or a code
    ("Accounts such as 401Ks hold stocks.", "401", None),
])
def test_what_a_count_of_many_counts(sentence: str, needle: str, noun: str | None) -> None:
    assert one(sentence, needle).noun == noun


def test_a_letter_glued_to_a_sum_is_its_scale() -> None:
    assert one("The group gave $2.3m in campaign cash.", "$2.3m").value == 2_300_000
    assert one("The budget squeezes $370B from Medicare.", "$370B").value == 370_000_000_000


def test_a_place_adverb_is_the_place() -> None:
    assert one("A model gives 213,715 deaths nationwide.", "213,715").place == "nationwide"
    assert one("Worldwide, nearly 500,000 have died.", "nearly 500,000").place == "worldwide"


@pytest.mark.parametrize(("sentence", "text", "kind", "measure"), [
    # a number glued to a singular noun before another noun counts the glued noun, not the other
    ("Trump talked about renegotiating the nearly 200-nation Paris accord.", "nearly 200", "count", "nations"),
    ("The senators formed a 12-member panel to review the law.", "12", "count", "members"),
    ("Nobody read the 2,000-page bill before the vote.", "2,000", "count", "pages"),
    ("He spoke before a 19,000-seat arena on Friday.", "19,000", "count", "seats"),
    # units and ages are no counts of their unit
    ("The president began a 10-day trip to Asia.", "10-day", "duration", None),
    ("Police arrested a 30-year-old man on Friday.", "30-year-old", "age", None),
    ("A 6-month-old baby was among the wounded.", "6-month-old", "age", None),
    ("Unemployment among 16- to 19-year-olds fell.", "16- to 19-year-olds", "age", None),
    ("He used a .22-caliber handgun.", "22-caliber", "other", None),
    # no compound: an idiom, or nothing after the glued noun
    ("It was a three-way race.", "three", "count", None),
    ("Some 150-odd leaders attended.", "Some 150", "count", "leaders"),
])
def test_a_number_glued_to_a_noun(sentence: str, text: str, kind: str, measure: str | None) -> None:
    f = one(sentence, text)
    assert (f.kind, f.measure) == (kind, measure)


def test_a_compound_takes_no_verb_of_the_noun_it_describes() -> None:
    f = one("Trump talked about renegotiating the nearly 200-nation Paris accord.", "nearly 200")
    assert (f.predicate, f.low, f.high) == (None, 180, 199)


def test_ages_after_ages() -> None:
    f = one("Young adults, ages 18 to 29, are less likely to say so.", "18 to 29")
    assert (f.kind, f.low, f.high) == ("age", 18, 29)
    assert one("The rate for males of all ages (6.2 deaths per 100,000 people) rose.", "6.2").kind != "age"


def test_a_qualifier_after_a_count_is_no_threshold() -> None:
    assert one("When it said so, a dozen or more cities unveiled plans.", "a dozen or more").aside is None
    f = one("It will take two [to] three months to open.", "two [to] three months")  # (an editor's insertion)
    assert (f.low, f.high) == (2, 3)


@pytest.mark.parametrize(("sentence", "text", "measure"), [
    # after these words a hyphen leaves an amount
    ("It expands coverage for the under-65 population with 20 million people.", "65", "population"),
    ("The then-71-year-old senator spoke.", "71-year-old", None),
    # a hospital is an event's place only after "in", "to" or "at area ..." (abp-dev, coronavirus)
    ("NBC News spoke with 10 medical centers and hospitals across the country.", "10", "centers"),
    ("To date, 19 states have enacted some form of immunity for hospitals.", "19", "states enacted"),
    ("Five people were taken to hospital.", "Five", "people hospitalised"),
    ("At one point, more than 100 people were at area hospitals.", "more than 100", "people hospitalised"),
    # a two-word proper name says who; its head alone would not
    ("The center of the outbreak has been nursing homes, where more than 5,000 New Yorkers have died.",
     "more than 5,000", "new yorkers killed"),
    ("There are 861 South Koreans inside Kaesong at the moment.", "861", "south koreans"),
    ("Trump named a group including two New York Republicans.", "two", "republicans"),
    # "held" is detained only in the passive or held captive (abp-dev: "held several meetings" was
    # "meetings detained", "held five consecutive weeks of talks" "weeks detained")
    ("The historic agreement came after the two leaders held several meetings throughout the day.", "several",
     "meetings"),
    ("Police said 20 protesters were held overnight.", "20", "protesters detained"),
    ("The three women held captive by Castro are aware of his suicide.", "three", "people detained"),
    ("Troops recaptured two rebel-held towns near the crash site.", "two", "towns recaptured by troops"),
    # after "a"/"the" and the amount, a word that could be a verb is the noun (abp-dev's budget stories)
    ("A $800 billion cut from Medicaid spending over 10 years is part of the bill.", "$800 billion", "cut (dollars)"),
    ("Murray made the case that Ryan was proposing about a $20 billion cut to retirement.", "$20 billion",
     "cut (dollars)"),
    ("It comes on top of the $1.2 trillion called for in the 2011 deal.", "$1.2 trillion", None),
    # a share of the economy has one name however written (abp-dev's NATO summit: "goods spent",
    # "gdps spent", "product spent" for one target)
    ("NATO members agreed to spend at least 2 percent of their gross domestic product on defense.",
     "at least 2 percent", "gdp spent (%)"),
    ("NATO members have committed to spending 2 percent of their respective GDPs on defense.", "2 percent",
     "gdp spent (%)"),
])
def test_hyphens_hospitals_and_proper_names(sentence: str, text: str, measure: str | None) -> None:
    assert one(sentence, text).measure == measure
