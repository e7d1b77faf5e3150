"""Screen readers, end to end: the real `kiosk show` in a real window on Xvfb, a real AT-SPI bus
(`dbus-run-session` with at-spi2-core's bus launcher) and a pyatspi client, the library the
Orca screen reader uses, asking what a screen reader would ask.

What is not checked here: hearing Orca itself speak (no Orca, no speaker). The client reads the
same tree and hears the same announcement events Orca would.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_real_window import RealKiosk, _stop, xvfb_display  # noqa: F401 - a shared fixture

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
CLIENT = Path(__file__).resolve().parent / "atspi_client.py"
SYSTEM_PYTHON = "/usr/bin/python3"
REPLY_TIMEOUT = 20.0
STEP_TIMEOUT = 8.0


class ScreenReader:
    """The pyatspi client inside its own `dbus-run-session`, asked one JSON line at a time."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.bus = self._read()["bus"]

    def _read(self) -> dict:
        assert self.process.stdout is not None
        deadline = time.monotonic() + REPLY_TIMEOUT
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, left))
            line = self.process.stdout.readline() if ready else ""
            if not line:
                pytest.fail(f"the AT-SPI client said nothing (exit {self.process.poll()})")
            if line.startswith("{"):  # the bus daemons may print their own lines
                return json.loads(line)

    def ask(self, **command: object) -> dict:
        """Send a command, return its reply."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self._read()

    def tree(self) -> list[tuple[int, str, str]]:
        """(depth, role, name) of every node of the kiosk's tree ([] when it is not there)."""
        return [(depth, role, name) for depth, role, name, _ in self.nodes()]

    def nodes(self) -> list[tuple[int, str, str, bool]]:
        """(depth, role, name, checked) of every node of the kiosk's tree."""
        reply = self.ask(cmd="tree")
        return [tuple(node) for node in reply.get("tree", [])]  # type: ignore[misc]

    def wait_for(self, *names: str, timeout: float = STEP_TIMEOUT) -> list[tuple[int, str, str]]:
        """Ask for the tree until every one of `names` is a node's name; the tree."""
        deadline = time.monotonic() + timeout
        while True:
            tree = self.tree()
            have = {name for _, _, name in tree}
            if all(name in have for name in names):
                return tree
            if time.monotonic() > deadline:
                missing = [name for name in names if name not in have]
                pytest.fail(f"not in the accessibility tree: {missing}\n{tree}")
            time.sleep(0.1)


@pytest.fixture(scope="module")
def screen_reader() -> Iterator[ScreenReader]:
    missing = [t for t in ("dbus-run-session", SYSTEM_PYTHON) if shutil.which(t) is None]
    if not Path("/usr/libexec/at-spi-bus-launcher").exists():
        missing.append("at-spi2-core")
    if not missing and subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"]).returncode:
        missing.append("python3-pyatspi")
    if missing:
        pytest.skip(f"{', '.join(missing)} missing (./dev.sh test installs them)")
    process = subprocess.Popen(
        ["dbus-run-session", "--", SYSTEM_PYTHON, str(CLIENT)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        yield ScreenReader(process)
    finally:
        if process.poll() is None and process.stdin is not None:
            process.stdin.close()  # the client quits, then dbus-run-session ends the bus
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _stop(process)  # type: ignore[arg-type]


def _start_kiosk(display: str, reader: ScreenReader, tmp_path: Path, kiosk_toml: str) -> RealKiosk:
    """The bundled show, full screen on Xvfb, on the screen reader's bus, at the GDP slide."""
    config = tmp_path / "config" / "kiosk"
    config.mkdir(parents=True)
    (config / "kiosk.toml").write_text(kiosk_toml)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "KIOSK_STAFF_PIN_HASH", "AT_SPI_BUS_ADDRESS"}
    }
    env |= {
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "DBUS_SESSION_BUS_ADDRESS": reader.bus,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),  # insights: never the real ~/.local/share
        "XDG_RUNTIME_DIR": str(runtime),
        "PYTHONUNBUFFERED": "1",
    }
    log_path = tmp_path / "stderr.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "show", "content.yaml", "--start", "economy-2019"],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return RealKiosk(process, log_path, env)


# No Speech Dispatcher here (its start would only cost time): read-aloud has its own tests.
NO_SPEECH = "[accessibility]\noffer_read_aloud = false\n"


@pytest.fixture
def kiosk_with_reader(
    xvfb_display: str,  # noqa: F811 - the fixture imported above
    screen_reader: ScreenReader,
    tmp_path: Path,
) -> Iterator[RealKiosk]:
    """The bundled show on the screen reader's bus, its tree offered."""
    kiosk = _start_kiosk(xvfb_display, screen_reader, tmp_path, NO_SPEECH)
    try:
        kiosk.wait_for_window()
        kiosk.wait_for_line("screen reader listening")
        kiosk.ensure_focus()
        yield kiosk
    finally:
        _stop(kiosk.process)


