"""Speaker attribution: who said the words between the marks.

The rules follow how reporters write, looked for in the quote's own sentence
(quote contents are masked, so nothing inside a quotation is ever taken for a
verb or a speaker). Every word they use comes from the lexicon
(:mod:`kazreader.analysis.quotes.lexicon`):

* after the quote: ``"…," X said`` / ``"…," said X, the …`` / ``"…" X told Y`` /
  ``"…," according to X`` / ``"…," X said in a statement``;
* before the quote: ``X said: "…"`` / ``X said (that) the US "…"`` /
  ``X, in an interview, "…"`` / ``X's statement said: "…"`` / ``according to X, "…"``;
* the subject of a speech verb is the first PERSON (else ORG, else PLACE)
  named in its clause and not governed by a preposition; a title or rank
  ("Rep.", "Gen.", "Chairman") leads to the person it precedes and is never a
  speaker; "a spokeswoman for Y" or "a White House official" is a person
  nobody named, never the organisation Y;
* pronouns resolve to the nearest compatible person, the subjects of the
  preceding sentences first (gender from honorifics, role words and the given
  name); "it" to the nearest organisation;
* role nouns ("the spokeswoman") resolve to the nearest preceding entity the
  article describes with that noun; otherwise the quote keeps the role as
  ``speaker_text`` and has no canonical speaker: a wrong name is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kazreader.analysis.quotes.context import ArticleContext, Ment, words
from kazreader.analysis.quotes.lexicon import Gender, lexicon, name_gender

__all__ = ["Attribution", "ArticleContext", "attribute", "has_speech_cue"]

#: A quote needs its speech cue this close (in words) to count.
SHORT_CUE_WINDOW = 30
#: In the ``"…," X said`` pattern the verb comes within this many words.
POST_CUE_WINDOW = 12
#: A quotation that opens its sentence and ends mid-clause ('“…” into later trials, said X') needs more
#: than this many words, and at most :data:`MIDCLAUSE_TAIL_WORDS` words before the comma that ends the clause.
MIDCLAUSE_MIN_WORDS = 3
MIDCLAUSE_TAIL_WORDS = 6
#: A quoted phrase of at most this many words inside an attribution does not end it.
SCARE_QUOTE_WORDS = 3
#: How far past a segment's end a cue's lookahead may read (a quote mark, "that").
LOOKAHEAD = 60
#: Pronouns look back this many sentences for the person they stand for.
PRONOUN_SENTENCES = 6

#: Clause boundaries that a subject never crosses.
_HARD_BOUNDARY_RE = re.compile(
    r"[;:\n]|,\s+(?:while|but|and|whereas|as|although|though|after|before|when|"
    r"because|since|even\s+as)\b|\b(?:while|whereas|but)\b",
    re.IGNORECASE,
)
#: A subordinate clause opened without a comma right before the cue has its own subject:
#: "police crowded downtown Charlotte as protesters shouted “…”" (the protesters shout, not
#: Charlotte), "when elite journalists described him as a “wimp”". Only when a short subject
#: follows it straight to the cue: no comma or dash ("Smith, as chair of the panel, said"
#: keeps Smith), no "and"/"or" ("pointed to Germany as an example and said" keeps the
#: president); "as" is no subordinator in "so far as to call", "as a result", "as well as".
#: ("after", "before", "since", "until" and "once" are left out: mostly prepositions or
#: adverbs there, "even before leaving for Afghanistan Bergdahl told him".)
_SUBORDINATE_RE = re.compile(
    r"\b(?:(?<!\bso\sfar\s)(?<!\bsuch\s)(?<!\bas\swell\s)as(?!\s+(?:a|an|to|if|well|for)\b)|"
    r"when|because|although|though)\s+"
    r"(?=(?:(?!\b(?:and|or)\b)[^,\u2014\u2013])*$)",
    re.IGNORECASE,
)
#: The same for "after"/"before"/"until"/"once" when a noun phrase or a name follows: "Fox apologised
#: to Greta Thunberg after a guest on one of its shows called her “mentally ill”" (the guest said it,
#: not Thunberg). Not before a verb ("even before leaving for Afghanistan Bergdahl told him").
_TEMPORAL_CLAUSE_RE = re.compile(
    r"\b(?:after|before|until|once)\s+(?=(?:a|an|the|his|her|their|its|another|[A-Z])\b|[A-Z])"
    r"(?=(?:(?!\b(?:and|or)\b)[^,\u2014\u2013])*$)",
)
_PARTICIPLE_RE = re.compile(r"\s*\w+ing\b")
_AS_APPOSITION_RE = re.compile(r",\s+as$", re.IGNORECASE)
#: A clause boundary made by a coordinator, after which a verb may share the subject before it.
_COORDINATOR_RE = re.compile(r"\b(?:but|and)\b", re.IGNORECASE)
#: A sentence (or clause) that opens with a subordinate clause: its main clause follows a comma.
_FRONTED_RE = re.compile(
    r"\s*(?:if|when|whenever|while|although|though|because|since|after|before|once|unless|until|whereas|"
    r"following|despite|amid|during)\b",
    re.IGNORECASE,
)
#: A subject shared across "but"/"and" opens its clause: at most this many words before it ("At 3 a.m., X").
SHARED_SUBJECT_LEAD = 4
#: At most this many words between such a subordinator and the cue.
SUBORDINATE_SUBJECT_WORDS = 5
#: … and between "after"/"before"/"until"/"once" and the cue ("after a guest on one of the network's shows called").
TEMPORAL_SUBJECT_WORDS = 10
_TITLED_RE = re.compile(r"\b([A-Z][a-z]{1,5})\.?\s+((?:[A-Z][\w'\u2019-]+\s+){0,2}[A-Z][\w'\u2019-]+)")
_RELATIVE_RE = re.compile(r",\s*(?:who|which|whose|whom)\b[^,;:]*,", re.IGNORECASE)
_FORWARD_CUT_RE = re.compile(r"[;:.!?\n\"\u201c\u201d(]|,")
_WORD_COUNT_RE = re.compile(r"[^\W_]+")
_CLOSERS = "\u2019'\u201d\" "
_POSSESSIVES = ("'s", "\u2019s")
_APOSTROPHE_RE = re.compile(r"['\u2019]")
_LEAD_RE = re.compile(r"[\s,\u2014\u2013-]*")
_THAT_RE = re.compile(r"\s+that\b")
_OPENING_MARK_RE = re.compile(r"[\u201c\"\u2018]")
_WORD_CHAR_RE = re.compile(r"\w")
#: What may follow a speaker named after an inverted verb: punctuation, a preposition, the end.
#: (not a quotation mark: "Prosecutors said Edwards “knowingly …”" reports what Edwards did)
_PHRASE_END_RE = re.compile(r"\s*(?:[,(.;:!?\u2014\u2013]|(?:of|from|at|with|for|in)\b|$)", re.IGNORECASE)
#: The title words between an organisation and the person it titles ("Press Secretary", "public
#: information officer"): words and spaces, no punctuation.
_TITLE_GAP_RE = re.compile(r"(?:\s+[^\W\d][\w.'\u2019-]*){1,5}\s+")
_TITLE_GAP_CHARS = 40
_RELATIVE_WORD_RE = re.compile(r"\b(?:who|which|whose|whom)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Attribution:
    """The speaker found for one quote."""

    speaker: str | None
    text: str | None
    start: int | None
    end: int | None
    cue: bool  # whether a speech cue (verb, "according to", a frame) was found


_NONE = Attribution(None, None, None, None, False)


def has_speech_cue(text: str) -> bool:
    """Whether *text* contains a speech cue (said, told, according to, …)."""
    return lexicon().cue_re.search(text) is not None


def _cues(ctx: ArticleContext, lo: int, hi: int) -> list[re.Match[str]]:
    """Speech cues in ``[lo, hi)``, leaving out capitalised words inside a
    sentence and words that are part of a name ("Tom Brand", "Said Ali")."""
    return list(_iter_cues(ctx, lo, hi))


def _iter_cues(ctx: ArticleContext, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """:func:`_cues` one at a time: the text is read only as far as the cues taken (the first
    cue after a quotation needs no scan of the rest of its sentence)."""
    for m in lexicon().cue_re.finditer(ctx.masked, lo, hi + LOOKAHEAD):  # lookaheads see past hi
        if m.end() > hi:
            break
        if ctx.text[m.start()].isupper() and ctx.sentence_start(m.start()) != m.start():
            continue
        if ctx.overlaps_mention(m.start(), m.end()):
            continue
        yield m


def _n_words(s: str) -> int:
    """Words of masked text *s*, a quotation's masked words left out."""
    return sum(1 for w in _WORD_COUNT_RE.findall(s) if w.strip("x"))


