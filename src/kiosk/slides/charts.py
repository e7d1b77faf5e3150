"""The charts of the indicators slide, drawn only from the content's own numbers.

Bars use pyqtgraph (the project's chart library) in an offscreen QGraphicsScene: no widget and
no view, so no mouse input and no context menu (pyqtgraph's menu offers "Export…", a file dialog
that must never be reachable in a kiosk). Rings and marks are a few QPainter calls each.
Each painter has `build(rect, language)` (a cached layout of rects and TextBoxes) and
`paint(painter, layout, elapsed)` where `elapsed` is seconds since the chart's entrance began.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from kiosk.content.model import BarChart, Language, MarksChart, RingChart
from kiosk.core.easing import clamp01, out_cubic, stagger
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_CENTER, ALIGN_LEFT, ALIGN_MIDDLE, TextBox, fit_text

if TYPE_CHECKING:
    from PySide6.QtWidgets import QGraphicsScene

Chart = BarChart | RingChart | MarksChart
BAR_MAX_WIDTH = 150.0  # canvas px; two bars in a wide chart would otherwise look like walls
RENDER_PAD = 24.0  # canvas px around the plot, so the top tick label is not clipped


def decimals_of(value: float) -> int:
    """Digits after the point of `value` as written (1150.2 -> 1, 318 -> 0), at most 4."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return min(4, max(0, -exponent)) if isinstance(exponent, int) else 0


