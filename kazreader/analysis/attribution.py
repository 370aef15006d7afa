"""Speaker attribution for quotations: who said the words between the marks.

The rules follow the patterns reporters use, looked for in the quote's own
sentence (quote contents are masked so that nothing inside a quotation is ever
taken for a verb or a speaker):

* after the quote: ``"…," X said`` / ``"…," said X, the …`` /
  ``"…," X was quoted as saying by Y`` / ``"…," X told Y`` / ``"…," according to X``;
* before the quote: ``X said: "…"`` / ``X said (that) the US "…"`` /
  ``X called on Y to "…"`` / ``what he called "…"`` / ``according to X, "…"`` /
  ``a statement from X``;
* the subject of the speech verb is the first PERSON (else ORG, else PLACE:
  "Washington urged") named in its clause, so for "The EU and the UN called for
  'restraint'" the speaker is the **first** of the coordinated names (the EU);
* pronouns ("he", "she", "it") resolve to the nearest preceding entity that
  fits: PERSON for he/she, skipping people whose gender cues in the article
  (Mr/Ms, spokesman/spokeswoman, …) contradict the pronoun; ORG for "it";
* role nouns ("the spokeswoman", "the ministry") resolve to the nearest
  preceding entity described by that noun in the article; otherwise the quote
  keeps the role as ``speaker_text`` and has no canonical speaker.

Only duck-typed access to entities is used (``name``, ``type``, ``mentions``
with ``article``/``start``/``end``), so this module works with any object
honouring the :mod:`kazreader.analysis.entities` contract.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Attribution",
    "ArticleContext",
    "SPEECH_CUE_RE",
    "attribute",
    "has_speech_cue",
]

# --- vocabularies -------------------------------------------------------------

_VERBS = [
    r"say(?:s|ing)?", r"said", r"tell(?:s|ing)?", r"told", r"add(?:s|ed|ing)",
    r"call(?:s|ed|ing)?", r"describ(?:e|es|ed|ing)", r"brand(?:s|ed|ing)?",
    r"label(?:s|led|ed|ling|ing)", r"dub(?:s|bed|bing)", r"warn(?:s|ed|ing)?",
    r"urg(?:e|es|ed|ing)", r"vow(?:s|ed|ing)?", r"insist(?:s|ed|ing)?",
    r"declar(?:e|es|ed|ing)", r"announc(?:e|es|ed|ing)", r"stat(?:e|es|ed|ing)",
    r"writ(?:e|es|ing|ten)", r"wrote", r"tweet(?:s|ed|ing)?", r"blam(?:e|es|ed|ing)",
    r"accus(?:e|es|ed|ing)", r"den(?:y|ies|ied|ying)", r"claim(?:s|ed|ing)?",
    r"argu(?:e|es|ed|ing)", r"not(?:e|es|ed|ing)", r"stress(?:es|ed|ing)?",
    r"ask(?:s|ed|ing)?", r"repl(?:y|ies|ied|ying)", r"explain(?:s|ed|ing)?",
    r"promis(?:e|es|ed|ing)", r"pledg(?:e|es|ed|ing)", r"demand(?:s|ed|ing)?",
    r"reject(?:s|ed|ing)?", r"dismiss(?:es|ed|ing)", r"condemn(?:s|ed|ing)?",
    r"acknowledg(?:e|es|ed|ing)", r"admit(?:s|ted|ting)", r"confirm(?:s|ed|ing)?",
    r"shout(?:s|ed|ing)?", r"chant(?:s|ed|ing)?", r"cr(?:y|ies|ied|ying)",
    r"recall(?:s|ed|ing)?", r"predict(?:s|ed|ing)?", r"suggest(?:s|ed|ing)?",
    r"mention(?:s|ed|ing)?", r"remark(?:s|ed|ing)?", r"comment(?:s|ed|ing)?",
    r"conced(?:e|es|ed|ing)", r"complain(?:s|ed|ing)?", r"boast(?:s|ed|ing)?",
    r"threaten(?:s|ed|ing)?", r"appeal(?:s|ed|ing)?", r"plead(?:s|ed|ing)?",
    r"pled", r"refer(?:s|red|ring)\s+to", r"spok(?:e|en)", r"speak(?:s|ing)",
    r"report(?:s|ed|ing)", r"quip(?:s|ped)", r"wonder(?:s|ed)", r"add",
    r"continu(?:e|es|ed)\s*:", r"write",
]
#: Cues after which the speaker is named (``according to X``).
_FORWARD_CUES = [
    r"according\s+to", r"statement\s+(?:from|by|issued\s+by)",
    r"quoted\s+by", r"in\s+the\s+words\s+of",
]
#: ``X was quoted as saying`` (auxiliary included so the subject stays clean).
_QUOTED_AS = r"(?:(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+)?quoted\s+as\s+(?:saying|telling|stating)"

#: Any speech cue; group ``fwd`` is set for cues whose speaker follows them.
SPEECH_CUE_RE = re.compile(
    rf"\b(?:(?P<fwd>{'|'.join(_FORWARD_CUES)})|{_QUOTED_AS}|(?:{'|'.join(_VERBS)}))\b",
    re.IGNORECASE,
)

_PRONOUNS = {"he": "m", "she": "f", "it": "org", "they": "pl", "we": "pl", "i": "self"}
_AUX = {
    "was", "were", "is", "are", "has", "have", "had", "been", "also", "later",
    "earlier", "then", "again", "further", "previously", "separately", "once",
    "reportedly", "repeatedly", "publicly", "would", "will", "had", "did", "not",
    "has", "then", "subsequently", "quickly", "immediately", "recently", "both",
}
_MALE = {
    "mr", "mister", "sir", "lord", "king", "prince", "father", "spokesman",
    "chairman", "businessman", "congressman", "policeman", "councilman",
    "his", "he", "him", "husband", "son", "brother", "uncle", "grandfather",
}
_FEMALE = {
    "ms", "mrs", "miss", "madam", "dame", "lady", "queen", "princess", "sister",
    "spokeswoman", "chairwoman", "businesswoman", "congresswoman", "policewoman",
    "councilwoman", "her", "she", "wife", "daughter", "mother", "aunt", "widow",
    "grandmother", "actress",
}
_PERSON_ROLES = {
    "spokesman", "spokeswoman", "spokesperson", "president", "minister",
    "premier", "secretary", "chairman", "chairwoman", "chair", "leader", "chief",
    "head", "director", "ambassador", "governor", "mayor", "commander",
    "general", "analyst", "official", "envoy", "senator", "lawmaker", "judge",
    "prosecutor", "lawyer", "professor", "expert", "researcher", "economist",
    "founder", "ceo", "executive", "diplomat", "king", "queen", "pope",
    "chancellor", "officer", "activist", "witness", "journalist", "resident",
}
_ORG_ROLES = {
    "ministry", "government", "alliance", "bloc", "agency", "company", "office",
    "organisation", "organization", "committee", "council", "department",
    "body", "group", "coalition", "secretariat", "court", "army", "military",
    "embassy", "party", "union", "commission", "parliament", "cabinet",
    "kremlin", "administration", "police", "service", "bank", "firm",
    "authority", "authorities", "regulator", "watchdog", "channel", "network",
    "station", "newspaper", "broadcaster", "statement",
}
_OBLIQUE = {
    "of", "by", "to", "with", "from", "for", "on", "at", "in", "about", "against",
    "after", "before", "toward", "towards", "than", "like", "via", "over",
}
#: Words that end a speaker noun phrase when growing it leftwards.
_NP_STOP = {
    "that", "which", "who", "whom", "whose", "while", "when", "where", "because",
    "although", "though", "after", "before", "since", "if", "then", "than",
    "and", "or", "but", "as", "so", "said", "says", "told", "however", "meanwhile",
    "also", "earlier", "later", "in", "on", "at",
}
#: Clause boundaries that a subject never crosses.
_HARD_BOUNDARY_RE = re.compile(
    r"[;:\n]|,\s+(?:while|but|and|whereas|as|although|though|after|before|when|"
    r"because|since|even\s+as)\b|\b(?:while|whereas|but)\b",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_ALNUM_RE = re.compile(r"[^\W_]")

#: A short quote needs its speech cue this close (in words) to count.
SHORT_CUE_WINDOW = 30
#: In the ``"…," X said`` pattern the verb comes within this many words.
POST_CUE_WINDOW = 12


# --- article context --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Ment:
    """A mention usable as a speaker: its span and entity."""

    start: int
    end: int
    entity: Any  # an ``Entity``


@dataclass(frozen=True, slots=True)
class Attribution:
    """The speaker found for one quote."""

    speaker: str | None
    text: str | None
    start: int | None
    end: int | None
    cue: bool  # whether a speech cue (verb, "according to", …) was found


class ArticleContext:
    """One article's masked text, sentence bounds and speaker-usable mentions.

    *mentions* are ``(start, end, entity)`` for this article's entity mentions.

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
    ) -> None:
        self.article_id = article_id
        self.text = text
        self._quote_spans = sorted(quote_spans)
        parts, pos = [], 0
        for s, e in self._quote_spans:
            if s < pos:
                continue
            parts.append(text[pos:s])
            parts.append(_ALNUM_RE.sub("x", text[s:e]))
            pos = e
        parts.append(text[pos:])
        self.masked = "".join(parts)
        self.sentence_starts = _sentence_starts(self.masked)
        ments = [_Ment(s, e, ent) for s, e, ent in mentions if not self.in_quote(s)]
        ments.sort(key=lambda m: (m.start, -m.end))
        self.mentions = ments
        self._mention_starts = [m.start for m in ments]
        self._gender: dict[str, str | None] = {}

    def in_quote(self, pos: int) -> bool:
        """Whether *pos* lies inside a quotation's content."""
        i = bisect.bisect_right(self._quote_spans, (pos, len(self.text) + 1)) - 1
        return i >= 0 and self._quote_spans[i][0] <= pos < self._quote_spans[i][1]

    def sentence_start(self, pos: int) -> int:
        """Start of the sentence containing *pos*."""
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        return self.sentence_starts[i] if i >= 0 else 0

    def sentence_end(self, pos: int) -> int:
        """End (exclusive) of the sentence containing *pos*."""
        i = bisect.bisect_right(self.sentence_starts, pos)
        return self.sentence_starts[i] if i < len(self.sentence_starts) else len(self.text)

    def mentions_in(self, start: int, end: int) -> list[_Ment]:
        """Mentions lying entirely inside ``[start, end)``, in text order."""
        i = bisect.bisect_left(self._mention_starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def mentions_before(self, pos: int) -> list[_Ment]:
        """Mentions ending at or before *pos*, nearest first."""
        i = bisect.bisect_left(self._mention_starts, pos)
        return [m for m in reversed(self.mentions[:i]) if m.end <= pos]

    def gender(self, ent: Any) -> str | None:
        """``"m"``, ``"f"`` or None from the cues around *ent*'s mentions here."""
        key = ent.name
        if key not in self._gender:
            votes = {"m": 0, "f": 0}
            for m in self.mentions:
                if m.entity is not ent:
                    continue
                before = self.text[max(0, m.start - 30) : m.start]
                before_words = [w.lower() for w in _WORD_RE.findall(before)][-3:]
                after = self.text[m.end : m.end + 60]
                appos = re.match(r"\s*,\s*(?:[^,.;]{0,50}?)(?=[,.;])", after)
                after_words = (
                    [w.lower() for w in _WORD_RE.findall(appos.group())] if appos else []
                )
                for w in before_words + after_words:
                    if w in _MALE:
                        votes["m"] += 1
                    elif w in _FEMALE:
                        votes["f"] += 1
            if votes["m"] and not votes["f"]:
                self._gender[key] = "m"
            elif votes["f"] and not votes["m"]:
                self._gender[key] = "f"
            else:
                self._gender[key] = None
        return self._gender[key]

    def role_context(self, m: _Ment) -> set[str]:
        """Lower-cased words describing mention *m* (before it and in an apposition)."""
        before = self.text[max(0, m.start - 50) : m.start]
        before = re.split(r"[.;:!?\n]|,(?=[^,]*$)", before)[-1]
        after = self.text[m.end : m.end + 80]
        appos = re.match(r"\s*,\s*([^,.;]{0,60}?)(?=[,.;])", after)
        words = _WORD_RE.findall(before) + (_WORD_RE.findall(appos.group(1)) if appos else [])
        words += _WORD_RE.findall(m.entity.name)
        return {w.lower() for w in words}


# --- sentences ----------------------------------------------------------------

_ABBREV = {
    "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "lt", "col", "sgt",
    "capt", "prof", "jr", "sr", "inc", "corp", "co", "ltd", "no", "vs", "mt",
    "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "u.s",
    "u.n", "u.k", "e.g", "i.e", "approx", "est", "rev", "fr", "adm", "maj", "cmdr",
}
_SENT_END_RE = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])|\n\s*\n")


