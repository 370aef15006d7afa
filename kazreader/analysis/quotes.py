"""Quotations: where they are, who said them, and which ones render one statement.

Pipeline, per article then across the corpus:

1. **Marks** (:func:`find_quote_spans`). Curly ``“…”`` and straight ``"…"``
   double quotes are paired by type (a curly opener only closes with a curly
   closer); single quotes ``‘…’``/``'…'`` count as quotation marks only outside
   double-quoted text and only at word edges, so apostrophes (country’s, 'til,
   rock 'n' roll, the ’90s) are never marks, and single quotes nested inside a
   double quote stay part of it. A quote runs across paragraphs in the classic
   convention: no closing mark at the end of a paragraph and an opening mark at
   the start of the next. An opening mark never closed in its paragraph (and
   not continued) is dropped.
2. **Attribution** (:mod:`kazreader.analysis.attribution`): speech verbs and
   reporters' patterns in the quote's sentence, pronoun and role resolution.
3. **Scare quotes**: a quoted phrase of at most :data:`SHORT_WORDS` words is
   kept only when a speech cue attributes it ("what he called “terrorist
   groups”"); "so-called “peacekeepers”", or a headline's lone "eliminated"
   with no cue, is not a quote. Longer quotations are kept even unattributed
   (``speaker`` null), and a quotation standing alone right after another one
   from the same paragraph or the previous one inherits its speaker.
4. **Groups** (:func:`group_quotes`): renderings of one statement share an id.
   Texts are normalised (typography, case, punctuation, plural ``-s``, a small
   lexicon of news paraphrases such as killed/eliminated/neutralised), then
   compared token-wise with rapidfuzz: similar enough, or one contained in the
   other (an elided or partial rendering), with compatible speakers (equal or
   near-equal canonical names, or one unattributed). A group never mixes two
   different speakers. Candidates are blocked by rare words so 20,000 articles
   do not mean all pairs.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from kazreader.analysis.attribution import ArticleContext, attribute
from kazreader.corpus.model import Article
from kazreader.text import fold, tokenize

if TYPE_CHECKING:  # pragma: no cover - typing only
    from kazreader.analysis.entities import Entity

__all__ = [
    "QuoteSpan",
    "Quote",
    "SHORT_WORDS",
    "VERSION",
    "extract_quotes",
    "find_quote_spans",
    "group_quotes",
    "normalise_quote",
]

#: Bump when the output of :func:`extract_quotes` changes.
VERSION = 1
#: Quoted phrases of at most this many words need an attribution to count.
SHORT_WORDS = 3

_D_OPEN = "\u201c\u201e\u00ab"  # “ „ «
_D_CLOSE = "\u201d\u00bb"  # ” »
_S_OPEN = "\u2018"  # ‘
_S_CLOSE = "\u2019"  # ’
_D_MARKS = re.compile(f"[{_D_OPEN}{_D_CLOSE}\"]")
_S_MARKS = re.compile(f"[{_S_OPEN}{_S_CLOSE}']")
_ELISION_RE = re.compile(r"['\u2018\u2019](?:n['\u2019]|til\b|tis\b|twas\b|em\b|cause\b|bout\b|\d\ds?\b)", re.I)
_OPEN_CONTEXT = set(" \n([{/\u2014\u2013-\u00a0") | set(_D_OPEN)
_SO_CALLED_RE = re.compile(r"\bso[\s-]called\s*$", re.I)


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """Where a quotation's marks and words are in an article's text.

    ``start``/``end`` span the quoted words (no marks, no trailing comma);
    ``open_mark`` is the first opening mark, ``close_mark`` the closing one;
    ``continued`` the re-opening marks of the paragraphs it runs across.
    """

    start: int
    end: int
    open_mark: int
    close_mark: int
    continued: tuple[int, ...] = ()


@dataclass(frozen=True)
class Quote:
    """One quotation in one article, its speaker and its statement group."""

    article: str
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_text: str | None
    speaker_start: int | None
    speaker_end: int | None
    group: str

    def to_json(self) -> dict[str, Any]:
        """The ``quotes --json`` record (contract fields plus speaker offsets)."""
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Quote:
        """Rebuild a quote from :meth:`to_json` output (extra keys ignored)."""
        return cls(
            article=d["article"],
            start=int(d["start"]),
            end=int(d["end"]),
            text=d["text"],
            speaker=d.get("speaker"),
            speaker_text=d.get("speaker_text"),
            speaker_start=d.get("speaker_start"),
            speaker_end=d.get("speaker_end"),
            group=d["group"],
        )


# --- marks ----------------------------------------------------------------------


def _paragraphs(article: Article) -> list[tuple[int, int]]:
    if article.paragraphs:
        return [tuple(p) for p in article.paragraphs]  # type: ignore[misc]
    spans, pos = [], 0
    for m in re.finditer(r"\n\s*\n", article.text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(article.text)))
    return spans


def _first_char(text: str, s: int, e: int) -> int | None:
    while s < e and text[s].isspace():
        s += 1
    return s if s < e else None


def _scan(
    text: str,
    paras: Sequence[tuple[int, int]],
    marks: re.Pattern[str],
    is_open: Any,
    is_close: Any,
    skip: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int, tuple[int, ...]]]:
    """Pair marks paragraph by paragraph: ``(open_mark, close_mark, continued)``.

    Only the characters *marks* matches are looked at; positions inside a
    *skip* span (marks included) are ignored.
    """
    found: list[tuple[int, int, tuple[int, ...]]] = []
    skip = sorted(skip)
    opened: int | None = None
    kind = ""
    cont: list[int] = []
    resume = 0
    for pi, (ps, pe) in enumerate(paras):
        for m in marks.finditer(text, max(ps, resume), pe):  # past a re-opening mark
            i = m.start()
            k = bisect.bisect_right(skip, (i, len(text))) - 1
            if k >= 0 and skip[k][0] <= i <= skip[k][1]:
                continue
            if opened is None:
                kk = is_open(text, i, ps, pe)
                if kk:
                    opened, kind, cont = i, kk, []
            elif is_close(text, i, ps, pe, kind):
                found.append((opened, i, tuple(cont)))
                opened = None
            elif kind == "curly" and is_open(text, i, ps, pe) == kind:
                opened, cont = i, []  # the earlier opener was never closed
        if opened is not None:
            nxt = paras[pi + 1] if pi + 1 < len(paras) else None
            first = _first_char(text, *nxt) if nxt else None
            if first is not None and is_open(text, first, nxt[0], nxt[1]) == kind:
                cont.append(first)
                resume = first + 1
            else:
                opened = None
    return found


def _double_open(text: str, i: int, ps: int, pe: int) -> str:
    c = text[i]
    if c in _D_OPEN:
        return "curly"
    if c == '"':
        prev = text[i - 1] if i > ps else " "
        nxt = text[i + 1] if i + 1 < pe else " "
        if (prev.isalnum() or prev in ".,;:!?") and (nxt.isspace() or nxt in ".,;:!?)"):
            return ""  # looks like a stray closing mark
        return "straight"
    return ""


def _double_close(text: str, i: int, ps: int, pe: int, kind: str) -> bool:
    c = text[i]
    return c in _D_CLOSE if kind == "curly" else c == '"'


def _single_open(text: str, i: int, ps: int, pe: int) -> str:
    c = text[i]
    if c not in _S_OPEN and c != "'":
        return ""
    prev = text[i - 1] if i > ps else " "
    nxt = text[i + 1] if i + 1 < pe else " "
    if prev not in _OPEN_CONTEXT or not (nxt.isalnum() or nxt in "\u2026."):
        return ""
    if _ELISION_RE.match(text, i):
        return ""
    return "single"


def _single_close(text: str, i: int, ps: int, pe: int, kind: str) -> bool:
    c = text[i]
    if c not in _S_CLOSE and c != "'":
        return False
    prev = text[i - 1] if i > ps else " "
    nxt = text[i + 1] if i + 1 < pe else " "
    return not prev.isspace() and not nxt.isalnum()


def find_quote_spans(article: Article) -> list[QuoteSpan]:
    """Every quotation-mark pair in *article*, in text order (see module doc)."""
    text = article.text
    paras = _paragraphs(article)
    doubles = _scan(text, paras, _D_MARKS, _double_open, _double_close)
    singles = _scan(
        text, paras, _S_MARKS, _single_open, _single_close, skip=[(o, c) for o, c, _ in doubles]
    )
    spans = []
    for o, c, cont in sorted(doubles + singles):
        s, e = o + 1, c
        while s < e and text[s].isspace():
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:"):
            e -= 1
        if not any(ch.isalnum() for ch in text[s:e]):
            continue
        spans.append(QuoteSpan(s, e, o, c, cont))
    return spans


def _quote_text(text: str, span: QuoteSpan) -> str:
    """The quoted words without marks (re-opening marks of continued paragraphs dropped)."""
    if not span.continued:
        return text[span.start : span.end]
    parts, pos = [], span.start
    for mark in span.continued:
        parts.append(text[pos:mark])
        pos = mark + 1
    parts.append(text[pos : span.end])
    return "".join(parts)


# --- extraction -------------------------------------------------------------------


def _n_words(s: str) -> int:
    return len(tokenize(s))


def _article_quotes(article: Article, mentions: Sequence[tuple[int, int, Any]]) -> list[Quote]:
    text = article.text
    spans = find_quote_spans(article)
    if not spans:
        return []
    ctx = ArticleContext(article.id, text, [(s.open_mark + 1, s.close_mark) for s in spans], mentions)
    paras = _paragraphs(article)

    def para_index(pos: int) -> int:
        for k, (ps, pe) in enumerate(paras):
            if ps <= pos <= pe:
                return k
        return -1

    out: list[Quote] = []
    prev: tuple[Quote, int, bool] | None = None  # last quote, its paragraph, attributed?
    for span in spans:
        qtext = _quote_text(text, span)
        short = _n_words(qtext) <= SHORT_WORDS
        if _SO_CALLED_RE.search(ctx.masked[max(0, span.open_mark - 12) : span.open_mark]):
            continue
        att = attribute(ctx, span.open_mark, span.close_mark)
        if short and not att.cue:
            continue  # a scare quote or an unattributed label
        q = Quote(
            article.id, span.start, span.end, qtext, att.speaker, att.text, att.start, att.end, ""
        )
        pidx = para_index(span.open_mark)
        if not att.cue and prev is not None and prev[2]:
            # a standalone quotation continuing the previous speaker's words
            pq, ppara, _ = prev
            sent_start = ctx.sentence_start(span.open_mark)
            standalone = not re.search(r"\w", ctx.masked[sent_start : span.open_mark])
            if standalone and pidx - ppara in (0, 1):
                q = Quote(
                    article.id, span.start, span.end, qtext, pq.speaker,
                    pq.speaker_text, pq.speaker_start, pq.speaker_end, "",
                )
        prev = (q, para_index(span.close_mark), q.speaker is not None)
        out.append(q)
    return out


def extract_quotes(articles: Sequence[Article], entities: Sequence[Entity]) -> list[Quote]:
    """All quotations in *articles*, attributed with *entities* and grouped.

    Returned in article order, then text order. ``entities`` follows the
    :mod:`kazreader.analysis.entities` contract (canonical ``name``, ``type``,
    ``mentions``); mentions of other articles are ignored per article.
    """
    by_article: dict[str, list[tuple[int, int, Any]]] = defaultdict(list)
    for ent in entities:
        for m in getattr(ent, "mentions", ()):
            by_article[m.article].append((m.start, m.end, ent))
    quotes: list[Quote] = []
    for art in articles:
        quotes.extend(_article_quotes(art, by_article.get(art.id, [])))
    dates = {a.id: a.date or "9999-99-99" for a in articles}
    return group_quotes(quotes, dates)


# --- grouping ---------------------------------------------------------------------

#: Paraphrase lexicon: surface word -> shared key. General news-speak only.
_SYNONYMS: dict[str, str] = {}
for _key, _words in {
    "kill": "kill killed kills killing eliminate eliminated eliminates eliminating "
    "neutralise neutralised neutralize neutralized neutralising neutralizing "
    "liquidate liquidated liquidating slain slay slayed",
    "attacker": "attacker attackers assailant assailants rioter rioters militant "
    "militants gunman gunmen insurgent insurgents bandit bandits",
    "injure": "injure injured injuring injuries wound wounded wounding hurt",
    "detain": "detain detained detaining arrest arrested arresting",
    "say": "say says said state stated",
    "big": "big large huge major",
    "start": "start started begin began begun commence commenced",
    "help": "help helped aid aided assist assisted assistance",
    "troop": "troop troops soldier soldiers force forces",
    "people": "people persons individuals",
    "attack": "attack attacked attacks assault assaulted assaults storm stormed",
}.items():
    for _w in _words.split():
        _SYNONYMS[_w] = _key

_STOP = set(
    "a an the of to in on at for and or but is are was were be been being it its "
    "this that these those with as by from we our us i you he she they them their "
    "his her will would has have had not no do does did so all any am my me".split()
)
#: Group containment and similarity thresholds (token level).
SIM_SAME_SPEAKER = 0.6
SIM_UNATTRIBUTED = 0.75
CONTAIN_MIN = 0.85
CONTAIN_SAME_SPEAKER = 0.75
#: A word carried by more quotes than this is too common to block on.
BLOCK_MAX_DF = 200
BLOCK_KEYS = 4


_CONTRACTIONS = {"ve": "have", "m": "am", "re": "are", "ll": "will", "d": "would", "t": "not", "s": ""}


def _stem(w: str) -> str:
    if w in _STOP or w in _SYNONYMS:
        return _SYNONYMS.get(w, w)
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    return _SYNONYMS.get(w, w)


def normalise_quote(text: str) -> list[str]:
    """A quote's comparison tokens: folded, contractions expanded, stemmed, paraphrase-keyed."""
    out: list[str] = []
    for tok in tokenize(text):
        w = tok.norm
        if "'" in w:
            head, _, tail = w.partition("'")
            if tail in _CONTRACTIONS:
                if tail == "t" and head.endswith("n"):  # don't -> do not, can't -> can not
                    head = head[:-1]
                out.append(_stem(head))
                if _CONTRACTIONS[tail]:
                    out.append(_CONTRACTIONS[tail])
                continue
            w = w.replace("'", "")
        out.append(_stem(w))
    return out


