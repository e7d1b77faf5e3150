"""Layers painted over the slides (chrome, panels, keypad) and the targets they offer to taps.

The stage paints the slide (or the transition), then each visible layer in order, all in
canvas coordinates; a tap is offered to the topmost layer first. Layers read the Player and
call its methods from their targets; they keep no presentation state of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter

MIN_TARGET = 48.0  # canvas pixels: the smallest touch target anyone should have to hit


@dataclass(frozen=True)
class HitTarget:
    """A tappable area in canvas coordinates, named for tests (e.g. "dot:3", "language")."""

    rect: QRectF
    name: str
    action: Callable[[], None]

    def contains(self, point: QPointF) -> bool:
        """True when `point` (canvas coordinates) is inside the target."""
        return self.rect.contains(point)


class Layer(Protocol):
    """Something painted over the slides."""

    def visible(self) -> bool:
        """True when the layer paints anything at all."""
        ...

    def modal(self) -> bool:
        """True when the layer takes every tap (nothing below it is reachable)."""
        ...

    def frame_interval(self, now: float) -> int:
        """Milliseconds between the frames the layer needs now (16 for a fade, 100 for a
        countdown line), or 0 when it is still."""
        ...

    def paint(self, painter: QPainter, canvas: QRectF, now: float) -> None:
        """Paint in canvas coordinates."""
        ...

    def targets(self, canvas: QRectF) -> list[HitTarget]:
        """Tappable areas, topmost first."""
        ...


RequestUpdate = Callable[[], None]
