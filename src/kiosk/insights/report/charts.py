"""The report's charts: pyqtgraph plots rendered offscreen into PNG images, with titles and
numbers set in the bundled font by QPainter (Chinese labels drawn right on any PC).

Like the slides' bar charts (slides/bars.py), a plot lives in a bare QGraphicsScene: no
widget, no view, no context menu.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

PIXEL_RATIO = 2  # device pixels per CSS pixel: crisp on high-density screens and in print
HEADER_H = 62.0
PAD = 16.0


@dataclass(frozen=True)
class ChartStyle:
    """Colours and the font family of the report (a light page, for screens and print)."""

    family: str
    background: QColor = field(default_factory=lambda: QColor("#ffffff"))
    text: QColor = field(default_factory=lambda: QColor("#1f2933"))
    muted: QColor = field(default_factory=lambda: QColor("#616e7c"))
    grid: QColor = field(default_factory=lambda: QColor("#d9dee4"))
    bar: QColor = field(default_factory=lambda: QColor("#0f7c8c"))
    highlight: QColor = field(default_factory=lambda: QColor("#e07a1f"))

    def font(self, pixel_size: float, *, bold: bool = False) -> QFont:
        """The bundled family at `pixel_size` CSS pixels."""
        font = QFont(self.family)
        font.setPixelSize(max(1, round(pixel_size)))
        font.setWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
        return font


def png_bytes(image: QImage) -> bytes:
    """`image` encoded as PNG."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG image")
    buffer.close()
    return bytes(data.data())


def new_image(width: float, height: float, style: ChartStyle) -> QImage:
    """A blank chart image of `width` x `height` CSS pixels at PIXEL_RATIO."""
    image = QImage(
        round(width * PIXEL_RATIO),
        round(height * PIXEL_RATIO),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(PIXEL_RATIO)
    image.fill(style.background)
    return image


def start_painter(image: QImage) -> QPainter:
    """A painter on `image` with the hints every chart uses."""
    painter = QPainter(image)
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )
    return painter


def draw_header(
    painter: QPainter, style: ChartStyle, width: float, title: str, subtitle: str
) -> None:
    """The chart's title, and under it the kiosk's name and the period."""
    painter.setPen(style.text)
    painter.setFont(style.font(19, bold=True))
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    painter.drawText(QRectF(PAD, 8, width - 2 * PAD, 28), flags, title)
    painter.setPen(style.muted)
    painter.setFont(style.font(13))
    painter.drawText(QRectF(PAD, 36, width - 2 * PAD, 20), flags, subtitle)


def _nice_top(value: float) -> float:
    """A round axis top at or above `value` (1, 2, 2.5, 5 × 10^k)."""
    if value <= 0:
        return 1.0
    power = 1.0
    while power * 10 <= value:
        power *= 10
    while power > value:
        power /= 10
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value:
            return step * power
    return 10 * power


def _ticks(top: float) -> list[tuple[float, str]]:
    step = top / 5 if top >= 5 else max(1.0, round(top / 5))
    ticks = []
    value = 0.0
    while value <= top + 1e-9:
        ticks.append((value, f"{value:g}"))
        value += step
    return ticks


