"""One article as attribution sees it: quotations masked, sentences, usable mentions, genders."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from kazreader.analysis.quotes.lexicon import Gender, lexicon, name_gender

__all__ = ["ArticleContext", "Ment", "words"]

_WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_ALNUM_RE = re.compile(r"[^\W_]")
_ABBREV = {
    "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "pfc", "spc",
    "capt", "prof", "jr", "sr", "inc", "corp", "co", "ltd", "no", "vs", "mt", "pvt", "cpl",
    "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "u.s", "calif", "conn",
    "u.n", "u.k", "e.g", "i.e", "approx", "est", "rev", "fr", "adm", "maj", "cmdr", "ky", "kan",
    "fla", "ariz", "mass", "mich", "minn", "tenn", "wash", "wis", "ill", "ind", "pa", "va", "ga",
}
#: A stop, closing marks, space, then a capital or an opening mark (whose masked words are lower-case).
_SENT_END_RE = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*\s+(?=[\"\u201c\u2018(\[]|[A-Z0-9])|\n\s*\n")
_BLANK_LINE_RE = re.compile(r"\n\s*\n")
_LAST_WORD_RE = re.compile(r"([\w.]+)$")
_DOTTED_RE = re.compile(r"(?:\w\.)+\w")
_APPOS_CUE_RE = re.compile(r"\s*,\s*(?:[^,.;]{0,50}?)(?=[,.;])")
_CLAUSE_CUT_RE = re.compile(r"[.;:!?\n]|,(?=[^,]*$)")
_APPOS_ROLE_RE = re.compile(r"\s*,\s*([^,.;]{0,60}?)(?=[,.;])")
#: Between a name and its speech verb: an adverb ("Chambliss also said") or an apposition ("X, a diver, said").
_AFTER_NAME_RE = re.compile(r"\s+(?:[a-z]+\s+)?|,\s+(?:a|an|the)\s[^,.;:\"\u201c\u201d]{1,80}?,\s+")


class Ment(NamedTuple):
    """A mention usable as a speaker: its span and entity (a named tuple: an article has
    hundreds, built for every article that quotes anyone)."""

    start: int
    end: int
    entity: Any  # an ``Entity`` (duck-typed: ``name``, ``type``)


def words(s: str, offset: int) -> list[tuple[str, int, int]]:
    """Lower-cased words of *s* with their offsets (shifted by *offset*)."""
    return [(m.group().lower(), offset + m.start(), offset + m.end()) for m in _WORD_RE.finditer(s)]


def _masked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    parts, pos = [], 0
    for s, e in spans:
        if s < pos:
            continue
        parts.append(text[pos:s])
        parts.append(_ALNUM_RE.sub("x", text[s:e]))
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


def _sentence_starts(masked: str) -> list[int]:
    """Offsets where sentences start, in the masked text."""
    starts = [0]
    for m in _SENT_END_RE.finditer(masked):
        if "\n" in m.group() and _BLANK_LINE_RE.search(m.group()):
            starts.append(m.end())
            continue
        word = _LAST_WORD_RE.search(masked[max(0, m.start() - 12) : m.start()])
        if word:
            w = word.group(1).lower()
            if w in _ABBREV or (len(w) == 1 and w.isalpha()) or _DOTTED_RE.fullmatch(w):
                continue
        starts.append(m.end())
    return starts


def _head_words(phrase: str) -> list[str]:
    """The words of a noun phrase before its first preposition ("a diver" of "a diver for the Authority")."""
    oblique = lexicon().oblique
    out = []
    for w, _, _ in words(phrase, 0):
        if w in oblique:
            break
        out.append(w)
    return out


def usable(text: str, ent: Any) -> bool:
    """Whether a mention's text can name a speaker (not a bare title, tag or initial)."""
    return _usable(text, str(getattr(ent, "name", "")))


@lru_cache(maxsize=65536)
def _usable(text: str, name: str) -> bool:
    lex = lexicon()
    if lex.not_a_name.fullmatch(text.strip()):
        return False
    toks = [w.lower() for w in _WORD_RE.findall(text)]  # (the words of words(), without their offsets)
    return bool(toks) and not all(t in lex.titles for t in toks) and not _all_titles(name)


