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
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

try:
    import resource
except ImportError:  # pragma: no cover - not on this platform (see _cpu_seconds, _peak_mib)
    resource = None  # type: ignore[assignment]

from kazreader.analysis.registry import REGISTRY, Inputs, Scope, Stage
from kazreader.analysis.sources import DigestMemo
from kazreader.cache import PAIR_DIGITS, AnalysisCache, content_key, pair_articles, pair_key, pair_prefix
from kazreader.corpus import Article, Corpus, LoadWarning, load_corpus
from kazreader.gcpause import gc_paused
from kazreader.itemcache import ItemCache
from kazreader.marks import Mark, MarkStore, SavedSearch
from kazreader.parts import PartsFile, PartStore
from kazreader.paths import cache_root, corpus_cache_dir, seeds_dir
from kazreader.search_guide import SortOrder
from kazreader.text import fold, sanitize

if TYPE_CHECKING:
    from kazreader.analysis.clusters import PassageCluster
    from kazreader.analysis.coverage import Coverage
    from kazreader.analysis.entities import Entity
    from kazreader.analysis.figures import FiguresResult
    from kazreader.analysis.passages import PassagePair
    from kazreader.analysis.quotes import Quote
    from kazreader.analysis.stories import Story
    from kazreader.index import CorpusIndex, SearchResult
    from kazreader.index.expand import NameVariants

__all__ = ["AmbiguousReference", "ProgressFn", "UnknownArticle", "Workspace"]

_WORDS_RE = re.compile(r"\w+")
#: :meth:`Workspace.ingest`'s key suffix for a step's CPU seconds (beside its wall seconds).
CPU_SUFFIX = ":cpu"
#: :meth:`Workspace.ingest`'s times: a child process' peak resident memory (MiB) under its step's name plus this.
PEAK_SUFFIX = ":peak_mib"
#: A query naming the ``entity`` or ``speaker`` field (expanded with the corpus' merged names).
_NAME_FIELD_RE = re.compile(r"(?i)\b(?:entity|speaker):")
#: How many articles' index fields (:meth:`Workspace.index_fields`) are read at once.
_FIELDS_BATCH = 500
#: Articles per batch when two processes fill the index fields from opposite ends (the most they both compute).
_FILL_BATCH = 100

#: ``progress(stage, done, total)``: a long step reports how far it is.
ProgressFn = Callable[[str, int, int], None]


