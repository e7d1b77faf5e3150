"""Read-aloud: the worker process, what is sent for each slide type (zh and en) to the real
Speech Dispatcher with espeak-ng, the sound reaching a PulseAudio null sink, the hardware key,
and no read-aloud without an engine.

There is no speaker here: the nearest real thing is Speech Dispatcher's espeak-ng module
playing into a PulseAudio null sink, whose monitor the test records (`parec`), and the engine's
own state changes. Qt's "mock" engine (a real Qt plugin that speaks silently with timers) runs
the quick tests of the wiring; it has English voices only.
"""

from __future__ import annotations

import array
import logging
import math
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.app import build_show
from kiosk.content import Content, parse_content
from kiosk.content.spoken import READ_ALOUD_INTRO, speech_text
from kiosk.core.player import Overlay, Player
from kiosk.ui.speech import ReadAloud, SpeechWorker, key_named

ENGLISH_DECK = b"""
settings: {languages: [en], default_language: en, default_duration: 600}
slides:
  - {id: a, type: text, title: First, body: One}
  - {id: b, type: text, title: Second, body: Two}
"""
READY_TIMEOUT_MS = 60_000  # Speech Dispatcher lists 13 000 espeak-ng voices (5-15 s here)


def _worker_env(root: Path, pulse: Path | None = None) -> dict[str, str]:
    """The worker's own HOME and runtime folder (its Speech Dispatcher socket and logs)."""
    runtime = root / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("XDG_")}
    env |= {"HOME": str(root / "home"), "XDG_RUNTIME_DIR": str(runtime)}
    if pulse is not None:
        env["PULSE_SERVER"] = f"unix:{pulse}"
    return env


@pytest.fixture
def mock_worker(qtbot, tmp_path: Path) -> Iterator[SpeechWorker]:
    worker = SpeechWorker(engine="mock", environment=_worker_env(tmp_path))
    with qtbot.waitSignal(worker.ready, timeout=30_000):
        worker.start()
    yield worker
    worker.close()


def test_the_worker_speaks_and_says_when_it_is_done(qtbot, mock_worker: SpeechWorker) -> None:
    assert "en" in mock_worker.voices and "zh" not in mock_worker.voices
    events: list[tuple[str, int]] = []
    mock_worker.started.connect(lambda utterance: events.append(("started", utterance)))
    mock_worker.done.connect(lambda utterance: events.append(("done", utterance)))
    mock_worker.say(7, "en", "Hello visitors")
    qtbot.waitUntil(lambda: len(events) == 2, timeout=5000)
    assert events == [("started", 7), ("done", 7)]


def test_read_aloud_follows_the_player_and_holds_it_while_speaking(
    qtbot, mock_worker: SpeechWorker
) -> None:
    player = Player(parse_content(ENGLISH_DECK))
    read_aloud = ReadAloud(player, mock_worker)
    sent: list[tuple[str, str]] = []
    read_aloud.text_sent.connect(lambda language, text: sent.append((language, text)))
    assert read_aloud.available
    with qtbot.waitSignal(player.speaking_changed, timeout=1000):
        player.set_choice("read_aloud", True)
    assert player.speaking
    assert sent == [("en", "Slide 1 of 2. First. One.")]
    with qtbot.waitSignal(player.speaking_changed, timeout=5000) as ended:
        pass
    assert ended.args == [False]  # the engine's end, reported back
    player.next()
    assert sent[-1] == ("en", "Slide 2 of 2. Second. Two.")
    read_aloud.stop()
    assert not player.speaking
    player.set_choice("read_aloud", False)
    player.previous()
    assert len(sent) == 2  # off: nothing more is said


def test_the_hardware_key_starts_read_aloud_then_stops_or_repeats(
    qtbot, font_family: str, mock_worker: SpeechWorker, tmp_path: Path
) -> None:
    content = parse_content(ENGLISH_DECK)
    show = build_show(
        content,
        tmp_path,
        font_family,
        kiosk=True,
        animation_scale=0.0,
        speech=mock_worker,
        read_aloud_key="F9",
    )
    show.window.resize(1280, 720)
    with qtbot.waitExposed(show.window):
        show.window.show()
    try:
        assert show.read_aloud is not None
        sent: list[str] = []
        show.read_aloud.text_sent.connect(lambda _language, text: sent.append(text))
        QTest.keyClick(show.window, Qt.Key.Key_F9)
        assert show.player.choices.read_aloud and show.player.speaking
        assert sent == [READ_ALOUD_INTRO["en"] + " Slide 1 of 2. First. One."]
        QTest.keyClick(show.window, Qt.Key.Key_F9)  # while it speaks: stop
        assert not show.player.speaking and len(sent) == 1
        QTest.keyClick(show.window, Qt.Key.Key_F9)  # quiet: say it again (no intro now)
        assert sent[-1] == "Slide 1 of 2. First. One." and show.player.speaking
        show.player.set_overlay(Overlay.ACCESS)
        assert "access:read_aloud" in [t.name for t in show.stage.targets()]
    finally:
        show.window.allow_close()
        show.window.close()
        show.window.deleteLater()


