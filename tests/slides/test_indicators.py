"""The indicators slide: numbers count up, charts grow from the content's own figures."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFontInfo, QFontMetricsF, QImage

from kiosk.content import Content
from kiosk.content.model import IndicatorsSlide, Language
from kiosk.slides.base import FINAL, canvas_for, content_bottom
from kiosk.slides.charts import (
    BarChartPainter,
    BarsLayout,
    MarksChartPainter,
    RingChartPainter,
    RingsLayout,
    decimals_of,
    format_number,
    nice_ceiling,
)
from kiosk.slides.indicators import CHART_DELAY, IndicatorsLayout, IndicatorsSlideView
from kiosk.slides.media import MediaLibrary
from kiosk.slides.render import render_view
from kiosk.slides.theme import SlideTheme

SIZES = [QSize(1920, 1080), QSize(1080, 1920), QSize(3840, 2160)]
LANGUAGES = ["zh", "en"]
SOURCE = {"zh": "济南高新区", "en": "Jinan High-tech Zone"}


def _item(value: object, **extra: object) -> dict[str, object]:
    item: dict[str, object] = {
        "value": value,
        "label": {"zh": "指标说明", "en": "What it means"},
        "source": SOURCE,
    }
    item.update(extra)
    return item


def _slide(
    items: list[dict[str, object]], chart: dict[str, object] | None = None, **extra: object
) -> IndicatorsSlide:
    data: dict[str, object] = {
        "id": "fixture",
        "type": "indicators",
        "title": {"zh": "测试指标", "en": "Test indicators"},
        "items": items,
        "source": SOURCE,
    }
    if chart is not None:
        data["chart"] = chart
    data.update(extra)
    return IndicatorsSlide.model_validate(data)


def _bars(values: list[float], axis_max: float | None = 100) -> dict[str, object]:
    return {
        "kind": "bars",
        "title": {"zh": "图表", "en": "Chart"},
        "unit": {"zh": "亿元", "en": "yuan"},
        "axis_max": axis_max,
        "bars": [
            {"label": {"zh": f"第{i}项", "en": f"Item {i}"}, "value": v}
            for i, v in enumerate(values)
        ],
    }


def _fixture_slides() -> list[IndicatorsSlide]:
    long_label = {
        "zh": "规模以上工业增加值、固定资产投资、进出口总值增速均为全市平均水平的倍数",
        "en": "Growth of industrial value added, fixed-asset investment and trade, "
        "each measured against the city average",
    }
    ring_label = {"zh": "“四新”经济增加值占比", "en": "“Four New” economy share of value added"}
    return [
        _slide([_item(1150.2, unit={"zh": "亿元", "en": "billion yuan"}, year="2019")]),
        _slide([_item(10**i, prefix="+", unit="%", label=long_label) for i in range(6)]),
        _slide(
            [
                _item(i + 0.5, prefix="≥", unit="×", year={"zh": "2020年", "en": "Q1 2020"})
                for i in range(4)
            ],
            {
                "kind": "marks",
                "count": 120,
                "title": {"zh": "连续120个月", "en": "120 months in a row"},
            },
        ),
        _slide([_item(v) for v in (3, 4, 5, 6, 7)], _bars([1, 2, 3, 4, 5, 6, 7, 8], None)),
        _slide(
            [_item(50, prefix=">", unit="%")],
            {
                "kind": "rings",
                "rings": [
                    {"label": ring_label, "value": v, "prefix": ">"} for v in (5, 40, 75, 100)
                ],
            },
        ),
    ]


@pytest.fixture
def slides(repo_content: Content) -> list[IndicatorsSlide]:
    """The real indicators slides of content.yaml plus the fixture slides."""
    real = [s for s in repo_content.slides if isinstance(s, IndicatorsSlide)]
    assert len(real) >= 4
    return real + _fixture_slides()


def _array(image: QImage) -> np.ndarray:
    """The image as a (height, width, 3) RGB array."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(bytes(image.constBits()), dtype=np.uint8)
    data = data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width()]
    return data[:, :, [2, 1, 0]].astype(int)


