"""kazreader's command line: the scriptable twin of the TUI.

Every subcommand prints a Rich table for people, or one JSON document with
``--json`` (warnings and progress go to stderr). Exit codes: 0 ok, 1 unexpected
failure, 2 bad usage or bad argument. See ``shared/cli-contract.md``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any, AnyStr

from rich.console import Console

from kazreader import __version__, cli_findings, cli_marks
from kazreader.jsonout import dumps_indented
from kazreader.analysis.registry import REGISTRY
from kazreader.citation import enriches
from kazreader.corpus.model import CorpusNotFound
from kazreader.text import UNSAFE_RE, escape_controls

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from kazreader.analysis.registry import Analysis
    from kazreader.corpus import LoadWarning
    from kazreader.workspace import Workspace

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A bad argument: printed as one line, exit code 2."""


# File names, queries and exception messages are not sanitised at load like
# article text is, so everything the CLI prints besides article data goes
# through :func:`kazreader.text.escape_controls`, and JSON through :func:`_dumps`.


def _dumps(value: Any) -> str:
    """JSON with every unsafe character escaped as ``\\uXXXX`` (same value, safe bytes).

    ``json.dumps(ensure_ascii=False)`` escapes C0 controls but writes C1 and bidi
    controls raw; they can only occur inside strings, where the escape is valid.
    """
    return _safe(_records_json(value) if _flat_records(value) else dumps_indented(value))


def _safe(text: str) -> str:
    """*text* (JSON) with every unsafe character escaped, as :func:`_dumps` writes it."""
    return UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_SCALARS = (str, int, float, bool, type(None))


def _flat_records(value: Any) -> bool:
    """True for a non-empty list of non-empty dicts of scalars (``articles --json``)."""
    return (
        isinstance(value, list) and bool(value)
        and all(isinstance(r, dict) and r and all(isinstance(v, _SCALARS) for v in r.values()) for r in value)
    )


#: The field separator of the indented layout: no encoded JSON string holds a raw newline, so in
#: the compact C encoder's output with it, ``}`` + it + ``{`` only occurs between two records.
_FIELD = ",\n    "
_flat_json = json.JSONEncoder(ensure_ascii=False, separators=(_FIELD, ": ")).encode


def _records_json(records: list[dict[str, Any]]) -> str:
    """``json.dumps(records, ensure_ascii=False, indent=2)``, byte for byte, without its pure-Python
    indenting encoder (0.8 s for 10,000 articles; this takes a tenth of that): json's C encoder
    writes the fields, one replacement lays out the records (their values are scalars)."""
    body = _flat_json(records)[2:-2].replace("}" + _FIELD + "{", "\n  },\n  {\n    ")
    return "[\n  {\n    " + body + "\n  }\n]"


def _stdout() -> Console:
    return Console(markup=False, highlight=False, emoji=False)


def _stderr() -> Console:
    return Console(stderr=True, markup=False, highlight=False, emoji=False)


