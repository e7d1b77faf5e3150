"""`kiosk bench --film`: how many film frames reach the X server, and what films cost in memory.

The real `kiosk show` runs full screen on a private Xvfb, playing a clip made here with ffmpeg
whose frames carry their number as a row of black-or-white cells (`make_counter_clip`). An
observer process on the same display reads that row from the X server's framebuffer a few
hundred times a second (`observe_counter`, a two-pixel strip: cheap) and counts the distinct
frame numbers it sees: frames presented, as the display receives them. Xvfb has no vblank, so
this is what the server received, not what a panel would scan out. A frame shown for less
than one poll (~3 ms) is missed and counts as dropped: the figure errs low.

`presented_frames` is the small piece a display benchmark can plug in: given samples of
(time, frame number), the presented rate, the ratio to the clip's rate, skipped and repeated
numbers and the longest gap (the loop point included).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kiosk.xvfb import XvfbError, private_xvfb, stop_process

BITS = 10  # frame numbers 0..1023
DISPLAYS = range(420, 470)
FONT = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "NotoSansCJKsc-Regular.otf"
GOAL_PRESENTED_RATIO = 0.95
GOAL_KIB_PER_LOOP = 1.0
RESULT_PREFIX = "KIOSK_FILM_OBSERVED "

# Seconds since the observer started, the frame number (None: no counter there), and the
# marker cell's lightness (white on a film, in between while a transition blends it).
Sample = tuple[float, int | None, int]


# --- the clip --------------------------------------------------------------------------------


def cell_rect(index: int, width: int, height: int) -> tuple[int, int, int, int]:
    """x, y, w, h of counter cell `index` (-1: the always-white marker) in a frame."""
    cell_w = width // 16
    cell_h = height // 6
    return (3 * width // 16 + index * cell_w, height // 2 - cell_h // 2, cell_w, cell_h)


def make_counter_clip(
    path: Path,
    *,
    seconds: float = 2.0,
    fps: int = 25,
    size: tuple[int, int] = (320, 180),
    codec: str = "h264",
    audio: bool = False,
    faststart: bool = True,
) -> Path:
    """Write a clip whose frames show their number (digits and cells), with ffmpeg; with
    `audio`, a 440 Hz tone. Raises FileNotFoundError without ffmpeg."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise FileNotFoundError("ffmpeg is not installed (apt-get install ffmpeg)")
    width, height = size
    band = f"drawbox=x=0:y={height // 2 - height // 8}:w={width}:h={height // 4}:c=black:t=fill"
    mx, my, mw, mh = cell_rect(-1, width, height)
    filters = [band, f"drawbox=x={mx + 2}:y={my + 2}:w={mw - 4}:h={mh - 4}:c=white:t=fill"]
    for bit in range(BITS):
        x, y, w, h = cell_rect(bit, width, height)
        filters.append(
            f"drawbox=x={x + 2}:y={y + 2}:w={w - 4}:h={h - 4}:c=white:t=fill:"
            f"enable='mod(floor(n/{2**bit}),2)'"
        )
    filters.append(
        f"drawtext=fontfile={FONT}:text='%{{frame_num}}':x=(w-tw)/2:y=h/12:"
        f"fontsize={height // 6}:fontcolor=white"
    )
    command = [ffmpeg, "-loglevel", "error", "-y", "-f", "lavfi"]
    command += ["-i", f"color=c=0x1d3557:s={width}x{height}:r={fps}:d={seconds}"]
    if audio:
        command += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:d={seconds}"]
    command += ["-vf", ",".join(filters)]
    codecs = {
        "h264": ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", str(fps)],
        "hevc8": ["-c:v", "libx265", "-pix_fmt", "yuv420p", "-x265-params", "log-level=error"],
        "hevc10": ["-c:v", "libx265", "-pix_fmt", "yuv420p10le", "-x265-params", "log-level=error"],
        "av1": ["-c:v", "libaom-av1", "-cpu-used", "8", "-pix_fmt", "yuv420p"],
    }
    command += codecs[codec]
    if audio:
        command += ["-c:a", "aac", "-b:a", "64k", "-shortest"]
    if faststart:
        command += ["-movflags", "+faststart"]
    command.append(str(path))
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return path