def _sentence_starts(masked: str) -> list[int]:
    """Offsets where sentences start, in the masked text."""
    starts = [0]
    for m in _SENT_END_RE.finditer(masked):
        if m.group().startswith("\n") or "\n\n" in m.group():
            starts.append(m.end())
            continue
        before = masked[max(0, m.start() - 12) : m.start()]
        word = re.search(r"([\w.]+)$", before)
        if word:
            w = word.group(1).lower()
            if w in _ABBREV or (len(w) == 1 and w.isalpha()) or re.fullmatch(r"(?:\w\.)+\w", w):
                continue
        starts.append(m.end())
    return starts


# --- attribution ----------------------------------------------------------------


def has_speech_cue(text: str) -> bool:
    """Whether *text* contains a speech cue (said, told, according to, …)."""
    return SPEECH_CUE_RE.search(text) is not None


def _cues(ctx: ArticleContext, lo: int, hi: int) -> list[re.Match[str]]:
    """Speech cues in ``[lo, hi)``, leaving out capitalised words inside a
    sentence and words that are part of a name ("Tom Brand", "Said Ali")."""
    out = []
    for m in SPEECH_CUE_RE.finditer(ctx.masked, lo, hi):
        if ctx.text[m.start()].isupper() and ctx.sentence_start(m.start()) != m.start():
            continue
        if ctx.mentions_in(m.start() - 60, m.end() + 60) and any(
            x.start < m.end() and m.start() < x.end for x in ctx.mentions_in(m.start() - 60, m.end() + 60)
        ):
            continue
        out.append(m)
    return out


