"""Keeping an unattended kiosk on screen: uncaught exceptions are logged once and the show
moves on, at a bounded rate (the last good content that survives restarts is in last_good.py)."""

from __future__ import annotations

import logging
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable
from types import TracebackType

log = logging.getLogger(__name__)

MOVE_ON_MIN_INTERVAL_S = 2.0  # at most one skip to the next slide this often, whatever fails
GIVE_UP_AFTER = 3  # a source failing this often within GIVE_UP_WINDOW_S no longer moves the show
GIVE_UP_WINDOW_S = 60.0


class ExceptionGuard:
    """sys.excepthook for the running show: log each distinct fault once, then move on.

    PySide reports exceptions raised in slots and virtual methods (paintEvent, eventFilter)
    through sys.excepthook and carries on; here they also skip to the next slide, so a
    visitor never stares at a half-drawn frame. A fault that comes back at frame rate must not
    flip slides at frame rate: the show moves on at most once per MOVE_ON_MIN_INTERVAL_S, and
    a source (the exception's type and place) that fails GIVE_UP_AFTER times within
    GIVE_UP_WINDOW_S is given up on: logged once, counted, and the show goes on without
    skipping for it.
    """

    def __init__(
        self, move_on: Callable[[], None], *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._move_on = move_on
        self._clock = clock
        self._seen: dict[str, int] = {}
        self._recent: dict[str, deque[float]] = {}
        self._given_up: set[str] = set()
        self._last_move_on = -float("inf")
        self._previous = sys.excepthook
        self._moving_on = False

    @property
    def given_up(self) -> frozenset[str]:
        """Sources that keep failing and no longer move the show on."""
        return frozenset(self._given_up)

    def install(self) -> None:
        """Become sys.excepthook."""
        sys.excepthook = self

    def uninstall(self) -> None:
        """Restore the previous hook."""
        sys.excepthook = self._previous

    def __call__(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        """Log (once per distinct place and type) and move on to the next slide."""
        if issubclass(kind, KeyboardInterrupt):
            self._previous(kind, error, trace)
            return
        frames = traceback.extract_tb(trace)
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
        key = f"{kind.__name__} at {where}"
        count = self._seen.get(key, 0) + 1
        self._seen[key] = count
        if count == 1:
            log.error(
                "uncaught %s: %s; moving on to the next slide",
                key,
                error,
                exc_info=(kind, error, trace),
            )
        elif count in (10, 100, 1000) or count % 10000 == 0:
            log.error("uncaught %s has now happened %d times", key, count)
        if self._keeps_failing(key):
            return
        now = self._clock()
        if self._moving_on or now - self._last_move_on < MOVE_ON_MIN_INTERVAL_S:
            return  # moving on raised too, or the show just moved on: not again so soon
        self._moving_on = True
        self._last_move_on = now
        try:
            self._move_on()
        except Exception:
            log.exception("moving on after an uncaught exception failed")
        finally:
            self._moving_on = False

    def _keeps_failing(self, key: str) -> bool:
        if key in self._given_up:
            return True
        now = self._clock()
        recent = self._recent.setdefault(key, deque(maxlen=GIVE_UP_AFTER))
        recent.append(now)
        if len(recent) < GIVE_UP_AFTER or now - recent[0] > GIVE_UP_WINDOW_S:
            return False
        self._given_up.add(key)
        log.error(
            "uncaught %s keeps failing (%d times in %.0f s): the show no longer skips slides "
            "for it and goes on",
            key,
            GIVE_UP_AFTER,
            now - recent[0],
        )
        return True
