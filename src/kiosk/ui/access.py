"""The visitors' accessibility panel: pause or play, reduce motion, larger text, high contrast
and read-aloud, each a large target (WCAG 2.5.5: 44 canvas px or more; these rows are 96), the
current language first and the other beneath. The button that opens it is in access_button.py.
The panel only calls the Player (and read-aloud); it keeps no state of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from kiosk.core.player import Overlay, Player
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_MIDDLE, fit_text
from kiosk.ui.access_button import paint_access_symbol
from kiosk.ui.layers import HitTarget

ThemeGetter = Callable[[], SlideTheme]

ROW_HEIGHT = 96.0  # one choice in the panel
CLOSE_SIDE = 72.0


class SpeechControls(Protocol):
    """What the panel needs of read-aloud (ui/speech.py)."""

    @property
    def available(self) -> bool:
        """True when a speech engine with a voice for the show's languages is there."""
        ...

    def repeat(self) -> None:
        """Say the current slide again."""
        ...

    def stop(self) -> None:
        """Stop speaking."""
        ...


@dataclass(frozen=True)
class Row:
    """One choice in the panel: its target name, words in both languages, and its state."""

    name: str
    zh: str
    en: str
    state: bool | None  # on / off for a switch; None for a button


CHOICE_WORDS: dict[str, tuple[str, str]] = {
    "reduce_motion": ("减少动态效果", "Reduce motion"),
    "larger_text": ("放大文字", "Larger text"),
    "high_contrast": ("高对比度", "High contrast"),
    "read_aloud": ("朗读", "Read aloud"),
}
BUTTON_WORDS: dict[str, tuple[str, str]] = {
    "close": ("关闭", "Close"),
    "repeat": ("重新朗读", "Repeat"),
    "stop": ("停止朗读", "Stop"),
}


def choice_rows(player: Player, *, read_aloud: bool) -> list[Row]:
    """The panel's rows for the Player's choices now (the screen-reader tree names its
    buttons from them too)."""
    choices = player.choices
    paused = choices.paused
    rows = [
        Row(
            "paused",
            "继续播放" if paused else "暂停播放",
            "Play the show" if paused else "Pause the show",
            None,
        )
    ]
    for name, (zh, en) in CHOICE_WORDS.items():
        if name != "read_aloud" or read_aloud:
            rows.append(Row(name, zh, en, getattr(choices, name)))
    return rows


