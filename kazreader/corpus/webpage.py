"""Saved web pages → one raw record each, through trafilatura.

trafilatura (a well-kept extraction library: 0.958 shingle-F1 on the public
article-extraction benchmark) finds the main text and leaves out navigation,
ads, related links, comments and cookie banners; it also reads the title,
date, site name, author and canonical URL from the page's metadata. When it
finds almost nothing (a page that ships its article only as schema.org
JSON-LD, as some script-rendered sites do), the JSON-LD ``articleBody`` is used.

Extraction costs tens of milliseconds a page: on a first load it runs in the
loader's worker processes, and the corpus snapshot keeps the result, so a
page is never extracted twice.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

from kazreader.corpus.fields import FieldMap, RawRecord

__all__ = ["parse_html"]

Problems = list[str]

#: A body shorter than this many words is worth checking against JSON-LD.
_SHORT_BODY_WORDS = 150
_LD_RE = re.compile(
    r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL
)
#: Separators between a page title and the site name appended to it.
_TITLE_SEP_RE = re.compile(r"\s+[|–—•·:-]\s+|\s+\|\s*|\s*\|\s+")
_ALNUM_RE = re.compile(r"[\W_]+")


def _ld_bodies(value: Any, depth: int = 0) -> Iterator[str]:
    """Every ``articleBody`` string in a JSON-LD value."""
    if depth > 20:
        return
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "articleBody" and isinstance(inner, str):
                yield inner
            else:
                yield from _ld_bodies(inner, depth + 1)
    elif isinstance(value, list):
        for inner in value:
            yield from _ld_bodies(inner, depth + 1)


def _ld_body(page: str) -> str | None:
    """The longest schema.org ``articleBody`` in the page's JSON-LD scripts."""
    best: str | None = None
    for m in _LD_RE.finditer(page):
        try:
            value = json.loads(m.group(1))
        except (ValueError, RecursionError):
            continue
        for body in _ld_bodies(value):
            if best is None or len(body) > len(best):
                best = body
    return best


def _key(text: str) -> str:
    return _ALNUM_RE.sub("", text).lower()


def _title(title: str | None, site: str | None, host: str | None) -> str | None:
    """The page title without the site name (or a date) appended to it."""
    if not title:
        return None
    from kazreader.corpus.metadata import parse_date

    names = {_key(n) for n in (site, host, (host or "").rsplit(".", 1)[0]) if n}
    while True:
        seps = list(_TITLE_SEP_RE.finditer(title))
        if not seps:
            return title
        tail = title[seps[-1].end():]
        last = _key(tail)
        if not last or not (last in names or any(last in n or n in last for n in names if len(n) >= 2)
                            or parse_date(tail) is not None):
            return title
        title = title[: seps[-1].start()].strip()


#: Leading paragraphs looked at for a repeated title or a bare date line.
_LEAD_PARAGRAPHS = 3


def _paragraphs(text: str, title: str | None) -> str:
    """trafilatura's one-line paragraphs, separated by blank lines, without a
    repeated title or a date line ("October 22, 2019 report") at the top."""
    from kazreader.corpus.metadata import parse_date

    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    key = _key(title) if title else None
    for i, para in enumerate(paragraphs[:_LEAD_PARAGRAPHS]):
        if (key and _key(para) == key) or (len(para.split()) <= 5 and parse_date(para) is not None):
            paragraphs[i] = ""
    return "\n\n".join(p for p in paragraphs if p)


def parse_html(text: str, fmap: FieldMap | None = None) -> tuple[list[RawRecord], Problems]:
    """A saved web page: its main text and metadata as one record."""
    try:
        from trafilatura import bare_extraction

        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its notes are not the user's
    except ImportError:  # pragma: no cover - a dependency
        return [], ["skipped: reading web pages needs trafilatura (pip install trafilatura lxml_html_clean)"]
    try:
        found = bare_extraction(text, with_metadata=True, include_comments=False, include_tables=False,
                                deduplicate=False, output_format="python")
    except Exception as exc:  # noqa: BLE001 - a library fed a hostile page: any failure skips the page
        return [], [f"skipped: could not read the page ({type(exc).__name__})"]
    doc: Any = found
    title = _title(doc.title, doc.sitename, doc.hostname) if doc is not None else None
    body = _paragraphs(doc.text or "", title) if doc is not None else ""
    if len(body.split()) < _SHORT_BODY_WORDS:
        ld = _ld_body(text)
        if ld is not None and len(ld.split()) > len(body.split()):
            body = ld
    if not body.strip():
        return [], ["skipped: no article text found in the page"]
    site = doc.sitename if doc is not None else None
    host = doc.hostname if doc is not None else None
    return [RawRecord(
        text=body,
        title=title,
        date=doc.date if doc is not None else None,
        outlet=site or host,
        url=doc.url if doc is not None else None,
        author=doc.author if doc is not None else None,
    )], []
