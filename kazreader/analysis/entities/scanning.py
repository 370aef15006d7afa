"""Scanning: one article's text -> candidate mentions (capitalised runs, cleaned).

Words starting with a capital (hyphenated words and dotted acronyms
included) are chained into runs across single spaces, across name particles
(``de``, ``van``, ``bin``) and across connectors inside organisation names
(``Ministry of Defence``, ``U.S. Customs and Border Protection``). Runs are
then cleaned: non-names split them, a title before a name becomes the
mention's *role* (never part of the name), a known place is not glued to the
person named after it, and a repeated surname ends a name.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kazreader.analysis.entities.cues import (
    CAMEL_GLUE_RE,
    CAPWORD_RE,
    DIGITS_AFTER_RE,
    GROUP_OF_NUMBER_RE,
    JOIN_GAP_RE,
    LETTERS_RE,
    PARTY_TAG_RE,
    SMALL_WORDS,
    VERSUS_GAPS,
    Cues,
    subject_list,
)
from kazreader.analysis.entities.model import EntityType
from kazreader.analysis.gazetteer import Gazetteer, GeoKind, name_key

__all__ = ["Cand", "LineKind", "Scanner", "Word", "line_kind", "sentence_initial"]

_DASHES = "\u2014\u2013"
_WORD_DOT_END_RE = re.compile(r"(\w+) ?\.$")
_ADJECTIVE_ENDS = ("ic", "an", "ive", "al", "ist", "ish")
_OPENER_ENDS = ("ing", "ly", "ed")  # gerunds, adverbs and participles that open a sentence


def _adjective(prev: str, word: str, nonnames: frozenset[str]) -> bool:
    """Whether one of two joined words is a non-name adjective (Democratic, Conservative), not a date word."""
    return any(x in nonnames and x.endswith(_ADJECTIVE_ENDS) for x in (prev, word))


class Word:
    """One capitalised word of the text (offsets into the article)."""

    __slots__ = ("start", "end", "text", "low", "upper", "poss", "stop_after", "initial")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start, self.end, self.text = start, end, text
        self.low = text.casefold()
        self.upper = len(text) >= 2 and text.isupper()
        self.poss = False
        self.stop_after = False
        self.initial = False

    def cut(self, length: int) -> None:
        """Keep only the first *length* characters."""
        self.end = self.start + length
        self.set_text(self.text[:length])
        self.upper = len(self.text) >= 2 and self.text.isupper()

    def set_text(self, text: str) -> None:
        """The word's text, with its casefolded form (``low``) kept in step (``upper`` is not)."""
        self.text = text
        self.low = text.casefold()


@dataclass(slots=True)
class Cand:
    """A candidate mention before typing and merging."""

    art: int
    start: int
    end: int
    surface: str
    key: str
    weak: bool
    cues: dict[str, int] = field(default_factory=dict)
    acronym: bool = False
    expands: str | None = None  # acronym (key) that this expansion introduces
    role: str | None = None     # the title written before it ("Special Counsel")
    honorific: str | None = None  # mr / mrs / ms before it (a gender hint)
    para: int = 0               # paragraph number in the article

    def cue(self, typ: str, score: int) -> None:
        if score > self.cues.get(typ, 0):
            self.cues[typ] = score


@dataclass(slots=True)
class Part:
    """A cleaned run: the name's words, the person evidence its title gave, its role."""

    words: list[Word]
    person_score: int = 0
    role: str | None = None
    honorific: str | None = None


class LineKind:
    """How a line reads: running text, a Title Case headline, or an ALL-CAPS line."""

    TEXT = "text"
    HEADLINE = "headline"
    CAPS = "caps"