def _near(pixels: np.ndarray, color: QColor, tolerance: int = 14) -> np.ndarray:
    """Mask of pixels within `tolerance` of `color` in every channel."""
    target = np.array([color.red(), color.green(), color.blue()])
    return (np.abs(pixels - target) <= tolerance).all(axis=-1)


def _crop(pixels: np.ndarray, rect: QRectF, scale: float) -> np.ndarray:
    return pixels[
        round(rect.top() * scale) : round(rect.bottom() * scale),
        round(rect.left() * scale) : round(rect.right() * scale),
    ]


# --- the common checks -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_text_fits_inside_canvas_without_overlap(
    slides: list[IndicatorsSlide],
    theme: SlideTheme,
    media: MediaLibrary,
    size: QSize,
    language: Language,
) -> None:
    canvas = canvas_for(size.width(), size.height())
    bounds = QRectF(QPointF(0, 0), canvas)
    for slide in slides:
        view = IndicatorsSlideView(slide, theme, media)
        boxes = [b for b in view.text_boxes(canvas, language) if b.text]
        source = view.layout(canvas, language).source
        for box in boxes:
            assert box.fits, f"{slide.id}: {box.text!r} does not fit"
            assert bounds.contains(box.used_rect()), f"{slide.id}: {box.text!r} leaves the canvas"
            if box is not source:  # the bottom band belongs to the navigation and the source
                assert box.used_rect().bottom() <= content_bottom(canvas), box.text
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not a.used_rect().intersects(b.used_rect()), (
                    f"{slide.id}: {a.text!r} overlaps {b.text!r}"
                )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_renders_something_and_animates(
    slides: list[IndicatorsSlide],
    theme: SlideTheme,
    media: MediaLibrary,
    size: QSize,
    language: Language,
) -> None:
    canvas = canvas_for(size.width(), size.height())
    scale = size.width() / canvas.width()
    for slide in slides:
        view = IndicatorsSlideView(slide, theme, media)
        final = render_view(view, size, language)
        pixels = _array(final)
        colours = np.unique(pixels[::4, ::4].reshape(-1, 3), axis=0)
        assert len(colours) > 200, f"{slide.id} looks blank"
        layout = view.layout(canvas, language)
        title = _crop(pixels, layout.title.used_rect(), scale)
        assert _near(title, theme.text, 40).sum() > 100, f"{slide.id}: no title pixels"
        middle = render_view(view, size, language, entrance=0.6)
        assert middle != final, f"{slide.id}: mid-entrance frame equals the final frame"


def test_no_media_needed(theme: SlideTheme, media: MediaLibrary) -> None:
    """Indicators have no image fields; a view over a library that knows no files still paints."""
    empty = MediaLibrary(Path("/nonexistent-kiosk-media"))
    view = IndicatorsSlideView(_fixture_slides()[3], theme, empty)
    render_view(view, QSize(960, 540), "zh", entrance=0.5)
    assert empty.failed == frozenset()


# --- numbers --------------------------------------------------------------------------------


def test_decimals_follow_the_value_as_written() -> None:
    assert decimals_of(1150.2) == 1
    assert decimals_of(318) == 0
    assert decimals_of(115.02) == 2
    assert decimals_of(1.0) == 0
    assert format_number(1150.2, 1) == "1150.2"
    assert format_number(12345.5, 1) == "12,345.5"
    assert nice_ceiling(318) == 500
    assert nice_ceiling(1.8) == 2


