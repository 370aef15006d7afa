"""kazreader's fixes to the pinned Whoosh, in one place, behind one switch.

Everything that reaches into Whoosh's private internals lives in this
package:

* :mod:`.bulk`: segments written from postings grouped by term, in forked
  children (:class:`~.bulk.BulkSegmentWriter`), and field lengths read a
  column at a time (:func:`~.bulk.fast_length_reader`);
* :mod:`.zerocopy`: compound segments read in place, not copied into every
  searcher;
* :mod:`.encoding`: Whoosh's ``Positions``/``Frequency`` posting values built
  without its per-position loop (the indexing fast path);
* :mod:`.postings`: posting lists read and skipped a block at a time, and
  their ids decoded without a Python step per posting (the
  phrase search's candidates);
* :mod:`.fuzzy`: fuzzy terms (``word~``) of a many-segment index found by
  rapidfuzz, not a Python distance per term of the lexicon;
* :func:`latest_generation`: the committed generation, read without opening
  the index.

:func:`enable` is the one call that turns them on, and only if the imported
Whoosh is :data:`SUPPORTED_WHOOSH` (``pyproject.toml`` pins ``whoosh3``
exactly); on any other version it leaves (or puts back) Whoosh as it is, and
:func:`active` is false, so the writer, the analyzers' fast path and the
search use plain Whoosh everywhere: slower, never wrong.
:class:`~kazreader.index.store.CorpusIndex` calls :func:`enable` when it
opens an index.
"""

from __future__ import annotations

import threading
from typing import Any

import whoosh
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, EmptyIndexError, FileIndex

__all__ = [
    "SUPPORTED_WHOOSH", "active", "disable", "enable", "latest_generation", "whoosh_is_supported", "whoosh_version",
]

#: The ``whoosh3`` release the patches follow.
SUPPORTED_WHOOSH = (3, 54, 0)

_state = {"active": False}
_switch = threading.Lock()


def whoosh_version() -> tuple[int, ...]:
    """The version of the imported Whoosh, as the guard sees it."""
    version = getattr(whoosh, "__version__", ())
    return tuple(version[:3]) if isinstance(version, tuple) else ()


def whoosh_is_supported() -> bool:
    """True if the imported Whoosh is :data:`SUPPORTED_WHOOSH`."""
    return whoosh_version() == SUPPORTED_WHOOSH


def active() -> bool:
    """True while the fixes are enabled (the writer, analyzers and search use them)."""
    return _state["active"]


def enable() -> bool:
    """Turn the fixes on if this Whoosh is the pinned one; else make sure they are off.

    Returns :func:`active`. Idempotent and cheap: called at every index opening.
    """
    from kazreader.index.whooshfix import bulk, fuzzy, postings, zerocopy

    with _switch:
        if whoosh_is_supported():
            if not _state["active"]:
                bulk.install()
                zerocopy.install()
                fuzzy.install()
                postings.install()
                _state["active"] = True
        elif _state["active"]:
            _disable()
        return _state["active"]


def disable() -> None:
    """Put Whoosh back as it was imported (the fixes off)."""
    with _switch:
        _disable()


def _disable() -> None:
    from kazreader.index.whooshfix import bulk, fuzzy, postings, zerocopy

    bulk.uninstall()
    zerocopy.uninstall()
    fuzzy.uninstall()
    postings.uninstall()
    _state["active"] = False


def latest_generation(directory: str, indexname: str) -> int:
    """The latest committed generation of the index *indexname* in *directory* (-1: none).

    Whoosh's own ``TOC._latest_generation`` lists the folder without reading
    the table of contents; on another Whoosh without it, the index is opened.
    """
    storage: Any = FileStorage(directory)  # type: ignore[no-untyped-call]  # (Whoosh: unannotated)
    if active() and hasattr(TOC, "_latest_generation"):
        return int(TOC._latest_generation(storage, indexname))  # type: ignore[no-untyped-call]
    try:
        ix: Any = FileIndex(storage, indexname=indexname)  # type: ignore[no-untyped-call]
    except EmptyIndexError:
        return -1
    return int(ix.latest_generation())
