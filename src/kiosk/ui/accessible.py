"""The slides for screen readers (AT-SPI on Linux, through Qt's bridge): the painted show
mirrored as plain, invisible Qt widgets that Qt's own accessibility already describes.

- The current slide is a panel named by its title ("Slide 3 of 13" as its description); its
  children are labels with the slide's text: title, figures with their units, labels, years
  and sources, card titles and facts, captions (kiosk.content.spoken.slide_runs), each placed
  where the text is painted.
- What a visitor can tap (the chrome, the accessibility panel, the overview) is a push button
  with a name in the show's language, and a screen reader can press it. Next and previous
  slide are buttons too (on screen they are the edges and swipes).
- Each slide change is announced politely ("Slide 3 of 13: History").

Standard widgets only, no custom QAccessibleInterface (Qt 6.11 has crash reports in custom
accessibility trees), and a pool of them, renamed and moved rather than created and deleted as
slides change; the ones not needed wait under a hidden window of their own (hidden children
would stay in the tree as objects that are not showing). Nothing is built or updated while no
assistive technology is listening (`QAccessible.isActive()`), so a kiosk without one pays
nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from PySide6.QtCore import QObject, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QPaintEvent
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QGroupBox, QLabel, QPushButton, QWidget

from kiosk.content.spoken import slide_runs
from kiosk.controllers.strokes import EDGE_FRACTION
from kiosk.core.player import Overlay, Player
from kiosk.ui.access import BUTTON_WORDS, CHOICE_WORDS
from kiosk.ui.layers import HitTarget
from kiosk.ui.stage import Stage

log = logging.getLogger(__name__)

ACTIVE_CHECK_MS = 2000  # how often to look whether a screen reader has started listening
_SPACE = re.compile(r"[\s\u2060·・•…]+")


def _make_quiet(widget: QWidget) -> None:
    """Paint nothing and let every touch and click through to the stage below."""
    widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    widget.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setAutoFillBackground(False)


class SlidePanel(QGroupBox):
    """The current slide: a panel named by its title."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        _make_quiet(self)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Nothing: the stage paints the slide."""


class TextRun(QLabel):
    """One piece of the slide's text."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        _make_quiet(self)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Nothing: the stage paints the text."""


class TargetButton(QPushButton):
    """Something a visitor can tap, as a button a screen reader can press."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        _make_quiet(self)
        self.action: Callable[[], None] | None = None
        self.clicked.connect(self._on_clicked)

    def _on_clicked(self) -> None:
        if self.action is not None:
            self.action()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Nothing: the stage paints the chrome."""


