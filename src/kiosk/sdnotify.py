"""systemd's notify protocol, spoken over its socket in a few lines (no dependency).

`READY=1` is sent once the first frame is painted; `WATCHDOG=1` pings come from a timer on
the GUI thread, so a blocked event loop stops them and systemd restarts the kiosk.
"""

from __future__ import annotations

import logging
import os
import socket

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)


def notify(message: str, socket_path: str | None = None) -> bool:
    """Send one notification; False when not run by systemd (no NOTIFY_SOCKET)."""
    target = socket_path if socket_path is not None else os.environ.get("NOTIFY_SOCKET")
    if not target:
        return False
    address = "\0" + target[1:] if target.startswith("@") else target  # abstract namespace
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.sendto(message.encode("utf-8"), address)
    except OSError as error:
        log.warning("sd_notify %r failed: %s", message, error)
        return False
    return True


def watchdog_interval_ms() -> int | None:
    """Half of systemd's WatchdogSec for this process, or None when there is no watchdog."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or (pid and pid != str(os.getpid())):
        return None
    try:
        return max(50, int(usec) // 2000)
    except ValueError:
        return None


class Watchdog(QObject):
    """Pings systemd's watchdog from the GUI thread while the event loop turns."""

    def __init__(
        self, interval_ms: int, socket_path: str | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._socket_path = socket_path
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        """Ping now and then every interval."""
        self._on_timer_timeout()
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        notify("WATCHDOG=1", self._socket_path)
