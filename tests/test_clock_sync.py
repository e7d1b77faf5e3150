"""The one probe of the clock's NTP state: timedatectl first, then the kernel's adjtimex."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kiosk import clock_sync
from kiosk.clock_sync import clock_sync_state
from kiosk.fleet.status import clock_sync_words


def _fake_timedatectl(folder: Path, output: str, code: int = 0) -> None:
    """A timedatectl on PATH that prints `output` (what `show -p NTP -p NTPSynchronized
    --value` prints: one value a line) and exits with `code`."""
    folder.mkdir(exist_ok=True)
    script = folder / "timedatectl"
    script.write_text(f"#!/bin/sh\nprintf '{output}'\nexit {code}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def fake_bin(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    return tmp_path / "bin"


def test_the_clock_from_timedatectl(fake_bin: Path) -> None:
    _fake_timedatectl(fake_bin, "yes\\nyes\\n")
    found = clock_sync_state()
    assert (found.synchronized, found.source) == (True, "timedatectl")
    assert clock_sync_words() == ("synchronized", "timedatectl")
    _fake_timedatectl(fake_bin, "yes\\nno\\n")
    assert clock_sync_state().synchronized is False
    assert clock_sync_words() == ("not synchronized", "timedatectl")
    assert "NOT synchronised" in clock_sync_state().describe()


def test_the_clock_from_adjtimex_when_timedatectl_fails(fake_bin: Path) -> None:
    _fake_timedatectl(fake_bin, "Failed to connect to bus\\n", code=1)
    found = clock_sync_state()
    assert found.source == "adjtimex", "adjtimex(2) answers on Linux"
    assert found.synchronized is not None
    assert clock_sync_words()[1] == "adjtimex"


def test_the_clock_is_unknown_when_neither_answers(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(clock_sync, "_from_adjtimex", lambda: "adjtimex: not here")
    found = clock_sync_state()
    assert found.synchronized is None
    assert "unknown" in found.describe()
    state, how = clock_sync_words()
    assert state == "unknown" and "no timedatectl" in how


def test_timedatectl_never_talks_to_systemds_notify_socket(fake_bin: Path, monkeypatch) -> None:
    """systemd's tools report their own failures to NOTIFY_SOCKET, as if the show had."""
    folder = fake_bin
    folder.mkdir(exist_ok=True)
    script = folder / "timedatectl"
    script.write_text(
        '#!/bin/sh\nif [ -n "$NOTIFY_SOCKET" ]; then exit 3; fi\nprintf "yes\\nyes\\n"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("NOTIFY_SOCKET", "/run/systemd/notify")
    assert clock_sync_state().source == "timedatectl"
