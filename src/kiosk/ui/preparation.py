"""Preparing the neighbours of the slide on screen at still moments, off the frame path.

When the slide stands still (its entrance reported, no transition), both slides a visitor
can step to are laid out, their incoming images (the first frame of their transition) are
made, and their final state is rendered once so their still layers (text at screen
resolution, pictures scaled for the screen) are in the image cache before their entrance
paints them. Once after start-up every other slide is laid out too, and pyqtgraph is
imported on a thread. One job per event-loop turn (`IdleJobs`): a key press waits for one
job at most, and a move drops the jobs not run yet.
"""

from __future__ import annotations

import gc
import logging
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, QSize, QSizeF, QTimer
from PySide6.QtGui import QImage

from kiosk.content.model import Language
from kiosk.core.player import Player
from kiosk.slides.base import FINAL, SlideView
from kiosk.ui.pacing import LIBRARY_POLL_MS, IdleJobs, chart_library_ready, preload_chart_library

Render = Callable[[int, float], QImage]  # (index, entrance) -> image at the stage's size

log = logging.getLogger(__name__)


class NeighbourPreparation(QObject):
    """The stage's helper for still moments: queues the work, keeps the incoming images."""

    def __init__(
        self,
        player: Player,
        views: Callable[[], list[SlideView]],
        render: Render,
        canvas: Callable[[], QSizeF],
        device_size: Callable[[], QSize],
        still: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._player = player
        self._views = views
        self._render = render
        self._canvas = canvas
        self._device_size = device_size
        self._still = still
        self._jobs = IdleJobs(still, self)
        # Laying out a bar chart imports pyqtgraph: while its import runs on a thread, a job
        # that laid one out waited for it on the GUI thread (~0.3 s, a key waiting behind it).
        # Preparing starts once the import is done.
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(LIBRARY_POLL_MS)
        self._retry.timeout.connect(self._on_retry_timeout)
        self._retry_shown = 0
        self._prepared: dict[int, tuple[str, QImage]] = {}  # index -> (language, image)
        self._warmed_up = False  # every slide laid out once, pyqtgraph imported

    @property
    def pending(self) -> int:
        """Jobs not run yet."""
        return len(self._jobs)

    @property
    def prepared(self) -> list[int]:
        """Slides whose incoming image is ready."""
        return sorted(self._prepared)

    def forget(self) -> None:
        """Language, size or content changed: the images made so far are of no use."""
        self._prepared.clear()
        self.stop()

    def stop(self) -> None:
        """Something moves: drop the jobs not run yet (the next still moment queues anew)."""
        self._jobs.clear()
        self._retry.stop()

    def take(self, index: int) -> QImage | None:
        """The incoming image of `index` if it was made for the language and size of now."""
        found = self._prepared.pop(index, None)
        self._prepared.clear()  # the others are the old position's neighbours
        if found is None:
            return None
        language, image = found
        if language != self._player.language or image.size() != self._device_size():
            return None
        return image

    def queue(self, shown: int) -> None:
        """The slide `shown` stands still: prepare its neighbours, one job per turn."""
        views = self._views()
        if not views or not views[shown].prepared_around:
            return
        around = [self._player.following(), self._player.preceding()]
        neighbours = list(dict.fromkeys(i for i in around if i is not None and i != shown))
        rest = [] if self._warmed_up else [i for i in range(len(views)) if i != shown]
        rest = [i for i in rest if i not in neighbours]
        if not self._warmed_up:
            preload_chart_library()  # else the first chart's layout imports it
        needs_library = any(views[i].needs_chart_library() for i in neighbours + rest)
        if needs_library and not chart_library_ready():
            self._retry_shown = shown
            self._retry.start()
            return
        jobs: list[tuple[str, Callable[[], object]]] = []
        for i in neighbours:  # the next slide first: visitors mostly step forward
            jobs.append((f"layout {i}", lambda i=i: self._lay_out(i)))
            if not views[i].ambient and views[i].prepared_around:
                # An ambient slide's image moves with the clock, and a film's follows its
                # player: only still slides are rendered ahead.
                jobs.append((f"image {i}", lambda i=i: self._make_image(i)))
                jobs.append((f"layers {i}", lambda i=i: self._render(i, FINAL)))
            jobs.append((f"pictures {i}", lambda i=i: self._jobs.insert_next(self._view_jobs(i))))
        if not self._warmed_up:
            jobs += [(f"layout {i}", lambda i=i: self._lay_out(i)) for i in rest]
            jobs.append(("warmed up", self._note_warmed_up))
        self._jobs.replace(jobs)

    def _on_retry_timeout(self) -> None:
        if self._still():
            self.queue(self._retry_shown)

    def run_now(self) -> None:
        """Run every queued job now (tests)."""
        self._jobs.run_all()

    def _view_jobs(self, index: int) -> list[tuple[str, Callable[[], object]]]:
        canvas, device = self._canvas(), self._device_size()
        scale = device.width() / max(1.0, canvas.width())
        try:
            found = self._views()[index].preparation_jobs(canvas, self._player.language, scale)
        except Exception:  # noqa: BLE001 - showing it reports the fault; preparing is optional
            return []
        return found

    def _lay_out(self, index: int) -> None:
        self._views()[index].layout(self._canvas(), self._player.language)

    def _make_image(self, index: int) -> None:
        if index not in self._prepared:
            self._prepared[index] = (self._player.language, self._render(index, 0.0))

    def _note_warmed_up(self) -> None:
        self._warmed_up = True
        # What exists now (content, views, layouts, fonts, Qt's wrappers, pyqtgraph) lives as
        # long as the show. Python's full collections walked all of it: 30-90 ms each in
        # the show on Xvfb (one at start-up, more over a long run), a very late frame
        # wherever one falls. Frozen, a full collection walks only what came later
        # (content.yaml, every slide built and rendered in zh and en: 42 ms -> 0.0 ms).
        gc.freeze()

    def warm_up_again(self) -> None:
        """New content: lay every slide out once more, and let the old content's objects
        be collected (frozen objects in reference cycles never are)."""
        self._warmed_up = False
        gc.unfreeze()


class TextWarming:
    """The incoming slide's text made into sprites between the frames of its transition.

    A visitor stepping every few seconds leaves no still moment (an entrance runs ~2 s), so
    the neighbours are not prepared; each text box then made its sprite on the entrance
    frame that first showed it: 1-11 ms at 4K, a title on the very first (10-17 ms frames
    against 4-5 ms). A transition frame is two image copies (~5-8 ms at 4K), so between
    its frames there is room for one sprite each (`kiosk bench --display`, entrances).
    """

    def __init__(self) -> None:
        self._jobs: deque[Callable[[], bool]] = deque()

    def start(self, view: SlideView, canvas: QSizeF, language: Language, scale: float) -> None:
        """Warm the text of `view` (laid out for `canvas`) at `scale` from now on."""
        try:
            self._jobs = deque(view.warming_jobs(canvas, language, scale))
        except Exception:  # showing it reports the fault; warming is optional
            log.debug("listing the text to warm failed; it is made when shown", exc_info=True)
            self._jobs = deque()

    def clear(self) -> None:
        """Nothing to warm (the transition ended, or another began)."""
        self._jobs.clear()

    def step(self) -> None:
        """Make one sprite that was missing, skipping the ones made already."""
        while self._jobs:
            job = self._jobs.popleft()
            try:
                if job():
                    return
            except Exception:  # drawing it later reports the fault
                log.debug("warming a text failed; it is made when shown", exc_info=True)
