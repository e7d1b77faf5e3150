"""A slide image under its caption, fitted to its pane (the presenter window's panes)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QSizePolicy,
    QWidget,
)


class SlidePane(QWidget):
    """One slide image under its caption, fitted to the pane, or a placeholder line."""

    resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The layout decides the size; the image follows it, never the other way round.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(160, 120)
        self._pixmap = QPixmap()
        self._caption = ""
        self._placeholder = ""
        self._aspect = 16 / 9
        self._caption_colour = QColor("#999999")
        self._frame_colour = QColor("#444444")
        self._max_image_height = 0  # > 0: the pane is as tall as its image (follow_width)

    def follow_width(self, max_image_height: int) -> None:
        """Be exactly as tall as the caption and the image at full width (image height capped)."""
        self._max_image_height = max(1, max_image_height)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._fit_height_to_width()

    def _fit_height_to_width(self) -> None:
        if self._max_image_height > 0:
            image = min(self._max_image_height, round(self.width() / self._aspect))
            self.setFixedHeight(self._caption_height() + image)

    def pixmap(self) -> QPixmap:
        """The image shown now (null while the placeholder is shown)."""
        return self._pixmap

    def caption(self) -> str:
        """The line above the image."""
        return self._caption

    def placeholder(self) -> str:
        """The line shown instead of an image."""
        return self._placeholder

    def set_colours(self, caption: QColor, frame: QColor) -> None:
        """Colours of the caption and of the thin line around the image."""
        self._caption_colour, self._frame_colour = QColor(caption), QColor(frame)
        self.update()

    def set_caption(self, text: str) -> None:
        """Set the line above the image."""
        self._caption = text
        self.update()

    def set_pixmap(self, pixmap: QPixmap) -> None:
        """Show `pixmap` (its device pixel ratio says how large it is on screen)."""
        if pixmap.cacheKey() != self._pixmap.cacheKey():
            self._pixmap = pixmap
            self.update()

    def show_placeholder(self, text: str) -> None:
        """Show a line of text in an empty frame instead of an image."""
        self._pixmap = QPixmap()
        self._placeholder = text
        self.update()

    def fit_device_size(self, aspect: float) -> QSize:
        """The largest size in device pixels with this width/height ratio that fits the pane."""
        aspect = aspect if aspect > 0 else 16 / 9
        if abs(aspect - self._aspect) > 1e-3:
            self._aspect = aspect
            self._fit_height_to_width()
        size = self._fit(self._aspect)
        ratio = self.devicePixelRatioF()
        return QSize(max(1, round(size.width() * ratio)), max(1, round(size.height() * ratio)))

    def _caption_height(self) -> int:
        return self.fontMetrics().height() + 8

    def _fit(self, aspect: float) -> QSizeF:
        width = float(self.width())
        height = float(max(1, self.height() - self._caption_height()))
        if width / height > aspect:
            return QSizeF(height * aspect, height)
        return QSizeF(width, width / aspect)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Tell the window: its image must be rendered again at the new size."""
        super().resizeEvent(event)
        self._fit_height_to_width()  # a new width only: no resize loop
        self.resized.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The caption at the top, the image under it with a thin frame."""
        if self._pixmap.isNull():
            size = self._fit(self._aspect).toSize()
        else:
            size = self._pixmap.deviceIndependentSize().toSize()
        caption = self._caption_height()
        image = QRect(0, caption, size.width(), size.height())
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self._caption_colour)
        painter.drawText(
            QRect(0, 0, self.width(), caption - 8),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self._caption,
        )
        if self._pixmap.isNull():
            painter.drawText(image, Qt.AlignmentFlag.AlignCenter, self._placeholder)
        else:
            painter.drawPixmap(image.topLeft(), self._pixmap)
        painter.setPen(self._frame_colour)
        painter.drawRect(image.adjusted(0, 0, -1, -1))
        painter.end()
