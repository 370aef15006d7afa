"""The extraction pipeline: articles -> candidates -> groups -> merged entities."""

from __future__ import annotations

import bisect
import operator
import re
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import fields
from itertools import islice
from typing import TYPE_CHECKING, Any

from kazreader.analysis.entities.cues import BARE_ACRONYM_RE, HYPHEN_DIGITS_RE, Cues, cues, initials
from kazreader.analysis.entities.evidence import make_candidate
from kazreader.analysis.entities.merging import TYPE_RANK, Group, build_groups, canonical, merge_groups, resolve_weak
from kazreader.analysis.entities.model import Entity, EntityType, MentionList
from kazreader.analysis.entities.scanning import Cand, LineKind, Scanner, line_kind, sentence_initial
from kazreader.analysis.entities.short_forms import attach_head_forms, attach_short_forms
from kazreader.analysis.entities.surnames import attach_surnames
from kazreader.analysis.gazetteer import name_key
from kazreader.analysis.unionfind import UnionFind
from kazreader.corpus.model import Article
from kazreader.gcpause import gc_paused
from kazreader.text import fold_chars

if TYPE_CHECKING:
    from kazreader.parts import PartStore

__all__ = ["article_entities", "article_part", "extract_entities"]

_PARA_RE = re.compile(r"\n\s*\n")
#: A word written in lowercase (what a one-word name is looked for as, to tell common words).
#: (not a piece of a web address or handle: "nfl.com", "twitter.com/nfl", "@nfl")
_LOWER_WORD_RE = re.compile(r"(?<![\w./@#-])[a-z]+(?![\w/@-]|\.\w)")
_HYPHEN_DIGIT_RE = re.compile(r"-\d")
_TYPES = {t.value: t for t in EntityType}
#: A candidate's fields after ``art`` (its article's number, set by the merge): a part's rows.
_CAND_FIELDS = tuple(f.name for f in fields(Cand))[1:]
_ROW = operator.attrgetter(*_CAND_FIELDS)
#: The rows' text fields, interned as they are read (one string per distinct name, not per mention):
#: two always there, three often None.
_SURFACE, _KEY = _CAND_FIELDS.index("surface"), _CAND_FIELDS.index("key")
_OPTIONAL_TEXT = tuple(_CAND_FIELDS.index(f) for f in ("expands", "role", "honorific"))
#: Articles whose parts are read (or scanned) at once: only their rows are held beside the candidates.
BATCH = 500


def extract_entities(articles: Sequence[Article], parts: PartStore | None = None) -> list[Entity]:
    """Find the people, organisations and places named in *articles*, merged corpus-wide.

    Each article is scanned on its own (:func:`article_part`); with *parts*
    those scans are kept per article digest, so a corpus that changed by one
    file scans one article and only the corpus-wide merge runs again. Parts
    are read and computed :data:`BATCH` articles at a time.
    Returns entities sorted by total mentions (descending), then name.
    """
    # (extraction makes no cycles, and each collection would rescan every candidate made so far:
    # at 1,238 articles a tenth of the time went to collections that found nothing)
    with gc_paused():
        return _extract(articles, parts)


def _extract(articles: Sequence[Article], parts: PartStore | None) -> list[Entity]:
    texts = {a.digest: a.text for a in articles}

    def compute(digests: list[str]) -> dict[str, Any]:
        return {d: article_part(texts[d]) for d in digests}

    gathered = _Gathered()
    if parts is None:  # nothing to keep: the scans' candidates as they are, not as rows
        for i, a in enumerate(articles):
            head, cands = _scan_alone(a.text)
            gathered.add(i, head, cands)
        return _merge(articles, gathered)
    for lo in range(0, len(articles), BATCH):
        keys = [a.digest for a in articles[lo:lo + BATCH]]
        found = parts.map(keys, compute)
        for i, key in enumerate(keys, lo):
            gathered.add(i, found[key])
    return _merge(articles, gathered)


def article_entities(article: Article, part: Mapping[str, Any] | None = None) -> list[Entity]:
    """The entities of *article* alone: the corpus-wide steps run as if the corpus were this one article.

    Equal to ``extract_entities([article])``. With *part* (the article's
    :func:`article_part`, e.g. read from the entities' stored parts) the
    article is not scanned again; its rows are consumed.
    """
    gathered = _Gathered()
    with gc_paused():
        if part is None:
            head, cands = _scan_alone(article.text)
            gathered.add(0, head, cands)
        else:
            gathered.add(0, part)
        return _merge([article], gathered)


class _Asked(set[str]):
    """The corpus' names written with a number, as far as one article knows them; every question is recorded."""

    def __init__(self, known: set[str]) -> None:
        super().__init__(known)
        self.asked: set[str] = set()

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.asked.add(key)
        return super().__contains__(key)


