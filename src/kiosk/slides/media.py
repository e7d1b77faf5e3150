"""Images for slides: decoded on demand with bounded memory, a tasteful placeholder when broken."""

from __future__ import annotations

import logging
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QImageReader, QLinearGradient, QPainter, QPen

from kiosk.slides.theme import SlideTheme

log = logging.getLogger(__name__)

MAX_DECODE_MB = 128  # QImageReader refuses to allocate more than this for one image
MAX_SIDE = 4096  # larger images are scaled down on load; no stage is wider than ~1900 canvas px, x2
RECENT_DECODED = 2  # decoded pictures kept: the one a gallery makes its plate and thumb from


class MediaLibrary:
    """Loads images relative to the content folder, caches them, reports each failure once."""

    def __init__(self, base_dir: Path) -> None:
        self.base_dir = base_dir
        self._base_dir = base_dir.resolve()
        self._failed: set[str] = set()
        self._recent: OrderedDict[str, QImage] = OrderedDict()
        QImageReader.setAllocationLimit(MAX_DECODE_MB)

    @property
    def failed(self) -> frozenset[str]:
        """Paths that could not be loaded (shown as placeholders)."""
        return frozenset(self._failed)

    def image(self, relative: str | None) -> QImage | None:
        """The decoded image, or None when missing or broken (the caller paints a placeholder)."""
        if relative is None or relative in self._failed:
            return None
        # Only the images made from a picture are cached (a background, a plate scaled for
        # the screen, a thumbnail; in the shared budgeted store): the decoded picture itself
        # is 6 MiB for 1600 px and costs a decode each time, needed only to make those.
        loaded = self._recent.pop(relative, None) or self._load(relative)
        if loaded is None:
            self._failed.add(relative)
            return None
        self._recent[relative] = loaded
        while len(self._recent) > RECENT_DECODED:
            self._recent.popitem(last=False)
        return loaded

    def file_key(self, relative: str) -> tuple[object, ...]:
        """What identifies the picture's bytes now (real path, size, modification time): a key
        for images made from it, which changes when the file is edited or its folder switched."""
        target = (self._base_dir / relative).resolve()
        try:
            info = target.stat()
        except OSError:
            return (str(target), None)
        return (str(target), info.st_size, info.st_mtime_ns)

    def image_size(self, relative: str | None) -> QSize | None:
        """The picture's size in pixels as it would load, from its header alone (no decoding,
        nothing logged); None without a readable header or outside the content folder."""
        if relative is None or relative in self._failed:
            return None
        target = self._target(relative, report=False)
        if target is None:
            return None
        size = QImageReader(str(target)).size()
        if not size.isValid():
            return None
        if max(size.width(), size.height()) > MAX_SIDE:
            return size.scaled(QSize(MAX_SIDE, MAX_SIDE), Qt.AspectRatioMode.KeepAspectRatio)
        return size

    def _target(self, relative: str, *, report: bool) -> Path | None:
        """The file of `relative` if it is inside the content folder and exists."""
        target = (self._base_dir / relative).resolve()
        if not target.is_relative_to(self._base_dir):
            if report:
                log.warning(
                    "media %s is outside the content folder; showing a placeholder", relative
                )
            return None
        if not target.is_file():
            if report:
                log.warning("media %s is missing; showing a placeholder", relative)
            return None
        return target

    def _load(self, relative: str) -> QImage | None:
        target = self._target(relative, report=True)
        if target is None:
            return None
        reader = QImageReader(str(target))
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid() and max(size.width(), size.height()) > MAX_SIDE:
            reader.setScaledSize(
                size.scaled(QSize(MAX_SIDE, MAX_SIDE), Qt.AspectRatioMode.KeepAspectRatio)
            )
        image = reader.read()
        if image.isNull():
            log.warning(
                "media %s cannot be decoded (%s); showing a placeholder",
                relative,
                reader.errorString(),
            )
            return None
        return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def paint_image_cover(
    painter: QPainter,
    image: QImage,
    target: QRectF,
    *,
    zoom: float = 1.0,
    pan: QPointF | None = None,
) -> None:
    """Paint `image` to fill `target` (crop, keep aspect), optionally zoomed and panned (0..1)."""
    if image.isNull() or target.isEmpty():
        return
    scale = max(target.width() / image.width(), target.height() / image.height()) * zoom
    source_w, source_h = target.width() / scale, target.height() / scale
    fx, fy = (0.5, 0.5) if pan is None else (pan.x(), pan.y())
    source = QRectF(
        (image.width() - source_w) * fx, (image.height() - source_h) * fy, source_w, source_h
    )
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(target, image, source)
    painter.restore()


def paint_image_contain(painter: QPainter, image: QImage, target: QRectF) -> None:
    """Paint `image` whole inside `target`, centred, keeping its aspect."""
    if image.isNull() or target.isEmpty():
        return
    scale = min(target.width() / image.width(), target.height() / image.height())
    w, h = image.width() * scale, image.height() * scale
    rect = QRectF(target.center().x() - w / 2, target.center().y() - h / 2, w, h)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(rect, image)
    painter.restore()


def paint_placeholder(painter: QPainter, target: QRectF, base: QColor, accent: QColor) -> None:
    """A calm stand-in for a missing image: a soft gradient with a simple picture mark."""
    painter.save()
    gradient = QLinearGradient(target.topLeft(), target.bottomRight())
    gradient.setColorAt(0.0, base.lighter(130))
    gradient.setColorAt(1.0, base)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    painter.drawRoundedRect(target, 12, 12)
    side = min(target.width(), target.height()) * 0.28
    mark = QRectF(
        target.center().x() - side / 2, target.center().y() - side * 0.4, side, side * 0.8
    )
    faded = QColor(accent)
    faded.setAlphaF(0.45)
    painter.setPen(QPen(faded, max(2.0, side * 0.05)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(mark, side * 0.08, side * 0.08)
    painter.drawEllipse(
        QPointF(mark.left() + side * 0.3, mark.top() + side * 0.25), side * 0.08, side * 0.08
    )
    painter.drawPolyline(
        [
            QPointF(mark.left() + side * 0.08, mark.bottom() - side * 0.1),
            QPointF(mark.left() + side * 0.4, mark.top() + side * 0.4),
            QPointF(mark.left() + side * 0.6, mark.bottom() - side * 0.3),
            QPointF(mark.left() + side * 0.72, mark.top() + side * 0.5),
            QPointF(mark.right() - side * 0.08, mark.bottom() - side * 0.1),
        ]
    )
    painter.restore()


def paint_backdrop(
    painter: QPainter, image: QImage | None, rect: QRectF, theme: SlideTheme, *, strength: float
) -> None:
    """A slide image as a faint, veiled backdrop (the placeholder, as faint, when missing)."""
    painter.save()
    painter.setOpacity(painter.opacity() * strength)
    if image is None:
        paint_placeholder(painter, rect, theme.surface, theme.accent)
    else:
        paint_image_cover(painter, image, rect)
    painter.restore()
    veil = QLinearGradient(rect.topLeft(), rect.bottomLeft())  # calm the image behind text
    for stop, alpha in ((0.0, 0.6), (0.45, 0.2), (1.0, 0.7)):
        color = QColor(theme.background)
        color.setAlphaF(alpha)
        veil.setColorAt(stop, color)
    painter.fillRect(rect, veil)
