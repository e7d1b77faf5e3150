"""People at the screen: keys and clickers, swipes and taps, the language switch, idle return."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from conftest import FakePinStore
from kiosk.controllers.bindings import KEY_BINDINGS
from kiosk.core.pin import hash_pin
from kiosk.core.player import Mode, Overlay

NEXT_KEYS = next(b for b in KEY_BINDINGS if b.help_en == "Next slide").keys
PREVIOUS_KEYS = next(b for b in KEY_BINDINGS if b.help_en == "Previous slide").keys


def _widget_point(show, name: str) -> QPoint:
    """Centre of the named tap target, in stage widget coordinates."""
    stage = show.stage
    canvas = stage.canvas_rect()
    for layer in stage._layers:
        if layer.visible():
            for target in layer.targets(canvas):
                if target.name == name:
                    return stage.to_widget(target.rect.center()).toPoint()
    raise AssertionError(f"no visible target {name}")


@pytest.mark.parametrize("key", NEXT_KEYS)
def test_every_next_key_of_the_table_advances_one_slide(make_show, qtbot, key) -> None:
    show = make_show()
    QTest.keyClick(show.window, key)
    assert show.player.index == 1
    assert show.player.mode is Mode.INTERACTIVE  # a presenter's key stops the loop


@pytest.mark.parametrize("key", PREVIOUS_KEYS)
def test_every_previous_key_of_the_table_goes_back(make_show, key) -> None:
    show = make_show(start_index=3)
    QTest.keyClick(show.window, key)
    assert show.player.index == 2


def test_home_end_and_number_then_enter(make_show) -> None:
    show = make_show()
    QTest.keyClick(show.window, Qt.Key.Key_End)
    assert show.player.index == 5
    QTest.keyClick(show.window, Qt.Key.Key_Home)
    assert show.player.index == 0
    QTest.keyClick(show.window, Qt.Key.Key_4)
    QTest.keyClick(show.window, Qt.Key.Key_Return)
    assert show.player.index == 3  # slide 4, counted from 1 as presenters say it


def test_b_blacks_out_the_screen_and_a_navigation_key_ends_it(make_show) -> None:
    show = make_show()
    QTest.keyClick(show.window, Qt.Key.Key_B)
    frame = show.stage.render_frame()
    assert {frame.pixelColor(x, y).name() for x in (10, 960, 1900) for y in (10, 540, 1070)} == {
        "#000000"
    }
    QTest.keyClick(show.window, Qt.Key.Key_Right)
    assert not show.player.blackout
    assert show.player.index == 1
    assert show.stage.render_frame().pixelColor(960, 540) != QColor("#000000")


def test_a_resumes_autoplay_after_a_presenter_key(make_show, qtbot) -> None:
    show = make_show()
    with qtbot.waitSignal(show.stage.entrance_finished, timeout=2000):
        QTest.keyClick(show.window, Qt.Key.Key_Right)
    assert show.player.mode is Mode.INTERACTIVE
    QTest.keyClick(show.window, Qt.Key.Key_A)
    assert show.player.mode is Mode.ATTRACT
    assert show.player.dwell_remaining_ms() > 0  # the clock runs again for this slide


def test_l_and_the_language_switch_change_the_whole_show(make_show) -> None:
    show = make_show()
    before = show.stage.render_frame()
    QTest.keyClick(show.window, Qt.Key.Key_L)
    assert show.player.language == "en"
    assert show.stage.render_frame() != before
    QTest.mouseClick(show.stage, Qt.MouseButton.LeftButton, pos=_widget_point(show, "language"))
    assert show.player.language == "zh"


def test_help_lists_every_binding_of_the_table_and_a_tap_closes_it(make_show) -> None:
    from kiosk.ui.panels import HelpLayer

    show = make_show()
    QTest.keyClick(show.window, Qt.Key.Key_H)
    assert show.player.overlay is Overlay.HELP
    layer = next(layer for layer in show.stage._layers if isinstance(layer, HelpLayer))
    shown = layer.rows()
    assert [keys for keys, _ in shown[: len(KEY_BINDINGS)]] == [b.labels for b in KEY_BINDINGS]
    assert [words for _, words in shown[: len(KEY_BINDINGS)]] == [b.help_zh for b in KEY_BINDINGS]
    QTest.mouseClick(show.stage, Qt.MouseButton.LeftButton, pos=QPoint(960, 540))
    assert show.player.overlay is Overlay.NONE
    assert show.player.index == 0  # the tap closed the help and did nothing else


def test_overview_jumps_to_the_tapped_slide(make_show) -> None:
    show = make_show()
    QTest.keyClick(show.window, Qt.Key.Key_O)
    assert show.player.overlay is Overlay.OVERVIEW
    QTest.mouseClick(show.stage, Qt.MouseButton.LeftButton, pos=_widget_point(show, "slide:4"))
    assert show.player.index == 4
    assert show.player.overlay is Overlay.NONE


def test_tapping_a_dot_or_a_chapter_jumps_there(make_show) -> None:
    show = make_show()
    QTest.mouseClick(show.stage, Qt.MouseButton.LeftButton, pos=_widget_point(show, "dot:5"))
    assert show.player.index == 5
    QTest.mouseClick(show.stage, Qt.MouseButton.LeftButton, pos=_widget_point(show, "chapter:3"))
    assert show.player.index == 3


def test_touch_targets_are_at_least_48_canvas_pixels(make_show) -> None:
    for size in ((1920, 1080), (1080, 1920)):
        show = make_show(size=size)
        canvas = show.stage.canvas_rect()
        for layer in show.stage._layers:
            if layer.visible():
                for target in layer.targets(canvas):
                    assert target.rect.width() >= 48 and target.rect.height() >= 48, target.name


def _drag(show, start: QPoint, end: QPoint) -> None:
    QTest.mousePress(show.stage, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(show.stage, end)
    QTest.mouseRelease(show.stage, Qt.MouseButton.LeftButton, pos=end)


def test_a_mouse_drag_swipes_one_slide_per_gesture(make_show) -> None:
    show = make_show()
    _drag(show, QPoint(1400, 500), QPoint(600, 520))
    assert show.player.index == 1
    _drag(show, QPoint(600, 500), QPoint(1400, 480))
    assert show.player.index == 0
    _drag(show, QPoint(900, 500), QPoint(1000, 900))  # mostly vertical, downwards: previous
    assert show.player.index == 5  # the deck loops


def _touch_stroke(show, points: list[QPoint]) -> None:
    """Press, move and release one finger, each step committed as its own touch event.

    Sent to the window (the stage fills it) with autoCommit off: PySide's chained
    `touchEvent(widget, ...).press(...).commit()` delivers nothing on the offscreen platform.
    """
    device = _touch_stroke.device  # type: ignore[attr-defined]
    steps = [("press", points[0])] + [("move", p) for p in points[1:-1]]
    steps.append(("release", points[-1]))
    for verb, point in steps:
        sequence = QTest.touchEvent(show.window, device, False)
        getattr(sequence, verb)(0, point)
        sequence.commit()


@pytest.fixture
def touch_device(qapp):
    _touch_stroke.device = QTest.createTouchDevice()  # type: ignore[attr-defined]
    return _touch_stroke.device  # type: ignore[attr-defined]


def test_a_touch_swipe_goes_forward_and_the_first_touch_pauses_the_loop(
    make_show,
    touch_device,
) -> None:
    show = make_show()
    assert show.player.mode is Mode.ATTRACT
    _touch_stroke(show, [QPoint(1500, 600), QPoint(1100, 600), QPoint(500, 610)])
    assert show.player.index == 1
    assert show.player.mode is Mode.INTERACTIVE


def test_exactly_one_action_per_tap_even_when_qt_also_sends_a_mouse_click(
    make_show,
    touch_device,
) -> None:
    show = make_show()
    moves: list[int] = []
    show.player.position_changed.connect(lambda index, _direction: moves.append(index))
    edge = QPoint(1880, 540)  # the right edge: a tap there goes forward
    _touch_stroke(show, [edge, edge])
    QTest.mouseClick(show.stage, Qt.MouseButton.LeftButton, pos=edge)  # the platform's echo
    assert moves == [1]


def test_idle_timeout_returns_to_the_cover_in_attract_mode_with_a_countdown(
    make_show,
    fake_clock,
) -> None:
    show = make_show(clock=fake_clock)
    player = show.player
    QTest.keyClick(show.window, Qt.Key.Key_Right)
    QTest.keyClick(show.window, Qt.Key.Key_L)
    assert (player.index, player.language, player.mode) == (1, "en", Mode.INTERACTIVE)
    fake_clock.advance(55)
    player.check_idle()
    assert player.idle_countdown == 5  # visitors see the last seconds counted down
    fake_clock.advance(5.5)
    player.check_idle()
    assert (player.index, player.language, player.mode) == (0, "zh", Mode.ATTRACT)
    assert player.idle_countdown == -1


def test_input_during_the_countdown_keeps_the_visitor_where_they_are(
    make_show,
    fake_clock,
) -> None:
    show = make_show(clock=fake_clock)
    QTest.keyClick(show.window, Qt.Key.Key_Right)
    fake_clock.advance(57)
    show.player.check_idle()
    assert show.player.idle_countdown >= 0
    QTest.mouseClick(show.stage, Qt.MouseButton.LeftButton, pos=QPoint(960, 540))
    assert show.player.idle_countdown == -1
    fake_clock.advance(30)
    show.player.check_idle()
    assert show.player.index == 1


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    ],
)
def test_kiosk_mode_cannot_be_closed_by_a_visitor(make_show, key, modifier) -> None:
    show = make_show()
    QTest.keyClick(show.window, key, modifier)
    assert show.window.isVisible()
    assert not show.window.close()  # the close event is refused too
    assert show.window.isVisible()


def test_windowed_mode_closes_normally(make_show) -> None:
    show = make_show(kiosk=False)
    assert show.window.close()


def test_swipes_are_ignored_behind_the_staff_keypad(make_show) -> None:
    show = make_show()
    show.player.set_overlay(Overlay.STAFF)
    _drag(show, QPoint(1400, 500), QPoint(600, 520))
    assert show.player.index == 0


def test_tap_point_maps_to_canvas_at_4k(make_show) -> None:
    show = make_show(size=(3840, 2160))
    assert show.stage.to_canvas(QPointF(3840, 2160)) == QPointF(1920, 1080)
    QTest.mouseClick(show.stage, Qt.MouseButton.LeftButton, pos=_widget_point(show, "dot:2"))
    assert show.player.index == 2


def test_staff_exit_five_corner_taps_then_the_pin_closes_the_kiosk(make_show, fake_clock) -> None:
    show = make_show(clock=fake_clock, pin_store=FakePinStore(hash_pin("2468")))
    corner = QPoint(30, 30)
    for _ in range(5):
        QTest.mouseClick(show.stage, Qt.MouseButton.LeftButton, pos=corner)
        fake_clock.advance(0.3)
    assert show.player.overlay is Overlay.STAFF
    assert show.player.index == 0  # corner taps never navigated
    for key in ("keypad:2", "keypad:4", "keypad:6", "keypad:8", "keypad:ok"):
        QTest.mouseClick(show.stage, Qt.MouseButton.LeftButton, pos=_widget_point(show, key))
    assert not show.window.isVisible()


def test_a_wrong_pin_typed_on_a_keyboard_keeps_the_kiosk_open(make_show, fake_clock) -> None:
    show = make_show(clock=fake_clock, pin_store=FakePinStore(hash_pin("2468")))
    show.player.set_overlay(Overlay.STAFF)
    for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_Return):
        QTest.keyClick(show.window, key)
    assert show.window.isVisible()
    assert show.lock.failures == 1
    QTest.keyClick(show.window, Qt.Key.Key_Escape)
    assert show.player.overlay is Overlay.NONE


def _quick_clicks(show, pos: QPoint, count: int) -> None:
    """Clicks as Qt delivers them when they come quickly: the second press of each pair is a
    double-click event (press, release, double click, release), not a press."""
    point = QPointF(pos)
    for number in range(count):
        kind = QEvent.Type.MouseButtonDblClick if number % 2 else QEvent.Type.MouseButtonPress
        for event_type, buttons in (
            (kind, Qt.MouseButton.LeftButton),
            (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
        ):
            event = QMouseEvent(
                event_type,
                point,
                show.stage.mapToGlobal(point),
                Qt.MouseButton.LeftButton,
                buttons,
                Qt.KeyboardModifier.NoModifier,
            )
            QApplication.sendEvent(show.stage, event)


def test_quick_clicks_on_the_edge_step_once_each(make_show) -> None:
    show = make_show()
    moves: list[int] = []
    show.player.position_changed.connect(lambda index, _direction: moves.append(index))
    _quick_clicks(show, QPoint(1880, 540), 4)
    assert moves == [1, 2, 3, 4]


def test_quick_touch_taps_step_once_each(make_show, touch_device) -> None:
    show = make_show()
    moves: list[int] = []
    show.player.position_changed.connect(lambda index, _direction: moves.append(index))
    edge = QPoint(1880, 540)
    for _ in range(4):
        _touch_stroke(show, [edge, edge])
    assert moves == [1, 2, 3, 4]


def test_five_quick_corner_clicks_open_the_staff_keypad(make_show) -> None:
    show = make_show()
    _quick_clicks(show, QPoint(30, 30), 5)
    assert show.player.overlay is Overlay.STAFF
    assert show.player.index == 0
