"""Months unattended: faults that are logged once while the show goes on (a slot, a view or a
layer that raises). The last good content at start is in test_last_good.py."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, QPointF, QTimer, Signal

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


def _raise_at(place: str) -> BaseException:
    """An exception raised (and caught) at a distinct line per `place`: a distinct source."""
    try:
        if place == "a":
            raise ValueError("fault a")
        raise KeyError("fault b")
    except (ValueError, KeyError) as error:
        return error


def _feed(guard: ExceptionGuard, error: BaseException) -> None:
    guard(type(error), error, error.__traceback__)


def test_the_same_fault_again_and_again_is_logged_once_and_given_up(fake_clock, caplog) -> None:
    moves: list[float] = []
    guard = ExceptionGuard(lambda: moves.append(fake_clock.now), clock=fake_clock)
    for _ in range(10):  # at frame rate: 10 faults in ~0.16 s
        _feed(guard, _raise_at("a"))
        fake_clock.advance(0.016)
    assert len(moves) == 1  # not one slide per frame
    messages = [r.getMessage() for r in _guard_errors(caplog)]
    assert messages[0].startswith("uncaught ValueError at")
    assert "keeps failing (3 times" in messages[1]
    assert messages[2].endswith("has now happened 10 times")
    assert len(messages) == 3
    [given_up] = guard.given_up
    assert given_up.startswith("ValueError at")
    fake_clock.advance(300)
    _feed(guard, _raise_at("a"))  # given up for good: the show no longer skips for it
    assert len(moves) == 1
    _feed(guard, _raise_at("b"))  # another fault still moves the show on
    assert len(moves) == 2


def test_faults_move_the_show_on_at_most_every_two_seconds(fake_clock) -> None:
    from kiosk.supervision import MOVE_ON_MIN_INTERVAL_S

    moves: list[float] = []
    guard = ExceptionGuard(lambda: moves.append(fake_clock.now), clock=fake_clock)
    _feed(guard, _raise_at("a"))
    fake_clock.advance(MOVE_ON_MIN_INTERVAL_S / 2)
    _feed(guard, _raise_at("b"))
    assert len(moves) == 1
    fake_clock.advance(MOVE_ON_MIN_INTERVAL_S)
    _feed(guard, _raise_at("b"))
    assert len(moves) == 2


def test_a_fault_now_and_then_moves_the_show_on_each_time(fake_clock) -> None:
    moves: list[float] = []
    guard = ExceptionGuard(lambda: moves.append(fake_clock.now), clock=fake_clock)
    for _ in range(6):  # once every two minutes: not "keeps failing"
        _feed(guard, _raise_at("a"))
        fake_clock.advance(120)
    assert len(moves) == 6
    assert guard.given_up == frozenset()


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


@pytest.mark.parametrize("call", ["paint", "frame_interval", "targets", "visible"])
def test_a_layer_that_raises_is_hidden_and_the_show_stays(
    make_show, qtbot, monkeypatch, caplog, call
) -> None:
    """One broken overlay must neither crash the kiosk nor make it flip slides, whichever of
    its per-frame calls raises."""
    show = make_show()
    guard = ExceptionGuard(show.player.next)
    guard.install()
    seen = []
    show.player.position_changed.connect(lambda i, d: seen.append(i))
    stack = show.stage._layers
    layer = next(layer for layer in stack if layer.visible())  # one that paints and is tapped
    try:

        def broken(*_args: object) -> None:
            raise RuntimeError(f"layer bug in {call}")

        monkeypatch.setattr(layer, call, broken)
        show.stage.update()
        show.stage.hit_test(QPointF(10, 10))  # a tap asks every layer for its targets
        qtbot.waitUntil(lambda: stack.failed(layer))
        for _ in range(5):
            show.stage.repaint()
            show.stage.hit_test(QPointF(10, 10))
    finally:
        guard.uninstall()
    assert seen == []
    assert show.window.isVisible()
    failures = [
        r for r in caplog.records if "failed" in r.getMessage() and "hidden" in r.getMessage()
    ]
    assert len(failures) == 1, [r.getMessage() for r in caplog.records]
    assert not any(r.name == "kiosk.supervision" for r in caplog.records)  # nothing uncaught


def test_a_hidden_or_broken_modal_layer_catches_no_taps(make_show, monkeypatch) -> None:
    """The staff keypad takes every tap while it is open; closed or broken, it takes none."""
    from kiosk.core.player import Overlay
    from kiosk.ui.keypad import StaffKeypadLayer

    show = make_show()
    stage = show.stage
    keypad = next(layer for layer in stage._layers if isinstance(layer, StaffKeypadLayer))
    canvas = stage.canvas_rect()
    dot = next(
        target
        for layer in stage._layers
        for target in layer.targets(canvas)
        if target.name.startswith("dot:")
    )
    where = dot.rect.center() * stage.scale()
    assert stage.hit_test(where).name == dot.name  # the keypad is closed: the dot is tapped
    show.player.set_overlay(Overlay.STAFF)
    assert keypad.visible() and keypad.modal()
    found = stage.hit_test(where)
    assert found is None or not found.name.startswith("dot:")  # modal: nothing below it

    def broken(*_args: object) -> None:
        raise RuntimeError("keypad bug")

    monkeypatch.setattr(keypad, "paint", broken)
    stage.repaint()  # the keypad fails to paint: hidden from now on
    assert stage._layers.failed(keypad)
    assert stage.hit_test(where).name == dot.name  # invisible, so it catches nothing
