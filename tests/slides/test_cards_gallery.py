"""Cards and gallery views: text fits without overlap, frames are painted, images may be missing."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from PySide6.QtCore import QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QImage

from kiosk.content.model import CardsSlide, Content, GallerySlide
from kiosk.slides.base import SlideView, canvas_for, content_bottom, nav_rect
from kiosk.slides.cards import CardsLayout, CardsSlideView
from kiosk.slides.gallery import (
    FADE_SECONDS,
    HOLD_SECONDS,
    GalleryLayout,
    GallerySlideView,
    turn_at,
)
from kiosk.slides.media import MediaLibrary
from kiosk.slides.render import render_view
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import TextBox

SIZES = [QSize(1920, 1080), QSize(1080, 1920), QSize(3840, 2160)]
LANGUAGES = ["zh", "en"]
MISSING = "assets/images/does-not-exist.png"
SPRING = "assets/images/garden-spring.png"
WINTER = "assets/images/garden-winter.png"
ICON = "assets/images/peak-information.png"


def _long_card(index: int) -> dict:
    return {
        "title": {
            "zh": f"先进制造与高端装备产业集群{index}",
            "en": f"High-end equipment cluster {index}",
        },
        "image": ICON if index % 2 else MISSING,
        "facts": [
            {
                "zh": "建设国家级创新平台与重点实验室",
                "en": "National innovation platforms and key laboratories",
            },
            {
                "zh": "引进培育一批行业领军企业",
                "en": "Attracting and growing a group of industry leaders",
            },
            {
                "zh": "打造千亿级产业集群",
                "en": "A cluster with over a hundred billion yuan of output",
            },
        ],
    }


CARD_FIXTURES = {
    "cards-six-long": {
        "id": "six",
        "type": "cards",
        "title": {"zh": "六大方向", "en": "Six directions of growth"},
        "subtitle": {
            "zh": "夯实主导产业，突破新兴产业",
            "en": "Strengthen the leading industries, break through in emerging ones",
        },
        "cards": [_long_card(i) for i in range(6)],
        "source": {"zh": "测试数据", "en": "Test data"},
    },
    "cards-five": {
        "id": "five",
        "type": "cards",
        "title": "Five",
        "cards": [
            {"title": f"Card {i}", "image": ICON, "facts": ["One fact", "Another fact"]}
            for i in range(5)
        ],
    },
    "cards-one-missing": {
        "id": "one",
        "type": "cards",
        "title": {"zh": "一张卡片", "en": "One card"},
        "cards": [
            {
                "title": {"zh": "缺失的图标", "en": "A missing icon"},
                "image": MISSING,
                "facts": [{"zh": "占位图代替", "en": "A placeholder stands in"}],
            }
        ],
    },
}
GALLERY_FIXTURES = {
    "gallery-one": {
        "id": "one",
        "type": "gallery",
        "title": "One image",
        "images": [
            {
                "image": SPRING,
                "caption": {
                    "zh": "以“国际花园城市”建设为契机，建设花园式高新区",
                    "en": "Part of Jinan’s International Garden City programme: a high-tech zone "
                    "built as a garden, with flowers and scenery in every season",
                },
            }
        ],
    },
    "gallery-three-missing": {
        "id": "three",
        "type": "gallery",
        "title": {"zh": "三张图", "en": "Three images"},
        "images": [
            {"image": path, "caption": {"zh": f"第{i}张", "en": f"Image number {i}"}}
            for i, path in enumerate([MISSING, SPRING, WINTER])
        ],
        "source": "Test",
    },
    "gallery-eight": {
        "id": "eight",
        "type": "gallery",
        "title": {"zh": "八张图的画廊", "en": "A gallery of eight images with a long title"},
        "images": [
            {
                "image": [SPRING, WINTER, MISSING][i % 3],
                "caption": {
                    "zh": f"高标准、高质量建设的第{i}处景观",
                    "en": f"Scenery number {i}, built to a high standard",
                },
            }
            for i in range(8)
        ],
        "source": {"zh": "测试", "en": "Test data from a long source line"},
    },
    "gallery-two-missing": {
        "id": "two",
        "type": "gallery",
        "title": "Two",
        "images": [
            {"image": MISSING, "caption": "Missing"},
            {
                "image": SPRING,
                "caption": {
                    "zh": "碧水、净土保卫战",
                    "en": "The Clear Water and Clean Land campaigns",
                },
            },
        ],
    },
}

ViewFactory = Callable[[SlideTheme, MediaLibrary], SlideView]


def _factories(repo_content: Content) -> dict[str, ViewFactory]:
    found: dict[str, ViewFactory] = {}
    for slide in repo_content.slides:
        if isinstance(slide, CardsSlide):
            found[slide.id] = lambda t, m, s=slide: CardsSlideView(s, t, m)
        elif isinstance(slide, GallerySlide):
            found[slide.id] = lambda t, m, s=slide: GallerySlideView(s, t, m)
    for name, data in CARD_FIXTURES.items():
        found[name] = lambda t, m, d=data: CardsSlideView(CardsSlide.model_validate(d), t, m)
    for name, data in GALLERY_FIXTURES.items():
        found[name] = lambda t, m, d=data: GallerySlideView(GallerySlide.model_validate(d), t, m)
    return found


REAL_IDS = ["industry-peaks", "openness", "garden", "blue-sky"]
VIEW_IDS = REAL_IDS + list(CARD_FIXTURES) + list(GALLERY_FIXTURES)


@pytest.fixture
def make_view(
    repo_content: Content,
    theme: SlideTheme,
    media: MediaLibrary,
) -> Callable[[str], SlideView]:
    """Build the view of a real slide (by id) or of a fixture slide (by name)."""
    factories = _factories(repo_content)
    return lambda name: factories[name](theme, media)


def test_real_content_has_cards_and_galleries(repo_content: Content) -> None:
    """The ids used below still exist in content.yaml."""
    assert set(REAL_IDS) <= set(_factories(repo_content))


def _visible_groups(view: SlideView, canvas: QSizeF, language: str) -> list[list[TextBox]]:
    layout = view.layout(canvas, language)
    if isinstance(layout, GalleryLayout):
        return [layout.boxes_shown_with(i) for i in range(len(layout.items))]
    return [view.text_boxes(canvas, language)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", VIEW_IDS)
def test_text_fits_inside_canvas_without_overlap(
    make_view, name: str, language: str, size: QSize
) -> None:
    """Every text box fits, stays on the canvas, and no two shown together overlap."""
    view = make_view(name)
    canvas = canvas_for(size.width(), size.height())
    page = QRectF(0, 0, canvas.width(), canvas.height())
    boxes = view.text_boxes(canvas, language)
    assert boxes
    for box in boxes:
        assert box.fits, f"{box.text!r} does not fit"
        assert page.contains(box.rect), f"{box.text!r} leaves the canvas"
        assert page.contains(box.used_rect())
    for group in _visible_groups(view, canvas, language):
        for a, b in itertools.combinations(group, 2):
            assert not a.used_rect().intersects(b.used_rect()), f"{a.text!r} overlaps {b.text!r}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", VIEW_IDS)
def test_content_stays_in_its_place(make_view, name: str, language: str, size: QSize) -> None:
    """Nothing reaches the navigation; card text stays in its card; captions stay off images."""
    view = make_view(name)
    canvas = canvas_for(size.width(), size.height())
    layout = view.layout(canvas, language)
    for box in view.text_boxes(canvas, language):
        assert not box.used_rect().intersects(nav_rect(canvas)), f"{box.text!r} under the nav"
    if isinstance(layout, CardsLayout):
        for card in layout.cards:
            assert card.bounds.bottom() <= content_bottom(canvas)
        for a, b in itertools.combinations(layout.cards, 2):
            assert not a.bounds.intersects(b.bounds)
        for card in layout.cards:
            for box in [card.title, *card.facts]:
                assert card.bounds.contains(box.used_rect()), f"{box.text!r} leaves its card"
            assert not card.icon.intersects(card.title.used_rect())
    else:
        assert isinstance(layout, GalleryLayout)
        pictures = [item.stage for item in layout.items]
        pictures += [item.thumb for item in layout.items if item.thumb is not None]
        for picture in pictures:
            assert picture.bottom() <= content_bottom(canvas)
        for box in view.text_boxes(canvas, language):
            for picture in pictures:
                assert not picture.intersects(box.used_rect()), f"{box.text!r} covers an image"


def _distinct_colours(image: QImage) -> int:
    small = image.scaled(192, 192)
    return len({small.pixel(x, y) for x in range(small.width()) for y in range(small.height())})


def _bright_pixels(image: QImage, rect: QRectF, scale: float) -> int:
    """Pixels in `rect` (canvas units) as light as title text."""
    area = (
        QRectF(rect.left() * scale, rect.top() * scale, rect.width() * scale, rect.height() * scale)
        .toRect()
        .intersected(image.rect())
    )
    step = max(1, round(scale))
    return sum(
        1
        for x in range(area.left(), area.right(), step)
        for y in range(area.top(), area.bottom(), step)
        if QColor(image.pixel(x, y)).lightness() > 200
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", VIEW_IDS)
def test_frames_are_painted_and_entrance_moves(
    make_view, name: str, language: str, size: QSize
) -> None:
    """The final frame is rich and shows the title; a mid-entrance frame differs from it."""
    view = make_view(name)
    final = render_view(view, size, language)
    assert _distinct_colours(final) > 60
    canvas = canvas_for(size.width(), size.height())
    title = view.layout(canvas, language).title
    assert _bright_pixels(final, title.used_rect(), size.width() / canvas.width()) > 50
    middle = render_view(view, size, language, entrance=0.5)
    assert middle != final
    assert view.entrance_done(view.entrance_seconds)


@pytest.mark.parametrize(
    "name",
    [
        "cards-one-missing",
        "cards-six-long",
        "gallery-three-missing",
        "gallery-two-missing",
        "gallery-eight",
    ],
)
def test_missing_image_paints_placeholder(make_view, media: MediaLibrary, name: str) -> None:
    """A missing image is reported once and painted as the placeholder, never raised."""
    view = make_view(name)
    for clock in (0.0, HOLD_SECONDS + FADE_SECONDS / 2, 40.0):
        image = render_view(view, QSize(1280, 720), "en", clock=clock)
        assert _distinct_colours(image) > 40
    render_view(view, QSize(720, 1280), "zh", entrance=0.3)
    assert MISSING in media.failed


def test_placeholder_fills_missing_stage(make_view) -> None:
    """The stage of a missing gallery image shows the placeholder, not the bare background."""
    view = make_view("gallery-three-missing")
    size = QSize(1920, 1080)
    layout = view.layout(canvas_for(1920, 1080), "en")
    assert view.plate(layout.items[0], 1.0) is None
    image = render_view(view, size, "en")
    centre = layout.items[0].stage.center().toPoint()
    stage_colour = QColor(image.pixel(centre))
    corner = QColor(image.pixel(4, size.height() // 2))
    assert stage_colour != corner


def test_gallery_schedule() -> None:
    """Image 0 starts settled; then each image fades in over the last, and the show loops."""
    start = turn_at(0.0, 4)
    assert (start.current, start.previous, start.fade, start.first) == (0, None, 1.0, True)
    crossing = turn_at(HOLD_SECONDS + FADE_SECONDS / 2, 4)
    assert crossing.current == 1 and crossing.previous == 0 and 0.0 < crossing.fade < 1.0
    settled = turn_at(HOLD_SECONDS + FADE_SECONDS + 0.1, 4)
    assert settled.previous is None and settled.fade == 1.0
    looped = turn_at(4 * HOLD_SECONDS + 0.1, 4)
    assert looped.current == 0 and looped.previous == 3 and not looped.first
    alone = turn_at(123.0, 1)
    assert alone.current == 0 and alone.previous is None


@pytest.mark.parametrize("name", ["garden", "blue-sky", "gallery-one"])
def test_gallery_keeps_moving(make_view, name: str) -> None:
    """Ambient: the images drift with the clock after the entrance has finished."""
    view = make_view(name)
    assert view.ambient
    size = QSize(960, 540)
    assert render_view(view, size, "zh", clock=0.0) != render_view(view, size, "zh", clock=4.0)


def test_gallery_scales_images_once_per_screen_scale(make_view) -> None:
    """Frames reuse the pre-scaled images; both languages share them; each scale has its own
    (a 1080p screen does not hold 4K-sized pictures)."""
    from kiosk.slides.cache import set_budget_for_screen

    set_budget_for_screen(3840, 2160)  # as the stage does on a 4K screen
    view = make_view("garden")
    canvas = canvas_for(3840, 2160)
    zh, en = view.layout(canvas, "zh"), view.layout(canvas, "en")
    plate = view.plate(zh.items[0], 2.0)
    assert plate is not None
    assert plate.cacheKey() == view.plate(en.items[0], 2.0).cacheKey()
    render_view(view, QSize(3840, 2160), "zh", clock=2.0)
    assert view.plate(zh.items[0], 2.0).cacheKey() == plate.cacheKey()
    small = view.plate(zh.items[0], 1.0)
    assert small is not None
    assert small.width() * 2 <= plate.width() + 2


def test_cards_share_one_type_size(make_view) -> None:
    """All facts of a slide are set at one size, so the cards read as a set."""
    view = make_view("industry-peaks")
    for size in SIZES:
        layout = view.layout(canvas_for(size.width(), size.height()), "en")
        sizes = {fact.font.pixelSize() for card in layout.cards for fact in card.facts}
        assert len(sizes) == 1


def test_cards_reflow_for_portrait(make_view) -> None:
    """Landscape puts four cards in one row; portrait stacks them."""
    view = make_view("industry-peaks")
    wide = view.layout(QSizeF(1920, 1080), "en").cards
    tall = view.layout(QSizeF(1080, 1920), "en").cards
    assert len({round(card.bounds.top()) for card in wide}) == 1
    assert len({round(card.bounds.left()) for card in tall}) == 1
    six = make_view("cards-six-long")
    rows = {round(card.bounds.top()) for card in six.layout(QSizeF(1920, 1080), "en").cards}
    assert len(rows) == 2


def test_gallery_frames_at_1080p_reuse_their_plates_within_the_budget(
    make_view, monkeypatch
) -> None:
    """Regression: plates that did not fit the image budget were decoded and scaled again on
    every frame of an ambient gallery (50 ms frames at 1080p)."""
    from kiosk.slides.cache import set_budget_for_screen

    set_budget_for_screen(1920, 1080)
    view = make_view("garden")
    size = QSize(1920, 1080)
    for clock in (0.0, 7.0, 13.0, 19.0, 25.0):  # every image leads once: all plates made
        render_view(view, size, "zh", clock=clock)
    loads: list[str] = []
    original = view.media._load
    monkeypatch.setattr(view.media, "_load", lambda path: loads.append(path) or original(path))
    for clock in (1.0, 8.0, 14.0, 20.0, 26.0):
        render_view(view, size, "zh", clock=clock)
    assert loads == []


def test_cached_bytes_is_what_the_gallery_really_keeps(make_view) -> None:
    """The figure the stage sizes the image budget with is the plates and thumbnails made."""
    view = make_view("garden")
    size = QSize(3840, 2160)
    canvas, scale = canvas_for(size.width(), size.height()), 2.0
    layout = view.layout(canvas, "en")
    made = []
    for item in layout.items:
        made += [view.plate(item, scale), view.thumb_image(item, scale)]
    assert all(image is not None for image in made)
    assert view.cached_bytes(canvas, "en", scale) == sum(image.sizeInBytes() for image in made)


def _eight_pictures(folder) -> list[str]:
    """Eight different 1600x1000 pictures, the most a gallery may have."""
    paths = []
    for index in range(8):
        picture = QImage(1600, 1000, QImage.Format.Format_RGB32)
        picture.fill(QColor.fromHsv(index * 45, 160, 200))
        name = f"picture-{index}.png"
        assert picture.save(str(folder / name))
        paths.append(name)
    return paths


@pytest.mark.parametrize("size", [QSize(1920, 1080), QSize(3840, 2160)], ids=["1080p", "4k"])
def test_a_gallery_of_eight_pictures_cycles_without_making_a_plate_again(
    tmp_path, theme, monkeypatch, size
) -> None:
    """Regression: at 4K, eight plates (~136 MiB) did not fit the five-screen budget; each turn
    of the gallery re-made a plate (decode and scale: a 40-70 ms frame, a visible stutter).
    The stage now sizes the budget for the busiest slide; this does the same here."""
    from kiosk.slides.cache import set_budget_for_screen

    images = [
        {"image": path, "caption": f"Picture {n}"}
        for n, path in enumerate(_eight_pictures(tmp_path))
    ]
    slide = GallerySlide.model_validate(
        {"id": "eight", "type": "gallery", "title": "Eight", "images": images}
    )
    view = GallerySlideView(slide, theme, MediaLibrary(tmp_path))
    canvas = canvas_for(size.width(), size.height())
    scale = size.width() / canvas.width()
    set_budget_for_screen(size.width(), size.height(), view.cached_bytes(canvas, "en", scale))
    turns = [index * HOLD_SECONDS + 0.5 for index in range(1, 9)]  # each picture leads once
    for clock in turns:
        render_view(view, size, "en", clock=clock)
    loads: list[str] = []
    original = view.media._load
    monkeypatch.setattr(view.media, "_load", lambda path: loads.append(path) or original(path))
    cycle = 8 * HOLD_SECONDS
    for clock in turns:
        render_view(view, size, "en", clock=clock + cycle)
    assert loads == []
