"""A private Xvfb screen for the display and film benches (and the real-window tests).

Xvfb writes its display number to `-displayfd` once it accepts connections, so nothing waits
a fixed time; a display number whose lock or socket exists is taken (by another run, or by a
server that died without cleaning up) and skipped.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

READY_TIMEOUT_S = 15.0


class XvfbError(RuntimeError):
    """No Xvfb here, or none could start; the message says which."""


def display_taken(number: int) -> bool:
    """True when display :number has a lock file or a socket."""
    return Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists()


def start_xvfb(
    number: int,
    size: tuple[int, int],
    *,
    preexec_fn: Callable[[], None] | None = None,
    timeout_s: float = READY_TIMEOUT_S,
) -> subprocess.Popen[bytes] | None:
    """Xvfb of `size` on :number (no TCP, no reset when the last client leaves), returned once
    it accepts connections; None when the display is taken or the server did not come up."""
    if display_taken(number):
        return None
    read_end, write_end = os.pipe()
    try:
        server = subprocess.Popen(
            [
                *("Xvfb", f":{number}", "-screen", "0", f"{size[0]}x{size[1]}x24"),
                *("-nolisten", "tcp", "-noreset", "-displayfd", str(write_end)),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(write_end,),
            preexec_fn=preexec_fn,
        )
    finally:
        os.close(write_end)
    with os.fdopen(read_end, "rb") as ready:  # EOF: it gave up (the number was taken)
        answer = b""
        if select.select([ready], [], [], timeout_s)[0]:
            answer = ready.readline().strip()
    if answer == str(number).encode():
        return server
    stop_process(server)
    return None


def private_xvfb(
    size: tuple[int, int],
    numbers: Iterable[int],
    *,
    preexec_fn: Callable[[], None] | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb of `size` on the first free display of `numbers`: (process, DISPLAY value)."""
    if shutil.which("Xvfb") is None:
        raise XvfbError("Xvfb is not installed (Debian: apt-get install xvfb; ./dev.sh test does)")
    tried = list(numbers)
    for number in tried:
        server = start_xvfb(number, size, preexec_fn=preexec_fn)
        if server is not None:
            return server, f":{number}"
    raise XvfbError(f"no free X display in :{tried[0]}..:{tried[-1]}")


def stop_process(process: subprocess.Popen[Any], sig: int = signal.SIGTERM) -> int | None:
    """End a child process (a signal, then kill after 5 s); its exit code."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    return process.returncode
