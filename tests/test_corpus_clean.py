"""Paragraph structure and furniture removal (kazreader.corpus.clean)."""

from __future__ import annotations

import pytest

from kazreader.corpus.clean import finish, is_furniture, split_blocks, strip_markup, strip_name_cards


def clean(text: str) -> list[str]:
    result = finish(split_blocks(text))
    return [result.text[s:e] for s, e in result.paragraphs]


def test_blank_lines_separate_paragraphs_and_hard_wraps_are_joined():
    text = (
        "The minister said on Monday that the\n"
        "talks   would resume next week.\n"
        "\n\n"
        "Opposition leaders rejected the offer\n"
        "within hours.\n"
    )
    result = finish(split_blocks(text))
    assert result.text == (
        "The minister said on Monday that the talks would resume next week.\n\n"
        "Opposition leaders rejected the offer within hours."
    )
    assert result.paragraphs == ((0, 66), (68, 119))
    assert result.removed == 0


def test_one_paragraph_per_line_without_blank_lines():
    text = "First paragraph here.\nSecond one, short\nThird one."
    assert clean(text) == ["First paragraph here.", "Second one, short", "Third one."]


def test_block_of_long_full_sentence_lines_is_split():
    a = "The protesters gathered in the central square on Tuesday morning, chanting slogans against the government."
    b = "Police in riot gear blocked the roads leading to the parliament building and detained dozens of people."
    assert clean(f"Intro line here.\n\n{a}\n{b}") == ["Intro line here.", a, b]


def test_non_breaking_spaces_and_typography_are_kept():
    text = "He said: “We won’t leave” — and 19\u00a0000 people\nstayed."
    assert clean(text + "\n\nEnd.") == ["He said: “We won’t leave” — and 19\u00a0000 people stayed.", "End."]