class _Plot:
    """A pyqtgraph PlotItem in a bare scene with category and value axes."""

    def __init__(self, style: ChartStyle, horizontal: bool) -> None:
        import pyqtgraph as pg
        from PySide6.QtWidgets import QGraphicsScene

        pg.setConfigOptions(antialias=True)

        class SceneAxis(pg.AxisItem):
            """An axis without a view: its scene is the device."""

            def mapToDevice(self, obj: Any) -> Any:  # pyqtgraph's name
                return self.sceneTransform().map(obj)

        self.pg = pg
        self.scene = QGraphicsScene()
        self.scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.axes = {"left": SceneAxis("left"), "bottom": SceneAxis("bottom")}
        self.plot = pg.PlotItem(axisItems=self.axes, enableMenu=False)
        self.plot.setMenuEnabled(False, enableViewBoxMenu=False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(False, False)
        self.plot.setContentsMargins(0, 0, 0, 0)
        self.plot.layout.setContentsMargins(0, 0, 0, 0)
        self.plot.disableAutoRange()
        self.scene.addItem(self.plot)
        pen = pg.mkPen(style.grid, width=1)
        for axis in self.axes.values():
            axis.setPen(pen)
            axis.setTextPen(style.muted)
            axis.setStyle(tickFont=style.font(12), tickLength=0, tickTextOffset=8)
        value_axis = self.axes["bottom" if horizontal else "left"]
        value_axis.setGrid(70)

    def render(self, painter: QPainter, target: QRectF) -> None:
        self.plot.setGeometry(QRectF(0, 0, target.width(), target.height()))
        self.plot.layout.activate()
        self.plot.vb.prepareForPaint()
        self.scene.render(painter, target, QRectF(0, 0, target.width(), target.height()))

    def to_image(self, target: QRectF, x: float, y: float) -> QPointF:
        """A point in data units as a position on the chart image."""
        return self.plot.vb.mapViewToScene(QPointF(x, y)) + target.topLeft()


def bar_chart(
    style: ChartStyle,
    title: str,
    subtitle: str,
    labels: Sequence[str],
    values: Sequence[float],
    value_texts: Sequence[str],
    *,
    width: float = 900,
    height: float = 320,
    horizontal: bool = False,
    label_every: int = 1,
    highlight: Sequence[int] = (),
) -> QImage:
    """Bars with a value over (or beside) each, the category labels under (or left of) them."""
    image = new_image(width, height, style)
    painter = start_painter(image)
    try:
        draw_header(painter, style, width, title, subtitle)
        target = QRectF(PAD, HEADER_H + 8, width - 2 * PAD, height - HEADER_H - 8 - PAD)
        plot = _Plot(style, horizontal)
        count = len(values)
        top = _nice_top(max(values, default=0) * (1.12 if horizontal else 1.0))
        pg = plot.pg
        brushes = [style.highlight if i in highlight else style.bar for i in range(count)]
        category_ticks = [
            (i, label) for i, label in enumerate(labels) if i % max(1, label_every) == 0
        ]
        metrics = QFontMetricsF(style.font(12))
        if horizontal:
            bars = pg.BarGraphItem(
                x0=[0.0] * count,
                y=list(range(count)),
                height=0.62,
                width=list(values),
                brushes=brushes,
                pen=pg.mkPen(None),
            )
            plot.plot.invertY(True)  # the first category on top
            plot.plot.setYRange(-0.5, count - 0.5, padding=0)
            plot.plot.setXRange(0, top, padding=0)
            plot.axes["left"].setTicks([category_ticks, []])
            plot.axes["left"].setWidth(
                max((metrics.horizontalAdvance(label) for label in labels), default=0) + 14
            )
            plot.axes["bottom"].setTicks([_ticks(top), []])
        else:
            bars = pg.BarGraphItem(
                x=list(range(count)),
                height=list(values),
                width=0.66,
                brushes=brushes,
                pen=pg.mkPen(None),
            )
            plot.plot.setXRange(-0.5, count - 0.5, padding=0)
            plot.plot.setYRange(0, top * 1.1, padding=0)
            plot.axes["bottom"].setTicks([category_ticks, []])
            plot.axes["left"].setTicks([_ticks(top), []])
            plot.axes["left"].setWidth(
                max(metrics.horizontalAdvance(text) for _, text in _ticks(top)) + 14
            )
        plot.plot.addItem(bars)
        plot.render(painter, target)
        painter.setFont(style.font(12, bold=True))
        painter.setPen(style.text)
        for index, (value, text) in enumerate(zip(values, value_texts, strict=True)):
            if not text:
                continue
            if horizontal:
                point = plot.to_image(target, value, index)
                box = QRectF(point.x() + 6, point.y() - 10, 160, 20)
                painter.drawText(
                    box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text
                )
            else:
                point = plot.to_image(target, index, value)
                box = QRectF(point.x() - 40, point.y() - 20, 80, 18)
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    finally:
        painter.end()
    return image
