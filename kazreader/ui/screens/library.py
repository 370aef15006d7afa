"""The library: every article as a sortable table, and full-text search over the index."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, DataTable, Header, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from kazreader.search_guide import SortOrder, compact_hint
from kazreader.ui.findings import FindingsKeys, findings_bindings
from kazreader.ui.marking import LibraryMarkKeys, library_bindings
from kazreader.ui.messages import OpenArticle, OpenCompare
from kazreader.ui.labels import first_sentence
from kazreader.ui.widgets.article_view import safe_text
from kazreader.ui.widgets.facets import FacetList
from kazreader.ui.widgets.log_panel import LogPanel
from kazreader.ui.widgets.status import StatusLine
from kazreader.ui.widgets.footer import KeyFooter
from kazreader.ui.widgets.story_picker import ALL_STORIES, StoryPicker, short_label

if TYPE_CHECKING:
    from kazreader.analysis.clusters import PassageCluster
    from kazreader.analysis.stories import Story
    from kazreader.corpus import Article
    from kazreader.corpus.listing import ListingRow
    from kazreader.index import SearchResult
    from kazreader.workspace import Workspace

__all__ = ["LibraryScreen", "RowFilter", "first_sentence", "shared_counts", "snippet_text"]

HIT_STYLE = "bold black on yellow"
#: Seconds to wait after the last keystroke before searching.
DEBOUNCE = 0.25
#: Rows added to the articles table at a time. A DataTable costs ~0.3 ms a row
#: to build and lay out, so 20,000 rows at once would freeze the screen for
#: seconds; the table holds the first pages of the sorted list and grows by a
#: page whenever the cursor (or the scroll position) comes near its end.
PAGE = 100
#: ``end`` builds the remaining rows up to this many; beyond, it reverses the order.
END_BUILD_LIMIT = 2000
SEARCH_HINT = compact_hint()

# column key -> (label, sort key)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("outlet", "outlet"),
    ("date", "date"),
    ("title", "title"),
    ("words", "words"),
    ("shared", "shared"),
)
#: The story column (after the title), shown once the stories are known, when there are
#: several, and when the table is at least :data:`STORY_COLUMN_MIN` columns wide.
STORY_COLUMN = ("story", "story")
STORY_COLUMN_MIN = 100
STAR = "★ "
STAR_STYLE = Style(bold=True, color="yellow", dim=False, italic=False)


@dataclass(frozen=True)
class RowFilter:
    """The library lists only *ids*: the articles naming an entity, or one story's."""

    kind: str  # "entity" or "story"
    name: str  # the entity's name or the story's label
    ids: frozenset[str]
    story: str | None = None  # the story's id


def story_map(stories: Sequence[Story]) -> dict[str, Story]:
    """Article id -> its story."""
    return {aid: story for story in stories for aid in story.articles}


def shared_counts(clusters: Iterable[PassageCluster]) -> dict[str, int]:
    """How many passages each article shares with at least one other article."""
    counts: dict[str, int] = {}
    for c in clusters:
        for aid in {m.article for m in c.members}:
            counts[aid] = counts.get(aid, 0) + 1
    return counts


def snippet_text(text: str, spans: list[tuple[int, int]], width: int = 220) -> Text:
    """A one-paragraph excerpt of *text* around the first span, every span in it highlighted."""
    if not spans:
        flat = " ".join(text[:width].split())
        return Text(safe_text(flat), style="dim")
    first = spans[0][0]
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", max(spans[0][1], start), end)
        end = space if space > start else end
    window = safe_text(text[start:end]).replace("\n", " ")
    out = Text("…" if start else "", style="dim")
    base = len(out)
    out.append(window)
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s < e:
            out.stylize(HIT_STYLE, base + s - start, base + e - start)
    if end < len(text):
        out.append("…", style="dim")
    return out


