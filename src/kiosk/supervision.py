"""Keeping an unattended kiosk on screen: uncaught exceptions are logged once and the show
moves on (the last good content that survives restarts is in last_good.py)."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

log = logging.getLogger(__name__)


class ExceptionGuard:
    """sys.excepthook for the running show: log each distinct fault once, then move on.

    PySide reports exceptions raised in slots and virtual methods (paintEvent, eventFilter)
    through sys.excepthook and carries on; here they also skip to the next slide, so a
    visitor never stares at a half-drawn frame.
    """

    def __init__(self, move_on: Callable[[], None]) -> None:
        self._move_on = move_on
        self._seen: dict[str, int] = {}
        self._previous = sys.excepthook
        self._moving_on = False

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
        if self._moving_on:  # moving on raised too (e.g. painting the outgoing frame): stop
            return
        self._moving_on = True
        try:
            self._move_on()
        except Exception:
            log.exception("moving on after an uncaught exception failed")
        finally:
            self._moving_on = False
