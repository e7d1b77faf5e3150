"""The staff keypad: a modal PIN pad over the show, the only way out of kiosk mode.

It paints what the StaffLock knows (dots for the typed digits, the message, the lockout
countdown) and offers one target per key; the lock decides, the Player opens and closes it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from kiosk.core.lock import StaffLock
from kiosk.core.player import Overlay, Player
from kiosk.slides.canvas import main_span
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_MIDDLE, TextBox, fit_text
from kiosk.ui.layers import HitTarget

TITLE = "员工退出 · Staff exit"
CANCEL = "取消 · Cancel"
MESSAGES = {  # StaffLock.message key -> the line shown, Chinese above English
    "": "请输入员工密码\nEnter the staff PIN",
    "wrong": "密码错误，请重试\nWrong PIN, try again",
    "short": "密码为 4–12 位数字\nThe PIN has 4–12 digits",
    "locked": "已锁定，请 {seconds} 秒后再试\nLocked: try again in {seconds} s",
    "no_pin": "未设置员工密码：请运行 kiosk set-pin\nNo PIN set: run kiosk set-pin",
}
WARNING_MESSAGES = {"wrong", "locked", "no_pin"}
DISABLED_WHEN_LOCKED = frozenset("0123456789") | {"ok"}
KEY_ROWS = (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("back", "0", "ok"))
LOCKOUT_FRAME_MS = 250  # the countdown changes once a second; 4 Hz keeps it on time

# Panel geometry in canvas pixels at full size; the panel shrinks on short canvases,
# but never so far that a key gets smaller than MIN_KEY.
INNER_WIDTH = 520.0
PADDING = 40.0
TITLE_HEIGHT = 60.0
DOTS_HEIGHT = 64.0
MESSAGE_HEIGHT = 84.0
KEY_HEIGHT = 104.0
KEY_GAP = 16.0
CANCEL_HEIGHT = 88.0
SECTION_GAP = 20.0
CANVAS_MARGIN = 24.0
MIN_KEY = 96.0
DOT_RADIUS = 10.0
DOT_PITCH = 34.0
RADIUS = 28.0
BACKDROP_ALPHA = 0.78


@dataclass(frozen=True)
class KeypadLayout:
    """Where everything of the keypad goes on one canvas."""

    scale: float
    panel: QRectF
    title: QRectF
    dots: QRectF
    message: QRectF
    keys: tuple[tuple[str, QRectF], ...]  # key name ("0".."9", "back", "ok") and its rect
    cancel: QRectF


def natural_height() -> float:
    """Height of the panel at full size."""
    keys = 4 * KEY_HEIGHT + 3 * KEY_GAP
    sections = TITLE_HEIGHT + DOTS_HEIGHT + MESSAGE_HEIGHT + keys + CANCEL_HEIGHT
    return 2 * PADDING + sections + 4 * SECTION_GAP


def keypad_layout(canvas: QRectF) -> KeypadLayout:
    """Lay the panel out centred on `canvas` (any shape; on a wall, in the seam-free part
    nearest the centre)."""
    span = main_span(canvas)
    width = INNER_WIDTH + 2 * PADDING
    height = natural_height()
    fit = min(
        (span.width() - 2 * CANVAS_MARGIN) / width,
        (canvas.height() - 2 * CANVAS_MARGIN) / height,
    )
    scale = max(min(1.0, fit), MIN_KEY / KEY_HEIGHT)
    panel = QRectF(0, 0, width * scale, height * scale)
    panel.moveCenter(span.center())
    left = panel.left() + PADDING * scale
    inner = INNER_WIDTH * scale
    y = panel.top() + PADDING * scale

    def section(height: float) -> QRectF:
        nonlocal y
        rect = QRectF(left, y, inner, height * scale)
        y += (height + SECTION_GAP) * scale
        return rect

    title = section(TITLE_HEIGHT)
    dots = section(DOTS_HEIGHT)
    message = section(MESSAGE_HEIGHT)
    key_width = (inner - 2 * KEY_GAP * scale) / 3
    keys: list[tuple[str, QRectF]] = []
    for row, names in enumerate(KEY_ROWS):
        top = y + row * (KEY_HEIGHT + KEY_GAP) * scale
        for column, name in enumerate(names):
            x = left + column * (key_width + KEY_GAP * scale)
            keys.append((name, QRectF(x, top, key_width, KEY_HEIGHT * scale)))
    y += (4 * KEY_HEIGHT + 3 * KEY_GAP + SECTION_GAP) * scale
    cancel = QRectF(left, y, inner, CANCEL_HEIGHT * scale)
    return KeypadLayout(scale, panel, title, dots, message, tuple(keys), cancel)


class StaffKeypadLayer:
    """The PIN keypad, shown while the Player's overlay is STAFF; it takes every tap."""

    def __init__(
        self,
        player: Player,
        lock: StaffLock,
        theme_getter: Callable[[], SlideTheme],
        clock: Callable[[], float],
    ) -> None:
        """`clock` must be the StaffLock's clock: the countdown is read from it."""
        self._player = player
        self._lock = lock
        self._theme_getter = theme_getter
        self._clock = clock
        player.overlay_changed.connect(self._on_player_overlay_changed)

    # --- the Layer protocol ----------------------------------------------------------------

    def visible(self) -> bool:
        """Only while the staff overlay is open."""
        return self._player.overlay is Overlay.STAFF

    def modal(self) -> bool:
        """Nothing below the keypad is reachable."""
        return True

    def frame_interval(self, now: float) -> int:
        """A few frames a second while the lockout countdown runs, else none."""
        return LOCKOUT_FRAME_MS if self._locked_seconds() > 0 else 0

    def paint(self, painter: QPainter, canvas: QRectF, now: float) -> None:
        """Backdrop, panel, dots, message, keys and Cancel, in canvas coordinates."""
        theme = self._theme_getter()
        layout = keypad_layout(canvas)
        locked = self._locked_seconds() > 0
        painter.save()
        backdrop = QColor(0, 0, 0)
        backdrop.setAlphaF(BACKDROP_ALPHA)
        painter.fillRect(canvas, backdrop)
        self._paint_panel(painter, layout, theme)
        self._paint_dots(painter, layout, theme, 0 if locked else self._lock.entered_length)
        self._paint_keys(painter, layout, theme, locked)
        for name, box in self._named_boxes(layout, theme):
            box.draw(painter, opacity=0.35 if locked and name in DISABLED_WHEN_LOCKED else 1.0)
        painter.restore()

    def targets(self, canvas: QRectF) -> list[HitTarget]:
        """One target per key and Cancel, named "keypad:<key>"."""
        layout = keypad_layout(canvas)
        targets = [
            HitTarget(rect, f"keypad:{name}", self._action_for(name)) for name, rect in layout.keys
        ]
        targets.append(HitTarget(layout.cancel, "keypad:cancel", self._on_cancel_tapped))
        return targets

    # --- what paint draws (tests read it too) ----------------------------------------------

    def message_text(self) -> str:
        """The message line for the lock's state, both languages."""
        key = self._lock.message
        seconds = math.ceil(self._locked_seconds())
        return MESSAGES.get(key, MESSAGES["wrong"]).format(seconds=seconds)

    def text_boxes(self, canvas: QRectF) -> list[TextBox]:
        """Every piece of text on the keypad, laid out to fit its box."""
        return [box for _, box in self._named_boxes(keypad_layout(canvas), self._theme_getter())]

    def _named_boxes(self, layout: KeypadLayout, theme: SlideTheme) -> list[tuple[str, TextBox]]:
        scale = layout.scale
        warning = self._lock.message in WARNING_MESSAGES
        message_color = theme.accent2 if warning else theme.muted
        boxes = [
            (
                "title",
                fit_text(
                    TITLE, layout.title, theme, size=40 * scale, bold=True, align=ALIGN_MIDDLE
                ),
            ),
            (
                "message",
                fit_text(
                    self.message_text(),
                    layout.message,
                    theme,
                    size=26 * scale,
                    min_size=16 * scale,
                    color=message_color,
                    align=ALIGN_MIDDLE,
                ),
            ),
        ]
        for name, rect in layout.keys:
            if name == "back":
                continue  # drawn as an icon: the bundled font has no ⌫
            ok = name == "ok"
            label = fit_text(
                "OK" if ok else name,
                rect,
                theme,
                size=(36 if ok else 48) * scale,
                bold=ok,
                color=theme.background if ok else theme.text,
                align=ALIGN_MIDDLE,
                wrap=False,
            )
            boxes.append((name, label))
        boxes.append(
            (
                "cancel",
                fit_text(
                    CANCEL, layout.cancel, theme, size=32 * scale, align=ALIGN_MIDDLE, wrap=False
                ),
            )
        )
        return boxes

    # --- painting --------------------------------------------------------------------------

    def _paint_panel(self, painter: QPainter, layout: KeypadLayout, theme: SlideTheme) -> None:
        border = QColor(theme.muted)
        border.setAlphaF(0.3)
        painter.setPen(QPen(border, 2))
        painter.setBrush(theme.surface)
        radius = RADIUS * layout.scale
        painter.drawRoundedRect(layout.panel, radius, radius)

    def _paint_dots(
        self, painter: QPainter, layout: KeypadLayout, theme: SlideTheme, count: int
    ) -> None:
        scale = layout.scale
        field = layout.dots
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.background)
        painter.drawRoundedRect(field, field.height() / 2, field.height() / 2)
        pitch = DOT_PITCH * scale
        x = field.center().x() - pitch * (count - 1) / 2
        painter.setBrush(theme.text)
        for _ in range(count):
            painter.drawEllipse(
                QPointF(x, field.center().y()), DOT_RADIUS * scale, DOT_RADIUS * scale
            )
            x += pitch

    def _paint_keys(
        self, painter: QPainter, layout: KeypadLayout, theme: SlideTheme, locked: bool
    ) -> None:
        radius = 18 * layout.scale
        for name, rect in layout.keys:
            painter.setOpacity(0.35 if locked and name != "back" else 1.0)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.accent if name == "ok" else theme.background)
            painter.drawRoundedRect(rect, radius, radius)
            if name == "back":
                self._paint_backspace(painter, rect, theme.text, layout.scale)
        painter.setOpacity(1.0)
        outline = QColor(theme.muted)
        outline.setAlphaF(0.6)
        painter.setPen(QPen(outline, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(layout.cancel, radius, radius)

    @staticmethod
    def _paint_backspace(painter: QPainter, key: QRectF, color: QColor, scale: float) -> None:
        """A "delete left" key cap: an arrow-shaped tag with a cross."""
        width, height = 56 * scale, 36 * scale
        box = QRectF(0, 0, width, height)
        box.moveCenter(key.center())
        tip = height / 2
        tag = QPainterPath(QPointF(box.left(), box.center().y()))
        tag.lineTo(box.left() + tip, box.top())
        tag.lineTo(box.right(), box.top())
        tag.lineTo(box.right(), box.bottom())
        tag.lineTo(box.left() + tip, box.bottom())
        tag.closeSubpath()
        painter.setPen(
            QPen(
                color,
                3 * scale,
                Qt.PenStyle.SolidLine,
                Qt.PenCapStyle.RoundCap,
                Qt.PenJoinStyle.RoundJoin,
            )
        )
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(tag)
        cross = height * 0.22
        centre = QPointF(box.left() + tip + (width - tip) / 2, box.center().y())
        painter.drawLine(centre + QPointF(-cross, -cross), centre + QPointF(cross, cross))
        painter.drawLine(centre + QPointF(-cross, cross), centre + QPointF(cross, -cross))

    # --- actions ---------------------------------------------------------------------------

    def _action_for(self, name: str) -> Callable[[], None]:
        if name == "back":
            return self._lock.backspace
        if name == "ok":
            return self._on_ok_tapped
        return partial(self._lock.press_digit, name)

    def _on_ok_tapped(self) -> None:
        self._lock.submit()

    def _on_cancel_tapped(self) -> None:
        self._lock.clear()
        self._player.set_overlay(Overlay.NONE)

    def _on_player_overlay_changed(self, overlay: str) -> None:
        # Opening starts from an empty field; closing (Cancel, idle reset) forgets the digits.
        if overlay == Overlay.STAFF.value or self._lock.entered_length:
            self._lock.clear()

    def _locked_seconds(self) -> float:
        return self._lock.lockout_remaining(self._clock()) if self.visible() else 0.0