def test_a_screen_reader_finds_the_slide_its_figures_and_the_next_ones(
    kiosk_with_reader: RealKiosk, screen_reader: ScreenReader
) -> None:
    tree = screen_reader.wait_for("2019年：高质量发展跑出加速度")
    nodes = {(role, name) for _, role, name in tree}
    assert ("panel", "2019年：高质量发展跑出加速度") in nodes  # the slide, named by its title
    assert ("label", "1150.2亿元 · 地区生产总值，稳居济南市第一位 · 2019 · 济南高新区") in nodes
    assert ("label", "+10.5% · 同比增长 · 2019 · 济南高新区") in nodes
    assert ("label", "2019：1150.2亿元") in nodes  # the chart's bar, as text
    assert ("push button", "无障碍选项") in nodes and ("push button", "下一张") in nodes
    assert ("push button", "切换语言：English") in nodes

    kiosk_with_reader.step("Right", 8)
    tree = screen_reader.wait_for("增速达到全市平均水平的1.8倍以上")
    names = [name for _, _, name in tree]
    figure = "≥1.8× · 规模以上工业增加值、固定资产投资、进出口总值增速，均为济南市平均水平的倍数"
    assert f"{figure} · 2019 · 济南高新区" in names
    assert "2019年：高质量发展跑出加速度" not in names  # the old slide is gone
    deadline = time.monotonic() + STEP_TIMEOUT
    while True:  # the change is announced, politely
        heard = screen_reader.ask(cmd="announcements")["announcements"]
        if "第8张，共14张：增速达到全市平均水平的1.8倍以上" in heard:
            break
        assert time.monotonic() < deadline, f"no announcement of slide 8; heard {heard}"
        time.sleep(0.1)


def test_a_screen_reader_presses_the_buttons(
    kiosk_with_reader: RealKiosk, screen_reader: ScreenReader
) -> None:
    screen_reader.wait_for("下一张")
    assert screen_reader.ask(cmd="press", name="下一张") == {"pressed": "下一张"}
    kiosk_with_reader.wait_for_slide(8)
    screen_reader.ask(cmd="press", name="切换语言：English")
    tree = screen_reader.wait_for("Growing at least 1.8× as fast as Jinan", "Next slide")
    assert "Language: 中文" in [name for _, _, name in tree]
    screen_reader.ask(cmd="press", name="Accessibility options")
    tree = screen_reader.wait_for("Larger text", "Close")
    assert (3, "check box", "Larger text", False) in screen_reader.nodes()  # a switch, off
    screen_reader.ask(cmd="press", name="Larger text")
    kiosk_with_reader.wait_for_line("larger_text=True")
    deadline = time.monotonic() + STEP_TIMEOUT
    while (3, "check box", "Larger text", True) not in screen_reader.nodes():
        assert time.monotonic() < deadline, "the switch never said it is on"
        time.sleep(0.1)


def test_soak_two_hundred_slide_changes_with_the_screen_reader_reading(
    kiosk_with_reader: RealKiosk, screen_reader: ScreenReader
) -> None:
    """Qt 6.11 has crash reports in custom accessibility trees: many quick changes while a
    client keeps walking the tree must leave the show running and the tree right."""
    screen_reader.wait_for("下一张")
    presses = subprocess.Popen(
        ["xdotool", "key", "--repeat", "200", "--delay", "25", "Right"],
        env=kiosk_with_reader.env,
    )
    walks = 0
    while presses.poll() is None:
        screen_reader.tree()  # errors on objects that vanished mid-walk are the client's
        walks += 1
    kiosk_with_reader.assert_running()
    assert walks >= 10
    time.sleep(1.0)  # the last transition ends
    kiosk_with_reader.read_log()
    last = kiosk_with_reader.slides[-1]
    assert len(kiosk_with_reader.slides) >= 150, "the keys did not move the show"
    titles = {"cover": "济南高新区", "world-class": "而立之年"}
    expected = titles.get(last.id)
    if expected is not None:
        screen_reader.wait_for(expected)
    tree = screen_reader.tree()
    panels = [name for _, role, name in tree if role == "panel"]
    assert len(panels) == 1, panels  # one slide in the tree, not a pile of old ones
    kiosk_with_reader.assert_running()


def test_the_setting_turns_the_bridge_off(
    xvfb_display: str,  # noqa: F811 - the fixture imported above
    screen_reader: ScreenReader,
    tmp_path: Path,
) -> None:
    """kiosk.toml `screen_reader = false`: the show runs, and no screen reader finds it."""
    kiosk = _start_kiosk(
        xvfb_display, screen_reader, tmp_path, NO_SPEECH + "screen_reader = false\n"
    )
    try:
        kiosk.wait_for_window()
        kiosk.wait_for_line("screen reader support is off")
        kiosk.step("Right", 8)  # it plays on
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:  # a bridge would have registered by now
            assert screen_reader.ask(cmd="tree") == {
                "error": "no kiosk application on the accessibility bus"
            }
            time.sleep(0.3)
        kiosk.assert_running()
    finally:
        _stop(kiosk.process)
