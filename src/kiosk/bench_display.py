"""`kiosk bench --display`: frames as an X server receives them, timed by an outside observer.

`kiosk bench` without `--display` measures paint cost on Qt's offscreen platform, whose flush
copies no pixels. Here the real `kiosk show` runs on the xcb platform against an X server (the
one in `DISPLAY`, or an Xvfb this module starts, one per screen size), and this process, a
separate X client, watches the screen with the XDamage extension, as a VNC server or a
compositor does: every rectangle the kiosk puts on the screen arrives here as a DamageNotify
event, and a burst of them is one frame. It presses keys with XTEST, as a keyboard would.

Xvfb has no vblank: the times are when the X server received each frame (plus this observer's
wake-up, about a millisecond), not when a panel scanned it out. That is the part of a frame's
journey the kiosk controls.

Each run launches the show cold and then either presses Right every KEY_EVERY_S seconds
("interactive"), lets it play by itself with short dwell times ("attract"), or, for "cold",
starts on the slide before the first chart and presses Right at the first frame.

The parent side (this module's functions and `FrameObserver`) imports no Qt; the show side
(`instrument_show`) runs inside the child `python -m kiosk.bench --child display ...`.
"""

from __future__ import annotations

import functools
import json
import math
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from kiosk.frame_figures import (
    Run,
    Step,
    frames_from,
    run_figures,
    startup_figures,
)
from kiosk.xvfb import XvfbError, private_xvfb, stop_process

KEY_EVERY_S = 3.0  # interactive stepping: a key every three seconds
ATTRACT_DWELL_S = 3.0  # attract mode with dwell times shortened to 3 s (a run takes ~1 min)
DEFAULT_TRANSITIONS = 10  # steps per run
COLD_RUNS = 3
EVENT_PREFIX = "KIOSK_DISPLAY "
DISPLAY_NUMBERS = range(310, 400)  # away from the tests' :150-:199
RUN_TIMEOUT_S = 240.0
MODES = ("interactive", "attract", "cold")
FLOOR_EVERY_S = 1.2  # the floor's fades: 0.8 s each, 0.4 s apart


class DisplayBenchError(RuntimeError):
    """The display bench cannot run here (no X server, no python-xlib) or a run failed."""


# --- the X server --------------------------------------------------------------------------


@contextmanager
def x_server(size: tuple[int, int]) -> Iterator[str]:
    """An Xvfb of `size` on a free display number, stopped afterwards: its DISPLAY value."""
    try:
        server, display = private_xvfb(size, DISPLAY_NUMBERS, preexec_fn=_die_with_parent)
    except XvfbError as problem:
        raise DisplayBenchError(f"DISPLAY is not set and {problem}") from None
    try:
        yield display
    finally:
        stop_process(server)


def _die_with_parent() -> None:
    """In a child before exec: end with SIGTERM when the bench dies (Linux prctl), so that
    no show or Xvfb is left running after a killed bench."""
    import ctypes

    # Not Linux, or no prctl: the parent's `finally` still stops the child.
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


# --- the observer --------------------------------------------------------------------------


class FrameObserver:
    """An X client that timestamps every damage burst on the screen and presses keys."""

    def __init__(self, display_name: str) -> None:
        try:
            from Xlib import XK, X, display
        except ImportError as error:
            raise DisplayBenchError(
                "python-xlib is missing: reinstall kiosk (`./dev.sh show` or pip install -e .)"
            ) from error
        self._X, self._XK = X, XK
        try:
            self.display = display.Display(display_name)
        except Exception as error:
            raise DisplayBenchError(f"cannot open X display {display_name}: {error}") from error
        for name in ("DAMAGE", "XTEST"):
            if not self.display.has_extension(name):
                raise DisplayBenchError(f"the X server on {display_name} has no {name} extension")
        self.root = self.display.screen().root
        geometry = self.root.get_geometry()
        self.size = (geometry.width, geometry.height)
        from Xlib.ext import damage

        self.display.damage_query_version()  # the extension works only after this handshake
        self.damage = self.root.damage_create(damage.DamageReportRawRectangles)
        self.display.sync()
        self.damage_times: list[float] = []  # monotonic receive time of each DamageNotify

    def fileno(self) -> int:
        """The X connection, for select()."""
        return int(self.display.fileno())

    def read_events(self) -> None:
        """Take every event that has arrived (call when fileno() is readable)."""
        now = time.monotonic()
        while self.display.pending_events():
            event = self.display.next_event()
            # python-xlib makes an extension's event classes per display: compare names.
            if type(event).__name__ == "DamageNotify":
                self.damage_times.append(now)

    def press(self, key: str) -> float:
        """Press and release `key` (an X keysym name) through XTEST; the monotonic time."""
        x = self._X
        code = self.display.keysym_to_keycode(self._XK.string_to_keysym(key))
        self.display.xtest_fake_input(x.KeyPress, code)
        self.display.xtest_fake_input(x.KeyRelease, code)
        self.display.sync()
        return time.monotonic()

    def close(self) -> None:
        """Leave the X server."""
        with suppress(Exception):
            self.display.close()