#: The file (in the cache root) where analyses' source digests are kept between processes.
SOURCE_DIGESTS = "source-digests.json"

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
        take_witness: bool = True,
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
        #: The corpus files' witness, taken before they were loaded: stored with the library's
        #: listing, it lets ``articles --json`` answer without loading (see
        #: :func:`kazreader.corpus.listing.tree_witness`). ``None`` for a corpus given ready-made, or
        #: when *take_witness* is false (a caller that never stores the listing: one more walk of the files).
        self.witness: str | None = None
        if corpus is None:
            if use_cache and take_witness:
                from kazreader.corpus.listing import tree_witness

                self.witness = tree_witness(self.paths)
            # The corpus snapshot lives with the analyses: re-opening reads only changed files.
            snapshot_dir = self.cache_dir if use_cache else None
            corpus = load_corpus(self.paths, on_warning=on_warning, cache_dir=snapshot_dir)
        self.corpus = corpus
        self.articles: list[Article] = list(self.corpus.articles)
        self._by_id = {a.id: a for a in self.articles}
        #: Article texts by id (what entity mentions read their text from).
        self._texts = {a.id: a.text for a in self.articles}
        self.cache = AnalysisCache(self.cache_dir, enabled=use_cache, on_message=self._message)
        self._parts = PartsFile(self.cache_dir / "parts.sqlite" if use_cache else None, on_message=self._message)
        self._lock = threading.RLock()
        #: One lock per analysis being computed (see :meth:`_memo_key`), and the index's.
        self._key_locks: dict[str, threading.RLock] = {}
        self._index_lock = threading.RLock()
        self._memo: dict[str, Any] = {}
        #: Each analysis' sources digest and cache key (the articles and files are read once).
        self._sources: dict[str, str] = {}
        #: The same digests kept between processes (see :class:`DigestMemo`).
        self._source_memo = DigestMemo(cache_root() / SOURCE_DIGESTS if use_cache else None)
        self._keys: dict[str, str] = {}
        self._index: CorpusIndex | None = None
        self._marks: MarkStore | None = None
        #: Worker processes the analyses may use (see :meth:`ingest`; ``None``: their own choice).
        self._workers: int | None = None

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
        rules: tuple[Callable[[str], bool], ...] = (
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

    def sources_digest(self, name: str) -> str:
        """The digest of every file analysis *name*'s result depends on (see :mod:`~kazreader.analysis.sources`)."""
        with self._lock:
            if name not in self._sources:
                a = REGISTRY[name]
                self._sources[name] = self._source_memo.digest(a.sources, a.data)
            return self._sources[name]

    def code_digest(self, *modules: str) -> str:
        """The digest of *modules* and every module they import (see :mod:`~kazreader.analysis.sources`):
        the version of code whose output a face keeps (the CLI's printed items, :mod:`kazreader.itemcache`)."""
        with self._lock:
            return self._source_memo.digest(modules)

    def item_cache(self, name: str, version: str, *, keep_unread: bool = False) -> ItemCache:
        """The printed items of listing *name* as code *version* prints them, in this corpus' cache
        folder (see :mod:`kazreader.itemcache`; one that keeps nothing when the cache is off)."""
        return ItemCache(self.cache_dir if self.cache.enabled else None, name, version, keep_unread=keep_unread)

    def analysis_key(self, name: str) -> str:
        """The cache key of corpus-wide analysis *name*: its sources, the corpus, its dependencies' keys."""
        with self._lock:
            if name not in self._keys:
                deps = [self.analysis_key(d) for d in REGISTRY[name].requires]
                digests = (art.digest for art in self.articles)
                self._keys[name] = content_key(name, self.sources_digest(name), digests, *deps)
            return self._keys[name]

    def parts(self, name: str) -> PartStore:
        """Where analysis *name* keeps its per-article or per-pair parts (see :mod:`kazreader.parts`).

        Its namespace is the analysis' name and sources digest: editing its
        code starts afresh, and :meth:`prune_cache` drops the old parts.
        """
        return PartStore(self._parts, f"{name}:{self.sources_digest(name)}")

    def _pair_prefix(self, name: str) -> str:
        a = REGISTRY[name]
        return pair_prefix(name, self.sources_digest(name), *(self.analysis_key(d) for d in a.requires))

    def _memo_key(
        self,
        key: str,
        compute: Callable[[], Any],
        encode: Callable[[Any], Any],
        decode: Callable[[Any], Any],
    ) -> Any:
        # The workspace lock guards the dictionaries only: an analysis is computed under a lock
        # of its own key, so another thread (the reader's search while the warm-up computes
        # passages) goes on with what is ready instead of waiting for it.
        with self._lock:
            if key in self._memo:
                return self._memo[key]
            key_lock = self._key_locks.setdefault(key, threading.RLock())
        with key_lock:  # (dependencies are acyclic: two threads never wait on each other's keys)
            with self._lock:
                if key in self._memo:
                    return self._memo[key]
            value = self.cache.memo(key, compute, encode, decode)
            with self._lock:
                self._memo[key] = value
                self._key_locks.pop(key, None)
            return value

    def pending(self) -> list[str]:
        """The corpus-wide analyses not in the on-disk cache yet, by name.

        What a first opening still has to compute (see :meth:`ingest`); an
        empty list means every analysis is a cache read away.
        """
        keys = {a.name: self.analysis_key(a.name) for a in REGISTRY.corpus()}
        with self._lock:
            return [name for name, key in keys.items() if key not in self._memo and not self.cache.has(key)]

    def prune_cache(self) -> int:
        """Remove the cache entries the current corpus cannot reach; how many were removed.

        Kept: every corpus-wide analysis' current key (and the entity names'
        of :meth:`name_variants`), the per-pair entries
        (compare) of the current sources whose two articles are both still here,
        and the parts (per article or pair) of the current sources and articles.
        """
        keep = {self.analysis_key(a.name) for a in REGISTRY.corpus()} | {self._names_key()}
        prefixes = [self._pair_prefix(a.name) for a in REGISTRY if a.scope is Scope.PAIR]
        here = {a.digest[:PAIR_DIGITS] for a in self.articles}

        def reachable(key: str) -> bool:
            for prefix in prefixes:
                named = pair_articles(key, prefix)
                if named is not None:
                    return all(d in here for d in named)
            return False

        removed = self.cache.prune(keep, reachable)
        namespaces = {self.parts(a.name).namespace for a in REGISTRY}
        # (a key is article digests joined by "-", then maybe ":" and what else the part was computed from)
        return removed + self._parts.prune(
            namespaces, lambda key: all(d[:PAIR_DIGITS] in here for d in key.split(":", 1)[0].split("-"))
        )

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    # -- analyses ----------------------------------------------------------

    def _inputs(
        self, articles: Sequence[Article], results: dict[str, Any] | None = None, name: str | None = None
    ) -> Inputs:
        required = {d: self.parts(d) for d in REGISTRY[name].requires} if name else {}
        return Inputs(
            articles, results or {}, self._texts, self.parts(name) if name else None, self._workers,
            required, self.cache_dir if self.cache.enabled else None,
        )

    def result(self, name: str) -> Any:
        """The result of the corpus-wide analysis *name* (see :data:`~kazreader.analysis.registry.REGISTRY`)."""
        a = REGISTRY[name]
        if a.scope is not Scope.CORPUS:
            raise ValueError(f"{name!r} is not a corpus-wide analysis")

        def compute() -> Any:
            deps = {d: self.result(d) for d in a.requires}
            self._report(a.stage_label, 0, 1)
            value = a.compute(self._inputs(self.articles, deps, name))
            self._report(a.stage_label, 1, 1)
            return value

        inputs = self._inputs(self.articles)
        return self._memo_key(self.analysis_key(name), compute, a.encode, lambda raw: a.decode(raw, inputs))

    def pair_result(self, name: str, a: Article, b: Article) -> Any:
        """The result of the per-pair analysis *name* on articles *a* and *b*."""
        analysis = REGISTRY[name]
        key = pair_key(name, self.sources_digest(name), [a.digest, b.digest],
                       *(self.analysis_key(d) for d in analysis.requires))
        inputs = self._inputs((a, b))

        def compute() -> Any:
            deps = {d: self.result(d) for d in analysis.requires}
            return analysis.compute(self._inputs((a, b), deps, name))

        return self._memo_key(key, compute, analysis.encode, lambda raw: analysis.decode(raw, inputs))

    def compare(self, a: Article, b: Article) -> list[PassagePair]:
        """Passages *a* and *b* share, in *a*'s order."""
        return cast("list[PassagePair]", self.pair_result(Stage.COMPARE, a, b))

    def clusters(self) -> list[PassageCluster]:
        """Passages carried by two or more articles, one cluster per passage."""
        return cast("list[PassageCluster]", self.result(Stage.CLUSTERS))

    def stories(self) -> list[Story]:
        """The stories: the articles that report one event (figures are compared within one)."""
        return cast("list[Story]", self.result(Stage.STORIES))

    def entities(self) -> list[Entity]:
        """People, organisations and places, variants merged corpus-wide."""
        return cast("list[Entity]", self.result(Stage.ENTITIES))

    def quotes(self) -> list[Quote]:
        """Quotations with their speakers and statement groups."""
        return cast("list[Quote]", self.result(Stage.QUOTES))

    def figures(self) -> FiguresResult:
        """Every figure, its measure and qualifier, and the disagreements."""
        return cast("FiguresResult", self.result(Stage.FIGURES))

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

    def _fields_parts(self) -> PartStore:
        """Where each article's index fields are read from: the quotes' per-article parts
        (:func:`~kazreader.analysis.quotes.local.local_part`: its entities and quotations, from it alone)."""
        return self.parts(Stage.QUOTES)

    def index_fields(self, articles: Sequence[Article]) -> dict[str, dict[str, list[str]]]:
        """The index's ``entity``, ``speaker`` and ``quote`` values of each of *articles*, by digest.

        Each is computed from its article alone (see
        :mod:`kazreader.analysis.article_fields`), read from the part the
        quotes keep per article (made, from the entities' stored scan, when
        missing): one changed file computes one article's fields, and nothing
        corpus-wide is read.
        """
        from kazreader.analysis.article_fields import fields_of

        out: dict[str, dict[str, list[str]]] = {}
        store, compute = self._fields_parts(), self._fields_compute(articles)
        by_digest = {a.digest: a for a in articles}
        digests = list(by_digest)
        for lo in range(0, len(digests), _FIELDS_BATCH):
            found = store.map(digests[lo:lo + _FIELDS_BATCH], compute)
            out.update((d, fields_of(by_digest[d], local)) for d, local in found.items())
        return out

    def fill_index_fields(self, articles: Sequence[Article], *, backward: bool = False) -> int:
        """Store the per-article parts the index fields (:meth:`index_fields`) and the quotes read, for
        those of *articles* not stored yet; how many it computed.

        :data:`_FILL_BATCH` articles at a time, each batch asking the store
        first: two processes filling from opposite ends (*backward*) share the
        work, each skipping what the other stored, and compute at most one
        batch twice where they meet. Nothing stored is read back.
        """
        store, compute = self._fields_parts(), self._fields_compute(articles)
        digests = list(dict.fromkeys(a.digest for a in articles))
        starts = range(0, len(digests), _FILL_BATCH)
        return sum(store.fill(digests[lo:lo + _FILL_BATCH], compute)
                   for lo in (reversed(starts) if backward else starts))

    def _fields_compute(self, articles: Sequence[Article]) -> Callable[[list[str]], dict[str, Any]]:
        """The per-article parts of some of *articles*' digests (their entity scans read from the
        entities' parts, or made)."""
        from kazreader.analysis.quotes.local import local_compute

        return local_compute(articles, self.parts(Stage.ENTITIES))

    def _index_extras(self, articles: Sequence[Article]) -> list[dict[str, str]]:
        """The extra fields' text of each of *articles* (:meth:`index_fields`; the names also whole, one term each)."""
        from kazreader.index.expand import name_terms
        from kazreader.index.schema import NAME_TERM_FIELDS

        fields = self.index_fields(articles)
        out = []
        for f in (fields[a.digest] for a in articles):
            values = {name: "\n".join(f[name]) for name in ("entity", "speaker", "quote")}
            values.update((hidden, name_terms(f[name])) for name, hidden in NAME_TERM_FIELDS.items())
            out.append(values)
        return out

    def _index_extra_key(self) -> str:
        """What the index's extra fields are computed from: each article alone, by this code (no corpus digest)."""
        return content_key(
            "index-extras", 3, (), self._fields_parts().namespace,
            self.code_digest("kazreader.analysis.article_fields"),
        )

    def index(self) -> CorpusIndex:
        """The Whoosh index, opened and brought up to date with the corpus.

        Re-opening an unchanged corpus only compares digests; a changed,
        added or removed article rewrites its own document, its extra fields
        computed from it alone (:meth:`index_fields`).
        """
        from kazreader.index import CorpusIndex

        with self._index_lock:  # (not the workspace lock: analyses computing meanwhile go on)
            if self._index is None:
                idx = CorpusIndex.open(self.cache_dir / "index", on_message=self._message)
                idx.sync(
                    self.articles,
                    extras=self._index_extras,
                    extra_key=self._index_extra_key(),
                    progress=lambda done, total: self._report("index", done, total),
                )
                self._index = idx
            return self._index

    def name_variants(self) -> NameVariants:
        """The corpus' merged entity names, for expanding ``entity:`` and ``speaker:`` queries."""
        from kazreader.index.expand import NameVariants

        def compute() -> NameVariants:
            return NameVariants([e.name, *e.variants] for e in self.entities())

        # (a cache entry of its own: the names alone read in a fraction of the entities' time)
        return cast("NameVariants", self._memo_key(self._names_key(), compute, NameVariants.to_json,
                                                   NameVariants.from_json))

    def _names_key(self) -> str:
        """The cache key of :meth:`name_variants`: the entities' key."""
        return content_key("entity-names", 1, (), self.analysis_key(Stage.ENTITIES))

    # -- everything at once -------------------------------------------------

    def ingest(
        self, *, processes: int | None = None, on_done: Callable[[str], None] | None = None
    ) -> dict[str, float]:
        """Compute every corpus-wide analysis and bring the index up to date.

        What a first opening of a large corpus needs, using up to *processes*
        CPU cores (default: all, at most 2 are useful): the analyses
        registered ``in_child`` (entities, quotes) are computed in child
        processes, one after the other (see :func:`_chained`), while this one
        computes the others (clustering uses its own worker processes), then
        the index's per-article fields (``index-fields``: the index step then
        only reads them); results meet through the on-disk cache. The index
        is built by another child, forked right after the corpus was loaded,
        before this process grew: its indexing workers start small (see
        :func:`_index_child`). Processes are started with ``fork``, so with
        threads running, or the cache disabled, everything runs here, one
        step after the other; a child that fails leaves its share to the next
        process. Progress goes to ``progress(stage, done, total)``;
        ``on_done(step)`` is called as each analysis, the ``listing`` and the
        ``index`` is in the cache, so a caller can show it before the rest is
        ready. Unreachable cache entries are pruned at the end.

        Returns each step's wall time in seconds, and its CPU seconds (its
        process' and its worker processes') under the step's name plus
        :data:`CPU_SUFFIX`; ``entities+quotes`` is the children's wall time
        (until the last one ended). Steps run in a child process also give
        that process' peak resident memory (MiB) under :data:`PEAK_SUFFIX`.
        """
        procs = processes if processes is not None else (os.cpu_count() or 1)
        times: dict[str, float] = {}
        children: list[_Child] = []

        def timed(name: str, step: Callable[[], Any]) -> Any:
            running = [c for c in children if not c.reaped()]
            t0, c0 = time.perf_counter(), _cpu_seconds()
            result = step()
            times[name] = time.perf_counter() - t0
            for c in running:
                # (reaped during the step, e.g. by a worker pool's start, or now: its CPU is in this
                # step's children's, and is taken out once its report is read)
                if c.reaped():
                    c.reaped_in = name
            times[name + CPU_SUFFIX] = _cpu_seconds() - c0
            if on_done is not None:
                on_done(name)
            return result

        in_child = [a.name for a in REGISTRY.corpus() if a.in_child]
        # Here, while the children work: the analyses that need nothing they compute.
        first = [a.name for a in REGISTRY.corpus()
                 if a.name not in in_child and not REGISTRY.requires_all(a.name) & set(in_child)]
        forking = procs > 1 and self.cache.enabled and threading.active_count() == 1
        if forking:
            # Every key now, read once: the children then name each result as this process does
            # (a source file edited during the ingest cannot split them).
            for a in REGISTRY.corpus():
                self.analysis_key(a.name)
            self._index_extra_key()
        indexer = _Child(self, _index_child) if forking else None
        if in_child and forking:
            children = _chained(self, in_child)
        try:
            # A core left to the child at work: on two cores, clustering's two workers beside it left
            # it two thirds of one while they ran, and the two branches, even in CPU, ended ~10 s
            # apart at 10k. (Only while the children run: the index child waits meanwhile.)
            self._workers = max(1, procs - 1) if children else None
            for name in first:
                timed(name, partial(self.result, name))
            # (here, not last: this process would otherwise wait idle for the children)
            timed("listing", self.write_listing)
            self._workers = None
            indexing = False
            if children:
                # While the children finish (the entity scans are stored by now, as a rule: the
                # parts read them), each article's entities and quotations from it alone: the quotes
                # and the index's fields then only read them. The quotes' child, once the entities
                # are stored, fills them from the other end: whichever branch is ahead takes the
                # larger share. (not announced to on_done: no result a caller reads)
                t0, c0 = time.perf_counter(), _cpu_seconds()
                self.fill_index_fields(self.articles)
                times["index-fields"] = time.perf_counter() - t0
                times["index-fields" + CPU_SUFFIX] = _cpu_seconds() - c0
                if indexer is not None:
                    # Every part the index reads is stored now (or being stored by the other end,
                    # which the index computes again, at most one batch): it need not wait for the
                    # quotes' grouping. (At 10k, the children ended ~10 s after this process.)
                    indexer.send("go")
                    indexing = True

            def ended(c: _Child, reported: dict[str, float]) -> None:
                times.update(reported)
                if c.reaped_in is not None:
                    # (max: the kernel's two accounts of the child's CPU may differ by a tick)
                    times[c.reaped_in + CPU_SUFFIX] = max(0.0, times[c.reaped_in + CPU_SUFFIX] - c.cpu)
                if c.name in reported and on_done is not None:
                    on_done(c.name)  # (in the cache: read when asked for)

            def on_index(done: int, total: int) -> None:
                self._report("index", done, total)

            index_times = _wait_all(children, indexer if indexing else None, ended, on_index)
            if children:
                times["+".join(in_child)] = children[-1].wall
            for a in REGISTRY.corpus():
                if a.name not in first and a.name not in times:
                    timed(a.name, partial(self.result, a.name))  # no child, or it failed
            if indexer is not None:
                if not indexing:
                    indexer.send("go")
                    index_times = indexer.wait(on_progress=on_index)
                timed(Stage.INDEX, self.index)  # (an index the child built is only checked)
                times[Stage.INDEX] += index_times.get(Stage.INDEX, 0.0)
                times[Stage.INDEX + CPU_SUFFIX] += index_times.get(Stage.INDEX + CPU_SUFFIX, 0.0)
                if Stage.INDEX + PEAK_SUFFIX in index_times:
                    times[Stage.INDEX + PEAK_SUFFIX] = index_times[Stage.INDEX + PEAK_SUFFIX]
            else:
                timed(Stage.INDEX, self.index)
        finally:
            self._workers = None
            for c in [*children, *([indexer] if indexer else [])]:
                c.stop()
        self.prune_cache()
        return times

    def write_listing(self) -> bool:
        """Store the library's rows for the next start (see :mod:`kazreader.corpus.listing`), with
        the files' :attr:`witness` when this workspace loaded them itself."""
        from kazreader.corpus.listing import write_listing

        if not self.cache.enabled:
            return False
        return write_listing(self.cache_dir, self.corpus, self.witness)

    def search(self, query: str, *, limit: int = 20, sort: SortOrder | str = SortOrder.SCORE) -> SearchResult:
        """Search the index; raises :class:`kazreader.index.QueryError` on a bad query.

        ``story:NAME`` (a story id, or a part of one) keeps the articles of the
        matching stories (the registry's ``stories`` analysis);
        *sort* is ``"score"`` or ``"date"`` (:class:`kazreader.index.SortOrder`).
        """
        from kazreader.index.search import check_query_length, take_filters

        check_query_length(query)  # as typed: sanitising may shorten it into a parse error
        text, stories = take_filters(sanitize(query), "story")
        restrict = self._story_articles(stories) if stories else None
        expand = None
        if _NAME_FIELD_RE.search(text):  # (only such queries need the corpus-wide entities)
            from kazreader.index.expand import expand_names

            expand = partial(expand_names, variants=self.name_variants())
        result = self.index().search(
            text, limit=limit, articles=self._by_id, sort=SortOrder(sort), restrict=restrict, expand=expand
        )
        return replace(result, query=query) if stories else result

    def _story_articles(self, names: Sequence[str]) -> set[str]:
        """The ids of the articles in every one of the stories *names* (each: an id or a part of one)."""
        from kazreader.index import QueryError

        stories = self.stories()  # (the stories the figures are compared in)
        found: set[str] | None = None
        for name in names:
            key = name.casefold()
            chosen = [s for s in stories if s.id.casefold() == key] or [
                s for s in stories if key in s.id.casefold()
            ]
            if not chosen:
                known = ", ".join(repr(s.id) for s in stories[:5])
                raise QueryError(f"no story matches {name!r} (largest stories: {known})")
            ids = {a for s in chosen for a in s.articles}
            found = ids if found is None else found & ids
        return found or set()

    def _message(self, text: str) -> None:
        self.messages.append(text)
        if self.on_message is not None:
            self.on_message(text)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        if self._marks is not None:
            self._marks.close()
            self._marks = None
        self._parts.close()

    # -- marks, notes and saved searches (kazreader.marks) ----------------

    def marks(self) -> MarkStore:
        """This corpus' marks and saved searches (``marks.sqlite`` in its cache folder)."""
        with self._lock:
            if self._marks is None:
                self._marks = MarkStore(self.cache_dir)
            return self._marks

    def marked(self) -> list[Mark]:
        """Every mark, anchored in the current texts (status ok, moved or lost)."""
        return self.marks().all(self._texts)

    def marks_json(self) -> list[dict[str, Any]]:
        """:meth:`marked` as JSON items, each with its article's outlet, date, title and url."""
        from kazreader.citation import source_fields

        out = []
        for m in self.marked():
            art = self._by_id.get(m.article)
            out.append({**m.to_json(), **(source_fields(art) if art else {})})
        return out

    def search_keys(self, query: str) -> list[str]:
        """The ``id:digest`` keys of every article *query* matches (a changed article is a new match)."""
        res = self.search(query, limit=max(1, len(self.articles)))
        return [f"{h.id}:{self._by_id[h.id].digest[:16]}" for h in res.hits if h.id in self._by_id]

    def saved_searches(self) -> list[tuple[SavedSearch, int, int]]:
        """Each saved search with its match count and how many matches are new since it was last opened."""
        out = []
        for saved in self.marks().saved_searches():
            keys = self.search_keys(saved.query)
            out.append((saved, len(keys), len(saved.new_matches(keys))))
        return out

    def open_saved_search(self, name: str) -> SavedSearch:
        """The saved search *name*, its current matches recorded as seen."""
        saved = self.marks().saved_search(name)
        self.marks().opened_search(name, self.search_keys(saved.query))
        return saved


def _peak_mib() -> float:
    """This process' peak resident memory so far, MiB (0 where the platform does not say)."""
    if resource is None:  # pragma: no cover - not on this platform
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # (KiB on Linux)


def _cpu_seconds() -> float:
    """User and system CPU seconds of this process and of its children reaped so far."""
    if resource is None:  # pragma: no cover - not on this platform: this process only
        return time.process_time()
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class _Child:
    """A forked child of :meth:`Workspace.ingest`, and the pipe between the two.

    ``target(ws, conn, *args)`` runs in the child; it may send ``("progress",
    done, total)`` messages, and last a ``("done", times)`` one; the child
    then sends its CPU seconds. :meth:`wait` returns its times (empty if it
    failed); its CPU lands on the parent's step in which it was reaped
    (``reaped_in``; ``None``: by :meth:`wait`).
    """

    def __init__(self, ws: Workspace, target: Callable[..., None], *args: Any, name: str = "",
                 close_in_child: Sequence[Any] = ()) -> None:
        ctx = multiprocessing.get_context("fork")
        self.name = name
        self.wall = self.cpu = 0.0
        self.reaped_in: str | None = None
        self._times: dict[str, float] = {}
        self._conn, theirs = ctx.Pipe(duplex=True)
        self._t0 = time.perf_counter()
        self._proc = ctx.Process(
            target=_child_main, args=(target, ws, theirs, os.getpid(), [self._conn, *close_in_child], *args),
            daemon=False,  # (a daemonic process may not fork: the index's workers; stop() and the lifeline end it)
        )
        self._proc.start()
        theirs.close()

    def reaped(self) -> bool:
        return self._proc.exitcode is not None

    def send(self, message: Any) -> None:
        try:
            self._conn.send(message)
        except OSError:
            pass  # it is gone: wait() finds out

    def wait(self, on_progress: Callable[[int, int], None] | None = None) -> dict[str, float]:
        """Wait for the child to end; its reported times (empty if it failed)."""
        while self.receive(on_progress):
            pass
        return self.end()

    def receive(self, on_progress: Callable[[int, int], None] | None = None) -> bool:
        """Read one message of the child (blocking); False once it has ended (or died)."""
        try:
            message = self._conn.recv()
        except (EOFError, OSError):
            return False
        if message[0] == "progress" and on_progress is not None:
            on_progress(message[1], message[2])
        elif message[0] == "done":
            self._times = dict(message[1])
        elif message[0] == "cpu":
            self.cpu = float(message[1])
        return True

    def end(self) -> dict[str, float]:
        """Reap the child, once :meth:`receive` said it ended; its reported times (empty if it failed)."""
        self._proc.join()
        self.wall = time.perf_counter() - self._t0
        return self._times if self._proc.exitcode == 0 else {}

    def fileno(self) -> int:
        """The pipe's end here (what :func:`multiprocessing.connection.wait` waits on)."""
        return self._conn.fileno()

    def stop(self) -> None:
        """End the child if it still runs (an error in this process), and close the pipe."""
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._conn.close()


def _wait_all(
    children: Sequence[_Child],
    indexer: _Child | None,
    ended: Callable[[_Child, dict[str, float]], None],
    on_progress: Callable[[int, int], None],
) -> dict[str, float]:
    """Wait for *children* and *indexer* at once, reading each one's messages as they come (the
    indexer's progress, which would otherwise fill its pipe); ``ended(child, reported)`` as each of
    *children* ends. The indexer's reported times (empty without it, or if it failed)."""
    from multiprocessing.connection import wait

    pending: list[_Child] = [*children, *([indexer] if indexer is not None else [])]
    index_times: dict[str, float] = {}
    while pending:
        by_fd = {c.fileno(): c for c in pending}
        for fd in wait(list(by_fd)):
            c = by_fd[cast(int, fd)]
            if c.receive(on_progress if c is indexer else None):
                continue
            pending.remove(c)
            if c is indexer:
                index_times = c.end()
            else:
                ended(c, c.end())
    return index_times


def _chained(ws: Workspace, names: Sequence[str]) -> list[_Child]:
    """One child per analysis of *names*, all forked now (small, before this process grows); each
    waits for the one before it to end (its ``gate``) and reads that one's result from the cache, so no
    process holds both analyses' working memory."""
    ctx = multiprocessing.get_context("fork")
    children: list[_Child] = []
    gate: Any = None
    for k, name in enumerate(names):
        last = k == len(names) - 1
        follower, release = (None, None) if last else ctx.Pipe(duplex=False)
        children.append(_Child(ws, _analysis_child, name, gate, release, last, name=name,
                               close_in_child=[follower] if follower is not None else []))
        if gate is not None:
            gate.close()
        if release is not None:
            release.close()
        gate = follower
    return children


def _child_main(
    target: Callable[..., None], ws: Workspace, conn: Any, parent_pid: int, foreign: Sequence[Any], *args: Any
) -> None:
    from kazreader.lifeline import die_with_parent

    die_with_parent(parent_pid)  # (killing only the main process must not leave it running)
    for other in foreign:
        other.close()  # (the parent's ends: an end left open here would hide the other's exit)
    ws.progress = None  # the parent reports; a forked callback may not be safe
    ws.on_message = None
    target(ws, conn, *args)
    conn.send(("cpu", _cpu_seconds()))
    conn.close()


def _analysis_child(ws: Workspace, conn: Any, name: str, gate: Any, release: Any, fill_fields: bool) -> None:
    """:meth:`Workspace.ingest`'s child for analysis *name* (entities, quotes): into the cache, after
    the child before it (*gate*) ended; then tells the next one (*release*). With *fill_fields*
    (the last child: quotes), it first stores the per-article parts the quotes and the index fields
    read, from the corpus' end, sharing them with the parent (:meth:`Workspace.fill_index_fields`;
    reported as ``index-fields-child``)."""
    if gate is not None:
        try:
            gate.recv()
        except EOFError:
            pass  # it ended without a word (failed?): what it did not store, this one computes
        gate.close()
    times: dict[str, float] = {}
    if fill_fields:
        # (first: the quotes read every article's part, and the parent, done with its own analyses,
        # fills them from the other end meanwhile)
        t0, c0 = time.perf_counter(), _cpu_seconds()
        ws.fill_index_fields(ws.articles, backward=True)
        times["index-fields-child"] = time.perf_counter() - t0
        times["index-fields-child" + CPU_SUFFIX] = _cpu_seconds() - c0
        from kazreader.memos import clear_memos

        clear_memos()  # (the parts' memos, names and stems, would lie under the grouping's peak: ~45 MiB at 10k)
    t0, c0 = time.perf_counter(), _cpu_seconds()
    ws.result(name)
    times[name] = time.perf_counter() - t0
    times[name + CPU_SUFFIX] = _cpu_seconds() - c0
    if release is not None:
        release.send("go")
        release.close()
    times[name + PEAK_SUFFIX] = _peak_mib()
    conn.send(("done", times))


def _index_child(ws: Workspace, conn: Any) -> None:
    """:meth:`Workspace.ingest`'s indexer, forked before the analyses: it waits for the parent's word,
    then builds the index (its workers fork from this small process, not from the parent grown by the
    analyses), reporting progress through *conn*."""
    try:
        conn.recv()
    except EOFError:
        return  # the parent gave up
    ws.progress = lambda stage, done, total: conn.send(("progress", done, total)) if stage == "index" else None
    t0, c0 = time.perf_counter(), _cpu_seconds()
    ws.index()
    conn.send(("done", {"index": time.perf_counter() - t0, "index" + CPU_SUFFIX: _cpu_seconds() - c0,
                        "index" + PEAK_SUFFIX: _peak_mib()}))
    ws.close()
