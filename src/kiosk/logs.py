"""Logging for months unattended: a rotating file in the platform's log folder plus stderr,
with repeats of the same message folded into one line with a count."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import time
from pathlib import Path

LOG_FILE = "kiosk.log"
STATUS_FILE = "status.txt"
MAX_BYTES = 2 * 1024 * 1024  # per file; with 5 backups the log never passes ~12 MB
BACKUPS = 5
REPEAT_WINDOW_S = 600.0  # the same message again within ten minutes is only counted
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_dir() -> Path:
    """The platform's log folder for kiosk (e.g. ~/.local/state/kiosk/log on Linux)."""
    from platformdirs import user_log_dir

    return Path(user_log_dir("kiosk", appauthor=False))


class RepeatFilter(logging.Filter):
    """Lets the first of identical warnings and errors through; counts the rest.

    When the message appears again after the window, one line says how often it was
    repeated meanwhile, so a fault that repeats every frame cannot fill the disk.
    """

    def __init__(self, window_s: float = REPEAT_WINDOW_S, clock=time.monotonic) -> None:
        super().__init__()
        self._window = window_s
        self._clock = clock
        self._seen: dict[tuple[str, int, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        """True when the record should be written."""
        if record.levelno < logging.WARNING:
            return True  # the show's events (slide, mode, language) are never folded
        decided = getattr(record, "_kiosk_repeat", None)
        if decided is not None and decided[0] is self:  # the same record at another handler
            return bool(decided[1])
        key = (record.name, record.levelno, record.getMessage())
        now = self._clock()
        first, suppressed = self._seen.get(key, (-1e18, 0))
        if now - first < self._window:
            self._seen[key] = (first, suppressed + 1)
            record._kiosk_repeat = (self, False)  # type: ignore[attr-defined]
            return False
        if suppressed:
            record.msg = f"{record.getMessage()} (repeated {suppressed} more times)"
            record.args = ()
        if len(self._seen) > 5000:  # bounded memory, whatever happens
            self._seen.clear()
        self._seen[key] = (now, 0)
        record._kiosk_repeat = (self, True)  # type: ignore[attr-defined]
        return True


def setup_logging(folder: Path | None = None, *, level: int = logging.INFO) -> Path | None:
    """Log to stderr and to a rotating file in `folder` (default: the platform's log folder).

    Returns the log folder, or None when it cannot be written (then only stderr is used,
    and the show goes on).
    """
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
    repeat = RepeatFilter()
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(logging.Formatter(FORMAT))
    stream.addFilter(repeat)
    stream._kiosk = True  # type: ignore[attr-defined]
    root.addHandler(stream)
    folder = folder or log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        rotating = logging.handlers.RotatingFileHandler(
            folder / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as error:
        logging.getLogger(__name__).warning("no log file in %s (%s); stderr only", folder, error)
        return None
    rotating.setFormatter(logging.Formatter(FORMAT))
    rotating.addFilter(repeat)
    rotating._kiosk = True  # type: ignore[attr-defined]
    root.addHandler(rotating)
    return folder


def write_status(folder: Path | None, text: str) -> None:
    """Replace the status file staff read (atomically: a reader never sees half a file)."""
    if folder is None:
        return
    target = folder / STATUS_FILE
    temporary = target.with_suffix(".tmp")
    try:
        temporary.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
        temporary.replace(target)
    except OSError as error:
        logging.getLogger(__name__).warning("cannot write %s: %s", target, error)
