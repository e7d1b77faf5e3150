"""The Player's clocks: monotonic seconds for durations, wall-clock UTC seconds for the hall's
calendar and the common timeline, and the two timers that watch the calendar.

The calendar's next change gets a timer of its own; a re-check every minute also catches
what no timer can foresee: a clock stepped by hand or by NTP, a suspended machine. A step of
more than JUMP_S between the two clocks is logged.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

log = logging.getLogger(__name__)

RECHECK_MS = 60_000  # the calendar is looked at again every minute
JUMP_S = 2.0  # wall time that moved this much more (or less) than monotonic time jumped
MAX_TIMER_MS = 6 * 3600 * 1000  # far changes are reached through shorter timers


class HallClock(QObject):
    """Monotonic and wall time, and the timers of the calendar's changes."""

    changed = Signal()  # the calendar may have changed: the next change is due, or a minute

    def __init__(
        self,
        monotonic: Callable[[], float],
        wall: Callable[[], float],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.monotonic = monotonic
        self.wall = wall
        self._offset = wall() - monotonic()
        self._next = QTimer(self)
        self._next.setSingleShot(True)
        self._next.setTimerType(Qt.TimerType.PreciseTimer)
        self._next.timeout.connect(self.changed)
        self._recheck = QTimer(self)
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self._on_recheck_timeout)

    def watch(self, next_change: float | None, *, recheck: bool) -> None:
        """Fire `changed` at UTC `next_change` (None: no change ahead) and, with `recheck`,
        every minute."""
        if next_change is None:
            self._next.stop()
        else:
            left_ms = math.ceil((next_change - self.wall()) * 1000)
            self._next.start(max(0, min(left_ms, MAX_TIMER_MS)))
        if not recheck:
            self._recheck.stop()
        elif not self._recheck.isActive():
            self._recheck.start()

    def next_change_ms(self) -> int:
        """Milliseconds until the timer of the next change fires, or -1 (tests)."""
        return self._next.remainingTime() if self._next.isActive() else -1

    def _on_recheck_timeout(self) -> None:
        offset = self.wall() - self.monotonic()
        step = offset - self._offset
        if abs(step) > JUMP_S:
            log.warning("the clock jumped by %+.1f s; the hall's calendar is looked at again", step)
        self._offset = offset
        self.changed.emit()

    def check_now(self) -> None:
        """Look at the clock at once (what the minute's re-check does; tests call it)."""
        self._on_recheck_timeout()


def simulated_wall_clock(start: float, monotonic: Callable[[], float]) -> Callable[[], float]:
    """A wall clock that starts at UTC `start` now and runs at normal speed (`kiosk show
    --at`: staff rehearse a day of the hall)."""
    origin = monotonic()
    return lambda: start + (monotonic() - origin)
