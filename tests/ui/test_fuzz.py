"""UI fuzz: thousands of seeded random key presses across every screen.

Each run opens the reader on the bundled corpus, waits for the analyses, then
presses random keys — the screens' own bindings (which open the reader,
compare, quotes, figures, coverage and help screens and go back), navigation,
text typed into search boxes — at one terminal size, shrinks the terminal to
20×6 and back, and checks that nothing raised and the app still answers a key.
A failure names the seed and the last keys pressed, so it can be replayed.
Keys are queued as fast as a terminal sends them, with a pause for the app to
catch up every few dozen.
"""

from __future__ import annotations

import asyncio
import os
import random

import pytest
from textual import events
from textual.keys import _character_to_key

from kazreader.ui.app import KazreaderApp
from kazreader.ui.screens.help import HelpScreen
from kazreader.ui.widgets.status import stages
from harness import wait_until

#: Keys with a meaning somewhere in the app (ctrl+q/ctrl+c, which quit, and
#: ctrl+p, whose palette can run "Quit", are left out: quitting is not a crash).
BINDING_KEYS = list("jkocsrxLQFCnpabdwxygGhlm/?0123456789") + [
    "enter", "escape", "escape", "escape", "tab", "shift+tab", "up", "down", "left", "right",
    "pageup", "pagedown", "home", "end", "space", "backspace", "delete", "f1", "question_mark",
    "slash", "ctrl+a", "ctrl+e", "ctrl+k", "ctrl+u", "ctrl+w", "shift+up", "shift+down",
]
#: What a user types into a search or filter box (odd characters included).
TYPED = list("police said capital Smith 40 \"'“”():*?~-[]{}^é日🙂")
#: Keys per run; ``KAZREADER_FUZZ_KEYS=5000`` for a longer soak.
KEYS_PER_RUN = int(os.environ.get("KAZREADER_FUZZ_KEYS", "400"))
PAUSE_EVERY = 25


NAMED_CHARS = {"space": " ", "slash": "/", "question_mark": "?"}


def random_keys(rng: random.Random, n: int) -> list[tuple[str, str | None]]:
    """*n* (key, character) pairs, as a terminal would send them."""
    keys = []
    for _ in range(n):
        key = rng.choice(BINDING_KEYS if rng.random() < 0.7 else TYPED)
        if len(key) == 1:
            keys.append((key if key.isalnum() else _character_to_key(key), key))
        else:
            keys.append((key, NAMED_CHARS.get(key)))
    return keys


async def send(app: KazreaderApp, keys: list[tuple[str, str | None]]) -> None:
    """Queue key events as fast as a terminal would (``Pilot.press`` idles ~40 ms a key)."""
    for key, char in keys:
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)  # noqa: SLF001 - what Pilot.press does, minus the waits
        await asyncio.sleep(0)


@pytest.mark.parametrize(("seed", "size"), [(1, (80, 24)), (2, (160, 45)), (3, (40, 12))],
                         ids=["80x24", "160x45", "40x12"])
async def test_random_keys_never_crash_the_app(seed: int, size: tuple[int, int]) -> None:
    rng = random.Random(seed)
    keys = random_keys(rng, KEYS_PER_RUN)
    app = KazreaderApp()
    screens_seen: set[str] = set()
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: app.workspace is not None and len(app.stages) == len(stages())
                         and all(s in ("done", "failed") for s in app.stages.values()), timeout=20.0)
        for start in range(0, len(keys), PAUSE_EVERY):
            chunk = keys[start:start + PAUSE_EVERY]
            try:
                await send(app, chunk)
                await pilot.pause()
            except Exception as exc:  # pragma: no cover - the report of a failure
                raise AssertionError(f"seed {seed}: keys {keys[max(0, start - 25):start + PAUSE_EVERY]}") from exc
            assert app.is_running, f"seed {seed}: the app stopped after keys up to {start + PAUSE_EVERY}"
            screens_seen.add(type(app.screen).__name__)
            if start % 200 == 0 and len(app.screen_stack) > 6:
                await pilot.press("escape", "escape", "escape")  # keep the stack from growing without end
        # A tiny terminal and back.
        await pilot.resize_terminal(20, 6)
        await pilot.pause()
        await pilot.press("down", "escape", "j")
        await pilot.resize_terminal(*size)
        await pilot.pause()
        assert app.is_running and app._exception is None  # noqa: SLF001
        # Still answering: F1 toggles the help screen from wherever we are.
        was_help = isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen) != was_help)
        assert app.export_screenshot()  # renders at the original size
    assert app._exception is None  # noqa: SLF001
    # The random walk really went places (more than the library).
    assert len(screens_seen) >= 3, screens_seen
    print(f"seed {seed} {size}: {len(keys)} keys, screens {sorted(screens_seen)}")
