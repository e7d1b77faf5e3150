"""Bars drawn with pyqtgraph (the project's chart library) in an offscreen QGraphicsScene.

No widget and no view: so no mouse input and no context menu (pyqtgraph's menu offers
"Export…", a file dialog that must never be reachable in a kiosk). pyqtgraph is imported
only when the first bar chart is laid out (its import costs ~0.4 s).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter

from kiosk.content.model import BarChart, Language
from kiosk.core.easing import clamp01, out_cubic, stagger
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
from kiosk.slides.typeset import ALIGN_CENTER, TextBox, fit_text

if TYPE_CHECKING:
    from PySide6.QtWidgets import QGraphicsScene

BAR_MAX_WIDTH = 150.0  # canvas px; two bars in a wide chart would otherwise look like walls
RENDER_PAD = 24.0  # canvas px around the plot, so the top tick label is not clipped
LABEL_HEIGHTS = (76.0, 112.0)  # canvas px under the bars for their labels: two lines, three


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

    def __init__(self, values: list[float], theme: SlideTheme, axis_max: float) -> None:
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
        self.values = np.array(values, dtype=float)
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

        count = len(values)
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
        # Built on first use (pyqtgraph stays off start-up), one per distinct set of figures:
        # languages that count in other units (亿元 / billion yuan) have plots of their own.
        self._plots: dict[tuple[tuple[float, ...], float], _BarPlot] = {}

    def values_in(self, language: Language) -> list[float]:
        """The bars' figures in `language`."""
        return [bar.value_in(language) for bar in self.chart.bars]

    def axis_max_in(self, language: Language) -> float:
        """The top of the value axis in `language` (a nice ceiling unless the content says)."""
        return self.chart.axis_max_in(language) or nice_ceiling(max(self.values_in(language)))

    @property
    def axis_max(self) -> float:
        """The top of the value axis in the first language."""
        return self.axis_max_in("zh")

    @property
    def plot(self) -> _BarPlot:
        """The pyqtgraph items of the first language (built once per view)."""
        return self.plot_for("zh")

    def plot_for(self, language: Language) -> _BarPlot:
        """The pyqtgraph items that draw `language`'s figures (built once per view)."""
        values, axis_max = self.values_in(language), self.axis_max_in(language)
        key = (tuple(values), axis_max)
        if key not in self._plots:
            self._plots[key] = _BarPlot(values, self.theme, axis_max)
        return self._plots[key]

    def build(self, rect: QRectF, language: Language) -> BarsLayout:
        """Lay out the chart in `rect`: labels under the bars on up to three lines, taller
        when narrow bars need it (the plot gives up the height)."""
        for label_h in LABEL_HEIGHTS:
            layout = self._build(rect, language, label_h)
            if all(label.fits for label in layout.labels):
                break
        return layout

    def _build(self, rect: QRectF, language: Language, label_h: float) -> BarsLayout:
        title = title_box(self.chart.title, rect, language, self.theme)
        value_h = 44.0
        top = below(title, rect) + value_h
        plot_rect = QRectF(rect.left(), top, rect.width(), rect.bottom() - label_h - 14 - top)
        unit = self.chart.unit[language] if self.chart.unit is not None else None
        plot = self.plot_for(language)
        view = plot.configure(plot_rect.size(), unit).translated(plot_rect.topLeft())
        slot = view.width() / len(self.chart.bars)
        axis_max = self.axis_max_in(language)
        values: list[TextBox] = []
        labels: list[TextBox] = []
        for index, bar in enumerate(self.chart.bars):
            figure = bar.value_in(language)
            x = view.left() + index * slot + 6
            bar_top = view.bottom() - view.height() * figure / axis_max
            text = format_number(figure, decimals_of(figure))
            values.append(
                fit_text(
                    text,
                    QRectF(x, bar_top - value_h, slot - 12, value_h - 4),
                    self.theme,
                    size=30,
                    bold=True,
                    align=ALIGN_CENTER,
                    wrap=False,
                    role="label",
                )
            )
            labels.append(
                fit_text(
                    bar.label[language],
                    QRectF(x, view.bottom() + 14, slot - 12, label_h),
                    self.theme,
                    size=24,
                    align=ALIGN_CENTER,
                    color=self.theme.text,
                    role="label",
                )
            )
        return BarsLayout(title, plot_rect, view, values, labels, language)

    def _grow_step(self) -> float:
        """Seconds between the bars' starts: the last bar starts 0.6 s after the first."""
        return min(0.15, 0.6 / max(1, len(self.chart.bars) - 1))

    def tracks(self, layout: BarsLayout) -> list[Track]:
        """The moves of `paint`, in seconds of the chart's entrance: the plot fading in, then
        each bar growing in its column with its value and label (slides/changes.py)."""
        pad = RENDER_PAD
        plot = layout.plot_rect.adjusted(-pad, -pad, pad, pad)
        found = [track(united([plot, text_reach(layout.title)]), 0.0, 0.35)]
        view = layout.view_rect
        count = len(self.chart.bars)
        step = self._grow_step()
        slot = view.width() / count
        for index in range(count):
            start = 0.15 + index * step
            column = QRectF(view.left() + index * slot, view.top(), slot, view.height())
            area = united(
                [
                    column,
                    text_reach(layout.values[index], dy=view.height()),
                    text_reach(layout.labels[index], dy=8),
                ]
            )
            found.append(track(area, start, start + 0.9))
        return found

    def paint(self, painter: QPainter, layout: BarsLayout, elapsed: float) -> None:
        """Paint the chart `elapsed` seconds into its entrance."""
        plot = self.plot_for(layout.language)
        unit = self.chart.unit[layout.language] if self.chart.unit is not None else None
        plot.configure(layout.plot_rect.size(), unit)  # no-op unless another layout painted
        fade = out_cubic(elapsed / 0.35)
        count = len(self.chart.bars)
        step = self._grow_step()
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
            value = plot.values[index] / self.axis_max_in(layout.language) * height
            layout.values[index].draw(
                painter, opacity=clamp01(grow * 2.5 - 1.2), dy=value * (1.0 - grow)
            )
            layout.labels[index].draw(painter, opacity=clamp01(grow * 3.0), dy=8 * (1 - grow))


# --- rings ------------------------------------------------------------------------------