class LibraryScreen(LibraryMarkKeys, FindingsKeys, Screen[None]):
    """The root screen: the articles, search, filters and the load log."""

    AUTO_FOCUS = "#articles"

    BINDINGS = [
        # A priority binding: it runs before the keys typed right after it are
        # routed, so "/tokayev" typed fast lands in the search box, not in the table.
        Binding("slash", "focus_search", "Search", id="library.search", priority=True),
        Binding("o", "open", "Open", id="library.open"),
        Binding("c", "compare", "Compare", id="library.compare"),
        Binding("s", "sort", "Sort", id="library.sort"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="library.help"),
        Binding("r", "reverse", "Reverse sort", id="library.reverse", show=False),
        Binding("f", "story_filter", "Story filter", id="library.story_filter",
                tooltip="Show only one story's articles (the highlighted article's first in the list)"),
        Binding("x", "clear_filter", "Clear filter", id="library.clear_filter"),
        Binding("L", "toggle_log", "Log", id="library.log", show=False),
        Binding("j", "cursor_down", "Down", id="library.down", show=False),
        Binding("k", "cursor_up", "Up", id="library.up", show=False),
        Binding("escape", "escape", "Clear search", id="library.escape", show=False),
        # Priority, so it runs before the table's own "end" (which would stop at the rows built so far).
        Binding("end", "last_row", "Last article", id="library.last", show=False, priority=True),
        Binding("q", "app.quit", "Quit", id="library.quit"),
        *findings_bindings("library", open_="O", show_open=False),
        *library_bindings(),  # *, M, S: marks and saved searches (kazreader.ui.marking)
    ]

    def __init__(self) -> None:
        super().__init__()
        self.workspace: Workspace | None = None
        self.articles: list[Article] = []
        self.shared: dict[str, int] | None = None
        self.sort_key = "date"
        self.sort_reverse = False
        self.row_filter: RowFilter | None = None
        #: The stories (the registry's ``stories`` analysis) once computed, and each article's.
        self.stories: list[Story] | None = None
        self._story_of: dict[str, Story] = {}
        #: The starred articles (see :mod:`kazreader.marks`).
        self.starred: set[str] = set()
        #: Word counts by article id, from the listing while the articles are unchanged (counting
        #: 20,000 articles' words to sort them by length takes seconds).
        self._words: dict[str, int] = {}
        self._listed_words: dict[tuple[str, str], int] = {}
        self.search_generation = 0
        self.last_result: SearchResult | None = None
        self.search_error: str | None = None
        #: How search hits are ordered: "score" or "date" (``s`` toggles it while results show).
        self.search_sort = SortOrder.SCORE
        self._debounce: Timer | None = None
        self._hits: dict[str, Any] = {}
        self._index_ready = False
        #: The background ingest is building the index; searches wait for it.
        self._index_elsewhere = False
        self._search_waiting = False
        #: Cached rows to show until the corpus is loaded (set by the app before mounting).
        self.listing: list[ListingRow] | None = None
        #: The sorted, filtered articles; the table shows a prefix of them.
        self._visible: list[Article] | None = None

    # -- layout ------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="search-box"):
            yield Input(placeholder="Search the articles  ( / )", id="search")
            yield Static(Text(SEARCH_HINT, style="dim"), id="search-status", markup=False)
        yield Static("", id="filter-bar", markup=False)
        with Horizontal(id="library-main"):
            with ContentSwitcher(initial="articles", id="library-body"):
                table: DataTable[Any] = DataTable(id="articles", cursor_type="row", zebra_stripes=True)
                table.loading = True
                yield table
                yield OptionList(id="results", markup=False)
            yield FacetList(id="facets")
        yield LogPanel(id="log")
        yield StatusLine(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._set_columns()
        if self.listing:
            self.show_listing(self.listing)
            self.listing = None
        self.watch(self.query_one("#articles", DataTable), "scroll_y", self._table_scrolled, init=False)

    # -- data --------------------------------------------------------------

    def show_listing(self, rows: list[ListingRow]) -> None:
        """List the cached rows while the corpus loads (opening and searching wait for it)."""
        if self.workspace is not None or not rows:
            return
        # (the rows stand in for the articles, field for field, until the corpus loads)
        self.articles = cast("list[Article]", list(rows))
        self._listed_words = {(r.id, r.digest): r.words for r in rows}
        table = self.query_one("#articles", DataTable)
        table.loading = False
        self.refill()

    def workspace_ready(self, workspace: Workspace) -> None:
        """Called by the app once the corpus is loaded."""
        self.workspace = workspace
        self.articles = list(workspace.articles)
        listed, self._listed_words = self._listed_words, {}
        self._words = {a.id: n for a in self.articles if (n := listed.get((a.id, a.digest[:16]))) is not None}
        self.starred = self._read_starred()
        table = self.query_one("#articles", DataTable)
        table.loading = False
        self.refill()
        if self.focused is None:
            table.focus()
        # Open and Compare become available: the footer must say so even when
        # nothing else changed (the table may have had focus since the listing).
        self.refresh_bindings()
        if self.query_one("#search", Input).value.strip():
            self._schedule_search(0)

    def set_shared(self, clusters: Iterable[PassageCluster]) -> None:
        self.shared = shared_counts(clusters)
        self.refill()

    def set_stories(self, stories: Sequence[Story]) -> None:
        """The stories are known: the story column appears (when there are several), ``f`` filters by one."""
        self.stories = list(stories)
        self._story_of = story_map(self.stories)
        self.refresh_bindings()
        self.refill()

    def words_of(self, article: Article) -> int:
        """The article's word count (the listing's, else counted once)."""
        words = self._words.get(article.id)
        if words is None:
            words = self._words[article.id] = article.words
        return words

    def _read_starred(self) -> set[str]:
        marks = getattr(self.workspace, "marks", None)  # (None: a test's stand-in workspace)
        try:
            return set(marks().starred()) if marks is not None else set()
        except Exception:  # noqa: BLE001 - an unreadable marks database must not stop the library
            return set()

    def marks_changed(self) -> None:
        """A star changed (``*``): the rows (and the hits) show the new stars."""
        self.starred = self._read_starred()
        self.refill()
        if self.last_result is not None:
            self._show_hits(self.last_result, keep_highlight=True)

    def index_ready(self) -> None:
        self._index_ready = True

    def set_index_elsewhere(self, building: bool) -> None:
        """Another process is (or no longer is) building the index.

        Meanwhile a search waits for it instead of building a second index in
        this process; it runs as soon as the other process is done.
        """
        self._index_elsewhere = building
        if not building and self._search_waiting:
            self._search_waiting = False
            self._schedule_search(0)

    def apply_entity_filter(self, name: str, article_ids: Iterable[str]) -> None:
        """Show only the articles naming an entity."""
        self._apply_filter(RowFilter("entity", name, frozenset(article_ids)))

    def apply_story_filter(self, story_id: str) -> None:
        """Show only the articles of one story (searches too are kept within it)."""
        story = next((s for s in self.stories or () if s.id == story_id), None)
        if story is not None:
            self._apply_filter(RowFilter("story", story.label, frozenset(story.articles), story.id))

    def _apply_filter(self, row_filter: RowFilter) -> None:
        self.row_filter = row_filter
        self.query_one("#search", Input).value = ""
        self.refill()
        self.query_one("#articles").focus()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        if self.row_filter is not None:
            self.row_filter = None
            self.refill()
            self.refresh_bindings()
            if self.query_one("#search", Input).value.strip():
                self._schedule_search(0)

    def action_story_filter(self) -> None:
        """Choose a story (the highlighted article's is preselected); only its articles are listed."""
        if not self.stories:
            return
        aid = self.selected_article()
        story = self._story_of.get(aid) if aid else None
        if self.row_filter is not None and self.row_filter.story:
            current: str | None = self.row_filter.story
        else:
            current = story.id if story else None
        filtered = self.row_filter is not None and self.row_filter.kind == "story"
        self.app.push_screen(StoryPicker(self.stories, current, filtered), self._story_chosen)

    def _story_chosen(self, story_id: str | None) -> None:
        if story_id == ALL_STORIES:
            self.action_clear_filter()
        elif story_id is not None:
            self.apply_story_filter(story_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.row_filter is not None
        if action == "story_filter":
            return self.stories is not None and len(self.stories) > 1 and self.workspace is not None
        if action in ("open", "compare") and self.workspace is None:
            return None
        if action == "last_row":
            return self.focused is self.query_one("#articles", DataTable)
        return True

    def visible_articles(self) -> list[Article]:
        """The articles the table lists, in order (the table may hold only a prefix: see :data:`PAGE`)."""
        if self._visible is None:
            self._visible = self._sorted_articles()
        return self._visible

    def _sorted_articles(self) -> list[Article]:
        arts = self.articles
        if self.row_filter is not None:
            ids = self.row_filter.ids
            arts = [a for a in arts if a.id in ids]
        shared = self.shared or {}
        stories = self._story_of

        def key(a: Article) -> tuple[Any, ...]:
            if self.sort_key == "outlet":
                return ((a.outlet or "~").casefold(), a.date or "", a.id)
            if self.sort_key == "title":
                return ((a.title or first_sentence(a)).casefold(), a.id)
            if self.sort_key == "words":
                return (self.words_of(a), a.id)
            if self.sort_key == "shared":
                return (shared.get(a.id, 0), a.id)
            if self.sort_key == "story":  # (a story's articles together, in date order)
                story = stories.get(a.id)
                return (short_label(story).casefold() if story else "~", story.id if story else "", a.date or "", a.id)
            return (a.date or "9999", a.id)

        return sorted(arts, key=key, reverse=self.sort_reverse)

    def _table_width(self) -> int:
        table = self.query_one("#articles", DataTable)
        return max(20, (table.size.width or self.size.width or 80) - 2)

    def columns(self) -> tuple[tuple[str, str], ...]:
        """The table's columns: :data:`COLUMNS`, and the story after the title when it is shown."""
        stories = self.stories
        if not stories or len(stories) < 2 or self._table_width() < STORY_COLUMN_MIN:
            return COLUMNS
        return (*COLUMNS[:3], STORY_COLUMN, *COLUMNS[3:])

    def _widths(self) -> dict[str, int]:
        total = self._table_width()
        columns = self.columns()
        # Narrow terminals give the title the room: outlets are cut with "…" sooner; wide ones show
        # names such as "Christian Science Monitor" whole.
        cap = 12 if total < 100 else 22 if total < 140 else 28
        outlet = min(cap, max((len(a.label) for a in self.articles), default=6))
        widths = {"outlet": max(6, outlet), "date": 10, "words": 6 if total >= 100 else 5, "shared": 6}
        if STORY_COLUMN in columns:
            widths["story"] = 24 if total >= 140 else 16
        if self.sort_key in widths:  # room for the header's " ▲"/" ▼"
            widths[self.sort_key] = max(widths[self.sort_key], len(self.sort_key) + 2)
        pad = 2 * len(columns) + 1
        widths["title"] = max(10, total - sum(widths.values()) - pad)
        return widths

    def _set_columns(self) -> None:
        table = self.query_one("#articles", DataTable)
        table.clear(columns=True)
        widths = self._widths()
        if self.sort_key not in widths:  # (the story column went away)
            self.sort_key, self.sort_reverse = "date", False
            widths = self._widths()
        for key, _label in self.columns():
            label = Text(key, style="bold")
            if key == self.sort_key:
                label.append(" ▼" if self.sort_reverse else " ▲", style="bold")
            justify = "right" if key in ("words", "shared") else "left"
            label.justify = justify  # type: ignore[assignment]
            table.add_column(label, key=key, width=widths[key])
        self._columns_width = table.size.width

    def refill(self, keep_cursor: bool = True) -> None:
        """Rebuild the table rows (keeps the cursor on the same article).

        Only the first :data:`PAGE` rows (or as many as reach the article under
        the cursor) are built; :meth:`load_more` adds the rest page by page.
        """
        table = self.query_one("#articles", DataTable)
        current = None
        if keep_cursor and table.row_count and table.cursor_row < table.row_count:
            current = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self._visible = None
        visible = self.visible_articles()
        self._set_columns()
        upto = PAGE
        if current is not None:
            index = next((i for i, a in enumerate(visible) if a.id == current), -1)
            if index >= 0:
                upto = max(upto, (index // PAGE + 1) * PAGE)
        self._add_rows(visible[:upto])
        if current is not None:
            try:
                table.move_cursor(row=table.get_row_index(current), animate=False)
            except Exception:  # noqa: BLE001 - the article may be filtered out
                pass
        self._update_filter_bar()
        self._update_title()

    @property
    def rows_pending(self) -> int:
        """How many visible articles are not in the table yet."""
        if self._visible is None:
            return 0
        return max(0, len(self._visible) - self.query_one("#articles", DataTable).row_count)

    def load_more(self, rows: int = PAGE) -> int:
        """Add the next *rows* visible articles to the table; how many were added."""
        table = self.query_one("#articles", DataTable)
        if not self.rows_pending or len(table.columns) != len(self.columns()):
            # Mid-rebuild: clearing the columns can fire a scroll callback
            # before refill() has added the columns back.
            return 0
        start = table.row_count
        batch = self.visible_articles()[start : start + rows]
        self._add_rows(batch)
        self._update_more()
        return len(batch)

    def _add_rows(self, articles: list[Article]) -> None:
        table = self.query_one("#articles", DataTable)
        shared = self.shared
        with_story = STORY_COLUMN in self.columns()
        for a in articles:
            title = Text(style="" if a.title else "dim italic", no_wrap=True, overflow="ellipsis")
            if a.id in self.starred:
                title.append(STAR, style=STAR_STYLE)
            title.append(safe_text(a.title or first_sentence(a)))
            count = "…" if shared is None else str(shared.get(a.id, 0))
            cells = [
                # (the id, dim, where the outlet is unknown: rows must be told apart)
                Text(safe_text(a.label), no_wrap=True, overflow="ellipsis", style="bold" if a.outlet else "dim"),
                Text(a.date or "—", style="" if a.date else "dim"),
                title,
                Text(str(self.words_of(a)), justify="right"),
                Text(count, justify="right", style="cyan" if shared and shared.get(a.id) else "dim"),
            ]
            if with_story:
                story = self._story_of.get(a.id)
                label = short_label(story) if story else "—"
                cells.insert(3, Text(safe_text(label), no_wrap=True, overflow="ellipsis", style="" if story else "dim"))
            table.add_row(*cells, key=a.id)

    def _update_more(self) -> None:
        """The title says how much of the list the table holds while it is partial."""
        self._update_title()

    def _near_end(self, row: int) -> bool:
        table = self.query_one("#articles", DataTable)
        margin = max(10, table.size.height * 2)
        return row >= table.row_count - margin

    @on(DataTable.RowHighlighted, "#articles")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.rows_pending and self._near_end(event.cursor_row):
            self.load_more()

    def _table_scrolled(self) -> None:
        """Mouse wheel / scrollbar near the bottom: grow the table too."""
        table = self.query_one("#articles", DataTable)
        if self.rows_pending and table.max_scroll_y - table.scroll_y <= table.size.height:
            self.load_more()

    def action_last_row(self) -> None:
        """Jump to the last article (building the remaining rows first)."""
        table = self.query_one("#articles", DataTable)
        if self.rows_pending > END_BUILD_LIMIT:
            # Building thousands of rows freezes the screen for seconds: show the
            # end of the list by reversing the order instead, and say so.
            current = self.sort_reverse
            self.sort_reverse = not current
            self.refill(keep_cursor=False)
            table.move_cursor(row=0, animate=False)
            self.notify(f"{len(self.visible_articles())} articles: showing the last first "
                        f"(sorted by {self.sort_key} {'▲' if current else '▼'}; r reverses again)",
                        timeout=4, markup=False)
            return
        while self.load_more(PAGE * 10):
            pass
        if table.row_count:
            table.move_cursor(row=table.row_count - 1, animate=False)

    def action_page_more(self) -> None:
        """Move down a screenful (adding rows when near the end)."""
        table = self.query_one("#articles", DataTable)
        if self.rows_pending and self._near_end(table.cursor_row + table.size.height):
            self.load_more()
        table.action_page_down()

    def _update_filter_bar(self) -> None:
        bar = self.query_one("#filter-bar", Static)
        row_filter = self.row_filter
        if row_filter is None:
            bar.display = False
            return
        n = len(row_filter.ids)
        what = "of the story" if row_filter.kind == "story" else "naming"
        within = " · searches stay within it" if row_filter.kind == "story" else ""
        bar.display = True
        bar.update(Text.assemble(
            ("filter ", "bold"), f"{n} article{'s' if n != 1 else ''} {what} ",
            (safe_text(row_filter.name), "bold"), (f"{within}   x clears", "dim"),
        ))

    def _update_title(self) -> None:
        if self.workspace is None:
            return
        shown = len(self.visible_articles())
        total = len(self.articles)
        count = f"{total} articles" if shown == total else f"{shown} of {total} articles"
        pending = self.rows_pending
        if pending:
            count += f" · first {shown - pending} listed, more as you scroll"
        self.sub_title = f"{self.app.corpus_name} · {count}"  # type: ignore[attr-defined]

    def on_resize(self) -> None:
        table = self.query_one("#articles", DataTable)
        if table.size.width != getattr(self, "_columns_width", None) and self.workspace is not None:
            self.refill()

    # -- table -------------------------------------------------------------

    def selected_article(self) -> str | None:
        body = self.query_one("#library-body", ContentSwitcher)
        if body.current == "results":
            results = self.query_one("#results", OptionList)
            if results.highlighted is not None and results.option_count:
                return results.get_option_at_index(results.highlighted).id
            return None
        table = self.query_one("#articles", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowSelected, "#articles")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.post_message(OpenArticle(event.row_key.value))

    @on(DataTable.HeaderSelected, "#articles")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value or "date"
        if key == self.sort_key:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_key, self.sort_reverse = key, key in ("words", "shared")
        self.refill()

    def action_sort(self) -> None:
        if self.query_one("#library-body", ContentSwitcher).current == "results":
            date = self.search_sort is SortOrder.SCORE
            self.search_sort = SortOrder.DATE if date else SortOrder.SCORE
            self.notify(f"hits by {'date, oldest first' if date else 'score'}", timeout=1.5)
            self._schedule_search(0)
            return
        keys = [k for k, _ in self.columns()]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.sort_reverse = self.sort_key in ("words", "shared")
        self.refill()
        self.notify(f"sorted by {self.sort_key}", timeout=1.5)

    def action_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.refill()

    def action_open(self) -> None:
        aid = self.selected_article()
        if aid is None:
            return
        hit = self._hits.get(aid)
        if hit is not None and self.query_one("#library-body", ContentSwitcher).current == "results":
            spans = tuple((s[0], s[1]) for s in hit.spans)
            self.post_message(OpenArticle(aid, span=spans[0] if spans else None, highlights=spans))
        else:
            self.post_message(OpenArticle(aid))

    def action_compare(self) -> None:
        aid = self.selected_article()
        if aid is not None:
            self.post_message(OpenCompare(aid, ""))

    def action_cursor_down(self) -> None:
        widget = self.focused
        if isinstance(widget, (DataTable, OptionList)):
            widget.action_cursor_down()

    def action_cursor_up(self) -> None:
        widget = self.focused
        if isinstance(widget, (DataTable, OptionList)):
            widget.action_cursor_up()

    def action_toggle_log(self) -> None:
        self.query_one("#log", LogPanel).toggle_class("-shown")

    def action_focus_search(self) -> None:
        search = self.query_one("#search", Input)
        if self.focused is search:
            search.insert_text_at_cursor("/")  # "/" is still a character inside the box
            return
        # Focus at once (not after a refresh): what is typed right after "/" goes to the box.
        self.set_focus(search)

    def action_escape(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
            self.query_one("#articles").focus()
        elif self.focused is search:
            self.query_one("#articles").focus()
        elif self.row_filter is not None:
            self.action_clear_filter()

    # -- search ------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._schedule_search(DEBOUNCE)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self._schedule_search(0)
        self._focus_results_when_ready = True
        if self.query_one("#library-body", ContentSwitcher).current == "results":
            self.query_one("#results").focus()

    def on_key(self, event: Any) -> None:
        # Down from the search box goes to the list under it.
        if event.key == "down" and self.focused is self.query_one("#search", Input):
            body = self.query_one("#library-body", ContentSwitcher)
            self.query_one(f"#{body.current}").focus()
            event.stop()

    def _schedule_search(self, delay: float) -> None:
        self.search_generation += 1
        generation = self.search_generation
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        query = self.query_one("#search", Input).value
        if not query.strip():
            self.workers.cancel_group(self, "search")
            self._show_table()
            return
        if delay <= 0:
            self._start_search(generation, query)
        else:
            self._debounce = self.set_timer(delay, lambda: self._start_search(generation, query))

    def _start_search(self, generation: int, query: str) -> None:
        if generation != self.search_generation or self.workspace is None:
            return
        status = self.query_one("#search-status", Static)
        if self._index_elsewhere and not self._index_ready:
            self._search_waiting = True
            status.update(Text("the index is being built in the background; the search runs when it is ready",
                               style="italic dim"))
            return
        busy = "searching…" if self._index_ready else "building the index, then searching…"
        status.update(Text(busy, style="italic dim"))
        self._search(generation, self._within_filter(query))

    def _within_filter(self, query: str) -> str:
        """*query* kept within the story the library is filtered to (``story:"ID"``), if any."""
        row_filter = self.row_filter
        if row_filter is None or row_filter.story is None or "story:" in query.casefold():
            return query
        return f'{query} story:"{row_filter.story.replace(chr(34), " ")}"'


    @work(thread=True, exclusive=True, group="search")
    def _search(self, generation: int, query: str) -> None:
        from kazreader.index import QueryError

        worker = get_current_worker()
        assert self.workspace is not None
        try:
            result = self.workspace.search(query, limit=50, sort=self.search_sort)
        except QueryError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._search_failed, generation, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - shown inline, never a crash
            if not worker.is_cancelled:
                self.app.call_from_thread(self._search_failed, generation, f"search failed: {exc}")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._search_done, generation, result)

    def _search_failed(self, generation: int, message: str) -> None:
        if generation != self.search_generation or not self.is_attached:
            return
        self.search_error = message
        self.last_result = None
        status = self.query_one("#search-status", Static)
        status.update(Text.assemble(("✗ ", "bold red"), (safe_text(message), "red")))
        status.add_class("-error")

    def _search_done(self, generation: int, result: SearchResult) -> None:
        if generation != self.search_generation or self.workspace is None or not self.is_attached:
            return
        self.search_error = None
        self.last_result = result
        status = self.query_one("#search-status", Static)
        status.remove_class("-error")
        n = len(result.hits)
        shown = f" (best {n})" if n < result.total else ""
        story = self.row_filter.story if self.row_filter is not None else None
        status.update(Text.assemble(
            (f"{result.total} article{'s' if result.total != 1 else ''}", "bold"),
            f" match{'es' if result.total == 1 else ''}{shown}",
            (" in the story", "") if story else "",
            ("   enter: results · tab: by outlet/day · s: order · esc: clear", "dim"),
        ))
        results = self._show_hits(result)
        self.query_one("#library-body", ContentSwitcher).current = "results"
        facets = self.query_one("#facets", FacetList)
        facets.show(result.facets, result.total)
        facets.display = bool(facets.option_count)
        if getattr(self, "_focus_results_when_ready", False):
            self._focus_results_when_ready = False
            results.focus()

    def _show_hits(self, result: SearchResult, keep_highlight: bool = False) -> OptionList:
        """List *result*'s hits (the first highlighted, or the one that was when *keep_highlight*)."""
        results = self.query_one("#results", OptionList)
        keep = results.highlighted if keep_highlight else None
        results.clear_options()
        self._hits = {}
        options = []
        assert self.workspace is not None
        for hit in result.hits:
            art = self.workspace.by_id.get(hit.id)
            if art is None:
                continue
            self._hits[hit.id] = hit
            head = Text(style="bold")
            if art.id in self.starred:
                head.append(STAR, style=STAR_STYLE)
            head.append(safe_text(art.outlet or art.id), style="bold")
            head.append(f"  {art.date or ''}  ", style="dim")
            head.append(safe_text(art.title or first_sentence(art, 90)), style="" if art.title else "dim italic")
            head.append(f"  {len(hit.spans)} match{'es' if len(hit.spans) != 1 else ''}", style="dim cyan")
            body = snippet_text(art.text, [(s[0], s[1]) for s in hit.spans]) if hit.spans else Text(
                safe_text(hit.snippet), style="dim")
            prompt = Text.assemble(head, "\n", body)
            options.append(Option(prompt, id=hit.id))
        results.add_options(options)
        if options:
            results.highlighted = keep if keep is not None and keep < len(options) else 0
        return results

    def _show_table(self) -> None:
        self.last_result = None
        self.search_error = None
        self._hits = {}
        status = self.query_one("#search-status", Static)
        status.remove_class("-error")
        status.update(Text(SEARCH_HINT, style="dim"))
        self.query_one("#library-body", ContentSwitcher).current = "articles"
        self.query_one("#facets", FacetList).display = False

    @on(FacetList.Chosen)
    def _facet_chosen(self, event: FacetList.Chosen) -> None:
        """Narrow the search to the chosen outlet or day (the filter is added to the query)."""
        search = self.query_one("#search", Input)
        if event.filter not in search.value:
            search.value = f"{search.value.strip()} {event.filter}"
        self._focus_results_when_ready = True

    @on(OptionList.OptionSelected, "#results")
    def _result_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open()

    # -- findings out (y, o, e: kazreader.ui.findings) ----------------------------

    def finding(self) -> list[Any]:
        from kazreader.ui.findings_views import library_finding

        return library_finding(self)

    def finding_export(self) -> Any:
        from kazreader.ui.findings_views import library_export

        return library_export(self)