def article_part(text: str) -> dict[str, Any]:
    """What one article alone gives the corpus-wide steps (JSON).

    ``h``/``l``: its share of the corpus forms (:func:`_corpus_forms`); ``c``:
    its candidates scanned as if the corpus were this article, one row of
    :data:`_CAND_FIELDS` each; ``q``: the names-with-a-number the scan asked
    about that this article does not write. If another article writes one of
    them, the merge scans this one again with the corpus' forms.
    """
    head, cands = _scan_alone(text)
    head["c"] = [list(_ROW(c)) for c in cands]
    return head


def _scan_alone(text: str) -> tuple[dict[str, Any], list[Cand]]:
    """:func:`article_part` without its ``c`` rows, and the candidates those rows hold."""
    folded = fold_chars(text)
    hyphen_digits, lower_acronyms = _corpus_forms([folded], cues())
    asked = _Asked(hyphen_digits)
    cands = scan(Scanner(cues(), asked), 0, text, folded)
    head = {"h": sorted(hyphen_digits), "l": sorted(lower_acronyms), "q": sorted(asked.asked - hyphen_digits)}
    return head, cands


class _Gathered:
    """The articles' parts as candidates, with the corpus forms they add up to."""

    def __init__(self) -> None:
        self.hyphen_digits: set[str] = set()
        self.lower_acronyms: set[str] = set()
        self.asked: list[list[str]] = []
        self.cands: list[list[Cand]] = []

    def add(self, art: int, part: Mapping[str, Any], scanned: list[Cand] | None = None) -> None:
        """An article's part (its candidates from its rows, or *scanned* by this process)."""
        self.hyphen_digits.update(part["h"])
        self.lower_acronyms.update(part["l"])
        self.asked.append(part["q"])
        if scanned is not None:
            for c in scanned:
                c.art = art
            self.cands.append(scanned)
            return
        cands = []
        intern = sys.intern
        expands, role, honorific = _OPTIONAL_TEXT  # (unrolled: a loop over them was a tenth of reading)
        for row in part["c"]:
            row[_SURFACE], row[_KEY] = intern(row[_SURFACE]), intern(row[_KEY])
            if row[expands] is not None:
                row[expands] = intern(row[expands])
            if row[role] is not None:
                row[role] = intern(row[role])
            if row[honorific] is not None:
                row[honorific] = intern(row[honorific])
            cands.append(Cand(art, *row))
        self.cands.append(cands)

    def candidates(self, texts: list[str], cs: Cues) -> list[Cand]:
        """Every article's candidates, in order: its part's, or a new scan when another article writes
        one of the names-with-a-number it asked about."""
        out: list[Cand] = []
        rescan: Scanner | None = None
        for i, cands in enumerate(self.cands):
            if any(q in self.hyphen_digits for q in self.asked[i]):
                rescan = rescan or Scanner(cs, self.hyphen_digits)
                cands = scan(rescan, i, texts[i], fold_chars(texts[i]))
            out.extend(cands)
        self.cands = []
        return out


def _merge(articles: Sequence[Article], gathered: _Gathered) -> list[Entity]:
    """The corpus' entities from every article's candidates (the corpus-wide steps)."""
    cs = cues()
    texts = [a.text for a in articles]
    lower_acronyms = gathered.lower_acronyms
    cands = [c for c in gathered.candidates(texts, cs) if not (c.acronym and c.key in lower_acronyms)]
    common = common_words(cands, texts)
    # a common word capitalised only by its position (a sentence's or a headline's word), with no
    # evidence of its own, is no name: "Rather, Republicans…", "Back in the 1950s", "Considering that…"
    cands = [c for c in cands if not (c.weak and not c.cues and c.key in common)]
    cands = resolve_weak(cands, cs.gaz, texts)
    glist = build_groups(cands, cs.gaz, common - _named_mid_sentence(cands, common, texts, cs))
    uf = merge_groups(glist, cands, cs.gaz)
    per_cand = attach_surnames(glist, cands, uf, cs, common, texts)
    per_cand.update(_event_tails(glist, cands, uf))
    per_cand.update(attach_short_forms(glist, cands, cs, common))
    per_cand.update(attach_head_forms(glist, cands, cs, texts))
    return _assemble(articles, glist, cands, uf, per_cand, common)


