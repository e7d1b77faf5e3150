"""The composition root: the only module that knows every layer and wires them together."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QSocketNotifier, Qt
from PySide6.QtWidgets import QApplication

from kiosk.clock_sync import clock_sync_state
from kiosk.content import ContentError, Problem, load_content
from kiosk.content.kiosk_settings import (
    KioskSettings,
    accessibility_overrides,
    default_settings_path,
    load_kiosk_settings,
)
from kiosk.content.model import Content, Language
from kiosk.controllers.keyboard import KeyboardController
from kiosk.controllers.pointer import PointerController
from kiosk.controllers.strokes import StrokeSink
from kiosk.controllers.touch import TouchController
from kiosk.core.hall_clock import simulated_wall_clock
from kiosk.core.lock import CornerTapDetector, StaffLock
from kiosk.core.pin import PinSource, PinStore
from kiosk.core.player import Overlay, Player
from kiosk.core.release_notice import ReleaseNotice
from kiosk.core.schedule import HallCalendar
from kiosk.core.watcher import ContentWatcher
from kiosk.display_power import DisplayPower
from kiosk.instance import AlreadyRunning, InstanceLock, lock_path
from kiosk.last_good import LastGoodContent
from kiosk.logs import setup_logging, write_status
from kiosk.sdnotify import Watchdog, notify, watchdog_interval_ms
from kiosk.slides.film_engine import FilmDeck
from kiosk.slides.media import MediaLibrary
from kiosk.supervision import ExceptionGuard
from kiosk.ui.access import AccessPanelLayer
from kiosk.ui.access_button import AccessButtonLayer
from kiosk.ui.accessible import AccessibilityTree
from kiosk.ui.chrome import CountdownLayer, LanguageLayer, NavigationLayer
from kiosk.ui.films import FilmDirector, FilmLayer
from kiosk.ui.fonts import register_fonts
from kiosk.ui.fps import FpsLayer
from kiosk.ui.keypad import StaffKeypadLayer
from kiosk.ui.live import LiveContent
from kiosk.ui.panels import HelpLayer, OverviewLayer
from kiosk.ui.presenter import PresenterWindow, presenter_screen
from kiosk.ui.problem_screen import ProblemScreen
from kiosk.ui.speech import ReadAloud, ReadAloudKey, SpeechWorker
from kiosk.ui.stage import Stage
from kiosk.ui.standby import StandbyLayer
from kiosk.ui.window import KioskWindow, pick_screen

if TYPE_CHECKING:  # imported where used: a show that records nothing never loads them
    from kiosk.insights.storage.recorder import InsightsRecorder
    from kiosk.insights.tracker import InsightsTracker, Recorder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShowOptions:
    """Command-line choices for `kiosk show`; they override content.yaml's settings."""

    content_path: Path
    windowed: bool = False
    presenter: bool = False
    screen: int | None = None
    language: Language | None = None
    start: str | None = None
    fps: bool = False  # the frame-time readout for staff (ui/fps.py)
    settings_path: Path | None = None  # this kiosk's kiosk.toml (default: the config folder)
    # Visitor insights. The one switch for runs that are not the hall's real day: rehearsals
    # on a simulated clock (`--at`) and `--no-insights` set it off; bench and soak build their
    # shows without a recorder at all.
    record_insights: bool = True
    at: datetime | None = None  # --at: a simulated clock from this local time (a rehearsal)
    # Accessibility from the start (None: as content.yaml and kiosk.toml say).
    reduce_motion: bool | None = None
    larger_text: bool | None = None
    high_contrast: bool | None = None
    read_aloud: bool | None = None
    volume: int | None = None  # films' loudness in percent (wins over kiosk.toml)


def merge_settings(
    content: Content, options: ShowOptions, kiosk: KioskSettings | None = None
) -> Content:
    """Apply the merge order: built-in defaults < content.yaml `settings` < this kiosk's
    kiosk.toml < command line.

    The first two are merged by the model (its defaults fill what the file leaves out); the
    kiosk's own settings and then the command line win over both, here.
    """
    settings = content.settings
    accessibility = accessibility_overrides(kiosk) if kiosk is not None else {}
    for name in ("reduce_motion", "larger_text", "high_contrast", "read_aloud"):
        chosen = getattr(options, name)
        if chosen is not None:
            accessibility[name] = chosen
    if accessibility:
        merged = settings.accessibility.model_copy(update=accessibility)
        settings = settings.model_copy(update={"accessibility": merged})
    if options.language is not None and options.language in settings.languages:
        settings = settings.model_copy(update={"default_language": options.language})
    volume = kiosk.volume if kiosk is not None else None
    if options.volume is not None:
        volume = options.volume
    if volume is not None:  # films' loudness: this kiosk's, the command line's over both
        settings = settings.model_copy(update={"volume": volume})
    if settings is content.settings:
        return content
    return content.model_copy(update={"settings": settings})


