"""Figures of an earlier event: a date in their sentence well before the article's own.

A story's articles recall earlier events ("an Aug. 15 car bombing ... that
killed 27 people", "In August, nine people ... were killed", "the worst since
Feb. 14, when a former student killed 17"); their tolls are not the story's.
:func:`past_dates` reads the dates a sentence names ("Aug. 15", "August",
"15 August 2013") and keeps those more than :data:`RECENT_DAYS` before (or
after) the article's date; the figures of such a sentence are dated to that
event (their ``era``), so they are compared only with figures of the same
earlier event.
"""

from __future__ import annotations

import calendar
from datetime import date as Date

from kazreader.analysis.figures.model import QuantityKind
from kazreader.analysis.figures.sentence import Cand, Sentence
from kazreader.analysis.figures.words import MONTHS, WEEKDAYS

__all__ = ["MONTH_NUMBERS", "RECENT_DAYS", "era_of", "past_dates"]

_NOW = frozenset("today tonight yesterday".split())

#: Dates within this many days of the article's are the story's own event ("on Thursday, July 14";
#: "the April 15 race" in a story on the suspects a week later).
RECENT_DAYS = 21
#: Month name or abbreviation (lower case) -> its number.
MONTH_NUMBERS = {name.lower(): k for k, name in enumerate(calendar.month_name) if name} | {
    name.lower(): k for k, name in enumerate(calendar.month_abbr) if name
} | {"sept": 9}


def past_dates(s: Sentence, cands: list[Cand], article_date: str | None) -> list[tuple[int, str | None]]:
    """The times *s* names, by token: a date more than :data:`RECENT_DAYS` from *article_date* as
    "August 15" or "August", the story's own time ("Wednesday", "today", a recent date) as ``None``.
    Empty when the sentence names no earlier date."""
    today = _parse_iso(article_date)
    if today is None:
        return []
    out: list[tuple[int, str | None]] = []
    in_dates = {k for c in cands if c.kind == QuantityKind.DATE for k in range(c.q_start, c.end)}
    for c in cands:
        if c.kind == QuantityKind.YEAR and c.amount.value is not None and 1000 < c.amount.value < 2100:
            named_year = int(c.amount.value)  # "the 1933 Griffith Park fire, which killed 29" (not "the 1990s")
            decade = s.words[c.amount.start].endswith("s") or s.word(c.end) == "s"
            out.append((c.q_start, str(named_year) if named_year != today.year and not decade else None))
        if c.kind == QuantityKind.DATE and (named := _month_day(s, c.q_start, c.end)) is not None:
            month, day, year = named
            far = _distance(today, month, day, year) > RECENT_DAYS
            out.append((c.q_start, _words(month, day, year if year != today.year else None) if far else None))
    for k, w in enumerate(s.words):
        if w in MONTHS and k not in in_dates and s.is_capitalised(k) and _month_alone(s, k):
            month = MONTH_NUMBERS[w]
            out.append((k, _words(month, None) if _distance(today, month, None) > RECENT_DAYS else None))
        elif w in _NOW or w in WEEKDAYS and s.is_capitalised(k):
            out.append((k, None))
    return out if any(words for _, words in out) else []


def era_of(s: Sentence, times: list[tuple[int, str | None]], c: Cand) -> str | None:
    """The earlier date nearest the figure ("on August 15", "in August", "since April"), unless the story's own time is nearer: "the bloodiest day since
    the July 3 ouster, dozens were killed Wednesday" is Wednesday's toll. Times past a sentence glued to
    this one ("... on July 3.The clashes spread") do not count."""
    near = [t for t in times if not any(_glued(s, k) for k in range(min(t[0], c.q_start) + 1, max(t[0], c.q_start) + 1))]
    if not near:
        return None
    tail = max(c.end, c.phrase_end)
    k, words = min(near, key=lambda t: (c.q_start - t[0] if t[0] < c.q_start else t[0] - tail, t[1] is not None))
    if words is None:
        return None
    since = "since" in s.words[max(0, k - 4):k]  # "since mid-April", "since the conflict began in April"
    on = words[-1].isdigit() and not words.isdigit()  # "on August 15", "in August", "in 1933"
    return f"since {words}" if since else f"on {words}" if on else f"in {words}"


def _glued(s: Sentence, k: int) -> bool:
    """Whether a sentence ends before token *k* that the splitter missed ("July 3.The")."""
    before = s.word(k - 1)
    return any(p in s.gap(k) for p in ".!?") and s.is_capitalised(k) and (
        before.isdigit() or len(before) > 3 and before.isalpha()
    )


def _month_alone(s: Sentence, k: int) -> bool:
    """"in August", "the February attack", "last October": a month named as a time ("May" the verb is not)."""
    before = s.word(k - 1)
    return before in ("in", "since", "last", "the", "early", "late", "mid", "until", "of") or (
        s.word(k + 1) in ("attack", "attacks", "shooting", "bombing", "bombings", "massacre")
    )


def _month_day(s: Sentence, start: int, end: int) -> tuple[int, int | None, int | None] | None:
    """(month, day, year) of a date's tokens ("Aug. 15", "15 August 2013"), or ``None`` (a time of day)."""
    words = s.words[start:end]
    month = next((MONTH_NUMBERS[w] for w in words if w in MONTH_NUMBERS), None)
    if month is None:
        return None
    day = next((int(w) for w in words if w.isdigit() and 1 <= int(w) <= 31 and len(w) <= 2), None)
    year = next((int(w) for w in words if w.isdigit() and len(w) == 4), None)
    return month, day, year


def _distance(today: Date, month: int, day: int | None, year: int | None = None) -> int:
    """Days between *today* and (month, day) of *year*, else the nearest at or before it within a year
    (a month: its last day), as a distance (a later date counts as far as an earlier one)."""
    if year is None:
        year = today.year if (month, day or 1) <= (today.month, today.day) else today.year - 1
    last = calendar.monthrange(year, month)[1]
    then = Date(year, month, min(day or last, last))
    return abs((today - then).days)


def _parse_iso(text: str | None) -> Date | None:
    try:
        return Date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def _words(month: int, day: int | None, year: int | None = None) -> str:
    words = f"{calendar.month_name[month]} {day}" if day else calendar.month_name[month]
    return f"{words} {year}" if year else words
