"""Workspace: id resolution, outlet sides and the content-hash cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kazreader.cache import AnalysisCache, content_key
from kazreader.workspace import AmbiguousReference, UnknownArticle, Workspace


def _corpus(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "a1.txt").write_text("First article about the harbour strike and its effects.\n", encoding="utf-8")
    (tmp_path / "a2.txt").write_text("Second article about the harbour strike and the unions.\n", encoding="utf-8")
    (tmp_path / "b1.txt").write_text("Something else entirely, on weather in the mountains.\n", encoding="utf-8")
    return tmp_path


def test_resolve_exact_prefix_ambiguous_unknown(tmp_path: Path) -> None:
    ws = Workspace([_corpus(tmp_path)])
    assert ws.resolve("a1").id == "a1"
    assert ws.resolve("b").id == "b1"
    with pytest.raises(AmbiguousReference) as amb:
        ws.resolve("a")
    assert amb.value.candidates == ["a1", "a2"]
    with pytest.raises(UnknownArticle) as unknown:
        ws.resolve("zzz")
    assert "zzz" in str(unknown.value)


def test_resolve_side_by_article_when_no_outlet(tmp_path: Path) -> None:
    ws = Workspace([_corpus(tmp_path)])
    side = ws.resolve_side("b1")
    assert [a.id for a in side.articles] == ["b1"]


def test_analyses_are_cached_on_disk_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path / "c")
    cache = tmp_path / "cache"
    first = Workspace([corpus], cache_dir=cache)
    ents = first.entities()
    files = list((cache / "analyses").glob("entities-*.json"))
    assert len(files) == 1

    from kazreader.analysis import entities as mod

    def boom(*_a, **_k):
        raise AssertionError("recomputed despite a warm cache")

    monkeypatch.setattr(mod, "extract_entities", boom)
    second = Workspace([corpus], cache_dir=cache)
    assert [e.name for e in second.entities()] == [e.name for e in ents]

    (corpus / "a1.txt").write_text("Changed text mentions Maria Lopez in Lisbon.\n", encoding="utf-8")
    third = Workspace([corpus], cache_dir=cache)
    with pytest.raises(AssertionError):
        third.entities()


@pytest.mark.parametrize("n", [0, 1, 2001, 4500])
def test_cache_writes_a_list_as_it_is_made(tmp_path: Path, n: int) -> None:
    """A list (or a :class:`JsonArray`) is written a slice at a time: the same entry as one ``json.dumps``."""
    import hashlib
    import json

    from kazreader.cache import _SUM_CHARS, _VALUE, JsonArray, _entry_head

    items = [{"i": i, "text": f"“quoted” {i}", "none": None} for i in range(n)]
    cache = AnalysisCache(tmp_path)
    key = content_key("demo", 1, ["abc"])
    cache.put(key, JsonArray(range(n), lambda i: items[i]))
    assert cache.get(key) == items
    body = json.dumps(items, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.blake2b(body.encode(), digest_size=_SUM_CHARS // 2).hexdigest()
    entry = (tmp_path / "analyses" / f"{key}.json").read_text(encoding="utf-8")
    assert entry == f"{_entry_head(key)}{digest}{_VALUE}{body}}}"
    cache.put(key, items)
    assert (tmp_path / "analyses" / f"{key}.json").read_text(encoding="utf-8") == entry
    nested = {"a": items, "b": {"c": [1, 2], "d": "e"}, "f": None}
    cache.put(key, nested)
    body = json.dumps(nested, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.blake2b(body.encode(), digest_size=_SUM_CHARS // 2).hexdigest()
    assert (tmp_path / "analyses" / f"{key}.json").read_text(encoding="utf-8") == (
        f"{_entry_head(key)}{digest}{_VALUE}{body}}}")


def test_cache_survives_corrupt_entries(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path)
    key = content_key("demo", 1, ["abc"])
    cache.put(key, {"x": 1})
    assert cache.get(key) == {"x": 1}
    (tmp_path / "analyses" / f"{key}.json").write_text("{torn", encoding="utf-8")
    assert cache.get(key) is None
    calls = []
    value = cache.memo(key, lambda: calls.append(1) or {"x": 2}, lambda v: v, lambda v: v)
    assert value == {"x": 2} and calls == [1]
    assert cache.get(key) == {"x": 2}


def test_content_key_depends_on_version_and_digests() -> None:
    assert content_key("a", 1, ["x"]) != content_key("a", 2, ["x"])
    assert content_key("a", 1, ["x"]) != content_key("a", 1, ["y"])
    assert content_key("a", 1, ["x"]) == content_key("a", 1, ["x"])


def test_outlets_match_by_name_prefix_word_or_initials(tmp_path: Path) -> None:
    for name, outlet in (("n1", "The New York Times"), ("n2", "The New York Times"),
                         ("a1", "Associated Press"), ("t1", "TRT World"), ("g1", "The Guardian")):
        (tmp_path / f"{name}.json").write_text(
            f'{{"id": "{name}", "source": "{outlet}", "text": "Some article text about {name}."}}',
            encoding="utf-8",
        )
    ws = Workspace([tmp_path])
    for ref in ("new york", "NYT", "the new york times", "times", "New-York Times"):
        assert ws.match_outlets(ref) == ["The New York Times"], ref
        assert [a.id for a in ws.resolve_side(ref).articles] == ["n1", "n2"]
    assert ws.match_outlets("ap") == ["Associated Press"]
    assert ws.match_outlets("guardian") == ["The Guardian"]
    assert ws.match_outlets("the") == ["The Guardian", "The New York Times"]
    assert ws.resolve_side("a1").articles[0].id == "a1"
    with pytest.raises(UnknownArticle) as err:
        ws.resolve_side("le monde")
    assert "no outlet or article" in str(err.value) and "TRT World" in str(err.value)


def test_reopening_an_unchanged_index_reads_no_analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index of an unchanged corpus is trusted by digest: entities and quotes stay unread."""
    corpus, cache = _corpus(tmp_path / "c"), tmp_path / "cache"
    ws = Workspace([corpus], cache_dir=cache)
    assert {h.id for h in ws.search("harbour").hits} == {"a1", "a2"}
    ws.close()

    def fail(self: Workspace) -> None:
        raise AssertionError("an analysis was read to re-open an unchanged index")

    monkeypatch.setattr(Workspace, "entities", fail)
    monkeypatch.setattr(Workspace, "quotes", fail)
    ws = Workspace([corpus], cache_dir=cache)
    assert {h.id for h in ws.search("harbour").hits} == {"a1", "a2"}
    ws.close()
    monkeypatch.undo()
    # an edited article: its extras are recomputed and the index follows it
    (corpus / "b1.txt").write_text("Weather news: the harbour froze over.\n", encoding="utf-8")
    ws = Workspace([corpus], cache_dir=cache)
    assert {h.id for h in ws.search("harbour").hits} == {"a1", "a2", "b1"}
    ws.close()


