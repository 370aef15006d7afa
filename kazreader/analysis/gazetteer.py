"""The word lists behind entity extraction: places, known organisations, titles, names.

Everything is loaded once from the plain-text files shipped in
``kazreader/analysis/data/`` (``places.txt``, ``known.txt``, ``lexicon.txt``,
``given_names.tsv``, ``nicknames.txt``, ``geo_places.tsv``; their sources and
licences are in ``data/README.md``) and exposed as one frozen :class:`Gazetteer`. Lookups are by *key*
(:func:`name_key`): typography, case, accents, possessives, dots, hyphens and
British/American spellings are folded away, so ``"the CSTO's"`` and
``"C.S.T.O."``, or ``"Organisation"`` and ``"Organization"``, share a key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from kazreader.text import fold

__all__ = ["GeoKind", "Gazetteer", "Known", "Place", "gazetteer", "name_key"]

_SPELLING = {
    "organisation": "organization",
    "organisations": "organizations",
    "defence": "defense",
    "centre": "center",
    "programme": "program",
    "labour": "labor",
    "theatre": "theater",
    "harbour": "harbor",
    "honour": "honor",
    "cooperation": "co operation",
}
_ISE_RE = re.compile(r"(\w{3,})is(ation|ations|ed|ing)\b")
_POSSESSIVE_RE = re.compile(r"'s?$")
_DOTTED_RE = re.compile(r"\b(?:\w\.){2,}")
_SEP_RE = re.compile(r"[\s\-/]+")
_DROP_RE = re.compile(r"[^\w\s&'\-/]")
_PLAIN_RE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")


@lru_cache(maxsize=262144)
def name_key(surface: str) -> str:
    """The comparison key of a name.

    >>> name_key("the CSTO's") == name_key("C.S.T.O.") == "csto"
    True
    >>> name_key("RIA-Novosti") == name_key("Ria Novosti")
    True
    """
    if _PLAIN_RE.fullmatch(surface):  # the common case (most names): only the steps that apply
        return _plain(surface)
    return _full_key(surface)


def _full_key(surface: str) -> str:
    """:func:`name_key` by every step (it short-cuts plain ASCII words)."""
    s = fold(surface).strip()
    if not s.isascii():
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = _DOTTED_RE.sub(lambda m: m.group().replace(".", ""), s)
    s = _POSSESSIVE_RE.sub("", s)
    s = s.replace("&", " and ")
    s = _DROP_RE.sub(" ", s)
    s = _SEP_RE.sub(" ", s).strip().replace("'", "")
    if s.startswith("the "):
        s = s[4:]
    return _spelled(s)


@dataclass(frozen=True, slots=True)
class Known:
    """A name the gazetteer knows: its canonical form and type."""

    name: str
    type: str


class GeoKind(StrEnum):
    """What kind of place a ``geo_places.tsv`` row is."""

    COUNTRY = "country"
    US_STATE = "us_state"
    US_COUNTY = "us_county"
    CITY = "city"


@dataclass(frozen=True, slots=True)
class Place:
    """A place of the shipped GeoNames extract: its kind and population (0 when unknown)."""

    kind: GeoKind
    population: int


@dataclass(frozen=True)
class Gazetteer:
    """Every word list entity extraction consults (all keys are :func:`name_key`\\ s)."""

    known: dict[str, Known]          # places and organisations, every alias
    acronyms: frozenset[str]         # keys of all-caps aliases (un, nato, ...)
    demonyms: dict[str, str]         # demonym key -> place name
    honorifics: frozenset[str]
    titles: frozenset[str]
    title_modifiers: frozenset[str]
    title_phrases: tuple[str, ...]
    org_heads: frozenset[str]
    place_heads: frozenset[str]
    place_context: frozenset[str]
    media_nouns: frozenset[str]
    particles: frozenset[str]
    joiners: frozenset[str]
    hyphen_suffixes: frozenset[str]
    nonnames: frozenset[str]
    common: frozenset[str]
    given_names: frozenset[str]
    #: given name (casefolded) -> "m", "f" or "u" (both), from given_names.tsv and the lexicon
    genders: Mapping[str, str]
    #: every other lexicon section (casefolded items), by section name
    sections: Mapping[str, frozenset[str]]
    #: geo_places.tsv by name key
    places: Mapping[str, Place]
    #: AP-style state abbreviations with their dot ("fla.") -> state
    state_abbreviations: Mapping[str, str]
    #: given name (casefolded) -> the nickname group ids it belongs to
    nickname_groups: Mapping[str, frozenset[int]]
    #: a title's other written forms (casefolded, no dot) -> the form roles are compared by ("sen" -> "senator")
    title_forms: Mapping[str, str]

    def lookup(self, key: str) -> Known | None:
        """The known place or organisation with this key, if any."""
        return self.known.get(key)

    def words(self, section: str) -> frozenset[str]:
        """The casefolded items of a lexicon section (empty if there is none)."""
        return self.sections.get(section, frozenset())

    def gender(self, given: str) -> str | None:
        """``"m"``, ``"f"`` or ``"u"`` for a known given name, else ``None``."""
        return self.genders.get(given.casefold())

    def same_given_name(self, a: str, b: str) -> bool:
        """Whether two given names are one, or nicknames of each other (Bob, Robert)."""
        a, b = a.casefold(), b.casefold()
        if a == b:
            return True
        ga, gb = self.nickname_groups.get(a), self.nickname_groups.get(b)
        return bool(ga and gb and ga & gb)

    def place(self, key: str) -> Place | None:
        """The GeoNames place with this key, if any."""
        return self.places.get(key)


def _read(name: str) -> list[str]:
    text = resources.files("kazreader.analysis").joinpath("data", name).read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _sections(lines: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = ""
    for ln in lines:
        if ln.startswith("[") and ln.endswith("]"):
            current = ln[1:-1]
            out.setdefault(current, [])
        else:
            out.setdefault(current, []).append(ln)
    return out


def _items(lines: list[str]) -> frozenset[str]:
    return frozenset(
        item.strip().casefold() for ln in lines for item in ln.split(",") if item.strip()
    )


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in alias


def _rows(name: str) -> list[list[str]]:
    return [ln.split("\t") for ln in _read(name) if "\t" in ln]


def _genders(lexicon_names: frozenset[str]) -> dict[str, str]:
    out = {row[0].casefold(): row[1] for row in _rows("given_names.tsv") if len(row) >= 2}
    for n in lexicon_names:
        out.setdefault(n, "u")
    return out


def _nicknames() -> dict[str, frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for i, ln in enumerate(_read("nicknames.txt")):
        for n in ln.split(","):
            if n.strip():
                groups.setdefault(n.strip().casefold(), set()).add(i)
    return {k: frozenset(v) for k, v in groups.items()}


def _plain_key(name: str) -> str:
    """:func:`name_key` without its cache (for the thousands of names read once)."""
    return _plain(name) if _PLAIN_RE.fullmatch(name) else name_key(name)


def _plain(name: str) -> str:
    """:func:`name_key` of plain ASCII words, single-spaced (of every step, only these apply)."""
    s = name.lower()
    if s.startswith("the "):
        s = s[4:]
    return _spelled(s)


def _spelled(s: str) -> str:
    """British spellings as American ones (``organisation``, ``defence``, ``-ise``)."""
    s = " ".join([_SPELLING.get(w, w) for w in s.split()])
    if "isation" in s or "ised" in s or "ising" in s:  # (what the pattern needs: most names have none)
        s = _ISE_RE.sub(r"\1iz\2", s)
    return s


def _places() -> dict[str, Place]:
    out: dict[str, Place] = {}
    for row in _rows("geo_places.tsv"):
        if len(row) < 3:
            continue
        key, place = _plain_key(row[0]), Place(GeoKind(row[1]), int(row[2]))
        cur = out.get(key)
        if key and (cur is None or place.population > cur.population):
            out[key] = place
    return out


#: Lexicon sections of ``key: value`` lines (read by :func:`_pairs`, not as word lists).
_PAIR_SECTIONS = ("demonyms", "state_abbreviations", "title_forms")


def _pairs(lines: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ln in lines:
        k, _, v = ln.partition(":")
        out[k.strip().casefold()] = v.strip()
    return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Load (once) and return the shipped gazetteer."""
    known: dict[str, Known] = {}
    acronyms: set[str] = set()

    def add(typ: str, names: list[str]) -> None:
        canonical = names[0]
        for alias in names:
            key = name_key(alias)
            if key and key not in known:
                known[key] = Known(canonical, typ)
            if _is_acronym(alias):
                acronyms.add(key)

    # Organisations first: "UN" the organisation wins over nothing else, and
    # place aliases never shadow an organisation's acronym.
    for ln in _read("known.txt"):
        typ, _, rest = ln.partition(" ")
        add(typ, [n.strip() for n in rest.split("|") if n.strip()])
    for ln in _read("places.txt"):
        add("PLACE", [n.strip() for n in ln.split("|") if n.strip()])

    sec = _sections(_read("lexicon.txt"))
    demonyms: dict[str, str] = {}
    for ln in sec.get("demonyms", []):
        place, _, dems = ln.partition(":")
        for d in dems.split(","):
            if d.strip():
                demonyms[name_key(d)] = place.strip()
    return Gazetteer(
        known=known,
        acronyms=frozenset(acronyms),
        demonyms=demonyms,
        honorifics=_items(sec["honorifics"]),
        titles=_items(sec["titles"]),
        title_modifiers=_items(sec["title_modifiers"]),
        title_phrases=tuple(sorted(_items(sec["title_phrases"]), key=len, reverse=True)),
        org_heads=_items(sec["org_heads"]),
        place_heads=_items(sec["place_heads"]),
        place_context=_items(sec["place_context"]),
        media_nouns=_items(sec["media_nouns"]),
        particles=_items(sec["particles"]),
        joiners=_items(sec["joiners"]),
        hyphen_suffixes=_items(sec["hyphen_suffixes"]),
        nonnames=frozenset(name_key(w) for w in _items(sec["nonnames"])),
        common=_items(sec["common"]),
        given_names=_items(sec["given_names"]),
        genders=_genders(_items(sec["given_names"])),
        sections={k: _items(v) for k, v in sec.items() if k not in _PAIR_SECTIONS},
        places=_places(),
        state_abbreviations=_pairs(sec.get("state_abbreviations", [])),
        nickname_groups=_nicknames(),
        title_forms=_pairs(sec.get("title_forms", [])),
    )
