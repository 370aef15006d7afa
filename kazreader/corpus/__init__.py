"""Corpus loading: files and folders → cleaned :class:`Article`s.

``load_corpus(paths)`` walks the paths, decodes and parses each file (plain
text, Markdown, JSON, JSON Lines), removes page furniture, infers metadata the
text shows and applies ``corpus.toml`` sidecars. Problems become
:class:`LoadWarning`s, never exceptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kazreader.corpus.loader import load_corpus
    from kazreader.corpus.model import Article, Corpus, LoadWarning

__all__ = ["Article", "Corpus", "LoadWarning", "load_corpus"]


def __getattr__(name: str) -> Any:
    """The names above, imported when first used: ``kazreader.corpus.listing`` (what
    ``articles --json`` reads when the files are unchanged) needs no loader."""
    if name == "load_corpus":
        from kazreader.corpus.loader import load_corpus

        return load_corpus
    if name in ("Article", "Corpus", "LoadWarning"):
        from kazreader.corpus import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
