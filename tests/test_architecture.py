"""The core must never import Textual: only ``kazreader/ui/`` may."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import kazreader

PACKAGE = Path(kazreader.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_modules_do_not_import_textual() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "ui" not in p.relative_to(PACKAGE).parts and "textual" in _imports(p)
    ]
    assert offenders == []


def test_importing_the_core_does_not_load_textual() -> None:
    code = (
        "import sys, kazreader.workspace, kazreader.cli, kazreader.render, kazreader.index, "
        "kazreader.analysis.passages, kazreader.analysis.clusters, kazreader.analysis.entities, "
        "kazreader.analysis.quotes, kazreader.analysis.figures, kazreader.analysis.coverage; "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_whoosh_is_only_used_by_the_index_package() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.relative_to(PACKAGE).parts[0] != "index" and "whoosh" in _imports(p)
    ]
    assert offenders == []
