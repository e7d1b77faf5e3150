"""The presenter window follows the Player: current and next slide, notes, clocks, status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from kiosk.content import Content, parse_content
from kiosk.controllers.keyboard import KeyboardController
from kiosk.core.player import Mode, Player
from kiosk.slides.media import MediaLibrary
from kiosk.slides.render import render_view
from kiosk.ui.presenter import NO_NOTES, REFRESH_MS, PresenterWindow, presenter_screen
from kiosk.ui.stage import Stage

DECK = """\
settings:
  transition: none
  languages: [zh, en]
  default_language: zh
slides:
  - id: welcome
    type: text
    title: {zh: 欢迎, en: Welcome}
    body: {zh: 欢迎来到高新区, en: Welcome to the zone}
    notes: {zh: 先问候来宾。, en: Greet the guests first.}
  - id: growth
    type: text
    title: {zh: 增长, en: Growth}
    body: {zh: 三十年的增长, en: Thirty years of growth}
    notes: {zh: 强调三十年的持续增长。, en: Stress thirty years of steady growth.}
  - id: closing
    type: text
    title: {zh: 结语, en: Closing}
    body: {zh: 谢谢, en: Thank you}
"""


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def content() -> Content:
    """Three text slides; the first two have notes in zh and en."""
    return parse_content(DECK.encode())


@pytest.fixture
def make_presenter(qtbot, font_family: str, content: Content, tmp_path: Path):
    """Build a shown stage and presenter window over one Player with instant animations."""

    def make(
        clock: Callable[[], float] | None = None,
        now_text: Callable[[], str] | None = None,
        player_clock: Callable[[], float] | None = None,
        stage_clock: Callable[[], float] | None = None,
        deck: Content | None = None,
    ) -> PresenterWindow:
        shown = deck or content
        if player_clock is None:
            player = Player(shown, time_scale=0)
        else:  # real durations on a fake clock: for the idle countdown
            player = Player(shown, clock=player_clock)
        player.set_mode(Mode.INTERACTIVE)  # with time_scale=0, autoplay would race the test
        if stage_clock is None:
            stage = Stage(player, font_family, MediaLibrary(tmp_path), animation_scale=0)
        else:  # real entrances on a fake clock
            stage = Stage(player, font_family, MediaLibrary(tmp_path), clock=stage_clock)
        qtbot.addWidget(stage)
        stage.resize(640, 360)
        stage.show()
        if clock is None:
            window = PresenterWindow(stage, now_text=now_text)
        else:
            window = PresenterWindow(stage, clock=clock, now_text=now_text)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        with qtbot.waitExposed(window):
            window.show()
        return window

    return make


TOLERANCE = 8  # per channel: the slide layer cache may round a cached copy by one level


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return rows[:, : image.width() * 4].astype(np.int16)


def _same_pixels(a: QImage, b: QImage) -> bool:
    """Same size, and at most 0.5 % of pixels further apart than TOLERANCE on any channel
    (cached and freshly drawn text may differ by a pixel's antialiasing at glyph edges)."""
    if a.size() != b.size():
        return False
    apart = np.abs(_pixels(a) - _pixels(b)).max(axis=-1) > TOLERANCE
    return float(apart.mean()) <= 0.005


def _audience_copy(window: PresenterWindow, stage: Stage) -> QImage:
    """What the left pane should show: the stage's frame painted at the pane's size."""
    return stage.render_frame(window.current_pane.pixmap().size())


def _blocks(image: QImage, columns: int = 16, rows: int = 9) -> np.ndarray:
    """Mean blue, green and red of each block of a grid over the image."""
    width = image.width() // columns * columns
    height = image.height() // rows * rows
    pixels = _pixels(image)[:height, : width * 4].reshape(height, width, 4)[:, :, :3]
    grid = pixels.reshape(rows, height // rows, columns, width // columns, 3)
    return grid.astype(float).mean(axis=(1, 3))


def test_next_shows_notes_position_and_next_preview(make_presenter, qtbot) -> None:
    window = make_presenter()
    stage = window.stage
    player = stage.player
    assert window.position_label.text() == "1 / 3 · welcome"
    assert window.notes_view.toPlainText() == "先问候来宾。"

    player.next()

    assert window.position_label.text() == "2 / 3 · growth"
    assert window.notes_view.toPlainText() == "强调三十年的持续增长。"
    assert window.other_notes_view.toPlainText() == "Stress thirty years of steady growth."
    assert window.next_pane.caption() == "Next · 结语"
    preview = window.next_pane.pixmap()
    assert not preview.isNull()
    # Laid out on the audience's own canvas (a preview is a small copy of what they will see).
    canvas = stage.placement().canvas
    expected = render_view(stage.views[2], preview.size(), "zh", canvas=canvas)
    assert _same_pixels(preview.toImage(), expected)
    # Not just any slide: the slide after next would look different.
    other = render_view(stage.views[0], preview.size(), "zh", canvas=canvas)
    assert not _same_pixels(preview.toImage(), other)
    assert _same_pixels(window.current_pane.pixmap().toImage(), _audience_copy(window, stage))


def test_language_change_switches_notes_and_preview(make_presenter) -> None:
    window = make_presenter()
    player = window.stage.player
    player.next()

    player.set_language("en")

    assert window.notes_view.toPlainText() == "Stress thirty years of steady growth."
    assert window.other_notes_view.toPlainText() == "强调三十年的持续增长。"
    assert window.language_label.text() == "EN"
    preview = window.next_pane.pixmap()
    canvas = window.stage.placement().canvas
    expected = render_view(window.stage.views[2], preview.size(), "en", canvas=canvas)
    assert _same_pixels(preview.toImage(), expected)


def test_slide_without_notes_shows_a_dash_and_the_end_wraps(make_presenter) -> None:
    window = make_presenter()
    player = window.stage.player
    player.last()
    assert window.notes_view.toPlainText() == NO_NOTES
    assert window.other_notes_view.isHidden()
    assert window.position_label.text() == "3 / 3 · closing"
    assert window.next_pane.caption() == "Next · 欢迎"  # the show loops


def test_last_slide_of_a_show_without_loop_says_the_end_comes_next(make_presenter) -> None:
    deck = parse_content(DECK.replace("  transition: none", "  loop: false").encode())
    window = make_presenter(deck=deck)
    window.stage.player.last()
    assert window.next_pane.caption() == "Next · end of the show"
    assert window.next_pane.pixmap().isNull()
    assert window.next_pane.placeholder() == "End of the show"


def test_elapsed_time_follows_the_clock_and_resets(make_presenter, qtbot) -> None:
    clock = FakeClock()
    window = make_presenter(clock=clock, now_text=lambda: "09:41")
    assert window.elapsed_label.text() == "00:00"
    assert window.clock_label.text() == "09:41"

    clock.now += 65
    qtbot.waitUntil(lambda: window.elapsed_label.text() == "01:05", timeout=2500)

    qtbot.mouseClick(window.reset_button, Qt.MouseButton.LeftButton)
    assert window.elapsed_label.text() == "00:00"


def test_status_line_shows_problems_in_red(make_presenter) -> None:
    window = make_presenter()
    assert not window.status_label.isVisible()
    window.set_status("content.yaml:4:3: x", error=True)
    assert window.status_label.isVisible()
    assert window.status_label.text() == "content.yaml:4:3: x"
    assert "#ff6b6b" in window.status_label.styleSheet()
    window.set_status("", error=False)
    assert not window.status_label.isVisible()


def test_blackout_shows_indicator_and_black_preview(make_presenter) -> None:
    window = make_presenter()
    player = window.stage.player
    assert not window.blackout_label.isVisible()

    player.set_blackout(True)

    assert window.blackout_label.isVisible()
    assert window.blackout_label.text() == "BLACKOUT"
    image = window.current_pane.pixmap().toImage()
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    assert centre.lightness() < 10
    player.set_blackout(False)
    assert not window.blackout_label.isVisible()


def test_mode_and_idle_countdown_are_shown(make_presenter) -> None:
    clock = FakeClock()
    window = make_presenter(player_clock=clock)
    player = window.stage.player
    assert window.mode_label.text() == "interactive"
    player.set_mode(Mode.ATTRACT)
    assert window.mode_label.text() == "attract"

    player.report_user_input()
    clock.now += player.content.settings.idle_timeout - 5.5
    player.check_idle()

    assert window.mode_label.text() == "interactive · idle reset in 6 s"


def test_mirror_follows_the_entrance_until_the_slide_settles(make_presenter, qtbot) -> None:
    clock = FakeClock()
    window = make_presenter(stage_clock=clock)
    stage = window.stage
    stage.player.next()
    at_start = window.current_pane.pixmap().toImage()  # copied at once: the entrance at 0 s

    clock.now += 10  # the entrance is over
    stage.update()

    def settled_copy_shown() -> bool:
        shown = window.current_pane.pixmap().toImage()
        return not stage.animating and _same_pixels(shown, _audience_copy(window, stage))

    qtbot.waitUntil(settled_copy_shown, timeout=2000)
    assert not _same_pixels(at_start, window.current_pane.pixmap().toImage())


def test_the_current_slide_is_painted_at_the_panes_size_and_looks_like_the_screen(
    make_presenter, monkeypatch
) -> None:
    window = make_presenter()
    stage = window.stage
    stage.resize(1920, 1080)  # a screen four times the pane's size or more
    sizes: list[QSize | None] = []
    render_frame = stage.render_frame
    monkeypatch.setattr(
        stage, "render_frame", lambda size=None: sizes.append(size) or render_frame(size)
    )
    window._refresh_current()
    shown = window.current_pane.pixmap().toImage()
    assert sizes == [shown.size()]  # one render, at the pane's size, not the screen's
    assert shown.width() < stage.width() / 2
    full = render_frame().scaled(
        shown.size(),
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    assert np.abs(_blocks(shown) - _blocks(full)).max() < 12  # the same picture, not cropped


def test_the_next_preview_skips_the_slides_the_show_skips(make_presenter) -> None:
    window = make_presenter()
    player = window.stage.player
    player.mark_unusable(1)  # "growth" failed to build or paint: the show skips it
    window._refresh_all()
    assert window.next_pane.caption() == "Next · 结语"
    assert window.next_pane.caption() != "Next · 增长"


def test_stage_frames_are_copied_at_most_every_refresh_interval(make_presenter, qtbot) -> None:
    window = make_presenter()
    stage = window.stage
    # the first frames of the shown stage are painted and copied
    qtbot.waitUntil(lambda: not window._refresh_timer.isActive() and not stage.animating)
    before = window.current_pane.pixmap().cacheKey()
    for _ in range(30):  # a burst of 60 Hz frames
        stage.frame_painted.emit()
    assert window.current_pane.pixmap().cacheKey() == before  # nothing copied synchronously
    qtbot.waitUntil(lambda: window.current_pane.pixmap().cacheKey() != before, timeout=1000)
    copied = window.current_pane.pixmap().cacheKey()
    qtbot.wait(REFRESH_MS * 2)
    assert window.current_pane.pixmap().cacheKey() == copied  # one copy for the whole burst


def test_resize_rescales_the_images(make_presenter, qtbot) -> None:
    window = make_presenter()
    width = window.current_pane.pixmap().width()
    window.resize(900, 600)
    qtbot.waitUntil(lambda: window.current_pane.pixmap().width() < width, timeout=1000)
    pane = window.next_pane
    preview = pane.pixmap()
    assert preview.width() <= pane.width() and preview.height() <= pane.height()


def test_single_screen_has_no_presenter_screen(qapp) -> None:
    assert presenter_screen(None) is None
    assert presenter_screen(0) is None


def test_presenter_screen_avoids_the_audience_screen(tmp_path: Path) -> None:
    config = tmp_path / "screens.json"
    screen = {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1, "y": 0, "height": 1080}
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {**screen, "name": "left", "x": 0, "width": 1920},
                    {**screen, "name": "right", "x": 1920, "width": 1920},
                ]
            }
        )
    )
    script = textwrap.dedent(
        """
        from PySide6.QtWidgets import QApplication
        from kiosk.ui.presenter import presenter_screen
        app = QApplication([])
        print(presenter_screen(None).name(), presenter_screen(0).name(),
              presenter_screen(1).name())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["right", "right", "left"]


def test_show_on_without_screen_opens_a_normal_window(make_presenter) -> None:
    window = make_presenter()
    window.show_on(None)
    assert window.windowTitle() == "Presenter — kiosk"
    assert window.size() == QSize(1280, 800)


def test_show_on_a_screen_fills_it(make_presenter) -> None:
    window = make_presenter()
    screen = QGuiApplication.primaryScreen()
    window.show_on(screen)
    assert window.screen() is screen
    assert window.geometry() == screen.availableGeometry()


def test_keys_reach_a_controller_watching_the_window(make_presenter, qtbot) -> None:
    window = make_presenter()
    keyboard = KeyboardController(window.stage.player, parent=window)
    keyboard.watch(window)
    window.activateWindow()
    qtbot.mouseClick(window.reset_button, Qt.MouseButton.LeftButton)  # takes no focus
    qtbot.mouseClick(window.notes_view.viewport(), Qt.MouseButton.LeftButton)  # nor this
    target = QApplication.focusWidget() or window
    assert target is window  # no child took the focus: keys go to the window's filter
    qtbot.keyClick(target, Qt.Key.Key_Right)
    assert window.position_label.text() == "2 / 3 · growth"
