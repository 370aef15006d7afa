"""Paragraph structure and page-furniture removal.

Scraped news text comes with the page around it: "Watch:" and "Read more:"
teasers, newsletter promos, "Most Viewed" boxes, photo captions, a video
player's playlist, copyright lines. This module removes them by general rules (what such lines look like,
on any outlet), never by a list of known lines.

The steps, used by :mod:`kazreader.corpus.loader`:

* :func:`split_blocks` cuts sanitised text into paragraphs-to-be, each a list
  of its raw lines: blank lines separate paragraphs; hard-wrapped lines are
  kept together; a file with no blank lines has one paragraph per line.
* :mod:`kazreader.corpus.metadata` takes the title, byline, source line… off
  the blocks.
* :func:`finish` joins each block's lines (whitespace collapsed), drops
  furniture paragraphs and trailing furniture, and joins paragraphs with one
  blank line, returning the text and each paragraph's span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kazreader.corpus.model import Span

__all__ = [
    "Cleaned",
    "collapse",
    "finish",
    "is_furniture",
    "split_blocks",
    "strip_name_cards",
]

#: Whitespace other than the space and the non-breaking spaces (typography, kept).
_WS = "\t\n\r\f\v\x1c-\x1f\x85\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000"
#: Whitespace that :func:`collapse` must rewrite: a space followed by more
#: whitespace, or any other whitespace run. (Single spaces, by far the most
#: common case, are not matched at all, which keeps big files fast.)
_SPACE_RE = re.compile(f" [ {_WS}]+|[{_WS}][ {_WS}]*")
_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n")
_TERMINAL_RE = re.compile(r"[.!?…:;][\"'”’»)\]]*$")

# A line that is always a paragraph of its own, even inside a hard-wrapped block.
_STANDALONE_RE = re.compile(
    r"^(?:sources?|watch|read more|read also|also read|related|see also|more on this|listen|photo|image|video"
    r"|advertisement|advert|most viewed|most read|related stories)\s*(?::|$)",
    re.IGNORECASE,
)

# Paragraphs that introduce a link: "Watch: …", "Read more: …", "ALSO READ | …".
_TEASER_RE = re.compile(
    r"^(?:watch|read more|read also|also read|related|see also|more on this|more on this story|listen"
    r"|recommended|editor[’']?s picks?|more from \w+|click here|(?:read or )?share this (?:story|article))\s*[:|–—>»]",
    re.IGNORECASE,
)
_CAPS_TEASER_RE = re.compile(r"^(?:ALSO READ|READ MORE|READ ALSO|SEE ALSO|WATCH|RELATED)\b")
#: A video player's "CLOSE" button read with the video's caption ("CLOSE Protesters gather outside the
#: White House … ( Sept. 5 ) AP"): a caption, at most this many words.
_CLOSE_CAPTION_RE = re.compile(r"^CLOSE (?=[A-Z](?:[a-z]| [a-z])|[0-9\u201c\"])")
_CLOSE_CAPTION_MAX_WORDS = 80
#: A video playlist's entry: the player's labels around a video's title ("JUST WATCHED Kim: 'Time has come
#: to settle accounts' Replay More Videos ... MUST WATCH Kim: 'Time has come to settle accounts' 02:41").
_PLAYLIST_RE = re.compile(r"^(?:JUST WATCHED|MUST WATCH) .*\bReplay More Videos\b", re.DOTALL)
#: A photo gallery pasted as one paragraph: its title, then each photo's caption and counter
#: ("Photos: Colorado massacre: Mourning the victims … Hide Caption 3 of 23 Photos: …").
_GALLERY_RE = re.compile(r"^(?:Photos?: .*?\b\d+ of \d+ Photos?:|Hide Caption \d+ of \d+ )", re.DOTALL)

# Whole-paragraph labels of page boxes.
_LABEL_RE = re.compile(
    r"^(?:advertisement|advert|ad|sponsored(?: content)?|most viewed|most read|most popular|most shared"
    r"|related(?: stories| articles| content| news| coverage| topics| posts)?|recommended(?: stories| for you| articles)?"
    r"|you may also like|you might also like|more stories|more news|top stories|trending(?: now| stories)?"
    r"|share(?: this(?: article| story| page)?)?|share on \w+|comments?|skip advert(?:isement)?"
    r"|continue reading|story continue[sd] below(?: advertisement)?|latest news|in pictures|in other news"
    r"|what to read next|read next|up next|more in \w+|support (?:our|(?:\S+ ){0,3}\S+[’']s)(?: \w+)? journalism"
    # a player's, a gallery's or a page's controls and placeholders left as text
    r"|photo|image|video|close|loading(?:\.\.\.|…)?|more|read more|more on this(?:\.\.\.|…)?|slideshow \(\d+ images?\)"
    r"|(?:next|prev|previous) image \d+ of \d+|advertisement continue reading the main story"
    r"|share this (?:article|story)(?: (?:share|tweet|post|email|e-mail|print))+|\d+ (?:minute|hour|day|week|month|year)s? ago"
    r"|\[[a-z][a-z _-]{0,30}\])\s*[:.]?$",
    re.IGNORECASE,
)
#: A photo's credit line, or a picture viewer's "Enlarge this image toggle caption …" with it.
_IMAGE_CREDIT_RE = re.compile(r"^(?:image (?:copyright|caption|source)|enlarge this image)\b", re.IGNORECASE)
_IMAGE_CREDIT_MAX_WORDS = 25
# Notices about the text rather than text: "The Associated Press contributed to this report.", "This is a
# rush transcript. Copy may not be in its final form.", "The opinions expressed by columnists are their own …"
_NOTICE_RE = re.compile(
    r"^(?:(?:the )?[\w.&’' -]{2,60} contributed to this (?:report|story|article)\.?$|contributing: "
    r"|this is a rush transcript\b"
    r"|the (?:opinions|views) expressed (?:by|in) (?:\S+ ){1,6}(?:are (?:solely )?(?:their|his|her|its|the author[’']s|"
    r"those of)\b|do(?:es)? not (?:necessarily )?(?:represent|reflect)\b))",
    re.IGNORECASE,
)
_NOTICE_MAX_WORDS = 40
#: A reporting verb: the sentence reports what someone said, it is no notice ("The views expressed in the
#: memo do not reflect policy, the ministry said").
_REPORTED_RE = re.compile(r"\b(?:said|says|told|according to)\b", re.IGNORECASE)
# Labels after which only link lists follow: everything from there on is cut.
_TAIL_LABEL_RE = re.compile(
    r"^(?:most viewed|most read|most popular|most shared|related(?: stories| articles| content| news| coverage)?"
    r"|recommended(?: stories| for you| articles)?|you may also like|you might also like|more stories|more news"
    r"|top stories|trending(?: now| stories)?|latest news|read next|what to read next|up next|more in \w+)\s*:?$",
    re.IGNORECASE,
)

# Promotions (only in short paragraphs).
_PROMO_RE = re.compile(
    r"^(?:sign up|subscribe|follow us|download (?:our|the) app|get (?:our|the) (?:app|newsletter)|join (?:us|our) on"
    r"|get breaking news alerts\b"
    r"|click here (?:to|for) (?:get |download )?(?:the|our) (?:\S+ ){0,3}app|click (?:here )?for more\b"
    r"|contact us at \S+@\S+"
    r"|follow @\w+\.?$"
    r"|follow \S+(?: \S+){0,3} on (?:twitter|x|facebook|instagram|telegram|tiktok|youtube|linkedin))\b"
    r"|\bdelivered (?:straight |directly )?to your inbox\b|\bin your inbox\b"
    r"|\b(?:sign up|subscribe) (?:now |today )?(?:to|for) (?:our|the)\b[^.]*\bnewsletters?\b",
    re.IGNORECASE,
)
_PROMO_MAX_WORDS = 30
#: How a promotion matching the start of :data:`_PROMO_RE` begins (casefolded).
_PROMO_OPENINGS = ("sign up", "subscribe", "follow", "download", "get", "join", "click", "contact")

# A web form's own messages, left in the text by the scraper: "Your message has been sent
# successfully", "Thank you for signing up. For more from X, check out our latest issue".
_FORM_MESSAGE_RE = re.compile(
    r"^(?:your (?:message|email|comment|submission|request) (?:has been|was) (?:sent|submitted|received)"
    r"|thanks? (?:you )?for (?:signing up|subscribing|registering)"
    r"|you(?:'re|’re| are| have been) (?:now )?(?:subscribed|signed up|registered))\b",
    re.IGNORECASE,
)
#: How a form message begins (casefolded).
_FORM_OPENINGS = ("thank", "you")
# A sign-up or donation box's text as one paragraph ("Please verify you're not a robot by clicking
# the box. Invalid email address. Please re-enter. …", "… Your financial contribution will not
# constitute a donation … Please consider making a contribution"): a "please" and two or more of
# these phrases.
_FORM_UI_RE = re.compile(
    r"invalid email address|please re-?enter|verify (?:that )?you(?:'re|’re| are) not a robot"
    r"|an error has occurred|please try again(?: later)?|you must select a newsletter|please enable javascript"
    r"|we encountered an (?:issue|error) signing you up|thank you for subscribing"
    r"|please consider (?:making a (?:contribution|donation)|donating|supporting us)|financial contribution"
    r"|make a (?:contribution|donation)",
    re.IGNORECASE,
)
_FORM_UI_MAX_WORDS = 150
_COPYRIGHT_RE = re.compile(r"^(?:©|\(c\)\s|copyright\b)|\ball rights reserved\b", re.IGNORECASE)
_COPYRIGHT_MAX_WORDS = 30

# Wire-story credits: "Reporting by …; Editing by …", "(Additional reporting by …)".
_CREDITS_RE = re.compile(r"^\(?(?:additional )?(?:reporting|writing|editing|compiled|produced) by\b", re.IGNORECASE)
_CREDITS_MAX_WORDS = 40

# A caption's closing credit: "(AFP)", "(Reuters)", "(Getty Images)", "(AP Photo/Vladimir Tretyakov)",
# "(Photo: …)". Agency names are matched case-sensitively so that an acronym in
# parentheses ("(LPG)") is not taken for a credit.
_CREDIT_RE = re.compile(
    r"\((?:(?i:[^()]*\b(?:photos?|photograph|pictures?|images?|getty|shutterstock|handout|courtesy|credit|file)\b[^()]*)"
    r"|(?:AFP|AP|EPA|EFE|EPA-EFE|TASS|RIA|RIA Novosti|Reuters|REUTERS|Anadolu(?: Agency)?|AA|Xinhua|XINHUA|Sputnik"
    r"|dpa|DPA|UPI|ANI|PTI|IANS|Bloomberg|Getty)(?:[\s/,;-][^()]{0,60})?)\)\.?$"
)
# The same credits written without parentheses: "REUTERS/Pavel Mikheyev",
# "Photograph: Jane Doe/AFP", "Photo: Getty Images".
_BARE_CREDIT_RE = re.compile(
    r"(?:\b(?:REUTERS|Reuters|AFP|AP Photo|AP|EPA(?:-EFE)?|Getty Images|TASS|Sputnik|Xinhua|Anadolu Agency)/[^/()]{1,60}"
    r"|\b(?i:photo(?:graph)?|picture|image|credit)\s*:\s*[A-Z][^.:()]{0,80})\.?$"
)
_CAPTION_MAX_WORDS = 40
# A word of prose in what follows an agency's slash: a poll's name, not a photographer's
# (particles of names excepted: "Jane van der Berg").
_CREDIT_PROSE_RE = re.compile(r"/.*\b(?!(?:van|von|der|den|de|del|della|di|da|du|la|le|al|el|bin|ibn)\b)[a-z]{2,}")
# A credit that names a photograph ("(AP Photo/Rodrigo Abd)", "(REUTERS/Jim Bourg)", "(Photo by Jane
# Doe/Getty Images)") closes a caption however long: wire captions run to two or three sentences,
# the picture's and the story's ("… make their way to Pijijiapan, Mexico, Thursday, Oct. 25, 2018.
# The sprawling caravan … (AP Photo/Rodrigo Abd)").
_PHOTO_WORD_RE = re.compile(r"\b(?i:photo|photograph)\b")
# In parentheses, a photographer's name after a slash names a photograph too ("(REUTERS/Jane Doe)"):
# a slash only before a name ("Reuters/Ipsos poll" closes a sentence of the story, and so does a
# linked headline, "(PICTURES: Central Berlin A Guarded Ghost Town …)")
_SLASH_NAME_RE = re.compile(r"/ ?[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*[,)]?\s*\.?$")
_LONG_CAPTION_MAX_WORDS = 150
_CAPTION_MAX_CHARS = 1200
# A wire caption's own opening: "FILE - In this Aug. 29, 2019 file photo, …", "In this March 24,
# 2019 photo, …", "In this Wednesday, photo provided … by the North Korean government, …".
_CAPTION_OPENING_RE = re.compile(
    r"^(?:FILE ?[-\u2013\u2014] |In this (?:[^.,]{0,40}, ){0,2}[^.,]{0,40}\b(?:photo|image|picture|handout)s?\b[^,]{0,100},)"
)
_SENTENCE_BREAK_RE = re.compile(r"[.!?][\"'”’]?\s+[\"'“‘]?[A-Z]")


def collapse(text: str) -> str:
    """Collapse whitespace runs to one space and strip the ends."""
    return _SPACE_RE.sub(" ", text).strip()


def _separate_lines(lines: list[str]) -> bool:
    """Whether a multi-line block holds one paragraph per line (not hard-wrapped).

    Hard wrapping makes short lines that seldom end on a sentence boundary;
    one-paragraph-per-line text has long lines that all end a sentence.
    """
    body = lines[:-1]
    return all(_TERMINAL_RE.search(line) for line in body) and max(map(len, body)) > 90


def _split_standalone(lines: list[str]) -> list[list[str]]:
    """Split a block so that label/teaser lines form paragraphs of their own."""
    out: list[list[str]] = [[]]
    for line in lines:
        if _STANDALONE_RE.match(line):
            if out[-1]:
                out.append([])
            out[-1].append(line)
            out.append([])
        else:
            out[-1].append(line)
    return [block for block in out if block]


def split_blocks(text: str) -> list[list[str]]:
    """Cut text into paragraphs-to-be, each a list of stripped, non-empty lines.

    Blank lines separate paragraphs. A text without any blank line has one
    paragraph per line; a block whose lines are each a whole paragraph (long,
    ending a sentence) is split likewise; other blocks are hard-wrapped
    paragraphs and stay together.
    """
    text = text.strip()
    if not text:
        return []
    if not _BLANK_LINE_RE.search(text):
        return [[line] for line in (l.strip() for l in text.split("\n")) if line]
    blocks: list[list[str]] = []
    for chunk in _BLANK_LINE_RE.split(text):
        lines = [l for l in (l.strip() for l in chunk.split("\n")) if l]
        if not lines:
            continue
        if len(lines) > 1 and _separate_lines(lines):
            blocks.extend([l] for l in lines)
        elif len(lines) > 1:
            blocks.extend(_split_standalone(lines))
        else:
            blocks.append(lines)
    return blocks


def _is_caption(paragraph: str) -> bool:
    """A single short sentence ending with a photo/agency credit, or up to
    :data:`_LONG_CAPTION_MAX_WORDS` words before a credit that names a photograph."""
    if len(paragraph) > _CAPTION_MAX_CHARS:
        return False
    if paragraph.endswith((")", ").")):
        credit = _CREDIT_RE.search(paragraph)
    elif "/" in paragraph or ":" in paragraph:  # (a bare credit has one or the other)
        credit = _BARE_CREDIT_RE.search(paragraph)
        if credit is not None and _agency_slash_prose(credit.group()):
            return False  # "… according to the latest Reuters/Ipsos poll."
    else:
        return False
    if credit is None or credit.start() == 0:
        return False
    body = paragraph[: credit.start()].rstrip()
    words = body.split()
    if not words:
        return False
    if len(words) <= _LONG_CAPTION_MAX_WORDS and _names_a_photograph(credit.group()):
        return True
    if len(words) > _CAPTION_MAX_WORDS:
        return False
    return _SENTENCE_BREAK_RE.search(body.rstrip(".!?")) is None


def _agency_slash_prose(credit: str) -> bool:
    """A bare "Agency/…" credit followed by prose: a poll ("Reuters/Ipsos opinion poll"), not a
    photographer ("REUTERS/Jane Doe"); a "Photo: Jane Doe/AFP via Getty Images" is a credit."""
    return "/" in credit and _PHOTO_WORD_RE.search(credit) is None and _CREDIT_PROSE_RE.search(credit) is not None


def _names_a_photograph(credit: str) -> bool:
    """A credit that closes a caption of any length: "(AP Photo/Jane Doe)", "(REUTERS/Jane Doe)",
    "Photo: Jane Doe/The Daily Planet". Not a bare "REUTERS/Jane Doe", which a scrape also glues to
    the story's last paragraph ("He declined to comment. The talks go on. REUTERS/Jane Doe")."""
    return _PHOTO_WORD_RE.search(credit) is not None or (
        credit.startswith("(") and _SLASH_NAME_RE.search(credit) is not None
    )


