"""What a finished touch or mouse stroke does: shared by the touch and pointer controllers."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QPointF

from kiosk.controllers.gestures import Gesture, Stroke, recognize
from kiosk.core.player import Overlay, Player

ToCanvas = Callable[[QPointF], QPointF]  # widget position -> canvas position

HitTest = Callable[[QPointF], Callable[[], None] | None]  # canvas point -> the tapped action
# Sees every tap first (canvas x, y, time); True claims it, e.g. the staff exit corner.
TapObserver = Callable[[float, float, float], bool]
# Sees every finished stroke and what it was recognised as, before it acts (the insights).
StrokeObserver = Callable[[Stroke, Gesture], None]
EDGE_FRACTION = 0.12  # taps on the outer 12 % of the width go back / forward
SYNTHESIZED_MOUSE_WINDOW_S = 0.7  # a mouse press this soon after a touch is the same finger


class StrokeSink:
    """Turns strokes into exactly one Player action each."""

    def __init__(
        self,
        player: Player,
        hit_test: HitTest,
        canvas_width: Callable[[], float],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._player = player
        self._hit_test = hit_test
        self._canvas_width = canvas_width
        self._clock = clock
        self._last_touch_end = -1e9
        self.tap_observers: list[TapObserver] = []
        self.stroke_observers: list[StrokeObserver] = []

    def now(self) -> float:
        """The sink's clock (seconds)."""
        return self._clock()

    def note_touch_end(self) -> None:
        """Remember a touch just ended, to drop the mouse events Qt may synthesise from it."""
        self._last_touch_end = self._clock()

    def is_echo_of_touch(self) -> bool:
        """True when a mouse event comes right after a touch: the same finger, seen twice."""
        return self._clock() - self._last_touch_end < SYNTHESIZED_MOUSE_WINDOW_S

    def began(self) -> None:
        """A finger or button went down: report user input first (pauses the loop)."""
        self._player.report_user_input()

    def finished(self, stroke: Stroke) -> Gesture:
        """Act on a finished stroke; returns what it was recognised as."""
        gesture = recognize(stroke)
        for observer in self.stroke_observers:
            observer(stroke, gesture)
        staff = self._player.overlay is Overlay.STAFF
        if gesture is Gesture.TAP:
            claimed = False
            for observer in self.tap_observers:
                claimed = observer(stroke.x1, stroke.y1, self._clock()) or claimed
            if not claimed:
                self._tap(QPointF(stroke.x1, stroke.y1))
        elif staff:
            pass  # swipes never move the show behind the staff keypad
        elif gesture in (Gesture.SWIPE_LEFT, Gesture.SWIPE_UP):
            self._close_panels()
            self._player.next()
        elif gesture in (Gesture.SWIPE_RIGHT, Gesture.SWIPE_DOWN):
            self._close_panels()
            self._player.previous()
        return gesture

    def _close_panels(self) -> None:
        if self._player.overlay in (Overlay.OVERVIEW, Overlay.HELP, Overlay.ACCESS):
            self._player.set_overlay(Overlay.NONE)

    def _tap(self, point: QPointF) -> None:
        action = self._hit_test(point)
        if action is not None:
            action()
            return
        if self._player.overlay is not Overlay.NONE:
            return  # a tap beside a panel's targets does nothing (the panel is modal)
        width = self._canvas_width()
        if point.x() < width * EDGE_FRACTION:
            self._player.previous()
        elif point.x() > width * (1 - EDGE_FRACTION):
            self._player.next()
