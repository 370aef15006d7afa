"""File formats → raw records (text plus whatever metadata the format carries).

A :class:`RawRecord` is not yet an article: its text is neither sanitised nor
cleaned, and its date is whatever the file said. :mod:`kazreader.corpus.loader`
turns records into :class:`~kazreader.corpus.model.Article`s.

Every parser returns ``(records, problems)``: problems are one-line messages
(``"line 7: invalid JSON"``) that the loader reports as warnings. No parser
raises for bad input.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from typing import Any

from kazreader.corpus.fields import FieldMap, RawRecord, containers, default_map, record_from

__all__ = [
    "Format",
    "SUFFIXES",
    "UNSUPPORTED_SUFFIXES",
    "LineParser",
    "Parser",
    "RawRecord",
    "format_of",
    "parse_json",
    "parse_json_lines",
    "parse_jsonl",
    "parse_markdown",
    "parse_text",
]

class Format(StrEnum):
    """The file formats kazreader reads."""

    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"
    HTML = "html"


#: File suffix → format. A file of another suffix given explicitly is read as text.
SUFFIXES: dict[str, Format] = {
    ".txt": Format.TEXT, ".text": Format.TEXT,
    ".md": Format.MARKDOWN, ".markdown": Format.MARKDOWN,
    ".json": Format.JSON,
    ".jsonl": Format.JSONL, ".ndjson": Format.JSONL, ".jsonlines": Format.JSONL,
    ".csv": Format.CSV, ".tsv": Format.TSV, ".tab": Format.TSV,
    ".html": Format.HTML, ".htm": Format.HTML, ".xhtml": Format.HTML, ".shtml": Format.HTML,
}
#: Document types a user may well drop into a corpus folder but that kazreader
#: cannot read: they get a "skipped: unsupported format" warning.
UNSUPPORTED_SUFFIXES = frozenset({
    ".pdf", ".doc", ".docx", ".odt", ".rtf", ".xml", ".epub", ".pages", ".xls", ".xlsx", ".ods",
    ".ppt", ".pptx", ".mht", ".mhtml", ".eml", ".msg", ".warc", ".tar", ".tgz", ".7z", ".rar",
})


def format_of(name: str) -> Format | None:
    """The format of a file name, looking through a compression suffix (``a.jsonl.gz``)."""
    from kazreader.corpus.sources import inner_name

    return SUFFIXES.get(os.path.splitext(inner_name(name))[1].lower())


Problems = list[str]
Parser = Callable[[str], tuple[list[RawRecord], Problems]]
#: A line-by-line parser: ``(line number, line or None if too long)`` pairs in, records or problems out.
LineParser = Callable[[Iterable[tuple[int, str | None]], FieldMap], Iterator[RawRecord | str]]


# --- plain text ---------------------------------------------------------------


def parse_text(text: str, fmap: FieldMap | None = None) -> tuple[list[RawRecord], Problems]:
    """A plain-text file is one article; all inference happens later."""
    return [RawRecord(text=text)], []


# --- Markdown -----------------------------------------------------------------

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_KEY_RE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_FENCE_RE = re.compile(r"^[ \t]*(?:```|~~~).*$", re.MULTILINE)
_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|!\[[^\]\n]*\]\[[^\]\n]*\]")
_LINK_RE = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)|\[([^\]\n]+)\]\[[^\]\n]*\]")
_AUTOLINK_RE = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_REFDEF_RE = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.MULTILINE)
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR_RE = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDER_RE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_STRIKE_RE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_CODE_RE = re.compile(r"`([^`\n]+)`")
_HEADING_RE = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_SETEXT_RE = re.compile(r"^[ \t]{0,3}(=+|-+)[ \t]*$")
_RULE_RE = re.compile(r"^[ \t]{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_QUOTE_RE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+")
_ITEM_RE = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+")
_ESCAPED_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")


def _inline(line: str) -> str:
    """Strip inline Markdown markup from one line, keeping the words."""
    if "!" in line:
        line = _IMAGE_RE.sub("", line)
    if "[" in line:
        line = _LINK_RE.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), line)
    if "<" in line:
        line = _AUTOLINK_RE.sub(r"\1", line)
        line = _TAG_RE.sub("", line)
    if "`" in line:
        line = _CODE_RE.sub(r"\1", line)
    if "*" in line or "_" in line:
        line = _STRONG_RE.sub(r"\2", line)
        line = _EM_STAR_RE.sub(r"\1", line)
        line = _EM_UNDER_RE.sub(r"\1", line)
    if "~" in line:
        line = _STRIKE_RE.sub(r"\1", line)
    if "\\" in line:
        line = _ESCAPED_RE.sub(r"\1", line)
    if "&" in line:
        line = html.unescape(line)
    return line


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split simple YAML front matter (``key: value`` lines) off *text*."""
    m = _FRONT_MATTER_RE.match(text)
    if not m:
        return {}, text
    fields = {
        k.lower(): v.strip().strip("\"'")
        for k, v in _FRONT_KEY_RE.findall(m.group(1))
        if v.strip()
    }
    return fields, text[m.end():]


