"""Cover, timeline and text views: text fits without overlap, frames draw, images degrade."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF
from PySide6.QtGui import QImage, QPainter

from kiosk.content import load_content
from kiosk.content.model import CoverSlide, SlideBase, TextSlide, TimelineSlide
from kiosk.slides import media as media_module
from kiosk.slides import timeline as timeline_module
from kiosk.slides.base import (
    FINAL,
    TOP_RIGHT_RESERVED,
    Frame,
    SlideView,
    canvas_for,
    content_bottom,
    nav_rect,
)
from kiosk.slides.cover import CoverSlideView
from kiosk.slides.render import render_view
from kiosk.slides.text import TextSlideView
from kiosk.slides.timeline import TimelineSlideView

SIZES = [QSize(1920, 1080), QSize(1080, 1920), QSize(3840, 2160)]
LANGUAGES = ["zh", "en"]
VIEWS: dict[type[SlideBase], type[SlideView]] = {
    CoverSlide: CoverSlideView,
    TimelineSlide: TimelineSlideView,
    TextSlide: TextSlideView,
}
MISSING = "assets/images/does-not-exist.png"
LONG_ZH = "经国务院批准，成为首批国家级高新区之一，从十五点九平方公里起步，逐步发展壮大"
LONG_EN = (
    "Approved by the State Council as one of the very first national high-tech zones, "
    "starting on 15.9 km² and growing step by step"
)


def _events(count: int, *, images: bool) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    for index in range(count):
        event: dict[str, object] = {
            "year": str(1991 + 3 * index),
            "text": {"zh": LONG_ZH, "en": LONG_EN},
        }
        if images and index % 3 == 0:
            event["image"] = "assets/images/open-town.png" if index % 2 else MISSING
        events.append(event)
    return events


FIXTURE_SLIDES: list[SlideBase] = [
    CoverSlide.model_validate(
        {
            "id": "long-cover",
            "type": "cover",
            "kicker": {
                "zh": "济南高新技术产业开发区管理委员会",
                "en": "Jinan High-tech Industrial Development Zone Administrative Committee",
            },
            "title": {
                "zh": "济南高新技术产业开发区",
                "en": "Jinan High-tech Industrial Development Zone",
            },
            "subtitle": {
                "zh": "以产业立区 · 以创新求突破 · 以改革促发展 · 以开放赢未来",
                "en": "Built on industry · Breaking through with innovation · Growing "
                "through reform · Winning the future through openness",
            },
            "image": MISSING,
            "source": {"zh": "济南高新区（2020）", "en": "Jinan High-tech Zone (2020)"},
        }
    ),
    TimelineSlide.model_validate(
        {
            "id": "ten-events",
            "type": "timeline",
            "title": {"zh": "十个事件", "en": "Ten events, some with pictures"},
            "image": MISSING,
            "events": _events(10, images=True),
            "source": {
                "zh": "测试",
                "en": "A rather long source line for a test of the timeline "
                "view, long enough to need two lines on a portrait screen (2024)",
            },
        }
    ),
    TimelineSlide.model_validate(
        {
            "id": "seven-events",
            "type": "timeline",
            "title": "Seven",
            "image": "assets/images/timeline-origin.png",
            "events": _events(7, images=False),
        }
    ),
    TimelineSlide.model_validate(
        {
            "id": "one-event",
            "type": "timeline",
            "title": "One",
            "events": [{"year": "2020年一季度", "text": "Q1"}],
        }
    ),
    TextSlide.model_validate(
        {
            "id": "long-text",
            "type": "text",
            "title": {"zh": "一段很长的陈述", "en": "A long statement"},
            "body": {"zh": LONG_ZH * 3, "en": LONG_EN + ". " + LONG_EN + ". " + LONG_EN},
        }
    ),
    TextSlide.model_validate(
        {
            "id": "list-text",
            "type": "text",
            "title": "List",
            "body": {
                "zh": "生物医药 · 智能装备 · 芯片 · 量子科技 · 信息技术 · 人力资本 · 基础研究",
                "en": "Biomedicine · Intelligent equipment · Chips · Quantum technology · "
                "Information technology · Human capital · Basic research",
            },
            "attribution": {"zh": "夯实主导产业", "en": "Strengthen the leading industries"},
        }
    ),
]


REPO = Path(__file__).resolve().parents[2]
SLIDES: dict[str, SlideBase] = {
    slide.id: slide
    for slide in [*load_content(REPO / "content.yaml").slides, *FIXTURE_SLIDES]
    if type(slide) in VIEWS
}
SLIDE_IDS = list(SLIDES)


@pytest.fixture
def make_view(theme, media) -> Callable[[str], SlideView]:
    """Build the view of a slide (by id) with the bundled theme and media."""

    def make(slide_id: str) -> SlideView:
        slide = SLIDES[slide_id]
        return VIEWS[type(slide)](slide, theme, media)

    return make


def _array(image: QImage) -> np.ndarray:
    """The image's pixels as a (height, width, 4) array (a copy: the QImage may go away)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    rows = data.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4]
    return rows.reshape(image.height(), image.width(), 4).copy()


