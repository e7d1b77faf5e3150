"""A film with sound that stops must never freeze the show.

Qt's engine tears its audio renderer down on its own thread, which calls `disconnectNotify` of
our QAudioOutput while it holds a connection lock; the first such call on a PySide object asks
Python for an override and needs the GIL, which the GUI thread holds in
`QMediaPlayer.stop()` while it waits for that lock (kiosk.qt_threads). Each playback is new
here, so each stop is a first call. Without the fix this froze after 14-216 cycles (four runs
of tools like this one); it runs in a child process so that a freeze fails this test instead
of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from films import make_clip

CYCLES = 400
CHILD = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QElapsedTimer, QEventLoop, QEvent
from PySide6.QtWidgets import QApplication
from kiosk.slides.film_engine import FilmPlayback

app = QApplication([])
clip, cycles = Path(sys.argv[1]), int(sys.argv[2])
clock = QElapsedTimer()
for cycle in range(cycles):
    playback = FilmPlayback()
    playback.open(clip, loop=True, audio=True, volume=0.8, muted=False)
    clock.start()
    while clock.elapsed() < 5 + (cycle * 7) % 60:  # stop at every stage of starting up
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    playback.stop()
    playback.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    print("stopped", cycle + 1, flush=True)
"""


def test_films_with_sound_stopped_in_new_players_never_freeze(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "sound.mp4", seconds=1.0, audio=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(clip), str(CYCLES)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired as frozen:
        out = frozen.stdout.decode() if isinstance(frozen.stdout, bytes) else frozen.stdout or ""
        last = out.strip().splitlines()[-1:] or ["stopped 0"]
        raise AssertionError(f"the show froze stopping a film with sound ({last[0]})") from None
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == f"stopped {CYCLES}"
