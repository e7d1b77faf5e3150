"""Films through Qt's own engine (QtMultimedia's bundled FFmpeg): playback and probing.

`FilmPlayback` is one QMediaPlayer with its QVideoSink (and, only for films with sound, a
QAudioOutput), reused for every film: players made per slide leak. Qt delivers each frame from
the engine's render thread to the GUI thread; the playback keeps a copy of the newest one only
(replacing the last) and the stage converts it when it paints, so frames that a busy moment
overtook are never converted and nothing piles up on our side. (No Python runs on the render
thread: a callback there needs the GIL, which the GUI thread holds while it stops the player
and waits for that thread: a deadlock.) The copy matters: the frame a signal carries lives
only during the call, and a wrapper kept beyond it points at freed memory.
`FilmDeck` keeps the two players a show ever has: one for the screen, one that reads
films ahead (header, length and first frame: the probe that `kiosk check` uses too).

Opening a file is asynchronous (the engine reads it on its own thread); a file the engine
cannot decode (it reports no error: it ends without a frame) or that stops giving frames is a
fault, reported once in words.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QAudio, QAudioOutput, QMediaPlayer, QVideoFrame

from kiosk.qt_threads import settle_notify_overrides
from kiosk.slides.film_probe import (
    FilmFault,
    FilmInfo,
    FilmProbe,
    FilmResult,
    convert_frames_on_cpu,
    file_stamp,
    new_media_player,
    probe_film,
    quiet_ffmpeg,
    seconds_of,
)

__all__ = [  # the probe's names too: what the show needs of films comes from here
    "FilmDeck",
    "FilmFault",
    "FilmInfo",
    "FilmPlayback",
    "FilmResult",
    "convert_frames_on_cpu",
    "file_stamp",
    "probe_film",
]

log = logging.getLogger(__name__)

FRAME_STALL_MS = 3000  # a playing film that delivers no frame this long has stopped
EARLY_END_S = 1.0  # a film ending this much before its stated length is damaged
MAX_PROBES_KEPT = 12  # probe results kept (each holds a first frame: ~4-8 MiB)


class FilmPlayback(QObject):
    """One media player, its video sink and (for films with sound) its audio output."""

    frame_arrived = Signal()  # a newer frame than the last painted one is there
    loaded = Signal()  # the header was read (duration and tracks are known)
    reached_end = Signal()  # a film that does not loop reached its end
    failed = Signal(str)  # the film cannot go on; a sentence for the log

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player, self._sink = new_media_player(self)
        self._audio: QAudioOutput | None = None
        self._volume = 0.8
        self._muted = False
        self._path: Path | None = None
        self._url = QUrl()  # reports about any other source (an older film) are ignored
        self._newest: QVideoFrame | None = None  # the newest frame, not converted yet
        self._image: QImage | None = None  # the newest frame, converted once it is painted
        self._seconds = 0.0  # film time of the newest frame
        self._frames = 0  # frames delivered since the film was opened
        self._start_s = 0.0
        self._playing = False
        self._paused = False
        self._ended = False
        self._stall = QTimer(self)
        self._stall.setSingleShot(True)
        self._stall.setInterval(FRAME_STALL_MS)  # tests shorten it through `stall_ms`
        self._stall.timeout.connect(self._on_stall_timeout)
        self._sink.videoFrameChanged.connect(self._on_sink_frame)
        self._player.mediaStatusChanged.connect(self._on_player_status)
        self._player.errorOccurred.connect(self._on_player_error)

    # --- what the view and the director read -----------------------------------------------

    @property
    def path(self) -> Path | None:
        """The film opened last (None when stopped)."""
        return self._path

    @property
    def paused(self) -> bool:
        """True while a visitor paused the film."""
        return self._paused

    @property
    def ended(self) -> bool:
        """True once a film that does not loop has reached its end."""
        return self._ended

    @property
    def frames(self) -> int:
        """Frames the engine delivered since the film was opened."""
        return self._frames

    @property
    def stall_ms(self) -> int:
        """Milliseconds without a frame after which a playing film counts as stopped."""
        return self._stall.interval()

    @stall_ms.setter
    def stall_ms(self, milliseconds: int) -> None:
        self._stall.setInterval(milliseconds)

    @property
    def media_player(self) -> QMediaPlayer:
        """The QMediaPlayer (tests and the bench read its state)."""
        return self._player

    def image(self) -> QImage | None:
        """The newest frame as an image (converted here, once: only painted frames cost)."""
        frame, self._newest = self._newest, None
        if frame is not None:
            converted = frame.toImage()
            if not converted.isNull():
                self._image = converted
            elif self._playing:  # a picture format the engine cannot convert: not here, later
                QTimer.singleShot(0, self, lambda: self._fail("its pictures cannot be shown"))
        return self._image

    def seconds(self) -> float:
        """Film time of the newest frame, in seconds from the film's start."""
        return self._seconds

    # --- control ---------------------------------------------------------------------------

    def open(
        self,
        path: Path,
        *,
        loop: bool,
        audio: bool,
        volume: float,
        muted: bool,
        start_s: float = 0.0,
    ) -> None:
        """Play `path` from `start_s` seconds (asynchronously: frames follow within ms)."""
        self.stop()
        self._path = path
        self._start_s = max(0.0, start_s)
        self._volume = volume
        self._muted = muted
        if audio:
            if self._audio is None:
                self._audio = QAudioOutput(self)
                settle_notify_overrides(self._audio)  # before the engine's threads see it
            self._apply_volume()
            self._player.setAudioOutput(self._audio)
        else:
            self._player.setAudioOutput(None)  # no sound decoded at all
        self._player.setLoops(QMediaPlayer.Loops.Infinite if loop else QMediaPlayer.Loops.Once)
        self._playing = True
        self._url = QUrl.fromLocalFile(str(path))
        self._player.setSource(self._url)
        if self._start_s <= 0:
            self._player.play()
        # else: once the header is read, seek first, then play (a seek that races the first
        # decoded frames lands on the keyframe before the position, behind the other screens)
        self._stall.start()

    def stop(self) -> None:
        """Stop and forget the film (the last image too); the player stays for the next one."""
        self._playing = False
        self._paused = False
        self._ended = False
        self._stall.stop()
        self._player.stop()
        self._player.setSource(QUrl())
        self._path = None
        self._newest = None
        self._image = None
        self._seconds = 0.0
        self._frames = 0

    def set_paused(self, paused: bool) -> None:
        """Pause or resume the film (a visitor's tap); a film at its end starts again."""
        if self._path is None:
            return
        if not paused and self._ended:
            self._ended = False
            self._player.setPosition(0)
        self._paused = paused
        if paused:
            self._stall.stop()
            self._player.pause()
        else:
            self._player.play()
            self._stall.start()

    def seek(self, seconds: float) -> None:
        """Go to `seconds` into the film (a screen that joins the hall's timeline mid-film)."""
        if self._path is not None:
            self._player.setPosition(max(0, round(seconds * 1000)))

    def set_muted(self, muted: bool) -> None:
        """Silence the film (blackout, panels, standby) or let it be heard again."""
        self._muted = muted
        self._apply_volume()

    def set_volume(self, volume: float) -> None:
        """Loudness 0..1 as staff hear it (a perceptual scale)."""
        self._volume = volume
        self._apply_volume()

    def _apply_volume(self) -> None:
        if self._audio is None:
            return
        linear = QAudio.convertVolume(
            max(0.0, min(1.0, self._volume)),
            QAudio.VolumeScale.LogarithmicVolumeScale,
            QAudio.VolumeScale.LinearVolumeScale,
        )
        self._audio.setVolume(linear)
        self._audio.setMuted(self._muted)

    # --- the engine's reports ----------------------------------------------------------------

    def _on_sink_frame(self, frame: QVideoFrame) -> None:
        if not self._playing or not frame.isValid():
            return  # an empty frame when stopping: the last picture stays, never black
        self._newest = QVideoFrame(frame)  # a copy: the argument lives only during this call
        start = frame.startTime()
        self._seconds = start / 1_000_000 if start >= 0 else self._seconds
        self._frames += 1
        if not self._paused and not self._ended:
            self._stall.start()
        self.frame_arrived.emit()

    def _on_player_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if not self._playing or self._player.source() != self._url:
            return
        if status is QMediaPlayer.MediaStatus.LoadedMedia:
            if self._start_s > 0:  # a position before the header is read would be lost
                self._player.setPosition(round(self._start_s * 1000))
                self._player.play()
            self.loaded.emit()
        elif status is QMediaPlayer.MediaStatus.InvalidMedia:
            self._fail("the engine cannot read this file")
        elif status is QMediaPlayer.MediaStatus.EndOfMedia:
            self._stall.stop()
            if self._frames == 0:
                self._fail("it ended without a single picture (a codec the engine cannot decode?)")
                return
            length = seconds_of(self._player)
            if length - self._seconds > EARLY_END_S:
                self._fail(
                    f"it stops at {self._seconds:.1f} s of {length:.1f} s (a truncated or "
                    "damaged file?)"
                )
                return
            self._ended = True
            self.reached_end.emit()

    def _on_player_error(self, _error: QMediaPlayer.Error, message: str) -> None:
        if self._playing and self._player.source() == self._url:
            self._fail(message.splitlines()[0] if message else "the engine reported an error")

    def _on_stall_timeout(self) -> None:
        if self._playing and not self._paused and not self._ended:
            self._fail(f"no picture for {self._stall.interval() / 1000:g} s")

    def _fail(self, reason: str) -> None:
        path = self._path
        self._playing = False
        self._stall.stop()
        self._player.stop()
        self.failed.emit(f"{path}: {reason}" if path is not None else reason)