def test_count_up_shows_intermediate_then_exact_final(
    theme: SlideTheme, media: MediaLibrary
) -> None:
    slide = _slide(
        [_item(1150.2, prefix="+"), _item({"zh": 1150.2, "en": 115.02}), _item(318, decimals=2)]
    )
    view = IndicatorsSlideView(slide, theme, media)
    for language, finals in (
        ("zh", ["1150.2", "1150.2", "318.00"]),
        ("en", ["1150.2", "115.02", "318.00"]),
    ):
        layout = view.layout(QSizeF(1920, 1080), language)
        assert isinstance(layout, IndicatorsLayout)
        for index, final in enumerate(finals):
            assert view.number_text(layout, index, FINAL) == final
            assert layout.blocks[index].number.text == final
            midway = 0.25 + 0.18 * index + 0.35  # inside this number's count-up
            shown = view.number_text(layout, index, midway)
            assert shown != final
            assert 0 < float(shown.replace(",", "")) < float(final)
            assert len(shown.split(".")[-1]) == len(final.split(".")[-1])  # same decimals
        assert layout.blocks[0].prefix is not None and layout.blocks[0].prefix.text == "+"


def test_digits_are_tabular_so_counting_does_not_jitter(
    theme: SlideTheme, media: MediaLibrary
) -> None:
    layout = IndicatorsSlideView(_fixture_slides()[0], theme, media).layout(
        QSizeF(1920, 1080), "zh"
    )
    metrics = QFontMetricsF(layout.blocks[0].number.font)
    assert len({round(metrics.horizontalAdvance(d), 2) for d in "0123456789"}) == 1
    unit = layout.blocks[0].unit
    assert unit is not None and unit.rect.left() >= layout.blocks[0].slot.right()


# --- bars ---------------------------------------------------------------------------------


def _bar_view(
    theme: SlideTheme, media: MediaLibrary, values: list[float]
) -> tuple[IndicatorsSlideView, BarsLayout]:
    view = IndicatorsSlideView(_slide([_item(1)], _bars(values)), theme, media)
    layout = view.layout(QSizeF(1920, 1080), "en")
    assert isinstance(layout.chart, BarsLayout)
    return view, layout.chart


@pytest.mark.parametrize("size", [QSize(1920, 1080), QSize(3840, 2160)], ids=["1080p", "4k"])
def test_bar_chart_is_drawn_and_grows(theme: SlideTheme, media: MediaLibrary, size: QSize) -> None:
    view, chart = _bar_view(theme, media, [40, 80, 60])
    scale = size.width() / 1920
    final = _near(
        _crop(_array(render_view(view, size, "en")), chart.view_rect, scale), theme.accent
    )
    start = _near(
        _crop(_array(render_view(view, size, "en", entrance=0.0)), chart.view_rect, scale),
        theme.accent,
    )
    assert final.mean() > 0.12, "the bars are missing at FINAL"
    assert start.mean() < 0.005, "the bars are already there at entrance 0"


def test_bars_respect_the_fixed_axis(theme: SlideTheme, media: MediaLibrary) -> None:
    view, chart = _bar_view(theme, media, [50, 100, 25])
    pixels = _array(render_view(view, QSize(1920, 1080), "en"))
    view_rect = chart.view_rect
    slot = view_rect.width() / 3
    for index, value in enumerate((50, 100, 25)):
        x = round(view_rect.left() + slot * (index + 0.5))
        column = _near(
            pixels[round(view_rect.top()) : round(view_rect.bottom()) + 2, x], theme.accent
        )
        measured = column.sum() / view_rect.height()
        assert measured == pytest.approx(value / 100, abs=0.02), f"bar {index}"


def test_bar_axis_defaults_to_a_nice_ceiling(theme: SlideTheme) -> None:
    slide = _slide([_item(1)], _bars([318, 15.9], None))
    assert slide.chart is not None
    assert BarChartPainter(slide.chart, theme).axis_max == 500  # type: ignore[arg-type]


