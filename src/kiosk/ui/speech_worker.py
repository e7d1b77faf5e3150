"""The read-aloud worker: a small child process that owns the QtTextToSpeech engine.

Qt's Speech Dispatcher engine lists every voice it can find when it is created: espeak-ng
offers some 13 000 voice variants, which takes 4-5 s with Python's lock held. In the show's
process that would freeze the screen at start; here it costs nothing visible, and a fault in
the speech stack cannot take the show down. Run as `python -m kiosk.ui.speech_worker`.

It speaks JSON lines. On stdout: {"event": "ready", "voices": {"zh": name, "en": name}} or
{"event": "unavailable", "why": ...}, then {"event": "speaking" | "done", "id": n} for each
utterance, and {"event": "error", "message": ...}. On stdin: {"say": text, "id": n,
"language": "zh" | "en"} and {"stop": true}; end of input ends the worker.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTimer, Signal

NO_START_S = 6.0  # an utterance that has not begun by then is reported done (and why)


def emit(**event: Any) -> None:
    """One event line to the show."""
    sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def pick_voice(voices: list[Any], language: str, wanted: str = "") -> Any | None:
    """The voice named `wanted`, else the best of `voices` for `language`: espeak-ng's Mandarin
    that reads Latin letters as English, or a plain English voice (not a "+variant")."""
    if wanted:
        for voice in voices:
            if voice.name() == wanted:
                return voice
        emit(event="error", message=f"no voice named {wanted!r}; choosing one")
    target = QLocale.Language.Chinese if language == "zh" else QLocale.Language.English

    def rank(voice: Any) -> tuple[int, int, int]:
        name = voice.name()
        own = voice.locale().language() == target
        if language == "zh":
            named = ("Mandarin" in name or "Chinese" in name) and "Hakka" not in name
            preferred = "latin as English" in name
        else:
            named = name.startswith("English")
            preferred = "Great Britain" in name or "America" in name
        return (int(own or named), int(preferred), int("+" not in name))

    candidates = [voice for voice in voices if rank(voice)[0]]
    return max(candidates, key=rank) if candidates else None


class Worker(QObject):
    """Turns command lines into QTextToSpeech calls and its states into event lines."""

    command = Signal(dict)  # from the stdin thread, handled on the Qt thread
    ended = Signal()  # the show closed our input

    def __init__(self, engine: str, wanted: dict[str, str], rate: float) -> None:
        super().__init__()
        from PySide6.QtTextToSpeech import QTextToSpeech

        self._state_type = QTextToSpeech.State
        self._voices: dict[str, Any] = {}
        self._pending: int | None = None  # asked for, not begun
        self._current: int | None = None  # speaking
        self._no_start = QTimer(self)
        self._no_start.setSingleShot(True)
        self._no_start.timeout.connect(self._on_no_start)
        self.command.connect(self._on_command)
        engines = QTextToSpeech.availableEngines()
        if engine not in engines:
            listed = ", ".join(engines) or "none"
            self.tts = None
            emit(event="unavailable", why=f'no "{engine}" speech engine (Qt offers: {listed})')
            return
        tts = QTextToSpeech(engine, self)
        if tts.state() == QTextToSpeech.State.Error:
            self.tts = None
            emit(event="unavailable", why=f"the {engine} engine fails: {tts.errorString()}")
            return
        tts.setRate(max(-1.0, min(1.0, rate)))
        voices = tts.allVoices(None)
        for language in ("zh", "en"):
            voice = pick_voice(voices, language, wanted.get(language, ""))
            if voice is not None:
                self._voices[language] = voice
        if not self._voices:
            self.tts = None
            emit(event="unavailable", why=f"the {engine} engine has no Chinese or English voice")
            return
        tts.stateChanged.connect(self._on_state_changed)
        tts.errorOccurred.connect(self._on_error)
        self.tts = tts
        emit(event="ready", voices={lang: voice.name() for lang, voice in self._voices.items()})

    def _on_command(self, command: dict[str, Any]) -> None:
        if self.tts is None:
            return
        if "say" in command:
            language = command.get("language", "en")
            voice = self._voices.get(language)
            if voice is None:
                emit(event="done", id=command.get("id"), spoken=False)
                return
            self._finish()  # an utterance cut short by a new one is done
            self.tts.stop()
            self.tts.setVoice(voice)
            self._pending = int(command.get("id", 0))
            self._no_start.start(round(NO_START_S * 1000))
            self.tts.say(str(command["say"]))
        elif command.get("stop"):
            self._pending = None
            self._no_start.stop()
            self.tts.stop()
            self._finish()

    def _on_state_changed(self, state: Any) -> None:
        states = self._state_type
        if state == states.Speaking and self._pending is not None:
            self._no_start.stop()
            self._current, self._pending = self._pending, None
            emit(event="speaking", id=self._current)
        elif state in (states.Ready, states.Error) and self._pending is None:
            self._finish()  # a Ready before the new utterance began belongs to the old one

    def _on_error(self, _reason: Any, message: str) -> None:
        emit(event="error", message=message)
        if self._pending is not None:
            emit(event="done", id=self._pending, spoken=False)
            self._pending = None
        self._finish()

    def _on_no_start(self) -> None:
        if self._pending is not None:
            emit(event="error", message="the speech engine did not start speaking")
            emit(event="done", id=self._pending, spoken=False)
            self._pending = None

    def _finish(self) -> None:
        if self._current is not None:
            emit(event="done", id=self._current, spoken=True)
            self._current = None


def main(argv: list[str] | None = None) -> int:
    """Run the worker until its input ends."""
    parser = argparse.ArgumentParser(prog="python -m kiosk.ui.speech_worker")
    parser.add_argument("--engine", default="speechd")
    parser.add_argument("--voice-zh", default="")
    parser.add_argument("--voice-en", default="")
    parser.add_argument("--rate", type=float, default=0.0)
    args = parser.parse_args(argv)
    app = QCoreApplication(sys.argv[:1])
    worker = Worker(args.engine, {"zh": args.voice_zh, "en": args.voice_en}, args.rate)
    worker.ended.connect(app.quit)

    def read_commands() -> None:
        for line in sys.stdin:
            try:
                command = json.loads(line)
            except ValueError:
                emit(event="error", message=f"not a command: {line.strip()[:80]}")
                continue
            if isinstance(command, dict):
                worker.command.emit(command)
        worker.ended.emit()  # the show closed our input: it has ended

    # The reader thread only emits a signal; the Qt thread does the work (queued).
    threading.Thread(target=read_commands, daemon=True).start()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