def _speakers_compatible(a: str | None, b: str | None) -> bool:
    """Whether two canonical speaker names may be one speaker (None fits any)."""
    if a is None or b is None or a == b:
        return True
    fa, fb = fold(a), fold(b)
    if fuzz.ratio(fa, fb) >= 85:
        return True
    ta, tb = set(fa.split()), set(fb.split())
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def _match(a: list[str], b: list[str], ca: set[str], cb: set[str], same_speaker: bool) -> float:
    """Match score of two normalised token lists (0 when they do not match)."""
    if not ca or not cb or not (ca & cb):
        return 0.0
    lcs = LCSseq.similarity(a, b)
    sim = 2 * lcs / (len(a) + len(b))
    short, short_c = (a, ca) if len(a) <= len(b) else (b, cb)
    contain = lcs / len(short)
    content_contained = len(ca & cb) / len(short_c)
    need = SIM_SAME_SPEAKER if same_speaker else SIM_UNATTRIBUTED
    if sim >= need:
        return sim
    floor = CONTAIN_SAME_SPEAKER if same_speaker and len(short) >= 4 else CONTAIN_MIN
    if contain >= floor and content_contained >= floor:
        return 0.5 + contain / 4
    return 0.0


def _candidate_pairs(contents: Sequence[set[str]], speakers: Sequence[set[str]]) -> Iterable[tuple[int, int]]:
    """Pairs of texts sharing a rare content word, or a word and a speaker."""
    df: dict[str, int] = defaultdict(int)
    for c in contents:
        for t in c:
            df[t] += 1
    postings: dict[Any, list[int]] = defaultdict(list)
    for i, c in enumerate(contents):
        shared = sorted((t for t in c if df[t] > 1), key=lambda t: (df[t], t))
        for t in shared[:BLOCK_KEYS]:
            postings[t].append(i)
        for who in {fold(sp).split()[-1] for sp in speakers[i] if sp.strip()}:
            # same speaker: every word is a key (a paraphrase may share few rare ones)
            for t in shared:
                postings[(who, t)].append(i)
    seen: set[tuple[int, int]] = set()
    for ids in postings.values():
        if len(ids) > BLOCK_MAX_DF:
            continue
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                p = (ids[x], ids[y])
                if p not in seen:
                    seen.add(p)
                    yield p


