"""The cover: kicker, a very large title and a subtitle over slowly drifting light and ridges.

The background keeps moving for as long as the cover is on screen, so everything still
(background, text, each ridge tile, each glow) is rasterised once per device scale by
`LayerCache` (cache.py) and each frame is only a handful of unscaled image copies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QRadialGradient,
)

from kiosk.content.model import CoverSlide, Language
from kiosk.core.easing import out_cubic, stagger
from kiosk.slides.base import Frame, SlideView, content_bottom, margins
from kiosk.slides.cache import LayerCache
from kiosk.slides.canvas import within_span
from kiosk.slides.media import MediaLibrary, paint_image_contain, paint_placeholder
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_LEFT, TextBox, fit_statement, fit_text, no_break_hyphens

RIDGE_PERIOD = 1920.0  # canvas px after which a ridge repeats; tiles of it drift sideways
RIDGE_HARMONICS = ((1, 0.55), (2, 0.3), (5, 0.15))  # whole waves per period, weight
RISE = 28.0  # canvas px a line of text travels while it fades in
STEP = 0.22  # seconds between kicker, title, rule and subtitle
RULE = QSizeF(132, 5)  # the accent rule between title and subtitle
LOGO_PX = (112.0, 104.0)  # side of the logo mark: landscape, portrait
MAX_COLUMN = 1900.0  # canvas px: on a bar display the lines stay a readable length
STACK_SCALES = (1.0, 0.9, 0.8, 0.7, 0.62, 0.55, 0.5)  # tried in turn until the stack fits


@dataclass(frozen=True)
class RidgeLayer:
    """One tile of contour lines (a period wide) that drifts sideways at `speed` px/s."""

    tile: QRectF
    lines: tuple[tuple[QPainterPath, QColor, float], ...]
    fill: QPainterPath | None
    fill_color: QColor
    speed: float


@dataclass(frozen=True)
class Glow:
    """A soft light that wanders around `center` on a slow Lissajous path."""

    center: QPointF
    radius: float
    color: QColor
    sway: QPointF
    periods: tuple[float, float]

    def bounds(self) -> QRectF:
        """The square the glow's gradient fills."""
        return QRectF(
            self.center.x() - self.radius,
            self.center.y() - self.radius,
            2 * self.radius,
            2 * self.radius,
        )

    def offset(self, clock: float) -> QPointF:
        """Where the glow has drifted to at `clock` seconds of show time."""
        return QPointF(
            self.sway.x() * math.sin(2 * math.pi * clock / self.periods[0]),
            self.sway.y() * math.sin(2 * math.pi * clock / self.periods[1] + 1.3),
        )


@dataclass(frozen=True)
class CoverLayout:
    """Positions of the cover's text, accent rule and living background for one canvas."""

    logo: QRectF | None  # the theme's logo mark, above the kicker
    kicker: TextBox | None
    title: TextBox
    rule: QRectF
    subtitle: TextBox | None
    source: TextBox | None
    ridges: tuple[RidgeLayer, ...]
    glows: tuple[Glow, ...]


