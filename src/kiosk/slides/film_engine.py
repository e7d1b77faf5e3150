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
import math
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QLoggingCategory,
    QObject,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QImage

# Before QtMultimedia loads: its backend search (pipewire, hardware decoders) is noise in a
# kiosk's log. QT_LOGGING_RULES still wins for whoever debugs.
QLoggingCategory.setFilterRules("qt.multimedia.*=false")

from PySide6.QtMultimedia import (  # noqa: E402 - after the rule above
    QAudio,
    QAudioOutput,
    QMediaMetaData,
    QMediaPlayer,
    QVideoFrame,
    QVideoFrameFormat,
    QVideoSink,
)

log = logging.getLogger(__name__)

PROBE_TIMEOUT_MS = 8000  # opening and decoding one frame; a busy 2-core PC needs ~50 ms
FRAME_STALL_MS = 3000  # a playing film that delivers no frame this long has stopped
EARLY_END_S = 1.0  # a film ending this much before its stated length is damaged
MAX_PROBES_KEPT = 12  # probe results kept (each holds a first frame: ~4-8 MiB)
TEN_BIT = {
    QVideoFrameFormat.PixelFormat.Format_YUV420P10,
    QVideoFrameFormat.PixelFormat.Format_P010,
    QVideoFrameFormat.PixelFormat.Format_P016,
}
PLAYS_HERE = "H264"  # the codec films are exported in, tested for smooth playback


@dataclass(frozen=True)
class FilmInfo:
    """What the engine read from a film: container, codec, picture size, length, first frame."""

    path: Path
    container: str
    codec: str
    width: int
    height: int
    seconds: float
    frame_rate: float
    has_audio: bool
    ten_bit: bool
    first_frame: QImage

    @property
    def codec_label(self) -> str:
        """The codec as staff know it: "H.264", "HEVC 10-bit", "AV1"."""
        names = {"H264": "H.264", "H265": "HEVC"}
        label = names.get(self.codec, self.codec or "unknown codec")
        return f"{label} 10-bit" if self.ten_bit else label


@dataclass(frozen=True)
class FilmFault:
    """Why a film cannot be played, in a sentence for staff."""

    path: Path
    reason: str


FilmResult = FilmInfo | FilmFault


def file_stamp(path: Path) -> tuple[object, ...]:
    """What identifies a file's bytes now (real path, size, modification time, inode)."""
    try:
        info = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path.resolve()), info.st_size, info.st_mtime_ns, info.st_ino)


def _codec_label(codec: str) -> str:
    return {"H264": "H.264", "H265": "HEVC"}.get(codec, codec or "this codec")


def _seconds_of(player: QMediaPlayer) -> float:
    duration = player.duration()
    return duration / 1000.0 if duration > 0 else 0.0


def convert_frames_on_cpu() -> None:
    """Turn frames into images with Qt's CPU converters, never through a GPU context.

    On X11 the engine would convert each frame with OpenGL shaders and read it back; without
    a GPU (Xvfb, a kiosk PC's basic driver) that is software GL: measured 154 ms a 1080p
    frame against 7-12 ms on the CPU. The stage paints with QPainter anyway, so the frame is
    needed in memory. Qt skips its GL path when widgets are forced to raster, which ours are.
    """
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ForceRasterWidgets)


def quiet_ffmpeg() -> None:
    """Keep the engine's FFmpeg from writing a line per broken packet to stderr: the show
    logs one line per fault itself. Qt's categories only cover Qt's own messages."""
    import ctypes
    import os

    from PySide6 import QtCore

    folder = Path(QtCore.__file__).parent / "Qt" / "lib"
    candidates = sorted(folder.glob("libavutil.so.*"))
    if not candidates:
        log.debug("no bundled libavutil found; FFmpeg keeps its own log level")
        return
    try:
        library = ctypes.CDLL(str(candidates[0]), mode=os.RTLD_NOLOAD)
    except (OSError, AttributeError):  # not loaded yet, or a platform without RTLD_NOLOAD
        log.debug("the engine's libavutil is not loaded; FFmpeg keeps its log level")
        return
    library.av_log_set_level(ctypes.c_int(8))  # AV_LOG_FATAL


class FilmPlayback(QObject):
    """One media player, its video sink and (for films with sound) its audio output."""

    frame_arrived = Signal()  # a newer frame than the last painted one is there
    loaded = Signal()  # the header was read (duration and tracks are known)
    reached_end = Signal()  # a film that does not loop reached its end
    failed = Signal(str)  # the film cannot go on; a sentence for the log

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = QMediaPlayer(self)
        self._sink = QVideoSink(self)
        self._player.setVideoSink(self._sink)
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
            length = _seconds_of(self._player)
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


