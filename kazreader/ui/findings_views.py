"""What each screen's copy and export keys take: the selected item as a citation, the view as a bundle.

One function pair per screen, so the screens themselves only delegate (see
:mod:`kazreader.ui.findings`). Everything here reads the screen's state; nothing
changes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kazreader.citation import Cited, Kind, enrich
from kazreader.export.bundle import ExportBundle, cited_items, section_of
from kazreader.export.document import Document, Pair, Section, Table
from kazreader.export.report import sentence_at

if TYPE_CHECKING:
    from kazreader.corpus import Article
    from kazreader.workspace import Workspace

__all__ = [
    "compare_export", "compare_finding", "coverage_export", "coverage_finding", "figures_export",
    "figures_finding", "library_export", "reprints_export", "timeline_export", "library_finding", "quotes_export", "quotes_finding",
    "reader_export", "reader_finding", "sentence_at", "span_finding",
]


def span_finding(ws: Workspace, article: Article, start: int, end: int, kind: Kind = Kind.PASSAGE) -> Cited:
    """The item at a span: the quotation it lies in (with its speaker), else the span itself."""
    try:
        quotes = [q for q in ws.quotes() if q.article == article.id and q.start <= start and end <= q.end]
    except Exception:  # noqa: BLE001 - cite the words without a speaker
        quotes = []
    if quotes:
        q = quotes[0]
        return Cited(Kind.QUOTE, q.text, article, q.speaker or q.speaker_text, q.start, q.end)
    return Cited(kind, article.text[start:end], article, None, start, end)


# -- library ---------------------------------------------------------------------------

def library_finding(screen: Any) -> list[Cited]:
    ws, aid = screen.workspace, screen.selected_article()
    if ws is None or aid is None or aid not in ws.by_id:
        return []
    art = ws.by_id[aid]
    hit = screen._hits.get(aid) if screen.last_result is not None else None
    if hit is not None and hit.spans:
        s, e = sentence_at(art, *hit.spans[0])
        return [Cited(Kind.HIT, art.text[s:e].strip(), art, None, s, e)]
    return [Cited(Kind.ARTICLE, None, art)]


def library_export(screen: Any) -> ExportBundle | None:
    ws = screen.workspace
    if ws is None:
        return None
    result = screen.last_result
    if result is not None:
        doc = enrich("search", {"query": result.query, "total": result.total, "hits": [
            {"id": h.id, "score": round(h.score, 4), "snippet": h.snippet} for h in result.hits]}, ws.by_id)
        arts = [ws.by_id[h["id"]] for h in doc["hits"] if h["id"] in ws.by_id]
        title = f"Search: {result.query}"
        items = [Cited(Kind.HIT, h["snippet"], ws.by_id[h["id"]]) for h in doc["hits"] if h["id"] in ws.by_id]
        section = section_of(f"{result.total} matching articles", items)
        return ExportBundle("search", Document(title, sections=[section]), doc["hits"])
    arts = screen.visible_articles()
    rows = enrich("articles", [a.summary() for a in arts], ws.by_id)
    section = section_of(f"{len(arts)} articles", [Cited(Kind.ARTICLE, None, a) for a in arts])
    return ExportBundle("library", Document("Library", sections=[section]), rows)


# -- reader ----------------------------------------------------------------------------

def reader_finding(screen: Any) -> list[Cited]:
    art = screen.article
    marks = screen.marks()
    if 0 <= screen.mark_index < len(marks):
        start, end = marks[screen.mark_index]
        if screen.marks_kind != "passage":
            start, end = sentence_at(art, start, end)
        return [span_finding(screen.workspace, art, start, end)]
    return [Cited(Kind.ARTICLE, None, art)]


def reader_export(screen: Any) -> ExportBundle | None:
    """The article: its source, then its quotations (with speakers) and figures, each cited."""
    ws, art = screen.workspace, screen.article
    try:
        quotes = [q for q in ws.quotes() if q.article == art.id]
        figures = [f for f in ws.figures().figures if f.article == art.id and f.measure]
    except Exception:  # noqa: BLE001 - the article alone
        quotes, figures = [], []
    found = [c for c in (_quote_cited(ws, q) for q in quotes) if c]
    cited_figures = [c for c in (_figure_cited(ws, f) for f in figures) if c]
    sections = [
        section_of("Source", [Cited(Kind.ARTICLE, None, art)]),
        Section("Quotations", items=list(cited_items(found, [c.speaker or "unattributed" for c in found])),
                empty="no quotation found"),
        Section("Figures", items=list(cited_items(cited_figures, [f"{f.measure}: {f.text}" for f in figures])),
                empty="no measured figure found"),
    ]
    rows = [{"section": "quote", **c.fields()} for c in found]
    rows += [{"section": "figure", "measure": f.measure, "figure": f.text, **c.fields()}
             for f, c in zip(figures, cited_figures)]
    return ExportBundle(f"article-{art.id}", Document(art.title or art.label, sections=sections), rows)


# -- compare ---------------------------------------------------------------------------

def compare_finding(screen: Any) -> list[Cited]:
    if screen.b is not None and 0 <= screen.current < len(screen.pairs):
        p = screen.pairs[screen.current]
        return [Cited(Kind.PASSAGE, p.a_text, screen.a, None, p.a_start, p.a_end),
                Cited(Kind.PASSAGE, p.b_text, screen.b, None, p.b_start, p.b_end)]
    return [Cited(Kind.ARTICLE, None, screen.a)]


def compare_export(screen: Any) -> ExportBundle | None:
    from kazreader.citation import attribution
    from kazreader.export.document import Item
    from kazreader.export.report import pair_runs

    a, b = screen.a, screen.b
    if b is None or not screen.ready:
        return None
    section = Section("Shared passages", empty="these two articles share no passage")
    for p in screen.pairs:
        ra, rb = pair_runs(p)
        section.items.append(Pair(Item(ra, attribution(a), "A"), Item(rb, attribution(b), "B"),
                                  f"{p.words} words · similarity {p.similarity:.0%}"))
    lines = [f"A: {attribution(a, quoting=False)}", f"B: {attribution(b, quoting=False)}"]
    doc = Document(f"{a.label} vs {b.label}", lines, [section], legend=True)
    rows = enrich("compare", {"a": a.id, "b": b.id, "passages": [p.to_json() for p in screen.pairs]}, screen.workspace.by_id)
    for row in rows["passages"]:
        row.pop("diff", None)
    return ExportBundle("compare", doc, rows["passages"])


# -- quotes ----------------------------------------------------------------------------

def _quote_cited(ws: Workspace, q: Any) -> Cited | None:
    art = ws.by_id.get(q.article)
    return Cited(Kind.QUOTE, q.text, art, q.speaker or q.speaker_text, q.start, q.end) if art else None


def quotes_finding(screen: Any) -> list[Cited]:
    from kazreader.ui.widgets.quote_groups import RenderingList

    group = screen.current_group
    if group is None:
        return []
    index = screen.query_one(RenderingList).highlighted or 0
    q = group.renderings[index if 0 <= index < len(group.renderings) else 0].quote
    found = _quote_cited(screen.workspace, q)
    return [found] if found else []


def quotes_export(screen: Any) -> ExportBundle | None:
    ws = screen.workspace
    sections, rows = [], []
    for g in screen.shown:
        quotes = [r.quote for r in g.renderings]
        found = [c for c in (_quote_cited(ws, q) for q in quotes) if c]
        sections.append(Section(g.speaker or "(unattributed)", items=list(cited_items(found))))
        rows += [{**q.to_json(), "group": g.id} for q in quotes]
    if not sections:
        return None
    return ExportBundle("quotes", Document("Quotes", [f"{len(sections)} statements"], sections), enrich("quotes", rows, ws.by_id))


# -- figures ---------------------------------------------------------------------------

def _figure_cited(ws: Workspace, f: Any) -> Cited | None:
    art = ws.by_id.get(f.article)
    if art is None:
        return None
    s, e = sentence_at(art, f.start, f.end)
    return Cited(Kind.FIGURE, art.text[s:e].strip(), art, None, s, e)


def figures_finding(screen: Any) -> list[Cited]:
    from kazreader.ui.widgets.figures_matrix import FiguresMatrix

    row, aid = screen.query_one(FiguresMatrix).current()
    if row is None:
        return []
    aids = [aid] if aid is not None else [a for a in screen.columns if a in row.cells]
    figs = [f for a in aids for f in row.cells.get(a, [])[:1]]
    return [c for c in (_figure_cited(screen.workspace, f) for f in figs) if c]


def figures_export(screen: Any) -> ExportBundle | None:
    from kazreader.ui.widgets.figures_matrix import column_labels, format_figure

    ws = screen.workspace
    rows_shown = screen._visible_rows()
    if not rows_shown:
        return None
    columns = [a for a in screen.columns if any(a in r.cells for r in rows_shown)]
    labels = column_labels(columns, ws.by_id, 40)
    table, rows = [], []
    for r in rows_shown:
        cells = {label: ", ".join(dict.fromkeys(format_figure(f) for f in r.cells.get(a, []))) for a, label in zip(columns, labels)}
        rows.append({"measure": r.measure, "disagreement": r.disagreement or "", **cells})
        table.append((r.measure, r.disagreement or "", *cells.values()))
    disputed = [f for r in rows_shown if r.disagreement for a in columns for f in r.cells.get(a, [])]
    sections = [
        Section("Figures by measure and article", table=Table(("measure", "disagreement", *labels), tuple(table))),
        section_of("Figures in dispute, cited", [c for c in (_figure_cited(ws, f) for f in disputed) if c],
                   empty="no disagreements"),
        Section("Articles", items=list(cited_items(Cited(Kind.ARTICLE, None, ws.by_id[a]) for a in columns)),
                intro="The columns above: " + "; ".join(labels)),
    ]
    return ExportBundle("figures", Document("Figures", sections=sections), rows)


# -- coverage --------------------------------------------------------------------------

def coverage_finding(screen: Any) -> list[Cited]:
    from kazreader.ui.widgets.coverage_panels import CoverageList

    item = screen.query_one(f"#{screen._active_list_id()}", CoverageList).current
    if item is None or item.article is None or item.article not in screen.workspace.by_id:
        return []
    art = screen.workspace.by_id[item.article]
    if item.span is None:
        return [Cited(Kind.ARTICLE, None, art)]
    return [span_finding(screen.workspace, art, *item.span)]


def coverage_export(screen: Any) -> ExportBundle | None:
    from kazreader.export.report import build_report
    from kazreader.export.tables import rows_for

    if screen.data is None or not screen.x or not screen.y:
        return None
    ws = screen.workspace
    doc = build_report(ws, screen.x, screen.y, screen.data.cov)
    rows = rows_for("coverage", enrich("coverage", screen.data.cov.to_json(), ws.by_id))
    return ExportBundle("coverage", doc, rows)


# -- reprints and timeline -------------------------------------------------------------

def reprints_export(ws: Workspace, clusters: Any) -> ExportBundle | None:
    from kazreader.ui.screens.reprints import carriers_of

    sections, rows = [], []
    for c in clusters:
        order = [m for m in carriers_of(c, ws.by_id) if m.article in ws.by_id]
        labels = ["origin" if m.article == c.origin else "then" for m in order]
        found = [Cited(Kind.PASSAGE, m.text, ws.by_id[m.article], None, m.start, m.end) for m in order]
        sections.append(Section(f"Passage {c.id}", items=list(cited_items(found, labels))))
        rows += [{"cluster": c.id, "order": i + 1, "origin": m.article == c.origin, **cited.fields()}
                 for i, (m, cited) in enumerate(zip(order, found))]
    if not sections:
        return None
    doc = Document("Reprinted passages", [f"{len(sections)} passage{'s' if len(sections) != 1 else ''} carried by two or more articles, "
                                          "each with its origin (the earliest dated carrier) first"], sections)
    return ExportBundle("reprints", doc, rows)


def timeline_export(ws: Workspace, entries: Any) -> ExportBundle | None:
    if not entries:
        return None
    rows, table = [], []
    for e in entries:
        firsts = "; ".join(f"{f.kind}: {f.id if f.kind == 'measure' else f.text}" for f in e.firsts)
        rows.append({**e.to_json(), "firsts": firsts})
        table.append((e.date or "undated", e.outlet or "", e.title or "", e.url or "", e.article, firsts))
    sections = [Section("Articles in date order", intro="“first” lists the shared passages and disputed figures "
                        "that appear first in each article.",
                        table=Table(("date", "outlet", "title", "url", "article", "first"), tuple(table)))]
    return ExportBundle("timeline", Document("Timeline", sections=sections), rows)
