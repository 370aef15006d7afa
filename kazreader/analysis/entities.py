"""People, organisations and places named in a corpus, with their variants merged.

Rule-based and offline (no model download). The pipeline, per article then
corpus-wide:

1. **Capitalised runs.** Words starting with a capital (hyphenated words and
   dotted acronyms included) are chained into runs across single spaces, across
   name particles (``de``, ``van``, ``bin``...) and, after an organisation or
   place head word, across joiners (``Ministry of Defence``, ``Organization for
   Security and Co-operation in Europe``). Possessives end a run and are left
   out of the mention (``Kazakhstan's`` -> ``Kazakhstan``). ``Russia-led``
   yields ``Russia``; ``ex-Soviet`` yields ``Soviet``.
2. **Cleaning.** Weekdays, months, holidays and other non-names split runs;
   titles and honorifics (``President``, ``Prime Minister``, ``Mr``) are cut
   off and make the rest a PERSON; leading demonyms (``Armenian``) and
   sentence-initial common words (``However``, ``The``) are dropped; a word
   that is capitalised only because it opens a sentence, and every word of a
   Title Case headline line, is *weak*: it is kept only if the same name is
   seen elsewhere in the corpus in a position that proves it is a name (or the
   gazetteer knows it).
3. **Typing by cues**, scored and pooled over every mention of a name:
   honorifics and titles before it, roles in an apposition (``X, a police
   spokeswoman``), organisation head words (``Ministry``, ``Agency``,
   ``Forces``...), a following ``news agency``, the shipped gazetteer of places
   and well-known organisations, place contexts (``city of X``, ``in X``),
   first names.
4. **Merging, per type** (union-find over name keys, see
   :func:`~kazreader.analysis.gazetteer.name_key`, which already folds case,
   hyphens, possessives and British/American spelling): gazetteer aliases;
   acronyms to their expansion (``Expansion (ACR)`` in the text, or unique
   initials match); transliteration variants by rapidfuzz within blocks
   (same surname start, same first letter), never across types; a surname
   alone to the unique full name in the corpus that ends with it (else the
   unique one in the same article, else it stays apart).

Demonyms (``Kazakh``, ``Russian``) are adjectives, not mentions of the place:
they are never entities (``Russian Foreign Ministry`` is still an ORG).
"""

from __future__ import annotations

import bisect
import re
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from kazreader.analysis.gazetteer import Gazetteer, gazetteer, name_key
from kazreader.analysis.unionfind import UnionFind
from kazreader.corpus.model import Article
from kazreader.text import fold_chars as _fold_chars

__all__ = [
    "ENTITY_TYPES",
    "VERSION",
    "Entity",
    "EntityLookup",
    "Mention",
    "MentionList",
    "entity_at",
    "extract_entities",
    "resolve_name",
]

#: Bump when the output of :func:`extract_entities` (or its cache form) changes.
VERSION = 5

#: The entity types, in the order ties are broken.
ENTITY_TYPES = ("PERSON", "ORG", "PLACE", "OTHER")


# --- result types -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity: ``article.text[start:end] == text``."""

    article: str
    start: int
    end: int
    text: str


