"""The film director: plays the screen's film when a film slide stands on screen, and only then.

It follows the Player and the stage. When a film slide's transition has ended (its entrance is
reported) the screen's playback opens the film from its start (or where the hall's timeline
says); when the show moves on, the stage has already taken the last shown frame for the
transition, and the film stops. It reads every film of the content ahead with the deck's probe
(length for `play: once`, first frame for the transition into it), mutes the sound whenever
`Player.audible()` says so, pauses on a visitor's tap, and turns every fault into a
placeholder, one log line and a show that moves on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from kiosk.content.model import VideoSlide
from kiosk.controllers.strokes import EDGE_FRACTION
from kiosk.core.player import Mode, Player
from kiosk.slides.base import content_bottom
from kiosk.slides.film import VideoSlideView
from kiosk.slides.film_engine import FilmDeck, FilmFault, FilmResult, file_stamp
from kiosk.ui.layers import HitTarget
from kiosk.ui.stage import Stage

log = logging.getLogger(__name__)

StartPosition = Callable[[int], float]  # slide index -> seconds into its film to start at


class FilmDirector(QObject):
    """Starts, stops, pauses and mutes the screen's film as the show moves (made after the
    stage: the stage takes the outgoing frame before the film stops)."""

    def __init__(
        self, player: Player, stage: Stage, deck: FilmDeck, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._player = player
        self._stage = stage
        self._deck = deck
        self._screen = deck.screen
        self._view: VideoSlideView | None = None  # the view the screen's film plays in
        self._index = -1
        self._opened: tuple[object, ...] | None = None  # file, play and audio of that film
        self._reported: set[tuple[object, ...]] = set()
        self._held_by_show = False  # the film was paused by the show's pause, not by a tap
        # Where a film starts, in seconds: where the common timeline is within its slot (a
        # screen that joins mid-film), else 0 (a visitor stepping onto it starts it afresh).
        self.start_position: StartPosition = self._timeline_position
        player.position_changed.connect(self._on_player_position_changed)
        player.content_changed.connect(self._on_player_content_changed)
        player.audible_changed.connect(self._on_player_audible_changed)
        player.mode_changed.connect(self._on_player_mode_changed)
        player.choices_changed.connect(self._on_player_choices_changed)
        stage.entrance_finished.connect(self._on_stage_entrance_finished)
        deck.probed.connect(self._on_deck_probed)
        self._screen.frame_arrived.connect(stage.update)
        self._screen.reached_end.connect(stage.update)
        self._screen.failed.connect(self._on_screen_failed)
        stage.destroyed.connect(self._on_stage_destroyed)
        self._read_films()

    # --- what layers, tests and the hall's clock use ---------------------------------------

    @property
    def deck(self) -> FilmDeck:
        """The two players of the show."""
        return self._deck

    @property
    def playing_index(self) -> int | None:
        """The slide whose film plays on screen now (paused included), or None."""
        return self._index if self._view is not None else None

    @property
    def paused(self) -> bool:
        """True while a visitor paused the film on screen."""
        return self._view is not None and self._screen.paused

    def toggle_pause(self) -> None:
        """Pause the film on screen, or play on (from the start once it has ended)."""
        if self._view is not None:
            self._screen.set_paused(not self._screen.paused)
            self._stage.update()

    def seek(self, seconds: float) -> None:
        """Move the film on screen to `seconds` (a screen joining the hall's timeline)."""
        if self._view is not None:
            self._screen.seek(seconds)

    def _timeline_position(self, index: int) -> float:
        """Seconds into the film of slide `index` where the common timeline is now: its slot's
        progress less the lead-in (transition and entrance); 0 off the timeline."""
        progress = self._player.slot_progress()
        if progress is None or index != self._player.index:
            return 0.0
        return max(0.0, progress - self._player.lead_in_seconds(index))

    def film_views(self) -> list[tuple[int, VideoSlideView]]:
        """Every film slide's view with its index."""
        return [
            (index, view)
            for index, view in enumerate(self._stage.views)
            if isinstance(view, VideoSlideView)
        ]

    # --- reading films ahead ---------------------------------------------------------------

    def _read_films(self) -> None:
        volume = self._player.content.settings.volume / 100
        self._screen.set_volume(volume)
        for _index, view in self.film_views():
            known = self._deck.result(view.video_path)
            if known is not None:
                self._apply(known)
            else:
                self._deck.probe(view.video_path)

    def _on_deck_probed(self, result: FilmResult) -> None:
        self._apply(result)

    def _on_stage_destroyed(self) -> None:
        """The window closed before the Player (tests, the staff screen): nothing to show."""
        self._deck.probed.disconnect(self._on_deck_probed)
        self._screen.failed.disconnect(self._on_screen_failed)
        self._view = None
        self._screen.stop()

    def _apply(self, result: FilmResult) -> None:
        for index, view in self.film_views():
            if not _same_file(view.video_path, result.path):
                continue
            slide = view.slide
            if isinstance(result, FilmFault):
                self._fault(index, view, result.reason)
                continue
            view.first_frame = result.first_frame
            once = slide.play == "once" and result.seconds > 0
            # Real seconds, like every dwell the Player counts (tests and the soak run the
            # show faster with a time scale: the film's slot shrinks with the rest).
            seconds = result.seconds * self._player.time_scale if once else None
            self._player.set_dwell_seconds(slide.id, seconds)
            if index == self._player.index:
                self._stage.update()

    # --- following the show ----------------------------------------------------------------

    def _on_stage_entrance_finished(self, index: int) -> None:
        views = self._stage.views
        view = views[index] if 0 <= index < len(views) else None
        if not isinstance(view, VideoSlideView):
            return
        if view.fault is not None:  # stepped onto by a jump (a dot, the overview): move on
            if index == self._player.index:
                self._player.next()
            return
        if view is self._view:
            return  # new content kept this film playing
        self._start(index, view)

    def _start(self, index: int, view: VideoSlideView) -> None:
        self._detach()
        slide: VideoSlide = view.slide
        start = max(0.0, self.start_position(index))
        self._screen.open(
            view.video_path,
            loop=slide.play == "loop",
            audio=slide.audio,
            volume=self._player.content.settings.volume / 100,
            muted=not self._player.audible(),
            start_s=start,
        )
        self._opened = (file_stamp(view.video_path), slide.play, slide.audio)
        view.playback = self._screen
        self._view = view
        self._index = index
        log.info("film %s plays (slide %s)", slide.video, slide.id)

    def _detach(self) -> None:
        self._held_by_show = False
        if self._view is not None:
            self._view.playback = None
        self._view = None
        self._index = -1
        self._opened = None

    def _stop(self) -> None:
        self._detach()
        self._screen.stop()

    def _on_player_position_changed(self, index: int, _direction: int) -> None:
        if self._view is not None and index != self._index:
            self._stop()  # the stage has its last frame for the transition already

    def _on_player_content_changed(self) -> None:
        """New views: the film on screen plays on when it is the same film, as before."""
        opened = self._opened
        self._detach()
        index = self._player.index
        views = self._stage.views
        view = views[index] if 0 <= index < len(views) else None
        if (
            isinstance(view, VideoSlideView)
            and opened is not None
            and opened == (file_stamp(view.video_path), view.slide.play, view.slide.audio)
        ):
            view.playback = self._screen
            self._view, self._index, self._opened = view, index, opened
        else:
            self._screen.stop()
        self._read_films()

    def _on_player_audible_changed(self, audible: bool) -> None:
        self._screen.set_muted(not audible)

    def _on_player_choices_changed(self) -> None:
        """The show's pause (every visitor's Pause button) holds the film too."""
        if self._view is None:
            return
        if self._player.paused and not self._screen.paused:
            self._held_by_show = True
            self._screen.set_paused(True)
        elif not self._player.paused and self._held_by_show:
            self._held_by_show = False
            self._screen.set_paused(False)

    def _on_player_mode_changed(self, mode: str) -> None:
        if mode == Mode.ATTRACT.value and self.paused:
            self._screen.set_paused(False)  # the loop goes on: so does the film

    def _on_screen_failed(self, reason: str) -> None:
        view, index = self._view, self._index
        self._stop()
        if view is not None:
            self._fault(index, view, reason)

    def _fault(self, index: int, view: VideoSlideView, reason: str) -> None:
        view.fault = reason
        if view is self._view:
            self._stop()
        key = (file_stamp(view.video_path), reason)
        if key not in self._reported:
            self._reported.add(key)
            log.warning(
                "film %s (slide %s) cannot play: %s; showing a placeholder and moving on",
                view.slide.video,
                view.slide.id,
                reason,
            )
        self._stage.update()
        self._player.mark_unusable(index)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


class FilmLayer:
    """Over a playing film: a tap on the film (not its edges or the chrome) pauses or
    resumes it, and a calm pause mark shows while it is paused."""

    def __init__(self, director: FilmDirector, player: Player) -> None:
        self._director = director
        self._player = player

    def visible(self) -> bool:
        """While a film plays on screen (not under a blackout)."""
        return self._director.playing_index == self._player.index and not self._player.blackout

    def modal(self) -> bool:
        """Taps elsewhere still reach the slide."""
        return False

    def frame_interval(self, now: float) -> int:
        """Still: the film asks for its own frames."""
        return 0

    def paint(self, painter: QPainter, canvas: QRectF, now: float) -> None:
        """The pause mark in the middle while paused."""
        if not self._director.paused:
            return
        centre = canvas.center()
        radius = 72.0
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 140))
        painter.drawEllipse(centre, radius, radius)
        painter.setBrush(QColor(255, 255, 255, 230))
        for dx in (-22.0, 10.0):
            painter.drawRoundedRect(
                QRectF(centre + QPointF(dx, -30), centre + QPointF(dx + 12, 30)), 3, 3
            )

    def targets(self, canvas: QRectF) -> list[HitTarget]:
        """The film between the edge strips (which still step) and above the navigation."""
        left = canvas.width() * EDGE_FRACTION
        area = QRectF(
            left, 0, canvas.width() - 2 * left, content_bottom(canvas.size()) - canvas.top()
        )
        return [HitTarget(area, "film", self._director.toggle_pause)]