def _entries(cache: Path) -> set[str]:
    return {p.stem for p in (cache / "analyses").glob("*.json") if not p.name.startswith(".tmp-")}


def test_prune_keeps_what_the_corpus_reaches_and_removes_the_rest(tmp_path: Path) -> None:
    corpus, cache = _corpus(tmp_path / "c"), tmp_path / "cache"
    ws = Workspace([corpus], cache_dir=cache)
    ws.entities()
    ws.compare(ws.by_id["a1"], ws.by_id["a2"])
    ws.compare(ws.by_id["a1"], ws.by_id["b1"])
    ws.cache.put("figures-0123456789abcdef0123456789abcdef", {"figures": [], "disagreements": []})
    ws.cache.put("compare-000000000000000000000000-aaaa-bbbb", [])
    (cache / "analyses" / ".tmp-being-written.json").write_text("{", encoding="utf-8")
    before = _entries(cache)
    assert ws.prune_cache() == 2  # the foreign figures entry and the stale-source compare entry
    assert _entries(cache) == before - {"figures-0123456789abcdef0123456789abcdef",
                                        "compare-000000000000000000000000-aaaa-bbbb"}
    assert (cache / "analyses" / ".tmp-being-written.json").exists()  # another process' write
    kept = _entries(cache)
    # an edited article: the corpus-wide entries and its pair go, the other pair stays
    (corpus / "b1.txt").write_text("Weather news: the harbour froze over.\n", encoding="utf-8")
    ws2 = Workspace([corpus], cache_dir=cache)
    ws2.prune_cache()
    left = _entries(cache)
    assert len(left) == 1 and left < kept and next(iter(left)).startswith("compare-")
    assert ws2.compare(ws2.by_id["a1"], ws2.by_id["a2"]) == ws.compare(ws.by_id["a1"], ws.by_id["a2"])
    assert _entries(cache) == left  # read, not recomputed


def test_ingest_prunes_the_cache(tmp_path: Path) -> None:
    corpus, cache = _corpus(tmp_path / "c"), tmp_path / "cache"
    Workspace([corpus], cache_dir=cache).entities()
    (corpus / "a1.txt").write_text("An edited first article about the harbour.\n", encoding="utf-8")
    ws = Workspace([corpus], cache_dir=cache)
    ws.ingest(processes=1)
    from kazreader.analysis.registry import REGISTRY

    assert _entries(cache) == {ws.analysis_key(a.name) for a in REGISTRY.corpus()}
    ws.close()


def test_a_hand_edited_entry_that_is_still_valid_json_is_recomputed(tmp_path: Path) -> None:
    """Entries carry a checksum of their value: an edit that keeps the JSON valid is caught."""
    cache = AnalysisCache(tmp_path)
    key = content_key("demo", 1, ["abc"])
    cache.put(key, {"deaths": 12})
    path = tmp_path / "analyses" / f"{key}.json"
    json.loads(path.read_text(encoding="utf-8"))  # one JSON document
    path.write_text(path.read_text(encoding="utf-8").replace("12", "21"), encoding="utf-8")
    messages: list[str] = []
    cache.on_message = messages.append
    assert cache.get(key) is None
    assert messages == [f"cache entry {key} was corrupt; recomputed"]


def test_a_search_does_not_wait_for_an_analysis_another_thread_computes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader's warm-up computes passages in one thread while the user searches in another:
    the search (and another analysis) goes on; the passages, asked for twice, are computed once."""
    import threading

    from kazreader.analysis import clusters

    ws = Workspace(cache_dir=tmp_path / "c")  # (the bundled corpus)
    ws.index()
    started, release = threading.Event(), threading.Event()
    calls = []
    real = clusters.cluster_passages

    def slow(*args: object, **kwargs: object) -> object:
        calls.append(1)
        started.set()
        assert release.wait(60)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(clusters, "cluster_passages", slow)
    results: list[object] = []
    warm = threading.Thread(target=lambda: results.append(ws.clusters()))
    twice = threading.Thread(target=lambda: results.append(ws.clusters()))
    warm.start()
    assert started.wait(60)
    twice.start()
    try:
        assert ws.search("almaty").total > 0  # (would wait for release under one workspace lock)
        assert ws.entities()
    finally:
        release.set()
        warm.join(60)
        twice.join(60)
    assert len(calls) == 1 and len(results) == 2 and results[0] is results[1]
