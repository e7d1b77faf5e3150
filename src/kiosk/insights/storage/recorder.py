"""The insights recorder: events go into a queue in memory (a few microseconds, never any
disk work on the caller's thread); a worker thread writes them in batches every few seconds.

A database that cannot be written (a full disk, a read-only or locked file, one from a newer
release) costs the statistics, never the show: one log line, the events kept in memory (up
to MAX_PENDING, oldest dropped first) and written when a later try succeeds. A damaged file
is moved aside and a new one started.
"""

from __future__ import annotations

import itertools
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from kiosk.insights.storage import database
from kiosk.insights.storage.events import Event, SessionEnded, SessionStarted

log = logging.getLogger(__name__)

FLUSH_INTERVAL_S = 3.0  # how often the worker writes what has come in
MAX_BATCH = 5000  # events per transaction
MAX_PENDING = 100_000  # events kept in memory while the database cannot be written
RETRY_MAX_S = 120.0  # after a failure the next try comes one interval later, then doubling
PRUNE_EVERY_S = 3600.0  # retention and size cap are looked at hourly (and at start)
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_RETENTION_DAYS = 400

Connect = Callable[[Path], sqlite3.Connection]


class InsightsRecorder:
    """Queues insight events and writes them from its own thread."""

    def __init__(
        self,
        path: Path,
        *,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        max_bytes: int = DEFAULT_MAX_BYTES,
        flush_interval_s: float = FLUSH_INTERVAL_S,
        clock: Callable[[], float] = time.time,
        connect: Connect = database.connect,
        max_pending: int = MAX_PENDING,
        retry_first_s: float | None = None,
    ) -> None:
        self.path = path
        self.clock = clock  # wall time (UTC seconds) for every record
        self._retention_s = retention_days * 86400.0
        self._max_bytes = max_bytes
        self._interval = flush_interval_s
        self._connect = connect
        self._max_pending = max_pending
        self._sessions = itertools.count(1)
        self._pending: deque[Event] = deque()
        self._in_flight: list[Event] = []
        self._lock = threading.Lock()
        self._cycle_done = threading.Condition(self._lock)
        self._cycles = 0
        self._in_cycle = False
        self._wake = threading.Event()
        self._stopping = False
        # Worker state (only the worker thread touches these).
        self._connection: sqlite3.Connection | None = None
        self._rows: dict[int, int] = {}  # session number -> sessions row id
        self._retry_first_s = flush_interval_s if retry_first_s is None else retry_first_s
        self._retry_at = 0.0
        self._retry_s = self._retry_first_s
        self._next_prune = 0.0
        self._pruning = False
        # Read by the GUI thread under the lock.
        self._failing: str | None = None
        self._dropped = 0
        self._today: tuple[float, int] = (0.0, 0)  # (local midnight, sessions written since)
        self._thread = threading.Thread(target=self._run, name="kiosk-insights", daemon=True)
        self._thread.start()

    # --- the caller's side (the GUI thread) ----------------------------------------------

    def new_session(self) -> int:
        """A fresh session number (process-local; the writer maps it to a row)."""
        return next(self._sessions)

    def record(self, event: Event) -> None:
        """Queue `event` for the next batch (no disk work here)."""
        with self._lock:
            self._pending.append(event)
            if len(self._pending) > self._max_pending:
                self._pending.popleft()
                self._dropped += 1

    def flush(self, timeout: float = 10.0) -> bool:
        """Write what is queued now and wait for it; True when nothing is left queued."""
        with self._cycle_done:
            target = self._cycles + (2 if self._in_cycle else 1)
            self._wake.set()
            self._cycle_done.wait_for(
                lambda: self._cycles >= target or not self._thread.is_alive(), timeout
            )
            return not self._pending and not self._in_flight

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued (one last try) and stop the worker."""
        with self._lock:
            self._stopping = True
        self._wake.set()
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("insights: the writer did not finish within %.0f s", timeout)

    @property
    def failing(self) -> str | None:
        """Why the database cannot be written now, or None when it can."""
        with self._lock:
            return self._failing

    @property
    def pending(self) -> int:
        """Events not written yet."""
        with self._lock:
            return len(self._pending) + len(self._in_flight)

    def visitors_today(self) -> int:
        """Visitor sessions started since local midnight: written ones plus queued ones."""
        midnight = database.local_midnight(self.clock())
        with self._lock:
            day, written = self._today
            count = written if day == midnight else 0
            for event in itertools.chain(self._in_flight, self._pending):
                if isinstance(event, SessionStarted) and event.started >= midnight:
                    count += 1
        return count

    # --- the worker thread ---------------------------------------------------------------

    def _run(self) -> None:
        while True:
            self._wake.wait(self._interval)
            self._wake.clear()
            with self._lock:
                stopping = self._stopping
                self._in_cycle = True
            try:
                self._cycle(final=stopping)
            except Exception:  # a bug here must not end the recording for months
                log.exception("insights: the writer failed; it carries on")
            with self._cycle_done:
                self._in_cycle = False
                self._cycles += 1
                self._cycle_done.notify_all()
            if stopping:
                break
        self._disconnect()

    def _cycle(self, *, final: bool) -> None:
        now = time.monotonic()
        if self._connection is None:
            if now < self._retry_at and not final:
                return
            if not self._open():
                return
        assert self._connection is not None
        with self._lock:
            count = min(len(self._pending), MAX_BATCH)
            self._in_flight = [self._pending.popleft() for _ in range(count)]
            batch = self._in_flight
        if batch:
            try:
                added = database.write_batch(self._connection, batch, self._rows)
                written_today = self._count_today()
            except (sqlite3.Error, OSError) as error:
                with self._lock:
                    self._pending.extendleft(reversed(batch))
                    self._in_flight = []
                    while len(self._pending) > self._max_pending:
                        self._pending.popleft()
                        self._dropped += 1
                self._failed(error)
                return
            self._rows.update(added)
            for event in batch:  # an ended session gets no more rows: forget its number
                if isinstance(event, SessionEnded):
                    self._rows.pop(event.session, None)
            with self._lock:
                self._in_flight = []
                self._today = written_today
            self._succeeded()
        if not final:
            self._prune(now)

    def _open(self, *, damaged_moved: bool = False) -> bool:
        try:
            self._connection = self._connect(self.path)
        except sqlite3.DatabaseError as error:
            if database.is_corrupt(error) and not damaged_moved and self._move_aside(error):
                return self._open(damaged_moved=True)
            self._failed(error)
            return False
        except OSError as error:
            self._failed(error)
            return False
        try:
            today = self._count_today()
        except sqlite3.Error as error:
            self._failed(error)
            return False
        with self._lock:
            self._today = today
        return True

    def _move_aside(self, error: sqlite3.Error) -> bool:
        """Keep a damaged file for inspection and start a new database in its place."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        try:
            self.path.replace(target)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        except OSError:
            return False
        log.error(
            "insights: %s is damaged (%s); kept as %s, starting a new one", self.path, error, target
        )
        self._rows.clear()
        return True

    def _count_today(self) -> tuple[float, int]:
        assert self._connection is not None
        midnight = database.local_midnight(self.clock())
        return midnight, database.sessions_since(self._connection, midnight)

    def _prune(self, now: float) -> None:
        """One small step of retention and size-cap pruning when one is due."""
        if not self._pruning and now < self._next_prune:
            return
        assert self._connection is not None
        try:
            deleted = database.prune_step(
                self._connection,
                before=self.clock() - self._retention_s,
                max_bytes=self._max_bytes,
            )
        except sqlite3.Error as error:
            self._failed(error)  # the same outage as a failed write: one line, retried later
            return
        self._pruning = deleted > 0  # more to do: another step next cycle
        if not self._pruning:
            self._next_prune = now + PRUNE_EVERY_S

    def _failed(self, error: BaseException) -> None:
        self._disconnect()
        self._retry_at = time.monotonic() + self._retry_s
        self._retry_s = min(RETRY_MAX_S, self._retry_s * 2)
        reason = str(error) or type(error).__name__
        with self._lock:
            first = self._failing is None
            self._failing = reason
        if first:
            log.warning(
                "insights: cannot write %s (%s); the show goes on, the statistics wait in "
                "memory and are written when it works again",
                self.path,
                reason,
            )

    def _succeeded(self) -> None:
        self._retry_s = self._retry_first_s
        with self._lock:
            was, self._failing = self._failing, None
            dropped, self._dropped = self._dropped, 0
        if was is not None:
            lost = f"; {dropped} older events did not fit in memory" if dropped else ""
            log.info("insights: writing %s again%s", self.path, lost)

    def _disconnect(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except sqlite3.Error:
                log.debug("insights: closing the database failed", exc_info=True)
            self._connection = None