class AccessPanelLayer:
    """The panel of choices, over the slide; modal while the Player's overlay is ACCESS."""

    def __init__(
        self, player: Player, theme: ThemeGetter, speech: SpeechControls | None = None
    ) -> None:
        self._player = player
        self._theme = theme
        self._speech = speech

    # --- what the panel offers (tests read it too) -----------------------------------------

    def rows(self) -> list[Row]:
        """The choices in order; read-aloud only where a speech engine is there."""
        return choice_rows(self._player, read_aloud=self.read_aloud_offered())

    def read_aloud_offered(self) -> bool:
        """True when the hall offers read-aloud and this PC can speak."""
        offered = self._player.content.settings.accessibility.offer_read_aloud
        return offered and self._speech is not None and self._speech.available

    def card_rect(self, canvas: QRectF) -> QRectF:
        """The panel itself, centred."""
        count = len(self.rows()) + (1 if self._player.choices.read_aloud else 0)
        landscape = canvas.width() >= canvas.height()
        width = min(960.0, canvas.width() - (160 if landscape else 96))
        height = 140 + count * (ROW_HEIGHT + 12) + 24
        top = max(96.0, (canvas.height() - height) / 2)
        return QRectF((canvas.width() - width) / 2, top, width, height)

    def layout(self, canvas: QRectF) -> dict[str, QRectF]:
        """Rectangle of every target: "close", each row's name, and "repeat"/"stop"."""
        card = self.card_rect(canvas)
        found = {
            "close": QRectF(card.right() - 24 - CLOSE_SIDE, card.top() + 24, CLOSE_SIDE, CLOSE_SIDE)
        }
        y = card.top() + 140
        for row in self.rows():
            found[row.name] = QRectF(card.left() + 32, y, card.width() - 64, ROW_HEIGHT)
            y += ROW_HEIGHT + 12
        if self._player.choices.read_aloud and "read_aloud" in found:
            half = (card.width() - 64 - 16) / 2
            found["repeat"] = QRectF(card.left() + 32, y, half, ROW_HEIGHT)
            found["stop"] = QRectF(card.left() + 32 + half + 16, y, half, ROW_HEIGHT)
        return found

    # --- Layer -----------------------------------------------------------------------------

    def visible(self) -> bool:
        """Open while the Player's overlay is ACCESS."""
        return self._player.overlay is Overlay.ACCESS

    def modal(self) -> bool:
        """Takes every tap: outside the card closes it."""
        return True

    def frame_interval(self, now: float) -> int:
        """Still (repainted when the Player's state changes)."""
        return 0

    def targets(self, canvas: QRectF) -> list[HitTarget]:
        """Every row, close, repeat and stop; a tap beside the card closes the panel."""
        actions: dict[str, Callable[[], None]] = {
            "close": self._close,
            "repeat": self._repeat,
            "stop": self._stop,
        }
        found = [
            HitTarget(rect, f"access:{name}", actions.get(name) or self._toggle(name))
            for name, rect in self.layout(canvas).items()
        ]
        card = self.card_rect(canvas)
        around = (  # the dimmed slide around the card: a tap there closes the panel
            QRectF(canvas.left(), canvas.top(), canvas.width(), card.top() - canvas.top()),
            QRectF(canvas.left(), card.bottom(), canvas.width(), canvas.bottom() - card.bottom()),
            QRectF(canvas.left(), card.top(), card.left() - canvas.left(), card.height()),
            QRectF(card.right(), card.top(), canvas.right() - card.right(), card.height()),
        )
        found += [HitTarget(rect, "access:outside", self._close) for rect in around]
        return found

    def _toggle(self, name: str) -> Callable[[], None]:
        return lambda: self._player.toggle_choice(name)

    def _close(self) -> None:
        self._player.set_overlay(Overlay.NONE)

    def _repeat(self) -> None:
        if self._speech is not None:
            self._speech.repeat()

    def _stop(self) -> None:
        if self._speech is not None:
            self._speech.stop()

    # --- painting --------------------------------------------------------------------------

    def paint(self, painter: QPainter, canvas: QRectF, now: float) -> None:
        """Dimmed slide, the card, its title, close, and one large row per choice."""
        theme = self._theme()
        zh = self._player.language == "zh"
        painter.save()
        backdrop = QColor(theme.background)
        backdrop.setAlphaF(1.0 if theme.solid else 0.88)
        painter.fillRect(canvas, backdrop)
        card = self.card_rect(canvas)
        painter.setPen(QPen(theme.text if theme.solid else theme.muted, 2))
        painter.setBrush(theme.surface)
        painter.drawRoundedRect(card, 28, 28)
        symbol = QRectF(card.left() + 32, card.top() + 32, 56, 56)
        paint_access_symbol(painter, symbol, theme.accent)
        fit_text(
            "无障碍选项" if zh else "Accessibility",
            QRectF(symbol.right() + 20, card.top() + 24, card.width() - 240, 52),
            theme,
            size=40,
            bold=True,
            wrap=False,
        ).draw(painter)
        fit_text(
            "Accessibility" if zh else "无障碍选项",
            QRectF(symbol.right() + 20, card.top() + 78, card.width() - 240, 34),
            theme,
            size=24,
            color=theme.muted,
            wrap=False,
        ).draw(painter)
        rects = self.layout(canvas)
        self._paint_close(painter, rects["close"], theme)
        for row in self.rows():
            self._paint_row(painter, rects[row.name], row, theme, zh)
        if "repeat" in rects:
            self._paint_button(painter, rects["repeat"], BUTTON_WORDS["repeat"], theme, zh)
            speaking = self._player.speaking
            self._paint_button(
                painter, rects["stop"], BUTTON_WORDS["stop"], theme, zh, enabled=speaking
            )
        painter.restore()

    def _paint_close(self, painter: QPainter, rect: QRectF, theme: SlideTheme) -> None:
        painter.setPen(QPen(theme.muted, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect.adjusted(6, 6, -6, -6))
        pen = QPen(theme.text, 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        inner = rect.adjusted(24, 24, -24, -24)
        painter.drawLine(inner.topLeft(), inner.bottomRight())
        painter.drawLine(inner.topRight(), inner.bottomLeft())

    def _paint_row(
        self, painter: QPainter, rect: QRectF, row: Row, theme: SlideTheme, zh: bool
    ) -> None:
        painter.setPen(QPen(theme.muted if not theme.solid else theme.text, 1.5))
        painter.setBrush(theme.background)
        painter.drawRoundedRect(rect, 20, 20)
        text_rect = rect.adjusted(28, 8, -220, -8)
        first, second = (row.zh, row.en) if zh else (row.en, row.zh)
        fit_text(
            first,
            QRectF(text_rect.left(), text_rect.top(), text_rect.width(), 48),
            theme,
            size=32,
            bold=True,
            wrap=False,
        ).draw(painter)
        fit_text(
            second,
            QRectF(text_rect.left(), text_rect.top() + 48, text_rect.width(), 32),
            theme,
            size=22,
            color=theme.muted,
            wrap=False,
        ).draw(painter)
        control = QRectF(rect.right() - 196, rect.center().y() - 26, 168, 52)
        if row.state is None:
            self._paint_play_pause(painter, control, theme)
        else:
            self._paint_switch(painter, control, row.state, theme, zh)

    def _paint_switch(
        self, painter: QPainter, rect: QRectF, on: bool, theme: SlideTheme, zh: bool
    ) -> None:
        """A switch that says its state in words too (colour is never the only cue)."""
        track = QRectF(rect.right() - 92, rect.top() + 4, 92, 44)
        painter.setPen(QPen(theme.accent if on else theme.muted, 2))
        painter.setBrush(theme.accent if on else theme.background)
        painter.drawRoundedRect(track, 22, 22)
        knob_x = track.right() - 22 if on else track.left() + 22
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.background if on else theme.muted)
        painter.drawEllipse(QPointF(knob_x, track.center().y()), 16, 16)
        words = ("开", "On") if on else ("关", "Off")
        fit_text(
            words[0] if zh else words[1],
            QRectF(rect.left(), rect.top(), rect.width() - 104, rect.height()),
            theme,
            size=26,
            bold=on,
            color=theme.text if on else theme.muted,
            align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            wrap=False,
        ).draw(painter)

    def _paint_play_pause(self, painter: QPainter, rect: QRectF, theme: SlideTheme) -> None:
        """▶ while paused (it plays), ❚❚ while playing (it pauses)."""
        disc = QRectF(rect.right() - 60, rect.center().y() - 30, 60, 60)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.accent)
        painter.drawEllipse(disc)
        painter.setBrush(theme.background)
        c = disc.center()
        if self._player.paused:
            triangle = QPainterPath()
            triangle.moveTo(c.x() - 8, c.y() - 13)
            triangle.lineTo(c.x() + 14, c.y())
            triangle.lineTo(c.x() - 8, c.y() + 13)
            triangle.closeSubpath()
            painter.drawPath(triangle)
        else:
            painter.drawRect(QRectF(c.x() - 11, c.y() - 12, 8, 24))
            painter.drawRect(QRectF(c.x() + 3, c.y() - 12, 8, 24))

    def _paint_button(
        self,
        painter: QPainter,
        rect: QRectF,
        words: tuple[str, str],
        theme: SlideTheme,
        zh: bool,
        *,
        enabled: bool = True,
    ) -> None:
        painter.setPen(QPen(theme.accent if enabled else theme.muted, 2))
        painter.setBrush(theme.background)
        painter.drawRoundedRect(rect, 20, 20)
        fit_text(
            words[0] if zh else words[1],
            rect.adjusted(16, 8, -16, -8),
            theme,
            size=30,
            bold=True,
            color=theme.text if enabled else theme.muted,
            align=ALIGN_MIDDLE,
            wrap=False,
        ).draw(painter)
