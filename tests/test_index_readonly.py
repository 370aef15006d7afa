"""A read-only (or full) cache: a complete, current index is still searched; otherwise it says so plainly.

Running as root makes ``chmod`` ineffective, so besides a real ``chmod``
(skipped under root) the folder is made unwritable by making every attempt to
write inside it fail with ``PermissionError``, as the kernel would.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from builders import art
from kazreader.index import CacheNotWritableError, CorpusIndex

ARTICLES = [art("a", "police said the protest grew"), art("b", "the city said fuel prices rose")]
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


@contextmanager
def unwritable(folder: Path, monkeypatch: pytest.MonkeyPatch, code: int = errno.EACCES) -> Iterator[list[str]]:
    """Every write, creation, removal or rename inside *folder* fails with *code*; yields what was refused."""
    root = str(folder.resolve())
    refused: list[str] = []

    def inside(path: Any) -> bool:
        try:
            return os.path.realpath(os.fspath(path)).startswith(root)
        except TypeError:  # a file descriptor
            return False

    def deny(path: Any) -> None:
        refused.append(os.path.basename(os.fspath(path)))
        raise OSError(code, os.strerror(code), os.fspath(path))

    real_open, real_os_open = builtins.open, os.open

    def fake_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if inside(file) and any(c in mode for c in "wax+"):
            deny(file)
        return real_open(file, mode, *args, **kwargs)

    def fake_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if inside(path) and flags & _WRITE_FLAGS:
            deny(path)
        return real_os_open(path, flags, *args, **kwargs)

    def guard(real: Callable[..., Any]) -> Callable[..., Any]:
        def call(path: Any, *args: Any, **kwargs: Any) -> Any:
            if inside(path):
                deny(path)
            return real(path, *args, **kwargs)
        return call

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)
    for name in ("mkdir", "unlink", "remove", "rmdir", "replace", "rename"):
        monkeypatch.setattr(os, name, guard(getattr(os, name)))
    try:
        yield refused
    finally:
        monkeypatch.undo()


def build(directory: Path) -> list[tuple[str, float]]:
    with CorpusIndex.open(directory) as ix:
        ix.sync(ARTICLES, extra_key="k1")
        return [(h.id, h.score) for h in ix.search("said").hits]


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS, errno.ENOSPC], ids=["denied", "read-only", "full"])
def test_a_current_index_is_searched_from_an_unwritable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    d = tmp_path / "ix"
    clean = build(d)
    (d / "open.lock").unlink()  # (not even the lock file can be created)
    messages: list[str] = []
    with unwritable(tmp_path, monkeypatch, code) as refused:
        with CorpusIndex.open(d, on_message=messages.append) as ix:
            assert not ix.writable
            assert ix.sync(ARTICLES, extra_key="k2").unchanged == 2  # (a new extras key is not recorded)
            assert [(h.id, h.score) for h in ix.search("said").hits] == clean
        assert messages == []
        assert refused  # the lock was tried, and refused


def test_a_stale_index_in_an_unwritable_folder_says_so_plainly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "ix"
    build(d)
    with unwritable(tmp_path, monkeypatch):
        with CorpusIndex.open(d) as ix:
            with pytest.raises(CacheNotWritableError, match=r"the cache folder .* can't be written \(Permission denied\)"):
                ix.sync([*ARTICLES, art("c", "a new article")])
        with pytest.raises(CacheNotWritableError, match="can't be written"):
            CorpusIndex.open(tmp_path / "new")


def test_a_missing_index_in_a_full_folder_says_so_plainly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "ix"
    d.mkdir()
    (d / "open.lock").touch()
    real_open = builtins.open

    def full(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if str(file).startswith(str(d)) and "w" in mode:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", full)
    monkeypatch.setattr(io, "open", full)
    with pytest.raises(CacheNotWritableError, match=r"can't be written \(No space left on device\)"):
        CorpusIndex.open(d)


def _root() -> bool:
    probe = tempfile.mkdtemp()
    try:
        os.chmod(probe, stat.S_IRUSR | stat.S_IXUSR)
        try:
            Path(probe, "x").touch()
        except PermissionError:
            return False
        return True
    finally:
        os.chmod(probe, stat.S_IRWXU)
        shutil.rmtree(probe)


@pytest.mark.skipif(_root(), reason="chmod does not stop this user (root): the simulated tests cover it")
def test_a_chmod_read_only_cache_is_searched(tmp_path: Path) -> None:
    d = tmp_path / "ix"
    clean = build(d)
    (d / "open.lock").unlink()
    modes = {p: p.stat().st_mode for p in [d, *d.iterdir()]}
    for p in modes:
        p.chmod(modes[p] & ~0o222)
    try:
        with CorpusIndex.open(d) as ix:
            assert not ix.writable
            assert [(h.id, h.score) for h in ix.search("said").hits] == clean
            with pytest.raises(CacheNotWritableError):
                ix.sync(ARTICLES[:1])
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


def test_cli_search_from_a_read_only_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from kazreader.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for a in ARTICLES:
        (corpus / f"{a.id}.txt").write_text(a.text + "\n", encoding="utf-8")
    cache = Path(os.environ["KAZREADER_CACHE"])
    assert main(["search", "said", "--json", "--corpus", str(corpus)]) == 0
    clean = capsys.readouterr().out
    for lock in cache.rglob("open.lock"):
        lock.unlink()
    with unwritable(cache, monkeypatch):
        code = main(["search", "said", "--json", "--corpus", str(corpus)])
        out, err = capsys.readouterr()
        assert (code, out, err) == (0, clean, "")
        (corpus / "c.txt").write_text("a new article that said more\n", encoding="utf-8")
        code = main(["search", "said", "--json", "--corpus", str(corpus)])
        out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.startswith(f"kazreader: error: the cache folder {cache}") and "can't be written (Permission denied)" in err
    assert "Traceback" not in err and "unexpected" not in err
