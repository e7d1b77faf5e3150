"""What the screen shows on the hall's clock (offscreen): the standby screen, and two shows
on the common timeline, built seconds apart, painting the same frame at the same instants."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from kiosk.app import build_show
from kiosk.content import load_content, parse_content
from kiosk.core.player import Overlay

DECKS = Path(__file__).resolve().parents[1] / "fixtures" / "decks"
SHANGHAI = ZoneInfo("Asia/Shanghai")
SIZE = QSize(480, 270)


class Clocks:
    """One fake time for both clocks of a show (monotonic and wall), moved by hand."""

    def __init__(self, wall: str) -> None:
        self.wall = datetime.fromisoformat(wall).replace(tzinfo=SHANGHAI).timestamp()

    def mono(self) -> float:
        return self.wall - 1.7e9

    def now(self) -> float:
        return self.wall


def build(qtbot, font_family: str, content, clocks: Clocks, **options):
    show = build_show(
        content,
        DECKS,
        font_family,
        kiosk=False,
        clock=clocks.mono,
        wall_clock=clocks.now,
        **options,
    )
    show.window.resize(SIZE)
    qtbot.addWidget(show.window)
    with qtbot.waitExposed(show.window):
        show.window.show()
    return show


def lit_pixels(image: QImage) -> int:
    """Pixels (every third, both ways) brighter than near-black."""
    return sum(
        1
        for y in range(0, image.height(), 3)
        for x in range(0, image.width(), 3)
        if QColor(image.pixel(x, y)).value() > 24
    )


def test_standby_paints_black_and_nothing_else(qtbot, font_family: str) -> None:
    clocks = Clocks("2026-11-30T12:00:00")  # a closed Monday
    show = build(qtbot, font_family, load_content(DECKS / "hall.yaml"), clocks)
    assert show.player.standby
    frame = show.stage.render_frame(SIZE)
    assert lit_pixels(frame) == 0  # no slide, no dots, no language switch
    assert show.stage.hit_test(show.stage.rect().center()) is None
    show.player.set_overlay(Overlay.STAFF)  # staff still get the keypad over it
    assert lit_pixels(show.stage.render_frame(SIZE)) > 50


def test_the_standby_clock_shows_the_halls_time_dimly(qtbot, font_family: str) -> None:
    content = parse_content(
        b"settings: {timezone: Asia/Shanghai, hours: {mon-sun: '09:00-17:00'}, "
        b"standby: {screen: clock}}\n"
        b"slides: [{id: a, type: text, title: A, body: a}]\n"
    )
    clocks = Clocks("2026-12-01T21:07:00")
    show = build(qtbot, font_family, content, clocks)
    layer = next(layer for layer in show.stage._standby_layers if hasattr(layer, "clock_text"))
    assert layer.clock_text() == "21:07"
    frame = show.stage.render_frame(SIZE)
    lit = lit_pixels(frame)
    assert 5 < lit < (160 * 90) // 20  # a small clock on black
    brightest = max(
        QColor(frame.pixel(x, y)).value()
        for y in range(0, frame.height(), 2)
        for x in range(0, frame.width(), 2)
    )
    assert brightest < 110  # dim: spares the panel and the dark hall
    clocks.wall += 600  # ten minutes later it has moved
    moved = show.stage.render_frame(SIZE)
    assert moved != frame


SYNCED = DECKS / "synced.yaml"


@pytest.mark.parametrize("apart", [6, 13])
def test_two_shows_built_seconds_apart_paint_the_same_frames(
    qtbot, font_family: str, apart: int
) -> None:
    # The fake clock moves in steps of 0.37 s; each step does what the boundary timer and a
    # painted frame do. The second show starts `apart` steps after the first, mid-slot.
    content = load_content(SYNCED)
    clocks = Clocks("2026-12-01T10:00:00")
    shows = [build(qtbot, font_family, content, clocks)]
    lead_in = shows[0].player.lead_in_seconds(0)
    assert lead_in == pytest.approx(0.5 + shows[0].stage.views[0].entrance_seconds)
    compared, slides = 0, set()
    for step in range(apart + 30):
        clocks.wall += 0.37
        if step == apart:
            shows.append(build(qtbot, font_family, content, clocks))
        for show in shows:
            show.player.check_clock()
            show.stage._after_paint()
        if step < apart + 2:  # a screen that joins mid-transition is in step once it ends
            continue
        first, second = shows
        assert first.player.index == second.player.index
        one, two = first.stage.render_frame(SIZE), second.stage.render_frame(SIZE)
        assert one == two, f"step {step}: the screens differ"
        compared += 1
        slides.add(first.player.index)
    assert slides == {0, 1, 2}  # transitions, entrances and dwells of every slide
