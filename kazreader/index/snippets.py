"""Highlight spans and snippets of search hits, computed around the matches only.

A hit's spans are every place of ``Article.text`` that the query's words,
phrases and word forms match, and its snippet the window of about
:data:`SNIPPET_WORDS` words that holds most of them.
:func:`find_spans`/:func:`make_snippet` compute them over every token of
the text; :func:`hit_spans_snippet` gives the same answer without tokenising
the whole article (the cost of a search's twenty hits was most of a query):
the wanted words are located in the case-folded text by one regular
expression, and only the tokens around each place found, and around the
snippet, are read (:class:`_Local`). It falls back to the whole-text path
whenever that shortcut could miss a match (case folding that changes a
text's length, a stem or word shorter than :data:`_MIN_TRIGGER`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from kazreader.corpus.model import Span
from kazreader.index.analyzers import COMMON_WORDS, stem, stems as stem_words
from kazreader.text import _WORD_RE, Token, fold_chars, token_columns  # (the tokens' own pattern)

__all__ = [
    "MAX_MATCHED",
    "SNIPPET_WORDS",
    "Marks",
    "find_spans",
    "hit_spans_snippet",
    "make_snippet",
    "matched_forms",
]

#: Approximate length of a snippet, in words.
SNIPPET_WORDS = 30
#: Words of context shown before the first match of a snippet.
_LEAD_WORDS = 8
_SPACE_RE = re.compile(r"\s+")


@dataclass
class Marks:
    """What to highlight: exact words and phrases, and stems and stemmed phrases (word forms)."""

    words: set[str] = field(default_factory=set)
    phrases: set[tuple[str, ...]] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    stem_phrases: set[tuple[str, ...]] = field(default_factory=set)


def find_spans(
    tokens: list[Token],
    words: Iterable[str],
    phrases: Iterable[tuple[str, ...]],
    stems: Iterable[str] = (),
    stem_phrases: Iterable[tuple[str, ...]] = (),
) -> list[Span]:
    """Character spans of *words* and consecutive-word *phrases* in *tokens*,
    and of the words whose stem is in *stems* or whose stems run as in *stem_phrases*.

    Overlapping or touching matches are merged; the result is sorted.
    """
    columns = ([t.norm for t in tokens], [t.start for t in tokens], [t.end for t in tokens])
    return _find_spans(columns, Marks(set(words), set(phrases), set(stems), set(stem_phrases)))


#: A text's tokens as columns ``(norms, starts, ends)`` (:func:`kazreader.text.token_columns`).
Columns = tuple[Sequence[str], Sequence[int], Sequence[int]]


def _find_spans(columns: Columns, marks: Marks) -> list[Span]:
    """:func:`find_spans` over a text's token *columns* (no token objects: the hit path)."""
    norms, starts, ends = columns
    wordset, stemset = marks.words, marks.stems
    forms = stem_words(norms) if marks.stem_phrases else []
    hits = [i for i, norm in enumerate(norms) if norm in wordset] if wordset else []
    if stemset:
        # A stem keeps its word's first letter (Snowball only rewrites endings):
        # only the words that begin like a wanted stem are stemmed.
        firsts = {s[:1] for s in stemset}
        maybe = [i for i, norm in enumerate(norms) if norm[:1] in firsts]
        hits += [i for i, form in zip(maybe, stem_words(norms[i] for i in maybe)) if form in stemset]
    raw: list[Span] = [(starts[i], ends[i]) for i in hits]
    for seq, found in [(norms, p) for p in marks.phrases] + [(forms, p) for p in marks.stem_phrases]:
        for i in _occurrences(seq, found):
            raw.append((starts[i], ends[i + len(found) - 1]))
    return _merged(raw)


#: At most this many matched forms are listed per hit.
MAX_MATCHED = 12


def matched_forms(text: str, spans: list[Span]) -> list[str]:
    """The distinct texts of *spans* (case-insensitive, whitespace collapsed), first occurrence first."""
    seen: dict[str, str] = {}
    for start, end in spans:
        surface = _SPACE_RE.sub(" ", text[start:end]).strip()
        seen.setdefault(surface.casefold(), surface)
        if len(seen) >= MAX_MATCHED:
            break
    return list(seen.values())


