"""The listing commands' JSON as CSV: one row per item, the JSON's field names as the header.

Nested values are joined into their field's one cell: an object as
``key:value; key:value``, a list of plain values with ``; ``, a span
``[start, end]`` as ``start-end``, a list of objects as one ``field=value …``
group per element. Commands whose items are nested (a passage cluster's
members, a comparison's passages) get one row per inner item, with the outer
fields repeated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any, TextIO

__all__ = ["flatten", "rows_for", "to_csv", "write_csv"]

Row = dict[str, Any]
JOIN = "; "


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "-".join(_scalar(v) for v in value) if len(value) == 2 and all(
            isinstance(v, (int, float)) for v in value) else " ".join(_scalar(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{k}={_scalar(v)}" for k, v in value.items())
    return str(value)


def flatten(record: Row) -> dict[str, str]:
    """One CSV row: nested objects and lists joined into one cell each."""
    out: dict[str, str] = {}
    for key, value in record.items():
        name = str(key)
        if isinstance(value, dict):
            out[name] = JOIN.join(f"{k}:{_scalar(v)}" for k, v in value.items())
        elif isinstance(value, list):
            out[name] = JOIN.join(_scalar(v) for v in value)
        else:
            out[name] = _scalar(value)
    return out


def _with(parent: Row, child: Row, **extra: Any) -> Row:
    return {**extra, **{k: v for k, v in parent.items() if not isinstance(v, list)}, **child}


def _passages(doc: Any) -> list[Row]:
    return [_with(c, m) for c in doc for m in c.get("members", [])]


def _figures(doc: Any) -> list[Row]:
    kinds = {d["measure"]: d.get("kind", "differ") for d in doc.get("disagreements", [])}
    return [{**f, "disagreement": kinds.get(f.get("measure") or "")} for f in doc.get("figures", [])]


def _compare(doc: Any) -> list[Row]:
    return [{"a": doc.get("a"), "b": doc.get("b"), **p} for p in doc.get("passages", [])]


def _coverage(doc: Any) -> list[Row]:
    rows: list[Row] = []
    for section in ("shared", "only_x", "only_y", "entities_only_x", "entities_only_y",
                    "quotes_only_x", "quotes_only_y"):
        rows += [{"section": section, **item} for item in doc.get(section, [])]
    for d in doc.get("figure_disagreements", []):
        rows += [_with(d, v, section="figure_disagreements") for v in d.get("values", [])]
    return rows


_ROWS: dict[str, Callable[[Any], list[Row]]] = {
    "search": lambda doc: doc.get("hits", []),
    "compare": _compare,
    "passages": _passages,
    "figures": _figures,
    "coverage": _coverage,
    "show": lambda doc: [doc],
}


def rows_for(command: str, doc: Any) -> list[Row]:
    """The items of *command*'s JSON document, one dict per CSV row."""
    make = _ROWS.get(command)
    if make is not None:
        return make(doc)
    return list(doc) if isinstance(doc, list) else [doc]


def write_csv(rows: Iterable[Row], out: TextIO) -> None:
    """*rows* as CSV with a header row (the union of their fields, in first-seen order)."""
    flat = [flatten(r) for r in rows]
    header: dict[str, None] = {}
    for r in flat:
        header.update(dict.fromkeys(r))
    writer = csv.DictWriter(out, fieldnames=list(header), restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)


def to_csv(rows: Iterable[Row]) -> str:
    buf = io.StringIO()
    write_csv(rows, buf)
    return buf.getvalue()