def test_pyqtgraph_items_take_no_input_and_offer_no_menu(
    theme: SlideTheme, media: MediaLibrary
) -> None:
    import pyqtgraph as pg

    view, _ = _bar_view(theme, media, [1, 2])
    assert isinstance(view.chart, BarChartPainter)
    plot = view.chart.plot
    assert not plot.plot.menuEnabled()
    assert not plot.plot.vb.menuEnabled()
    assert plot.plot.vb.state["mouseEnabled"] == [False, False]
    assert plot.plot.buttonsHidden
    for item in (plot.plot, plot.plot.vb, plot.plot.getAxis("left"), plot.plot.getAxis("bottom")):
        assert item.acceptedMouseButtons() == Qt.MouseButton.NoButton
    # No view, no widget: no event ever reaches the items; and not pyqtgraph's GraphicsScene,
    # whose own context menu carries "Export…".
    assert plot.scene.views() == []
    assert not isinstance(plot.scene, pg.GraphicsScene)


def test_pyqtgraph_items_are_built_once(theme: SlideTheme, media: MediaLibrary) -> None:
    view, _ = _bar_view(theme, media, [10, 20, 30])
    assert isinstance(view.chart, BarChartPainter)
    bars, items = view.chart.plot.bars, len(view.chart.plot.scene.items())
    for entrance in (0.0, 0.4, 0.8, 1.2, FINAL):
        for size in (QSize(960, 540), QSize(540, 960)):
            render_view(view, size, "zh", entrance=entrance)
    assert view.chart.plot.bars is bars
    assert len(view.chart.plot.scene.items()) == items


def test_pyqtgraph_stays_off_the_import_path() -> None:
    code = (
        "import sys, kiosk.slides.indicators, kiosk.slides.charts; "
        "assert 'pyqtgraph' not in sys.modules, 'pyqtgraph imported at start-up'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_pyqtgraph_axis_label_draws_chinese(theme: SlideTheme, media: MediaLibrary) -> None:
    """The unit is pyqtgraph's axis label: it must draw with the bundled CJK font, not boxes."""
    view, chart = _bar_view(theme, media, [10, 20])
    assert isinstance(view.chart, BarChartPainter)
    view.layout(QSizeF(1920, 1080), "zh")
    label = view.chart.plot.left.label
    assert "亿元" in label.toPlainText()
    assert QFontInfo(label.font()).family() == theme.family
    assert QFontMetricsF(theme.font(20)).inFontUcs4(ord("亿"))
    pixels = _array(render_view(view, QSize(1920, 1080), "zh"))
    axis = QRectF(chart.plot_rect.left(), chart.view_rect.top(), 40, chart.view_rect.height())
    assert _near(_crop(pixels, axis, 1.0), theme.muted, 40).sum() > 60


# --- rings and marks ----------------------------------------------------------------------


def test_ring_arc_length_follows_the_value(theme: SlideTheme, media: MediaLibrary) -> None:
    rings = {"kind": "rings", "rings": [{"label": "A", "value": 25}, {"label": "B", "value": 75}]}
    view = IndicatorsSlideView(_slide([_item(1)], rings), theme, media)
    assert isinstance(view.chart, RingChartPainter)
    assert view.chart.sweep(0, FINAL) == pytest.approx(90)
    assert view.chart.sweep(1, FINAL) == pytest.approx(270)
    assert 0 < view.chart.sweep(1, 0.9) < 270
    layout = view.layout(QSizeF(1920, 1080), "zh")
    assert isinstance(layout.chart, RingsLayout)
    pixels = _array(render_view(view, QSize(1920, 1080), "zh"))
    lit = [
        _near(_crop(pixels, square.adjusted(-30, -30, 30, 30), 1.0), theme.accent).sum()
        for square in layout.chart.rings
    ]
    assert lit[1] / lit[0] == pytest.approx(3.0, rel=0.15)


def test_marks_light_up_one_after_another(theme: SlideTheme, media: MediaLibrary) -> None:
    marks = {"kind": "marks", "count": 38}
    view = IndicatorsSlideView(_slide([_item(38)], marks), theme, media)
    assert isinstance(view.chart, MarksChartPainter)
    layout = view.layout(QSizeF(1920, 1080), "en")
    assert len(layout.chart.marks) == 38
    lit = [view.chart.lit(i, 0.6) for i in range(38)]
    assert lit == sorted(lit, reverse=True) and lit[0] > 0.9 and lit[-1] == 0.0
    assert all(view.chart.lit(i, FINAL) == 1.0 for i in range(38))
    rects = layout.chart.marks
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1 :])
    area = QRectF(QPointF(0, 0), QSizeF(1920, 1080))
    assert all(area.contains(rect) for rect in rects)
    assert math.isclose(rects[0].width(), rects[-1].width())


