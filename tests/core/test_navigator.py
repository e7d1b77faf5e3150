"""Navigation rules at the edges of the show."""

from __future__ import annotations

from kiosk.core.navigator import Navigator


def test_next_and_previous_wrap_around_when_looping() -> None:
    nav = Navigator(3, loop=True)
    assert [nav.next(0), nav.next(1), nav.next(2)] == [1, 2, 0]
    assert [nav.previous(0), nav.previous(2)] == [2, 1]


def test_without_loop_the_ends_stop() -> None:
    nav = Navigator(3, loop=False)
    assert nav.next(2) is None
    assert nav.previous(0) is None


def test_a_single_slide_has_nowhere_to_go_and_clamp_keeps_inside() -> None:
    assert Navigator(1).next(0) is None
    assert Navigator(1).previous(0) is None
    assert Navigator(4).clamp(99) == 3
    assert Navigator(4).clamp(-5) == 0
    assert Navigator(0).clamp(3) == 0