# --- subjects and noun phrases ------------------------------------------------------


def _is_oblique(ctx: ArticleContext, m: Ment, floor: int) -> bool:
    """A mention governed by a preposition, or a possessor ("Obama's aide"), is not a subject.

    A possessor of a speech noun ("Merkel's statement said") is the speaker.
    """
    lex = lexicon()
    lo = max(floor, m.start - 24)
    prev = [w for w, _, _ in ctx.words(lo, m.start)]
    if prev and prev[-1] in ("the", "a", "an"):
        prev.pop()  # "on The Kelly File"
    if prev and prev[-1] in lex.oblique:
        return True
    if ctx.masked[m.end : m.end + 2] in _POSSESSIVES:
        nxt = [w for w, _, _ in ctx.words(m.end + 2, m.end + 30)][:2]
        # "Merkel's statement said", "China's foreign ministry said": the possessor speaks
        return not any(w in lex.speech_nouns or w in lex.org_roles for w in nxt)
    return False


def _personish(ctx: ArticleContext, m: Ment) -> bool:
    """A PERSON, an unclassified name that starts with a given name or follows a title, or a
    one-word "place" that speaks."""
    if m.entity.type == "PERSON":
        return True
    if m.entity.type == "PLACE":
        # a "place" the article has speak in its own words ("Chambliss added") is a person it mistyped
        return len(words(str(m.entity.name), 0)) == 1 and ctx.speaks(m.entity)
    if m.entity.type != "OTHER":
        return False
    first = words(str(m.entity.name), 0)
    if len(first) >= 2 and name_gender(first[0][0]) is not None:
        return True
    if 2 <= len(first) <= 3 and ctx.speaks(m.entity) and not _has_role_word(first):
        return True  # an unclassified two- or three-word name the article has speak ("Narongsuk Keasub said")
    prev = ctx.words(max(0, m.start - 12), m.start)
    return bool(prev) and prev[-1][0] in lexicon().titles


def _role_after(ctx: ArticleContext, m: Ment, hi: int) -> bool:
    """Whether a person-role noun follows an organisation in the subject ("White House official")."""
    lex = lexicon()
    return any(w in lex.person_roles for w, _, _ in ctx.words(m.end, hi)[:4])


#: Words that cannot end a phrase naming who speaks (object pronouns, adverbs, prepositions, articles),
#: beside the lexicon's ``np_stop`` words.
_NO_SPEAKER_HEADS = frozenset(
    "her him them us me you always never instead too to of for with by from much the a an this these those".split()
)

#: A double quotation mark, which a role phrase never spans.
_QUOTE_MARK_RE = re.compile("[\"\u201c\u201d\u00ab\u00bb]")


def _party_after(ctx: ArticleContext, m: Ment) -> bool:
    """Whether a capitalised party noun follows a place or organisation right away: "the Kentucky
    Republican said" names a person by state and party, not the state."""
    nxt = ctx.words(m.end, m.end + 30)[:1]
    return (
        bool(nxt) and nxt[0][0] in lexicon().party_nouns and ctx.text[nxt[0][1]].isupper()
        and not ctx.masked[m.end : nxt[0][1]].strip()
    )


