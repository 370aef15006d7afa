"""The CLI's marks commands: ``marks``, ``mark``, ``star``, ``unmark``, ``searches`` and ``search --save``.

Kept apart from :mod:`kazreader.cli` (which only registers and dispatches them).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from kazreader.marks import Flag, MarkKind
from kazreader.render import ByWidth, short_ids, shorten

if TYPE_CHECKING:
    from kazreader.workspace import Workspace

__all__ = ["add_parsers", "handlers", "saving"]

Handler = Callable[[argparse.Namespace, "Workspace", Any], Any]


def add_parsers(
    add: Callable[[str, str], argparse.ArgumentParser], parsers: Mapping[str, argparse.ArgumentParser]
) -> None:
    """Register the marks commands and ``search --save NAME``."""
    if "search" in parsers:
        parsers["search"].add_argument("--save", metavar="NAME", default=None,
                                       help="also save the query as NAME (see `kazreader searches`)")
    p = add("marks", "the marks (stars, flags, notes) with their status against the current text")
    p.add_argument("--search", metavar="WORDS", default=None, help="only marks whose text or note contains WORDS")
    p = add("mark", "flag a span of an article and/or note it (prints the mark)")
    p.add_argument("article", help="article id or a unique prefix of it")
    p.add_argument("start", type=int, help="first character (0-based)")
    p.add_argument("end", type=int, help="character after the last")
    p.add_argument("--flag", choices=[str(f) for f in Flag], default=None)
    p.add_argument("--note", default="", help="a free-text note")
    p.add_argument("--kind", choices=[str(k) for k in MarkKind if k is not MarkKind.STAR], default="selection")
    p = add("star", "star an article (again: unstar it)")
    p.add_argument("article", help="article id or a unique prefix of it")
    p = add("unmark", "remove a mark by its id")
    p.add_argument("mark_id", type=int)
    add("searches", "the saved searches, with how many matches are new since each was last opened")


def _usage(message: str) -> Exception:
    from kazreader.cli import UsageError  # (kazreader.cli imports this module)

    return UsageError(message)


def marks_table(items: list[dict[str, Any]], ids: Iterable[str] = ()) -> RenderableType:
    """The marks. Narrow, a mark's id and status, its kind and flag, and its article (the id's
    unique prefix among *ids*, the corpus') and span share three columns, so the text keeps the width."""
    short = short_ids([*ids, *(m["article"] for m in items)])
    title = f"{len(items)} marks"

    def span(m: dict[str, Any]) -> str:
        return "" if m["start"] is None else f"{m['start']}-{m['end']}"

    def body(m: dict[str, Any]) -> Text:
        out = Text(shorten(m["text"], 70))
        if m["note"]:
            out.append(f"\n✎ {m['note']}", style="italic")
        return out

    def wide() -> Table:
        table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", expand=True)
        for name in ("id", "status", "kind", "flag", "article", "span"):
            table.add_column(name, no_wrap=True)
        table.add_column("text / note", ratio=1, min_width=30)
        for m in items:
            table.add_row(str(m["id"]), m["status"], m["kind"], m["flag"] or "", Text(m["article"]), span(m), body(m))
        return table

    def narrow() -> Table:
        table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", expand=True)
        table.add_column("id · status", no_wrap=True)
        table.add_column("kind · flag", no_wrap=True)
        table.add_column("article · span", no_wrap=True)
        table.add_column("text / note", ratio=1, min_width=30)
        for m in items:
            where = Text(short.get(m["article"], m["article"]), style="cyan")
            if m["start"] is not None:
                where.append(f"\n{span(m)}", style="dim")
            table.add_row(
                Text.assemble(str(m["id"]), ("\n" + m["status"], "dim")),
                Text.assemble(m["kind"], ("\n" + m["flag"], "bold") if m["flag"] else ""),
                where, body(m),
            )
        return table

    return ByWidth(wide, narrow)


def _marks(args: argparse.Namespace, ws: Workspace, _render: Any) -> Any:
    items = ws.marks_json()
    if args.search:
        ids = {m.id for m in ws.marks().search(args.search, limit=1_000_000)}
        items = [m for m in items if m["id"] in ids]
    return items if args.json else marks_table(items, ws.by_id)


def _mark(args: argparse.Namespace, ws: Workspace, _render: Any) -> Any:
    art = ws.resolve(args.article)
    if not 0 <= args.start < args.end <= len(art.text):
        raise _usage(f"span {args.start}-{args.end} is outside {art.id} (0-{len(art.text)})")
    flag = Flag(args.flag) if args.flag else None
    mark = ws.marks().add(MarkKind(args.kind), art.id, args.start, args.end, text=art.text[args.start:args.end],
                          flag=flag, note=args.note)
    return mark.to_json() if args.json else Text(f"mark {mark.id}: {mark.kind} {flag or ''} on {art.id}")


def _star(args: argparse.Namespace, ws: Workspace, _render: Any) -> Any:
    art = ws.resolve(args.article)
    on = ws.marks().star(art.id)
    return {"article": art.id, "starred": on} if args.json else Text(f"{art.id}: {'starred' if on else 'unstarred'}")


def _unmark(args: argparse.Namespace, ws: Workspace, _render: Any) -> Any:
    if not ws.marks().remove(args.mark_id):
        raise _usage(f"no mark {args.mark_id}")
    return {"removed": args.mark_id} if args.json else Text(f"removed mark {args.mark_id}")


def _searches(args: argparse.Namespace, ws: Workspace, _render: Any) -> Any:
    rows: list[dict[str, Any]] = [{"name": s.name, "query": s.query, "matches": total, "new": new, "opened": s.opened}
            for s, total, new in ws.saved_searches()]
    if args.json:
        return rows
    table = Table(box=box.SIMPLE_HEAD, title=f"{len(rows)} saved searches", title_justify="left")
    for name in ("name", "query", "matches", "new"):
        table.add_column(name)
    for r in rows:
        table.add_row(Text(r["name"]), Text(r["query"]), str(r["matches"]), str(r["new"]))
    return table


def saving(search: Handler) -> Handler:
    """The ``search`` handler, saving the query first when ``--save NAME`` is given."""

    def run(args: argparse.Namespace, ws: Workspace, render: Any) -> Any:
        value = search(args, ws, render)  # (a bad query fails before it is saved)
        if getattr(args, "save", None):
            ws.marks().save_search(args.save, args.query)
        return value

    return run


def handlers() -> dict[str, Handler]:
    return {"marks": _marks, "mark": _mark, "star": _star, "unmark": _unmark, "searches": _searches}