def load_or_report(path: Path) -> Content | None:
    """Load content for the show, or print every problem (no traceback) and return None."""
    try:
        return load_content(path)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(
            f"{path}: cannot start the show: fix the problems above (kiosk check {path})",
            file=sys.stderr,
        )
        return None


@dataclass
class Show:
    """Everything one running show is made of, wired together (kept alive by this object)."""

    player: Player
    stage: Stage
    window: KioskWindow
    keyboard: KeyboardController
    lock: StaffLock
    strokes: StrokeSink
    touch: TouchController
    pointer: PointerController
    films: FilmDirector
    watchdog: Watchdog | None = None
    insights: InsightsTracker | None = None  # only when the show records (run_show)
    read_aloud: ReadAloud | None = None
    accessibility_tree: AccessibilityTree | None = None


def build_show(
    content: Content,
    media_dir: Path,
    font_family: str,
    *,
    kiosk: bool,
    start_index: int = 0,
    time_scale: float = 1.0,
    animation_scale: float = 1.0,
    clock: Callable[[], float] = time.monotonic,
    wall_clock: Callable[[], float] = time.time,
    sync_offset_ms: int = 0,
    pin_store: PinSource | None = None,
    fps: bool = False,
    insights: Recorder | None = None,
    bezels: int | Sequence[float] = 1,
    speech: SpeechWorker | None = None,
    read_aloud_key: str = "",
    screen_reader: bool = True,
    on_screen: bool = False,
) -> Show:
    """Wire the Player, the stage and its layers, the input controllers and the window.

    `time_scale` multiplies slide durations and the idle timeout; `animation_scale`
    multiplies entrances and transitions (0 switches animation off, as the tests do).
    With an `insights` recorder, what is shown and what visitors do is recorded.
    `clock` (monotonic) and `wall_clock` (UTC seconds) are the show's one clock, kept by the
    Player; `sync_offset_ms` is this screen's lead on the common timeline (kiosk.toml).
    `bezels` (kiosk.toml) says where a video wall's seams are; text keeps off them.
    `speech` speaks for read-aloud (started by the caller), `read_aloud_key` names the
    kiosk's hardware read-aloud key, and `screen_reader` offers the slides over AT-SPI.
    `on_screen` is the real show: its first slide is up in its final state on the first
    frame, and a transition that keeps missing its frame budget is replaced (ui/pacing.py).
    """
    player = Player(
        content,
        start_index=start_index,
        time_scale=time_scale,
        clock=clock,
        wall_clock=wall_clock,
        sync_offset_s=sync_offset_ms / 1000,
    )
    stage = Stage(
        player,
        font_family,
        MediaLibrary(media_dir),
        clock=clock,
        animation_scale=animation_scale,
        bezels=bezels,
        settle_first_slide=on_screen,
        pace_transitions=on_screen,
    )
    theme = lambda: stage.theme  # noqa: E731 - the theme follows reloaded content
    read_aloud = ReadAloud(player, speech, parent=player) if speech is not None else None
    # After the stage: on a move it takes the film's last frame before the film stops.
    films = FilmDirector(player, stage, FilmDeck(player), parent=player)
    stage.add_layer(FilmLayer(films, player))  # under the chrome: its targets come first
    stage.add_layer(NavigationLayer(player, theme, clock))
    stage.add_layer(LanguageLayer(player, theme))  # its hint keeps left of the whole row
    stage.add_layer(CountdownLayer(player, theme))
    stage.add_layer(OverviewLayer(player, theme, lambda: stage.views, stage.scale))
    stage.add_layer(HelpLayer(player, theme))
    stage.add_layer(AccessButtonLayer(player, theme))  # over the panels: always reachable
    stage.add_layer(AccessPanelLayer(player, theme, read_aloud))
    if read_aloud is not None:
        read_aloud.availability_changed.connect(stage.update)
        player.speaking_changed.connect(stage.update)
    if fps:
        stage.add_layer(FpsLayer(stage, theme))  # under the keypad: it never covers the PIN
    logo = lambda path: stage.media.image(path)  # noqa: E731 - the media follow reloads
    stage.add_layer(StandbyLayer(player, theme, logo), in_standby=True)
    lock = StaffLock(pin_store or PinStore(), clock=clock, parent=player)
    stage.add_layer(StaffKeypadLayer(player, lock, theme, clock), in_standby=True)  # topmost
    lock.changed.connect(stage.update)
    window = KioskWindow(stage, kiosk=kiosk)
    lock.unlocked.connect(window.allow_close)
    lock.unlocked.connect(window.close)
    keyboard = KeyboardController(player, lock, window)
    keyboard.watch(window)
    if read_aloud is not None and read_aloud_key:
        ReadAloudKey(read_aloud, player, read_aloud_key).watch(window)  # runs before keyboard
    strokes = StrokeSink(
        player, _action_under(stage), lambda: stage.canvas_rect().width(), clock=clock
    )
    corner = CornerTapDetector()

    def open_keypad_on_corner_taps(x: float, y: float, now: float) -> bool:
        if corner.tap(x, y, now):
            player.set_overlay(Overlay.STAFF)
        return corner.in_corner(x, y)  # corner taps never navigate

    if kiosk:
        strokes.tap_observers.append(open_keypad_on_corner_taps)
    stage.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
    touch = TouchController(strokes, stage.to_canvas, stage)
    touch.watch(stage)
    pointer = PointerController(strokes, stage.to_canvas, stage)
    pointer.watch(stage)
    player.position_changed.connect(
        lambda index, _direction: log.info(
            "slide %d/%d: %s", index + 1, player.count, player.content.slides[index].id
        )
    )
    player.mode_changed.connect(lambda mode: log.info("mode: %s", mode))
    player.overlay_changed.connect(lambda overlay: log.info("overlay: %s", overlay or "none"))
    player.language_changed.connect(lambda language: log.info("language: %s", language))
    player.choices_changed.connect(lambda: log.info("accessibility: %s", player.choices))
    tree = AccessibilityTree(stage, player) if screen_reader else None
    show = Show(
        player,
        stage,
        window,
        keyboard,
        lock,
        strokes,
        touch,
        pointer,
        films,
        read_aloud=read_aloud,
        accessibility_tree=tree,
    )
    if insights is not None:
        show.insights = _track_insights(show, insights, corner if kiosk else None)
    return show