def read_counter(image: Any, left: float, top: float, width: float, height: float) -> int | None:
    """The frame number of a counter clip painted at (left, top, width, height) of a QImage,
    or None where no counter is clearly there (no marker, a cell neither black nor white)."""
    from PySide6.QtGui import QColor

    number = 0
    for bit in range(-1, BITS):
        x, y, w, h = cell_rect(bit, 1600, 900)  # proportions of the clip, at any size
        cx = round(left + (x + w / 2) / 1600 * width)
        cy = round(top + (y + h / 2) / 900 * height)
        if not (0 <= cx < image.width() and 0 <= cy < image.height()):
            return None
        value = QColor(image.pixel(cx, cy)).lightness()
        if bit < 0:
            if value <= 190:
                return None
        elif value > 190:
            number |= 1 << bit
        elif value > 70:
            return None
    return number


# --- what the display received ---------------------------------------------------------------


def presented_frames(
    samples: Sequence[Sample], clip_fps: float, clip_frames: int
) -> dict[str, Any]:
    """Presented frames from (time, frame number) samples of the screen: distinct frames per
    second, its ratio to the clip's rate, numbers skipped, and the longest time one frame
    stayed (a stall, or a gap at the loop point)."""
    shown = [(t, n) for t, n, _marker in samples if n is not None]
    if len(shown) < 2:
        return {"presented_fps": 0.0, "ratio": 0.0, "frames": 0, "skipped": 0, "seconds": 0.0}
    changes: list[tuple[float, int]] = [shown[0]]  # type: ignore[list-item]
    for t, n in shown[1:]:
        if n != changes[-1][1]:
            changes.append((t, n))  # type: ignore[arg-type]
    span = shown[-1][0] - shown[0][0]
    skipped = 0
    for (_, a), (_, b) in itertools.pairwise(changes):
        skipped += (b - a - 1) % clip_frames
    longest = max((b[0] - a[0] for a, b in itertools.pairwise(changes)), default=0.0)
    fps = (len(changes) - 1) / span if span > 0 else 0.0
    return {
        "presented_fps": round(fps, 2),
        "ratio": round(fps / clip_fps, 3) if clip_fps else 0.0,
        "frames": len(changes),
        "skipped": skipped,
        "longest_frame_s": round(longest, 3),
        "seconds": round(span, 2),
        "samples": len(samples),
    }


