"""The common attract timeline of `sync: wall_clock` (pure, no Qt).

Every kiosk with the same content computes the same slot lengths, so the slide on screen and
the moment within it are a function of UTC time alone: position = (now - epoch) mod loop length,
with the Unix epoch as the epoch. No protocol and no server: the clocks agree through NTP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BOUNDARY_SLACK_S = 0.002  # a timer that fires this close before a boundary has reached it


@dataclass(frozen=True)
class TimelinePosition:
    """Where the loop is at one instant."""

    index: int  # position in the loop (the slot)
    into: float  # seconds since the slot began
    left: float  # seconds until it ends
    phase: float  # seconds since the loop began


def position_at(slots: Sequence[float], utc: float) -> TimelinePosition:
    """The slot at UTC seconds `utc` of a loop made of `slots` (seconds each, in order).

    An instant within BOUNDARY_SLACK_S before a boundary counts as the next slot, so that a
    timer firing a hair early does not re-arm itself for a millisecond.
    """
    total = sum(slots)
    if not slots or total <= 0:
        return TimelinePosition(0, 0.0, 0.0, 0.0)
    phase = (utc + BOUNDARY_SLACK_S) % total
    start = 0.0
    for index, length in enumerate(slots):
        if phase < start + length:
            into = max(0.0, phase - start - BOUNDARY_SLACK_S)
            left = start + length - phase + BOUNDARY_SLACK_S
            return TimelinePosition(index, into, left, utc % total)
        start += length
    last = len(slots) - 1  # rounding at the very end of the loop
    return TimelinePosition(last, slots[last], BOUNDARY_SLACK_S, utc % total)
