"""Gesture recognition as a pure function, with named thresholds (in canvas pixels)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SWIPE_MIN_DISTANCE = 80.0  # shorter movements are not a swipe
SWIPE_MAX_SECONDS = 1.2  # slower movements are a drag that changed its mind
TAP_MAX_DISTANCE = 24.0  # a finger wobbles; more than this is not a tap
TAP_MAX_SECONDS = 0.8
DOMINANCE = 1.2  # the dominant axis must be this much longer than the other


class Gesture(StrEnum):
    """What one press-move-release meant."""

    NONE = "none"
    TAP = "tap"
    SWIPE_LEFT = "swipe-left"  # finger moved to the left: next slide
    SWIPE_RIGHT = "swipe-right"  # previous slide
    SWIPE_UP = "swipe-up"  # next slide (portrait screens)
    SWIPE_DOWN = "swipe-down"  # previous slide


@dataclass(frozen=True)
class Stroke:
    """A finished press-move-release in canvas coordinates."""

    x0: float
    y0: float
    x1: float
    y1: float
    seconds: float


def recognize(stroke: Stroke) -> Gesture:
    """Classify a stroke: one gesture, the dominant axis decides between horizontal and vertical."""
    dx, dy = stroke.x1 - stroke.x0, stroke.y1 - stroke.y0
    distance = (dx * dx + dy * dy) ** 0.5
    if distance <= TAP_MAX_DISTANCE:
        return Gesture.TAP if stroke.seconds <= TAP_MAX_SECONDS else Gesture.NONE
    if distance < SWIPE_MIN_DISTANCE or stroke.seconds > SWIPE_MAX_SECONDS:
        return Gesture.NONE
    if abs(dx) >= abs(dy) * DOMINANCE:
        return Gesture.SWIPE_LEFT if dx < 0 else Gesture.SWIPE_RIGHT
    if abs(dy) >= abs(dx) * DOMINANCE:
        return Gesture.SWIPE_UP if dy < 0 else Gesture.SWIPE_DOWN
    return Gesture.NONE  # diagonal: ambiguous, do nothing rather than guess
