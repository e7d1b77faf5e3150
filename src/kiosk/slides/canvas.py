"""The logical canvas of a screen: its shape, where it sits on the screen, its bands, its seams.

The canvas keeps its short side at 1080 px and lets the long side follow the screen, so a
32:9 bar display gets a 3840×1080 canvas (not a squeezed 1920×540 one) and a portrait totem a
1080×1920 or 1080×2560 one. Layouts are written for the canvas and spread into the width or
the height they get. Screens between TALLEST and WIDEST fill the screen; beyond them the
canvas stops growing and is centred with dark bars (a letterbox), so no layout ever meets a
shape it was not made for.

A video wall built of several panels shows a seam (the panels' bezels) where they meet. The
kiosk's `bezels` setting says where; the canvas then carries the seams' x positions, and
layouts keep text and key figures out of a gutter either side of each (see `spans`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, QSizeF
from PySide6.QtGui import QPainter

SHORT_SIDE = 1080.0  # canvas px of the screen's short side, whatever its shape
TALLEST = 1080 / 2560  # width / height of the tallest supported screen (a 1080×2560 totem)
WIDEST = 48 / 9  # of the widest (5760×1080: three 16:9 panels side by side)
SEAM_GUTTER = 48.0  # canvas px kept clear of text and figures either side of a bezel seam
WIDE_BOTTOM = 1600.0  # from this canvas width the navigation and the source share a line


class Canvas(QSizeF):
    """A canvas size that also knows where a wall's bezel seams are (canvas x positions).

    It is a QSizeF, so every layout that reads `width()` and `height()` works unchanged;
    `seams_of` reads the seams of a plain QSizeF or QRectF as none.
    """

    def __init__(self, width: float, height: float, seams: Iterable[float] = ()) -> None:
        super().__init__(width, height)
        self.seams: tuple[float, ...] = tuple(
            sorted(float(x) for x in seams if SEAM_GUTTER < x < width - SEAM_GUTTER)
        )


class CanvasRect(QRectF):
    """The canvas as a rectangle at the origin, for layers (chrome, panels), with its seams."""

    def __init__(self, canvas: QSizeF) -> None:
        super().__init__(QPointF(0, 0), canvas)
        self.seams: tuple[float, ...] = seams_of(canvas)


def seams_of(canvas: QSizeF | QRectF) -> tuple[float, ...]:
    """The bezel seams of a canvas (none for a plain QSizeF or QRectF)."""
    return tuple(getattr(canvas, "seams", ()))


def layout_key(canvas: QSizeF) -> tuple[float, float, tuple[float, ...]]:
    """What a layout depends on: the canvas size and its seams."""
    return (canvas.width(), canvas.height(), seams_of(canvas))


@dataclass(frozen=True)
class Placement:
    """Where the canvas sits on a screen or image: its size, scale and (letterbox) offset."""

    canvas: Canvas
    scale: float  # screen px per canvas px
    offset: QPointF  # the canvas's top-left corner on the screen

    def to_canvas(self, point: QPointF | QPoint) -> QPointF:
        """A screen position in canvas coordinates."""
        return (QPointF(point) - self.offset) / self.scale

    def to_screen(self, point: QPointF | QPoint) -> QPointF:
        """A canvas position in screen coordinates."""
        return QPointF(point) * self.scale + self.offset

    def apply(self, painter: QPainter) -> None:
        """Make `painter` draw in canvas coordinates."""
        painter.translate(self.offset)
        painter.scale(self.scale, self.scale)

    @property
    def letterboxed(self) -> bool:
        """True when the canvas does not fill the screen (a shape beyond the supported range)."""
        return self.offset.x() > 0 or self.offset.y() > 0


def place(width: float, height: float, seams: Sequence[float] = ()) -> Placement:
    """The canvas for a `width`×`height` screen and where it sits on it.

    `seams` are the x positions of bezel seams in screen pixels (see `seam_positions`).
    """
    if width <= 0 or height <= 0:
        return Placement(Canvas(1920, SHORT_SIDE), 1.0, QPointF())
    aspect = min(max(width / height, TALLEST), WIDEST)
    if aspect >= 1.0:
        size = QSizeF(round(SHORT_SIDE * aspect), SHORT_SIDE)
    else:
        size = QSizeF(SHORT_SIDE, round(SHORT_SIDE / aspect))
    plain = fit(width, height, size)
    canvas_seams = [(x - plain.offset.x()) / plain.scale for x in seams]
    return Placement(Canvas(size.width(), size.height(), canvas_seams), plain.scale, plain.offset)


def fit(width: float, height: float, canvas: QSizeF) -> Placement:
    """`canvas` scaled to fit a `width`×`height` screen or image, centred (letterboxed when
    the shapes differ by a pixel or more)."""
    scale = min(width / canvas.width(), height / canvas.height())
    offset = QPointF((width - canvas.width() * scale) / 2, (height - canvas.height() * scale) / 2)
    if offset.x() < 1 and offset.y() < 1:  # rounding only: fill the screen exactly
        scale, offset = width / canvas.width(), QPointF()
    if not isinstance(canvas, Canvas):
        canvas = Canvas(canvas.width(), canvas.height(), seams_of(canvas))
    return Placement(canvas, scale, offset)


def canvas_for(width: float, height: float, seams: Sequence[float] = ()) -> Canvas:
    """The logical canvas of a `width`×`height` screen: short side 1080, long side following
    the aspect (1920×1080 for 16:9, 3840×1080 for 32:9, 1440×1080 for 4:3, 1080×1920 for 9:16),
    within the supported range. The one place that decides it: stage, export, bench, presenter,
    overview and hit-testing all come here (through `place`)."""
    return place(width, height, seams).canvas


def seam_positions(bezels: int | Sequence[float], width: float) -> list[float]:
    """Seam x positions (screen px) of a `bezels` setting on a screen `width` px wide: a
    number of equal panels side by side, or the seams' positions themselves."""
    if isinstance(bezels, int):
        return [width * k / bezels for k in range(1, max(1, bezels))]
    return [float(x) for x in bezels if 0 < x < width]


