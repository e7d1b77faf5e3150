"""systemd's notify socket and watchdog: READY, pings from the GUI thread, silence when frozen."""

from __future__ import annotations

import logging
import logging.handlers
import os
import secrets
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from kiosk.sdnotify import Watchdog, notify, watchdog_interval_ms
from show_process import (
    START_TIMEOUT_S,
    SUN_PATH_MAX,
    show_env,
)


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
    show = start_show(show_env(tmp_path, NOTIFY_SOCKET=path, WATCHDOG_USEC="200000"))
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
        qtbot.waitUntil(lambda: len(recorder.arrivals) >= 3, timeout=2000)
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


def test_the_watchdog_is_served_in_standby(tmp_path: Path, notify_socket, start_show) -> None:
    """A show that starts in standby (a closed Monday, rehearsed with --at) still paints its
    first frame, says READY=1, and pings the watchdog."""
    sock, path = notify_socket
    env = show_env(tmp_path, NOTIFY_SOCKET=path, WATCHDOG_USEC="200000")
    show = start_show(env, "tests/fixtures/decks/hall.yaml", "--at", "2026-11-30T12:00:00")
    assert _receive(sock, START_TIMEOUT_S) == "READY=1"
    assert [_receive(sock, 5.0) for _ in range(3)] == ["WATCHDOG=1"] * 3
    show.wait_for("hall: standby until Tue 2026-12-01 08:50", timeout=10.0)
