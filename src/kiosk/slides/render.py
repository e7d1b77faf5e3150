"""Paint a slide view into an image at a device size: for transitions, export and tests."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPainter

from kiosk.content.model import Language
from kiosk.slides.base import FINAL, Frame, SlideView
from kiosk.slides.canvas import fit, place


def paint_scaled(painter: QPainter, view: SlideView, size: QSize | QSizeF, frame: Frame) -> None:
    """Paint `view` on `painter`, the logical canvas of `frame` fitted to `size` pixels
    (centred with dark bars when the shapes differ)."""
    placement = fit(size.width(), size.height(), frame.canvas)
    painter.save()
    if placement.letterboxed:
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), Qt.GlobalColor.black)
    placement.apply(painter)
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
    canvas: QSizeF | None = None,
    seams: Sequence[float] = (),
) -> QImage:
    """Render `view` at `size` device pixels; reuse `image` when it has that size.

    The canvas is the one of `size` (with bezel `seams` in image pixels), or `canvas` when
    given: a thumbnail of the stage's slide keeps the stage's layout, seams included.
    """
    if image is None or image.size() != size:
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    if canvas is None:
        canvas = place(size.width(), size.height(), seams).canvas
    frame = Frame(canvas, language, entrance, clock)
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
