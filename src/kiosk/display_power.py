"""Switch the display off in standby and on again when the show wakes (X11 DPMS via `xset`).

- Off: `xset dpms force off`, re-asserted every few minutes, because panels and input wake it
  (any X input lights a DPMS-off panel, whatever the show decides to do with the touch).
- On: `xset dpms force on`, then `xset -dpms` and `xset s off s noblank`: `force off` switched
  DPMS back on as a side effect, and left so the panel would blank ten minutes later.

Where there is no X server with DPMS (Wayland, Qt's offscreen platform, Xvfb, a missing `xset`)
the screen stays on showing the standby screen, and the log says why, once per standby.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer

from kiosk.clock_sync import child_environment

log = logging.getLogger(__name__)

REASSERT_MS = 4 * 60 * 1000  # `force off` again every four minutes while in standby
COMMAND_TIMEOUT_S = 3.0
OFF: tuple[tuple[str, ...], ...] = (("xset", "dpms", "force", "off"),)
ON: tuple[tuple[str, ...], ...] = (
    ("xset", "dpms", "force", "on"),
    ("xset", "-dpms"),  # `force off` switched DPMS on: off again, or it blanks in 10 min
    ("xset", "s", "off", "s", "noblank"),
)

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


def run_command(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """Run one xset command with a short timeout (it talks to the local X server)."""
    return subprocess.run(
        list(command),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
        check=False,
        stdin=subprocess.DEVNULL,
        env=child_environment(),
    )


class DisplayPower(QObject):
    """Follows the Player's standby: the display off (and kept off), then on again."""

    def __init__(
        self,
        platform: str,
        *,
        run: Runner = run_command,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._platform = platform
        self._run = run
        self._off = False
        self._reassert = QTimer(self)
        self._reassert.setInterval(REASSERT_MS)
        self._reassert.timeout.connect(self._switch_off)
        self.last_problem = ""

    def usable(self) -> str:
        """Why the display cannot be switched here, or "" when it can be tried."""
        if self._platform != "xcb":
            return f"the display is not an X11 screen (Qt platform {self._platform})"
        if not os.environ.get("DISPLAY"):
            return "DISPLAY is not set"
        if shutil.which("xset") is None:
            return "xset is not installed (Debian: x11-xserver-utils)"
        return ""

    def set_standby(self, standby: bool) -> None:
        """Switch off in standby (and keep it off), on again on waking."""
        if standby:
            self._off = True
            self._switch_off(first=True)
            self._reassert.start()
        elif self._off:
            self._off = False
            self._reassert.stop()
            if self._commands(ON):
                log.info("display power: on, DPMS and the screen saver off (xset)")

    def _switch_off(self, *, first: bool = False) -> None:
        problem = self.usable()
        if problem:
            if first:
                log.warning(
                    "display power: cannot switch the display off: %s; the standby "
                    "screen shows instead",
                    problem,
                )
            self.last_problem = problem
            return
        if self._commands(OFF) and first:
            log.info(
                "display power: off (xset dpms force off), re-asserted every %d min",
                REASSERT_MS // 60000,
            )

    def _commands(self, commands: Sequence[Sequence[str]]) -> bool:
        for command in commands:
            try:
                done = self._run(command)
            except (OSError, subprocess.SubprocessError) as error:
                self._report(command, str(error))
                return False
            if done.returncode != 0:
                words = (done.stderr or done.stdout or "").strip().splitlines()
                self._report(command, words[0] if words else f"exit code {done.returncode}")
                return False
        self.last_problem = ""
        return True

    def _report(self, command: Sequence[str], problem: str) -> None:
        if problem != self.last_problem:
            log.warning("display power: `%s` failed: %s", " ".join(command), problem)
        self.last_problem = problem
