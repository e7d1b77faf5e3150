"""The presenter window: what the audience sees, what comes next, the notes and the clocks.

It follows the same Player as the audience window and never changes it. The current slide is
`Stage.render_frame()` painted directly at the pane's size (so overlays, transitions and
blackout match the audience exactly, at a fraction of a full frame's cost), refreshed at most
REFRESH_MS apart while the stage paints and at once on a new slide. The next slide (the one
the Player would step to, skipping what the show skips) is rendered settled with `render_view`
at the pane's size and cached per index, language and size.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import (
    QGuiApplication,
    QImage,
    QPixmap,
    QResizeEvent,
    QScreen,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.model import LANGUAGES, Language
from kiosk.slides.render import render_view
from kiosk.slides.theme import SlideTheme
from kiosk.ui.fonts import ui_font
from kiosk.ui.slide_pane import SlidePane
from kiosk.ui.stage import Stage
from kiosk.ui.window import pick_screen

WINDOW_TITLE = "Presenter — kiosk"
WINDOWED_SIZE = (1280, 800)  # when there is no second screen
REFRESH_MS = 100  # the current-slide mirror refreshes at most 10 times a second
CLOCK_MS = 1000
NO_NOTES = "—"
ERROR_COLOUR = "#ff6b6b"
BLACKOUT_COLOUR = "#c62828"
PREVIEW_CACHE_LIMIT = 12  # entries; a resize or a language switch starts new ones


def format_elapsed(seconds: float) -> str:
    """Seconds as mm:ss (minutes keep counting past 59)."""
    whole = max(0, int(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _wall_clock_text() -> str:
    return datetime.now().strftime("%H:%M")


def _label(text: str = "", role: str = "") -> QLabel:
    """A label; `role` picks its colour in the window's style sheet."""
    label = QLabel(text)
    label.setProperty("role", role)
    return label


def _notes_browser(name: str) -> QTextBrowser:
    """A read-only, unfocusable text box for notes (arrow keys stay with the controller)."""
    browser = QTextBrowser()
    browser.setObjectName(name)
    browser.setOpenLinks(False)
    browser.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    browser.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
    return browser


