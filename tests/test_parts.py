"""The per-article parts store (kazreader.parts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazreader.parts import PartsFile, PartStore


@pytest.fixture(params=["disk", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> PartStore:
    path = tmp_path / "parts.sqlite" if request.param == "disk" else None
    return PartStore(PartsFile(path), "entities:abc")


def test_map_computes_only_the_missing_parts(store: PartStore) -> None:
    asked: list[list[str]] = []

    def compute(keys: list[str]) -> dict[str, object]:
        asked.append(keys)
        return {k: {"n": len(k), "text": "café “quoted”"} for k in keys}

    first = store.map(["aa", "bbb", "aa"], compute)
    assert first == {"aa": {"n": 2, "text": "café “quoted”"}, "bbb": {"n": 3, "text": "café “quoted”"}}
    again = store.map(["bbb", "cccc"], compute)
    assert asked == [["aa", "bbb"], ["cccc"]]
    assert again["cccc"] == {"n": 4, "text": "café “quoted”"}


def test_fill_stores_only_the_missing_parts_and_reads_none_back(store: PartStore) -> None:
    asked: list[list[str]] = []

    def compute(keys: list[str]) -> dict[str, object]:
        asked.append(keys)
        return {k: [k.upper()] for k in keys}

    store.put_many({"bb": ["stored before"]})
    assert store.stored(["aa", "bb", "cc"]) == {"bb"}
    assert store.fill(["aa", "bb", "aa", "cc"], compute) == 2
    assert asked == [["aa", "cc"]]
    assert store.fill(["cc", "aa"], compute) == 0 and len(asked) == 1
    assert store.get_many(["aa", "bb", "cc"]) == {"aa": ["AA"], "bb": ["stored before"], "cc": ["CC"]}
    # (another namespace of the same file sees none of them)
    assert PartStore(store.file, "other:ns").stored(["aa", "bb"]) == set()


def test_namespaces_are_apart_and_prune_keeps_what_is_alive(tmp_path: Path) -> None:
    file = PartsFile(tmp_path / "parts.sqlite")
    old, new = PartStore(file, "x:1"), PartStore(file, "x:2")
    old.put_many({"d1": 1})
    new.put_many({"d1": 2, "d2": [2] * 3000, "d1-d2": "pair"})
    assert old.get_many(["d1"]) == {"d1": 1} and new.get_many(["d1"]) == {"d1": 2}
    assert new.get_many(["d2"])["d2"] == [2] * 3000  # (stored compressed)
    removed = file.prune({"x:2"}, lambda key: "d2" not in key.split("-"))
    assert removed == 3
    assert old.get_many(["d1"]) == {} and new.get_many(["d1", "d2", "d1-d2"]) == {"d1": 2}


def test_a_damaged_file_is_a_miss_and_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "parts.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    messages: list[str] = []
    store = PartStore(PartsFile(path, on_message=messages.append), "q:1")
    assert store.get_many(["a"]) == {}
    store.put_many({"a": 1})
    assert store.get_many(["a"]) == {"a": 1}
    assert any("damaged" in m for m in messages)


def test_parts_survive_a_new_connection(tmp_path: Path) -> None:
    path = tmp_path / "parts.sqlite"
    first = PartsFile(path)
    PartStore(first, "n:1").put_many({"k": {"a": [1, 2]}})
    first.close()
    assert PartStore(PartsFile(path), "n:1").get_many(["k"]) == {"k": {"a": [1, 2]}}


def test_a_locked_file_is_a_miss_never_removed(tmp_path: Path) -> None:
    """Another process holding the lock past the timeout loses one read or write, not the file:
    a first ingest's parent and child share it (removing it lost every part the other wrote)."""
    import sqlite3

    path = tmp_path / "parts.sqlite"
    PartStore(PartsFile(path), "e:1").put_many({"kept": 1})
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # (as a long write of the other process, past the timeout)
    messages: list[str] = []
    file = PartsFile(path, on_message=messages.append)
    file.busy_timeout = 0.05
    store = PartStore(file, "e:1")
    # (a write-ahead log: reading goes on; writing waits, then gives up)
    assert store.map(["kept", "new"], lambda keys: {k: 2 for k in keys}) == {"kept": 1, "new": 2}
    store.put_many({"late": 3})
    other.execute("ROLLBACK")
    other.close()
    assert path.exists() and not any("damaged" in m for m in messages)
    assert len([m for m in messages if "could not be used" in m]) == 1
    assert store.get_many(["kept", "new", "late"]) == {"kept": 1}  # the file and its parts are still there
    store.put_many({"later": 4})
    assert PartStore(PartsFile(path), "e:1").get_many(["kept", "later"]) == {"kept": 1, "later": 4}
