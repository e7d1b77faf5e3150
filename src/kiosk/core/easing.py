"""Easing curves by name: pure functions from linear progress 0..1 to eased progress."""

from __future__ import annotations

import math
from collections.abc import Callable

Easing = Callable[[float], float]


def clamp01(t: float) -> float:
    """Clamp progress into 0..1 (NaN counts as 0)."""
    if not t > 0.0:
        return 0.0
    return 1.0 if t > 1.0 else t


def linear(t: float) -> float:
    """No easing."""
    return clamp01(t)


def out_cubic(t: float) -> float:
    """Fast start, gentle landing: entrances."""
    t = clamp01(t)
    return 1.0 - (1.0 - t) ** 3


def in_out_cubic(t: float) -> float:
    """Gentle start and end: transitions."""
    t = clamp01(t)
    return 4 * t**3 if t < 0.5 else 1 - (-2 * t + 2) ** 3 / 2


def out_back(t: float) -> float:
    """Slight overshoot, then settle: cards rising into place."""
    t = clamp01(t)
    c1 = 1.70158
    c3 = c1 + 1
    return 1 + c3 * (t - 1) ** 3 + c1 * (t - 1) ** 2


def in_out_sine(t: float) -> float:
    """Very soft: ambient motion."""
    return -(math.cos(math.pi * clamp01(t)) - 1) / 2


EASINGS: dict[str, Easing] = {
    "linear": linear,
    "out_cubic": out_cubic,
    "in_out_cubic": in_out_cubic,
    "out_back": out_back,
    "in_out_sine": in_out_sine,
}


def stagger(elapsed: float, index: int, *, delay: float, step: float, duration: float) -> float:
    """Linear progress 0..1 of the `index`-th element of a staggered entrance at `elapsed` s."""
    if duration <= 0:
        return 1.0
    return clamp01((elapsed - delay - index * step) / duration)
