"""Make the kiosk's short original film from its own illustrations, with zh and en captions.

Usage: QT_QPA_PLATFORM=offscreen python tools/make_film.py [--out DIR] [--seconds-per-scene S]

Five scenes drawn with QPainter, each a slow pan across one of the illustrations in
assets/images (tools/make_images.py) with a figure from the Jinan High-tech Zone's 2020 article
counting up, cross-fading into the next. The frames are piped to ffmpeg (libx264, 1280x720,
25 fps, no sound) and written as zone-film.mp4 beside zone-film.zh.vtt and zone-film.en.vtt.
Fixed content and no randomness, so every run gives the same film. Needs ffmpeg.
"""

from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
)

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "assets" / "images"
FONTS = ROOT / "assets" / "fonts"
DEFAULT_OUT = ROOT / "assets" / "videos"
SIZE = (1280, 720)
FPS = 25
FADE_S = 0.8
NAVY = QColor("#0b1f2a")
GOLD = QColor("#f4b942")


@dataclass(frozen=True)
class Scene:
    """One scene: an illustration panned from `start` to `end` (fractions of its spare room),
    a figure counting up to `value`, and the captions shown while it runs."""

    image: str
    start: tuple[float, float]
    end: tuple[float, float]
    value: float | None
    origin: float  # where the count starts
    decimals: int
    big: str  # the figure's frame, {} takes the counted number
    small: str  # a bilingual line under it
    zh: str
    en: str


# Every figure and line comes from the 2020 article (data source: 济南高新技术产业开发区).
SCENES = (
    Scene(
        "timeline-origin.png",
        (0.2, 0.7),
        (0.6, 0.3),
        None,
        0,
        0,
        "1991",
        "起步 · Founded",
        "1991年，济南高新区起步。",
        "In 1991, the Jinan High-tech Zone was founded.",
    ),
    Scene(
        "clear-water.png",
        (0.5, 0.8),
        (0.5, 0.2),
        318,
        15.9,
        0,
        "{} km²",
        "五大片区 · Five areas",
        "从15.9平方公里，到318平方公里的五大片区。",
        "From 15.9 km² to five areas covering 318 km².",
    ),
    Scene(
        "blue-sky.png",
        (0.1, 0.5),
        (0.9, 0.5),
        1150.2,
        0,
        1,
        "{}亿元",
        "2019 · ¥115.02 bn · +10.5%",
        "2019年地区生产总值1150.2亿元，同比增长10.5%。",
        "2019 GDP: ¥115.02 billion, up 10.5% year on year.",
    ),
    Scene(
        "garden-summer.png",
        (0.8, 0.3),
        (0.2, 0.6),
        4,
        0,
        0,
        "{}",
        "四大产业崛起成峰 · Four industry peaks",
        "从业态单薄零散，到四大产业崛起成峰。",
        "From scattered businesses to four industry peaks.",
    ),
    Scene(
        "garden-spring.png",
        (0.3, 0.2),
        (0.7, 0.8),
        None,
        0,
        0,
        "花园中的高新区",
        "A high-tech zone in a garden",
        "建设“花园中的高新区”，迈向世界一流高科技园区。",
        "A high-tech zone in a garden, towards a world-class high-tech park.",
    ),
)


def ease(t: float) -> float:
    """Smooth start and end (0..1)."""
    t = max(0.0, min(1.0, t))
    return 0.5 - 0.5 * math.cos(math.pi * t)


def load_family() -> str:
    """The bundled CJK font's family (Chinese and English lines alike)."""
    family = ""
    for name in ("NotoSansCJKsc-Bold.otf", "NotoSansCJKsc-Regular.otf"):
        font_id = QFontDatabase.addApplicationFont(str(FONTS / name))
        if font_id >= 0 and not family:
            family = QFontDatabase.applicationFontFamilies(font_id)[0]
    if not family:
        raise SystemExit("the bundled font could not be loaded")
    return family


