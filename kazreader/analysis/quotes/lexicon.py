"""The quotation word lists, read once from ``data/quote_lexicon.txt`` and ``data/given_names.tsv``.

Every rule of attribution that names words (speech verbs, frames, titles,
gender cues, role nouns) reads them from here; the code holds none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import import_module
from importlib.resources import files
from typing import Any

__all__ = ["Gender", "Lexicon", "lexicon", "name_gender"]


class Gender(StrEnum):
    """What a pronoun or a cue says about who is meant."""

    MALE = "m"
    FEMALE = "f"
    ORG = "org"
    PLURAL = "pl"
    SELF = "self"


@dataclass(frozen=True)
class Lexicon:
    """The quotation lexicon's sections, ready to use."""

    cue_re: re.Pattern[str]  # any speech cue; group ``fwd`` set for "according to"-like cues
    speech_nouns: frozenset[str]
    male: frozenset[str]
    female: frozenset[str]
    titles: frozenset[str]
    not_a_name: re.Pattern[str]
    person_roles: frozenset[str]
    party_nouns: frozenset[str]
    org_roles: frozenset[str]
    pronouns: dict[str, Gender]
    aux: frozenset[str]
    oblique: frozenset[str]
    np_stop: frozenset[str]
    title_lead: frozenset[str]  # words before a quoted Title Case phrase that make it a name
    title_small_words: frozenset[str]
    inverting_verbs: frozenset[str]  # verbs the speaker may follow ("says X of Y, “…”")
    abbreviations: dict[str, frozenset[str]]  # an abbreviated title -> the role nouns it stands for


def _sections(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head = re.fullmatch(r"\[(\w+)\]", line)
        if head:
            current = out.setdefault(head.group(1), [])
            continue
        current.extend(item.strip() for item in line.split(", ") if item.strip())
    return out


def _words(items: list[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in items)


def _alternation(items: list[str]) -> str:
    return "|".join(f"(?:{i})" for i in items)


def _first_chars(pattern: str) -> str:
    """Every character a match of *pattern* (a word boundary, then anything) can start with;
    "" when that is not known (the pattern then runs ungated: same matches, only slower)."""
    try:
        parser = import_module("re._parser")  # the standard library's own parser (3.11+)
        first, nullable = _first_of(parser.parse(pattern, re.IGNORECASE), parser)
    except (ImportError, AttributeError, TypeError, ValueError):
        return ""
    return "".join(sorted(first)) if first and not nullable else ""


def _first_of(items: Any, p: Any) -> tuple[set[str] | None, bool]:
    """The first characters of a parsed pattern and whether it can match nothing (None: any)."""
    c = p  # (the opcodes are re-exported by the parser module)
    out: set[str] = set()
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width
        if op is c.LITERAL:
            return out | {chr(av)}, False
        if op is c.IN and all(o is c.LITERAL for o, _ in av):
            return out | {chr(v) for _, v in av}, False
        if op is c.BRANCH:
            subs = [_first_of(alt, p) for alt in av[1]]
        elif op is c.SUBPATTERN:
            subs = [_first_of(av[-1], p)]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            first, nullable = _first_of(av[2], p)
            subs = [(first, nullable or av[0] == 0)]
        else:
            return None, False  # a class, a category, any character: not worth gating
        for first, _ in subs:
            if first is None:
                return None, False
            out |= first
        if not any(nullable for _, nullable in subs):
            return out, False
    return out, True


@cache
def lexicon() -> Lexicon:
    """The shipped lexicon (read once)."""
    sec = _sections(files("kazreader.analysis").joinpath("data/quote_lexicon.txt").read_text(encoding="utf-8"))
    cue = (
        rf"\b(?:(?P<fwd>{_alternation(sec['forward_cues'])})|{_alternation(sec['quoted_as'])}"
        rf"|(?P<frame>{_alternation(sec['frames'])})|(?:{_alternation(sec['speech_verbs'])}))\b"
    )
    gate = _first_chars(cue)
    if gate:  # a word start that no cue starts with fails at once instead of trying every alternative
        cue = rf"\b(?=[{re.escape(gate)}]){cue[2:]}"
    pronouns = {}
    for item in sec["pronouns"]:
        word, _, kind = item.partition("=")
        pronouns[word.strip().lower()] = Gender(kind.strip())
    return Lexicon(
        cue_re=re.compile(cue, re.IGNORECASE),
        speech_nouns=_words(sec["speech_nouns"]),
        male=_words(sec["male_cues"]),
        female=_words(sec["female_cues"]),
        titles=_words(sec["titles"]),
        not_a_name=re.compile(rf"(?:{_alternation(sec['not_a_name'])})"),
        person_roles=_words(sec["person_roles"]),
        party_nouns=_words(sec["party_nouns"]),
        org_roles=_words(sec["org_roles"]),
        pronouns=pronouns,
        aux=_words(sec["aux"]),
        oblique=_words(sec["oblique"]),
        np_stop=_words(sec["np_stop"]),
        title_lead=_words(sec["title_lead"]),
        title_small_words=_words(sec["title_small_words"]),
        inverting_verbs=_words(sec["inverting_verbs"]),
        abbreviations={
            short.strip().lower(): _words(full.split())
            for short, _, full in (item.partition("=") for item in sec["title_abbreviations"])
        },
    )


@cache
def _given_names() -> dict[str, str]:
    raw = files("kazreader.analysis").joinpath("data/given_names.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in raw.splitlines():
        if line and not line.startswith("#"):
            name, _, sex = line.partition("\t")
            out[name.lower()] = sex.strip()
    return out


def name_gender(first_name: str) -> Gender | None:
    """The gender a given name is listed under (None: unknown or used for both)."""
    sex = _given_names().get(first_name.lower())
    if sex == "m":
        return Gender.MALE
    if sex == "f":
        return Gender.FEMALE
    return None
