"""Months unattended: one kiosk per display, systemd's notify and watchdog, logs that cannot fill
the disk, the last good content at start, and faults that are logged once while the show goes on.

The subprocess tests run the real `python -m kiosk show` offscreen with HOME and
XDG_RUNTIME_DIR in tmp_path, so its log, state and lock files never touch the user's.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QColor, QImage

import kiosk.logs
from kiosk.content import ContentError, load_content
from kiosk.instance import AlreadyRunning, InstanceLock
from kiosk.logs import BACKUPS, LOG_FILE, STATUS_FILE, RepeatFilter, setup_logging, write_status
from kiosk.sdnotify import Watchdog, notify, watchdog_interval_ms
from kiosk.slides.media import MediaLibrary
from kiosk.supervision import LAST_GOOD_FILE, ExceptionGuard, LastGoodContent

REPO = Path(__file__).resolve().parents[1]
DECK = "tests/fixtures/decks/chapters.yaml"
START_TIMEOUT_S = 60.0  # a cold start of Python + Qt on a slow CI machine, generously
SUN_PATH_MAX = 100  # AF_UNIX paths must fit in 108 bytes; keep a margin


# --- running the real show in a child process ------------------------------------------------


def _show_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a child kiosk: offscreen, every per-user folder inside tmp_path."""
    env = dict(os.environ)
    for name in (
        "XDG_STATE_HOME",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "NOTIFY_SOCKET",
        "WATCHDOG_USEC",
        "WATCHDOG_PID",
    ):
        env.pop(name, None)
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)  # Qt insists on 0700 for XDG_RUNTIME_DIR
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_RUNTIME_DIR=str(runtime),
        QT_QPA_PLATFORM="offscreen",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def _show_command() -> list[str]:
    return [sys.executable, "-m", "kiosk", "show", DECK, "--windowed"]


class ShowProcess:
    """A child `kiosk show` whose stderr is read line by line on a thread (so it never blocks)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            _show_command(),
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.process.pid

    @property
    def stderr(self) -> str:
        """Everything the child wrote to stderr so far."""
        with self._changed:
            return "".join(self._lines)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self._changed:
                self._lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, text: str, timeout: float = START_TIMEOUT_S) -> None:
        """Block until `text` appears in stderr; fail with what it said if it exits or times out."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not any(text in line for line in self._lines):
                left = deadline - time.monotonic()
                if self.process.poll() is not None and not self._reader.is_alive():
                    pytest.fail(
                        f"kiosk exited ({self.process.returncode}) before {text!r}:\n"
                        + "".join(self._lines)
                    )
                if left <= 0:
                    pytest.fail(f"no {text!r} from kiosk in {timeout} s:\n" + "".join(self._lines))
                self._changed.wait(min(left, 0.5))

    def stop(self) -> None:
        """Terminate the child (and continue it first, in case a test left it stopped)."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)


@pytest.fixture
def start_show() -> Iterator:
    """Start child kiosks; every one is terminated after the test."""
    started: list[ShowProcess] = []

    def start(env: dict[str, str]) -> ShowProcess:
        show = ShowProcess(env)
        started.append(show)
        return show

    yield start
    for show in started:
        show.stop()


# --- instance lock ---------------------------------------------------------------------------

HOLD_LOCK = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from kiosk.instance import InstanceLock\n"
    "lock = InstanceLock(Path(sys.argv[1]))\n"  # kept: a collected lock closes its file
    "lock.acquire()\n"
    "print('locked', flush=True)\n"
    "time.sleep(120)\n"
)


def test_a_held_lock_names_its_holder_and_a_dead_holders_lock_is_taken_over(
    tmp_path: Path,
) -> None:
    path = tmp_path / "kiosk-test.lock"
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "locked"
        with pytest.raises(AlreadyRunning) as caught:
            InstanceLock(path).acquire()
        assert caught.value.pid == str(child.pid)
        assert f"pid {child.pid}" in str(caught.value)
    finally:
        os.kill(child.pid, signal.SIGKILL)  # like a crash or a power cut: no release()
        child.wait()
        if child.stdout is not None:
            child.stdout.close()
    assert path.read_text() == str(child.pid)  # the stale lock file is still there...
    lock = InstanceLock(path)
    lock.acquire()  # ...and simply taken over
    try:
        assert path.read_text() == str(os.getpid())
    finally:
        lock.release()


def test_a_second_show_on_the_same_display_exits_with_code_3(tmp_path: Path, start_show) -> None:
    env = _show_env(tmp_path)
    first = start_show(env)
    first.wait_for("showing")
    second = subprocess.run(
        _show_command(),
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
    )
    assert second.returncode == 3, second.stderr
    assert "already showing" in second.stderr
    assert f"pid {first.pid}" in second.stderr
    assert "Traceback" not in second.stderr  # a plain message for staff, no stack
    assert first.process.poll() is None  # the first show goes on


# --- sd_notify and the watchdog --------------------------------------------------------------


def _bind(address: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(address)
    return sock


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    """A datagram socket standing in for systemd's NOTIFY_SOCKET, and its path."""
    folder = tmp_path
    short = len(str(folder / "notify")) <= SUN_PATH_MAX  # long test names make long tmp paths
    if not short:
        folder = Path(tempfile.mkdtemp(prefix="kiosk-"))
    path = str(folder / "notify")
    sock = _bind(path)
    sock.settimeout(10.0)
    yield sock, path
    sock.close()
    if not short:
        shutil.rmtree(folder)