def paint_scene(
    painter: QPainter, scene: Scene, picture: QImage, t: float, family: str, *, first: bool
) -> None:
    """One moment `t` (0..1) of a scene: the pan, a veil, the counted figure and its line
    (the first scene's line stands from its first frame: that frame is the film's poster)."""
    width, height = SIZE
    zoom = 1.18 - 0.06 * ease(t)
    scale = max(width / picture.width(), height / picture.height()) * zoom
    source_w, source_h = width / scale, height / scale
    fx = scene.start[0] + (scene.end[0] - scene.start[0]) * ease(t)
    fy = scene.start[1] + (scene.end[1] - scene.start[1]) * ease(t)
    source = QRectF(
        (picture.width() - source_w) * fx, (picture.height() - source_h) * fy, source_w, source_h
    )
    painter.drawImage(QRectF(0, 0, width, height), picture, source)
    veil = QLinearGradient(0, height * 0.35, 0, height)
    for stop, alpha in ((0.0, 0.0), (0.55, 0.55), (1.0, 0.8)):
        color = QColor(NAVY)
        color.setAlphaF(alpha)
        veil.setColorAt(stop, color)
    painter.fillRect(QRectF(0, 0, width, height), veil)
    rise = 1.0 if first else ease(min(1.0, t * 4))
    painter.setOpacity(rise)
    if scene.value is not None:
        counted = scene.origin + (scene.value - scene.origin) * ease(min(1.0, t * 1.6))
        number = f"{counted:.{scene.decimals}f}"
        big = scene.big.format(number)
    else:
        big = scene.big
    font = QFont(family)
    font.setPixelSize(120)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(GOLD)
    painter.drawText(
        QRectF(0, height * 0.46 + (1 - rise) * 30, width, 150), Qt.AlignmentFlag.AlignCenter, big
    )
    font.setPixelSize(40)
    font.setBold(False)
    painter.setFont(font)
    painter.setPen(QColor("#f4f7f8"))
    painter.drawText(
        QRectF(0, height * 0.46 + 150 + (1 - rise) * 30, width, 60),
        Qt.AlignmentFlag.AlignCenter,
        scene.small,
    )
    painter.setOpacity(1.0)


def vtt_time(seconds: float) -> str:
    """00:00:01.000."""
    millis = round(seconds * 1000)
    hours, minutes = millis // 3_600_000, millis // 60_000 % 60
    return f"{hours:02d}:{minutes:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"


def write_captions(out: Path, stem: str, scene_s: float) -> None:
    """zh and en WebVTT: one cue per scene, clear of the cross-fades."""
    for language in ("zh", "en"):
        lines = ["WEBVTT", ""]
        for index, scene in enumerate(SCENES):
            start = index * scene_s + (0.3 if index else 0.2)
            end = (index + 1) * scene_s - 0.2
            lines += [f"{vtt_time(start)} --> {vtt_time(end)}", getattr(scene, language), ""]
        (out / f"{stem}.{language}.vtt").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Render the film and its captions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seconds-per-scene", type=float, default=4.0)
    parser.add_argument("--crf", type=int, default=30, help="x264 quality (higher: smaller)")
    args = parser.parse_args(argv)
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        print("make_film: ffmpeg is needed (apt-get install ffmpeg)", file=sys.stderr)
        return 1
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    family = load_family()
    pictures = [QImage(str(IMAGES / scene.image)) for scene in SCENES]
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "zone-film.mp4"
    width, height = SIZE
    encoder = subprocess.Popen(
        [
            *(ffmpeg, "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgra"),
            *("-s", f"{width}x{height}", "-r", str(FPS), "-i", "-"),
            *("-c:v", "libx264", "-preset", "slow", "-crf", str(args.crf), "-tune", "animation"),
            *("-pix_fmt", "yuv420p", "-g", str(FPS * 2), "-movflags", "+faststart"),
            *("-metadata", "title=Jinan High-tech Zone", str(target)),
        ],
        stdin=subprocess.PIPE,
    )
    assert encoder.stdin is not None
    scene_s = args.seconds_per_scene
    total = round(scene_s * len(SCENES) * FPS)
    frame = QImage(width, height, QImage.Format.Format_ARGB32)
    for number in range(total):
        seconds = number / FPS
        index = min(len(SCENES) - 1, int(seconds // scene_s))
        local = (seconds - index * scene_s) / scene_s
        painter = QPainter(frame)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        paint_scene(painter, SCENES[index], pictures[index], local, family, first=index == 0)
        into = seconds - index * scene_s
        if index > 0 and into < FADE_S:  # the previous scene fades out over this one
            painter.setOpacity(1.0 - ease(into / FADE_S))
            previous = SCENES[index - 1]
            paint_scene(painter, previous, pictures[index - 1], 1.0, family, first=index == 1)
        painter.end()
        encoder.stdin.write(frame.constBits().tobytes())
    encoder.stdin.close()
    if encoder.wait() != 0:
        print("make_film: ffmpeg failed", file=sys.stderr)
        return 1
    write_captions(args.out, "zone-film", scene_s)
    print(f"{target} ({target.stat().st_size // 1024} KB, {total / FPS:g} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
