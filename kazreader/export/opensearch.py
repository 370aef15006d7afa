"""OpenSearch (or Elasticsearch): the corpus as a bulk NDJSON file and an index mapping.

One document per article, with its entities, quotes (and speakers) and
figures (and measures) as nested fields, so a search server can answer
"articles quoting X on Y" or "figures for measure M" across archives too large
for one machine. The bulk file is the ``_bulk`` API's body: an ``index``
action line, then the document, one JSON object a line, ending with a newline.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kazreader.analysis.entities import Entity
    from kazreader.analysis.figures import Figure
    from kazreader.analysis.quotes import Quote
    from kazreader.corpus import Article
    from kazreader.workspace import Workspace

__all__ = ["MAPPING", "article_documents", "bulk_lines", "bulk_ndjson", "mapping_json"]

_KEYWORD = {"type": "keyword"}
_INT = {"type": "integer"}
_NUM = {"type": "double"}
_TEXT = {"type": "text"}

MAPPING: dict[str, Any] = {
    "mappings": {
        "properties": {
            "id": _KEYWORD,
            "outlet": {"type": "keyword", "fields": {"text": _TEXT}},
            "date": {"type": "date", "format": "strict_date_optional_time||yyyy-MM-dd"},
            "title": _TEXT,
            "url": _KEYWORD,
            "text": _TEXT,
            "words": _INT,
            "entities": {"type": "nested", "properties": {
                "name": {"type": "keyword", "fields": {"text": _TEXT}}, "type": _KEYWORD,
                "variants": _KEYWORD, "mentions": _INT}},
            "quotes": {"type": "nested", "properties": {
                "text": _TEXT, "speaker": {"type": "keyword", "fields": {"text": _TEXT}},
                "speaker_text": _TEXT, "group": _KEYWORD, "start": _INT, "end": _INT}},
            "figures": {"type": "nested", "properties": {
                "text": _TEXT, "sentence": _TEXT, "value": _NUM, "low": _NUM, "high": _NUM,
                "qualifier": _KEYWORD, "measure": _KEYWORD, "counted": _TEXT, "kind": _KEYWORD,
                "start": _INT, "end": _INT}},
        }
    }
}


def mapping_json() -> str:
    """The index body (``PUT /INDEX``) with the mapping of :func:`article_documents`."""
    return json.dumps(MAPPING, indent=2) + "\n"


def _entity(e: Entity, count: int) -> dict[str, Any]:
    return {"name": e.name, "type": str(e.type), "variants": list(e.variants), "mentions": count}


def _quote(q: Quote) -> dict[str, Any]:
    return {"text": q.text, "speaker": q.speaker, "speaker_text": q.speaker_text, "group": q.group,
            "start": q.start, "end": q.end}


def _figure(f: Figure) -> dict[str, Any]:
    return {"text": f.text, "sentence": f.sentence, "value": f.value, "low": f.low, "high": f.high,
            "qualifier": str(f.qualifier), "measure": f.measure, "counted": f.counted, "kind": str(f.kind),
            "start": f.start, "end": f.end}


def article_documents(
    articles: Sequence[Article], entities: Iterable[Entity], quotes: Iterable[Quote], figures: Iterable[Figure]
) -> Iterator[dict[str, Any]]:
    """One document per article with its entities, quotes and figures."""
    ents: dict[str, list[dict[str, Any]]] = {}
    for e in entities:
        for aid, n in e.counts().items():
            ents.setdefault(aid, []).append(_entity(e, n))
    qs: dict[str, list[dict[str, Any]]] = {}
    for q in quotes:
        qs.setdefault(q.article, []).append(_quote(q))
    fs: dict[str, list[dict[str, Any]]] = {}
    for f in figures:
        fs.setdefault(f.article, []).append(_figure(f))
    for a in articles:
        yield {"id": a.id, "outlet": a.outlet, "date": a.date, "title": a.title, "url": a.url, "text": a.text,
               "words": a.words, "entities": ents.get(a.id, []), "quotes": qs.get(a.id, []),
               "figures": fs.get(a.id, [])}


def bulk_lines(documents: Iterable[dict[str, Any]], index: str) -> Iterator[str]:
    """The ``_bulk`` body: an ``index`` action, then the document, per document."""
    for doc in documents:
        yield json.dumps({"index": {"_index": index, "_id": doc["id"]}}, ensure_ascii=False)
        yield json.dumps(doc, ensure_ascii=False)


def bulk_ndjson(ws: Workspace, index: str = "kazreader") -> str:
    docs = article_documents(ws.articles, ws.entities(), ws.quotes(), ws.figures().figures)
    return "".join(line + "\n" for line in bulk_lines(docs, index))
