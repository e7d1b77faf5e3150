"""The measurements of `kiosk bench`, run inside its child processes (one screen size each).

Each child runs on Qt's offscreen platform with one screen of the measured size. Frames are
timed with `perf_counter` around a synchronous `repaint()` of the real window, with the show's
clock faked so that every frame lands at a chosen moment of the transition. Qt modules are
imported inside the functions: importing this module starts nothing.
"""

from __future__ import annotations

import gc
import resource
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from kiosk.content.common import TransitionName
from kiosk.frame_figures import percentile

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from kiosk.app import Show
    from kiosk.content.model import Content

# Every transition of the model but "none" (it paints no transition frame: nothing to time).
TRANSITION_NAMES = tuple(name for name in get_args(TransitionName) if name != "none")
FRAME_RATE = 60  # frames per second of transition a display shows
SETTLE_S = 30.0  # longer than any entrance: the slide is settled after it
PAST_S = 0.001  # a moment past an end: `started + seconds - started` may round below `seconds`
SLOW_TIME = 1000.0  # durations and idle timeout x 1000 (10 min slides still fit Qt's timer)
REPEATS = 3  # builds and renders per slide; the median is kept
EXPOSE_TIMEOUT_S = 10.0


class FakeClock:
    """The show's clock, moved by hand (seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def summary(seconds: list[float]) -> dict[str, float]:
    """Median, 95th percentile (nearest rank) and worst frame in milliseconds. The worst is
    kept because p95 over 120 frames hides a cost paid once per transition."""
    ms = [value * 1000.0 for value in seconds]
    return {
        "median_ms": statistics.median(ms),
        "p95_ms": percentile(ms, 0.95),
        "max_ms": max(ms),
        "frames": len(ms),
    }


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _start_qt(content_path: Path) -> tuple[QApplication, str, Content]:
    from PySide6.QtWidgets import QApplication

    from kiosk.content import load_content
    from kiosk.ui.fonts import register_fonts

    app = QApplication.instance() or QApplication(["kiosk-bench"])
    assert isinstance(app, QApplication)
    family = register_fonts()
    return app, family, load_content(content_path)


def _screen_size(app: QApplication, width: int, height: int) -> None:
    geometry = app.primaryScreen().geometry()
    if (geometry.width(), geometry.height()) != (width, height):
        raise RuntimeError(
            f"the offscreen screen is {geometry.width()}x{geometry.height()}, not "
            f"{width}x{height}: run through `kiosk bench` (it sets QT_QPA_PLATFORM)"
        )


def _wait_exposed(app: QApplication, window: QWidget) -> None:
    deadline = time.monotonic() + EXPOSE_TIMEOUT_S
    while time.monotonic() < deadline:
        app.processEvents()
        handle = window.windowHandle()
        if handle is not None and handle.isExposed():
            break
        time.sleep(0.005)
    for _ in range(5):
        app.processEvents()


def _build_show(
    app: QApplication, content: Content, media_dir: Path, family: str
) -> tuple[Show, FakeClock]:
    """The real show, kiosk mode, full screen, on a fake clock; its first slide settled."""
    from kiosk.app import build_show

    clock = FakeClock()
    show = build_show(
        content,
        media_dir,
        family,
        kiosk=True,
        time_scale=SLOW_TIME,
        animation_scale=1.0,
        clock=clock,
    )
    show.window.show_on(app.primaryScreen())
    _wait_exposed(app, show.window)
    screen = app.primaryScreen().geometry().size()
    if show.stage.size() != screen:
        raise RuntimeError(f"the stage is {show.stage.size()}, the screen {screen}")
    clock.now += SETTLE_S  # the first slide's entrance is over
    show.stage.repaint()
    show.stage.repaint()
    return show, clock


def _close(app: QApplication, show: Show) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    show.window.allow_close()
    show.window.close()
    show.window.deleteLater()
    app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _with_transition(content: Content, name: str) -> Content:
    settings = content.settings.model_copy(update={"transition": name})
    slides = [slide.model_copy(update={"transition": None}) for slide in content.slides]
    return content.model_copy(update={"settings": settings, "slides": slides})


def _frames_per_transition(content: Content) -> int:
    return max(2, round(content.settings.transition_duration * FRAME_RATE))


# --- the probes ----------------------------------------------------------------------------


def measure_limit(
    width: int, height: int, outgoing: Any, incoming: Any, per: int, frames: int
) -> dict[str, float]:
    """The floor: a full-screen cross-fade of two images with QPainter, nothing else.

    No render hints: they change nothing in an unscaled copy (measured: no faster without).
    """
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QImage, QPainter

    from kiosk.core.easing import EASINGS

    ease = EASINGS["in_out_cubic"]
    target = QImage(width, height, QImage.Format.Format_RGB32)  # the offscreen backing store's

    def cross_fade(opacity: float) -> None:
        painter = QPainter(target)
        painter.drawImage(QPointF(0, 0), outgoing)
        painter.setOpacity(opacity)
        painter.drawImage(QPointF(0, 0), incoming)
        painter.end()

    gc.collect()
    return summary([_timed(lambda i=i: cross_fade(ease((i % per) / per))) for i in range(frames)])


def measure_transition(
    app: QApplication, content: Content, media_dir: Path, family: str, name: str, frames: int
) -> dict[str, float]:
    """One transition through the real window: `repaint()` per frame, the clock stepped."""
    content = _with_transition(content, name)
    show, clock = _build_show(app, content, media_dir, family)
    stage, seconds = show.stage, content.settings.transition_duration
    per = _frames_per_transition(content)
    painted = [0]
    stage.frame_painted.connect(lambda: painted.__setitem__(0, painted[0] + 1))
    frame_times: list[float] = []
    prepare_times: list[float] = []
    gc.collect()
    try:
        while len(frame_times) < frames:
            # The outgoing and incoming images are rendered when the position changes.
            prepare_times.append(_timed(show.player.next))
            started = clock.now
            for step in range(min(per, frames - len(frame_times))):
                clock.now = started + seconds * step / per
                before = painted[0]
                frame_times.append(_timed(stage.repaint))
                if painted[0] != before + 1:
                    raise RuntimeError("repaint() did not paint exactly one frame")
            clock.now = started + seconds + PAST_S
            stage.repaint()  # the transition ends, the entrance starts
            clock.now += SETTLE_S
            stage.repaint()  # the entrance ends
            stage.repaint()  # the settled image
            if stage.animating:
                raise RuntimeError("the slide did not settle between two transitions")
    finally:
        _close(app, show)
    found = summary(frame_times)
    found["prepare_ms"] = statistics.median(prepare_times) * 1000.0
    return found


def measure_naive(
    app: QApplication, content: Content, views: list[Any], width: int, height: int, frames: int
) -> dict[str, float]:
    """The naive fade most Qt code would write: two live widgets, the upper one with a
    QGraphicsOpacityEffect whose opacity is stepped; `repaint()` of their parent is timed."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPainter, QPaintEvent
    from PySide6.QtWidgets import QGraphicsOpacityEffect, QWidget

    from kiosk.core.easing import EASINGS
    from kiosk.slides.base import FINAL, Frame, canvas_for
    from kiosk.slides.render import paint_scaled
    from kiosk.ui.stage import RENDER_HINTS

    language = content.settings.default_language
    canvas = canvas_for(width, height)

    class LiveSlideWidget(QWidget):
        """A slide painted live in paintEvent, as a widget tree would."""

        def __init__(self, parent: QWidget) -> None:
            super().__init__(parent)
            self.view: Any = None
            self.entrance = FINAL
            self.paints = 0

        def paintEvent(self, event: QPaintEvent) -> None:
            painter = QPainter(self)
            painter.setRenderHints(RENDER_HINTS)
            frame = Frame(canvas, language, self.entrance, 0.0)
            paint_scaled(painter, self.view, self.size(), frame)
            painter.end()
            self.paints += 1

    host = QWidget()
    host.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
    outgoing, incoming = LiveSlideWidget(host), LiveSlideWidget(host)
    effect = QGraphicsOpacityEffect(incoming)
    incoming.setGraphicsEffect(effect)
    for widget, view in ((outgoing, views[0]), (incoming, views[min(1, len(views) - 1)])):
        widget.view = view
        widget.setGeometry(0, 0, width, height)
    host.setGeometry(app.primaryScreen().geometry())
    host.show()
    _wait_exposed(app, host)
    ease = EASINGS["in_out_cubic"]
    per = _frames_per_transition(content)
    times: list[float] = []
    gc.collect()
    try:
        for i in range(frames):
            step = i % per
            if step == 0:  # the next pair of slides, like the transitions
                pair = (i // per) % (len(views) - 1) if len(views) > 1 else 0
                outgoing.view = views[pair]
                incoming.view = views[min(pair + 1, len(views) - 1)]
                incoming.entrance = 0.0  # as the stage pre-renders it
                effect.setOpacity(0.5)
                host.repaint()  # untimed: layouts and layer caches of the new pair
            effect.setOpacity(ease(step / per))
            times.append(_timed(host.repaint))
    finally:
        host.close()
        host.deleteLater()
    found = summary(times)
    found["live_paints_per_frame"] = (outgoing.paints + incoming.paints) / max(1, frames)
    return found


def measure_slides(
    content: Content, theme: Any, media: Any, width: int, height: int
) -> dict[str, dict[str, float]]:
    """Per slide type: building a view with its first layout, and `render_view` settled."""
    from PySide6.QtCore import QSize

    from kiosk.slides.base import canvas_for
    from kiosk.slides.registry import build_view
    from kiosk.slides.render import render_view

    language = content.settings.default_language
    canvas, size = canvas_for(width, height), QSize(width, height)
    # Warm up imports (pyqtgraph for bar charts) and font caches once: the start-up figure
    # carries those one-off costs, these figures the cost of each view.
    for slide in content.slides:
        render_view(build_view(slide, theme, media), size, language)
    builds: dict[str, list[float]] = defaultdict(list)
    firsts: dict[str, list[float]] = defaultdict(list)
    renders: dict[str, list[float]] = defaultdict(list)
    gc.collect()
    for slide in content.slides:
        views = []
        samples = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            views.append(build_view(slide, theme, media))
            views[-1].layout(canvas, language)
            samples.append(time.perf_counter() - started)
        builds[slide.type].append(statistics.median(samples))
        view = views[-1]
        started = time.perf_counter()
        image = render_view(view, size, language)  # its still layers are not cached yet
        firsts[slide.type].append(time.perf_counter() - started)
        samples = [
            _timed(lambda view=view, image=image: render_view(view, size, language, image=image))
            for _ in range(REPEATS)
        ]
        renders[slide.type].append(statistics.median(samples))

    def per_type(found: dict[str, list[float]]) -> dict[str, float]:
        return {kind: statistics.median(values) * 1000.0 for kind, values in found.items()}

    return {
        "slide_build_ms": per_type(builds),
        "slide_render_ms": per_type(renders),
        "slide_render_first_ms": per_type(firsts),
    }


# --- what each child runs ------------------------------------------------------------------


def measure_size(content_path: Path, width: int, height: int, frames: int) -> dict[str, Any]:
    """Every per-size figure: the floor, the transitions, the naive fade, the slides."""
    from PySide6.QtGui import QImage

    from kiosk.slides.media import MediaLibrary
    from kiosk.slides.registry import build_view
    from kiosk.slides.render import render_view
    from kiosk.slides.theme import SlideTheme

    app, family, content = _start_qt(content_path)
    _screen_size(app, width, height)
    media_dir = content_path.parent
    theme = SlideTheme.from_content(content.settings.theme, family)
    media = MediaLibrary(media_dir)
    views = [build_view(slide, theme, media) for slide in content.slides]
    language = content.settings.default_language
    size = app.primaryScreen().geometry().size()
    pair = [
        render_view(views[min(index, len(views) - 1)], size, language).convertToFormat(
            QImage.Format.Format_RGB32  # what the stage renders its two images in
        )
        for index in (0, 1)
    ]
    result: dict[str, Any] = {
        "limit_crossfade": measure_limit(
            width, height, pair[0], pair[1], _frames_per_transition(content), frames
        ),
        "transitions": {
            name: measure_transition(app, content, media_dir, family, name, frames)
            for name in TRANSITION_NAMES
        },
        "naive_opacity_effect": measure_naive(app, content, views, width, height, frames),
    }
    result.update(measure_slides(content, theme, media, width, height))
    return result


def _resident_mib() -> float:
    """Resident memory now (Linux; 0 elsewhere, where the peak figure still holds)."""
    status = Path("/proc/self/status")
    if not status.exists():
        return 0.0
    for line in status.read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return 0.0


def measure_peak_rss(content_path: Path, width: int, height: int) -> dict[str, Any]:
    """Peak resident memory of the real show after showing every slide once, with its
    transition and entrance frames, back to the first slide; and where it goes: the show
    just started, the largest the shared image store grew, and resident memory at the end."""
    from kiosk.slides.cache import store_bytes

    app, family, content = _start_qt(content_path)
    _screen_size(app, width, height)
    show, clock = _build_show(app, content, content_path.parent, family)
    started_mib = _resident_mib()
    store_peak = store_bytes()
    stage, seconds = show.stage, content.settings.transition_duration
    for _ in range(show.player.count):
        show.player.next()
        started = clock.now
        for progress in (0.0, 0.25, 0.5, 0.75):
            clock.now = started + seconds * progress
            stage.repaint()
        clock.now = started + seconds + PAST_S
        stage.repaint()  # the transition ends, the entrance starts
        entrance = clock.now
        for elapsed in (0.1, 0.3, 0.6, 1.0, 1.5, 2.5, 4.0, SETTLE_S):
            clock.now = entrance + elapsed
            stage.repaint()
        stage.repaint()  # the settled image
        app.processEvents()
        store_peak = max(store_peak, store_bytes())
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "peak_rss_mib": peak_kib / 1024.0,
        "slides": show.player.count,
        "breakdown_mib": {
            "first_slide_shown": started_mib,
            "image_store_peak": store_peak / 2**20,
            "after_every_slide": _resident_mib(),
        },
    }