def format_number(value: float, decimals: int) -> str:
    """`value` with `decimals` digits; thousands grouped only from 10 000 on (1150.2 stays)."""
    text = f"{value:.{decimals}f}"
    if abs(value) >= 10_000:
        text = f"{value:,.{decimals}f}"
    return text


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above `value` (axis top when none is given)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value * (1 - 1e-9):
            return step * power
    return 10.0 * power


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step giving about `ticks` intervals over `span`."""
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return min(
        (m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0)), key=lambda step: abs(math.log(step / raw))
    )


def faint(color: QColor, alpha: float) -> QColor:
    """`color` at `alpha` opacity (tracks, grid lines)."""
    result = QColor(color)
    result.setAlphaF(alpha)
    return result


def _title_box(title: Any, rect: QRectF, language: Language, theme: SlideTheme) -> TextBox | None:
    if title is None:
        return None
    return fit_text(
        title[language],
        QRectF(rect.left(), rect.top(), rect.width(), 44),
        theme,
        size=28,
        min_size=18,
        color=theme.muted,
        wrap=False,
        align=ALIGN_LEFT,
    )


def _below(title: TextBox | None, rect: QRectF) -> float:
    return rect.top() + (64.0 if title is not None else 0.0)


# --- bars -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BarsLayout:
    """Where the bar chart goes: the rendered plot, its value area and the bar texts."""

    title: TextBox | None
    plot_rect: QRectF  # canvas rect the pyqtgraph PlotItem is rendered into
    view_rect: QRectF  # the value area: bottom = 0, top = axis_max
    values: list[TextBox]  # on top of each bar (at its final height)
    labels: list[TextBox]  # under each bar
    language: Language


class _BarPlot:
    """The pyqtgraph items of one bar chart, built once and updated per frame."""

    def __init__(self, chart: BarChart, theme: SlideTheme, axis_max: float) -> None:
        import numpy as np
        import pyqtgraph as pg
        from PySide6.QtWidgets import QGraphicsScene

        pg.setConfigOptions(antialias=True)  # before any item exists

        class CanvasAxis(pg.AxisItem):
            """An axis without a view: one scene unit is one canvas pixel."""

            def mapToDevice(self, obj: Any) -> Any:  # pyqtgraph's name
                return self.sceneTransform().map(obj)

            def boundingRect(self) -> QRectF:  # Qt's name
                # With a grid pyqtgraph drops tick labels poking out of the plot's height,
                # which hides the "0" at the bottom and the tick at the top of the axis.
                return super().boundingRect().adjusted(0, -RENDER_PAD, 0, RENDER_PAD)

        self._np = np
        self.theme = theme
        self.values = np.array([bar.value for bar in chart.bars], dtype=float)
        self.scene: QGraphicsScene = QGraphicsScene()
        # No BSP index: BarGraphItem.setOpts announces its new bounds too late for the index,
        # which then culls bars that grew from zero height. A handful of items needs no index.
        self.scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        axes = {"left": CanvasAxis("left"), "bottom": CanvasAxis("bottom")}
        self.plot = pg.PlotItem(axisItems=axes, enableMenu=False)
        self.plot.setMenuEnabled(False, enableViewBoxMenu=False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        for item in (self.plot, self.plot.vb, *axes.values()):
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            item.setAcceptHoverEvents(False)
        self.plot.setContentsMargins(0, 0, 0, 0)
        self.plot.layout.setContentsMargins(0, 0, 0, 0)
        self.plot.layout.setSpacing(0)
        self.scene.addItem(self.plot)

        count = len(chart.bars)
        self.plot.disableAutoRange()
        self.plot.setXRange(-0.5, count - 0.5, padding=0)
        self.plot.setYRange(0, axis_max, padding=0)
        pen = pg.mkPen(faint(theme.muted, 0.55), width=1.5, cosmetic=False)
        tick_font = theme.font(20)
        step = nice_step(axis_max)
        digits = decimals_of(step)
        ticks = [
            (i * step, format_number(i * step, digits))
            for i in range(int(axis_max / step + 1e-9) + 1)
        ]
        self.tick_width = max(QFontMetricsF(tick_font).horizontalAdvance(t) for _, t in ticks)
        left = axes["left"]
        left.setPen(pen)
        left.setTextPen(theme.muted)
        left.setStyle(
            tickFont=tick_font,
            tickLength=0,
            tickTextOffset=14,
            autoExpandTextSpace=False,
            autoReduceTextSpace=False,
        )
        left.setTicks([ticks, []])
        left.setGrid(40)  # faint horizontal lines at the ticks, across the bars
        bottom = axes["bottom"]
        bottom.setPen(pen)
        bottom.setStyle(showValues=False, tickLength=0)
        bottom.setTicks([[], []])
        bottom.setHeight(2)
        self.left = left
        self.bars = pg.BarGraphItem(
            x=np.arange(count, dtype=float),
            height=self.values * 0,
            width=0.5,
            brush=QColor(theme.accent),
            pen=pg.mkPen(None),
        )
        self.plot.addItem(self.bars)
        self._key: tuple[float, float, str] | None = None
        self._heights = self.values * 0
        self._opacity = 1.0

    def configure(self, size: QSizeF, unit: str | None) -> QRectF:
        """Fit the plot to `size` with the unit as axis label; the value area in plot units."""
        key = (size.width(), size.height(), unit or "")
        if key != self._key:
            self._key = key
            label_px = 0.0
            if unit:
                font = self.theme.font(20)
                text = QFontMetricsF(font).elidedText(
                    unit, Qt.TextElideMode.ElideRight, size.height() * 0.9
                )
                # The item's own font, not CSS: pyqtgraph quotes its style attribute with ',
                # which a quoted family name would break (Chinese then falls back to any font).
                self.left.label.setFont(font)
                self.left.setLabel(
                    html.escape(text), color=self.theme.muted.name(), **{"font-size": "20px"}
                )
                label_px = 34.0
            else:
                self.left.showLabel(False)
            self.left.setWidth(label_px + self.tick_width + 18)
            self.plot.setGeometry(QRectF(QPointF(0, 0), size))
            self.plot.layout.activate()
            slot = self.plot.vb.boundingRect().width() / len(self.values)
            self.bars.setOpts(width=min(0.56, BAR_MAX_WIDTH / max(slot, 1.0)))
        return self.plot.vb.mapRectToItem(self.plot, self.plot.vb.boundingRect())

    def show(self, grown: list[float], opacity: float) -> None:
        """Grow each bar to its fraction of its value and fade the plot, for the next render."""
        heights = self.values * self._np.asarray(grown, dtype=float)
        if not self._np.array_equal(heights, self._heights):
            self._heights = heights
            self.bars.setOpts(height=heights)  # updates the one BarGraphItem, builds nothing
        if opacity != self._opacity:
            self._opacity = opacity
            self.plot.setOpacity(opacity)

    def render(self, painter: QPainter, target: QRectF) -> None:
        """Paint the plot into `target` (canvas coords) on the slide's painter."""
        # What pyqtgraph's own GraphicsScene does before painting: apply the view range to the
        # view box's transform (a no-op when nothing changed). A plain scene must ask for it.
        self.plot.vb.prepareForPaint()
        source = QRectF(QPointF(0, 0), target.size())
        pad = RENDER_PAD
        self.scene.render(
            painter, target.adjusted(-pad, -pad, pad, pad), source.adjusted(-pad, -pad, pad, pad)
        )