def _words(s: str, offset: int) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), offset + m.start(), offset + m.end()) for m in _WORD_RE.finditer(s)]


def _is_oblique(ctx: ArticleContext, m: _Ment, floor: int) -> bool:
    """A mention governed by a preposition or a possessive is not a subject."""
    prev = _words(ctx.masked[max(floor, m.start - 20) : m.start], max(floor, m.start - 20))
    if prev and prev[-1][0] in _OBLIQUE:
        return True
    return ctx.masked[m.end : m.end + 2] in ("'s", "\u2019s")


def _pick_subject(ctx: ArticleContext, ments: Sequence[_Ment], floor: int) -> _Ment | None:
    """The first non-oblique PERSON, else ORG, else PLACE, among *ments*."""
    for types in (("PERSON",), ("ORG",), ("PLACE", "OTHER")):
        cands = [m for m in ments if m.entity.type in types]
        for m in cands:
            if not _is_oblique(ctx, m, floor):
                return m
    return None


def _noun_phrase(ctx: ArticleContext, m: _Ment, floor: int) -> tuple[int, int]:
    """Grow a mention leftwards over its title/role words ("police spokesman X")."""
    seg = ctx.masked[floor : m.start]
    cut = max(seg.rfind(","), seg.rfind("("), seg.rfind(")"))
    lo = floor + cut + 1 if cut >= 0 else floor
    words = _words(ctx.masked[lo : m.start], lo)
    start = m.start
    for w, s, _e in reversed(words[-6:]):
        if w in _NP_STOP or (not ctx.text[s].isupper() and w in _AUX) or w == "x" * len(w):
            break
        start = s
    return start, m.end


