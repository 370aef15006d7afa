"""Incremental by construction: after a file is touched, added or removed, every analysis read
from the stored per-article parts equals a clean build of the same files."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from kazreader.analysis.registry import Stage
from kazreader.workspace import Workspace

ABP = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "abp-dev"
#: Three stories of different topics (a few articles each), beside the bundled seeds.
STORIES = ("terrorism/2016-09-19", "immigration", "coronavirus")
ANALYSES = (Stage.CLUSTERS, Stage.STORIES, Stage.ENTITIES, Stage.QUOTES, Stage.FIGURES)


def _corpus(seeds: Path, into: Path) -> Path:
    shutil.copytree(seeds, into)
    if ABP.is_dir():
        for name in STORIES:
            folder = ABP / name
            for f in sorted(folder.rglob("*.json"))[:4]:
                shutil.copy(f, into / f"abp_{f.parent.name}_{f.name}")
    return into


def _digests(ws: Workspace) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in ANALYSES:
        result: Any = ws.result(name)
        raw = result.to_json() if hasattr(result, "to_json") else [x.to_json() for x in result]
        out[name] = hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()
    return out


def _clean(folder: Path, tmp: Path, *, plain: bool = False) -> dict[str, str]:
    cache = tmp / f"clean-{len(list(tmp.iterdir()))}"
    ws = Workspace([folder], cache_dir=cache)
    try:
        if plain:
            _same_as_plain_functions(ws)
        return _digests(ws)
    finally:
        ws.close()


def _same_as_plain_functions(ws: Workspace) -> None:
    """The analyses built from parts equal the package functions run on the whole corpus at once."""
    from kazreader.analysis.entities import extract_entities
    from kazreader.analysis.figures import extract_figures
    from kazreader.analysis.quotes import extract_quotes
    from kazreader.analysis.stories import story_of

    entities = extract_entities(ws.articles)
    assert _as_json(ws.entities()) == _as_json(entities)
    assert _as_json(ws.quotes()) == _as_json(extract_quotes(ws.articles, entities))
    assert ws.figures().to_json() == extract_figures(ws.articles, story_of(ws.result(Stage.STORIES))).to_json()


def _scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the entities scan article by article from now on (parts not found)."""
    from kazreader.analysis.entities import extract

    seen: list[str] = []
    original = extract.article_part

    def counting(text: str) -> dict[str, Any]:
        seen.append(text)
        return original(text)

    monkeypatch.setattr(extract, "article_part", counting)
    return seen


def test_touch_add_delete_equal_a_clean_build(seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _corpus(seeds, tmp_path / "corpus")
    cache = tmp_path / "incremental"
    builds = tmp_path / "builds"
    builds.mkdir()

    def incremental() -> dict[str, str]:
        ws = Workspace([folder], cache_dir=cache)
        try:
            return _digests(ws)
        finally:
            ws.close()

    assert incremental() == _clean(folder, builds)
    files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".json"))
    n = len(files)
    scans = _scans(monkeypatch)

    touched = files[0]
    touched.write_text(touched.read_text(encoding="utf-8") + "\n\nSenator Jane Doe said 40 people were hurt.\n",
                       encoding="utf-8")
    changed = incremental()
    assert len(scans) == 1  # only the touched article is scanned again
    assert changed == _clean(folder, builds)

    added = folder / f"added{files[1].suffix}"
    shutil.copy(files[1], added)
    if added.suffix == ".txt":
        added.write_text(added.read_text(encoding="utf-8").replace("Kazakhstan", "Kyrgyzstan"), encoding="utf-8")
    assert incremental() == _clean(folder, builds)

    files[-1].unlink()
    assert incremental() == _clean(folder, builds, plain=True)
    assert n > 4


def _as_json(items: Any) -> Any:
    return [x.to_json() for x in items]