def parse_markdown(text: str, fmap: FieldMap | None = None) -> tuple[list[RawRecord], Problems]:
    """A Markdown file is one article.

    A leading level-1 heading (ATX ``# Title`` or Setext) is the title; other
    headings, list items and block quotes become paragraphs of their own;
    inline markup, images, HTML comments and tags are stripped, link texts
    kept. Simple YAML front matter supplies title/date/source/url/author.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fields, text = _front_matter(text)
    text = _COMMENT_RE.sub("", text)
    text = _REFDEF_RE.sub("", text)
    text = _FENCE_RE.sub("", text)

    title: str | None = None
    out: list[str] = []
    seen_content = False
    lines = text.split("\n")
    for i, raw in enumerate(lines):
        if _RULE_RE.match(raw):
            out.append("")
            continue
        heading = _HEADING_RE.match(raw)
        if heading is None and raw.strip() and i + 1 < len(lines) and _SETEXT_RE.match(lines[i + 1]):
            heading_level = 1 if lines[i + 1].strip().startswith("=") else 2
            content = raw.strip()
            lines[i + 1] = ""  # consume the underline
        elif heading is not None:
            heading_level, content = len(heading.group(1)), heading.group(2)
        else:
            heading_level, content = 0, ""
        if heading_level:
            content = _inline(content).strip()
            if heading_level == 1 and title is None and not seen_content:
                title = content or None
            else:
                out.extend(("", content, ""))
            seen_content = True
            continue
        line = _QUOTE_RE.sub("", raw)
        item = _ITEM_RE.match(line)
        if item:
            line = line[item.end():]
            out.append("")  # each list item is a paragraph of its own
        line = _inline(line)
        if line.strip():
            seen_content = True
        out.append(line)

    record = RawRecord(
        text="\n".join(out),
        title=fields.get("title") or fields.get("headline") or title,
        date=fields.get("date") or fields.get("published"),
        outlet=fields.get("source") or fields.get("outlet") or fields.get("publisher"),
        url=fields.get("url") or fields.get("link"),
        author=fields.get("author"),
    )
    return [record], []


# --- JSON -----------------------------------------------------------------------


def _safe_int(digits: str) -> int | str:
    """A JSON integer; one too long for Python to convert stays a string."""
    return int(digits) if len(digits) <= 1000 else digits


def _loads(text: str) -> Any:
    return json.loads(text, parse_int=_safe_int)


def _records(values: list[Any], label: str, fmap: FieldMap) -> tuple[list[RawRecord], Problems]:
    records: list[RawRecord] = []
    problems: Problems = []
    for n, value in enumerate(values, 1):
        result = record_from(value, n, fmap)
        if isinstance(result, str):
            problems.append(f"{label} {n}: {result}, skipped")
        else:
            records.append(result)
    return records, problems


def parse_json(text: str, fmap: FieldMap | None = None) -> tuple[list[RawRecord], Problems]:
    """A JSON file: one article object, a list of them, or an object holding lists
    under ``articles``/``items``/``data`` (and a few other usual keys; all are read).
    JSON Lines written into a ``.json`` file are read as JSON Lines."""
    fmap = fmap or default_map()
    try:
        value = _loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and exc.lineno > 1:
            lines = enumerate(text.split("\n"), 1)
            found = list(parse_json_lines(((n, line) for n, line in lines), fmap))
            return [r for r in found if isinstance(r, RawRecord)], [p for p in found if isinstance(p, str)]
        return [], [f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
    except RecursionError:
        return [], ["invalid JSON: nested too deeply"]
    except ValueError as exc:
        return [], [f"invalid JSON: {str(exc)[:80]}"]
    if isinstance(value, dict):
        inner = containers(value, fmap)
        if inner is not None:
            return _records(inner, "record", fmap)
        result = record_from(value, None, fmap)
        if isinstance(result, str):
            return [], [f"{result}, skipped"]
        return [result], []
    if isinstance(value, list):
        return _records(value, "record", fmap)
    return [], [f"not an article ({type(value).__name__}), skipped"]


def parse_json_lines(lines: Iterable[tuple[int, str | None]], fmap: FieldMap) -> Iterator[RawRecord | str]:
    """JSON Lines, one ``(number, line)`` at a time: a record, or the problem of a bad line."""
    for lineno, line in lines:
        if line is None:
            yield f"line {lineno}: too long, skipped"
            continue
        if not line.strip():
            continue
        try:
            value = _loads(line)
        except (ValueError, RecursionError):
            yield f"line {lineno}: invalid JSON, skipped"
            continue
        result = record_from(value, lineno, fmap)
        yield f"line {lineno}: {result}, skipped" if isinstance(result, str) else result


def parse_jsonl(text: str, fmap: FieldMap | None = None) -> tuple[list[RawRecord], Problems]:
    """JSON Lines in one string, split on ``\\n`` only (U+2028 and U+0085 may sit
    raw inside JSON strings); a broken line is reported and skipped."""
    found = list(parse_json_lines(enumerate(text.split("\n"), 1), fmap or default_map()))
    return [r for r in found if isinstance(r, RawRecord)], [p for p in found if isinstance(p, str)]

