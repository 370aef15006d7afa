"""What the reader's export and copy keys write: a view as Markdown (and CSV for tables), citations.

The folder is ``KAZREADER_EXPORT_DIR`` when set, else ``~/Documents/kazreader``
when there is a Documents folder, else ``kazreader-exports`` in the current
directory.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kazreader.citation import Cited, attribution
from kazreader.export.document import Document, Item, Run, Section, to_markdown
from kazreader.export.tables import to_csv

__all__ = [
    "CITATIONS_FILE", "ExportBundle", "append_citation", "cited_items", "export_folder", "section_of", "write_bundle",
]

#: Every copied citation is also appended here, in the export folder.
CITATIONS_FILE = "citations.md"


@dataclass
class ExportBundle:
    """One exported view: its document, and its table's rows when it is a table."""

    name: str
    document: Document
    rows: list[dict[str, Any]] | None = field(default=None)


def export_folder(env: Mapping[str, str] | None = None, home: Path | None = None, cwd: Path | None = None) -> Path:
    """Where exports go (see the module docstring); not created here."""
    env = os.environ if env is None else env
    if env.get("KAZREADER_EXPORT_DIR"):
        return Path(env["KAZREADER_EXPORT_DIR"]).expanduser()
    documents = (home or Path.home()) / "Documents"
    if documents.is_dir():
        return documents / "kazreader"
    return (cwd or Path.cwd()) / "kazreader-exports"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:60] or "export"


def write_bundle(bundle: ExportBundle, folder: Path, now: datetime | None = None) -> list[Path]:
    """Write *bundle* as ``NAME-TIME.md`` (and ``.csv``) in *folder*; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{_slug(bundle.name)}-{(now or datetime.now()).strftime('%Y%m%d-%H%M%S')}"
    md = folder / f"{stem}.md"
    md.write_text(to_markdown(bundle.document), encoding="utf-8")
    paths = [md]
    if bundle.rows:
        path = folder / f"{stem}.csv"
        path.write_text(to_csv(bundle.rows), encoding="utf-8", newline="")
        paths.append(path)
    return paths


def append_citation(folder: Path, citation: str) -> Path:
    """Append *citation* (one Markdown list item) to the folder's :data:`CITATIONS_FILE`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CITATIONS_FILE
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"- {citation}\n")
    return path


def cited_items(items: Iterable[Cited], labels: Sequence[str | None] | None = None) -> list[Item]:
    """Document items of cited things (their text unmarked)."""
    out = []
    for i, c in enumerate(items):
        label = labels[i] if labels is not None and i < len(labels) else None
        runs = (Run(c.text),) if c.text else ()
        out.append(Item(runs, attribution(c.source, c.speaker, quoting=bool(c.text)), label))
    return out


def section_of(title: str, items: Iterable[Cited], empty: str = "nothing") -> Section:
    return Section(title, items=list(cited_items(items)), empty=empty)
