"""The Whoosh full-text index of a corpus (every Whoosh import lives here).

>>> index = CorpusIndex.open(path, on_message=print)
>>> index.sync(corpus.articles)
SyncStats(added=5, updated=0, removed=0, unchanged=0)
>>> index.search('"country’s largest city"', articles=corpus.by_id()).hits[0].spans
"""

from kazreader.index.schema import USER_FIELDS, VERSION
from kazreader.index.search import Hit, QueryError, SearchResult, SortOrder
from kazreader.index.store import CacheNotWritableError, CorpusIndex, IndexLockedError, SyncStats

__all__ = [
    "USER_FIELDS",
    "VERSION",
    "CacheNotWritableError",
    "CorpusIndex",
    "Hit",
    "IndexLockedError",
    "QueryError",
    "SearchResult",
    "SortOrder",
    "SyncStats",
]
