"""The CLI's printed items kept per item (kazreader.itemcache): what is read back equals what would be
made, a change makes only its items again, and a damaged, short, foreign or locked file is a miss."""

from __future__ import annotations

import fcntl
import json
import shutil
from pathlib import Path

import pytest

from kazreader.itemcache import ItemCache, cached_texts


def key(item: str) -> bytes:
    return item.encode().ljust(16, b".")[:16]


class Maker:
    """Makes an item's text and counts what it was asked for."""

    def __init__(self, salt: str = "") -> None:
        self.made: list[str] = []
        self.salt = salt

    def __call__(self, item: str) -> bytes:
        self.made.append(item)
        return f"<{item}{self.salt}>".encode() * 3


def printed(folder: Path | None, items: list[str], make: Maker, version: str = "v1") -> list[bytes]:
    return list(cached_texts(ItemCache(folder, "things", version), items, key, make))


def test_items_are_read_back_as_made_and_only_new_ones_are_made(tmp_path: Path) -> None:
    first, second = Maker(), Maker()
    items = [f"item{k}" for k in range(50)]
    made = printed(tmp_path, items, first)
    assert first.made == items
    assert printed(tmp_path, items, second) == made and second.made == []
    third = Maker()
    changed = [*items[:10], "new-one", *items[11:]]
    out = printed(tmp_path, changed, third)
    assert third.made == ["new-one"] and out == [Maker()(i) for i in changed]
    # the item no longer printed is no longer indexed
    fourth = Maker()
    assert printed(tmp_path, items, fourth) == made and fourth.made == ["item10"]


def test_many_changes_compact_the_data_file_and_keep_every_item_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kazreader.itemcache as itemcache

    monkeypatch.setattr(itemcache, "_COMPACT_OVER", 100)
    items = [f"item{k}" for k in range(20)]
    printed(tmp_path, items, Maker())
    for round_ in range(6):
        shown = [f"round{round_}-{k}" for k in range(15)] + items[:5]
        assert printed(tmp_path, shown, Maker()) == [Maker()(i) for i in shown]
    data = list(tmp_path.glob("items-things-*.bin"))
    assert len(data) == 1 and data[0].name != "items-things-0.bin"  # (compacted into a later generation)
    live = sum(len(Maker()(i)) for i in shown)
    assert data[0].stat().st_size <= 2 * live
    again = Maker()
    assert printed(tmp_path, shown, again) == [Maker()(i) for i in shown] and again.made == []


def test_a_damaged_item_is_made_again(tmp_path: Path) -> None:
    items = ["a", "b", "c"]
    printed(tmp_path, items, Maker())
    (data,) = tmp_path.glob("items-things-*.bin")
    raw = bytearray(data.read_bytes())
    raw[len(Maker()("a")) + 2] ^= 0xFF  # inside "b"
    data.write_bytes(bytes(raw))
    again = Maker()
    assert printed(tmp_path, items, again) == [Maker()(i) for i in items] and again.made == ["b"]


@pytest.mark.parametrize("damage", ["short data", "torn index", "garbage index", "no data"])
def test_a_short_or_unreadable_file_starts_afresh(tmp_path: Path, damage: str) -> None:
    items = ["a", "b", "c"]
    printed(tmp_path, items, Maker())
    (data,) = tmp_path.glob("items-things-*.bin")
    index = tmp_path / "items-things.idx"
    if damage == "short data":
        data.write_bytes(data.read_bytes()[:-4])
    elif damage == "torn index":
        index.write_bytes(index.read_bytes()[:-5])
    elif damage == "garbage index":
        index.write_bytes(b"\x00\xff" * 40)
    else:
        data.unlink()
    again = Maker()
    assert printed(tmp_path, items, again) == [Maker()(i) for i in items] and again.made == items
    last = Maker()
    assert printed(tmp_path, items, last) == [Maker()(i) for i in items] and last.made == []


def test_another_version_makes_everything_again_and_drops_the_old_files(tmp_path: Path) -> None:
    items = ["a", "b"]
    printed(tmp_path, items, Maker())
    newer, expected = Maker("-v2"), [Maker("-v2")(i) for i in items]
    assert printed(tmp_path, items, newer, version="v2") == expected and newer.made == items
    assert len(list(tmp_path.glob("items-things-*.bin"))) == 1
    again = Maker("-v2")
    assert printed(tmp_path, items, again, version="v2") == expected and again.made == []


def test_no_folder_caches_nothing(tmp_path: Path) -> None:
    one, two = Maker(), Maker()
    assert printed(None, ["a"], one) == printed(None, ["a"], two) and one.made == two.made == ["a"]


