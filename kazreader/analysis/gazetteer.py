"""The word lists behind entity extraction: places, known organisations, titles.

Everything is loaded once from the plain-text files shipped in
``kazreader/analysis/data/`` (``places.txt``, ``known.txt``, ``lexicon.txt``)
and exposed as one frozen :class:`Gazetteer`. Lookups are by *key*
(:func:`name_key`): typography, case, accents, possessives, dots, hyphens and
British/American spellings are folded away, so ``"the CSTO's"`` and
``"C.S.T.O."``, or ``"Organisation"`` and ``"Organization"``, share a key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kazreader.text import fold

__all__ = ["Gazetteer", "Known", "gazetteer", "name_key"]

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


@lru_cache(maxsize=262144)
def name_key(surface: str) -> str:
    """The comparison key of a name.

    >>> name_key("the CSTO's") == name_key("C.S.T.O.") == "csto"
    True
    >>> name_key("RIA-Novosti") == name_key("Ria Novosti")
    True
    """
    s = fold(surface).strip()
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = _DOTTED_RE.sub(lambda m: m.group().replace(".", ""), s)
    s = _POSSESSIVE_RE.sub("", s)
    s = s.replace("&", " and ")
    s = _DROP_RE.sub(" ", s)
    s = _SEP_RE.sub(" ", s).strip().replace("'", "")
    if s.startswith("the "):
        s = s[4:]
    words = [_SPELLING.get(w, w) for w in s.split()]
    return _ISE_RE.sub(r"\1iz\2", " ".join(words))


@dataclass(frozen=True, slots=True)
class Known:
    """A name the gazetteer knows: its canonical form and type."""

    name: str
    type: str


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

    def lookup(self, key: str) -> Known | None:
        """The known place or organisation with this key, if any."""
        return self.known.get(key)


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
    )
