"""Figures that have a measure but are not compared with other outlets' (:class:`~.model.Aside`).

* ``part``: a sentence that states several figures of one measure splits it
  ("12 bodies in the basement and 15 on the second floor", "the federal
  government cut 14,000 jobs and manufacturers cut 8,000", "twelve and four
  people were killed, respectively"): what tells the parts apart is not in the
  measure, so none of them stands for the whole;
* ``subset``: a count of part of a set named before it ("dozens of them",
  "18 of whom", "two of the Americans", "112 of the 178 people injured"), a
  sum or share listed as part of another ("including $2.6 billion for ...");
* ``expected``: a forecast, plan or hypothesis ("There could be 100 deaths",
  "economists had expected 158,000", "needs to create 100,000 jobs"), the
  words being the ``[expectation]`` section of ``data/figures.txt``; a
  threshold in a condition ("states where unemployment is 6 percent or
  higher") too.
"""

from __future__ import annotations

from collections import defaultdict

from kazreader.analysis.figures import lexicon
from kazreader.analysis.figures.counted import clause_bounds
from kazreader.analysis.figures.measure import PREVIOUS
from kazreader.analysis.figures.model import COMPARED_KINDS, Aside, Qualifier, QuantityKind
from kazreader.analysis.figures.sentence import Cand, Sentence
from kazreader.analysis.figures.words import DETERMINERS, PRONOUN_OBJECTS, STOP

__all__ = ["set_aside"]

#: How far back in its clause a forecast word still governs the figure.
EXPECTATION_REACH = 14
_OWN_NOUN_VERBS = frozenset("were are was".split())
_AUXILIARIES = frozenset("had have has having".split())
_THRESHOLDS = frozenset("higher more above greater over lower less below fewer under".split())
_ESTIMATES = frozenset("estimated estimate estimates".split())


def set_aside(s: Sentence, cands: list[Cand]) -> None:
    """Mark the figures of one sentence that are not compared, and why."""
    measured = [c for c in cands if c.kind in COMPARED_KINDS and (c.noun or c.predicate)]
    for c in measured:
        if c.kind == QuantityKind.COUNT and _subset(s, c) or c.kind != QuantityKind.COUNT and (
            s.word(c.q_start - 1) == "including"  # "a 6 percent increase in spending, including $2.6 billion for ..."
        ):
            c.aside = Aside.SUBSET
        elif _expected(s, c):
            c.aside = Aside.EXPECTED
    for parts in _same_measure(measured):
        for c in parts:
            c.aside = c.aside or Aside.PART


def _subset(s: Sentence, c: Cand) -> bool:
    """"dozens of them", "18 of whom", "two of the Americans", "Of those, about 100 ..." (not "132 of the
    dead were children", which names what it counts)."""
    start, _ = clause_bounds(s, c, 0, c.q_start)
    start += s.word(start) in ("and", "but")
    if s.word(start) == "of" and s.word(start + 1) in PRONOUN_OBJECTS and start + 2 == c.q_start:
        return True
    j = c.end
    if s.word(j) != "of" or s.word(j + 1) not in DETERMINERS | PRONOUN_OBJECTS:
        return False
    for k in range(j + 2, min(j + 5, len(s))):
        if s.word(k) in _OWN_NOUN_VERBS:
            return s.word(k + 1) in STOP or not s.word(k + 1).isalpha()  # "18 of whom were from ..."
    return True


def _expected(s: Sentence, c: Cand) -> bool:
    """A forecast word before the figure, back to a comma or clause break, or a modal right after its noun
    ("100 could die")."""
    start, _ = clause_bounds(s, c, 0, c.q_start)
    if s.word(start - 1) in ("if", "unless"):
        return True
    ends = (c.end, c.end - 2) if c.kind != QuantityKind.COUNT else (c.end,)  # ("6 percent or higher": its words)
    threshold = any(s.word(k) in ("or", "and") and s.word(k + 1) in _THRESHOLDS for k in ends)
    if threshold and s.word(start - 1) in ("where", "when", "whenever", "once"):
        return True  # "in states where unemployment is 6 percent or higher": a condition, not a report
    if s.word(c.q_start) in lexicon.EXPECTATION | _ESTIMATES and s.word(c.q_start - 1) in _AUXILIARIES:
        return True  # "economists had estimated 175,000": the qualifier word is their forecast
    for k in range(c.amount.start - 1, max(-1, c.amount.start - EXPECTATION_REACH - 1), -1):
        w = s.words[k]
        if w in lexicon.EXPECTATION and not s.is_capitalised(k) and not _qualifier_word(s, c, k):
            return True  # ("the bureau will say about 185,000": across a reporting verb, not across a comma)
        if s.breaks[k] or "," in s.gap(k) and not s.word(k).endswith("ing"):
            break  # (a participle after the comma shares its clause's mood: "would go further, lowering it to 15%")
    after = max(c.end, c.phrase_end)
    return s.word(after) in lexicon.MODALS and not s.gap(after).strip()


def _qualifier_word(s: Sentence, c: Cand, k: int) -> bool:
    """"an estimated 2,200" qualifies the number; "economists had estimated 175,000" forecasts it."""
    return c.q_start <= k and s.word(c.q_start - 1) not in _AUXILIARIES


def _same_measure(cands: list[Cand]) -> list[list[Cand]]:
    """The figures that share their measure with another of different number in the sentence (a change's
    earlier value aside), but those its own place or time tells apart ("20 in Gaza and 3 in Israel")."""
    groups: dict[tuple[object, ...], list[Cand]] = defaultdict(list)
    for c in cands:
        if c.time != PREVIOUS and c.qualifier != Qualifier.VAGUE and c.aside is None:
            groups[(c.kind, c.unit, c.noun, c.predicate, c.modifier, c.era)].append(c)
    out = []
    for group in groups.values():
        if len({c.amount.value for c in group}) > 1:
            wheres = [(c.place, c.time) for c in group]
            out.append([c for c, w in zip(group, wheres) if w == (None, None) or wheres.count(w) > 1])
    return out
