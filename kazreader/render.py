"""Rich renderables for kazreader's analyses (used by the CLI; the TUI reuses the helpers).

Article text is untrusted: it only ever enters a :class:`rich.text.Text` as
plain text (``Text(str)`` / ``Text.append``), never through markup parsing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, RenderableType
from rich.json import JSON
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
    "shorten",
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


def highlighted(text: str, spans: Iterable[tuple[int, int]], style: str = HIT_STYLE) -> Text:
    """*text* as plain Rich text with *spans* styled."""
    out = Text(text)
    for s, e in spans:
        if 0 <= s < e <= len(text):
            out.stylize(style, s, e)
    return out


def _dash(value: Any) -> str:
    return "—" if value is None else str(value)


def articles_table(articles: Sequence[Article], words: Sequence[int] | None = None) -> Table:
    """The articles, one a row (*words*: their word counts when the caller has them, e.g. cached)."""
    table = Table(box=box.SIMPLE_HEAD, title=f"{len(articles)} articles", title_justify="left")
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("outlet")
    table.add_column("date", no_wrap=True)
    table.add_column("title", ratio=1)
    table.add_column("words", justify="right")
    for i, a in enumerate(articles):
        table.add_row(
            Text(a.id), Text(_dash(a.outlet)), Text(_dash(a.date)),
            Text(a.title or shorten(a.text, 80), style="" if a.title else "dim"),
            str(a.words if words is None else words[i]),
        )
    return table


def article_panel(article: Article) -> Panel:
    meta = Text(" · ").join(
        Text(v) for v in (article.outlet, article.date, article.id, f"{article.words} words") if v
    )
    body = Text("\n\n").join(Text(article.text[s:e]) for s, e in article.paragraphs)
    title = Text(article.title or article.id, style="bold")
    return Panel(Group(meta, Text(""), body), title=title, title_align="left", box=box.ROUNDED)


def search_table(result: SearchResult, by_id: dict[str, Article]) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        title=Text(f"{result.total} match{'es' if result.total != 1 else ''} for {result.query}"),
        title_justify="left",
    )
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("outlet")
    table.add_column("score", justify="right")
    table.add_column("snippet", ratio=1)
    for hit in result.hits:
        art = by_id.get(hit.id)
        terms = {art.text[s:e].casefold() for s, e in hit.spans} if art else set()
        snippet = Text(hit.snippet)
        low = hit.snippet.casefold()
        for term in terms:
            start = low.find(term)
            while term and start >= 0:
                snippet.stylize(HIT_STYLE, start, start + len(term))
                start = low.find(term, start + len(term))
        table.add_row(Text(hit.id), Text(_dash(art.outlet if art else None)), f"{hit.score:.2f}", snippet)
    return table


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


def compare_view(a: Article, b: Article, pairs: Sequence[PassagePair]) -> RenderableType:
    shared_a = sum(p.a_end - p.a_start for p in pairs)
    shared_b = sum(p.b_end - p.b_start for p in pairs)
    summary = Text.assemble(
        (f"{len(pairs)} shared passage{'s' if len(pairs) != 1 else ''}", "bold"),
        f" · A {_name(a)}: {100 * shared_a / max(1, len(a.text)):.0f}% shared",
        f" · B {_name(b)}: {100 * shared_b / max(1, len(b.text)):.0f}% shared",
    )
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("#", justify="right", style="dim")
    table.add_column(Text(f"A · {a.label}"), ratio=1)
    table.add_column(Text(f"B · {b.label}"), ratio=1)
    table.add_column("words", justify="right")
    table.add_column("sim", justify="right")
    for i, p in enumerate(pairs, 1):
        ta, tb = diff_texts(p)
        table.add_row(str(i), ta, tb, str(p.words), f"{p.similarity:.2f}")
    legend = Text.assemble(
        "legend: ", ("only in A", DELETE_STYLE), " · ", ("only in B", INSERT_STYLE),
        " · ", ("changed", CHANGE_STYLE), style="dim",
    )
    return Group(summary, table, legend)


def clusters_table(clusters: Sequence[PassageCluster], by_id: dict[str, Article]) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD, title=f"{len(clusters)} passages carried by two or more articles",
        title_justify="left", expand=True,
    )
    table.add_column("cluster", style="cyan", no_wrap=True)
    table.add_column("articles")
    table.add_column("origin", no_wrap=True)
    table.add_column("passage", ratio=1)
    for c in clusters:
        members = Text(", ").join(Text(m.article) for m in c.members)
        table.add_row(Text(c.id), members, Text(_dash(c.origin)), Text(shorten(c.members[0].text, 200)))
    return table


def entities_table(entities: Sequence[Entity]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=f"{len(entities)} entities", title_justify="left", expand=True)
    table.add_column("name", style="bold")
    table.add_column("type")
    table.add_column("mentions", justify="right")
    table.add_column("articles")
    table.add_column("variants", ratio=1)
    for e in entities:
        counts = e.counts()
        table.add_row(
            Text(e.name), e.type, str(sum(counts.values())),
            Text(", ".join(f"{a}×{n}" for a, n in sorted(counts.items()))),
            Text(" · ".join(v for v in e.variants if v != e.name)),
        )
    return table


def quotes_table(quotes: Sequence[Quote], by_id: dict[str, Article] | None = None) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=f"{len(quotes)} quotes", title_justify="left", expand=True)
    table.add_column("speaker", style="bold", ratio=2)
    table.add_column("source", ratio=2)
    table.add_column("quote", ratio=5)
    ordered = sorted(quotes, key=lambda q: (q.group, q.article, q.start))
    for i, q in enumerate(ordered):
        first = i == 0 or ordered[i - 1].group != q.group
        last = i == len(ordered) - 1 or ordered[i + 1].group != q.group
        who = Text(q.speaker or "(unattributed)", style="" if q.speaker else "dim italic")
        if q.speaker_text and q.speaker_text != q.speaker:
            who.append(f"\nas “{q.speaker_text}”", style="dim")
        source = _label(q.article, by_id)
        if first:
            source.append(f"\n{q.group}", style="dim")
        table.add_row(who, source, Text(f"“{q.text}”"), end_section=last)
    return table


def _interval(low: float | None, high: float | None) -> str:
    from kazreader.analysis.figures.describe import interval_words

    return interval_words(low, high)


def _label(article_id: str, by_id: dict[str, Article] | None) -> Text:
    art = by_id.get(article_id) if by_id else None
    if art is not None and art.outlet:
        return Text(art.outlet)
    return Text(article_id, style="cyan")


def figures_view(result: FiguresResult, by_id: dict[str, Article] | None = None) -> RenderableType:
    from kazreader.analysis.figures.describe import figure_words

    table = Table(box=box.SIMPLE_HEAD, title=f"{len(result.figures)} figures", title_justify="left", expand=True)
    table.add_column("article", style="cyan", no_wrap=True)
    table.add_column("figure", style="bold")
    table.add_column("qualifier")
    table.add_column("interval", no_wrap=True)
    table.add_column("measure")
    table.add_column("sentence", ratio=1)
    for f in result.figures:
        if getattr(f, "kind", "count") not in ("count", "percent", "money"):
            continue
        table.add_row(
            _label(f.article, by_id), Text(f.text), str(f.qualifier), _interval(f.low, f.high),
            Text(_dash(f.measure)), Text(shorten(f.sentence, 140)),
        )
    parts: list[RenderableType] = [table]
    if result.disagreements:
        dis = Table(box=box.SIMPLE_HEAD, title="disagreements", title_justify="left", expand=True,
                    title_style="bold red")
        dis.add_column("measure", style="bold")
        dis.add_column("", no_wrap=True)
        dis.add_column("source")
        dis.add_column("says")
        dis.add_column("interval")
        for d in result.disagreements:
            kind = getattr(d, "kind", "conflict")
            tag = Text("conflict", style="bold red") if kind == "conflict" else Text("differ", style="yellow")
            for i, f in enumerate(d.values):
                dis.add_row(
                    Text(d.measure if i == 0 else ""), tag if i == 0 else Text(""),
                    _label(f.article, by_id), Text(figure_words(f)), _interval(f.low, f.high),
                )
        parts.append(dis)
    return Group(*parts)


def _segment_table(title: str, rows: Sequence[Any]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", expand=True)
    table.add_column("article", style="cyan", no_wrap=True)
    table.add_column("text", ratio=1)
    for r in rows:
        table.add_row(Text(r.article), Text(r.text))
    return table


def coverage_view(cov: Coverage) -> RenderableType:
    head = Text.assemble(
        (cov.x, "bold"), f" ({', '.join(cov.x_articles)}) vs ", (cov.y, "bold"),
        f" ({', '.join(cov.y_articles)}): {len(cov.shared)} shared passages; "
        f"{100 * cov.x_shared_fraction:.0f}% of X and {100 * cov.y_shared_fraction:.0f}% of Y is shared",
    )
    shared = Table(box=box.SIMPLE_HEAD, title="shared", title_justify="left", expand=True)
    shared.add_column("X", ratio=1)
    shared.add_column("Y", ratio=1)
    shared.add_column("sim", justify="right")
    for p in cov.shared:
        shared.add_row(Text(p.x_text), Text(p.y_text), f"{p.similarity:.2f}")
    ents = Table(box=box.SIMPLE_HEAD, title="named by only one side", title_justify="left", expand=True)
    ents.add_column(Text(f"only {cov.x}"), ratio=1)
    ents.add_column(Text(f"only {cov.y}"), ratio=1)
    ents.add_row(
        Text(", ".join(e["name"] for e in cov.entities_only_x)),
        Text(", ".join(e["name"] for e in cov.entities_only_y)),
    )
    quotes = Table(box=box.SIMPLE_HEAD, title="quoted by only one side", title_justify="left", expand=True)
    quotes.add_column("side")
    quotes.add_column("speaker")
    quotes.add_column("quote", ratio=1)
    for side, rows in (("X", cov.quotes_only_x), ("Y", cov.quotes_only_y)):
        for q in rows:
            quotes.add_row(side, Text(q.get("speaker") or "—"), Text(f"“{q['text']}”"))
    figs = Table(box=box.SIMPLE_HEAD, title="figures that differ", title_justify="left", expand=True,
                 title_style="bold red")
    figs.add_column("measure")
    figs.add_column("side")
    figs.add_column("article", style="cyan")
    figs.add_column("says", ratio=1)
    for d in cov.figure_disagreements:
        for i, v in enumerate(d["values"]):
            figs.add_row(Text(d["measure"] if i == 0 else ""), v["side"].upper(), Text(v["article"]), Text(v["text"]))
    return Group(
        head, shared,
        _segment_table(f"only in {cov.x}", cov.only_x),
        _segment_table(f"only in {cov.y}", cov.only_y),
        ents, quotes, figs,
    )


#: How the command line shows an analysis' result to people, by analysis name;
#: an analysis without a view here is shown as its JSON.
ANALYSIS_VIEWS: dict[str, Callable[[Any, dict[str, Article]], RenderableType]] = {
    "clusters": clusters_table,
    "entities": lambda result, by_id: entities_table(result),
    "quotes": quotes_table,
    "figures": figures_view,
}


def analysis_view(analysis: Analysis, result: Any, by_id: dict[str, Article]) -> RenderableType:
    """A registered analysis' result for people: its view, else its JSON, indented."""
    view = ANALYSIS_VIEWS.get(analysis.name)
    if view is not None:
        return view(result, by_id)
    return JSON.from_data(analysis.to_json(result), ensure_ascii=False)