class CoverSlideView(SlideView[CoverSlide]):
    """The opening slide: a very large title over slowly drifting light and contour lines."""

    entrance_seconds = 1.6
    ambient = True

    def __init__(self, slide: CoverSlide, theme: SlideTheme, media: MediaLibrary) -> None:
        super().__init__(slide, theme, media)
        self.layers = LayerCache()

    def build_layout(self, canvas: QSizeF, language: Language) -> CoverLayout:
        """Stack kicker, title, rule and subtitle left-aligned, centred a little above middle."""
        portrait = canvas.height() > canvas.width()
        margin = margins(canvas)
        column = within_span(
            QRectF(margin, 0, min(canvas.width() - 2 * margin, MAX_COLUMN), 1), canvas
        )
        left, width = column.left(), column.width()
        sizes = (34.0, 132.0, 40.0) if portrait else (36.0, 168.0, 44.0)
        room = content_bottom(canvas) - 16 - margin * 1.2  # the stack's height at most
        # The whole stack at full size when it fits above the navigation, else smaller
        # (a square screen), step by step; the text itself never below its role's minimum.
        for scale in STACK_SCALES:
            kicker_px, title_px, subtitle_px = (
                sizes[0] * max(scale, 0.8),
                sizes[1] * scale,
                sizes[2] * max(scale, 0.8),
            )
            kicker = None
            if self.slide.kicker is not None:
                kicker = fit_text(
                    self.slide.kicker[language],
                    QRectF(left, 0, width, kicker_px * 3),
                    self.theme,
                    size=kicker_px,
                    color=self.theme.accent,
                    role="body",
                )
            title = _fit_headline(
                self.slide.title[language],
                QRectF(left, 0, width, title_px * 2.7),
                self.theme,
                title_px,
            )
            subtitle = None
            if self.slide.subtitle is not None:
                subtitle = fit_statement(
                    self.slide.subtitle[language],
                    QRectF(left, 0, width, subtitle_px * 4.2),
                    self.theme,
                    size=subtitle_px,
                    min_size=24,
                    color=self.theme.muted,
                    align=ALIGN_LEFT,
                )  # a statement: role "body"

            # logo, kicker, title, rule, subtitle stacked with these gaps, centred a little high
            kicker_gap, rule_gap, subtitle_gap = kicker_px * 0.5, 36.0 * scale, 40.0 * scale
            logo_gap = 36.0 * scale
            logo_px = (LOGO_PX[1] if portrait else LOGO_PX[0]) * scale
            has_logo = self.theme.logo is not None
            total = _height(title) + rule_gap + RULE.height()
            total += _height(kicker) + kicker_gap if kicker else 0.0
            total += subtitle_gap + _height(subtitle) if subtitle else 0.0
            total += logo_px + logo_gap if has_logo else 0.0
            if total <= room:
                break
        y = max(margin * 1.2, canvas.height() * (0.4 if portrait else 0.41) - total / 2)
        logo = None
        if has_logo:
            logo = QRectF(left, y, logo_px, logo_px)
            y += logo_px + logo_gap
        if kicker is not None:
            kicker = _placed(kicker, y)
            y += _height(kicker) + kicker_gap
        title = _placed(title, y)
        y += _height(title) + rule_gap
        rule = QRectF(QPointF(left + 4, y), RULE)
        if subtitle is not None:
            subtitle = _placed(subtitle, y + RULE.height() + subtitle_gap)

        return CoverLayout(
            logo=logo,
            kicker=kicker,
            title=title,
            rule=rule,
            subtitle=subtitle,
            source=self.source_box(canvas, language),
            ridges=_ridges(canvas, self.theme),
            glows=_glows(canvas, self.theme),
        )

    def paint_background(self, painter: QPainter, frame: Frame) -> None:
        """The shared background (and the slide image, faintly), from a cached layer."""
        self.paint_background_with_image(
            painter, frame, self.layers, self.slide.image, strength=0.2
        )

    def paint_content(self, painter: QPainter, frame: Frame, layout: object) -> None:
        """Drifting glows and ridges, then kicker, title, rule and subtitle rising in turn."""
        assert isinstance(layout, CoverLayout)
        entrance, clock = frame.entrance, frame.clock
        scenery = 0.0 if self.theme.solid else out_cubic(entrance / 1.2)  # high contrast: plain
        if frame.still:
            clock = 0.0  # reduced motion: the scenery rests where it starts
        for index, glow in enumerate(layout.glows if scenery > 0.0 else ()):
            breathe = 0.85 + 0.15 * math.sin(2 * math.pi * clock / 23.0 + index * 2.1)
            self.layers.draw(
                painter,
                ("glow", index),
                glow.bounds(),
                lambda target, glow=glow: _paint_glow(target, glow),
                opacity=scenery * breathe,
                offset=glow.offset(clock),
            )
        rise = (1.0 - scenery) * 40.0  # the ridges settle into place as they fade in
        for index, ridge in enumerate(layout.ridges if scenery > 0.0 else ()):
            x = -math.fmod(ridge.speed * clock, RIDGE_PERIOD)
            while x < frame.canvas.width():
                self.layers.draw(
                    painter,
                    ("ridge", index),
                    ridge.tile,
                    lambda target, ridge=ridge: _paint_ridge(target, ridge),
                    opacity=scenery,
                    offset=QPointF(x, rise),
                )
                x += RIDGE_PERIOD

        if layout.logo is not None:
            progress = out_cubic(stagger(entrance, 0, delay=0.0, step=STEP, duration=0.8))
            self.layers.draw(
                painter,
                ("logo", self.theme.logo),
                layout.logo,
                lambda target, rect=layout.logo: self._paint_logo(target, rect),
                opacity=progress,
                offset=QPointF(0, RISE * (1 - progress)),
            )
        for index, box in enumerate((layout.kicker, layout.title)):
            if box is not None:
                progress = out_cubic(stagger(entrance, index, delay=0.1, step=STEP, duration=0.8))
                box.draw(painter, opacity=progress, dy=RISE * (1 - progress))
        grow = out_cubic(stagger(entrance, 2, delay=0.1, step=STEP, duration=0.7))
        if grow > 0:
            rule = QRectF(layout.rule)
            rule.setWidth(rule.width() * grow)
            painter.fillRect(rule, self.theme.accent)
        if layout.subtitle is not None:
            progress = out_cubic(stagger(entrance, 3, delay=0.1, step=STEP, duration=0.8))
            layout.subtitle.draw(painter, opacity=progress, dy=RISE * (1 - progress))
        if layout.source is not None:
            layout.source.draw(
                painter,
                opacity=out_cubic(stagger(entrance, 4, delay=0.1, step=STEP, duration=0.6)),
            )

    def _paint_logo(self, painter: QPainter, rect: QRectF) -> None:
        """The theme's logo mark, whole, in `rect` (a calm placeholder if it cannot be read)."""
        image = self.media.image(self.theme.logo)
        if image is None:
            paint_placeholder(painter, rect, self.theme.surface, self.theme.accent)
        else:
            paint_image_contain(painter, image, rect)


