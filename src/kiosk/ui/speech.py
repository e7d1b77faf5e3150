"""Read-aloud, built in (no screen reader needed): the current slide spoken in the show's
language through QtTextToSpeech and Speech Dispatcher (espeak-ng's Chinese and English voices).

`ReadAloud` follows the Player: when a visitor turns read-aloud on (in the panel, or with the
kiosk's hardware key, EN 301 549 §5.1) it says the slide, then each slide as it comes, in the
show's language; stop and repeat are in the panel, and the hardware key repeats or stops. It
tells the Player while it speaks, so autoplay waits for the end of a slide's speech and the
idle reset never cuts it off. Without a speech engine (or a voice for the show's language) the
panel offers no read-aloud, and the log says why, once.

The engine itself lives in a child process (`SpeechWorker`, ui/speech_worker.py): creating
Qt's Speech Dispatcher engine takes 4-5 s with Python's lock held.
"""

from __future__ import annotations

import json
import logging
import math
import sys
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QObject,
    QProcess,
    QProcessEnvironment,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence

from kiosk.content.model import Language
from kiosk.content.spoken import speech_text
from kiosk.core.player import Player

log = logging.getLogger(__name__)

ENGINE = "speechd"  # Speech Dispatcher; Qt's own "mock" engine serves quick tests
# An engine that never reports its end (no audio device, a hung module) must not hold the
# show: the longest a text may take, from its length.
SECONDS_PER_CHAR = {"zh": 0.45, "en": 0.12}
SPEECH_MARGIN_S = 8.0
RESTART_AFTER_MS = 60_000  # a worker that died is started again this much later
NOTICE = {
    "zh": "{seconds}秒后返回首页，轻触屏幕继续浏览。",
    "en": "The show returns to the start in {seconds} seconds. Touch the screen to stay.",
}


