"""kazreader: compare how news outlets cover one event, in the terminal."""

__all__ = ["__version__"]

__version__ = "0.1.0"
