"""Quotation marks: which marks pair up, and the quoted words between them.

Curly ``“…”`` and straight ``"…"`` double quotes are paired by type (a curly
opener only closes with a curly closer); single quotes ``‘…’``/``'…'`` count
as quotation marks only outside double-quoted text and only at word edges, so
apostrophes (country’s, 'til, rock 'n' roll, the ’90s) are never marks, and
single quotes nested inside a double quote stay part of it. A quote runs across
paragraphs in the classic convention: no closing mark at the end of a
paragraph and an opening mark at the start of the next. An opening mark never
closed in its paragraph (and not continued) is dropped.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

from kazreader.analysis.quotes.model import QuoteSpan
from kazreader.corpus.model import Article

__all__ = ["find_quote_spans", "paragraphs", "quote_text"]

_D_OPEN = "\u201c\u201e\u00ab"  # “ „ «
_D_CLOSE = "\u201d\u00bb"  # ” »
_S_OPEN = "\u2018"  # ‘
_S_CLOSE = "\u2019"  # ’
#: Double marks, and the pairs of tokenised text (``…'', as in the Penn Treebank convention).
_D_MARKS = re.compile(f"[{_D_OPEN}{_D_CLOSE}\"]|``|''")
_S_MARKS = re.compile(f"[{_S_OPEN}{_S_CLOSE}']")
_ELISION_RE = re.compile(r"['\u2018\u2019](?:n['\u2019]|til\b|tis\b|twas\b|em\b|cause\b|bout\b|\d\ds?\b)", re.I)
_OPEN_CONTEXT = set(" \n([{/\u2014\u2013-\u00a0") | set(_D_OPEN)
_SO_CALLED_RE = re.compile(r"\bso[\s-]called\s*$", re.I)
_BLANK_LINE_RE = re.compile(r"\n\s*\n")


# --- marks ----------------------------------------------------------------------


def paragraphs(article: Article) -> list[tuple[int, int]]:
    if article.paragraphs:
        return [(int(p[0]), int(p[1])) for p in article.paragraphs]
    spans, pos = [], 0
    for m in _BLANK_LINE_RE.finditer(article.text):
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
            if nxt is not None and first is not None and is_open(text, first, nxt[0], nxt[1]) == kind:
                cont.append(first)
                resume = first + 1
            else:
                opened = None
    return found


def _double_open(text: str, i: int, ps: int, pe: int) -> str:
    c = text[i]
    if c in _D_OPEN:
        return "curly"
    if text.startswith("``", i):
        return "ptb"
    if c == '"':
        prev = text[i - 1] if i > ps else " "
        nxt = text[i + 1] if i + 1 < pe else " "
        if (prev.isalnum() or prev in ".,;:!?") and (nxt.isspace() or nxt in ".,;:!?)"):
            return ""  # looks like a stray closing mark
        return "straight"
    return ""


def _double_close(text: str, i: int, ps: int, pe: int, kind: str) -> bool:
    c = text[i]
    if kind == "ptb":
        return text.startswith("''", i)
    if kind == "curly":
        return c in _D_CLOSE or (c == '"' and _mixed_close(text, i, pe, "\u201d"))
    return c == '"' or (c in _D_CLOSE and _mixed_close(text, i, pe, '"'))


def _mixed_close(text: str, i: int, pe: int, own: str) -> bool:
    """A closing mark of the other type closes the quote (outlets mix “…" and "…”) when it sits
    at a word's end and the quote's own closer does not come before the next opening mark."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < pe else " "
    if prev.isspace() or nxt.isalnum():
        return False
    ahead = text.find(own, i + 1, pe)
    reopen = text.find("\u201c", i + 1, pe)
    return ahead < 0 or (0 <= reopen < ahead)


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


_PTB_ELISION_RE = re.compile(r"(?<=\s)'(?:s|m|d|re|ve|ll)\b|''|``", re.I)


def _ptb_elisions(text: str) -> list[tuple[int, int]]:
    """Tokenised text's split contractions (" 's", " 're") and double marks: never single quotes."""
    if "``" not in text and " '" not in text:
        return []
    return [(m.start(), m.end() - 1) for m in _PTB_ELISION_RE.finditer(text)]


def find_quote_spans(article: Article) -> list[QuoteSpan]:
    """Every quotation-mark pair in *article*, in text order (see module doc)."""
    text = article.text
    paras = paragraphs(article)
    doubles = _scan(text, paras, _D_MARKS, _double_open, _double_close)
    wide = {o for o, _c, _ in doubles if text.startswith("``", o)}
    singles = _scan(
        text, paras, _S_MARKS, _single_open, _single_close,
        skip=[(o, c + (o in wide)) for o, c, _ in doubles] + _ptb_elisions(text),
    )
    spans = []
    for o, c, cont in sorted(doubles + singles):
        s, e = o + 1 + (o in wide), c
        while s < e and text[s].isspace():
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:"):
            e -= 1
        if not any(ch.isalnum() for ch in text[s:e]):
            continue
        spans.append(QuoteSpan(s, e, o, c, cont))
    return spans


def quote_text(text: str, span: QuoteSpan) -> str:
    """The quoted words without marks (re-opening marks of continued paragraphs dropped)."""
    if not span.continued:
        return text[span.start : span.end]
    parts, pos = [], span.start
    for mark in span.continued:
        parts.append(text[pos:mark])
        pos = mark + 1
    parts.append(text[pos : span.end])
    return "".join(parts)


