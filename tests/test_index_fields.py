"""The index's entity, speaker and quote fields are computed per article; ``entity:``/``speaker:``
are expanded to the corpus' merged names at search time.

After a file is touched, added or removed, every field query and plain query
finds what a clean build of the same files finds, and a plain search computes
neither the corpus-wide entities nor the quotes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from builders import art

from kazreader.analysis.article_fields import article_fields
from kazreader.analysis.entities import extract_entities
from kazreader.analysis.entities.extract import article_entities, article_part
from kazreader.analysis.registry import Stage
from kazreader.corpus.model import Article
from kazreader.index import CorpusIndex
from kazreader.index.expand import NameVariants, expand_names, name_term, name_terms, uses_name_fields
from kazreader.index.search import parse_query
from kazreader.workspace import Workspace

FLOOD = Path(__file__).parent / "data" / "flood"
#: Queries every state of the corpus is asked (beside some drawn from its entities and quotes).
QUERIES = [
    "entity:csto", 'entity:"collective security treaty organization"', 'speaker:"sultanat azirbek"',
    "speaker:azirbek", 'speaker:"jane doe"', "entity:doe", "entity:ffwc", 'speaker:"enamur rahman"',
    "quote:people", 'quote:"water is still rising"', "kazakhstan", '"said on"', "flood AND rescue",
    "entity:kazakhstan NOT speaker:tokayev", "entity:(almaty OR dhaka)",
]


def _corpus(seeds: Path, into: Path) -> Path:
    shutil.copytree(seeds, into)
    for f in FLOOD.iterdir():
        shutil.copy(f, into / f"flood_{f.name}")
    return into


def _queries(ws: Workspace) -> list[str]:
    """:data:`QUERIES` and the names of the corpus' largest entities and most quoted speakers."""
    out = list(QUERIES)
    for e in ws.entities()[:8]:
        out.append(f'entity:"{e.name}"')
        out.extend(f'entity:"{v}"' for v in e.variants[1:3])
    speakers = sorted({q.speaker for q in ws.quotes() if q.speaker})
    out.extend(f'speaker:"{s}"' for s in speakers[:8])
    return [q.replace('""', '"') for q in out]


def _answers(ws: Workspace, queries: list[str]) -> dict[str, tuple[int, list[str]]]:
    out = {}
    for q in queries:
        r = ws.search(q, limit=1000)
        out[q] = (r.total, sorted(h.id for h in r.hits))
    return out


def _clean(folder: Path, cache: Path, queries: list[str]) -> dict[str, tuple[int, list[str]]]:
    ws = Workspace([folder], cache_dir=cache)
    try:
        return _answers(ws, queries)
    finally:
        ws.close()


