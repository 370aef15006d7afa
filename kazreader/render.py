"""Rich renderables for kazreader's analyses (used by the CLI; the TUI reuses the helpers).

Article text is untrusted: it only ever enters a :class:`rich.text.Text` as
plain text (``Text(str)`` / ``Text.append``), never through markup parsing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.json import JSON
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from kazreader.analysis.registry import Analysis
    from kazreader.analysis.clusters import PassageCluster
    from kazreader.analysis.coverage import Coverage
    from kazreader.analysis.entities import Entity
    from kazreader.analysis.figures import FiguresResult
    from kazreader.analysis.passages import PassagePair
    from kazreader.analysis.quotes import Quote
    from kazreader.corpus import Article
    from kazreader.index import SearchResult

__all__ = [
    "analysis_view",
    "articles_table",
    "article_panel",
    "clusters_table",
    "compare_view",
    "coverage_view",
    "diff_texts",
    "entities_table",
    "figures_view",
    "highlighted",
    "quotes_table",
    "search_table",
    "short_ids",
    "shorten",
    "ByWidth",
    "story_table",
]

HIT_STYLE = "bold black on yellow"
INSERT_STYLE = "underline bold green"
DELETE_STYLE = "strike red"
CHANGE_STYLE = "bold magenta"


def shorten(text: str, width: int = 160) -> str:
    """One line of at most *width* characters, with an ellipsis when cut."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def _name(article: Article) -> str:
    """``Outlet (id)``, or just the id when the outlet is unknown."""
    return f"{article.outlet} ({article.id})" if article.outlet else article.id


#: The console width (columns) from which a view lays itself out as one wide table; below it,
#: views stack or merge their columns so that text is never squeezed into a sliver.
WIDE = 120


class ByWidth:
    """A renderable that builds *wide* when the console gives it at least *at* columns, else *narrow*.

    (Rich prints to 80 columns in a default terminal and in any pipe: a table made for 160
    columns is unreadable there, so each view picks its layout from ``options.max_width``.)
    """

    def __init__(
        self, wide: Callable[[], RenderableType], narrow: Callable[[], RenderableType], at: int = WIDE
    ) -> None:
        self.wide, self.narrow, self.at = wide, narrow, at

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield (self.wide if options.max_width >= self.at else self.narrow)()