# --- one run: a cold launch of the show, stepped --------------------------------------------


def run_show_once(
    content: Path,
    display_name: str,
    *,
    mode: str,
    transition: str,
    steps: int,
    start: str | None = None,
    key: str = "Right",
    key_every: float = KEY_EVERY_S,
) -> Run:
    """Launch the show on `display_name`, step it `steps` times, and collect what happened."""
    observer = FrameObserver(display_name)
    with tempfile.TemporaryDirectory(
        prefix="kiosk-bench-display-", ignore_cleanup_errors=True
    ) as folder:
        runtime = Path(folder) / "run"
        runtime.mkdir(mode=0o700)
        env = {k: v for k, v in os.environ.items() if k not in {"KIOSK_STAFF_PIN_HASH"}}
        env |= {
            "DISPLAY": display_name,
            "QT_QPA_PLATFORM": "xcb",
            "XDG_RUNTIME_DIR": str(runtime),
            "XDG_STATE_HOME": str(Path(folder) / "state"),
            "XDG_CONFIG_HOME": str(Path(folder) / "config"),
            "KIOSK_SETTINGS": str(Path(folder) / "none.toml"),
            "PYTHONUNBUFFERED": "1",
        }
        env.setdefault("QT_LOGGING_RULES", "qt.qpa.fonts.warning=false")
        kind = "display-floor" if mode == "floor" else "display"
        command = [sys.executable, "-m", "kiosk.bench", "--child", kind, str(content)]
        command += ["-", transition, mode, start or "-"]
        errors = Path(folder) / "stderr.txt"
        with errors.open("wb") as stderr:
            run = Run(mode, transition, time.monotonic())
            child = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr,
                preexec_fn=_die_with_parent,  # the parent is single-threaded
            )
        try:
            _drive(child, observer, run, mode=mode, steps=steps, key=key, key_every=key_every)
        except DisplayBenchError as error:
            tail = "\n".join(errors.read_text("utf-8", "replace").splitlines()[-15:])
            raise DisplayBenchError(f"{error}\n{tail}") from None
        finally:
            run.exit_code = stop_process(child)
            observer.close()
    run.frames = frames_from(observer.damage_times)
    return run


def _drive(
    child: subprocess.Popen[bytes],
    observer: FrameObserver,
    run: Run,
    *,
    mode: str,
    steps: int,
    key: str,
    key_every: float,
) -> None:
    """The select loop: X events, the child's event lines, and the key presses when due."""
    assert child.stdout is not None
    out = child.stdout.fileno()
    buffer = b""
    pending: Step | None = None  # a key was pressed, the move not reported yet
    next_key = math.inf
    deadline = time.monotonic() + RUN_TIMEOUT_S

    def read(timeout: float) -> None:
        """Wait up to `timeout` s for X events and the child's lines, and take them in."""
        nonlocal buffer, pending, next_key
        readable, _, _ = select.select([observer.fileno(), out], [], [], timeout)
        if observer.fileno() in readable:
            observer.read_events()
        if out not in readable:
            return
        chunk = os.read(out, 65536)
        if not chunk:
            raise DisplayBenchError(f"the show exited ({child.wait()}) during the {mode} run")
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            event = _parse_event(line)
            if event is None:
                continue
            pending = _apply_event(run, event, pending)
            if event["e"] == "painted" and len(run.paints) == 1:
                # interactive: the first key key_every after the first frame; cold: now
                next_key = event["t"] + (key_every if mode == "interactive" else 0.0)
            if event["e"] == "entrance" and mode == "cold" and run.steps:
                next_key = math.inf

    while True:
        now = time.monotonic()
        if now > deadline:
            raise DisplayBenchError(f"the {mode} run did not finish in {RUN_TIMEOUT_S:.0f} s")
        if len(run.steps) >= steps and pending is None:
            last = run.steps[-1]
            if not math.isnan(last.entrance_end) or now > last.asked + max(key_every, KEY_EVERY_S):
                # A little longer for the settled frame's flush to arrive, or the stage's word
                # that the screen already showed it (its line follows the entrance's).
                end = time.monotonic() + 0.1
                while time.monotonic() < end:
                    read(0.02)
                return
            next_key = math.inf
        if mode in ("interactive", "cold") and now >= next_key and pending is None:
            asked = observer.press(key)
            pending = Step(-1, "", "", asked)
            next_key = asked + key_every
        read(max(0.0, min(next_key - time.monotonic(), 0.25)))