class _StageProgress:
    """Workspace progress shown as a Rich progress bar on stderr (terminals only)."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.console.is_terminal or total <= 0:
            return
        if self.progress is None:
            # (imported here: a command whose output is not a terminal never shows a bar)
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                TextColumn("{task.description:<10}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                TimeElapsedColumn(), console=self.console, transient=True,
            )
            self.progress.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus", action="append", metavar="PATH", default=None,
        help="a folder (read recursively) or a file; repeatable (default: the bundled corpus)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    parser.add_argument("--csv", action="store_true", help="print the items as CSV (one row each, a header row)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")


def _search_parser(sub: Any) -> argparse.ArgumentParser:
    """The ``search`` command, its help listing every field with an example."""
    from kazreader.search_guide import SortOrder, guide_lines  # (not kazreader.index: Whoosh loads in 0.1 s)

    help_ = "full-text search (Whoosh query language; \"phrases\" ignore typography)"
    epilog = "query language (syntax, example, meaning):\n" + "\n".join(f"  {line}" for line in guide_lines())
    epilog += "\n\n--json adds per hit `matched` (the word forms found) and `facets` (matches per outlet and day)."
    p: argparse.ArgumentParser = sub.add_parser(
        "search", help=help_, description=help_, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    _common(p)
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20, help="at most this many hits (default 20)")
    p.add_argument("--sort", choices=[o.value for o in SortOrder], default=SortOrder.SCORE.value,
                   help="best score first (default) or by date, oldest first")
    return p


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(
        prog="kazreader",
        description="Compare how news outlets cover one event. Without a command, opens the reader.",
    )
    parser.add_argument("--version", action="version", version=f"kazreader {__version__}")
    # (its own dest: a subcommand's --corpus default would otherwise overwrite it, see main())
    parser.add_argument("--corpus", action="append", metavar="PATH", default=None, dest="top_corpus",
                        help="the folder or file to read (repeatable); also after a command")
    parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        _common(p)
        return p

    p = sub.add_parser("open", help="open the reader on files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    add("articles", "list the articles of the corpus")
    p = add("show", "print one article")
    p.add_argument("id", help="article id or a unique prefix of it")
    p = _search_parser(sub)
    p = add("compare", "passages two articles share")
    p.add_argument("a")
    p.add_argument("b")
    for analysis in REGISTRY.corpus():  # passages, entities, quotes, figures, and any other
        if analysis.command_name:
            p = add(analysis.command_name, analysis.help or f"the {analysis.name} analysis")
            if analysis.name == "quotes":
                p.add_argument("--speaker", metavar="NAME", default=None,
                               help="only the quotes of this speaker, across outlets (\"Trump\" finds \"Donald Trump\")")
    p = add("coverage", "what two outlets (or articles) share and what only one says")
    p.add_argument("x", help="an outlet name or an article id")
    p.add_argument("y", help="an outlet name or an article id")
    cli_findings.add_parsers(add, sub.choices)
    cli_marks.add_parsers(add, sub.choices)
    return parser


def _print_json(value: Any, each: Callable[[Any], Any] | None = None) -> None:
    """Print *value* as :func:`_dumps` writes it. A list of records that are not flat is written
    an item at a time, each first passed through *each* (when given): the same bytes, without the
    whole document in memory at once (``passages --json`` of 20,000 real articles is 227 MB of
    JSON, and held whole, with its escaped and encoded copies, took 3.3 GB)."""
    out = sys.stdout
    if not isinstance(value, list) or not value or _flat_records(value):
        out.write(_dumps(value if each is None or not isinstance(value, list) else [each(v) for v in value]))
        out.write("\n")
        return
    _print_items(_dumps(item if each is None else each(item)) for item in value)


def _print_items(texts: Iterable[str]) -> None:
    """Print the JSON list whose items :func:`_dumps` writes as *texts*, as :func:`_print_json` prints it."""
    # (json.dumps(list, indent=2) is "[\n  " + each item's own indented text, its lines indented
    # once more, joined by ",\n  ", + "\n]": an encoded string never holds a raw newline)
    for chunk in _list_chunks((text.replace("\n", "\n  ") for text in texts), "[\n  ", ",\n  ", "\n]\n", "[]\n"):
        sys.stdout.write(chunk)


#: Items of a streamed JSON list written at once.
_CHUNK_ITEMS = 512


def _list_chunks(
    items: Iterable[AnyStr], head: AnyStr, sep: AnyStr, tail: AnyStr, empty: AnyStr
) -> Iterator[AnyStr]:
    """``head + sep.join(items) + tail`` (*empty* when there is no item), in chunks of
    :data:`_CHUNK_ITEMS` items: a streamed JSON list is never held whole."""
    chunk: list[AnyStr] = [head]
    none = True
    for item in items:
        if not none:
            chunk.append(sep)
        none = False
        chunk.append(item)
        if len(chunk) >= _CHUNK_ITEMS:
            yield head[:0].join(chunk)
            chunk = []
    chunk.append(tail)
    yield empty if none else head[:0].join(chunk)


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _streamable(value: Any) -> bool:
    """True for a JSON object with string keys and a list of records among its values."""
    return isinstance(value, dict) and all(isinstance(k, str) for k in value) and any(
        _is_records(v) for v in value.values()
    )


def _print_document(value: dict[str, Any], fill: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """Print the object *value* as :func:`_print_json` prints ``fill(value)``, its lists of records an
    item at a time: each item is filled in a copy of *value* holding its other fields (not lists)
    and that one item, as ``fill`` would fill it in the whole. ``figures --json`` of 20,000 real
    articles is 300 MB of JSON; made whole, with its copies, it took 4.7 GB."""
    # (json.dumps(obj, indent=2) is "{\n  " + each '"key": value' joined by ",\n  " + "\n}", each
    # value's text indented once more; a list of records is "[\n    " + its items joined by
    # ",\n    ", each indented twice more, + "\n  ]")
    out = sys.stdout
    if not value:
        out.write("{}\n")
        return
    shell = {k: v for k, v in value.items() if not isinstance(v, list)}
    lead = "{\n  "
    for key, field_value in value.items():
        out.write(lead + _safe(encode_basestring(key)) + ": ")
        lead = ",\n  "
        if not _is_records(field_value):
            only = fill({**shell, key: field_value})[key]
            out.write(_dumps(only).replace("\n", "\n  "))
            continue
        texts = (_dumps(fill({**shell, key: [item]})[key][0]).replace("\n", "\n    ") for item in field_value)
        for chunk in _list_chunks(texts, "[\n    ", ",\n    ", "\n  ]", "[]"):
            out.write(chunk)
    out.write("\n}\n")


def _print_item_bytes(texts: Iterable[bytes]) -> None:
    """:func:`_print_items` for items already laid out as it lays them out (indented once more) and
    encoded in UTF-8: written to the standard output's bytes when it writes UTF-8."""
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    utf8 = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "") == "utf8"
    write: Callable[[bytes], Any] = buffer.write if buffer is not None and utf8 else (
        lambda chunk: out.write(chunk.decode("utf-8"))
    )
    out.flush()
    for chunk in _list_chunks(texts, b"[\n  ", b",\n  ", b"\n]\n", b"[]\n"):
        write(chunk)
    if buffer is not None:
        buffer.flush()


