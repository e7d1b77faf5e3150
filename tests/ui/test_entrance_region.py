"""On a real screen a live entrance repaints only what moves (Stage._entrance_region), and the
screen then shows exactly what a whole frame would.

Qt's offscreen platform keeps the window's backing store: `grabWindow` reads the frames as
they were composed from the parts repainted, which is what a screen would show.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from PySide6.QtGui import QImage, QRegion

REPO = Path(__file__).resolve().parents[2]


def _on_screen(stage) -> QImage:
    window = stage.window()
    corner = stage.mapTo(window, stage.rect().topLeft())
    grabbed = (
        stage.screen()
        .grabWindow(window.winId(), corner.x(), corner.y(), stage.width(), stage.height())
        .toImage()
    )
    return grabbed.convertToFormat(QImage.Format.Format_RGB32)


def _whole_frame(stage) -> QImage:
    return stage.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def _into_entrance(show, fake_clock, slide_id: str) -> None:
    stage, player = show.stage, show.player
    player.report_user_input()  # interactive: no autoplay
    player.go_to(next(i for i, s in enumerate(player.content.slides) if s.id == slide_id))
    stage.repaint()  # the transition's first frame
    fake_clock.advance(5)
    stage.repaint()  # the transition ends: the entrance starts now
    stage.repaint()  # its first frame, whole
    assert stage.animating


def _show_in_entrance(show_content, repo_content, fake_clock, slide_id: str, on_screen=True):
    """The bundled show (a real screen's, unless said) a moment into `slide_id`'s entrance."""
    show = show_content(
        repo_content, REPO, clock=fake_clock, animation_scale=1.0, on_screen=on_screen
    )
    _into_entrance(show, fake_clock, slide_id)
    return show


def _step_through(stage, fake_clock, qtbot, seconds: float) -> list[float]:
    """Frames at 60 Hz of the show's clock, each asked for by the frame timer's path; the
    share of the screen each one repainted."""
    asked: list[QRegion] = []
    update = stage.update

    def spy(*region) -> None:
        asked.append(QRegion(*region) if region else QRegion(stage.rect()))
        update(*region)

    stage.update = spy
    whole = stage.width() * stage.height()
    shares = []
    try:
        for _ in range(round(seconds * 60)):
            fake_clock.advance(1 / 60)
            asked.clear()
            stage._on_frames_timeout()
            region = QRegion()
            for part in asked:
                region += part
            area = sum(r.width() * r.height() for r in region)
            shares.append(area / whole)
            if area:
                with qtbot.waitSignal(stage.frame_painted, timeout=2000):
                    pass
    finally:
        del stage.update
    return shares


def test_an_entrance_on_a_real_screen_repaints_what_moves_and_shows_the_whole_frame(
    show_content, repo_content, fake_clock, qtbot
) -> None:
    for slide_id in ("industry-peaks", "history", "trade-2020"):
        stage = _show_in_entrance(show_content, repo_content, fake_clock, slide_id).stage
        shares = []
        for seconds in (0.25, 0.25, 0.25, 0.25, 0.4):  # mid-move, every quarter second
            shares += _step_through(stage, fake_clock, qtbot, seconds)
            assert stage.animating  # still mid-entrance
            assert _on_screen(stage) == _whole_frame(stage), (slide_id, len(shares))
        assert statistics.median(shares) < 0.5  # most frames repaint under half the screen
        ended: list[int] = []
        stage.entrance_finished.connect(ended.append)  # autoplay waits for this
        _step_through(stage, fake_clock, qtbot, 1.5)  # past the end: the final frame
        assert not stage.animating and ended == [stage.player.index]
        assert _on_screen(stage) == _whole_frame(stage), (slide_id, "final")


def test_whole_frames_where_the_moving_parts_are_unknown(
    show_content, repo_content, fake_clock, qtbot
) -> None:
    # Not on a real screen (tests, export): whole frames as before.
    show = _show_in_entrance(
        show_content, repo_content, fake_clock, "industry-peaks", on_screen=False
    )
    assert set(_step_through(show.stage, fake_clock, qtbot, 0.2)) == {1.0}
    # A gallery moves by itself (ambient): its entrance gives no tracks.
    show = _show_in_entrance(show_content, repo_content, fake_clock, "garden")
    assert set(_step_through(show.stage, fake_clock, qtbot, 0.2)) == {1.0}


def test_a_paint_that_comes_late_shows_the_moment_its_areas_were_given_for(
    show_content, repo_content, fake_clock, qtbot
) -> None:
    show = _show_in_entrance(show_content, repo_content, fake_clock, "industry-peaks")
    stage = show.stage
    _step_through(stage, fake_clock, qtbot, 0.5)
    painted = stage._live_painted[3]
    stage._on_frames_timeout()  # areas given for a moment up to 50 ms ahead ...
    fake_clock.advance(0.3)  # ... and the paint comes 300 ms later
    with qtbot.waitSignal(stage.frame_painted, timeout=2000):
        pass
    assert stage._live_painted[3] <= painted + 1 / 60 + 0.05 + 1e-9


def test_a_pause_in_an_entrance_paints_nothing_and_says_the_screen_is_up_to_date(
    show_content, repo_content, fake_clock, qtbot
) -> None:
    show = _show_in_entrance(show_content, repo_content, fake_clock, "industry-peaks")
    stage = show.stage
    _step_through(stage, fake_clock, qtbot, 1.9)  # every card and fact is in place by now
    painted, unchanged = [], []
    stage.frame_painted.connect(lambda: painted.append(1))
    stage.frame_unchanged.connect(lambda: unchanged.append(1))
    fake_clock.advance(1 / 60)
    stage._on_frames_timeout()
    assert stage.animating and unchanged == [1]
    qtbot.wait(50)  # absence check: no paint comes
    assert painted == []
