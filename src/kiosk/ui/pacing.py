"""Frame pacing the stage watches itself: work kept off the frame path, and transitions that
keep missing their frame budget on this screen given up for a cheaper one.

- `IdleJobs` runs small jobs one per event-loop turn while the slide stands still (preparing
  the neighbours of the current slide), so that a key press waits for one job at most and a
  transition never waits for them.
- `preload_chart_library` imports pyqtgraph on a thread after start-up: importing it on the GUI
  thread when the first chart is laid out froze the screen (`kiosk bench --display` shows the
  step onto the first chart).
- `TransitionPacer` times the stage's frames while a transition runs. A transition whose last
  RUNS_JUDGED runs had more than LATE_PER_RUNS_JUDGED intervals over 1.5 frame periods (the
  show's goal: at most 2 late frames per 10 transitions), spread over at least
  MISSED_RUNS_TO_DEGRADE runs, is replaced by a cheaper one (zoom -> fade) for the rest of
  the run, logged once.
"""

from __future__ import annotations

import atexit
import importlib
import logging
import sys
import threading
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

PERIOD_S = 1.0 / 60.0
LATE_S = 1.5 * PERIOD_S
RUNS_JUDGED = 10
LATE_PER_RUNS_JUDGED = 2  # the goal: at most 2 late frames per 10 transitions
# One bad moment of the machine (a hiccup in one run) is not a transition that keeps missing.
# 2 late frames allowed *per run* let a 4K zoom miss 12 times per 10 runs and stay a zoom.
MISSED_RUNS_TO_DEGRADE = 2
DEGRADE_TO = {"zoom": "fade"}  # a resampled blend costs ~2 cross-fades; fade is the floor
CHART_LIBRARY = "pyqtgraph"
PRELOAD_JOIN_S = 10.0  # at exit, the longest wait for the import thread (it takes ~0.3-1 s)
LIBRARY_POLL_MS = 20  # how often work that needs the chart library looks whether it is there


class IdleJobs(QObject):
    """Jobs run one per event-loop turn while `may_run()` holds; cleared by `clear()`."""

    def __init__(self, may_run: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._may_run = may_run
        self._jobs: deque[tuple[str, Callable[[], object]]] = deque()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer_timeout)

    def __len__(self) -> int:
        return len(self._jobs)

    def replace(self, jobs: list[tuple[str, Callable[[], object]]]) -> None:
        """Forget the jobs not run yet and run these (named for the log) from now on."""
        self._jobs = deque(jobs)
        if self._jobs:
            self._timer.start()

    def insert_next(self, jobs: list[tuple[str, Callable[[], object]]]) -> None:
        """Run these before the jobs still queued (a job that found more work of its own)."""
        self._jobs.extendleft(reversed(jobs))

    def clear(self) -> None:
        """Forget the jobs not run yet (something moves: their results may not be needed)."""
        self._jobs.clear()
        self._timer.stop()

    def run_all(self) -> None:
        """Run every job now (tests, and callers that must have the results)."""
        while self._jobs:
            self._run_next()

    def _on_timer_timeout(self) -> None:
        if not self._jobs or not self._may_run():
            return  # the next still moment queues them again
        self._run_next()
        if self._jobs:
            self._timer.start()

    def _run_next(self) -> None:
        name, job = self._jobs.popleft()
        try:
            job()
        except Exception:
            log.debug("preparing %s failed; it is done when needed", name, exc_info=True)


_preloading: list[threading.Thread] = []


def preload_chart_library() -> threading.Thread:
    """Import pyqtgraph (and numpy) on a thread, once; the thread (started)."""
    if not _preloading:
        thread = threading.Thread(
            target=_import_quietly, args=(CHART_LIBRARY,), name="kiosk-preload", daemon=True
        )
        _preloading.append(thread)
        thread.start()
        atexit.register(_finish_preload)
    return _preloading[0]


def _finish_preload() -> None:
    """At exit, let an import still running end first: a process that exits while a thread
    imports pyqtgraph (and with it Qt modules) crashed at times after its work was done."""
    for thread in _preloading:
        thread.join(PRELOAD_JOIN_S)


def chart_library_ready() -> bool:
    """True once pyqtgraph is imported; else its import is started on a thread (if it was
    not yet) and False until that thread is done."""
    if _preloading and _preloading[0].is_alive():
        return False
    if CHART_LIBRARY in sys.modules:
        return True
    if _preloading:  # the thread failed: the layout will import it (and report why)
        return True
    preload_chart_library()
    return False


def _import_quietly(name: str) -> None:
    try:
        importlib.import_module(name)
    except Exception:
        log.warning("preloading %s failed; the first chart imports it", name, exc_info=True)


class TransitionPacer:
    """Watches the frame intervals of running transitions; gives up on a transition that
    keeps missing its frame budget on this screen."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self._history: dict[str, deque[int]] = {}  # late frames of each judged run
        self._degraded: dict[str, str] = {}
        self._name: str | None = None
        self._last: float | None = None
        self._late = 0
        self._frames = 0

    @property
    def degraded(self) -> dict[str, str]:
        """Transitions given up on this screen, and what replaces each."""
        return dict(self._degraded)

    def choose(self, name: str) -> str:
        """The transition to run for `name` (itself, or what replaced it)."""
        return self._degraded.get(name, name)

    def start(self, name: str) -> None:
        """A transition `name` starts (the stage has both images)."""
        self._name, self._last, self._late, self._frames = name, None, 0, 0

    def frame(self) -> None:
        """The stage paints a frame of the running transition."""
        if self._name is None:
            return
        now = self._clock()
        if self._last is not None and now - self._last > LATE_S:
            self._late += 1
        self._last = now
        self._frames += 1

    def cancel(self) -> None:
        """The transition was cut short (a new move): it is not judged."""
        self._name = None

    def finish(self) -> tuple[str, str, str] | None:
        """The transition ended; (name, replacement, why) when it is given up now."""
        name, self._name = self._name, None
        if name is None or self._frames < 2:
            return None
        history = self._history.setdefault(name, deque(maxlen=RUNS_JUDGED))
        history.append(self._late)
        replacement = DEGRADE_TO.get(name)
        late = sum(history)
        missed = sum(1 for count in history if count)
        if (
            replacement is None
            or name in self._degraded
            or late <= LATE_PER_RUNS_JUDGED
            or missed < MISSED_RUNS_TO_DEGRADE
        ):
            return None
        self._degraded[name] = replacement
        why = (
            f"its last {len(history)} runs had {late} frames later than "
            f"{LATE_S * 1000:.0f} ms, in {missed} runs (the goal: at most "
            f"{LATE_PER_RUNS_JUDGED} per {RUNS_JUDGED}; the last run: {self._late} of "
            f"{self._frames})"
        )
        log.warning(
            "transition %s misses its frame budget on this screen: %s; using %s from now on",
            name,
            why,
            replacement,
        )
        return name, replacement, why
