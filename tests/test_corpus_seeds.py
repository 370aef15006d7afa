"""The bundled corpus loads as the seeds' own text shows it."""

from __future__ import annotations

import pytest

from kazreader.corpus import load_corpus
from kazreader.paths import seeds_dir

IDS = [
    "000_c205ff12a7dc4fd5",
    "001_d3156641ac80ec0f",
    "002_997aec7c60c8ab8d",
    "003_da26a73d37ba8e26",
    "004_4c51fb6639aeca55",
]


@pytest.fixture(scope="module")
def corpus():
    return load_corpus([seeds_dir()])


def test_ids_and_no_warnings(corpus):
    assert [a.id for a in corpus.articles] == IDS
    assert corpus.warnings == []


def test_dates(corpus):
    by_id = corpus.by_id()
    assert by_id[IDS[0]].date == "2022-01-12"
    assert by_id[IDS[1]].date == "2022-01-06"
    assert by_id[IDS[2]].date == "2022-01-06"
    assert by_id[IDS[3]].date is None and by_id[IDS[4]].date is None


def test_date_markers_are_removed(corpus):
    for article in corpus.articles:
        assert not article.text.lstrip().lower().startswith("date ")
    assert corpus.by_id()[IDS[0]].text.startswith("ALMATY, Kazakhstan – Twelve security officers")


def test_outlets_and_titles(corpus):
    by_id = corpus.by_id()
    assert [by_id[i].outlet for i in IDS] == [None, "TRT World", None, "Associated Press", "The New York Times"]
    assert by_id[IDS[3]].title == "Dozens killed, thousands arrested in violent demonstrations in Kazakhstan"
    assert by_id[IDS[4]].title == "Dozens Reported Dead in Kazakhstan, as Russian Alliance Sends Troops"
    assert by_id[IDS[1]].title is None  # "Fast News" is a section label, not a title


def test_inference_without_the_sidecar(tmp_path):
    for path in seeds_dir().glob("*.txt"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    by_id = load_corpus([tmp_path]).by_id()
    assert [by_id[i].outlet for i in IDS] == [None, "TRTWorld", None, "AP", "Nytimes"]
    assert [by_id[i].date for i in IDS] == ["2022-01-12", "2022-01-06", "2022-01-06", None, None]
    assert by_id[IDS[3]].title.startswith("Dozens killed, thousands arrested")
    assert by_id[IDS[4]].title.startswith("Dozens Reported Dead")
    assert [by_id[i].title for i in IDS[:3]] == [None, None, None]


def test_furniture_removed_from_003(corpus):
    article = corpus.by_id()[IDS[3]]
    paragraphs = article.paragraph_texts()
    assert not any(p.startswith(("Watch:", "Read more:")) for p in paragraphs)
    assert "Most Viewed" not in article.text and "Related Stories" not in article.text
    assert "delivered to your inbox" not in article.text
    assert paragraphs[0].startswith("MOSCOW (AP) – Security forces")
    assert paragraphs[-1].startswith("Tokayev has imposed a nationwide state of emergency")
    assert not article.text.startswith("Dozens killed")  # the title is not part of the body


def test_source_lines_and_labels_removed(corpus):
    by_id = corpus.by_id()
    assert "Source:" not in by_id[IDS[1]].text
    assert "Source :" not in by_id[IDS[4]].text
    assert not by_id[IDS[1]].text.startswith("Fast News")
    assert "(AFP)" not in by_id[IDS[1]].text  # the photo caption
    assert "Russia-led bloc sends first troops" in by_id[IDS[1]].paragraph_texts()  # a subheading stays


def test_offsets_and_typography(corpus):
    for article in corpus.articles:
        texts = article.paragraph_texts()
        assert "\n\n".join(texts) == article.text
        assert all(t and t == t.strip() and "\n" not in t and "  " not in t for t in texts)
        starts = [s for s, _ in article.paragraphs]
        assert starts == sorted(starts)
    text = corpus.by_id()[IDS[0]].text
    assert "“terrorist groups”" in text and "Kazakhstan’s Khabar 24" in text
