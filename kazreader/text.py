"""Text primitives shared by every part of kazreader's core.

Three concerns live here, because every analysis needs the same answers:

* **sanitising** untrusted article text (terminal escape sequences, control and
  bidi characters are removed once, at load time);
* **typography folding**: curly and straight quotes, dashes and hyphens,
  ellipses and non-breaking spaces compare equal, while the displayed text keeps
  its original characters;
* **word tokenisation with offsets**, so any analysis working on normalised
  words can point back into the exact characters the reader shows.

This module never imports Textual (nor anything else outside the standard library).
"""

from __future__ import annotations

import re
import unicodedata
from itertools import accumulate
from typing import NamedTuple

__all__ = [
    "FOLD_TABLE",
    "Token",
    "fold",
    "fold_chars",
    "sanitize",
    "escape_controls",
    "safe_name",
    "sentence_spans",
    "tokenize",
    "word_count",
    "word_norms",
]

# --- sanitising -------------------------------------------------------------

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC (ESC P/X/^/_ ... ST),
# two-character escapes (ESC + one char), and the 8-bit C1 forms of CSI/OSC.
_ESCAPE_RE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]            # CSI ... final byte
  | (?:\x1b\]|\x9d).*?(?:\x07|\x1b\\|\x9c)      # OSC ... BEL / ST
  | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f]).*?(?:\x1b\\|\x9c)  # DCS/SOS/PM/APC ... ST
  | \x1b[@-Z\\-_]?                               # other ESC sequences / lone ESC
    """,
    re.VERBOSE | re.DOTALL,
)
# Unterminated OSC/DCS strings: drop up to end of line so nothing leaks.
_UNTERMINATED_RE = re.compile(r"(?:\x1b\]|\x1b[PX^_]|[\x90\x98\x9d\x9e\x9f])[^\n]*")

# Cheap pre-check: only texts containing ESC or an 8-bit C1 introducer need the
# (slower) sequence regexes.
_ESCAPE_START_RE = re.compile("[\x1b\x90-\x9f]")

# Bidi embedding/override/isolate controls and other invisible format characters
# that can reorder or hide what the terminal shows.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = "\u200b\u2060\ufeff\u00ad"
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _BIDI + _INVISIBLE + "]"
)


def sanitize(text: str) -> str:
    """Return *text* made safe to show in a terminal.

    Removes ANSI/OSC/DCS escape sequences, C0/C1 control characters (keeping
    newlines), bidi controls and zero-width characters; normalises line endings
    to ``\\n``, tabs to spaces and Unicode to NFC. Printable characters,
    including Rich markup such as ``[bold]``, are kept literally: it is the
    renderer's job never to parse article text as markup.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ESCAPE_START_RE.search(text):
        text = _ESCAPE_RE.sub("", text)
        text = _UNTERMINATED_RE.sub("", text)
    text = text.replace("\t", " ").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL_RE.sub("", text)
    if _SURROGATE_RE.search(text):
        text = _SURROGATE_RE.sub("\ufffd", text)  # a lone surrogate cannot be encoded
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", cap_marks(text))


#: Lone surrogates (from JSON ``"\\ud800"`` escapes or undecodable file names).
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
#: Longest run of combining marks kept on one character: no script needs more
#: than a handful, and NFC's canonical reordering is quadratic in a run's length.
MAX_MARKS = 16
_marks_re: re.Pattern[str] | None = None


def _marks_pattern() -> re.Pattern[str]:
    """A run of more than :data:`MAX_MARKS` combining characters (built on first use)."""
    global _marks_re
    if _marks_re is None:
        ranges: list[str] = []
        start = -1
        for cp in range(0x300, 0x20000):
            if unicodedata.combining(chr(cp)):
                start = cp if start < 0 else start
            elif start >= 0:
                ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
                start = -1
        _marks_re = re.compile(f"((?:[{''.join(ranges)}]){{{MAX_MARKS}}})[{''.join(ranges)}]+")
    return _marks_re


def cap_marks(text: str) -> str:
    """*text* with every run of combining marks cut to :data:`MAX_MARKS` (linear time)."""
    return _marks_pattern().sub(r"\1", text)


#: Characters that must never reach a terminal raw: C0/C1 controls (but tab and
#: newline), bidi controls, zero-width and other invisible format characters.
UNSAFE_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)


def escape_controls(text: str) -> str:
    """*text* with each unsafe character shown as its escape (``\\x1b``, ``\\u202e``).

    For strings that are not article text and so were never sanitised, such as
    file names in warnings, so that a person can see what was there.
    """
    return UNSAFE_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def safe_name(name: str) -> str:
    """A file name (or any string from outside) made safe for one line of a log.

    Newlines and every other control, bidi or invisible character show as
    escapes (``\\n``, ``\\x1b``), and the bytes of a name that is not valid
    UTF-8 (which Python keeps as lone surrogates) as ``\\xe9``.
    """
    if _SURROGATE_RE.search(name):
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") \
            if _only_escaped(name) else _SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", name)
    return _UNSAFE_LINE_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), name)


def _only_escaped(name: str) -> bool:
    """True when every surrogate in *name* stands for an undecodable byte (U+DC80..U+DCFF)."""
    return all("\udc80" <= ch <= "\udcff" for ch in _SURROGATE_RE.findall(name))


