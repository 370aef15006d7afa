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
* :mod:`.postings`: posting lists read and skipped a block at a time (the
  phrase search's candidates).

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

import whoosh

__all__ = ["SUPPORTED_WHOOSH", "active", "disable", "enable", "whoosh_is_supported", "whoosh_version"]

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
    from kazreader.index.whooshfix import bulk, zerocopy

    with _switch:
        if whoosh_is_supported():
            if not _state["active"]:
                bulk.install()
                zerocopy.install()
                _state["active"] = True
        elif _state["active"]:
            _disable()
        return _state["active"]


def disable() -> None:
    """Put Whoosh back as it was imported (the fixes off)."""
    with _switch:
        _disable()


def _disable() -> None:
    from kazreader.index.whooshfix import bulk, zerocopy

    bulk.uninstall()
    zerocopy.uninstall()
    _state["active"] = False
