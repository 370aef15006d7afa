"""Writing a file atomically: a reader sees the old file or the new one, never a torn one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_file"]


@contextmanager
def atomic_file(path: Path, mode: str = "w", *, prefix: str = ".tmp-", suffix: str = ".tmp") -> Iterator[IO[Any]]:
    """Open a temporary file beside *path* for writing; on success it replaces *path*.

    *mode* is ``"w"`` (UTF-8 text) or ``"wb"``. If the block raises, the
    temporary file is removed and *path* is left as it was. The temporary
    name is *prefix* + random + *suffix*, so a folder's cleaner can recognise
    leftovers of a killed process.
    """
    fd, tmp = tempfile.mkstemp(dir=Path(path).parent, prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