def is_furniture(paragraph: str) -> bool:
    """Whether a (collapsed) paragraph is page furniture rather than article text."""
    if _TEASER_RE.match(paragraph) or _CAPS_TEASER_RE.match(paragraph) or _LABEL_RE.match(paragraph):
        return True
    words = paragraph.count(" ") + 1
    if words <= _CLOSE_CAPTION_MAX_WORDS and _CLOSE_CAPTION_RE.match(paragraph):
        return True
    if words <= _IMAGE_CREDIT_MAX_WORDS and _IMAGE_CREDIT_RE.match(paragraph):
        return True
    if words <= _NOTICE_MAX_WORDS and _NOTICE_RE.match(paragraph) and not _REPORTED_RE.search(paragraph):
        return True
    if paragraph.startswith(("- ", "– ", "• ")):  # a bulleted promotion ("- Follow the Ticker on Twitter: @…")
        paragraph = paragraph[2:]
    if paragraph.startswith(("Photos: ", "Photo: ", "Hide Caption ")) and _GALLERY_RE.match(paragraph):
        return True
    if paragraph.startswith(("JUST WATCHED ", "MUST WATCH ")) and _PLAYLIST_RE.match(paragraph):
        return True
    if words <= max(_PROMO_MAX_WORDS, _COPYRIGHT_MAX_WORDS):
        # (cheap tests first: each pattern needs one of these to match)
        low = paragraph.casefold()
        if words <= _PROMO_MAX_WORDS and (low.startswith(_PROMO_OPENINGS) or "inbox" in low or "newsletter" in low):
            if _PROMO_RE.search(paragraph):
                return True
        if words <= _COPYRIGHT_MAX_WORDS and (low.startswith(("©", "(c)", "copyright")) or "reserved" in low):
            if _COPYRIGHT_RE.search(paragraph):
                return True
        if words <= _PROMO_MAX_WORDS and low.startswith(_FORM_OPENINGS) and _FORM_MESSAGE_RE.match(paragraph):
            return True
    has_please = "lease" in paragraph or "LEASE" in paragraph  # (cheap; see _is_form_box)
    if words <= _FORM_UI_MAX_WORDS and has_please and _is_form_box(paragraph):
        return True
    if words <= _CREDITS_MAX_WORDS and _CREDITS_RE.match(paragraph):
        return True
    if words <= _LONG_CAPTION_MAX_WORDS and paragraph.startswith(("FILE", "In this ")) and _CAPTION_OPENING_RE.match(
        paragraph
    ):
        return True
    return _is_caption(paragraph)