@lru_cache(maxsize=16384)
def _all_titles(name: str) -> bool:
    """Whether every word of an entity's name is a title (vacuously, a name with none)."""
    titles = lexicon().titles
    return all(w.lower() in titles for w in _WORD_RE.findall(name))


def _clause_start(before: str) -> int:
    """Where the clause that ends *before* starts: after its last stop or last comma, a title's
    period ("Sen. Ben Sasse") being no stop."""
    lex = lexicon()
    start = 0
    for m in _CLAUSE_CUT_RE.finditer(before):
        if m.group() == ".":
            word = _LAST_WORD_RE.search(before, 0, m.start())
            if word and (word.group(1).lower() in lex.abbreviations or word.group(1).lower() in lex.titles):
                continue
        start = m.end()
    return start


class ArticleContext:
    """One article's masked text, sentence bounds, paragraphs and speaker-usable mentions.

    ``masked`` is the article text with every letter and digit inside a quote
    replaced by ``x`` (same length), so verbs and names inside quotations are
    invisible to attribution while punctuation keeps sentences intact.
    """

    def __init__(
        self,
        article_id: str,
        text: str,
        quote_spans: Sequence[tuple[int, int]],
        mentions: Sequence[tuple[int, int, Any]],
        paragraphs: Sequence[tuple[int, int]] = (),
    ) -> None:
        self.article_id = article_id
        self.text = text
        self._quote_spans = sorted(quote_spans)
        self.masked = _masked(text, self._quote_spans)
        self.sentence_starts = _sentence_starts(self.masked)
        self._para_starts = [p[0] for p in paragraphs] or [0]
        ments = [Ment(s, e, ent) for s, e, ent in mentions if not self.in_quote(s) and usable(text[s:e], ent)]
        ments.sort(key=lambda m: (m.start, -m.end))
        self.mentions = ments
        self._mention_starts = [m.start for m in ments]
        self._gender: dict[str, Gender | None] = {}
        self._speaking: set[str] | None = None
        self._words: dict[tuple[int, int], list[tuple[str, int, int]]] = {}
        self._roles: dict[tuple[int, int, int], set[str]] = {}
        self._by_entity: dict[int, list[Ment]] | None = None

    def words(self, lo: int, hi: int) -> list[tuple[str, int, int]]:
        """``words(self.masked[lo:hi], lo)``, remembered: the rules read the same sentences again
        for every quotation near them (a shared list: never change it)."""
        found = self._words.get((lo, hi))
        if found is None:
            found = self._words[lo, hi] = words(self.masked[lo:hi], lo)
        return found

    def speaks(self, ent: Any) -> bool:
        """Whether the article makes *ent* the subject of a speech verb somewhere ("Chambliss added",
        "Keasub, a diver, said")."""
        if self._speaking is None:
            cue = lexicon().cue_re
            roles = lexicon().person_roles | lexicon().org_roles
            org_roles = lexicon().org_roles
            after = _AFTER_NAME_RE
            found = set()
            for m in self.mentions:
                gap = after.match(self.masked, m.end)
                if gap and "," not in gap.group() and not roles.isdisjoint(gap.group().split()):
                    continue  # "the Texas congressman said": the congressman speaks, not Texas
                if gap and "," in gap.group() and not org_roles.isdisjoint(_head_words(gap.group())):
                    continue  # "Corona, the beer company, said": an organisation speaks, not a person
                if gap and (c := cue.match(self.masked, gap.end())) and not c.group("fwd"):
                    found.add(str(m.entity.name))
            self._speaking = found
        return str(ent.name) in self._speaking

    def in_quote(self, pos: int) -> bool:
        """Whether *pos* lies inside a quotation's content."""
        i = bisect.bisect_right(self._quote_spans, (pos, len(self.text) + 1)) - 1
        return i >= 0 and self._quote_spans[i][0] <= pos < self._quote_spans[i][1]

    def quote_at(self, pos: int) -> tuple[int, int] | None:
        """The quotation content span that starts at *pos*, if one does."""
        i = bisect.bisect_left(self._quote_spans, (pos, -1))
        if i < len(self._quote_spans) and self._quote_spans[i][0] == pos:
            return self._quote_spans[i]
        return None

    def paragraph(self, pos: int) -> int:
        """Index of the paragraph holding *pos*."""
        return bisect.bisect_right(self._para_starts, pos) - 1

    def sentence_start(self, pos: int) -> int:
        """Start of the sentence containing *pos*."""
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        return self.sentence_starts[i] if i >= 0 else 0

    def sentence_end(self, pos: int) -> int:
        """End (exclusive) of the sentence containing *pos*."""
        i = bisect.bisect_right(self.sentence_starts, pos)
        return self.sentence_starts[i] if i < len(self.sentence_starts) else len(self.text)

    def mentions_in(self, start: int, end: int) -> list[Ment]:
        """Mentions lying entirely inside ``[start, end)``, in text order."""
        i = bisect.bisect_left(self._mention_starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def overlaps_mention(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a mention (a verb that is part of a name)."""
        return any(m.start < end and start < m.end for m in self.mentions_in(start - 60, end + 60))

    def mentions_before(self, pos: int, floor: int = 0) -> list[Ment]:
        """Mentions ending at or before *pos* and starting at or after *floor*, nearest first."""
        i = bisect.bisect_left(self._mention_starts, pos)
        j = bisect.bisect_left(self._mention_starts, floor)
        return [m for m in reversed(self.mentions[j:i]) if m.end <= pos]

    def gender(self, ent: Any) -> Gender | None:
        """The gender of *ent* here: honorific and role cues first, then its given name."""
        key = str(ent.name)
        if key not in self._gender:
            self._gender[key] = self._cue_gender(ent) or self._name_gender(ent)
        return self._gender[key]

    def _name_gender(self, ent: Any) -> Gender | None:
        first = words(str(ent.name), 0)
        return name_gender(first[0][0]) if len(first) >= 2 else None

    def _cue_gender(self, ent: Any) -> Gender | None:
        lex = lexicon()
        votes = {Gender.MALE: 0, Gender.FEMALE: 0}
        if self._by_entity is None:  # (each entity's mentions, in text order: read once per article)
            self._by_entity = {}
            for x in self.mentions:
                self._by_entity.setdefault(id(x.entity), []).append(x)
        for m in self._by_entity.get(id(ent), ()):
            before = [w for w, _, _ in words(self.text[max(0, m.start - 30) : m.start], 0)][-2:]
            appos = _APPOS_CUE_RE.match(self.text[m.end : m.end + 60])
            after = [w for w, _, _ in words(appos.group(), 0)] if appos else []
            for w in before + after:
                if w in lex.male and w not in ("he", "him", "his", "himself"):
                    votes[Gender.MALE] += 1
                elif w in lex.female and w not in ("she", "her", "herself"):
                    votes[Gender.FEMALE] += 1
        if votes[Gender.MALE] and not votes[Gender.FEMALE]:
            return Gender.MALE
        if votes[Gender.FEMALE] and not votes[Gender.MALE]:
            return Gender.FEMALE
        return None

    def role_context(self, m: Ment) -> set[str]:
        """Lower-cased words describing mention *m*: the three before it (its title), its apposition, its name,
        and the role nouns its abbreviated title stands for (remembered: a shared set, never change it)."""
        key = (m.start, m.end, id(m.entity))
        found = self._roles.get(key)
        if found is None:
            found = self._roles[key] = self._role_context(m)
        return found

    def _role_context(self, m: Ment) -> set[str]:
        before = self.text[max(0, m.start - 50) : m.start]
        before = before[_clause_start(before) :]
        appos = _APPOS_ROLE_RE.match(self.text[m.end : m.end + 80])
        title = words(before, 0)[-3:]
        oblique = lexicon().oblique
        # ("the official close to Iran": a role before a preposition is not the named one's)
        title = title[max((i + 1 for i, w in enumerate(title) if w[0] in oblique), default=0) :]
        found = title + (words(appos.group(1), 0) if appos else []) + words(str(m.entity.name), 0)
        abbreviations = lexicon().abbreviations
        out = {w for w, _, _ in found}
        for w in [w for w in out if w in abbreviations]:  # "Sen. Ben Sasse" is "the senator"
            out |= abbreviations[w]
        return out
