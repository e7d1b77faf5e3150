"""Touch screens: one finger swipes or taps; more fingers are ignored (no pinch, no zoom)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF
from PySide6.QtGui import QTouchEvent

from kiosk.controllers.gestures import Stroke
from kiosk.controllers.strokes import StrokeSink, ToCanvas


class TouchController(QObject):
    """Turns QTouchEvents on the stage into strokes for the StrokeSink."""

    def __init__(
        self, sink: StrokeSink, to_canvas: ToCanvas, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._sink = sink
        self._to_canvas = to_canvas
        self._start: QPointF | None = None
        self._last: QPointF | None = None
        self._started_at = 0.0

    def watch(self, target: QObject) -> None:
        """Handle touches on `target` (the stage, which must accept touch events)."""
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Take touch events; everything else passes."""
        kind = event.type()
        if kind not in (
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.TouchEnd,
            QEvent.Type.TouchCancel,
        ) or not isinstance(event, QTouchEvent):
            return False
        event.accept()
        points = event.points()
        if kind == QEvent.Type.TouchCancel or len(points) > 1:
            self._start = None  # a second finger: not a gesture we act on
            return True
        if not points:
            return True
        position = self._to_canvas(points[0].position())
        if kind == QEvent.Type.TouchBegin:
            self._start, self._last, self._started_at = position, position, self._sink.now()
            self._sink.began()
        elif kind == QEvent.Type.TouchUpdate:
            self._last = position
        else:
            self._sink.note_touch_end()
            if self._start is not None:
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