#: Role words that, capitalised after a name, are as likely its surname ("Peter T. King", "Cristina King").
_SURNAME_ROLES = frozenset({"king", "queen"})


def _names_a_role(ctx: ArticleContext, m: Ment) -> bool:
    """A name right before a person-role noun qualifies the role, it does not speak: "a longtime
    Obama adviser said", "Trump lawyer Rudy Giuliani said" (Giuliani speaks)."""
    nxt = ctx.words(m.end, m.end + 60)[:2]
    if not nxt or ctx.masked[m.end : nxt[0][1]].strip() or nxt[0][0] not in lexicon().person_roles:
        return False
    # A capitalised role word is a title only before the name it introduces ("Ferguson Mayor James
    # Knowles"); otherwise it may be a surname ("Rep. Peter T. King, New York Republican").
    if ctx.text[nxt[0][1]].islower():
        return True
    return (
        nxt[0][0] not in _SURNAME_ROLES
        and len(nxt) > 1
        and ctx.text[nxt[1][1]].isupper()
        and not ctx.masked[nxt[0][2] : nxt[1][1]].strip()
    )


def _pick_subject(ctx: ArticleContext, ments: list[Ment], floor: int, hi: int) -> Ment | None:
    """The first non-oblique PERSON, else ORG, else PLACE, among *ments*."""
    subjects = [m for m in ments if not _is_oblique(ctx, m, floor)]
    person = next((m for m in subjects if _personish(ctx, m) and not _names_a_role(ctx, m)), None)
    if person is not None:
        return person
    for types in (("ORG",), ("PLACE", "OTHER")):
        for m in subjects:
            if m.entity.type in types:
                if _role_after(ctx, m, hi) or _party_after(ctx, m):
                    return None  # "a White House official said": a person nobody named
                return m
    return None


def _noun_phrase(ctx: ArticleContext, m: Ment, floor: int) -> tuple[int, int]:
    """Grow a mention leftwards over its title/role words ("police spokesman X")."""
    lex = lexicon()
    seg = ctx.masked[floor : m.start]
    cut = max(seg.rfind(","), seg.rfind("("), seg.rfind(")"))
    lo = floor + cut + 1 if cut >= 0 else floor
    start = m.start
    for w, s, _e in reversed(ctx.words(lo, m.start)[-6:]):
        if w in lex.np_stop or (not ctx.text[s].isupper() and w in lex.aux) or w == "x" * len(w):
            break
        start = s
    return start, m.end


def _named(ctx: ArticleContext, m: Ment, floor: int) -> Attribution:
    s, e = _noun_phrase(ctx, m, floor)
    return Attribution(str(m.entity.name), ctx.text[s:e], s, e, True)


# --- pronouns and roles ----------------------------------------------------------


def _fits(ctx: ArticleContext, m: Ment, kind: Gender) -> bool:
    if kind is Gender.ORG:
        return bool(m.entity.type == "ORG")
    if not _personish(ctx, m):
        return False
    g = ctx.gender(m.entity)
    return g is None or g is kind


def _resolve_pronoun(ctx: ArticleContext, kind: Gender, pos: int) -> Ment | None:
    """The person (or organisation) a pronoun at *pos* stands for.

    Sentence by sentence backwards, the subject of each sentence that fits
    wins; failing that, the nearest fitting mention that is not oblique.
    """
    sent = ctx.sentence_start(pos)
    hi = pos
    nearest: Ment | None = None
    for _ in range(PRONOUN_SENTENCES):
        ments = ctx.mentions_before(hi, sent)
        ordered = sorted(ments, key=lambda m: m.start)
        subj = next(
            (m for m in ordered if (m.entity.type != "PLACE" or _personish(ctx, m)) and not _is_oblique(ctx, m, sent)),
            None,
        )
        if subj is not None:
            subj = _titled_by(ctx, subj, ordered)
        same = _same_pronoun_first(ctx, kind, sent, subj.start if subj is not None else hi)
        if _unnamed_subject(ctx, kind, sent, subj.start if subj is not None else hi):
            return None  # "the woman who says she is Scott's daughter …": someone the article never names
        if subj is not None and _fits(ctx, subj, kind) and not same:
            return subj
        if nearest is None:
            nearest = next((m for m in ments if _fits(ctx, m, kind) and not _is_oblique(ctx, m, sent)), None)
        if sent == 0:
            break
        hi, sent = sent, ctx.sentence_start(sent - 1)
    return nearest


def _titled_by(ctx: ArticleContext, m: Ment, ordered: list[Ment]) -> Ment:
    """The person an organisation or place names the title of, when *m* is one and a person follows
    it through a title ("White House Press Secretary Sean Spicer", "Supreme Court public information
    officer X"); else *m*."""
    if _personish(ctx, m):
        return m
    nxt = next((x for x in ordered if x.start >= m.end), None)
    if nxt is None or not _personish(ctx, nxt) or nxt.start - m.end > _TITLE_GAP_CHARS:
        return m
    gap = ctx.masked[m.end : nxt.start]
    ws = words(gap, 0)
    lex = lexicon()
    if not ws or not _TITLE_GAP_RE.fullmatch(gap) or (ws[-1][0] not in lex.titles and ws[-1][0] not in lex.person_roles):
        return m
    return nxt


def _same_pronoun_first(ctx: ArticleContext, kind: Gender, lo: int, hi: int) -> bool:
    """Whether a pronoun of *kind* comes before the sentence's first name (``[lo, hi)``): then
    that sentence's subject is the one we look for, not the name."""
    for w, _s, _e in ctx.words(lo, hi):
        if lexicon().pronouns.get(w) is kind:
            return True
    return False


#: Words before a person noun that make it a description of someone ("the woman", "his son").
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "our", "my", "your", "its"})
#: How long a name in apposition after a person noun can be.
_APPOSED_NAME_CHARS = 80


