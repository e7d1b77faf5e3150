"""Layers painted over the slides (chrome, panels, keypad) and the targets they offer to taps.

The stage paints the slide (or the transition), then each visible layer in order, all in
canvas coordinates; a tap is offered to the topmost layer first. Layers read the Player and
call its methods from their targets; they keep no presentation state of their own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter

log = logging.getLogger(__name__)

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


class LayerStack:
    """The layers over the slides, bottom first. A layer that raises in any of its calls
    (painting, the frame rate it asks for, its tap targets) is logged once and hidden from
    then on: it paints nothing, asks for no frames and catches no taps, so one bug can
    neither stop the show nor make it flip slides at frame rate."""

    def __init__(self) -> None:
        self._layers: list[Layer] = []
        self._failed: set[int] = set()  # ids of layers that raised

    def __iter__(self) -> Iterator[Layer]:
        return iter(self._layers)

    def __getitem__(self, index: int) -> Layer:
        return self._layers[index]

    def add(self, layer: Layer) -> None:
        """Put `layer` above the layers added before it."""
        self._layers.append(layer)

    def failed(self, layer: Layer) -> bool:
        """True when `layer` raised once and is hidden for good."""
        return id(layer) in self._failed

    def _working(self) -> list[Layer]:
        return [layer for layer in self._layers if id(layer) not in self._failed]

    def _give_up(self, layer: Layer, doing: str) -> None:
        self._failed.add(id(layer))
        log.exception("layer %s failed %s; it is hidden", type(layer).__name__, doing)

    def _shown(self, layer: Layer) -> bool:
        try:
            return bool(layer.visible())
        except Exception:  # noqa: BLE001 - logged once; the layer is hidden
            self._give_up(layer, "to say whether it is visible")
            return False

    def frame_intervals(self, now: float) -> list[int]:
        """What each visible layer asks for (see `Layer.frame_interval`)."""
        wanted = []
        for layer in self._working():
            if not self._shown(layer):
                continue
            try:
                wanted.append(int(layer.frame_interval(now)))
            except Exception:  # noqa: BLE001 - logged once; the layer is hidden
                self._give_up(layer, "to give its frame interval")
        return wanted

    def hit_test(self, point: QPointF, canvas: QRectF) -> HitTarget | None:
        """The target under a canvas point, topmost visible layer first; modal layers stop
        the search. Hidden and failed layers catch nothing."""
        for layer in reversed(self._working()):
            if not self._shown(layer):
                continue
            try:
                targets = layer.targets(canvas)
                modal = layer.modal()
            except Exception:  # noqa: BLE001 - logged once; the layer is hidden
                self._give_up(layer, "to give its targets")
                continue
            for target in targets:
                if target.contains(point):
                    return target
            if modal:
                return None
        return None

    def reachable_targets(self, canvas: QRectF) -> list[HitTarget]:
        """Every target of the visible layers down to the first modal one, topmost first."""
        found: list[HitTarget] = []
        for layer in reversed(self._layers):
            if not layer.visible() or id(layer) in self._failed:
                continue
            found += layer.targets(canvas)
            if layer.modal():
                break
        return found

    def changing_area(self, canvas: QRectF, now: float) -> QRectF | None:
        """The canvas area the visible layers repaint differently from frame to frame by
        themselves (an autoplay line, a pulsing hint); None when a visible layer does not say
        (`changing_area`), or may change anywhere. What changes with the Player's state is
        repainted whole anyway: those changes ask for a whole frame."""
        found = QRectF()
        for layer in self._working():
            if not self._shown(layer):
                continue
            says = getattr(layer, "changing_area", None)
            if says is None:
                return None
            try:
                area = says(canvas, now)
            except Exception:  # noqa: BLE001 - logged once; the layer is hidden
                self._give_up(layer, "to give its changing area")
                return None
            if area is None:
                return None
            if not area.isEmpty():
                found = area if found.isEmpty() else found.united(area)
        return found

    def paint(self, painter: QPainter, canvas: QRectF, now: float) -> None:
        """Each visible, working layer in order, in canvas coordinates."""
        for layer in self._working():
            if not self._shown(layer):
                continue
            painter.save()
            try:
                layer.paint(painter, canvas, now)
            except Exception:  # noqa: BLE001 - logged once; the layer is hidden
                self._give_up(layer, "to paint")
            finally:
                painter.restore()
