"""A kill at each step of a sync (or a rollback), then a re-run: `current` is always a whole
release, and the re-run finishes the work.

A SIGKILL is not a power cut: what the process wrote stays in the page cache. The fsyncs
around each rename (kiosk/fleet/files.py) are what a power cut needs; they cannot be tested
here, short of a virtual machine pulled off its disk.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kiosk.fleet.manifest import sha256_file
from kiosk.fleet.release import SyncState, current_release, releases
from kiosk.fleet.sync import KILL_AT_ENV

if TYPE_CHECKING:
    from fleet_bench import Fleet

pytest_plugins = ["fleet_bench"]  # the nginx, keys and fleet fixtures

REPO = Path(__file__).resolve().parents[2]
BEFORE_SWITCH = ["verified", "first-file", "verified-folder", "renamed"]
AFTER_SWITCH = ["switched", "state-saved", "pruning"]


def _run_killed(fleet: Fleet, step: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        {
            KILL_AT_ENV: step,
            "KIOSK_SETTINGS": str(fleet.root.parent / "none.toml"),
            "XDG_STATE_HOME": str(fleet.root.parent / "state"),
            "HOME": str(fleet.root.parent / "home"),
        }
    )
    command = [sys.executable, "-m", "kiosk", "sync", *args, "--into", str(fleet.root)]
    return subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def _assert_whole(fleet: Fleet, version: int) -> None:
    current = current_release(fleet.root)
    assert current is not None, "current is not a whole release"
    assert current.version == version
    for entry in current.manifest.files:
        assert sha256_file(current.folder / entry.path) == entry.sha256, entry.path


def _three_releases_then_a_fourth(fleet: Fleet) -> None:
    for number in (1, 2, 3):
        fleet.publish(f"R{number}", picture=number)
        fleet.sync()
    fleet.publish("R4", picture=4)


@pytest.mark.parametrize("step", BEFORE_SWITCH + AFTER_SWITCH)
def test_a_kill_at_each_step_leaves_current_whole_and_a_rerun_finishes(
    fleet: Fleet, step: str
) -> None:
    _three_releases_then_a_fourth(fleet)
    done = _run_killed(
        fleet, step, fleet.server.url, "--pubkey", str(fleet.keys.public), "--timeout", "5"
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    _assert_whole(fleet, 3 if step in BEFORE_SWITCH else 4)
    assert fleet.current_title() == ("R3" if step in BEFORE_SWITCH else "R4")

    outcome = fleet.sync()  # the next run (a timer's, or after the reboot)
    assert outcome.version == 4
    _assert_whole(fleet, 4)
    names = sorted(path.name for path in (fleet.root / "releases").iterdir())
    assert names == ["2", "3", "4"], names  # no .partial, no .trash- left, three kept
    assert SyncState.load(fleet.root).highest == 4
    assert fleet.sync().result == "unchanged"


def test_a_kill_during_a_rollback_then_a_rerun_finishes_it(fleet: Fleet) -> None:
    _three_releases_then_a_fourth(fleet)
    fleet.sync()
    done = _run_killed(fleet, "rollback-state", "--rollback")
    assert done.returncode == -signal.SIGKILL, done.stderr
    _assert_whole(fleet, 4)  # the pin is stored, the link not switched yet
    assert _run_killed(fleet, "none", "--rollback").returncode == 0
    _assert_whole(fleet, 3)
    assert fleet.sync().result == "pinned"  # release 4 is not taken again
    _assert_whole(fleet, 3)
    assert [release.version for release in releases(fleet.root)] == [2, 3, 4]