def _resolve_pronoun(ctx: ArticleContext, kind: str, pos: int) -> _Ment | None:
    """The nearest preceding entity fitting pronoun *kind* (m/f/org)."""
    want = ("ORG",) if kind == "org" else ("PERSON",)
    fallback = None
    for m in ctx.mentions_before(pos):
        if m.entity.type not in want:
            continue
        if kind in ("m", "f"):
            g = ctx.gender(m.entity)
            if g is not None and g != kind:
                continue
        if fallback is None:
            fallback = m
        if not _is_oblique(ctx, m, 0):
            return m
    return fallback


def _resolve_role(ctx: ArticleContext, head: str, pos: int) -> _Ment | None:
    """The nearest preceding entity described by role noun *head* ("spokeswoman")."""
    if head in _PERSON_ROLES:
        want = ("PERSON",)
    elif head in _ORG_ROLES:
        want = ("ORG",)
    else:
        return None
    for m in ctx.mentions_before(pos):
        if m.entity.type in want and head in ctx.role_context(m):
            return m
    return None


def _from_segment(
    ctx: ArticleContext, lo: int, hi: int, *, forward: bool
) -> Attribution | None:
    """Find the speaker named in ``[lo, hi)``.

    *forward* is True when the segment follows the cue (``said X``,
    ``according to X``): the nearest name wins and the segment ends at the
    first comma. Otherwise the segment is the cue's subject clause.
    """
    seg = ctx.masked[lo:hi]
    if forward:
        cut = re.search(r"[,;:.!?\n\"\u201c\u201d]", seg)
        if cut:
            hi = lo + cut.start()
    else:
        bounds = list(_HARD_BOUNDARY_RE.finditer(seg))
        if bounds:
            lo = lo + bounds[-1].end()
    seg = ctx.masked[lo:hi]
    words = _words(seg, lo)
    if not words:
        return None
    # A pronoun right next to the cue ("he said", "said she", "what he called").
    near = words[:2] if forward else [w for w in words if w[0] not in _AUX][-1:]
    for w, s, e in near:
        kind = _PRONOUNS.get(w)
        if kind is None:
            continue
        if kind in ("m", "f", "org"):
            m = _resolve_pronoun(ctx, kind, s)
            return Attribution(m.entity.name if m else None, ctx.text[s:e], s, e, True)
        return Attribution(None, ctx.text[s:e], s, e, True)
    ments = ctx.mentions_in(lo, hi)
    m = (ments[0] if ments else None) if forward else _pick_subject(ctx, ments, lo)
    if m is not None:
        s, e = _noun_phrase(ctx, m, lo)
        return Attribution(m.entity.name, ctx.text[s:e], s, e, True)
    # A role noun phrase: "the spokeswoman", "A police spokeswoman", "officials".
    content = [w for w in words if w[0] not in _AUX and w[0] != "x" * len(w[0])]
    if not content:
        return None
    content = content[:6] if forward else content[-6:]
    if not forward:
        # drop leading words up to a determiner or a capitalised word
        for i, (w, s, _e) in enumerate(content):
            if w in ("the", "a", "an") or ctx.text[s].isupper():
                content = content[i:]
                break
    head = content[-1][0]
    s, e = content[0][1], content[-1][2]
    m = _resolve_role(ctx, head, s)
    return Attribution(m.entity.name if m else None, ctx.text[s:e], s, e, True)