def _occurrences(items: Sequence[str], pattern: tuple[str, ...]) -> Iterator[int]:
    """Where *pattern* starts in *items* (overlapping matches too), in one pass (Knuth–Morris–Pratt).

    Linear in ``len(items) + len(pattern)``, whatever repeats: a phrase of
    one frequent word ("the the the …") in a long article cannot go quadratic.
    """
    m = len(pattern)
    if not m:
        return
    fail = [0] * m  # longest proper prefix of pattern[:k+1] that is also its suffix
    k = 0
    for q in range(1, m):
        while k and pattern[q] != pattern[k]:
            k = fail[k - 1]
        if pattern[q] == pattern[k]:
            k += 1
        fail[q] = k
    k = 0
    first = pattern[0]
    for i, item in enumerate(items):
        if not k and item != first:
            continue  # (the common case, kept cheap)
        while k and item != pattern[k]:
            k = fail[k - 1]
        if item == pattern[k]:
            k += 1
            if k == m:
                yield i - m + 1
                k = fail[k - 1]


def make_snippet(text: str, tokens: list[Token], spans: list[Span]) -> str:
    """A plain excerpt of about :data:`SNIPPET_WORDS` words around the best match.

    The best match is the window holding the most spans (earliest on ties);
    whitespace is collapsed and ``…`` marks where the text was cut. Linear in
    the number of spans (plus a binary search each): the window slides over
    them with two pointers, so a frequent word in a very long article costs
    no more than reading it.
    """
    return _make_snippet(text, [t.start for t in tokens], [t.end for t in tokens], spans)


def _make_snippet(text: str, starts: Sequence[int], ends: Sequence[int], spans: list[Span]) -> str:
    """:func:`make_snippet` over the tokens' *starts* and *ends*."""
    if not starts:
        return _SPACE_RE.sub(" ", text).strip()
    first = _best_window(starts, spans) if spans else 0
    last = min(len(starts), first + SNIPPET_WORDS)
    first = max(0, min(first, last - SNIPPET_WORDS))
    body = _SPACE_RE.sub(" ", text[starts[first] : ends[last - 1]]).strip()
    # keep closing punctuation right after the last word (e.g. '.' or '”')
    tail = text[ends[last - 1] : ends[last - 1] + 1]
    if tail and not tail.isspace() and not tail.isalnum():
        body += tail
    return ("…" if first > 0 else "") + body + ("…" if last < len(starts) else "")


def _best_window(starts: Sequence[int], spans: list[Span]) -> int:
    """The first token of the :data:`SNIPPET_WORDS`-token window, starting
    :data:`_LEAD_WORDS` before a span, that holds the most spans (earliest on ties).

    *spans* are sorted, so their tokens are too, and each window's bounds only
    move forward: two pointers count the spans inside, in one pass.
    """
    return _best_of([bisect.bisect_right(starts, s) - 1 for s, _ in spans])[0]


def _best_of(at: list[int]) -> tuple[int, int]:
    """:func:`_best_window` over the spans' token numbers *at* (sorted): the
    window's first token and the span whose window it is."""
    best, best_count, best_span = 0, -1, 0
    lo_ptr = hi_ptr = 0
    n = len(at)
    for idx, i in enumerate(at):
        lo = max(0, i - _LEAD_WORDS)
        hi = lo + SNIPPET_WORDS
        while lo_ptr < n and at[lo_ptr] < lo:
            lo_ptr += 1
        hi_ptr = max(hi_ptr, lo_ptr)
        while hi_ptr < n and at[hi_ptr] < hi:
            hi_ptr += 1
        if hi_ptr - lo_ptr > best_count:
            best, best_count, best_span = lo, hi_ptr - lo_ptr, idx
    return best, best_span


# --- around the matches only ----------------------------------------------------

#: The shortest word, or stem prefix, looked for directly in the text; a query
#: with a shorter one reads every token of each hit (:func:`find_spans`).
_MIN_TRIGGER = 3
#: Token distances at or beyond this are all alike to the snippet window
#: (:data:`SNIPPET_WORDS` + :data:`_LEAD_WORDS` < this): gaps are counted up to it.
_FAR = 40
#: Characters that usually hold :data:`_FAR` tokens (counting looks this far first).
_FAR_CHARS = 400


def _stem_prefix(root: str) -> str:
    """What every word with the stem *root* begins with.

    Snowball's English stemmer only rewrites a word's ending: a stem differs
    from its word in at most its last letter ("ugly" → "ugli", "cries" →
    "cri"), except three of its special words ("dying" → "die", "lying",
    "tying"), whose stems are the only ones that differ in their last two.
    """
    return root[: max(1, len(root) - (2 if len(root) <= 3 else 1))]


