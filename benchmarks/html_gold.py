"""Gold article bodies for saved web pages, rebuilt from the page and small locators.

    python -m benchmarks.html_gold PAGE [PAGE...]              # list a page's blocks, to label it
    python -m benchmarks.html_gold PAGE --take b13,b14,b17-23  # its locator rows for the gold
    python -m benchmarks.html_gold --relocate [FOLDER]         # renumber the gold after blocks moved

The gold text of a saved page is never stored in the repository (the pages
are copyrighted news). ``tests/data/html_gold.tsv`` holds, per page, the
ordered list of the pieces that make up the article body, each by a locator:
where it is (``b141``: block 141 of the enumeration below; ``ld:0-4203``:
characters 0 to 4203 of the page's schema.org JSON-LD ``articleBody``, for a
page that ships its text only there), its length in characters, a short
digest (blake2b, 4 bytes) of its text and its first three words. :func:`gold_text` rebuilds the
body from the page and these locators, and raises :class:`GoldMismatch` when
a locator no longer matches (a changed page or a changed enumeration).

Block enumeration (documented, so that an index means one thing): the page
is decoded like kazreader decodes any file, parsed with ``lxml.html``;
``script``, ``style``, ``noscript``, ``template``, ``svg`` and HTML comments
are dropped. The document's text, read in order (``<br>`` as a space), is cut
at the start and at the end of every element whose tag is in
:data:`BLOCK_TAGS`; each piece, runs of whitespace made one space, is a
*block* (so a paragraph that holds a nested block, say an ad ``<section>``
inside a ``<p>``, is two blocks: the text before it and the text after).
Empty pieces are skipped; the rest are numbered from 0 in document order. The
JSON-LD body is the longest ``articleBody`` string in the page's
``application/ld+json`` scripts, whitespace made one space.

What the gold holds (the article-extraction-benchmark convention: the gold
is the article *body*): the article's paragraphs, its sub-headings, lists
and quotations inside the body, in reading order. Left out: the headline,
the standfirst/summary shown above the body, bylines, dates, image captions
and credits, "read more"/related links, share and newsletter boxes, author
bios at the end, comments and page furniture.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import lxml.etree  # type: ignore[import-untyped]  # no stubs shipped with lxml
import lxml.html  # type: ignore[import-untyped]

from kazreader.corpus.decode import decode_bytes

ROOT = Path(__file__).resolve().parents[1]
GOLD_TSV = ROOT / "tests" / "data" / "html_gold.tsv"
HTML_DEV = ROOT / ".." / "shared" / "corpora" / "html-dev"

BLOCK_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre", "figcaption",
    "td", "th", "caption", "div", "section", "article", "aside", "header", "footer", "nav", "main",
    "ul", "ol", "dl", "table", "tr", "figure", "form", "address", "details", "summary", "body",
})
_DROP = ("script", "style", "noscript", "template", "svg")
_WS = re.compile(r"\s+")
#: Words of a block's opening kept in its locator.
LEAD_WORDS = 3


class GoldMismatch(ValueError):
    """A locator that no longer matches its page."""


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=4).hexdigest()


def _lead(text: str) -> str:
    return " ".join(text.split()[:LEAD_WORDS])


@dataclass(frozen=True)
class Block:
    index: int
    tag: str
    text: str


@dataclass(frozen=True)
class Locator:
    page: str
    where: str
    chars: int
    digest: str
    lead: str

    def row(self) -> str:
        return "\t".join((self.page, self.where, str(self.chars), self.digest, self.lead))

    @classmethod
    def parse(cls, row: str) -> Locator:
        page, where, chars, digest, lead = row.split("\t")
        return cls(page, where, int(chars), digest, lead)

    @classmethod
    def of(cls, page: str, where: str, text: str) -> Locator:
        return cls(page, where, len(text), _digest(text), _lead(text))


@dataclass(frozen=True)
class Page:
    """A parsed page: its text blocks and its JSON-LD article body."""

    blocks: list[Block]
    ld_body: str

    def piece(self, where: str) -> str | None:
        """The text a locator's ``where`` names, or None when it names nothing."""
        if m := re.fullmatch(r"b(\d+)", where):
            i = int(m.group(1))
            return self.blocks[i].text if i < len(self.blocks) else None
        if m := re.fullmatch(r"ld:(\d+)-(\d+)", where):
            start, end = int(m.group(1)), int(m.group(2))
            return self.ld_body[start:end].strip() if end <= len(self.ld_body) else None
        raise GoldMismatch(f"bad locator {where!r}")


def page_id(path: Path) -> str:
    """The page's id as kazreader names it: the file name without its suffixes."""
    name = path.name
    for suffix in (".gz", ".html", ".htm"):
        name = name.removesuffix(suffix)
    return name


