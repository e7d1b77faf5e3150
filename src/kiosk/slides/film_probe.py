"""Reading films with Qt's own engine: what a film is (container, codec, size, length, first
frame) or why it cannot play, in words. `FilmProbe` has its own QMediaPlayer (the second of
the two a show has, see film_engine.FilmDeck); `probe_film` waits for one answer, for
`kiosk check` and `kiosk export`. The engine reports no error for a codec it cannot decode (it
ends without a frame), nor for frames it cannot turn into pictures (HEVC 10-bit here): the
probe decodes one frame and converts it, so what it accepts is what the show can paint.
"""

from __future__ import annotations

import logging
import math
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
    QMediaMetaData,
    QMediaPlayer,
    QVideoFrame,
    QVideoFrameFormat,
    QVideoSink,
)

from kiosk.qt_threads import settle_notify_overrides  # noqa: E402

log = logging.getLogger(__name__)

PROBE_TIMEOUT_MS = 8000  # opening and decoding one frame; a busy 2-core PC needs ~50 ms
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


def seconds_of(player: QMediaPlayer) -> float:
    """The length the engine read, in seconds (0 when unknown)."""
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


def new_media_player(parent: QObject) -> tuple[QMediaPlayer, QVideoSink]:
    """A QMediaPlayer drawing into a QVideoSink, both owned by `parent`, ready for the
    engine's threads (kiosk.qt_threads)."""
    player = QMediaPlayer(parent)
    sink = QVideoSink(parent)
    player.setVideoSink(sink)
    settle_notify_overrides(player, sink)
    return player, sink


class FilmProbe(QObject):
    """Reads one film at a time with its own player: header, length, first decoded frame."""

    finished = Signal(object)  # FilmInfo or FilmFault

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player, self._sink = new_media_player(self)
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
            "seconds": seconds_of(self._player),
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
