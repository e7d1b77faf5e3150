"""A film slide: the newest decoded frame painted like any slide, the title on a band over it,
captions in the show's language, and a calm placeholder when the film cannot play.

The view never plays anything itself: the film director (ui/films.py) attaches the screen's
playback while the film runs and detaches it when the show moves on; the rest of the time the
view shows the poster, or the film's first frame read ahead by the probe.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter

from kiosk.content.captions import CaptionError, Cue, cue_at, read_webvtt
from kiosk.content.model import Language, VideoSlide
from kiosk.slides.base import (
    Frame,
    SlideView,
    content_bottom,
    margins,
    title_top,
)
from kiosk.slides.cache import LayerCache
from kiosk.slides.media import MediaLibrary, paint_placeholder
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_CENTER, TextBox, fit_text

log = logging.getLogger(__name__)

CAPTION_PX = 42.0
CAPTION_WIDTH = 1320.0  # canvas px: a line a reader takes in at a glance
BAND_ALPHA = 0.78  # the title band's darkest point, over the film


class FrameSource(Protocol):
    """What a playing film offers the view (kiosk.slides.film_engine.FilmPlayback)."""

    def image(self) -> QImage | None:
        """The newest frame, or None before the first one."""
        ...

    def seconds(self) -> float:
        """Film time of that frame."""
        ...


@dataclass(frozen=True)
class FilmLayout:
    """Positions of a film slide for one canvas and language."""

    title: TextBox
    band: QRectF
    captions: QRectF
    source: TextBox | None


def fitted_rect(picture: QSizeF, canvas: QRectF, fit: str) -> QRectF:
    """Where a picture of size `picture` goes on `canvas`: whole (contain) or filling (cover)."""
    if picture.isEmpty():
        return QRectF(canvas)
    sx, sy = canvas.width() / picture.width(), canvas.height() / picture.height()
    scale = max(sx, sy) if fit == "cover" else min(sx, sy)
    w, h = picture.width() * scale, picture.height() * scale
    return QRectF(canvas.center().x() - w / 2, canvas.center().y() - h / 2, w, h)


class VideoSlideView(SlideView[VideoSlide]):
    """A film on the whole canvas, the title on a band over it, captions near the bottom."""

    entrance_seconds = 0.0  # the film starts when the transition ends
    ambient = True  # never a settled still while it plays
    prepared_around = False  # no preparation jobs delay its frames (ui/preparation.py)
    frames_from_source = True  # the decoder asks for each frame, not a timer

    def __init__(self, slide: VideoSlide, theme: SlideTheme, media: MediaLibrary) -> None:
        super().__init__(slide, theme, media)
        self.playback: FrameSource | None = None  # attached by the director while it plays
        self.first_frame: QImage | None = None  # read ahead by the probe
        self.fault: str | None = None  # why the film cannot play (the placeholder shows)
        self._poster: QImage | None = None
        self._poster_read = False
        self._cues: dict[Language, list[Cue]] = {}
        self._band = LayerCache()
        self._still_layer = LayerCache()  # the poster or first frame at the screen's scale
        self._caption_boxes: dict[tuple[str, float, float], TextBox] = {}

    def keeps_changing(self) -> bool:
        """A film is what it shows: it plays on under reduced motion (a visitor's pause stops
        it)."""
        return True

    @property
    def video_path(self) -> Path:
        """The film file."""
        return self.media.base_dir / self.slide.video

    # --- what is shown ---------------------------------------------------------------------

    def picture(self) -> QImage | None:
        """The frame playing now, else the poster, else the film's first frame."""
        if self.fault is not None:
            return None
        if self.playback is not None:
            live = self.playback.image()
            if live is not None:
                return live
        return self.still()

    def poster(self) -> QImage | None:
        """The poster image (read once), or None without one or when it is broken."""
        if not self._poster_read and self.slide.poster is not None:
            self._poster_read = True
            self._poster = self.media.image(self.slide.poster)
        return self._poster

    def cues(self, language: Language) -> list[Cue]:
        """The captions in `language` (read once; a broken file shows none and is logged)."""
        if language not in self._cues:
            relative = self.slide.captions[language] if self.slide.captions else None
            found: list[Cue] = []
            if relative is not None:
                path = self.media.base_dir / relative
                try:
                    found = read_webvtt(path)
                except CaptionError as error:
                    log.warning(
                        "captions %s:%d:%d: %s; the film plays without them",
                        relative,
                        error.line,
                        error.column,
                        error.message,
                    )
            self._cues[language] = found
        return self._cues[language]

    # --- layout ----------------------------------------------------------------------------

    def build_layout(self, canvas: QSizeF, language: Language) -> FilmLayout:
        """The title band at the top, captions above the navigation."""
        title = self.title_box(canvas, language)
        band_bottom = title.used_rect().bottom() + 56
        band = QRectF(0, 0, canvas.width(), max(title_top(canvas) + 60, band_bottom))
        bottom = content_bottom(canvas) - 8
        width = min(CAPTION_WIDTH, canvas.width() - 2 * margins(canvas))
        captions = QRectF((canvas.width() - width) / 2, bottom - 200, width, 200)
        return FilmLayout(title, band, captions, self.source_box(canvas, language))

    # --- painting --------------------------------------------------------------------------

    def paint_background(self, painter: QPainter, frame: Frame) -> None:
        """The theme background, unless the film covers the whole canvas anyway."""
        picture = self.picture()
        canvas = QRectF(QPointF(0, 0), frame.canvas)
        if picture is not None and fitted_rect(
            QSizeF(picture.size()), canvas, self.slide.fit
        ).contains(canvas.adjusted(0.5, 0.5, -0.5, -0.5)):
            return
        super().paint_background(painter, frame)

    def paint_content(self, painter: QPainter, frame: Frame, layout: object) -> None:
        """The film (or its still, or the placeholder), the title band and the captions."""
        assert isinstance(layout, FilmLayout)
        canvas = QRectF(QPointF(0, 0), frame.canvas)
        picture = self.picture()
        if picture is not None and picture is self.still():
            # The poster or first frame, scaled once per screen and copied: a bilinear scale
            # of it to 4K was 15-20 ms in the incoming image at every step onto the film.
            self._draw_still(painter, picture, canvas)
        elif picture is not None:
            self._paint_picture(painter, picture, canvas)
        elif self.fault is not None:
            self._paint_placeholder(painter, canvas, layout)
        self._band.draw(
            painter,
            ("band", layout.band.height(), frame.language, layout.title.text),
            layout.band,
            lambda target: self._paint_band(target, layout),
        )
        if self.playback is not None and picture is not None:
            self._paint_caption(painter, frame, layout)
        if layout.source is not None:
            layout.source.draw(painter)

    def still(self) -> QImage | None:
        """What shows before the film plays: the poster, else the film's first frame."""
        return self.poster() or self.first_frame

    def preparation_jobs(
        self, canvas: QSizeF, language: Language, scale: float
    ) -> list[tuple[str, Callable[[], object]]]:
        """The still scaled for the screen, ahead of the step onto the film."""
        return [("film still", lambda: self._make_still_layer(canvas, scale))]

    def _make_still_layer(self, canvas: QSizeF, scale: float) -> None:
        picture = self.still()
        if picture is None or self.fault is not None:
            return
        scratch = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)  # the layer is kept
        painter = QPainter(scratch)
        try:
            painter.scale(scale, scale)
            self._draw_still(painter, picture, QRectF(QPointF(0, 0), canvas))
        finally:
            painter.end()

    def _draw_still(self, painter: QPainter, picture: QImage, canvas: QRectF) -> None:
        """The still from its layer at the painter's scale (made the first time)."""
        shown = fitted_rect(QSizeF(picture.size()), canvas, self.slide.fit).intersected(canvas)
        self._still_layer.draw(
            painter,
            ("still", picture.cacheKey(), self.slide.fit),
            shown,
            lambda target: self._paint_picture(target, picture, canvas),
        )

    def _paint_picture(self, painter: QPainter, picture: QImage, canvas: QRectF) -> None:
        target = fitted_rect(QSizeF(picture.size()), canvas, self.slide.fit)
        painter.save()
        painter.setClipRect(canvas)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, picture)
        painter.restore()

    def _paint_placeholder(self, painter: QPainter, canvas: QRectF, layout: FilmLayout) -> None:
        top = layout.band.bottom()
        bottom = content_bottom(canvas.size())
        height = bottom - top
        width = min(canvas.width() - 2 * margins(canvas.size()), height * 16 / 9)
        rect = QRectF(canvas.center().x() - width / 2, top, width, height)
        paint_placeholder(painter, rect, self.theme.surface, self.theme.accent)

    def _paint_band(self, painter: QPainter, layout: FilmLayout) -> None:
        band = layout.band
        gradient = QLinearGradient(band.topLeft(), band.bottomLeft())
        dark = QColor(self.theme.background)
        for stop, alpha in ((0.0, BAND_ALPHA), (0.55, BAND_ALPHA * 0.7), (1.0, 0.0)):
            dark.setAlphaF(alpha)
            gradient.setColorAt(stop, dark)
        painter.fillRect(band, gradient)
        layout.title.draw(painter)

    def _paint_caption(self, painter: QPainter, frame: Frame, layout: FilmLayout) -> None:
        assert self.playback is not None
        cue = cue_at(self.cues(frame.language), self.playback.seconds())
        if cue is None:
            return
        key = (cue.text, layout.captions.width(), layout.captions.top())
        box = self._caption_boxes.get(key)
        if box is None:
            if len(self._caption_boxes) > 64:
                self._caption_boxes.clear()
            box = fit_text(
                cue.text,
                layout.captions,
                self.theme,
                size=CAPTION_PX,
                min_size=26,
                align=ALIGN_CENTER,
                color=QColor("#ffffff"),
            )
            self._caption_boxes[key] = box
        used = box.used_rect()
        shift = layout.captions.bottom() - used.bottom()
        plate = used.translated(0, shift).adjusted(-28, -14, 28, 14)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 170))
        painter.drawRoundedRect(plate, 14, 14)
        painter.restore()
        box.draw(painter, dy=shift)
