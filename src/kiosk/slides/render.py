"""Paint a slide view into an image at a device size: for transitions, export and tests."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QPainter

from kiosk.content.model import Language
from kiosk.slides.base import FINAL, Frame, SlideView, canvas_for


def paint_scaled(painter: QPainter, view: SlideView, size: QSize, frame: Frame) -> None:
    """Paint `view` on `painter`, scaling the logical canvas of `frame` to `size` pixels."""
    scale = size.width() / frame.canvas.width()
    painter.save()
    painter.scale(scale, scale)
    view.paint(painter, frame)
    painter.restore()


def render_view(
    view: SlideView,
    size: QSize,
    language: Language,
    *,
    entrance: float = FINAL,
    clock: float = 0.0,
    image: QImage | None = None,
) -> QImage:
    """Render `view` at `size` device pixels; reuse `image` when it has that size."""
    if image is None or image.size() != size:
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    frame = Frame(canvas_for(size.width(), size.height()), language, entrance, clock)
    painter = QPainter(image)
    try:
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        paint_scaled(painter, view, size, frame)
    finally:
        painter.end()
    return image