def _track_insights(
    show: Show, recorder: Recorder, corner: CornerTapDetector | None
) -> InsightsTracker:
    """Follow the Player, the strokes and the audience window's keys for the insights."""
    from kiosk.insights.tracker import InsightsTracker

    stage = show.stage

    def canvas_size() -> tuple[float, float]:
        canvas = stage.canvas_rect()
        return canvas.width(), canvas.height()

    def target_at(x: float, y: float) -> str | None:
        target = stage.hit_test(QPointF(x, y) * stage.scale())
        return target.name if target is not None else None

    tracker = InsightsTracker(
        show.player,
        recorder,
        canvas_size=canvas_size,
        target_at=target_at,
        is_staff_corner=corner.in_corner if corner is not None else lambda _x, _y: False,
        typed_number=lambda: show.keyboard.typed_number,
        content_dir=lambda: stage.media_dir,  # where manifest.json says the release
        parent=show.player,
    )
    show.strokes.stroke_observers.append(tracker.observe_stroke)
    tracker.watch_keys(show.window)  # not the presenter window: its keys are never recorded
    return tracker


def open_insights(
    options: ShowOptions, settings: KioskSettings, settings_file: Path
) -> InsightsRecorder | None:
    """The recorder for this show, or None when it must not record (the switch or the
    kiosk's `[insights] enabled = false`). Opening the database happens on its own thread."""
    chosen = settings.insights
    if not options.record_insights or options.at is not None or not chosen.enabled:
        log.info("insights: not recording")  # `--at` is a rehearsal: never recorded
        return None
    from kiosk.insights.storage.database import database_path
    from kiosk.insights.storage.recorder import InsightsRecorder

    path = database_path(chosen.database, settings_file)
    log.info("insights: recording to %s", path)
    return InsightsRecorder(
        path,
        retention_days=chosen.retention_days,
        max_bytes=chosen.max_megabytes * 1024 * 1024,
        flush_interval_s=chosen.write_every_seconds,
    )


def _action_under(stage: Stage) -> Callable[[QPointF], Callable[[], None] | None]:
    """Hit-testing in canvas coordinates, for the stroke sink."""

    def action(point: QPointF) -> Callable[[], None] | None:
        target = stage.hit_test(stage.to_widget(point))
        return target.action if target is not None else None

    return action


