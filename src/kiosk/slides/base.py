"""What every slide view is: built once from its model, laid out per canvas and language,
painted with QPainter at any moment of its entrance.

Views are not widgets: the stage paints them live during their entrance and into images for
transitions and export, so one code path draws the screen, the transition frames and the PNGs.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import ClassVar, Generic, TypeVar

from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QRadialGradient

from kiosk.content.model import Language, SlideBase
from kiosk.slides.cache import LayerCache
from kiosk.slides.canvas import (
    NAV_HEIGHT,
    NAV_WIDTH,
    TOP_RIGHT_RESERVED,
    Canvas,
    canvas_for,
    content_bottom,
    content_top,
    is_portrait,
    layout_key,
    margins,
    nav_rect,
    place,
    seams_of,
    source_rect,
    title_height,
    title_rect,
    title_size,
    title_top,
)
from kiosk.slides.changes import Track, changed_between
from kiosk.slides.media import MediaLibrary, paint_backdrop
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_LEFT, TextBox, fit_text, no_break_hyphens

__all__ = [  # the canvas geometry is used through this module by every view
    "NAV_HEIGHT",
    "NAV_WIDTH",
    "TOP_RIGHT_RESERVED",
    "Canvas",
    "canvas_for",
    "content_bottom",
    "content_top",
    "is_portrait",
    "margins",
    "nav_rect",
    "place",
    "seams_of",
    "source_rect",
    "title_height",
    "title_size",
    "title_top",
]

LANDSCAPE = QSizeF(1920, 1080)
PORTRAIT = QSizeF(1080, 1920)
FINAL = math.inf  # entrance time meaning "every animation finished"
TEXT_SCALE_STEP = 0.1  # larger text that cannot fit is laid out again this much smaller
_BACKGROUNDS = LayerCache()  # the plain background, shared by every view


@dataclass(frozen=True)
class Frame:
    """One moment to paint: canvas size, language, seconds since the entrance began, show clock."""

    canvas: QSizeF
    language: Language
    entrance: float = FINAL
    clock: float = 0.0
    still: bool = False  # reduced motion: nothing drifts (a gallery's pictures still take turns)

    @property
    def portrait(self) -> bool:
        """True on a tall screen."""
        return self.canvas.height() > self.canvas.width()


M = TypeVar("M", bound=SlideBase)


class SlideView(Generic[M]):
    """Base class of the view of one slide type.

    Subclasses set `entrance_seconds`, implement `build_layout` (positions and text boxes for
    one canvas and language, cached) and `paint_content` (draw at a moment of the entrance).
    """

    entrance_seconds: ClassVar[float] = 1.5
    ambient: ClassVar[bool] = False  # True when the view keeps moving after its entrance
    # False: the stage prepares nothing ahead while this slide is on screen (a film: its
    # frames must not wait behind a job on the GUI thread), and does not render it ahead.
    prepared_around: ClassVar[bool] = True
    # True when something else asks for each new frame (a film's decoder), not a frame timer.
    frames_from_source: ClassVar[bool] = False

    def __init__(self, slide: M, theme: SlideTheme, media: MediaLibrary) -> None:
        self.slide = slide
        self.theme = theme
        self.media = media
        self._layouts: dict[tuple[object, ...], object] = {}

    # --- called by the stage, export and tests ------------------------------------------

    def layout(self, canvas: QSizeF, language: Language) -> object:
        """The cached layout for this canvas and language."""
        key = (*layout_key(canvas), language)
        if key not in self._layouts:
            if len(self._layouts) > 8:  # a screen change or a language switch; keep it bounded
                self._layouts.clear()
            self._layouts[key] = self._layout_that_fits(canvas, language)
        return self._layouts[key]

    def _layout_that_fits(self, canvas: QSizeF, language: Language) -> object:
        """The layout at the theme's text scale. Where a visitor's larger text leaves some
        text cut on this canvas (a small or odd screen), the slide is laid out again a step
        smaller, down to the designed size, which always shows everything: text as large as
        the screen allows, never clipped."""
        layout = self.build_layout(canvas, language)
        wanted = self.theme
        scale = wanted.text_scale
        while scale > 1.0 and not all(box.fits for box in _boxes_of(layout)):
            scale = max(1.0, round(scale - TEXT_SCALE_STEP, 2))
            self.theme = replace(wanted, text_scale=scale)
            try:
                layout = self.build_layout(canvas, language)
            finally:
                self.theme = wanted  # colours and painting keep the visitor's theme
        return layout

    def text_boxes(self, canvas: QSizeF, language: Language) -> list[TextBox]:
        """Every text box of the layout (tests and `kiosk check` inspect them)."""
        found: list[TextBox] = []
        _collect_boxes(self.layout(canvas, language), found)
        return found

    def shown_together(self, canvas: QSizeF, language: Language) -> list[list[TextBox]]:
        """Groups of text boxes that are on screen at the same time (none may overlap within
        a group). One group, every box, unless the view shows some of them in turn."""
        return [self.text_boxes(canvas, language)]

    def warming_jobs(
        self, canvas: QSizeF, language: Language, scale: float
    ) -> list[Callable[[], bool]]:
        """Jobs that each make one text box's sprite at `scale` device px per canvas px
        before the entrance first shows it; a job returns False when it had nothing to do."""
        return [functools.partial(box.warm, scale) for box in self.text_boxes(canvas, language)]

    def figure_rects(self, canvas: QSizeF, language: Language) -> list[QRectF]:
        """Rectangles of key figures that are not text (a chart), kept off bezel seams."""
        return []

    def paint(self, painter: QPainter, frame: Frame) -> None:
        """Paint the whole slide, background included, for `frame`."""
        self.paint_background(painter, frame)
        self.paint_content(painter, frame, self.layout(frame.canvas, frame.language))

    def entrance_done(self, entrance: float) -> bool:
        """True when the entrance animation has finished at `entrance` seconds."""
        return entrance >= self.entrance_seconds

    def entrance_changes(
        self, canvas: QSizeF, language: Language, t0: float, t1: float
    ) -> list[QRectF] | None:
        """Canvas areas where the entrance frame at `t1` may differ from the one at `t0`;
        None when it may differ anywhere (views that give no tracks, ambient views)."""
        if self.ambient:
            return None
        tracks = self.entrance_tracks(self.layout(canvas, language))
        return None if tracks is None else changed_between(tracks, t0, t1)

    def entrance_tracks(self, layout: object) -> list[Track] | None:
        """What moves in the entrance, where and when (slides/changes.py); None: unknown,
        so the whole slide is repainted in every entrance frame."""
        return None

    def needs_chart_library(self) -> bool:
        """True when laying the view out imports the chart library (pyqtgraph: ~0.3 s)."""
        return False

    def keeps_changing(self) -> bool:
        """True when what the view shows changes over time, not only how it moves (a
        gallery's pictures taking turns): it keeps its frames under reduced motion, still."""
        return False

    def cached_bytes(self, canvas: QSizeF, language: Language, scale: float) -> int:
        """Bytes of images the view takes turns with while it is shown, at `scale` device px
        per canvas px (beyond its background and text, which any budget holds). The shared
        image budget must hold them all, or an ambient view re-makes them over and over."""
        return 0

    def preparation_jobs(
        self, canvas: QSizeF, language: Language, scale: float
    ) -> list[tuple[str, Callable[[], object]]]:
        """Named jobs that make, ahead of time, images the view takes turns with later (a
        gallery's pictures after the first); the stage runs them at still moments."""
        return []

    # --- for subclasses ------------------------------------------------------------------

    def build_layout(self, canvas: QSizeF, language: Language) -> object:
        """Compute positions and text boxes for this canvas and language."""
        raise NotImplementedError

    def paint_content(self, painter: QPainter, frame: Frame, layout: object) -> None:
        """Paint everything but the background at the moment `frame.entrance`."""
        raise NotImplementedError

    def paint_background(self, painter: QPainter, frame: Frame) -> None:
        """The shared calm background, copied from a cached image (gradients are filled
        pixel by pixel: at 4K many times the cost of the copy)."""
        rect = QRectF(QPointF(0, 0), frame.canvas)
        _BACKGROUNDS.draw_background(
            painter, rect, self.theme, lambda target: self.paint_plain_background(target, rect)
        )

    def paint_background_with_image(
        self,
        painter: QPainter,
        frame: Frame,
        cache: LayerCache,
        image: str | None,
        *,
        strength: float,
    ) -> None:
        """The shared background with `image` as a faint, veiled backdrop, cached per view."""
        rect = QRectF(QPointF(0, 0), frame.canvas)

        def paint(target: QPainter) -> None:
            self.paint_plain_background(target, rect)
            if image is not None and not self.theme.solid:
                paint_backdrop(target, self.media.image(image), rect, self.theme, strength=strength)

        key = ("background", image) if image else None
        cache.draw_background(painter, rect, self.theme, paint, key=key)

    def paint_plain_background(self, painter: QPainter, rect: QRectF) -> None:
        """Paint the gradients of the background (uncached: views cache it); a plain fill
        for a solid (high-contrast) theme."""
        base = self.theme.background
        if self.theme.solid:
            painter.fillRect(rect, base)
            return
        gradient = QLinearGradient(rect.topLeft(), rect.bottomRight())
        gradient.setColorAt(0.0, base.lighter(118))
        gradient.setColorAt(1.0, base.darker(115))
        painter.fillRect(rect, gradient)
        glow = QRadialGradient(rect.width() * 0.85, rect.height() * 0.1, rect.width() * 0.6)
        accent = QColor(self.theme.accent)
        accent.setAlphaF(0.10)
        glow.setColorAt(0.0, accent)
        glow.setColorAt(1.0, QColor(0, 0, 0, 0))
        painter.fillRect(rect, glow)

    def title_box(self, canvas: QSizeF, language: Language) -> TextBox:
        """The slide title in the shared position: top left, large and bold."""
        return fit_text(
            self.slide.title[language],
            title_rect(canvas),
            self.theme,
            size=title_size(canvas),
            bold=True,
            align=ALIGN_LEFT,
            role="heading",
        )

    def source_box(self, canvas: QSizeF, language: Language) -> TextBox | None:
        """The slide's source line in the bottom band, small and muted."""
        if self.slide.source is None:
            return None
        prefix = "来源：" if language == "zh" else "Source: "
        return fit_text(
            no_break_hyphens(prefix + self.slide.source[language]),
            source_rect(canvas),
            self.theme,
            size=20,
            color=self.theme.muted,
            role="source",
        )


def _boxes_of(layout: object) -> list[TextBox]:
    found: list[TextBox] = []
    _collect_boxes(layout, found)
    return found


def _collect_boxes(value: object, found: list[TextBox]) -> None:
    if isinstance(value, TextBox):
        found.append(value)
    elif isinstance(value, dict):
        for inner in value.values():
            _collect_boxes(inner, found)
    elif isinstance(value, list | tuple):
        for inner in value:
            _collect_boxes(inner, found)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            _collect_boxes(getattr(value, name), found)
