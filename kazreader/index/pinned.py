"""The Whoosh version kazreader's patches to it were written against.

``pyproject.toml`` pins ``whoosh3`` exactly. :mod:`kazreader.index.bulk` and
:mod:`kazreader.index.zerocopy` replace pieces of its internals; each
installs only if the Whoosh it finds is this version, so an unexpected one
runs unpatched (slower, never wrong).
"""

from __future__ import annotations

import whoosh

__all__ = ["SUPPORTED_WHOOSH", "whoosh_is_supported"]

#: The ``whoosh3`` release the patches follow.
SUPPORTED_WHOOSH = (3, 54, 0)


def whoosh_is_supported() -> bool:
    """True if the imported Whoosh is :data:`SUPPORTED_WHOOSH`."""
    return tuple(getattr(whoosh, "__version__", ())[:3]) == SUPPORTED_WHOOSH