class Scanner:
    """Turns one article's text into cleaned capitalised runs."""

    def __init__(self, cues: Cues, hyphen_digits: set[str]) -> None:
        self.cues = cues
        self.gaz = cues.gaz
        self.hyphen_digits = hyphen_digits
        self._text = ""  # the article being cleaned

    # -- words --

    def words(self, text: str, original: str) -> list[Word]:
        out: list[Word] = []
        word = self._word
        for m in CAPWORD_RE.finditer(text):
            s, e = m.span()
            w = word(text, original, s, e)
            if w is not None:
                if not w.text[1:].islower() and CAMEL_GLUE_RE.search(w.text):
                    _drop_echo(out, w)
                out.append(w)
        out = _merge_titles(original, out)
        return out

    def _word(self, text: str, original: str, s: int, e: int) -> Word | None:
        tok = text[s:e]
        before = text[s - 1] if s else ""
        if before in "@#/" and before or (before == " " and text[s - 2:s - 1] in ("@", "#") and s > 1):
            return None  # @handles, #hashtags
        if tok[1:2] in ("'", "\u2019", "-") and (tok[:2] in ("I'", "I\u2019") or PARTY_TAG_RE.match(tok)):
            return None  # I've, D-Calif.
        if s > 1 and text[s - 1] == "-":
            # "al-Assad" keeps its particle; "ex-Soviet", "anti-Kremlin" do not
            k = s - 1
            while k > 0 and text[k - 1].isalpha():
                k -= 1
            if text[k:s - 1] in self.gaz.particles:
                s, tok = k, text[k:e]
        if "-" in tok:
            dash = next((i for i, c in enumerate(original[s:e]) if c in _DASHES), -1)
            if dash > 0:  # "Trump—has": an em dash is no hyphen
                tok, e = tok[:dash], s + dash
        if original[e:e + 1] == "." and (dom := self.cues.domain_after.match(text, e)) is not None:
            tok, e = text[s:dom.end()], dom.end()  # Presente.org
        w = Word(s, e, tok)
        if tok[-1] == "'" or tok[-2:-1] == "'":
            self._possessive(text, w, tok)
        if "-" in tok and not self._hyphens(w):
            return None
        if text[e:e + 1] in ". ":
            self._extend(text, w)
        return w

    def _possessive(self, text: str, w: Word, tok: str) -> None:
        if tok.casefold() in self.cues.name_possessives and CAPWORD_RE.match(text, w.end + 1) \
                and text[w.end:w.end + 1] == " ":
            return  # "People's Liberation Army", "Workers' Party"
        if tok.endswith(("'s", "'S")):
            w.poss = True
            w.cut(len(tok) - 2)
        elif tok.endswith("'"):
            w.poss = tok[-2:-1] in ("s", "S")
            w.cut(len(tok) - 1)

    def _hyphens(self, w: Word) -> bool:
        """Cut ``Russia-led`` to ``Russia``; False for ``Soviet-era`` (no name)."""
        gaz = self.gaz
        if "-" not in w.text or w.text[0].islower():
            return True
        parts = w.text.split("-")
        lower_at = next((i for i, p in enumerate(parts) if p[:1].islower()), None)
        if lower_at is None:
            return True
        if parts[lower_at].casefold() in gaz.hyphen_suffixes:
            w.cut(len("-".join(parts[:lower_at])))
            w.stop_after = True
            w.poss = False
        elif name_key(parts[0]) in gaz.demonyms or name_key(parts[0]) in gaz.nonnames:
            return False  # Kazakh-language, Soviet-era
        return True

    def _extend(self, text: str, w: Word) -> None:
        """Middle initials, state abbreviations, ``Channel 4``, ``Group of 20``."""
        gaz = self.gaz
        nxt = text[w.end:w.end + 1]
        if nxt == "." and (len(w.text) == 1 or (w.low + ".") in gaz.state_abbreviations or self._place_opener(text, w)):
            w.end += 1  # a middle initial ("George W. Bush"), "Fla.", or "St." of "St. Louis"
            w.set_text(w.text + ".")
            return
        if len(w.text) == 1 and text[w.end:w.end + 3] == " . " and text[w.end + 3:w.end + 4].isupper():
            w.end += 2  # tokenised text: "George H.W . Bush"
            w.set_text(text[w.start:w.end])
            return
        # (the pattern needs a space then a digit: most words are followed by neither)
        m2 = DIGITS_AFTER_RE.match(text, w.end) if text[w.end + 1:w.end + 2].isdecimal() else None
        if m2 and not w.poss and w.text[0].isupper():
            follower = (m2.group(2) or "").casefold()
            if follower in gaz.media_nouns or name_key(w.text + " " + m2.group(1)) in self.hyphen_digits:
                w.end = m2.end(1)
                w.set_text(text[w.start:w.end])
        elif m2 is None and not w.poss and w.low in gaz.org_heads:
            m3 = GROUP_OF_NUMBER_RE.match(text, w.end)
            if m3:  # Group of 20
                w.end = m3.end()
                w.set_text(text[w.start:w.end])

    # -- runs --

    def runs(self, text: str, words: list[Word]) -> list[list[Word]]:
        runs: list[list[Word]] = []
        run: list[Word] = []
        joined = False
        nonnames = self.gaz.nonnames
        for i, w in enumerate(words):
            if run:
                prev = run[-1]
                gap = text[prev.end:w.start]
                if gap == " " and not (prev.poss or prev.stop_after) \
                        and prev.low not in nonnames and w.low not in nonnames:
                    run.append(w)  # the common case, inline
                    continue
                # (a gap of four spaces or more, or a line break, never joins: most gaps are sentences)
                ok = gap.count(" ") < 4 and "\n" not in gap
                if ok:
                    ok, joined = self._joins(text, words, i, run, joined)
                if ok:
                    run.append(w)
                    continue
                runs.append(run)
            run = [w]
            joined = False
        if run:
            runs.append(run)
        return [part for r in runs for part in (_unglue(r) if len(r) > 2 else (r,))]

    def _joins(self, text: str, words: list[Word], i: int, run: list[Word], joined: bool) -> tuple[bool, bool]:
        """Whether ``words[i]`` continues *run* (and whether a connector was crossed)."""
        gaz = self.gaz
        prev, w = run[-1], words[i]
        gap = text[prev.end:w.start]
        if prev.poss or prev.stop_after or "\n" in gap:
            return False, joined
        ok = False
        if gap == " " or (prev.text.endswith(".") and gap in (" ", "")) or gap == " & " or gap in VERSUS_GAPS:
            ok = True
        elif gap in (" . ", ". ") and prev.low in self.cues.abbreviated_titles:
            ok = True  # "Gov . Jay Inslee" (tokenised text)
        elif (m := JOIN_GAP_RE.fullmatch(gap)) is not None:
            kind = self._connector(text, words, i, run, m.group(1), m.group(2), joined)
            ok, joined = bool(kind), joined or kind == "head"
        elif gap == ", " and joined and subject_list(text, prev.end):
            ok = True  # Commission for Conciliation, Mediation and Arbitration
        if ok and prev.low not in gaz.nonnames and (w.low not in gaz.nonnames or w.low in gaz.org_heads):
            return True, joined
        return ok and (
            self._month_surname(text, run, w) or self._known_so_far(run, w) or self._adjective_org(text, words, i, run)
        ), joined

    def _adjective_org(self, text: str, words: list[Word], i: int, run: list[Word]) -> bool:
        """"Democratic Alliance", "American Conservative Union": a non-name adjective inside an organisation's name.

        Not when the head word is a known name by itself ("the Republican Senate candidate").
        """
        head = self._ahead(text, words, i)[-1]
        return len(run) <= 2 and _adjective(run[-1].low, words[i].low, self.gaz.nonnames) \
            and head.low in self.gaz.org_heads and self.gaz.lookup(name_key(head.text)) is None

    def _known_so_far(self, run: list[Word], w: Word) -> bool:
        """"Republican Party", "Democratic National Committee": a known name holds its non-name words."""
        return name_key(" ".join([*(x.text for x in run), w.text])) in self.cues.known_heads

    def _month_surname(self, text: str, run: list[Word], w: Word) -> bool:
        """"Theresa May": a month after a first name, not followed by a number, is a surname."""
        return (
            w.low in ("may", "june", "april", "august") and self.cues.given_name(run[-1].text, True)
            and not re.match(r"\s*\d", text[w.end:w.end + 4])
        )

    def _connector(
        self, text: str, words: list[Word], i: int, run: list[Word], j: str, j2: str | None, joined: bool
    ) -> str:
        """Whether a lowercase connector (of, and, for, de...) sits inside a name here.

        ``"head"`` after an organisation or place head word (later connectors
        may follow), ``"name"`` for a particle or a two-sided name, ``""`` if not.
        """
        gaz = self.gaz
        prev = run[-1]
        has_head = any(x.low in gaz.org_heads or x.low in gaz.place_heads for x in run)
        prev_head = prev.low in gaz.org_heads or prev.low in gaz.place_heads
        if j in gaz.particles and not prev_head and (j2 is None or j2 in gaz.particles):
            return "name"  # Ursula von der Leyen
        if j2 not in (None, "the") or (j == "and" and j2 == "the"):
            return ""  # "the Court of Appeals and the Supreme Court" are two names
        if j in ("of", "for", "on") and has_head:
            return "head"
        if self._known_connected(run, j, j2, words[i]):
            return "head"  # a known name: House of Representatives, Council on Foreign Relations
        ahead = self._ahead(text, words, i)
        if j == "and" and (ahead[0].low == "the" or (joined and self._head_opens(text, ahead)) or (
            len(ahead) == 1 and ahead[0].text.isupper() and len(ahead[0].text) > 1
        )):
            # "Lucas Tomlinson and The Associated Press", "National Institutes of Health and District of
            # Columbia", "Immigration and Customs Enforcement and ICE": after "and", "The", a head word
            # and its "of", or an acronym alone begin another name
            return ""
        if j in ("and", "in", "of", "for", "on", "de", "du", "des") and joined:
            return "head"
        if (
            j == "and" and j2 is None and not prev_head and len(ahead) > 1 and ahead[-1].low in gaz.org_heads
            and not (len(run) == 2 and self.cues.given_name(run[0].text, True))  # "Jennifer Lind and Daryl Press"
            and not self.cues.given_name(ahead[0].text, True)
            and not (len(run) == 1 and run[0].text.isupper())  # "CDC and National Institutes of Health"
        ):
            return "head"  # Flood Forecasting and Warning Centre
        return "name" if j in ("and", "for", "of", "on") and self._two_sided_name(run, ahead) else ""

    def _head_opens(self, text: str, ahead: list[Word]) -> bool:
        """Whether *ahead* opens a name of its own: a head word, then "of", "for" or "on" ("District of
        Columbia", "Department of Veterans Affairs"; not "Government Reform")."""
        gaz = self.gaz
        return (ahead[0].low in gaz.org_heads or ahead[0].low in gaz.place_heads) and text.startswith(
            (" of ", " for ", " on "), ahead[-1].end
        )

    def _known_connected(self, run: list[Word], j: str, j2: str | None, w: Word) -> bool:
        heads = self.cues.known_heads
        if name_key(run[0].text) not in heads:
            return False
        return name_key(" ".join([*(x.text for x in run), j, *([j2] if j2 else []), w.text])) in heads

    def _ahead(self, text: str, words: list[Word], i: int) -> list[Word]:
        """The single-spaced capitalised words from ``words[i]`` on."""
        j = i
        while j + 1 < len(words) and text[words[j].end:words[j + 1].start] == " " and not words[j].poss:
            j += 1
        return words[i:j + 1]

    def _two_sided_name(self, run: list[Word], ahead: list[Word]) -> bool:
        """``U.S. Customs and Border Protection``, ``Showing Up for Racial Justice``.

        Both sides have two or more capitalised words, neither reads as a
        person's name, a known place or a title, and the left is no complete
        organisation already.
        """
        if len(run) < 2 or len(ahead) < 2:
            return False
        gaz, cues = self.gaz, self.cues
        for side in (run, ahead):
            if cues.given_name(side[0].text, True) or cues.is_title(side[0].low):
                return False
            if any(w.low in gaz.nonnames for w in side):
                return False
            key = name_key(" ".join(w.text for w in side))
            known = gaz.lookup(key)
            if (known is not None and known.type == EntityType.PLACE) or gaz.place(key) is not None:
                return False
        return (
            run[-1].low not in gaz.org_heads and run[-1].low not in gaz.place_heads
            and not self._person_inside(run, ahead)
        )

    def _person_inside(self, run: list[Word], ahead: list[Word]) -> bool:
        """A person's name on either side of the connector: "Senate Majority Leader Harry Reid and
        House Minority Nancy Pelosi" (not "House Ways and Means Chairman Richard Neal": the right side
        is a name up to its title)."""
        given = self.cues.given_name
        if any(given(w.text, True) for w in run[1:-1]):
            return True
        for k, w in enumerate(ahead[1:-1], start=1):
            if self.cues.is_title(w.low):
                return False
            if given(w.text, True) and k < len(ahead) - 1:
                return True
        return False

    # -- cleaning a run into parts --

    def clean(self, text: str, run: list[Word]) -> list[Part]:
        """Split a run into name parts: drop non-names, titles, leading fillers."""
        self._text = text
        if len(run) == 1:  # the common case, short-cut
            return [] if self.lone_non_name(run[0]) else [Part(run)]
        return list(self._clean_words(text, run))

    def lone_non_name(self, w: Word) -> bool:
        """Whether a word alone is no name: "the", a title, a non-name, a lowercase-able common word."""
        gaz = self.gaz
        return w.low == "the" or self.cues.is_title(w.low) or name_key(w.text) in gaz.nonnames \
            or (not w.upper and (w.low in gaz.common or w.low in gaz.titles))

    def _clean_words(self, text: str, run: list[Word]) -> Iterable[Part]:
        gaz = self.gaz
        whole = None
        if any(w.low in gaz.nonnames for w in run):
            whole = gaz.lookup(name_key(" ".join(w.text for w in run)))
        segment: list[Word] = []
        segments: list[list[Word]] = []
        for w in run:
            nonname = name_key(w.text) in gaz.nonnames and not (segment and w is run[-1] and w.low in gaz.org_heads) \
                and not (w.low.endswith(_ADJECTIVE_ENDS) and run[-1].low in gaz.org_heads)
            if nonname and whole is None and not self._month_kept(segment, w):
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append(w)
        if segment:
            segments.append(segment)
        for seg in segments:
            for part in self._split_titles(text, seg):
                for piece in self._split_place_prefix(part):
                    yield from self._split_place_suffix(piece)

    def _month_kept(self, segment: list[Word], w: Word) -> bool:
        return bool(segment) and w.low in ("may", "june", "april", "august") and \
            self.cues.given_name(segment[-1].text, True)

    def _split_titles(self, text: str, seg: list[Word]) -> Iterable[Part]:
        gaz = self.gaz
        last = seg[-1].low
        titles = [self.cues.is_title(w.low) for w in seg]
        for t in range(len(seg) - 2, -1, -1):  # "Office of Management and Budget Director Mick Mulvaney"
            if titles[t]:
                k = t + 1  # "U.S. Secretary of Defense Ashton Carter": the title's own words first
                while k < len(seg) - 1 and seg[k].low in gaz.title_modifiers:
                    k += 1
                if self.cues.given_name(seg[k].text, True):
                    yield from self._title_at(text, seg, k - 1)
                    return
        orgish = last in gaz.org_heads or last in gaz.place_heads or any(
            (gap := text[a.end:b.start]) != " " and gap.strip().split(" ")[0] in self.cues.org_joiners
            for a, b in zip(seg, seg[1:])
        )
        if orgish and seg[0].low.rstrip(".") not in gaz.honorifics:
            yield from self._strip(Part(seg))
            return
        # the rightmost title followed by a name: "White House Press Secretary Jen Psaki"
        end = len(seg)
        while end > 1 and seg[end - 1].low.rstrip(".") in self.cues.name_suffixes:
            end -= 1
        for t in range(len(seg) - 1, -1, -1):
            if titles[t]:
                if t == end - 1 and t and self.cues.given_name(seg[t - 1].text, True):
                    continue  # Rodney King, Elaine Duke, Martin Luther King Jr.: a surname that is also a title
                yield from self._title_at(text, seg, t)
                return
        yield from self._strip(self._title_phrase(text, seg))

    def _title_at(self, text: str, seg: list[Word], t: int) -> Iterable[Part]:
        """Split ``[left] [title words] [name]`` around the title at ``seg[t]``."""
        gaz = self.gaz
        ts = t
        while ts > 0 and (self.cues.is_title(seg[ts - 1].low) or seg[ts - 1].low in gaz.title_modifiers):
            ts -= 1
        honors = [w.low.rstrip(".") for w in seg[ts:t + 1] if w.low.rstrip(".") in gaz.honorifics]
        left, name = seg[:ts], seg[t + 1:]
        if left:
            left[0].initial = seg[0].initial
            yield from self._strip(Part(left))
        if name:
            honor = honors[-1] if honors else None
            end = seg[t].end + (text[seg[t].end:seg[t].end + 1] == ".")
            title = " ".join(text[seg[ts].start:end].split())
            role = None if honor else _role_phrase(text, seg[ts].start, title)
            yield from self._strip(Part(name, 5 if honor else 4, role, honor))

    def _title_phrase(self, text: str, seg: list[Word]) -> Part:
        """"Secretary of State Antony Blinken": the run starts inside a title phrase."""
        if len(seg) < 2:
            return Part(seg)
        first = seg[0].low
        tail_word = first.rsplit("-", 1)[0] if first.endswith(("-designate", "-elect")) else first
        for phrase in self.cues.title_phrase_tails.get(tail_word, ()):
            head = phrase.rpartition(" ")[0]
            before = text[max(0, seg[0].start - 40):seg[0].start]
            if before.casefold().endswith(head + " "):
                role = before[len(before) - len(head) - 1:] + seg[0].text
                return Part(seg[1:], 4, " ".join(role.split()))
        return Part(seg)

    def _split_place_prefix(self, part: Part) -> Iterable[Part]:
        """"United States Donald Trump": a known place is not glued to the person after it."""
        seg = part.words
        if len(seg) == 2 and seg[0].text.endswith(".") and len(seg[0].text) > 2 and self._divides(seg):
            yield Part(seg[:1])  # "... for the U.S. Trump blamed": a sentence ends after U.S.
            yield Part(seg[1:], part.person_score, part.role, part.honorific)
            return
        for k in range(len(seg) - 2, 0, -1):
            if not self.cues.given_name(seg[k].text, True) or self._known(seg[:k + 1]) or (
                k == 1 and seg[0].low.rstrip(".") in self.cues.place_first_heads
            ):
                continue  # "San Diego County", "St. Louis", "Fort Bliss": a place's first word opens it
            if self._place_prefix(seg[:k]):
                yield Part(seg[:k])
                yield Part(seg[k:], part.person_score, part.role, part.honorific)
                return
            if self._glued_person(seg, k):  # the title before the run is the first person's
                yield Part(seg[:k], part.person_score, part.role, part.honorific)
                yield Part(seg[k:], part.person_score)
                return
        yield part

    def _glued_person(self, seg: list[Word], k: int) -> bool:
        """"Counselor to President Donald Trump Kellyanne Conway": a first name and a surname, then another
        first name and surname with no comma between them, are two people (not "George Herbert Walker Bush",
        whose second word is a first name too, nor "Andrés Manuel López Obrador")."""
        given, gaz = self.cues.given_name, self.gaz
        if len(seg) != 4 or k != 2 or any(w.upper or len(w.text) < 2 or not w.text.isascii() or not w.text.isalpha()
                                          for w in seg):
            return False  # (only two plain two-word names: "Harry F. Byrd Sr.", longer names and names with two
            # family names, "José Jasán Nieves Cárdenas", stay whole)
        if any(b.start - a.end != 1 for a, b in zip(seg, seg[1:])):
            return False  # (a connector between: "Mohammed bin Zayed Al Nahyan")
        plain = all(
            w.low not in gaz.org_heads and w.low not in gaz.place_heads and w.low not in gaz.common
            and w.low not in gaz.particles for w in (seg[1], seg[2], seg[3])
        )
        return plain and given(seg[0].text, True) and given(seg[2].text, True) and not given(seg[1].text) and (
            seg[3].low not in self.cues.name_suffixes
        )

    def _place_opener(self, text: str, w: Word) -> bool:
        """"St. Louis", "St. Lucie County": an abbreviated first word of a place the next word completes
        (not "Main St. Officers")."""
        if w.low not in self.cues.place_first_heads:
            return False
        m = _NEXT_NAME_RE.match(text, w.end)
        return m is not None and any(
            self.gaz.place(name_key(f"{w.text} {rest}")) is not None for rest in (m.group(1), m.group(0)[2:]) if rest
        )

    def _known(self, words: list[Word]) -> bool:
        """Whether *words* name a known place or name ("San Diego" in "San Diego County")."""
        key = name_key(" ".join(w.text for w in words))
        return self.gaz.place(key) is not None or self.gaz.lookup(key) is not None

    def _split_place_suffix(self, part: Part) -> Iterable[Part]:
        """"Senator Lamar Alexander Tennessee": a person's state or country is not part of the name.

        Only for a run that reads as a person's (a title before it, or a first
        name first) with two words or more before a US state or a country.
        """
        seg, gaz = part.words, self.gaz
        if len(seg) >= 3 and (part.person_score or self.cues.given_name(seg[0].text, True)):
            for n in (2, 1):
                if len(seg) - n < 2:
                    continue
                place = gaz.place(name_key(" ".join(w.text for w in seg[-n:])))
                if place is not None and place.kind in (GeoKind.COUNTRY, GeoKind.US_STATE):
                    yield Part(seg[:-n], part.person_score, part.role, part.honorific)
                    yield Part(seg[-n:])
                    return
        yield part

    def _place_prefix(self, prefix: list[Word]) -> bool:
        """Whether *prefix* names a place or organisation, not a person's first name.

        "United States Donald Trump" splits; "Mary Kay Henry" and "Lamar
        Alexander" do not, though Mary and Lamar are also small towns.
        """
        gaz = self.gaz
        key = name_key(" ".join(w.text for w in prefix))
        known = gaz.lookup(key)
        if known is not None:
            return known.type != EntityType.PERSON
        place = gaz.place(key)
        if place is None:
            return False
        if len(prefix) == 1 and self.cues.given_name(prefix[0].text):
            return place.kind in (GeoKind.COUNTRY, GeoKind.US_STATE) or place.population >= 1_000_000
        return True

    def _divides(self, seg: list[Word]) -> bool:
        gaz = self.gaz
        known = gaz.lookup(name_key(seg[0].text))
        tail = seg[1].low
        return known is not None and known.type == EntityType.PLACE and not (
            tail in gaz.org_heads or tail in gaz.place_heads or tail in gaz.common
        )

    def _strip(self, part: Part) -> Iterable[Part]:
        gaz = self.gaz
        seg = list(part.words)
        while seg and (seg[0].low == "the" or (seg[0].initial and len(seg) > 1 and self._opener(seg))):
            seg.pop(0)
            if seg:
                seg[0].initial = False
        # a name with a connector inside keeps its last word: "Ministry of Justice", "... Racial Justice"
        ends_org = bool(seg) and (seg[-1].low in gaz.org_heads or any(b.start - a.end > 3 for a, b in zip(seg, seg[1:])))
        while (
            len(seg) > 1
            and name_key(seg[0].text) in gaz.demonyms
            and (gaz.lookup(name_key(" ".join(w.text for w in seg[1:]))) is not None
                 or (len(seg) > 2 and self.cues.given_name(seg[1].text, True)))  # "Americans Sean Copeland"
        ):
            seg.pop(0)
        while seg and self.cues.is_title(seg[-1].low) and not ends_org:
            if len(seg) >= 2 and self.cues.given_name(seg[-2].text, True) and seg[-1].low.isalpha():
                break  # Rodney King, Elaine Duke: a surname that is also a title
            seg.pop()
        if seg:
            part.words = seg
            yield part


    def _opener(self, seg: list[Word]) -> bool:
        """A sentence-initial word that is no name: a common word, or a verb or adverb form
        ("Having Donald Trump at the top", "Notably Mitch McConnell") that is no first name or place."""
        gaz, low = self.gaz, seg[0].low
        if low in gaz.common:
            return not self._known_with(seg)
        return low.endswith(_OPENER_ENDS) and not seg[0].upper and low not in gaz.genders \
            and seg[-1].low not in gaz.org_heads \
            and not _named_mid_sentence(self._text, seg[0].text) and gaz.lookup(name_key(low)) is None \
            and gaz.place(name_key(low)) is None and gaz.lookup(name_key(" ".join(w.text for w in seg))) is None


    def _known_with(self, seg: list[Word]) -> bool:
        """Whether the common word opening *seg* begins a known name or place there ("New York has
        become…", "Little Rock", "Grand Rapids"): then it is no opener."""
        return any(self._known(seg[:end]) for end in range(2, min(len(seg), 4) + 1))