@pytest.mark.parametrize("slide_id", SLIDE_IDS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_text_fits_inside_canvas_without_overlap(make_view, slide_id, language, size) -> None:
    view = make_view(slide_id)
    canvas = canvas_for(size.width(), size.height())
    bounds = QRectF(QPointF(0, 0), canvas).adjusted(-0.5, -0.5, 0.5, 0.5)
    language_switch = QRectF(
        QPointF(canvas.width() - TOP_RIGHT_RESERVED.width(), 0), TOP_RIGHT_RESERVED
    )
    layout = view.layout(canvas, language)
    source = layout.source  # type: ignore[attr-defined]
    # the shared title_box owns its own position (base.py); only our own boxes are checked
    shared_title = None if isinstance(view, CoverSlideView) else layout.title  # type: ignore[attr-defined]
    boxes = view.text_boxes(canvas, language)
    assert boxes
    for box in boxes:
        assert box.fits, f"{box.text!r} does not fit"
        assert bounds.contains(box.rect), f"{box.text!r} box {box.rect} leaves the canvas"
        assert bounds.contains(box.used_rect()), f"{box.text!r} leaves the canvas"
        assert not box.used_rect().intersects(nav_rect(canvas)), f"{box.text!r} under the nav"
        if box is not shared_title:
            assert not box.used_rect().intersects(language_switch), f"{box.text!r} under switch"
        if box is not source:
            assert box.used_rect().bottom() <= content_bottom(canvas) + 0.5, f"{box.text!r} low"
    for first, second in itertools.combinations(boxes, 2):
        assert not first.used_rect().intersects(second.used_rect()), (
            f"{first.text!r} overlaps {second.text!r}"
        )


@pytest.mark.parametrize("slide_id", SLIDE_IDS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_frames_are_drawn_and_entrance_moves(make_view, slide_id, language, size) -> None:
    view = make_view(slide_id)
    final = render_view(view, size, language)
    pixels = _array(final)
    small = _array(final.scaled(192, 192))
    colours = np.unique(small[..., :3].reshape(-1, 3), axis=0)
    assert len(colours) > 40, "the slide looks blank"

    canvas = canvas_for(size.width(), size.height())
    scale = size.width() / canvas.width()
    title = view.layout(canvas, language).title.used_rect()  # type: ignore[attr-defined]
    x0, y0 = int(title.left() * scale), int(title.top() * scale)
    x1, y1 = int(title.right() * scale), int(title.bottom() * scale)
    region = pixels[y0:y1, x0:x1, :3]
    bright = (region.min(axis=2) > 200).mean()
    assert bright > 0.03, "no title text pixels where the title should be"

    middle = render_view(view, size, language, entrance=0.5)
    assert middle != final, "mid-entrance frame equals the final frame"
    start = render_view(view, size, language, entrance=0.0)
    assert start != final


@pytest.mark.parametrize("language", LANGUAGES)
def test_missing_images_paint_placeholders(make_view, monkeypatch, language) -> None:
    calls: list[QRectF] = []
    original = media_module.paint_placeholder

    def spy(painter: QPainter, target: QRectF, *args: object) -> None:
        calls.append(QRectF(target))
        original(painter, target, *args)

    monkeypatch.setattr(media_module, "paint_placeholder", spy)
    monkeypatch.setattr(timeline_module, "paint_placeholder", spy)
    for slide_id in ("long-cover", "ten-events"):
        calls.clear()
        view = make_view(slide_id)
        image = render_view(view, QSize(1920, 1080), language)
        assert not image.isNull()
        assert calls, f"{slide_id}: no placeholder painted for a missing image"
    # the timeline's missing backdrop and its missing thumbnails
    assert any(rect.width() >= 1920 for rect in calls)
    assert any(rect.width() < 400 for rect in calls)


def test_cover_background_keeps_moving(make_view) -> None:
    view = make_view("cover")
    assert view.ambient
    still = render_view(view, QSize(960, 540), "zh", clock=0.0)
    later = render_view(view, QSize(960, 540), "zh", clock=20.0)
    assert still != later
    assert render_view(view, QSize(960, 540), "zh", clock=0.0) == still  # deterministic


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_timeline_events_follow_the_axis_in_order(make_view, size) -> None:
    canvas = canvas_for(size.width(), size.height())
    for slide_id in ("history", "ten-events", "seven-events"):
        view = make_view(slide_id)
        layout = view.layout(canvas, "en")
        times = [event.appear for event in layout.events]
        assert times == sorted(times) and len(set(times)) == len(times)
        assert times[-1] + timeline_module.EVENT_SECONDS <= view.entrance_seconds + 1e-9
        vertical = layout.axis.dx() == 0
        if canvas.height() > canvas.width():
            assert vertical
        # In reading order along the axes (two columns when the texts need them).
        along = [
            (
                min(
                    range(len(layout.axes)),
                    key=lambda i, e=event: abs(layout.axes[i].x1() - e.dot.x()),
                )
                if vertical
                else 0,
                event.dot.y() if vertical else event.dot.x(),
            )
            for event in layout.events
        ]
        assert along == sorted(along)


def test_layer_cache_paints_directly_under_rotation(make_view) -> None:
    view = make_view("cover")
    image = QImage(QSize(400, 400), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.translate(200, 200)
    painter.rotate(10)
    painter.scale(0.2, 0.2)
    painter.translate(-960, -540)
    view.paint(painter, Frame(QSizeF(1920, 1080), "en", FINAL, 3.0))
    painter.end()
    assert len(np.unique(_array(image)[..., :3].reshape(-1, 3), axis=0)) > 20


def test_large_text_drawn_from_its_cached_sprite_matches_direct_painting(theme) -> None:
    from kiosk.slides.typeset import fit_text

    box = fit_text("济南高新区 Jinan", QRectF(10, 10, 600, 200), theme, size=90, bold=True)
    direct = QImage(QSize(1240, 440), QImage.Format.Format_ARGB32_Premultiplied)
    cached = QImage(direct)

    def paint_directly(painter: QPainter) -> None:
        painter.setFont(box.font)
        painter.setPen(box.color)
        painter.drawText(box.rect, box.flags, box.text)

    for target, draw in (
        (direct, paint_directly),
        (cached, lambda p: box.draw(p)),  # 180 device px: above Qt's glyph cache, a sprite
    ):
        target.fill(0)
        painter = QPainter(target)
        painter.scale(2, 2)
        draw(painter)
        painter.end()
    difference = np.abs(_array(direct).astype(int) - _array(cached).astype(int))
    assert difference.mean() < 1.0


# --- the bundled show uses its space ------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_short_history_fills_the_height_of_a_landscape_slide(
    repo_content, theme, media, language
) -> None:
    """Five events on a 16:9 slide: the years and texts take most of the height below the
    title, instead of leaving its lower half empty."""
    from kiosk.slides.base import content_top

    slide = repo_content.slides[repo_content.index_of("history")]
    view = TimelineSlideView(slide, theme, media)
    canvas = QSizeF(1920, 1080)
    layout = view.layout(canvas, language)
    top = min(event.year.rect.top() for event in layout.events)
    lowest = max(event.text.used_rect().bottom() for event in layout.events)
    used = (lowest - top) / (content_bottom(canvas) - content_top(canvas))
    assert used >= 0.65, f"the events use only {used:.0%} of the slide's height"
    assert all(event.text.fits for event in layout.events)


def test_the_cover_shows_the_themes_logo(repo_content, font_family, media) -> None:
    from kiosk.slides.theme import SlideTheme

    theme = SlideTheme.from_content(repo_content.settings.theme, font_family)
    assert theme.logo == "assets/images/logo-mark.png"
    view = CoverSlideView(repo_content.slides[0], theme, media)
    for size in (QSize(1920, 1080), QSize(1080, 1920)):
        canvas = canvas_for(size.width(), size.height())
        layout = view.layout(canvas, "zh")
        assert layout.logo is not None
        assert layout.logo.bottom() < layout.title.rect.top()  # above the title, not on it
        pixels = _array(render_view(view, size, "zh"))  # B, G, R, A
        scale = size.width() / canvas.width()
        rect = layout.logo
        crop = pixels[
            round(rect.top() * scale) : round(rect.bottom() * scale),
            round(rect.left() * scale) : round(rect.right() * scale),
        ]
        green = (crop[..., 1].astype(int) - crop[..., 2].astype(int) > 40) & (crop[..., 1] > 150)
        assert green.sum() > 50, "the logo's green leaf is not on the cover"