@pytest.mark.parametrize(
    "line",
    [
        "Watch: The president speaks to the nation",
        "Read more: Protests spread to the capital",
        "READ MORE | Protests spread to the capital",
        "Read also: Why fuel prices matter",
        "Also read: Why fuel prices matter",
        "ALSO READ Why fuel prices matter",
        "Related: Five things to know",
        "See also: Timeline of the crisis",
        "Advertisement",
        "Sign up for our morning newsletter",
        "Subscribe to The Daily Planet for unlimited access",
        "Get the best of The Gazette delivered to your inbox daily",
        "Most Viewed",
        "Most Read",
        "Related Stories",
        "Recommended",
        "Share this article",
        "Follow us on Twitter and Facebook",
        "© 2024 Example Media Ltd. All rights reserved.",
        "Copyright 2023 The Example Times",
        "Crowds gathered outside the city hall on Wednesday. (Reuters)",
        "Riot police at the airport (Getty Images)",
        "Soldiers patrol a street in the capital. (AP Photo/Jane Doe)",
        # wire captions of two or three sentences: the picture's and the story's
        "Migrants walk along a highway near the border, Thursday, Oct. 25, 2018. The group set off again "
        "before dawn, forming a column more than a mile long as it left the town. (AP Photo/Jane Doe)",
        "Rep. Ada Okon leaves a closed-door hearing on Capitol Hill in Washington, U.S., Oct. 29, 2019. "
        "(REUTERS/Jane Doe)",
        "A worker repairs a relay tester at a plant. The company has been hit with a 25 percent tariff on "
        "parts from abroad. (Photo: Jane Doe / The Daily Planet)",
        "FILE - In this Aug. 29, 2019 file photo, the foreign minister attends a forum in Kuala Lumpur, "
        "Malaysia. In an interview on Thursday, he warned that any strike would lead to war.",
        "In this photo provided by the city government, volunteers clear debris from a road.",
        "A burned-out bus in the city centre. (AFP)",
        "Reporting by Jane Doe; Editing by John Roe",
        "A protester in the city centre on Wednesday. REUTERS/Jane Doe",
        "Riot police outside the parliament. Photograph: Jane Doe/AFP/Getty Images",
        "Story Continued Below",
        "Your message has been sent successfully",
        "Thank you for signing up. For more from The Weekly Example, check out our latest issue",
        "Newsletter Sign Up Please verify you're not a robot by clicking the box. Invalid email address. "
        "Please re-enter. You will receive emails from The Example Times. Thank you for subscribing.",
        "Support The Gazette’s local journalism",
        "Every day we report on the city. Your financial contribution will not constitute a donation, but it "
        "keeps our reporters working. Please consider making a contribution to The Gazette today.",
        # a video player's playlist entry (87 abp-dev articles carried them in their text)
        "JUST WATCHED Mayor: 'We will rebuild the harbour' Replay More Videos ... MUST WATCH Mayor: "
        "'We will rebuild the harbour' 02:41",
        "JUST WATCHED Senator on the budget talks Replay More Videos ... MUST WATCH",
        # controls, placeholders, credits and notices that abp-10k's pages repeat hundreds of times
        "CLICK HERE TO GET THE DAILY PLANET APP",
        "Advertisement Continue reading the main story",
        "More On This...",
        "[pullquote]",
        "Photo",
        "7 years ago",
        "Image copyright Getty Images",
        "Enlarge this image toggle caption Jane Doe/AP Jane Doe/AP",
        "SHARE THIS ARTICLE Share Tweet Post Email",
        "next Image 1 of 2",
        "Follow @dailyplanet",
        "- Follow the Ticker on Twitter: @PlanetTicker",
        "The Associated Press contributed to this report.",
        "Contributing: The Associated Press",
        "This is a rush transcript. Copy may not be in its final form.",
        "The opinions expressed by columnists are their own and do not represent the views of Planet.com.",
        "Click for more from Media Buzz.",
        "Get breaking news alerts and special reports. The news and stories that matter, delivered weekday mornings.",
        "Contact us at editors@example.com.",
    ],
)
def test_furniture_paragraphs(line):
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Read the statement carefully, the lawyer told reporters.",
        "The price of liquefied petroleum gas (LPG) doubled.",
        "The alliance, the Collective Security Treaty Organization (CSTO).",
        "Crowds gathered outside the city hall on Wednesday. Police then fired tear gas at them, witnesses said. (Reuters)",
        "Related talks between the parties broke down in March, officials said.",
        "The newsletter of the opposition party was banned last year.",
        "Watchdogs said the vote was not free.",
        "Russia-led bloc sends first troops",
        "The agency said the photo: was fake.",
        "He declined to comment, a spokesman said. The talks go on. REUTERS/Jane Doe",
        "He will resume his rallies on Saturday, as 76% of Americans remain concerned about the virus, "
        "according to the latest Reuters/Ipsos poll.",
        "He is known to the police. Officers are taking imminent measures. (PICTURES: Central Berlin A "
        "Guarded Ghost Town)",
        "In this city, the photo that went viral was taken by a nurse.",
        "Your message to the ministry has been ignored, the petitioners were told.",
        "Thank you for your service, the general told the veterans.",
        "Please try again later, the clerk told voters whose ballots were rejected.",
        "The mayor denied that the financial contribution had any link to the contract, aides said.",
        "Support our journalism was the slogan of the rally, the organisers said.",
        "JUST WATCHED by millions, the final was replayed in every bar, the league said.",
        "More than 200 people attended the rally.",
        "Read more about the plan in the report, officials said.",
        "Seven years ago, the plant closed.",
        "Video showed the attack.",
        "Contributing to this report were dozens of volunteers.",
        "Get news alerts from the county, officials told residents before the storm.",
        "The views expressed in the memo do not reflect policy, the ministry said.",
        "The views expressed in the report are not shared by the minister.",
    ],
)
def test_not_furniture(line):
    assert not is_furniture(line)