def _receive(sock: socket.socket, timeout: float) -> str:
    sock.settimeout(timeout)
    return sock.recv(4096).decode("utf-8")


def _drain(sock: socket.socket) -> list[str]:
    """Whatever is queued now, without waiting."""
    found = []
    sock.setblocking(False)
    try:
        while True:
            found.append(sock.recv(4096).decode("utf-8"))
    except BlockingIOError:
        return found
    finally:
        sock.setblocking(True)


def test_notify_sends_a_datagram_to_a_socket_path(notify_socket) -> None:
    sock, path = notify_socket
    assert notify("READY=1", path) is True
    assert _receive(sock, 5.0) == "READY=1"


def test_notify_speaks_to_an_abstract_socket() -> None:
    name = f"@kiosk-test-{secrets.token_hex(6)}"
    with _bind("\0" + name[1:]) as sock:
        assert notify("READY=1", name) is True
        assert _receive(sock, 5.0) == "READY=1"


def test_notify_uses_notify_socket_from_the_environment(notify_socket, monkeypatch) -> None:
    sock, path = notify_socket
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    assert notify("WATCHDOG=1") is True
    assert _receive(sock, 5.0) == "WATCHDOG=1"


def test_notify_without_systemd_does_nothing(monkeypatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert notify("READY=1") is False


def test_notify_to_a_dead_socket_warns_and_returns_false(tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="kiosk.sdnotify")
    assert notify("READY=1", str(tmp_path / "nobody-listens")) is False
    assert "sd_notify" in caplog.text


def test_the_show_tells_systemd_it_is_ready_and_pings_until_frozen(
    tmp_path: Path, notify_socket, start_show
) -> None:
    """READY=1 after the first frame, then WATCHDOG=1 every WATCHDOG_USEC/2; a stopped process
    (as good as a hung one) sends nothing, and pings resume when it continues."""
    sock, path = notify_socket
    show = start_show(_show_env(tmp_path, NOTIFY_SOCKET=path, WATCHDOG_USEC="200000"))
    assert _receive(sock, START_TIMEOUT_S) == "READY=1"
    pings = [_receive(sock, 5.0) for _ in range(4)]  # every 100 ms: well within 5 s each
    assert pings == ["WATCHDOG=1"] * 4
    show.wait_for("pinging every 100 ms", timeout=10.0)

    os.kill(show.pid, signal.SIGSTOP)
    _, status = os.waitpid(show.pid, os.WUNTRACED)  # returns once it is really stopped
    assert os.WIFSTOPPED(status)
    _drain(sock)  # pings sent before it stopped
    with pytest.raises(TimeoutError):
        _receive(sock, 1.0)

    os.kill(show.pid, signal.SIGCONT)
    assert _receive(sock, 5.0) == "WATCHDOG=1"
    assert _receive(sock, 5.0) == "WATCHDOG=1"
    assert show.process.poll() is None


class _PingRecorder:
    """Timestamps each datagram as it arrives, on a thread of its own (the GUI thread may be
    blocked, which is the point)."""

    def __init__(self, sock: socket.socket) -> None:
        self.arrivals: list[float] = []
        self._sock = sock
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._sock.settimeout(0.05)
        while not self._stopping.is_set():
            try:
                self._sock.recv(4096)
            except TimeoutError:
                continue
            self.arrivals.append(time.monotonic())

    def stop(self) -> None:
        """Stop recording."""
        self._stopping.set()
        self._thread.join(timeout=5)


def test_watchdog_pings_stop_while_the_event_loop_is_blocked(qtbot, notify_socket) -> None:
    sock, path = notify_socket
    recorder = _PingRecorder(sock)
    watchdog = Watchdog(50, path)
    try:
        watchdog.start()
        qtbot.wait(300)
        assert len(recorder.arrivals) >= 3
        unblocked: list[float] = []

        def block_the_loop() -> None:
            time.sleep(0.5)  # a hung slot: the GUI thread does nothing else meanwhile
            unblocked.append(time.monotonic())

        QTimer.singleShot(0, block_the_loop)
        qtbot.waitUntil(
            lambda: bool(unblocked) and sum(t > unblocked[0] for t in recorder.arrivals) >= 2,
            timeout=5000,
        )
    finally:
        recorder.stop()
        del watchdog  # owned by Python: deleting it stops its timer
    gaps = [b - a for a, b in zip(recorder.arrivals, recorder.arrivals[1:], strict=False)]
    assert max(gaps) >= 0.45, gaps
    assert sorted(gaps)[len(gaps) // 2] < 0.2, gaps  # the usual gap is the 50 ms interval


@pytest.mark.parametrize(
    ("usec", "pid", "expected"),
    [
        ("20000000", None, 10_000),  # WatchdogSec=20 -> ping every 10 s
        ("200000", None, 100),
        ("200000", "self", 100),
        ("200000", "other", None),  # the watchdog belongs to another process
        (None, None, None),
        ("10", None, 50),  # never a busy loop
        ("soon", None, None),
    ],
)
def test_watchdog_interval_is_half_of_watchdog_usec(monkeypatch, usec, pid, expected) -> None:
    for name, value in (("WATCHDOG_USEC", usec), ("WATCHDOG_PID", pid)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            own = str(os.getpid())
            monkeypatch.setenv(name, {"self": own, "other": str(os.getpid() + 1)}.get(value, value))
    assert watchdog_interval_ms() == expected


# --- logs ------------------------------------------------------------------------------------


@pytest.fixture
def repeat_log(fake_clock) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing bare messages through a RepeatFilter on the fake clock."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(RepeatFilter(window_s=600.0, clock=fake_clock))
    logger = logging.getLogger(f"kiosk.test.repeat.{secrets.token_hex(4)}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield logger, stream
    logger.removeHandler(handler)


def test_a_message_repeated_every_frame_is_written_once_then_counted(
    repeat_log, fake_clock
) -> None:
    logger, stream = repeat_log
    for _ in range(1000):
        logger.warning("projector %d is too hot", 3)
        fake_clock.advance(0.016)  # a frame: 16 s in all, well inside the window
    assert stream.getvalue().splitlines() == ["projector 3 is too hot"]
    fake_clock.advance(600)
    logger.warning("projector %d is too hot", 3)
    logger.warning("projector %d is too hot", 3)  # a new window has begun
    assert stream.getvalue().splitlines() == [
        "projector 3 is too hot",
        "projector 3 is too hot (repeated 999 more times)",
    ]


def test_distinct_messages_are_all_written(repeat_log) -> None:
    logger, stream = repeat_log
    for number in range(50):
        logger.warning("slide %d failed", number)
    logger.error("slide %d failed", 0)  # same text, another level: another message
    assert len(stream.getvalue().splitlines()) == 51


@pytest.fixture
def kiosk_logging() -> Iterator[None]:
    """Undo setup_logging(): remove and close its handlers, restore the root level."""
    root = logging.getLogger()
    level = root.level
    yield
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def _rotating_handler() -> logging.handlers.RotatingFileHandler:
    found = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler) and getattr(h, "_kiosk", False)
    ]
    assert len(found) == 1
    return found[0]


def test_setup_logging_rotates_the_file_keeping_backups(
    tmp_path: Path, monkeypatch, kiosk_logging
) -> None:
    monkeypatch.setattr(kiosk.logs, "MAX_BYTES", 1000)
    assert setup_logging(tmp_path) == tmp_path
    handler = _rotating_handler()
    assert Path(handler.baseFilename) == tmp_path / LOG_FILE
    assert handler.maxBytes == 1000
    assert handler.backupCount == BACKUPS
    for number in range(400):  # ~40 KB: far more rotations than there are backups
        handler.emit(logging.makeLogRecord({"msg": f"event {number:04d} " + "x" * 80}))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([LOG_FILE] + [f"{LOG_FILE}.{n}" for n in range(1, BACKUPS + 1)])
    for path in tmp_path.iterdir():
        assert path.stat().st_size <= 1000
    assert "event 0399" in (tmp_path / LOG_FILE).read_text()


def test_setup_logging_writes_each_message_to_the_log_file(tmp_path: Path, kiosk_logging) -> None:
    setup_logging(tmp_path)
    logging.getLogger("kiosk.test").warning("the projector is too hot")
    _rotating_handler().flush()
    assert "the projector is too hot" in (tmp_path / LOG_FILE).read_text()


def test_write_status_replaces_the_file_atomically(tmp_path: Path) -> None:
    write_status(tmp_path, "OK: 6 slides\n\n")
    status = tmp_path / STATUS_FILE
    assert status.read_text() == "OK: 6 slides\n"
    with status.open(encoding="utf-8") as reader:  # a staff tool reading the old file
        write_status(tmp_path, "PROBLEM: content.yaml:3:5: bad colour\n" * 20)
        assert reader.read() == "OK: 6 slides\n"  # never rewritten in place: replaced whole
    assert status.read_text() == "PROBLEM: content.yaml:3:5: bad colour\n" * 20
    assert sorted(p.name for p in tmp_path.iterdir()) == [STATUS_FILE]  # no .tmp left


def test_write_status_without_a_folder_never_raises(tmp_path: Path, caplog) -> None:
    write_status(None, "OK")  # no log folder: nothing to do
    write_status(tmp_path / "gone", "OK")  # unwritable: a warning, the show goes on
    assert "cannot write" in caplog.text


# --- ExceptionGuard --------------------------------------------------------------------------


class _Sensor(QObject):
    """Something that emits a signal from the event loop."""

    reading_arrived = Signal()


def _guard_errors(caplog) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name == "kiosk.supervision" and r.levelno == logging.ERROR
    ]


@pytest.fixture
def guarded(qtbot) -> Iterator:
    """An installed ExceptionGuard counting its move-ons, and a sensor whose slot raises."""
    moves: list[int] = []
    guard = ExceptionGuard(lambda: moves.append(1))
    sensor = _Sensor()

    def on_sensor_reading_arrived() -> None:
        raise ValueError("the sensor says no")

    sensor.reading_arrived.connect(on_sensor_reading_arrived)
    guard.install()
    try:
        yield guard, sensor, moves
    finally:
        guard.uninstall()


def test_a_fault_in_a_slot_is_logged_and_the_show_moves_on(guarded, qtbot, caplog) -> None:
    guard, sensor, moves = guarded
    assert sys.excepthook is guard
    QTimer.singleShot(0, sensor.reading_arrived.emit)
    qtbot.waitUntil(lambda: len(moves) == 1)
    [record] = _guard_errors(caplog)
    assert "uncaught ValueError at" in record.getMessage()
    assert "test_supervision.py" in record.getMessage()
    assert "the sensor says no" in record.getMessage()
    assert record.exc_info is not None  # the traceback is in the log


def test_the_same_fault_again_and_again_is_logged_once(guarded, qtbot, caplog) -> None:
    _guard, sensor, moves = guarded
    for _ in range(5):
        QTimer.singleShot(0, sensor.reading_arrived.emit)
    qtbot.waitUntil(lambda: len(moves) == 5)
    assert len(_guard_errors(caplog)) == 1
    for _ in range(5):
        QTimer.singleShot(0, sensor.reading_arrived.emit)
    qtbot.waitUntil(lambda: len(moves) == 10)
    messages = [r.getMessage() for r in _guard_errors(caplog)]
    assert len(messages) == 2
    assert messages[1].endswith("has now happened 10 times")


def test_the_guard_uninstalls_to_the_previous_hook(monkeypatch) -> None:
    previous = lambda *args: None  # noqa: E731
    monkeypatch.setattr(sys, "excepthook", previous)
    guard = ExceptionGuard(lambda: None)
    guard.install()
    assert sys.excepthook is guard
    guard.uninstall()
    assert sys.excepthook is previous


def test_keyboard_interrupt_goes_to_the_previous_hook(monkeypatch, caplog) -> None:
    seen: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, error, trace: seen.append(kind))
    moves: list[int] = []
    guard = ExceptionGuard(lambda: moves.append(1))
    guard(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert seen == [KeyboardInterrupt]
    assert moves == []
    assert caplog.records == []


def test_a_failing_move_on_is_logged_not_raised(caplog) -> None:
    def move_on() -> None:
        raise RuntimeError("no next slide")

    guard = ExceptionGuard(move_on)
    try:
        raise ValueError("first fault")
    except ValueError as error:
        guard(ValueError, error, error.__traceback__)
    assert "moving on after an uncaught exception failed" in caplog.text


# --- LastGoodContent -------------------------------------------------------------------------

GOOD_CONTENT = """\
settings: {default_duration: 600}
slides:
  - {id: welcome, type: text, title: Welcome, body: Hello}
  - id: garden
    type: gallery
    title: Garden
    images: [{image: img/garden.png, caption: Spring}]
"""
BROKEN_CONTENT = GOOD_CONTENT.replace("type: gallery", "type: galery") + "  - {id: [\n"


@pytest.fixture
def content_folder(tmp_path: Path, qapp) -> Path:
    """A content folder with content.yaml and its one image."""
    folder = tmp_path / "show"
    (folder / "img").mkdir(parents=True)
    image = QImage(32, 24, QImage.Format.Format_RGB32)
    image.fill(QColor("#2ec4b6"))
    assert image.save(str(folder / "img" / "garden.png"))
    (folder / "content.yaml").write_text(GOOD_CONTENT, encoding="utf-8")
    return folder


def test_remember_keeps_a_copy_outside_the_content_folder(
    tmp_path: Path, content_folder: Path
) -> None:
    path = content_folder / "content.yaml"
    load_content(path)
    last_good = LastGoodContent(path, tmp_path / "state")
    last_good.remember()
    assert last_good.path == tmp_path / "state" / LAST_GOOD_FILE
    assert last_good.path.read_text(encoding="utf-8") == GOOD_CONTENT
    assert sorted(p.name for p in last_good.path.parent.iterdir()) == [LAST_GOOD_FILE]


def test_a_broken_file_at_start_falls_back_to_the_last_good_copy(
    tmp_path: Path, content_folder: Path
) -> None:
    path = content_folder / "content.yaml"
    last_good = LastGoodContent(path, tmp_path / "state")
    load_content(path)
    last_good.remember()
    path.write_text(BROKEN_CONTENT, encoding="utf-8")  # a typo, then a power cut
    with pytest.raises(ContentError):
        load_content(path)

    content = LastGoodContent(path, tmp_path / "state").load()  # the next start
    assert content is not None
    assert [slide.id for slide in content.slides] == ["welcome", "garden"]
    gallery = content.slides[1]
    media = MediaLibrary(path.parent)  # media stay relative to the real content folder
    image = media.image(gallery.images[0].image)
    assert image is not None
    assert image.size().toTuple() == (32, 24)


def test_the_last_good_copy_is_checked_against_the_real_content_folder(
    tmp_path: Path, content_folder: Path, caplog
) -> None:
    path = content_folder / "content.yaml"
    last_good = LastGoodContent(path, tmp_path / "state")
    last_good.remember()
    outside = tmp_path / "outside"
    (content_folder / "img").rename(outside)
    (content_folder / "img").symlink_to(outside)  # now img/ leads out of the content folder
    assert last_good.load() is None
    assert "does not load either" in caplog.text


def test_without_a_copy_there_is_no_fallback(tmp_path: Path, content_folder: Path) -> None:
    assert LastGoodContent(content_folder / "content.yaml", tmp_path / "state").load() is None


# --- the wired show --------------------------------------------------------------------------


def test_the_show_survives_a_view_that_raises_in_paint(
    make_show, qtbot, monkeypatch, caplog
) -> None:
    """The stage logs the fault once, paints the background instead and skips the slide.

    Nothing may escape paintEvent: pytest-qt fails the test on any exception Qt reports.
    """
    show = make_show()
    stage, player = show.stage, show.player
    assert player.index == 0
    view = stage.views[player.index]

    def paint_content(*_args: object) -> None:
        raise RuntimeError("a bug in this view")

    monkeypatch.setattr(view, "paint_content", paint_content)
    for _ in range(3):
        player.toggle_language()  # the settled image is painted anew
        stage.repaint()
    qtbot.waitUntil(lambda: player.index == 1)
    stage.repaint()  # the next slide paints as usual
    failures = [r for r in caplog.records if "failed to paint" in r.getMessage()]
    assert len(failures) == 1
    assert "slide cover" in failures[0].getMessage()
    assert failures[0].exc_info is not None
    assert failures[0].exc_info[0] is RuntimeError


def test_a_layer_that_raises_while_painting_is_hidden_and_the_show_stays(
    make_show, qtbot, monkeypatch
) -> None:
    """One broken overlay must neither crash the kiosk nor make it flip slides."""
    show = make_show()
    from kiosk.supervision import ExceptionGuard

    guard = ExceptionGuard(show.player.next)
    guard.install()
    seen = []
    show.player.position_changed.connect(lambda i, d: seen.append(i))
    try:
        layer = show.stage._layers[0]

        def paint(*_args: object) -> None:
            raise RuntimeError("layer bug")

        monkeypatch.setattr(layer, "paint", paint)
        show.stage.update()
        qtbot.wait(1000)
    finally:
        guard.uninstall()
    assert seen == []
    assert show.window.isVisible()