def _unnamed_subject(ctx: ArticleContext, kind: Gender, lo: int, hi: int) -> bool:
    """Whether ``[lo, hi)`` (a sentence up to its first name) describes a person of *kind*
    the article does not name: "the woman", "his daughter", "Scott's son" (a gendered noun
    of the lexicon's cues, not a title, after a determiner or a possessor, with no name in
    apposition). A pronoun further on stands for that person, not an earlier name."""
    lex = lexicon()
    if kind is Gender.MALE:
        nouns = lex.male
    elif kind is Gender.FEMALE:
        nouns = lex.female
    else:
        return False
    ws = ctx.words(lo, hi)
    for i, (w, _s, e) in enumerate(ws):
        if w not in nouns or w in lex.titles or w in lex.pronouns or i == 0:
            continue
        prev = ws[i - 1][0]
        if prev not in _DETERMINERS and not prev.endswith(_POSSESSIVES):  # (a word keeps its "'s")
            continue
        if any(m.start <= e + 3 for m in ctx.mentions_in(e, e + _APPOSED_NAME_CHARS)):
            continue  # "his daughter, Lyric Scott," / "her mother Jane": the name is right there
        return True
    return False


def _resolve_role(ctx: ArticleContext, head: str, pos: int, modifier: str = "") -> Ment | None:
    """The nearest preceding mention of an entity the article described before with role noun *head*
    ("spokeswoman") and its *modifier* when one is given ("vice" president)."""
    lex = lexicon()
    if head.endswith("s") and head[:-1] in lex.person_roles:
        return None  # "the senators wrote": a group, not the one person the article described so
    if head in lex.person_roles:
        want = "PERSON"
    elif head in lex.org_roles:
        want = "ORG"
    else:
        return None
    # ("the congressman" is no woman, though "Rep. Gabby Giffords" stands for congressman or congresswoman)
    unfit = Gender.FEMALE if head in lex.male else Gender.MALE if head in lex.female else None
    wanted = {head, modifier} - {""}
    before = ctx.mentions_before(pos)
    # an entity the article described so anywhere before: its nearest mention ("President Trump …
    # When a reporter asked Mr. Trump …, the president replied")
    # (read for the entities of the mentions that fit only, each once)
    described: dict[int, bool] = {}
    for m in before:
        kind_fits = m.entity.type == want or (want == "PERSON" and _personish(ctx, m))
        if not kind_fits:
            continue
        key = id(m.entity)
        if key not in described:
            described[key] = any(x.entity is m.entity and wanted <= ctx.role_context(x) for x in before)
        if described[key]:
            if unfit is not None and ctx.gender(m.entity) is unfit:
                continue
            return m
    return None


def _resolve_described(ctx: ArticleContext, described: set[str], pos: int) -> Ment | None:
    """The nearest preceding person the article described with every word of *described* ("Rand
    Paul, a Kentucky Republican," for "the Kentucky Republican"); None rather than a guess."""
    for m in ctx.mentions_before(pos):
        if _personish(ctx, m) and described <= ctx.role_context(m):
            return m
    return None


def _pronoun(ctx: ArticleContext, ws: list[tuple[str, int, int]]) -> Attribution | None:
    for w, s, e in ws:
        kind = lexicon().pronouns.get(_APOSTROPHE_RE.split(w)[0])  # "he's called it"
        if kind is None:
            continue
        m = _resolve_pronoun(ctx, kind, s) if kind in (Gender.MALE, Gender.FEMALE, Gender.ORG) else None
        return Attribution(str(m.entity.name) if m else None, ctx.text[s:e], s, e, True)
    return None


def _titled_name(ctx: ArticleContext, lo: int, hi: int) -> Attribution | None:
    """"Mr. Quintanillo" with no entity: the surname, or the article's entity of that surname."""
    lex = lexicon()
    for m in _TITLED_RE.finditer(ctx.masked[lo:hi]):
        if m.group(1).lower() not in lex.titles:
            continue
        surname = m.group(2).split()[-1]
        known = [x for x in ctx.mentions if str(x.entity.name).split()[-1:] == [surname] and x.entity.type == "PERSON"]
        name = str(known[0].entity.name) if known else m.group(2)
        s, e = lo + m.start(), lo + m.end()
        return Attribution(name, ctx.text[s:e], s, e, True)
    return None


def _clause_role(ctx: ArticleContext, ws: list[tuple[str, int, int]]) -> Attribution | None:
    """"The vice president pointed to Germany … and said": the clause opens with a role."""
    lex = lexicon()
    if not ws or ws[0][0] not in ("the", "a", "an"):
        return None
    for i, (w, _s, _e) in enumerate(ws[1:4], start=1):
        if w in lex.person_roles or w in lex.org_roles:
            if w in lex.org_roles and i + 1 < len(ws) and ws[i + 1][0] in lex.person_roles:
                # an organisation's noun before a person's is the person's: "a senior administration
                # official" is someone nobody named, neither the administration nor an official named before
                return Attribution(None, ctx.text[ws[0][1]:ws[i + 1][2]], ws[0][1], ws[i + 1][2], True)
            return _role_phrase(ctx, ws[: i + 1], True)
    return None