def group_quotes(quotes: Sequence[Quote], dates: dict[str, str] | None = None) -> list[Quote]:
    """Return *quotes* with ``group`` set: one id per statement across articles.

    Quotes are first collapsed by normalised text (wire copy repeats verbatim),
    candidate text pairs are blocked by rare words, and quotes are joined
    best match first, never putting two different speakers in one group.
    *dates* (article id -> ISO date) orders members so a group's id is a hash of
    its earliest member's normalised text, speaker and article.
    """
    dates = dates or {}
    n = len(quotes)
    norms = [normalise_quote(q.text) for q in quotes]
    # texts -> speaker -> quote indices
    text_ids: dict[tuple[str, ...], int] = {}
    buckets: list[dict[str | None, list[int]]] = []
    for i, toks in enumerate(norms):
        t = text_ids.setdefault(tuple(toks), len(text_ids))
        if t == len(buckets):
            buckets.append(defaultdict(list))
        buckets[t][quotes[i].speaker].append(i)
    texts = list(text_ids)
    contents = [{w for w in toks if w not in _STOP} or set(toks) for toks in texts]
    scored: list[tuple[float, int, int]] = []

    compatible: dict[tuple[str | None, str | None], bool] = {}

    def fits(a: str | None, b: str | None) -> bool:
        if a is None or b is None or a == b:
            return True
        if (a, b) not in compatible:
            compatible[a, b] = _speakers_compatible(a, b)
        return compatible[a, b]

    def link(tu: int, tv: int) -> None:
        bu, bv = buckets[tu], buckets[tv]
        if tu == tv:
            scores = {True: 1.0, False: 1.0}
        else:
            args = (texts[tu], texts[tv], contents[tu], contents[tv])
            scores = {True: _match(*args, True), False: _match(*args, False)}
            if not scores[True]:
                return  # the looser test failed: no speaker pairing can match
        for su, iu in bu.items():
            for sv, iv in bv.items():
                if (tu == tv and su == sv) or not fits(su, sv):
                    continue
                sc = scores[su is not None and sv is not None]
                if sc > 0:
                    scored.append((-sc, iu[0], iv[0]))

    parent = list(range(n))
    for b in buckets:  # identical text, identical speaker: one statement
        for idx in b.values():
            for k in idx[1:]:
                parent[k] = idx[0]
    for tu, b in enumerate(buckets):
        if len(b) > 1:
            link(tu, tu)
    for tu, tv in _candidate_pairs(contents, [set(filter(None, b)) for b in buckets]):
        link(tu, tv)
    scored.sort()
    speakers: list[set[str]] = [{q.speaker} if q.speaker else set() for q in quotes]

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, i, j in scored:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        merged = speakers[ri] | speakers[rj]
        if len(merged) > 1 and any(not fits(a, b) for a in merged for b in merged):
            continue  # never put two different speakers in one group
        parent[rj] = ri
        speakers[ri] = merged
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[find(i)].append(i)
    group_of: dict[int, str] = {}
    for idx in members.values():
        first = min(idx, key=lambda k: (dates.get(quotes[k].article, "9999-99-99"), quotes[k].article, quotes[k].start))
        key = "\x00".join([" ".join(norms[first]), quotes[first].speaker or "", quotes[first].article])
        gid = "q" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
        for k in idx:
            group_of[k] = gid
    return [
        Quote(q.article, q.start, q.end, q.text, q.speaker, q.speaker_text, q.speaker_start, q.speaker_end, group_of[i])
        for i, q in enumerate(quotes)
    ]