class FilmDeck(QObject):
    """The two players a show has: `screen` plays the film on screen; a probe reads films
    ahead (one at a time, queued; results kept by file so a reload reads nothing again)."""

    probed = Signal(object)  # FilmInfo or FilmFault

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        convert_frames_on_cpu()
        self.screen = FilmPlayback(self)
        self._probe = FilmProbe(self)
        quiet_ffmpeg()  # once the engine is loaded (by the first player)
        self._probe.finished.connect(self._on_probe_finished)
        self._queue: list[Path] = []
        self._results: OrderedDict[tuple[object, ...], FilmResult] = OrderedDict()

    def result(self, path: Path) -> FilmResult | None:
        """What is known of the film at `path` as it is now, or None (not read yet)."""
        return self._results.get(file_stamp(path))

    def probe(self, path: Path) -> None:
        """Read `path` unless it is known or queued; `probed` follows (at once when known)."""
        known = self.result(path)
        if known is not None:
            self.probed.emit(known)
            return
        if path in self._queue:
            return
        self._queue.append(path)
        self._next()

    def _next(self) -> None:
        if self._probe.busy or not self._queue:
            return
        self._probe.start(self._queue[0])

    def _on_probe_finished(self, result: FilmResult) -> None:
        if self._queue and self._queue[0] == result.path:
            self._queue.pop(0)
        self._results[file_stamp(result.path)] = result
        while len(self._results) > MAX_PROBES_KEPT:
            self._results.popitem(last=False)
        self.probed.emit(result)
        # Not from inside the engine's report: the next film's reports must not mix with it.
        QTimer.singleShot(0, self, self._next)
