"""Article metadata: dates, outlets, titles and bylines inferred from the text,
and the ``corpus.toml`` sidecar that overrides them.

Inference is conservative: a field is set only when the text shows it (a
``date 2022-01-12`` marker, a ``Source: X`` line, a ``MOSCOW (AP) —``
dateline, a title line); anything else stays ``None``.

Precedence, applied by the loader: sidecar > the record's own fields (JSON,
Markdown front matter) > inference from the text.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kazreader.corpus.clean import is_furniture
from kazreader.text import fold
from kazreader.urls import url_host

__all__ = [
    "SIDECAR_NAME",
    "SIDECAR_FIELDS",
    "Inferred",
    "agency_in",
    "clean_outlet",
    "dateline",
    "known_outlet",
    "outlet_from_url",
    "infer",
    "parse_date",
    "read_sidecar",
    "read_sidecar_maps",
    "strip_date_marker",
]

SIDECAR_NAME = "corpus.toml"
#: The per-article fields a sidecar may set.
SIDECAR_FIELDS = ("outlet", "date", "title", "url")

# --- dates ------------------------------------------------------------------------

_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ),
        1,
    )
    for name in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    # 2022-01-06, 2022/01/06, 2022.01.06, optionally followed by a time
    re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    # 20220106, GDELT's 20220106T101500Z and 20220106101500
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:T?\d{4}(?:\d{2})?Z?)?$"),
    # 6 January 2022, 06 Jan 2022 (RFC 2822), 6th Jan. 2022
    re.compile(r"(?<!\d)(?P<d>\d{1,2})" + _ORD + r"\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<y>\d{4})(?!\d)", re.IGNORECASE),
    # January 6, 2022, Jan. 6th 2022
    re.compile(r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})" + _ORD + r",?\s+(?P<y>\d{4})(?!\d)", re.IGNORECASE),
    # 06.01.2022 (day first)
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)"),
    # 01/06/2022: month first unless impossible (see _slash); 1/6/22 with a two-digit year
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])"),
    # 06-01-2022 (day first)
    re.compile(r"(?<![\d-])(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4})(?!\d)"),
)


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _from_match(m: re.Match[str]) -> str | None:
    parts = m.groupdict()
    y = int(parts["y"])
    if len(parts["y"]) == 2:  # a two-digit year: 1970-2069
        y += 2000 if y < 70 else 1900
    if parts.get("a") is not None:  # a/b/yyyy: US month-first, day-first when the month is impossible
        a, b = int(parts["a"]), int(parts["b"])
        return _iso(y, a, b) if a <= 12 else _iso(y, b, a)
    month = _MONTHS[parts["mon"].lower()] if parts.get("mon") else int(parts["m"])
    return _iso(y, month, int(parts["d"]))


def parse_date(value: Any) -> str | None:
    """Parse a date in any common format to ISO ``YYYY-MM-DD``; ``None`` if impossible.

    Accepts ISO dates and timestamps (``2022-01-06T10:00:00Z``), RFC 2822
    (``Thu, 06 Jan 2022 10:00:00 GMT``), ``January 6, 2022``, ``6 Jan 2022``,
    ``06.01.2022`` (day first), ``01/06/2022`` (month first unless that is
    impossible), compact ``20220106`` and Unix timestamps in seconds or
    milliseconds. The calendar date is taken as written (no time-zone shift).
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return _from_timestamp(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 100:
        return None
    if re.fullmatch(r"\d{9,10}(?:\d{3})?(?:\.\d+)?", text):
        return _from_timestamp(float(text))
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if m:
            return _from_match(m)
    return None


def _from_timestamp(ts: float) -> str | None:
    if ts > 1e11:  # milliseconds
        ts /= 1000
    try:
        return _dt.datetime.fromtimestamp(ts, _dt.timezone.utc).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


# A leading "date 2022-01-12" marker; the body may follow on the same line.
_DATE_MARKER_RE = re.compile(
    r"\A\s*date\s*[:=]?\s*(\d{4}-\d{1,2}-\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"(?![\w-])[^\S\n]*\n?",
    re.IGNORECASE,
)
_DATE_WORDS = frozenset(
    set(_MONTHS)
    | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
       "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
       "st", "nd", "rd", "th", "of", "am", "pm", "a", "p", "m", "gmt", "utc", "z", "t",
       "et", "est", "edt", "pt", "pst", "pdt", "bst", "cet", "cest", "msk", "ist",
       "date", "dated", "published", "posted", "updated", "last", "first", "on", "at"}
)


def strip_date_marker(text: str) -> tuple[str, str | None]:
    """Remove a leading ``date YYYY-MM-DD`` marker; return the text and its date."""
    m = _DATE_MARKER_RE.match(text)
    if not m:
        return text, None
    date = parse_date(m.group(1))
    if date is None:
        return text, None
    return text[m.end():], date


