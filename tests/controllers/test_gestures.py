"""Gesture recognition: one gesture per stroke, the dominant axis decides, named thresholds."""

from __future__ import annotations

import pytest

from kiosk.controllers.gestures import (
    SWIPE_MIN_DISTANCE,
    TAP_MAX_DISTANCE,
    Gesture,
    Stroke,
    recognize,
)


@pytest.mark.parametrize(
    ("dx", "dy", "expected"),
    [
        (-300, 20, Gesture.SWIPE_LEFT),
        (300, -40, Gesture.SWIPE_RIGHT),
        (10, -300, Gesture.SWIPE_UP),
        (-30, 300, Gesture.SWIPE_DOWN),
        (200, 190, Gesture.NONE),  # diagonal: ambiguous
        (SWIPE_MIN_DISTANCE - 1, 0, Gesture.NONE),  # too short to be a swipe
        (TAP_MAX_DISTANCE - 1, 0, Gesture.TAP),
        (0, 0, Gesture.TAP),
    ],
)
def test_dominant_axis_and_thresholds(dx: float, dy: float, expected: Gesture) -> None:
    assert recognize(Stroke(900, 500, 900 + dx, 500 + dy, 0.2)) is expected


def test_a_long_press_is_not_a_tap_and_a_slow_drag_is_not_a_swipe() -> None:
    assert recognize(Stroke(10, 10, 12, 10, 2.0)) is Gesture.NONE
    assert recognize(Stroke(900, 500, 300, 500, 3.0)) is Gesture.NONE