def test_furniture_removed_inside_and_trailing_link_list_cut():
    text = "\n\n".join(
        [
            "First real paragraph of the story.",
            "Watch: Video of the clashes",
            "Second real paragraph of the story.",
            "Related Stories",
            "Protests spread to a third city",
            "What we know about the crisis",
        ]
    )
    result = finish(split_blocks(text))
    assert result.text == "First real paragraph of the story.\n\nSecond real paragraph of the story."
    assert result.removed == 4


def test_teaser_line_inside_a_hard_wrapped_block_is_split_off():
    text = "The crowd moved towards the\nsquare.\nRead more: What happened next\n\nEnd of story."
    assert clean(text) == ["The crowd moved towards the square.", "End of story."]


def test_caption_credit_needs_a_single_short_sentence():
    long_caption = " ".join(["word"] * 45) + " (AFP)"
    assert not is_furniture(long_caption)


def test_empty_text():
    result = finish(split_blocks("  \n\n  "))
    assert result.text == "" and result.paragraphs == ()


def _furniture_by_patterns_alone(paragraph: str) -> bool:
    """is_furniture without its cheap pre-tests: every pattern tried."""
    from kazreader.corpus import clean as c

    if c._TEASER_RE.match(paragraph) or c._CAPS_TEASER_RE.match(paragraph) or c._LABEL_RE.match(paragraph):
        return True
    words = paragraph.count(" ") + 1
    if words <= c._PROMO_MAX_WORDS and c._PROMO_RE.search(paragraph):
        return True
    if words <= c._COPYRIGHT_MAX_WORDS and c._COPYRIGHT_RE.search(paragraph):
        return True
    if words <= c._PROMO_MAX_WORDS and c._FORM_MESSAGE_RE.match(paragraph):
        return True
    if words <= c._FORM_UI_MAX_WORDS and c._is_form_box(paragraph):
        return True
    if words <= c._CREDITS_MAX_WORDS and c._CREDITS_RE.match(paragraph):
        return True
    if words <= c._LONG_CAPTION_MAX_WORDS and c._CAPTION_OPENING_RE.match(paragraph):
        return True
    if len(paragraph) > c._CAPTION_MAX_CHARS:
        return False
    ends = paragraph.endswith((")", ")."))
    credit = (c._CREDIT_RE if ends else c._BARE_CREDIT_RE).search(paragraph)
    if credit is not None and not ends and c._agency_slash_prose(credit.group()):
        return False
    if credit is None or credit.start() == 0:
        return False
    body = paragraph[: credit.start()].rstrip()
    words_ = body.split()
    if not words_:
        return False
    if len(words_) <= c._LONG_CAPTION_MAX_WORDS and c._names_a_photograph(credit.group()):
        return True
    if len(words_) > c._CAPTION_MAX_WORDS:
        return False
    return c._SENTENCE_BREAK_RE.search(body.rstrip(".!?")) is None


def test_cheap_pre_tests_never_change_the_verdict() -> None:
    import random

    pieces = [
        "Sign up", "SUBSCRIBE now to our", "follow us on", "Follow Jane Doe on Telegram", "download the app",
        "Get our newsletter", "Join us on", "delivered straight to your inbox", "in your INBOX",
        "subscribe today for the newsletters", "©", "(c) ", "Copyright", "ALL RIGHTS RESERVED", "reserved",
        "REUTERS/Jane Doe", "Photo: Jane Doe", "FILE - In this May 2, 2019, file photo,", "In this photo,",
        "In this", "(REUTERS/Jane Doe)", "Reuters/Ipsos poll.", "(Photo by Jane Doe/Getty Images)", "Photograph : AFP", "credit: X", "(Reuters)", "(AP Photo/J. Doe).",
        "The police said", "on Wednesday.", "protesters", "Almaty", "/", ":", ".", " ", "newsletter",
        "Thank you for signing up", "your message has been sent", "You're now subscribed", "PLEASE re-enter",
        "Invalid email address", "an error has occurred", "Please try again", "financial contribution",
        "please consider making a contribution", "Support our journalism", "Get breaking news alerts",
    ]
    rng = random.Random(7)
    for _ in range(4000):
        line = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        assert is_furniture(line) == _furniture_by_patterns_alone(line), line