def _date_line(line: str) -> str | None:
    """The date of a line that says nothing but a date ("Published: Jan 6, 2022 10:30 GMT")."""
    if len(line) > 60:
        return None
    words = re.findall(r"[^\W\d_]+", line.lower())
    if any(w not in _DATE_WORDS for w in words):
        return None
    if any(w in ("updated",) for w in words) and not any(w in ("published", "posted") for w in words):
        return None  # an update time is not the publication date
    return parse_date(line)


# --- outlets, datelines, bylines ----------------------------------------------------

_AGENCIES_SUFFIX_RE = re.compile(
    r"\s*(?:,|/|\+|&|\band\b|\bwith\b|\bplus\b)\s*(?:other\s+|news\s+|wire\s+)?"
    r"(?:agencies|agency|wires?|wire services|news agencies)\b.*$",
    re.IGNORECASE,
)
_SOURCE_LINE_RE = re.compile(r"^sources?\s*:\s*(.+)$", re.IGNORECASE)
_BYLINE_RE = re.compile(r"^by\s+(\S.*)$", re.IGNORECASE)

#: ``MOSCOW (AP) —``, ``ALMATY, Kazakhstan –``, ``LONDON (Reuters) -``, ``NUR-SULTAN, Jan 6 (Reuters) -``.
_DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.]+(?:[ -][A-Z][A-Z'’.]+){0,3})"
    r"(?:,\s*(?P<region>[A-Z][\w'’. ]{1,40}?))?"
    r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?"
    r"\s*[–—-]{1,2}\s"
)


def clean_outlet(value: str | None) -> str | None:
    """Tidy an outlet name: ``"TRTWorld and agencies"`` → ``"TRTWorld"``."""
    if not value:
        return None
    value = _AGENCIES_SUFFIX_RE.sub("", value.strip())
    value = value.strip(" \t.,;:|-–—")
    return value or None


@lru_cache(maxsize=4)
def _table(name: str) -> dict[str, str]:
    """A shipped two-column table (``data/NAME``): first column (lower case) → second."""
    raw = resources.files("kazreader.corpus").joinpath("data", name).read_text("utf-8")
    rows = (line.split("\t") for line in raw.splitlines() if line and not line.startswith("#"))
    return {row[0].strip().lower(): row[1].strip() for row in rows if len(row) >= 2}


def _host(url: str) -> str | None:
    """The host of a URL (or of a bare domain), lower case, without ``www.``."""
    url = url.strip()
    if not url or " " in url or len(url) > 2000:
        return None
    host = url_host(url)
    return host.removeprefix("www.") if host is not None else None


def known_outlet(url: str) -> str | None:
    """The name of the news site a URL (or domain) belongs to, from the shipped table."""
    host = _host(url)
    if host is None:
        return None
    table = _table("outlets.tsv")
    labels = host.split(".")
    for i in range(len(labels) - 1):
        name = table.get(".".join(labels[i:]))
        if name is not None:
            return name
    return None


def outlet_from_url(url: str) -> str | None:
    """The outlet a URL names: a known site's name, else its domain (``example.org``)."""
    return known_outlet(url) or _host(url)


_AGENCY_PAREN_RE = re.compile(r"\(([^()\n]{2,40})\)\s*[–—:-]")
_AGENCY_TAIL_RE = re.compile(r"(?:\s[–—-]|\||,)\s*([A-Za-z][A-Za-z .'-]{1,38}?)\s*\.?\s*$")
_BY_RE = re.compile(r"^by\s", re.IGNORECASE)
#: Opening characters searched for an agency credit.
_OPENING = 400


def _agency(credit: str) -> str | None:
    return _table("agencies.tsv").get(credit.strip().strip(".").lower())


def agency_in(lines: list[str]) -> str | None:
    """The news agency credited in an article's opening lines: ``(Reuters)``,
    ``(AFP)``, a line ending ``— AP``, a byline ``By Jane Doe, Reuters``."""
    for line in lines:
        head = line[:_OPENING]
        for paren in _AGENCY_PAREN_RE.finditer(head):
            name = _agency(paren.group(1))
            if name:
                return name
        if len(line) <= 120 and (_BY_RE.match(line) or line.lstrip()[:1] in "–—-"):
            tail = _AGENCY_TAIL_RE.search(" " + line)
            if tail and (name := _agency(tail.group(1))):
                return name
    return None


def dateline(paragraph: str) -> re.Match[str] | None:
    """Match a leading dateline (place in capitals, optional agency, dash)."""
    return _DATELINE_RE.match(paragraph)


# --- title and section labels ------------------------------------------------------

_TITLE_MAX_WORDS = 25
_TITLE_BAD_END = tuple(".,;:")
_LABEL_SEPARATORS = re.compile(r"\s*[|›»>/]\s*")
_SENTENCE_BREAK_RE = re.compile(r"[.!?][\"'”’]?\s+[\"'“‘]?[A-Z]")


#: A line that is only a dateline's place: ``WEST PALM BEACH, Fla.``, ``WASHINGTON —``.
_PLACE_LINE_RE = re.compile(
    r"^[A-Z][A-Z'’.]+(?:[ -][A-Z][A-Z'’.]+){0,3}(?:,\s*[A-Z][\w'’. ]{1,30})?\s*(?:\([^()\n]{1,40}\))?\s*[–—-]{0,2}\s*$"
)
#: A headline may end with one full stop if it is this short.
_TITLE_STOP_WORDS = 14


#: Share of a line's longer words (after the first) that must be capitalised
#: for it to read as a headline despite its full stop ("Kazakhstan Declares
#: State of Emergency."): a sentence-case line with a full stop is a sentence.
_HEADLINE_CAPS = 0.6


def _headline_case(words: list[str]) -> bool:
    longer = [w for w in words[1:] if sum(ch.isalpha() for ch in w) >= 4]
    return bool(longer) and sum(w[0].isupper() for w in longer) >= _HEADLINE_CAPS * len(longer)


def _title_like(line: str, stop_ok: bool = False) -> bool:
    """A short line that reads as a headline (case does not matter); with
    *stop_ok*, a short one may end with a full stop."""
    words = line.split()
    if not 1 <= len(words) <= _TITLE_MAX_WORDS or len(line) > 200:
        return False
    end = line.rstrip("\"'”’»)")
    if end.endswith(_TITLE_BAD_END) and not (
        stop_ok and end.endswith(".") and not end.endswith("..") and len(words) <= _TITLE_STOP_WORDS
        and _headline_case(words)
    ):
        return False
    if _PLACE_LINE_RE.match(line) or (len(words) <= 6 and parse_date(line) is not None):
        return False
    if line[0].islower() or dateline(line) or _BYLINE_RE.match(line) or _SOURCE_LINE_RE.match(line):
        return False
    return not is_furniture(line) and not _SENTENCE_BREAK_RE.search(line) and _date_line(line) is None


def _label_like(line: str) -> bool:
    """A one/two-word section label such as "World", "Fast News", "Europe | Russia"."""
    if len(line) > 30 or line.rstrip("\"'”’»)").endswith(_TITLE_BAD_END + ("!", "?")):
        return False
    parts = [p for p in _LABEL_SEPARATORS.split(line) if p]
    return 1 <= len(parts) <= 3 and all(1 <= len(p.split()) <= 2 for p in parts)


def _standfirst_like(lines: list[str]) -> bool:
    """A one-sentence paragraph, as a standfirst under a label usually is."""
    text = " ".join(lines)
    return len(text.split()) <= 50 and not _SENTENCE_BREAK_RE.search(text)


@dataclass
class Inferred:
    """What the text itself says about the article."""

    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    agency: str | None = None
    author: str | None = None


def infer(blocks: list[list[str]], *, known_title: str | None = None) -> tuple[list[list[str]], Inferred]:
    """Take metadata lines off the blocks of an article (see :func:`clean.split_blocks`).

    Removed: a section label above the title, the title line (or, when the
    record has its own title, a first line repeating it), ``By …`` bylines
    near the top or bottom, ``Source: …`` lines and a "Published: <date>" line
    near the top. The dateline stays in the text; its agency is reported.
    """
    found = Inferred()
    blocks = [list(b) for b in blocks]

    # Section labels above the title/standfirst.
    for _ in range(2):
        if (
            len(blocks) >= 3
            and len(blocks[0]) == 1
            and _label_like(blocks[0][0])
            and not dateline(blocks[1][0])
            and (_title_like(blocks[1][0]) or _standfirst_like(blocks[1]))
        ):
            blocks.pop(0)
        else:
            break

    # The title line.
    if blocks:
        first = blocks[0]
        line = first[0]
        if known_title is not None:
            if fold(line) == fold(known_title):
                _drop_first_line(blocks)
        elif (len(first) == 1 and len(blocks) > 1 and _title_like(line, stop_ok=True)
              and _body_follows(line, blocks[1])) or (
            len(first) > 1 and _title_like(line) and len(line) < 0.6 * len(first[1])
        ):
            found.title = line
            _drop_first_line(blocks)

    # Bylines, date lines and source lines.
    keep = [block for i, block in enumerate(blocks) if not _meta_line(block, i, len(blocks), found)]
    if keep:
        m = dateline(keep[0][0])
        if m and m.group("agency"):
            found.agency = m.group("agency").strip()
        else:
            found.agency = found.agency or agency_in([line for block in keep[:3] for line in block[:2]])
    return keep, found


def _meta_line(block: list[str], i: int, count: int, found: Inferred) -> bool:
    """True (and *found* filled in) if block *i* of *count* is a ``Source:``,
    ``By …`` or date line, taken off the text."""
    if len(block) != 1 or len(block[0].split()) > 12:
        return False
    line = block[0]
    source = _SOURCE_LINE_RE.match(line)
    if source:
        found.outlet = found.outlet or clean_outlet(source.group(1))
        return True
    byline = _BYLINE_RE.match(line)
    near_edge = i < 5 or i >= count - 2
    if near_edge and byline and byline.group(1)[:1].isupper() and not line.endswith("."):
        found.author = found.author or byline.group(1).strip()
        found.agency = found.agency or agency_in([line])
        return True
    if i < 5 and (date := _date_line(line)):
        found.date = found.date or date
        return True
    return False


def _body_follows(line: str, block: list[str]) -> bool:
    """A title ending with a full stop must stand above a longer paragraph."""
    if not line.rstrip("\"'”’»)").endswith("."):
        return True
    return len(" ".join(block)) >= 2 * len(line)


def _drop_first_line(blocks: list[list[str]]) -> None:
    del blocks[0][0]
    if not blocks[0]:
        blocks.pop(0)


# --- sidecar --------------------------------------------------------------------------


def read_sidecar(path: str | Path) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Read a ``corpus.toml``: ``{article id: {field: value}}`` and problems.

    The expected shape is ``[articles."ID"]`` tables with ``outlet``,
    ``date``, ``title`` and ``url`` strings. A file that cannot be read or
    parsed yields no entries and one problem; a bad entry is skipped with a
    problem, the others are used.
    """
    data, problem = _load_toml(path)
    if data is None:
        return {}, [problem]
    articles = data.get("articles", {})
    if not isinstance(articles, dict):
        return {}, ["invalid sidecar, ignored: [articles] must be a table"]
    entries: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for article_id, fields in articles.items():
        if not isinstance(fields, dict):
            problems.append(f"sidecar entry {article_id!r} is not a table, skipped")
            continue
        entry: dict[str, str] = {}
        for key, value in fields.items():
            if key not in SIDECAR_FIELDS:
                problems.append(f"sidecar entry {article_id!r}: unknown field {key!r} ignored")
            elif key == "date":
                iso = parse_date(value.isoformat() if isinstance(value, _dt.date) else value)
                if iso is None:
                    problems.append(f"sidecar entry {article_id!r}: unparseable date {value!r} ignored")
                else:
                    entry[key] = iso
            elif isinstance(value, str) and value.strip():
                entry[key] = value.strip()
            else:
                problems.append(f"sidecar entry {article_id!r}: {key} must be a non-empty string")
        entries[str(article_id)] = entry
    return entries, problems


#: A sidecar larger than this is not read (it holds metadata, not articles).
_SIDECAR_MAX_BYTES = 16_000_000


def _load_toml(path: str | Path) -> tuple[dict[str, Any] | None, str]:
    """A sidecar's tables, or ``None`` and the one-line reason it cannot be used."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_SIDECAR_MAX_BYTES + 1)
        if len(raw) > _SIDECAR_MAX_BYTES:
            return None, "sidecar too large, ignored"
        return tomllib.loads(raw.decode("utf-8")), ""
    except tomllib.TOMLDecodeError as exc:
        return None, f"invalid sidecar, ignored: {exc}"
    except RecursionError:
        return None, "invalid sidecar, ignored: nested too deeply"
    except (OSError, UnicodeDecodeError, ValueError, MemoryError) as exc:
        return None, f"unreadable sidecar, ignored: {exc.__class__.__name__}: {exc}"


def read_sidecar_maps(path: str | Path) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """A sidecar's ``[fields]`` (field → dotted path) and ``[outlets]`` (code → name) tables.

    Unknown fields and values that are not strings are reported and left out.
    """
    from kazreader.corpus.fields import Field

    data, problem = _load_toml(path)
    if data is None:
        return {}, {}, []  # read_sidecar reports it
    problems: list[str] = []
    tables: list[dict[str, str]] = []
    for name in ("fields", "outlets"):
        table = data.get(name, {})
        if not isinstance(table, dict):
            problems.append(f"[{name}] must be a table, ignored")
            table = {}
        kept = {str(k): v.strip() for k, v in table.items() if isinstance(v, str) and v.strip()}
        problems.extend(f"[{name}] {k!r}: must be a non-empty string, ignored" for k in table if k not in kept)
        tables.append(kept)
    fields, outlets = tables
    valid = {f.value for f in Field}
    for key in [k for k in fields if k not in valid]:
        problems.append(f"[fields] {key!r}: unknown field (one of {', '.join(sorted(valid))}), ignored")
        del fields[key]
    return fields, outlets, problems