class BarChartPainter:
    """Bars on a fixed axis that grow from 0 to their value; labels under, values on top."""

    duration = 1.65  # 0.15 s delay + at most 0.6 s of stagger + 0.9 s of growth

    def __init__(self, chart: BarChart, theme: SlideTheme) -> None:
        self.chart = chart
        self.theme = theme
        self.axis_max = chart.axis_max or nice_ceiling(max(bar.value for bar in chart.bars))
        self._plot: _BarPlot | None = None  # built on first use: pyqtgraph stays off start-up

    @property
    def plot(self) -> _BarPlot:
        """The pyqtgraph items (built once per view)."""
        if self._plot is None:
            self._plot = _BarPlot(self.chart, self.theme, self.axis_max)
        return self._plot

    def build(self, rect: QRectF, language: Language) -> BarsLayout:
        """Lay out the chart in `rect`."""
        title = _title_box(self.chart.title, rect, language, self.theme)
        value_h, label_h = 44.0, 76.0
        top = _below(title, rect) + value_h
        plot_rect = QRectF(rect.left(), top, rect.width(), rect.bottom() - label_h - 14 - top)
        unit = self.chart.unit[language] if self.chart.unit is not None else None
        view = self.plot.configure(plot_rect.size(), unit).translated(plot_rect.topLeft())
        slot = view.width() / len(self.chart.bars)
        values: list[TextBox] = []
        labels: list[TextBox] = []
        for index, bar in enumerate(self.chart.bars):
            x = view.left() + index * slot + 6
            bar_top = view.bottom() - view.height() * bar.value / self.axis_max
            text = format_number(bar.value, decimals_of(bar.value))
            values.append(
                fit_text(
                    text,
                    QRectF(x, bar_top - value_h, slot - 12, value_h - 4),
                    self.theme,
                    size=30,
                    min_size=16,
                    bold=True,
                    align=ALIGN_CENTER,
                    wrap=False,
                )
            )
            labels.append(
                fit_text(
                    bar.label[language],
                    QRectF(x, view.bottom() + 14, slot - 12, label_h),
                    self.theme,
                    size=24,
                    min_size=15,
                    align=ALIGN_CENTER,
                    color=self.theme.text,
                )
            )
        return BarsLayout(title, plot_rect, view, values, labels, language)

    def paint(self, painter: QPainter, layout: BarsLayout, elapsed: float) -> None:
        """Paint the chart `elapsed` seconds into its entrance."""
        plot = self.plot
        unit = self.chart.unit[layout.language] if self.chart.unit is not None else None
        plot.configure(layout.plot_rect.size(), unit)  # no-op unless another layout painted
        fade = out_cubic(elapsed / 0.35)
        count = len(self.chart.bars)
        step = min(0.15, 0.6 / max(1, count - 1))  # the last bar starts 0.6 s after the first
        grows = [
            out_cubic(stagger(elapsed, i, delay=0.15, step=step, duration=0.9))
            for i in range(count)
        ]
        plot.show(grows, fade)
        if layout.title is not None:
            layout.title.draw(painter, opacity=fade)
        if fade <= 0.0:
            return
        plot.render(painter, layout.plot_rect)
        height = layout.view_rect.height()
        for index, grow in enumerate(grows):
            value = plot.values[index] / self.axis_max * height
            layout.values[index].draw(
                painter, opacity=clamp01(grow * 2.5 - 1.2), dy=value * (1.0 - grow)
            )
            layout.labels[index].draw(painter, opacity=clamp01(grow * 3.0), dy=8 * (1 - grow))


