"""Every analysis the workspace serves, declared once.

An :class:`Analysis` says what it is called, which analyses it needs, the
modules and data files its result depends on (its cache key is a digest of
those files, see :mod:`kazreader.analysis.sources`), how it runs and how its
result travels as JSON. The workspace, the background ingest, the TUI's
progress line and loading, and the command line all iterate :data:`REGISTRY`:
adding an analysis is its own module plus one :meth:`Registry.register` call.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kazreader.corpus.model import Article
    from kazreader.parts import PartStore

__all__ = ["CLUSTER_STATE_FILE", "REGISTRY", "Analysis", "Inputs", "Registry", "Scope", "Stage"]

#: The clusters' candidate-pass state in a corpus' cache folder
#: (:mod:`kazreader.analysis.cluster_state`): one file, replaced by each full pass.
CLUSTER_STATE_FILE = "cluster-state.bin"


class Stage(StrEnum):
    """The built-in steps of an opening: the analyses, then the search index."""

    COMPARE = "compare"
    CLUSTERS = "clusters"
    STORIES = "stories"
    ENTITIES = "entities"
    QUOTES = "quotes"
    FIGURES = "figures"
    INDEX = "index"


class Scope(StrEnum):
    """What one result covers."""

    CORPUS = "corpus"  # the whole corpus: computed once, warmed up at opening
    PAIR = "pair"  # two articles (compare): computed on demand


@dataclass(frozen=True)
class Inputs:
    """What an analysis computes from: the articles and its dependencies' results."""

    articles: Sequence[Article]
    results: Mapping[str, Any] = field(default_factory=dict)
    #: Article texts by id (entities rebuild their mentions' text from these).
    texts: Mapping[str, str] = field(default_factory=dict)
    #: Where the analysis keeps its per-article (or per-pair) parts, keyed by
    #: article digests (joined by ``-`` for a pair): see :mod:`kazreader.parts`.
    #: ``None`` when it is run on its own (tests, one-off calls).
    parts: PartStore | None = None
    #: Worker processes an analysis may use (``None``: its own choice, every core for a large corpus).
    processes: int | None = None
    #: The per-article parts of the analyses it requires, by name (read, or filled where missing).
    required_parts: Mapping[str, PartStore] = field(default_factory=dict)
    #: The corpus' cache folder, where an analysis may keep state between runs of its own
    #: (the clusters' candidate pass); ``None`` when the cache is off.
    cache_dir: Path | None = None


@dataclass(frozen=True)
class Analysis:
    """One analysis: its name, what it needs and how it runs.

    ``compute(inputs)`` returns the result; ``encode``/``decode`` turn it into
    the cache's JSON and back; ``to_json`` is the command line's JSON (the
    contract in ``shared/cli-contract.md``). ``sources`` are module or package
    names (a package stands for every file in it; the modules they import are
    followed, and the data files they name, see
    :func:`~kazreader.analysis.sources.named_data_files`), ``data`` further
    files or folders relative to the ``kazreader`` package (or absolute). ``in_child``: the background ingest computes it in its
    forked child, beside the parent's share.
    """

    name: str
    compute: Callable[[Inputs], Any]
    encode: Callable[[Any], Any]
    decode: Callable[[Any, Inputs], Any]
    to_json: Callable[[Any], Any]
    requires: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    scope: Scope = Scope.CORPUS
    in_child: bool = False
    #: What progress reports and the status line call it (default: its name).
    label: str = ""
    #: Its command-line subcommand (default: its name; ``None``: no command of its own).
    command: str | None = ""
    #: Each item's command-line JSON as ``dumps_indented`` writes ``to_json``'s item, written
    #: without that JSON value (optional: for a list whose values are costly to build and lay out).
    json_texts: Callable[[Any], Iterable[str]] | None = None
    #: A digest of everything one item's enriched command-line JSON is made of (its spans, its
    #: articles' content digests…), given the articles by id: the CLI keeps the printed items under
    #: it (:mod:`kazreader.itemcache`) and makes again only those whose key is new. Optional: for a
    #: list of costly items of which a change touches few.
    json_item_key: Callable[[Any, Mapping[str, Any]], bytes] | None = None
    help: str = ""

    @property
    def stage_label(self) -> str:
        return str(self.label or self.name)

    @property
    def command_name(self) -> str | None:
        return str(self.name) if self.command == "" else self.command


