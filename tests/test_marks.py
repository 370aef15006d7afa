"""Marks, notes and saved searches (kazreader.marks): persistence, re-anchoring, fast search."""

from __future__ import annotations

from pathlib import Path

from kazreader.marks import Flag, MarkKind, MarkStatus, MarkStore, next_flag
from kazreader.workspace import Workspace


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a1.txt").write_text(
        "The minister said \u201cthe harbour will reopen on Monday\u201d and 40 ships waited.\n", encoding="utf-8")
    (folder / "a2.txt").write_text("Second article about the harbour strike and the unions.\n", encoding="utf-8")
    return folder


def _mark_quote(ws: Workspace) -> int:
    text = ws.by_id["a1"].text
    start = text.index("the harbour will")
    end = text.index("Monday") + len("Monday")
    return ws.marks().add(MarkKind.QUOTE, "a1", start, end, text=text[start:end], flag=Flag.VERIFIED,
                          note="checked with the port").id


def test_mark_survives_other_file_edit_reingest_and_restart(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c")
    ws = Workspace([corpus])
    mid = _mark_quote(ws)
    assert ws.marks().star("a2") is True
    ws.index()  # indexed
    ws.close()
    (corpus / "a2.txt").write_text("Second article, now rewritten about the unions.\n", encoding="utf-8")
    again = Workspace([corpus])
    again.index()  # re-indexed (a2 changed)
    marks = {m.id: m for m in again.marked()}
    assert marks[mid].status is MarkStatus.OK
    assert marks[mid].flag is Flag.VERIFIED and marks[mid].note == "checked with the port"
    assert again.marks().starred() == {"a2"}
    again.close()


def test_mark_on_changed_article_is_moved_not_misplaced(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c")
    ws = Workspace([corpus])
    mid = _mark_quote(ws)
    ws.close()
    (corpus / "a1.txt").write_text(
        "Update: talks resumed. The minister said \u201cthe harbour will reopen on Monday\u201d and 40 ships waited.\n",
        encoding="utf-8")
    again = Workspace([corpus])
    mark = next(m for m in again.marked() if m.id == mid)
    assert mark.status is MarkStatus.MOVED
    assert mark.start is not None and mark.end is not None
    assert again.by_id["a1"].text[mark.start:mark.end] == "the harbour will reopen on Monday"
    assert (mark.stored_start, mark.stored_end) != (mark.start, mark.end)
    (corpus / "a1.txt").write_text("The minister said nothing about ships.\n", encoding="utf-8")
    third = Workspace([corpus])
    lost = next(m for m in third.marked() if m.id == mid)
    assert lost.status is MarkStatus.LOST and lost.start is None


def test_reanchor_folds_typography(tmp_path: Path) -> None:
    store = MarkStore(tmp_path)
    m = store.add(MarkKind.QUOTE, "x", 0, 12, text="\u201cit\u2019s over\u201d")
    from kazreader.marks import anchor_mark

    moved = anchor_mark(m, {"x": 'He said "It\'s over" twice.'})
    assert moved.status is MarkStatus.MOVED and (moved.start, moved.end) == (8, 19)


def test_flag_cycle_and_same_item_is_one_mark(tmp_path: Path) -> None:
    assert next_flag(None) is Flag.TO_CHECK
    assert next_flag(Flag.DISPUTED) is None
    store = MarkStore(tmp_path)
    a = store.add(MarkKind.FIGURE, "x", 3, 5, text="40", flag=Flag.TO_CHECK)
    b = store.add(MarkKind.FIGURE, "x", 3, 5, text="40", flag=Flag.DISPUTED)
    assert a.id == b.id and store.get(a.id).flag is Flag.DISPUTED
    assert store.remove(a.id) and store.all() == []


def test_search_over_10k_marks_uses_the_full_text_index(tmp_path: Path) -> None:
    store = MarkStore(tmp_path)
    words = ["harbour", "strike", "minister", "union", "ships", "tariff", "caravan", "lawsuit"]
    store.add_many(
        (MarkKind.QUOTE, f"art{i % 500}", i, i + 20, f"{words[i % 8]} said number {i}", Flag.TO_CHECK,
         f"note {words[(i * 3) % 8]} {i}")
        for i in range(10_000)
    )
    assert "VIRTUAL TABLE INDEX" in store.query_plan("number 4242")
    found = store.search("number 4242")
    assert [m.id for m in found] and all("4242" in m.text for m in found)
    assert {m.text for m in store.search("CARAVAN 17", limit=10)} <= {m.text for m in store.all()}


def test_saved_search_counts_new_matches(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c")
    ws = Workspace([corpus])
    ws.marks().save_search("harbour", "harbour")
    [(saved, total, new)] = ws.saved_searches()
    assert (saved.name, total, new) == ("harbour", 2, 2)
    ws.open_saved_search("harbour")
    assert [(t, n) for _s, t, n in ws.saved_searches()] == [(2, 0)]
    ws.close()
    (corpus / "a3.txt").write_text("A third report on the harbour.\n", encoding="utf-8")
    again = Workspace([corpus])
    assert [(t, n) for _s, t, n in again.saved_searches()] == [(3, 1)]
    again.close()