#: :data:`UNSAFE_RE` plus newline and tab: nothing that could start a new line.
_UNSAFE_LINE_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\x85]"
)


# --- typography folding -----------------------------------------------------

_FOLD_MAP = {
    # apostrophes and single quotes
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u02bc": "'", "\u02b9": "'", "`": "'", "\u00b4": "'",
    # double quotes
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    # dashes and hyphens
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
    # spaces
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ",
    "\u2002": " ", "\u2003": " ",
}
#: A length-preserving translation table: one character in, one character out,
#: so offsets into folded text are offsets into the original.
FOLD_TABLE = str.maketrans(_FOLD_MAP)


_FOLDABLE_RE = re.compile("[" + "".join(re.escape(c) for c in _FOLD_MAP) + "]")


def fold_chars(text: str) -> str:
    """Fold typography one character for one character (offsets preserved)."""
    # ``str.translate`` with a dict table walks every character in Python-level
    # lookups; substituting only the (rare) foldable characters is much faster.
    return _FOLDABLE_RE.sub(lambda m: _FOLD_MAP[m.group()], text)


def fold(text: str) -> str:
    """Fold typography and case for comparison (length may change).

    Curly quotes become straight, dashes become ``-``, ``…`` becomes ``...``,
    compatibility forms are NFKC-normalised and everything is lower-cased.
    """
    text = fold_chars(text).replace("\u2026", "...")
    return unicodedata.normalize("NFKC", text).casefold()


# --- tokenisation -----------------------------------------------------------

# A word: letters/digits, with inner apostrophes (country's, O'Brien) and inner
# decimal/thousands separators in numbers (1,000 / 2.5). Hyphens and dashes
# split words, so "RIA-Novosti" and "RIA Novosti" tokenise alike.
_WORD_RE = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:['\u2019\u02bc]\w+)*")
#: :data:`_WORD_RE` as one group: ``split`` gives gaps and words, alternately.
_WORD_SPLIT_RE = re.compile(f"({_WORD_RE.pattern})")


class Token(NamedTuple):
    """A word of an article: its normalised form and its span in the text.

    A named tuple rather than a dataclass: corpora have millions of words and a
    tuple is about twice as fast to build.
    """

    norm: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split *text* into word tokens with offsets into *text*.

    ``norm`` is lower-cased with apostrophes folded, so ``Country’s`` and
    ``country's`` are the same token. Punctuation is not a token.
    """
    folded = fold_chars(text)
    # ``tuple.__new__`` skips the named tuple's Python-level ``__new__``: the
    # same Token, built about twice as fast (tokenising dominates several
    # analyses on large corpora).
    new = tuple.__new__
    return [
        new(Token, (m.group().casefold(), m.start(), m.end()))
        for m in _WORD_RE.finditer(folded)
    ]


def token_columns(text: str) -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]:
    """The tokens of *text* as three columns: ``(norms, starts, ends)``.

    Equal to the ``norm``, ``start`` and ``end`` of each of :func:`tokenize`'s
    tokens, built without a Python step per token (the passage aligner
    prepares thousands of texts and needs only the columns): one ``split``
    gives the gaps and words in turn, and the running sum of their lengths
    every word's start and end (no match objects).
    """
    parts = _WORD_SPLIT_RE.split(fold_chars(text))  # gap, word, gap, …, word, gap
    if len(parts) == 1:
        return (), (), ()
    offsets = list(accumulate(map(len, parts)))
    return tuple(map(str.casefold, parts[1::2])), tuple(offsets[0:-1:2]), tuple(offsets[1::2])


def word_norms(text: str) -> list[str]:
    """The ``norm`` of every token of *text*, in order, without the offsets.

    Equal to ``[t.norm for t in tokenize(text)]``, about 2.5× faster (the
    index's hot path: it needs words and positions, not character spans).
    """
    return list(map(str.casefold, _WORD_RE.findall(fold_chars(text))))


def word_count(text: str) -> int:
    """Number of word tokens in *text* (as :func:`tokenize` counts them)."""
    return len(_WORD_RE.findall(text))


# --- sentences --------------------------------------------------------------

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt cmdr gov sen rep rev st jr sr
    no vs etc inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec
    u.s u.k u.n e.u a.m p.m i.e e.g approx dept est fig mt ft""".split()
)
_SENTENCE_END_RE = re.compile(r"""[.!?\u2026]+["'\u201d\u2019)\]]*(?=\s+|$)""")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text[start:end]`` (offsets into *text*).

    Paragraph breaks always end a sentence. A full stop after a known
    abbreviation ("Mr.", "U.S.") or an initial ("J. Smith") does not, nor does
    one followed by a lower-case word.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text[start:end]):
        p_start = start + para.start()
        p_end = start + para.end()
        s_start = p_start
        for m in _SENTENCE_END_RE.finditer(text, p_start, p_end):
            stop = m.end()
            before = text[s_start:m.start()].rsplit(None, 1)
            word = before[-1].casefold().rstrip(".") if before else ""
            if m.group().startswith(".") and (
                word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())
            ):
                continue
            nxt = text[stop:p_end].lstrip()
            if nxt and nxt[0].islower():
                continue
            if text[s_start:stop].strip():
                spans.append(_strip_span(text, s_start, stop))
            s_start = stop
        if text[s_start:p_end].strip():
            spans.append(_strip_span(text, s_start, p_end))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
