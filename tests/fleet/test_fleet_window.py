"""The real window on Xvfb: `kiosk show ROOT/current/content.yaml` shows a new release within
a few seconds of a sync from nginx (the link switched, not the folder edited).

The screen is read back through X (a Qt screen grab in a helper process), so the test sees
what a visitor would: the second release's colours and title, not only a log line.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage

from kiosk.fleet.bundle import bundle
from kiosk.fleet.signing import load_secret_key

if TYPE_CHECKING:
    from fleet_bench import Fleet

pytest_plugins = ["fleet_bench"]  # the nginx, keys and fleet fixtures

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
DISPLAYS = range(200, 250)  # apart from test_real_window's, which may run at the same time
SWITCH_TIMEOUT_S = 10.0  # "within a few seconds": the watch sees the link at once, the poll in 1 s
FIRST = "#0b1f2a"  # the default background
SECOND = "#5b2a86"

_spec = importlib.util.spec_from_file_location(
    "real_window_helpers", REPO / "tests" / "e2e" / "test_real_window.py"
)
assert _spec is not None and _spec.loader is not None
_helpers = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _helpers  # its dataclasses look themselves up there
_spec.loader.exec_module(_helpers)

GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
image = app.primaryScreen().grabWindow(0).toImage()
image.save(sys.argv[1])
print(image.pixelColor(8, 8).name(), image.width(), image.height())
"""


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A private Xvfb (1280x720, no window manager) on a free display."""
    _helpers._require("Xvfb", "xdotool")
    for number in DISPLAYS:
        server = _helpers._start_xvfb(number)
        if server is not None:
            break
    else:
        pytest.fail(f"no free X display in :{DISPLAYS[0]}..:{DISPLAYS[-1]}")
    try:
        yield f":{number}"
    finally:
        _helpers._stop(server)


def _publish(fleet: Fleet, title: str, background: str) -> None:
    folder = fleet.content
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "content.yaml").write_text(
        f'settings: {{default_duration: 600, theme: {{background: "{background}"}}}}\n'
        "slides:\n"
        f"  - {{id: only, type: text, title: {title}, body: {title}}}\n",
        encoding="utf-8",
    )
    secret = load_secret_key(fleet.keys.secret, lambda: "")
    manifest = bundle(folder, fleet.server.publish, secret)
    stamp = time.time() + manifest.version  # a new mtime, as a copy to a real server gives
    os.utime(fleet.server.publish / "manifest.json", (stamp, stamp))


def _nearest(colour: str) -> str:
    """Which release's background (a gradient around its colour) `colour` is nearest to."""

    def distance(other: str) -> int:
        return sum((int(colour[i : i + 2], 16) - int(other[i : i + 2], 16)) ** 2 for i in (1, 3, 5))

    return min((FIRST, SECOND), key=distance)


def _title(path: Path) -> QImage:
    """The title's corner of a screenshot (where "Release-one" / "Release-two" is drawn)."""
    return QImage(str(path)).copy(QRect(40, 50, 400, 90))


def _grab(env: dict[str, str], path: Path) -> str:
    """The release whose background is at the screen's top-left corner, after saving a
    screenshot to `path`."""
    done = subprocess.run(
        [sys.executable, "-c", GRAB, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    colour, width, height = done.stdout.split()
    assert (int(width), int(height)) == _helpers.SCREEN
    return _nearest(colour)


def test_the_window_shows_the_new_release_after_a_sync(
    fleet: Fleet, display: str, tmp_path: Path
) -> None:
    _publish(fleet, "Release-one", FIRST)
    fleet.sync()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "KIOSK_STAFF_PIN_HASH"}
    }
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env |= {
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),  # insights: never the real ~/.local/share
        "XDG_RUNTIME_DIR": str(runtime),
        "KIOSK_SETTINGS": str(tmp_path / "none.toml"),
        "PYTHONUNBUFFERED": "1",
    }
    content = fleet.root / "current" / "content.yaml"
    log_path = tmp_path / "kiosk.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "show", str(content)],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    kiosk = _helpers.RealKiosk(process, log_path, env)
    try:
        kiosk.wait_for_window()
        kiosk.wait_for_line("showing ")
        assert _grab(env, tmp_path / "first.png") == FIRST

        _publish(fleet, "Release-two", SECOND)
        synced = time.monotonic()
        assert fleet.sync().version == 2
        kiosk.wait_for_line(f"content reloaded from {content}", timeout=SWITCH_TIMEOUT_S)
        deadline = synced + SWITCH_TIMEOUT_S
        while (colour := _grab(env, tmp_path / "second.png")) != SECOND:
            kiosk.assert_running()
            assert time.monotonic() < deadline, f"still {colour} on screen:\n{kiosk.log_text()}"
        assert _title(tmp_path / "second.png") != _title(tmp_path / "first.png")
        print(f"the new release was on screen {time.monotonic() - synced:.2f} s after the sync")
        status = (tmp_path / "state" / "kiosk" / "log" / "status.txt").read_text()
        assert status.startswith("OK ") and "applied" in status
    finally:
        _helpers._stop(process)
