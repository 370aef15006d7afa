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
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MARKDOWN_SUFFIXES",
    "JSON_SUFFIXES",
    "JSONL_SUFFIXES",
    "TEXT_SUFFIXES",
    "UNSUPPORTED_SUFFIXES",
    "Parser",
    "RawRecord",
    "parser_for",
    "parse_json",
    "parse_jsonl",
    "parse_markdown",
    "parse_text",
]

TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
#: Document types a user may well drop into a corpus folder but that kazreader
#: cannot read: they get a "skipped: unsupported format" warning.
UNSUPPORTED_SUFFIXES = frozenset({
    ".pdf", ".doc", ".docx", ".odt", ".rtf", ".html", ".htm", ".xhtml",
    ".xml", ".epub", ".pages", ".csv", ".tsv", ".xls", ".xlsx", ".ods",
    ".ppt", ".pptx", ".mht", ".mhtml", ".eml", ".msg", ".warc",
})


@dataclass
class RawRecord:
    """One article as a file format delivers it.

    ``number`` is the 1-based position of the record in its file (``None``
    for a file that is one article); the loader builds ids from it.
    ``date`` is raw (a string or a Unix timestamp) and parsed later.
    """

    text: str
    title: str | None = None
    date: str | int | float | None = None
    outlet: str | None = None
    url: str | None = None
    id: str | None = None
    author: str | None = None
    number: int | None = None


Problems = list[str]
Parser = Callable[[str], tuple[list[RawRecord], Problems]]


# --- plain text ---------------------------------------------------------------


def parse_text(text: str) -> tuple[list[RawRecord], Problems]:
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


def parse_markdown(text: str) -> tuple[list[RawRecord], Problems]:
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
        title=_first(fields, _TITLE_KEYS) or title,
        date=_first(fields, _DATE_KEYS),
        outlet=_first(fields, _OUTLET_KEYS),
        url=_first(fields, _URL_KEYS),
        author=fields.get("author"),
    )
    return [record], []


# --- JSON -----------------------------------------------------------------------

_TITLE_KEYS = ("title", "headline")
_TEXT_KEYS = ("text", "body", "content", "article", "full_text", "fulltext", "article_text", "paragraphs")
_DATE_KEYS = ("date", "published", "published_at", "publishedat", "pubdate", "published_date",
              "publication_date", "datepublished", "created_at", "timestamp")
_OUTLET_KEYS = ("source", "outlet", "publisher", "site", "site_name", "sitename", "publication", "source_name")
_URL_KEYS = ("url", "link", "permalink", "canonical_url")
_AUTHOR_KEYS = ("author", "authors", "byline", "creator")
_CONTAINER_KEYS = ("articles", "items", "data", "results", "records", "docs", "documents")

_HTML_BLOCK_RE = re.compile(r"<\s*(?:br\s*/?|/\s*(?:p|div|h[1-6]|li|blockquote|tr))\s*>", re.IGNORECASE)
_HTML_SIGNAL_RE = re.compile(r"<\s*(?:p|br|div|span|a|em|strong|b|i)\b[^>]*>", re.IGNORECASE)


def _first(obj: dict[str, Any], keys: Iterable[str]) -> Any:
    """The first non-empty value among *keys* (matched case-insensitively)."""
    for key in keys:
        value = obj.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _as_string(value: Any) -> str | None:
    """A scalar as a string; an object's ``name``/``title``; a list's strings joined."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return _as_string(_first({k.lower(): v for k, v in value.items()}, ("name", "title", "value", "url", "href")))
    if isinstance(value, list):
        parts = [s for s in (_as_string(v) for v in value) if s]
        return ", ".join(parts) or None
    return None


def _html_to_text(text: str) -> str:
    """Turn an HTML fragment body into paragraphs of plain text."""
    text = _HTML_BLOCK_RE.sub("\n\n", text)
    return html.unescape(_TAG_RE.sub("", text))


def _body(value: Any) -> str | None:
    """Article text from a string or a list of paragraph strings."""
    if isinstance(value, str):
        body = value
    elif isinstance(value, list) and value and all(isinstance(p, (str, dict)) for p in value):
        parts = [p if isinstance(p, str) else _as_string(_first(p, ("text", "content", "body"))) for p in value]
        body = "\n\n".join(p.strip() for p in parts if p and p.strip())
    else:
        return None
    if "<" in body and _HTML_SIGNAL_RE.search(body):
        body = _html_to_text(body)
    return body if body.strip() else None


def _record(obj: Any, number: int | None) -> RawRecord | str:
    """One JSON value → a record, or the reason it is not an article."""
    if not isinstance(obj, dict):
        return f"not an article ({type(obj).__name__})"
    fields = {k.lower() if isinstance(k, str) else k: v for k, v in obj.items()}
    text = None
    for key in _TEXT_KEYS:
        text = _body(fields.get(key))
        if text:
            break
    if not text:
        return "not an article (no text field)"
    date = _first(fields, _DATE_KEYS)
    if isinstance(date, bool) or not isinstance(date, (str, int, float)):
        date = _as_string(date)
    return RawRecord(
        text=text,
        title=_as_string(_first(fields, _TITLE_KEYS)),
        date=date,
        outlet=_as_string(_first(fields, _OUTLET_KEYS)),
        url=_as_string(_first(fields, _URL_KEYS)),
        id=_as_string(fields.get("id", fields.get("_id"))),
        author=_as_string(_first(fields, _AUTHOR_KEYS)),
        number=number,
    )


def _records(values: list[Any], label: str) -> tuple[list[RawRecord], Problems]:
    records: list[RawRecord] = []
    problems: Problems = []
    for n, value in enumerate(values, 1):
        result = _record(value, n)
        if isinstance(result, str):
            problems.append(f"{label} {n}: {result}, skipped")
        else:
            records.append(result)
    return records, problems


def parse_json(text: str) -> tuple[list[RawRecord], Problems]:
    """A JSON file: one article object, a list of them, or an object holding a
    list under ``articles``/``items``/``data`` (and a few other usual keys)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
    except RecursionError:
        return [], ["invalid JSON: nested too deeply"]
    if isinstance(value, dict):
        lowered = {k.lower(): v for k, v in value.items() if isinstance(k, str)}
        for key in _CONTAINER_KEYS:
            if isinstance(lowered.get(key), list):
                return _records(lowered[key], "record")
        result = _record(value, None)
        if isinstance(result, str):
            return [], [f"{result}, skipped"]
        return [result], []
    if isinstance(value, list):
        return _records(value, "record")
    return [], [f"not an article ({type(value).__name__}), skipped"]


def parse_jsonl(text: str) -> tuple[list[RawRecord], Problems]:
    """JSON Lines: one article per line; a broken line is reported and skipped."""
    records: list[RawRecord] = []
    problems: Problems = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            problems.append(f"line {lineno}: invalid JSON, skipped")
            continue
        result = _record(value, lineno)
        if isinstance(result, str):
            problems.append(f"line {lineno}: {result}, skipped")
        else:
            records.append(result)
    return records, problems


def parser_for(suffix: str) -> Parser | None:
    """The parser for a (lower-case) file suffix, or ``None`` if unsupported."""
    if suffix in TEXT_SUFFIXES or suffix == "":
        return parse_text
    if suffix in MARKDOWN_SUFFIXES:
        return parse_markdown
    if suffix in JSON_SUFFIXES:
        return parse_json
    if suffix in JSONL_SUFFIXES:
        return parse_jsonl
    return None
