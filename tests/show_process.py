"""A real `python -m kiosk show` in a child process, offscreen, with HOME and XDG_RUNTIME_DIR in
tmp_path so its log, state and lock files never touch the user's (the instance, sd_notify and
supervision tests start it through the `start_show` fixture)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DECK = "tests/fixtures/decks/chapters.yaml"
START_TIMEOUT_S = 60.0  # a cold start of Python + Qt on a slow CI machine, generously
SUN_PATH_MAX = 100  # AF_UNIX paths must fit in 108 bytes; keep a margin


# --- running the real show in a child process ------------------------------------------------


def show_env(tmp_path: Path, **extra: str) -> dict[str, str]:
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


def show_command(content: str = DECK, *extra: str) -> list[str]:
    return [sys.executable, "-m", "kiosk", "show", content, "--windowed", *extra]


class ShowProcess:
    """A child `kiosk show` whose stderr is read line by line on a thread (so it never blocks)."""

    def __init__(self, env: dict[str, str], content: str = DECK, *extra: str) -> None:
        self.process = subprocess.Popen(
            show_command(content, *extra),
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
