"""``json.dumps(value, ensure_ascii=False, indent=2)``, byte for byte, in a fraction of the time.

With ``indent``, the standard library encodes in pure Python, a generator per
list and dict and a step per item: ``entities --json`` of 2,500 articles
(hundreds of thousands of ``[start, end]`` spans) spent a second there.
:func:`dumps_indented` writes the same text into one list of chunks; lists
and dicts of scalars (spans, counts) are written at once, strings by json's
own (C) string encoder. A value it does not know (another type, a subclass, a
cycle) is left to ``json.dumps``, which writes or raises what it would.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring
from typing import Any, cast

__all__ = ["dumps_indented", "span_lists_indented"]

_INDENT = "  "


class _Unsupported(Exception):
    """A value :func:`json.dumps` alone knows what to do with."""


def dumps_indented(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``."""
    out: list[str] = []
    try:
        _emit(value, out, 0)
    except (_Unsupported, RecursionError):
        return json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(out)


def span_lists_indented(arts: Iterable[str], counts: Iterable[int], offsets: Iterable[int], level: int) -> str:
    """What :func:`dumps_indented` writes at nesting *level* for ``{art: [[start, end], …], …}``, made
    from the flat form (``counts[k]`` spans of ``arts[k]``, then every ``start, end`` in order)
    without a list per span: ``entities --json`` of 20,000 articles writes 1.4 million spans.
    *offsets* are plain ints."""
    pad = [_INDENT * n for n in range(level + 4)]
    pair = "[\n" + pad[level + 3] + "%d,\n" + pad[level + 3] + "%d\n" + pad[level + 2] + "]"
    it = iter(offsets)
    pairs = list(map(pair.__mod__, zip(it, it)))
    between, close = ",\n" + pad[level + 2], "\n" + pad[level + 1] + "]"
    rows: list[str] = []
    k = 0
    for art, n in zip(arts, counts):
        spans = "[\n" + pad[level + 2] + between.join(pairs[k:k + n]) + close if n else "[]"
        rows.append(encode_basestring(art) + ": " + spans)
        k += n
    if not rows:
        return "{}"
    return "{\n" + pad[level + 1] + (",\n" + pad[level + 1]).join(rows) + "\n" + pad[level] + "}"


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == float("inf"):
        return "Infinity"
    if o == float("-inf"):
        return "-Infinity"
    return float.__repr__(o)


#: How json writes a scalar of each exact type (a subclass goes to json itself).
_WRITE: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    float: _float,
    bool: lambda b: "true" if b else "false",
    type(None): lambda _: "null",
}
#: How json writes a dict key of each exact type (as a string).
_KEY: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: lambda k: encode_basestring(int.__repr__(k)),
    float: lambda k: encode_basestring(_float(k)),
    bool: lambda k: '"true"' if k else '"false"',
    type(None): lambda _: '"null"',
}


def _scalar(o: Any) -> str | None:
    """A scalar of any type json writes as one (subclasses: ``StrEnum``, ``IntEnum``), in json's order; else None."""
    if isinstance(o, str):
        return encode_basestring(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if isinstance(o, int):
        return int.__repr__(o)
    if isinstance(o, float):
        return _float(o)
    return None


def _key(k: Any) -> str:
    """A dict key of any type json accepts, written as json writes it (raises :class:`_Unsupported` otherwise)."""
    if isinstance(k, str):
        return encode_basestring(k)
    if isinstance(k, float):
        return encode_basestring(_float(k))
    if k is True or k is False or k is None:
        return _KEY[type(k)](k)
    if isinstance(k, int):
        return encode_basestring(int.__repr__(k))
    raise _Unsupported


def _flat(items: Iterable[Any]) -> list[str] | None:
    """Each of *items* written, if every one is a scalar (else None)."""
    write = _WRITE
    try:
        return [write[type(x)](x) for x in items]
    except KeyError:
        written: list[str] = []
        for x in items:  # (a subclass of str or int: json's own order of checks)
            text = _scalar(x)
            if text is None:
                return None  # (at the first container: entities' spans, a dict of 10 lists, are asked once)
            written.append(text)
        return written


def _int_pairs(items: list[Any], level: int) -> list[str] | None:
    """Each of *items* (at *level*) written, if every one is a list of two plain ints (spans), else None."""
    for p in items:
        if type(p) is not list or len(p) != 2 or type(p[0]) is not int or type(p[1]) is not int:
            return None
    inner = "\n" + _INDENT * (level + 1)
    close = "\n" + _INDENT * level + "]"
    return [f"[{inner}{int.__repr__(a)},{inner}{int.__repr__(b)}{close}" for a, b in items]


def _emit(o: Any, out: list[str], level: int) -> None:
    kind = type(o)
    if kind is list or kind is tuple:
        if not o:
            out.append("[]")
            return
        inner = "\n" + _INDENT * (level + 1)
        sep = "," + inner
        flat = _flat(o) if type(o[0]) is not list else _int_pairs(o, level + 1)
        if flat is not None:
            out.append("[" + inner + sep.join(flat))
        else:
            out.append("[" + inner)
            first = True
            for item in o:
                if not first:
                    out.append(sep)
                first = False
                _emit(item, out, level + 1)
        out.append("\n" + _INDENT * level + "]")
    elif kind is dict:
        if not o:
            out.append("{}")
            return
        inner = "\n" + _INDENT * (level + 1)
        sep = "," + inner
        try:
            keys = [_KEY[type(k)](k) for k in o]
        except KeyError:
            keys = [_key(k) for k in o]
        flat = _flat(o.values())
        if flat is not None:
            out.append("{" + inner + sep.join([k + ": " + v for k, v in zip(keys, flat)]))
        else:
            out.append("{" + inner)
            first = True
            write = _WRITE
            for k, v in zip(keys, o.values()):
                if not first:
                    out.append(sep)
                first = False
                scalar = write.get(type(v))
                if scalar is not None:
                    out.append(k + ": " + scalar(v))
                else:
                    out.append(k + ": ")
                    _emit(v, out, level + 1)  # (a container, or a subclass of a scalar type)
        out.append("\n" + _INDENT * level + "}")
    else:
        writer = _WRITE.get(kind)
        text = writer(o) if writer is not None else _scalar(o)
        if text is None:
            raise _Unsupported
        out.append(text)