def _longest(items: Sequence[str]) -> str:
    return max(items, key=len)


def _key_word(phrase: Sequence[str]) -> str:
    """The word of *phrase* looked for in a hit's text: the longest of its words that are not
    :data:`~kazreader.index.analyzers.COMMON_WORDS` (the rarest, most likely), else the longest
    (a word shorter than :data:`_MIN_TRIGGER` only when all are). Any word of the phrase finds
    every occurrence (each holds it): a rarer one stops at fewer places ("end", not "the", for
    "at the end of the")."""
    return max(phrase, key=lambda word: (len(word) >= _MIN_TRIGGER, word not in COMMON_WORDS, len(word)))


class _Local:
    """The tokens of a folded text (exactly :func:`~kazreader.text.tokenize`'s),
    read only around given places.

    A space or newline is never inside a token, so tokenising from just after
    one gives the same tokens as from the start of the text; so does starting
    at a token's own start.
    """

    def __init__(self, folded: str) -> None:
        self.text = folded

    def _safe(self, pos: int) -> int:
        text = self.text
        return max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos)) + 1

    def first(self) -> int | None:
        """Where the first token starts (None: the text has no token)."""
        m = _WORD_RE.search(self.text)
        return m.start() if m else None

    def token_at(self, pos: int) -> tuple[int, int] | None:
        """The token that starts at *pos* (None: no token starts there)."""
        for m in _WORD_RE.finditer(self.text, self._safe(pos)):
            if m.start() >= pos:
                return m.span() if m.start() == pos else None
        return None

    def after(self, pos: int, n: int) -> list[tuple[int, int]]:
        """The first *n* tokens that start at or after *pos*."""
        out: list[tuple[int, int]] = []
        if n <= 0:
            return out
        for m in _WORD_RE.finditer(self.text, self._safe(pos)):
            if m.start() >= pos:
                out.append(m.span())
                if len(out) == n:
                    break
        return out

    def before(self, pos: int, n: int) -> list[tuple[int, int]]:
        """The last *n* tokens that start before *pos* (fewer at the text's start)."""
        if n <= 0:
            return []
        reach = 16 * n
        while True:
            start = self._safe(max(0, pos - reach)) if pos > reach else 0
            found: list[tuple[int, int]] = []
            for m in _WORD_RE.finditer(self.text, start):
                if m.start() >= pos:
                    break
                found.append(m.span())
            if len(found) >= n or start == 0:
                return found[-n:]
            reach *= 4

    def count(self, start: int, stop: int) -> int:
        """Tokens starting in ``[start, stop)`` (*start* a token's start or 0), at most :data:`_FAR`.

        A token cut by the end of the range still counts once: only starts matter.
        """
        near = min(stop, start + _FAR_CHARS)
        n = len(_WORD_RE.findall(self.text, start, near))
        if n < _FAR and near < stop:
            n = len(_WORD_RE.findall(self.text, start, stop))
        return min(n, _FAR)

    def count_before(self, pos: int) -> int:
        """Tokens starting before *pos*, at most :data:`_FAR`."""
        if pos > _FAR_CHARS:
            start = self._safe(pos - _FAR_CHARS)
            if start and len(_WORD_RE.findall(self.text, start, pos)) >= _FAR:
                return _FAR
        return self.count(0, pos)