def _common(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def short_ids(ids: Iterable[str], least: int = 5) -> dict[str, str]:
    """Each id's shortest prefix that no other id of *ids* starts with, at least *least* characters
    (or up to a separator: ``000`` for ``000_c205ff12a7dc4fd5``), the whole id when shorter: what a
    person reads and types (every command takes a unique prefix of an id)."""
    order = sorted(set(ids))
    out: dict[str, str] = {}
    for i, x in enumerate(order):
        common = max(
            _common(x, order[i - 1]) if i else 0, _common(x, order[i + 1]) if i + 1 < len(order) else 0
        )
        sep = next((j for j in range(common + 1, min(len(x), least)) if not x[j].isalnum()), None)
        out[x] = x[: sep if sep is not None else max(common + 1, least)]
    return out


def _short(by_id: dict[str, Article] | None, *more: Iterable[str]) -> dict[str, str]:
    """:func:`short_ids` over the corpus (*by_id*'s keys) and any other ids shown."""
    ids: list[str] = list(by_id or ())
    for m in more:
        ids.extend(m)
    return short_ids(ids)


def _id(article_id: str, short: dict[str, str], whole: bool = False) -> Text:
    """The id's unique prefix (cyan); with *whole*, the rest of it after, dimmed."""
    head = short.get(article_id, article_id)
    out = Text(head, style="cyan")
    if whole and len(head) < len(article_id):
        out.append(article_id[len(head):], style="dim cyan")
    return out


def _source(article_id: str, by_id: dict[str, Article] | None, short: dict[str, str]) -> Text:
    """``Outlet id5``: the article's outlet (when known) and its short id."""
    art = by_id.get(article_id) if by_id else None
    if art is None or not art.outlet:
        return _id(article_id, short)
    return Text.assemble(art.outlet, " ", _id(article_id, short))


def _block(head: RenderableType, *body: RenderableType, gap: bool = True) -> RenderableType:
    """*head* on its line, then *body* indented by two columns (a blank line after when *gap*)."""
    return Group(head, *(Padding(b, (0, 0, 0, 2)) for b in body), *([Text("")] if gap else []))


def highlighted(text: str, spans: Iterable[tuple[int, int]], style: str = HIT_STYLE) -> Text:
    """*text* as plain Rich text with *spans* styled."""
    out = Text(text)
    for s, e in spans:
        if 0 <= s < e <= len(text):
            out.stylize(style, s, e)
    return out


def _dash(value: Any) -> str:
    return "—" if value is None else str(value)


def articles_table(articles: Sequence[Article], words: Sequence[int] | None = None) -> RenderableType:
    """The articles, one a row (*words*: their word counts when the caller has them, e.g. cached).

    Narrow: the id column holds each id's unique prefix (what one types), the whole id goes
    under the title, dimmed."""
    short = short_ids(a.id for a in articles)
    counts = [a.words if words is None else words[i] for i, a in enumerate(articles)]

    def title(a: Article) -> Text:
        return Text(a.title or shorten(a.text, 80), style="" if a.title else "dim")

    def wide() -> Table:
        table = Table(box=box.SIMPLE_HEAD, title=f"{len(articles)} articles", title_justify="left")
        table.add_column("id", style="cyan", no_wrap=True)
        table.add_column("outlet")
        table.add_column("date", no_wrap=True)
        table.add_column("title", ratio=1, min_width=30)
        table.add_column("words", justify="right")
        for a, n in zip(articles, counts):
            table.add_row(Text(a.id), Text(_dash(a.outlet)), Text(_dash(a.date)), title(a), str(n))
        return table

    def narrow() -> Table:
        table = Table(box=box.SIMPLE_HEAD, title=f"{len(articles)} articles", title_justify="left", expand=True)
        table.add_column("id", no_wrap=True)
        table.add_column("outlet", max_width=18)
        table.add_column("date", no_wrap=True)
        table.add_column("words", justify="right", no_wrap=True)
        table.add_column("title · id", ratio=1, min_width=24)
        for a, n in zip(articles, counts):
            cell = title(a)
            if short.get(a.id, a.id) != a.id:
                cell.append("\n")
                cell.append(a.id, style="dim cyan")
            table.add_row(_id(a.id, short), Text(_dash(a.outlet)), Text(_dash(a.date)), str(n), cell)
        return table

    return ByWidth(wide, narrow)


def article_panel(article: Article) -> Panel:
    meta = Text(" · ").join(
        Text(v) for v in (article.outlet, article.date, article.id, f"{article.words} words") if v
    )
    body = Text("\n\n").join(Text(article.text[s:e]) for s, e in article.paragraphs)
    title = Text(article.title or article.id, style="bold")
    return Panel(Group(meta, Text(""), body), title=title, title_align="left", box=box.ROUNDED)


def _snippet(hit: Any, art: Article | None) -> Text:
    terms = {art.text[s:e].casefold() for s, e in hit.spans} if art else set()
    snippet = Text(hit.snippet)
    low = hit.snippet.casefold()
    for term in terms:
        start = low.find(term)
        while term and start >= 0:
            snippet.stylize(HIT_STYLE, start, start + len(term))
            start = low.find(term, start + len(term))
    return snippet


def search_table(result: SearchResult, by_id: dict[str, Article]) -> RenderableType:
    """The hits: a table when wide; narrow, each hit's outlet, date, id and score on one line and
    its snippet under it at the full width."""
    title = Text(f"{result.total} match{'es' if result.total != 1 else ''} for {result.query}")

    def wide() -> Table:
        table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
        table.add_column("id", style="cyan", no_wrap=True)
        table.add_column("outlet")
        table.add_column("score", justify="right")
        table.add_column("snippet", ratio=1, min_width=40)
        for hit in result.hits:
            art = by_id.get(hit.id)
            table.add_row(Text(hit.id), Text(_dash(art.outlet if art else None)), f"{hit.score:.2f}",
                          _snippet(hit, art))
        return table

    def narrow() -> RenderableType:
        short = _short(by_id, (h.id for h in result.hits))
        blocks: list[RenderableType] = [Text.assemble(title, style="italic"), Text("")]
        for i, hit in enumerate(result.hits, 1):
            art = by_id.get(hit.id)
            head = Text(f"{i:>2}. ", style="dim")
            if art is not None and art.outlet:
                head.append(art.outlet, style="bold")
                head.append(" · ")
            if art is not None and art.date:
                head.append(art.date)
                head.append(" · ")
            head.append_text(_id(hit.id, short, whole=True))
            head.append(f" · score {hit.score:.2f}", style="dim")
            blocks.append(_block(head, Padding(_snippet(hit, art), (0, 0, 0, 2))))
        return Group(*blocks)

    return ByWidth(wide, narrow)


def diff_texts(pair: PassagePair) -> tuple[Text, Text]:
    """A's and B's passage text with the word-level differences styled.

    Words only in A are struck through in A; words only in B are underlined in
    B; replaced words are highlighted on both sides.
    """
    a = Text(pair.a_text)
    b = Text(pair.b_text)
    for op in pair.diff:
        if op.op == "equal":
            continue
        a_style = DELETE_STYLE if op.op == "delete" else CHANGE_STYLE
        b_style = INSERT_STYLE if op.op == "insert" else CHANGE_STYLE
        if op.a_end > op.a_start:
            a.stylize(a_style, op.a_start - pair.a_start, op.a_end - pair.a_start)
        if op.b_end > op.b_start:
            b.stylize(b_style, op.b_start - pair.b_start, op.b_end - pair.b_start)
    return a, b


#: Below this width, compare and coverage put A's text above B's instead of beside it.
SIDE_BY_SIDE = 70


def compare_view(a: Article, b: Article, pairs: Sequence[PassagePair]) -> RenderableType:
    shared_a = sum(p.a_end - p.a_start for p in pairs)
    shared_b = sum(p.b_end - p.b_start for p in pairs)
    summary = Text.assemble(
        (f"{len(pairs)} shared passage{'s' if len(pairs) != 1 else ''}", "bold"),
        f"\nA {_name(a)}: {100 * shared_a / max(1, len(a.text)):.0f}% shared",
        f"\nB {_name(b)}: {100 * shared_b / max(1, len(b.text)):.0f}% shared",
    )
    legend = Text.assemble(
        "legend: ", ("only in A", DELETE_STYLE), " · ", ("only in B", INSERT_STYLE),
        " · ", ("changed", CHANGE_STYLE), style="dim",
    )

    def beside() -> RenderableType:
        table = Table(box=box.SIMPLE_HEAD, expand=True)
        table.add_column("#", justify="right", style="dim", no_wrap=True)
        table.add_column(Text(f"A · {a.label}"), ratio=1, min_width=20)
        table.add_column(Text(f"B · {b.label}"), ratio=1, min_width=20)
        table.add_column("words", justify="right", no_wrap=True)
        table.add_column("sim", justify="right", no_wrap=True)
        for i, p in enumerate(pairs, 1):
            ta, tb = diff_texts(p)
            table.add_row(str(i), ta, tb, str(p.words), f"{p.similarity:.2f}")
        return Group(summary, table, legend)

    def stacked() -> RenderableType:
        blocks: list[RenderableType] = [summary, Text("")]
        for i, p in enumerate(pairs, 1):
            ta, tb = diff_texts(p)
            head = Text.assemble((f"{i}.", "bold"), (f" {p.words} words · similarity {p.similarity:.2f}", "dim"))
            blocks.append(_block(head, Text.assemble(("A ", "bold"), ta), Text.assemble(("B ", "bold"), tb)))
        return Group(*blocks, legend)

    return ByWidth(beside, stacked, at=SIDE_BY_SIDE)


def _members(c: PassageCluster, by_id: dict[str, Article], short: dict[str, str]) -> Text:
    return Text(", ").join(_source(m.article, by_id, short) for m in c.members)


def clusters_table(clusters: Sequence[PassageCluster], by_id: dict[str, Article]) -> RenderableType:
    """The passage clusters. Articles are named by outlet and unique id prefix; narrow, each cluster
    is a block: its id, how many carry it and the earliest, the passage, then its carriers."""
    title = f"{len(clusters)} passages carried by two or more articles"
    short = _short(by_id, (m.article for c in clusters for m in c.members))

    def origin(c: PassageCluster) -> Text:
        return _source(c.origin, by_id, short) if c.origin else Text("—")

    def wide() -> Table:
        table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", expand=True)
        table.add_column("cluster", style="cyan", no_wrap=True)
        table.add_column("articles", ratio=1, min_width=20, max_width=48)
        table.add_column("origin", max_width=28)
        table.add_column("passage", ratio=2, min_width=40)
        for c in clusters:
            table.add_row(
                Text(c.id), Text.assemble((f"{len(c.members)}: ", "dim"), _members(c, by_id, short)),
                origin(c), Text(shorten(c.members[0].text, 200)),
            )
        return table

    def narrow() -> RenderableType:
        blocks: list[RenderableType] = [Text(title, style="italic"), Text("")]
        for c in clusters:
            head = Text.assemble(
                (c.id, "bold cyan"), (f" · {len(c.members)} articles · first ", "dim"), origin(c)
            )
            blocks.append(_block(head, Text(shorten(c.members[0].text, 300)),
                                 Text.assemble(("in ", "dim"), _members(c, by_id, short))))
        return Group(*blocks)

    return ByWidth(wide, narrow)


def _mentions(counts: dict[str, int], by_id: dict[str, Article] | None, short: dict[str, str]) -> Text:
    """``Vox ZxGda×55, Politico rr8Zh×32``: the most mentions first."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return Text(", ").join(Text.assemble(_source(a, by_id, short), f"×{n}") for a, n in ordered)


def entities_table(entities: Sequence[Entity], by_id: dict[str, Article] | None = None) -> RenderableType:
    """The entities. Narrow, each is a block: its name, type and mentions on one line, then the
    articles naming it (outlet, id prefix, count), then its other forms."""
    title = f"{len(entities)} entities"
    short = _short(by_id, (a for e in entities for a in e.counts()))

    def variants(e: Entity) -> Text:
        return Text(" · ").join(Text(v) for v in e.variants if v != e.name)

    def wide() -> Table:
        table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", expand=True)
        table.add_column("name", style="bold", max_width=40)
        table.add_column("type", no_wrap=True)
        table.add_column("mentions", justify="right", no_wrap=True)
        table.add_column("articles", ratio=2, min_width=30)
        table.add_column("variants", ratio=1, min_width=20)
        for e in entities:
            counts = e.counts()
            table.add_row(Text(e.name), e.type, str(sum(counts.values())), _mentions(counts, by_id, short),
                          variants(e))
        return table

    def narrow() -> RenderableType:
        blocks: list[RenderableType] = [Text(title, style="italic"), Text("")]
        for e in entities:
            counts = e.counts()
            total = sum(counts.values())
            head = Text.assemble(
                (e.name, "bold"), "  ", (e.type, "magenta"),
                (f" · {total} mention{'s' if total != 1 else ''} in {len(counts)} "
                 f"article{'s' if len(counts) != 1 else ''}", "dim"),
            )
            body: list[RenderableType] = [_mentions(counts, by_id, short)]
            other = variants(e)
            if other:
                body.append(Text.assemble(("also ", "dim"), other))
            blocks.append(_block(head, *body, gap=False))
        return Group(*blocks)

    return ByWidth(wide, narrow)


def quotes_table(quotes: Sequence[Quote], by_id: dict[str, Article] | None = None) -> RenderableType:
    """The quotes, grouped by statement. Narrow, the speaker and the source share one column, so
    the quote keeps most of the width."""
    ordered = sorted(quotes, key=lambda q: (q.group, q.article, q.start))
    short = _short(by_id, (q.article for q in quotes))

    def who(q: Quote) -> Text:
        out = Text(q.speaker or "(unattributed)", style="bold" if q.speaker else "dim italic")
        if q.speaker_text and q.speaker_text != q.speaker:
            out.append(f"\nas “{q.speaker_text}”", style="dim")
        return out

    def source(q: Quote, first: bool) -> Text:
        out = _source(q.article, by_id, short)
        if first:
            out.append(f"\n{q.group}", style="dim")
        return out

    def rows(table: Table, merged: bool) -> Table:
        for i, q in enumerate(ordered):
            first = i == 0 or ordered[i - 1].group != q.group
            last = i == len(ordered) - 1 or ordered[i + 1].group != q.group
            if merged:
                cells = [Text("\n").join([who(q), source(q, first)])]
            else:
                cells = [who(q), source(q, first)]
            table.add_row(*cells, Text(f"“{q.text}”"), end_section=last)
        return table

    def wide() -> Table:
        table = Table(box=box.SIMPLE_HEAD, title=f"{len(quotes)} quotes", title_justify="left", expand=True)
        table.add_column("speaker", max_width=40)
        table.add_column("source", max_width=30)
        table.add_column("quote", ratio=1, min_width=40)
        return rows(table, merged=False)

    def narrow() -> RenderableType:
        blocks: list[RenderableType] = [Text(f"{len(quotes)} quotes", style="italic"), Text("")]
        for i, q in enumerate(ordered):
            if i == 0 or ordered[i - 1].group != q.group:
                if i:
                    blocks.append(Text(""))
                blocks.append(Text(f"statement {q.group}", style="dim"))
            head = Text(q.speaker or "(unattributed)", style="bold" if q.speaker else "dim italic")
            head.append(" · ")
            head.append_text(_source(q.article, by_id, short))
            if q.speaker_text and q.speaker_text != q.speaker:
                head.append(f" · as “{q.speaker_text}”", style="dim")
            blocks.append(_block(head, Text(f"“{q.text}”"), gap=False))
        return Group(*blocks)

    return ByWidth(wide, narrow)


#: Figures have six columns: as a table from this width, else as blocks.
FIGURES_WIDE = 150


def _interval(low: float | None, high: float | None) -> str:
    from kazreader.analysis.figures.describe import interval_words

    return interval_words(low, high)


def _in_sentence(sentence: str, figure: str, width: int) -> Text:
    """*sentence* (shortened to *width*) with the figure's words highlighted where they occur."""
    out = Text(shorten(sentence, width))
    at = out.plain.find(" ".join(figure.split())) if figure.strip() else -1
    if at >= 0:
        out.stylize("bold", at, at + len(" ".join(figure.split())))
    return out


def figures_view(result: FiguresResult, by_id: dict[str, Article] | None = None) -> RenderableType:
    """The figures and where they disagree. Narrow, a figure is a block: the figure, its qualifier,
    interval and measure on one line, its source and sentence under it."""
    from kazreader.analysis.figures.describe import figure_words

    shown = [f for f in result.figures if getattr(f, "kind", "count") in ("count", "percent", "money")]
    short = _short(by_id, (f.article for f in shown),
                   (v.article for d in result.disagreements for v in d.values))
    hidden = len(result.figures) - len(shown)
    title = f"{len(result.figures)} figures" + (
        f" ({hidden} lengths, durations and other quantities not compared: in --json)" if hidden else ""
    )

    stories = {getattr(d, "story", None) for d in result.disagreements}

    def tag(d: Any) -> Text:
        kind = getattr(d, "kind", "conflict")
        return Text("conflict", style="bold red") if kind == "conflict" else Text("differ", style="yellow")

    def measure(d: Any, sep: str) -> Text:
        """The measure, and its story when the disagreements come from more than one."""
        out = Text(d.measure, style="bold")
        if len(stories) > 1 and getattr(d, "story", None):
            out.append(f"{sep}story {d.story}", style="dim")
        return out

    def wide() -> RenderableType:
        table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", expand=True)
        table.add_column("article", max_width=22)
        table.add_column("figure", style="bold", max_width=16)
        table.add_column("qualifier", no_wrap=True)
        table.add_column("interval", max_width=20)
        table.add_column("measure", max_width=24)
        table.add_column("sentence", ratio=1, min_width=40)
        for f in shown:
            table.add_row(
                _source(f.article, by_id, short), Text(f.text), str(f.qualifier), _interval(f.low, f.high),
                Text(_dash(f.measure)), Text(shorten(f.sentence, 140)),
            )
        parts: list[RenderableType] = [table]
        if result.disagreements:
            dis = Table(box=box.SIMPLE_HEAD, title="disagreements", title_justify="left", expand=True,
                        title_style="bold red")
            dis.add_column("measure", style="bold", min_width=16)
            dis.add_column("", no_wrap=True)
            dis.add_column("source", min_width=12)
            dis.add_column("says", min_width=16)
            dis.add_column("interval", max_width=24)
            for d in result.disagreements:
                for i, f in enumerate(d.values):
                    dis.add_row(
                        measure(d, "\n") if i == 0 else Text(""), tag(d) if i == 0 else Text(""),
                        _source(f.article, by_id, short), Text(figure_words(f)), _interval(f.low, f.high),
                    )
            parts.append(dis)
        return Group(*parts)

    def narrow() -> RenderableType:
        blocks: list[RenderableType] = [Text(title, style="italic"), Text("")]
        for f in shown:
            head = Text.assemble(
                (" ".join(f.text.split()), "bold"), (f"  {f.qualifier} {_interval(f.low, f.high)}", "dim"), "  ",
                (_dash(f.measure), "bold yellow") if f.measure else ("no measure", "dim italic"),
            )
            blocks.append(_block(head, Text.assemble(("in ", "dim"), _source(f.article, by_id, short)),
                                 _in_sentence(f.sentence, f.text, 240)))
        if result.disagreements:
            blocks.append(Text("disagreements", style="bold red"))
            blocks.append(Text(""))
            for d in result.disagreements:
                says = Table.grid(padding=(0, 2))
                says.add_column(max_width=36)
                says.add_column(ratio=1)
                says.add_column(no_wrap=True, style="dim")
                for v in d.values:
                    says.add_row(_source(v.article, by_id, short), Text(figure_words(v)),
                                 _interval(v.low, v.high))
                blocks.append(_block(Text.assemble(measure(d, " · "), "  ", tag(d)), says))
        return Group(*blocks)

    return ByWidth(wide, narrow, at=FIGURES_WIDE)


def _segment_table(title: str, rows: Sequence[Any], short: dict[str, str]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", expand=True)
    table.add_column("article", no_wrap=True)
    table.add_column("text", ratio=1, min_width=30)
    for r in rows:
        table.add_row(_id(r.article, short), Text(r.text))
    return table


def _ids(ids: Sequence[str], short: dict[str, str], most: int = 40) -> Text:
    """``3 articles: abcde, fghij, klmno`` (the first *most* id prefixes, then how many more)."""
    out = Text(f"{len(ids)} article{'s' if len(ids) != 1 else ''}: ")
    out.append_text(Text(", ").join(_id(i, short) for i in ids[:most]))
    if len(ids) > most:
        out.append(f" and {len(ids) - most} more")
    return out


def coverage_view(cov: Coverage, by_id: dict[str, Article] | None = None) -> RenderableType:
    """What X and Y share and what only one says. Articles are named by unique id prefix (the
    whole corpus': *by_id*); narrow, the shared passages put X's text above Y's."""
    short = _short(by_id, cov.x_articles, cov.y_articles, (r.article for r in (*cov.only_x, *cov.only_y)),
                   (v["article"] for d in cov.figure_disagreements for v in d["values"]))
    head = Text.assemble(
        ("X ", "dim"), (cov.x, "bold"), " (", _ids(cov.x_articles, short), ")\n",
        ("Y ", "dim"), (cov.y, "bold"), " (", _ids(cov.y_articles, short), ")\n",
        f"{len(cov.shared)} shared passages; "
        f"{100 * cov.x_shared_fraction:.0f}% of X and {100 * cov.y_shared_fraction:.0f}% of Y is shared",
    )

    def shared_beside() -> Table:
        shared = Table(box=box.SIMPLE_HEAD, title="shared", title_justify="left", expand=True)
        shared.add_column("X", ratio=1, min_width=20)
        shared.add_column("Y", ratio=1, min_width=20)
        shared.add_column("sim", justify="right", no_wrap=True)
        for p in cov.shared:
            shared.add_row(Text(p.x_text), Text(p.y_text), f"{p.similarity:.2f}")
        return shared

    def shared_stacked() -> RenderableType:
        blocks: list[RenderableType] = [Text("shared", style="italic")]
        for i, p in enumerate(cov.shared, 1):
            blocks.append(_block(
                Text.assemble((f"{i}.", "bold"), (f" similarity {p.similarity:.2f}", "dim")),
                Text.assemble(("X ", "bold"), Text(p.x_text)), Text.assemble(("Y ", "bold"), Text(p.y_text)),
            ))
        return Group(*blocks)

    ents = Table(box=box.SIMPLE_HEAD, title="named by only one side", title_justify="left", expand=True)
    ents.add_column(Text(f"only {cov.x}"), ratio=1)
    ents.add_column(Text(f"only {cov.y}"), ratio=1)
    ents.add_row(
        Text(", ".join(e["name"] for e in cov.entities_only_x)),
        Text(", ".join(e["name"] for e in cov.entities_only_y)),
    )
    quotes = Table(box=box.SIMPLE_HEAD, title="quoted by only one side", title_justify="left", expand=True)
    quotes.add_column("side", no_wrap=True)
    quotes.add_column("speaker", max_width=24)
    quotes.add_column("quote", ratio=1, min_width=30)
    for side, rows in (("X", cov.quotes_only_x), ("Y", cov.quotes_only_y)):
        for q in rows:
            quotes.add_row(side, Text(q.get("speaker") or "—"), Text(f"“{q['text']}”"))
    figs = Table(box=box.SIMPLE_HEAD, title="figures that differ", title_justify="left", expand=True,
                 title_style="bold red")
    figs.add_column("measure", min_width=12, max_width=30)
    figs.add_column("side", no_wrap=True)
    figs.add_column("article", no_wrap=True)
    figs.add_column("says", ratio=1, min_width=20)
    for d in cov.figure_disagreements:
        for i, v in enumerate(d["values"]):
            figs.add_row(Text(d["measure"] if i == 0 else ""), v["side"].upper(), _id(v["article"], short),
                         Text(v["text"]))
    return Group(
        head, ByWidth(shared_beside, shared_stacked, at=SIDE_BY_SIDE),
        _segment_table(f"only in {cov.x}", cov.only_x, short),
        _segment_table(f"only in {cov.y}", cov.only_y, short),
        ents, quotes, figs,
    )


def story_table(stories: Sequence[Any], by_id: dict[str, Article]) -> RenderableType:
    """The stories (groups of articles on one event): each a block, its label and id, then its
    articles by outlet and id prefix."""
    short = _short(by_id, (a for s in stories for a in s.articles))
    count = f"{len(stories)} stor{'ies' if len(stories) != 1 else 'y'}"
    blocks: list[RenderableType] = [Text(count, style="italic"), Text("")]
    for s in stories:
        head = Text.assemble((s.label, "bold"), (f" · {len(s.articles)} article{'s' if len(s.articles) != 1 else ''}", "dim"))
        if s.id != s.label:
            head.append(" · ")
            head.append(s.id, style="cyan")
        blocks.append(_block(head, Text(", ").join(_source(a, by_id, short) for a in s.articles)))
    return Group(*blocks)


#: How the command line shows an analysis' result to people, by analysis name;
#: an analysis without a view here is shown as its JSON.
ANALYSIS_VIEWS: dict[str, Callable[[Any, dict[str, Article]], RenderableType]] = {
    "clusters": clusters_table,
    "entities": entities_table,
    "quotes": quotes_table,
    "figures": figures_view,
    "stories": story_table,
}


def analysis_view(analysis: Analysis, result: Any, by_id: dict[str, Article]) -> RenderableType:
    """A registered analysis' result for people: its view, else its JSON, indented."""
    view = ANALYSIS_VIEWS.get(analysis.name)
    if view is not None:
        return view(result, by_id)
    return JSON.from_data(analysis.to_json(result), ensure_ascii=False)
