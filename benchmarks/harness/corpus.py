"""Benchmark corpora: generated, real (sampled or replicated) or a given folder.

Every mode writes (or copies) the corpus into a temporary folder the benchmark
may change (the incremental stage edits, adds and deletes files there); the
shared corpora are only read.

Real mode (``--real N``): the raw records of ``../shared/corpora/abp-dev``
(one JSON file per article) and ``abp-10k`` (gzipped JSON Lines), in their
original schema, de-duplicated by ``ID`` (11,238 articles when both are
there). Up to that size, *N* of them are drawn by a seeded shuffle. Beyond it,
the records are repeated in the same shuffled order; replica *k* ≥ 1 of a
record gets the id ``ID-rK``, its date moved by *k* days, and one light,
deterministic edit per 4 paragraphs of its text (a paragraph dropped, two
paragraphs swapped, a sentence appended naming the replica), so replicas are
near duplicates, as wire copy is, not exact ones. The records are written as
gzipped JSONL shards of 1,000, plus the last one alone in its own file (the
file the incremental stage deletes).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
#: The shared corpora (``KAZBENCH_CORPORA`` overrides, e.g. when running from a copy of the repo).
CORPORA = Path(os.environ.get("KAZBENCH_CORPORA") or ROOT / ".." / "shared" / "corpora")
REAL_SOURCES = ("abp-dev", "abp-10k")
SHARD = 1000
#: Name of the file that holds one article alone (deleted by the incremental stage).
SINGLE = "zz-single.jsonl"

Record = dict[str, Any]


def write_records(records: Sequence[Record], folder: Path, *, gz: bool) -> None:
    """*records* as JSONL shards of :data:`SHARD` in *folder*, the last record in :data:`SINGLE`."""
    folder.mkdir(parents=True, exist_ok=True)
    body, last = list(records[:-1]), records[-1:]
    for k in range(0, len(body), SHARD):
        name = f"shard{k // SHARD:04d}.jsonl" + (".gz" if gz else "")
        write_jsonl(folder / name, body[k : k + SHARD])
    write_jsonl(folder / SINGLE, last)


def write_jsonl(path: Path, records: Sequence[Record]) -> None:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def generated_records(n: int, seed: int) -> list[Record]:
    """*n* articles of :func:`benchmarks.generate.generate_corpus`."""
    from benchmarks.generate import generate_corpus

    articles, _ = generate_corpus(n, seed=seed)
    return [{"id": a.id, "title": a.title, "outlet": a.outlet, "date": a.date, "text": a.text}
            for a in articles]


def iter_raw(folder: Path) -> Iterator[Record]:
    """Every JSON record under *folder* (``*.json`` files and ``*.jsonl[.gz]`` lines), sorted by path."""
    for path in sorted(folder.rglob("*")):
        if path.name.endswith((".jsonl", ".jsonl.gz")):
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rt", encoding="utf-8") as fh:
                yield from (json.loads(line) for line in fh if line.strip())
        elif path.suffix == ".json":
            yield json.loads(path.read_text(encoding="utf-8"))


def real_pool(sources: Sequence[str] = REAL_SOURCES) -> list[Record]:
    """The real records of the shared corpora, de-duplicated by ``ID`` (empty when absent)."""
    seen: dict[str, Record] = {}
    for name in sources:
        folder = CORPORA / name
        if folder.is_dir():
            for r in iter_raw(folder):
                seen.setdefault(str(r.get("ID") or r.get("id") or len(seen)), r)
    return list(seen.values())


def real_records(n: int, seed: int, pool: Sequence[Record] | None = None) -> list[Record]:
    """*n* real records: a seeded sample of the pool, or replicas of it beyond its size."""
    pool = list(real_pool() if pool is None else pool)
    if not pool:
        raise SystemExit(f"no real articles under {CORPORA} ({', '.join(REAL_SOURCES)})")
    random.Random(seed).shuffle(pool)
    return [replica(pool[i % len(pool)], i // len(pool)) for i in range(n)]


def replica(record: Record, k: int) -> Record:
    """Replica *k* of *record* (``k == 0``: the record itself), lightly and deterministically edited."""
    if k == 0:
        return record
    out = dict(record)
    rid = str(record.get("ID") or record.get("id"))
    out["ID" if "ID" in record else "id"] = f"{rid}-r{k}"
    out["date"] = _shift_date(record.get("date"), k)
    for key in ("content_original", "content", "text"):
        if isinstance(record.get(key), str):
            out[key] = edit_text(record[key], k)
    return out


def _shift_date(value: Any, k: int) -> Any:
    try:
        return (date.fromisoformat(str(value)[:10]) + timedelta(days=k)).isoformat()
    except ValueError:
        return value


def edit_text(text: str, k: int) -> str:
    """One edit per 4 paragraphs of *text*, chosen by *k* and the paragraph's place."""
    sep = "\n\n" if "\n\n" in text else "\n"
    paras = text.split(sep)
    for i in range(k % 4, len(paras), 4):
        op = (i + k) % 3
        if op == 0 and len(paras) > 3:
            paras[i] = ""
        elif op == 1 and i + 1 < len(paras):
            paras[i], paras[i + 1] = paras[i + 1], paras[i]
        else:
            paras[i] = paras[i].rstrip() + f" (Edition {k}, part {i}.)"
    return sep.join(p for p in paras if p)