class HitText:
    """Spans and snippet of each hit for one query's :class:`Marks`, read around the matches.

    ``hit_text(text)`` equals ``(find_spans(...), make_snippet(...))`` over
    all of *text*'s tokens; it is computed from one regular-expression pass
    over the case-folded text and the tokens near what it finds.
    """

    def __init__(self, marks: Marks) -> None:
        self.marks = marks
        self._phrase_keys = [(p, _key_word(p)) for p in marks.phrases]
        self._stem_phrase_keys = [(p, _longest(p)) for p in marks.stem_phrases]
        triggers = set(marks.words) | {key for _, key in self._phrase_keys}
        triggers |= {_stem_prefix(s) for s in marks.stems}
        triggers |= {_stem_prefix(key) for _, key in self._stem_phrase_keys}
        roots = set(marks.stems) | {key for _, key in self._stem_phrase_keys}
        self._finder: re.Pattern[str] | None = None
        if triggers and min(map(len, triggers)) >= _MIN_TRIGGER and all(r.isascii() for r in roots):
            self._finder = re.compile("|".join(map(re.escape, sorted(triggers, key=len, reverse=True))))

    def __call__(self, text: str) -> tuple[list[Span], str]:
        folded = fold_chars(text)
        lowered = folded.casefold()
        if (self._finder is None and self._any_marks()) or len(lowered) != len(folded):
            columns = token_columns(text)
            spans = _find_spans(columns, self.marks)
            return spans, _make_snippet(text, columns[1], columns[2], spans)
        local = _Local(folded)
        spans = self._spans(local, lowered) if self._finder is not None else []
        return spans, _local_snippet(text, local, spans)

    def _any_marks(self) -> bool:
        m = self.marks
        return bool(m.words or m.phrases or m.stems or m.stem_phrases)

    def _spans(self, local: _Local, lowered: str) -> list[Span]:
        assert self._finder is not None
        raw: list[Span] = []
        seen: set[int] = set()
        search, at = self._finder.search, 0
        # (every place a trigger starts, overlapping ones too: a trigger with a comma or a point,
        # "1,000", can swallow a token that starts inside it when letters are glued to it,
        # "the1,000" being the tokens "the1" and "000")
        while (m := search(lowered, at)) is not None:
            pos = at = m.start()
            at += 1
            token = local.token_at(pos) if pos not in seen else None
            if token is None:
                continue
            seen.add(pos)
            raw += self._matches_at(local, lowered, token)
        return _merged(raw)

    def _matches_at(self, local: _Local, lowered: str, token: tuple[int, int]) -> list[Span]:
        """The spans of words, forms and phrases that the token *token* (a trigger) starts or is part of."""
        marks = self.marks
        norm = lowered[token[0] : token[1]]
        out: list[Span] = []
        root = stem(norm) if marks.stems or marks.stem_phrases else ""
        if norm in marks.words or root in marks.stems:
            out.append(token)
        for phrase, key in self._phrase_keys:
            if norm == key:
                out += _phrase_spans(local, token, phrase, key, lambda s, e: lowered[s:e])
        for phrase, key in self._stem_phrase_keys:
            if root == key:
                out += _phrase_spans(local, token, phrase, key, lambda s, e: stem(lowered[s:e]))
        return out


def _phrase_spans(
    local: _Local, token: tuple[int, int], phrase: tuple[str, ...], key: str, word: Callable[[int, int], str]
) -> list[Span]:
    """Spans of *phrase* in which *token* (equal to its word *key*) stands at a place of *key*."""
    out: list[Span] = []
    for k, item in enumerate(phrase):
        if item != key:
            continue
        run = [*local.before(token[0], k), token, *local.after(token[1], len(phrase) - k - 1)]
        if len(run) == len(phrase) and all(word(s, e) == w for (s, e), w in zip(run, phrase)):
            out.append((run[0][0], run[-1][1]))
    return out


def _merged(raw: list[Span]) -> list[Span]:
    """*raw* sorted, overlapping or touching spans merged."""
    raw.sort()
    merged: list[Span] = []
    for start, end in raw:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _local_snippet(text: str, local: _Local, spans: list[Span]) -> str:
    """:func:`_make_snippet` from the tokens near *spans* only (the same text)."""
    if local.first() is None:
        return _SPACE_RE.sub(" ", text).strip()
    first_start = _window_start(local, spans) if spans else 0
    window = local.after(first_start, SNIPPET_WORDS + 1)
    more_after = len(window) > SNIPPET_WORDS
    window = window[:SNIPPET_WORDS]
    if len(window) < SNIPPET_WORDS:  # (near the end: the last words of the text)
        window = local.before(len(text), SNIPPET_WORDS)
        more_after = False
    more_before = local.first() != window[0][0]
    start, end = window[0][0], window[-1][1]
    body = _SPACE_RE.sub(" ", text[start:end]).strip()
    tail = text[end : end + 1]
    if tail and not tail.isspace() and not tail.isalnum():
        body += tail
    return ("…" if more_before else "") + body + ("…" if more_after else "")


def _window_start(local: _Local, spans: list[Span]) -> int:
    """Where the snippet's first token starts: :func:`_best_window` over token
    distances counted up to :data:`_FAR` (beyond it, all windows compare alike)."""
    at = [local.count_before(spans[0][0])]
    for (a, _), (b, _) in zip(spans, spans[1:]):
        at.append(at[-1] + local.count(a, b))
    best, best_span = _best_of(at)
    back = at[best_span] - best
    anchor = spans[best_span][0]
    return local.before(anchor, back)[0][0] if back else anchor
