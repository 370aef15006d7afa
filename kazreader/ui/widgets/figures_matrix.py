"""Figures as a matrix: one row per measure, one column per article, disagreements marked.

``build_matrix`` turns a ``FiguresResult`` into rows of cells (pure, testable);
``FiguresMatrix`` is the DataTable that shows them (every cell is a
:class:`rich.text.Text`, never a markup string).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from kazreader.analysis.figures import article_verdicts, compact, measure_key
from kazreader.render import HIT_STYLE
from kazreader.text import fold

if TYPE_CHECKING:
    from kazreader.corpus import Article

__all__ = [
    "FiguresMatrix",
    "MeasureRow",
    "build_matrix",
    "cap_columns",
    "cell_text",
    "column_labels",
    "figure_sentence",
    "format_figure",
    "story_order",
]

MARK_COLUMN = "⚠"
MEASURE_COLUMN = "measure"
CONFLICT_STYLE = "bold white on dark_red"
DIFFER_STYLE = "bold yellow"
SORTS = ("disagreements first", "measure", "most articles")

def format_figure(f: Any) -> str:
    """A compact cell value: ``12``, ``≥8``, ``>1,000``, ``~1,000``, ``dozens`` (see :func:`~kazreader.analysis.figures.compact`)."""
    return compact(f)


@dataclass
class MeasureRow:
    """One measure: the figures each article gives for it."""

    measure: str
    cells: dict[str, list[Any]] = field(default_factory=dict)  # article id -> figures
    disagreement: str | None = None  # None | "differ" | "conflict"
    conflicting: set[str] = field(default_factory=set)  # article ids whose figures conflict
    differing: set[str] = field(default_factory=set)  # article ids named in the disagreement
    pairs: list[tuple[Any, Any]] = field(default_factory=list)  # the figures that disagree, two by two
    order: int = 0
    story: str | None = None  # the story its figures belong to (figures are compared within one)
    name: str = ""  # the measure without its story's words (shown when one story is on screen)

    @property
    def articles(self) -> int:
        return len(self.cells)


def build_matrix(result: Any, article_order: Sequence[str]) -> tuple[list[MeasureRow], list[str]]:
    """Rows (one per measure of each story, in first-appearance order) and the article columns that have any.

    Only figures that are compared get a row (:func:`~kazreader.analysis.figures.measure_key`); when the
    articles hold several stories, each row names its story ("people killed · nice bastille").
    """
    rank = {aid: i for i, aid in enumerate(article_order)}
    rows: dict[str, MeasureRow] = {}
    stories = {f.story for f in result.figures if getattr(f, "story", None)}

    def label(measure: str, story: str | None) -> str:
        if len(stories) < 2 or not story:
            return measure
        words = [w for w in story.split() if not w[:1].isdigit()]
        return f"{measure} · {' '.join(words[:2]) or story}"

    for f in result.figures:
        if not f.measure or measure_key(f) is None:
            continue
        story = getattr(f, "story", None)
        name = label(f.measure, story)
        row = rows.setdefault(name, MeasureRow(name, order=len(rows), story=story, name=f.measure))
        row.cells.setdefault(f.article, []).append(f)
    for d in result.disagreements:
        story = getattr(d, "story", None)
        name = label(d.measure, story)
        if name not in rows:
            rows[name] = MeasureRow(name, order=len(rows), story=story, name=d.measure)
            for f in d.values:
                rows[name].cells.setdefault(f.article, []).append(f)
        row = rows[name]
        row.disagreement = "conflict" if getattr(d, "kind", "differ") == "conflict" else "differ"
        row.pairs.extend(d.disagreeing())
    for row in rows.values():
        if not row.disagreement:
            continue
        verdicts = article_verdicts(row.pairs)
        row.conflicting = {aid for aid, kind in verdicts.items() if kind == "conflict"}
        row.differing = set(verdicts)
    used = {aid for row in rows.values() for aid in row.cells}
    columns = sorted(used, key=lambda a: (rank.get(a, len(rank)), a))
    return list(rows.values()), columns


#: At most this many article columns: beyond a few dozen a matrix is unreadable
#: (and, at thousands of articles, too slow to build).
MAX_COLUMNS = 24
#: At most this many measure rows in the table at once (the filter narrows).
MAX_ROWS = 400


def cap_columns(rows: Sequence[MeasureRow], columns: Sequence[str], limit: int = MAX_COLUMNS) -> list[str]:
    """The article columns to show for *rows*: all of them when they fit in *limit*.

    Otherwise the *limit* articles giving figures for the most of these rows
    (articles named in a disagreement first), kept in corpus order. Only
    articles with a figure in *rows* count, so filtering the measures brings
    the articles reporting them into view.
    """
    counts: dict[str, int] = {}
    disputed: dict[str, int] = {}
    for row in rows:
        for aid in row.cells:
            counts[aid] = counts.get(aid, 0) + 1
            if row.disagreement and (aid in row.differing or aid in row.conflicting):
                disputed[aid] = disputed.get(aid, 0) + 1
    present = [aid for aid in columns if aid in counts]
    if len(present) <= limit:
        return present
    rank = {aid: i for i, aid in enumerate(present)}
    best = sorted(present, key=lambda a: (-disputed.get(a, 0), -counts[a], rank[a]))[:limit]
    keep = set(best)
    return [aid for aid in present if aid in keep]


def story_order(rows: Sequence[MeasureRow]) -> list[str]:
    """The stories of *rows*, those with the most disagreements (then measures) first."""
    disputed: dict[str, int] = {}
    measures: dict[str, int] = {}
    for row in rows:
        if row.story:
            measures[row.story] = measures.get(row.story, 0) + 1
            disputed[row.story] = disputed.get(row.story, 0) + (1 if row.disagreement else 0)
    return sorted(measures, key=lambda s: (-disputed[s], -measures[s], s))


def sort_rows(rows: list[MeasureRow], how: str) -> list[MeasureRow]:
    if how == "measure":
        return sorted(rows, key=lambda r: fold(r.measure))
    if how == "most articles":
        return sorted(rows, key=lambda r: (-r.articles, r.order))
    weight = {"conflict": 0, "differ": 1, None: 2}
    return sorted(rows, key=lambda r: (weight[r.disagreement], -r.articles, r.order))


def column_labels(columns: Sequence[str], by_id: Mapping[str, Article], width: int = 16) -> list[str]:
    """Short, unique column headers: the outlet (or id), told apart by date when the dates differ, then
    by a counter ("Guardian #1", "Guardian #2": the date says nothing when every one has it); the outlet
    is shortened to leave the date and the counter whole."""
    base: dict[str, tuple[str, str]] = {}  # column -> (outlet or id, month-day)
    for aid in columns:
        art = by_id.get(aid)
        base[aid] = (art.label, art.date[5:] if art.date else "") if art else (aid, "")
    dates: dict[str, set[str]] = {}
    for label, date in base.values():
        dates.setdefault(label, set()).add(date)
    keys = [(label, date if len(dates[label]) > 1 else "") for label, date in (base[aid] for aid in columns)]
    seen: dict[tuple[str, str], int] = {}
    out = []
    for key in keys:
        label, date = key
        seen[key] = seen.get(key, 0) + 1
        tail = " ".join(p for p in (date, f"#{seen[key]}" if keys.count(key) > 1 else "") if p)
        out.append(f"{_shorten(label, width - len(tail) - 1)} {tail}" if tail else _shorten(label, width))
    return out


def _shorten(label: str, width: int) -> str:
    """*label* in at most *width* cells: a leading "The " goes first ("Guardian", not "The…")."""
    if len(label) <= width:
        return label
    if label.startswith("The ") and len(label) - 4 <= width:
        return label[4:]
    label = label.removeprefix("The ")
    return label[: max(1, width - 1)] + "…"


def cell_text(row: MeasureRow, aid: str) -> Text:
    figs = row.cells.get(aid)
    if not figs:
        return Text("·", style="dim", justify="center")
    values: list[str] = []
    for f in figs:
        v = format_figure(f)
        if v not in values:
            values.append(v)
    text = Text(", ".join(values[:3]) + (" …" if len(values) > 3 else ""), justify="right")
    if aid in row.conflicting:
        text.stylize(CONFLICT_STYLE)
    elif row.disagreement and aid in row.differing:
        text.stylize(DIFFER_STYLE)
    return text


def mark_text(row: MeasureRow) -> Text:
    if row.disagreement == "conflict":
        return Text("⚠", style="bold red")
    if row.disagreement == "differ":
        return Text("≠", style="bold yellow")
    return Text("")


def figure_sentence(f: Any) -> Text:
    """The figure's sentence with the figure highlighted (plain text, never markup)."""
    sentence = f.sentence or f.text
    start = getattr(f, "sentence_start", None)
    rel = f.start - start if start else -1
    if not (0 <= rel and sentence[rel : rel + len(f.text)] == f.text):
        rel = sentence.find(f.text)
    text = Text(" ".join(sentence.split("\n")))
    if rel >= 0:
        text.stylize(HIT_STYLE, rel, rel + len(f.text))
    return text


