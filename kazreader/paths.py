"""Where kazreader finds its bundled data and keeps its cache."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

__all__ = ["cache_root", "corpus_cache_dir", "seeds_dir", "styles_dir"]

_PKG = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    """``kazreader/_data/NAME`` in an installed wheel, ``./NAME`` in a checkout."""
    installed = _PKG / "_data" / name
    if installed.is_dir():
        return installed
    return _PKG.parent / name


def seeds_dir() -> Path:
    """The bundled corpus."""
    return _data_dir("seeds")


def styles_dir() -> Path:
    """The Textual stylesheets."""
    return _data_dir("styles")


def cache_root() -> Path:
    """The cache directory: ``$KAZREADER_CACHE`` or the platform's user cache."""
    env = os.environ.get("KAZREADER_CACHE")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir("kazreader", appauthor=False))


def corpus_cache_dir(roots: list[str] | tuple[str, ...]) -> Path:
    """A cache directory of its own for a corpus, keyed by its resolved root paths."""
    key = "\n".join(sorted(str(Path(r).resolve()) for r in roots))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    name = Path(sorted(roots)[0]).resolve().name if roots else "corpus"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:40]
    return cache_root() / f"{safe}-{digest}"