# --- rings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RingsLayout:
    """Ring squares with their value inside and their label below."""

    title: TextBox | None
    rings: list[QRectF]  # the square each ring's centre line is drawn in
    stroke: float
    values: list[TextBox]
    labels: list[TextBox]


class RingChartPainter:
    """Shares as rings: a faint track and an accent arc that sweeps to the value."""

    duration = 1.7  # 0.1 s delay + three 0.2 s steps + 1.0 s of sweep

    def __init__(self, chart: RingChart, theme: SlideTheme) -> None:
        self.chart = chart
        self.theme = theme

    def build(self, rect: QRectF, language: Language) -> RingsLayout:
        """Lay out the rings in the row/grid that makes them largest in `rect`."""
        title = _title_box(self.chart.title, rect, language, self.theme)
        top = _below(title, rect)
        count = len(self.chart.rings)
        label_h, gap = 84.0, 24.0
        grids = []
        for cols in range(1, count + 1):
            rows = math.ceil(count / cols)
            cell_h = (rect.bottom() - top) / rows
            side = min(rect.width() / cols * 0.78, cell_h - label_h - gap * 2, 380.0)
            grids.append((side, -cols, rows))  # on a tie, fewer columns
        side, cols, rows = max(grids)
        cols, side = -cols, max(60.0, side)
        slot = rect.width() / cols
        row_h = side + gap + label_h + gap
        grid_top = top + max(0.0, (rect.bottom() - top - rows * row_h) / 2)
        stroke = side * 0.085
        rings, values, labels = [], [], []
        for index, ring in enumerate(self.chart.rings):
            row, col = divmod(index, cols)
            in_row = min(cols, count - row * cols)  # centre a short last row
            cx = rect.center().x() + (col - (in_row - 1) / 2) * slot
            square = QRectF(cx - side / 2, grid_top + row * row_h, side, side)
            rings.append(square.adjusted(stroke / 2, stroke / 2, -stroke / 2, -stroke / 2))
            inner = square.adjusted(stroke * 2, stroke * 2, -stroke * 2, -stroke * 2)
            text = (ring.prefix or "") + format_number(ring.value, decimals_of(ring.value)) + "%"
            values.append(
                fit_text(
                    text,
                    inner,
                    self.theme,
                    size=side * 0.2,
                    min_size=16,
                    bold=True,
                    align=ALIGN_MIDDLE,
                    wrap=False,
                )
            )
            label_bottom = square.bottom() + gap + label_h if row < rows - 1 else rect.bottom()
            labels.append(
                fit_text(
                    ring.label[language],
                    QRectF(
                        cx - slot / 2 + 8,
                        square.bottom() + gap,
                        slot - 16,
                        label_bottom - square.bottom() - gap,
                    ),
                    self.theme,
                    size=26,
                    min_size=16,
                    align=ALIGN_CENTER,
                    color=self.theme.text,
                )
            )
        return RingsLayout(title, rings, stroke, values, labels)

    def sweep(self, index: int, elapsed: float) -> float:
        """Degrees of the accent arc of ring `index` at `elapsed` (360 ° = 100 %)."""
        grow = out_cubic(stagger(elapsed, index, delay=0.1, step=0.2, duration=1.0))
        return 3.6 * self.chart.rings[index].value * grow

    def paint(self, painter: QPainter, layout: RingsLayout, elapsed: float) -> None:
        """Paint the rings `elapsed` seconds into their entrance."""
        fade = out_cubic(elapsed / 0.35)
        if layout.title is not None:
            layout.title.draw(painter, opacity=fade)
        painter.save()
        painter.setBrush(Qt.BrushStyle.NoBrush)
        track = QPen(faint(self.theme.accent, 0.16 * fade), layout.stroke)
        arc = QPen(QColor(self.theme.accent), layout.stroke)
        arc.setCapStyle(Qt.PenCapStyle.RoundCap)
        for index, square in enumerate(layout.rings):
            painter.setPen(track)
            painter.drawEllipse(square)
            span = self.sweep(index, elapsed)
            if span > 0.05:
                painter.setPen(arc)
                painter.drawArc(square, 90 * 16, -round(span * 16))  # clockwise from 12 o'clock
        painter.restore()
        for index in range(len(layout.rings)):
            show = clamp01(stagger(elapsed, index, delay=0.3, step=0.2, duration=0.6))
            layout.values[index].draw(painter, opacity=show)
            layout.labels[index].draw(painter, opacity=show, dy=10 * (1 - out_cubic(show)))


