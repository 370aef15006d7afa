"""Stories: articles on one event grouped together, different events kept apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazreader.analysis.stories import group_stories, story_of
from kazreader.corpus.loader import load_corpus
from kazreader.corpus.model import Article

ROOT = Path(__file__).resolve().parents[1]
ABP = ROOT / ".." / "shared" / "corpora" / "abp-dev"
#: Six single-event story folders of different topics and dates.
FOLDERS = [
    "terrorism/2016-07-15",
    "trade/2019-05-13",
    "economy_and_jobs/2013-01-04",
    "middle_east/2014-08-05",
    "violence_in_america/2013-09-16",
    "terrorism/2014-12-16",
]


def art(id: str, text: str, date: str | None = None, title: str | None = None) -> Article:
    return Article(id=id, path=id, text=text, paragraphs=((0, len(text)),), date=date, title=title)


def test_story_folders_are_kept_together_and_apart() -> None:
    if not ABP.is_dir():
        pytest.skip("../shared/corpora/abp-dev is absent")
    corpus = load_corpus([ABP / f for f in FOLDERS], on_warning=lambda w: None)
    folder = {a.id: "/".join(Path(a.path).parts[-3:-1]) for a in corpus.articles}
    stories = group_stories(corpus.articles)
    sid = story_of(stories)
    for f in FOLDERS:
        members = {sid[a] for a, g in folder.items() if g == f}
        assert len(members) == 1, (f, members)
    assert len({sid[a] for a in folder}) == len(FOLDERS)


def test_dates_far_apart_are_different_stories() -> None:
    text = "Floods in the Ostra valley killed 12 people as the Varna river burst its banks near Lendra."
    a, b = art("a", text, "2020-01-01"), art("b", text, "2020-03-01")
    c = art("c", "An unrelated budget vote in parliament passed after a long debate over pensions.", "2020-01-01")
    sid = story_of(group_stories([a, b, c, art("d", text, "2020-01-02")]))
    assert sid["a"] == sid["d"] != sid["b"]
    assert sid["c"] not in (sid["a"], sid["b"])


def test_an_undated_article_never_bridges_two_dated_stories() -> None:
    """Floods in January and in March, and an undated piece on the floods: it joins one of them,
    never both (hundreds of undated articles made one story of a whole archive)."""
    text = "Floods in the Ostra valley killed 12 people as the Varna river burst its banks near Lendra."
    jan = [art("j1", text, "2020-01-01"), art("j2", text, "2020-01-02")]
    mar = [art("m1", text, "2020-03-01"), art("m2", text, "2020-03-02")]
    undated = [art("u1", text + " Officials counted the damage."), art("u2", text)]
    sid = story_of(group_stories([*jan, *mar, *undated], passages=[("u1", "j1"), ("u2", "m1")]))
    assert sid["j1"] == sid["j2"] and sid["m1"] == sid["m2"] and sid["j1"] != sid["m1"]
    assert sid["u1"] in (sid["j1"], sid["m1"]) and sid["u2"] == sid["u1"]
    alone = story_of(group_stories(undated))
    assert alone["u1"] == alone["u2"]  # undated articles still group by what they say


def test_a_follow_up_days_later_that_reprints_a_passage_is_the_same_story() -> None:
    """Troops withdraw a week after the unrest: the later article carries the earlier one's
    paragraph, so it is the same story; the same words two months later are not."""
    first = art("a", "Officials in Ostra counted the damage after the Varna river burst its banks.", "2022-01-06")
    later = art("b", "Relief convoys left Lendra on Wednesday.", "2022-01-12")
    months = art("c", "Relief convoys left Lendra on Wednesday.", "2022-03-12")
    sid = story_of(group_stories([first, later, months], passages=[("a", "b"), ("a", "c")]))
    assert sid["a"] == sid["b"] != sid["c"]


def test_shared_passages_link_articles() -> None:
    a = art("a", "Officials in Ostra counted the damage.", "2020-01-01")
    b = art("b", "A totally different wording about weather.", "2020-01-01")
    sid = story_of(group_stories([a, b], passages=[("a", "b")]))
    assert sid["a"] == sid["b"]


def test_every_article_in_exactly_one_story() -> None:
    arts = [art(str(i), f"Story number {i % 3} about Ostra floods and Lendra {i % 3}") for i in range(9)]
    stories = group_stories(arts)
    ids = [a for s in stories for a in s.articles]
    assert sorted(ids) == sorted(a.id for a in arts)
    assert group_stories([]) == []