_NEXT_NAME_RE = re.compile(r"\. ([A-Z][\w'-]+)(?: [A-Z][\w'-]+)?")


def _named_mid_sentence(text: str, word: str) -> bool:
    """Whether *word* is written capitalised after a lowercase word somewhere in *text* ("shares of Boeing")."""
    return re.search(rf"[a-z,] {re.escape(word)}\b", text) is not None


def _role_phrase(text: str, start: int, role: str) -> str:
    """The role with the lowercase title words right before it ("former FBI Director")."""
    before = text[max(0, start - 30):start].split()
    lead = []
    for w in reversed(before):
        if w.casefold() in ("former", "acting", "then", "deputy", "interim", "outgoing", "incoming"):
            lead.append(w)
        else:
            break
    return " ".join([*reversed(lead), role])


def _unglue(run: list[Word]) -> list[list[Word]]:
    """Split a run that repeats its last word: "Mark Esper Mark Esper", "Trump Donald John Trump"."""
    if len(run) <= 2:
        return [run]
    last = run[-1].low
    for k in range(len(run) - 1):
        if run[k].low == last and len(run) > 2 and not run[k].low.endswith("."):
            return [run[:k + 1], *_unglue(run[k + 1:])]
    return [run]


def _drop_echo(words: list[Word], glued: Word) -> None:
    """Link lists ("The Hill") repeat a name in full, glued to the next headline.

    "Jay Inslee Jay Robert InsleeHere are the states...": the repeated full
    name is dropped, the name before it ends there, and the glued word keeps
    only its headline part ("Here").
    """
    if not words or words[-1].end != glued.start - 1:
        return  # the echo sits right after the repeated name ("Gruber, ObamaCare" is no echo)
    recent = {w.text: j for j, w in enumerate(words[-7:], start=max(0, len(words) - 7))}
    for m in reversed(list(CAMEL_GLUE_RE.finditer(glued.text))):  # "McConnellHouse": the longest prefix first
        prefix = glued.text[:m.start() + 1]
        j = recent.get(prefix)
        if j is not None and glued.start - words[j].end < 80:
            words[j].stop_after = True
            del words[j + 1:]
            glued.start += len(prefix)
            glued.text = glued.text[len(prefix):]
            glued.low = glued.text.casefold()
            glued.upper = len(glued.text) >= 2 and glued.text.isupper()
            return


