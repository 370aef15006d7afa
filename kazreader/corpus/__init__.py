"""Corpus loading: files and folders → cleaned :class:`Article`s.

``load_corpus(paths)`` walks the paths, decodes and parses each file (plain
text, Markdown, JSON, JSON Lines), removes page furniture, infers metadata the
text shows and applies ``corpus.toml`` sidecars. Problems become
:class:`LoadWarning`s, never exceptions.
"""

from kazreader.corpus.loader import load_corpus
from kazreader.corpus.model import Article, Corpus, LoadWarning

__all__ = ["Article", "Corpus", "LoadWarning", "load_corpus"]