class TargetSwitch(QCheckBox):
    """A choice of the accessibility panel, as a check box that says whether it is on."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        _make_quiet(self)
        self.action: Callable[[], None] | None = None
        # A screen reader's "toggle" action toggles (no click); refreshes set the state with
        # signals blocked, so only a reader's toggle reaches the Player.
        self.toggled.connect(self._on_toggled)

    def _on_toggled(self, _on: bool) -> None:
        if self.action is not None:
            self.action()  # the Player decides; the next refresh shows its state

    def paintEvent(self, event: QPaintEvent) -> None:
        """Nothing: the stage paints the panel."""


class AccessibilityTree(QObject):
    """Keeps the mirror of the stage up to date for screen readers."""

    def __init__(self, stage: Stage, player: Player, *, check_ms: int = ACTIVE_CHECK_MS) -> None:
        super().__init__(stage)
        self._stage = stage
        self._player = player
        self._panel: SlidePanel | None = None
        self._runs: list[TextRun] = []
        self._buttons: list[TargetButton] = []
        self._switches: list[TargetSwitch] = []
        self._parking = QWidget()  # never shown: widgets under it are out of the tree
        self._dirty = True
        stage.setAccessibleName("济南高新区展示 · Jinan High-tech Zone show")
        for signal in (
            player.position_changed,
            player.language_changed,
            player.content_changed,
            player.overlay_changed,
            player.choices_changed,
            player.blackout_changed,
            player.speaking_changed,
        ):
            signal.connect(self._on_player_changed)
        player.position_changed.connect(self._on_player_position_changed)
        stage.theme_changed.connect(self._on_player_changed)
        self._checks = QTimer(self)
        self._checks.setInterval(check_ms)
        self._checks.timeout.connect(self._refresh_if_needed)
        self._checks.start()
        QTimer.singleShot(0, self._refresh_if_needed)

    # --- what tests read -------------------------------------------------------------------

    def slide_name(self) -> str:
        """The accessible name of the slide panel ("" when none is offered)."""
        if self._panel is None or self._panel.parent() is not self._stage:
            return ""
        return self._panel.accessibleName()

    def texts(self) -> list[str]:
        """The text runs now offered, in order."""
        if self._panel is None or self._panel.parent() is not self._stage:
            return []
        return [run.text() for run in self._runs if run.parent() is self._panel]

    def button_names(self) -> list[str]:
        """The names of the buttons and switches now offered."""
        return [b.accessibleName() for b in self._offered()]

    def switches(self) -> dict[str, bool]:
        """The switches now offered, by name, and whether each is on."""
        return {
            s.accessibleName(): s.isChecked() for s in self._switches if s.parent() is self._stage
        }

    def _offered(self) -> list[QAbstractButton]:
        pool: list[QAbstractButton] = [*self._buttons, *self._switches]
        return [b for b in pool if b.parent() is self._stage]

    def press(self, name: str) -> None:
        """Press the button called `name`, as a screen reader would."""
        for button in self._offered():
            if button.accessibleName() == name:
                button.click()
                return
        raise LookupError(f"no button {name!r}; offered: {self.button_names()}")

    # --- keeping it up to date -------------------------------------------------------------

    def _on_player_changed(self, *_args: object) -> None:
        self._dirty = True
        QTimer.singleShot(0, self._refresh_if_needed)  # after the stage took the change

    def _on_player_position_changed(self, index: int, _direction: int) -> None:
        if not QAccessible.isActive():
            return
        self.refresh()
        event = QAccessibleAnnouncementEvent(self._stage, self._where(index))
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
        QAccessible.updateAccessibility(event)

    def _refresh_if_needed(self) -> None:
        if self._dirty and QAccessible.isActive():
            self.refresh()

    def refresh(self) -> None:
        """Rebuild the names and places of the mirror from the Player and the stage."""
        self._dirty = False
        player = self._player
        if self._panel is None:
            self._panel = SlidePanel(self._parking)
            log.info("screen reader listening: the slides are offered over accessibility")
        scale = self._stage.scale()
        canvas = self._stage.canvas_rect()
        index = player.index
        slide = player.content.slides[index]
        language = player.language
        panel = self._panel
        panel.setGeometry(self._stage.rect())
        panel.setAccessibleName(slide.title[language])
        panel.setAccessibleDescription(self._where(index))
        self._place(panel, self._parking if player.blackout else self._stage)
        runs = slide_runs(slide, language)
        places = self._places(runs, canvas)
        while len(self._runs) < len(runs):
            self._runs.append(TextRun(self._parking))
        for label, text, place in zip(self._runs, runs, places, strict=False):
            label.setText(text)
            label.setAccessibleName(text)
            label.setGeometry(_scaled(place, scale))
            self._place(label, panel)
        for label in self._runs[len(runs) :]:
            self._place(label, self._parking)
        self._mirror_targets(scale, canvas)

    def _place(self, widget: QWidget, parent: QWidget) -> None:
        """Put a pooled widget under `parent` (shown), or park it out of the tree."""
        if widget.parent() is not parent:
            widget.setParent(parent)
        if parent is not self._parking and widget.isHidden():
            widget.show()

    def _where(self, index: int) -> str:
        player = self._player
        title = player.content.slides[index].title[player.language]
        if player.language == "zh":
            return f"第{index + 1}张，共{player.count}张：{title}"
        return f"Slide {index + 1} of {player.count}: {title}"

    def _places(self, runs: list[str], canvas: QRectF) -> list[QRectF]:
        """Where each run is painted: the text box that holds it, else the whole canvas."""
        try:
            view = self._stage.views[self._player.index]
            boxes = view.text_boxes(canvas.size(), self._player.language)
        except Exception:  # a view that cannot lay out: places are optional
            log.debug("no text places for the accessibility tree", exc_info=True)
            boxes = []
        found = []
        for run in runs:
            key = _SPACE.sub("", run)
            place = canvas
            for box in boxes:
                text = _SPACE.sub("", box.text)
                if len(text) >= 2 and (text in key or key in text):
                    place = box.rect
                    break
            found.append(place)
        return found

    def _mirror_targets(self, scale: float, canvas: QRectF) -> None:
        player = self._player
        targets: list[tuple[str, QRectF, Callable[[], None], bool | None]] = []
        for target in self._stage.targets():
            named = self._name_of(target)
            if named is not None:
                name, checked = named
                targets.append((name, target.rect, target.action, checked))
        if player.overlay is Overlay.NONE and not player.blackout:
            zh = player.language == "zh"
            edge = canvas.width() * EDGE_FRACTION
            targets.append(
                (
                    "上一张" if zh else "Previous slide",
                    QRectF(0, 0, edge, canvas.height()),
                    player.previous,
                    None,
                )
            )
            targets.append(
                (
                    "下一张" if zh else "Next slide",
                    QRectF(canvas.width() - edge, 0, edge, canvas.height()),
                    player.next,
                    None,
                )
            )
        buttons = [t for t in targets if t[3] is None]
        switches = [t for t in targets if t[3] is not None]
        while len(self._buttons) < len(buttons):
            self._buttons.append(TargetButton(self._parking))
        while len(self._switches) < len(switches):
            self._switches.append(TargetSwitch(self._parking))
        pools: tuple[tuple[list, list], ...] = (
            (self._buttons, buttons),
            (self._switches, switches),
        )
        for pool, wanted in pools:
            for widget, (name, rect, action, checked) in zip(pool, wanted, strict=False):
                widget.setText(name)
                widget.setAccessibleName(name)
                if checked is not None:
                    blocked = widget.blockSignals(True)
                    widget.setChecked(checked)
                    widget.blockSignals(blocked)
                widget.action = self._pressed(action)
                widget.setGeometry(_scaled(rect, scale))
                self._place(widget, self._stage)
                widget.raise_()
            for widget in pool[len(wanted) :]:
                self._place(widget, self._parking)
                widget.action = None

    def _pressed(self, action: Callable[[], None]) -> Callable[[], None]:
        def press() -> None:
            self._player.report_user_input()  # as a tap would: pauses the loop, keeps the session
            action()

        return press

    def _name_of(self, target: HitTarget) -> tuple[str, bool | None] | None:
        """The accessible name (and checked state) of a tap target, or None to leave it out."""
        player = self._player
        zh = player.language == "zh"
        kind, _, rest = target.name.partition(":")
        slides = player.content.slides
        if kind == "language":
            return ("切换语言：English" if zh else "Language: 中文", None)
        if kind == "access" and not rest:
            return ("无障碍选项" if zh else "Accessibility options", None)
        if kind == "access" and rest in CHOICE_WORDS:
            return (CHOICE_WORDS[rest][0 if zh else 1], bool(getattr(player.choices, rest)))
        if kind == "access" and rest == "paused":
            paused = player.paused
            words = ("继续播放", "Play the show") if paused else ("暂停播放", "Pause the show")
            return (words[0 if zh else 1], None)
        if kind == "access" and rest in BUTTON_WORDS:
            return (BUTTON_WORDS[rest][0 if zh else 1], None)
        if kind in ("dot", "slide") and rest.isdigit() and int(rest) < len(slides):
            number = int(rest)
            title = slides[number].title[player.language]
            return (f"第{number + 1}张：{title}" if zh else f"Slide {number + 1}: {title}", None)
        if kind == "chapter" and rest.isdigit() and int(rest) < len(slides):
            chapter = slides[int(rest)].chapter
            label = chapter[player.language] if chapter is not None else ""
            return (f"章节：{label}" if zh else f"Chapter: {label}", None)
        if kind == "help":
            return ("关闭帮助" if zh else "Close the help", None)
        return None  # the staff keypad, the space around a panel


def _scaled(rect: QRectF, scale: float) -> QRect:
    """A canvas rectangle in widget pixels."""
    return QRectF(
        rect.x() * scale, rect.y() * scale, rect.width() * scale, rect.height() * scale
    ).toAlignedRect()