def _is_form_box(paragraph: str) -> bool:
    """A "please" and two or more distinct sign-up-box phrases (see :data:`_FORM_UI_RE`)."""
    if "please" not in paragraph.casefold():
        return False
    return len({m.group().casefold() for m in _FORM_UI_RE.finditer(paragraph)}) >= 2


def _is_link_line(paragraph: str) -> bool:
    """A short line without a closing period: a headline in a link list."""
    return paragraph.count(" ") < 25 and not paragraph.endswith(".")


def _tail_start(paragraphs: list[str]) -> int:
    """Where trailing furniture begins (``len(paragraphs)`` if there is none).

    Trailing paragraphs that are furniture are cut; so is a page-box label
    ("Related Stories") near the end together with the link list under it.
    """
    end = len(paragraphs)
    while end and is_furniture(paragraphs[end - 1]):
        end -= 1
    for i in range(end - 1, max(end - 30, -1), -1):
        if not _is_link_line(paragraphs[i]):
            break
        if _TAIL_LABEL_RE.match(paragraphs[i]):
            end = i
    return end


@dataclass(frozen=True)
class Cleaned:
    """Cleaned text, its paragraph spans and how many paragraphs were dropped."""

    text: str
    paragraphs: tuple[Span, ...]
    removed: int


# A name card pasted into the text where a name links to its profile: the name as written, the full
# name glued to the person's latest headlines, and a "MORE" link ("Rep. Doris Matsui Doris Okada
# MatsuiBipartisan food allergy legislation gains ground … MORE (D-Calif.)"; 1,941 in abp-10k and
# abp-dev). The shape says it: a surname, up to five capitalised words, the surname again with a
# capital glued to it, and " MORE" within 800 characters; the card goes, the written name stays.
_NAME_CARD_RE = re.compile(
    r"(?P<surname>\b[A-Z][a-z][\w'\u2019-]*)"
    r"(?:\s+\(?[A-Z][\w.'\u2019-]*\)?){1,5}?\s*?"
    r"(?P=surname)(?=[A-Z(])[^\n]{0,800}? MORE\b"
)


