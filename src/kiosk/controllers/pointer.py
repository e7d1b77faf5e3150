"""Mouse and pen: a drag swipes, a click taps (however quick the clicks come); mouse events Qt
made from a touch are dropped."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QInputDevice, QMouseEvent

from kiosk.controllers.gestures import Stroke
from kiosk.controllers.strokes import StrokeSink, ToCanvas


class PointerController(QObject):
    """Turns left-button mouse strokes on the stage into strokes for the StrokeSink."""

    def __init__(
        self, sink: StrokeSink, to_canvas: ToCanvas, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._sink = sink
        self._to_canvas = to_canvas
        self._start: QPointF | None = None
        self._started_at = 0.0

    def watch(self, target: QObject) -> None:
        """Handle mouse events on `target` (the stage)."""
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Take mouse presses (a double click's second press too) and releases; swallow context
        menus."""
        kind = event.type()
        if kind == QEvent.Type.ContextMenu:
            return True  # no menus in a kiosk
        if kind not in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
        ) or not isinstance(event, QMouseEvent):
            return False
        if self._from_touch(event):
            return True  # the touch controller already acted on this finger
        if event.button() != Qt.MouseButton.LeftButton:
            return True
        position = self._to_canvas(event.position())
        # Qt reports the second press of a quick pair as a double click instead of a press:
        # it is a press like any other, or quick taps on "next" would be lost.
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self._start, self._started_at = position, self._sink.now()
            self._sink.began()
        elif self._start is not None:
            start, self._start = self._start, None
            self._sink.finished(
                Stroke(
                    start.x(),
                    start.y(),
                    position.x(),
                    position.y(),
                    self._sink.now() - self._started_at,
                )
            )
        return True

    def _from_touch(self, event: QMouseEvent) -> bool:
        device = event.pointingDevice()
        if device is not None and device.type() == QInputDevice.DeviceType.TouchScreen:
            return True
        return self._sink.is_echo_of_touch()