# --- marks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarksLayout:
    """One small rounded bar per counted unit, in a grid."""

    title: TextBox | None
    marks: list[QRectF]
    radius: float


class MarksChartPainter:
    """`count` marks that light up one after another (e.g. one per month of growth)."""

    duration = 1.6  # 0.2 s delay + at most 1.1 s of stagger + 0.3 s per mark
    aspect = 1.9  # row pitch / column pitch: slim upright marks read as a calendar of months

    def __init__(self, chart: MarksChart, theme: SlideTheme) -> None:
        self.chart = chart
        self.theme = theme

    def build(self, rect: QRectF, language: Language) -> MarksLayout:
        """Choose the grid that makes the marks largest and lay it out in `rect`."""
        title = _title_box(self.chart.title, rect, language, self.theme)
        area = QRectF(
            rect.left(), _below(title, rect), rect.width(), rect.bottom() - _below(title, rect)
        )
        count = self.chart.count
        grids = []
        for cols in range(1, count + 1):
            rows = math.ceil(count / cols)
            grids.append((min(area.width() / cols, area.height() / rows / self.aspect), cols, rows))
        cell, cols, rows = max(grids)
        if count > 12:
            # Rows of twelve read as years of months; take them unless marks get much smaller.
            yearly = next(grid for grid in grids if grid[1] == 12)
            if yearly[0] >= cell * 0.75:
                cell, cols, rows = yearly
        cell = min(cell, 64.0)
        width, height = cell * 0.5, cell * self.aspect * 0.78
        pitch_x, pitch_y = cell, cell * self.aspect
        left = area.left() + (area.width() - cols * pitch_x) / 2
        top = area.top() + (area.height() - (rows * pitch_y - (pitch_y - height))) / 2
        marks = [
            QRectF(
                left + (i % cols) * pitch_x + (cell - width) / 2,
                top + (i // cols) * pitch_y,
                width,
                height,
            )
            for i in range(count)
        ]
        return MarksLayout(title, marks, width / 2)

    def lit(self, index: int, elapsed: float) -> float:
        """How far mark `index` has lit up (0..1) at `elapsed`."""
        step = min(0.05, 1.1 / self.chart.count)
        return out_cubic(stagger(elapsed, index, delay=0.2, step=step, duration=0.3))

    def paint(self, painter: QPainter, layout: MarksLayout, elapsed: float) -> None:
        """Paint the marks `elapsed` seconds into their entrance."""
        fade = out_cubic(elapsed / 0.35)
        if layout.title is not None:
            layout.title.draw(painter, opacity=fade)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        track = faint(self.theme.accent, 0.16 * fade)
        accent = QColor(self.theme.accent)
        radius = layout.radius
        for index, mark in enumerate(layout.marks):
            lit = self.lit(index, elapsed)
            if lit < 1.0:
                painter.setBrush(track)
                painter.drawRoundedRect(mark, radius, radius)
            if lit > 0.0:
                accent.setAlphaF(lit)
                painter.setBrush(accent)
                grown = mark.adjusted(0, mark.height() * (1 - lit) * 0.5, 0, 0)
                painter.drawRoundedRect(grown, radius, radius)
        painter.restore()


ChartPainter = BarChartPainter | RingChartPainter | MarksChartPainter


def chart_painter(chart: Chart, theme: SlideTheme) -> ChartPainter:
    """The painter for `chart`'s kind."""
    if isinstance(chart, BarChart):
        return BarChartPainter(chart, theme)
    if isinstance(chart, RingChart):
        return RingChartPainter(chart, theme)
    return MarksChartPainter(chart, theme)