class Registry:
    """The registered analyses, in registration order (dependencies come first)."""

    def __init__(self) -> None:
        self._items: dict[str, Analysis] = {}

    def register(self, analysis: Analysis) -> Analysis:
        if analysis.name in self._items or analysis.name == Stage.INDEX:
            raise ValueError(f"analysis {analysis.name!r} is already registered")
        missing = [r for r in analysis.requires if r not in self._items]
        if missing:
            raise ValueError(f"analysis {analysis.name!r} requires unregistered {missing}")
        per_pair = [r for r in analysis.requires if self._items[r].scope is not Scope.CORPUS]
        if per_pair:
            raise ValueError(f"analysis {analysis.name!r} can only require corpus-wide analyses, not {per_pair}")
        self._items[analysis.name] = analysis
        return analysis

    def unregister(self, name: str) -> None:
        if any(name in a.requires for a in self._items.values()):
            raise ValueError(f"other analyses require {name!r}")
        del self._items[name]

    def __getitem__(self, name: str) -> Analysis:
        try:
            return self._items[name]
        except KeyError:
            raise KeyError(f"no analysis {name!r}; registered: {', '.join(self._items)}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[Analysis]:
        return iter(list(self._items.values()))

    def corpus(self) -> list[Analysis]:
        """The corpus-wide analyses, dependencies first."""
        return [a for a in self if a.scope is Scope.CORPUS]

    def requires_all(self, name: str) -> set[str]:
        """Every analysis *name* needs, directly or not."""
        out: set[str] = set()
        todo = list(self[name].requires)
        while todo:
            dep = todo.pop()
            if dep not in out:
                out.add(dep)
                todo.extend(self[dep].requires)
        return out

    def by_label(self, label: str) -> str:
        """The analysis reported under progress *label* (a stage name is returned as is)."""
        for a in self:
            if a.stage_label == label:
                return a.name
        return label

    def by_command(self, command: str) -> Analysis | None:
        for a in self:
            if a.command_name == command:
                return a
        return None


# -- the built-in analyses ----------------------------------------------------
# Each adapter imports its module when it runs, so importing the registry stays cheap.


def _compare(inputs: Inputs) -> Any:
    from kazreader.analysis.passages import align

    a, b = inputs.articles
    return align(a, b)


def _decode_pairs(raw: Any, inputs: Inputs) -> Any:
    from kazreader.analysis.passages import PassagePair

    return [PassagePair.from_json(p) for p in raw]


def _clusters(inputs: Inputs) -> Any:
    from kazreader.analysis.cluster_state import StateFile
    from kazreader.analysis.clusters import PARALLEL_MIN_ARTICLES, cluster_passages

    # (inputs.processes caps the workers of a large corpus; a small one stays in one process)
    large = len(inputs.articles) >= PARALLEL_MIN_ARTICLES
    state = None
    if inputs.cache_dir is not None and inputs.parts is not None:
        state = StateFile(inputs.cache_dir / CLUSTER_STATE_FILE, inputs.parts.namespace)
    return cluster_passages(
        inputs.articles, parts=inputs.parts, processes=inputs.processes if large else None, state=state
    )


def _decode_clusters(raw: Any, inputs: Inputs) -> Any:
    from kazreader.analysis.clusters import PassageCluster

    return [PassageCluster.from_cache(c, inputs.texts) for c in raw]


def _stories(inputs: Inputs) -> Any:
    from kazreader.analysis.stories import group_stories

    carried = [(a.article, b.article) for c in inputs.results[Stage.CLUSTERS] for a in c.members for b in c.members
               if a.article < b.article]
    return group_stories(inputs.articles, carried)


def _decode_stories(raw: Any, inputs: Inputs) -> Any:
    from kazreader.analysis.stories import Story

    return [Story.from_json(s) for s in raw]


def _entities(inputs: Inputs) -> Any:
    from kazreader.analysis.entities import extract_entities

    return extract_entities(inputs.articles, inputs.parts)


def _decode_entities(raw: Any, inputs: Inputs) -> Any:
    from kazreader.analysis.entities import Entity

    return [Entity.from_cache(e, inputs.texts) for e in raw]


def _quotes(inputs: Inputs) -> Any:
    from kazreader.analysis.quotes import extract_quotes

    return extract_quotes(
        inputs.articles, inputs.results[Stage.ENTITIES], inputs.parts, inputs.required_parts.get(Stage.ENTITIES)
    )


def _decode_quotes(raw: Any, inputs: Inputs) -> Any:
    from kazreader.analysis.quotes import Quote

    return [Quote.from_cache(q, inputs.texts) for q in raw]


def _figures(inputs: Inputs) -> Any:
    """Each article's figures (kept per article digest in ``inputs.parts``), then the story-wide comparison."""
    from kazreader.analysis.figures import Figure, extract_figures, find_figures
    from kazreader.analysis.stories import story_of

    stories = story_of(inputs.results[Stage.STORIES])
    if inputs.parts is None:
        return extract_figures(inputs.articles, stories)
    by_digest = {a.digest: a for a in inputs.articles}
    found = inputs.parts.map(
        list(by_digest), lambda keys: {k: [f.to_json() for f in find_figures(by_digest[k])] for k in keys}
    )
    return extract_figures(
        inputs.articles, stories, find=lambda a: [Figure.from_json(raw) for raw in found[a.digest]]
    )


def _encode_figures(result: Any) -> Any:
    return result.to_cache()


def _decode_figures(raw: Any, inputs: Inputs) -> Any:
    from kazreader.analysis.figures import FiguresResult

    return FiguresResult.from_cache(raw, inputs.texts)


def _each_to_json(items: Any) -> Any:
    return [item.to_json() for item in items]


def _to_json(result: Any) -> Any:
    return result.to_json()


def _each_json_text(items: Any) -> Iterable[str]:
    return (item.json_text() for item in items)


def _item_key(parts: Iterable[str]) -> bytes:
    """The ``json_item_key`` made of *parts* (an item's fields and its articles' content digests)."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _digest(by_id: Mapping[str, Any], article: str) -> str:
    return str(getattr(by_id.get(article), "digest", ""))


def _cluster_item_key(cluster: Any, by_id: Mapping[str, Any]) -> bytes:
    # (its id, origin, and each member's article, span and that article's digest: its text and
    # metadata, which the citations quote)
    parts = [cluster.id, cluster.origin or ""]
    for m in cluster.members:
        parts += (m.article, str(m.start), str(m.end), _digest(by_id, m.article))
    return _item_key(parts)


def _entity_item_key(entity: Any, by_id: Mapping[str, Any]) -> bytes:
    # (its JSON is made of its fields alone: names, types, spans, roles)
    return _item_key((json.dumps(entity.to_cache()),))


def _quote_item_key(quote: Any, by_id: Mapping[str, Any]) -> bytes:
    # (every field but the words, which are slices of the article: see Quote.to_cache)
    return _item_key((json.dumps(quote.to_cache()), _digest(by_id, quote.article)))


def _each_to_cache(items: Any) -> Any:
    from kazreader.cache import JsonArray

    return JsonArray(items, lambda item: item.to_cache())


def _each_encoded(items: Any) -> Any:
    """The cache's JSON of a list of results (``to_json`` each), made as it is written."""
    from kazreader.cache import JsonArray

    return JsonArray(items, lambda item: item.to_json())


#: The analyses kazreader serves. Registering one here is all the faces need.
REGISTRY = Registry()
REGISTRY.register(Analysis(
    Stage.COMPARE, compute=_compare, encode=_each_encoded, decode=_decode_pairs, to_json=_each_to_json,
    sources=("kazreader.analysis.passages",), scope=Scope.PAIR, command=None,
))
REGISTRY.register(Analysis(
    Stage.CLUSTERS, compute=_clusters, encode=_each_to_cache, decode=_decode_clusters, to_json=_each_to_json,
    sources=("kazreader.analysis.clusters",), label="passages", command="passages",
    json_item_key=_cluster_item_key,
    help="passages carried by two or more articles, clustered",
))
REGISTRY.register(Analysis(
    Stage.STORIES, compute=_stories, encode=_each_encoded, decode=_decode_stories, to_json=_each_to_json,
    requires=(Stage.CLUSTERS,), sources=("kazreader.analysis.stories",),
    help="which articles report one event (shared words and passages, close dates)",
))
REGISTRY.register(Analysis(
    Stage.ENTITIES, compute=_entities, encode=_each_to_cache, decode=_decode_entities, to_json=_each_to_json,
    sources=("kazreader.analysis.entities",),  # (its word lists are named in gazetteer.py: found)
    in_child=True, json_texts=_each_json_text, json_item_key=_entity_item_key,
    help="people, organisations and places, variants merged",
))
REGISTRY.register(Analysis(
    Stage.QUOTES, compute=_quotes, encode=_each_to_cache, decode=_decode_quotes, to_json=_each_to_json,
    requires=(Stage.ENTITIES,), sources=("kazreader.analysis.quotes",),  # (word lists named in quotes/lexicon.py)
    in_child=True, json_item_key=_quote_item_key, help="quotations with their speakers, grouped by statement",
))
REGISTRY.register(Analysis(
    Stage.FIGURES, compute=_figures, encode=_encode_figures, decode=_decode_figures, to_json=_to_json,
    requires=(Stage.STORIES,), sources=("kazreader.analysis.figures",), help="numbers, what they count, and where outlets disagree",
))