def read_page(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    text = decode_bytes(data).text
    if text is None:
        raise GoldMismatch(f"{path}: not a text file")
    return text


def _ld_bodies(value: object) -> list[str]:
    if isinstance(value, dict):
        body = value.get("articleBody")
        found = [body] if isinstance(body, str) else []
        return found + [b for v in value.values() for b in _ld_bodies(v)]
    if isinstance(value, list):
        return [b for v in value for b in _ld_bodies(v)]
    return []


def _ld_body(root: lxml.html.HtmlElement) -> str:
    bodies = [""]
    for script in root.xpath('//script[@type="application/ld+json"]'):
        try:
            bodies += _ld_bodies(json.loads(script.text or ""))
        except ValueError:
            continue
    return _WS.sub(" ", max(bodies, key=len)).strip()


def _flow(root: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """The text runs between block boundaries, each with its innermost block's tag."""
    runs: list[tuple[str, str]] = []
    buf: list[str] = []
    open_blocks = ["html"]

    def flush() -> None:
        text = _WS.sub(" ", "".join(buf)).strip()
        buf.clear()
        if text:
            runs.append((open_blocks[-1], text))

    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        block = isinstance(el.tag, str) and el.tag in BLOCK_TAGS
        if event == "start":
            if block:
                flush()
                open_blocks.append(el.tag)
            buf.append(" " if el.tag == "br" else (el.text or ""))
            continue
        if block:
            flush()
            open_blocks.pop()
        if el is not root:
            buf.append(el.tail or "")
    flush()
    return runs


def parse(page: str) -> Page:
    """The page's text blocks in document order and its JSON-LD body (see the module docstring)."""
    root = lxml.html.document_fromstring(page.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    ld = _ld_body(root)
    for el in list(root.iter(*_DROP)):
        el.drop_tree()
    for el in list(root.iter(lxml.etree.Comment)):
        el.drop_tree()
    return Page([Block(i, tag, text) for i, (tag, text) in enumerate(_flow(root))], ld)


def read_locators(path: Path = GOLD_TSV) -> dict[str, list[Locator]]:
    """The gold locators, by page id, in reading order."""
    gold: dict[str, list[Locator]] = {}
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        loc = Locator.parse(line)
        gold.setdefault(loc.page, []).append(loc)
    return gold


def _check(loc: Locator, parsed: Page) -> str:
    text = parsed.piece(loc.where)
    if text is not None and Locator.of(loc.page, loc.where, text) == loc:
        return text
    elsewhere = [f"b{b.index}" for b in parsed.blocks if _digest(b.text) == loc.digest]
    raise GoldMismatch(
        f"{loc.page}: {loc.where} ({loc.lead!r}, {loc.chars} chars) no longer matches the page"
        + (f"; that text is now {elsewhere}" if elsewhere else "; its text is not there"))


def gold_text(page: str, locators: list[Locator]) -> str:
    """The article body of ``page``: its located pieces, one paragraph each."""
    parsed = parse(page)
    return "\n\n".join(_check(loc, parsed) for loc in locators)


def gold_bodies(folder: Path, path: Path = GOLD_TSV) -> dict[str, str]:
    """Every labelled page's gold body, by page id; a labelled page missing from ``folder`` is an error."""
    pages = {page_id(p): p for p in sorted(folder.iterdir()) if p.is_file()}
    gold = read_locators(path)
    missing = sorted(set(gold) - set(pages))
    if missing:
        raise GoldMismatch(f"labelled pages not in {folder}: {missing}")
    return {pid: gold_text(read_page(pages[pid]), locs) for pid, locs in gold.items()}


def label(page: str, pid: str, wheres: list[str]) -> list[str]:
    """TSV rows of the locators of the pieces ``wheres`` of a page (for labelling)."""
    parsed = parse(page)
    rows = []
    for where in wheres:
        text = parsed.piece(where)
        if text is None:
            raise GoldMismatch(f"{pid}: {where} names nothing")
        rows.append(Locator.of(pid, where, text).row())
    return rows


def _expand(spec: str) -> list[str]:
    """``b13,b17-19,ld:0-40`` → ``b13 b17 b18 b19 ld:0-40``."""
    wheres: list[str] = []
    for part in spec.split(","):
        if m := re.fullmatch(r"b(\d+)-(\d+)", part):
            wheres += [f"b{i}" for i in range(int(m.group(1)), int(m.group(2)) + 1)]
        else:
            wheres.append(part)
    return wheres


def relocate(page: str, locators: list[Locator]) -> list[Locator]:
    """The same pieces re-found by their digest, in order (after the enumeration or the page moved
    them); a piece whose text is gone raises :class:`GoldMismatch`: it must be labelled again."""
    parsed = parse(page)
    moved: list[Locator] = []
    last = -1
    for loc in locators:
        if not loc.where.startswith("b"):
            _check(loc, parsed)
            moved.append(loc)
            continue
        hits = [b.index for b in parsed.blocks if b.index > last and _digest(b.text) == loc.digest]
        if not hits:
            raise GoldMismatch(f"{loc.page}: {loc.where} ({loc.lead!r}) is not in the page any more")
        last = hits[0]
        moved.append(Locator.of(loc.page, f"b{last}", parsed.blocks[last].text))
    return moved


def _relocate_file(folder: Path, path: Path = GOLD_TSV) -> None:
    pages = {page_id(p): p for p in folder.iterdir() if p.is_file()}
    rows = {pid: [loc.row() for loc in relocate(read_page(pages[pid]), locs)]
            for pid, locs in read_locators(path).items()}
    lines = path.read_text("utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    path.write_text("\n".join(header + [r for page_rows in rows.values() for r in page_rows]) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", type=Path)
    parser.add_argument("--width", type=int, default=110)
    parser.add_argument("--take", help="print the locator rows of these pieces of the (one) page")
    parser.add_argument("--relocate", action="store_true",
                        help="rewrite the gold's block numbers after the pages' blocks moved (same texts)")
    args = parser.parse_args(argv)
    if args.relocate:
        _relocate_file(args.pages[0] if args.pages else HTML_DEV)
        return 0
    if args.take:
        print("\n".join(label(read_page(args.pages[0]), page_id(args.pages[0]), _expand(args.take))))
        return 0
    for path in args.pages:
        print(f"== {page_id(path)}")
        parsed = parse(read_page(path))
        if parsed.ld_body:
            print(f"  ld {len(parsed.ld_body):5d} chars of JSON-LD articleBody")
        for b in parsed.blocks:
            print(f"{b.index:4d} {b.tag:10s} {len(b.text):5d}  {b.text[: args.width]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
