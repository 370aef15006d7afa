"""A findings document (sections of cited items and tables) written as Markdown or HTML.

Reports and the reader's exports build a :class:`Document`; :func:`to_markdown`
and :func:`to_html` write it. Article text is untrusted: Markdown escapes its
markup characters, HTML escapes everything, and the HTML page is one
self-contained file (inline CSS, no script, no network).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Document", "Item", "Mark", "Pair", "Run", "Section", "Table", "md_escape", "to_html", "to_markdown"]


class Mark(StrEnum):
    """How a run of quoted text is marked (as in the reader's compare view)."""

    PLAIN = "plain"
    DELETE = "delete"  # only in the first side
    INSERT = "insert"  # only in the second side
    CHANGE = "change"  # changed between the sides
    HIT = "hit"  # a search match or the cited figure


@dataclass(frozen=True)
class Run:
    text: str
    mark: Mark = Mark.PLAIN


@dataclass(frozen=True)
class Item:
    """Quoted words (possibly marked) and their attribution (``Speaker, in Outlet, …``)."""

    runs: tuple[Run, ...]
    attribution: str
    label: str | None = None  # e.g. "X", "A", a measure

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Pair:
    """The two renderings of one shared passage."""

    left: Item
    right: Item
    note: str


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass
class Section:
    title: str
    intro: str | None = None
    items: list[Item | Pair] = field(default_factory=list)
    table: Table | None = None
    empty: str = "none"


@dataclass
class Document:
    title: str
    lines: list[str] = field(default_factory=list)  # under the title: the sources, counts
    sections: list[Section] = field(default_factory=list)
    legend: bool = False


# -- Markdown ----------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|~#])|(?<!\w)_|_(?!\w)")
_MD_MARKS = {Mark.PLAIN: "{}", Mark.DELETE: "~~{}~~", Mark.INSERT: "**{}**", Mark.CHANGE: "*{}*", Mark.HIT: "**{}**"}


_MD_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")


def md_escape(text: str) -> str:
    """*text* on one line with Markdown's markup characters backslash-escaped.

    A line opening like a list item ("1. ", "- ") is escaped too.
    """
    line = _MD_SPECIAL.sub(lambda m: "\\" + m.group(), " ".join(text.split()))
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", line)


def _md_runs(runs: Sequence[Run]) -> str:
    out = []
    for run in runs:
        words = md_escape(run.text)
        lead = " " if run.text[:1].isspace() else ""
        trail = " " if run.text[-1:].isspace() and words else ""
        out.append(lead + (_MD_MARKS[run.mark].format(words) if words else "") + trail)
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def _md_item(item: Item) -> str:
    label = f"**{md_escape(item.label)}** " if item.label else ""
    quote = f"“{_md_runs(item.runs)}” — " if item.runs else ""
    return f"- {label}{quote}{md_escape(item.attribution)}"


def _md_table(table: Table) -> list[str]:
    def cells(row: Sequence[str]) -> str:
        return "| " + " | ".join(md_escape(c) for c in row) + " |"

    return [cells(table.header), "|" + "---|" * len(table.header), *(cells(r) for r in table.rows)]


def _md_section(section: Section) -> list[str]:
    lines = [f"## {md_escape(section.title)}", ""]
    if section.intro:
        lines += [md_escape(section.intro), ""]
    for it in section.items:
        if isinstance(it, Pair):
            lines += [f"- {md_escape(it.note)}", "  " + _md_item(it.left), "  " + _md_item(it.right)]
        else:
            lines.append(_md_item(it))
    if section.table is not None and section.table.rows:
        lines += ["", *_md_table(section.table)]
    if not section.items and (section.table is None or not section.table.rows):
        lines.append(f"_{md_escape(section.empty)}_")
    return [*lines, ""]


def to_markdown(doc: Document) -> str:
    lines = [f"# {md_escape(doc.title)}", ""]
    lines += [f"- {md_escape(line)}" for line in doc.lines]
    if doc.lines:
        lines.append("")
    if doc.legend:
        lines += ["Marks: ~~only in the first~~ · **only in the second** · *changed*", ""]
    for section in doc.sections:
        lines += _md_section(section)
    return "\n".join(lines).rstrip() + "\n"


# -- HTML ----------------------------------------------------------------------------

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;
color:#1d1f24;background:#fbfbf8}
h1{font-size:1.5rem}h2{font-size:1.15rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
ul{padding-left:1.2rem}li{margin:.35rem 0}.src{color:#555}.label{font-weight:600;margin-right:.3rem}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.8rem;margin:.6rem 0;padding:.5rem;border-left:4px solid #4f6fa8;
background:#eef1f7}.pair .note{grid-column:1/3;color:#555;font-size:.9em}
del{color:#b3261e;text-decoration:line-through}ins{color:#146c2e;text-decoration:underline;font-weight:600}
mark.change{background:#f6d8f2;color:#7a1b6d;font-weight:600}mark.hit{background:#ffe66b;font-weight:600}
table{border-collapse:collapse;margin:.6rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;
vertical-align:top}th{background:#eee}.empty{color:#777;font-style:italic}.legend{color:#555}
"""

_HTML_MARKS = {
    Mark.PLAIN: "{}", Mark.DELETE: "<del>{}</del>", Mark.INSERT: "<ins>{}</ins>",
    Mark.CHANGE: '<mark class="change">{}</mark>', Mark.HIT: '<mark class="hit">{}</mark>',
}


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _html_item(item: Item, tag: str = "li") -> str:
    label = f'<span class="label">{_h(item.label)}</span>' if item.label else ""
    quote = "“" + "".join(_HTML_MARKS[r.mark].format(_h(r.text)) for r in item.runs).strip() + "” — " if item.runs else ""
    return f'<{tag}>{label}{quote}<span class="src">{_h(item.attribution)}</span></{tag}>'


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{_h(c)}</th>" for c in table.header)
    body = "".join("<tr>" + "".join(f"<td>{_h(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_section(section: Section) -> str:
    parts = [f"<section><h2>{_h(section.title)}</h2>"]
    if section.intro:
        parts.append(f"<p>{_h(section.intro)}</p>")
    singles = [it for it in section.items if isinstance(it, Item)]
    for it in section.items:
        if isinstance(it, Pair):
            parts.append(f'<div class="pair"><div class="note">{_h(it.note)}</div>'
                         f"{_html_item(it.left, 'div')}{_html_item(it.right, 'div')}</div>")
    if singles:
        parts.append("<ul>" + "".join(_html_item(it) for it in singles) + "</ul>")
    if section.table is not None and section.table.rows:
        parts.append(_html_table(section.table))
    if not section.items and (section.table is None or not section.table.rows):
        parts.append(f'<p class="empty">{_h(section.empty)}</p>')
    return "".join(parts) + "</section>"


def to_html(doc: Document) -> str:
    lines = "".join(f"<li>{_h(line)}</li>" for line in doc.lines)
    legend = ('<p class="legend">Marks: <del>only in the first</del> · <ins>only in the second</ins> · '
              '<mark class="change">changed</mark></p>') if doc.legend else ""
    body = "".join(_html_section(s) for s in doc.sections)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">'
        f"<title>{_h(doc.title)}</title><style>{CSS}</style></head>"
        f"<body><h1>{_h(doc.title)}</h1><ul>{lines}</ul>{legend}{body}</body></html>\n"
    )