def _parse_event(line: bytes) -> dict[str, Any] | None:
    text = line.decode("utf-8", "replace")
    if not text.startswith(EVENT_PREFIX):
        return None
    parsed: dict[str, Any] = json.loads(text[len(EVENT_PREFIX) :])
    return parsed


def _apply_event(run: Run, event: dict[str, Any], pending: Step | None) -> Step | None:
    kind, moment = event["e"], float(event["t"])
    if kind == "painted":
        run.paints.append((moment, float(event["ms"])))
        if math.isnan(run.first_painted):
            run.first_painted = moment
    elif kind == "position":
        step = pending or Step(-1, "", "", moment)
        step.index, step.slide, step.moved = int(event["index"]), str(event["id"]), moment
        step.transition = str(event["transition"])
        step.prepare_ms = float(event["prepare_ms"])
        run.steps.append(step)
        return None
    elif kind == "transition_end" and run.steps:
        run.steps[-1].transition_end = moment
    elif kind == "entrance":
        if run.steps and int(event["index"]) == run.steps[-1].index:
            if math.isnan(run.steps[-1].transition_end):
                run.steps[-1].transition_end = moment  # "none": no transition frames
            run.steps[-1].entrance_end = moment
        elif math.isnan(run.first_complete):
            run.first_complete = moment
    elif kind == "unchanged":
        run.unchanged.append(moment)
    elif kind == "degraded":
        run.degraded.append({k: v for k, v in event.items() if k not in {"e", "t"}})
    return pending


# --- the whole display bench ----------------------------------------------------------------


def first_chart_start(content: Path) -> tuple[str | None, str]:
    """(the id of the slide before the first slide with a chart, that chart slide's id)."""
    from kiosk.content import load_content

    slides = load_content(content).slides
    for index, slide in enumerate(slides):
        if getattr(slide, "chart", None) is not None and index > 0:
            return slides[index - 1].id, slide.id
    return None, slides[min(1, len(slides) - 1)].id


def measure_display(
    content: Path,
    sizes: Sequence[tuple[int, int]],
    *,
    transitions: Sequence[str],
    modes: Sequence[str] = MODES,
    steps: int = DEFAULT_TRANSITIONS,
    key_every: float = KEY_EVERY_S,
    cold_runs: int = COLD_RUNS,
    progress: Any = None,
) -> dict[str, Any]:
    """Every display figure, per size (each on its own Xvfb, or the one in DISPLAY)."""
    say = progress or (lambda text: print(text, file=sys.stderr, flush=True))
    result: dict[str, Any] = {}
    own = os.environ.get("DISPLAY")
    chart_before, chart = first_chart_start(content)
    for size in sizes:
        with _display_for(size, own) as (name, actual):
            key = f"{actual[0]}x{actual[1]}"
            found: dict[str, Any] = {"display": name if own else "Xvfb", "modes": {}}
            launches: list[Run] = []
            say(f"display {key}: floor (a window cross-fading two images), {steps} fades ...")
            floor = run_show_once(
                content, name, mode="floor", transition="fade", steps=steps, start=str(steps)
            )
            found["floor_crossfade"] = run_figures([floor])
            for mode in (m for m in modes if m != "cold"):
                found["modes"][mode] = {}
                for transition in transitions:
                    say(f"display {key}: {mode}, {transition}, {steps} transitions ...")
                    run = run_show_once(
                        content,
                        name,
                        mode=mode,
                        transition=transition,
                        steps=steps,
                        key_every=key_every,
                    )
                    launches.append(run)
                    found["modes"][mode][transition] = run_figures([run])
            if "cold" in modes and chart_before is not None:
                cold: list[Run] = []
                for number in range(cold_runs):
                    say(f"display {key}: cold start onto {chart} ({number + 1}/{cold_runs}) ...")
                    cold.append(
                        run_show_once(
                            content,
                            name,
                            mode="cold",
                            transition=transitions[0],
                            steps=1,
                            start=chart_before,
                        )
                    )
                launches += cold
                found["cold_step_onto_first_chart"] = run_figures(cold) | {"slide": chart}
            found["startup"] = startup_figures([r for r in launches if r.mode != "cold"])
            result[key] = found
    return result


@contextmanager
def _display_for(size: tuple[int, int], own: str | None) -> Iterator[tuple[str, tuple[int, int]]]:
    if own:
        observer = FrameObserver(own)
        actual = observer.size
        observer.close()
        yield own, actual
        return
    with x_server(size) as name:
        yield name, size


# --- inside the child: the real `kiosk show`, instrumented ----------------------------------