def test_everything_settles_within_the_entrance(
    slides: list[IndicatorsSlide], theme: SlideTheme, media: MediaLibrary
) -> None:
    """The stage stops repainting after `entrance_seconds`: nothing may still be moving."""
    for slide in slides:
        view = IndicatorsSlideView(slide, theme, media)
        if view.chart is not None:
            assert CHART_DELAY + view.chart.duration <= view.entrance_seconds
        settled = render_view(view, QSize(960, 540), "en", entrance=view.entrance_seconds)
        assert settled == render_view(view, QSize(960, 540), "en"), slide.id


# --- bars in each language's unit -------------------------------------------------------------


def test_bars_may_count_in_each_languages_unit(theme: SlideTheme, media: MediaLibrary) -> None:
    """1150.2 亿元 under a 亿元 axis in Chinese, 115.02 billion yuan under billions in English."""
    chart = _bars([0], None) | {
        "unit": {"zh": "亿元", "en": "billion yuan"},
        "axis_max": {"zh": 1400, "en": 140},
        "bars": [
            {"label": "2019", "value": {"zh": 1150.2, "en": 115.02}},
            {"label": "2020", "value": {"zh": 1291.5, "en": 129.15}},
        ],
    }
    view = IndicatorsSlideView(_slide([_item(1)], chart), theme, media)
    assert isinstance(view.chart, BarChartPainter)
    canvas = QSizeF(1920, 1080)
    for language, texts, top, unit in (
        ("zh", ["1150.2", "1291.5"], 1400, "亿元"),
        ("en", ["115.02", "129.15"], 140, "billion yuan"),
    ):
        layout = view.layout(canvas, language)
        assert isinstance(layout, IndicatorsLayout) and isinstance(layout.chart, BarsLayout)
        assert [box.text for box in layout.chart.values] == texts
        assert view.chart.axis_max_in(language) == top
        assert view.chart.plot_for(language).left.label.toPlainText().strip() == unit
        # the bar reaches the same height in both units
        grown = layout.chart.values[0].rect.bottom()
        assert grown == pytest.approx(
            layout.chart.view_rect.bottom() - layout.chart.view_rect.height() * 1150.2 / 1400 - 4,
            abs=1.0,
        )


def test_a_per_language_axis_below_its_bars_is_refused() -> None:
    from pydantic import ValidationError

    chart = _bars([0], None) | {
        "axis_max": {"zh": 1400, "en": 100},
        "bars": [{"label": "2019", "value": {"zh": 1150.2, "en": 115.02}}],
    }
    with pytest.raises(ValidationError, match=r"axis_max 100 is below the largest bar .* in en"):
        _slide([_item(1)], chart)


def test_the_bundled_gdp_chart_speaks_billions_in_english(repo_content: Content) -> None:
    slide = repo_content.slides[repo_content.index_of("economy-2019")]
    assert isinstance(slide, IndicatorsSlide) and slide.chart is not None
    assert slide.chart.unit is not None and slide.chart.unit["en"] == "billion yuan"
    assert slide.items[0].value_in("en") == slide.chart.bars[0].value_in("en") == 115.02
