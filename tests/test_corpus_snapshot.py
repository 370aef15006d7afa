"""The corpus snapshot: re-opening reads only added or changed files (kazreader.corpus.snapshot)."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from kazreader.corpus import loader as loader_mod
from kazreader.corpus import load_corpus
from kazreader.corpus.model import Article, Corpus
from kazreader.corpus.snapshot import SNAPSHOT_NAME, Snapshot, read_payload, write_payload
from kazreader.workspace import Workspace

BODY = (
    "Protesters gathered in the main square on Tuesday after fuel prices doubled overnight.\n\n"
    "Police said 40 people were detained, while organisers put the figure at more than 200."
)

#: Files are given an mtime well in the past, so the snapshot stores them
#: (a file modified within the last two seconds is always read again).
_OLD = 1_600_000_000


def put(path: Path, text: str, tick: int = 0) -> Path:
    """Write *text* to *path* with an old modification time (*tick* seconds later)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (_OLD + tick, _OLD + tick))
    return path


def fresh_digest(a: Article) -> str:
    return dataclasses.replace(a, digest="").digest


def assert_same(got: Corpus, want: Corpus) -> None:
    """Articles (every field, digest included), warnings and roots are identical."""
    assert [dataclasses.astuple(a) for a in got.articles] == [dataclasses.astuple(a) for a in want.articles]
    assert got.warnings == want.warnings
    assert got.roots == want.roots
    for a in got.articles:
        assert a.digest == fresh_digest(a)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts files decoded (each file read from disk is decoded exactly once)."""
    calls: list[int] = []
    real = loader_mod._Loader.parse_file

    def counting(self, path, fh, events, fmap=None):
        calls.append(1)
        return real(self, path, fh, events, fmap)

    monkeypatch.setattr(loader_mod._Loader, "parse_file", counting)
    return calls


def make_corpus(root: Path) -> None:
    put(root / "a.txt", "Fuel protests spread\n\n" + BODY)
    put(root / "sub" / "b.md", "# Second report\n\n" + BODY.replace("Tuesday", "Wednesday"))
    records = [
        {"id": "r1", "title": "First record", "text": BODY, "date": "2022-01-05"},
        {"id": "r2", "title": "Second record", "text": "Short text about the square.", "date": "not a date"},
    ]
    put(root / "feed.jsonl", "\n".join(json.dumps(r) for r in records) + "\n")
    put(root / "empty.txt", "   \n")
    put(root / "notes.pdf", "%PDF-1.4")


def test_unchanged_corpus_is_not_read_again(tmp_path, monkeypatch):
    corpus_dir, cache = tmp_path / "c", tmp_path / "cache"
    make_corpus(corpus_dir)
    plain = load_corpus([corpus_dir])
    first = load_corpus([corpus_dir], cache_dir=cache)
    assert_same(first, plain)
    assert (cache / SNAPSHOT_NAME).is_file()
    messages = [w.message for w in plain.warnings]
    assert "skipped: empty" in messages and "skipped: unsupported format (.pdf)" in messages
    assert any("unparseable date" in m for m in messages)

    def fail(*args, **kwargs):
        raise AssertionError("a file was read again")

    monkeypatch.setattr(loader_mod, "decode_bytes", fail)
    monkeypatch.setattr(loader_mod._Loader, "read_file", fail)
    seen = []
    second = load_corpus([corpus_dir], cache_dir=cache, on_warning=seen.append)
    assert_same(second, plain)
    assert seen == plain.warnings  # a bad file warns on every load, live too
    assert [a.id for a in second.articles] == [a.id for a in plain.articles]


def test_changed_file_alone_is_read_again(tmp_path, reads):
    corpus_dir, cache = tmp_path / "c", tmp_path / "cache"
    make_corpus(corpus_dir)
    load_corpus([corpus_dir], cache_dir=cache)
    reads.clear()
    put(corpus_dir / "a.txt", "Fuel protests spread\n\n" + BODY.replace("40 people", "41 people"), tick=5)
    got = load_corpus([corpus_dir], cache_dir=cache)
    assert len(reads) == 1
    assert "41 people" in got.by_id()["a"].text
    assert_same(got, load_corpus([corpus_dir]))
    reads.clear()
    load_corpus([corpus_dir], cache_dir=cache)
    assert reads == []


def test_added_and_removed_files(tmp_path, reads):
    corpus_dir, cache = tmp_path / "c", tmp_path / "cache"
    make_corpus(corpus_dir)
    load_corpus([corpus_dir], cache_dir=cache)
    (corpus_dir / "sub" / "b.md").unlink()
    put(corpus_dir / "sub" / "c.txt", "A new report\n\n" + BODY)
    reads.clear()
    got = load_corpus([corpus_dir], cache_dir=cache)
    assert len(reads) == 1
    ids = [a.id for a in got.articles]
    assert "b" not in ids and "c" in ids
    assert_same(got, load_corpus([corpus_dir]))
    stored = read_payload(cache / SNAPSHOT_NAME)["files"]
    assert not any(p.endswith("b.md") for p in stored)


def test_changed_sidecar_updates_metadata(tmp_path, reads):
    corpus_dir, cache = tmp_path / "c", tmp_path / "cache"
    make_corpus(corpus_dir)
    put(corpus_dir / "corpus.toml", '[articles.a]\noutlet = "First Outlet"\n')
    first = load_corpus([corpus_dir], cache_dir=cache)
    assert first.by_id()["a"].outlet == "First Outlet"
    put(corpus_dir / "corpus.toml", '[articles.a]\noutlet = "Second Outlet"\n[articles.ghost]\ntitle = "x"\n', tick=9)
    reads.clear()
    got = load_corpus([corpus_dir], cache_dir=cache)
    assert reads == []  # articles come from the snapshot; the sidecar is applied again
    a = got.by_id()["a"]
    assert a.outlet == "Second Outlet" and a.digest == fresh_digest(a)
    assert got.warnings[-1].message == "sidecar entry 'ghost' matches no article"
    assert_same(got, load_corpus([corpus_dir]))
    (corpus_dir / "corpus.toml").unlink()
    got = load_corpus([corpus_dir], cache_dir=cache)
    assert got.by_id()["a"].outlet is None
    assert_same(got, load_corpus([corpus_dir]))


def test_bad_files_warn_on_every_load(tmp_path):
    corpus_dir, cache = tmp_path / "c", tmp_path / "cache"
    put(corpus_dir / "empty.txt", "")
    put(corpus_dir / "binary.txt", "\x00\x01\x02" * 50)
    put(corpus_dir / "broken.jsonl", '{"id": "ok", "text": "Fine text here."}\n{not json\n')
    plain = load_corpus([corpus_dir])
    assert len(plain.warnings) >= 3
    for _ in range(3):
        assert_same(load_corpus([corpus_dir], cache_dir=cache), plain)


@pytest.mark.parametrize(
    "content",
    ["{not json", "", '{"key": "other", "files": {}}', "[1, 2]", "\udcff"],
)
def test_corrupt_snapshot_is_a_full_reload(tmp_path, reads, content):
    corpus_dir, cache = tmp_path / "c", tmp_path / "cache"
    make_corpus(corpus_dir)
    plain = load_corpus([corpus_dir])
    cache.mkdir()
    (cache / SNAPSHOT_NAME).write_bytes(content.encode("utf-8", "surrogateescape"))
    reads.clear()
    assert_same(load_corpus([corpus_dir], cache_dir=cache), plain)
    assert len(reads) == 4  # every file with content was decoded (the PDF is only reported)
    reads.clear()
    assert_same(load_corpus([corpus_dir], cache_dir=cache), plain)
    assert reads == []  # and the snapshot was rewritten


def test_damaged_entry_rereads_that_file(tmp_path, reads):
    corpus_dir, cache = tmp_path / "c", tmp_path / "cache"
    make_corpus(corpus_dir)
    load_corpus([corpus_dir], cache_dir=cache)
    snap = cache / SNAPSHOT_NAME
    data = read_payload(snap)
    path = next(p for p in data["files"] if p.endswith("a.txt"))
    data["files"][path] = (data["files"][path][0], (("a", "not an article"),))
    write_payload(snap, data)
    reads.clear()
    got = load_corpus([corpus_dir], cache_dir=cache)
    assert reads == [1]  # that file alone was read
    assert_same(got, load_corpus([corpus_dir]))


def test_duplicate_ids_renamed_after_a_change(tmp_path, reads):
    corpus_dir, cache = tmp_path / "c", tmp_path / "cache"
    put(corpus_dir / "a.jsonl", json.dumps({"id": "x", "text": "One."}) + "\n")
    put(corpus_dir / "b.jsonl", json.dumps({"id": "x", "text": "Two."}) + "\n")
    put(corpus_dir / "c.jsonl", json.dumps({"id": "y", "text": "Three."}) + "\n")
    first = load_corpus([corpus_dir], cache_dir=cache)
    assert [(a.id, a.text) for a in first.articles] == [("x", "One."), ("x~2", "Two."), ("y", "Three.")]
    # a.jsonl now claims "y": b.jsonl's record becomes plain "x", c.jsonl's "y~2".
    put(corpus_dir / "a.jsonl", json.dumps({"id": "y", "text": "One again."}) + "\n", tick=3)
    reads.clear()
    got = load_corpus([corpus_dir], cache_dir=cache)
    assert len(reads) == 1
    assert [(a.id, a.text) for a in got.articles] == [("y", "One again."), ("x", "Two."), ("y~2", "Three.")]
    assert [w.message for w in got.warnings] == ["duplicate id 'y' renamed to 'y~2'"]
    assert_same(got, load_corpus([corpus_dir]))
    # and back again: same result as a fresh load, every digest recomputed for its id
    put(corpus_dir / "a.jsonl", json.dumps({"id": "x", "text": "One."}) + "\n", tick=4)
    again = load_corpus([corpus_dir], cache_dir=cache)
    assert_same(again, first)
    assert [w.message for w in again.warnings] == ["duplicate id 'x' renamed to 'x~2'"]


def test_recently_modified_file_is_read_again(tmp_path, reads):
    corpus_dir, cache = tmp_path / "c", tmp_path / "cache"
    (corpus_dir).mkdir()
    (corpus_dir / "new.txt").write_text(BODY)  # mtime: now
    load_corpus([corpus_dir], cache_dir=cache)
    reads.clear()
    load_corpus([corpus_dir], cache_dir=cache)
    assert len(reads) == 1


def test_size_limit_change_invalidates(tmp_path, monkeypatch):
    corpus_dir, cache = tmp_path / "c", tmp_path / "cache"
    put(corpus_dir / "a.txt", BODY)
    assert len(load_corpus([corpus_dir], cache_dir=cache).articles) == 1
    monkeypatch.setenv("KAZREADER_MAX_ARTICLE_CHARS", "50")
    got = load_corpus([corpus_dir], cache_dir=cache)
    assert got.articles == [] and "skipped: too large" in got.warnings[0].message


def test_snapshot_save_skips_unchanged(tmp_path):
    corpus_dir, cache = tmp_path / "c", tmp_path / "cache"
    make_corpus(corpus_dir)
    load_corpus([corpus_dir], cache_dir=cache)
    snap = cache / SNAPSHOT_NAME
    os.utime(snap, (_OLD, _OLD))
    load_corpus([corpus_dir], cache_dir=cache)
    assert snap.stat().st_mtime == _OLD  # nothing changed: not rewritten
    assert [p.name for p in cache.iterdir()] == [SNAPSHOT_NAME]  # no temp file left


def test_snapshot_open_counts_hits(tmp_path):
    corpus_dir, cache = tmp_path / "c", tmp_path / "cache"
    make_corpus(corpus_dir)
    load_corpus([corpus_dir], cache_dir=cache)
    snap = Snapshot.open(cache, f"max-chars-{loader_mod._max_article_chars()}")
    path = str(corpus_dir / "a.txt")
    events = snap.lookup(path, (0, 0, 0, 0, 0))
    assert events is None and snap.misses == 1


def test_workspace_uses_snapshot_in_its_cache_dir(tmp_path, reads):
    corpus_dir = tmp_path / "c"
    make_corpus(corpus_dir)
    ws = Workspace([corpus_dir])
    assert (ws.cache_dir / SNAPSHOT_NAME).is_file()
    reads.clear()
    again = Workspace([corpus_dir])
    assert reads == [] and again.cache_dir == ws.cache_dir
    assert_same(again.corpus, ws.corpus)
    no_cache = Workspace([corpus_dir], use_cache=False)
    assert len(reads) == 4 and no_cache.cache_dir == ws.cache_dir
    assert_same(no_cache.corpus, ws.corpus)


def test_snapshot_round_trip_keeps_every_field(tmp_path):
    cache = tmp_path / "cache"
    derived = Article("d", "f.txt", "One.\n\nTwo, with \u201cquotes\u201d.", ((0, 4), (6, 26)), outlet="O", date="2022-01-05")
    odd = Article("o", "f.txt", "Head\n\nBody text", ((0, 4),), title="T", url="u", author="A", removed=3)
    events = [("w", "a note"), ("i", "d"), ("a", derived), ("i", "o"), ("a", odd)]
    snap = Snapshot.open(cache, "k")
    snap.record("f.txt", (1, 2, 3, 4, 5), events)
    snap.save()
    got = Snapshot.open(cache, "k").lookup("f.txt", (1, 2, 3, 4, 5))
    assert got is not None
    assert [(k, dataclasses.astuple(v) if isinstance(v, Article) else v) for k, v in got] == [
        (k, dataclasses.astuple(v) if isinstance(v, Article) else v) for k, v in events
    ]
    assert got[4][1].paragraphs == ((0, 4),) and got[4][1].removed == 3
    assert Snapshot.open(cache, "other key").lookup("f.txt", (1, 2, 3, 4, 5)) is None


@pytest.mark.parametrize("damage", ["flip", "truncate", "shape", "entry"])
def test_damaged_binary_snapshot_is_never_trusted(tmp_path, reads, damage):
    """A flipped bit or a cut-off file fails the checksum; a foreign shape is a miss."""
    corpus_dir, cache = tmp_path / "c", tmp_path / "cache"
    make_corpus(corpus_dir)
    plain = load_corpus([corpus_dir])
    load_corpus([corpus_dir], cache_dir=cache)
    snap = cache / SNAPSHOT_NAME
    blob = bytearray(snap.read_bytes())
    if damage == "flip":
        blob[-10] ^= 0x01
        snap.write_bytes(bytes(blob))
    elif damage == "truncate":
        snap.write_bytes(bytes(blob[: len(blob) // 2]))
    elif damage == "shape":
        write_payload(snap, {"key": read_payload(snap)["key"], "files": {"x": 1}})
    else:
        data = read_payload(snap)
        path = next(iter(data["files"]))
        data["files"][path] = (data["files"][path][0], (("a", ("id", None, (), None, None, None, None, None, 0, "")),))
        write_payload(snap, data)
    if damage in ("flip", "truncate"):
        with pytest.raises(ValueError):
            read_payload(snap)
    reads.clear()
    assert_same(load_corpus([corpus_dir], cache_dir=cache), plain)
    assert reads  # what the snapshot could not vouch for was read again


def test_legacy_json_snapshot_is_removed(tmp_path):
    corpus_dir, cache = tmp_path / "c", tmp_path / "cache"
    make_corpus(corpus_dir)
    cache.mkdir()
    (cache / "corpus-snapshot.json").write_text('{"key": "old", "files": {}}')
    load_corpus([corpus_dir], cache_dir=cache)
    assert not (cache / "corpus-snapshot.json").exists()
    assert (cache / SNAPSHOT_NAME).is_file()


def test_parallel_first_load_is_exactly_a_serial_one(tmp_path, monkeypatch):
    """Files parsed ahead in worker processes give the same articles, ids, warnings and snapshot."""
    corpus_dir = tmp_path / "c"
    make_corpus(corpus_dir)
    put(corpus_dir / "dup.jsonl", json.dumps({"id": "a", "text": "Another a."}) + "\n{broken\n")
    put(corpus_dir / "empty.txt", "")
    put(corpus_dir / "binary.txt", "\x00\x01\x02" * 50)
    serial = load_corpus([corpus_dir])
    monkeypatch.setattr(loader_mod, "PARALLEL_LOAD_BYTES", 0)
    monkeypatch.setattr(loader_mod, "LOAD_PROCS", 2)
    monkeypatch.setattr(loader_mod.threading, "active_count", lambda: 1)
    ahead: list[int] = []
    real = loader_mod._prefetch

    def spy(roots, snapshot):
        got = real(roots, snapshot)
        ahead.append(len(got))
        return got

    monkeypatch.setattr(loader_mod, "_prefetch", spy)
    parallel = load_corpus([corpus_dir], cache_dir=tmp_path / "cache")
    assert ahead[0] >= 5  # the files really were parsed by the workers
    assert_same(parallel, serial)
    # and the snapshot it wrote replays to the same corpus, with nothing left to parse ahead
    assert_same(load_corpus([corpus_dir], cache_dir=tmp_path / "cache"), serial)
    assert ahead[1] == 0