# a quoted phrase: in curly quotes, or in straight ones that open after a space and close before punctuation
_CURLY_QUOTED_RE = re.compile("\u201c([A-Z][^\u201d\n]{9,199})\u201d")
_STRAIGHT_QUOTED_RE = re.compile(r'"([A-Z][^"\n]{8,197}\S)"(?=[\s.,;:!?)]|$)')


def _quoted(original: str) -> list[tuple[int, str]]:
    """The start and text of every quoted phrase that opens with a capital."""
    out: list[tuple[int, str]] = []
    if "\u201c" in original:
        out += [(m.start(1), m.group(1)) for m in _CURLY_QUOTED_RE.finditer(original)]
    if '"' in original:
        out += [
            (m.start(1), m.group(1)) for m in _STRAIGHT_QUOTED_RE.finditer(original)
            if m.start() == 0 or original[m.start() - 1] in " \n\t("
        ]
    return sorted(out, reverse=True)


def _merge_titles(original: str, words: list[Word]) -> list[Word]:
    """A quoted Title Case title ("Technical Assistance in Evaluating Options for Health Reform",
    "Face the Nation") becomes one word: the name of a work, never a run of names."""
    quotes = _quoted(original)
    starts = [w.start for w in words] if quotes else []
    for start, quoted in quotes:
        inner = quoted.rstrip(".,;:!? ")
        n_words = len(inner.split())
        if n_words < 3 or (n_words == 3 and inner == inner.title()) or not _all_capitalised(inner):
            continue
        lo = bisect.bisect_left(starts, start)
        hi = bisect.bisect_left(starts, start + len(inner))
        if hi - lo < 2 or words[lo].start != start:
            continue
        title = Word(start, start + len(inner), inner)
        words[lo:hi] = [title]
        starts[lo:hi] = [start]
    return words


