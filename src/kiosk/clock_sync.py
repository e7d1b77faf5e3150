"""Is this machine's clock synchronised (NTP)? One small probe, for the log at start and the
warning of `sync: wall_clock` (and, later, for fleet health).

It asks systemd (`timedatectl show`, which covers systemd-timesyncd and chrony alike), then the
kernel (`adjtimex`, read-only: TIME_ERROR means "not synchronised"). Screens in step need
clocks within a frame or two of each other; only NTP on every kiosk gives that.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
from dataclasses import dataclass

TIME_ERROR = 5  # adjtimex: the clock is not synchronised


@dataclass(frozen=True)
class ClockSync:
    """What the probe found."""

    synchronized: bool | None  # None: could not tell
    source: str  # "timedatectl", "adjtimex" or "" when neither answered
    detail: str  # words for the log

    def describe(self) -> str:
        """One line for the log."""
        if self.synchronized is None:
            return f"clock sync state unknown ({self.detail})"
        state = "synchronised" if self.synchronized else "NOT synchronised"
        return f"clock {state} ({self.source}: {self.detail})"


def child_environment() -> dict[str, str]:
    """Our environment without systemd's notify socket: systemd's own tools (timedatectl)
    report their failures to it ("ERRNO=112"), as if the show had said so."""
    hidden = {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"}
    return {name: value for name, value in os.environ.items() if name not in hidden}


def clock_sync_state() -> ClockSync:
    """The clock's NTP sync state, from timedatectl, else adjtimex."""
    reasons = []
    found = _from_timedatectl()
    if isinstance(found, ClockSync):
        return found
    reasons.append(found)
    found = _from_adjtimex()
    if isinstance(found, ClockSync):
        return found
    reasons.append(found)
    return ClockSync(None, "", "; ".join(reasons))


def _from_timedatectl() -> ClockSync | str:
    if shutil.which("timedatectl") is None:
        return "no timedatectl"
    try:
        done = subprocess.run(
            ["timedatectl", "show", "-p", "NTPSynchronized", "-p", "NTP", "--value"],
            capture_output=True,
            text=True,
            timeout=3,
            check=False,
            stdin=subprocess.DEVNULL,
            env=child_environment(),
        )
    except (OSError, subprocess.SubprocessError) as error:
        return f"timedatectl: {error}"
    values = done.stdout.split()
    if done.returncode != 0 or len(values) != 2:
        first = (done.stderr or "").strip().splitlines()
        return f"timedatectl: {first[0] if first else f'exit code {done.returncode}'}"
    ntp, synced = values[0] == "yes", values[1] == "yes"
    return ClockSync(synced, "timedatectl", f"NTP service {'on' if ntp else 'off'}")


class _Timex(ctypes.Structure):
    """The start of struct timex (Linux, LP64); the rest is room the kernel may write."""

    _fields_ = [
        ("modes", ctypes.c_uint),
        ("offset", ctypes.c_long),
        ("freq", ctypes.c_long),
        ("maxerror", ctypes.c_long),
        ("esterror", ctypes.c_long),
        ("status", ctypes.c_int),
        ("rest", ctypes.c_byte * 256),
    ]


def _from_adjtimex() -> ClockSync | str:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6", use_errno=True)
        timex = _Timex()  # modes 0: read only
        state = libc.adjtimex(ctypes.byref(timex))
    except (OSError, AttributeError) as error:
        return f"adjtimex: {error}"
    if state < 0:
        return f"adjtimex: error {ctypes.get_errno()}"
    detail = f"state {state}, max error {timex.maxerror / 1e6:.3f} s"
    return ClockSync(state != TIME_ERROR, "adjtimex", detail)