@pytest.mark.parametrize(
    ("text", "clean_text"),
    [
        (
            "Rep. Ada Okon Ada Marie OkonLawmakers press agency on fuel prices Budget talks stall again MORE "
            "(D-Ore.) said the plan would fail.",
            "Rep. Ada Okon (D-Ore.) said the plan would fail.",
        ),
        (
            "Budget director Tom Brand Thomas (Tom) Ellis BrandThe Memo: What the vote means for the fall MORE said so.",
            "Budget director Tom Brand said so.",
        ),
        (
            "Justice Ada OkonAda OkonPanel leans toward the plan Justices wrestle with reach of the act MORE , "
            "a former judge , was unsure .",
            "Justice Ada Okon , a former judge , was unsure .",
        ),
        # no card: a repeated name without a glued headline, capitals, or a "MORE" far away
        ("Ada Okon met Ada Okon's sister. Voters want MORE schools.",
         "Ada Okon met Ada Okon's sister. Voters want MORE schools."),
        ("Okon met Brand Okon. Voters want MORE schools.", "Okon met Brand Okon. Voters want MORE schools."),
        ("THE PANEL SAID THEY WANTED MORE", "THE PANEL SAID THEY WANTED MORE"),
    ],
)
def test_name_cards_pasted_into_the_text_are_taken_out(text: str, clean_text: str) -> None:
    assert strip_name_cards(text) == clean_text
    assert finish([[text]]).text == clean_text


@pytest.mark.parametrize(("text", "clean_text"), [
    # a video player's poster left before the headline pasted into the text (Politico in abp-dev)
    ('poster="http://v.example.com/images/115/201706/2779/115_545_545-vs.jpg?pubId=115" Trump announces '
     "withdrawal from Paris climate deal", "Trump announces withdrawal from Paris climate deal"),
    ('in the fold. poster="https://v.example.com/images/1/2.jpg" When asked', "in the fold. When asked"),
    # an attribute alone is a paragraph that goes
    ('src="//cdn.example.com/a.png"', ""),
    # quoted words and an equation are no markup
    ('He called it a "Trumpian ruse." x="y" stays', 'He called it a "Trumpian ruse." x="y" stays'),
    ('The label said name="http" loosely', 'The label said name="http" loosely'),
])
def test_link_attributes_left_by_markup_are_taken_out(text: str, clean_text: str) -> None:
    assert strip_markup(text) == clean_text
    assert finish([[text]]).text == clean_text


@pytest.mark.parametrize(("paragraph", "furniture"), [
    ("CLOSE Protesters gather outside the White House in response to the announcement . ( Sept. 5 ) AP", True),
    ("CLOSE A trade expert from a university says the tariff hikes will be painful. (May 10) AP, AP", True),
    ("Read or Share this story: https://www.example.com/story/news/2019/05/13/tariffs/", True),
    ("CLOSE CALL: The senator nearly lost her seat.", False),
    ("Close to 300 people attended the rally.", False),
])
def test_video_close_captions_and_share_links_are_furniture(paragraph: str, furniture: bool) -> None:
    assert is_furniture(paragraph) is furniture


@pytest.mark.parametrize(("paragraph", "furniture"), [
    ("Photos: Mourning the victims Photos: Mourning the victims A woman visits the memorial. Hide Caption 1 of 23 "
     "Photos: Mourning the victims Candles burn outside the school. Hide Caption 2 of 23", True),
    ("Hide Caption 3 of 15 Photos: Church shooting Investigators at the scene. Hide Caption 4 of 15", True),
    ("Photos: the agency released 12 of its 40 images on Monday, officials said.", False),
])
def test_photo_galleries_pasted_as_a_paragraph_are_furniture(paragraph: str, furniture: bool) -> None:
    assert is_furniture(paragraph) is furniture
