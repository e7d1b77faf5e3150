"""The indicators slide: 1–6 big numbers that count up, and one optional chart beside them."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter

from kiosk.content.model import BarChart, Indicator, IndicatorsSlide, Language
from kiosk.core.easing import clamp01, out_cubic, stagger
from kiosk.slides.base import Frame, SlideView, content_bottom, content_top, margins
from kiosk.slides.canvas import seams_of, spread
from kiosk.slides.changes import Track, text_reach, text_track, track, united
from kiosk.slides.charts import (
    BarsLayout,
    ChartPainter,
    MarksLayout,
    RingsLayout,
    chart_painter,
    decimals_of,
    format_number,
)
from kiosk.slides.media import MediaLibrary
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_LEFT, TextBox, fit_text

COUNT_SECONDS = 1.4  # the count-up of each number
CHART_DELAY = 0.45  # the chart starts growing once the first number is on its way


def _step(count: int, longest: float) -> float:
    """Stagger step for `count` elements: the last one starts at most 0.6 s after the first."""
    return min(longest, 0.6 / max(1, count - 1))


NUMBER_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
CELL_GAP = 56.0  # between the numbers' cells
ROW_GAP = 96.0  # between the cells of numbers and chart standing in one row
CELL_MAX = 820.0  # a number's cell is never wider (its label would read as one long line)
ROW_CELL_MIN = 600.0  # numbers stand in one row when each cell gets this much
WIDE_AREA = 3.0  # area width / height from which numbers and chart stand in one row
SIDE_SHARES = ((0.40, 0.50), (0.32, 0.40))  # the numbers' share of the width (1 column, 2)
MIN_CHART = 320.0  # canvas px each way: a smaller chart has collapsed (fitcheck says so too)
# How wide a chart is worth being, canvas px (wider ones only spread their bars apart).
CHART_WIDTH = {"BarChartPainter": 1100.0, "RingChartPainter": 1000.0, "MarksChartPainter": 1100.0}


def _grid_cells(rect: QRectF, count: int, cols: int, rows: int, canvas: QSizeF) -> list[QRectF]:
    """`count` cells in `cols` columns and `rows` rows filling `rect` (columns within a wall's
    panels when `canvas` has seams)."""
    cell_h = rect.height() / rows
    columns = spread(rect, cols, CELL_GAP, canvas)
    if not seams_of(canvas):
        cell_w = (rect.width() - (cols - 1) * CELL_GAP) / cols
        columns = [
            QRectF(rect.left() + i * (cell_w + CELL_GAP), rect.top(), cell_w, rect.height())
            for i in range(cols)
        ]
    return [
        QRectF(
            columns[i % cols].left(),
            rect.top() + (i // cols) * cell_h,
            columns[i % cols].width(),
            cell_h,
        )
        for i in range(count)
    ]


@dataclass(frozen=True)
class IndicatorBlock:
    """One big number with its prefix, unit, label and year · source line."""

    prefix: TextBox | None  # ">", "+", "≥": smaller, in the accent colour
    number: TextBox  # the final formatted value; its width is the slot the count-up uses
    unit: TextBox | None
    label: TextBox
    meta: TextBox
    slot: QRectF  # where the final number's glyphs go: counting text is right-aligned in it
    rule: QRectF  # the thin accent line at the left of the block
    value: float
    decimals: int

    def text_at(self, progress: float) -> str:
        """The number shown at count-up `progress` (0..1); exactly the final text at 1."""
        if progress >= 1.0:
            return self.number.text
        return format_number(self.value * progress, self.decimals)


@dataclass(frozen=True)
class IndicatorsLayout:
    """Everything the indicators slide paints, for one canvas and language."""

    title: TextBox
    source: TextBox | None
    blocks: list[IndicatorBlock]
    chart_rect: QRectF | None
    chart: BarsLayout | RingsLayout | MarksLayout | None
    chart_painter: ChartPainter | None = None  # the painter that laid the chart out


class IndicatorsSlideView(SlideView[IndicatorsSlide]):
    """Big numbers that count up to their value, with an optional chart that grows in."""

    entrance_seconds = 2.3

    def __init__(self, slide: IndicatorsSlide, theme: SlideTheme, media: MediaLibrary) -> None:
        super().__init__(slide, theme, media)
        self._charts: dict[float, ChartPainter] = {}  # by text scale (see _layout_that_fits)

    def needs_chart_library(self) -> bool:
        """Bar charts are laid out with pyqtgraph (slides/bars.py)."""
        return isinstance(self.slide.chart, BarChart)

    @property
    def chart(self) -> ChartPainter | None:
        """The chart's painter for the theme's text scale (built once per scale)."""
        if self.slide.chart is None:
            return None
        scale = self.theme.text_scale
        if scale not in self._charts:
            self._charts[scale] = chart_painter(self.slide.chart, self.theme)
        return self._charts[scale]

    # --- layout ---------------------------------------------------------------------------

    def build_layout(self, canvas: QSizeF, language: Language) -> IndicatorsLayout:
        """Numbers left and chart right in landscape; numbers above the chart in portrait; on
        a bar display every number in one row, the chart after it."""
        margin = margins(canvas)
        portrait = canvas.height() > canvas.width()
        top = content_top(canvas) + (36 if portrait else 28)
        bottom = content_bottom(canvas) - 8  # the navigation and the source live below
        area = QRectF(margin, top, canvas.width() - 2 * margin, bottom - top)
        largest = 150.0 if portrait else 168.0  # number size
        if self.chart is None:
            if len(self.slide.items) == 1:
                largest = 200.0  # without a chart the numbers are the slide
            arrangements = [(self._numbers_only(area, canvas, portrait), None)]
        else:
            # The usual arrangement for the shape first; the next one when its text does not
            # fit or its chart would be squeezed (a square screen, many bars).
            arrangements = []
            if area.width() >= area.height() * WIDE_AREA and self._row_fits(area, canvas):
                arrangements.append(self._in_a_row(area, canvas))
            sides = [self._side_by_side(area, share) for share in SIDE_SHARES]
            stacked = [self._stacked(area, language)]
            arrangements += stacked + sides if portrait else sides + stacked
        for cells, chart_rect in arrangements:
            blocks, chart = self._arranged(cells, chart_rect, language, largest)
            if _fits(blocks, cells, chart, chart_rect):
                break
        else:  # nothing fits (the text is cut, and reported): the usual arrangement
            cells, chart_rect = arrangements[0]
            blocks, chart = self._arranged(cells, chart_rect, language, largest)
        return IndicatorsLayout(
            self.title_box(canvas, language),
            self.source_box(canvas, language),
            blocks,
            chart_rect,
            chart,
            self.chart if chart is not None else None,
        )

    def _arranged(
        self, cells: list[QRectF], chart_rect: QRectF | None, language: Language, largest: float
    ) -> tuple[list[IndicatorBlock], BarsLayout | RingsLayout | MarksLayout | None]:
        """The numbers laid out in `cells` and the chart in `chart_rect`."""
        blocks = [
            self._block(item, cell, language, largest)
            for item, cell in zip(self.slide.items, cells, strict=True)
        ]
        # Numbers side by side in a row share one size (the smallest that row needs), so a
        # long label under one does not make it look less important than its neighbour.
        for row in {cell.top() for cell in cells}:
            indices = [i for i, cell in enumerate(cells) if cell.top() == row]
            sizes = {blocks[i].number.font.pixelSize() for i in indices}
            if len(sizes) > 1:
                for i in indices:
                    blocks[i] = self._block(
                        self.slide.items[i], cells[i], language, float(min(sizes))
                    )
        chart = None
        if self.chart is not None and chart_rect is not None:
            chart = self.chart.build(chart_rect, language)
        return blocks, chart

    def figure_rects(self, canvas: QSizeF, language: Language) -> list[QRectF]:
        """The chart: kept off a wall's seams like the numbers."""
        layout = self.layout(canvas, language)
        assert isinstance(layout, IndicatorsLayout)
        return [layout.chart_rect] if layout.chart_rect is not None else []

    def _numbers_only(self, area: QRectF, canvas: QSizeF, portrait: bool) -> list[QRectF]:
        """Without a chart the numbers are the slide: larger, and centred as a group."""
        count = len(self.slide.items)
        cols = count if count <= 3 else math.ceil(count / 2)
        if portrait:
            cols = 1 if count <= 3 else 2
        elif count > cols and spread(area, count, CELL_GAP, canvas)[0].width() >= ROW_CELL_MIN:
            cols = count  # a bar display: every number in one row
        rows = math.ceil(count / cols)
        width = min(area.width(), cols * 820.0 + (cols - 1) * CELL_GAP)
        group = QRectF(area.center().x() - width / 2, area.top(), width, area.height())
        return _grid_cells(group, count, cols, rows, canvas)

    def _side_by_side(
        self, area: QRectF, share: tuple[float, float] = (0.40, 0.50)
    ) -> tuple[list[QRectF], QRectF]:
        """Numbers in a column (two for four or more) on the left, the chart on the right;
        the numbers take `share` of the width (one column, two)."""
        count = len(self.slide.items)
        cols = 1 if count <= 3 else 2
        items_w = area.width() * share[0 if cols == 1 else 1]
        items_rect = QRectF(area.left(), area.top(), items_w, area.height())
        chart_rect = QRectF(
            area.left() + items_w + 110,
            area.top() + 10,
            area.width() - items_w - 110,
            area.height() - 10,
        )
        rows = math.ceil(count / cols)
        return _grid_cells(items_rect, count, cols, rows, QSizeF()), chart_rect

    def _stacked(self, area: QRectF, language: Language) -> tuple[list[QRectF], QRectF]:
        """Numbers above (one column, two for four or more), the chart under them."""
        count = len(self.slide.items)
        cols = 1 if count <= 3 else 2
        rows = math.ceil(count / cols)
        long_labels = sum(len(item.label[language]) > 40 for item in self.slide.items)
        items_h = min(rows * 300.0 + long_labels * 60.0, area.height() * 0.52)
        items_rect = QRectF(area.left(), area.top(), area.width(), items_h)
        chart_rect = QRectF(
            area.left(),
            area.top() + items_h + 56,
            area.width(),
            area.bottom() - area.top() - items_h - 56,
        )
        return _grid_cells(items_rect, count, cols, rows, QSizeF()), chart_rect

    def _row_fits(self, area: QRectF, canvas: QSizeF) -> bool:
        """True when every number and the chart can stand in one row, each number's cell at
        least ROW_CELL_MIN wide."""
        count = len(self.slide.items)
        assert self.chart is not None
        if seams_of(canvas):
            return spread(area, count + 1, ROW_GAP, canvas)[0].width() >= ROW_CELL_MIN
        chart_w = CHART_WIDTH[type(self.chart).__name__]
        return (area.width() - chart_w - count * ROW_GAP) / count >= ROW_CELL_MIN

    def _in_a_row(self, area: QRectF, canvas: QSizeF) -> tuple[list[QRectF], QRectF]:
        """A bar display or a wall: every number in one row, then the chart; the group centred,
        and on a wall each number and the chart within one panel."""
        count = len(self.slide.items)
        assert self.chart is not None
        chart_w = CHART_WIDTH[type(self.chart).__name__]
        if seams_of(canvas):
            columns = spread(area, count + 1, ROW_GAP, canvas, max_width=max(chart_w, CELL_MAX))
            cells = [
                QRectF(c.left(), c.top(), min(c.width(), CELL_MAX), c.height())
                for c in columns[:-1]
            ]
            chart = columns[-1]
            return cells, QRectF(chart.left(), area.top() + 10, chart.width(), area.height() - 10)
        cell_w = min(CELL_MAX, (area.width() - chart_w - count * ROW_GAP) / count)
        chart_w = min(area.width() - count * (cell_w + ROW_GAP), chart_w * 1.5)
        used = count * (cell_w + ROW_GAP) + chart_w
        left = area.left() + (area.width() - used) / 2
        cells = [
            QRectF(left + i * (cell_w + ROW_GAP), area.top(), cell_w, area.height())
            for i in range(count)
        ]
        chart = QRectF(
            left + count * (cell_w + ROW_GAP), area.top() + 10, chart_w, area.height() - 10
        )
        return cells, chart

    def _block(
        self, item: Indicator, cell: QRectF, language: Language, largest: float
    ) -> IndicatorBlock:
        """Lay out one indicator in `cell`, vertically centred."""
        theme = self.theme
        value = item.value_in(language)
        decimals = item.decimals if item.decimals is not None else decimals_of(value)
        number_text = format_number(value, decimals)
        prefix_text = item.prefix or ""
        unit_text = item.unit[language] if item.unit is not None else ""
        indent = 30.0
        x, width = cell.left() + indent, cell.width() - indent
        label_size, meta_h = (32.0 if cell.height() > 300 else 28.0), 32.0
        label_w = QFontMetricsF(theme.font(label_size)).horizontalAdvance(item.label[language])
        label_lines = min(3, max(1, math.ceil(label_w / (width * 0.95))))
        text_h = label_lines * label_size * 1.45 + 14 + meta_h
        # The number is as large as the cell allows, then shrunk until the whole row fits.
        line_ratio = QFontMetricsF(theme.font(100, bold=True)).height() / 100  # ~1.45 for CJK
        room = (cell.height() - text_h - 16) / line_ratio
        size = max(48.0, min(largest, room))
        while True:
            prefix_font, unit_font = theme.font(size * 0.62, bold=True), theme.font(size * 0.34)
            prefix_w = QFontMetricsF(prefix_font).horizontalAdvance(prefix_text)
            number_w = QFontMetricsF(theme.font(size, bold=True)).horizontalAdvance(number_text)
            unit_w = QFontMetricsF(unit_font).horizontalAdvance(unit_text)
            gap = size * 0.1
            row_w = prefix_w + (gap * 0.6 if prefix_text else 0) + number_w
            row_w += gap + unit_w if unit_text else 0.0
            if row_w <= width - 4 or size <= 40:
                break
            size *= 0.94
        number_metrics = QFontMetricsF(theme.font(size, bold=True))
        line_h = number_metrics.height()
        y = cell.top()
        baseline = y + number_metrics.ascent()
        prefix = None
        number_left = x
        if prefix_text:
            prefix = fit_text(
                prefix_text,
                QRectF(x, y, prefix_w + 2, line_h),
                theme,
                size=size * 0.62,
                bold=True,
                color=theme.accent,
                wrap=False,
                role="label",
            )
            # Centre the prefix glyph on the digits' cap height, as a sign sits in print.
            glyph = QFontMetricsF(prefix.font).tightBoundingRect(prefix_text)
            centre = baseline - number_metrics.capHeight() / 2
            top = centre - (QFontMetricsF(prefix.font).ascent() + glyph.center().y())
            prefix = replace(
                prefix, rect=QRectF(x, top, prefix_w + 2, QFontMetricsF(prefix.font).height())
            )
            number_left = x + prefix_w + gap * 0.6
        number = fit_text(
            number_text,
            QRectF(number_left, y, number_w + 2, line_h),
            theme,
            size=size,
            bold=True,
            wrap=False,
            role="figure",
        )
        unit = None
        if unit_text:
            unit_left = number_left + number_w + gap
            unit = fit_text(
                unit_text,
                QRectF(unit_left, y, cell.right() - unit_left, line_h),
                theme,
                size=size * 0.34,
                color=theme.accent,
                wrap=False,
                role="label",
            )
            # Sit the unit on the number's baseline.
            unit_metrics = QFontMetricsF(unit.font)
            unit = replace(
                unit,
                rect=QRectF(
                    unit.rect.left(),
                    baseline - unit_metrics.ascent(),
                    unit.rect.width(),
                    unit_metrics.height(),
                ),
            )
        label_top = y + line_h + 4  # boxes may touch, never overlap
        label_room = cell.bottom() - label_top - meta_h - 14
        label = fit_text(
            item.label[language],
            QRectF(x, label_top, width, label_room),
            theme,
            size=label_size,
            color=theme.text,
            role="label",
        )
        label_bottom = label_top + label.used_rect().height()
        label = replace(label, rect=QRectF(x, label_top, width, label_bottom - label_top + 1))
        meta_text = item.source[language]
        if item.year is not None:
            meta_text = f"{item.year[language]} · {meta_text}"
        meta = fit_text(
            meta_text,
            QRectF(x, label_bottom + 14, width, meta_h),
            theme,
            size=21,
            color=theme.muted,
            wrap=False,
            align=ALIGN_LEFT,
            role="source",
        )
        # Centre the whole block in its cell.
        used_bottom = label_bottom + 14 + meta.used_rect().height()
        shift = max(0.0, (cell.bottom() - used_bottom) / 2)
        ink_top = baseline - number_metrics.capHeight() + shift
        rule = QRectF(cell.left(), ink_top, 4, used_bottom + shift - ink_top)

        def moved(box: TextBox) -> TextBox:
            return replace(box, rect=box.rect.translated(0, shift))

        number = moved(number)
        return IndicatorBlock(
            moved(prefix) if prefix is not None else None,
            number,
            moved(unit) if unit is not None else None,
            moved(label),
            moved(meta),
            number.used_rect(),
            rule,
            value,
            decimals,
        )

    # --- painting -------------------------------------------------------------------------

    def count_progress(self, index: int, entrance: float) -> float:
        """Count-up progress (0..1) of indicator `index` at `entrance` seconds."""
        step = _step(len(self.slide.items), 0.18)
        return out_cubic(stagger(entrance, index, delay=0.25, step=step, duration=COUNT_SECONDS))

    def number_text(self, layout: IndicatorsLayout, index: int, entrance: float) -> str:
        """The text of indicator `index`'s number at `entrance` (the final text when settled)."""
        return layout.blocks[index].text_at(self.count_progress(index, entrance))

    def entrance_tracks(self, layout: object) -> list[Track]:
        """The moves of `paint_content`: each number's block, and the chart, as one track."""
        assert isinstance(layout, IndicatorsLayout)
        found = text_track(layout.title, 0.0, 0.5, dy=18)
        step = _step(len(layout.blocks), 0.18)
        for index, block in enumerate(layout.blocks):
            boxes = [block.number, block.unit, block.label, block.meta]
            prefix = text_reach(block.prefix)
            moved = prefix.translated(block.slot.width(), 0)  # beside a shorter count
            counting = united([block.slot, text_reach(block.number), prefix, moved])
            area = united([counting, block.rule] + [text_reach(box) for box in boxes])
            start = 0.15 + index * step
            # The block rises and fades in; then only its number counts on.
            found.append(track(area.united(area.translated(0, 24)), start, start + 0.8))
            found.append(track(counting, start, 0.25 + index * step + COUNT_SECONDS))
        if layout.chart is not None and layout.chart_painter is not None:
            found += [
                Track(t.rect, t.start + CHART_DELAY, t.end + CHART_DELAY)
                for t in layout.chart_painter.tracks(layout.chart)  # type: ignore[arg-type]
            ]
        found += text_track(layout.source, 0.6, 1.2)
        return found

    def paint_content(self, painter: QPainter, frame: Frame, layout: object) -> None:
        """Title, then each number counting up in turn, then the chart growing in."""
        assert isinstance(layout, IndicatorsLayout)
        t = frame.entrance
        title = out_cubic(t / 0.5)
        layout.title.draw(painter, opacity=title, dy=18 * (1 - title))
        accent = self.theme.accent
        for index, block in enumerate(layout.blocks):
            step = _step(len(layout.blocks), 0.18)
            appear = out_cubic(stagger(t, index, delay=0.15, step=step, duration=0.6))
            if appear <= 0.0:
                continue
            rise = 24 * (1 - appear)
            rule = QRectF(block.rule)
            rule.setHeight(rule.height() * appear)
            painter.fillRect(rule.translated(0, rise), accent)
            progress = self.count_progress(index, t)
            if progress >= 1.0:
                block.number.draw(painter, opacity=appear, dy=rise)
                if block.prefix is not None:
                    block.prefix.draw(painter, opacity=appear, dy=rise)
            else:
                # Right-aligned in the final value's slot, so the unit never moves while
                # counting; the sign stays next to the first digit.
                text = block.text_at(progress)
                advance = QFontMetricsF(block.number.font).horizontalAdvance(text)
                shorter = block.slot.width() - advance
                painter.save()
                painter.setOpacity(painter.opacity() * appear)
                painter.setFont(block.number.font)
                painter.setPen(block.number.color)
                painter.drawText(block.slot.translated(0, rise), NUMBER_RIGHT, text)
                painter.restore()
                if block.prefix is not None:
                    block.prefix.draw(painter, opacity=appear, dx=max(0.0, shorter), dy=rise)
            if block.unit is not None:
                block.unit.draw(painter, opacity=appear, dy=rise)
            details = clamp01(stagger(t, index, delay=0.35, step=step, duration=0.6))
            block.label.draw(painter, opacity=details, dy=rise)
            block.meta.draw(painter, opacity=details, dy=rise)
        if layout.chart_painter is not None and layout.chart is not None:
            layout.chart_painter.paint(painter, layout.chart, t - CHART_DELAY)  # type: ignore[arg-type]
        if layout.source is not None:
            layout.source.draw(painter, opacity=out_cubic((t - 0.6) / 0.6))


def _fits(
    blocks: list[IndicatorBlock],
    cells: list[QRectF],
    chart: BarsLayout | RingsLayout | MarksLayout | None,
    chart_rect: QRectF | None,
) -> bool:
    """True when every text of the numbers (each within its cell) and of the chart fits, and
    the chart is not squeezed."""
    boxes: list[TextBox] = []
    for block, cell in zip(blocks, cells, strict=True):
        own = [block.number, block.label, block.meta]
        own += [box for box in (block.prefix, block.unit) if box is not None]
        if any(box.used_rect().bottom() > cell.bottom() + 1 for box in own):
            return False
        boxes += own
    if chart is not None:
        boxes += [box for box in (chart.title,) if box is not None]
        boxes += list(getattr(chart, "values", [])) + list(getattr(chart, "labels", []))
    if chart_rect is not None and min(chart_rect.width(), chart_rect.height()) < MIN_CHART:
        return False
    return all(box.fits for box in boxes)
