"""Compound segments are read in place: same bytes as Whoosh's BytesIO, no copy of the index."""

from __future__ import annotations

import io
import pickle
import random

import pytest
from whoosh.filedb.structfile import BufferFile

from builders import art
from kazreader.index import whooshfix
from kazreader.index.whooshfix import zerocopy
from kazreader.index.whooshfix import SUPPORTED_WHOOSH
from kazreader.index.whooshfix.zerocopy import ViewIO


@pytest.fixture(autouse=True)
def _whoosh_fixes_on() -> None:
    """The fixes are on, as an index opening turns them on (a test may have turned them off)."""
    assert whooshfix.enable()


def test_viewio_reads_like_bytesio() -> None:
    rng = random.Random(3)
    data = bytes(rng.randrange(256) for _ in range(5000)) + b"line one\nline two\n\nend"
    ours, theirs = ViewIO(memoryview(data)), io.BytesIO(data)
    for _ in range(2000):
        op = rng.choice(["read", "seek", "readline", "readinto", "tell", "peek"])
        if op == "read":
            n = rng.choice([-1, 0, 1, 7, 100, 6000])
            assert ours.read(n) == theirs.read(n)
        elif op == "seek":
            pos, whence = rng.randrange(0, 5200), rng.choice([0, 1, 2])
            if whence:
                pos = rng.randrange(-50, 1) if whence == 2 else rng.randrange(0, 50)
            assert ours.seek(pos, whence) == theirs.seek(pos, whence)
        elif op == "readline":
            assert ours.readline() == theirs.readline()
        elif op == "readinto":
            a, b = bytearray(rng.randrange(0, 40)), bytearray(0)
            b = bytearray(len(a))
            assert ours.readinto(a) == theirs.readinto(b) and a == b
        elif op == "peek":
            ahead = ours.peek()
            assert theirs.getvalue()[theirs.tell():].startswith(ahead)
        assert ours.tell() == theirs.tell()


def test_buffer_file_reads_pickles_of_any_length_in_place() -> None:
    values = [{"a": 1}, list(range(5)), "x" * 50_000, (1.5, b"\x00" * 3000), None]
    blob = b"".join(pickle.dumps(v, 2) for v in values) + b"\x00\x00\x00\x07"
    f = BufferFile(memoryview(blob), name="test")
    assert isinstance(f.file, ViewIO)
    assert [f.read_pickle() for _ in values] == values
    assert f.read_int() == 7
    with pytest.raises((EOFError, pickle.UnpicklingError)):
        f.read_pickle()
    f.close()


def test_install_only_on_the_pinned_whoosh(monkeypatch: pytest.MonkeyPatch) -> None:
    import whoosh

    assert whooshfix.enable() is True and BufferFile.__init__ is zerocopy._buffer_file_init
    monkeypatch.setattr(whoosh, "__version__", (9, 9, 9))
    assert whooshfix.enable() is False
    assert BufferFile.__init__ is zerocopy._whoosh_init and BufferFile.read_pickle is zerocopy._whoosh_read_pickle
    monkeypatch.setattr(whoosh, "__version__", SUPPORTED_WHOOSH)
    assert whooshfix.enable() is True and BufferFile.read_pickle is zerocopy._buffer_file_read_pickle


def test_an_open_index_holds_no_copy_of_its_segments(tmp_path) -> None:
    """Every file a searcher reads from a compound segment goes through a view of the map."""
    from kazreader.index import CorpusIndex

    arts = [art(f"a{i}", f"Article {i} says the harbour strike ended on day {i}.") for i in range(50)]
    ix = CorpusIndex.open(tmp_path / "ix")
    ix.sync(arts)
    assert {h.id for h in ix.search('"harbour strike"', limit=100).hits} == {a.id for a in arts}
    opened: list[BufferFile] = []
    real_init = BufferFile.__init__

    def spy(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        opened.append(self)

    BufferFile.__init__ = spy
    try:
        ix.close()
        ix = CorpusIndex.open(tmp_path / "ix")
        assert ix.search("day").total == 50
    finally:
        BufferFile.__init__ = real_init
        ix.close()
    assert opened and all(type(f.file) is ViewIO for f in opened)
