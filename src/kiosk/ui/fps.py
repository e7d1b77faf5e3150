"""A frame-time readout for staff tuning a kiosk PC: a small box at the top left of the stage.

It listens to the stage: a paint event starting (an event filter sees it before `paintEvent`)
and `frame_painted` at its end give the paint time; the time between two `frame_painted` give
the frame interval. It never asks for frames itself (`frame_interval` is 0), so an idle kiosk
stays idle: the box shows the last figures and is refreshed whenever the stage paints anyway.
"""

from __future__ import annotations

import statistics
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

from kiosk.slides.theme import SlideTheme
from kiosk.ui.layers import HitTarget

WINDOW = 60  # frames the figures are taken over (one second at 60 Hz)
IDLE_GAP_S = 0.5  # a longer pause between paints is idleness, not a frame interval
BOX = QRectF(16, 12, 420, 76)  # canvas px: above the slide titles (they start at y = 88)


class FpsLayer(QObject):
    """Median and max frame interval and paint time of the last 60 frames, in ms."""

    def __init__(
        self,
        stage: QWidget,
        theme: Callable[[], SlideTheme],
        *,
        enabled: bool = True,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        super().__init__(stage)
        self._theme = theme
        self._clock = clock
        self.enabled = enabled
        self._intervals: deque[float] = deque(maxlen=WINDOW)
        self._paints: deque[float] = deque(maxlen=WINDOW)
        self._paint_started: float | None = None
        self._last_painted: float | None = None
        stage.installEventFilter(self)
        stage.frame_painted.connect(self._on_stage_frame_painted)  # type: ignore[attr-defined]

    # --- measuring -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note when the stage starts painting; never consumes the event."""
        if event.type() == QEvent.Type.Paint:
            self._paint_started = self._clock()
        return False

    def _on_stage_frame_painted(self) -> None:
        now = self._clock()
        if self._paint_started is not None:
            self._paints.append(now - self._paint_started)
            self._paint_started = None
        if self._last_painted is not None and now - self._last_painted <= IDLE_GAP_S:
            self._intervals.append(now - self._last_painted)
        self._last_painted = now

    def figures(self) -> dict[str, float | None]:
        """Median and max of the recorded frame intervals and paint times, in ms (None: none)."""

        def ms(values: deque[float], pick: Callable[[deque[float]], float]) -> float | None:
            return pick(values) * 1000.0 if values else None

        return {
            "interval_median": ms(self._intervals, statistics.median),
            "interval_max": ms(self._intervals, max),
            "paint_median": ms(self._paints, statistics.median),
            "paint_max": ms(self._paints, max),
        }

    def lines(self) -> list[str]:
        """The two lines of the box."""
        found = self.figures()

        def text(value: float | None) -> str:
            return "   –" if value is None else f"{value:5.1f}"

        return [
            f"frame {text(found['interval_median'])} med {text(found['interval_max'])} max ms",
            f"paint {text(found['paint_median'])} med {text(found['paint_max'])} max ms",
        ]

    # --- Layer -----------------------------------------------------------------------------

    def visible(self) -> bool:
        """Shown while enabled."""
        return self.enabled

    def modal(self) -> bool:
        """Taps pass through."""
        return False

    def frame_interval(self, now: float) -> int:
        """Never forces frames: an idle kiosk keeps showing the last figures."""
        return 0

    def paint(self, painter: QPainter, canvas: QRectF, now: float) -> None:
        """A translucent box with the figures."""
        theme = self._theme()
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 170))
        painter.drawRoundedRect(BOX, 8, 8)
        painter.setPen(QColor(theme.text))
        font = theme.font(24, latin=True)
        font.setFeature(QFont.Tag("tnum"), 1)  # digits of one width: the figures stay put
        painter.setFont(font)
        line_height = BOX.height() / 2
        for number, line in enumerate(self.lines()):
            rect = QRectF(
                BOX.left() + 14, BOX.top() + number * line_height, BOX.width() - 28, line_height
            )
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, line)
        painter.restore()

    def targets(self, canvas: QRectF) -> list[HitTarget]:
        """Nothing to tap."""
        return []