def test_a_name_with_a_number_another_article_writes_rescans_the_article(tmp_path: Path) -> None:
    """Parts are scanned alone: "Su 30" reads as one name only once another article writes "Su-30"."""
    from builders import art

    from kazreader.analysis.entities import extract_entities
    from kazreader.analysis.quotes import extract_quotes
    from kazreader.parts import PartsFile, PartStore

    arts = [
        art("a", "Russia sent the Su-30 jets on Monday, Defence Minister Sergei Shoigu said."),
        art("b", "The Su 30 jets landed in Almaty. “We are ready,” said General Ivan Petrov of the Air Force."),
        art("c", "Liquefied petroleum gas (LPG) prices rose in Zhanaozen, Mr. Petrov said on Tuesday."),
    ]
    plain = extract_entities(arts)
    for path in (tmp_path / "parts.sqlite", None):
        ents = PartStore(PartsFile(path), "entities:t")
        quotes = PartStore(PartsFile(path), "quotes:t")
        for _ in range(2):  # computed, then read back
            found = extract_entities(arts, ents)
            assert _as_json(found) == _as_json(plain)
            assert _as_json(extract_quotes(arts, found, quotes)) == _as_json(extract_quotes(arts, plain))
    # without article a, b's part is read as scanned alone
    assert _as_json(extract_entities(arts[1:], ents)) == _as_json(extract_entities(arts[1:]))


@pytest.mark.parametrize("on_disk", [True, False])
def test_a_part_computed_from_new_inputs_replaces_the_articles_old_one(tmp_path: Path, on_disk: bool) -> None:
    from kazreader.parts import PartsFile, PartStore

    file = PartsFile(tmp_path / "parts.sqlite" if on_disk else None)
    store, other = PartStore(file, "quotes:1"), PartStore(file, "figures:1")
    store.put_many({"d1:old": 1, "d2:old": 2, "d10:x": 3})
    other.put_many({"d1:old": 4})
    store.map(["d1:new", "d2:old"], lambda keys: {k: 5 for k in keys})
    assert store.get_many(["d1:old", "d1:new", "d2:old", "d10:x"]) == {"d1:new": 5, "d2:old": 2, "d10:x": 3}
    assert other.get_many(["d1:old"]) == {"d1:old": 4}


def test_edits_that_merge_and_split_a_name_equal_a_clean_build(tmp_path: Path) -> None:
    """A bare surname joins the one person of that name the corpus names in full, and leaves them when
    a second one appears: each change (add, edit, delete) gives the entities of a clean build."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    builds = tmp_path / "builds"
    builds.mkdir()

    def write(name: str, title: str, body: str) -> None:
        (folder / name).write_text(f"date 2023-03-0{len(list(folder.iterdir())) + 1}\n\n{title}\n\n{body}\n",
                                   encoding="utf-8")

    def entities(cache: Path) -> tuple[str, list[dict[str, Any]]]:
        ws = Workspace([folder], cache_dir=cache)
        try:
            raw = _as_json(ws.entities())
        finally:
            ws.close()
        return hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest(), raw

    def step() -> list[dict[str, Any]]:
        digest, raw = entities(tmp_path / "incremental")
        assert digest == entities(builds / str(len(list(builds.iterdir()))))[0]
        return raw

    def bare_joins_jane(raw: list[dict[str, Any]]) -> bool:
        return any(e["name"].endswith("Doeson") and e["name"].startswith("Jane") and "alpha" in e["mentions"]
                   for e in raw)

    write("alpha.txt", "Budget talks stall", "Doeson said the budget talks had stalled again on Monday.")
    write("beta.txt", "Port reopens", "The port of Aktau reopened on Tuesday, officials said.")
    assert not bare_joins_jane(step())
    write("gamma.txt", "Minister visits", "Finance Minister Jane Q. Doeson visited Astana on Wednesday.")
    assert bare_joins_jane(step())  # merged: the only Doeson named in full
    write("delta.txt", "Coach resigns", "Coach Peter Doeson resigned after the final on Thursday.")
    assert not bare_joins_jane(step())  # split: two Doesons, alpha names neither
    (folder / "delta.txt").unlink()
    assert bare_joins_jane(step())
    write("gamma.txt", "Minister visits", "The finance minister visited Astana on Wednesday.")
    assert not bare_joins_jane(step())