@dataclass(frozen=True)
class Startup:
    """What the show starts with: content and the folder of its pictures, or the problems."""

    content: Content | None
    media_dir: Path
    problems: list[Problem]


def startup_content(
    options: ShowOptions, last_good: LastGoodContent, status: Callable[[str], None]
) -> Startup:
    """The file's content; if it is broken, this file's last good copy (reported, not shown);
    without one, its problems (the staff screen shows them)."""
    path = options.content_path
    try:
        content = load_content(path)
    except ContentError as error:
        problems = list(error.problems)
    else:
        return Startup(content, path.parent, [])  # run_show keeps a copy once it settled
    for problem in problems:
        print(problem, file=sys.stderr)
    fallback = last_good.load()
    located = "\n".join(str(p) for p in problems)
    if fallback is None:
        status(f"PROBLEM: {path} does not load and has no last good copy; staff screen.\n{located}")
        print(
            f"{path}: cannot start the show: fix the problems above (kiosk check {path}); "
            "the staff screen shows them until the file loads",
            file=sys.stderr,
        )
        return Startup(None, path.parent, problems)
    log.warning("%s does not load: showing its last good copy (kept %s)", path, fallback.saved)
    status(f"PROBLEM: {path} does not load; showing its last good copy.\n{located}")
    return Startup(fallback.content, fallback.media_dir, problems)


def wait_for_good_content(
    options: ShowOptions, startup: Startup, family: str, ready: Callable[[], None]
) -> Content | None:
    """Show the staff problem screen until a save of the file loads; that content, or None
    when the program is asked to end first."""
    from PySide6.QtCore import QEventLoop

    screen = ProblemScreen(family)
    screen.show_problems(str(options.content_path), [str(p) for p in startup.problems])
    window = KioskWindow(screen, kiosk=not options.windowed)
    watcher = ContentWatcher(options.content_path, None, parent=window)
    loop = QEventLoop()
    loaded: list[Content] = []

    def on_watcher_content_loaded(content: Content) -> None:
        loaded.append(content)
        loop.quit()

    def on_watcher_content_failed(problems: list[Problem]) -> None:
        screen.show_problems(str(options.content_path), [str(p) for p in problems])

    watcher.content_loaded.connect(on_watcher_content_loaded)
    watcher.content_failed.connect(on_watcher_content_failed)
    QApplication.instance().aboutToQuit.connect(loop.quit)
    watcher.start()
    window.show_on(pick_screen(options.screen))
    ready()
    log.info("showing the staff screen: %s does not load", options.content_path)
    if not _ending_requested():
        loop.exec()
    watcher.stop()
    window.allow_close()
    window.close()
    window.deleteLater()
    return loaded[0] if loaded else None


def load_kiosk_settings_or_log(path: Path | None) -> KioskSettings:
    """This kiosk's settings; a broken file is logged, located, and the defaults are used
    (the hall's content still plays)."""
    chosen = path or default_settings_path()
    try:
        settings = load_kiosk_settings(chosen, required=path is not None)
    except ContentError as error:
        for problem in error.problems:
            log.error("kiosk settings not applied: %s", problem)
        return KioskSettings()
    if settings.name:
        log.info("this kiosk: %s (settings %s)", settings.name, chosen)
    return settings


def run_show(options: ShowOptions) -> int:
    """Start the show and run the event loop until it ends; returns the exit code."""
    folder = setup_logging()
    status = lambda text: write_status(folder, text)  # noqa: E731
    kiosk_settings = load_kiosk_settings_or_log(options.settings_path)
    last_good = LastGoodContent(options.content_path)
    startup = startup_content(options, last_good, status)
    start = startup.content
    if start is not None and options.start is not None and start.index_of(options.start) is None:
        ids = ", ".join(slide.id for slide in start.slides)
        print(f'--start: no slide with id "{options.start}"; ids: {ids}', file=sys.stderr)
        return 2
    instance = InstanceLock(lock_path())
    try:
        instance.acquire()
    except AlreadyRunning as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 3
    if not kiosk_settings.accessibility.screen_reader:
        turn_off_accessibility_bridge()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("kiosk")
    end_on_termination(app)
    try:
        return _run_until_the_end(app, options, startup, status, last_good, kiosk_settings)
    finally:
        instance.release()
        log.info("the show ended")
        for handler in logging.getLogger().handlers:
            handler.flush()