def _role_phrase(ctx: ArticleContext, ws: list[tuple[str, int, int]], forward: bool) -> Attribution | None:
    """A role noun phrase with no name: "the spokeswoman", "a police spokeswoman", "officials"."""
    content = [w for w in ws if w[0] not in lexicon().aux and w[0] != "x" * len(w[0])]
    if not content:
        return None
    content = content[:6] if forward else content[-6:]
    if not forward:
        for i, (w, s, _e) in enumerate(content):
            if w in ("the", "a", "an") or ctx.text[s].isupper():
                content = content[i:]
                break
    lex = lexicon()
    head = content[-1][0]
    if head in lex.np_stop or head in _NO_SPEAKER_HEADS:
        # ("…,” and those who instead", "turn around and": a cue, but no noun naming anyone)
        return Attribution(None, None, None, None, True)
    # (never across a quotation mark: the words before it are another quotation's)
    content = [w for w in content if not _QUOTE_MARK_RE.search(ctx.text, w[2], content[-1][1])] or content[-1:]
    if head in lex.party_nouns:  # "the Nevada Democrat": from its own article on
        content = content[max((i for i, w in enumerate(content) if w[0] in ("the", "a", "an")), default=0):]
    modifier = content[-2][0] if len(content) >= 2 and content[-2][0] not in ("the", "a", "an") else ""
    s, e = content[0][1], content[-1][2]
    if any(w.endswith(_POSSESSIVES) for w, _, _ in content[:-1]):
        # "the group's executive director": the role of someone at an organisation named there, not
        # the director the article named last
        return Attribution(None, ctx.text[s:e], s, e, True)
    if head in lex.party_nouns:
        m = _resolve_described(ctx, {w for w, _, _ in content if w not in ("the", "a", "an")}, s)
    else:
        # (a title or a party before the role must describe the person too: "the Republican
        # president" is not the president the article named last)
        party = modifier in lex.party_nouns or modifier.removesuffix("ic") in lex.party_nouns
        m = _resolve_role(ctx, head, s, modifier if modifier in lex.titles or party else "")
    return Attribution(str(m.entity.name) if m else None, ctx.text[s:e], s, e, True)


# --- segments -----------------------------------------------------------------------


def _cut(ctx: ArticleContext, lo: int, hi: int) -> int:
    """Where a name phrase after a cue ends: the first comma or stop that is not a title's period."""
    titles = lexicon().titles
    for m in _FORWARD_CUT_RE.finditer(ctx.masked, lo, hi):
        if m.group() == ".":
            prev = ctx.words(max(lo, m.start() - 8), m.start())
            if prev and (prev[-1][0] in titles or len(prev[-1][0]) == 1):
                continue
        return m.start()
    return hi


def _forward(ctx: ArticleContext, lo: int, hi: int) -> Attribution | None:
    """The speaker named right after a cue (``said X``, ``according to X``)."""
    end = _cut(ctx, lo, hi)
    rel = _RELATIVE_WORD_RE.search(ctx.masked, lo, end)
    if rel and ctx.words(lo, rel.start()):
        end = rel.start()  # ("cautioned another Democrat who selected Clinton": not Clinton)
    ws = ctx.words(lo, end)
    if not ws:
        return None
    att = _pronoun(ctx, ws[:2])
    if att is not None:
        return att
    ments = ctx.mentions_in(lo, end)
    lex = lexicon()
    ments = [m for m in ments if not (_personish(ctx, m) and _names_a_role(ctx, m))]  # "said a Trump aide"
    people = [m for m in ments if _personish(ctx, m)]
    if people and ments[0] is not people[0] and not _is_oblique(ctx, people[0], lo):
        return _named(ctx, people[0], lo)  # "said DNC Chairman Tom Perez"
    if ments and not _personish(ctx, ments[0]):
        if _party_after(ctx, ments[0]):  # "said the Nevada Democrat"
            return _role_phrase(ctx, ws, True)
        outside = [w for w, s, _e in ws if not ments[0].start <= s < ments[0].end]
        if any(w in lex.person_roles for w in outside):  # "a spokeswoman for the ministry"
            return _apposed_person(ctx, end, hi) or _role_phrase(ctx, ws, True)
    if ments:
        return _named(ctx, ments[0], lo)
    return _titled_name(ctx, lo, end) or _role_phrase(ctx, ws, True)


def _apposed_person(ctx: ArticleContext, comma: int, hi: int) -> Attribution | None:
    """", Dan McLaughlin," right after a role phrase."""
    if ctx.masked[comma : comma + 1] != ",":
        return None
    end = _cut(ctx, comma + 1, hi)
    people = [m for m in ctx.mentions_in(comma + 1, end) if _personish(ctx, m)]
    return _named(ctx, people[0], comma + 1) if people else None


def _subject(ctx: ArticleContext, lo: int, hi: int, tail: bool = True) -> Attribution | None:
    """The speaker named in the subject clause ``[lo, hi)`` before a cue.

    A relative clause is not the subject ("The chancellor, who grew up in East Germany,
    told"); a name apposed after it is ("One docker, who gave only his first name, Ben, said").
    """
    relatives = [r.span() for r in _RELATIVE_RE.finditer(ctx.masked, lo, hi)]
    bounds = [
        b for b in _HARD_BOUNDARY_RE.finditer(ctx.masked, lo, hi)
        # "Ina Berg, as chair of the panel, said": an apposition between commas, not a clause
        if not (_AS_APPOSITION_RE.match(b.group()) and ctx.masked[b.end() : hi].rstrip().endswith(","))
        # "Paul Ryan, who called DACA well-intentioned but an abuse of power, said": inside the relative clause
        and not any(r0 < b.start() and b.end() < r1 for r0, r1 in relatives)
    ]
    if bounds:
        last = bounds[-1]
        if _COORDINATOR_RE.search(last.group()) and not _content_words(ctx, last.end(), hi) and last.start() > lo:
            # "He had not seen the video but said …": the verb shares the clause before's subject, when
            # that clause opens with it (not 'a statement that called Humayun Khan “a hero” but added')
            shared = _subject(ctx, lo, last.start(), tail=False)
            if shared is not None and shared.start is not None:
                opens = [b.end() for b in bounds if b.end() <= shared.start]
                lead = ctx.masked[max([lo, *opens]) : shared.start]
                governed = any(w in lexicon().oblique for w, _, _ in words(lead, 0)[-1:])  # ("with … MPs")
                if not governed and (_n_words(lead) <= SHARED_SUBJECT_LEAD or lead.rstrip().endswith(",")):
                    return shared  # (or after a fronted phrase: "When that didn't work, Encinia …")
        lo = last.end()
    fronted = _fronted_main_clause(ctx, lo, hi)
    if fronted is not None:
        return fronted
    sub = _SUBORDINATE_RE.search(ctx.masked, lo, hi)
    if sub and 0 < len(ctx.words(sub.end(), hi)) <= SUBORDINATE_SUBJECT_WORDS:
        lo = sub.end()
    elif not _PARTICIPLE_RE.match(ctx.masked, hi):
        # (a participle's subject is the main clause's: "Taylor Foy released a statement after the
        # Post published its interview saying it was “disturbing”")
        sub = _TEMPORAL_CLAUSE_RE.search(ctx.masked, lo, hi)
        if sub and 0 < len(ctx.words(sub.end(), hi)) <= TEMPORAL_SUBJECT_WORDS:
            lo = sub.end()
    rel = _RELATIVE_RE.search(ctx.masked, lo, hi)
    if rel and rel.start() > lo:
        att = _clause_subject(ctx, lo, rel.start(), tail)
        if att is not None and (att.speaker is not None or _has_role(att)):
            return att
        return _clause_subject(ctx, rel.end(), hi, tail) or att
    return _clause_subject(ctx, lo, hi, tail)


