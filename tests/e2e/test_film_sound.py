"""A film with `audio: true` is heard, and silent in a blackout or under the help panel: the
nearest real thing to a speaker here is a PulseAudio null sink on a private daemon, whose
monitor the test records while a real show (offscreen) plays a film with a 440 Hz tone."""

from __future__ import annotations

import array
import math
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from films import make_clip

pytestmark = pytest.mark.slow

RATE = 8000
RUNNER = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from kiosk.app import build_show
from kiosk.content import load_content
from kiosk.core.player import Overlay
from kiosk.ui.fonts import register_fonts

app = QApplication([])
deck = Path(sys.argv[1])
show = build_show(load_content(deck), deck.parent, register_fonts(), kiosk=False)
show.window.resize(640, 360)
show.window.show()

def phase(name):
    print("PHASE", name, time.time(), flush=True)

steps = [
    (lambda: phase("audible"), 1500),
    (lambda: (show.player.set_blackout(True), phase("blackout")), 1500),
    (lambda: (show.player.set_blackout(False), phase("audible-again")), 1500),
    (lambda: (show.player.set_overlay(Overlay.HELP), phase("help")), 1500),
    (lambda: (phase("end"), app.quit()), 0),
]

def run(index=0):
    action, wait = steps[index]
    action()
    if index + 1 < len(steps):
        QTimer.singleShot(wait, lambda: run(index + 1))

def start_when_playing():
    if show.films.playing_index == 0 and show.films.deck.screen.frames > 0:
        QTimer.singleShot(500, run)  # the sound reaches the sink a little after the picture
    else:
        QTimer.singleShot(50, start_when_playing)

start_when_playing()
app.exec()
"""


@pytest.fixture
def pulse(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A private PulseAudio daemon with one null sink; the environment that reaches it."""
    if shutil.which("pulseaudio") is None or shutil.which("parec") is None:
        pytest.skip("pulseaudio is not installed (./dev.sh test installs it)")
    folder = tmp_path / "pulse"
    folder.mkdir()
    socket = folder / "native"
    env = dict(os.environ, HOME=str(folder), PULSE_RUNTIME_PATH=str(folder / "run"))
    env.pop("PULSE_SERVER", None)
    daemon = subprocess.Popen(
        [
            "pulseaudio",
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "-L",
            f"module-native-protocol-unix socket={socket} auth-anonymous=1",
            "-L",
            "module-null-sink sink_name=kiosk_null",
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = dict(env, PULSE_SERVER=f"unix:{socket}")
    deadline = time.monotonic() + 10
    while subprocess.run(["pactl", "info"], env=client, capture_output=True).returncode != 0:
        if daemon.poll() is not None or time.monotonic() > deadline:
            daemon.kill()
            pytest.fail("the private PulseAudio daemon did not start")
        time.sleep(0.05)
    try:
        yield client
    finally:
        daemon.terminate()
        daemon.wait(timeout=5)


def _rms(samples: array.array) -> float:
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0


def test_a_film_with_sound_is_heard_and_silent_in_blackout_and_under_help(
    pulse: dict[str, str], tmp_path: Path
) -> None:
    make_clip(tmp_path / "tone.mp4", seconds=2.0, audio=True)
    deck = tmp_path / "content.yaml"
    deck.write_text(
        "settings: {volume: 100}\n"
        "slides:\n"
        "  - {id: film, type: video, title: Tone, video: tone.mp4, play: loop, audio: true}\n",
        encoding="utf-8",
    )
    recorder = subprocess.Popen(
        [
            *("parec", "-d", "kiosk_null.monitor", "--raw", "--format=s16le"),
            *(f"--rate={RATE}", "--channels=1", "--latency-msec=20"),
        ],
        env=pulse,
        stdout=subprocess.PIPE,
    )
    chunks: list[tuple[float, bytes]] = []

    def record() -> None:
        assert recorder.stdout is not None
        while data := recorder.stdout.read1(1600):  # type: ignore[attr-defined]
            chunks.append((time.time(), data))

    reader = threading.Thread(target=record, daemon=True)
    reader.start()
    env = dict(pulse, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(tmp_path))
    try:
        done = subprocess.run(
            [sys.executable, "-c", RUNNER, str(deck)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        recorder.terminate()
        recorder.wait(timeout=5)
        reader.join(timeout=5)
    phases = {
        line.split()[1]: float(line.split()[2])
        for line in done.stdout.splitlines()
        if line.startswith("PHASE ")
    }
    assert "end" in phases, done.stdout + done.stderr

    def loudness(start: str, end: str) -> float:
        # Chunks arrive ~20 ms after they were played; keep well inside each phase.
        begin, finish = phases[start] + 0.35, phases[end] - 0.1
        samples = array.array("h")
        for at, data in chunks:
            if begin <= at <= finish:
                samples.frombytes(data[: len(data) // 2 * 2])
        assert len(samples) > RATE // 4, f"too little recorded between {start} and {end}"
        return _rms(samples)

    heard = loudness("audible", "blackout")
    assert heard > 1000, f"the tone reaches the sink (RMS {heard:.0f})"
    assert loudness("blackout", "audible-again") < heard / 30, "silent in a blackout"
    assert loudness("audible-again", "help") > heard / 3, "heard again after the blackout"
    assert loudness("help", "end") < heard / 30, "silent under the help panel"