def _fit_headline(text: str, rect: QRectF, theme: SlideTheme, size: float) -> TextBox:
    """The title on one line when it can stay large, else wrapped over two or three lines."""
    text = no_break_hyphens(text)
    one_line = fit_text(
        text,
        rect,
        theme,
        size=size,
        min_size=size * 0.72,
        bold=True,
        align=ALIGN_LEFT,
        wrap=False,
        role="heading",
    )
    if one_line.fits:
        return one_line
    return fit_text(
        text,
        rect,
        theme,
        size=size,
        min_size=size * 0.4,
        bold=True,
        align=ALIGN_LEFT,
        role="heading",
    )


def _height(box: TextBox | None) -> float:
    return box.used_rect().height() if box is not None else 0.0


def _placed(box: TextBox, top: float) -> TextBox:
    """`box` moved so its top is at `top`, shrunk to the height its text uses."""
    rect = QRectF(box.rect.x(), top, box.rect.width(), math.ceil(_height(box)) + 1)
    return replace(box, rect=rect)


def _ridges(canvas: QSizeF, theme: SlideTheme) -> tuple[RidgeLayer, ...]:
    """Two layers of gently rolling contour lines in the lower part of the canvas."""
    portrait = canvas.height() > canvas.width()
    top = canvas.height() * (0.66 if portrait else 0.655)
    band = canvas.height() - top
    count = 7
    layers: list[RidgeLayer] = []
    for first, last, speed in ((0, 4, 5.0), (4, count, 11.0)):
        lines: list[tuple[QPainterPath, QColor, float]] = []
        front: QPainterPath | None = None
        for index in range(first, last):
            depth = index / (count - 1)  # 0 at the back (top), 1 at the front (bottom)
            base = top + band * (0.1 + 0.72 * depth**1.2)
            amplitude = band * (0.05 + 0.05 * depth)
            path = _ridge_path(base, amplitude, phase=0.9 + index * 0.3)  # neighbours alike
            color = QColor(theme.accent)
            color.setAlphaF(0.09 + 0.22 * depth)
            lines.append((path, color, 1.4 + 1.4 * depth))
            front = path
        fill = None
        if last == count and front is not None:
            fill = QPainterPath(front)
            fill.lineTo(RIDGE_PERIOD + 40, canvas.height())
            fill.lineTo(-40, canvas.height())
            fill.closeSubpath()
        fill_color = QColor(theme.background.darker(140))
        fill_color.setAlphaF(0.55)
        tile = QRectF(0, top - band * 0.1, RIDGE_PERIOD, canvas.height() - top + band * 0.1)
        layers.append(RidgeLayer(tile, tuple(lines), fill, fill_color, speed))
    return tuple(layers)


