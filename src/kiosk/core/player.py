"""The Player: the single owner of presentation state (content, position, language, mode,
blackout, the open overlay, and the autoplay and idle clocks).

Views and controllers never change state themselves; they call Player methods, and the Player
emits past-tense signals only when something really changed. Every controller calls
`report_user_input()` first: that is what pauses autoplay and restarts the idle clock.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from kiosk.content.model import Content, Language
from kiosk.core.navigator import Navigator

log = logging.getLogger(__name__)

IDLE_COUNTDOWN_S = 10.0  # visitors see a countdown this long before the show resets
IDLE_CHECK_MS = 250  # how often the idle clock is looked at
STALL_GRACE_S = 30.0  # autoplay that has not moved this long past a slide's time is unstuck


class Mode(StrEnum):
    """What drives the show."""

    ATTRACT = "attract"  # loops by itself
    INTERACTIVE = "interactive"  # a visitor or presenter is in control; no autoplay


class Overlay(StrEnum):
    """Full-screen panels over the slides (at most one at a time)."""

    NONE = ""
    OVERVIEW = "overview"
    HELP = "help"
    STAFF = "staff"  # the PIN keypad for staff


class Player(QObject):
    """Owns the position in the show, its modes and its clocks."""

    position_changed = Signal(int, int)  # new index, direction (+1 forward, -1 back, 0 jump)
    language_changed = Signal(str)
    mode_changed = Signal(str)
    blackout_changed = Signal(bool)
    overlay_changed = Signal(str)
    content_changed = Signal()
    dwell_started = Signal(float)  # seconds until autoplay advances (for the progress line)
    idle_countdown_changed = Signal(int)  # whole seconds left before the reset, -1 when none
    idle_reset = Signal()  # the show went back to attract mode after the idle timeout
    user_input_reported = Signal()

    def __init__(
        self,
        content: Content,
        *,
        language: Language | None = None,
        start_index: int = 0,
        time_scale: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        stall_grace_s: float = STALL_GRACE_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._content = content
        self._navigator = Navigator(len(content.slides), content.settings.loop)
        self._index = self._navigator.clamp(start_index)
        self._language: Language = language or content.settings.default_language
        self._mode = Mode.ATTRACT
        self._blackout = False
        self._overlay = Overlay.NONE
        self._time_scale = max(0.0, time_scale)
        self._clock = clock
        self._stall_grace_s = stall_grace_s  # real seconds, whatever the time scale
        self._last_input = clock()
        self._countdown = -1
        self._entrance_done_index: int | None = None
        self._dwell = QTimer(self)
        self._dwell.setSingleShot(True)
        self._dwell.setTimerType(Qt.TimerType.CoarseTimer)
        self._dwell.timeout.connect(self._on_dwell_timeout)
        self._stall = QTimer(self)  # a safety net: attract mode never stays stuck on a slide
        self._stall.setSingleShot(True)
        self._stall.timeout.connect(self._on_stall_timeout)
        self._idle_checks = QTimer(self)
        self._idle_checks.setInterval(IDLE_CHECK_MS)
        self._idle_checks.timeout.connect(self.check_idle)
        self._arm_stall_timer()

    # --- state, read-only from outside -----------------------------------------------------

    @property
    def content(self) -> Content:
        """The content being shown."""
        return self._content

    @property
    def index(self) -> int:
        """Position of the current slide."""
        return self._index

    @property
    def count(self) -> int:
        """Number of slides."""
        return len(self._content.slides)

    @property
    def language(self) -> Language:
        """Language of all visible text."""
        return self._language

    @property
    def mode(self) -> Mode:
        """Attract (autoplay) or interactive."""
        return self._mode

    @property
    def blackout(self) -> bool:
        """True while the presenter has blacked out the screen."""
        return self._blackout

    @property
    def overlay(self) -> Overlay:
        """The open overlay (overview, help, staff keypad) or NONE."""
        return self._overlay

    @property
    def time_scale(self) -> float:
        """Factor on every duration (tests and the soak run faster)."""
        return self._time_scale

    @property
    def idle_countdown(self) -> int:
        """Whole seconds left before the idle reset, or -1 when not counting down."""
        return self._countdown

    def dwell_remaining_ms(self) -> int:
        """Milliseconds until autoplay advances, or -1 when it is not counting."""
        return self._dwell.remainingTime() if self._dwell.isActive() else -1

    # --- navigation ------------------------------------------------------------------------

    def next(self) -> bool:
        """Go to the next slide; False at the end of a show that does not loop."""
        target = self._navigator.next(self._index)
        return target is not None and self._move_to(target, +1)

    def previous(self) -> bool:
        """Go to the previous slide; False at the start of a show that does not loop."""
        target = self._navigator.previous(self._index)
        return target is not None and self._move_to(target, -1)

    def first(self) -> bool:
        """Go to the first slide."""
        return self.go_to(0)

    def last(self) -> bool:
        """Go to the last slide."""
        return self.go_to(self.count - 1)

    def go_to(self, index: int) -> bool:
        """Jump to the slide at `index` (clamped); False when already there."""
        target = self._navigator.clamp(index)
        direction = 1 if target > self._index else -1
        return self._move_to(target, direction)

    def go_to_id(self, slide_id: str) -> bool:
        """Jump to the slide with this id; False when there is none or already there."""
        target = self._content.index_of(slide_id)
        return target is not None and self.go_to(target)

    def _move_to(self, target: int, direction: int) -> bool:
        self.set_blackout(False)  # any navigation ends a blackout
        if target == self._index:
            return False
        self._dwell.stop()
        self._entrance_done_index = None
        self._index = target
        self._arm_stall_timer()
        self.position_changed.emit(target, direction)
        return True

    def _arm_stall_timer(self) -> None:
        seconds = self._content.duration_of(self._index) * self._time_scale + self._stall_grace_s
        self._stall.start(max(1, round(seconds * 1000)))

    def _on_stall_timeout(self) -> None:
        if self._mode is Mode.ATTRACT and not self._blackout and self._overlay is Overlay.NONE:
            log.warning("autoplay stalled on slide %d; moving on", self._index + 1)
            self.next()

    # --- user input, modes and overlays ----------------------------------------------------

    def report_user_input(self) -> None:
        """Every controller calls this first: pause autoplay and restart the idle clock."""
        self._last_input = self._clock()
        if self._countdown != -1:
            self._countdown = -1
            self.idle_countdown_changed.emit(-1)
        if not self._idle_checks.isActive():
            self._idle_checks.start()
        self.set_mode(Mode.INTERACTIVE)
        self.user_input_reported.emit()

    def resume_autoplay(self) -> None:
        """Back to attract mode from here (a presenter's resume key)."""
        self.set_mode(Mode.ATTRACT)
        if self._entrance_done_index == self._index:
            self._start_dwell()

    def set_mode(self, mode: Mode) -> None:
        """Switch between attract (autoplay) and interactive."""
        if mode == self._mode:
            return
        self._mode = mode
        if mode is not Mode.ATTRACT:
            self._dwell.stop()
        else:
            self._arm_stall_timer()
        self.mode_changed.emit(mode.value)

    def set_language(self, language: Language) -> None:
        """Show every text in `language` (ignored when the content does not offer it)."""
        if language == self._language or language not in self._content.settings.languages:
            return
        self._language = language
        self.language_changed.emit(language)

    def toggle_language(self) -> None:
        """Switch to the other offered language."""
        offered = self._content.settings.languages
        if len(offered) > 1:
            position = offered.index(self._language) if self._language in offered else -1
            self.set_language(offered[(position + 1) % len(offered)])

    def set_blackout(self, on: bool) -> None:
        """Black the screen out (presenter key B) or bring the slide back."""
        if on == self._blackout:
            return
        self._blackout = on
        self.blackout_changed.emit(on)

    def toggle_blackout(self) -> None:
        """Flip the blackout."""
        self.set_blackout(not self._blackout)

    def set_overlay(self, overlay: Overlay) -> None:
        """Open an overlay (or close with NONE)."""
        if overlay == self._overlay:
            return
        self._overlay = overlay
        self.overlay_changed.emit(overlay.value)

    def toggle_overlay(self, overlay: Overlay) -> None:
        """Open `overlay`, or close it when it is already open."""
        self.set_overlay(Overlay.NONE if self._overlay == overlay else overlay)

    # --- the idle clock --------------------------------------------------------------------

    def check_idle(self) -> None:
        """Count down and reset to attract mode once the idle timeout passed without input.

        Runs every IDLE_CHECK_MS from a timer; tests with a fake clock call it directly.
        """
        if self._mode is Mode.ATTRACT and self._overlay is Overlay.NONE and not self._blackout:
            self._idle_checks.stop()
            return
        timeout = self._content.settings.idle_timeout * self._time_scale
        left = timeout - (self._clock() - self._last_input)
        if left <= 0:
            self._reset_to_attract()
            return
        countdown_from = min(IDLE_COUNTDOWN_S * self._time_scale, timeout / 2)
        seconds = math.ceil(left / self._time_scale) if self._time_scale > 0 else 0
        shown = seconds if left <= countdown_from else -1
        if shown != self._countdown:
            self._countdown = shown
            self.idle_countdown_changed.emit(shown)

    def _reset_to_attract(self) -> None:
        self._idle_checks.stop()
        if self._countdown != -1:
            self._countdown = -1
            self.idle_countdown_changed.emit(-1)
        self.set_overlay(Overlay.NONE)
        self.set_blackout(False)
        self.set_language(self._content.settings.default_language)
        self.set_mode(Mode.ATTRACT)
        if not self.go_to(0) and self._entrance_done_index == self._index:
            self._start_dwell()
        self.idle_reset.emit()

    # --- the autoplay clock ----------------------------------------------------------------

    def notify_entrance_finished(self, index: int) -> None:
        """The stage reports the current slide is fully shown: start its dwell time."""
        if index != self._index:
            return
        self._entrance_done_index = index
        if self._mode is Mode.ATTRACT:
            self._start_dwell()

    def _start_dwell(self) -> None:
        self._arm_stall_timer()
        seconds = self._content.duration_of(self._index) * self._time_scale
        self._dwell.start(max(0, round(seconds * 1000)))
        self.dwell_started.emit(seconds)

    def _on_dwell_timeout(self) -> None:
        if self._mode is Mode.ATTRACT and not self._blackout and self._overlay is Overlay.NONE:
            self.next()

    # --- content ---------------------------------------------------------------------------

    def mark_unusable(self, index: int) -> None:
        """A slide that cannot be shown (its view failed) is skipped until new content comes."""
        if index in self._navigator.skip or not 0 <= index < self.count:
            return
        self._navigator = Navigator(
            self.count, self._content.settings.loop, self._navigator.skip | {index}
        )
        if index == self._index:
            target = self._navigator.next(index)
            if target is not None:
                self._move_to(target, +1)

    def set_content(self, content: Content) -> None:
        """Show new content, staying on the same slide (by id) when it still exists."""
        current_id = self._content.slides[self._index].id
        self._content = content
        self._navigator = Navigator(len(content.slides), content.settings.loop)
        kept = content.index_of(current_id)
        self._index = kept if kept is not None else self._navigator.clamp(self._index)
        self._entrance_done_index = None
        if self._language not in content.settings.languages:
            self._language = content.settings.default_language
            self.language_changed.emit(self._language)
        self._dwell.stop()
        self._arm_stall_timer()
        self.content_changed.emit()