def _content_words(ctx: ArticleContext, lo: int, hi: int) -> list[tuple[str, int, int]]:
    """The words of ``[lo, hi)`` that are not auxiliaries or adverbs of the lexicon's ``aux``."""
    aux = lexicon().aux
    return [w for w in ctx.words(lo, hi) if w[0] not in aux]


def _fronted_main_clause(ctx: ArticleContext, lo: int, hi: int) -> Attribution | None:
    """The subject of the main clause after a fronted subordinate clause: "If Cohen's testimony is
    accurate, Weinstein said", "After Trump's speech, Pelosi said" (not Cohen, not Trump). The clause
    after each comma in turn, the first that names a speaker or a role; None when none does."""
    if not _FRONTED_RE.match(ctx.masked, lo):
        return None
    for comma in re.finditer(",", ctx.masked[lo:hi]):
        att = _clause_subject(ctx, lo + comma.end(), hi)
        if att is not None and (att.speaker is not None or _has_role(att)):
            return att
    return None


def _described_party_member(att: Attribution) -> bool:
    """"the Nevada Democrat": a speaker described by place and party (see :func:`_party_after`)."""
    ws = words(att.text or "", 0)
    return len(ws) >= 3 and ws[0][0] in ("the", "a") and ws[-1][0] in lexicon().party_nouns


def _has_role(att: Attribution) -> bool:
    return _has_role_word(words(att.text or "", 0))


def _has_role_word(ws: list[tuple[str, int, int]]) -> bool:
    lex = lexicon()
    return any(w in lex.person_roles or w in lex.org_roles for w, _, _ in ws)


def _clause_subject(ctx: ArticleContext, lo: int, hi: int, tail: bool = True) -> Attribution | None:
    """The speaker of a clause that ends at a cue (*tail*: a pronoun right before the cue is the
    subject, '“…,” he said') or of the clause before a coordinated verb (not *tail*: "He said he did
    not recall writing it, but says …", where "it" is an object)."""
    ws = ctx.words(lo, hi)
    if not ws:
        return None
    lex = lexicon()
    att = _pronoun(ctx, [w for w in ws if w[0] not in lex.aux and w[0] not in _POSSESSIVES][-1:]) if tail else None
    if att is not None:
        return att
    ments = ctx.mentions_in(lo, hi)
    lead = next((w for w in ws[:3] if _APOSTROPHE_RE.split(w[0])[0] in lex.pronouns), None)
    if lead is not None and not (ments and ments[0].start < lead[2] + 2):
        return _pronoun(ctx, [lead])  # "He blasted the government … and suggested", "Most notoriously, he used"
    m = _pick_subject(ctx, ments, lo, hi)
    if m is not None:
        role = _role_before_verb(ctx, ws, m.start)
        return role if role is not None else _named(ctx, m, lo)
    return _titled_name(ctx, lo, hi) or _clause_role(ctx, ws) or _role_phrase(ctx, ws, False)


def _role_before_verb(ctx: ArticleContext, ws: list[tuple[str, int, int]], name_start: int) -> Attribution | None:
    """A clause that opens with a role and its verb before any name: "The celebrity teen climate
    activist addressed the United Nations and excoriated …: “…”" (the activist speaks, not the
    United Nations). The role's next word must be a plain lowercase one (its verb): not a name
    ("The White House press secretary Sarah Sanders said"), a preposition ("A spokesman for
    Google said") or a comma's apposition ("The spokesman, Ivan Petrov, said")."""
    lex = lexicon()
    if len(ws) < 3 or ws[0][0] not in ("the", "a", "an") or ws[0][2] > name_start:
        return None
    for i, (w, _s, e) in enumerate(ws[1:6], start=1):
        if ctx.text[ws[i][1]].isupper() or ws[i][1] >= name_start:
            return None  # (a name, or its words, before any role)
        if w in lex.person_roles:
            if i + 1 >= len(ws):
                return None
            nxt, ns, _ne = ws[i + 1]
            # (its verb: a past tense, or a speech verb, "the activist says"; then the name, no comma
            # between: "The authority's chief engineer, Tomas Brandvik, said" is the engineer's name)
            verb = nxt.endswith("ed") or lex.cue_re.fullmatch(nxt) is not None
            if not verb or ns >= name_start or ctx.text[ns].isupper() or "," in ctx.masked[e:name_start]:
                return None
            return _role_phrase(ctx, ws[: i + 1], True)
    return None


# --- the two patterns ---------------------------------------------------------------


def _ends_clause(ctx: ArticleContext, open_mark: int, close_mark: int, post_lo: int, post_hi: int) -> bool:
    inner = ctx.text[open_mark + 1 : close_mark].rstrip(_CLOSERS)
    if inner and inner[-1] in ",?!.\u2026-\u2013\u2014":
        return True
    return ctx.masked[post_lo:post_hi].lstrip().startswith(",")