def _run_until_the_end(
    app: QApplication,
    options: ShowOptions,
    startup: Startup,
    status: Callable[[str], None],
    last_good: LastGoodContent,
    kiosk_settings: KioskSettings,
) -> int:
    start = startup.content
    family = register_fonts()  # before any widget exists
    watchdog: list[Watchdog] = []
    if start is None:
        start = wait_for_good_content(
            options, startup, family, lambda: _tell_systemd_ready(watchdog, app)
        )
        if start is None:
            return 0
        startup = Startup(start, options.content_path.parent, [])
        status(f"OK: {options.content_path} loads; the show starts")
    content = merge_settings(start, options, kiosk_settings)
    start_index = content.index_of(options.start) if options.start else 0
    wall_clock = time.time
    if options.at is not None:
        begin = HallCalendar(content.settings, content.slides).utc_of(options.at)
        wall_clock = simulated_wall_clock(begin, time.monotonic)
        log.info(
            "--at: a simulated clock from %s (%s); nothing is switched off or recorded",
            options.at.isoformat(sep=" "),
            content.settings.timezone or "the machine's zone",
        )
    recorder = open_insights(
        options, kiosk_settings, options.settings_path or default_settings_path()
    )
    access = kiosk_settings.accessibility
    speech = None
    if content.settings.accessibility.offer_read_aloud:
        speech = SpeechWorker(
            voices={"zh": access.voice_zh, "en": access.voice_en}, rate=access.speech_rate
        )
    show = build_show(
        content,
        startup.media_dir,
        family,
        kiosk=not options.windowed,
        start_index=start_index or 0,
        fps=options.fps,
        insights=recorder,
        speech=speech,
        read_aloud_key=access.read_aloud_key,
        screen_reader=access.screen_reader,
        wall_clock=wall_clock,
        sync_offset_ms=kiosk_settings.sync_offset_ms,
        bezels=kiosk_settings.bezels,
        on_screen=True,
    )
    progress = show.player.slot_progress()
    if progress is not None:
        log.info(
            "sync: on the common timeline at slide %d/%d (%s), %.2f s into its slot",
            show.player.index + 1,
            show.player.count,
            show.player.content.slides[show.player.index].id,
            progress,
        )
    if options.at is None and content.settings.standby.display_power == "auto":
        power = DisplayPower(QApplication.platformName(), parent=show.player)
        show.player.standby_changed.connect(power.set_standby)
        if show.player.standby:
            power.set_standby(True)
    if speech is not None:
        # The engine takes seconds to list its voices: start it once the first slide stands.
        show.stage.entrance_finished.connect(
            lambda _index: speech.start(), Qt.ConnectionType.SingleShotConnection
        )
    guard = ExceptionGuard(show.player.next)
    guard.install()
    watcher = ContentWatcher(options.content_path, content, parent=show.player)
    live = LiveContent(
        watcher,
        show.player,
        show.stage,
        write_status=status,
        merge=lambda saved: merge_settings(saved, options, kiosk_settings),
        parent=show.player,
    )
    watcher.content_loaded.connect(lambda _content: last_good.remember())
    notice = ReleaseNotice(options.content_path, parent=show.player)
    notice.notice_changed.connect(live.set_notice)
    watcher.content_loaded.connect(lambda _content: notice.check_now())
    watcher.start()
    notice.start()
    # Keeping the last good copy parses content.yaml again: not before the first
    # frame, but once the first slide stands still.
    show.stage.entrance_finished.connect(
        lambda _index: last_good.remember(), Qt.ConnectionType.SingleShotConnection
    )
    show.window.show_on(pick_screen(options.screen))
    _announce_first_frame(show, watchdog)
    show.stage.frame_painted.connect(
        # status.txt keeps saying what is wrong with the content when something is
        lambda: threading.Thread(  # timedatectl may take a while: never on the GUI thread
            target=_log_clock_sync,
            args=(show.player.synced, None if startup.problems else status),
            daemon=True,
        ).start(),
        Qt.ConnectionType.SingleShotConnection,
    )
    if options.presenter:
        presenter = PresenterWindow(show.stage)
        show.keyboard.watch(presenter)  # the same keys on both windows
        show.lock.unlocked.connect(presenter.close)  # else it keeps the app alive
        live.status_changed.connect(presenter.set_status)
        if recorder is not None:
            presenter.set_visitor_count(recorder.visitors_today)
        second = presenter_screen(options.screen)
        if second is None and not options.windowed:
            log.warning("--presenter with one screen: the kiosk window covers it; use --windowed")
        presenter.show_on(second)
    log.info(
        "showing %s: %d slides on %s",
        options.content_path,
        show.player.count,  # the slides in today's loop
        "a window" if options.windowed else "full screen",
    )
    try:
        return 0 if _ending_requested() else int(app.exec())
    finally:
        guard.uninstall()
        watcher.stop()
        if show.insights is not None:
            show.insights.finish()
        if recorder is not None:
            recorder.close()  # writes the last batch
        if speech is not None:
            speech.close()


