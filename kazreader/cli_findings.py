"""The CLI's findings commands: ``report``, ``timeline``, ``export`` and ``--csv`` output.

Kept apart from :mod:`kazreader.cli` (which only registers and dispatches
them) so the two grow without stepping on each other.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from kazreader.render import ByWidth, short_ids, shorten

if TYPE_CHECKING:
    from kazreader.analysis.timeline import TimelineEntry
    from kazreader.workspace import Workspace

__all__ = ["COMMANDS", "add_parsers", "analysis_result", "csv_emitter", "handlers"]

COMMANDS = ("report", "timeline", "export")


def add_parsers(
    add: Callable[[str, str], argparse.ArgumentParser], parsers: Mapping[str, argparse.ArgumentParser]
) -> None:
    """Register ``report``, ``timeline`` and ``export`` (``add(name, help)`` makes a subparser),
    and ``passages --from-passim`` (*parsers*: the subparsers made so far, by command)."""
    if "passages" in parsers:
        parsers["passages"].add_argument(
            "--from-passim", metavar="DIR", help="read passim's cluster output instead (re-anchored)")
    p = add("report", "a self-contained comparison of two articles or outlets, every item cited")
    p.add_argument("x", help="an outlet name or an article id")
    p.add_argument("y", help="an outlet name or an article id")
    p.add_argument("--format", choices=("md", "html"), default="md", help="Markdown (default) or HTML")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    add("timeline", "the articles in date order and the passages and disputed figures each published first")
    p = add("export", "write the corpus for OpenSearch (bulk NDJSON + mapping) or passim (JSON Lines)")
    p.add_argument("--to", choices=("opensearch", "passim"), required=True, dest="target")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="a folder (opensearch: bulk.ndjson and mapping.json) or a file (passim); default stdout")
    p.add_argument("--index", default="kazreader", help="the OpenSearch index name (default kazreader)")


def csv_emitter(command: str, ws: Workspace) -> Callable[[Any], None]:
    """Print *command*'s (cited) JSON document as CSV, one row per item."""
    from kazreader.citation import enrich
    from kazreader.export.tables import rows_for, write_csv

    return lambda value: write_csv(rows_for(command, enrich(command, value, ws.by_id)), sys.stdout)


def timeline(ws: Workspace) -> list[TimelineEntry]:
    from kazreader.analysis.timeline import build_timeline

    return build_timeline(ws.articles, ws.clusters(), ws.figures().disagreements)


def timeline_table(entries: list[TimelineEntry], by_id: Mapping[str, Any] | None = None) -> RenderableType:
    """The articles in date order with what each published first. Narrow, the outlet and the id's
    unique prefix share a column, so the firsts keep the width."""
    short = short_ids([*(by_id or ()), *(e.article for e in entries)])
    title = f"{len(entries)} articles in date order"

    def firsts(e: TimelineEntry, width: int) -> Text:
        out = Text()
        for i, f in enumerate(e.firsts):
            if i:
                out.append("\n")
            if f.kind == "measure":
                out.append("figure  ", style="bold")
                out.append(f"{f.id}: {f.text}")
            else:
                out.append("passage ", style="dim")
                out.append(shorten(f.text, width))
                out.append(f" ×{f.carriers}", style="dim")
        return out

    def wide() -> Table:
        table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", expand=True)
        table.add_column("date", no_wrap=True)
        table.add_column("outlet")
        table.add_column("article", style="cyan", no_wrap=True)
        table.add_column("first to publish", ratio=1, min_width=40)
        for e in entries:
            table.add_row(e.date or "—", Text(e.outlet or "—"), Text(e.article), firsts(e, 56))
        return table

    def narrow() -> Table:
        table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", expand=True)
        table.add_column("date", no_wrap=True)
        table.add_column("outlet · id", max_width=20)
        table.add_column("first to publish", ratio=1, min_width=30)
        for e in entries:
            who = Text(e.outlet or "—")
            who.append("\n")
            who.append(short.get(e.article, e.article), style="cyan")
            table.add_row(e.date or "—", who, firsts(e, 90))
        return table

    return ByWidth(wide, narrow)


def _write(text: str, output: str | None, err: Console) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    path = Path(output)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _usage(f"cannot write {output!r}: {exc.strerror or exc}") from None
    err.print(f"wrote {path}", markup=False, highlight=False)


def _usage(message: str) -> Exception:
    from kazreader.cli import UsageError  # (kazreader.cli imports this module)

    return UsageError(message)


def _report(args: argparse.Namespace, ws: Workspace, err: Console) -> None:
    from kazreader.export.document import to_html, to_markdown
    from kazreader.export.report import build_report

    if {a.id for a in ws.resolve_side(args.x).articles} == {a.id for a in ws.resolve_side(args.y).articles}:
        raise _usage(f"{args.x!r} and {args.y!r} name the same articles: a report compares two sides")
    doc = build_report(ws, args.x, args.y)
    _write(to_html(doc) if args.format == "html" else to_markdown(doc), args.output, err)


def _export(args: argparse.Namespace, ws: Workspace, err: Console) -> None:
    from kazreader.export import opensearch, passim

    if args.target == "passim":
        _write(passim.to_jsonl(ws.articles), args.output, err)
        return
    bulk = opensearch.bulk_ndjson(ws, args.index)
    if args.output is None:
        sys.stdout.write(bulk)
        return
    folder = Path(args.output)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "bulk.ndjson").write_text(bulk, encoding="utf-8")
        (folder / "mapping.json").write_text(opensearch.mapping_json(), encoding="utf-8")
    except OSError as exc:
        raise _usage(f"cannot write to {args.output!r}: {exc.strerror or exc}") from None
    err.print(f"wrote {folder / 'bulk.ndjson'} and {folder / 'mapping.json'}", markup=False, highlight=False)


def _timeline(args: argparse.Namespace, ws: Workspace, render: Any) -> Any:
    entries = timeline(ws)
    return [e.to_json() for e in entries] if args.json else timeline_table(entries, ws.by_id)


def handlers() -> dict[str, Callable[[argparse.Namespace, Workspace, Any], Any]]:
    """The findings commands for the CLI's dispatch: each returns its JSON value or a Rich
    renderable, or None when it wrote its output itself."""
    err = Console(stderr=True, markup=False, highlight=False, emoji=False)
    return {
        "report": lambda args, ws, _render: _report(args, ws, err),
        "timeline": _timeline,
        "export": lambda args, ws, _render: _export(args, ws, err),
    }


def analysis_result(args: argparse.Namespace, ws: Workspace, name: str) -> Any:
    """The result of the registry's analysis *name*: passim's clusters for ``passages --from-passim``."""
    folder = getattr(args, "from_passim", None)
    if not folder:
        return ws.result(name)
    from kazreader.export.passim import read_clusters

    if not Path(folder).exists():
        raise _usage(f"no passim output at {folder!r}")
    return read_clusters(folder, ws.articles)