def attribute(ctx: ArticleContext, open_mark: int, close_mark: int | None) -> Attribution:
    """Attribute the quote whose marks are at *open_mark* / *close_mark*.

    The ``"…," X said`` pattern is only tried when the quotation ends a clause
    (its last character is ``, . ? ! …`` or a dash, or a comma follows it), so
    "Tokayev said that “terrorists” were seizing…" is not attributed to
    whoever speaks later in the sentence.
    """
    text, masked = ctx.text, ctx.masked
    # 1. after the quote: "…," X said / "…," said X / "…," according to X
    if close_mark is not None:
        post_lo = close_mark + 1
        post_hi = ctx.sentence_end(post_lo) if post_lo < len(text) else post_lo
        nxt = re.search(r"[\u201c\"\u2018]", masked[post_lo:post_hi])
        if nxt:
            post_hi = post_lo + nxt.start()
        inner = text[open_mark + 1 : close_mark].rstrip()
        ends_clause = bool(inner) and inner[-1] in ",?!.\u2026-\u2013\u2014"
        ends_clause = ends_clause or masked[post_lo:post_hi].lstrip().startswith(",")
        if ends_clause and post_hi > post_lo:
            cue = next(iter(_cues(ctx, post_lo, post_hi)), None)
            if cue and len(_WORDS_RE_COUNT.findall(masked[post_lo : cue.start()])) <= POST_CUE_WINDOW:
                seg_lo = post_lo
                lead = re.match(r"[\s,\u2014\u2013-]*", masked[post_lo:cue.start()])
                seg_lo += lead.end() if lead else 0
                if cue.group("fwd"):
                    att = _from_segment(ctx, cue.end(), post_hi, forward=True)
                else:
                    att = _from_segment(ctx, seg_lo, cue.start(), forward=False) if cue.start() > seg_lo else None
                    if att is None:
                        att = _from_segment(ctx, cue.end(), post_hi, forward=True)
                if att is not None:
                    return att
    # 2. before the quote, in the same sentence
    pre_lo = ctx.sentence_start(open_mark)
    cues = _cues(ctx, pre_lo, open_mark)
    if cues:
        cue = cues[-1]
        between = len(_WORDS_RE_COUNT.findall(masked[cue.end() : open_mark]))
        if cue.group("fwd"):
            att = _from_segment(ctx, cue.end(), open_mark, forward=True)
        else:
            subj_cue = cue
            if cue.group().lower().endswith("ing") and cues[0].start() < cue.start():
                # "X said …, adding: …" / "X issued a statement, calling …":
                # a participle's subject is the clause's first speaker
                subj_cue = next(c for c in cues if not c.group("fwd"))
            att = _from_segment(ctx, pre_lo, subj_cue.start(), forward=False)
            if att is None:
                att = _from_segment(ctx, cue.end(), open_mark, forward=True)
        if att is not None and between <= SHORT_CUE_WINDOW:
            return att
        if att is None and between <= SHORT_CUE_WINDOW:
            return Attribution(None, None, None, None, True)
    return Attribution(None, None, None, None, False)


_WORDS_RE_COUNT = re.compile(r"[^\W_]+")