def _cached_items(
    command: str, analysis: Analysis, result: list[Any], ws: Workspace, *, keep_unread: bool = False
) -> Iterator[bytes]:
    """Each item of *analysis*' *result* as ``--json`` prints it (with its citations), read from the
    workspace's item cache when its key (``analysis.json_item_key``) is there, else made and kept."""
    from kazreader.citation import enrich
    from kazreader.itemcache import cached_texts

    assert analysis.json_item_key is not None
    by_id, item_key = ws.by_id, analysis.json_item_key
    cache = ws.item_cache(command, ws.code_digest(__name__, *analysis.sources), keep_unread=keep_unread)

    own_text = analysis.json_texts if not enriches(command) else None

    def make(item: Any) -> bytes:
        if own_text is not None:
            text = _safe(next(iter(own_text([item]))))
        else:
            text = _dumps(enrich(command, analysis.to_json([item]), by_id)[0])
        return text.replace("\n", "\n  ").encode("utf-8", "backslashreplace")

    return cached_texts(cache, result, lambda item: item_key(item, by_id), make)


def _cited_json(command: str, ws: Workspace) -> Callable[[Any], None]:
    """Print *command*'s JSON with each item's outlet, date, title, url and citation (see
    kazreader.citation); a list's items are enriched one at a time as they are written."""
    from kazreader.citation import enrich

    def show(value: Any) -> None:
        if isinstance(value, list):
            _print_json(value, lambda item: enrich(command, [item], ws.by_id)[0])
        elif _streamable(value):
            _print_document(value, lambda shell: enrich(command, shell, ws.by_id))
        else:
            _print_json(enrich(command, value, ws.by_id))

    return show


def _workspace(args: argparse.Namespace, progress: _StageProgress) -> Workspace:
    from kazreader.workspace import Workspace  # (not at the top: articles --json may need no corpus)

    err = _stderr()

    def warn(w: LoadWarning) -> None:
        err.print(escape_controls(f"warning: {w}"), soft_wrap=True)

    def note(message: str) -> None:
        err.print(escape_controls(f"note: {message}"), soft_wrap=True)

    # (the CLI never stores the library's listing from a workspace: articles --json keeps the witness
    # it took itself, so the files are not walked a second time here)
    return Workspace(args.corpus, on_warning=warn, progress=progress, on_message=note, take_witness=False)


