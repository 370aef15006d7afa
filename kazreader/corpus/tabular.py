"""CSV and TSV files with a header row: one article per row.

Columns are matched by the same field names as JSON records (see
:mod:`kazreader.corpus.fields`); when no column has a known text name, the
column with the longest values is the text. A row with the wrong number of
cells is skipped with a warning; the rest of the file loads.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator

from kazreader.corpus.fields import Field, FieldMap, RawRecord, record_from

__all__ = ["parse_csv_lines", "parse_tsv_lines"]

#: Rows read to find the text column when no header names it.
_SAMPLE_ROWS = 20
_DELIMITERS = ",;\t|"

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _text_column(header: list[str], rows: list[list[str]]) -> str | None:
    """The header of the column with the longest values (on average), if any is long."""
    best, best_len = None, 0.0
    for i, name in enumerate(header):
        values = [len(r[i]) for r in rows if i < len(r)]
        mean = sum(values) / len(values) if values else 0.0
        if mean > best_len:
            best, best_len = name, mean
    return best if best_len >= 80 else None


def _sniff(first: str) -> str:
    """The delimiter of a header line: the most frequent of ``, ; tab |``."""
    return max(_DELIMITERS, key=first.count)


def _lines_text(lines: Iterable[tuple[int, str | None]], problems: list[str]) -> Iterator[str]:
    for lineno, line in lines:
        if line is None:
            problems.append(f"line {lineno}: too long, skipped")
            continue
        yield line + "\n"


def _parse(lines: Iterable[tuple[int, str | None]], fmap: FieldMap, delimiter: str | None) -> Iterator[RawRecord | str]:
    problems: list[str] = []
    text_lines = _lines_text(lines, problems)
    first = next(text_lines, None)
    if first is None:
        return
    first = first.lstrip("\ufeff")
    sep = delimiter or _sniff(first)
    header = [h.strip() for h in next(csv.reader([first], delimiter=sep))]
    reader = csv.reader(text_lines, delimiter=sep)
    pending: list[tuple[int, list[str]]] = []
    chosen: FieldMap | None = None
    known = {n for n in fmap.names[Field.TEXT]}
    try:
        for row in reader:
            pending.append((reader.line_num + 1, row))
            if chosen is None and len(pending) < _SAMPLE_ROWS:
                continue
            if chosen is None:
                chosen = _choose(header, pending, fmap, known)
            for number, cells in pending:
                yield from problems
                problems.clear()
                yield _row(header, number, cells, chosen)
            pending.clear()
    except csv.Error as exc:
        yield f"line {reader.line_num + 1}: unreadable CSV ({exc}), the rest of the file skipped"
    if pending:
        chosen = chosen or _choose(header, pending, fmap, known)
        for number, cells in pending:
            yield _row(header, number, cells, chosen)
    yield from problems


def _choose(header: list[str], sample: list[tuple[int, list[str]]], fmap: FieldMap, known: set[str]) -> FieldMap:
    """*fmap*, told which column is the text when no header has a known text name."""
    if any(h.lower() in known for h in header):
        return fmap
    column = _text_column(header, [cells for _n, cells in sample])
    return fmap if column is None else fmap.overridden({"text": column}, {})


def _row(header: list[str], number: int, cells: list[str], fmap: FieldMap) -> RawRecord | str:
    if not any(c.strip() for c in cells):
        return f"line {number}: empty row, skipped"
    if len(cells) != len(header):
        return f"line {number}: {len(cells)} cells where the header has {len(header)}, skipped"
    result = record_from(dict(zip(header, cells, strict=True)), number, fmap)
    return f"line {number}: {result}, skipped" if isinstance(result, str) else result


def parse_csv_lines(lines: Iterable[tuple[int, str | None]], fmap: FieldMap) -> Iterator[RawRecord | str]:
    """A CSV file (delimiter guessed from the header: comma, semicolon, tab or bar)."""
    return _parse(lines, fmap, None)


def parse_tsv_lines(lines: Iterable[tuple[int, str | None]], fmap: FieldMap) -> Iterator[RawRecord | str]:
    """A tab-separated file."""
    return _parse(lines, fmap, "\t")
