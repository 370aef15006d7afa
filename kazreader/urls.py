"""The host a URL (or a bare domain) names: one parser for the metadata and the clusters' sites."""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["url_host"]


def url_host(url: str) -> str | None:
    """The host of *url* (``https://www.cnn.com/x`` or a bare ``cnn.com/x``), lower case, as
    written (``www.`` kept); ``None`` when it names no dotted host or does not parse."""
    url = url.strip()
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    return host if host and "." in host else None