def end_on_termination(app: QApplication) -> None:
    """SIGTERM (systemd's stop) and SIGINT end the event loop with exit code 0.

    Python runs a signal handler only when it next runs Python code, and an idle Qt event
    loop runs none: the signal's wake-up byte on a socket wakes Qt, whose notifier runs the
    handler. `exit(0)` rather than `quit()`: Qt 6's quit() asks the windows to close first,
    and the kiosk window refuses.
    """
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def on_signal(number: int, _frame: object) -> None:
        if not _ending:
            _ending.append(number)
            log.info("%s: the show ends", signal.Signals(number).name)
        app.exit(0)

    def on_wakeup_readable() -> None:
        with suppress(BlockingIOError):
            reader.recv(64)  # the handler itself has run before this slot (Python code)

    notifier.activated.connect(on_wakeup_readable)
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, on_signal)
    _keep_alive.extend([reader, writer, notifier])


_keep_alive: list[object] = []  # the wake-up sockets live as long as the program
_ending: list[int] = []  # the signal that ends the show, once one came


def _ending_requested() -> bool:
    """True once SIGTERM or SIGINT came (before the event loop ran, exit() does nothing)."""
    return bool(_ending)


def _log_clock_sync(synced: bool, status: Callable[[str], None] | None) -> None:
    """The clock's NTP state in the log (after the first frame: timedatectl takes a while);
    with `sync: wall_clock`, a warning for staff when it is not synchronised."""
    state = clock_sync_state()
    if not synced:
        log.info("%s", state.describe())
    elif state.synchronized:
        log.info("%s: screens with sync: wall_clock stay in step", state.describe())
    else:
        words = (
            f"{state.describe()}: with sync: wall_clock this screen keeps its own time and "
            "drifts from the others; set up NTP (deploy/README.md)"
        )
        log.warning("%s", words)
        if status is not None:
            status(f"WARNING: {words}")


def _tell_systemd_ready(watchdog: list[Watchdog], parent: QObject) -> None:
    """READY=1 to systemd and its watchdog started (once, whatever is on screen)."""
    notify("READY=1")
    interval = watchdog_interval_ms()
    if interval is not None and not watchdog:
        watchdog.append(Watchdog(interval, parent=parent))
        watchdog[0].start()
        log.info("systemd watchdog: pinging every %d ms", interval)


def _announce_first_frame(show: Show, watchdog: list[Watchdog]) -> None:
    """After the first painted frame: tell systemd we are ready and start its watchdog."""

    def on_first_frame() -> None:
        show.stage.frame_painted.disconnect(on_first_frame)
        if os.environ.get("KIOSK_EXIT_AFTER_FIRST_FRAME") == "1":
            # For start-up measurements (`kiosk bench`): the wall time, then leave.
            print(f"kiosk: first frame at {time.time():.6f}", flush=True)
            QApplication.instance().exit(0)
            return
        _tell_systemd_ready(watchdog, QApplication.instance())
        show.watchdog = watchdog[0] if watchdog else None

    show.stage.frame_painted.connect(on_first_frame)


def turn_off_accessibility_bridge() -> None:
    """Keep Qt's AT-SPI bridge from reaching any screen reader (kiosk.toml
    `screen_reader = false`), before the QApplication exists.

    Qt has no switch for it: the bridge connects to the bus named by AT_SPI_BUS_ADDRESS when
    that is set (over the session bus and the X root window's AT_SPI_BUS otherwise), so an
    address nothing listens on leaves it talking to no one.
    """
    os.environ.pop("QT_LINUX_ACCESSIBILITY_ALWAYS_ON", None)
    os.environ["AT_SPI_BUS_ADDRESS"] = "unix:path=/nonexistent/kiosk-accessibility-off"
    log.info("screen reader support is off (kiosk.toml: screen_reader = false)")


def ensure_headless() -> None:
    """Use Qt's offscreen platform unless the caller chose one (export never opens a window)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
