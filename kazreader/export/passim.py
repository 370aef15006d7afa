"""passim (text reuse on Spark): its input JSON Lines out, its cluster output back in.

passim reads one JSON record a line with ``id``, ``series`` and ``text``
(read as XML: ``&``, ``<`` and ``>`` must be escaped) and passes any other
field (``date``, ``title``, ``url``) through. It writes a directory
(``out.json/part-*``) of one JSON record per reused passage: the input's
fields plus ``cluster``, ``size``, ``begin`` and ``end``, with ``text`` the
passage. :func:`read_clusters` turns those records into kazreader's own
:class:`~kazreader.analysis.clusters.PassageCluster`, re-anchoring every
passage on the article's cleaned text (the offsets passim saw may not be it).
"""

from __future__ import annotations

import bz2
import gzip
import json
from collections.abc import Iterable, Iterator, Sequence
from difflib import SequenceMatcher
from html import escape, unescape
from pathlib import Path
from typing import IO, Any, Protocol

from kazreader.analysis.clusters import ClusterMember, PassageCluster
from kazreader.analysis.timeline import carriers
from kazreader.citation import SourceLike
from kazreader.text import fold_chars, tokenize

__all__ = ["anchor", "read_clusters", "read_records", "to_jsonl"]

#: A passage is re-anchored only when at least this share of its words is found in order.
MIN_MATCHED = 0.6


class PassimArticle(SourceLike, Protocol):
    @property
    def text(self) -> str: ...


def record(article: PassimArticle) -> dict[str, Any]:
    """passim's input record of *article*: the outlet is the series (reuse within one outlet is ignored)."""
    out: dict[str, Any] = {"id": article.id, "series": article.outlet or article.id,
                           "text": escape(article.text, quote=False)}
    for key in ("date", "title", "url"):
        value = getattr(article, key)
        if value:
            out[key] = value
    return out


def to_jsonl(articles: Iterable[PassimArticle]) -> str:
    """passim's input: one JSON record a line."""
    return "".join(json.dumps(record(a), ensure_ascii=False) + "\n" for a in articles)


# -- reading passim's output ------------------------------------------------------------

def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    if path.suffix == ".bz2":
        return bz2.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    inner = root / "out.json"
    base = inner if inner.is_dir() else root
    return sorted(p for p in base.rglob("*") if p.is_file() and not p.name.startswith(("_", ".")) and
                  (p.name.startswith("part-") or ".json" in p.name))


def read_records(root: str | Path) -> Iterator[dict[str, Any]]:
    """Every JSON record of passim's output under *root* (the output folder, ``out.json`` or one file)."""
    for path in _files(Path(root)):
        with _open(path) as fh:
            for line in fh:
                line = line.strip()
                if line:
                    try:
                        value = json.loads(line)
                    except json.JSONDecodeError:
                        continue
                    if isinstance(value, dict):
                        yield value


def _escaped_to_plain(text: str, offset: int) -> int:
    """The offset in *text* of *offset* in ``escape(text)`` (how passim saw it)."""
    pos = 0
    for i, ch in enumerate(text):
        pos += len(escape(ch, quote=False))
        if pos > offset:
            return i
    return len(text)


def anchor(text: str, passage: str | None, begin: int | None = None, end: int | None = None) -> tuple[int, int] | None:
    """Where *passage* lies in *text* (the article's cleaned text), or None.

    The exact passage first (the occurrence nearest *begin*), then its words
    in order, typography ignored (at least :data:`MIN_MATCHED` of them).
    Without a passage, *begin*/*end* are taken as offsets into the escaped
    text that :func:`to_jsonl` wrote.
    """
    if not passage:
        if begin is None or end is None:
            return None
        s, e = _escaped_to_plain(text, begin), _escaped_to_plain(text, max(begin, end - 1)) + 1
        return (s, min(e, len(text))) if s < e else None
    passage = unescape(passage)
    exact = [i for i in _find_all(text, passage)]
    if exact:
        s = min(exact, key=lambda i: abs(i - (begin or 0)))
        return s, s + len(passage)
    words, ptoks = tokenize(text), tokenize(passage)
    if not ptoks:
        return None
    sm = SequenceMatcher(None, [t.norm for t in words], [t.norm for t in ptoks], autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    if sum(b.size for b in blocks) < MIN_MATCHED * len(ptoks):
        return None
    first, last = blocks[0], blocks[-1]
    start, end = words[first.a].start, words[last.a + last.size - 1].end
    # the punctuation around the passage's first and last words, when the article has it there too
    lead = len(passage) - len(passage.lstrip()) if first.b == 0 else 0
    head = passage[lead : ptoks[0].start] if first.b == 0 else ""
    tail = passage[ptoks[-1].end :].rstrip() if last.b + last.size == len(ptoks) else ""
    if head and fold_chars(text[max(0, start - len(head)) : start]) == fold_chars(head):
        start -= len(head)
    if tail and fold_chars(text[end : end + len(tail)]) == fold_chars(tail):
        end += len(tail)
    return start, end


def _find_all(text: str, needle: str) -> Iterator[int]:
    i = text.find(needle)
    while i >= 0 and needle:
        yield i
        i = text.find(needle, i + 1)


def read_clusters(root: str | Path, articles: Sequence[PassimArticle]) -> list[PassageCluster]:
    """passim's clusters over *articles*, as kazreader clusters (ids ``passim-CLUSTER``).

    Records of documents not in *articles*, or whose passage cannot be found
    in the article's text, are left out; clusters left with fewer than two
    articles too. ``origin`` is the earliest-dated member.
    """
    by_id = {a.id: a for a in articles}
    members: dict[str, list[ClusterMember]] = {}
    for rec in read_records(root):
        art = by_id.get(str(rec.get("id", "")))
        if art is None or rec.get("cluster") is None:
            continue
        span = anchor(art.text, rec.get("text"), _int(rec.get("begin")), _int(rec.get("end")))
        if span is None:
            continue
        s, e = span
        members.setdefault(str(rec["cluster"]), []).append(ClusterMember(art.id, s, e, art.text[s:e]))
    out = []
    for cid, found in members.items():
        ids = {m.article for m in found}
        if len(ids) < 2:
            continue
        order = carriers(ids, by_id)
        dated = [a for a in order if by_id[a].date]
        found.sort(key=lambda m: (order.index(m.article), m.start))
        out.append(PassageCluster(f"passim-{cid}", tuple(found), dated[0] if dated else None))
    out.sort(key=lambda c: (-len({m.article for m in c.members}), c.id))
    return out


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
