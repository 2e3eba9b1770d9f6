"""What a section has read and shown is kept out of the garbage collector's way (``gc.freeze``),
so that switching sections at national scale is not held up by full collections over it; what
is frozen and dropped again is freed by a full pass once the frozen objects have grown enough,
and nothing stays frozen after the app has ended."""

from __future__ import annotations

import gc
import weakref

import pytest

from conftest import settle

SIZE = (120, 40)

pytestmark = pytest.mark.usefixtures("no_follow_timers")


class Cycle:
    """An object in a reference cycle: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


def tracked(obj) -> bool:
    """Whether ``obj`` is in one of the collector's generations (frozen objects are in none)."""
    return any(o is obj for o in gc.get_objects())


async def test_what_a_section_shows_is_frozen_and_released_when_the_app_ends(demo_db, make_app):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.query_one("#roster-table").row_count  # the roster is shown
        assert gc.get_freeze_count() > 0
        assert not tracked(screen)  # frozen: full passes of the collector do not walk it
        await pilot.press("f5")  # a section shown for the first time is frozen too
        await settle(app, pilot)
        assert not tracked(app.screen)
    assert gc.get_freeze_count() == 0  # the collector has everything back


async def test_frozen_cycles_are_freed_once_the_frozen_objects_have_grown(demo_db, make_app, monkeypatch):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        dropped = Cycle()
        gone = weakref.ref(dropped)
        app.data_shown()
        await settle(app, pilot)
        assert not tracked(dropped)  # frozen with what the section shows
        del dropped
        # Grown less than FROZEN_GROWTH: a freeze after data was shown makes no full pass.
        monkeypatch.setattr("bouv_tui.tui.app.FROZEN_GROWTH", 1000.0)
        app.data_shown()
        await settle(app, pilot)
        assert gone() is not None
        # Grown past it: the next freeze makes one full pass, which frees the dropped cycle.
        monkeypatch.setattr("bouv_tui.tui.app.FROZEN_GROWTH", 0.0)
        app.data_shown()
        await settle(app, pilot)
        assert gone() is None
        assert gc.get_freeze_count() > 0  # and freezes what is still alive
