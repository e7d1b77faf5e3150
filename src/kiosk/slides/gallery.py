"""A gallery: one large image at a time drifting slowly, cross-fading to the next, with captions.

Two images are shown side by side (a mosaic) instead, and so are more when the screen is wide
enough for all of them in a row (a bar display or a wall shows every plate at once). The stage
image is pre-scaled once per canvas to 4K pixels with room to pan, so a frame only crops and
translates it: at 4K that is a plain copy, at smaller sizes one downscale of a rect well below
full-screen.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

from kiosk.content.model import GallerySlide, Language
from kiosk.core.easing import clamp01, in_out_sine, out_cubic, stagger
from kiosk.slides.base import Frame, SlideView, content_bottom, margins
from kiosk.slides.cache import cached_image
from kiosk.slides.canvas import main_span, seams_of, spread
from kiosk.slides.media import MediaLibrary, paint_placeholder
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_LEFT, TextBox, fit_text

HOLD_SECONDS = 6.0  # each image leads this long before the next one fades in
FADE_SECONDS = 1.4  # cross-fade between two images
SWAY_SECONDS = 20.0  # one slow back-and-forth drift when images do not take turns
PAN_ROOM = 1.12  # the pre-scaled image is this much larger than its stage: room to drift
RADIUS = 18.0
MOSAIC_MIN_WIDTH = 560.0  # canvas px: more than two images share the screen when each gets this
WIDEST_PLATE = 1.9  # width / height: wider stages would crop the pictures to slits
CAPTION_H, MOSAIC_GAP = 124.0, 48.0
# Where each image drifts from and to, as fractions of its spare width and height. The first
# starts centred, so the settled frame (clock 0, used by export) is a balanced composition.
DRIFTS = (
    ((0.5, 0.5), (0.15, 0.3)),
    ((0.2, 0.7), (0.8, 0.35)),
    ((0.85, 0.5), (0.35, 0.7)),
    ((0.4, 0.2), (0.6, 0.8)),
)


@dataclass(frozen=True)
class GalleryItem:
    """One image: its stage, the stage clip, its pre-scaled plate, caption and thumbnail."""

    stage: QRectF
    clip: QPainterPath
    path: str  # the image; scaled for the screen when painted (see GallerySlideView.plate)
    plate_size: QSizeF  # canvas size of the plate: the stage plus room to drift
    caption: TextBox
    thumb: QRectF | None
    thumb_clip: QPainterPath | None


@dataclass(frozen=True)
class GalleryLayout:
    """Positions of a gallery slide for one canvas and language."""

    title: TextBox
    source: TextBox | None
    items: list[GalleryItem]
    mosaic: bool  # every image has a stage of its own; otherwise they take turns on one

    def boxes_shown_with(self, index: int) -> list[TextBox]:
        """The text boxes on screen together while image `index` leads."""
        captions = (
            [item.caption for item in self.items] if self.mosaic else [self.items[index].caption]
        )
        return [self.title, *captions] + ([self.source] if self.source is not None else [])


@dataclass(frozen=True)
class Turn:
    """Which image leads at a moment of the show clock, and how far its cross-fade has come."""

    current: int
    local: float  # seconds since the current image began to fade in
    previous: int | None  # the image fading out underneath, if any
    fade: float  # 0..1 opacity of the current image over the previous one
    first: bool  # the very first image of the show: already settled, nothing to fade from


def turn_at(clock: float, count: int) -> Turn:
    """The image schedule: each leads HOLD_SECONDS, then the next fades in over it."""
    if count <= 1:
        return Turn(0, max(0.0, clock), None, 1.0, True)
    clock = max(0.0, clock)
    cycle = clock % (count * HOLD_SECONDS)
    current = int(cycle // HOLD_SECONDS)
    local = cycle - current * HOLD_SECONDS
    first = clock < HOLD_SECONDS
    fade = 1.0 if first else in_out_sine(local / FADE_SECONDS)
    previous = (current - 1) % count if fade < 1.0 else None
    return Turn(current, local, previous, fade, first)


class GallerySlideView(SlideView[GallerySlide]):
    """Images with a slow drift and cross-fades, captions and thumbnails; a mosaic for two."""

    entrance_seconds = 1.8
    ambient = True

    def __init__(self, slide: GallerySlide, theme: SlideTheme, media: MediaLibrary) -> None:
        super().__init__(slide, theme, media)
        # Scaled images by (path, width, height): shared by both languages' layouts.

    # --- layout --------------------------------------------------------------------------

    def build_layout(self, canvas: QSizeF, language: Language) -> GalleryLayout:
        """Stage(s), captions and thumbnails for this canvas; images pre-scaled once."""
        margin = margins(canvas)
        title = self.title_box(canvas, language)
        source = self.source_box(canvas, language)
        top = title.used_rect().bottom() + 40
        bottom = content_bottom(canvas)  # below: the navigation and the source line
        region = QRectF(margin, top, canvas.width() - 2 * margin, bottom - top)
        portrait = canvas.height() > canvas.width()
        count = len(self.slide.images)
        mosaic = count == 2 or (not portrait and count > 2 and self._row_fits(region, canvas))
        if mosaic:
            items = self._mosaic(region, 1 if portrait else count, language, canvas)
        elif portrait:
            items = self._stage_portrait(region, language)
        else:
            items = self._stage_landscape(region, language, canvas)
            if not all(item.caption.fits for item in items):  # too narrow for the column
                items = self._stage_compact(region, language)
        return GalleryLayout(title, source, items, mosaic)

    def _row_fits(self, region: QRectF, canvas: QSizeF) -> bool:
        """True when every image can have a stage of its own in one row, each wide enough."""
        count = len(self.slide.images)
        columns = spread(region, count, MOSAIC_GAP, canvas)
        return columns[0].width() >= MOSAIC_MIN_WIDTH

    def _stage_landscape(
        self, region: QRectF, language: Language, canvas: QSizeF
    ) -> list[GalleryItem]:
        """A large stage on the left; caption and thumbnails in a column on the right (the two
        centred, and on a wall within its middle panel, when the screen is wider than that)."""
        count = len(self.slide.images)
        column_w = 480.0
        if seams_of(canvas):
            span = main_span(canvas)
            region = QRectF(
                max(region.left(), span.left()),
                region.top(),
                min(region.right(), span.right()) - max(region.left(), span.left()),
                region.height(),
            )
        stage_w = region.width() - column_w - 56
        stage_h = min(region.height(), stage_w / 1.6)
        stage_w = min(stage_w, stage_h * WIDEST_PLATE)
        left = region.left() + (region.width() - (stage_w + 56 + column_w)) / 2
        stage = QRectF(left, region.top() + (region.height() - stage_h) * 0.4, stage_w, stage_h)
        column = QRectF(stage.right() + 56, stage.top(), column_w, stage_h)
        thumbs = _grid(column, count, columns=2 if count <= 4 else 3, bottom=True)
        caption_bottom = (thumbs[0].top() - 32) if thumbs else column.bottom()
        caption_rect = QRectF(
            column.left(), column.top() + 40, column_w, caption_bottom - column.top() - 40
        )
        return [
            self._item(index, stage, caption_rect, thumbs, 46, language) for index in range(count)
        ]

    def _stage_compact(self, region: QRectF, language: Language) -> list[GalleryItem]:
        """A near-square screen: the stage with its caption under it, the thumbnails in a
        narrow column on the right."""
        count = len(self.slide.images)
        thumb_columns = 1 if count <= 4 else 2
        thumb_w = 150.0 if count > 1 else 0.0
        column_w = thumb_columns * thumb_w + (thumb_columns - 1) * 16
        stage_w = region.width() - (column_w + 40 if count > 1 else 0)
        caption_h = 150.0
        stage_h = min(stage_w / 1.6, region.height() - caption_h)
        top = region.top() + max(0.0, (region.height() - stage_h - caption_h) * 0.4)
        stage = QRectF(region.left(), top, stage_w, stage_h)
        caption_rect = QRectF(stage.left(), stage.bottom() + 52, stage_w, caption_h - 52)
        column = QRectF(stage.right() + 40, stage.top(), column_w, stage_h)
        thumbs = _grid(column, count, columns=thumb_columns, bottom=False) if count > 1 else []
        return [
            self._item(index, stage, caption_rect, thumbs, 40, language) for index in range(count)
        ]

    def _stage_portrait(self, region: QRectF, language: Language) -> list[GalleryItem]:
        """A tall stage across the width, the caption under it, then a row of thumbnails."""
        count = len(self.slide.images)
        caption_h = 190.0
        columns = min(count, 4)
        rows = math.ceil(count / columns) if count > 1 else 0
        thumb_w = (region.width() - (columns - 1) * 16) / columns
        thumbs_h = rows * thumb_w / 1.6 + max(0, rows - 1) * 16 + (40 if rows else 0)
        spare = region.height() - caption_h - thumbs_h
        stage_h = max(region.width() / 1.6, min(spare, region.width() * 1.1))
        block_h = stage_h + caption_h + thumbs_h
        top = region.top() + max(0.0, (region.height() - block_h) * 0.4)
        stage = QRectF(region.left(), top, region.width(), stage_h)
        caption_rect = QRectF(region.left(), stage.bottom() + 64, region.width(), caption_h - 64)
        thumbs_area = QRectF(
            region.left(), caption_rect.bottom() + 40, region.width(), thumbs_h - 40
        )
        thumbs = _grid(thumbs_area, count, columns=columns, bottom=False) if count > 1 else []
        return [
            self._item(index, stage, caption_rect, thumbs, 48, language) for index in range(count)
        ]

    def _mosaic(
        self, region: QRectF, columns: int, language: Language, canvas: QSizeF
    ) -> list[GalleryItem]:
        """Every image with its own stage and caption: in a row of `columns`, or stacked (one
        column); on a wall each stage within one panel."""
        for caption_h in (CAPTION_H, CAPTION_H + 50, CAPTION_H + 100):  # more lines if needed
            items = self._mosaic_with(region, columns, caption_h, language, canvas)
            if all(item.caption.fits for item in items):
                break
        return items

    def _mosaic_with(
        self, region: QRectF, columns: int, caption_h: float, language: Language, canvas: QSizeF
    ) -> list[GalleryItem]:
        count = len(self.slide.images)
        rows = math.ceil(count / columns)
        gap = MOSAIC_GAP
        cells = spread(region, columns, gap, canvas)
        width = cells[0].width()
        if rows > 1:
            stage_h = min(
                width / 1.6, (region.height() - rows * caption_h - (rows - 1) * gap) / rows
            )
        else:
            stage_h = min(width / 1.4, region.height() - caption_h)
            width = min(width, stage_h * WIDEST_PLATE)
            cells = spread(region, columns, gap, canvas, max_width=width)
        block_h = rows * (stage_h + caption_h) + (rows - 1) * gap
        top = region.top() + max(0.0, (region.height() - block_h) * 0.4)
        items = []
        for index in range(count):
            row, column = divmod(index, columns)
            corner = QPointF(cells[column].left(), top + row * (stage_h + caption_h + gap))
            stage = QRectF(corner.x(), corner.y(), width, stage_h)
            caption_rect = QRectF(stage.left(), stage.bottom() + 52, width, caption_h - 52)
            items.append(self._item(index, stage, caption_rect, [], 38, language))
        return items

    def _item(
        self,
        index: int,
        stage: QRectF,
        caption_rect: QRectF,
        thumbs: list[QRectF],
        caption_px: float,
        language: Language,
    ) -> GalleryItem:
        image = self.slide.images[index]
        # Whole canvas pixels: at 4K the pre-scaled image then lands on whole device pixels.
        stage = QRectF(stage.toRect())
        caption = fit_text(
            image.caption[language],
            caption_rect,
            self.theme,
            size=caption_px,
            min_size=24,
            bold=True,
            align=ALIGN_LEFT,
            role="body",
        )
        clip = QPainterPath()
        clip.addRoundedRect(stage, RADIUS, RADIUS)
        thumb = thumbs[index] if thumbs else None
        thumb_clip = None
        if thumb is not None:
            thumb_clip = QPainterPath()
            thumb_clip.addRoundedRect(thumb, 10, 10)
        plate_size = QSizeF(stage.width() * PAN_ROOM, stage.height() * PAN_ROOM)
        return GalleryItem(stage, clip, image.image, plate_size, caption, thumb, thumb_clip)

    def shown_together(self, canvas: QSizeF, language: Language) -> list[list[TextBox]]:
        """While an image leads, its caption shows with the title and the source (a mosaic:
        every caption at once)."""
        layout = self.layout(canvas, language)
        assert isinstance(layout, GalleryLayout)
        return [layout.boxes_shown_with(index) for index in range(len(layout.items))]

    def cached_bytes(self, canvas: QSizeF, language: Language, scale: float) -> int:
        """Every plate and thumbnail: each image takes its turn, again and again."""
        layout = self.layout(canvas, language)
        assert isinstance(layout, GalleryLayout)
        total = 0
        for item in layout.items:
            total += _cover_bytes(self.media.image_size(item.path), item.plate_size, scale)
            if item.thumb is not None:
                total += _cover_bytes(None, item.thumb.size(), scale)
        return total

    def preparation_jobs(
        self, canvas: QSizeF, language: Language, scale: float
    ) -> list[tuple[str, Callable[[], object]]]:
        """Each picture's plate and thumbnail, decoded and scaled ahead of its turn (a first
        turn made them inside a frame: a late frame each)."""
        layout = self.layout(canvas, language)
        assert isinstance(layout, GalleryLayout)
        jobs: list[tuple[str, Callable[[], object]]] = []
        for item in layout.items:
            jobs.append((f"plate {item.path}", lambda item=item: self.plate(item, scale)))
            if item.thumb is not None:
                jobs.append((f"thumb {item.path}", lambda item=item: self.thumb_image(item, scale)))
        return jobs

    def plate(self, item: GalleryItem, scale: float) -> QImage | None:
        """The item's image scaled once to cover its plate at `scale` device px per canvas px."""
        return self._cover(item.path, item.plate_size, scale=scale)

    def thumb_image(self, item: GalleryItem, scale: float) -> QImage | None:
        """The item's thumbnail at `scale`, or None without thumbnails or image."""
        if item.thumb is None:
            return None
        return self._cover(item.path, item.thumb.size(), scale=scale, crop=True)

    def _cover(self, path: str, size: QSizeF, *, scale: float, crop: bool = False) -> QImage | None:
        """`path` scaled once to cover `size` at `scale`; cropped to exactly that size if asked.

        Kept in the shared image store (budgeted, least recently used first), so memory does
        not grow with the number of galleries, screens or languages.
        """
        width = max(1, math.ceil(size.width() * scale))
        height = max(1, math.ceil(size.height() * scale))
        # The plate is looked up first: the decoded original is needed only to make it (and
        # may have left the budgeted store long ago).
        return cached_image(
            (self.media.file_key(path), width, height, crop),
            lambda: self._scaled_image(path, width, height, crop=crop),
        )

    def _scaled_image(self, path: str, width: int, height: int, *, crop: bool) -> QImage | None:
        source = self.media.image(path)
        if source is None:
            return None
        scaled = source.scaled(
            width,
            height,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        if crop:
            scaled = scaled.copy(
                (scaled.width() - width) // 2, (scaled.height() - height) // 2, width, height
            )
        return scaled

    # --- painting ------------------------------------------------------------------------

    def paint_content(self, painter: QPainter, frame: Frame, layout: object) -> None:
        """Title, then the stage rises in, the caption and thumbnails follow; images drift."""
        assert isinstance(layout, GalleryLayout)
        t = frame.entrance
        p = out_cubic(stagger(t, 0, delay=0.0, step=0, duration=0.6))
        layout.title.draw(painter, opacity=p, dy=(1 - p) * 24)
        if layout.mosaic:
            self._paint_mosaic(painter, frame, layout)
        else:
            self._paint_turns(painter, frame, layout)
        if layout.source is not None:
            p = out_cubic(stagger(t, 0, delay=1.1, step=0, duration=0.6))
            layout.source.draw(painter, opacity=p)

    def _paint_turns(self, painter: QPainter, frame: Frame, layout: GalleryLayout) -> None:
        t = frame.entrance
        items = layout.items
        turn = turn_at(frame.clock, len(items))
        stage_in = out_cubic(stagger(t, 0, delay=0.15, step=0, duration=0.8))
        if stage_in > 0.0:
            painter.save()
            painter.setOpacity(stage_in)
            painter.translate(0, (1 - stage_in) * 32)
            painter.setClipPath(items[0].clip)
            if turn.previous is not None:
                self._paint_plate(
                    painter,
                    items[turn.previous],
                    turn.previous,
                    self._drift(turn.local + HOLD_SECONDS, len(items), frame.still),
                )
            painter.setOpacity(stage_in * turn.fade)
            self._paint_plate(
                painter,
                items[turn.current],
                turn.current,
                self._drift(turn.local, len(items), frame.still),
            )
            painter.restore()
            self._paint_frame(painter, items[0].clip, stage_in)
        caption_in = out_cubic(stagger(t, 0, delay=0.55, step=0, duration=0.6))
        if turn.previous is not None:
            gone = clamp01(turn.local / (FADE_SECONDS * 0.35))
            items[turn.previous].caption.draw(painter, opacity=caption_in * (1 - gone))
        shown = 1.0 if turn.first else out_cubic((turn.local - FADE_SECONDS * 0.45) / 0.7)
        items[turn.current].caption.draw(painter, opacity=caption_in * shown, dy=(1 - shown) * 16)
        mark = items[turn.current].caption.rect
        painter.fillRect(
            QRectF(mark.left(), mark.top() - 28, 44 * caption_in, 4), self.theme.accent2
        )
        self._paint_thumbs(painter, t, turn, items)

    def _paint_thumbs(
        self, painter: QPainter, t: float, turn: Turn, items: list[GalleryItem]
    ) -> None:
        for index, item in enumerate(items):
            if item.thumb is None or item.thumb_clip is None:
                continue
            p = out_cubic(stagger(t, index, delay=0.7, step=0.08, duration=0.5))
            if p <= 0.0:
                continue
            active = turn.fade if index == turn.current else 0.0
            if index == turn.previous:
                active = 1.0 - turn.fade
            painter.save()
            painter.setOpacity(p * (0.45 + 0.55 * active))
            painter.translate(0, (1 - p) * 16)
            painter.setClipPath(item.thumb_clip)
            thumb_image = self.thumb_image(item, painter.deviceTransform().m11())
            if thumb_image is not None:
                painter.drawImage(item.thumb, thumb_image)
            else:
                paint_placeholder(painter, item.thumb, self.theme.surface, self.theme.accent)
            painter.setClipping(False)
            if active > 0.0:
                accent = QColor(self.theme.accent)
                accent.setAlphaF(active)
                painter.setOpacity(p)
                painter.setPen(QPen(accent, 3.0))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(item.thumb.adjusted(-1.5, -1.5, 1.5, 1.5), 11, 11)
            if index == turn.current and len(items) > 1:
                # A thin line fills under the leading thumbnail until the next image comes.
                share = clamp01(turn.local / HOLD_SECONDS)
                line = QRectF(
                    item.thumb.left(), item.thumb.bottom() + 8, item.thumb.width() * share, 3
                )
                painter.setOpacity(p)
                painter.fillRect(line, self.theme.accent)
            painter.restore()

    def _paint_mosaic(self, painter: QPainter, frame: Frame, layout: GalleryLayout) -> None:
        t = frame.entrance
        for index, item in enumerate(layout.items):
            step = min(0.25, 0.6 / max(1, len(layout.items) - 1))  # all in by the end
            p = out_cubic(stagger(t, index, delay=0.15, step=step, duration=0.8))
            if p > 0.0:
                painter.save()
                painter.setOpacity(p)
                painter.translate(0, (1 - p) * 32)
                painter.setClipPath(item.clip)
                # Both sway on one clock; their drift paths differ, so they never move alike.
                self._paint_plate(painter, item, index, self._drift(frame.clock, 1, frame.still))
                painter.restore()
                self._paint_frame(painter, item.clip, p)
            q = out_cubic(stagger(t, index, delay=0.55, step=step, duration=0.6))
            item.caption.draw(painter, opacity=q, dy=(1 - q) * 16)
            painter.fillRect(
                QRectF(item.caption.rect.left(), item.caption.rect.top() - 24, 44 * q, 4),
                self.theme.accent2,
            )

    def keeps_changing(self) -> bool:
        """Three or more pictures take turns on one stage (under reduced motion too)."""
        return len(self.slide.images) >= 3

    def _drift(self, seconds: float, count: int, still: bool = False) -> float:
        """How far (0..1) an image has drifted `seconds` after it began to fade in (not at
        all under reduced motion)."""
        if still:
            return 0.0
        if count <= 1:
            return 0.5 - 0.5 * math.cos(2 * math.pi * seconds / SWAY_SECONDS)
        return clamp01(seconds / (HOLD_SECONDS + FADE_SECONDS))

    def _paint_plate(self, painter: QPainter, item: GalleryItem, index: int, drift: float) -> None:
        """Paint the image of `item` on its stage, `drift` (0..1) along its path."""
        scale = painter.deviceTransform().m11()
        plate = self.plate(item, scale)
        if plate is None:
            paint_placeholder(painter, item.stage, self.theme.surface, self.theme.accent)
            return
        (x0, y0), (x1, y1) = DRIFTS[index % len(DRIFTS)]
        fx, fy = x0 + (x1 - x0) * drift, y0 + (y1 - y0) * drift
        width = item.stage.width() * scale
        height = item.stage.height() * scale
        # Whole plate pixels at the device's own scale: the draw is a straight copy.
        left = round((plate.width() - width) * fx)
        top = round((plate.height() - height) * fy)
        painter.drawImage(item.stage, plate, QRectF(left, top, width, height))

    def _paint_frame(self, painter: QPainter, clip: QPainterPath, opacity: float) -> None:
        """A hairline round the stage: softens the clip's edge and lifts the image off the page."""
        painter.save()
        painter.setOpacity(opacity)
        painter.setPen(QPen(QColor(255, 255, 255, 40), 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.translate(0, (1 - opacity) * 32)
        painter.drawPath(clip)
        painter.restore()


def _cover_bytes(picture: QSize | None, size: QSizeF, scale: float) -> int:
    """Bytes of a picture of `picture` pixels scaled to cover `size` at `scale`, as `_cover`
    makes it (a thumbnail, or a picture of unknown size, is cropped to exactly that)."""
    target = QSize(
        max(1, math.ceil(size.width() * scale)), max(1, math.ceil(size.height() * scale))
    )
    if picture is not None and not picture.isEmpty():
        target = picture.scaled(target, Qt.AspectRatioMode.KeepAspectRatioByExpanding)
    return target.width() * target.height() * 4


def _grid(area: QRectF, count: int, *, columns: int, bottom: bool) -> list[QRectF]:
    """Thumbnail rects (16:10) for `count` images in `columns`, at the top or bottom of `area`."""
    if count <= 1:
        return []
    gap = 16.0
    width = (area.width() - (columns - 1) * gap) / columns
    height = width / 1.6
    rows = math.ceil(count / columns)
    top = area.bottom() - rows * height - (rows - 1) * gap if bottom else area.top()
    return [
        QRectF(
            area.left() + (i % columns) * (width + gap),
            top + (i // columns) * (height + gap),
            width,
            height,
        )
        for i in range(count)
    ]
