"""A real `kiosk show` whose data folder is a full disk or a read-only file system: the show
keeps looping, the log says so once, and (full disk) once there is room the statistics kept
in memory meanwhile are written.

The folder is a tiny tmpfs mounted in a private mount namespace (`unshare --user --mount`),
so no privileges are needed beyond unprivileged user namespaces; without them the test is
skipped and tests/insights/test_storage.py covers the same paths through SQLite's own
read-only, full and locked errors.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import show_process
from show_process import ShowProcess, show_env

pytestmark = pytest.mark.slow
DECK = "tests/fixtures/decks/quick.yaml"
FAILED = "insights: cannot write"
RECOVERED = "insights: writing"
WAIT_S = 30.0


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "true"],
        capture_output=True,
        timeout=10,
    )
    return done.returncode == 0


def _start(tmp_path: Path, monkeypatch, prepare: str, start_show) -> tuple[ShowProcess, Path]:
    """`kiosk show` on the quick deck with its data folder on a 256 KB tmpfs, after the shell
    commands `prepare` ran there ($0 is the folder)."""
    if not _unshare_works():
        pytest.skip("unprivileged user and mount namespaces (unshare) are not available here")
    env = show_env(tmp_path)
    data = Path(env["HOME"]) / ".local" / "share"
    data.mkdir(parents=True)
    settings = tmp_path / "kiosk.toml"
    settings.write_text("[insights]\nwrite_every_seconds = 0.5\n", encoding="utf-8")
    env["KIOSK_SETTINGS"] = str(settings)
    script = f'mount -t tmpfs -o size=256k tmpfs "$0" && {prepare} && exec "$@"'
    command = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, str(data)]
    command += [sys.executable, "-m", "kiosk", "show", DECK, "--windowed"]
    monkeypatch.setattr(show_process, "show_command", lambda *_args, **_kwargs: command)
    return start_show(env), data


def _lines(show: ShowProcess, text: str) -> int:
    return sum(text in line for line in show.stderr.splitlines())


def _keeps_looping(show: ShowProcess, slides: int = 2) -> None:
    """The show moves on by itself `slides` more times (its entrance, then one second),
    while the recorder tries again and again."""
    before = _lines(show, "slide ")
    deadline = time.monotonic() + WAIT_S
    while _lines(show, "slide ") < before + slides:
        assert show.process.poll() is None, show.stderr
        if time.monotonic() > deadline:
            pytest.fail(f"the show stopped moving:\n{show.stderr}")
        time.sleep(0.1)


def test_a_full_disk_costs_statistics_not_the_show(tmp_path, monkeypatch, start_show) -> None:
    fill = 'head -c 100000000 /dev/zero > "$0/filler" 2>/dev/null; mkdir -p "$0/kiosk"'
    show, data = _start(tmp_path, monkeypatch, fill, start_show)
    show.wait_for(FAILED)
    # Three moves: the failure can come before the first one (the first slide is up in its
    # final state at once, so it stays only its duration), and three slides must have ended.
    _keeps_looping(show, slides=3)
    assert _lines(show, FAILED) == 1, show.stderr
    assert "full" in next(line for line in show.stderr.splitlines() if FAILED in line)
    # Make room, as staff would: the kiosk writes what it kept meanwhile.
    inside = Path(f"/proc/{show.pid}/root") / data.relative_to("/")
    (inside / "filler").unlink()
    room_at = time.time()
    show.wait_for(RECOVERED, timeout=WAIT_S)
    for suffix in ("", "-wal"):  # SQLite cannot open a path through /proc/PID/root: copy
        shutil.copy(inside / "kiosk" / f"insights.sqlite3{suffix}", tmp_path / f"copy{suffix}")
    with sqlite3.connect(tmp_path / "copy") as connection:
        first, count = connection.execute(
            "SELECT MIN(started), COUNT(*) FROM slides_shown"
        ).fetchone()
    assert count >= 3 and first < room_at - 2, "the slides shown while the disk was full are lost"
    assert _lines(show, FAILED) == 1, show.stderr


def test_a_read_only_database_costs_statistics_not_the_show(
    tmp_path, monkeypatch, start_show
) -> None:
    create = (
        f'mkdir "$0/kiosk" && {sys.executable} -c "import sys, pathlib; '
        "from kiosk.insights.storage.database import connect; "
        "connect(pathlib.Path(sys.argv[1]) / 'kiosk' / 'insights.sqlite3').close()\" \"$0\" "
        '&& mount -o remount,ro "$0"'
    )
    show, _data = _start(tmp_path, monkeypatch, create, start_show)
    show.wait_for(FAILED)
    _keeps_looping(show)
    assert _lines(show, FAILED) == 1, show.stderr