def _listed_articles(args: argparse.Namespace) -> list[dict[str, Any]] | None:
    """``articles --json`` from the library's listing alone, when the corpus files are those it was
    made from (no corpus load: 0.3 s of the 0.8 s at 20,000 articles); else ``None``, with the
    files' witness kept in ``args.witness`` for the listing the full command stores."""
    from kazreader.citation import cite
    from kazreader.corpus.listing import fresh_listing, tree_witness
    from kazreader.paths import corpus_cache_dir, seeds_dir

    roots = [str(p) for p in args.corpus] if args.corpus else [str(seeds_dir())]
    args.witness = tree_witness(roots)
    stored = fresh_listing(corpus_cache_dir(tuple(str(Path(p)) for p in roots)), args.witness)
    if stored is None:
        return None
    rows, warnings = stored
    err = _stderr()
    for warning in warnings:  # what loading the files says, as the full command says it
        err.print(escape_controls(f"warning: {warning}"), soft_wrap=True)
    return [{**row.summary(), "citation": cite(None, row)} for row in rows]


def _run_command(args: argparse.Namespace) -> int:
    from kazreader import render

    if args.command == "articles" and args.json and not args.csv:
        listed = _listed_articles(args)
        if listed is not None:
            _print_json(listed)
            return EXIT_OK
    progress = _StageProgress(_stderr())
    ws = _workspace(args, progress)
    # The articles stay alive while the command runs: the collector need not walk them again
    # (a fifth of `articles --json` at 20,000 articles went to collections that freed nothing).
    gc.freeze()
    out = _stdout()
    try:
        result = _dispatch(args, ws, out, render)
    finally:
        progress.stop()
        ws.close()
        gc.unfreeze()  # (main() may run in a longer-lived process: tests, scripts)
    return result


# Each command returns its JSON value with --json, else a Rich renderable.


def _articles(args: argparse.Namespace, ws: Workspace, render: Any) -> Any:
    from kazreader.citation import cite
    from kazreader.corpus.listing import listing_rows

    # (counting words is most of the cost: the library's listing has them for unchanged articles)
    rows = listing_rows(ws.cache_dir if ws.cache.enabled else None, ws.corpus, getattr(args, "witness", None))
    if not args.json:
        return render.articles_table(ws.articles, [row.words for row in rows])
    # (new records, cited here: see _PRE_CITED)
    return [{**a.summary(words=row.words), "citation": cite(None, a)} for a, row in zip(ws.articles, rows)]


def _show(args: argparse.Namespace, ws: Workspace, render: Any) -> Any:
    art = ws.resolve(args.id)
    return art.to_json() if args.json else render.article_panel(art)


def _search(args: argparse.Namespace, ws: Workspace, render: Any) -> Any:
    from kazreader.index import QueryError

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    try:  # (the workspace caps the query's length, then sanitises it as the articles were)
        res = ws.search(args.query, limit=args.limit, sort=args.sort)
    except QueryError as exc:
        raise UsageError(f"bad query: {exc}") from None
    if not args.json:
        return render.search_table(res, ws.by_id)
    return res.to_json()


def _compare(args: argparse.Namespace, ws: Workspace, render: Any) -> Any:
    a, b = ws.resolve(args.a), ws.resolve(args.b)
    pairs = ws.compare(a, b)
    if args.json:
        return {"a": a.id, "b": b.id, "passages": [p.to_json() for p in pairs]}
    return render.compare_view(a, b, pairs)


def _coverage(args: argparse.Namespace, ws: Workspace, render: Any) -> Any:
    cov = ws.coverage(args.x, args.y)
    return cov.to_json() if args.json else render.coverage_view(cov, ws.by_id)


_COMMANDS: dict[str, Callable[[argparse.Namespace, Workspace, Any], Any]] = {
    "articles": _articles, "show": _show, "search": _search, "compare": _compare, "coverage": _coverage,
    **cli_findings.handlers(),  # report, timeline, export (None: they wrote their output themselves)
}
#: Commands whose JSON records are made new and carry their citation already: printed as they are
#: (enrich() deep-copies every record first, half a second for 10,000 articles).
_PRE_CITED = frozenset({"articles"})
_COMMANDS.update(cli_marks.handlers())  # marks, mark, star, unmark, searches
_COMMANDS["search"] = cli_marks.saving(_COMMANDS["search"])  # search --save NAME