class MentionList(Sequence[Mention]):
    """An entity's mentions, stored compactly and grouped by article.

    A sequence of :class:`Mention` built on demand from one array of offsets:
    about 16 bytes a mention instead of ~130 for a tuple of objects (20,000
    articles: 5,700 entities, 150 MB less in every process that holds them).
    Each mention's text is ``texts[article][start:end]`` when the article
    texts are given, else the entity's *name*. Compares equal to any sequence
    of the same mentions.
    """

    __slots__ = ("_arts", "_bounds", "_offsets", "_name", "_texts")

    def __init__(
        self,
        spans: Mapping[str, Iterable[Sequence[int]]],
        name: str,
        texts: Mapping[str, str] | None = None,
    ) -> None:
        self._arts = tuple(spans)
        self._offsets = array("q")
        bounds = [0]
        for art in self._arts:
            for start, end in spans[art]:
                self._offsets.append(int(start))
                self._offsets.append(int(end))
            bounds.append(len(self._offsets) // 2)
        self._bounds = array("q", bounds)
        self._name = name
        self._texts = texts

    @classmethod
    def from_flat(
        cls, articles: Sequence[str], counts: Sequence[int], offsets: array, name: str,
        texts: Mapping[str, str] | None = None,
    ) -> MentionList:
        """Rebuild from :meth:`flat` output (``counts[k]`` mentions in ``articles[k]``)."""
        if len(articles) != len(counts) or len(offsets) != 2 * sum(counts) or min(counts, default=1) < 1:
            raise ValueError("inconsistent mention list")
        self = cls({}, name, texts)
        self._arts = tuple(articles)
        bounds = array("q", [0])
        for n in counts:
            bounds.append(bounds[-1] + n)
        self._bounds = bounds
        self._offsets = offsets
        return self

    def flat(self) -> tuple[list[str], list[int], array]:
        """``(articles, mentions per article, [start, end, start, end, …])``."""
        b = self._bounds
        return list(self._arts), [b[k + 1] - b[k] for k in range(len(self._arts))], self._offsets

    @classmethod
    def of(cls, mentions: Iterable[Mention], name: str, texts: Mapping[str, str] | None = None) -> MentionList:
        """The mentions (already grouped by article) as a compact list."""
        spans: dict[str, list[tuple[int, int]]] = {}
        for m in mentions:
            spans.setdefault(m.article, []).append((m.start, m.end))
        return cls(spans, name, texts)

    def _mention(self, art: str, j: int) -> Mention:
        start, end = self._offsets[2 * j], self._offsets[2 * j + 1]
        text = self._texts.get(art) if self._texts is not None else None
        return Mention(art, start, end, text[start:end] if text is not None else self._name)

    def __len__(self) -> int:
        return len(self._offsets) // 2

    def __iter__(self) -> Iterator[Mention]:
        bounds = self._bounds
        for k, art in enumerate(self._arts):
            for j in range(bounds[k], bounds[k + 1]):
                yield self._mention(art, j)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("mention index out of range")
        k = bisect.bisect_right(self._bounds, i) - 1
        return self._mention(self._arts[k], i)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"MentionList({len(self)} mentions in {len(self._arts)} articles)"

    def _slot(self, article_id: str) -> int:
        # (a scan of the article ids in C: cheaper than a dict per entity)
        try:
            return self._arts.index(article_id)
        except ValueError:
            return -1

    def in_article(self, article_id: str) -> list[Mention]:
        """The mentions in one article, in text order (no mention of another article is built)."""
        k = self._slot(article_id)
        if k < 0:
            return []
        return [self._mention(article_id, j) for j in range(self._bounds[k], self._bounds[k + 1])]

    def count_in(self, article_id: str) -> int:
        """How many mentions one article has."""
        k = self._slot(article_id)
        return 0 if k < 0 else self._bounds[k + 1] - self._bounds[k]

    def counts(self) -> dict[str, int]:
        """Number of mentions per article id, in first-mention order."""
        b = self._bounds
        return {art: b[k + 1] - b[k] for k, art in enumerate(self._arts)}

    def spans(self) -> dict[str, list[list[int]]]:
        """``[start, end]`` of every mention, per article id."""
        offs, b = self._offsets, self._bounds
        return {
            art: [[offs[2 * j], offs[2 * j + 1]] for j in range(b[k], b[k + 1])]
            for k, art in enumerate(self._arts)
        }


@dataclass(frozen=True)
class Entity:
    """A person, organisation or place, merged across every article."""

    name: str
    type: str
    variants: tuple[str, ...]
    #: A :class:`MentionList` (compact) or any sequence of :class:`Mention`.
    mentions: Sequence[Mention]

    def counts(self) -> dict[str, int]:
        """Number of mentions per article id (articles in first-mention order)."""
        if isinstance(self.mentions, MentionList):
            return self.mentions.counts()
        out: dict[str, int] = {}
        for m in self.mentions:
            out[m.article] = out.get(m.article, 0) + 1
        return out

    def spans(self) -> dict[str, list[list[int]]]:
        """``[start, end]`` of every mention, per article id."""
        if isinstance(self.mentions, MentionList):
            return self.mentions.spans()
        out: dict[str, list[list[int]]] = {}
        for m in self.mentions:
            out.setdefault(m.article, []).append([m.start, m.end])
        return out

    def count_in(self, article_id: str) -> int:
        """How many times one article mentions the entity."""
        if isinstance(self.mentions, MentionList):
            return self.mentions.count_in(article_id)
        return sum(1 for m in self.mentions if m.article == article_id)

    def mentions_in(self, article_id: str) -> list[Mention]:
        """The mentions in one article, in text order."""
        if isinstance(self.mentions, MentionList):
            return self.mentions.in_article(article_id)
        return sorted((m for m in self.mentions if m.article == article_id), key=lambda m: m.start)

    def to_json(self) -> dict[str, Any]:
        """The ``entities --json`` record (plus ``spans``)."""
        return {
            "name": self.name,
            "type": self.type,
            "variants": list(self.variants),
            "mentions": self.counts(),
            "spans": self.spans(),
        }

    def to_cache(self) -> list[Any]:
        """A compact JSON form for the analysis cache (offsets as one string of numbers).

        A 20,000-article corpus has ~450,000 mentions: as ``[start, end]``
        lists, reading them back briefly took 100 MB; as one string per
        entity, next to nothing.
        """
        mentions = self.mentions if isinstance(self.mentions, MentionList) else MentionList.of(self.mentions, self.name)
        arts, counts, offsets = mentions.flat()
        return [self.name, self.type, list(self.variants), arts, counts, " ".join(map(str, offsets))]

    @classmethod
    def from_cache(cls, raw: list[Any], texts: Mapping[str, str] | None = None) -> Entity:
        """Rebuild an entity from :meth:`to_cache` output."""
        name, typ, variants, arts, counts, offsets = raw
        mentions = MentionList.from_flat(arts, counts, array("q", map(int, offsets.split())), name, texts)
        return cls(name, typ, tuple(variants), mentions)

    @classmethod
    def from_json(cls, d: dict[str, Any], texts: dict[str, str] | None = None) -> Entity:
        """Rebuild an entity from :meth:`to_json` output.

        Mention texts are not stored; pass ``texts`` (article id -> text) to
        restore them, otherwise each mention's text is the entity name.
        """
        spans = d.get("spans", {})
        if not isinstance(spans, dict):
            raise TypeError("spans must map article ids to [start, end] lists")
        mentions = MentionList(spans, d["name"], texts)
        return cls(d["name"], d["type"], tuple(d.get("variants", ())), mentions)


# --- lookup (used by the quotes module) -----------------------------------------


class EntityLookup:
    """Fast span and surface-form lookups over a list of entities."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.entities = list(entities)
        gaz = gazetteer()
        self._gaz = gaz
        spans: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        self._by_key: dict[str, list[int]] = defaultdict(list)
        self._by_surname: dict[str, list[int]] = defaultdict(list)
        for i, ent in enumerate(self.entities):
            for m in ent.mentions:
                spans[m.article].append((m.start, m.end, i))
            keys = {name_key(v) for v in (ent.name, *ent.variants)}
            for k in keys:
                if k:
                    self._by_key[k].append(i)
            if ent.type == "PERSON":
                for k in keys:
                    if " " in k:
                        self._by_surname[k.rsplit(" ", 1)[1]].append(i)
        self._spans = {a: sorted(v) for a, v in spans.items()}
        self._starts = {a: [s for s, _, _ in v] for a, v in self._spans.items()}

    def at(self, article_id: str, start: int, end: int) -> Entity | None:
        """The entity with a mention overlapping ``[start, end)`` in the article.

        When several overlap, the one overlapping most wins (then the earliest).
        An empty span matches the mention that contains its position.
        """
        spans = self._spans.get(article_id)
        if not spans:
            return None
        end = max(end, start + 1)
        hi = bisect.bisect_left(self._starts[article_id], end)
        best, best_overlap = None, 0
        for s, e, i in spans[max(0, hi - 64):hi]:
            overlap = min(e, end) - max(s, start)
            if overlap > best_overlap:
                best, best_overlap = i, overlap
        return None if best is None else self.entities[best]

    def resolve(self, surface: str, article_id: str | None = None) -> Entity | None:
        """The entity a surface form names (``"Mr Tokayev"``, ``"the CSTO"``).

        Titles and honorifics are ignored. An exact variant match wins; a lone
        surname resolves to the unique PERSON whose name ends with it (or the
        unique one mentioned in ``article_id``). Ambiguity returns ``None``.
        """
        key = self._strip_titles(name_key(surface))
        if not key:
            return None
        found = list(self._by_key.get(key, ()))
        if " " not in key:
            found += self._by_surname.get(key, ())
        if not found:
            return None
        found = list(dict.fromkeys(found))
        if len(found) > 1 and article_id is not None:
            here = [i for i in found if article_id in self.entities[i].counts()]
            found = here or found
        if len(found) > 1:
            # A unique PERSON wins over non-persons only for person-like surfaces.
            return None
        return self.entities[found[0]]

    def _strip_titles(self, key: str) -> str:
        gaz = self._gaz
        words = key.split()
        while len(words) > 1 and (
            words[0] in gaz.honorifics
            or words[0] in gaz.titles
            or words[0] in gaz.title_modifiers
            or words[0] in gaz.demonyms
        ):
            words.pop(0)
        return " ".join(words)


_LAST_LOOKUP: list[Any] = [None, None]


def _lookup(entities: Sequence[Entity]) -> EntityLookup:
    # Reuse the lookup while the caller passes the same (unchanged) list.
    cached_for, lookup = _LAST_LOOKUP
    if cached_for is entities and lookup is not None and len(lookup.entities) == len(entities):
        return lookup
    lookup = EntityLookup(entities)
    _LAST_LOOKUP[:] = [entities, lookup]
    return lookup


def entity_at(entities: Sequence[Entity], article_id: str, start: int, end: int) -> Entity | None:
    """The entity whose mention covers (overlaps) ``[start, end)`` in an article."""
    return _lookup(entities).at(article_id, start, end)


def resolve_name(
    entities: Sequence[Entity], surface: str, article_id: str | None = None
) -> Entity | None:
    """The canonical entity a surface form names, or ``None`` if unknown/ambiguous."""
    return _lookup(entities).resolve(surface, article_id)


# --- scanning -------------------------------------------------------------------

_UPPER = "".join(re.escape(chr(c)) for c in range(0x250) if chr(c).isupper()) + "\u0386-\u03ab\u0400-\u042f"
_CAPWORD_RE = re.compile(
    rf"(?<![\w'.])(?:(?:[{_UPPER}]\.){{2,}}|[{_UPPER}]\w*(?:'\w+)*(?:-\w+(?:'\w+)*)*'?)"
)
_HYPHEN_DIGITS_RE = re.compile(rf"\b([{_UPPER}]\w+)-(\d{{1,3}})\b")
_BARE_ACRONYM_RE = re.compile(r" \(([A-Z]{2,7})\)")
_PAREN_ACRONYM_RE = re.compile(r" ?\((?:the )?([A-Z][A-Za-z.&]{1,9})\)")
_DIGITS_AFTER_RE = re.compile(r" (\d{1,3})\b(?!,\d)(?: (\w+))?")
_JOIN_GAP_RE = re.compile(r" ([a-z]+)(?: ([a-z]+))? ")
_APPOS_AFTER_RE = re.compile(r", (?:a|an|the|its|his|her|their)\b([^,.;:()\"]{0,60})")
_SPEECH_AFTER_RE = re.compile(
    r" (?:said|says|told|added|stated|wrote|tweeted|explained|argued|warned|insisted|"
    r"noted|claimed|declared|announced|urged|vowed|confirmed|denied)\b"
)
_PLACE_AFTER_RE = re.compile(
    r" (?:city|province|region|district|oblast|town|village|county|rivers?|lake|valley"
    r"|mountains|desert|delta|basin|peninsula|island|islands)\b"
)
_STATE_OF_RE = re.compile(
    r"^(?:republic|kingdom|state|commonwealth|federation|principality|sultanate|emirate) of (.+)$"
)
_SMALL_WORDS = frozenset("a an the of in on at to for and or as by with from but is are".split())
_LETTERS_RE = re.compile(r"[^\W\d_][\w'\-]*")
_ORG_NOUN_AFTER = ("news agenc", "news channel", "news service", "newspaper", "news ",
                   "agency", "agencies", "broadcaster", "channel", "television", "tv ",
                   "radio", "party", "group")


_ORG_NOUN_BEFORE = frozenset(
    "group company firm carrier giant retailer broadcaster newspaper channel agency party bank "
    "insurer airline operator maker manufacturer conglomerate startup network outlet daily "
    "club side team outfit lender regulator watchdog charity consortium publisher utility chain".split()
)
_DATELINE_AFTER_RE = re.compile(r"(?:,| \(| -| \u2014| \u2013)")
# ", Indonesia researcher at ...": an appositive role without a determiner
_BARE_APPOS_RE = re.compile(r", (?:[\w'\-]+ ){0,3}?([a-z][\w\-]*)(?= (?:at|of|for|with|in|to)\b|,)")
_KNOWN_AS_RE = re.compile(r",? (?:also |better |commonly |locally )?(?:known|abbreviated) as ([A-Z][A-Za-z.&]{1,9})\b")
_ORG_VERB_AFTER_RE = re.compile(
    r" (?:is|was|are|were|has been|had been) (?:owned|bought|acquired|listed|headquartered|majority-owned)\b"
)
_COMPASS = frozenset(
    "north south east west central northern southern eastern western upper lower greater inner outer".split()
)
# plural people-nouns (beyond the title list) before "at X": "analysts at Deloitte"
_STAFF_NOUNS = frozenset("staff employees officials executives people members colleagues".split())
# "shares in X", "published in the X": an organisation or publication
_ORG_BEFORE_IN = frozenset("shares stake stock published wrote writing appeared".split())
_KIN_BEFORE = frozenset(
    "son sons daughter daughters wife husband mother nephew niece cousin grandson granddaughter "
    "widow uncle aunt".split()
)
# possessive plurals that belong inside a name: "People's Consultative Assembly"
_NAME_POSSESSIVES = frozenset(
    "people's peoples' workers' women's children's citizens' farmers' veterans' mothers' "
    "soldiers' journalists' writers' teachers' students' traders' employers' consumers' taxpayers'".split()
)
# lowercase nouns in an appositive that make the name a place: "Rosal Alto, a town in ..."
_PLACE_APPOS = frozenset("capital country nation settlement suburb neighbourhood neighborhood enclave hamlet".split())
_APPOS_STOPS = frozenset("of in at for with from on near by that which who whose where and or to".split())
_GROUP_OF_NUMBER_RE = re.compile(r" of (\d{1,3})\b(?![.,]\d)")
_SUBJECT_LIST_RE = re.compile(
    r"((?:, [A-Z][\w'\-]*(?: [A-Z][\w'\-]*){0,2})+),? and ([A-Z][\w'\-]*(?: [A-Z][\w'\-]*){0,2})( \([A-Z]{2,8}\))?"
)
_SUBJECT_NOUN_RE = re.compile(r"(?:tion|sion|logy|ment|ics|ity|ence|ance|ure|ies|ing|ism|ness)$")


def _subject_list(text: str, pos: int) -> bool:
    """Whether ``, X, Y and Z`` at *pos* continues an organisation's name.

    True when the list is followed by an acronym in parentheses, or when every
    item ends in a field-of-activity noun (Mediation, Meteorology, Studies);
    a list of other names ("Bank of America, Citigroup and Wells Fargo") is not.
    """
    m = _SUBJECT_LIST_RE.match(text, pos)
    if m is None:
        return False
    if m.group(3):
        return True
    items = [x.strip() for x in m.group(1).split(",") if x.strip()] + [m.group(2)]
    return all(_SUBJECT_NOUN_RE.search(x.rsplit(" ", 1)[-1]) for x in items)


_ORG_JOINERS = frozenset("of for on and in".split())
_PREPOSITIONS = frozenset("in near from to across outside around at".split())


def _prev_word(text: str, start: int) -> tuple[str, str, int]:
    """The word before ``start`` (casefolded), the gap after it, and its start."""
    i = start
    lo = max(0, start - 4)
    while i > lo and text[i - 1] in " ,.":
        i -= 1
    gap = text[i:start]
    j = i
    lo = max(0, i - 30)
    while j > lo and (text[j - 1].isalnum() or text[j - 1] in "'-."):
        j -= 1
    return text[j:i].casefold(), gap, j


class _Word:
    __slots__ = ("start", "end", "text", "low", "upper", "poss", "stop_after", "initial")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start, self.end, self.text = start, end, text
        self.low = text.casefold()
        self.upper = len(text) >= 2 and text.isupper()
        self.poss = False
        self.stop_after = False
        self.initial = False


@dataclass(slots=True)
class _Cand:
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

    def cue(self, typ: str, score: int) -> None:
        if score > self.cues.get(typ, 0):
            self.cues[typ] = score


def _initials(words: list[str], gaz: Gazetteer) -> tuple[str, str]:
    """Initials of a multi-word name: without and with joiner words."""
    content = "".join(w[0] for w in words if w not in gaz.joiners and w[0].isalnum())
    every = "".join(w[0] for w in words if w[0].isalnum())
    return content, every


_TITLE_PHRASE_TAILS: dict[str, list[str]] = defaultdict(list)
for _phrase in gazetteer().title_phrases:
    _TITLE_PHRASE_TAILS[_phrase.rsplit(" ", 1)[1]].append(_phrase)


class _Scanner:
    """Turns one article's text into candidate mentions."""

    def __init__(self, gaz: Gazetteer, hyphen_digits: set[str]) -> None:
        self.gaz = gaz
        self.hyphen_digits = hyphen_digits

    # -- words and runs --

    def _words(self, text: str) -> list[_Word]:
        gaz = self.gaz
        words: list[_Word] = []
        for m in _CAPWORD_RE.finditer(text):
            s, e = m.span()
            tok = m.group()
            if s > 1 and text[s - 1] == "-":
                # "al-Assad" keeps its particle; "ex-Soviet", "anti-Kremlin" do not
                k = s - 1
                while k > 0 and text[k - 1].isalpha():
                    k -= 1
                if text[k:s - 1] in gaz.particles:
                    s, tok = k, text[k:e]
            w = _Word(s, e, tok)
            if tok.casefold() in _NAME_POSSESSIVES and _CAPWORD_RE.match(text, e + 1) and text[e:e + 1] == " ":
                pass  # "People's Liberation Army", "Workers' Party"
            elif tok.endswith("'s") or tok.endswith("'S"):
                w.poss = True
                w.end -= 2
                w.text = tok[:-2]
            elif tok.endswith("'"):
                w.poss = tok[-2:-1] in ("s", "S")
                w.end -= 1
                w.text = tok[:-1]
            if "-" in w.text and not w.text[0].islower():
                parts = w.text.split("-")
                lower_at = next((i for i, p in enumerate(parts) if p[:1].islower()), None)
                if lower_at is not None:
                    if parts[lower_at].casefold() in gaz.hyphen_suffixes:
                        w.text = "-".join(parts[:lower_at])
                        w.end = w.start + len(w.text)
                        w.stop_after = True
                        w.poss = False
                    elif name_key(parts[0]) in gaz.demonyms or name_key(parts[0]) in gaz.nonnames:
                        continue  # Kazakh-language, Soviet-era
            elif len(w.text) == 1 and text[w.end:w.end + 1] == ".":
                w.end += 1  # a middle initial: "George W. Bush"
                w.text += "."
            m2 = _DIGITS_AFTER_RE.match(text, w.end)
            if m2 and not w.poss and w.text[0].isupper():
                follower = (m2.group(2) or "").casefold()
                if follower in gaz.media_nouns or name_key(w.text + " " + m2.group(1)) in self.hyphen_digits:
                    w.end = m2.end(1)
                    w.text = text[w.start:w.end]
            elif m2 is None and not w.poss and w.text.casefold() in gaz.org_heads:
                m3 = _GROUP_OF_NUMBER_RE.match(text, w.end)
                if m3:  # Group of 20
                    w.end = m3.end()
                    w.text = text[w.start:w.end]
            w.low = w.text.casefold()
            words.append(w)
        return words

    def _runs(self, text: str, words: list[_Word]) -> list[list[_Word]]:
        gaz = self.gaz
        runs: list[list[_Word]] = []
        run: list[_Word] = []
        joined = False
        for i, w in enumerate(words):
            if run:
                prev = run[-1]
                gap = text[prev.end:w.start]
                ok = False
                if not prev.poss and not prev.stop_after and "\n" not in gap:
                    if gap == " " or (prev.text.endswith(".") and gap in (" ", "")) or gap == " & ":
                        ok = True
                    else:
                        m = _JOIN_GAP_RE.fullmatch(gap)
                        if m:
                            j, j2 = m.group(1), m.group(2)
                            has_head = any(x.low in gaz.org_heads or x.low in gaz.place_heads for x in run)
                            prev_head = prev.low in gaz.org_heads or prev.low in gaz.place_heads
                            if j in gaz.particles and not prev_head and (j2 is None or j2 in gaz.particles):
                                ok = True  # Ursula von der Leyen
                            elif j2 not in (None, "the"):
                                ok = False
                            elif j in ("of", "for", "on") and has_head:
                                ok = True
                            elif j in ("and", "in", "of", "for", "on", "de", "du", "des") and joined:
                                ok = True
                            elif j == "and" and j2 is None and not prev_head and self._org_head_ahead(text, words, i):
                                ok = True  # Flood Forecasting and Warning Centre
                            joined = joined or ok
                        elif gap == ", " and joined and _subject_list(text, prev.end):
                            ok = True  # Commission for Conciliation, Mediation and Arbitration
                if ok and prev.low not in gaz.nonnames and (w.low not in gaz.nonnames or w.low in gaz.org_heads):
                    run.append(w)
                    continue
                runs.append(run)
            run = [w]
            joined = False
        if run:
            runs.append(run)
        return runs

    def _org_head_ahead(self, text: str, words: list[_Word], i: int) -> bool:
        """Whether the capitalised words from ``words[i]`` on (single-spaced) end in an org head."""
        j = i
        while j + 1 < len(words) and text[words[j].end:words[j + 1].start] == " " and not words[j].poss:
            j += 1
        return j > i and words[j].low in self.gaz.org_heads

    # -- one article --

    def scan(self, art_index: int, text: str, folded: str) -> list[_Cand]:
        gaz = self.gaz
        words = self._words(folded)
        out: list[_Cand] = []
        line_kind: dict[int, str] = {}
        for run in self._runs(folded, words):
            ls = folded.rfind("\n", 0, run[0].start) + 1
            kind = line_kind.get(ls)
            if kind is None:
                le = folded.find("\n", ls)
                kind = line_kind[ls] = _line_kind(folded[ls:le if le >= 0 else len(folded)])
            if kind == "caps":
                continue
            run[0].initial = _sentence_initial(folded, run[0].start, ls, gaz)
            for part, person_score in self._clean(folded, run):
                cand = self._candidate(art_index, text, folded, part, weak_line=kind == "headline")
                if cand is not None:
                    if person_score:
                        cand.cue("PERSON", person_score)
                    out.append(cand)
        return out

    def _clean(self, text: str, run: list[_Word]) -> Iterable[tuple[list[_Word], int]]:
        """Split a run into name parts: drop non-names, titles, leading fillers."""
        gaz = self.gaz
        segment: list[_Word] = []
        segments: list[list[_Word]] = []
        for w in run:
            if name_key(w.text) in gaz.nonnames and not (segment and w is run[-1] and w.low in gaz.org_heads):
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append(w)
        if segment:
            segments.append(segment)
        for seg in segments:
            yield from self._split_titles(text, seg)

    def _is_title(self, w: _Word) -> bool:
        low = w.low.rstrip(".")
        return low in self.gaz.titles or low in self.gaz.honorifics or w.low in self.gaz.honorifics

    def _split_titles(self, text: str, seg: list[_Word]) -> Iterable[tuple[list[_Word], int]]:
        gaz = self.gaz
        last = seg[-1].low
        orgish = last in gaz.org_heads or last in gaz.place_heads or any(
            text[a.end:b.start].strip().split(" ")[0] in _ORG_JOINERS for a, b in zip(seg, seg[1:])
        )
        person_score = 0
        if not orgish:
            # the rightmost title followed by a name: "White House Press Secretary Jen Psaki"
            for t in range(len(seg) - 1, -1, -1):
                if self._is_title(seg[t]):
                    name = seg[t + 1:]
                    ts = t
                    while ts > 0 and (self._is_title(seg[ts - 1]) or seg[ts - 1].low in gaz.title_modifiers):
                        ts -= 1
                    honor = any(w.low.rstrip(".") in gaz.honorifics for w in seg[ts:t + 1])
                    left = seg[:ts]
                    if left:
                        left[0].initial = seg[0].initial
                        yield from self._strip(left, 0)
                    if name:
                        yield from self._strip(name, 5 if honor else 4)
                    return
            # "Secretary of State Antony Blinken": the run starts inside a title phrase
            for phrase in _TITLE_PHRASE_TAILS.get(seg[0].low, ()) if len(seg) > 1 else ():
                head, _, tail = phrase.rpartition(" ")
                if text[max(0, seg[0].start - 40):seg[0].start].casefold().endswith(head + " "):
                    seg = seg[1:]
                    person_score = 4
                    break
        yield from self._strip(seg, person_score)

    def _strip(self, seg: list[_Word], person_score: int) -> Iterable[tuple[list[_Word], int]]:
        gaz = self.gaz
        seg = list(seg)
        while seg and (
            seg[0].low == "the"
            or (seg[0].initial and seg[0].low in gaz.common and len(seg) > 1)
        ):
            seg.pop(0)
            if seg:
                seg[0].initial = False
        ends_org = bool(seg) and seg[-1].low in gaz.org_heads
        while (
            len(seg) > 1
            and name_key(seg[0].text) in gaz.demonyms
            and gaz.lookup(name_key(" ".join(w.text for w in seg[1:]))) is not None
        ):
            seg.pop(0)
        while seg and self._is_title(seg[-1]) and not ends_org:
            seg.pop()
        if seg:
            yield seg, person_score

    def _candidate(
        self, art: int, text: str, folded: str, seg: list[_Word], weak_line: bool
    ) -> _Cand | None:
        gaz = self.gaz
        start, end = seg[0].start, seg[-1].end
        surface = " ".join(text[start:end].split())
        key = name_key(surface)
        if not key or key in gaz.nonnames or key in gaz.demonyms:
            return None
        single = len(seg) == 1
        w0 = seg[0]
        known = gaz.lookup(key)
        if single and known is None:
            if w0.low in gaz.common or w0.low in gaz.titles:
                return None
            if w0.upper and len(key) > 6 and not (w0.initial and _DATELINE_AFTER_RE.match(folded, end)):
                return None  # shouted words: BREAKING, UPDATE (but datelines are places)
        weak = weak_line or (single and w0.initial)
        cand = _Cand(art, start, end, text[start:end], key, weak)
        if single and w0.upper and w0.initial and known is None and _DATELINE_AFTER_RE.match(folded, end):
            cand.cue("PLACE", 3)
            cand.weak = False
        elif single and w0.upper and len(key.replace(" ", "")) <= 7 and known is None:
            cand.acronym = True
            cand.cue("ORG", 1)
        elif single and w0.upper and known is not None and key in gaz.acronyms:
            cand.acronym = True
        # intrinsic cues
        if known is None:
            m_state = _STATE_OF_RE.match(key)
            if m_state and (inner := gaz.lookup(m_state.group(1))) is not None and inner.type == "PLACE":
                known, cand.key = inner, m_state.group(1)  # Republic of Kazakhstan
        if known is not None:
            cand.cue(known.type, 6)  # the gazetteer is definitive (but see honorific split)
        low_words = [w.low for w in seg]
        last = low_words[-1]
        if last in gaz.org_heads or any(
            w in gaz.org_heads and nxt in ("of", "for", "on") for w, nxt in zip(low_words, key.split()[1:])
        ) or any(a.low in gaz.org_heads and folded[a.end:b.start] in (" of ", " for ", " on ") for a, b in zip(seg, seg[1:])):
            cand.cue("ORG", 4)
        elif last in gaz.place_heads and len(seg) > 1:
            cand.cue("PLACE", 3)
        elif known is None and not single and not self._is_title(w0) and (
            w0.low in gaz.org_heads or getattr(gaz.lookup(name_key(w0.text)), "type", "") == "ORG"
        ):
            cand.cue("ORG", 2)  # Bank Indonesia, Radio Cooperativa, BBC Scotland
        elif known is None and len(seg) == 2 and w0.low in _COMPASS:
            cand.cue("PLACE", 2)  # Central Java, Western Cape
        if "-" in w0.text and single:
            head = gaz.lookup(name_key(w0.text.split("-")[0]))
            if head is not None and head.type == "ORG":
                cand.cue("ORG", 3)
        if 2 <= len(seg) <= 4 and (low_words[0] in gaz.given_names or low_words[0].split("-")[0] in gaz.given_names):
            cand.cue("PERSON", 2)
        elif single and known is None and w0.low in gaz.given_names:
            cand.cue("PERSON", 1)
        # context before
        prev, gap, pstart = _prev_word(folded, start)
        if prev:
            if gap in (" ", ". ") and prev.rstrip(".") in gaz.honorifics:
                cand.cue("PERSON", 5)
            elif gap == " " and prev in gaz.titles:
                cand.cue("PERSON", 4)
            elif gap == " " and (prev in _ORG_NOUN_BEFORE or prev.endswith("maker")):
                cand.cue("ORG", 3)  # the Swiss drugmaker Novartis
            elif gap in (" ", ", ") and prev in _KIN_BEFORE:
                cand.cue("PERSON", 3)  # whose son Javier
            elif gap == ", ":
                before = folded[max(0, start - 60):start].rsplit(".", 1)[-1]
                if any(x.casefold() in gaz.titles for x in _LETTERS_RE.findall(before)[-6:]):
                    cand.cue("PERSON", 2)
            if gap == " " and prev == "the":
                prev, gap, pstart = _prev_word(folded, pstart)
            if gap == " " and prev == "of":
                head, gap2, _ = _prev_word(folded, pstart)
                if gap2 == " " and head in gaz.place_context:
                    cand.cue("PLACE", 4)
                elif gap2 == " " and head in _ORG_BEFORE_IN:
                    cand.cue("ORG", 3)  # shares of X
            elif gap == " " and prev in ("in", "at", "with"):
                head, gap2, _ = _prev_word(folded, pstart)
                people = head in _STAFF_NOUNS or head in gaz.titles or head.removesuffix("s") in gaz.titles
                if gap2 == " " and (head in _ORG_BEFORE_IN or (prev != "in" and people)):
                    cand.cue("ORG", 3)  # shares in X, published in the X, analysts at X
                elif single:
                    cand.cue("PLACE", 1)
            elif gap == " " and prev in _PREPOSITIONS and single:
                cand.cue("PLACE", 1)
        # context after
        after = folded[end:end + 80]
        ma = _APPOS_AFTER_RE.match(after)
        if ma:
            appos = [x.casefold() for x in _LETTERS_RE.findall(ma.group(1))[:6]]
            # the head noun: the last word before a preposition or relative pronoun
            cut = next((k for k, x in enumerate(appos) if x in _APPOS_STOPS), len(appos))
            noun = appos[cut - 1].rsplit("-", 1)[-1] if cut else ""
            if any(x in gaz.titles for x in appos):
                cand.cue("PERSON", 2)
            elif noun in _ORG_NOUN_BEFORE or noun in gaz.org_heads:
                cand.cue("ORG", 3)  # Gavi, the vaccine alliance
                cand.weak = weak_line
            elif noun in gaz.place_heads or noun in _PLACE_APPOS:
                cand.cue("PLACE", 3)  # Rosal Alto, a coffee-growing town
                cand.weak = weak_line
        elif len(seg) >= 2 and (mb := _BARE_APPOS_RE.match(after)) and mb.group(1) in gaz.titles:
            cand.cue("PERSON", 2)  # Maya Putri, Indonesia researcher at ...
        if _ORG_VERB_AFTER_RE.match(after):
            cand.cue("ORG", 3)  # Manchester City is owned by ...
        after_low = after.casefold()
        if after_low.startswith(" ") and after_low[1:].startswith(_ORG_NOUN_AFTER):
            cand.cue("ORG", 3)
        if _PLACE_AFTER_RE.match(after_low):
            cand.cue("PLACE", 2)
        if len(seg) >= 2 and _SPEECH_AFTER_RE.match(after):
            cand.cue("PERSON", 1)
        mac = _PAREN_ACRONYM_RE.match(folded, end)
        if mac and len(seg) >= 2:
            acr = name_key(mac.group(1)).replace(" ", "")
            content, every = _initials(key.split(), gaz)
            if acr in (content, every) or (cand.cues.get("ORG", 0) >= 4 and gaz.lookup(acr) is None):
                cand.expands = acr
        elif len(seg) >= 2 and (mk := _KNOWN_AS_RE.match(folded, end)) and mk.group(1).isupper():
            acr = name_key(mk.group(1)).replace(" ", "")
            if cand.cues.get("ORG", 0) >= 4 and gaz.lookup(acr) is None:
                cand.expands = acr  # the General Elections Commission, known as KPU
        return cand


def _line_kind(line: str) -> str:
    """``"caps"`` for an ALL-CAPS line, ``"headline"`` for a Title Case line, else ``"text"``."""
    stripped = line.strip()
    if not stripped:
        return "text"
    if len(stripped) > 300:
        return "text"
    words = _LETTERS_RE.findall(stripped)
    if len(words) >= 3 and stripped.isupper():
        return "caps"
    if stripped[-1] in ".!?\"'" or len(words) > 25:
        return "text"
    content = [w for w in words if w.casefold() not in _SMALL_WORDS]
    if not content:
        return "text"
    caps = sum(1 for w in content if w[0].isupper())
    if caps / len(content) >= 0.6:
        return "headline"
    return "text"


def _sentence_initial(text: str, start: int, line_start: int, gaz: Gazetteer) -> bool:
    """Whether the word at ``start`` opens a sentence (so its capital proves nothing)."""
    i = start - 1
    while i >= line_start and text[i] in " \"'([":
        i -= 1
    if i < line_start:
        return True
    c = text[i]
    if c in "!?:;\u2026":
        return True
    if c == "-" and i > line_start and text[i - 1] == " ":
        return True
    if c == ".":
        m = re.search(r"(\w+)\.$", text[max(line_start, i - 12):i + 1])
        if m:
            w = m.group(1)
            if w.casefold() in gaz.honorifics or (len(w) == 1 and w.isupper()):
                return False
            if text[i - 2:i - 1] == ".":  # U.S. officials
                return False
        return True
    return False


# --- corpus-wide merging ----------------------------------------------------------


@dataclass(slots=True)
class _Group:
    key: str
    type: str = "OTHER"
    score: int = 0
    cands: list[int] = field(default_factory=list)
    cues: dict[str, int] = field(default_factory=dict)
    acronym: bool = False
    known: str | None = None


_TYPE_RANK = {t: i for i, t in enumerate(ENTITY_TYPES)}


def _pick_type(cues: dict[str, int]) -> tuple[str, int]:
    if not cues:
        return "OTHER", 0
    typ = min(cues, key=lambda t: (-cues[t], _TYPE_RANK[t]))
    return typ, cues[typ]


def _near_surname(key: str, surnames: dict[str, list[str]]) -> str | None:
    """The unique known surname that *key* is a spelling variant of (same initial)."""
    if len(key) < 5:
        return None
    near = process.extract(
        key, list(dict.fromkeys(surnames.get(key[:1], ()))), scorer=fuzz.ratio, score_cutoff=80, limit=2
    )
    return near[0][0] if len(near) == 1 else None


def _resolve_weak(cands: list[_Cand], gaz: Gazetteer, text_of: list[str]) -> list[_Cand]:
    """Keep weak candidates only when the corpus (or the gazetteer) vouches for them."""
    strong: set[str] = set()
    surnames: dict[str, list[str]] = defaultdict(list)
    for c in cands:
        if not c.weak:
            strong.add(c.key)
            if " " in c.key and c.cues.get("PERSON", 0) >= 2:
                last = c.key.rsplit(" ", 1)[1]
                strong.add(last)
                surnames[last[:1]].append(last)
    out: list[_Cand] = []
    for c in cands:
        if not c.weak or c.key in strong or gaz.lookup(c.key) is not None:
            out.append(c)
            continue
        if " " not in c.key:
            if _near_surname(c.key, surnames):
                out.append(c)
            continue
        # a headline run: keep its longest sub-runs that are known names
        text = text_of[c.art]
        spans = [(m.start() + c.start, m.end() + c.start) for m in re.finditer(r"\S+", text[c.start:c.end])]
        i = 0
        while i < len(spans):
            for j in range(len(spans), i, -1):
                s, e = spans[i][0], spans[j - 1][1]
                surf = text[s:e].rstrip(",;:")
                e = s + len(surf)
                if surf.endswith("'s") or surf.endswith("\u2019s"):
                    surf, e = surf[:-2], e - 2
                key = name_key(surf)
                if key and (key in strong or gaz.lookup(key) is not None) and key not in gaz.demonyms:
                    sub = _Cand(c.art, s, e, surf, key, False)
                    known = gaz.lookup(key)
                    if known is not None:
                        sub.cue(known.type, 3)
                    out.append(sub)
                    i = j - 1
                    break
            i += 1
    return out


def extract_entities(articles: Sequence[Article]) -> list[Entity]:
    """Find the people, organisations and places named in *articles*, merged corpus-wide.

    Returns entities sorted by total mentions (descending), then name.
    """
    gaz = gazetteer()
    texts = [a.text for a in articles]
    folded_texts = [_fold_chars(t) for t in texts]
    hyphen_digits: set[str] = set()
    lower_acronyms: set[str] = set()
    for ft in folded_texts:
        for m in _HYPHEN_DIGITS_RE.finditer(ft):
            hyphen_digits.add(name_key(m.group()))
        for m in _BARE_ACRONYM_RE.finditer(ft):
            # "liquid petroleum gas (LPG)": an acronym of lowercase words is no name
            acr = m.group(1).casefold()
            ws = ft[max(0, m.start() - 120):m.start()].split()[-(len(acr) + 3):]
            if not ws or not ws[-1][:1].islower():
                continue
            for n in range(len(acr), len(acr) + 3):
                if n <= len(ws) and acr in _initials([w.casefold() for w in ws[-n:]], gaz):
                    lower_acronyms.add(acr)
                    break

    scanner = _Scanner(gaz, hyphen_digits)
    cands: list[_Cand] = []
    for i, t in enumerate(texts):
        cands.extend(scanner.scan(i, t, folded_texts[i]))
    cands = [c for c in cands if not (c.acronym and c.key in lower_acronyms)]
    cands = _resolve_weak(cands, gaz, texts)

    # --- groups by key; a known place named with an honorific splits off
    groups: dict[tuple[str, str], _Group] = {}
    for ci, c in enumerate(cands):
        known = gaz.lookup(c.key)
        sub = ""
        if known is not None and known.type != "PERSON" and c.cues.get("PERSON", 0) >= 4:
            sub = "PERSON"
        g = groups.get((c.key, sub))
        if g is None:
            g = groups[(c.key, sub)] = _Group(c.key, known=known.name if known and not sub else None)
        g.cands.append(ci)
        g.acronym = g.acronym or c.acronym
        for typ, sc in c.cues.items():
            if sc > g.cues.get(typ, 0):
                g.cues[typ] = sc
        if sub:
            g.cues = {"PERSON": max(g.cues.get("PERSON", 0), 5)}
    glist = list(groups.values())
    for g in glist:
        g.type, g.score = _pick_type(g.cues)

    # surname evidence both ways: "Mr Nazarbayev" makes "Nursultan Nazarbayev" a
    # PERSON, and a full PERSON name makes its bare surname one.
    single_person = {g.key for g in glist if " " not in g.key and g.type == "PERSON" and g.score >= 4}
    multi_person_last = {g.key.rsplit(" ", 1)[1] for g in glist if " " in g.key and g.type == "PERSON" and g.score >= 2}
    for g in glist:
        if g.score < 3 and g.known is None:
            if " " in g.key and g.key.rsplit(" ", 1)[1] in single_person and not g.acronym:
                g.type, g.score = "PERSON", 3
            elif " " not in g.key and g.key in multi_person_last and not g.acronym:
                g.type, g.score = "PERSON", 2

    uf = UnionFind(len(glist))
    # known aliases (UN / United Nations, Astana / Nur-Sultan)
    by_known: dict[tuple[str, str], int] = {}
    for i, g in enumerate(glist):
        if g.known is not None and g.type != "PERSON":
            j = by_known.setdefault((g.known, g.type), i)
            uf.union(i, j)
    # explicit acronyms: "Collective Security Treaty Organisation (CSTO)"
    acr_targets: dict[str, set[int]] = defaultdict(set)
    for i, g in enumerate(glist):
        for ci in g.cands:
            if cands[ci].expands:
                acr_targets[cands[ci].expands].add(i)
    # implicit acronyms: unique initials match among multi-word ORG/OTHER names
    initials_index: dict[str, set[int]] = defaultdict(set)
    for i, g in enumerate(glist):
        if " " in g.key and g.type in ("ORG", "OTHER"):
            for ini in set(_initials(g.key.split(), gaz)):
                if len(ini) >= 2:
                    initials_index[ini].add(i)
    for i, g in enumerate(glist):
        if not g.acronym or g.type == "PERSON":
            continue
        targets = acr_targets.get(g.key) or initials_index.get(g.key.replace(" ", ""), set())
        roots = {uf.find(t) for t in targets}
        if len(roots) == 1:
            t = next(iter(targets))
            uf.union(i, t)
            if glist[t].type == "OTHER":
                glist[t].type, glist[t].score = "ORG", max(glist[t].score, 2)
            g.type = glist[t].type
    # fuzzy variants (transliteration, typos) within blocks, per type
    _fuzzy_merge(glist, uf, gaz)
    # surnames: a lone surname joins the unique full name ending with it
    persons_by_suffix: dict[str, set[int]] = defaultdict(set)
    surnames: dict[str, list[str]] = defaultdict(list)
    for i, g in enumerate(glist):
        if g.type == "PERSON" and " " in g.key:
            words = g.key.split()
            for k in range(1, len(words)):
                persons_by_suffix[" ".join(words[k:])].add(i)
            surnames[words[-1][:1]].append(words[-1])
    per_cand_root: dict[int, int] = {}
    for i, g in enumerate(glist):
        if g.type not in ("PERSON", "OTHER") or g.acronym:
            continue
        targets = persons_by_suffix.get(g.key)
        if not targets and " " not in g.key:
            near = _near_surname(g.key, surnames)
            targets = persons_by_suffix.get(near) if near else None
        targets = {t for t in targets or () if t != i}
        if not targets:
            continue
        roots = {uf.find(t) for t in targets}
        if len(roots) == 1:
            uf.union(i, next(iter(targets)))
            g.type = "PERSON"
            continue
        # ambiguous corpus-wide: attach per article when unique there
        art_roots: dict[int, set[int]] = defaultdict(set)
        for t in targets:
            for ci in glist[t].cands:
                art_roots[cands[ci].art].add(uf.find(t))
        g.type = "PERSON"
        for ci in g.cands:
            here = art_roots.get(cands[ci].art, set())
            if len(here) == 1:
                per_cand_root[ci] = next(iter(here))

    # --- assemble entities
    members: dict[int, list[int]] = defaultdict(list)
    root_groups: dict[int, list[_Group]] = defaultdict(list)
    for i, g in enumerate(glist):
        root_groups[uf.find(i)].append(g)
        for ci in g.cands:
            members[uf.find(per_cand_root.get(ci, i))].append(ci)
    best_group: dict[int, _Group] = {}
    for i, g in enumerate(glist):
        r = uf.find(i)
        cur = best_group.get(r)
        if cur is None or (g.score, -_TYPE_RANK[g.type]) > (cur.score, -_TYPE_RANK[cur.type]):
            best_group[r] = g
    entities: list[Entity] = []
    ids = [a.id for a in articles]
    text_of = {a.id: a.text for a in articles}
    for r, cis in members.items():
        cis.sort(key=lambda ci: (cands[ci].art, cands[ci].start))
        mentions: list[Mention] = []
        last_end = (-1, -1)
        for ci in cis:
            c = cands[ci]
            if (c.art, c.start) < last_end:
                continue  # overlapping duplicate
            mentions.append(Mention(ids[c.art], c.start, c.end, c.surface))
            last_end = (c.art, c.end)
        variant_counts = Counter(" ".join(m.text.split()) for m in mentions)
        typ = best_group[r].type
        name = _canonical(variant_counts, root_groups[r])
        variants = tuple(sorted(variant_counts, key=lambda v: (-variant_counts[v], v)))
        entities.append(Entity(name, typ, variants, MentionList.of(mentions, name, text_of)))
    entities.sort(key=lambda e: (-len(e.mentions), e.name))
    return entities


def _canonical(variant_counts: Counter[str], groups: list[_Group]) -> str:
    """The most complete well-formed variant (the expansion, not the acronym)."""

    def score(v: str) -> tuple:
        words = v.replace("-", " ").split()
        acronym = len(words) == 1 and sum(c.isupper() for c in v) >= 2 and v.upper() == v
        shouted = any(len(w) > 4 and w.isupper() for w in words)
        return (
            not acronym,
            not shouted,
            len(words),
            variant_counts[v],
            sum(c.isupper() for c in v) if not shouted else 0,
            -v.count("-"),
        )

    known = next((g.known for g in groups if g.known), None)
    if known is not None and known in variant_counts:
        return known
    best = max(sorted(variant_counts), key=score)
    if known is not None and " " not in best and best.isupper():
        return known  # only the acronym was seen: "UN" -> "United Nations"
    return best


def _fuzzy_merge(glist: list[_Group], uf: UnionFind, gaz: Gazetteer) -> None:
    """Merge spelling/transliteration variants of the same type, within small blocks."""
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, g in enumerate(glist):
        if g.acronym:
            continue
        words = g.key.split()
        if g.type == "PERSON":
            if len(words) < 2:
                continue
            blocks[("P", words[0][0], words[-1][:2], len(words))].append(i)
        else:
            compact = g.key.replace(" ", "")
            if len(compact) < 6:
                continue
            blocks[(g.type, compact[:2], len(words))].append(i)
    for block in blocks.values():
        if len(block) < 2:
            continue
        block = block[:200]  # guard against pathological blocks
        for x in range(len(block)):
            gi = glist[block[x]]
            for y in range(x + 1, len(block)):
                gj = glist[block[y]]
                if uf.find(block[x]) == uf.find(block[y]):
                    continue
                if gi.known and gj.known and gi.known != gj.known:
                    continue
                if _same_name(gi, gj):
                    uf.union(block[x], block[y])


_DIGITS_RE = re.compile(r"\d+")


def _same_name(a: _Group, b: _Group) -> bool:
    if _DIGITS_RE.findall(a.key) != _DIGITS_RE.findall(b.key):
        return False
    if a.type == "PERSON":
        wa, wb = a.key.split(), b.key.split()
        if any(fuzz.ratio(x, y) < 80 for x, y in zip(wa, wb)):
            return False
        return fuzz.ratio(wa[-1], wb[-1]) >= 85 and fuzz.ratio(a.key, b.key) >= 85
    ca, cb = a.key.replace(" ", ""), b.key.replace(" ", "")
    return fuzz.ratio(ca, cb) >= 88


if __name__ == "__main__":  # pragma: no cover - manual inspection
    from pathlib import Path

    arts = []
    for p in sys.argv[1:]:
        t = Path(p).read_text("utf-8")
        arts.append(Article(Path(p).stem, p, t, ((0, len(t)),)))
    for ent in extract_entities(arts)[:40]:
        print(f"{len(ent.mentions):3d} {ent.type:6s} {ent.name} {list(ent.variants)}")
