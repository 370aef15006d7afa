"""Each article's quotations attributed alone, then credited to the corpus' entities (quotes/local.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import art

from kazreader.analysis.entities import extract_entities
from kazreader.analysis.quotes import extract_quotes
from kazreader.analysis.quotes.local import corpus_speakers, local_part
from kazreader.workspace import Workspace


@dataclass(frozen=True)
class _Ent:
    name: str
    type: str = "PERSON"


def _local(entities: list[list[object]], quotes: list[list[object]]) -> dict[str, object]:
    return {"entities": entities, "quotes": quotes}


def _row(speaker: str | None, start: int | None = None, end: int | None = None) -> list[object]:
    return [500, 520, speaker, None if start is None else "x", start, end, ["words"]]


def test_the_mention_that_credits_the_quote_names_the_speaker() -> None:
    # The article's one "Barack Obama" holds a full mention (10-22) and two bare ones; the corpus
    # keeps the bare "Obama" apart (a namesake elsewhere). "said Barack Obama" is Barack Obama.
    local = _local([["Barack Obama", ["Obama"], [10, 22, 40, 45, 60, 65]]],
                   [_row("Barack Obama", 5, 22), _row("Barack Obama", 40, 45)])
    full, bare = _Ent("Barack Obama"), _Ent("Obama")
    mentions = [(10, 22, full), (40, 45, bare), (60, 65, bare)]
    assert corpus_speakers(local, mentions) == ["Barack Obama", "Obama"]


def test_a_pronoun_goes_to_the_articles_own_full_name_then_to_the_most_mentions() -> None:
    local = _local([["Donald Trump", ["Trump"], [10, 22, 40, 45, 60, 65]], ["Kerr Putney", [], [80, 91]]],
                   [_row("Donald Trump", 100, 102), _row("Kerr Putney", 120, 122)])
    full, bare, chief = _Ent("Donald Trump"), _Ent("Trump"), _Ent("Kerr Putney")
    # "he said": the corpus keeps bare "Trump" apart and it holds more mentions, but the article
    # named him in full
    assert corpus_speakers(local, [(10, 22, full), (40, 45, bare), (60, 65, bare), (80, 91, chief)]) == [
        "Donald Trump", "Kerr Putney",
    ]
    # the corpus merged the article's only full mention elsewhere: the most mentions win
    other = _Ent("Trump Tower", "ORG")
    assert corpus_speakers(local, [(10, 22, other), (40, 45, bare), (60, 65, bare)])[0] == "Trump"


def test_a_speaker_the_corpus_kept_no_mention_of_is_nobody() -> None:
    local = _local([["Replay", [], [10, 16]]], [_row("Replay", 10, 16), _row(None)])
    assert corpus_speakers(local, []) == [None, None]


def test_the_part_holds_the_articles_own_entities_and_attributed_quotes() -> None:
    text = (
        "Kazakh President Kassym-Jomart Tokayev addressed the nation on Friday. “Order has been "
        "restored in every region,” Tokayev said. He added: “The terrorists will be destroyed.”"
    )
    a = art("a1", text)
    part = local_part(a)
    names = {e[0] for e in part["entities"]}
    assert "Kassym-Jomart Tokayev" in names
    spoken = [(text[r[0]:r[1]], r[2]) for r in part["quotes"]]
    assert spoken == [
        ("Order has been restored in every region", "Kassym-Jomart Tokayev"),
        ("The terrorists will be destroyed.", "Kassym-Jomart Tokayev"),
    ]
    for e in part["entities"]:  # every span is one of the entity's own written forms
        flat = e[2]
        assert all(text[flat[k]:flat[k + 1]] in {e[0], *e[1]} for k in range(0, len(flat), 2))


def test_a_bare_surname_quoted_is_credited_to_the_full_name_the_corpus_merged() -> None:
    # Article b alone only writes "Zas": the corpus knows him as Stanislav Zas.
    a = art("a", "Secretary General Stanislav Zas of the CSTO arrived in Almaty on Thursday.")
    b = art("b", "“Peace is near,” Zas said on Friday, after meeting officials in Almaty.")
    quotes = extract_quotes([a, b], extract_entities([a, b]))
    assert [(q.article, q.text, q.speaker) for q in quotes] == [("b", "Peace is near", "Stanislav Zas")]


def _corpus(seeds: Path, dest: Path) -> Path:
    dest.mkdir()
    for f in sorted(seeds.glob("*.txt"))[:6]:
        (dest / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    return dest


def test_one_edit_attributes_one_article_again(seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _corpus(seeds, tmp_path / "corpus")
    cache = tmp_path / "cache"
    ws = Workspace([folder], cache_dir=cache)
    before = ws.quotes()
    ws.close()
    assert before
    import kazreader.analysis.quotes.local as local_module

    computed: list[str] = []
    real = local_module.local_part
    monkeypatch.setattr(local_module, "local_part", lambda a, p=None: computed.append(a.id) or real(a, p))
    touched = sorted(folder.glob("*.txt"))[0]
    touched.write_text(touched.read_text(encoding="utf-8") + "\n\nOne more line.\n", encoding="utf-8")
    ws = Workspace([folder], cache_dir=cache)
    try:
        after = ws.quotes()
        assert len(computed) == 1
        assert [(q.text, q.speaker) for q in after] == [(q.text, q.speaker) for q in before]
    finally:
        ws.close()
