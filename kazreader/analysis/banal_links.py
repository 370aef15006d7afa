"""Which aligned links of the passage clusters are banal, without hashing every link again.

:func:`~kazreader.analysis.reuse_banality.is_banal` hashes the n-grams of
both spans of a link: at 20,000 real articles, ~95,000 links and 15.5 M
blake2b digests, half of the clustering's CPU — after any one change to the
corpus, since the banal set is corpus-wide. Most of it is not needed:

* A link whose spans begin and end on word boundaries (:func:`whole_words`)
  has the n-grams of its articles' word runs, so the n-grams both spans carry
  are among those both *articles* carry (their fingerprints). Its verdict
  depends on the banal set only through the banal n-grams both articles
  carry, the pair's *relevant* set.
* When that set is empty, no shared n-gram is banal: the verdict is False,
  with no hashing (at 20k: most pairs).
* Otherwise the verdicts of the pair's links are a pure function of the two
  texts (the alignment is one) and of the relevant set: they are a part
  keyed ``"dA-dB:"`` and a digest of that set. After a change they are
  computed again only for the pairs whose relevant set changed (a banal
  n-gram they carry that became ordinary, or the reverse, as when the
  threshold moves), and the part store keeps one such variant per pair.

Links that do not begin and end on word boundaries (rare: a number token
such as ``1,000abc`` stops inside a ``\\w+`` run) or hold a capital sigma
(whose lower case depends on the letters around it) are checked with
:func:`is_banal` every time: their verdict may depend on n-grams outside
the fingerprints. Every verdict equals :func:`is_banal`'s.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from kazreader.analysis.reuse_banality import SpanGrams, is_banal, mostly_banal
from kazreader.text import fold_chars

if TYPE_CHECKING:
    from kazreader.analysis.clusters import Parts

__all__ = ["banal_verdicts", "whole_words"]

_WORD_CHAR = re.compile(r"\w")
#: The one character whose lower case depends on its neighbours (final sigma).
_CONTEXT_CASED = "\u03a3"


@lru_cache(maxsize=4096)
def _word_ends(char: str) -> tuple[bool, bool]:
    """Whether the folded, lower-cased form of *char* begins and ends with a word character."""
    low = fold_chars(char).lower()
    return bool(_WORD_CHAR.match(low[:1])), bool(_WORD_CHAR.match(low[-1:]))


def whole_words(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds whole words only: its n-grams are then some of *text*'s.

    A cut between two characters must not split a ``\\w+`` run of the folded,
    lower-cased text (what :func:`~kazreader.analysis.reuse_banality.gram_hashes`
    splits). Folding and lower-casing map each character on its own (so the
    span's folded text is a slice of the article's), except a capital sigma.
    """
    if start > 0 and _word_ends(text[start - 1])[1] and _word_ends(text[start])[0]:
        return False
    if end < len(text) and _word_ends(text[end - 1])[1] and _word_ends(text[end])[0]:
        return False
    return text.find(_CONTEXT_CASED, start, end) < 0


def _relevant_key(hashes: Iterable[int]) -> str:
    raw = b"".join(h.to_bytes(8, "little", signed=True) for h in sorted(hashes))
    return hashlib.blake2b(raw, digest_size=12).hexdigest()


def banal_verdicts(
    texts: Sequence[str],
    keys: Sequence[str],
    pairs: Sequence[tuple[int, int]],
    aligned: Sequence[Sequence[Sequence[int]]],
    banal_carriers: Mapping[int, Sequence[int]],
    parts: Parts,
) -> list[list[bool]]:
    """For each of *pairs* (document numbers into *texts* / *keys*), whether each of its
    *aligned* links ``[a0, a1, b0, b1]`` is banal: :func:`is_banal` with the banal
    n-grams (*banal_carriers*: n-gram → its carriers), read from *parts* where it can."""
    banal = set(banal_carriers)
    of_doc: dict[int, set[int]] = {}
    for h, docs in banal_carriers.items():
        for d in docs:
            of_doc.setdefault(d, set()).add(h)
    out: list[list[bool]] = []
    todo: dict[str, int] = {}  # part key -> index into pairs
    for k, ((a, b), spans) in enumerate(zip(pairs, aligned)):
        verdicts: list[bool] = []
        relevant = of_doc.get(a, set()) & of_doc.get(b, set())
        for a0, a1, b0, b1 in spans:
            ta, tb = texts[a], texts[b]
            if whole_words(ta, a0, a1) and whole_words(tb, b0, b1):
                verdicts.append(False)  # (decided below when the pair has relevant n-grams)
            else:
                verdicts.append(is_banal(ta[a0:a1], tb[b0:b1], banal))
        if relevant and spans:
            todo[f"{keys[a]}-{keys[b]}:{_relevant_key(relevant)}"] = k
        out.append(verdicts)

    def compute(missing: list[str]) -> dict[str, list[bool | None]]:
        # (each text's n-grams hashed once: near-identical copies, a wire story in fifty outlets, make
        # every pair of them one link of the whole text; hashing it again per pair ran for minutes)
        grams = SpanGrams(texts)
        found: dict[str, list[bool | None]] = {}
        for key in sorted(missing, key=lambda m: pairs[todo[m]]):  # (pairs of one text together)
            a, b = pairs[todo[key]]
            ta, tb = texts[a], texts[b]
            found[key] = [
                mostly_banal(grams.of(a, a0, a1), grams.of(b, b0, b1), banal)
                if whole_words(ta, a0, a1) and whole_words(tb, b0, b1)
                else None  # (not a function of the key: checked every time)
                for a0, a1, b0, b1 in aligned[todo[key]]
            ]
        return found

    stored = parts.map(list(todo), compute) if todo else {}
    for key, k in todo.items():
        for j, verdict in enumerate(stored[key]):
            if verdict is not None:
                out[k][j] = bool(verdict)
    return out