# --- seams ---------------------------------------------------------------------------------


def spans(canvas: QSizeF | QRectF, left: float, right: float) -> list[tuple[float, float]]:
    """The stretches of [left, right] that no seam's gutter touches, left to right."""
    found: list[tuple[float, float]] = []
    start = left
    for seam in seams_of(canvas):
        if seam + SEAM_GUTTER <= left or seam - SEAM_GUTTER >= right:
            continue
        if seam - SEAM_GUTTER > start:
            found.append((start, seam - SEAM_GUTTER))
        start = max(start, seam + SEAM_GUTTER)
    if right > start:
        found.append((start, right))
    return found


def within_span(rect: QRectF, canvas: QSizeF | QRectF) -> QRectF:
    """`rect` narrowed to the seam-free stretch its left part is in (unchanged without seams)."""
    stretches = spans(canvas, rect.left(), rect.right())
    if not stretches:
        return QRectF(rect)
    left, right = stretches[0]
    return QRectF(left, rect.top(), right - left, rect.height())


def clear_of_seams(rect: QRectF, canvas: QSizeF | QRectF) -> QRectF:
    """`rect` moved left (or right, at the canvas's left edge) until no seam's gutter touches
    it; unchanged when it already is clear (for chrome of a fixed size)."""
    moved = QRectF(rect)
    for seam in reversed(seams_of(canvas)):
        if moved.left() < seam + SEAM_GUTTER and moved.right() > seam - SEAM_GUTTER:
            moved.moveRight(seam - SEAM_GUTTER)
    if moved.left() < 0:
        for seam in seams_of(canvas):
            if moved.left() < seam + SEAM_GUTTER and moved.right() > seam - SEAM_GUTTER:
                moved.moveLeft(seam + SEAM_GUTTER)
    return moved


def main_span(canvas: QSizeF | QRectF, margin: float = 0.0) -> QRectF:
    """The seam-free stretch of the canvas nearest its centre, full height: where overlays and
    a single centred block go (the whole canvas without seams)."""
    width, height = canvas.width(), canvas.height()
    stretches = spans(canvas, margin, width - margin)
    centre = width / 2

    def distance(stretch: tuple[float, float]) -> float:
        return 0.0 if stretch[0] <= centre <= stretch[1] else min(abs(centre - s) for s in stretch)

    left, right = min(stretches, key=lambda s: (distance(s), -(s[1] - s[0])))
    return QRectF(left, 0, right - left, height)


