"""Display power in standby: the xset commands, in order, and what happens where they fail."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Sequence

import pytest

from kiosk.display_power import DisplayPower


class FakeXset:
    """Records the commands; fails those whose words contain `failing`."""

    def __init__(self, failing: str = "") -> None:
        self.commands: list[str] = []
        self.failing = failing

    def __call__(self, command: Sequence[str]) -> subprocess.CompletedProcess[str]:
        line = " ".join(command)
        self.commands.append(line)
        if self.failing and self.failing in line:
            return subprocess.CompletedProcess(
                command, 1, "", "server does not have extension for dpms option\n"
            )
        return subprocess.CompletedProcess(command, 0, "", "")


@pytest.fixture
def x11(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")


def test_standby_switches_off_and_waking_undoes_what_force_off_switched_on(
    qtbot, x11: None
) -> None:
    xset = FakeXset()
    power = DisplayPower("xcb", run=xset)
    power.set_standby(True)
    assert xset.commands == ["xset dpms force off"]
    power._reassert.timeout.emit()  # a few minutes later: off again (panels lose it)
    assert xset.commands[-1] == "xset dpms force off"
    power.set_standby(False)
    # `force off` enabled DPMS: disable it again, or the panel blanks ten minutes later.
    assert xset.commands[-3:] == ["xset dpms force on", "xset -dpms", "xset s off s noblank"]
    assert not power._reassert.isActive()


def test_without_dpms_the_log_says_why_once_and_the_standby_screen_shows(
    qtbot, x11: None, caplog: pytest.LogCaptureFixture
) -> None:
    xset = FakeXset(failing="dpms")
    power = DisplayPower("xcb", run=xset)
    with caplog.at_level(logging.INFO, logger="kiosk.display_power"):
        power.set_standby(True)
        power._reassert.timeout.emit()
    failures = [r.message for r in caplog.records if "failed" in r.message]
    assert failures == [
        "display power: `xset dpms force off` failed: server does not have extension for dpms "
        "option"
    ]


def test_off_x11_nothing_is_run(qtbot, caplog: pytest.LogCaptureFixture) -> None:
    xset = FakeXset()
    power = DisplayPower("offscreen", run=xset)
    with caplog.at_level(logging.INFO, logger="kiosk.display_power"):
        power.set_standby(True)
    assert xset.commands == []
    assert "not an X11 screen" in caplog.text
