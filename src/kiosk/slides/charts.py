"""The charts of the indicators slide, drawn only from the content's own numbers.

Bars are in bars.py (pyqtgraph); rings and marks, here, are a few QPainter calls each.
Each painter has `build(rect, language)` (a cached layout of rects and TextBoxes) and
`paint(painter, layout, elapsed)` where `elapsed` is seconds since the chart's entrance began.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from kiosk.content.model import BarChart, Language, MarksChart, RingChart
from kiosk.core.easing import clamp01, out_cubic, stagger
from kiosk.slides.bars import BarChartPainter, BarsLayout
from kiosk.slides.cache import LayerCache
from kiosk.slides.changes import Track, text_reach, track, united
from kiosk.slides.chart_kit import (
    below,
    decimals_of,
    faint,
    format_number,
    nice_ceiling,
    nice_step,
    title_box,
)
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_CENTER, ALIGN_MIDDLE, TextBox, fit_text

__all__ = [
    "BarChartPainter",
    "BarsLayout",
    "ChartPainter",
    "MarksChartPainter",
    "MarksLayout",
    "RingChartPainter",
    "RingsLayout",
    "chart_painter",
    "decimals_of",
    "format_number",
    "nice_ceiling",
    "nice_step",
]

Chart = BarChart | RingChart | MarksChart


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
        self._tracks = LayerCache()  # a thick antialiased circle: ~2 ms a frame at 4K

    def build(self, rect: QRectF, language: Language) -> RingsLayout:
        """Lay out the rings in the row/grid that makes them largest in `rect`."""
        title = title_box(self.chart.title, rect, language, self.theme)
        top = below(title, rect)
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
                    bold=True,
                    align=ALIGN_MIDDLE,
                    wrap=False,
                    role="label",
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
                    align=ALIGN_CENTER,
                    color=self.theme.text,
                    role="label",
                )
            )
        return RingsLayout(title, rings, stroke, values, labels)

    def sweep(self, index: int, elapsed: float) -> float:
        """Degrees of the accent arc of ring `index` at `elapsed` (360 ° = 100 %)."""
        grow = out_cubic(stagger(elapsed, index, delay=0.1, step=0.2, duration=1.0))
        return 3.6 * self.chart.rings[index].value * grow

    def tracks(self, layout: RingsLayout) -> list[Track]:
        """The moves of `paint`, in seconds of the chart's entrance: the tracks fading in,
        then each ring's arc, value and label (slides/changes.py)."""
        margin = layout.stroke / 2 + 2
        rings = [square.adjusted(-margin, -margin, margin, margin) for square in layout.rings]
        found = [track(united([*rings, text_reach(layout.title)]), 0.0, 0.35)]
        for index, ring in enumerate(rings):
            area = united(
                [ring, text_reach(layout.values[index]), text_reach(layout.labels[index], dy=10)]
            )
            found.append(track(area, 0.1 + 0.2 * index, 1.1 + 0.2 * index))
        return found

    def paint(self, painter: QPainter, layout: RingsLayout, elapsed: float) -> None:
        """Paint the rings `elapsed` seconds into their entrance."""
        fade = out_cubic(elapsed / 0.35)
        if layout.title is not None:
            layout.title.draw(painter, opacity=fade)
        track = QPen(faint(self.theme.accent, 0.16), layout.stroke)
        margin = layout.stroke / 2 + 2
        for index, square in enumerate(layout.rings):

            def paint_track(target: QPainter, square: QRectF = square) -> None:
                target.setBrush(Qt.BrushStyle.NoBrush)
                target.setPen(track)
                target.drawEllipse(square)

            bounds = square.adjusted(-margin, -margin, margin, margin)
            self._tracks.draw(painter, ("track", index), bounds, paint_track, opacity=fade)
        painter.save()
        painter.setBrush(Qt.BrushStyle.NoBrush)
        arc = QPen(QColor(self.theme.accent), layout.stroke)
        arc.setCapStyle(Qt.PenCapStyle.RoundCap)
        for index, square in enumerate(layout.rings):
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
        # The faint grid and each lit mark as images: ~40 antialiased rounded rectangles
        # filled every frame cost ~5 ms a frame at 4K.
        self._layers = LayerCache()

    def build(self, rect: QRectF, language: Language) -> MarksLayout:
        """Choose the grid that makes the marks largest and lay it out in `rect`."""
        title = title_box(self.chart.title, rect, language, self.theme)
        area = QRectF(
            rect.left(), below(title, rect), rect.width(), rect.bottom() - below(title, rect)
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

    def _lit_step(self) -> float:
        """Seconds between the marks' starts."""
        return min(0.05, 1.1 / self.chart.count)

    def lit(self, index: int, elapsed: float) -> float:
        """How far mark `index` has lit up (0..1) at `elapsed`."""
        step = self._lit_step()
        return out_cubic(stagger(elapsed, index, delay=0.2, step=step, duration=0.3))

    def tracks(self, layout: MarksLayout) -> list[Track]:
        """The moves of `paint`, in seconds of the chart's entrance: the grid fading in,
        then each mark lighting up (slides/changes.py)."""
        marks = [mark.adjusted(-2, -2, 2, 2) for mark in layout.marks]
        found = [track(united([*marks, text_reach(layout.title)]), 0.0, 0.35)]
        step = self._lit_step()
        for index, mark in enumerate(marks):
            found.append(track(mark, 0.2 + index * step, 0.5 + index * step))
        return found

    def paint(self, painter: QPainter, layout: MarksLayout, elapsed: float) -> None:
        """Paint the marks `elapsed` seconds into their entrance."""
        fade = out_cubic(elapsed / 0.35)
        if layout.title is not None:
            layout.title.draw(painter, opacity=fade)
        radius = layout.radius
        if not layout.marks:
            return

        def paint_marks(target: QPainter, marks: list[QRectF], colour: QColor) -> None:
            target.setPen(Qt.PenStyle.NoPen)
            target.setBrush(colour)
            for mark in marks:
                target.drawRoundedRect(mark, radius, radius)

        # The faint grid under every mark: a fully lit mark covers its own.
        track = faint(self.theme.accent, 0.16)
        grid = QRectF(layout.marks[0])
        for mark in layout.marks:
            grid = grid.united(mark)
        grid.adjust(-2, -2, 2, 2)
        self._layers.draw(
            painter, "grid", grid, lambda t: paint_marks(t, layout.marks, track), opacity=fade
        )
        accent = QColor(self.theme.accent)
        lit_image = layout.marks[0].adjusted(-2, -2, 2, 2)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        for index, mark in enumerate(layout.marks):
            lit = self.lit(index, elapsed)
            if lit >= 1.0:  # the same image for every mark, moved to its place
                offset = mark.topLeft() - layout.marks[0].topLeft()
                self._layers.draw(
                    painter,
                    "lit",
                    lit_image,
                    lambda t: paint_marks(t, [layout.marks[0]], accent),
                    offset=offset,
                )
            elif lit > 0.0:
                growing = QColor(accent)
                growing.setAlphaF(lit)
                painter.setBrush(growing)
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