def _ridge_path(base: float, amplitude: float, phase: float) -> QPainterPath:
    """A smooth line that repeats every RIDGE_PERIOD px (whole harmonics only), so tiles join."""
    path = QPainterPath()
    steps = 192
    for step in range(-2, steps + 3):
        x = RIDGE_PERIOD * step / steps
        wave = sum(
            weight * math.sin(2 * math.pi * k * x / RIDGE_PERIOD + phase * k)
            for k, weight in RIDGE_HARMONICS
        )
        point = QPointF(x, base - amplitude * wave)
        if step == -2:
            path.moveTo(point)
        else:
            path.lineTo(point)
    return path


def _glows(canvas: QSizeF, theme: SlideTheme) -> tuple[Glow, ...]:
    """Three soft lights: cool ones high right and low centre, a faint warm one low left.

    Kept to about a third of the canvas across: every frame blends each one whole.
    """
    w, h = canvas.width(), canvas.height()
    side = min(w, h)
    return (
        Glow(
            QPointF(w * 0.74, h * 0.3),
            side * 0.38,
            _alpha(theme.accent, 0.17),
            QPointF(w * 0.08, h * 0.07),
            (53.0, 41.0),
        ),
        Glow(
            QPointF(w * 0.46, h * 0.72),
            side * 0.3,
            _alpha(theme.accent, 0.09),
            QPointF(w * 0.1, h * 0.04),
            (71.0, 37.0),
        ),
        Glow(
            QPointF(w * 0.16, h * 0.82),
            side * 0.32,
            _alpha(theme.accent2, 0.07),
            QPointF(w * 0.05, h * 0.05),
            (67.0, 47.0),
        ),
    )


def _alpha(color: QColor, alpha: float) -> QColor:
    faded = QColor(color)
    faded.setAlphaF(alpha)
    return faded


def _paint_glow(painter: QPainter, glow: Glow) -> None:
    gradient = QRadialGradient(glow.center, glow.radius)
    gradient.setColorAt(0.0, glow.color)
    middle = QColor(glow.color)
    middle.setAlphaF(glow.color.alphaF() * 0.35)
    gradient.setColorAt(0.5, middle)
    gradient.setColorAt(1.0, QColor(0, 0, 0, 0))
    painter.fillRect(glow.bounds(), gradient)


def _paint_ridge(painter: QPainter, ridge: RidgeLayer) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if ridge.fill is not None:
        shade = QLinearGradient(0, ridge.tile.top(), 0, ridge.tile.bottom())
        clear = QColor(ridge.fill_color)
        clear.setAlphaF(0.0)
        shade.setColorAt(0.0, clear)
        shade.setColorAt(0.6, ridge.fill_color)
        shade.setColorAt(1.0, ridge.fill_color)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(shade)
        painter.drawPath(ridge.fill)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for path, color, width in ridge.lines:
        painter.setPen(QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawPath(path)
    painter.restore()
