"""One kiosk per display: the instance lock and what a second show does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.instance import AlreadyRunning, InstanceLock
from show_process import (
    REPO,
    START_TIMEOUT_S,
    show_command,
    show_env,
)

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
    env = show_env(tmp_path)
    first = start_show(env)
    first.wait_for("showing")
    second = subprocess.run(
        show_command(),
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


def test_sigterm_ends_the_show_cleanly_and_frees_the_display(tmp_path: Path, start_show) -> None:
    """systemd's stop: exit code 0, the last log line written, the lock released (a clean
    release empties the lock file; a killed process would leave its pid in it)."""
    env = show_env(tmp_path)
    first = start_show(env)
    first.wait_for("showing")
    lock = Path(env["XDG_RUNTIME_DIR"]) / f"kiosk-{os.getuid()}-default.lock"
    assert lock.read_text() == str(first.pid)
    os.kill(first.pid, signal.SIGTERM)
    assert first.process.wait(timeout=START_TIMEOUT_S) == 0, first.stderr
    first.wait_for("the show ended")
    assert "SIGTERM: the show ends" in first.stderr
    assert "Traceback" not in first.stderr
    [log] = (tmp_path / "home").rglob("kiosk.log")
    assert log.read_text(encoding="utf-8").rstrip().endswith("the show ended")
    assert lock.read_text() == ""
    second = start_show(env)  # the display is free for the next start
    second.wait_for("showing")
