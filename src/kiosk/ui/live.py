"""Live content: apply each good save when no animation runs; report bad saves to staff only."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.content import Content, Problem
from kiosk.core.player import Player
from kiosk.core.watcher import ContentWatcher, problems_text
from kiosk.ui.stage import Stage

log = logging.getLogger(__name__)

RETRY_MS = 100  # while an animation runs, look again this often


class LiveContent(QObject):
    """Between the watcher and the Player: waits for a still moment, keeps the last good show."""

    status_changed = Signal(str, bool)  # text for staff, True when it reports a problem

    def __init__(
        self,
        watcher: ContentWatcher,
        player: Player,
        stage: Stage,
        *,
        write_status: Callable[[str], None] | None = None,
        merge: Callable[[Content], Content] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._merge = merge  # this kiosk's settings and the command line, over each save
        self._watcher = watcher
        self._player = player
        self._stage = stage
        self._write_status = write_status
        self._pending: Content | None = None
        self._notice = ""  # a standing warning for staff, e.g. an expired fleet release
        self._last: tuple[str, bool] = ("", False)
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._try_apply)
        watcher.content_loaded.connect(self._on_watcher_content_loaded)
        watcher.content_failed.connect(self._on_watcher_content_failed)
        self._report(f"OK {self._now()}: {watcher.path} ({player.count} slides)", error=False)

    @property
    def pending(self) -> Content | None:
        """A good save waiting for the current animation to end."""
        return self._pending

    def _now(self) -> str:
        return datetime.now().strftime("%Y-%m-%d %H:%M:%S")

    def set_notice(self, text: str) -> None:
        """A standing warning for staff shown under every status until it is cleared with ""
        (the fleet release has expired: its mirror may be frozen)."""
        if text != self._notice:
            self._notice = text
            self._report(*self._last)

    def _report(self, text: str, error: bool = False) -> None:
        self._last = (text, error)
        if self._notice:
            text = f"{text}\nWARNING: {self._notice}"
        if self._write_status is not None:
            self._write_status(text)
        self.status_changed.emit(text, error or bool(self._notice))

    def _on_watcher_content_loaded(self, content: Content) -> None:
        self._pending = content if self._merge is None else self._merge(content)
        self._try_apply()

    def _on_watcher_content_failed(self, problems: list[Problem]) -> None:
        self._report(
            f"PROBLEM {self._now()}: the last save of {self._watcher.path} was not applied; "
            f"the show keeps the last good content.\n{problems_text(problems)}",
            error=True,
        )

    def _try_apply(self) -> None:
        if self._pending is None:
            self._retry.stop()
            return
        if self._stage.animating:  # never swap content in the middle of a transition
            if not self._retry.isActive():
                self._retry.start()
            return
        self._retry.stop()
        content, self._pending = self._pending, None
        # The file loaded from its own folder: its pictures are there (a show that started
        # from the last good copy may have read them from where that copy kept them).
        self._stage.use_media_from(self._watcher.path.parent)
        self._player.set_content(content)
        self._report(
            f"OK {self._now()}: {self._watcher.path} applied ({len(content.slides)} slides)",
            error=False,
        )
