"""History: an axis draws itself and the years appear one after another as it reaches them.

Landscape: a horizontal axis; up to ROW_MAX events stand in one row (year above, text below),
more alternate above and below so each text gets two columns of width. Portrait: a vertical
axis with the years on its left and the texts on its right. Between those, whichever of the
three lets the texts be largest (a square screen takes the vertical axis, a bar display keeps
every event in one row), and on a video wall the events' columns keep off its seams.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QLineF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QLinearGradient, QPainter, QPainterPath, QPen

from kiosk.content.model import Language, TimelineSlide
from kiosk.core.easing import clamp01, out_back, out_cubic
from kiosk.slides.base import Frame, SlideView, content_bottom, content_top, margins
from kiosk.slides.cache import LayerCache
from kiosk.slides.canvas import seams_of, spread
from kiosk.slides.changes import Track, text_reach, text_track, track, united
from kiosk.slides.media import (
    MediaLibrary,
    paint_image_contain,
    paint_image_cover,
    paint_placeholder,
)
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_LEFT, TextBox, fit_text, no_break_hyphens

ROW_MAX = 6  # more events than this alternate above and below a landscape axis
ROW_YEAR_PX = 88.0  # years and texts of a one-row timeline at most this large ...
ROW_TEXT_PX = 44.0  # ... and as large as the slide's height allows
AXIS_DELAY = 0.25  # seconds before the axis starts (the title fades in first)
AXIS_SECONDS = 1.5  # the axis draws itself in this time whatever the number of events
EVENT_SECONDS = 0.65  # year and dot, then the text, after the axis reaches an event
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
DOT = 9.0
COLUMN_GAP = 56.0  # between the columns of a vertical timeline that wraps
COMFORT_PX = 26.0  # the usual arrangement is kept while its texts are at least this large


@dataclass(frozen=True)
class EventLayout:
    """One event: its dot on the axis, year, text, optional thumbnail and when it appears."""

    dot: QPointF
    year: TextBox
    text: TextBox
    thumb: QRectF | None
    appear: float  # seconds into the entrance


@dataclass(frozen=True)
class TimelineLayout:
    """Positions of everything on a timeline slide for one canvas and language."""

    title: TextBox
    source: TextBox | None
    axes: tuple[QLineF, ...]  # one, or one per column when the events wrap into columns
    events: list[EventLayout]

    @property
    def axis(self) -> QLineF:
        """The (first) axis."""
        return self.axes[0]


class TimelineSlideView(SlideView[TimelineSlide]):
    """Years along an axis that draws itself, each with its line of text (up to ten)."""

    entrance_seconds = AXIS_DELAY + AXIS_SECONDS + EVENT_SECONDS

    def __init__(self, slide: TimelineSlide, theme: SlideTheme, media: MediaLibrary) -> None:
        super().__init__(slide, theme, media)
        self.layers = LayerCache()
        self._has_thumbs = any(event.image is not None for event in slide.events)

    def build_layout(self, canvas: QSizeF, language: Language) -> TimelineLayout:
        """Horizontal axis in landscape (one row or alternating sides), vertical in portrait."""
        margin = margins(canvas)
        top = content_top(canvas) + 36
        bottom = content_bottom(canvas)  # below: the navigation and the source line
        area = QRectF(margin, top, canvas.width() - 2 * margin, bottom - top)
        # The usual arrangement for the shape when its texts come out at a comfortable size;
        # else the one whose texts come out largest (on a tie, the earlier one). Thumbnails
        # are left out (they illustrate; the texts are the facts) only when no arrangement
        # with them fits at all.
        count = len(self.slide.events)
        names = ["row", "alternating", "vertical"]
        if count > ROW_MAX:
            names = ["alternating", "row", "vertical"]
        if canvas.height() > canvas.width():
            names = ["vertical"]
        if seams_of(canvas) and "alternating" in names:  # two-column texts would straddle them
            names.remove("alternating")
        if count >= 4:
            names.append("columns")
        best: tuple[list[QLineF], list[EventLayout]] | None = None
        for thumbs in (True, False) if self._has_thumbs else (True,):
            for name in names if thumbs else ["vertical", "columns"]:
                if name == "row":
                    candidate = self._row(area, language, canvas)
                elif name == "alternating":
                    candidate = self._alternating(area, language)
                else:
                    columns = 2 if name == "columns" else 1
                    candidate = self._vertical(
                        area, language, canvas, columns=columns, thumbs=thumbs
                    )
                if best is None or _text_px(candidate[1]) > _text_px(best[1]):
                    best = candidate
                if name == names[0] and _text_px(candidate[1]) >= COMFORT_PX:
                    break
            if _text_px(best[1]) > 0:  # type: ignore[index]
                break
        assert best is not None
        axes, events = best
        return TimelineLayout(
            self.title_box(canvas, language),
            self.source_box(canvas, language),
            tuple(axes),
            events,
        )

    # --- layouts ---------------------------------------------------------------------------

    def _row(
        self, area: QRectF, language: Language, canvas: QSizeF
    ) -> tuple[list[QLineF], list[EventLayout]]:
        """Landscape, few events: thumbnail and year above the axis, text below it."""
        events = self.slide.events
        step = area.width() / len(events)
        width = step - 40
        lefts = [area.left() + index * step for index in range(len(events))]
        if seams_of(canvas):  # each event's column within one panel of the wall
            columns = spread(area, len(events), 40.0, canvas)
            lefts, width = [column.left() for column in columns], columns[0].width()
        thumb_h = min(width / 1.5, 130.0) if self._has_thumbs else 0.0
        years = _fit_all(
            [e.year for e in events],
            [QRectF(0, 0, width, 120)] * len(events),
            self.theme,
            size=ROW_YEAR_PX,
            min_size=30,
            bold=True,
            color=self.theme.accent,
            role="label",
        )
        year_h = max(box.used_rect().height() for box in years)
        above = year_h + 26 + (thumb_h + 20 if thumb_h else 0)
        text_rect = QRectF(0, 0, width, area.height() - above - 34)
        # The texts take the height the slide has: few, short events are set large rather
        # than leaving the lower half of the slide empty.
        texts = _fit_all(
            [no_break_hyphens(e.text[language]) for e in events],
            [text_rect] * len(events),
            self.theme,
            size=ROW_TEXT_PX,
            min_size=18,
            role="body",
        )
        below = 34 + max(box.used_rect().height() for box in texts)
        axis_y = area.top() + (area.height() - above - below) * 0.42 + above
        laid: list[EventLayout] = []
        for index, (year, text) in enumerate(zip(years, texts, strict=True)):
            left = lefts[index]
            year_box = _at(year, left, axis_y - 26 - _h(year))
            thumb = None
            if thumb_h:
                thumb = QRectF(left, year_box.rect.top() - 20 - thumb_h, thumb_h * 1.5, thumb_h)
            laid.append(
                EventLayout(
                    QPointF(left + DOT, axis_y), year_box, _at(text, left, axis_y + 34), thumb, 0.0
                )
            )
        axis = QLineF(area.left(), axis_y, area.right(), axis_y)
        return [axis], _timed([axis], laid)

    def _alternating(
        self, area: QRectF, language: Language
    ) -> tuple[list[QLineF], list[EventLayout]]:
        """Landscape, many events: even ones above the axis, odd ones below, two columns wide."""
        events = self.slide.events
        step = area.width() / (len(events) + 1)
        width = 2 * step - 36
        thumb_h = min(width / 1.5, 100.0) if self._has_thumbs else 0.0
        years = _fit_all(
            [e.year for e in events],
            [QRectF(0, 0, width, 70)] * len(events),
            self.theme,
            size=46,
            min_size=24,
            bold=True,
            color=self.theme.accent,
            role="label",
        )
        year_h = max(_h(box) for box in years)
        side = area.height() / 2 - 24 - year_h - 12 - (thumb_h + 16 if thumb_h else 0)
        texts = _fit_all(
            [no_break_hyphens(e.text[language]) for e in events],
            [QRectF(0, 0, width, side)] * len(events),
            self.theme,
            size=28,
            min_size=16,
            role="body",
        )
        reach = 24 + year_h + 12 + (thumb_h + 16 if thumb_h else 0)
        up = reach + max(_h(box) for box in texts[0::2])
        down = reach + max((_h(box) for box in texts[1::2]), default=0.0)
        axis_y = area.top() + (area.height() - up - down) / 2 + up
        laid: list[EventLayout] = []
        for index, (year, text) in enumerate(zip(years, texts, strict=True)):
            left = area.left() + index * step
            if index % 2 == 0:  # above: year nearest the axis, text over it, thumbnail on top
                year_box = _at(year, left, axis_y - 24 - _h(year))
                text_box = _at(text, left, year_box.rect.top() - 12 - _h(text))
                thumb_top = text_box.rect.top() - 16 - thumb_h
            else:
                year_box = _at(year, left, axis_y + 24)
                text_box = _at(text, left, year_box.rect.bottom() + 12)
                thumb_top = text_box.rect.bottom() + 16
            thumb = QRectF(left, thumb_top, thumb_h * 1.5, thumb_h) if thumb_h else None
            laid.append(EventLayout(QPointF(left + DOT, axis_y), year_box, text_box, thumb, 0.0))
        axis = QLineF(area.left(), axis_y, area.right(), axis_y)
        return [axis], _timed([axis], laid)

    def _vertical(
        self,
        area: QRectF,
        language: Language,
        canvas: QSizeF,
        *,
        columns: int = 1,
        thumbs: bool = True,
    ) -> tuple[list[QLineF], list[EventLayout]]:
        """Years right-aligned left of a vertical axis, texts (and thumbnails) right of it; in
        `columns` side by side when one is too short for every event (a square screen)."""
        events = self.slide.events
        per_column = math.ceil(len(events) / columns)
        slot = min(area.height() / per_column, 250.0)
        gap = min(40.0, slot * 0.2)  # between one event's text and the next year
        year_px = 50.0 if columns == 1 else 40.0
        bold = QFontMetricsF(self.theme.font(year_px, bold=True))
        widest = max(bold.horizontalAdvance(e.year) for e in events)
        year_w = 210.0 if columns == 1 else min(210.0, widest + 8)
        cells = [area] if columns == 1 else spread(area, columns, COLUMN_GAP, canvas)
        width = cells[0].width()
        thumb_w = 156.0 if self._has_thumbs and thumbs else 0.0
        text_w = width - year_w - 70 - (thumb_w + 24 if thumb_w else 0)
        years = _fit_all(
            [e.year for e in events],
            [QRectF(0, 0, year_w, min(76.0, slot - 4))] * len(events),
            self.theme,
            size=year_px,
            min_size=24,
            bold=True,
            color=self.theme.accent,
            align=ALIGN_RIGHT,
            role="label",
        )
        texts = _fit_all(
            [no_break_hyphens(e.text[language]) for e in events],
            [QRectF(0, 0, max(1.0, text_w), slot - gap)] * len(events),
            self.theme,
            size=34,
            min_size=18,
            role="body",
        )
        year_line = QFontMetricsF(years[0].font).height()
        text_line = QFontMetricsF(texts[0].font).height()
        groups = [
            range(c * per_column, min(len(events), (c + 1) * per_column)) for c in range(columns)
        ]
        groups = [group for group in groups if len(group)]
        used = max(
            (len(group) - 1) * slot + max(_h(texts[group[-1]]), year_line) for group in groups
        )
        start = area.top() + max(0.0, (area.height() - used) * 0.4)
        axes: list[QLineF] = []
        laid: list[EventLayout] = []
        for cell, group in zip(cells, groups, strict=False):
            axis_x = cell.left() + year_w + 34
            text_x = axis_x + 36
            for row_index, index in enumerate(group):
                row = start + row_index * slot
                year_box = _at(years[index], cell.left(), row)
                text_box = _at(texts[index], text_x, row + max(0.0, (year_line - text_line) / 2))
                thumb = None
                if thumb_w:
                    thumb = QRectF(
                        cell.right() - thumb_w, row + 4, thumb_w, min(thumb_w / 1.5, slot - 44)
                    )
                dot = QPointF(axis_x, row + year_line / 2)
                laid.append(EventLayout(dot, year_box, text_box, thumb, 0.0))
            column_used = (len(group) - 1) * slot + max(_h(texts[group[-1]]), year_line)
            axes.append(QLineF(axis_x, start - 12, axis_x, start + column_used + 12))
        return axes, _timed(axes, laid)

    # --- painting --------------------------------------------------------------------------

    def paint_background(self, painter: QPainter, frame: Frame) -> None:
        """The shared background, with the slide image as a faint backdrop when there is one."""
        self.paint_background_with_image(
            painter, frame, self.layers, self.slide.image, strength=0.16
        )

    def entrance_tracks(self, layout: object) -> list[Track]:
        """The moves of `paint_content`: the axes as one track, each event as one."""
        assert isinstance(layout, TimelineLayout)
        found = text_track(layout.title, 0.0, 0.5)
        pen = 3.0
        axes = united(
            QRectF(axis.p1(), axis.p2()).normalized().adjusted(-pen, -pen, pen, pen)
            for axis in layout.axes
        )
        found.append(track(axes, AXIS_DELAY, AXIS_DELAY + AXIS_SECONDS))
        for event in layout.events:
            halo = DOT * 1.9 * 1.15  # out_back overshoots by at most ~10 %
            dot = QRectF(event.dot.x() - halo, event.dot.y() - halo, 2 * halo, 2 * halo)
            nudge = 18.0
            area = united(
                [
                    dot,
                    text_reach(event.year).adjusted(-nudge, -nudge, nudge, nudge),
                    text_reach(event.text).adjusted(-nudge, -nudge, nudge, nudge),
                    event.thumb or QRectF(),
                ]
            )
            found.append(track(area, event.appear, event.appear + 0.62))
        found += text_track(layout.source, AXIS_DELAY, AXIS_DELAY + 0.6)
        return found

    def paint_content(self, painter: QPainter, frame: Frame, layout: object) -> None:
        """Title, then the axis drawing itself, each event appearing as the axis reaches it."""
        assert isinstance(layout, TimelineLayout)
        entrance = frame.entrance
        layout.title.draw(painter, opacity=out_cubic(entrance / 0.5))
        drawn = clamp01((entrance - AXIS_DELAY) / AXIS_SECONDS)
        if drawn > 0:  # the axes draw one after another, as one line
            lengths = [axis.length() for axis in layout.axes]
            reach = drawn * sum(lengths)
            for axis, length in zip(layout.axes, lengths, strict=True):
                if reach > 0:
                    self._paint_axis(painter, axis, min(1.0, reach / (length or 1.0)))
                reach -= length
        vertical = layout.axis.dx() == 0
        for index, event in enumerate(layout.events):
            local = entrance - event.appear
            if local <= 0:
                continue
            pop = out_back(local / 0.4)
            self._paint_dot(painter, event.dot, pop, last=index == len(layout.events) - 1)
            shown = out_cubic(local / 0.45)
            nudge = (1 - shown) * 18
            shift = (
                (nudge, 0.0)
                if vertical
                else (0.0, nudge if event.year.rect.top() > event.dot.y() else -nudge)
            )
            event.year.draw(painter, opacity=shown, dx=shift[0], dy=shift[1])
            if event.thumb is not None:
                self._paint_thumb(painter, index, event.thumb, shown)
            words = out_cubic((local - 0.12) / 0.5)
            if words > 0:
                event.text.draw(painter, opacity=words, dx=shift[0] * 0.5, dy=shift[1] * 0.5)
        if layout.source is not None:
            layout.source.draw(painter, opacity=out_cubic((entrance - AXIS_DELAY) / 0.6))

    def _paint_axis(self, painter: QPainter, axis: QLineF, drawn: float) -> None:
        end = axis.pointAt(drawn)
        fade = QLinearGradient(axis.p1(), axis.p2())  # the far end fades out: history goes on
        solid = QColor(self.theme.muted)
        solid.setAlphaF(0.6)
        clear = QColor(solid)
        clear.setAlphaF(0.0)
        fade.setColorAt(0.0, solid)
        fade.setColorAt(0.9, solid)
        fade.setColorAt(1.0, clear)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(fade, 3.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(QLineF(axis.p1(), end))
        painter.restore()

    def _paint_dot(self, painter: QPainter, center: QPointF, pop: float, *, last: bool) -> None:
        if pop <= 0:
            return
        color = self.theme.accent2 if last else self.theme.accent
        halo = QColor(color)
        halo.setAlphaF(0.22)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(halo)
        painter.drawEllipse(center, DOT * 1.9 * pop, DOT * 1.9 * pop)
        painter.setBrush(color)
        painter.drawEllipse(center, DOT * pop, DOT * pop)
        painter.restore()

    def _paint_thumb(self, painter: QPainter, index: int, rect: QRectF, opacity: float) -> None:
        path = self.slide.events[index].image

        def paint(target: QPainter) -> None:
            image = self.media.image(path)
            if image is None:
                paint_placeholder(target, rect, self.theme.surface, self.theme.accent)
                return
            tile = QPainterPath()
            tile.addRoundedRect(rect, 12, 12)
            target.fillPath(tile, self.theme.surface)
            if image.hasAlphaChannel():  # an icon: whole, with air around it on its tile
                paint_image_contain(target, image, rect.adjusted(12, 10, -12, -10))
            else:  # a photo: fills its rounded tile
                target.setClipPath(tile)
                paint_image_cover(target, image, rect)

        if path is not None:
            self.layers.draw(painter, ("thumb", index, path), rect, paint, opacity=opacity)


def _fit_all(
    texts: Sequence[str],
    rects: Sequence[QRectF],
    theme: SlideTheme,
    *,
    size: float,
    min_size: float,
    bold: bool = False,
    color: QColor | None = None,
    align: Qt.AlignmentFlag = ALIGN_LEFT,
    role: str | None = None,
) -> list[TextBox]:
    """Fit each text in its rect at one shared size, the largest at which all of them fit."""

    def fit(at: float) -> list[TextBox]:
        return [
            fit_text(
                text,
                rect,
                theme,
                size=at,
                min_size=min_size,
                bold=bold,
                color=color,
                align=align,
                role=role,
            )
            for text, rect in zip(texts, rects, strict=True)
        ]

    boxes = fit(size)
    common = min(box.font.pixelSize() for box in boxes)
    if any(box.font.pixelSize() != common for box in boxes):
        boxes = fit(common)
    return boxes


def _text_px(events: list[EventLayout]) -> float:
    """How large an arrangement's event texts are (0 when one of them does not fit, or
    two boxes of it overlap)."""
    if not all(event.text.fits and event.year.fits for event in events):
        return 0.0
    rects = [box.used_rect() for event in events for box in (event.year, event.text)]
    rects += [event.thumb for event in events if event.thumb is not None]
    for i, a in enumerate(rects):
        if any(a.intersects(b) for b in rects[i + 1 :]):
            return 0.0
    return float(min(event.text.font.pixelSize() for event in events))


def _h(box: TextBox) -> float:
    return box.used_rect().height()


def _at(box: TextBox, left: float, top: float) -> TextBox:
    """`box` moved to (left, top) and shrunk to the height its text uses."""
    return replace(box, rect=QRectF(left, top, box.rect.width(), _h(box) + 1))


def _timed(axes: list[QLineF], events: list[EventLayout]) -> list[EventLayout]:
    """Each event appears when the (linearly) growing axes reach its dot: the axes draw one
    after another, as one line."""
    lengths = [axis.length() for axis in axes]
    total = sum(lengths) or 1.0
    timed = []
    for event in events:
        nearest = min(range(len(axes)), key=lambda i: _distance(axes[i], event.dot))
        along = sum(lengths[:nearest]) + QLineF(axes[nearest].p1(), event.dot).length()
        appear = AXIS_DELAY + AXIS_SECONDS * clamp01(along / total)
        timed.append(replace(event, appear=appear))
    return timed


def _distance(axis: QLineF, point: QPointF) -> float:
    """How far `point` is from the straight line segment `axis`."""
    dx, dy = axis.dx(), axis.dy()
    length2 = dx * dx + dy * dy or 1.0
    t = clamp01(((point.x() - axis.x1()) * dx + (point.y() - axis.y1()) * dy) / length2)
    return QLineF(point, axis.pointAt(t)).length()