def common_words(cands: list[Cand], texts: Sequence[str]) -> frozenset[str]:
    """The one-word names that are common words of this corpus: written in lowercase in more of
    its articles than write them as a name ("image", "employers", "back"; not "trump", which few
    articles write in lowercase, nor "price" in a corpus about Tom Price).

    A capital that only the position gave (a sentence's first word, a label, a headline) proves
    nothing: such a word is a person only on evidence of its own (see :func:`build_groups` and
    :func:`attach_surnames`). Lowercase words inside web addresses and handles ("nfl.com") are
    not counted.
    """
    named: dict[str, set[int]] = defaultdict(set)
    for c in cands:
        if c.key.isalpha() and c.key.islower():
            named[c.key].add(c.art)
    if not named:
        return frozenset()
    lowercase: Counter[str] = Counter()
    for text in texts:
        lowercase.update(named.keys() & set(_LOWER_WORD_RE.findall(text)))
    return frozenset(k for k, n in lowercase.items() if n > len(named[k]))


def _named_mid_sentence(cands: list[Cand], common: frozenset[str], texts: Sequence[str], cs: Cues) -> set[str]:
    """The common words of the corpus that its articles write as a person's name: inside a sentence
    with a person's cue, in a third of their mentions or more ("“…,” Grace said"; not "Employers
    added", whose capital only opens the sentence, nor "Image" for one "Chief Image caption" in
    hundreds of "Image caption"), or three times with what only a person has ("Roof's lawyer",
    "Grace, 15,")."""
    total: Counter[str] = Counter()
    named: Counter[str] = Counter()
    owned: Counter[str] = Counter()
    for c in cands:
        if c.key not in common:
            continue
        total[c.key] += 1
        person = c.cues.get(EntityType.PERSON, 0)
        if person == 3:
            owned[c.key] += 1
        if person >= 2:
            text = texts[c.art]
            before = fold_chars(text[text.rfind("\n", 0, c.start) + 1:c.start])  # (as the scan read it)
            if not sentence_initial(before, len(before), 0, cs.gaz):
                named[c.key] += 1
    return {k for k, n in total.items() if 3 * named[k] >= n or owned[k] >= 3}


def _corpus_forms(folded: list[str], cs: Cues) -> tuple[set[str], set[str]]:
    """Names written with a number (``Su-30``), and acronyms of lowercase words ("gas (LPG)")."""
    hyphen_digits: set[str] = set()
    lower_acronyms: set[str] = set()
    for ft in folded:
        hyphen_digits.update(name_key(form) for form in hyphen_digit_forms(ft))
        for m in BARE_ACRONYM_RE.finditer(ft):
            acr = m.group(1).casefold()
            ws = ft[max(0, m.start() - 120):m.start()].split()[-(len(acr) + 3):]
            if not ws or not ws[-1][:1].islower():
                continue
            for n in range(len(acr), len(acr) + 3):
                if n <= len(ws) and acr in initials([w.casefold() for w in ws[-n:]], cs.gaz):
                    lower_acronyms.add(acr)
                    break
    return hyphen_digits, lower_acronyms


def hyphen_digit_forms(text: str) -> list[str]:
    """What ``HYPHEN_DIGITS_RE.finditer`` finds in *text*, looked for only where a hyphen precedes a digit
    (rare: running the pattern over the whole text cost more than the rest of this step)."""
    out: list[str] = []
    for h in _HYPHEN_DIGIT_RE.finditer(text):
        k = h.start()
        while k > 0 and (text[k - 1].isalnum() or text[k - 1] == "_"):  # (what \w is)
            k -= 1
        m = HYPHEN_DIGITS_RE.match(text, k)
        if m is not None and m.end(1) == h.start():
            out.append(m.group())
    return out


def scan(scanner: Scanner, art: int, text: str, folded: str) -> list[Cand]:
    """The candidate mentions of one article."""
    cs = scanner.cues
    words = scanner.words(folded, text)
    paras = [m.end() for m in _PARA_RE.finditer(text)]
    out: list[Cand] = []
    kinds: dict[int, str] = {}
    for run in scanner.runs(folded, words):
        ls = folded.rfind("\n", 0, run[0].start) + 1
        kind = kinds.get(ls)
        if kind is None:
            le = folded.find("\n", ls)
            kind = kinds[ls] = line_kind(folded[ls:le if le >= 0 else len(folded)])
        if kind == LineKind.CAPS or (len(run) == 1 and scanner.lone_non_name(run[0])):
            continue
        run[0].initial = sentence_initial(folded, run[0].start, ls, cs.gaz)
        for part in scanner.clean(folded, run):
            cand = make_candidate(cs, art, text, folded, part, weak_line=kind == LineKind.HEADLINE)
            if cand is not None:
                cand.para = bisect.bisect_right(paras, cand.start)
                out.append(cand)
    return out


