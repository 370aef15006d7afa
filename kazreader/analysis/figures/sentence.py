"""A sentence as tokens with the gaps between them, and the figure being built from one of its amounts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kazreader.analysis.figures.model import Aside, Qualifier, QuantityKind
from kazreader.analysis.numbers import Amount
from kazreader.text import Token, tokenize


_BREAK = re.compile(r"[;:()]")


@dataclass
class Cand:
    """A figure being built from one amount of one sentence."""

    amount: Amount
    q_start: int  # first token (qualifier included)
    end: int  # token after the amount (and its unit / percent / currency words)
    char_end: int  # end of the figure's text, relative to the sentence
    qualifier: Qualifier = Qualifier.EXACT
    qualified: bool = False  # a qualifier phrase was read (before vague amounts are marked)
    strict: bool = False  # the bound itself is excluded ("fewer than 40")
    scale: bool = False  # a place on a scale ("below -10 degrees"), not a size ("up to -5 %")
    kind: QuantityKind = QuantityKind.COUNT
    unit: str | None = None
    counted: str | None = None
    group: str | None = None
    category: str | None = None
    phrase_end: int = 0  # token after the counted noun phrase
    event: str | None = None
    own_event: bool = False  # the event is the counted noun itself ("45 deaths")
    partitive: bool = False
    superset_event: str | None = None  # "nearly 60 of the injured": wounded
    era: str | None = None  # an earlier event's time: "in 1998" ("in 1998, when 112 people died"), "on August 15"
    population: bool = False
    scope: str | None = None  # "15 people drowned in Kurigram alone": a regional subtotal
    char_start: int | None = None  # a currency symbol before the first token
    predicate: str | None = None  # what happened to it, normalised ("added", "killed")
    noun: str | None = None  # the counted noun's group ("people", "jobs", "unemployment rate")
    time: str | None = None  # the time it refers to ("in October", "on Sunday", "so far")
    modifier: str | None = None  # "the remaining $300 billion": a different set
    place: str | None = None  # the scope, or the place its clause names ("killed in Gaza")
    aside: Aside | None = None  # why it is not compared though it has a measure
    agent: str | None = None  # who did it, when that restricts what is counted ("manufacturers" cut jobs)
    compound: bool = False  # the amount is glued to what it counts, before another noun ("a 12-member panel")
    split: bool = False  # a side of a split, score or ratio ("a 5-4 ruling", "24/7"): counts nothing named


class Sentence:
    """The tokens of one sentence and the gaps between them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Token] = tokenize(text)
        self.words = [t.norm for t in self.tokens]
        ends = [0, *(t.end for t in self.tokens)]
        starts = [0, *(t.start for t in self.tokens[1:]), len(text)]
        # gaps[i]: the characters between token i - 1 and token i.
        self.gaps = [""] + [text[e:b] for e, b in zip(ends[1:], starts[1:])]
        # breaks[i]: the gap before token i holds a clause break (; : brackets).
        self.breaks = [bool(_BREAK.search(g)) for g in self.gaps]

    def __len__(self) -> int:
        return len(self.tokens)

    def word(self, i: int) -> str:
        return self.words[i] if 0 <= i < len(self.words) else ""

    def gap(self, i: int) -> str:
        """The characters between token ``i - 1`` and token ``i``."""
        return self.gaps[i] if 0 < i < len(self.gaps) else ""

    def is_capitalised(self, i: int) -> bool:
        return 0 <= i < len(self.tokens) and self.text[self.tokens[i].start].isupper()

    def phrase(self, i: int, j: int) -> str:
        return self.text[self.tokens[i].start:self.tokens[j - 1].end] if j > i else ""

    def match(self, i: int, words: Sequence[str], sep: str = " -") -> bool:
        """Whether tokens from ``i`` spell *words*, separated only by *sep* characters."""
        if i < 0 or i + len(words) > len(self.words):
            return False
        for k, w in enumerate(words):
            if self.words[i + k] != w:
                return False
            if k and self.gap(i + k).strip(sep):
                return False
        return True


#: A minus sign written before a number ("GDP was -2.1%", "−15 degrees").
MINUS_SIGNS = ("-", "\u2212")


def minus_before(s: Sentence, i: int) -> bool:
    """Whether token *i* (digits) has a minus sign of its own: the sign right before it, itself after
    a space, an opening bracket or the sentence's start ("was -2.1%"; not "2019-20", "COVID-19")."""
    gap = s.gap(i) if i else s.text[: s.tokens[0].start]
    if not s.words[i][:1].isdigit() or not gap.endswith(MINUS_SIGNS):
        return False
    before = gap[:-1]
    return (before == "" and i == 0) or before[-1:] in (" ", "(", "[", "\n")
