"""``kazreader report X Y``: a self-contained comparison of two articles or two outlets, every item cited.

Built from the workspace's own analyses: the shared passages with their word
differences, what only one side says, the quotes of each side and who gave
them, the figures the sides disagree on, the entities only one side names, and
the reader's own marks on either side's articles (stars, flags and notes).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kazreader.citation import attribution
from kazreader.export.document import Document, Item, Mark, Pair, Run, Section, Table
from kazreader.text import sentence_spans

if TYPE_CHECKING:
    from kazreader.analysis.coverage import Coverage, SharedPassage
    from kazreader.analysis.passages import PassagePair
    from kazreader.corpus import Article
    from kazreader.marks import Mark as UserMark
    from kazreader.workspace import Workspace

__all__ = ["build_report", "diff_runs", "item", "mark_label", "marks_section", "pair_runs", "sentence_at"]

_A_MARKS = {"delete": Mark.DELETE, "replace": Mark.CHANGE}
_B_MARKS = {"insert": Mark.INSERT, "replace": Mark.CHANGE}


def item(text: str, source: Article, speaker: str | None = None, label: str | None = None) -> Item:
    """*text* (unmarked) quoted from *source*."""
    return Item((Run(text),) if text else (), attribution(source, speaker, quoting=bool(text)), label)


def sentence_at(article: Article, start: int, end: int) -> tuple[int, int]:
    """The sentence(s) of *article* around ``[start, end)``."""
    spans = [s for s in sentence_spans(article.text) if s[0] < max(end, start + 1) and s[1] > start]
    return (spans[0][0], spans[-1][1]) if spans else (start, end)


def diff_runs(text: str, base: int, spans: Sequence[tuple[int, int, Mark]]) -> tuple[Run, ...]:
    """*text* (which starts at offset *base* of its article) cut into runs, *spans* marked."""
    runs: list[Run] = []
    cursor = 0
    for start, end, mark in sorted(spans):
        s, e = max(cursor, start - base), min(len(text), end - base)
        if e <= s:
            continue
        if s > cursor:
            runs.append(Run(text[cursor:s]))
        runs.append(Run(text[s:e], mark))
        cursor = e
    if cursor < len(text):
        runs.append(Run(text[cursor:]))
    return tuple(runs)


def pair_runs(pair: PassagePair) -> tuple[tuple[Run, ...], tuple[Run, ...]]:
    a = [(op.a_start, op.a_end, _A_MARKS[op.op]) for op in pair.diff if op.op in _A_MARKS]
    b = [(op.b_start, op.b_end, _B_MARKS[op.op]) for op in pair.diff if op.op in _B_MARKS]
    return diff_runs(pair.a_text, pair.a_start, a), diff_runs(pair.b_text, pair.b_start, b)


def _shared(ws: Workspace, shared: Sequence[SharedPassage], labels: tuple[str, str]) -> Section:
    section = Section("Shared passages", "Word differences are marked as the legend above says (X is the first "
                      "side, Y the second).", empty="the two sides share no passage")
    for p in shared:
        a, b = ws.by_id[p.x_article], ws.by_id[p.y_article]
        pair = next((q for q in ws.compare(a, b) if (q.a_start, q.b_start) == (p.x_start, p.y_start)), None)
        if pair is not None:
            runs_a, runs_b = pair_runs(pair)
        else:
            runs_a, runs_b = (Run(p.x_text),), (Run(p.y_text),)
        note = f"{p.words} words · similarity {p.similarity:.0%}"
        section.items.append(Pair(Item(runs_a, attribution(a), labels[0]), Item(runs_b, attribution(b), labels[1]), note))
    return section


def _only(ws: Workspace, label: str, segments: Sequence[Any]) -> Section:
    section = Section(f"Only in {label}", empty=f"everything {label} says, the other side says too")
    # (a sentence of punctuation or a redaction bar says nothing worth citing)
    section.items = [item(s.text, ws.by_id[s.article]) for s in segments if any(ch.isalnum() for ch in s.text)]
    return section


def _quotes(ws: Workspace, cov: Coverage) -> Section:
    section = Section("Quotes and who gave them", "Every quotation of either side; “only” marks a statement "
                      "the other side does not carry.", empty="no quotations")
    only = {(q["article"], q["start"]) for q in (*cov.quotes_only_x, *cov.quotes_only_y)}
    sides = ((cov.x, set(cov.x_articles)), (cov.y, set(cov.y_articles)))
    for q in ws.quotes():
        side = next((label for label, ids in sides if q.article in ids), None)
        if side is None:
            continue
        tag = f"{side}{' only' if (q.article, q.start) in only else ''}"
        section.items.append(item(q.text, ws.by_id[q.article], q.speaker or q.speaker_text, tag))
    return section


def _figures(ws: Workspace, cov: Coverage) -> Section:
    section = Section("Figures they disagree on", empty="no figure disagreement between the two sides")
    labels = {"x": cov.x, "y": cov.y}
    for d in cov.figure_disagreements:
        for v in d["values"]:
            art = ws.by_id[v["article"]]
            s, e = sentence_at(art, v["start"], v["end"])
            runs = diff_runs(art.text[s:e], s, [(v["start"], v["end"], Mark.HIT)])
            label = f"{d['measure']} · {labels.get(v['side'], v['side'])}: {v['text']}"
            section.items.append(Item(runs, attribution(art), label))
    return section


def _entities(cov: Coverage) -> Section:
    rows = [(cov.x, e["name"], e["type"], str(e["mentions"])) for e in cov.entities_only_x]
    rows += [(cov.y, e["name"], e["type"], str(e["mentions"])) for e in cov.entities_only_y]
    return Section("Named by only one side", table=Table(("only in", "name", "type", "mentions"), tuple(rows)),
                   empty="both sides name the same people, organisations and places")


def mark_label(mark: UserMark, side: str | None = None) -> str:
    """``X · disputed figure · moved · note: …``: what a mark says, for a findings document."""
    from kazreader.marks import MarkKind, MarkStatus

    flag = str(mark.flag).replace("_", " ") if mark.flag else "noted"
    what = "starred" if mark.kind is MarkKind.STAR else f"{flag} {mark.kind}"
    parts = [side, what] if side else [what]
    if mark.status is not MarkStatus.OK:
        parts.append(f"{mark.status} since marked")
    if mark.note:
        parts.append(f"note: {mark.note}")
    return " · ".join(parts)


def marks_section(ws: Workspace, sides: dict[str, str]) -> Section:
    """The marks on the articles of *sides* (article id -> side label), each cited."""
    section = Section("Marks and notes", "Your stars, flags and notes on these articles (kazreader marks).",
                      empty="no marks on these articles")
    marked = getattr(ws, "marked", None)  # (None: a stand-in workspace without marks)
    for mark in marked() if marked is not None else ():
        art = ws.by_id.get(mark.article)
        if art is None or mark.article not in sides:
            continue
        text = art.text[mark.start:mark.end] if mark.start is not None and mark.end is not None else mark.text
        section.items.append(item(text, art, label=mark_label(mark, sides[mark.article])))
    return section


def build_report(ws: Workspace, x: str, y: str, cov: Coverage | None = None) -> Document:
    """The comparison of sides *x* and *y* (outlet names or article ids; see ``Workspace.resolve_side``).

    *cov*: their coverage when the caller has it already (else computed).
    """
    cov = cov if cov is not None else ws.coverage(x, y)
    doc = Document(f"{cov.x} vs {cov.y}", legend=True)
    for label, ids in (("X", cov.x_articles), ("Y", cov.y_articles)):
        doc.lines += [f"{label}: {attribution(ws.by_id[a], quoting=False)}" for a in ids]
    doc.lines.append(f"{len(cov.shared)} shared passage{'s' if len(cov.shared) != 1 else ''}; {100 * cov.x_shared_fraction:.0f}% of {cov.x} and "
                     f"{100 * cov.y_shared_fraction:.0f}% of {cov.y} is shared")
    doc.sections = [
        _shared(ws, cov.shared, (cov.x, cov.y)),
        _only(ws, cov.x, cov.only_x),
        _only(ws, cov.y, cov.only_y),
        _quotes(ws, cov),
        _figures(ws, cov),
        _entities(cov),
        marks_section(ws, {**{a: cov.x for a in cov.x_articles}, **{a: cov.y for a in cov.y_articles}}),
    ]
    return doc
