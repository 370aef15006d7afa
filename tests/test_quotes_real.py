"""Quotes on real text: verbatim renderings, the --speaker filter, and scores on the labelled stories.

Real stories are read in place from ``../shared/corpora`` (skipped when absent).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kazreader.analysis.quotes import by_speaker, extract_quotes, speaker_matches
from kazreader.cli import main
from kazreader.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / ".." / "shared" / "corpora"
#: A few labelled stories of several topics (the full set is benchmarks/eval_quotes.py --real).
STORIES = ("national_security/2019-01-10", "healthcare/2014-01-02", "world/2018-07-11")


def _real() -> object:
    if not (CORPORA / "abp-dev").is_dir():
        pytest.skip("../shared/corpora is absent")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import eval_quotes_real
    finally:
        sys.path.pop(0)
    return eval_quotes_real


def _extract(arts: list) -> list:
    from kazreader.analysis.entities import extract_entities

    return extract_quotes(arts, extract_entities(arts))


def test_every_quote_is_the_article_text_at_its_offsets_on_seeds_and_real_stories(seeds: Path) -> None:
    arts = load_corpus([seeds]).articles
    real = _real()
    by_id = {a.id: a for a in arts}
    quotes = _extract(arts)
    for story in STORIES:
        story_arts = real.load_story(story)  # type: ignore[attr-defined]
        by_id.update({a.id: a for a in story_arts})
        quotes += _extract(story_arts)
    assert len(quotes) > 100
    for q in quotes:
        assert q.text == by_id[q.article].text[q.start : q.end]
        if q.speaker_start is not None:
            assert q.speaker_text == by_id[q.article].text[q.speaker_start : q.speaker_end]


def test_labelled_stories_keep_their_scores() -> None:
    """Three labelled stories: found, speakers and grouping stay near the measured level."""
    real = _real()
    labels = real.abp_labels()  # type: ignore[attr-defined]
    total = real.Scores()  # type: ignore[attr-defined]
    for story in STORIES:
        arts = real.load_story(story)  # type: ignore[attr-defined]
        total.add(real.score(_extract(arts), real.abp_gold(story, labels[story], arts), None))  # type: ignore[attr-defined]
    assert total.found / total.gold >= 0.95
    assert total.speaker_right / total.speaker_judged >= 0.85
    assert total.pairs_grouped / total.pairs_gold >= 0.9


def test_speaker_matching_and_filter() -> None:
    assert speaker_matches("Donald J. Trump", "trump")
    assert speaker_matches("Donald Trump", "Donald Trump")
    assert not speaker_matches("Melania Trump", "Donald Trump")
    assert not speaker_matches(None, "Trump")
    from kazreader.analysis.quotes import Quote

    qs = [
        Quote("a", 0, 5, "We go", "Donald Trump", "Trump", 7, 12, "g1"),
        Quote("b", 0, 5, "We go", None, None, None, None, "g1"),
        Quote("c", 0, 5, "No way", "Nancy Pelosi", "Pelosi", 7, 13, "g2"),
        Quote("d", 0, 5, "No way", None, None, None, None, "g2"),
    ]
    assert [q.article for q in by_speaker(qs, "Trump")] == ["a", "b"]


def test_cli_speaker_filter_keeps_the_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quotes", "--json"]) == 0
    everything = json.loads(capsys.readouterr().out)
    assert main(["quotes", "--json", "--speaker", "Azirbek"]) == 0
    theirs = json.loads(capsys.readouterr().out)
    assert theirs and len(theirs) < len(everything)
    assert all(set(q) == set(everything[0]) for q in theirs)
    assert all(q["speaker"] is None or "Azirbek" in q["speaker"] for q in theirs)
    assert main(["quotes", "--json", "--speaker", "Nobody Atall"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_pronoun_for_someone_the_article_never_names_gets_no_name() -> None:
    """"…the woman who says she is Scott's daughter streamed live… 'Y'all …,' she said.":
    "she" is that woman, not "Vinson", the last person named two sentences earlier."""
    real = _real()
    arts = real.load_story("violence_in_america/2016-09-21")  # type: ignore[attr-defined]
    quotes = [q for q in _extract(arts) if "running for him because" in q.text]
    assert quotes, "the quote is found"
    for q in quotes:
        assert q.speaker is None and q.speaker_text == "she"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a possessor's relative, never named: "she" is that person
        ("Officer Brentley Vinson fired. Later, Scott's daughter streamed live. \"We want answers,\" she said.", None),
        # ... but a name in apposition is that person
        ("Officer Brentley Vinson fired. Later, his daughter, Lyric Scott, streamed live. "
         "\"We want answers,\" she said.", "Lyric Scott"),
    ],
)
def test_an_unnamed_relative_or_the_name_beside_it(text: str, speaker: str | None) -> None:
    from kazreader.corpus.model import Article

    art = Article(id="a", path="a", text=text, paragraphs=((0, len(text)),), date="2020-01-01")
    (q,) = _extract([art])
    assert q.speaker == speaker and q.speaker_text == "she"