def _all_capitalised(phrase: str) -> bool:
    """Whether every word of *phrase* but the small ones (of, the, and...) starts with a capital."""
    return all(m.group()[0].isupper() or m.group().casefold() in SMALL_WORDS for m in LETTERS_RE.finditer(phrase))


def line_kind(line: str) -> str:
    """``"caps"`` for an ALL-CAPS line, ``"headline"`` for a Title Case line, else ``"text"``."""
    stripped = line.strip()
    if not stripped or len(stripped) > 300:
        return LineKind.TEXT
    if stripped[-1] in ".\"'" and not stripped.isupper():
        return LineKind.TEXT  # (what the tests below conclude, without the words)
    words = LETTERS_RE.findall(stripped)
    if len(words) >= 3 and stripped.isupper():
        return LineKind.CAPS
    # a headline may ask or exclaim ("Which Candidates Do They Back?"); a short line is no headline
    if stripped[-1] in ".\"'" or len(words) > 25 or (stripped[-1] in "!?" and len(words) < 3):
        return LineKind.TEXT
    content = [w for w in words if w.casefold() not in SMALL_WORDS]
    if not content:
        return LineKind.TEXT
    caps = sum(1 for w in content if w[0].isupper())
    return LineKind.HEADLINE if caps / len(content) >= 0.6 else LineKind.TEXT


def sentence_initial(text: str, start: int, line_start: int, gaz: Gazetteer) -> bool:
    """Whether the word at ``start`` opens a sentence (so its capital proves nothing)."""
    i = start - 1
    while i >= line_start and text[i] in " \"'([\u201c\u2018":
        i -= 1
    if i < line_start:
        return True
    c = text[i]
    if c in "!?:;\u2026":
        return True
    if c == "-" and i > line_start and text[i - 1] == " ":
        return True
    if c == ".":
        m = _WORD_DOT_END_RE.search(text, max(line_start, i - 12), i + 1)
        if m:
            w = m.group(1)
            if w.casefold() in gaz.honorifics or (len(w) == 1 and w.isupper()):
                return False
            if text[i - 2:i - 1] == ".":  # U.S. officials
                return False
        return True
    return False