class PresenterWindow(QWidget):
    """A second window for the presenter, following the same Player as the audience window."""

    def __init__(
        self,
        stage: Stage,
        *,
        clock: Callable[[], float] = time.monotonic,
        now_text: Callable[[], str] | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle(WINDOW_TITLE)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._stage = stage
        self._player = stage.player
        self._clock = clock
        self._now_text = now_text or _wall_clock_text
        self._started = clock()
        self._previews: dict[tuple[int, str, int, int], QPixmap] = {}
        self._visitor_count: Callable[[], int] | None = None
        self._build_widgets()

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)
        self._clock_timer = QTimer(self)
        self._clock_timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._clock_timer.setInterval(CLOCK_MS)
        self._clock_timer.timeout.connect(self._on_clock_timer_timeout)
        self._clock_timer.start()

        player = self._player
        for signal in (
            player.position_changed,
            player.language_changed,
            player.mode_changed,
            player.blackout_changed,
            player.idle_countdown_changed,
        ):
            signal.connect(self._on_player_state_changed)
        player.content_changed.connect(self._on_player_content_changed)
        stage.frame_painted.connect(self._on_stage_frame_painted)
        self.current_pane.resized.connect(self._on_current_pane_resized)
        self.next_pane.resized.connect(self._on_next_pane_resized)
        stage.theme_changed.connect(self._on_stage_theme_changed)

        self._apply_theme(stage.theme)
        self._apply_font_sizes()
        self._refresh_all()
        self.resize(*WINDOWED_SIZE)

    # --- building --------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.current_pane = SlidePane()
        self.next_pane = SlidePane()
        self.notes_caption = _label("Notes", "muted")
        self.notes_view = _notes_browser("notes")
        self.other_notes_view = _notes_browser("other_notes")
        self.status_label = _label()
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        self.position_label = _label()
        self.mode_label = _label(role="muted")
        self.language_label = _label(role="muted")
        self.blackout_label = _label("BLACKOUT", "blackout")
        self.elapsed_caption = _label("elapsed", "muted")
        self.elapsed_label = _label(role="clock")
        self.reset_button = QPushButton("Reset timer")
        # Keys belong to the keyboard controller, not to a button or a scrolling text box.
        self.reset_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.clock_label = _label(role="clock")
        self.visitors_label = _label(role="muted")  # shown when the show records insights
        self.visitors_label.hide()

        right = QVBoxLayout()
        right.addWidget(self.next_pane)
        right.addSpacing(8)
        right.addWidget(self.notes_caption)
        right.addWidget(self.notes_view, 5)
        right.addWidget(self.other_notes_view, 3)
        body = QHBoxLayout()
        body.setSpacing(20)
        body.addWidget(self.current_pane, 3)
        body.addLayout(right, 2)
        bar = QHBoxLayout()
        bar.setSpacing(18)
        left_side = (self.position_label, self.mode_label, self.language_label, self.blackout_label)
        for widget in left_side:
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.visitors_label)
        for widget in (self.elapsed_caption, self.elapsed_label, self.reset_button):
            bar.addWidget(widget)
        bar.addWidget(self.clock_label)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 12)
        outer.setSpacing(10)
        outer.addLayout(body, 1)
        outer.addWidget(self.status_label)
        outer.addLayout(bar)

    def _apply_theme(self, theme: SlideTheme) -> None:
        self._theme = theme
        background = theme.background.darker(160).name()
        surface, text = theme.surface.name(), theme.text.name()
        muted, accent = theme.muted.name(), theme.accent.name()
        self.setStyleSheet(
            f"PresenterWindow {{ background: {background}; }}"
            f"QLabel {{ color: {text}; }}"
            f'QLabel[role="muted"] {{ color: {muted}; }}'
            f'QLabel[role="clock"] {{ color: {accent}; }}'
            f'QLabel[role="blackout"] {{ background: {BLACKOUT_COLOUR}; color: white;'
            " border-radius: 4px; padding: 2px 10px; }"
            f"QTextBrowser {{ background: {surface}; color: {text}; border: none;"
            " border-radius: 6px; padding: 8px; }"
            f"QTextBrowser#other_notes {{ color: {muted}; }}"
            f"QPushButton {{ background: {surface}; color: {text}; border: 1px solid {muted};"
            " border-radius: 4px; padding: 4px 12px; }"
            f"QPushButton:pressed {{ background: {accent}; color: {background}; }}"
        )
        for pane in (self.current_pane, self.next_pane):
            pane.set_colours(theme.muted, theme.muted.darker(180))

    def _apply_font_sizes(self) -> None:
        """Fonts follow the window height so notes stay readable from a lectern."""
        height = max(1, self.height())
        small = max(13, min(24, round(height / 46)))
        notes = max(18, min(44, round(height / 28)))
        self.next_pane.follow_width(round(height * 0.3))
        # Set on each widget: under a style sheet, fonts do not propagate to children.
        plain = (self.current_pane, self.next_pane, self.notes_caption, self.status_label)
        muted = (self.mode_label, self.language_label, self.elapsed_caption, self.visitors_label)
        for widget in (*plain, *muted):
            widget.setFont(ui_font(small))
        self.reset_button.setFont(ui_font(small))
        strong = (self.position_label, self.blackout_label, self.elapsed_label, self.clock_label)
        for widget in strong:
            widget.setFont(ui_font(round(small * 1.25), bold=True))
        self.notes_view.setFont(ui_font(notes))
        self.other_notes_view.setFont(ui_font(round(notes * 0.72)))

    # --- what the app and the staff use ----------------------------------------------------

    @property
    def stage(self) -> Stage:
        """The audience stage this window mirrors."""
        return self._stage

    def reset_timer(self) -> None:
        """Start the elapsed time again from 00:00."""
        self._started = self._clock()
        self.refresh_clocks()

    def set_status(self, text: str, error: bool = False) -> None:
        """Show a line for staff (content problems in red); an empty text hides it.

        `error` is positional too: LiveContent.status_changed(str, bool) is connected here, and
        a keyword-only parameter made every status raise TypeError in the event loop."""
        colour = ERROR_COLOUR if error else self._theme.muted.name()
        self.status_label.setStyleSheet(f"color: {colour};")
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def set_visitor_count(self, count: Callable[[], int] | None) -> None:
        """Show today's visitors (sessions), asked of `count` every second; None hides it."""
        self._visitor_count = count
        self.visitors_label.setVisible(count is not None)
        self.refresh_clocks()

    def refresh_clocks(self) -> None:
        """Update the elapsed time, the wall clock and today's visitors (the 1 Hz timer)."""
        self.elapsed_label.setText(format_elapsed(self._clock() - self._started))
        self.clock_label.setText(self._now_text())
        if self._visitor_count is not None:
            self.visitors_label.setText(f"visitors today {self._visitor_count()}")

    def show_on(self, screen: QScreen | None) -> None:
        """Open maximised on `screen`, or as a normal window when there is no screen for it."""
        if screen is None:
            self.resize(*WINDOWED_SIZE)
            primary = QGuiApplication.primaryScreen()
            if primary is not None:
                self.move(primary.availableGeometry().center() - self.rect().center())
            self.show()
            return
        self.setScreen(screen)
        # Without a window manager showMaximized() alone may keep the old size.
        self.setGeometry(screen.availableGeometry())
        self.showMaximized()

    # --- refreshing ------------------------------------------------------------------------

    def _refresh_all(self) -> None:
        self._refresh_texts()
        self._refresh_state()
        self.refresh_clocks()
        self._refresh_next()
        self._refresh_current()

    def _refresh_texts(self) -> None:
        player = self._player
        language = player.language
        slide = player.content.slides[player.index]
        self.position_label.setText(f"{player.index + 1} / {player.count} · {slide.id}")
        self.current_pane.set_caption(f"Now · {slide.title[language]}")
        following = self._next_index()
        if following is None:
            self.next_pane.set_caption("Next · end of the show")
        else:
            title = player.content.slides[following].title[language]
            self.next_pane.set_caption(f"Next · {title}")
        notes = slide.notes
        self.notes_view.setPlainText(notes[language] if notes is not None else NO_NOTES)
        other = self._other_language()
        if notes is None or other is None or notes[other] == notes[language]:
            self.other_notes_view.setPlainText("")
            self.other_notes_view.hide()
        else:
            self.other_notes_view.setPlainText(notes[other])
            self.other_notes_view.show()
        self.language_label.setText(language.upper())

    def _refresh_state(self) -> None:
        player = self._player
        mode = player.mode.value
        countdown = player.idle_countdown
        self.mode_label.setText(mode if countdown < 0 else f"{mode} · idle reset in {countdown} s")
        self.blackout_label.setVisible(player.blackout)

    def _refresh_current(self) -> None:
        """Copy what the audience sees now into the left pane."""
        self._refresh_timer.stop()
        stage = self._stage
        if stage.width() < 2 or stage.height() < 2:
            return
        target = self.current_pane.fit_device_size(self._audience_aspect())
        pixmap = QPixmap.fromImage(stage.render_frame(target))
        pixmap.setDevicePixelRatio(self.current_pane.devicePixelRatioF())
        self.current_pane.set_pixmap(pixmap)

    def _refresh_next(self) -> None:
        """Show the next slide settled, from the cache when it has been rendered at this size."""
        following = self._next_index()
        views = self._stage.views
        if following is None or following >= len(views):
            self.next_pane.show_placeholder("End of the show")
            return
        size = self.next_pane.fit_device_size(self._audience_aspect())
        language = self._player.language
        key = (following, language, size.width(), size.height())
        pixmap = self._previews.get(key)
        if pixmap is None:
            if len(self._previews) >= PREVIEW_CACHE_LIMIT:
                self._previews.clear()
            # The stage's own canvas (seams included): the preview shows the audience's layout.
            canvas = self._stage.placement().canvas
            image: QImage = render_view(views[following], size, language, canvas=canvas)
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(self.next_pane.devicePixelRatioF())
            self._previews[key] = pixmap
        self.next_pane.set_pixmap(pixmap)

    def _next_index(self) -> int | None:
        """The slide the Player would step to next (it skips what the show skips)."""
        return self._player.following()

    def _other_language(self) -> Language | None:
        offered = self._player.content.settings.languages
        others = [lang for lang in LANGUAGES if lang != self._player.language and lang in offered]
        return others[0] if others else None

    def _audience_aspect(self) -> float:
        stage = self._stage
        if stage.width() < 2 or stage.height() < 2:
            return 16 / 9
        canvas = stage.placement().canvas  # the slide's shape (a letterbox's bars left out)
        return canvas.width() / canvas.height()

    # --- following the Player and the stage ------------------------------------------------

    def _on_player_state_changed(self) -> None:
        # Position, language, mode, blackout and idle countdown change a few times a minute:
        # refreshing everything (the next preview comes from its cache) keeps this simple.
        self._refresh_all()

    def _on_player_content_changed(self) -> None:
        self._previews.clear()  # the stage built new views
        self._refresh_all()

    def _on_stage_theme_changed(self) -> None:
        self._apply_theme(self._stage.theme)

    def _on_stage_frame_painted(self) -> None:
        # The stage paints at up to 60 Hz; one copy per REFRESH_MS is plenty for a preview.
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _on_refresh_timer_timeout(self) -> None:
        self._refresh_images()  # the next preview too: the audience window may have resized

    def _on_current_pane_resized(self) -> None:
        self._refresh_current()

    def _on_next_pane_resized(self) -> None:
        self._refresh_next()

    def _on_clock_timer_timeout(self) -> None:
        self.refresh_clocks()

    def _on_reset_button_clicked(self) -> None:
        self.reset_timer()

    # --- Qt events -------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Fonts follow the new size (the panes report their own new sizes)."""
        super().resizeEvent(event)
        self._apply_font_sizes()

    def showEvent(self, event: QShowEvent) -> None:
        """Show current images the moment the window appears."""
        super().showEvent(event)
        self._refresh_images()

    def _refresh_images(self) -> None:
        self._refresh_next()
        self._refresh_current()


def presenter_screen(audience_index: int | None) -> QScreen | None:
    """A screen other than the audience's (chosen as `pick_screen` does), or None when alone."""
    audience = pick_screen(audience_index)
    for screen in QGuiApplication.screens():
        if screen is not audience:
            return screen
    return None