#: The same card glued straight to the written name ("Justice Stephen BreyerStephen BreyerDivided Supreme
#: Court leans … MORE"): the whole name, again, glued to a capital.
_GLUED_NAME_CARD_RE = re.compile(
    r"(?P<name>\b[A-Z][a-z][\w'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3} [A-Z][a-z][\w'\u2019-]*?)"
    r"(?P=name)(?=[A-Z(])[^\n]{0,800}? MORE\b"
)


#: An HTML attribute whose value is a link, left in the text by a page's export (Politico's video
#: players: ``poster="http://v.politico.com/images/….jpg?pubId=…"``, 39 in abp-10k and abp-dev).
_LINK_ATTRIBUTE_RE = re.compile(r'\b[a-z][a-z-]{1,20}="(?:https?:|//|/)[^"\s]*"\s*')


def strip_markup(paragraph: str) -> str:
    """*paragraph* without HTML attributes holding links (see :data:`_LINK_ATTRIBUTE_RE`)."""
    if '="' not in paragraph:
        return paragraph
    return _LINK_ATTRIBUTE_RE.sub("", paragraph).strip()


def strip_name_cards(paragraph: str) -> str:
    """*paragraph* without the name cards pasted into it (see :data:`_NAME_CARD_RE`)."""
    if " MORE" not in paragraph:
        return paragraph
    paragraph = _NAME_CARD_RE.sub(lambda m: m.group("surname"), paragraph)
    return _GLUED_NAME_CARD_RE.sub(lambda m: m.group("name"), paragraph)


def finish(blocks: list[list[str]]) -> Cleaned:
    """Join blocks into paragraphs (link attributes and name cards taken out), drop furniture, and
    assemble the text."""
    paragraphs = [p for p in (strip_name_cards(strip_markup(collapse(" ".join(block)))) for block in blocks) if p]
    total = len(paragraphs)
    paragraphs = paragraphs[: _tail_start(paragraphs)]
    paragraphs = [p for p in paragraphs if not is_furniture(p)]
    spans: list[Span] = []
    pos = 0
    for p in paragraphs:
        spans.append((pos, pos + len(p)))
        pos += len(p) + 2
    return Cleaned("\n\n".join(paragraphs), tuple(spans), total - len(paragraphs))