def instrument_show(transition: str, mode: str) -> None:
    """Before `kiosk show` starts: every slide uses `transition`; in attract mode slides stay
    ATTRACT_DWELL_S; the stage reports its frames, moves, transitions and entrances on stdout
    as `KIOSK_DISPLAY {json}` lines with monotonic times."""
    import kiosk.app as app_module
    from kiosk.ui.stage import Stage

    original_merge = app_module.merge_settings
    original_build = app_module.build_show

    def merge(content: Any, options: Any, kiosk_settings: Any = None) -> Any:
        content = original_merge(content, options, kiosk_settings)
        settings = content.settings.model_copy(update={"transition": transition})
        update: dict[str, Any] = {"transition": None}
        if mode == "attract":
            update["duration"] = ATTRACT_DWELL_S
        slides = [slide.model_copy(update=update) for slide in content.slides]
        return content.model_copy(update={"settings": settings, "slides": slides})

    def say(kind: str, **fields: Any) -> None:
        line = json.dumps({"e": kind, "t": time.monotonic(), **fields})
        sys.stdout.write(EVENT_PREFIX + line + "\n")
        sys.stdout.flush()

    original_paint = Stage.paintEvent
    original_move = Stage._move_to  # where the stage really moves (it may wait first)

    # functools.wraps keeps the names: PySide finds a connected method by its __name__.
    @functools.wraps(original_paint)
    def paint(self: Stage, event: Any) -> None:
        running = self._transition  # the bench reads the stage's state as a debugger would
        started = time.perf_counter()
        original_paint(self, event)
        say("painted", ms=(time.perf_counter() - started) * 1000.0)
        if running is not None and self._transition is None:
            say("transition_end")

    @functools.wraps(original_move)
    def move(self: Stage, index: int, direction: int) -> None:
        started = time.perf_counter()
        original_move(self, index, direction)
        running = self._transition
        say(
            "position",
            index=index,
            id=self.player.content.slides[index].id,
            transition=running.transition.name if running is not None else "none",
            prepare_ms=(time.perf_counter() - started) * 1000.0,
        )

    def build(*args: Any, **kwargs: Any) -> Any:
        show = original_build(*args, **kwargs)
        stage = show.stage
        stage.entrance_finished.connect(lambda index: say("entrance", index=index))
        unchanged = getattr(stage, "frame_unchanged", None)
        if unchanged is not None:
            unchanged.connect(lambda: say("unchanged"))
        degraded = getattr(stage, "transition_degraded", None)
        if degraded is not None:
            degraded.connect(lambda name, to, why: say("degraded", name=name, to=to, why=why))
        return show

    app_module.merge_settings = merge  # type: ignore[assignment]
    app_module.build_show = build  # type: ignore[assignment]
    Stage.paintEvent = paint  # type: ignore[method-assign]
    Stage._move_to = move  # type: ignore[method-assign]


def floor_child(fades: int) -> int:
    """The display floor: a bare full-screen window cross-fading two plain images, 0.8 s per
    fade every FLOOR_EVERY_S, reporting like `instrument_show` (nothing of the show runs)."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication.instance() or QApplication(["kiosk-bench-floor"])

    def say(kind: str, **fields: Any) -> None:
        line = json.dumps({"e": kind, "t": time.monotonic(), **fields})
        sys.stdout.write(EVENT_PREFIX + line + "\n")
        sys.stdout.flush()

    class Floor(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
            screen = QGuiApplication.primaryScreen().geometry()
            self.setGeometry(screen)
            self.images = [QImage(screen.size(), QImage.Format.Format_RGB32) for _ in "ab"]
            self.images[0].fill(QColor("#13294b"))
            self.images[1].fill(QColor("#1c7c7d"))
            self.started = -1.0
            self.fades = 0
            self.frames = QTimer(self)
            self.frames.setTimerType(Qt.TimerType.PreciseTimer)
            self.frames.timeout.connect(self.update)

        def start_fade(self) -> None:
            self.started = time.monotonic()
            self.fades += 1
            say("position", index=self.fades, id="floor", transition="fade", prepare_ms=0.0)
            self.frames.start(16)

        def paintEvent(self, event: Any) -> None:
            begun = time.perf_counter()
            progress = (time.monotonic() - self.started) / 0.8 if self.started > 0 else 1.0
            painter = QPainter(self)
            painter.drawImage(0, 0, self.images[self.fades % 2])
            painter.setOpacity(min(1.0, max(0.0, progress)))
            painter.drawImage(0, 0, self.images[(self.fades + 1) % 2])
            painter.end()
            say("painted", ms=(time.perf_counter() - begun) * 1000.0)
            if self.started > 0 and progress >= 1.0:
                self.started = -1.0
                self.frames.stop()
                say("transition_end")
                say("entrance", index=self.fades)
                if self.fades < fades:
                    QTimer.singleShot(round(FLOOR_EVERY_S * 1000 - 800), self.start_fade)

    floor = Floor()
    floor.show()
    QTimer.singleShot(1000, floor.start_fade)
    return int(app.exec())
