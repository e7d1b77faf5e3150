"""The hall's clock on real X servers (Xvfb, no window manager), screenshots through python-xlib:

- `kiosk show --at` a closed hour shows the standby screen, and the simulated clock runs at
  normal speed into opening time, when the show wakes;
- two kiosks on two X displays, started seconds apart, show the same picture at the same
  instants. Both run on this machine and so read one clock: their skew shows that the timeline
  is deterministic and that each screen keeps to it, not that NTP keeps two machines together.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from test_real_window import SCREEN, _start_xvfb, _stop

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

Xlib = pytest.importorskip("Xlib.display", reason="python-xlib is a test dependency")
from Xlib import X  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DECKS = REPO / "tests" / "fixtures" / "decks"
DISPLAYS = range(210, 260)  # away from test_real_window's range: other runs use Xvfb too
START_TIMEOUT = 20.0
STATIC_S = 0.5  # a picture unchanged this long is a slide at rest; its next change, a boundary


@dataclass
class Screen:
    """An Xvfb display and a python-xlib connection to it."""

    name: str
    server: subprocess.Popen[bytes]
    connection: object = field(init=False)

    def __post_init__(self) -> None:
        self.connection = Xlib.Display(self.name)

    def grab(self, x: int = 0, y: int = 0, width: int = 0, height: int = 0) -> bytes:
        """The pixels of a region of the screen (the whole screen by default), BGRX."""
        root = self.connection.screen().root  # type: ignore[attr-defined]
        image = root.get_image(x, y, width or SCREEN[0], height or SCREEN[1], X.ZPixmap, 0xFFFFFFFF)
        return bytes(image.data)

    def close(self) -> None:
        self.connection.close()  # type: ignore[attr-defined]
        _stop(self.server)


def _free_screen() -> Screen:
    for number in DISPLAYS:
        server = _start_xvfb(number)
        if server is not None:
            return Screen(f":{number}", server)
    pytest.fail(f"no free X display in :{DISPLAYS[0]}..:{DISPLAYS[-1]}")


@pytest.fixture
def screens() -> Iterator[list[Screen]]:
    """Up to two Xvfb screens, each on a free display; stopped after the test."""
    if not Path("/usr/bin/Xvfb").exists() and not any(
        (Path(p) / "Xvfb").exists() for p in os.environ.get("PATH", "").split(":")
    ):
        pytest.skip("Xvfb is not installed (./dev.sh test installs it)")
    made: list[Screen] = []
    yield made
    for screen in made:
        screen.close()


class Kiosk:
    """A `kiosk show` full screen on one display, its log in a file."""

    def __init__(self, display: str, tmp_path: Path, name: str, *args: str) -> None:
        home = tmp_path / name
        runtime = home / "run"
        runtime.mkdir(parents=True, mode=0o700)
        self.log = home / "kiosk.log"
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "KIOSK_STAFF_PIN_HASH"}
        }
        env |= {
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_RUNTIME_DIR": str(runtime),
            "PYTHONUNBUFFERED": "1",
        }
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kiosk", "show", *args],
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def text(self) -> str:
        return self.log.read_text("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            if self.process.poll() is not None:
                pytest.fail(f"kiosk exited ({self.process.returncode}):\n{self.text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {needle!r} in the log within {timeout} s:\n{self.text()}")
            time.sleep(0.05)

    def stop(self) -> None:
        _stop(self.process)  # type: ignore[arg-type]


def brightest(pixels: bytes) -> int:
    """The brightest channel value in BGRX pixels (every 7th pixel: enough for a screen)."""
    return max(max(pixels[i : i + 3]) for i in range(0, len(pixels), 28))


def wait_for_picture(screen: Screen, lit: bool, timeout: float = START_TIMEOUT) -> bytes:
    """Poll until the screen shows something (or is black again)."""
    deadline = time.monotonic() + timeout
    while True:
        pixels = screen.grab()
        if (brightest(pixels) > 40) == lit:
            return pixels
        if time.monotonic() > deadline:
            pytest.fail(f"the screen is still {'black' if lit else 'lit'} after {timeout} s")
        time.sleep(0.1)


def test_at_a_closed_hour_shows_standby_then_wakes_at_opening_time(
    screens: list[Screen], tmp_path: Path
) -> None:
    screens.append(_free_screen())
    screen = screens[0]
    # Tuesday 2026-12-01 in Shanghai: the show wakes at 08:50, ten minutes before opening.
    kiosk = Kiosk(
        screen.name, tmp_path, "rehearsal", str(DECKS / "hall.yaml"), "--at", "2026-12-01T08:49:57"
    )
    try:
        kiosk.wait_for("showing ")
        assert "hall: standby until 08:50" in kiosk.text()
        assert brightest(screen.grab()) <= 8  # black, in a full-screen window that is there
        assert "display power" not in kiosk.text()  # a rehearsal never switches it off
        assert "insights: not recording" in kiosk.text()  # nor is it ever recorded
        kiosk.wait_for("standby: the show wakes", timeout=15)
        wait_for_picture(screen, lit=True, timeout=10)  # the cover, on the simulated clock
    finally:
        kiosk.stop()


def changes(samples: list[tuple[float, bytes]]) -> list[float]:
    """Times at which the picture changed after standing still for STATIC_S."""
    found, still_since, previous = [], None, None
    for when, digest in samples:
        if digest != previous:
            if still_since is not None and when - still_since >= STATIC_S:
                found.append(when)
            still_since = when
        previous = digest
    return found


def test_two_kiosks_started_seconds_apart_show_the_same_picture_at_the_same_instants(
    screens: list[Screen], tmp_path: Path
) -> None:
    screens.extend([_free_screen(), _free_screen()])
    deck = str(DECKS / "synced.yaml")
    first = Kiosk(screens[0].name, tmp_path, "first", deck)
    second = None
    try:
        first.wait_for("showing ")
        wait_for_picture(screens[0], lit=True)
        started = time.monotonic()
        while time.monotonic() - started < 2.0:  # "seconds apart": let the first one run
            screens[0].grab(0, 0, 8, 8)
        second = Kiosk(screens[1].name, tmp_path, "second", deck)
        second.wait_for("showing ")
        wait_for_picture(screens[1], lit=True)
        # Watch the title region of both screens, alternately, through three boundaries.
        region = (0, 0, SCREEN[0] // 2, SCREEN[1] // 4)
        samples: list[list[tuple[float, bytes]]] = [[], []]
        deadline = time.monotonic() + 16.0
        while time.monotonic() < deadline:
            for index in (0, 1):
                digest = hashlib.blake2b(screens[index].grab(*region), digest_size=8).digest()
                samples[index].append((time.monotonic(), digest))
            if min(len(changes(s)) for s in samples) >= 3:
                break
            time.sleep(0.004)  # ~100 looks a second at each screen, leaving the CPU to them
        one, two = changes(samples[0]), changes(samples[1])
        assert len(one) >= 3 and len(two) >= 3, (one, two)
        skews = []
        for moment in one[:3]:
            nearest = min(two, key=lambda other: abs(other - moment))
            skews.append(nearest - moment)
        period = (samples[0][-1][0] - samples[0][0][0]) / len(samples[0])
        print(
            f"\nskew between the two screens at 3 boundaries: "
            f"{', '.join(f'{s * 1000:+.0f} ms' for s in skews)} "
            f"(each screen sampled every {period * 1000:.0f} ms)"
        )
        assert max(abs(s) for s in skews) < 0.15, skews
        # And at rest, the same picture, pixel for pixel, on both screens at once.
        still = one[-1] + 2.6  # past the fade (0.5 s) and the entrance (1.6 s) of the slide
        while time.monotonic() < still:
            screens[0].grab(0, 0, 8, 8)
        # The same picture: the slide, the dots and the language switch. What moves by itself
        # is redrawn on each screen's own frame tick (the pulsing "touch" hint, every 33 ms,
        # the autoplay line, every 100 ms), so those differ by a tick's worth at most.
        left, right = (np.frombuffer(s.grab(), np.uint8).astype(int) for s in screens[:2])
        differ = np.abs(left - right).reshape(SCREEN[1], SCREEN[0], 4)[:, :, :3].max(axis=2)
        rows, columns = np.nonzero(differ > 16)
        print(f"pixels that differ by more than 16 levels: {len(rows)} of {differ.size}")
        hint = (rows < 60) & (columns > SCREEN[0] // 2)  # the top right: the pulsing hint
        line = rows > SCREEN[1] - 24  # the autoplay line in the bottom strip
        odd = ~(hint | line)
        assert np.all(~odd), list(zip(rows[odd][:5], columns[odd][:5], strict=True))
        assert "slide " in second.text() or "hall:" in second.text()
    finally:
        first.stop()
        if second is not None:
            second.stop()
