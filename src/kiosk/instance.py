"""One kiosk per display: an flock()ed lock file that a power cut or a kill cannot leave held.

The kernel releases an flock when its process dies, however it dies, so a stale lock file
left by a crash or a power cut is simply taken over by the next start.
"""

from __future__ import annotations

import fcntl
import os
import re
from pathlib import Path
from typing import IO


class AlreadyRunning(Exception):  # noqa: N818 - it is a state, not an error of ours
    """Another kiosk holds the lock for this display."""

    def __init__(self, path: Path, pid: str) -> None:
        super().__init__(
            f"another kiosk (pid {pid or '?'}) is already showing on this display (lock {path})"
        )
        self.path = path
        self.pid = pid


def lock_path(display: str | None = None, folder: Path | None = None) -> Path:
    """The lock file for a display (X display name, or 'default')."""
    name = (
        display
        if display is not None
        else os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY", "default")
    )
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "default"
    if folder is None:
        runtime = os.environ.get("XDG_RUNTIME_DIR")
        folder = Path(runtime) if runtime else Path("/tmp")
    return folder / f"kiosk-{os.getuid()}-{safe}.lock"


class InstanceLock:
    """Holds the lock while the kiosk runs; release() or process death frees it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunning with the holder's pid."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid = handle.read().strip()
            handle.close()
            raise AlreadyRunning(self.path, pid) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        """Let another kiosk start."""
        if self._file is not None:
            self._file.seek(0)
            self._file.truncate()  # a clean exit leaves no pid; a crash leaves its own
            self._file.flush()
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None
