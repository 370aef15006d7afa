"""The index heals: damage is reported once ("the index was damaged; rebuilding") and rebuilt.

Each case damages the index of a small corpus after a clean ``kazreader
search`` and checks, through the CLI, that the next search answers exactly
as the clean one did (exit 0, never exit 2 blaming the query), that the
damage was reported once, and that the run after that is silent.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from builders import art
from kazreader.index import CorpusIndex, QueryError
from kazreader.index.store import DAMAGED
from kazreader.paths import corpus_cache_dir

QUERIES = ["police", '"police said"', "protest OR fuel"]
WORDS = "police said the of protest city killed officials fuel prices were in on after".split()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    rng = random.Random(11)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(12):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(60, 300)))
        (folder / f"a{i:02}.txt").write_text(f"Report {i}\n\n{text}.\n", encoding="utf-8")
    return folder


def search_all(corpus: Path, capsys: pytest.CaptureFixture[str]) -> tuple[list[str], list[str]]:
    """The JSON of every query, and the notes on stderr."""
    from kazreader.cli import main

    outputs, notes = [], []
    for q in QUERIES:
        code = main(["search", q, "--json", "--corpus", str(corpus)])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert "Traceback" not in err
        outputs.append(out)
        notes += err.splitlines()
    return outputs, notes


def index_dir(corpus: Path) -> Path:
    return corpus_cache_dir([str(corpus.resolve())]) / "index"


def flip_bits(path: Path) -> None:
    """Flip one bit in every 64 bytes past the header of *path*: a segment Whoosh cannot decompress."""
    data = bytearray(path.read_bytes())
    for pos in range(64, len(data), 64):
        data[pos] ^= 0x10
    path.write_bytes(bytes(data))


def garble_version(d: Path) -> None:
    (d / "VERSION").write_bytes(b"\xff\xfe\x00kazreader-ind\x9aex")


def version_is_a_folder(d: Path) -> None:
    (d / "VERSION").unlink()
    (d / "VERSION").mkdir()


def index_is_a_file(d: Path) -> None:
    shutil.rmtree(d)
    d.write_bytes(b"not a folder")


def lock_is_a_folder(d: Path) -> None:
    (d / "open.lock").unlink()
    (d / "open.lock").mkdir()
    (d / "open.lock" / "x").write_text("x")


def lock_is_a_fifo(d: Path) -> None:
    (d / "open.lock").unlink()
    os.mkfifo(d / "open.lock")  # (opening it to lock would hang)


def manifest_is_a_folder(d: Path) -> None:
    (d / "manifest.json").unlink()
    (d / "manifest.json").mkdir()


def segment_bit_flips(d: Path) -> None:
    segments = [p for p in d.iterdir() if p.suffix == ".seg"]
    assert segments
    for p in segments:
        flip_bits(p)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "garbled-version": garble_version,
    "version-is-a-folder": version_is_a_folder,
    "index-is-a-file": index_is_a_file,
    "lock-is-a-folder": lock_is_a_folder,
    "lock-is-a-fifo": lock_is_a_fifo,
    "manifest-is-a-folder": manifest_is_a_folder,
    "segment-bit-flips": segment_bit_flips,
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_damage_is_reported_once_and_rebuilt(corpus: Path, capsys: pytest.CaptureFixture[str], damage: str) -> None:
    clean, notes = search_all(corpus, capsys)
    assert notes == []
    DAMAGE[damage](index_dir(corpus))
    healed, notes = search_all(corpus, capsys)
    assert healed == clean
    assert notes == [f"note: {DAMAGED}"]
    again, notes = search_all(corpus, capsys)
    assert again == clean and notes == []


def test_a_flipped_segment_is_never_a_bad_query(tmp_path: Path) -> None:
    """In-process: the search that meets the damage rebuilds from the last sync and answers."""
    rng = random.Random(5)
    articles = [art(f"d{i:02}", " ".join(rng.choice(WORDS) for _ in range(200))) for i in range(30)]
    d = tmp_path / "ix"
    with CorpusIndex.open(d) as ix:
        ix.sync(articles)
        clean = [(h.id, h.score, h.snippet) for h in ix.search("police", articles={a.id: a for a in articles}).hits]
    messages: list[str] = []
    with CorpusIndex.open(d, on_message=messages.append) as ix:
        ix.sync(articles)
        segment_bit_flips(d)  # (after opening: the open-time check passed)
        ix._drop_searcher()
        hits = ix.search("police", articles={a.id: a for a in articles}).hits
        assert [(h.id, h.score, h.snippet) for h in hits] == clean
        assert messages == [DAMAGED]
        assert ix.search("police").total == ix.search("police").total and messages == [DAMAGED]


def test_a_query_error_on_an_intact_index_stays_a_query_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while running a query on files whose checksums hold is the query's (exit 2), not a rebuild."""
    from kazreader.index import search as search_module

    messages: list[str] = []
    with CorpusIndex.open(tmp_path / "ix", on_message=messages.append) as ix:
        ix.sync([art("a", "alpha beta"), art("b", "beta gamma")])

        def fail(*args: object, **kwargs: object) -> None:
            raise ValueError("unsupported query shape")

        monkeypatch.setattr(search_module, "_collect", fail)  # (every query is collected there)
        with pytest.raises(QueryError, match="unsupported query shape"):
            ix.search("beta")
        assert messages == []


def test_checksums_are_recorded_for_every_committed_file(tmp_path: Path) -> None:
    import json

    d = tmp_path / "ix"
    with CorpusIndex.open(d) as ix:
        ix.sync([art("a", "alpha beta"), art("b", "beta gamma")])
        ix.sync([art("a", "alpha beta"), art("c", "gamma delta")])
        files = json.loads((d / "manifest.json").read_text())["files"]
        on_disk = {p.name for p in d.iterdir() if p.suffix in (".seg", ".toc")}
        assert set(files) == on_disk
        assert ix._intact()
        seg = next(p for p in d.iterdir() if p.suffix == ".seg")
        os.chmod(seg, 0o644)
        flip_bits(seg)
        assert not ix._intact()


def test_cli_a_decompression_error_is_a_rebuild_not_a_bad_query(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search meets a segment that no longer decompresses: exit 0 and the answer, never exit 2."""
    import zlib

    from kazreader.index import store
    from kazreader.index.search import IndexReadError

    clean, _ = search_all(corpus, capsys)
    real = store.run_search
    calls: list[str] = []

    def damaged_once(*args: object, **kwargs: object) -> object:
        calls.append("search")
        if len(calls) == 1:
            error = zlib.error("Error -3 while decompressing data: incorrect data check")
            raise IndexReadError(f"cannot run query: {error}", error)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "run_search", damaged_once)
    healed, notes = search_all(corpus, capsys)
    assert healed == clean and notes == [f"note: {DAMAGED}"]
