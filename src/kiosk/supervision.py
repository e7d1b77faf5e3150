"""Keeping an unattended kiosk on screen: the last good content survives restarts, uncaught
exceptions are logged once and the show moves on."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from kiosk.content import Content, ContentError, parse_content

log = logging.getLogger(__name__)

LAST_GOOD_FILE = "last-good-content.yaml"


def state_dir() -> Path:
    """The platform's state folder for kiosk (e.g. ~/.local/state/kiosk)."""
    from platformdirs import user_state_dir

    return Path(user_state_dir("kiosk", appauthor=False))


class LastGoodContent:
    """A copy of the last content file that loaded, kept outside the content folder.

    If a broken save is on disk when the kiosk starts (a power cut after a typo), the show
    starts from this copy instead of a black screen; media stay relative to the real folder.
    """

    def __init__(self, content_path: Path, folder: Path | None = None) -> None:
        self._content_path = content_path
        self._folder = folder or state_dir()

    @property
    def path(self) -> Path:
        """Where the copy lives."""
        return self._folder / LAST_GOOD_FILE

    def remember(self) -> None:
        """Copy the content file as it is now (call after it loaded)."""
        try:
            data = self._content_path.read_bytes()
            # A save may land between the load and now: keep only bytes that load.
            parse_content(data, source=str(self._content_path), base_dir=self._content_path.parent)
        except (OSError, ContentError):
            return
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_bytes(data)
            temporary.replace(self.path)
        except OSError as error:
            log.warning("cannot keep a copy of the last good content: %s", error)

    def load(self) -> Content | None:
        """The remembered content, validated against the real content folder, or None."""
        try:
            data = self.path.read_bytes()
        except OSError:
            return None
        try:
            return parse_content(data, source=str(self.path), base_dir=self._content_path.parent)
        except ContentError as error:
            log.warning("the last good copy does not load either: %s", error.first)
            return None


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