def test_key_names_are_qts() -> None:
    assert key_named("F9") == Qt.Key.Key_F9.value
    assert key_named("Media Play") == Qt.Key.Key_MediaPlay.value
    assert key_named("") is None and key_named("Nonsense Key") is None


def test_without_an_engine_there_is_no_read_aloud_and_the_log_says_why(
    qtbot, make_show, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    worker = SpeechWorker(engine="no-such-engine", environment=_worker_env(tmp_path))
    with caplog.at_level(logging.WARNING), qtbot.waitSignal(worker.unavailable, timeout=30_000):
        worker.start()
    worker.close()
    assert 'read aloud is not offered: no "no-such-engine" speech engine' in caplog.text
    show = make_show()
    read_aloud = ReadAloud(show.player, worker)
    from kiosk.ui.access import AccessPanelLayer

    panel = AccessPanelLayer(show.player, lambda: show.stage.theme, read_aloud)
    assert not read_aloud.available
    assert "read_aloud" not in [row.name for row in panel.rows()]


# --- the real engine: Speech Dispatcher and espeak-ng, into a null sink --------------------------


@pytest.fixture(scope="module")
def sound_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private PulseAudio with a null sink as its only output: its socket."""
    for tool in ("pulseaudio", "parec", "speech-dispatcher"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (./dev.sh test installs it)")
    root = tmp_path_factory.mktemp("pulse")
    env = _worker_env(root)
    socket = root / "pulse.sock"
    server = subprocess.Popen(
        [
            "pulseaudio", "--daemonize=no", "-n", "--exit-idle-time=-1", "--disallow-exit",
            "--use-pid-file=no", "--load=module-null-sink sink_name=kiosk_null",
            f"--load=module-native-protocol-unix socket={socket}",
        ],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while not socket.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("the private PulseAudio did not start")
        time.sleep(0.05)
    try:
        yield socket
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def speechd_worker(qapp, sound_server: Path, tmp_path_factory) -> Iterator[SpeechWorker]:
    root = tmp_path_factory.mktemp("speechd")
    worker = SpeechWorker(environment=_worker_env(root, sound_server))
    ready: list[bool] = []
    worker.ready.connect(lambda: ready.append(True))
    worker.unavailable.connect(lambda why: pytest.fail(f"Speech Dispatcher is unavailable: {why}"))
    worker.start()
    deadline = time.monotonic() + READY_TIMEOUT_MS / 1000
    while not ready and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.02)
    assert ready, "Speech Dispatcher did not list its voices in time"
    yield worker
    worker.close()
    # Speech Dispatcher was started (autospawned) for this test's runtime folder only: end it.
    pid_file = root / "run" / "speech-dispatcher" / "pid" / "speech-dispatcher.pid"
    if pid_file.exists():
        subprocess.run(["kill", pid_file.read_text().strip()], check=False)


def _loudness(samples: bytes) -> float:
    values = array.array("h", samples[: len(samples) // 2 * 2])
    return math.sqrt(sum(v * v for v in values) / max(1, len(values)))


@pytest.mark.slow
def test_each_slide_type_is_sent_in_both_languages_and_spoken(
    qtbot, speechd_worker: SpeechWorker, sound_server: Path, repo_content: Content
) -> None:
    assert set(speechd_worker.voices) == {"zh", "en"}
    assert "Mandarin" in speechd_worker.voices["zh"]
    player = Player(repo_content)
    read_aloud = ReadAloud(player, speechd_worker)
    sent: list[tuple[str, str]] = []
    read_aloud.text_sent.connect(lambda language, text: sent.append((language, text)))
    started: list[int] = []
    speechd_worker.started.connect(started.append)
    recorder = subprocess.Popen(
        ["parec", f"--server=unix:{sound_server}", "-d", "kiosk_null.monitor", "--raw",
         "--format=s16le", "--channels=1", "--rate=16000"],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        by_type: dict[str, int] = {}
        for index, slide in enumerate(repo_content.slides):
            by_type.setdefault(slide.type, index)
        assert len(by_type) == 7  # every slide type, the film included
        player.set_choice("read_aloud", True)
        for language in ("zh", "en"):
            player.set_language(language)
            for slide_type, index in by_type.items():
                player.go_to(index)
                expected = speech_text(
                    repo_content.slides[index], language, number=index + 1, count=player.count
                )
                assert sent[-1] == (language, expected), slide_type
                # The engine takes it: Speech Dispatcher begins to speak (then we move on).
                qtbot.waitUntil(lambda: len(started) >= 1 and started[-1] >= 0, timeout=15_000)
                started.clear()
        with qtbot.waitSignal(player.speaking_changed, timeout=60_000) as ended:
            pass  # the last slide spoken to its end
        assert ended.args == [False]
    finally:
        time.sleep(0.3)
        recorder.terminate()
        audio = recorder.communicate(timeout=10)[0]
    assert _loudness(audio) > 200, "nothing reached the null sink: espeak-ng was not heard"
