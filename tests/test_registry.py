"""The analysis registry: one registration reaches every face, and cache keys follow the files."""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kazreader.analysis.registry import REGISTRY, Analysis, Inputs, Registry, Scope, Stage
from kazreader.analysis.sources import module_files, package_root, source_digest
from kazreader.cli import main
from kazreader.workspace import Workspace

FLOOD = Path(__file__).parent / "data" / "flood"


def _count_words(inputs: Inputs) -> Any:
    from toypkg.count import count  # type: ignore[import-not-found]

    return count(inputs.articles)


def _total(inputs: Inputs) -> Any:
    return sum(inputs.results["toy"].values())


def _same(value: Any, inputs: Inputs | None = None) -> Any:
    return value


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A toy package on ``sys.path``, and two analyses over it registered through the registry alone."""
    pkg = tmp_path / "toy" / "toypkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "helper.py").write_text("def words(text):\n    return len(text.split())\n", encoding="utf-8")
    (pkg / "count.py").write_text(
        "from toypkg.helper import words\n\nWEIGHTS = 'weights.tsv'  # read from data/\n\n\ndef count(articles):\n"
        "    return {a.id: words(a.text) for a in articles}\n",
        encoding="utf-8",
    )
    (pkg / "data").mkdir()
    (pkg / "data" / "weights.tsv").write_text("a\t1\n", encoding="utf-8")
    (pkg / "table.tsv").write_text("one\t1\n", encoding="utf-8")
    (tmp_path / "toy" / "stop.txt").write_text("the\n", encoding="utf-8")
    _forget_toypkg()
    monkeypatch.syspath_prepend(str(tmp_path / "toy"))
    REGISTRY.register(Analysis(
        "toy", _count_words, _same, _same, _same,
        sources=("toypkg.count",), data=(str(tmp_path / "toy" / "stop.txt"),), help="words per article",
    ))
    REGISTRY.register(Analysis("toytotal", _total, _same, _same, _same, requires=("toy",), command=None))
    REGISTRY.register(Analysis("toypkg", _total, _same, _same, _same, requires=("toy",), sources=("toypkg",)))
    try:
        yield pkg
    finally:
        for name in ("toypkg", "toytotal", "toy"):
            REGISTRY.unregister(name)
        _forget_toypkg()


def _forget_toypkg() -> None:
    """Each test's toy package is a new one (another test's may be imported already)."""
    for name in [m for m in sys.modules if m == "toypkg" or m.startswith("toypkg.")]:
        del sys.modules[name]
    importlib.invalidate_caches()


def _words(ws: Workspace) -> dict[str, int]:
    return {a.id: len(a.text.split()) for a in ws.articles}


def test_a_registered_analysis_is_a_cli_command_with_json(toy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["toy", "--json", "--corpus", str(FLOOD)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == _words(Workspace([FLOOD]))
    assert main(["toy", "--corpus", str(FLOOD)]) == 0  # for people: its JSON, indented
    assert "reuters" in capsys.readouterr().out
    with pytest.raises(SystemExit):  # command=None: no subcommand
        main(["toytotal", "--json"])
    capsys.readouterr()


def test_a_registered_analysis_is_a_stage_of_the_ingest(
    toy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kazreader import ingest_process

    monkeypatch.setattr(os, "nice", lambda n: 0)  # the test process keeps its priority
    assert ingest_process.main(["--cache-dir", str(tmp_path / "cache"), "--", str(FLOOD)]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    progress = {e["progress"][0] for e in events if "progress" in e}
    stored = [e["stored"] for e in events if "stored" in e]
    assert {"toy", "toytotal", "toypkg", "passages", "figures", "index"} <= progress
    assert {"toy", "toytotal", "toypkg", "clusters", "entities", "quotes", "figures", "index"} <= set(stored)
    assert stored[-1] == "index"
    assert {"toy", "toytotal"} <= set(events[-1]["done"])
    ws = Workspace([FLOOD], cache_dir=tmp_path / "cache")
    assert ws.pending() == []
    assert ws.result("toytotal") == sum(_words(ws).values())


def test_the_status_line_and_pending_list_every_registered_analysis(toy: Path, tmp_path: Path) -> None:
    from kazreader.ui.widgets.status import stages

    names = [name for name, _label in stages()]
    assert names == ["clusters", "stories", "entities", "quotes", "figures", "toy", "toytotal", "toypkg", "index"]
    assert ("clusters", "passages") in stages()
    assert Workspace([FLOOD], cache_dir=tmp_path / "c").pending()[-3:] == ["toy", "toytotal", "toypkg"]


def _keys(cache: Path) -> dict[str, str]:
    ws = Workspace([FLOOD], cache_dir=cache)
    return {a.name: ws.analysis_key(a.name) for a in REGISTRY.corpus()}


def _changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def test_editing_a_file_invalidates_exactly_its_analysis_and_dependants(toy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "c"
    base = _keys(cache)
    assert base == _keys(cache)  # stable
    (toy / "helper.py").write_text("def words(text):\n    return len(text.split())  # edited\n", encoding="utf-8")
    after_import = _keys(cache)  # a module the declared one imports
    assert _changed(base, after_import) == {"toy", "toytotal", "toypkg"}
    (toy.parent / "stop.txt").write_text("the\na\n", encoding="utf-8")
    after_data = _keys(cache)  # a declared data file
    assert _changed(after_import, after_data) == {"toy", "toytotal", "toypkg"}
    (toy / "table.tsv").write_text("one\t2\n", encoding="utf-8")
    after_package_data = _keys(cache)  # a data file inside a package declared whole
    assert _changed(after_data, after_package_data) == {"toypkg"}
    (toy / "data" / "weights.tsv").write_text("a\t2\n", encoding="utf-8")
    after_named = _keys(cache)  # a data file the module names, found without being declared
    assert _changed(after_package_data, after_named) == {"toy", "toytotal", "toypkg"}


def test_editing_a_shipped_data_file_invalidates_entities_and_quotes_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "known.txt"
    shutil.copy(package_root() / "analysis" / "data" / "known.txt", copy)
    entities = REGISTRY[Stage.ENTITIES]
    monkeypatch.setitem(REGISTRY._items, Stage.ENTITIES, dataclasses.replace(entities, data=(str(copy),)))
    cache = tmp_path / "c"
    base = _keys(cache)
    with copy.open("a", encoding="utf-8") as fh:
        fh.write("Example Organisation\n")
    assert _changed(base, _keys(cache)) == {"entities", "quotes"}


def test_an_edited_result_is_recomputed_not_read_stale(toy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "c"
    first = Workspace([FLOOD], cache_dir=cache).result("toy")
    (toy / "helper.py").write_text("def words(text):\n    return -1\n", encoding="utf-8")
    _forget_toypkg()
    second = Workspace([FLOOD], cache_dir=cache).result("toy")
    assert set(first.values()) != {-1} and set(second.values()) == {-1}


def test_the_shipped_word_lists_are_found_from_the_module_that_names_them() -> None:
    from kazreader.analysis.sources import _closure

    files = {path.name for _label, path in _closure(REGISTRY[Stage.ENTITIES].sources)}
    assert {"known.txt", "places.txt", "lexicon.txt"} <= files


def test_every_built_in_analysis_depends_on_its_code_and_the_text_module() -> None:
    for analysis in REGISTRY:
        assert source_digest(analysis.sources, analysis.data)
    from kazreader.analysis.sources import _closure

    for analysis in REGISTRY:
        labels = {label for label, _path in _closure(analysis.sources)}
        assert "kazreader.text" in labels, analysis.name
        assert set(analysis.sources) <= labels


def test_module_files_of_a_module_and_of_a_package(toy: Path) -> None:
    assert [label for label, _ in module_files("toypkg.count")] == ["toypkg.count"]
    whole = {label for label, _ in module_files("toypkg")}
    assert whole == {"toypkg", "toypkg.count", "toypkg.helper", "toypkg/table.tsv", "toypkg/data/weights.tsv"}
    assert [label for label, _ in module_files("toypkg", whole=False)] == ["toypkg"]
    with pytest.raises(LookupError):
        module_files("toypkg.nothing")


def test_the_registry_refuses_unknown_dependencies_and_duplicates() -> None:
    reg = Registry()
    a = Analysis("a", _same, _same, _same, _same)
    reg.register(a)
    with pytest.raises(ValueError):
        reg.register(a)
    with pytest.raises(ValueError):
        reg.register(Analysis("b", _same, _same, _same, _same, requires=("zzz",)))
    with pytest.raises(ValueError):
        reg.register(Analysis("index", _same, _same, _same, _same))
    reg.register(Analysis("c", _same, _same, _same, _same, requires=("a",), scope=Scope.PAIR))
    assert [x.name for x in reg.corpus()] == ["a"]
    with pytest.raises(ValueError):  # a result per pair is no input of anything
        reg.register(Analysis("d", _same, _same, _same, _same, requires=("c",)))
    with pytest.raises(ValueError):
        reg.unregister("a")
    assert reg.by_label("a") == "a" and reg.by_label("index") == "index"


def test_source_digests_are_kept_between_processes_until_a_file_changes(
    toy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second workspace (another process) reads the digests from the memo file instead of
    parsing the modules again; an edited module is parsed again."""
    from kazreader.analysis import sources

    cache = tmp_path / "c"
    base = _keys(cache)
    parsed: list[tuple[str, ...]] = []
    real = sources.source_digest
    monkeypatch.setattr(sources, "source_digest", lambda m, d=(), **kw: parsed.append(tuple(m)) or real(m, d, **kw))
    assert _keys(cache) == base and parsed == []
    (toy / "helper.py").write_text("def words(text):\n    return len(text.split())  # edited again\n", encoding="utf-8")
    assert _changed(base, _keys(cache)) == {"toy", "toytotal", "toypkg"}
    assert ("toypkg",) in parsed and ("kazreader.analysis.clusters",) not in parsed


def test_every_word_list_an_analysis_reads_is_in_its_digest() -> None:
    """A data file read from a package above the module that names it counts too: the figures'
    lexicon is ``analysis/data/figures.txt``, named in ``analysis/figures/lexicon.py`` (an edit to it
    once left every figures cache stale)."""
    from kazreader.analysis.sources import _closure

    def data(name: str) -> set[str]:
        return {path.name for _label, path in _closure(REGISTRY[name].sources) if path.suffix != ".py"}

    assert "figures.txt" in data(Stage.FIGURES)
    assert {"quote_lexicon.txt", "given_names.tsv"} <= data(Stage.QUOTES)  # (found, no longer declared)
    shipped = {p.name for p in (Path(__file__).resolve().parents[1] / "kazreader" / "analysis" / "data").iterdir()
               if p.suffix in (".txt", ".tsv")}
    read = set().union(*(data(a.name) | {Path(d).name for d in a.data} for a in REGISTRY))
    assert shipped <= read, shipped - read
