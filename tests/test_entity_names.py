"""The name an entity is shown by (entities/merging.py: canonical)."""

from __future__ import annotations

from collections import Counter

from kazreader.analysis.entities.merging import canonical


def test_a_rare_long_form_does_not_name_a_common_full_name() -> None:
    # abp-10k: a quoted e-mail subject, once, had named the entity of 2,318 "Hillary Clinton"s
    counts = Counter({"Hillary Clinton": 2318, "Donald Trump Just Suggested That Someone Shoot Hillary Clinton": 1,
                      "HILLARY CLINTON": 1, "Clinton": 40})
    assert canonical(counts, []) == "Hillary Clinton"


def test_the_complete_name_still_wins_over_surnames_and_written_often_enough() -> None:
    assert canonical(Counter({"Tokayev": 40, "Kassym-Jomart Tokayev": 3}), []) == "Kassym-Jomart Tokayev"
    assert canonical(Counter({"Hillary Rodham Clinton": 300, "Hillary Clinton": 900}), []) == "Hillary Rodham Clinton"
    assert canonical(Counter({"Hillary Rodham Clinton": 30, "Hillary Clinton": 900}), []) == "Hillary Clinton"


def test_a_transcripts_capitals_set_no_floor() -> None:
    # Democracy Now's transcripts write "AMY GOODMAN:" before every line
    assert canonical(Counter({"AMY GOODMAN": 900, "Amy Goodman": 12, "Amy": 3}), []) == "Amy Goodman"
