"""Transitions between two pre-rendered images of the outgoing and incoming slides.

Painting two images costs a fraction of fading live widget trees with QGraphicsOpacityEffect
(`kiosk bench` times both: "transition fade" against "naive_opacity_effect"), so slides are
never animated as widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter

from kiosk.core.easing import EASINGS, Easing


class Transition:
    """Base: paints a frame between `outgoing` and `incoming` at linear progress 0..1."""

    name = "none"
    easing: Easing = staticmethod(EASINGS["in_out_cubic"])  # a plain function, not a method

    def paint(
        self, painter: QPainter, outgoing: QImage, incoming: QImage, progress: float, direction: int
    ) -> None:
        """Paint one frame; both images cover the whole widget."""
        painter.drawImage(QPointF(0, 0), incoming)


class FadeTransition(Transition):
    """Cross-fade."""

    name = "fade"

    def paint(
        self, painter: QPainter, outgoing: QImage, incoming: QImage, progress: float, direction: int
    ) -> None:
        """The outgoing image, then the incoming one on top with growing opacity."""
        eased = self.easing(progress)
        painter.drawImage(QPointF(0, 0), outgoing)
        if eased <= 0.0:
            return  # nothing of the incoming slide shows yet: no blend of a whole image
        painter.setOpacity(eased)
        painter.drawImage(QPointF(0, 0), incoming)
        painter.setOpacity(1.0)


class SlideTransition(Transition):
    """Push: the incoming slide pushes the outgoing one off, in the direction of travel."""

    name = "slide"

    def paint(
        self, painter: QPainter, outgoing: QImage, incoming: QImage, progress: float, direction: int
    ) -> None:
        """Both images side by side, offset by the eased progress (whole pixels: no resampling)."""
        width = outgoing.deviceIndependentSize().width()
        sign = -1 if direction < 0 else 1
        offset = round(self.easing(progress) * width)
        painter.drawImage(QPointF(-sign * offset, 0), outgoing)
        painter.drawImage(QPointF(sign * (width - offset), 0), incoming)


class ZoomTransition(Transition):
    """The incoming slide grows from slightly smaller while fading in over the dimmed outgoing."""

    name = "zoom"
    start_scale = 0.9

    def paint(
        self, painter: QPainter, outgoing: QImage, incoming: QImage, progress: float, direction: int
    ) -> None:
        """Outgoing as is; incoming scaled about the centre and faded in."""
        eased = self.easing(progress)
        size = incoming.deviceIndependentSize()
        scale = self.start_scale + (1.0 - self.start_scale) * eased
        w, h = size.width() * scale, size.height() * scale
        target = QRectF((size.width() - w) / 2, (size.height() - h) / 2, w, h)
        painter.drawImage(QPointF(0, 0), outgoing)
        if eased <= 0.0:
            return  # nothing of the incoming slide shows yet
        painter.setOpacity(eased)
        if eased >= 1.0:
            painter.drawImage(QPointF(0, 0), incoming)
        else:
            # The one resampled draw, and the cost of this transition: a bilinear scale
            # with an opacity is ~2x an unscaled cross-fade (nearest-neighbour is no faster
            # through QPainter, and painting the opaque scale first then the outgoing over
            # it was measured no faster either).
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(target, incoming)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.setOpacity(1.0)


TRANSITIONS: dict[str, Transition] = {
    transition.name: transition
    for transition in (Transition(), FadeTransition(), SlideTransition(), ZoomTransition())
}


def transition_named(name: str) -> Transition:
    """The transition registered under `name`; unknown names fall back to a fade."""
    return TRANSITIONS.get(name, TRANSITIONS["fade"])


@dataclass
class RunningTransition:
    """A transition under way: its two images and when it started (the stage's clock)."""

    transition: Transition
    outgoing: QImage
    incoming: QImage
    started: float
    seconds: float
    direction: int
    # The slide still painted live until the transition's first frame: that frame becomes
    # `outgoing` (a stand-in until then) and the transition starts with it (ui/stage.py).
    capture: int | None = None

    def progress(self, now: float) -> float:
        """Linear progress 0..1 (1 for a transition of no duration)."""
        return (now - self.started) / self.seconds if self.seconds > 0 else 1.0

    def over(self, now: float) -> bool:
        """True once the incoming slide stands alone."""
        return self.progress(now) >= 1.0

    def paint(self, painter: QPainter, now: float) -> None:
        """The frame at `now`."""
        self.transition.paint(
            painter, self.outgoing, self.incoming, self.progress(now), self.direction
        )
