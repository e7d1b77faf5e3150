"""The staff exit: the keypad's PIN checks with a growing lockout, and the corner gesture.

In kiosk mode a visitor cannot close the show. Staff tap the top-left corner five times within
three seconds, then type a PIN on the on-screen keypad; it is checked against the stored hash
(`core/pin.py`).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from kiosk.core.pin import PIN_MAX_DIGITS, PIN_MIN_DIGITS, PinSource, verify_pin

log = logging.getLogger(__name__)

# --- the keypad's lockout ------------------------------------------------------------------

FREE_ATTEMPTS = 3  # wrong PINs in a row before the first lockout
FIRST_LOCKOUT_S = 30.0  # then each further wrong PIN doubles the lockout ...
MAX_LOCKOUT_S = 3600.0  # ... up to an hour
FAILURE_MEMORY_S = 24 * 3600.0  # a day without attempts forgets old typos

# --- the corner gesture --------------------------------------------------------------------

CORNER_SIZE = 120.0  # canvas pixels from the top-left corner, in both orientations
EXIT_TAPS = 5
EXIT_WINDOW_S = 3.0


# --- the keypad's state machine ------------------------------------------------------------


class StaffLock(QObject):
    """The staff keypad: digits typed so far, PIN checks and a growing lockout."""

    unlocked = Signal()  # the right PIN was submitted
    failed = Signal(int)  # a wrong PIN: wrong attempts in a row so far
    changed = Signal()  # something the keypad shows changed (dots, message, lockout)

    def __init__(
        self,
        store: PinSource,
        *,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self._digits = ""
        self._failures = 0
        self._last_failure = -FAILURE_MEMORY_S
        self._locked_until: float | None = None
        self._message = ""

    @property
    def entered_length(self) -> int:
        """How many digits are typed (the keypad shows this many dots)."""
        return len(self._digits)

    @property
    def failures(self) -> int:
        """Wrong PINs in a row."""
        return self._failures

    @property
    def locked_until(self) -> float | None:
        """Clock time the lockout ends, or None when there has been none."""
        return self._locked_until

    def lockout_remaining(self, now: float | None = None) -> float:
        """Seconds left in the lockout (0 when not locked)."""
        if self._locked_until is None:
            return 0.0
        now = self._clock() if now is None else now
        return max(0.0, self._locked_until - now)

    @property
    def message(self) -> str:
        """What the message line says, as a key: "", "wrong", "short", "locked", "no_pin"."""
        return "locked" if self.lockout_remaining() > 0 else self._message

    def press_digit(self, digit: str) -> None:
        """Type one digit (ignored while locked or at 12 digits)."""
        if len(digit) != 1 or digit not in "0123456789":
            raise ValueError("press_digit takes one of the characters 0-9")
        if self.lockout_remaining() > 0 or len(self._digits) >= PIN_MAX_DIGITS:
            return
        self._digits += digit
        self._message = ""
        self.changed.emit()

    def backspace(self) -> None:
        """Remove the last typed digit."""
        if self._digits:
            self._digits = self._digits[:-1]
            self.changed.emit()

    def clear(self) -> None:
        """Forget the typed digits and any old message (the keypad opens or closes)."""
        message = "no_pin" if self._store.load() is None else ""
        if self._digits or message != self._message:
            self._digits, self._message = "", message
            self.changed.emit()

    def submit(self) -> bool:
        """Check the typed digits; True (and `unlocked`) when they are the PIN."""
        now = self._clock()
        if self.lockout_remaining(now) > 0:
            return False
        stored = self._store.load()
        pin, self._digits = self._digits, ""
        if stored is None:
            self._message = "no_pin"
        elif len(pin) < PIN_MIN_DIGITS:
            self._message = "short"  # not counted: a slip of the finger, not a guess
        elif verify_pin(pin, stored):
            self._failures, self._locked_until, self._message = 0, None, ""
            log.info("staff PIN accepted")
            self.changed.emit()
            self.unlocked.emit()
            return True
        else:
            self._record_failure(now)
        self.changed.emit()
        return False

    def _record_failure(self, now: float) -> None:
        if now - self._last_failure > FAILURE_MEMORY_S:
            self._failures = 0
        self._failures += 1
        self._last_failure = now
        self._message = "wrong"
        if self._failures >= FREE_ATTEMPTS:
            doublings = min(self._failures - FREE_ATTEMPTS, 16)  # 2**16 is past the cap already
            seconds = min(FIRST_LOCKOUT_S * 2**doublings, MAX_LOCKOUT_S)
            self._locked_until = now + seconds
            self._message = ""  # "locked" shows while it lasts; afterwards a clean line
            log.warning(
                "wrong staff PIN (%d in a row): keypad locked for %d s", self._failures, seconds
            )
        else:
            log.warning("wrong staff PIN (%d in a row)", self._failures)
        self.failed.emit(self._failures)


# --- the corner gesture --------------------------------------------------------------------


class CornerTapDetector:
    """Recognises the staff gesture: EXIT_TAPS taps in the top-left corner within EXIT_WINDOW_S."""

    def __init__(
        self,
        *,
        size: float = CORNER_SIZE,
        taps: int = EXIT_TAPS,
        window_s: float = EXIT_WINDOW_S,
    ) -> None:
        self._size = size
        self._window_s = window_s
        self._times: deque[float] = deque(maxlen=taps)

    def in_corner(self, point_x: float, point_y: float) -> bool:
        """True when a canvas point is inside the corner region."""
        return 0 <= point_x < self._size and 0 <= point_y < self._size

    def tap(self, point_x: float, point_y: float, now: float) -> bool:
        """Record a tap (canvas coordinates, seconds); True when it completes the gesture."""
        if not self.in_corner(point_x, point_y):
            self._times.clear()
            return False
        self._times.append(now)
        if len(self._times) == self._times.maxlen and now - self._times[0] <= self._window_s:
            self._times.clear()
            return True
        return False

    def reset(self) -> None:
        """Forget the taps so far."""
        self._times.clear()