def _after_quote(ctx: ArticleContext, open_mark: int, close_mark: int) -> Attribution | None:
    """``"…," X said`` / ``"…," said X`` / ``"…," according to X``."""
    post_lo = close_mark + 1
    if post_lo >= len(ctx.text):
        return None
    post_hi = ctx.sentence_end(post_lo)
    gap = ctx.masked[post_lo:post_hi]
    asks = ctx.text[open_mark + 1 : close_mark].rstrip(_CLOSERS)[-1:] in ("?", "!")
    if asks and gap and not gap.strip() and "\n" not in gap:
        post_hi = ctx.sentence_end(post_hi)  # "“Where are the jobs?” Ross asked.": the question ended a sentence
    post_hi = _next_quotation(ctx, post_lo, post_hi, _n_quoted(ctx, open_mark, close_mark) > SCARE_QUOTE_WORDS)
    if post_hi <= post_lo:
        return None
    cue = next(_iter_cues(ctx, post_lo, post_hi), None)
    if cue is None or _n_words(ctx.masked[post_lo : cue.start()]) > POST_CUE_WINDOW:
        return None
    lead = _LEAD_RE.match(ctx.masked[post_lo : cue.start()])
    seg_lo = post_lo + (lead.end() if lead else 0)
    if not _ends_clause(ctx, open_mark, close_mark, post_lo, post_hi):
        # '“…” into later-stage trials, said X' / '“…” from the EU, he said': a quotation that opens
        # its sentence is the object of the clause closing it, after a comma
        # (not a short title or slogan: '“Make America Great Again” hats were everywhere, he said')
        if _WORD_CHAR_RE.search(ctx.masked, ctx.sentence_start(open_mark), open_mark):
            return None
        if _n_quoted(ctx, open_mark, close_mark) <= MIDCLAUSE_MIN_WORDS:
            return None
        comma = ctx.masked.rfind(",", post_lo, cue.start())
        if comma < 0 or _n_words(ctx.masked[post_lo:comma]) > MIDCLAUSE_TAIL_WORDS:
            return None
        if _n_words(ctx.masked[comma : cue.start()]) > SUBORDINATE_SUBJECT_WORDS:
            return None
        seg_lo = comma + 1
    if cue.group("fwd"):
        return _forward(ctx, cue.end(), post_hi)
    att = _subject(ctx, seg_lo, cue.start()) if cue.start() > seg_lo else None
    if not cue.group("frame") and _weak(att, after=True):
        att = _inverted(ctx, cue, post_hi, att)
    return att


def _n_quoted(ctx: ArticleContext, open_mark: int, close_mark: int) -> int:
    return len(_WORD_COUNT_RE.findall(ctx.text, open_mark + 1, close_mark))


def _next_quotation(ctx: ArticleContext, lo: int, hi: int, pass_short: bool) -> int:
    """Where the next quotation opens in ``[lo, hi)`` (*hi* if none). With *pass_short*, a scare-quoted
    phrase of at most :data:`SCARE_QUOTE_WORDS` words is passed over: '“…,” Jared Taylor, an editor
    of the self-described “race realism” website, wrote' is still one attribution (not so for a short
    quotation itself: 'terms like “foreign official,” “foreign government,” according to X')."""
    passed = lo
    for mark in _OPENING_MARK_RE.finditer(ctx.masked, lo, hi):
        if mark.start() < passed:
            continue  # (the closing mark of a phrase passed over, when it is a straight one)
        span = ctx.quote_at(mark.end())
        if not pass_short or span is None or span[1] >= hi or _n_quoted(ctx, mark.start(), span[1]) > SCARE_QUOTE_WORDS:
            return mark.start()
        passed = span[1] + 1
    return hi


def _weak(att: Attribution | None, after: bool = False) -> bool:
    """Whether a subject found before a verb names nobody: no name, no role, no pronoun, no party
    member, no document ("the report says"). After a quotation (*after*), a cue with no noun before
    it names nobody on purpose ('“…,” and said defeating the Islamic State …': the object follows)."""
    if att is None:
        return True
    if att.speaker is not None or _has_role(att) or _described_party_member(att):
        return False
    if att.text is None:
        return not after
    ws = words(att.text, 0)
    lex = lexicon()
    return not ws or not (_APOSTROPHE_RE.split(ws[0][0])[0] in lex.pronouns or ws[-1][0] in lex.speech_nouns)


def _is_pronoun(att: Attribution) -> bool:
    return bool(att.text) and _APOSTROPHE_RE.split((att.text or "").lower())[0] in lexicon().pronouns


def _inverted(
    ctx: ArticleContext, cue: re.Match[str], hi: int, att: Attribution | None, before: bool = False
) -> Attribution | None:
    """``said X`` / ``says X, a …``: the speaker named after the verb. With no subject before it (*att*
    None), whatever :func:`_forward` finds; after a subject that names nobody ("But even then, says
    X of Y, “…”"), only a name that follows a verb of the lexicon's ``inverting_verbs`` at once and
    ends its phrase (a comma, a bracket, a preposition: not "tell RAND's experts", "says the agency has").
    With the quotation *before* the segment's end *hi*, never a name the quote's relative clause follows."""
    fwd = _forward(ctx, cue.end(), hi)
    if before and fwd is not None and fwd.end is not None and _RELATIVE_WORD_RE.search(ctx.masked, fwd.end, hi):
        # ('“…,” said Mr. Lewis, who led the “Bloody Sunday” march': the quote is not his; but '“Really,”
        # said Ann Henry, who has known her for years, “she is …”' goes on once the clause is closed)
        if not ctx.masked[fwd.end : hi].rstrip().endswith(","):
            return att
    if att is None:
        return fwd
    if fwd is None or fwd.speaker is None or fwd.start is None or fwd.end is None or _is_pronoun(fwd):
        return att
    if cue.group().lower() not in lexicon().inverting_verbs or ctx.masked[cue.end() : fwd.start].strip():
        return att
    if words(fwd.text or "", 0)[0][0] in lexicon().oblique:
        return att  # ("One ad said of Rubio: …")
    return fwd if _PHRASE_END_RE.match(ctx.masked, fwd.end) else att


