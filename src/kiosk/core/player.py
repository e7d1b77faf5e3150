"""The Player: the single owner of presentation state (content, position, language, mode,
blackout, the open overlay, standby, a visitor's accessibility choices, and the autoplay, idle
and hall clocks).

Views and controllers never change state themselves; they call Player methods, and the Player
emits past-tense signals only when something really changed. Every controller calls
`report_user_input()` first: that is what pauses autoplay and restarts the idle clock.

**A visitor's choices** (`choices`: pause, reduced motion, larger text, high contrast,
read-aloud) last for their session: the idle reset returns them to the hall's defaults
(`settings.accessibility`). Anything that moves by itself asks `paused` and `reduce_motion`;
a film, for one, pauses while `paused` is set. Read-aloud reports while it speaks
(`set_speaking`): autoplay waits for the end of a slide's speech and the idle reset never
interrupts it.

**One clock.** The Player keeps the show's one injectable clock: `clock` (monotonic seconds,
for durations) and `wall_clock` (UTC seconds, for the hall's calendar and the common timeline;
`kiosk show --at` gives a simulated one). Everything on the show's time asks the Player.

**The hall's calendar** (`core/schedule.py`): outside opening hours the Player is in
*standby* (`standby`, `standby_changed`): nothing plays, films must be silent, the stage paints
the standby screen. It wakes `wake_before_open` minutes before opening, on the cover in the
default language (with `sync`, on the common timeline). Slides with `show_from`/`show_until`
drop in and out of the loop at local midnight: `content` is the content *in date* (the slides
in today's loop); `full_content` is the file as loaded.

**The common timeline** (`sync: wall_clock`). In attract mode the slide and the moment within
it are a pure function of UTC time (`core/timeline.py`): the loop is a row of slots, one per
slide in the loop, and `slot_seconds(index)` is THE length of a slot, made of two parts:

- the *lead-in*: what the stage takes to bring the slide to rest, its transition in plus its
  view's entrance animation (`set_lead_in_times`, reported by the stage for every slide when
  it builds the views; before that, the transition alone);
- the *dwell*: the slide's `duration` (times `time_scale`), or what a slide type sets with
  `set_dwell_seconds(slide_id, seconds)`: a film with `play: once` sets its probed length.

A slot is laid out as [transition | entrance | dwell]; the Player moves at slot boundaries
(a precise timer, re-derived from the wall clock each time) instead of counting the dwell
after the entrance. A screen that joins mid-slot (start, wake, idle return, content edit)
asks `slot_progress()`: seconds since the current slot began, so that the stage starts the
transition, entrance (or a film's position: progress minus the lead-in) at the same moment as
every other screen. `timeline_phase()` is the moment within the whole loop (ambient motion).
A visitor's touch takes this screen off the timeline; the idle return joins it again where it
is. Without `sync`, attract mode runs as it always did: dwell after the entrance, then next.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from kiosk.content.model import Content, Language
from kiosk.core.choices import CHOICE_NAMES, Choices
from kiosk.core.hall_clock import HallClock
from kiosk.core.navigator import Navigator
from kiosk.core.schedule import HallCalendar, HallState
from kiosk.core.timeline import TimelinePosition, position_at

log = logging.getLogger(__name__)

IDLE_QUIET_S = 10.0  # an idle timeout leaves at least this long before its warning starts
IDLE_CHECK_MS = 250  # how often the idle clock is looked at
STALL_GRACE_S = 30.0  # autoplay that has not moved this long past a slide's time is unstuck
WAKE_GRACE_S = 0.6  # the touch that wakes a show from standby only wakes it


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
    ACCESS = "access"  # the visitors' accessibility panel


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
    choices_changed = Signal()  # a visitor's accessibility choices (see `choices`)
    speaking_changed = Signal(bool)  # read-aloud started or stopped speaking
    standby_changed = Signal(bool)  # True: standby (nothing plays, films silent); False: awake
    audible_changed = Signal(bool)  # whether sound may play now (see `audible`)

    def __init__(
        self,
        content: Content,
        *,
        language: Language | None = None,
        start_index: int = 0,
        time_scale: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        sync_offset_s: float = 0.0,
        stall_grace_s: float = STALL_GRACE_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._hall = HallClock(clock, wall_clock, parent=self)
        self._hall.changed.connect(self._on_hall_changed)
        self._full_content = content
        self._calendar = HallCalendar(content.settings, content.slides)
        hall = self._calendar.state_at(wall_clock())
        self._loop_ids = hall.slides
        self._content = _in_loop(content, hall.slides)
        self._navigator = Navigator(len(self._content.slides), content.settings.loop)
        start_id = content.slides[max(0, min(start_index, len(content.slides) - 1))].id
        kept = self._content.index_of(start_id)
        self._index = kept if kept is not None else 0
        self._language: Language = language or content.settings.default_language
        self._mode = Mode.ATTRACT
        self._blackout = False
        self._overlay = Overlay.NONE
        self._time_scale = max(0.0, time_scale)
        self._clock = clock
        self._stall_grace_s = stall_grace_s  # real seconds, whatever the time scale
        self._last_input = clock()
        self._dwell_started = clock()
        self._countdown = -1
        self._entrance_done_index: int | None = None
        self._choices = self.hall_choices()
        self._speaking = False
        self._advance_after_speech = False
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
        # The hall's calendar and the common timeline.
        self._sync_offset_s = sync_offset_s
        self._lead_ins: tuple[float, ...] = ()
        self._dwell_overrides: dict[str, float] = {}
        self._updating = False  # inside set_content: timeline changes wait for its end
        self._hall_awake = hall.awake
        self._standby = not hall.awake
        self._audible = self.audible()
        self._touch_woken = False
        self._wake_grace_until = -math.inf
        self._boundary = QTimer(self)  # the end of the slot on the common timeline
        self._boundary.setSingleShot(True)
        self._boundary.setTimerType(Qt.TimerType.PreciseTimer)
        self._boundary.timeout.connect(self._follow_timeline)
        log.info("hall: %s", hall.reason)
        self._watch_hall(hall)
        self._arm_stall_timer()
        self._follow_timeline()

    # --- state, read-only from outside -----------------------------------------------------

    @property
    def content(self) -> Content:
        """The content being shown."""
        return self._content

    @property
    def full_content(self) -> Content:
        """The content as loaded, every slide (`content` holds the slides in date)."""
        return self._full_content

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
    def choices(self) -> Choices:
        """The visitor's accessibility choices (the hall's defaults until someone chooses)."""
        return self._choices

    def hall_choices(self) -> Choices:
        """What every visitor starts with: content.yaml's `settings.accessibility`, with this
        kiosk's kiosk.toml and the command line already merged in."""
        hall = self._content.settings.accessibility
        return Choices(
            reduce_motion=hall.reduce_motion,
            larger_text=hall.larger_text,
            high_contrast=hall.high_contrast,
            read_aloud=hall.read_aloud and hall.offer_read_aloud,
        )

    @property
    def paused(self) -> bool:
        """True while a visitor paused the show: autoplay, ambient motion and films stop."""
        return self._choices.paused

    @property
    def reduce_motion(self) -> bool:
        """True when motion is reduced: cross-fades only, no entrances or drifting pictures."""
        return self._choices.reduce_motion

    @property
    def text_scale(self) -> float:
        """How much larger than designed every text is drawn (1.0, or the larger-text scale)."""
        if self._choices.larger_text:
            return self._content.settings.accessibility.text_scale
        return 1.0

    @property
    def speaking(self) -> bool:
        """True while read-aloud speaks (the idle reset waits for it)."""
        return self._speaking

    @property
    def idle_countdown(self) -> int:
        """Whole seconds left before the idle reset, or -1 when not counting down."""
        return self._countdown

    @property
    def standby(self) -> bool:
        """True in standby (outside opening hours): nothing plays and films must be silent."""
        return self._standby

    @property
    def synced(self) -> bool:
        """True when attract mode follows the common timeline (`sync: wall_clock`)."""
        return self._full_content.settings.sync == "wall_clock"

    @property
    def calendar(self) -> HallCalendar:
        """The hall's calendar of the current content (its zone, hours, dated slides)."""
        return self._calendar

    def wall_time(self) -> float:
        """The show's wall clock: UTC seconds since the epoch (simulated under `--at`)."""
        return self._hall.wall()

    def hall_state(self) -> HallState:
        """What the calendar says now: awake or standby, the loop, the next change."""
        return self._calendar.state_at(self._hall.wall())

    def audible(self) -> bool:
        """True when sound may play: awake, no blackout, no help or overview panel open. The
        one question films ask before they make a sound."""
        return (
            not self._standby
            and not self._blackout
            and self._overlay not in (Overlay.HELP, Overlay.OVERVIEW)
        )

    def _refresh_audible(self) -> None:
        """Emit `audible_changed` when the answer of `audible()` changed."""
        audible = self.audible()
        if audible != self._audible:
            self._audible = audible
            self.audible_changed.emit(audible)

    def dwell_remaining_ms(self) -> int:
        """Milliseconds until autoplay advances, or -1 when it is not counting."""
        if self._on_timeline():
            settled = self._entrance_done_index == self._index and self._boundary.isActive()
            return self._boundary.remainingTime() if settled else -1
        return self._dwell.remainingTime() if self._dwell.isActive() else -1

    # --- navigation ------------------------------------------------------------------------

    def following(self) -> int | None:
        """The slide `next()` would go to (skipping slides that cannot be shown), or None."""
        return self._navigator.next(self._index)

    def preceding(self) -> int | None:
        """The slide `previous()` would go to (skipping slides that cannot be shown), or None."""
        return self._navigator.previous(self._index)

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

    def _move_to(self, target: int, direction: int, *, force: bool = False) -> bool:
        if not force and (self._standby or self._hall.monotonic() < self._wake_grace_until):
            return False  # nothing to navigate in standby; a waking touch only wakes
        self.set_blackout(False)  # any navigation ends a blackout
        if target == self._index:
            return False
        self._dwell.stop()
        self._advance_after_speech = False
        self._entrance_done_index = None
        self._index = target
        self._arm_stall_timer()
        self.position_changed.emit(target, direction)
        return True

    def _arm_stall_timer(self) -> None:
        if self._standby:
            self._stall.stop()
            return
        seconds = self.dwell_seconds(self._index) + self._stall_grace_s
        self._stall.start(max(1, round(seconds * 1000)))

    def _on_stall_timeout(self) -> None:
        if self._speaking or self._countdown != -1:
            self._arm_stall_timer()  # waiting for speech or the idle reset is not a stall
            return
        if self._mode is Mode.ATTRACT and not self._blackout and self._overlay is Overlay.NONE:
            if self._on_timeline():
                self._follow_timeline()
                self._arm_stall_timer()
                return
            log.warning("autoplay stalled on slide %d; moving on", self._index + 1)
            self.next()

    # --- user input, modes and overlays ----------------------------------------------------

    def report_user_input(self) -> None:
        """Every controller calls this first: pause autoplay and restart the idle clock.

        In standby a touch wakes the show until the idle timeout when `standby.touch_wakes`
        says so; otherwise the show stays in standby (the staff keypad still opens).
        """
        if self._standby:
            self._report_input_in_standby()
            return
        self._last_input = self._clock()
        if self._countdown != -1:
            self._countdown = -1
            self.idle_countdown_changed.emit(-1)
        if not self._idle_checks.isActive():
            self._idle_checks.start()
        self.set_mode(Mode.INTERACTIVE)
        self.user_input_reported.emit()

    def resume_autoplay(self) -> None:
        """Back to attract mode from here (a presenter's resume key, a visitor's Play); with
        `sync`, on the common timeline where it is now."""
        self._set_choices(replace(self._choices, paused=False))
        self.set_mode(Mode.ATTRACT)
        if self._on_timeline():
            self._follow_timeline()
        elif self._entrance_done_index == self._index:
            self._start_dwell()

    # --- a visitor's accessibility choices -------------------------------------------------

    def set_choice(self, name: str, on: bool) -> None:
        """Turn one accessibility choice on or off (`name` from CHOICE_NAMES).

        Pausing stops autoplay; playing resumes it from here.
        """
        if name not in CHOICE_NAMES:
            raise ValueError(f"unknown accessibility choice {name!r}; known: {CHOICE_NAMES}")
        if name == "paused":
            if on:
                self._set_choices(replace(self._choices, paused=True))
                self.set_mode(Mode.INTERACTIVE)
            else:
                self.resume_autoplay()
            return
        if (
            name == "read_aloud"
            and on
            and not self._content.settings.accessibility.offer_read_aloud
        ):
            return
        self._set_choices(replace(self._choices, **{name: on}))

    def toggle_choice(self, name: str) -> None:
        """Flip one accessibility choice."""
        self.set_choice(name, not getattr(self._choices, name))

    def _set_choices(self, choices: Choices) -> None:
        if choices == self._choices:
            return
        self._choices = choices
        if choices != self.hall_choices() and not self._idle_checks.isActive():
            self._idle_checks.start()  # a visitor's session ends with the idle reset
        self.choices_changed.emit()

    def set_speaking(self, speaking: bool) -> None:
        """Read-aloud reports it started or stopped speaking. Autoplay waits for the end of a
        slide's speech; the idle reset never interrupts it."""
        if speaking == self._speaking:
            return
        self._speaking = speaking
        self.speaking_changed.emit(speaking)
        if not speaking and self._advance_after_speech:
            self._advance_after_speech = False
            if self._may_advance():
                self.next()

    def set_mode(self, mode: Mode) -> None:
        """Switch between attract (autoplay) and interactive."""
        if mode == self._mode:
            return
        self._mode = mode
        if mode is not Mode.ATTRACT:
            self._dwell.stop()
            self._boundary.stop()  # a visitor takes this screen off the common timeline
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
        self._refresh_audible()

    def toggle_blackout(self) -> None:
        """Flip the blackout."""
        self.set_blackout(not self._blackout)

    def set_overlay(self, overlay: Overlay) -> None:
        """Open an overlay (or close with NONE)."""
        if overlay == self._overlay:
            return
        self._overlay = overlay
        self.overlay_changed.emit(overlay.value)
        if overlay is Overlay.NONE and self._mode is Mode.ATTRACT and not self._standby:
            # Autoplay resumed behind a panel (Play) moves on once it closes.
            if self._on_timeline():
                self._follow_timeline()
            elif self._entrance_done_index == self._index and not self._dwell.isActive():
                self._start_dwell()
        self._refresh_audible()

    def toggle_overlay(self, overlay: Overlay) -> None:
        """Open `overlay`, or close it when it is already open."""
        self.set_overlay(Overlay.NONE if self._overlay == overlay else overlay)

    # --- the idle clock --------------------------------------------------------------------

    def check_idle(self) -> None:
        """Count down and reset to attract mode once the idle timeout passed without input.

        The last `idle_warning` seconds (20 or more) show a notice that one tap cancels. The
        reset never interrupts speech: while read-aloud speaks, the notice waits and starts in
        full after the speech. Runs every IDLE_CHECK_MS from a timer; tests with a fake clock
        call it directly.
        """
        if self._at_rest():
            self._idle_checks.stop()
            return
        warning = self._content.settings.accessibility.idle_warning * self._time_scale
        timeout = max(self._content.settings.idle_timeout * self._time_scale, warning)
        timeout = max(timeout, warning + IDLE_QUIET_S * self._time_scale)
        left = timeout - (self._clock() - self._last_input)
        if self._speaking and left <= warning:
            # Never reset while speech plays; the full warning follows the speech.
            self._last_input = self._clock() - (timeout - warning) + 1e-6
            left = warning
            if self._countdown != -1:
                self._countdown = -1
                self.idle_countdown_changed.emit(-1)
            return
        if left <= 0:
            self._reset_to_attract()
            return
        seconds = math.ceil(left / self._time_scale) if self._time_scale > 0 else 0
        shown = seconds if left <= warning else -1
        if shown != self._countdown:
            self._countdown = shown
            self.idle_countdown_changed.emit(shown)

    def _at_rest(self) -> bool:
        """True when nothing waits for the idle reset: the show loops by itself, no panel is
        open, and the visitor's choices are the hall's."""
        return (
            self._mode is Mode.ATTRACT
            and self._overlay is Overlay.NONE
            and not self._blackout
            and self._choices == self.hall_choices()
            and not self._speaking
        )

    def _reset_to_attract(self) -> None:
        self._idle_checks.stop()
        if self._countdown != -1:
            self._countdown = -1
            self.idle_countdown_changed.emit(-1)
        self.set_overlay(Overlay.NONE)
        self.set_blackout(False)
        self._set_choices(self.hall_choices())
        if self._standby:
            return  # the staff keypad, opened in standby, closed again
        self.set_language(self._content.settings.default_language)
        self.set_mode(Mode.ATTRACT)
        if not self._hall_awake:  # closing time came while a visitor was here
            self._enter_standby()
        elif self._on_timeline():
            self._follow_timeline()  # joins the common timeline at its current position
        elif not self.go_to(0) and self._entrance_done_index == self._index:
            self._start_dwell()
        self.idle_reset.emit()

    # --- the autoplay clock ----------------------------------------------------------------

    def notify_entrance_finished(self, index: int) -> None:
        """The stage reports the current slide is fully shown: start its dwell time."""
        if index != self._index:
            return
        self._entrance_done_index = index
        if self._mode is not Mode.ATTRACT or self._standby:
            return
        if self._on_timeline():
            position = self._timeline_position()
            if self._boundary.isActive() and position.index == index:
                self.dwell_started.emit(position.left)  # from the wall clock, like the others
        else:
            self._start_dwell()

    def _start_dwell(self) -> None:
        self._arm_stall_timer()
        seconds = self.dwell_seconds(self._index)
        self._dwell_started = self._clock()
        self._dwell.start(max(0, round(seconds * 1000)))
        self.dwell_started.emit(seconds)

    def _on_dwell_timeout(self) -> None:
        if self._speaking:
            self._advance_after_speech = True  # the slide's speech ends first
            return
        if self._may_advance():
            self.next()

    def _may_advance(self) -> bool:
        """Autoplay may move on: attract mode, nothing over the slide, no idle notice (a
        visitor's session ends where it is)."""
        return (
            self._mode is Mode.ATTRACT
            and not self._blackout
            and self._overlay is Overlay.NONE
            and self._countdown == -1
        )

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
        """Show new content, staying on the same slide (by id) when it still exists; the
        calendar and the common timeline are derived again from it."""
        previous_hall = self.hall_choices()
        self._full_content = content
        self._calendar = HallCalendar(content.settings, content.slides)
        hall = self._calendar.state_at(self._hall.wall())
        self._install_loop(hall.slides)
        log.info("hall: %s", hall.reason)
        self._watch_hall(hall)
        self._apply_hall(hall)
        self._follow_timeline()
        if self._choices == previous_hall:  # no visitor session: follow the hall's new defaults
            self._set_choices(self.hall_choices())

    def _install_loop(self, slide_ids: tuple[str, ...]) -> None:
        """Show the slides `slide_ids` of the full content (today's loop), staying on the same
        slide (by id) when it is still there."""
        current_id = self._content.slides[self._index].id
        content = _in_loop(self._full_content, slide_ids)
        self._loop_ids = slide_ids
        self._content = content
        self._navigator = Navigator(len(content.slides), content.settings.loop)
        kept = content.index_of(current_id)
        self._index = kept if kept is not None else self._navigator.clamp(self._index)
        self._entrance_done_index = None
        self._lead_ins = ()  # the stage reports them again for the new views
        if self._language not in content.settings.languages:
            self._language = content.settings.default_language
            self.language_changed.emit(self._language)
        self._dwell.stop()
        self._arm_stall_timer()
        self._updating = True
        try:
            self.content_changed.emit()
        finally:
            self._updating = False

    # --- the common timeline (sync: wall_clock) ---------------------------------------------

    def slot_seconds(self, index: int) -> float:
        """THE length of slide `index`'s slot on the common timeline: lead-in + dwell."""
        return self.lead_in_seconds(index) + self.dwell_seconds(index)

    def lead_in_seconds(self, index: int) -> float:
        """Seconds the stage takes to bring slide `index` to rest (transition + entrance)."""
        if index < len(self._lead_ins):
            return self._lead_ins[index]
        if self._content.transition_of(index) == "none":
            return 0.0
        return self._content.settings.transition_duration

    def dwell_seconds(self, index: int) -> float:
        """Seconds slide `index` stays after its entrance: a film's length when its view set
        one (`set_dwell_seconds`), else its duration (times `time_scale`)."""
        override = self._dwell_overrides.get(self._content.slides[index].id)
        if override is not None:
            return override
        return self._content.duration_of(index) * self._time_scale

    def set_lead_in_times(self, seconds: list[float] | tuple[float, ...]) -> None:
        """The stage's lead-in of every slide (transition in + entrance), in real seconds."""
        lead_ins = tuple(max(0.0, value) for value in seconds)
        if lead_ins != self._lead_ins:
            self._lead_ins = lead_ins
            if not self._updating:
                self._follow_timeline()

    def set_dwell_seconds(self, slide_id: str, seconds: float | None) -> None:
        """A slide's own dwell (a film with `play: once`: its length), or None for its
        `duration` again. It changes the slot of that slide on the common timeline; off the
        timeline, a dwell already running on that slide is stretched or shortened to match
        (a film read after its slide came on screen)."""
        if seconds is None:
            changed = self._dwell_overrides.pop(slide_id, None) is not None
        else:
            changed = self._dwell_overrides.get(slide_id) != seconds
            self._dwell_overrides[slide_id] = max(0.0, seconds)
        if changed and not self._updating:
            self._follow_timeline()
        current = self._content.slides[self._index].id == slide_id
        if changed and current and self._dwell.isActive() and not self._on_timeline():
            left = self.dwell_seconds(self._index) - (self._clock() - self._dwell_started)
            self._dwell.start(max(0, round(left * 1000)))
            self.dwell_started.emit(max(0.0, left))
            self._arm_stall_timer()

    def slot_progress(self) -> float | None:
        """Seconds since the current slide's slot began on the common timeline, or None when
        the show is not following it (no sync, a visitor in control, standby)."""
        if not self._on_timeline():
            return None
        position = self._timeline_position()
        return position.into if position.index == self._index else None

    def timeline_phase(self) -> float | None:
        """Seconds since the common loop began (for ambient motion in step), or None."""
        return self._timeline_position().phase if self._on_timeline() else None

    def _on_timeline(self) -> bool:
        return self.synced and self._mode is Mode.ATTRACT and not self._standby

    def _timeline_position(self) -> TimelinePosition:
        slots = [self.slot_seconds(index) for index in range(self.count)]
        return position_at(slots, self._hall.wall() + self._sync_offset_s)

    def _follow_timeline(self) -> None:
        """Be on the slide the common timeline says, and wake at the end of its slot."""
        if not self._on_timeline() or self._overlay is not Overlay.NONE or self._blackout:
            self._boundary.stop()
            return
        position = self._timeline_position()
        target = position.index
        if target in self._navigator.skip:  # this screen cannot show it: the next one
            target = self._navigator.next(target) or target
        if target != self._index:
            direction = 1 if target == self._navigator.next(self._index) else 0
            self._move_to(target, direction)
        self._boundary.start(max(1, math.ceil(position.left * 1000)))

    # --- the hall's calendar: standby and dated slides -------------------------------------

    def check_clock(self) -> None:
        """Look at the wall clock now (the minute's re-check; tests call it after a jump)."""
        self._hall.check_now()

    def _watch_hall(self, hall: HallState) -> None:
        self._hall.watch(hall.next_change, recheck=self.synced or not self._calendar.trivial)

    def _on_hall_changed(self) -> None:
        hall = self._calendar.state_at(self._hall.wall())
        if hall.slides != self._loop_ids:
            log.info("dated slides: the loop is now %s", ", ".join(hall.slides))
            self._install_loop(hall.slides)
        self._watch_hall(hall)
        self._apply_hall(hall)
        self._follow_timeline()  # a clock jump moves the common timeline too

    def _apply_hall(self, hall: HallState) -> None:
        if hall.awake == self._hall_awake:
            return
        self._hall_awake = hall.awake
        log.info("hall: %s", hall.reason)
        if not hall.awake:
            busy = self._mode is not Mode.ATTRACT or self._overlay is not Overlay.NONE
            if not busy and not self._blackout:
                self._enter_standby()  # else at the idle return, when the visitor has gone
        elif self._standby:
            self._wake()
        else:
            self._touch_woken = False  # opening time came while a touch had woken the show

    def _enter_standby(self) -> None:
        self._standby = True
        self._touch_woken = False
        for timer in (self._dwell, self._stall, self._boundary, self._idle_checks):
            timer.stop()
        if self._countdown != -1:
            self._countdown = -1
            self.idle_countdown_changed.emit(-1)
        self.set_overlay(Overlay.NONE)
        self.set_blackout(False)
        self.set_mode(Mode.ATTRACT)
        self._entrance_done_index = None
        log.info("standby: the show sleeps (%s)", self._full_content.settings.standby.screen)
        self.standby_changed.emit(True)
        self._refresh_audible()

    def _wake(self, *, by_touch: bool = False) -> None:
        """Leave standby: on the cover in the default language, or (with sync, not by a
        touch) on the common timeline. The move happens while still in standby, so the stage
        starts the slide afresh instead of a transition from what was shown before."""
        self.set_language(self._content.settings.default_language)
        if by_touch:
            self._move_to(0, 0, force=True)
        elif self.synced:
            self._move_to(self._timeline_position().index, 0, force=True)
        else:
            self._move_to(0, 0, force=True)
        self._standby = False
        self._entrance_done_index = None
        self._dwell.stop()
        self._arm_stall_timer()
        log.info("standby: the show wakes%s", " for a touch" if by_touch else "")
        self.standby_changed.emit(False)
        self._refresh_audible()
        if by_touch:
            self._touch_woken = True
            self._wake_grace_until = self._hall.monotonic() + WAKE_GRACE_S
            self._last_input = self._clock()
            self._idle_checks.start()
            self.set_mode(Mode.INTERACTIVE)
        else:
            self._follow_timeline()

    def _report_input_in_standby(self) -> None:
        self._last_input = self._clock()
        self.user_input_reported.emit()
        if self._full_content.settings.standby.touch_wakes_show():
            self._wake(by_touch=True)
            return
        log.info("input in standby: the show stays asleep (standby.touch_wakes is off)")
        if not self._idle_checks.isActive():
            self._idle_checks.start()  # closes the staff keypad again, if it opens


def _in_loop(content: Content, slide_ids: tuple[str, ...]) -> Content:
    """`content` with only the slides `slide_ids` (itself when that is all of them)."""
    if len(slide_ids) == len(content.slides):
        return content
    kept = set(slide_ids)
    return content.model_copy(update={"slides": [s for s in content.slides if s.id in kept]})