def spread(
    region: QRectF,
    count: int,
    gap: float,
    canvas: QSizeF | QRectF,
    *,
    max_width: float = math.inf,
) -> list[QRectF]:
    """`count` columns of one width across `region`, left to right, none crossing a seam.

    Without seams the columns are as wide as the region allows (at most `max_width`) and
    centred as a group. With seams each seam-free stretch takes a share of the columns so that
    the common width is as large as possible, and centres its own.
    """
    if count <= 0:
        return []
    stretches = spans(canvas, region.left(), region.right()) or [(region.left(), region.right())]
    shares = [0] * len(stretches)

    def width_with(shares: list[int]) -> float:
        widths = [
            (right - left - (n - 1) * gap) / n
            for (left, right), n in zip(stretches, shares, strict=True)
            if n > 0
        ]
        return min(widths) if widths else math.inf

    for _ in range(count):
        best = max(
            range(len(stretches)),
            key=lambda i: (width_with([n + (j == i) for j, n in enumerate(shares)]), -i),
        )
        shares[best] += 1
    width = min(width_with(shares), max_width)
    columns: list[QRectF] = []
    for (left, right), n in zip(stretches, shares, strict=True):
        if n == 0:
            continue
        used = n * width + (n - 1) * gap
        x = left + (right - left - used) / 2
        for k in range(n):
            columns.append(QRectF(x + k * (width + gap), region.top(), width, region.height()))
    return columns


# --- the bands every slide shares -------------------------------------------------------------

# The bottom band belongs to the navigation (chapter labels and progress dots, tappable, at
# least 48 canvas pixels each) and the source line; slide content stays above it.
NAV_WIDTH = 680.0  # chapter labels over a row of dots, 48 px apart
NAV_HEIGHT = 104.0
# The top band is the row of chrome buttons (the language switch; room for more to its left,
# see ui/chrome.py `TOP_ROW`); slide titles start below it.
TOP_RIGHT_RESERVED = QSizeF(300, 80)


def is_portrait(canvas: QSizeF | QRectF) -> bool:
    """True on a tall canvas."""
    return canvas.height() > canvas.width()


def stacked_bottom(canvas: QSizeF | QRectF) -> bool:
    """True when the canvas is too narrow for the source line beside the navigation: then the
    navigation is centred and the source line runs under it (portrait, 4:3, square)."""
    return canvas.width() < WIDE_BOTTOM


def margins(canvas: QSizeF | QRectF) -> float:
    """Outer margin of the canvas."""
    return 72.0 if stacked_bottom(canvas) else 96.0


def content_bottom(canvas: QSizeF | QRectF) -> float:
    """The lowest y slide content may use; below it are the navigation and the source."""
    if stacked_bottom(canvas):
        return canvas.height() - NAV_HEIGHT - 96
    return canvas.height() - NAV_HEIGHT - 24


def nav_rect(canvas: QSizeF | QRectF) -> QRectF:
    """Where the navigation (chapters and dots) sits: bottom right, or centred when stacked."""
    if not stacked_bottom(canvas):
        rect = QRectF(
            canvas.width() - 40 - NAV_WIDTH,
            canvas.height() - NAV_HEIGHT - 16,
            NAV_WIDTH,
            NAV_HEIGHT,
        )
        return clear_of_seams(rect, canvas)
    width = min(NAV_WIDTH, canvas.width() - 80)
    return QRectF(
        (canvas.width() - width) / 2, canvas.height() - NAV_HEIGHT - 84, width, NAV_HEIGHT
    )


def source_rect(canvas: QSizeF | QRectF) -> QRectF:
    """Where the source line sits: bottom left beside the navigation, or under it."""
    margin = margins(canvas)
    if stacked_bottom(canvas):
        return QRectF(margin, canvas.height() - 76, canvas.width() - 2 * margin, 60)
    rect = QRectF(margin, canvas.height() - 80, nav_rect(canvas).left() - margin - 40, 64)
    return within_span(rect, canvas)


def title_size(canvas: QSizeF | QRectF) -> float:
    """Pixel size of slide titles."""
    return 60.0 if stacked_bottom(canvas) else 64.0


def title_top(canvas: QSizeF | QRectF) -> float:
    """Where slide titles start: below the row of chrome buttons at the top right."""
    return max(margins(canvas) * 0.8, TOP_RIGHT_RESERVED.height() + 8)


def title_height(canvas: QSizeF | QRectF) -> float:
    """Height reserved for slide titles (two lines fit when they must)."""
    return 170.0 if is_portrait(canvas) else 150.0


def content_top(canvas: QSizeF | QRectF) -> float:
    """The highest y slide content below the title may use."""
    return title_top(canvas) + title_height(canvas)


def title_rect(canvas: QSizeF | QRectF) -> QRectF:
    """Where the slide title goes: across the top, within the first seam-free stretch."""
    margin = margins(canvas)
    rect = QRectF(margin, title_top(canvas), canvas.width() - 2 * margin, title_height(canvas))
    return within_span(rect, canvas)
