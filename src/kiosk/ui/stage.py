"""The stage: paints the current slide on a logical canvas scaled to the widget.

It follows the Player: on a position change it pre-renders the outgoing frame and the incoming
slide (built before the transition starts), paints the transition from those two images, then
paints the incoming slide live while its entrance runs, and finally blits a cached image of the
settled slide, so an idle kiosk costs almost nothing. Slide views are built once per content
(and again when a visitor chooses larger text or high contrast).

A visitor's reduced motion turns every transition into a short cross-fade and skips entrances
and drift; a pause freezes the show's clock, so ambient motion stops where it is.

In standby it paints black and only the layers added for standby (the standby screen, the staff
keypad). With `sync: wall_clock` it starts each transition and entrance at the moment the
common timeline says (`Player.slot_progress()`), so screens that joined late are in step.

Work that is not a frame stays off the frame path (ui/preparation.py, ui/pacing.py): at still
moments the stage prepares both neighbours of the current slide (layout, the incoming image,
their still layers and pictures), the settled image is made after the frame that shows the
final state, and pyqtgraph is imported on a thread after start-up. The whole-screen images it
renders are reused once nothing holds them (ui/frame_pool.py): a new one costs more than
painting it.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QRegion, QResizeEvent
from PySide6.QtWidgets import QWidget

from kiosk.content.model import Content
from kiosk.core.player import Player
from kiosk.slides.base import FINAL, Frame, SlideView
from kiosk.slides.cache import set_budget_for_screen
from kiosk.slides.canvas import CanvasRect, Placement, place, seam_positions
from kiosk.slides.media import MediaLibrary
from kiosk.slides.registry import FallbackView, build_view
from kiosk.slides.render import paint_scaled
from kiosk.slides.theme import SlideTheme
from kiosk.ui.frame_pool import FramePool
from kiosk.ui.layers import HitTarget, Layer, LayerStack
from kiosk.ui.pacing import LIBRARY_POLL_MS, TransitionPacer, chart_library_ready
from kiosk.ui.preparation import NeighbourPreparation, TextWarming
from kiosk.ui.transitions import RunningTransition, transition_named

log = logging.getLogger(__name__)

FRAME_MS = 16  # ~60 Hz while something moves
AMBIENT_FRAME_MS = 33  # slow ambient motion (cover background, gallery pan) at ~30 Hz
REDUCED_FADE_S = 0.3  # reduced motion: every transition is a cross-fade this short
WARM_AFTER_PAINT_MS = 8.0  # text is warmed only after a frame that left most of its time
# A frame painted in part covers what changes up to this far ahead of the frame timer (the
# paint comes a moment after it; a later paint shows the entrance at this moment).
REGION_AHEAD_S = 0.05
LIBRARY_WAIT_MAX_S = 3.0  # a move onto a bar chart waits this long at most for pyqtgraph
RENDER_HINTS = (
    QPainter.RenderHint.Antialiasing
    | QPainter.RenderHint.TextAntialiasing
    | QPainter.RenderHint.SmoothPixmapTransform
)

Clock = Callable[[], float]


class Stage(QWidget):
    """Paints the show: transitions from pre-rendered images, entrances live, then a cache."""

    entrance_finished = Signal(int)  # index of the slide whose entrance just settled
    frame_painted = Signal()
    # A frame time at which nothing on screen had to change (a pause within an entrance that
    # repaints only what moves): the screen is up to date without a paint.
    frame_unchanged = Signal()
    theme_changed = Signal()
    transition_degraded = Signal(str, str, str)  # name, what replaces it, why (see pacing.py)

    def __init__(
        self,
        player: Player,
        font_family: str,
        media: MediaLibrary,
        *,
        clock: Clock = time.monotonic,
        animation_scale: float = 1.0,
        bezels: int | Sequence[float] = 1,
        settle_first_slide: bool = False,
        pace_transitions: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """`bezels`: the screen's panels side by side, or its seams' x positions in widget
        pixels (kiosk.toml `bezels`); text keeps off the seams."""
        super().__init__(parent)
        self._bezels = bezels
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self._player = player
        self._family = font_family
        self._media = media
        self._clock = clock
        self._animation_scale = max(0.0, animation_scale)  # 0: animations off (tests)
        self._views: list[SlideView] = []
        self._theme: SlideTheme | None = None
        self._transition: RunningTransition | None = None
        self._entrance_started = clock()
        self._entrance_reported = False
        self._settled: QImage | None = None  # the current slide, settled, at widget size
        self._pool = FramePool()  # the images below, reused (ui/frame_pool.py)
        # The slide the stage shows (or moves to). The Player's index is already the next
        # one when it reports a change; the outgoing image must be of this one.
        self._shown = player.index
        self._show_started = clock()
        self._entrance_head_start = 0.0  # real seconds of the next entrance run elsewhere
        self._frozen_at: float | None = None  # the show clock while a visitor paused it
        self._look = (player.text_scale, player.choices.high_contrast)
        self._layers = LayerStack()
        self._standby_layers = LayerStack()  # what standby shows: its screen, the keypad
        self._failed_paints: set[int] = set()
        self._preparation = NeighbourPreparation(
            player,
            lambda: self._views,
            lambda index, entrance: self._render_view(index, entrance, self._clock()),
            lambda: self.placement().canvas,
            self._device_size,
            self._still,
            self,
        )
        self._warming = TextWarming()  # the incoming slide's text, between transition frames
        self._paint_ms = 0.0  # how long the last paint event took
        # The live entrance frame on screen (view, language, device size, entrance seconds),
        # and the cap a frame painted in part must keep to (see _entrance_region).
        self._live_painted: tuple[SlideView, str, QSize, float] | None = None
        self._painting_live: tuple[SlideView, str, QSize, float] | None = None
        self._partial_until = 0.0
        self._entrance_cap: float | None = None
        self._pacer = TransitionPacer() if pace_transitions else None
        # A move waiting for the chart library: (index, direction) of the latest, and since when
        self._waiting_move: tuple[int, int] | None = None
        self._waiting_since = 0.0
        self._library_wait = QTimer(self)
        self._library_wait.setInterval(LIBRARY_POLL_MS)
        self._library_wait.timeout.connect(self._on_library_wait_timeout)
        self._frames = QTimer(self)
        self._frames.setTimerType(Qt.TimerType.PreciseTimer)
        self._frames.timeout.connect(self._on_frames_timeout)
        # The views first: their lead-ins go to the Player, and a synced Player may settle on
        # another slide of the common timeline before the stage follows it.
        self._build_views(player.content)
        self._shown = player.index
        player.position_changed.connect(self._on_player_position_changed)
        player.language_changed.connect(self._on_player_language_changed)
        player.content_changed.connect(self._on_player_content_changed)
        player.choices_changed.connect(self._on_player_choices_changed)
        for signal in (
            player.mode_changed,
            player.blackout_changed,
            player.overlay_changed,
            player.idle_countdown_changed,
            player.dwell_started,
        ):
            signal.connect(self._on_player_state_changed)
        player.standby_changed.connect(self._on_player_standby_changed)
        self.entrance_finished.connect(player.notify_entrance_finished)
        self._join_timeline()
        self._start_entrance()
        if settle_first_slide and player.slot_progress() is None:
            self._entrance_started = -math.inf  # text is up on the very first frame after boot

    # --- what tests and the app read -------------------------------------------------------

    @property
    def views(self) -> list[SlideView]:
        """The slide views, built once per content."""
        return list(self._views)

    @property
    def theme(self) -> SlideTheme:
        """The theme of the current content (layers paint with it too)."""
        assert self._theme is not None
        return self._theme

    @property
    def player(self) -> Player:
        """The Player this stage follows."""
        return self._player

    @property
    def media_dir(self) -> Path:
        """The folder pictures are read from now (the content's, or its last good copy's)."""
        return self._media.base_dir

    @property
    def media(self) -> MediaLibrary:
        """The pictures of the current content (layers that show the logo read them too)."""
        return self._media

    def use_media_from(self, base_dir: Path) -> None:
        """Read pictures relative to `base_dir` from the next content on (the content folder,
        or the folder a last good copy keeps its pictures in)."""
        self._media = MediaLibrary(base_dir)

    def add_layer(self, layer: Layer, *, in_standby: bool = False) -> None:
        """Paint `layer` over the slides, above the layers added before it; `in_standby`:
        in standby too, where only such layers are painted and take taps."""
        self._layers.add(layer)
        if in_standby:
            self._standby_layers.add(layer)
        self.update()

    def _active_layers(self) -> LayerStack:
        return self._standby_layers if self._player.standby else self._layers

    def placement(self) -> Placement:
        """The logical canvas of the current widget size (with the bezels' seams) and where
        it sits in the widget; everything that paints or hit-tests asks this."""
        width, height = self.width(), self.height()
        return place(width, height, seam_positions(self._bezels, width))

    def canvas_rect(self) -> CanvasRect:
        """The logical canvas of the current widget size, as a rectangle with its seams."""
        return CanvasRect(self.placement().canvas)

    def scale(self) -> float:
        """Widget pixels per canvas pixel."""
        return self.placement().scale

    def to_canvas(self, point: QPointF) -> QPointF:
        """A widget position in canvas coordinates."""
        return self.placement().to_canvas(point)

    def to_widget(self, point: QPointF) -> QPointF:
        """A canvas position in widget coordinates."""
        return self.placement().to_screen(point)

    def targets(self) -> list[HitTarget]:
        """Every target a tap can reach now, topmost first (the screen-reader tree offers
        them as buttons; tests check their size)."""
        return self._active_layers().reachable_targets(self.canvas_rect())

    def hit_test(self, point: QPointF) -> HitTarget | None:
        """The target under a widget position, topmost layer first; modal layers stop the search."""
        return self._active_layers().hit_test(self.to_canvas(point), self.canvas_rect())

    @property
    def transition_name(self) -> str | None:
        """The name of the running transition, or None."""
        running = self._transition
        return running.transition.name if running is not None else None

    @property
    def degraded_transitions(self) -> dict[str, str]:
        """Transitions given up on this screen because they kept missing their frame budget."""
        return self._pacer.degraded if self._pacer is not None else {}

    @property
    def animating(self) -> bool:
        """True while a transition or an entrance is running."""
        return self._transition is not None or not self._entrance_done()

    def render_frame(self, size: QSize | None = None) -> QImage:
        """Render exactly what the screen shows now into an image (screenshots, snapshots),
        at the screen's size or painted directly at `size` (the presenter's small copy:
        a 4K frame rendered and scaled down ten times a second cost more than the show)."""
        return self._render(lambda painter: self._paint_frame(painter, self._clock()), size)

    def _render(
        self,
        paint: Callable[[QPainter], None],
        size: QSize | None = None,
        *,
        pooled: bool = False,
    ) -> QImage:
        """`pooled`: an image the stage keeps only in its own attributes, painted whole,
        from the pool (a new whole-screen image costs more than painting it)."""
        scaled = size is not None and size != self._device_size()
        if pooled and not scaled:
            image = self._pool.take(self._device_size(), self.devicePixelRatioF())
        else:
            image = QImage(size or self._device_size(), QImage.Format.Format_RGB32)
            if not scaled:
                image.setDevicePixelRatio(self.devicePixelRatioF())
        painter = QPainter(image)
        try:
            painter.setRenderHints(RENDER_HINTS)
            if scaled:
                painter.scale(image.width() / self.width(), image.height() / self.height())
            paint(painter)
        finally:
            painter.end()  # an open painter on a freed image crashes Qt later
        return image

    # --- building --------------------------------------------------------------------------

    def _build_views(self, content: Content) -> None:
        self._theme = SlideTheme.for_show(
            content.settings,
            self._family,
            text_scale=self._player.text_scale,
            high_contrast=self._player.choices.high_contrast,
        )
        self._look = (self._player.text_scale, self._player.choices.high_contrast)
        self._failed_paints.clear()
        views: list[SlideView] = []
        unusable = []
        for index, slide in enumerate(content.slides):
            try:
                views.append(build_view(slide, self._theme, self._media))
            except Exception:
                log.exception("slide %s cannot be built; it is skipped", slide.id)
                views.append(FallbackView(slide, self._theme, self._media))
                unusable.append(index)
        self._views = views
        for index in unusable:
            self._player.mark_unusable(index)
        self._player.set_lead_in_times([self._lead_in(index) for index in range(len(views))])
        self.theme_changed.emit()

    def _lead_in(self, index: int) -> float:
        """Seconds this stage takes to bring slide `index` to rest: its transition in and
        its view's entrance (the first part of its slot on the common timeline)."""
        content = self._player.content
        transition = content.settings.transition_duration
        if content.transition_of(index) == "none":
            transition = 0.0
        return self._scaled(transition + self._views[index].entrance_seconds)

    def _size_image_budget(self) -> None:
        """The shared image budget for this screen and the busiest slide of the content."""
        size = self._device_size()
        placement = self.placement()
        canvas = placement.canvas
        scale = placement.scale * self.devicePixelRatioF()
        busiest = 0
        for view in self._views:
            for language in self._player.content.settings.languages:
                try:
                    busiest = max(busiest, view.cached_bytes(canvas, language, scale))
                except Exception:  # painting it reports the fault and skips it
                    log.warning(
                        "slide %s: its images cannot be sized for the image budget, which may "
                        "be too small for it (its pictures then re-made at each turn)",
                        view.slide.id,
                        exc_info=True,
                    )
        set_budget_for_screen(size.width(), size.height(), busiest)

    def _device_size(self) -> QSize:
        ratio = self.devicePixelRatioF()
        return QSize(max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio)))

    def _frame_for(self, entrance: float, now: float) -> Frame:
        return Frame(
            self.placement().canvas,
            self._player.language,
            entrance,
            self._show_clock(now),
            still=self._player.reduce_motion,
        )

    def _show_clock(self, now: float) -> float:
        """Seconds of show time (ambient motion follows it); it stands still while paused."""
        if self._frozen_at is not None:
            return self._frozen_at
        return now - self._show_started

    def _moves(self, view: SlideView) -> bool:
        """True when the settled view still changes by itself (it needs frames)."""
        if not view.ambient or self._player.paused:
            return False
        return view.keeps_changing() if self._player.reduce_motion else True

    def _render_view(self, index: int, entrance: float, now: float) -> QImage:
        def paint(painter: QPainter) -> None:
            try:
                frame = self._frame_for(entrance, now)
                paint_scaled(painter, self._views[index], self.size(), frame)
            except Exception:  # noqa: BLE001 - logged once; plain background, slide skipped
                self._on_view_failed(index)
                slide = self._player.content.slides[index]
                fallback = FallbackView(slide, self.theme, self._media)
                paint_scaled(painter, fallback, self.size(), self._frame_for(FINAL, now))

        return self._render(paint, pooled=True)

    # --- timing ----------------------------------------------------------------------------

    def _scaled(self, seconds: float) -> float:
        return seconds * self._animation_scale

    def _entrance_elapsed(self, now: float) -> float:
        scale = self._animation_scale
        if scale <= 0 or self._player.reduce_motion:
            return FINAL
        return max(0.0, now - self._entrance_started) / scale

    def _entrance_done(self) -> bool:
        if not self._views:
            return True
        view = self._views[self._shown]
        return view.entrance_done(self._entrance_elapsed(self._clock()))

    def _start_entrance(self, at: float | None = None) -> None:
        """The entrance of the shown slide begins at `at` (now), minus what the common
        timeline says already ran of it."""
        start = self._clock() if at is None else at
        self._entrance_started = start - self._entrance_head_start
        self._entrance_head_start = 0.0
        self._entrance_reported = False
        self._settled = None
        self._schedule()

    def _schedule(self) -> None:
        """Run the frame timer at the rate the current state needs, or stop it."""
        now = self._clock()
        if self._player.standby:
            intervals = [ms for ms in self._standby_layers.frame_intervals(now) if ms > 0]
            if intervals:
                self._frames.start(min(intervals))
            else:
                self._frames.stop()
            return
        wanted = self._layers.frame_intervals(now)
        # Frames run until the entrance is *reported*, not merely due: deciding "done" twice
        # (here and when reporting) once stopped the timer between the two, and autoplay
        # waited forever for a report that no frame would make.
        if self._transition is not None or not self._entrance_reported:
            wanted.append(FRAME_MS)
        elif self._views and self._views[self._shown].frames_from_source:
            # A film repaints with each of its frames, the chrome's slow ticks (the autoplay
            # line) with them: a timer of their own would add whole-screen paints.
            wanted = [ms for ms in wanted if 0 < ms < AMBIENT_FRAME_MS]
        elif self._views and self._moves(self._views[self._shown]):
            wanted.append(AMBIENT_FRAME_MS)
        intervals = [ms for ms in wanted if ms > 0]
        if not intervals:
            self._frames.stop()
            return
        interval = min(intervals)
        if not self._frames.isActive() or self._frames.interval() != interval:
            self._frames.start(interval)

    def _on_frames_timeout(self) -> None:
        if not self._ask_for_frame(self._entrance_region()):
            self._after_paint()  # no paint comes: the entrance must still end and be reported
            return
        if not self.isVisible() or not self.window().windowHandle().isExposed():
            # Hidden or covered windows get no paint events; the show must still move on,
            # or autoplay would wait forever for an entrance that is never painted.
            self._after_paint()

    def _update_final(self) -> None:
        """Ask for the frame of the entrance's final state: in part when the frame on screen
        was a live entrance frame (nothing at all when it already showed the final state)."""
        if not self._ask_for_frame(self._entrance_region(final=True)):
            QTimer.singleShot(0, self, self._make_settled_image)  # else made after its frame

    def _ask_for_frame(self, region: QRegion | None) -> bool:
        """Ask Qt for a whole frame (None) or for `region`; False when the region is empty:
        nothing on screen has to change, and no paint comes (said by `frame_unchanged`)."""
        if region is None:
            self.update()
        elif region.isEmpty():
            self.frame_unchanged.emit()
            return False
        else:
            self.update(region)
        return True

    def _entrance_region(self, *, final: bool = False) -> QRegion | None:
        """On a real screen, in a live entrance: only the areas the slide changes from the
        frame on screen to a moment a little ahead (its tracks, slides/changes.py), and the
        layers' moving parts; None for a whole frame.

        Every 4K entrance frame repainted and flushed the whole 33 MB screen, though at most
        moments one card rises or one number counts; on the two shared cores that made the
        entrances' late frames (`kiosk bench --display`, attract mode)."""
        last = self._live_painted
        if (
            self._pacer is None
            or last is None
            or self._transition is not None
            or (self._entrance_reported and not final)
            or self._player.standby
            or self._player.blackout
            or not self._views
        ):
            return None
        view = self._views[self._shown]
        if last[:3] != (view, self._player.language, self._device_size()):
            return None
        now = self._clock()
        until = self._entrance_elapsed(now) + REGION_AHEAD_S
        if final or until >= view.entrance_seconds:
            until = FINAL  # what is left of the entrance: the final frame may come next
        placement = self.placement()
        rects = view.entrance_changes(placement.canvas, self._player.language, last[3], until)
        if rects is None:
            return None
        layers = self._active_layers().changing_area(self.canvas_rect(), now)
        if layers is None:
            return None
        region = QRegion()
        for rect in [*rects, layers]:
            if rect.isEmpty():
                continue
            corners = QRectF(
                placement.to_screen(rect.topLeft()), placement.to_screen(rect.bottomRight())
            )
            region += corners.toAlignedRect().adjusted(-2, -2, 2, 2)
        self._partial_until = until
        return region

    # --- following the Player --------------------------------------------------------------

    def _on_player_position_changed(self, index: int, direction: int) -> None:
        if self._waits_for_chart_library(index):
            # Laying a bar chart out imports pyqtgraph (~0.3 s): on the GUI thread that froze
            # the screen. Its import runs on a thread; the slide on screen goes on moving
            # until it is done (`kiosk bench --display`, cold start: Right at the first frame).
            if self._waiting_move is None:
                self._waiting_since = time.monotonic()
            self._waiting_move = (index, direction)
            self._library_wait.start()
            return
        self._stop_waiting()
        self._move_to(index, direction)

    def _waits_for_chart_library(self, index: int) -> bool:
        return (
            self._pacer is not None  # a real screen (tests move at once)
            and not self._player.standby
            and self._player.slot_progress() is None  # on a common timeline, move in step
            and 0 <= index < len(self._views)
            and self._views[index].needs_chart_library()
            and not chart_library_ready()
        )

    def _on_library_wait_timeout(self) -> None:
        waited = time.monotonic() - self._waiting_since
        if not chart_library_ready() and waited < LIBRARY_WAIT_MAX_S:
            return
        move = self._waiting_move
        self._stop_waiting()
        if move is not None:
            self._move_to(*move)

    def _stop_waiting(self) -> None:
        self._waiting_move = None
        self._library_wait.stop()

    def _move_to(self, index: int, direction: int) -> None:
        """Follow the Player to slide `index`: the transition's images and its start."""
        self._preparation.stop()
        if self._pacer is not None and self._transition is not None:
            self._pacer.cancel()
        moved = self._clock()
        if self._player.standby:  # nothing shows: the slide starts afresh on waking
            self._shown, self._transition, self._settled = index, None, None
            return
        # On the common timeline, the slot began `progress` seconds ago (a moment ago at a
        # boundary, longer for a screen that joins late): start where every screen is.
        progress = self._player.slot_progress()
        content = self._player.content
        seconds = self._scaled(content.settings.transition_duration)
        name = content.transition_of(index)
        if self._player.reduce_motion and name != "none":
            name, seconds = "fade", min(seconds, self._scaled(REDUCED_FADE_S))
        elif self._pacer is not None:
            name = self._pacer.choose(name)
        if seconds <= 0 or name == "none":
            seconds = 0.0
        late = progress is not None and progress >= seconds
        if progress is not None:
            self._anchor_ambient_clock(moved)
        # A late joiner runs a whole transition, at whose end the timeline's entrance has
        # run `progress` seconds: the incoming image shows that moment.
        entrance = progress if late and progress is not None else 0.0
        # The slide on screen is the outgoing image (even mid-transition). One painted live
        # on a real screen, off the timeline, is kept from the next frame instead of
        # rendered now (see paintEvent); without a transition it is not needed at all.
        capture = self._live_on_screen() if self._pacer is not None and progress is None else None
        outgoing = None
        if seconds > 0 and capture is None:
            outgoing = self._slide_on_screen(moved)
        self._shown = index
        at = entrance / max(self._animation_scale, 1e-9)
        if self._player.reduce_motion:
            at = FINAL  # no entrance: the fade goes to the settled slide
        # The incoming image of the entrance's start was made at a still moment, if any.
        incoming = self._preparation.take(index) if at == 0.0 else None
        if incoming is None:
            incoming = self._render_view(index, at, moved)
        # Without the timeline, the transition starts once both images exist (`kiosk bench`
        # reports the time they take as "prepare"), so that the cost is not skipped frames at
        # its start. On it, it starts when the slot did, on every screen.
        now = self._clock()
        if seconds <= 0:
            self._transition = None
            self._entrance_head_start = progress or 0.0
            self._start_entrance(now if progress is None else moved)
        else:
            started = now
            if progress is not None and not late:
                started = moved - progress
            elif late:  # joined after the timeline's transition: a whole one, then in step
                self._entrance_head_start = entrance
            self._transition = RunningTransition(
                transition_named(name),
                outgoing if outgoing is not None else incoming,  # a stand-in until captured
                incoming,
                started,
                seconds,
                direction,
                capture=capture,
            )
            if self._pacer is not None:
                self._pacer.start(name)
            placement = self.placement()
            self._warming.start(
                self._views[index],
                placement.canvas,
                self._player.language,
                placement.scale * self.devicePixelRatioF(),
            )
            self._settled = None
            self._schedule()
        self.update()

    def _join_timeline(self) -> None:
        """Start the shown slide where the common timeline is (start-up, waking)."""
        progress = self._player.slot_progress()
        if progress is None:
            return
        self._anchor_ambient_clock(self._clock())
        content = self._player.content
        transition = content.settings.transition_duration
        if content.transition_of(self._shown) == "none":
            transition = 0.0
        # Negative while the timeline's transition still runs: the entrance waits for it.
        self._entrance_head_start = progress - self._scaled(transition)

    def _on_player_choices_changed(self) -> None:
        """Larger text or high contrast: the views again with the new theme (the slide on
        screen redrawn settled); pause and reduced motion: the clock and the frames."""
        now = self._clock()
        if self._player.paused and self._frozen_at is None:
            self._frozen_at = now - self._show_started
        elif not self._player.paused and self._frozen_at is not None:
            self._show_started = now - self._frozen_at  # ambient motion goes on from there
            self._frozen_at = None
        self._settled = None
        if (self._player.text_scale, self._player.choices.high_contrast) != self._look:
            self._transition = None
            self._forget_prepared()  # images of the old look
            self._build_views(self._player.content)
            self._size_image_budget()
            if not self._entrance_reported:
                self._start_entrance()
                self._entrance_started = -math.inf
        self._schedule()
        self.update()

    def _anchor_ambient_clock(self, now: float) -> None:
        """Ambient motion (the cover's living background) in step with the common loop."""
        phase = self._player.timeline_phase()
        if phase is not None:
            self._show_started = now - phase

    def _on_player_standby_changed(self, standby: bool) -> None:
        self._stop_waiting()
        self._transition = None
        self._settled = None
        if not standby:
            self._shown = self._player.index
            self._join_timeline()
            self._start_entrance()
        else:
            self._schedule()
        self.update()

    def _on_player_language_changed(self, _language: str) -> None:
        self._settled = None
        self._forget_prepared()
        self.update()

    def _on_player_content_changed(self) -> None:
        """New content: fresh media (files may have changed) and views; the slide on screen
        is redrawn settled, without replaying its entrance."""
        self._stop_waiting()
        self._transition = None
        self._shown = self._player.index
        self._preparation.warm_up_again()
        self._forget_prepared()
        self._media = MediaLibrary(self._media.base_dir)
        self._build_views(self._player.content)
        self._size_image_budget()
        self._start_entrance()
        self._entrance_started = -math.inf
        self.update()

    def _on_player_state_changed(self) -> None:
        self._schedule()
        self.update()

    # --- painting --------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A new size invalidates the cached settled image and resizes the image budget."""
        self._settled = None
        self._forget_prepared()
        self._size_image_budget()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the current frame of the show."""
        if self._pacer is not None and self._transition is not None:
            self._pacer.frame()
        started = time.perf_counter()
        now = self._clock()
        running = self._transition
        if running is not None and running.capture is not None:
            # The first frame of a transition from a slide painted live: that slide's frame
            # now, kept as the outgoing image, and the transition starts from it. Rendered
            # at the key it was a whole extra paint (6-18 ms at 4K late in an entrance)
            # before the first transition frame, a late frame at the start of most
            # interactive transitions (`kiosk bench --display`); here it costs one copy.
            outgoing = self._render(lambda p: self._paint_slide(p, now), pooled=True)
            running.outgoing, running.capture, running.started = outgoing, None, now
        whole = QRegion(self.rect()).subtracted(event.region()).isEmpty()
        # A frame painted in part shows the entrance no later than the moment its areas were
        # given for (a paint that came late): what changed after it waits for the next frame.
        self._entrance_cap = None if whole else self._partial_until
        self._painting_live = None
        painter = QPainter(self)
        try:
            painter.setRenderHints(RENDER_HINTS)
            self._paint_frame(painter, now)
        finally:
            painter.end()
            self._live_painted, self._painting_live = self._painting_live, None
            self._entrance_cap = None
        self._paint_ms = (time.perf_counter() - started) * 1000.0
        self._after_paint()
        self.frame_painted.emit()

    def _slide_on_screen(self, now: float) -> QImage:
        """The slide part of the screen now (overlays are painted over transitions anyway):
        the settled image itself when that is what shows, so no copy is made."""
        settled = self._settled
        if (
            self._transition is None
            and settled is not None
            and settled.size() == self._device_size()
        ):
            return settled
        return self._render(lambda painter: self._paint_slide(painter, now), pooled=True)

    def _paint_frame(self, painter: QPainter, now: float) -> None:
        self._paint_slide(painter, now)
        if self._views:
            self._paint_overlays(painter, now)

    def _paint_slide(self, painter: QPainter, now: float) -> None:
        if not self._views or self._player.standby:
            painter.fillRect(self.rect(), Qt.GlobalColor.black)
            return
        running = self._transition
        if running is not None and running.capture is not None:
            self._paint_live(painter, running.capture, now)  # the old slide, until captured
            return
        if running is not None and not running.over(now):
            # Whole-image copies: the hints only slow them (`kiosk bench`: fade vs floor);
            # a transition that resamples turns smoothing back on for that draw. A scaled
            # copy (the presenter's) keeps them.
            if not painter.worldTransform().isScaling():
                painter.setRenderHints(RENDER_HINTS, False)
            running.paint(painter, now)
            painter.setRenderHints(RENDER_HINTS)
            return
        index = self._shown
        view = self._views[index]
        entrance = self._entrance_elapsed(now) if running is None else 0.0
        try:
            settled = self._settled
            final = view.entrance_done(entrance) and not self._moves(view)
            if final and settled is not None and settled.size() == self._device_size():
                painter.drawImage(0, 0, settled)
            elif final:
                # The final state, painted live; its image is made after this frame, off
                # the frame path (a whole-screen render: `kiosk bench` "prepare").
                self._settled = None
                QTimer.singleShot(0, self, self._make_settled_image)
                paint_scaled(painter, view, self.size(), self._frame_for(FINAL, now))
            else:
                if self._entrance_cap is not None:
                    entrance = min(entrance, self._entrance_cap)
                paint_scaled(painter, view, self.size(), self._frame_for(entrance, now))
                self._painting_live = (view, self._player.language, self._device_size(), entrance)
        except Exception:  # noqa: BLE001 - logged once; a paint bug in one view: move on
            self._on_view_failed(index)
            painter.save()
            self.placement().apply(painter)
            self._views[index].paint_background(painter, self._frame_for(FINAL, now))
            painter.restore()

    def _live_on_screen(self) -> int | None:
        """The slide on screen when it is painted live (an entrance, ambient motion, a
        capture still to come), else None (the settled image or a transition shows)."""
        running = self._transition
        if running is not None:
            return running.capture
        settled = self._settled
        if settled is not None and settled.size() == self._device_size():
            return None
        if not self._views or self._views[self._shown].frames_from_source:
            return None  # a film's frame is its player's: it stops once the stage moves on
        return self._shown

    def _paint_live(self, painter: QPainter, index: int, now: float) -> None:
        """Slide `index` at the entrance clock's moment (the slide a transition leaves)."""
        try:
            frame = self._frame_for(self._entrance_elapsed(now), now)
            paint_scaled(painter, self._views[index], self.size(), frame)
        except Exception:  # noqa: BLE001 - logged once; a paint bug in one view: move on
            self._on_view_failed(index)

    def _on_view_failed(self, index: int) -> None:
        if index not in self._failed_paints:
            self._failed_paints.add(index)
            slide_id = self._player.content.slides[index].id
            log.exception("slide %s failed to paint; it is skipped", slide_id)
            QTimer.singleShot(0, lambda: self._player.mark_unusable(index))

    def _paint_overlays(self, painter: QPainter, now: float) -> None:
        canvas = self.canvas_rect()
        painter.save()
        self.placement().apply(painter)
        if self._player.blackout:
            painter.fillRect(canvas, Qt.GlobalColor.black)
        self._active_layers().paint(painter, canvas, now)
        painter.restore()

    def _after_paint(self) -> None:
        """Advance the state machine after a frame: end transitions, report entrances."""
        now = self._clock()
        if self._player.standby:
            self._schedule()
            return
        running = self._transition
        if running is not None and running.over(now):
            self._transition = None
            self._warming.clear()
            self._judge_pacing()
            # On the common timeline the entrance begins when the transition was due to
            # end, however late this frame came.
            synced = self._player.slot_progress() is not None
            self._start_entrance(running.started + running.seconds if synced else None)
            self.update()
            return
        if running is None and not self._entrance_reported and self._entrance_done():
            self._entrance_reported = True
            self.entrance_finished.emit(self._shown)
            self._update_final()  # one more frame: the final state, whatever time the last had
            self._preparation.queue(self._shown)
        if running is not None and self._paint_ms < WARM_AFTER_PAINT_MS:
            self._warming.step()  # one sprite, in the time this frame left
        self._schedule()

    def _judge_pacing(self) -> None:
        verdict = self._pacer.finish() if self._pacer is not None else None
        if verdict is not None:
            self.transition_degraded.emit(*verdict)

    # --- work kept off the frame path -------------------------------------------------------

    def _still(self) -> bool:
        """No transition runs and the entrance is over (ambient motion may go on)."""
        return (
            self._transition is None
            and self._entrance_reported
            and bool(self._views)
            and not self._player.standby
        )

    def _make_settled_image(self) -> None:
        """The settled image of the slide on screen, once the frame showing it is painted."""
        if self._settled is not None or not self._still() or self._moves(self._views[self._shown]):
            return
        self._settled = self._render_view(self._shown, FINAL, self._clock())

    def _forget_prepared(self) -> None:
        self._preparation.forget()
        if self._still():
            self._preparation.queue(self._shown)

    def run_idle_jobs(self) -> None:
        """Run the preparation queued for still moments now (tests, `kiosk bench`)."""
        self._preparation.run_now()
