"""What an analysis' result depends on, as one digest: its code and its data files.

An analysis names the modules (or packages) it runs and the data files it reads
(:class:`kazreader.analysis.registry.Analysis`). :func:`source_digest` hashes the
bytes of every one of those files, and of every module they import at run time
from the same top-level package, followed transitively (imports under
``if TYPE_CHECKING:`` are not run and not followed), and of the data files
those modules name (:func:`named_data_files`). A declared package stands for
every file in it, ``.py`` and data alike. So an edit to any file an analysis' result
can depend on changes its cache key, and no version number is kept by hand.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import os
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from kazreader.atomic import atomic_file

__all__ = [
    "DigestMemo", "module_files", "named_data_files", "package_root", "package_stamp", "runtime_imports",
    "source_digest",
]


def package_root() -> Path:
    """The ``kazreader`` package folder: relative data paths are read from here."""
    return Path(__file__).resolve().parent.parent


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def module_files(name: str, *, whole: bool = True) -> list[tuple[str, Path]]:
    """``(label, file)`` for a module, or for every file of a package.

    The label of a ``.py`` file is its dotted module name, of a data file in a
    package ``package/relative/path``. With ``whole=False`` a package is only
    its ``__init__.py`` (what ``from package import name`` runs). Raises
    :class:`LookupError` for a name that is no module.
    """
    spec = importlib.util.find_spec(name)
    if spec is None or (spec.origin is None and not spec.submodule_search_locations):
        raise LookupError(f"no module {name!r}")
    if not spec.submodule_search_locations or not whole:
        if spec.origin is None:  # a namespace package: no code of its own
            return []
        return [(name, Path(spec.origin))]
    found: list[tuple[str, Path]] = []
    for location in spec.submodule_search_locations:
        base = Path(location)
        for path in sorted(base.rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
                continue
            rel = path.relative_to(base)
            if path.suffix == ".py":
                parts = [name, *rel.with_suffix("").parts]
                found.append((".".join(parts[:-1] if parts[-1] == "__init__" else parts), path))
            else:
                found.append((f"{name.replace('.', '/')}/{rel.as_posix()}", path))
    return found


class _Imports(ast.NodeVisitor):
    """Module names imported at run time (``TYPE_CHECKING`` blocks skipped), and short string literals."""

    def __init__(self, package: str) -> None:
        self.package = package
        self.names: list[str] = []
        self.strings: set[str] = set()

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and 0 < len(node.value) <= 120 and "\n" not in node.value:
            self.strings.add(node.value)

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
        if name == "TYPE_CHECKING":
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.names.extend(alias.name for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            parent = self.package.rsplit(".", node.level - 1)[0] if node.level > 1 else self.package
            base = f"{parent}.{base}" if base else parent
        # ``from pkg import sub`` imports the submodule ``pkg.sub`` when there is one
        # (runtime_imports keeps only the names that are modules).
        self.names.append(base)
        self.names.extend(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")


@lru_cache(maxsize=512)
def _parsed(path: str, stamp: tuple[int, int], package: str) -> tuple[tuple[str, ...], frozenset[str]]:
    tree = ast.parse(Path(path).read_bytes(), filename=path)
    visitor = _Imports(package)
    visitor.visit(tree)
    return tuple(visitor.names), frozenset(visitor.strings)


def _parse(module: str, path: Path) -> tuple[tuple[str, ...], frozenset[str]]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    st = path.stat()
    return _parsed(str(path), (st.st_mtime_ns, st.st_size), package)


def named_data_files(module: str, path: Path) -> list[Path]:
    """Data files a module names in a string literal: ``"places.txt"`` or ``"data/places.txt"``,
    looked up beside the module and in the ``data`` folder beside it, and in those of every
    package above it in its top-level package (``analysis/figures/lexicon.py`` reads
    ``analysis/data/figures.txt``).

    How a module reads its word lists (``resources.files(...).joinpath("data", name)``)
    varies; that it names them does not, so a data file counts as a dependency of
    the module that names it without being declared.
    """
    _names, strings = _parse(module, path)
    # (the folders of the module's package and of each package above it, up to the top-level one)
    depth = module.count(".") + (path.name == "__init__.py")
    folders = [path.parents[k] for k in range(min(max(1, depth), len(path.parents)))]
    found: set[Path] = set()
    for text in strings:
        if "/" in text.strip("/") or "." in text:
            for folder in (f for top in folders for f in (top, top / "data")):
                candidate = folder / text
                if candidate.suffix and candidate.is_file():
                    found.add(candidate)
    return sorted(found)


def runtime_imports(module: str, path: Path) -> list[str]:
    """The modules *module* (at *path*) imports at run time from its own top-level package."""
    top = module.partition(".")[0]
    names, _strings = _parse(module, path)
    return [n for n in names if n.partition(".")[0] == top and _is_module(n)]


def _closure(modules: Iterable[str]) -> Iterator[tuple[str, Path]]:
    """Every file of *modules* (whole packages) and of what they import, transitively, each once.

    An imported package counts for its ``__init__.py`` and what that imports,
    not for every module in it.
    """
    seen_modules: set[tuple[str, bool]] = set()
    seen_files: set[Path] = set()
    todo = [(name, True) for name in modules]
    while todo:
        name, whole = todo.pop()
        if (name, whole) in seen_modules:
            continue
        seen_modules.add((name, whole))
        for label, path in module_files(name, whole=whole):
            if path in seen_files:
                continue
            seen_files.add(path)
            yield label, path
            if path.suffix == ".py":
                todo.extend((n, False) for n in runtime_imports(label, path))
                for data in named_data_files(label, path):
                    if data not in seen_files:
                        seen_files.add(data)
                        yield f"{label}:{data.name}", data


def _data_files(data: Iterable[str], root: Path) -> Iterator[tuple[str, Path]]:
    for entry in data:
        path = root / entry
        if path.is_dir():
            yield from ((f"{entry}/{p.relative_to(path).as_posix()}", p)
                        for p in sorted(path.rglob("*")) if p.is_file() and "__pycache__" not in p.parts)
        elif path.is_file():
            yield entry, path
        else:
            raise LookupError(f"no data file {entry!r} (looked for {path})")


def source_digest(modules: Iterable[str], data: Iterable[str] = (), *, root: Path | None = None) -> str:
    """A digest of every file behind *modules* (and their imports) and the *data* files.

    *data* paths are relative to *root* (default: the ``kazreader`` package) or
    absolute; a folder stands for every file in it.
    """
    files = [*_closure(modules), *_data_files(data, root or package_root())]
    h = hashlib.sha256()
    for label, path in sorted(files):
        h.update(label.encode())
        h.update(b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:32]


def package_stamp(root: Path | None = None) -> str:
    """A digest of the name, size and modification time of every file and folder under *root*
    (default: the ``kazreader`` package; a file: that file): cheap, a stat per file, and
    different after any edit, added file, install or upgrade."""
    base = root or package_root()
    h = hashlib.sha256()
    if base.is_file():
        st = base.stat()
        h.update(f"{base}\0{st.st_size}\0{st.st_mtime_ns}".encode("utf-8", "surrogateescape"))
        return h.hexdigest()[:32]
    for folder, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            h.update(f"{os.path.relpath(path, base)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:32]


def _top_locations(modules: Iterable[str]) -> list[Path]:
    """The folders (or files) of the top-level packages *modules* belong to: everything
    :func:`source_digest` can follow imports into (it stays within a top-level package)."""
    found: list[Path] = []
    for name in modules:
        spec = importlib.util.find_spec(name.partition(".")[0])
        if spec is None:
            continue
        if spec.submodule_search_locations:
            found.extend(Path(p) for p in spec.submodule_search_locations)
        elif spec.origin:
            found.append(Path(spec.origin))
    return sorted(set(found))


class DigestMemo:
    """Source digests kept between processes in one small JSON file. Each is stored with a
    stamp of the files it could depend on (:func:`package_stamp` of the top-level packages of
    its modules, and of its data files): parsing the modules behind an analysis (a third of a
    second per command) is then done once per install or edit, not per process.

    ``path=None`` keeps them in this process only. The file is a cache: unreadable, or from
    other files, it is ignored and rewritten.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamps: dict[Path, str] = {}
        self._entries: dict[str, list[str]] | None = None

    def digest(self, modules: Iterable[str], data: Iterable[str] = (), *, root: Path | None = None) -> str:
        """:func:`source_digest` of *modules* and *data*, read from the file while the files behind
        it are unchanged."""
        modules, data = tuple(modules), tuple(data)
        base = root or package_root()
        key = json.dumps([modules, data, str(base)])
        with self._lock:
            places = [*_top_locations(modules), *(base / d for d in data)]
            for place in places:
                if place not in self._stamps:
                    self._stamps[place] = package_stamp(place) if place.exists() else "-"
            stamp = hashlib.sha256("\n".join(f"{p}\0{self._stamps[p]}" for p in places).encode()).hexdigest()
            if self._entries is None:
                self._entries = self._read()
            found = self._entries.get(key)
            if found is not None and found[0] == stamp:
                return found[1]
            value = source_digest(modules, data, root=root)
            self._entries[key] = [stamp, value]
            self._write()
            return value

    def _read(self) -> dict[str, list[str]]:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {str(k): [str(v[0]), str(v[1])] for k, v in data.items()}
        except (OSError, ValueError, AttributeError, TypeError, IndexError, KeyError):
            return {}

    def _write(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_file(self.path) as fh:
                fh.write(json.dumps(self._entries))
        except OSError:
            pass
