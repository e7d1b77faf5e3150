"""Months unattended: faults that are logged once while the show goes on (a slot, a view or a
layer that raises). The last good content at start is in test_last_good.py."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.supervision import ExceptionGuard

# --- ExceptionGuard --------------------------------------------------------------------------


class _Sensor(QObject):
    """Something that emits a signal from the event loop."""

    reading_arrived = Signal()


def _guard_errors(caplog) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name == "kiosk.supervision" and r.levelno == logging.ERROR
    ]


@pytest.fixture
def guarded(qtbot) -> Iterator:
    """An installed ExceptionGuard counting its move-ons, and a sensor whose slot raises."""
    moves: list[int] = []
    guard = ExceptionGuard(lambda: moves.append(1))
    sensor = _Sensor()

    def on_sensor_reading_arrived() -> None:
        raise ValueError("the sensor says no")

    sensor.reading_arrived.connect(on_sensor_reading_arrived)
    guard.install()
    try:
        yield guard, sensor, moves
    finally:
        guard.uninstall()


def test_a_fault_in_a_slot_is_logged_and_the_show_moves_on(guarded, qtbot, caplog) -> None:
    guard, sensor, moves = guarded
    assert sys.excepthook is guard
    QTimer.singleShot(0, sensor.reading_arrived.emit)
    qtbot.waitUntil(lambda: len(moves) == 1)
    [record] = _guard_errors(caplog)
    assert "uncaught ValueError at" in record.getMessage()
    assert "test_supervision.py" in record.getMessage()
    assert "the sensor says no" in record.getMessage()
    assert record.exc_info is not None  # the traceback is in the log


def test_the_same_fault_again_and_again_is_logged_once(guarded, qtbot, caplog) -> None:
    _guard, sensor, moves = guarded
    for _ in range(5):
        QTimer.singleShot(0, sensor.reading_arrived.emit)
    qtbot.waitUntil(lambda: len(moves) == 5)
    assert len(_guard_errors(caplog)) == 1
    for _ in range(5):
        QTimer.singleShot(0, sensor.reading_arrived.emit)
    qtbot.waitUntil(lambda: len(moves) == 10)
    messages = [r.getMessage() for r in _guard_errors(caplog)]
    assert len(messages) == 2
    assert messages[1].endswith("has now happened 10 times")


def test_the_guard_uninstalls_to_the_previous_hook(monkeypatch) -> None:
    previous = lambda *args: None  # noqa: E731
    monkeypatch.setattr(sys, "excepthook", previous)
    guard = ExceptionGuard(lambda: None)
    guard.install()
    assert sys.excepthook is guard
    guard.uninstall()
    assert sys.excepthook is previous


def test_keyboard_interrupt_goes_to_the_previous_hook(monkeypatch, caplog) -> None:
    seen: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, error, trace: seen.append(kind))
    moves: list[int] = []
    guard = ExceptionGuard(lambda: moves.append(1))
    guard(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert seen == [KeyboardInterrupt]
    assert moves == []
    assert caplog.records == []


def test_a_failing_move_on_is_logged_not_raised(caplog) -> None:
    def move_on() -> None:
        raise RuntimeError("no next slide")

    guard = ExceptionGuard(move_on)
    try:
        raise ValueError("first fault")
    except ValueError as error:
        guard(ValueError, error, error.__traceback__)
    assert "moving on after an uncaught exception failed" in caplog.text


# --- the wired show --------------------------------------------------------------------------


def test_the_show_survives_a_view_that_raises_in_paint(
    make_show, qtbot, monkeypatch, caplog
) -> None:
    """The stage logs the fault once, paints the background instead and skips the slide.

    Nothing may escape paintEvent: pytest-qt fails the test on any exception Qt reports.
    """
    show = make_show()
    stage, player = show.stage, show.player
    assert player.index == 0
    view = stage.views[player.index]

    def paint_content(*_args: object) -> None:
        raise RuntimeError("a bug in this view")

    monkeypatch.setattr(view, "paint_content", paint_content)
    for _ in range(3):
        player.toggle_language()  # the settled image is painted anew
        stage.repaint()
    qtbot.waitUntil(lambda: player.index == 1)
    stage.repaint()  # the next slide paints as usual
    failures = [r for r in caplog.records if "failed to paint" in r.getMessage()]
    assert len(failures) == 1
    assert "slide cover" in failures[0].getMessage()
    assert failures[0].exc_info is not None
    assert failures[0].exc_info[0] is RuntimeError


def test_a_layer_that_raises_while_painting_is_hidden_and_the_show_stays(
    make_show, qtbot, monkeypatch
) -> None:
    """One broken overlay must neither crash the kiosk nor make it flip slides."""
    show = make_show()
    from kiosk.supervision import ExceptionGuard

    guard = ExceptionGuard(show.player.next)
    guard.install()
    seen = []
    show.player.position_changed.connect(lambda i, d: seen.append(i))
    try:
        layer = show.stage._layers[0]

        def paint(*_args: object) -> None:
            raise RuntimeError("layer bug")

        monkeypatch.setattr(layer, "paint", paint)
        show.stage.update()
        qtbot.wait(1000)
    finally:
        guard.uninstall()
    assert seen == []
    assert show.window.isVisible()
