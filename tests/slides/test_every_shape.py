"""Every slide type at every screen shape from a 1080×2560 totem to a 5760×1080 wall, in both
languages: every fact shown in full, nothing overlapping, nothing off the canvas or under the
navigation, no text below its role's smallest size, nothing on a wall's bezel seams.

Layout only (no painting), through the same inspector `kiosk check --size` uses: the whole
module takes a few seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content import Content, load_content
from kiosk.content.model import (
    CardsSlide,
    CoverSlide,
    GallerySlide,
    IndicatorsSlide,
    SlideBase,
    TextSlide,
    TimelineSlide,
)
from kiosk.slides.base import SlideView
from kiosk.slides.canvas import SEAM_GUTTER, place, seam_positions, seams_of
from kiosk.slides.fitcheck import inspect_layout, visible_texts
from kiosk.slides.media import MediaLibrary
from kiosk.slides.registry import build_view
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ROLE_MIN

REPO = Path(__file__).resolve().parents[2]
ICON = "assets/images/peak-information.png"
SPRING = "assets/images/garden-spring.png"
MISSING = "assets/images/does-not-exist.png"

# (width, height, panels): the supported range, its ends, the shapes halls mount, two walls.
SHAPES = [
    (1080, 2560, 1),  # a tall totem: the tallest supported
    (1080, 1920, 1),  # 9:16
    (1080, 1440, 1),  # 3:4
    (1080, 1080, 1),  # square
    (1280, 1024, 1),  # 5:4, an old monitor
    (1440, 1080, 1),  # 4:3
    (1920, 1200, 1),  # 16:10
    (1920, 1080, 1),  # 16:9
    (2560, 1080, 1),  # 21:9
    (3840, 1080, 1),  # 32:9, a bar display
    (5760, 1080, 1),  # 48:9, three 16:9 panels: the widest supported
    (3840, 1080, 2),  # a wall of two panels: a seam down the middle
    (5760, 1080, 3),  # a wall of three panels
]
SHAPE_IDS = [f"{w}x{h}" + (f"-{n}panels" if n > 1 else "") for w, h, n in SHAPES]


def _text(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


# Slides at the edges of what the model allows (counts), with text of the length a hall writes.
EDGE_SLIDES: list[SlideBase] = [
    CoverSlide.model_validate(
        {
            "id": "long-cover",
            "type": "cover",
            "kicker": _text(
                "济南高新技术产业开发区管理委员会",
                "Jinan High-tech Industrial Development Zone Administrative Committee",
            ),
            "title": _text("济南高新技术产业开发区", "Jinan High-tech Industrial Development Zone"),
            "subtitle": _text(
                "以产业立区 · 以创新求突破 · 以改革促发展 · 以开放赢未来",
                "Built on industry · Breaking through with innovation · Growing through "
                "reform · Winning the future through openness",
            ),
            "source": _text("济南高新区（2020）", "Jinan High-tech Zone (2020)"),
        }
    ),
    TimelineSlide.model_validate(
        {
            "id": "ten-events",
            "type": "timeline",
            "title": _text("十个事件", "Ten events, some with pictures"),
            "events": [
                {
                    "year": str(1991 + 3 * i),
                    "text": _text(
                        "国家级高新区排名第十一位，综合保税区封关运行",
                        "Ranked 11th among national high-tech zones; a bonded zone opens",
                    ),
                    **({"image": ICON} if i % 4 == 0 else {}),
                }
                for i in range(10)
            ],
            "source": _text("测试", "A source line for a test of the timeline view (2024)"),
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
    CardsSlide.model_validate(
        {
            "id": "six-cards",
            "type": "cards",
            "title": _text("六大方向", "Six directions of growth"),
            "subtitle": _text("夯实主导产业，突破新兴产业", "Strengthen the leading industries"),
            "cards": [
                {
                    "title": _text(f"高端装备产业{i}", f"High-end equipment {i}"),
                    "image": ICON if i % 2 else MISSING,
                    "facts": [
                        _text("建设国家级创新平台", "National innovation platforms"),
                        _text("引进培育行业领军企业", "Growing industry leaders"),
                    ],
                }
                for i in range(6)
            ],
            "source": _text("测试数据", "Test data"),
        }
    ),
    CardsSlide.model_validate(
        {
            "id": "one-card",
            "type": "cards",
            "title": _text("一张卡片", "One card"),
            "cards": [
                {
                    "title": _text("缺失的图标", "A missing icon"),
                    "image": MISSING,
                    "facts": [_text("占位图代替", "A placeholder stands in")] * 4,
                }
            ],
        }
    ),
    GallerySlide.model_validate(
        {
            "id": "eight-images",
            "type": "gallery",
            "title": _text("八张图的画廊", "A gallery of eight images"),
            "images": [
                {
                    "image": [SPRING, MISSING][i % 2],
                    "caption": _text(
                        f"高标准、高质量建设的第{i}处景观", f"Scenery number {i}, built to last"
                    ),
                }
                for i in range(8)
            ],
            "source": _text("测试", "Test data"),
        }
    ),
    GallerySlide.model_validate(
        {
            "id": "one-image",
            "type": "gallery",
            "title": "One image",
            "images": [
                {
                    "image": SPRING,
                    "caption": _text(
                        "以“国际花园城市”建设为契机，建设花园式高新区",
                        "Part of Jinan’s International Garden City programme",
                    ),
                }
            ],
        }
    ),
    IndicatorsSlide.model_validate(
        {
            "id": "six-numbers",
            "type": "indicators",
            "title": _text("六个指标", "Six indicators"),
            "items": [
                {
                    "value": 10**i,
                    "prefix": "+",
                    "unit": "%",
                    "label": _text("规模以上工业增加值增速", "Growth of industrial value added"),
                    "year": "2019",
                    "source": _text("济南高新区", "Jinan High-tech Zone"),
                }
                for i in range(6)
            ],
        }
    ),
    IndicatorsSlide.model_validate(
        {
            "id": "four-numbers-six-bars",
            "type": "indicators",
            "title": _text("四个指标与六根柱", "Four numbers and six bars"),
            "items": [
                {
                    "value": 3 + i,
                    "label": _text("指标说明", "What it means"),
                    "source": _text("济南高新区", "Jinan High-tech Zone"),
                }
                for i in range(4)
            ],
            "chart": {
                "kind": "bars",
                "title": _text("图表", "Chart"),
                "bars": [
                    {"label": _text(f"第{i}项", f"Item {i}"), "value": i + 1} for i in range(6)
                ],
            },
            "source": _text("济南高新区", "Jinan High-tech Zone"),
        }
    ),
    IndicatorsSlide.model_validate(
        {
            "id": "four-rings",
            "type": "indicators",
            "title": _text("四个环", "Four rings"),
            "items": [
                {
                    "value": 50,
                    "prefix": ">",
                    "unit": "%",
                    "label": _text("“四新”经济增加值占比", "“Four New” economy share"),
                    "source": _text("济南高新区", "Jinan High-tech Zone"),
                }
            ],
            "chart": {
                "kind": "rings",
                "rings": [
                    {"label": _text("数字经济", "Digital economy"), "value": v}
                    for v in (5, 40, 75, 100)
                ],
            },
        }
    ),
    TextSlide.model_validate(
        {
            "id": "long-text",
            "type": "text",
            "title": _text("一段较长的陈述", "A longer statement"),
            "body": _text(
                "经国务院批准，成为首批国家级高新区之一，从十五点九平方公里起步，逐步发展壮大",
                "Approved by the State Council as one of the very first national high-tech "
                "zones, starting on 15.9 km² and growing step by step",
            ),
            "attribution": _text("济南高新区", "Jinan High-tech Zone"),
        }
    ),
]


@pytest.fixture(scope="module")
def views(qapp, font_family: str) -> list[SlideView]:
    """Views of every slide of content.yaml and of the edge slides, built once."""
    content: Content = load_content(REPO / "content.yaml")
    theme = SlideTheme.from_content(content.settings.theme, font_family)
    media = MediaLibrary(REPO)
    return [build_view(slide, theme, media) for slide in [*content.slides, *EDGE_SLIDES]]


def test_the_slides_cover_every_slide_type(views: list[SlideView]) -> None:
    """Every slide type and chart kind is among the slides checked below."""
    kinds = {type(view.slide).__name__ for view in views}
    assert kinds >= {"CoverSlide", "TimelineSlide", "CardsSlide", "IndicatorsSlide"}
    assert kinds >= {"GallerySlide", "TextSlide"}
    charts = {
        view.slide.chart.kind for view in views if getattr(view.slide, "chart", None) is not None
    }
    assert charts == {"bars", "rings", "marks"}


@pytest.mark.parametrize(("width", "height", "panels"), SHAPES, ids=SHAPE_IDS)
def test_every_slide_keeps_the_invariants(
    views: list[SlideView], width: int, height: int, panels: int
) -> None:
    """No errors on any slide in either language (the at-minimum warning is allowed; a seam
    crossing is not)."""
    canvas = place(width, height, seam_positions(panels, width)).canvas
    broken = []
    for view in views:
        for language in ("zh", "en"):
            for finding in inspect_layout(view, canvas, language):
                if finding.severity == "error" or "seam" in finding.message:
                    broken.append(f"{view.slide.id} ({language}) {finding.path}: {finding.message}")
    assert not broken, "\n".join(broken)


def test_the_canvas_follows_the_screen_both_ways() -> None:
    """Short side 1080, long side following the aspect; beyond the range, a letterbox."""
    for (width, height), expected in {
        (1920, 1080): (1920, 1080),
        (3840, 2160): (1920, 1080),
        (2560, 1080): (2560, 1080),
        (3840, 1080): (3840, 1080),
        (5760, 1080): (5760, 1080),
        (1440, 1080): (1440, 1080),
        (1920, 1200): (1728, 1080),
        (1080, 1920): (1080, 1920),
        (1080, 2560): (1080, 2560),
    }.items():
        placement = place(width, height)
        assert (placement.canvas.width(), placement.canvas.height()) == expected
        assert not placement.letterboxed
    wider = place(7680, 1080)  # 64:9 is beyond the range: the 48:9 canvas, centred
    assert (wider.canvas.width(), wider.canvas.height()) == (5760, 1080)
    assert wider.letterboxed and wider.offset.x() == pytest.approx(960)
    taller = place(1080, 3840)
    assert (taller.canvas.width(), taller.canvas.height()) == (1080, 2560)
    assert taller.offset.y() == pytest.approx(640)


def test_seams_follow_the_bezels_setting() -> None:
    """Three panels put seams at a third and two thirds; positions are taken as they are."""
    assert seams_of(place(5760, 1080, seam_positions(3, 5760)).canvas) == (1920.0, 3840.0)
    assert seams_of(place(3840, 2160, seam_positions([1900], 3840)).canvas) == (950.0,)
    assert seam_positions(1, 1920) == []


def test_the_inspector_catches_what_it_promises(views: list[SlideView]) -> None:
    """A slide with too much text for a small screen: cut facts, missing facts, at their line."""
    huge = CardsSlide.model_validate(
        {
            "id": "too-much",
            "type": "cards",
            "title": "Too much",
            "cards": [
                {"title": f"Card {i}", "facts": ["A fact with quite a lot of words in it " * 3] * 4}
                for i in range(6)
            ],
        }
    )
    view = build_view(huge, views[0].theme, views[0].media)
    findings = inspect_layout(view, place(1080, 1080).canvas, "en")
    errors = [f for f in findings if f.severity == "error"]
    assert any("is cut" in f.message or "cut to nothing" in f.message for f in errors)
    assert any("is not shown in full" in f.message for f in errors)
    assert {f.path[:2] for f in errors if f.path} <= {("cards", i) for i in range(6)}
    assert all(
        box.font.pixelSize() >= ROLE_MIN["body"]
        for box in view.text_boxes(place(1080, 1080).canvas, "en")
        if box.role == "body" and box.text
    )


def test_a_seam_crossing_is_reported(views: list[SlideView], monkeypatch) -> None:
    """The inspector sees text on a seam: a layout made without the seam, inspected with it."""
    cover = next(view for view in views if view.slide.id == "cover")
    plain = cover.text_boxes(place(3840, 1080).canvas, "en")
    title = cover.layout(place(3840, 1080).canvas, "en").title.used_rect()  # type: ignore[attr-defined]
    seamed = place(3840, 1080, [title.center().x()]).canvas
    assert not any("seam" in f.message for f in inspect_layout(cover, seamed, "en"))
    monkeypatch.setattr(cover, "text_boxes", lambda canvas, language: plain)
    assert any("seam" in f.message for f in inspect_layout(cover, seamed, "en"))


def test_every_visible_text_is_a_fact(views: list[SlideView]) -> None:
    """The facts the inspector looks for include numbers and leave out notes and chapters."""
    content = load_content(REPO / "content.yaml")
    economy = content.slides[content.index_of("economy-2019")]
    facts = [text for _, text in visible_texts(economy, "en")]
    assert "115.02" in facts and "129.15" in facts and "GDP, first in Jinan" in facts
    assert "1291.5" in [text for _, text in visible_texts(economy, "zh")]
    history = content.slides[content.index_of("history")]
    assert "History" not in [text for _, text in visible_texts(history, "en")]


def test_text_stays_clear_of_a_walls_seams(views: list[SlideView]) -> None:
    """On a three-panel wall no text box and no chart comes within the gutter of a seam."""
    canvas = place(5760, 1080, seam_positions(3, 5760)).canvas
    for view in views:
        for language in ("zh", "en"):
            rects = [box.used_rect() for box in view.text_boxes(canvas, language) if box.text]
            rects += view.figure_rects(canvas, language)
            for rect in rects:
                for seam in seams_of(canvas):
                    clear = (
                        rect.right() <= seam - SEAM_GUTTER / 2
                        or rect.left() >= seam + SEAM_GUTTER / 2
                    )
                    assert clear, f"{view.slide.id} ({language}): {rect} on the seam at {seam}"