class FilmProbe(QObject):
    """Reads one film at a time with its own player: header, length, first decoded frame."""

    finished = Signal(object)  # FilmInfo or FilmFault

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = QMediaPlayer(self)
        self._sink = QVideoSink(self)
        self._player.setVideoSink(self._sink)
        self._path: Path | None = None
        self._metadata: dict[str, object] = {}
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self._on_timeout)
        self._sink.videoFrameChanged.connect(self._on_sink_frame)  # one frame, then it stops
        self._player.mediaStatusChanged.connect(self._on_player_status)
        self._player.errorOccurred.connect(self._on_player_error)

    @property
    def busy(self) -> bool:
        """True while a film is being read."""
        return self._path is not None

    def start(self, path: Path, timeout_ms: int = PROBE_TIMEOUT_MS) -> None:
        """Read `path` (asynchronously); `finished` follows once."""
        self._path = path
        self._metadata = {}
        if not path.is_file():
            QTimer.singleShot(0, self, lambda: self._finish(FilmFault(path, "the file is missing")))
            return
        self._timeout.start(timeout_ms)
        self._player.setSource(QUrl.fromLocalFile(str(path)))

    def _current(self) -> bool:
        """True when the player's reports are about the film being read now."""
        return self._path is not None and self._player.source() == QUrl.fromLocalFile(
            str(self._path)
        )

    def _on_player_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if not self._current():
            return
        if status is QMediaPlayer.MediaStatus.LoadedMedia:
            self._read_header()
        elif status is QMediaPlayer.MediaStatus.InvalidMedia:
            self._finish(FilmFault(self._path, "not a film the engine can open"))
        elif status is QMediaPlayer.MediaStatus.EndOfMedia:
            codec = _codec_label(str(self._metadata.get("codec", "")))
            self._finish(FilmFault(self._path, f"{codec} is not supported here; export H.264"))

    def _read_header(self) -> None:
        assert self._path is not None
        if not self._player.hasVideo():
            self._finish(FilmFault(self._path, "the file has no picture (no video track)"))
            return
        meta = self._player.metaData()
        resolution = meta.value(QMediaMetaData.Key.Resolution)
        rate = meta.value(QMediaMetaData.Key.VideoFrameRate)
        self._metadata = {
            "codec": meta.stringValue(QMediaMetaData.Key.VideoCodec),
            "container": meta.stringValue(QMediaMetaData.Key.FileFormat),
            "width": resolution.width() if resolution is not None else 0,
            "height": resolution.height() if resolution is not None else 0,
            "rate": float(rate) if isinstance(rate, int | float) and math.isfinite(rate) else 0.0,
            "seconds": _seconds_of(self._player),
            "audio": self._player.hasAudio(),
        }
        self._player.play()  # muted: no audio output is attached; stopped at the first frame

    def _on_sink_frame(self, frame: QVideoFrame) -> None:
        if not self._current() or not frame.isValid() or not self._metadata:
            return
        image = frame.toImage()
        meta = self._metadata
        ten_bit = frame.pixelFormat() in TEN_BIT
        if image.isNull():  # decoded, but the engine has no way to turn it into a picture
            codec = _codec_label(str(meta["codec"])) + (" 10-bit" if ten_bit else "")
            self._finish(FilmFault(self._path, f"{codec} is not supported here; export H.264"))
            return
        if float(meta["seconds"]) <= 0 and str(meta["codec"]) in {"", "Unspecified"}:  # type: ignore[arg-type]
            reason = "this is a still picture, not a film (show it in a gallery or as a poster)"
            self._finish(FilmFault(self._path, reason))
            return
        self._finish(
            FilmInfo(
                self._path,
                str(meta["container"]),
                str(meta["codec"]),
                int(meta["width"]) or image.width(),  # type: ignore[call-overload]
                int(meta["height"]) or image.height(),  # type: ignore[call-overload]
                float(meta["seconds"]),  # type: ignore[arg-type]
                float(meta["rate"]),  # type: ignore[arg-type]
                bool(meta["audio"]),
                ten_bit,
                image,
            )
        )

    def _on_player_error(self, _error: QMediaPlayer.Error, message: str) -> None:
        if self._current():
            words = message.splitlines()[0] if message else "the engine reported an error"
            self._finish(FilmFault(self._path, f"cannot be opened ({words})"))

    def _on_timeout(self) -> None:
        if self._path is not None:
            seconds = self._timeout.interval() / 1000
            self._finish(FilmFault(self._path, f"no picture within {seconds:g} s"))

    def _finish(self, result: FilmResult) -> None:
        if self._path is None:
            return
        self._path = None
        self._timeout.stop()
        self._player.stop()
        self._player.setSource(QUrl())
        self.finished.emit(result)


def probe_film(path: Path, timeout_ms: int = PROBE_TIMEOUT_MS) -> FilmResult:
    """Read one film and wait for the answer (for `kiosk check` and `kiosk export`: a local
    event loop; the show itself never waits, it uses `FilmDeck.probe`)."""
    convert_frames_on_cpu()
    probe = FilmProbe()
    quiet_ffmpeg()
    results: list[FilmResult] = []
    loop = QEventLoop()

    def on_finished(result: FilmResult) -> None:
        results.append(result)
        loop.quit()

    probe.finished.connect(on_finished)
    probe.start(path, timeout_ms)
    if not results:
        loop.exec()
    probe.deleteLater()
    return results[0]


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
