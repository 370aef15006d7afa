"""Pieces of :mod:`benchmarks.run`: corpora, measurement, stages, incremental changes, report."""