def _corpus_wide_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, computing or reading the corpus-wide entities or quotes fails the test."""
    original = Workspace.result

    def result(self: Workspace, name: str) -> Any:
        assert name not in (Stage.ENTITIES, Stage.QUOTES), f"a plain search computed {name}"
        return original(self, name)

    monkeypatch.setattr(Workspace, "result", result)


def test_touch_add_delete_field_queries_equal_a_clean_build(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _corpus(seeds, tmp_path / "corpus")
    cache = tmp_path / "incremental"
    ws = Workspace([folder], cache_dir=cache)
    queries = _queries(ws)
    first = _answers(ws, queries)
    ws.close()
    assert first == _clean(folder, tmp_path / "clean0", queries)
    assert first['entity:"collective security treaty organization"'][0] > 0
    files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".json", ".md"))

    def changed(step: str) -> None:
        with monkeypatch.context() as m:
            _corpus_wide_refused(m)
            ws = Workspace([folder], cache_dir=cache)
            try:
                assert ws.search("kazakhstan").total > 0  # a plain search: the index is brought up to date
            finally:
                ws.close()
        ws = Workspace([folder], cache_dir=cache)
        try:
            got = _answers(ws, queries)
        finally:
            ws.close()
        assert got == _clean(folder, tmp_path / f"clean-{step}", queries), step

    touched = files[0]
    touched.write_text(touched.read_text(encoding="utf-8")
                       + "\n\n“We will rebuild every house,” Senator Jane Doe of Almaty said.\n", encoding="utf-8")
    changed("touch")
    added = folder / "added.txt"
    added.write_text(files[1].read_text(encoding="utf-8").replace("Kazakhstan", "Kyrgyzstan"), encoding="utf-8")
    changed("add")
    files[2].unlink()
    changed("delete")


def test_one_edit_computes_one_articles_fields(seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _corpus(seeds, tmp_path / "corpus")
    cache = tmp_path / "cache"
    ws = Workspace([folder], cache_dir=cache)
    ws.search("kazakhstan")
    ws.close()
    computed: list[str] = []
    scanned: list[str] = []
    import kazreader.analysis.entities.extract as extract
    import kazreader.analysis.quotes.local as local_module

    real_local, real_part = local_module.local_part, extract.article_part
    monkeypatch.setattr(local_module, "local_part", lambda a, p=None: computed.append(a.id) or real_local(a, p))
    monkeypatch.setattr(extract, "article_part", lambda text: scanned.append(text) or real_part(text))
    touched = sorted(folder.glob("*.txt"))[0]
    touched.write_text(touched.read_text(encoding="utf-8") + "\n\nOne more line.\n", encoding="utf-8")
    _corpus_wide_refused(monkeypatch)
    ws = Workspace([folder], cache_dir=cache)
    try:
        assert ws.search("kazakhstan").total > 0
        assert len(computed) == 1 and len(scanned) == 1  # the touched article's fields, from one new scan
    finally:
        ws.close()


def test_the_fields_of_an_article_are_its_own() -> None:
    text = (
        "The Collective Security Treaty Organization (CSTO) met in Almaty. “Peace is near,” said "
        "Secretary General Stanislav Zas. Zas added: “We stay as long as needed.” "
        "Kassym-Jomart Tokayev thanked the CSTO."
    )
    a = art("a1", text)
    fields = article_fields(a, article_part(text))
    assert fields == article_fields(a)  # from the stored scan or a new one alike
    assert "CSTO" in fields["entity"] and "Stanislav Zas" in fields["entity"]
    assert "Stanislav Zas" in fields["speaker"] and "Zas" in fields["speaker"]
    assert fields["quote"] == ["Peace is near", "We stay as long as needed."]
    ents = [e.to_json() for e in article_entities(a)]
    assert ents == [e.to_json() for e in extract_entities([a])]
    assert ents == [e.to_json() for e in article_entities(a, article_part(text))]


def test_name_terms_and_variants() -> None:
    assert name_term(" Kassym-Jomart  Tokayev’s ") == "kassym jomart tokayev's"
    assert name_terms(["CSTO", "Kassym-Jomart Tokayev", "", "csto", "Su-30, 1,000"]) == (
        "csto\nkassym jomart tokayev\nsu 30 1,000"
    )
    v = NameVariants([["Kassym-Jomart Tokayev", "Tokayev", "President Tokayev"], ["Maria Tokayev"], []])
    assert len(v) == 2
    assert v.alternatives(["tokayev"]) == ["kassym jomart tokayev", "maria tokayev", "president tokayev", "tokayev"]
    assert v.alternatives(["jomart", "tokayev"]) == ["kassym jomart tokayev", "president tokayev", "tokayev"]
    assert v.alternatives(["tokayev", "jomart"]) == []
    assert v.alternatives(["nobody"]) == []
    # a name two entities share is left out: which one a bare "Clinton" means only the corpus merge knows
    clintons = NameVariants([["Hillary Clinton", "Clinton", "Hillary"], ["Bill Clinton", "Clinton"]])
    assert clintons.alternatives(["hillary", "clinton"]) == ["hillary", "hillary clinton"]
    assert clintons.alternatives(["clinton"]) == ["bill clinton", "hillary", "hillary clinton"]
    again = NameVariants.from_json(v.to_json())
    assert again.to_json() == v.to_json() == [
        ["kassym jomart tokayev", "tokayev", "president tokayev"], ["maria tokayev"]
    ]
    assert again.alternatives(["tokayev"]) == v.alternatives(["tokayev"])


def test_expansion_matches_whole_names_only(tmp_path: Path) -> None:
    docs = {
        "a1": ["Kassym-Jomart Tokayev"],
        "a2": ["Tokayev", "Almaty"],
        "a3": ["Maria Tokayev"],
        "a4": ["Almaty"],
        "a5": ["Clinton"],
        "a6": ["Hillary"],
    }
    arts = [art(i, f"Article {i}.") for i in docs]
    variants = NameVariants([["Kassym-Jomart Tokayev", "Tokayev"], ["Maria Tokayev"], ["Almaty"],
                             ["Hillary Clinton", "Clinton", "Hillary"], ["Bill Clinton", "Clinton"]])

    def extra(a: Article) -> dict[str, str]:
        names = docs[a.id]
        return {"entity": "\n".join(names), "speaker": "\n".join(names),
                "entity_names": name_terms(names), "speaker_names": name_terms(names)}

    with CorpusIndex.open(tmp_path / "ix") as ix:
        ix.sync(arts, extra=extra)

        def ids(q: str) -> set[str]:
            return {h.id for h in ix.search(q, expand=lambda p: expand_names(p, variants)).hits}

        assert ids('entity:"kassym-jomart tokayev"') == {"a1", "a2"}  # not Maria Tokayev
        assert ids("entity:tokayev") == {"a1", "a2", "a3"}  # a word a person types matches inside a name
        assert ids('speaker:"maria tokayev"') == {"a3"}
        assert ids("entity:jomart AND NOT entity:almaty") == {"a1"}
        assert ids("entity:almaty") == {"a2", "a4"}
        assert ids('entity:"hillary clinton"') == {"a6"}  # not a bare "Clinton": it may be Bill
        assert ids("entity:clinton") == {"a5", "a6"}
        # without the expansion, only the article writing the name
        assert {h.id for h in ix.search('entity:"kassym-jomart tokayev"').hits} == {"a1"}


def test_uses_name_fields() -> None:
    from kazreader.index.schema import build_schema

    schema = build_schema()
    assert uses_name_fields(parse_query('speaker:"jane doe" OR border', schema))
    assert uses_name_fields(parse_query("NOT entity:acme AND border", schema))
    assert not uses_name_fields(parse_query('border "entity: acme" quote:acme', schema))
    q = parse_query("border", schema)
    assert expand_names(q, NameVariants([["Border"]])) == q


def test_a_plain_search_does_not_compute_entities(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _corpus_wide_refused(monkeypatch)
    ws = Workspace([FLOOD], cache_dir=tmp_path / "cache")
    try:
        assert ws.search('"water is still rising" OR quote:rising').total > 0
        with pytest.raises(AssertionError, match="computed entities"):
            ws.search("entity:ffwc")
    finally:
        ws.close()


def test_pruning_keeps_the_fields_of_the_current_articles(tmp_path: Path) -> None:
    ws = Workspace([FLOOD], cache_dir=tmp_path / "cache")
    try:
        ws.index()
        ws.prune_cache()
        digests = [a.digest for a in ws.articles]
        assert set(ws._fields_parts().get_many(digests)) == set(digests)
    finally:
        ws.close()


def test_the_typed_words_are_highlighted_not_the_expansion(tmp_path: Path) -> None:
    ws = Workspace([FLOOD], cache_dir=tmp_path / "cache")
    try:
        hits = {h.id: h for h in ws.search("entity:ffwc").hits}
        assert set(hits) == {"afp-bd-0815", "reuters"}  # AFP only writes the long name
        assert hits["afp-bd-0815"].matched == []
        assert {m.casefold() for m in hits["reuters"].matched} == {"ffwc"}
    finally:
        ws.close()


def test_the_names_are_read_from_their_own_cache_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = Workspace([FLOOD], cache_dir=tmp_path / "cache")
    try:
        want = _answers(ws, ["entity:ffwc", 'speaker:"enamur rahman"'])
        ws.prune_cache()
    finally:
        ws.close()
    _corpus_wide_refused(monkeypatch)  # the next process reads the names alone, not the entities
    ws = Workspace([FLOOD], cache_dir=tmp_path / "cache")
    try:
        assert _answers(ws, ["entity:ffwc", 'speaker:"enamur rahman"']) == want
    finally:
        ws.close()
