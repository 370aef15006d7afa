"""Findings out of kazreader: CSV tables, comparison reports, OpenSearch and passim files.

Core modules (no Textual): the CLI and the TUI call them.
"""
