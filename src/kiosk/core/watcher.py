"""Watch content.yaml (and the media it uses) and load each good save; report bad ones.

Editors save in three ways: in place, to a temporary file renamed over the original (vim,
VS Code; QFileSystemWatcher then silently drops its watch), or delete and re-create. So the
folder is watched as well as the file, the file's watch is re-added after every event, events
are debounced, and a slow poll (size, mtime, inode of the file and of every media file) is the
fallback that catches whatever the watcher misses.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from kiosk.content import Content, ContentError, Problem, load_content

log = logging.getLogger(__name__)

DEBOUNCE_MS = 250  # editors write in bursts; one load after the burst
POLL_MS = 1000  # the fallback: within about a second whatever the watcher missed

Loader = Callable[[Path], Content]
Stamp = tuple[int, int, int] | None  # size, mtime_ns, inode; None when missing


def _stamp(path: Path) -> Stamp:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


class ContentWatcher(QObject):
    """Emits `content_loaded` for each good save and `content_failed` for each bad one.

    `current` is the content on screen (None while there is none: the first good save of the
    file is then loaded as soon as it comes).
    """

    content_loaded = Signal(object)  # Content
    content_failed = Signal(object)  # list[Problem]

    def __init__(
        self,
        path: Path,
        current: Content | None,
        *,
        loader: Loader = load_content,
        poll_ms: int = POLL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._path = path.absolute()
        self._loader = loader
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_watcher_changed)
        self._watcher.directoryChanged.connect(self._on_watcher_changed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.check_now)
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.check_now)
        self._stamps: dict[Path, Stamp] = {}
        self._real_folder = ""  # where the content's folder really is (it may be a link)
        self._remember(current)
        self._failed_stamp: dict[Path, Stamp] | None = None
        self._rewatch()

    @property
    def path(self) -> Path:
        """The content file being watched."""
        return self._path

    def start(self) -> None:
        """Begin the slow poll (the file-system watch is live from construction)."""
        self._poll.start()

    def stop(self) -> None:
        """Stop watching and polling."""
        self._poll.stop()
        self._debounce.stop()
        paths = self._watcher.files() + self._watcher.directories()
        if paths:
            self._watcher.removePaths(paths)

    def _remember(self, content: Content | None) -> None:
        media = content.media() if content is not None else []
        watched = [self._path, *(self._path.parent / relative for relative in media)]
        self._stamps = {path: _stamp(path) for path in watched}

    def _rewatch(self) -> None:
        """(Re-)add the file and folder watches: a rename over the file drops the file's.

        A folder reached through a link (a fleet's ROOT/current) is switched, not edited: the
        watches, which the kernel holds on the folder the link pointed at when they were
        added, see nothing. So the folders holding each link on the way are watched too (the
        link's replacement is an event there), and the watches move when the target does."""
        real = os.path.realpath(self._path.parent)
        if real != self._real_folder:
            self._real_folder = real
            stale = [p for p in (str(self._path), str(self._path.parent)) if p in self._watched()]
            if stale:
                self._watcher.removePaths(stale)
        folders = [str(self._path.parent), *_link_holders(self._path.parent)]
        files = [str(self._path)] if self._path.exists() else []
        current = self._watched()
        missing = [path for path in folders if path not in current and Path(path).is_dir()]
        missing += [path for path in files if path not in current]
        if missing:
            self._watcher.addPaths(missing)

    def _watched(self) -> set[str]:
        return set(self._watcher.files()) | set(self._watcher.directories())

    def _on_watcher_changed(self, _path: str) -> None:
        self._rewatch()
        self._debounce.start()

    def check_now(self) -> None:
        """Load the file if it or a media file changed since the last load (or failure)."""
        self._rewatch()
        stamps = {path: _stamp(path) for path in self._stamps}
        if stamps == self._stamps or stamps == self._failed_stamp:
            return
        if stamps[self._path] is None:
            return  # deleted: wait for the editor to create it again; keep showing what we have
        try:
            content = self._loader(self._path)
        except ContentError as error:
            self._failed_stamp = stamps
            for problem in error.problems:
                log.warning("content not applied: %s", problem)
            self.content_failed.emit(list(error.problems))
            return
        except OSError as error:  # a half-written file vanished under us: the poll retries
            log.info("content file busy (%s); trying again", error)
            return
        self._failed_stamp = None
        self._remember(content)
        log.info("content reloaded from %s: %d slides", self._path, len(content.slides))
        self.content_loaded.emit(content)


def _link_holders(folder: Path) -> list[str]:
    """The folders that hold a symbolic link on the way to `folder` (absolute), e.g. ROOT
    for ROOT/current -> releases/7."""
    holders = []
    for step in [folder, *folder.parents]:
        if step.is_symlink():
            holders.append(str(step.parent))
    return holders


def problems_text(problems: list[Problem]) -> str:
    """The problems as staff read them: one `PATH:LINE:COL: message` per line."""
    return "\n".join(str(problem) for problem in problems)