class FiguresMatrix(DataTable[Text]):
    """The measures × articles table."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", key_display="enter", id="figures.table.open"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("h", "cursor_left", "Left", show=False),
        Binding("l", "cursor_right", "Right", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)
        self.rows_shown: list[MeasureRow] = []
        self.article_columns: list[str] = []

    def show(
        self, rows: list[MeasureRow], columns: list[str], labels: list[str], keep: str | None = None,
        measure_width: int = 28, one_story: bool = False,
    ) -> None:
        """Replace the table's content; keep the cursor on measure *keep* when it is still shown.

        *one_story*: the rows come from one story, so their labels leave its words out.
        """
        col = self.cursor_column
        self.clear(columns=True)
        self.rows_shown = rows
        self.article_columns = list(columns)
        self.add_column(Text(MARK_COLUMN, justify="center"), key=MARK_COLUMN, width=1)
        def shown(row: MeasureRow) -> str:
            return row.name or row.measure if one_story else row.measure

        width = max([len(MEASURE_COLUMN)] + [len(shown(r)) for r in rows])
        self.add_column(Text(MEASURE_COLUMN), key=MEASURE_COLUMN, width=min(width, measure_width))
        for aid, label in zip(columns, labels):
            self.add_column(Text(label, justify="right"), key=aid)
        for row in rows:
            self.add_row(
                mark_text(row),
                Text(shown(row), style="bold" if row.disagreement else ""),
                *(cell_text(row, aid) for aid in columns),
                key=row.measure,
            )
        self.fixed_columns = 2
        if rows:
            index = next((i for i, r in enumerate(rows) if r.measure == keep), 0)
            self.move_cursor(row=index, column=max(col, 2) if columns else 1, animate=False)

    def current(self) -> tuple[MeasureRow | None, str | None]:
        """The measure row and article id under the cursor (id None on the label columns)."""
        if not self.rows_shown:
            return None, None
        r, c = self.cursor_coordinate
        if not 0 <= r < len(self.rows_shown):
            return None, None
        row = self.rows_shown[r]
        aid = self.article_columns[c - 2] if 2 <= c < 2 + len(self.article_columns) else None
        return row, aid