def _dispatch(args: argparse.Namespace, ws: Workspace, out: Console, render: Any) -> int:
    """Run one command; the registry's analyses (passages, entities, quotes, figures…) are one generic command."""
    if getattr(args, "csv", False):
        args.json = True  # the items are the JSON's; cli_findings.csv_emitter writes them as rows
    handler = _COMMANDS.get(args.command)
    analysis = REGISTRY.by_command(args.command)
    if handler is not None:
        value = handler(args, ws, render)
    elif analysis is not None:
        result = cli_findings.analysis_result(args, ws, analysis.name)
        if getattr(args, "speaker", None):
            from kazreader.analysis.quotes import by_speaker

            result = by_speaker(result, args.speaker)
        if args.json and analysis.json_item_key is not None and not getattr(args, "csv", False) and isinstance(
            result, list
        ):  # (the same bytes as the JSON values written, most of them read back: see kazreader.itemcache)
            filtered = bool(getattr(args, "speaker", None))
            _print_item_bytes(_cached_items(args.command, analysis, result, ws, keep_unread=filtered))
            return EXIT_OK
        if args.json and analysis.json_texts is not None and not getattr(args, "csv", False) and not enriches(
            args.command
        ):  # (the same bytes as the JSON values written: see Analysis.json_texts)
            _print_items(_safe(text) for text in analysis.json_texts(result))
            return EXIT_OK
        value = analysis.to_json(result) if args.json else render.analysis_view(analysis, result, ws.by_id)
    else:  # pragma: no cover - argparse restricts commands
        raise UsageError(f"unknown command {args.command!r}")
    if value is None:
        return EXIT_OK
    if getattr(args, "csv", False):
        cli_findings.csv_emitter(args.command, ws)(value)
    elif args.json and args.command in _PRE_CITED:
        _print_json(value)
    elif args.json:
        _cited_json(args.command, ws)(value)
    else:
        out.print(value)
    return EXIT_OK


def _run_tui(paths: Sequence[str] | None) -> int:
    missing = [p for p in paths or () if not os.path.lexists(p)]
    if missing:
        raise CorpusNotFound(missing[0])  # before the reader starts: exit 2, as for every command
    try:
        from kazreader.ui.app import run
    except ImportError:
        _stderr().print("kazreader: the reader is not available in this build; try `kazreader --help`.")
        return EXIT_OK
    return run(paths)


def _usage_failure(exc: BaseException) -> bool:
    """True for a bad argument: an unknown article, a bad option, a missing corpus (exit 2)."""
    workspace = sys.modules.get("kazreader.workspace")  # (an unknown article needs it loaded)
    unknown = (workspace.UnknownArticle,) if workspace is not None else ()
    return isinstance(exc, (UsageError, CorpusNotFound, *unknown))


def _plain_failure(exc: BaseException) -> bool:
    """True for failures that explain themselves (exit 1, no "unexpected", no traceback)."""
    from kazreader.index import CacheNotWritableError, IndexLockedError

    return isinstance(exc, (CacheNotWritableError, IndexLockedError))


def _open_paths(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``kazreader FOLDER`` (or files) means ``kazreader open FOLDER``: what people type first.

    Only when the first argument names no command and is an existing file or folder.
    """
    if not argv or argv[0].startswith("-"):
        return argv
    commands = next(
        (a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)), {}
    )
    if argv[0] not in commands and Path(argv[0]).exists():
        return ["open", *argv]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kazreader`` console script."""
    parser = build_parser()
    args = parser.parse_args(_open_paths(parser, list(sys.argv[1:] if argv is None else argv)))
    # ``kazreader --corpus X entities`` reads X, as ``kazreader entities --corpus X`` does (both: both)
    args.corpus = [*(args.top_corpus or []), *(getattr(args, "corpus", None) or [])] or None
    debug = getattr(args, "debug", False) or bool(os.environ.get("KAZREADER_DEBUG"))
    try:
        if args.command is None:
            return _run_tui(args.corpus)
        if args.command == "open":
            return _run_tui(args.paths)
        return _run_command(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the one place that turns failures into a message
        if _usage_failure(exc):
            _stderr().print(escape_controls(f"kazreader: error: {exc}"), soft_wrap=True)
            return EXIT_USAGE
        if _plain_failure(exc):
            _stderr().print(escape_controls(f"kazreader: error: {exc}"), soft_wrap=True)
            return EXIT_FAILURE
        if debug:
            traceback.print_exc()
        else:
            what = "out of memory" if isinstance(exc, MemoryError) else f"{type(exc).__name__}: {exc}"
            _stderr().print(
                escape_controls(f"kazreader: unexpected error: {what} (run with --debug for details)"),
                soft_wrap=True,
            )
        return EXIT_FAILURE