class SpeechWorker(QObject):
    """The child process that speaks (see ui/speech_worker.py), as signals and calls."""

    ready = Signal()  # the engine works; `voices` says for which languages
    unavailable = Signal(str)  # why not
    started = Signal(int)  # an utterance began to sound
    done = Signal(int)  # an utterance ended, was stopped, or could not be said

    def __init__(
        self,
        *,
        engine: str = ENGINE,
        voices: dict[str, str] | None = None,
        rate: float = 0.0,
        environment: dict[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """`voices`: wanted voice names by language; `environment`: the child's, instead of
        the show's (tests give it their own Speech Dispatcher and sound server)."""
        super().__init__(parent)
        self.voices: dict[str, str] = {}
        self.why_not = "the speech engine is starting"
        self._arguments = ["-m", "kiosk.ui.speech_worker", "--engine", engine]
        for language, name in (voices or {}).items():
            if name:
                self._arguments += [f"--voice-{language}", name]
        self._arguments += ["--rate", str(rate)]
        self._buffer = b""
        self._stopping = False
        self._process = QProcess(self)
        self._process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        self._process.readyReadStandardOutput.connect(self._on_process_output)
        self._process.readyReadStandardError.connect(self._on_process_stderr)
        self._process.finished.connect(self._on_process_finished)
        self._process.errorOccurred.connect(self._on_process_error)
        if environment is not None:
            child = QProcessEnvironment()
            for name, value in environment.items():
                child.insert(name, value)
            self._process.setProcessEnvironment(child)

    @property
    def is_ready(self) -> bool:
        """True once the engine said it works."""
        return bool(self.voices)

    def start(self) -> None:
        """Start the child (its engine is ready a few seconds later: `ready`)."""
        if self._process.state() is QProcess.ProcessState.NotRunning:
            self._stopping = False
            self._process.start(sys.executable, self._arguments)

    def close(self) -> None:
        """End the child: its input closes and it quits."""
        self._stopping = True
        if self._process.state() is not QProcess.ProcessState.NotRunning:
            self._process.closeWriteChannel()
            if not self._process.waitForFinished(2000):
                self._process.kill()
                self._process.waitForFinished(1000)

    def say(self, utterance: int, language: Language, text: str) -> None:
        """Speak `text` in `language` (cutting off what it was saying)."""
        self._send({"say": text, "id": utterance, "language": language})

    def stop(self) -> None:
        """Stop speaking."""
        self._send({"stop": True})

    def _send(self, command: dict[str, Any]) -> None:
        if self._process.state() is QProcess.ProcessState.Running:
            line = json.dumps(command, ensure_ascii=False) + "\n"
            self._process.write(line.encode("utf-8"))

    def _on_process_output(self) -> None:
        self._buffer += bytes(self._process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                log.warning("read aloud: the worker said %r", line[:120])
                continue
            self._on_event(event)

    def _on_event(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "ready":
            self.voices = dict(event.get("voices") or {})
            self.why_not = ""
            log.info("read aloud: speech engine ready, voices %s", self.voices)
            self.ready.emit()
        elif kind == "unavailable":
            self.why_not = str(event.get("why"))
            log.warning("read aloud is not offered: %s", self.why_not)
            self.unavailable.emit(self.why_not)
        elif kind == "speaking":
            self.started.emit(int(event.get("id", -1)))
        elif kind == "done":
            self.done.emit(int(event.get("id", -1)))
        elif kind == "error":
            log.warning("read aloud: %s", event.get("message"))

    def _on_process_stderr(self) -> None:
        text = bytes(self._process.readAllStandardError().data()).decode("utf-8", "replace")
        for line in text.splitlines():
            if line.strip() and "symbolsresolver" not in line:
                log.debug("speech worker: %s", line)

    def _on_process_finished(self, code: int, _status: object) -> None:
        was_ready = self.is_ready
        self.voices = {}
        if self._stopping:
            return
        self.why_not = f"the speech worker ended (exit {code})"
        log.warning("read aloud: %s; trying again in %d s", self.why_not, RESTART_AFTER_MS // 1000)
        self.unavailable.emit(self.why_not)
        if was_ready:
            QTimer.singleShot(RESTART_AFTER_MS, self, self.start)

    def _on_process_error(self, error: QProcess.ProcessError) -> None:
        if error is QProcess.ProcessError.FailedToStart:
            self.why_not = f"the speech worker cannot start ({self._process.errorString()})"
            log.warning("read aloud is not offered: %s", self.why_not)
            self.unavailable.emit(self.why_not)


class ReadAloud(QObject):
    """Speaks slides for the Player's read-aloud choice; `text_sent` carries every text."""

    text_sent = Signal(str, str)  # the language and exactly the text handed to the engine
    availability_changed = Signal()

    def __init__(self, player: Player, worker: SpeechWorker, parent: QObject | None = None):
        super().__init__(parent)
        self._player = player
        self._worker = worker
        self._utterance = 0  # the id of the last text sent
        self._blocking = False  # it holds the show (a slide's speech, not the idle notice)
        self._intro_next = False
        self._announce = True  # the idle notice is said once per countdown
        self._guard = QTimer(self)
        self._guard.setSingleShot(True)
        self._guard.timeout.connect(self._on_guard_timeout)
        worker.ready.connect(self._on_worker_ready)
        worker.unavailable.connect(self._on_worker_unavailable)
        worker.done.connect(self._on_worker_done)
        player.choices_changed.connect(self._on_player_choices_changed)
        player.position_changed.connect(self._on_player_position_changed)
        player.language_changed.connect(self._on_player_language_changed)
        player.idle_countdown_changed.connect(self._on_player_idle_countdown_changed)
        self._reading = player.choices.read_aloud

    # --- what the panel and the app ask ----------------------------------------------------

    @property
    def available(self) -> bool:
        """True when the engine works and has a voice for the show's language now."""
        return self._player.language in self._worker.voices

    @property
    def why_not(self) -> str:
        """Why read-aloud is not offered now ("" when it is)."""
        if self.available:
            return ""
        return self._worker.why_not or f"no voice for {self._player.language}"

    def repeat(self) -> None:
        """Say the current slide (again), from its start."""
        self._say_slide()

    def stop(self) -> None:
        """Stop speaking (read-aloud stays on: the next slide is read)."""
        self._worker.stop()
        self._finished()

    def on_hardware_key(self) -> None:
        """The kiosk's big button: start read-aloud (with how to use it), else stop while it
        speaks, else say the slide again."""
        if not self.available:
            log.info("read-aloud key pressed, but read aloud is not offered: %s", self.why_not)
            return
        if not self._player.choices.read_aloud:
            self._intro_next = True
            self._player.set_choice("read_aloud", True)
        elif self._player.speaking:
            self.stop()
        else:
            self.repeat()

    # --- following the worker and the Player -----------------------------------------------

    def _on_worker_ready(self) -> None:
        self.availability_changed.emit()
        if self._reading:
            self._say_slide()  # read-aloud on from the start: the engine came up now

    def _on_worker_unavailable(self, _why: str) -> None:
        self._finished()
        self.availability_changed.emit()

    def _on_worker_done(self, utterance: int) -> None:
        if utterance == self._utterance:
            self._finished()

    def _on_player_choices_changed(self) -> None:
        reading = self._player.choices.read_aloud
        if reading == self._reading:
            return
        self._reading = reading
        if reading:
            self._say_slide()
        else:
            self.stop()

    def _on_player_position_changed(self, _index: int, _direction: int) -> None:
        if self._reading:
            self._say_slide()

    def _on_player_language_changed(self, _language: str) -> None:
        if self._reading:
            self._say_slide()

    def _on_player_idle_countdown_changed(self, seconds: int) -> None:
        if seconds < 0:
            self._announce = True
        elif self._reading and self._announce and not self._player.speaking:
            self._announce = False
            language = self._player.language
            self._say(NOTICE[language].format(seconds=seconds), language, blocking=False)

    def _say_slide(self) -> None:
        player = self._player
        if not self.available:
            return
        language = player.language
        text = speech_text(
            player.content.slides[player.index],
            language,
            number=player.index + 1,
            count=player.count,
            intro=self._intro_next,
        )
        self._intro_next = False
        self._say(text, language, blocking=True)

    def _say(self, text: str, language: Language, *, blocking: bool) -> None:
        if language not in self._worker.voices:
            return
        self._utterance += 1
        if self._blocking and not blocking:
            self._player.set_speaking(False)
        self._blocking = blocking
        if blocking:
            self._player.set_speaking(True)  # at once: a dwell ending now waits for it
        seconds = SPEECH_MARGIN_S + len(text) * SECONDS_PER_CHAR[language]
        self._guard.start(math.ceil(seconds * 1000))
        self._worker.say(self._utterance, language, text)
        self.text_sent.emit(language, text)
        log.debug("read aloud (%s): %s", language, text)

    def _on_guard_timeout(self) -> None:
        log.warning("read aloud: the speech engine did not finish in time; stopped")
        self.stop()

    def _finished(self) -> None:
        self._guard.stop()
        if self._blocking:
            self._blocking = False
            self._player.set_speaking(False)


class ReadAloudKey(QObject):
    """The read-aloud hardware key (a large USB button sends it) on the watched windows."""

    def __init__(self, read_aloud: ReadAloud, player: Player, key_name: str) -> None:
        super().__init__(read_aloud)
        self._read_aloud = read_aloud
        self._player = player
        self.key = key_named(key_name)

    def watch(self, target: QObject) -> None:
        """Take the key on `target` (install after the keyboard controller: filters installed
        later run first)."""
        if self.key is not None:
            target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The read-aloud key, pressed (not held): report input, then start, repeat or stop."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == self.key
        ):
            if not event.isAutoRepeat():
                self._player.report_user_input()
                self._read_aloud.on_hardware_key()
            return True
        return False


def key_named(name: str) -> int | None:
    """The Qt key of a key name such as "F9" or "Media Play"; None for "" or an unknown name."""
    if not name.strip():
        return None
    sequence = QKeySequence.fromString(name.strip())
    if sequence.isEmpty() or sequence.count() != 1 or sequence[0].key() == Qt.Key.Key_unknown:
        log.error('read_aloud_key "%s" is not a key Qt knows (try F9, F13, Media Play)', name)
        return None
    return int(sequence[0].key().value)
