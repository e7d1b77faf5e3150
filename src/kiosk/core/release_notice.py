"""Staff are warned when the fleet release on screen has expired (its mirror may be frozen).

The show keeps playing it: an expired release is old, not wrong. The check reads manifest.json
beside the content file (none: the content is not a fleet release, and nothing is said).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.fleet.release import release_notice

log = logging.getLogger(__name__)

CHECK_MS = 60_000  # expiry is a matter of days: once a minute is plenty


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ReleaseNotice(QObject):
    """Emits `notice_changed` with a warning for staff, or "" when there is none."""

    notice_changed = Signal(str)

    def __init__(
        self,
        content_path: Path,
        *,
        clock: Callable[[], datetime] = _utc_now,
        check_ms: int = CHECK_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._path = content_path
        self._clock = clock
        self._text = ""
        self._timer = QTimer(self)
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self.check_now)

    @property
    def text(self) -> str:
        """The current warning ("" for none)."""
        return self._text

    def start(self) -> None:
        """Check now and then every `check_ms`."""
        self.check_now()
        self._timer.start()

    def check_now(self) -> None:
        """Read the release's manifest again; emit on a change (logged once per change)."""
        text = release_notice(self._path, self._clock()) or ""
        if text == self._text:
            return
        self._text = text
        if text:
            log.warning("%s", text)
        else:
            log.info("the release on screen is current again")
        self.notice_changed.emit(text)
