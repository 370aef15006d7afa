"""Bytes → text: encoding detection, binary detection and NUL repair.

The order of attempts is fixed and cheap-first, because a corpus can hold tens
of thousands of files and nearly all of them are UTF-8:

1. a byte-order mark (UTF-32, UTF-8, UTF-16) decides the encoding;
2. strict UTF-8;
3. cp1252 (a superset of latin-1's letters) when it yields plausible Western
   text: English-language files in a legacy encoding nearly always are, and
   statistical detection misreads short, mostly-ASCII texts ("crème" as
   cp1250 "crčme", curly quotes as cp775);
4. :mod:`charset_normalizer` detection (e.g. ``cp1251``), which also tells
   binary data apart from text;
5. latin-1, which decodes anything, as a last resort.

Nothing here raises for bad input: the result says what happened.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

__all__ = ["Decoded", "decode_bytes", "looks_binary", "mostly_utf8", "repair_mojibake"]

#: BOMs, longest first (the UTF-32-LE BOM starts with the UTF-16-LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: How many leading bytes are inspected to decide "binary".
_SAMPLE = 65536
#: More NUL bytes than this (and above this share of the sample) → binary;
#: fewer are stray bytes in a text file, removed with a note.
_NUL_FEW = 16
_NUL_BINARY_RATIO = 0.01
#: Above this share of other C0 control bytes, a file is binary.
_CONTROL_BINARY_RATIO = 0.10
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


@dataclass(frozen=True)
class Decoded:
    """The outcome of decoding one file.

    ``text`` is ``None`` when the file was skipped; ``skip`` then says why
    (``"binary file"``). ``notes`` are repairs worth a warning
    (``"decoded as cp1251"``, ``"removed 3 NUL bytes"``).
    """

    text: str | None
    encoding: str | None = None
    notes: tuple[str, ...] = ()
    skip: str | None = None


def looks_binary(sample: bytes) -> bool:
    """True if a sample of a file looks like binary data (NUL or control bytes)."""
    if not sample:
        return False
    nul = sample.count(0)
    if nul > _NUL_FEW and nul / len(sample) > _NUL_BINARY_RATIO:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES)) - nul
    return controls / len(sample) > _CONTROL_BINARY_RATIO


#: Share of a UTF-16 sample's characters that must be text (printable or
#: whitespace), and share the three most used 256-character blocks must cover.
_UTF16_TEXT_RATIO = 0.95


def _bomless_utf16(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` if *data* reads as UTF-16 text without a BOM.

    Such a file looks binary (every other byte is NUL for Latin text, or a
    control byte for Cyrillic). It is taken for text only when a sample
    decodes without error, is almost all printable characters, and almost all
    of them come from three 256-character blocks (one script and its
    punctuation), which random bytes never do.
    """
    sample = data[: min(len(data), _SAMPLE) // 2 * 2]
    if len(sample) < 8:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            continue
        texty = sum(1 for ch in text if ch.isprintable() or ch in "\t\n\r\f")
        blocks = Counter(ord(ch) >> 8 for ch in text)
        common = sum(n for _block, n in blocks.most_common(3))
        if texty >= _UTF16_TEXT_RATIO * len(text) and common >= _UTF16_TEXT_RATIO * len(text):
            return encoding
    return None


# Typographic characters of Western text beside its (Latin) letters.
_WESTERN_PUNCT = frozenset("\u00a0\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u2022"
                           "\u20ac\u00a3\u00a5\u00a9\u00ae\u2122\u00b0\u00b1\u00b7\u00d7\u00ab\u00bb"
                           "\u00a1\u00bf\u00a7\u00b4")
_NON_ASCII_RUN_RE = re.compile(r"[^\x00-\x7f]+")


def _western(data: bytes) -> str | None:
    """*data* decoded as cp1252 if it reads as Western text, else ``None``.

    In Western languages accented letters sit inside ASCII words, one or two
    at a time ("café", "Größe", "ação"); text in another single-byte encoding
    (cp1251 Russian, cp1253 Greek) decodes to runs of accented letters
    ("Ïðåçèäåíò") or to symbols ("Za¿ó³æ"), and is left to the detector.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined
        return None
    for m in _NON_ASCII_RUN_RE.finditer(text):
        letters = 0
        for ch in m.group():
            if unicodedata.category(ch).startswith("L"):
                letters += 1
            elif ch not in _WESTERN_PUNCT:
                return None
        if letters > 2:
            return None
    return text


def _detect(data: bytes) -> str | None:
    """Ask charset_normalizer for the encoding; ``None`` means "not text"."""
    from charset_normalizer import from_bytes  # imported lazily: rarely needed

    best = from_bytes(data).best()
    return best.encoding if best is not None else None


#: UTF-8 with at most this many bad sequences, and at least
#: :data:`_GOOD_PER_BAD` good multi-byte characters for each, is UTF-8
#: damaged in a few places (a bad byte, a cut), not a legacy encoding.
_FEW_BAD = 3
_GOOD_PER_BAD = 2


def mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """``(text, bad sequences)`` if *data* is UTF-8 but for a few bad bytes, else ``None``.

    A file cut in the middle of a character is UTF-8 whatever else it holds
    (the bad bytes are its last ones). Text in a legacy encoding rarely holds
    a valid multi-byte UTF-8 sequence at all, so a few bad sequences among
    many good ones mean damaged UTF-8.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if bad <= 0:
        return None
    tail = data[-3:]
    if bad == 1 and text.endswith("\ufffd") and any(b >= 0xC0 for b in tail):
        return text, bad  # cut mid-character
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    return (text, bad) if bad <= max(_FEW_BAD, good // 10) and good >= _GOOD_PER_BAD * min(bad, _FEW_BAD) else None


def decode_bytes(data: bytes) -> Decoded:
    """Decode the bytes of an article file.

    A BOM-marked UTF-16/32 file is decoded before any binary check (its NUL
    bytes are part of the encoding). Otherwise a NUL-heavy or control-heavy
    file is reported as binary, unless it reads as UTF-16 text without a BOM
    (decoded, with a note); a few stray NUL bytes are removed with a note.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(encoding), encoding)
            except UnicodeDecodeError:
                text = data[len(bom):].decode(encoding, errors="replace")
                return Decoded(text, encoding, (f"invalid {encoding} bytes replaced",))

    if looks_binary(data[:_SAMPLE]):
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            return Decoded(None, skip="binary file")
        text = data[: len(data) // 2 * 2].decode(utf16, errors="replace")
        return Decoded(text, utf16, (f"decoded as {utf16} (no byte-order mark)",))

    notes: list[str] = []
    nul = data.count(0)
    if nul:
        data = data.replace(b"\x00", b"")
        notes.append(f"removed {nul} NUL byte{'s' if nul != 1 else ''}")

    try:
        return Decoded(data.decode("utf-8"), "utf-8", tuple(notes))
    except UnicodeDecodeError:
        pass
    mostly = mostly_utf8(data)
    if mostly is not None:
        text, bad = mostly
        notes.append(f"{bad} invalid UTF-8 byte sequence{'s' if bad != 1 else ''} replaced")
        return Decoded(text, "utf-8", tuple(notes))

    western = _western(data)
    if western is not None:
        notes.append("decoded as cp1252")
        return Decoded(western, "cp1252", tuple(notes))

    detected = _detect(data)
    if detected is None:
        return Decoded(None, skip="binary file")
    try:
        text = data.decode(detected)
    except (UnicodeDecodeError, LookupError):
        detected = "latin-1"
        text = data.decode(detected)
    notes.append(f"decoded as {detected}")
    return Decoded(text, detected, tuple(notes))


#: A UTF-8 sequence read as cp1252 or Latin-1 upstream: a lead byte's character followed by a
#: continuation byte's ("â€™" for "’", "Ã©" for "é"). Only text with one is handed to ftfy.
_MOJIBAKE_RE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def repair_mojibake(text: str) -> str:
    """*text* with mojibake undone: UTF-8 that a feed or an export decoded as cp1252, once or
    twice ("ObamaÃ¢â‚¬â„¢s" → "Obama’s"; 0.8% of the titles in abp-10k). ftfy's
    ``fix_encoding`` decides, and leaves text it cannot tell apart from real Latin-1 alone; text
    with no sign of it is returned as is without asking."""
    if not text or not _MOJIBAKE_RE.search(text):
        return text
    from ftfy import fix_encoding

    return str(fix_encoding(text))