def _event_tails(glist: list[Group], cands: list[Cand], uf: UnionFind) -> dict[int, int]:
    """"Harvey" after "Hurricane Harvey" in the same article: the event, not a person or place."""
    heads = cues().event_first_heads
    tails: dict[tuple[int, str], set[int]] = defaultdict(set)
    for i, g in enumerate(glist):
        if g.type != EntityType.OTHER:
            continue
        words = g.key.split()
        if len(words) == 2 and words[0] in heads:
            for ci in g.cands:
                tails[(cands[ci].art, words[1])].add(uf.find(i))
    out: dict[int, int] = {}
    if not tails:
        return out
    tail_words = {w for _, w in tails}
    for g in glist:
        if g.key not in tail_words:
            continue
        for ci in g.cands:
            roots = tails.get((cands[ci].art, g.key))
            if roots is not None and len(roots) == 1:
                out[ci] = next(iter(roots))
    return out


def _assemble(
    articles: Sequence[Article], glist: list[Group], cands: list[Cand], uf: UnionFind, per_cand: dict[int, int],
    common: frozenset[str] = frozenset(),
) -> list[Entity]:
    """The entities, one per root; not those that are only common words of the corpus with next to no
    evidence of a name ("Image" of "Image caption", "Watched" of "JUST WATCHED", "Claim" of "CLAIM:")."""
    members: dict[int, list[int]] = defaultdict(list)
    root_groups: dict[int, list[Group]] = defaultdict(list)
    best: dict[int, Group] = {}
    for i, g in enumerate(glist):
        r = uf.find(i)
        root_groups[r].append(g)
        if per_cand:
            for ci in g.cands:
                members[uf.find(per_cand[ci]) if ci in per_cand else r].append(ci)
        else:
            members[r].extend(g.cands)
        cur = best.get(r)
        if cur is None or (g.score, -TYPE_RANK[g.type]) > (cur.score, -TYPE_RANK[cur.type]):
            best[r] = g
    ids = [a.id for a in articles]
    text_of = {a.id: a.text for a in articles}
    entities = [
        _entity(cis, cands, ids, text_of, best[r].type, root_groups[r]) for r, cis in members.items()
        if not (common and _only_common(root_groups[r], common))
    ]
    entities.sort(key=lambda e: (-len(e.mentions), e.name))
    return entities


def _only_common(groups: list[Group], common: frozenset[str]) -> bool:
    """Whether every name of an entity is a common word of the corpus with at most weak evidence."""
    return all(g.key in common and g.known is None and g.score < 2 for g in groups)


def _entity(
    cis: list[int], cands: list[Cand], ids: list[str], text_of: dict[str, str], typ: str, groups: list[Group]
) -> Entity:
    cis.sort()  # candidates are numbered in (article, offset) order
    # (the mentions written straight into MentionList's flat form: a list per article and an
    # array append per mention cost a fifth of the merge at 20,000 articles)
    arts: list[str] = []
    counts: list[int] = []
    offsets: list[int] = []
    roles: dict[tuple[str, int], str] = {}
    surfaces: dict[str, int] = {}
    last_art, last_end = -1, -1
    for ci in cis:
        c = cands[ci]
        if c.art == last_art:
            if c.start < last_end:
                continue  # overlapping duplicate
            counts[-1] += 1
        else:
            arts.append(ids[c.art])
            counts.append(1)
        offsets += (c.start, c.end)
        surfaces[c.surface] = surfaces.get(c.surface, 0) + 1
        if c.role:
            roles[(arts[-1], c.start)] = c.role
        last_art, last_end = c.art, c.end
    variant_counts: Counter[str] = Counter()
    for surface, n in surfaces.items():  # (each written form once, not each mention)
        variant_counts[" ".join(surface.split())] += n
    name = canonical(variant_counts, groups, typ == EntityType.PERSON)
    variants = tuple(sorted(variant_counts, key=lambda v: (-variant_counts[v], v)))
    by_count: tuple[str, ...] = ()
    if roles:
        role_counts = Counter(roles.values())
        by_count = tuple(sorted(role_counts, key=lambda r: (-role_counts[r], r)))
    if len(set(arts)) == len(arts):
        mentions = MentionList.from_flat(arts, counts, array("q", offsets), name, text_of)
    else:  # two articles with one id (not in a workspace, which renames them): listed under it together
        pairs = zip(offsets[0::2], offsets[1::2])
        spans: dict[str, list[tuple[int, int]]] = {}
        for art, n in zip(arts, counts):
            spans.setdefault(art, []).extend(islice(pairs, n))
        mentions = MentionList(spans, name, text_of)
    mentions.with_roles(roles)
    return Entity(name, _TYPES[typ], variants, mentions, by_count)