def test_a_second_writer_prints_without_saving(tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    with open(tmp_path / "items-things.lock", "ab") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        first = Maker()
        assert printed(tmp_path, ["a", "b"], first) == [Maker()(i) for i in "ab"]
    assert not list(tmp_path.glob("items-things-*.bin"))
    second = Maker()
    printed(tmp_path, ["a", "b"], second)
    assert second.made == ["a", "b"]


# -- passages --json and quotes --json through the cache -----------------------------------------


def _printed(capsys: pytest.CaptureFixture[str], command: str, corpus: Path) -> str:
    from kazreader.cli import main

    assert main([command, "--json", "--corpus", str(corpus)]) == 0
    return capsys.readouterr().out


def _uncached(capsys: pytest.CaptureFixture[str], command: str, corpus: Path) -> str:
    """What the generic writer prints for the same result (enriched, laid out, escaped)."""
    from kazreader import cli
    from kazreader.analysis.registry import REGISTRY

    from kazreader.workspace import Workspace

    analysis = REGISTRY.by_command(command)
    assert analysis is not None and analysis.json_item_key is not None
    ws = Workspace([str(corpus)])
    try:
        cli._cited_json(command, ws)(analysis.to_json(ws.result(analysis.name)))
    finally:
        ws.close()
    return capsys.readouterr().out


@pytest.mark.parametrize("command", ["passages", "quotes"])
def test_items_read_back_are_the_generic_writers_bytes_after_a_metadata_edit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds: Path, command: str
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds, corpus)
    first = _printed(capsys, command, corpus)
    assert first == _printed(capsys, command, corpus) == _uncached(capsys, command, corpus)
    assert len(json.loads(first)) >= 3
    # An article gets another outlet name (metadata only: the spans found in it stay): the
    # citations that name it change, and only the items without it may be read back.
    assert '"TRT World"' in first
    toml = corpus / "corpus.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"TRT World"', '"Renamed Outlet Weekly"'),
                    encoding="utf-8")
    after = _printed(capsys, command, corpus)
    assert after == _uncached(capsys, command, corpus)
    assert "Renamed Outlet Weekly" in after and "TRT World" not in after


def test_a_writer_whose_generation_was_compacted_away_meanwhile_leaves_a_right_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kazreader.itemcache as itemcache

    monkeypatch.setattr(itemcache, "_COMPACT_OVER", 10)
    old = [f"old{k}" for k in range(10)]
    printed(tmp_path, old, Maker())
    slow = ItemCache(tmp_path, "things", "v1")  # reads the index now, writes later
    assert slow.get(key("old0")) == Maker()("old0")
    fresh = [f"fresh{k}" for k in range(10)]
    printed(tmp_path, fresh, Maker())  # another process: compacts into a new generation
    slow.put(key("late"), Maker()("late"))
    slow.save()
    every = [*old, *fresh, "late"]
    again = Maker()
    assert printed(tmp_path, every, again) == [Maker()(i) for i in every]
    assert "late" not in again.made


def test_entities_read_back_are_the_generic_writers_bytes_after_a_text_edit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds: Path
) -> None:
    from kazreader import cli
    from kazreader.analysis.registry import REGISTRY
    from kazreader.workspace import Workspace

    def generic() -> str:
        ws = Workspace([str(corpus)])
        try:
            cli._print_json(REGISTRY["entities"].to_json(ws.entities()))
        finally:
            ws.close()
        return capsys.readouterr().out

    corpus = tmp_path / "corpus"
    shutil.copytree(seeds, corpus)
    first = _printed(capsys, "entities", corpus)
    assert first == _printed(capsys, "entities", corpus) == generic()
    # A new mention of an entity the corpus knows moves its counts and spans, not the others'.
    target = sorted(corpus.glob("*.txt"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n\nTokayev spoke again on Friday.\n", encoding="utf-8")
    after = _printed(capsys, "entities", corpus)
    assert after == generic() and after != first


def test_a_filtered_run_keeps_the_items_it_did_not_read(tmp_path: Path) -> None:
    items = [f"item{k}" for k in range(10)]
    printed(tmp_path, items, Maker())
    subset = ItemCache(tmp_path, "things", "v1", keep_unread=True)
    assert list(cached_texts(subset, [*items[:2], "new"], key, Maker())) == [Maker()(i) for i in [*items[:2], "new"]]
    again = Maker()
    assert printed(tmp_path, [*items, "new"], again) == [Maker()(i) for i in [*items, "new"]] and again.made == []
