"""The registry of slide views: one line per slide type."""

from __future__ import annotations

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QPainter

from kiosk.content import model
from kiosk.slides.base import Frame, SlideView
from kiosk.slides.cards import CardsSlideView
from kiosk.slides.cover import CoverSlideView
from kiosk.slides.film import VideoSlideView
from kiosk.slides.gallery import GallerySlideView
from kiosk.slides.indicators import IndicatorsSlideView
from kiosk.slides.media import MediaLibrary
from kiosk.slides.text import TextSlideView
from kiosk.slides.theme import SlideTheme
from kiosk.slides.timeline import TimelineSlideView

SLIDE_VIEWS: dict[type[model.SlideBase], type[SlideView]] = {
    model.CoverSlide: CoverSlideView,
    model.TimelineSlide: TimelineSlideView,
    model.CardsSlide: CardsSlideView,
    model.IndicatorsSlide: IndicatorsSlideView,
    model.GallerySlide: GallerySlideView,
    model.TextSlide: TextSlideView,
    model.VideoSlide: VideoSlideView,
}


def build_view(slide: model.SlideBase, theme: SlideTheme, media: MediaLibrary) -> SlideView:
    """Build the view for `slide`; a type without a view is a programming error, said plainly."""
    try:
        view_type = SLIDE_VIEWS[type(slide)]
    except KeyError:
        known = ", ".join(cls.__name__ for cls in SLIDE_VIEWS)
        raise LookupError(
            f"no view registered for {type(slide).__name__}; known: {known}"
        ) from None
    return view_type(slide, theme, media)


class FallbackView(SlideView):
    """Stands in for a view that failed to build or paint: only the background (the stage
    skips the slide)."""

    entrance_seconds = 0.0

    def build_layout(self, canvas: QSizeF, language: str) -> object:
        """Nothing to lay out."""
        return None

    def paint_content(self, painter: QPainter, frame: Frame, layout: object) -> None:
        """Nothing but the background."""