def copy_corpus(src: Path, dst: Path) -> None:
    """Copy the folder (or file) *src* to *dst*, then give one record of a JSONL shard a file of its own."""
    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        dst.mkdir(parents=True)
        shutil.copy2(src, dst / src.name)
    if any(dst.glob(SINGLE)):
        return
    shards = sorted(p for p in dst.rglob("*") if p.name.endswith((".jsonl", ".jsonl.gz")))
    if shards:
        records = list(iter_raw_file(shards[-1]))
        if len(records) > 1:
            write_jsonl(shards[-1], records[:-1])
            write_jsonl(dst / SINGLE, records[-1:])


def iter_raw_file(path: Path) -> Iterator[Record]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        yield from (json.loads(line) for line in fh if line.strip())


def sample_queries(texts: Sequence[str], n: int, seed: int) -> dict[str, list[str]]:
    """Phrases of 2–6 consecutive words, single words, fuzzy words and frequent-word phrases."""
    from kazreader.text import word_norms

    rng = random.Random(seed)
    phrases, terms, fuzzy = [], [], []
    for _ in range(n):
        words = word_norms(rng.choice(texts))
        if len(words) < 8:
            continue
        k = rng.randint(2, 6)
        i = rng.randrange(0, len(words) - k)
        phrases.append('"' + " ".join(words[i : i + k]) + '"')
        long_words = [w for w in words if len(w) >= 6 and w.isalpha()] or words
        terms.append(rng.choice(long_words))
        fuzzy.append(rng.choice(long_words) + "~")
    frequent = frequent_phrases(texts, 20, seed)
    # (fuzzy queries cost ~50× a phrase: a quarter of them is enough for a p50)
    return {"phrase": phrases, "term": terms, "fuzzy": fuzzy[: max(1, n // 4)], "frequent_phrase": frequent}


def frequent_phrases(texts: Sequence[str], n: int, seed: int, sample: int = 2000) -> list[str]:
    """The *n* three-word sequences found in the most articles that hold two words of 4+ letters.

    "the white house", "the united states", "president donald trump": phrases
    of frequent words (not "one of the"), counted over a seeded sample of at
    most *sample* articles.
    """
    from kazreader.text import word_norms

    rng = random.Random(seed)
    chosen = list(texts) if len(texts) <= sample else rng.sample(list(texts), sample)
    df: Counter[tuple[str, ...]] = Counter()
    for text in chosen:
        words = [w for w in word_norms(text) if w.isalpha()]
        df.update({tuple(words[i : i + 3]) for i in range(len(words) - 2)})
    good = [(c, g) for g, c in df.items() if sum(len(w) >= 4 for w in g) >= 2]
    good.sort(key=lambda cg: (-cg[0], cg[1]))
    return ['"' + " ".join(g) + '"' for _, g in good[:n]]
