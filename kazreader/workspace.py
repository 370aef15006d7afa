"""The one object both faces (CLI and TUI) talk to.

A :class:`Workspace` loads a corpus, resolves article references, keeps the
Whoosh index in sync and serves every analysis from the on-disk cache, keyed by
the articles' content hashes: the first call computes, every later call (in this
process or the next) reads. Methods are thread-safe, so the TUI can call them
from worker threads.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kazreader.cache import AnalysisCache, content_key
from kazreader.corpus import Article, Corpus, LoadWarning, load_corpus
from kazreader.paths import corpus_cache_dir, seeds_dir
from kazreader.text import fold, sanitize

if TYPE_CHECKING:
    from kazreader.analysis.clusters import PassageCluster
    from kazreader.analysis.coverage import Coverage
    from kazreader.analysis.entities import Entity
    from kazreader.analysis.figures import FiguresResult
    from kazreader.analysis.passages import PassagePair
    from kazreader.analysis.quotes import Quote
    from kazreader.index import CorpusIndex, SearchResult

__all__ = ["AmbiguousReference", "ProgressFn", "UnknownArticle", "Workspace"]

_WORDS_RE = re.compile(r"\w+")

#: ``progress(stage, done, total)``: a long step reports how far it is.
ProgressFn = Callable[[str, int, int], None]


class UnknownArticle(LookupError):
    """An article reference that matches no article, or several."""

    def __init__(self, ref: str, candidates: Sequence[str], *, kind: str = "article") -> None:
        self.ref = ref
        self.kind = kind
        self.candidates = list(candidates)
        shown = ", ".join(self.candidates[:12])
        more = f" (+{len(self.candidates) - 12} more)" if len(self.candidates) > 12 else ""
        super().__init__(self._describe(ref, shown + more))

    def _describe(self, ref: str, shown: str) -> str:
        if not shown:
            return f"no {self.kind} {ref!r}"
        plural = "outlets and articles" if self.kind == "outlet or article" else "articles"
        return f"no {self.kind} {ref!r}; {plural} are: {shown}"


class AmbiguousReference(UnknownArticle):
    """A reference that matches several articles."""

    def _describe(self, ref: str, shown: str) -> str:
        return f"{ref!r} is ambiguous: it matches {shown}"


@dataclass(frozen=True)
class Side:
    """One side of an outlet comparison: a label and its articles."""

    label: str
    articles: tuple[Article, ...]


class Workspace:
    """A loaded corpus with its index and cached analyses."""

    def __init__(
        self,
        paths: Sequence[str | os.PathLike[str]] | None = None,
        *,
        cache_dir: Path | None = None,
        use_cache: bool = True,
        on_warning: Callable[[LoadWarning], None] | None = None,
        progress: ProgressFn | None = None,
        on_message: Callable[[str], None] | None = None,
        corpus: Corpus | None = None,
    ) -> None:
        self.paths = [Path(p) for p in paths] if paths else [seeds_dir()]
        self.progress = progress
        self.on_message = on_message
        #: Notices from the core (e.g. "index was corrupt; rebuilt"), for the faces to show.
        self.messages: list[str] = []
        if cache_dir:
            self.cache_dir = Path(cache_dir)
        elif corpus is not None and corpus.roots:
            self.cache_dir = corpus_cache_dir(corpus.roots)
        else:
            self.cache_dir = self.cache_dir_for(self.paths)
        if corpus is None:
            # The corpus snapshot lives with the analyses: re-opening reads only changed files.
            snapshot_dir = self.cache_dir if use_cache else None
            corpus = load_corpus(self.paths, on_warning=on_warning, cache_dir=snapshot_dir)
        self.corpus = corpus
        self.articles: list[Article] = list(self.corpus.articles)
        self._by_id = {a.id: a for a in self.articles}
        #: Article texts by id (what entity mentions read their text from).
        self._texts = {a.id: a.text for a in self.articles}
        self.cache = AnalysisCache(self.cache_dir, enabled=use_cache, on_message=self._message)
        self._lock = threading.RLock()
        self._memo: dict[str, Any] = {}
        self._index: CorpusIndex | None = None

    @staticmethod
    def cache_dir_for(paths: Sequence[str | os.PathLike[str]] | None) -> Path:
        """The cache directory a workspace opened on *paths* uses (default: the bundled corpus)."""
        roots = [Path(p) for p in paths] if paths else [seeds_dir()]
        return corpus_cache_dir(tuple(str(p) for p in roots))

    # -- articles ----------------------------------------------------------

    @property
    def warnings(self) -> list[LoadWarning]:
        return self.corpus.warnings

    @property
    def by_id(self) -> dict[str, Article]:
        return self._by_id

    def resolve(self, ref: str) -> Article:
        """The article named by its id or a unique prefix of it.

        Raises :class:`UnknownArticle` (with close candidates) when nothing
        matches and :class:`AmbiguousReference` when several ids do.
        """
        if ref in self._by_id:
            return self._by_id[ref]
        matches = [i for i in self._by_id if i.startswith(ref)]
        if not matches:
            low = ref.casefold()
            matches = [i for i in self._by_id if i.casefold().startswith(low)]
        if len(matches) == 1:
            return self._by_id[matches[0]]
        if matches:
            raise AmbiguousReference(ref, sorted(matches))
        near = [i for i in self._by_id if ref.casefold() in i.casefold()]
        raise UnknownArticle(ref, sorted(near) or sorted(self._by_id))

    def outlets(self) -> dict[str, list[Article]]:
        """Articles grouped by outlet (articles with no outlet are left out)."""
        out: dict[str, list[Article]] = {}
        for a in self.articles:
            if a.outlet:
                out.setdefault(a.outlet, []).append(a)
        return out

    def match_outlets(self, ref: str) -> list[str]:
        """Outlets that *ref* names, best matches only.

        Tried in order, the first rule with any match wins: the exact name
        (case and typography ignored), a prefix ("new york" → "The New York
        Times", a leading "The" ignored), whole words anywhere ("times"), and
        initials ("nyt", "ap").
        """
        key = " ".join(_WORDS_RE.findall(fold(ref)))
        if not key:
            return []
        names = {o: " ".join(_WORDS_RE.findall(fold(o))) for o in self.outlets()}
        bare = {o: n[4:] if n.startswith("the ") else n for o, n in names.items()}
        rules = (
            lambda o: names[o] == key or bare[o] == key,
            lambda o: names[o].startswith(key) or bare[o].startswith(key),
            lambda o: f" {key} " in f" {names[o]} ",
            lambda o: " " not in key and "".join(w[0] for w in bare[o].split()) == key,
        )
        for rule in rules:
            found = sorted(o for o in names if rule(o))
            if found:
                return found
        return []

    def resolve_side(self, ref: str) -> Side:
        """An outlet (see :meth:`match_outlets`) or an article id or prefix."""
        outlets = self.outlets()
        found = self.match_outlets(ref)
        if len(found) == 1:
            return Side(found[0], tuple(outlets[found[0]]))
        try:
            art = self.resolve(ref)
        except UnknownArticle as err:
            if len(found) > 1:
                raise AmbiguousReference(ref, found) from None
            raise UnknownArticle(ref, [*sorted(outlets), *err.candidates], kind="outlet or article") from None
        return Side(art.label if art.outlet else art.id, (art,))

    # -- caching -----------------------------------------------------------

    def _cached(
        self,
        name: str,
        version: int,
        articles: Sequence[Article],
        compute: Callable[[], Any],
        encode: Callable[[Any], Any],
        decode: Callable[[Any], Any],
        *extra: str,
    ) -> Any:
        key = content_key(name, version, (a.digest for a in articles), *extra)
        return self._memo_key(key, compute, encode, decode)

    def _memo_key(
        self,
        key: str,
        compute: Callable[[], Any],
        encode: Callable[[Any], Any],
        decode: Callable[[Any], Any],
    ) -> Any:
        with self._lock:
            if key not in self._memo:
                self._memo[key] = self.cache.memo(key, compute, encode, decode)
            return self._memo[key]

    def _corpus_key(self, name: str) -> str:
        """The cache key of the corpus-wide analysis *name*: the corpus and what its result depends on."""
        from kazreader.analysis import clusters, entities, figures, quotes

        version, *extra = {
            "clusters": (clusters.VERSION,),
            "entities": (entities.VERSION,),
            "quotes": (quotes.VERSION, f"entities-{entities.VERSION}"),
            "figures": (figures.VERSION,),
        }[name]
        return content_key(name, version, (a.digest for a in self.articles), *extra)

    def pending(self) -> list[str]:
        """The corpus-wide analyses not in the on-disk cache yet, by method name.

        What a first opening still has to compute (see :meth:`ingest`); an
        empty list means every analysis is a cache read away.
        """
        keys = {name: self._corpus_key(name) for name in ("clusters", "entities", "quotes", "figures")}
        with self._lock:
            return [name for name, key in keys.items() if key not in self._memo and not self.cache.has(key)]

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    # -- analyses ----------------------------------------------------------

    def compare(self, a: Article, b: Article) -> list[PassagePair]:
        """Passages *a* and *b* share, in *a*'s order."""
        from kazreader.analysis import passages

        return self._cached(
            "compare",
            passages.VERSION,
            [a, b],
            lambda: passages.align(a, b),
            lambda pairs: [p.to_json() for p in pairs],
            lambda raw: [passages.PassagePair.from_json(p) for p in raw],
        )

    def clusters(self) -> list[PassageCluster]:
        """Passages carried by two or more articles, one cluster per passage."""
        from kazreader.analysis import clusters

        def compute() -> list[PassageCluster]:
            self._report("passages", 0, 1)
            result = clusters.cluster_passages(self.articles)
            self._report("passages", 1, 1)
            return result

        return self._memo_key(
            self._corpus_key("clusters"),
            compute,
            lambda cs: [c.to_json() for c in cs],
            lambda raw: [clusters.PassageCluster.from_json(c) for c in raw],
        )

    def entities(self) -> list[Entity]:
        """People, organisations and places, variants merged corpus-wide."""
        from kazreader.analysis import entities

        def compute() -> list[Entity]:
            self._report("entities", 0, 1)
            result = entities.extract_entities(self.articles)
            self._report("entities", 1, 1)
            return result

        return self._memo_key(
            self._corpus_key("entities"),
            compute,
            lambda es: [e.to_cache() for e in es],
            lambda raw: [entities.Entity.from_cache(e, self._texts) for e in raw],
        )

    def quotes(self) -> list[Quote]:
        """Quotations with their speakers and statement groups."""
        from kazreader.analysis import quotes

        def compute() -> list[Quote]:
            found = self.entities()
            self._report("quotes", 0, 1)
            result = quotes.extract_quotes(self.articles, found)
            self._report("quotes", 1, 1)
            return result

        return self._memo_key(
            self._corpus_key("quotes"),
            compute,
            lambda qs: [q.to_json() for q in qs],
            lambda raw: [quotes.Quote.from_json(q) for q in raw],
        )

    def figures(self) -> FiguresResult:
        """Every figure, its measure and qualifier, and the disagreements."""
        from kazreader.analysis import figures

        def compute() -> FiguresResult:
            self._report("figures", 0, 1)
            result = figures.extract_figures(self.articles)
            self._report("figures", 1, 1)
            return result

        return self._memo_key(
            self._corpus_key("figures"),
            compute,
            lambda r: r.to_json(),
            figures.FiguresResult.from_json,
        )

    def coverage(self, x: str, y: str) -> Coverage:
        """What two outlets (or articles) share and what only one of them says."""
        from kazreader.analysis import coverage

        sx, sy = self.resolve_side(x), self.resolve_side(y)
        return coverage.compare_coverage(
            sx.label,
            sx.articles,
            sy.label,
            sy.articles,
            compare=self.compare,
            entities=self.entities(),
            quotes=self.quotes(),
            figures=self.figures(),
        )

    # -- index -------------------------------------------------------------

    def _index_extra(self) -> Callable[[Article], dict[str, str]]:
        """Per-article text for the index's entity, speaker and quote fields.

        An entity is indexed under its canonical name and every variant seen
        anywhere in the corpus (one per line, so phrases never span two names):
        ``entity:csto`` and ``speaker:"Sultanat Azirbek"`` find the articles
        that only use another form of the name.
        """
        names: dict[str, list[str]] = {}
        ent_by_article: dict[str, list[str]] = {}
        for e in self.entities():
            names[e.name] = [e.name, *(v for v in e.variants if v != e.name)]
            for aid in e.counts():
                ent_by_article.setdefault(aid, []).extend(names[e.name])
        quote_text: dict[str, list[str]] = {}
        speakers: dict[str, list[str]] = {}
        for q in self.quotes():
            quote_text.setdefault(q.article, []).append(q.text)
            if q.speaker:
                speakers.setdefault(q.article, []).extend(names.get(q.speaker, [q.speaker]))

        def extra(article: Article) -> dict[str, str]:
            return {
                "entity": "\n".join(ent_by_article.get(article.id, [])),
                "quote": "\n".join(quote_text.get(article.id, [])),
                "speaker": "\n".join(speakers.get(article.id, [])),
            }

        return extra

    def _index_extra_key(self) -> str:
        """What the index's extra fields are computed from: the corpus and the analyses' versions."""
        from kazreader.analysis import entities, quotes

        return content_key(
            "index-extras", entities.VERSION, (a.digest for a in self.articles), f"quotes-{quotes.VERSION}"
        )

    def index(self) -> CorpusIndex:
        """The Whoosh index, opened and brought up to date with the corpus.

        Re-opening an unchanged corpus only compares digests: the entities and
        quotes behind the extra fields are not even read from the cache.
        """
        from kazreader.index import CorpusIndex

        with self._lock:
            if self._index is None:
                idx = CorpusIndex.open(self.cache_dir / "index", on_message=self._message)
                built: list[Callable[[Article], dict[str, str]]] = []

                def extra(article: Article) -> dict[str, str]:
                    if not built:
                        built.append(self._index_extra())
                    return built[0](article)

                idx.sync(
                    self.articles,
                    extra=extra,
                    extra_key=self._index_extra_key(),
                    progress=lambda done, total: self._report("index", done, total),
                )
                self._index = idx
            return self._index

    # -- everything at once -------------------------------------------------

    def ingest(
        self, *, processes: int | None = None, on_done: Callable[[str], None] | None = None
    ) -> dict[str, float]:
        """Compute every corpus-wide analysis and bring the index up to date.

        What a first opening of a large corpus needs, using up to *processes*
        CPU cores (default: all, at most 2 are useful): entities and quotes
        are computed in a child process while this one computes figures and
        passage clusters (clustering and indexing use their own worker
        processes); results meet through the on-disk cache. Processes are
        started with ``fork``, so with threads running, or the cache
        disabled, everything runs here, one step after the other. Progress
        goes to ``progress(stage, done, total)``; ``on_done(step)`` is called
        as each of ``figures``, ``clusters``, ``entities``, ``quotes`` and
        ``index`` is in the cache, so a caller can show it before the rest is
        ready. Returns the wall time of each step in seconds
        (``entities+quotes`` for the child's share).
        """
        procs = processes if processes is not None else (os.cpu_count() or 1)
        times: dict[str, float] = {}

        def timed(name: str, step: Callable[[], Any]) -> Any:
            t0 = time.perf_counter()
            result = step()
            times[name] = time.perf_counter() - t0
            if on_done is not None:
                on_done(name)
            return result

        child = None
        if procs > 1 and self.cache.enabled and threading.active_count() == 1:
            ctx = multiprocessing.get_context("fork")
            child = ctx.Process(target=_ingest_child, args=(self, os.getpid()), daemon=True)
            t_child = time.perf_counter()
            child.start()
        timed("figures", self.figures)
        timed("clusters", self.clusters)
        # (here, not last: this process would otherwise wait idle for the child)
        timed("listing", self.write_listing)
        if child is not None:
            child.join()
            times["entities+quotes"] = time.perf_counter() - t_child
        timed("entities", self.entities)
        timed("quotes", self.quotes)
        timed("index", self.index)
        return times

    def write_listing(self) -> bool:
        """Store the library's rows for the next start (see :mod:`kazreader.corpus.listing`)."""
        from kazreader.corpus.listing import write_listing

        if not self.cache.enabled:
            return False
        return write_listing(self.cache_dir, self.corpus)

    def search(self, query: str, *, limit: int = 20) -> SearchResult:
        """Search the index; raises :class:`kazreader.index.QueryError` on a bad query."""
        return self.index().search(sanitize(query), limit=limit, articles=self._by_id)

    def _message(self, text: str) -> None:
        self.messages.append(text)
        if self.on_message is not None:
            self.on_message(text)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None


def _ingest_child(ws: Workspace, parent_pid: int) -> None:
    """:meth:`Workspace.ingest`'s child: entities and quotes into the cache."""
    from kazreader.lifeline import die_with_parent

    die_with_parent(parent_pid)  # (killing only the main process must not leave it running)
    ws.progress = None  # the parent reports; a forked callback may not be safe
    ws.entities()
    ws.quotes()