def _before_quote(ctx: ArticleContext, open_mark: int) -> Attribution | None:
    """``X said: "…"`` / ``X said the US "…"`` / ``according to X, "…"`` in the quote's sentence,
    or in the sentence before when it ends on a colon and the quote opens a paragraph of its own
    (``In a series of tweets, he wrote:`` then the tweet)."""
    pre_lo = _colon_lead_in(ctx, ctx.sentence_start(open_mark), open_mark)
    cues = _cues(ctx, pre_lo, open_mark)
    if not cues:
        return _colon_clause(ctx, pre_lo, open_mark)
    cue = cues[-1]
    if _n_words(ctx.masked[cue.end() : open_mark]) > SHORT_CUE_WINDOW:
        return None
    if cue.group("fwd"):
        return _forward(ctx, cue.end(), open_mark) or Attribution(None, None, None, None, True)
    att = None
    if cue.group().lower().endswith("ing"):
        # "X said …, adding: …": a participle's subject is the clause's first speaker
        first = next((c for c in cues if not c.group("fwd") and c.start() > pre_lo), cue)
        if first is not cue:
            att = _subject(ctx, _after_last_quote(ctx, pre_lo, first.start()), first.start())
    if att is None or att.speaker is None:
        att = _clause_chain(ctx, pre_lo, cues, cue) or att
    if not cue.group("frame") and _weak(att):
        att = _inverted(ctx, cue, open_mark, att, before=True)
    return att or Attribution(None, None, None, None, True)


def _colon_lead_in(ctx: ArticleContext, lo: int, open_mark: int) -> int:
    """Where the words that introduce a quotation start: *lo*, or, when nothing precedes the quote
    in its sentence and the text before it ends on a colon across a line break, that sentence's start."""
    if lo == 0 or ctx.masked[lo:open_mark].strip():
        return lo
    before = ctx.masked[:lo].rstrip()
    if not before.endswith(":") or "\n" not in ctx.masked[len(before) : open_mark]:
        return lo
    return ctx.sentence_start(len(before) - 1)


def _colon_clause(ctx: ArticleContext, lo: int, open_mark: int) -> Attribution | None:
    """``He then doubled down in an exchange with Sen. Paul: "…"``: the clause's subject speaks;
    ``Rogers: Swapping prisoners "doesn't smell right"``: a headline's name and colon."""
    head = ctx.mentions_in(lo, open_mark)[:1]
    opens = head and not ctx.masked[lo : head[0].start].strip()
    if opens and ctx.masked[head[0].end : head[0].end + 1] == ":":
        if _personish(ctx, head[0]) or head[0].entity.type == "ORG":
            return _named(ctx, head[0], lo)
    if not ctx.masked[lo:open_mark].rstrip().endswith(":"):
        return None
    lo = _after_last_quote(ctx, lo, open_mark)
    ws = ctx.words(lo, open_mark)
    if ws and ws[0][0] in lexicon().pronouns:
        return _pronoun(ctx, ws[:1])
    m = _pick_subject(ctx, ctx.mentions_in(lo, open_mark)[:1], lo, open_mark)
    if m is None:
        return None
    role = _role_before_verb(ctx, ws, m.start)
    return role if role is not None else _named(ctx, m, lo)


def _clause_chain(
    ctx: ArticleContext, pre_lo: int, cues: list[re.Match[str]], cue: re.Match[str]
) -> Attribution | None:
    """The subject of *cue*: in its own clause (after an earlier verb's "that", after the last
    quote), else in the whole sentence ("X said that its offer was “final” and accused …")."""
    att = None
    starts = (_own_clause(ctx, pre_lo, cues, cue), _after_last_quote(ctx, pre_lo, cue.start()), pre_lo)
    for lo in dict.fromkeys(starts):
        att = _subject(ctx, lo, cue.start())
        if att is not None and (att.speaker is not None or _has_role(att)):
            return att
    return att


def _own_clause(ctx: ArticleContext, lo: int, cues: list[re.Match[str]], cue: re.Match[str]) -> int:
    """Where the subject of *cue* may start: after the last quote and after an earlier speech verb's
    "that" ("X reports that an official told her …": the official, not X, told)."""
    lo = _after_last_quote(ctx, lo, cue.start())
    for c in cues:
        if c.end() <= cue.start() and not c.group().lower().endswith("ing"):
            that = _THAT_RE.match(ctx.masked[c.end() : cue.start()])
            if that:
                lo = max(lo, c.end() + that.end())
    return lo


def _after_last_quote(ctx: ArticleContext, lo: int, hi: int) -> int:
    """The subject of a cue starts after the last quotation closed before it."""
    last = max(ctx.masked.rfind("\u201d", lo, hi), ctx.masked.rfind('"', lo, hi))
    return last + 1 if last >= 0 else lo


def attribute(ctx: ArticleContext, open_mark: int, close_mark: int | None) -> Attribution:
    """Attribute the quote whose marks are at *open_mark* / *close_mark*.

    The ``"…," X said`` pattern is only tried when the quotation ends a clause
    (its last character is ``, . ? ! …`` or a dash, or a comma follows it), so
    "Tokayev said that “terrorists” were seizing…" is not attributed to
    whoever speaks later in the sentence.
    """
    after = _after_quote(ctx, open_mark, close_mark) if close_mark is not None else None
    if after is not None and (after.speaker is not None or _described_party_member(after)):
        return after  # ('"…," the Nevada Democrat said': one person, described, not named)
    before = _before_quote(ctx, open_mark)
    if before is not None and (after is None or before.speaker is not None):
        return before  # 'Obama told the group "…," according to a lawmaker': Obama spoke
    return after or _NONE
