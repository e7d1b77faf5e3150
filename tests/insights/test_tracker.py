"""Recording the show: the scripted morning (tests/insights/scripted.py) through the real show
gives exactly the rows counted by hand; staff and presenter input never shows up; the one
switch that turns recording off."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from scripted import RELEASE, T0, play_the_morning, start_recording_show

from kiosk.app import ShowOptions, open_insights
from kiosk.cli import build_parser
from kiosk.content.kiosk_settings import KioskSettings


@pytest.fixture
def touch_device(qapp):
    from PySide6.QtTest import QTest

    return QTest.createTouchDevice()


@pytest.fixture
def morning(tmp_path: Path, qtbot, font_family: str, touch_device):
    """The scripted morning, played and written to the database."""
    run = start_recording_show(tmp_path, font_family, touch_device)
    try:
        play_the_morning(run)
        assert run.recorder.flush()
        yield run
    finally:
        run.recorder.close()
        run.show.window.allow_close()
        run.show.window.close()


def _rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def _relative(rows: list[tuple], *time_columns: int) -> list[tuple]:
    """Times as seconds after T0, rounded to a millisecond."""
    return [
        tuple(
            round(value - T0, 3) if n in time_columns and value is not None else value
            for n, value in enumerate(row)
        )
        for row in rows
    ]


def test_the_scripted_morning_gives_the_slides_shown_counted_by_hand(morning) -> None:
    rows = _relative(
        _rows(
            morning.database,
            "SELECT started, ended, slide_id, slide_index, language, mode, session_id, continued"
            " FROM slides_shown ORDER BY id",
        ),
        0,
        1,
    )
    assert rows == [
        (0.0, 10.0, "cover", 0, "zh", "attract", None, 0),
        (10.0, 12.0, "one", 1, "zh", "attract", None, 0),  # the finger went down
        (12.0, 12.1, "one", 1, "zh", "interactive", 1, 1),  # ... and tapped "next"
        (12.1, 20.2, "two", 2, "zh", "interactive", 1, 0),
        (20.2, 30.0, "three", 3, "zh", "interactive", 1, 0),
        (30.0, 35.1, "three", 3, "en", "interactive", 1, 1),  # L: the same appearance, en
        (35.1, 40.1, "four", 4, "en", "interactive", 1, 0),
        (40.1, 101.1, "four", 4, "zh", "interactive", 1, 1),  # until the idle reset
        (101.1, 200.0, "cover", 0, "zh", "attract", None, 0),
        (200.0, 206.0, "one", 1, "zh", "interactive", 2, 0),
        (206.0, 210.0, "three", 3, "zh", "interactive", 2, 0),
        (210.0, 273.5, "four", 4, "zh", "interactive", 2, 0),  # staff input kept it alive
        (273.5, 278.5, "cover", 0, "zh", "attract", None, 0),
    ]


def test_the_scripted_morning_gives_two_sessions_and_eight_inputs(morning) -> None:
    sessions = _relative(
        _rows(
            morning.database,
            "SELECT id, started, ended, last_input, language, slides_visited,"
            " language_switches, inputs, exit_slide_id FROM sessions ORDER BY id",
        ),
        1,
        2,
        3,
    )
    assert sessions == [
        (1, 12.0, 101.1, 40.0, "zh", 4, 2, 5, "four"),
        (2, 200.0, 273.5, 206.0, "zh", 4, 0, 3, "four"),
    ]
    inputs = _relative(
        _rows(
            morning.database,
            "SELECT at, session_id, slide_id, kind, target, round(x, 4), round(y, 4),"
            " round(x_end, 4), round(y_end, 4), language, canvas_width, canvas_height,"
            " text_scale, release FROM inputs ORDER BY id",
        ),
        0,
    )
    layout = (1920, 1080, 1.0, RELEASE)
    chapter = morning.point("chapter:4")
    switch = morning.point("language")
    assert inputs == [
        (12.0, 1, "one", "tap", "edge-next", 0.9792, 0.5, None, None, "zh", *layout),
        (20.0, 1, "two", "swipe-left", "slide", 0.7292, 0.463, 0.3125, 0.4815, "zh", *layout),
        (30.0, 1, "three", "key", "toggle_language", None, None, None, None, "zh", *layout),
        (
            35.0,
            1,
            "three",
            "tap",
            "chapter",
            round(chapter.x() / 1920, 4),
            round(chapter.y() / 1080, 4),
            None,
            None,
            "en",
            *layout,
        ),
        (
            40.0,
            1,
            "four",
            "tap",
            "language",
            round(switch.x() / 1920, 4),
            round(switch.y() / 1080, 4),
            None,
            None,
            "en",
            *layout,
        ),
        (200.0, 2, "cover", "key", "next_slide", None, None, None, None, "zh", *layout),
        (205.0, 2, "one", "key", "digit", None, None, None, None, "zh", *layout),
        (206.0, 2, "one", "key", "go_to_number", None, None, None, None, "zh", *layout),
    ]
    # Nothing from 210 s on: the presenter's key, the corner taps, the keypad and the PIN.
    assert max(at for (at, *_rest) in inputs) == 206.0


def test_todays_visitors_are_counted_for_the_presenter_window(morning) -> None:
    assert morning.recorder.visitors_today() == 2


def test_recording_never_changes_what_the_show_does(tmp_path, qtbot, font_family, touch_device):
    """The same script with and without a recorder moves the show the same way."""
    from kiosk.app import build_show

    run = start_recording_show(tmp_path, font_family, touch_device)
    moves: list[int] = []
    run.show.player.position_changed.connect(lambda index, _d: moves.append(index))
    try:
        play_the_morning(run)
    finally:
        run.recorder.close()
        run.show.window.allow_close()
        run.show.window.close()
    # The hand count of the script: 1, 2, 3, 4, reset 0, 1, go to 3, presenter 4, reset 0.
    assert moves == [1, 2, 3, 4, 0, 1, 3, 4, 0]
    assert build_show.__kwdefaults__["insights"] is None  # bench and soak never record


def test_the_switch_and_the_setting_turn_recording_off(tmp_path: Path) -> None:
    settings_file = tmp_path / "kiosk.toml"
    database = {"insights": {"database": "i.sqlite3"}}
    on = KioskSettings.model_validate(database)
    off = KioskSettings.model_validate({"insights": {"database": "i.sqlite3", "enabled": False}})
    content = tmp_path / "content.yaml"
    assert open_insights(ShowOptions(content, record_insights=False), on, settings_file) is None
    assert open_insights(ShowOptions(content), off, settings_file) is None
    recorder = open_insights(ShowOptions(content), on, settings_file)
    assert recorder is not None
    try:
        assert recorder.path == tmp_path / "i.sqlite3"
    finally:
        recorder.close()
    args = build_parser().parse_args(["show", "--no-insights"])
    assert args.record_insights is False
    assert build_parser().parse_args(["show"]).record_insights is True


def test_the_presenter_window_shows_todays_visitors(morning, qtbot) -> None:
    from kiosk.ui.presenter import PresenterWindow

    presenter = PresenterWindow(morning.show.stage)
    qtbot.addWidget(presenter)
    assert presenter.visitors_label.isHidden()  # a show that records nothing says nothing
    presenter.set_visitor_count(morning.recorder.visitors_today)
    assert not presenter.visitors_label.isHidden()
    assert presenter.visitors_label.text() == "visitors today 2"


def test_a_new_release_is_recorded_from_the_next_touch_on(tmp_path, font_family, touch_device):
    from PySide6.QtCore import QPoint

    from kiosk.content import load_content

    run = start_recording_show(tmp_path, font_family, touch_device)
    try:
        run.at(5)
        run.touch([QPoint(900, 500), QPoint(900, 500)])
        (run.deck.parent / "manifest.json").write_text('{"version": "2025.04.0"}', "utf-8")
        run.show.player.set_content(load_content(run.deck))  # what LiveContent does on a save
        run.at(6)
        run.touch([QPoint(900, 500), QPoint(900, 500)])
        assert run.recorder.flush()
    finally:
        run.recorder.close()
        run.show.window.allow_close()
        run.show.window.close()
    assert _rows(run.database, "SELECT release FROM inputs ORDER BY id") == [
        (RELEASE,),
        ("2025.04.0",),
    ]


def test_a_touch_in_larger_text_is_recorded_with_its_text_scale(
    tmp_path, font_family, touch_device
):
    from PySide6.QtCore import QPoint

    run = start_recording_show(tmp_path, font_family, touch_device)
    try:
        run.at(5)
        run.touch([QPoint(900, 500), QPoint(900, 500)])
        run.show.player.set_choice("larger_text", True)  # the accessibility panel's switch
        run.at(6)
        run.touch([QPoint(900, 500), QPoint(900, 500)])
        assert run.recorder.flush()
    finally:
        run.recorder.close()
        run.show.window.allow_close()
        run.show.window.close()
    assert _rows(run.database, "SELECT text_scale FROM inputs ORDER BY id") == [(1.0,), (1.3,)]
