"""Following the show for the insights: the Player's signals and the visitors' strokes and
keys become insight records (kiosk.insights.storage.events) for the recorder's queue.

Wired by `app.build_show` (the tracker follows the Player and is told about strokes and
audience-window keys; it never changes the show). Everything here is a few attribute reads
and one queue append: no disk work, nothing on the frame path. A fault in here is logged
once and never reaches the show.

Never recorded: the staff keypad (taps and keys while it is open), the staff corner taps,
and keys typed in the presenter window (the tracker only watches the audience window).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import wraps
from pathlib import Path
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from kiosk.controllers.bindings import DIGIT_KEYS, ENTER_KEYS, binding_for
from kiosk.controllers.gestures import Gesture, Stroke
from kiosk.controllers.strokes import EDGE_FRACTION
from kiosk.core.player import Mode, Overlay, Player
from kiosk.insights.storage.events import (
    Event,
    InputRecorded,
    Layout,
    SessionEnded,
    SessionStarted,
    SlideShown,
)
from kiosk.insights.storage.layout import release_of

log = logging.getLogger(__name__)

# Tap targets (HitTarget names up to the colon) as the report groups them.
TARGET_GROUPS = {
    "dot": "dot",
    "chapter": "chapter",
    "language": "language",
    "slide": "overview",  # a thumbnail of the overview
    "help": "help",
}
LANGUAGE_ACTIONS = frozenset({"language", "toggle_language"})
MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class Recorder(Protocol):
    """What the tracker needs of `InsightsRecorder`."""

    clock: Callable[[], float]

    def new_session(self) -> int:
        """A fresh session number."""
        ...

    def record(self, event: Event) -> None:
        """Queue one event."""
        ...


@dataclass(frozen=True)
class _OpenRow:
    slide_id: str
    index: int
    language: str
    mode: str
    session: int | None
    started: float
    continued: bool


@dataclass
class _Session:
    number: int
    started: float
    last_input: float
    visited: set[str] = field(default_factory=set)
    language_switches: int = 0
    inputs: int = 0


F = TypeVar("F", bound=Callable[..., None])


def _guarded(method: F) -> F:
    """Log the first fault of a tracker method and carry on: the show must never notice."""

    @wraps(method)
    def run(self: InsightsTracker, *args: Any) -> None:
        try:
            method(self, *args)
        except Exception:
            if not self._faulted:
                self._faulted = True
                log.exception("insights: recording failed; the show goes on")

    return run  # type: ignore[return-value]


class InsightsTracker(QObject):
    """Turns what the Player did and what visitors did into insight records."""

    def __init__(
        self,
        player: Player,
        recorder: Recorder,
        *,
        canvas_size: Callable[[], tuple[float, float]],
        target_at: Callable[[float, float], str | None],
        is_staff_corner: Callable[[float, float], bool],
        typed_number: Callable[[], str],
        content_dir: Callable[[], Path],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._player = player
        self._recorder = recorder
        self._clock = recorder.clock
        self._canvas_size = canvas_size
        self._target_at = target_at
        self._is_staff_corner = is_staff_corner
        self._typed_number = typed_number
        self._content_dir = content_dir
        self._release = release_of(content_dir())
        self._faulted = False
        self._finished = False
        self._row: _OpenRow | None = None
        self._session: _Session | None = None
        self._start_row(self._clock(), continued=False)
        player.position_changed.connect(self._on_player_position_changed)
        player.language_changed.connect(self._on_player_language_changed)
        player.mode_changed.connect(self._on_player_mode_changed)
        player.idle_reset.connect(self._on_player_idle_reset)
        player.content_changed.connect(self._on_player_content_changed)

    # --- what the app wires --------------------------------------------------------------

    def watch_keys(self, window: QObject) -> None:
        """Record the keys sent to the audience window (installed after the keyboard
        controller, so this filter sees each key before it acts)."""
        window.installEventFilter(self)

    @_guarded
    def observe_stroke(self, stroke: Stroke, gesture: Gesture) -> None:
        """A StrokeSink observer: called with each finished stroke before it acts."""
        if self._finished or self._player.overlay is Overlay.STAFF:
            return  # the staff keypad is never recorded
        if gesture is Gesture.TAP and self._is_staff_corner(stroke.x1, stroke.y1):
            return  # nor the staff's exit gesture
        width, height = self._canvas_size()
        if gesture is Gesture.TAP:
            target = self._tap_target(stroke.x1, stroke.y1, width)
            end: tuple[float | None, float | None] = (None, None)
        else:
            target = "slide"
            end = (stroke.x1 / width, stroke.y1 / height)
        self._record_input(
            self._clock() - stroke.seconds,  # when the finger went down
            gesture.value,
            target,
            (stroke.x0 / width, stroke.y0 / height),
            end,
        )

    def finish(self) -> None:
        """The show ends: close the slide on screen and the session under way."""
        if self._finished:
            return
        now = self._clock()
        self._end_row(now)  # before the session's end: the writer forgets ended sessions
        self._end_session(now)
        self._finished = True

    # --- Qt --------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Look at key presses on the audience window; never take them."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self._on_window_key(event)
        return False

    @_guarded
    def _on_window_key(self, event: QKeyEvent) -> None:
        if self._finished or self._player.overlay is Overlay.STAFF:
            return  # a PIN typed on a keyboard is never recorded
        if event.isAutoRepeat() or event.modifiers() & MODIFIERS:
            return  # one press is one input; Ctrl+Q and friends do nothing in a kiosk
        key = event.key()
        if key in DIGIT_KEYS:
            target = "digit"
        elif key in ENTER_KEYS and self._typed_number():
            target = "go_to_number"
        else:
            binding = binding_for(key)
            if binding is None:
                return
            target = getattr(binding.action, "__name__", "key")
        self._record_input(self._clock(), "key", target, (None, None), (None, None))

    # --- following the Player ------------------------------------------------------------

    @_guarded
    def _on_player_position_changed(self, _index: int, _direction: int) -> None:
        now = self._clock()
        self._end_row(now)
        self._start_row(now, continued=False)

    @_guarded
    def _on_player_language_changed(self, _language: str) -> None:
        now = self._clock()
        self._end_row(now)
        self._start_row(now, continued=True)

    @_guarded
    def _on_player_mode_changed(self, mode: str) -> None:
        now = self._clock()
        self._end_row(now)
        if mode == Mode.ATTRACT.value:
            self._end_session(now)  # the idle reset, or a resume key
        self._start_row(now, continued=True)

    @_guarded
    def _on_player_idle_reset(self) -> None:
        self._end_session(self._clock())  # already ended by the switch to attract mode

    @_guarded
    def _on_player_content_changed(self) -> None:
        now = self._clock()
        self._release = release_of(self._content_dir())  # a new fleet release, perhaps
        before = self._row.slide_id if self._row is not None else None
        self._end_row(now)
        self._start_row(now, continued=before == self._current_slide_id())

    # --- rows and sessions -----------------------------------------------------------------

    def _current_slide_id(self) -> str:
        player = self._player
        return player.content.slides[player.index].id

    def _start_row(self, now: float, *, continued: bool) -> None:
        if self._finished:
            return
        player = self._player
        slide_id = self._current_slide_id()
        session = None
        if self._session is not None and player.mode is Mode.INTERACTIVE:
            session = self._session.number
            self._session.visited.add(slide_id)
        self._row = _OpenRow(
            slide_id, player.index, player.language, player.mode.value, session, now, continued
        )

    def _end_row(self, now: float) -> None:
        row, self._row = self._row, None
        if row is None or (row.continued and now <= row.started):
            return  # a mode or language change at the same instant: no time on screen
        self._recorder.record(
            SlideShown(
                row.started,
                max(now, row.started),
                row.slide_id,
                row.index,
                row.language,
                row.mode,
                row.session,
                row.continued,
            )
        )

    def _session_for_input(self, at: float) -> _Session:
        if self._session is not None:
            return self._session
        session = _Session(self._recorder.new_session(), at, at, {self._current_slide_id()})
        self._session = session
        self._recorder.record(SessionStarted(session.number, at, self._player.language))
        row = self._row
        if row is not None and row.mode == Mode.INTERACTIVE.value and row.session is None:
            self._row = replace(row, session=session.number)  # the visitor took over this slide
        return session

    def _end_session(self, now: float) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        self._recorder.record(
            SessionEnded(
                session.number,
                now,
                session.last_input,
                len(session.visited),
                session.language_switches,
                session.inputs,
                self._current_slide_id(),
            )
        )

    def _record_input(
        self,
        at: float,
        kind: str,
        target: str,
        start: tuple[float | None, float | None],
        end: tuple[float | None, float | None],
    ) -> None:
        session = self._session_for_input(at)
        session.inputs += 1
        session.last_input = max(session.last_input, at)
        if target in LANGUAGE_ACTIONS:
            session.language_switches += 1
        width, height = self._canvas_size()
        layout = Layout(
            self._player.language,
            round(width),
            round(height),
            self._player.text_scale,  # the visitor's larger text, when chosen
            self._release,
        )
        self._recorder.record(
            InputRecorded(
                at,
                session.number,
                self._current_slide_id(),
                kind,
                target,
                start[0],
                start[1],
                end[0],
                end[1],
                layout,
            )
        )

    def _tap_target(self, x: float, y: float, width: float) -> str:
        name = self._target_at(x, y)
        if name is not None:
            group = name.split(":", 1)[0]
            return TARGET_GROUPS.get(group, group)
        if self._player.overlay is not Overlay.NONE:
            return "panel"  # beside the targets of an open panel: nothing happens
        if x < width * EDGE_FRACTION:
            return "edge-previous"
        if x > width * (1 - EDGE_FRACTION):
            return "edge-next"
        return "slide"
