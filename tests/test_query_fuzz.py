"""Malformed queries: whatever the user types, search answers or says why.

Hypothesis throws random strings — quotes, parentheses, colons, field names,
ranges, wildcards, ``~``, boosts, operators, unicode, control characters — at
:meth:`Workspace.search` (a result or :class:`QueryError`, nothing else) and
at ``kazreader search`` (exit 0 with JSON, or exit 2 with one line).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kazreader.cli import main
from kazreader.index import QueryError
from kazreader.workspace import Workspace

ARTICLES = {
    "alpha": "Unrest in the capital\n\nPolice said 40 people were killed on Friday in the country’s largest city."
             "\n\n“We will restore order,” President John Smith said.\n\nSource: Alpha News\n",
    "beta": "date 2022-01-06\n\nPolice said more than 60 people were killed, the ministry said.\n\n"
            "Smith’s office blamed “foreign-trained terrorists”.\n\nSource: Beta Times\n",
    "gamma": "Markets: shares rose 2.5% as prices fell — analysts said it was “too early” to tell.\n",
}

TOKENS = [
    '"', "'", "“", "”", "(", ")", "[", "]", "{", "}", ":", "::", "*", "?", "~", "~2", "~0.5", "^", "^2",
    "-", "+", "\\", "/", "<", ">", "=", "!", "&&", "||", "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO",
    "to", "title:", "body:", "outlet:", "date:", "quote:", "speaker:", "entity:", "id:", "nosuchfield:",
    "date:[2022 to]", "date:[to 2021]", "date:>2022", "date:2022-01-06", "date:yesterday", "[a TO z]",
    "police", "Police", "said", "capital", "country's", "country’s", "largest", "city", "Smith", "60",
    "2.5%", "foreign-trained", "pol*", "*ice", "p?lice", "polise~", "\x00", "\x1b[31m", "\u202e", "\u200b",
    "é", "Ω", "🙂", "日本", "\t", "\n", " ", "", "*:*", "NOT police", "(police OR", '"police said',
]

queries = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(TOKENS), max_size=8).map(" ".join),
    st.lists(st.sampled_from(TOKENS), max_size=8).map("".join),
    st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=5)), max_size=6).map(" ".join),
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz") / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-cache")


@pytest.fixture(scope="module")
def workspace(corpus: Path, cache: Path) -> Iterator[Workspace]:
    ws = Workspace([corpus], cache_dir=cache / "ws")
    ws.index()
    yield ws
    ws.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=queries)
def test_workspace_search_returns_or_raises_query_error(workspace: Workspace, query: str) -> None:
    try:
        result = workspace.search(query, limit=5)
    except QueryError as exc:
        message = str(exc)
        assert message and "\n" not in message and "Traceback" not in message
        return
    assert result.total >= len(result.hits)
    assert len(result.hits) <= 5
    for hit in result.hits:
        text = workspace.by_id[hit.id].text
        for start, end in hit.spans:
            assert 0 <= start < end <= len(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=queries)
def test_cli_search_exits_0_or_2(capsys, monkeypatch, corpus: Path, cache: Path, query: str) -> None:
    monkeypatch.setenv("KAZREADER_CACHE", str(cache / "cli"))
    code = main(["search", "--json", "--limit", "3", "--corpus", str(corpus), "--", query])
    out, err = capsys.readouterr()
    assert code in (0, 2), err
    if code == 0:
        payload = json.loads(out)
        assert set(payload) >= {"query", "total", "hits"} and payload["total"] >= len(payload["hits"])
    else:
        assert out == ""
        (line,) = err.splitlines()
        assert line.startswith("kazreader: error: bad query: ")


def test_known_malformed_queries_are_clear_errors(capsys, corpus: Path) -> None:
    for query in ['"unclosed phrase', "(police", "nosuchfield:police", "date:[2022 to"]:
        code = main(["search", query, "--corpus", str(corpus)])
        out, err = capsys.readouterr()
        assert (code, out) == (2, ""), (query, out, err)
        assert err.startswith("kazreader: error: bad query: ") and err.count("\n") == 1, err


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.lists(st.sampled_from(TOKENS), min_size=200, max_size=700).map(" ".join))
def test_long_queries_near_the_cap_answer_or_say_too_long(workspace: Workspace, query: str) -> None:
    """Around :data:`~kazreader.index.search.MAX_QUERY_CHARS`: a result, or a one-line QueryError."""
    from kazreader.index.search import MAX_QUERY_CHARS

    try:
        result = workspace.search(query, limit=5)
    except QueryError as exc:
        assert "\n" not in str(exc)
        if len(query) > MAX_QUERY_CHARS:
            assert "query too long" in str(exc)
        return
    assert len(query) <= MAX_QUERY_CHARS and result.total >= len(result.hits)