def observe_counter(seconds: float) -> list[Sample]:
    """Read the counter row from the X server (DISPLAY) for `seconds`; run as a child."""
    from PySide6.QtGui import QColor, QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["kiosk-film-observer"])
    screen = app.primaryScreen()  # type: ignore[attr-defined]
    width, height = screen.size().width(), screen.size().height()
    cells = [cell_rect(bit, width, height) for bit in range(-1, BITS)]
    left = cells[0][0]
    right = cells[-1][0] + cells[-1][2]
    row = cells[0][1] + cells[0][3] // 2
    samples: list[Sample] = []
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        strip = screen.grabWindow(0, left, row, right - left, 1).toImage()
        now = time.monotonic() - started
        number: int | None = 0
        marker = QColor(strip.pixel(cells[0][0] + cells[0][2] // 2 - left, 0)).lightness()
        for bit, (x, _y, w, _h) in enumerate(cells, start=-1):
            value = QColor(strip.pixel(x + w // 2 - left, 0)).lightness()
            if bit < 0 and value <= 190:
                number = None
                break
            if bit >= 0 and value > 190:
                number = (number or 0) | 1 << bit
            elif bit >= 0 and value > 70:
                number = None
                break
        samples.append((round(now, 4), number, marker))
        time.sleep(0.002)
    return samples


# --- running the show on Xvfb ------------------------------------------------------------------


class FilmBenchError(RuntimeError):
    """The show or the X server did not come up; the message says what happened."""


def start_xvfb(size: tuple[int, int]) -> tuple[subprocess.Popen[bytes], str]:
    """A private Xvfb of `size` on a free display (no TCP), ready: (process, DISPLAY)."""
    try:
        return private_xvfb(size, DISPLAYS)
    except XvfbError as problem:
        raise FilmBenchError(str(problem)) from None


def stop(process: subprocess.Popen[Any]) -> None:
    """SIGTERM, then SIGKILL after 5 s."""
    stop_process(process)


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/statm", encoding="ascii") as statm:  # noqa: PTH123
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def wait_for(log: Path, needle: str, process: subprocess.Popen[Any], timeout: float) -> None:
    """Until the show's log has a line with `needle`; FilmBenchError when it ends or times out."""
    deadline = time.monotonic() + timeout
    while needle not in log.read_text("utf-8", "replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            tail = "\n".join(log.read_text("utf-8", "replace").splitlines()[-10:])
            raise FilmBenchError(f'the show never logged "{needle}":\n{tail}')
        time.sleep(0.05)


def _slope(points: Sequence[tuple[float, float]]) -> float:
    n = len(points)
    if n < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else 0.0


def run_film_bench(
    size: tuple[int, int] = (1920, 1080),
    *,
    fps: int = 30,
    observe_s: float = 12.0,
    loops: int = 200,
    loop_s: float = 0.5,
) -> dict[str, Any]:
    """Measure presented frames of a clip at `fps` filling a `size` screen, the RSS a film
    slide adds, and the RSS slope over `loops` loops of a `loop_s` clip."""
    with tempfile.TemporaryDirectory(
        prefix="kiosk-film-bench-", ignore_cleanup_errors=True
    ) as name:
        folder = Path(name)
        seconds = 4.0
        make_counter_clip(folder / "rate.mp4", seconds=seconds, fps=fps, size=size)
        make_counter_clip(folder / "short.mp4", seconds=loop_s, fps=fps, size=size)
        deck = folder / "content.yaml"
        deck.write_text(
            "settings: {default_duration: 600, transition: fade, transition_duration: 0.5}\n"
            "slides:\n"
            "  - {id: still, type: text, title: Before the film, body: A still slide, "
            "duration: 4}\n"
            "  - {id: film, type: video, title: Bench, video: rate.mp4, play: loop}\n",
            encoding="utf-8",
        )
        loop_deck = folder / "loops.yaml"
        loop_deck.write_text(
            "settings: {default_duration: 600}\n"
            "slides:\n"
            "  - {id: film, type: video, title: Loops, video: short.mp4, play: loop}\n",
            encoding="utf-8",
        )
        server, display = start_xvfb(size)
        try:
            rate = _presented_and_rss(deck, folder, display, observe_s, fps, round(seconds * fps))
            memory = _loop_memory(loop_deck, folder, display, loops, loop_s)
        finally:
            stop(server)
    return {"size": f"{size[0]}x{size[1]}", "clip_fps": fps, **rate, **memory}


def show_env(folder: Path, display: str) -> dict[str, str]:
    """The environment of a show on `display` with every per-user folder inside `folder`."""
    env = {k: v for k, v in os.environ.items() if k not in {"WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        XDG_CONFIG_HOME=str(folder / "config"),
        XDG_STATE_HOME=str(folder / "state"),
        XDG_RUNTIME_DIR=str(runtime),
        PYTHONUNBUFFERED="1",
    )
    env.pop("KIOSK_STAFF_PIN_HASH", None)
    return env


def _start_show(deck: Path, folder: Path, display: str) -> tuple[subprocess.Popen[bytes], Path]:
    log = folder / f"{deck.stem}.log"
    with log.open("wb") as out:
        show = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "show", str(deck)],
            env=show_env(folder, display),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return show, log


def _presented_and_rss(
    deck: Path, folder: Path, display: str, observe_s: float, fps: int, frames: int
) -> dict[str, Any]:
    show, log = _start_show(deck, folder, display)
    try:
        wait_for(log, "showing ", show, 60)
        time.sleep(3.0)  # the still slide settled
        still_kib = _rss_kib(show.pid)
        wait_for(log, "plays (slide film)", show, 30)
        time.sleep(2.0)
        samples = observe(show_env(folder, display), observe_s)
        film_kib = _rss_kib(show.pid)
    finally:
        stop(show)
    figures = presented_frames(samples, fps, frames)
    return {
        "presented": figures,
        "samples": samples,
        "rss_still_mib": round(still_kib / 1024, 1),
        "rss_film_mib": round(film_kib / 1024, 1),
        "rss_added_by_film_mib": round((film_kib - still_kib) / 1024, 1),
    }


def observe(env: dict[str, str], seconds: float) -> list[Sample]:
    """Run the observer child on the display of `env` for `seconds`; its samples."""
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.bench_film", "--observe", str(seconds)],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    found = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if not found:
        raise FilmBenchError(f"the observer printed nothing:\n{done.stderr[-2000:]}")
    return [(float(t), n, m) for t, n, m in json.loads(found[-1][len(RESULT_PREFIX) :])]


def _loop_memory(
    deck: Path, folder: Path, display: str, loops: int, loop_s: float
) -> dict[str, Any]:
    show, log = _start_show(deck, folder, display)
    points: list[tuple[float, float]] = []
    try:
        wait_for(log, "plays (slide film)", show, 60)
        started = time.monotonic()
        while (elapsed := time.monotonic() - started) < loops * loop_s:
            points.append((elapsed / loop_s, float(_rss_kib(show.pid))))
            time.sleep(loop_s)
    finally:
        stop(show)
    warm = [p for p in points if p[0] >= loops * 0.2]  # caches and pools fill on first loops
    return {
        "loops": loops,
        "rss_loop_start_mib": round(points[0][1] / 1024, 1) if points else None,
        "rss_loop_end_mib": round(points[-1][1] / 1024, 1) if points else None,
        "rss_kib_per_loop": round(_slope(warm), 3),
    }


def format_film_table(result: dict[str, Any]) -> str:
    """The film figures as lines for people, with the goals."""
    shown = result["presented"]
    ratio = shown["ratio"]
    slope = result["rss_kib_per_loop"]
    return "\n".join(
        [
            f"film at {result['size']}, clip {result['clip_fps']} fps, as the X server (Xvfb) "
            "received it:",
            f"  presented {shown['presented_fps']:.2f} fps = {ratio:.1%} of the clip's rate "
            f"({shown['frames']} frames in {shown['seconds']} s, {shown['skipped']} skipped, "
            f"longest frame {shown['longest_frame_s'] * 1000:.0f} ms); goal >= "
            f"{GOAL_PRESENTED_RATIO:.0%}: {'met' if ratio >= GOAL_PRESENTED_RATIO else 'MISSED'}",
            f"  RSS on a still slide {result['rss_still_mib']} MiB, with the film playing "
            f"{result['rss_film_mib']} MiB: a film slide adds {result['rss_added_by_film_mib']} "
            "MiB",
            f"  RSS over {result['loops']} loops: {result['rss_loop_start_mib']} -> "
            f"{result['rss_loop_end_mib']} MiB, slope {slope:.3f} KiB per loop; goal <= "
            f"{GOAL_KIB_PER_LOOP:g}: {'met' if slope <= GOAL_KIB_PER_LOOP else 'MISSED'}",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m kiosk.bench_film --observe SECONDS` (the observer child)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--observe"]:
        samples = observe_counter(float(args[1]))
        print(RESULT_PREFIX + json.dumps(samples), flush=True)
        return 0
    print("usage: kiosk bench --film [--size WxH]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
