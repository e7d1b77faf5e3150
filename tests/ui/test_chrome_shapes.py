"""The chrome (chapters, dots, the row of buttons at the top right) and the overlays (help,
overview, keypad, countdown) on every screen shape: inside the canvas, big enough to touch,
off a wall's seams, and where a tap lands on them (letterboxed screens included)."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtTest import QTest

from kiosk.core.player import Overlay, Player
from kiosk.slides.canvas import SEAM_GUTTER, main_span, nav_rect, seams_of, source_rect
from kiosk.slides.typeset import ROLE_MIN
from kiosk.ui.chrome import TOP_ROW, LanguageLayer, NavigationLayer
from kiosk.ui.keypad import MIN_KEY, keypad_layout
from kiosk.ui.layers import MIN_TARGET
from kiosk.ui.panels import HelpLayer, OverviewLayer

# (window width, height, panels): the ends of the range, the common shapes, two walls, and a
# 64:9 screen beyond the range (letterboxed).
SHAPES = [
    (540, 1280, 1),
    (1080, 1080, 1),
    (1440, 1080, 1),
    (1920, 1080, 1),
    (1920, 540, 1),
    (5760, 1080, 3),
    (3840, 1080, 2),
    (3840, 540, 1),
]
IDS = [f"{w}x{h}" + (f"-{n}panels" if n > 1 else "") for w, h, n in SHAPES]


def _layer(show, kind):
    return next(layer for layer in show.stage._layers if isinstance(layer, kind))


def _clear_of_seams(rect: QRectF, canvas: QRectF) -> bool:
    return all(
        rect.right() <= seam - SEAM_GUTTER / 2 or rect.left() >= seam + SEAM_GUTTER / 2
        for seam in seams_of(canvas)
    )


@pytest.mark.parametrize(("width", "height", "panels"), SHAPES, ids=IDS)
def test_chrome_fits_every_shape(
    make_show, repo_content, width: int, height: int, panels: int
) -> None:
    show = make_show(size=(width, height), bezels=panels)
    stage = show.stage
    canvas = stage.canvas_rect()
    assert len(seams_of(canvas)) == panels - 1
    targets = [t for layer in stage._layers if layer.visible() for t in layer.targets(canvas)]
    names = {t.name for t in targets}
    assert {"language", "dot:0", "chapter:1"} <= names
    for target in targets:
        assert target.rect.width() >= MIN_TARGET and target.rect.height() >= MIN_TARGET
        assert canvas.contains(target.rect), target.name
        assert _clear_of_seams(target.rect, canvas), target.name
    # The bundled show's chapter names fit over their dots.
    player = Player(repo_content)
    nav = NavigationLayer(player, lambda: stage.theme, lambda: 0.0)
    for language in ("zh", "en"):
        player.set_language(language)
        for rect, _current, label in nav.label_boxes(canvas):
            assert label.fits and label.font.pixelSize() >= ROLE_MIN["label"], label.text
            assert rect.contains(label.used_rect())
    assert not nav_rect(canvas).intersects(source_rect(canvas))
    language = _layer(show, LanguageLayer)
    switch, hint = language.switch_rect(canvas), language.hint_rect(canvas)
    assert canvas.contains(hint) and not hint.intersects(switch)
    assert _clear_of_seams(hint, canvas)
    # The row of chrome buttons stays above the slide titles (they start below it).
    assert TOP_ROW.row_rect(canvas).bottom() <= 80 and hint.bottom() <= 80


@pytest.mark.parametrize(("width", "height", "panels"), SHAPES, ids=IDS)
def test_overlays_fit_every_shape(make_show, width: int, height: int, panels: int) -> None:
    show = make_show(size=(width, height), bezels=panels)
    stage = show.stage
    canvas = stage.canvas_rect()
    span = main_span(canvas)
    boxes = _layer(show, HelpLayer).text_boxes(canvas)
    for box in boxes:
        assert box.fits and span.contains(box.used_rect()), box.text
    for a, b in itertools.combinations(boxes, 2):
        assert not a.used_rect().intersects(b.used_rect()), (a.text, b.text)
    cells = _layer(show, OverviewLayer).cells(canvas)
    for a, b in itertools.combinations(cells, 2):
        assert not a.intersects(b)
    for cell in cells:
        assert span.contains(cell.adjusted(0, 0, 0, 38)) and cell.width() >= 120
    keypad = keypad_layout(canvas)
    assert span.contains(keypad.panel)
    assert all(rect.height() >= MIN_KEY for _name, rect in keypad.keys)


@pytest.mark.parametrize(("width", "height", "panels"), SHAPES, ids=IDS)
def test_a_tap_lands_on_what_it_shows(make_show, width: int, height: int, panels: int) -> None:
    """Hit-testing goes through the same placement as painting (letterbox offset included)."""
    show = make_show(size=(width, height), bezels=panels)
    stage = show.stage
    switch = _layer(show, LanguageLayer).switch_rect(stage.canvas_rect())
    point = stage.to_widget(switch.center()).toPoint()
    QTest.mouseClick(stage, Qt.MouseButton.LeftButton, pos=point)
    assert show.player.language == "en"
    QTest.keyClick(show.window, Qt.Key.Key_O)
    assert show.player.overlay is Overlay.OVERVIEW
    cell = _layer(show, OverviewLayer).cells(stage.canvas_rect())[3]
    QTest.mouseClick(stage, Qt.MouseButton.LeftButton, pos=stage.to_widget(cell.center()).toPoint())
    assert show.player.index == 3 and show.player.overlay is Overlay.NONE


def test_a_screen_beyond_the_range_is_letterboxed(make_show) -> None:
    """64:9 gets the 48:9 canvas, centred between dark bars; taps map through the offset."""
    show = make_show(size=(3840, 540))
    stage = show.stage
    placement = stage.placement()
    assert (placement.canvas.width(), placement.canvas.height()) == (5760, 1080)
    assert placement.offset.x() == pytest.approx(480) and placement.scale == pytest.approx(0.5)
    image = stage.render_frame()
    bar = image.pixelColor(10, 270)
    inside = image.pixelColor(1920, 270)
    assert max(bar.red(), bar.green(), bar.blue()) < 8  # the bar is black
    assert inside != bar
    assert stage.to_canvas(QPointF(480, 0)) == QPointF(0, 0)
