"""Keyboard and USB clickers: keys from the binding table, "number then Enter" to jump."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from kiosk.controllers.bindings import DIGIT_KEYS, ENTER_KEYS, binding_for
from kiosk.core.lock import StaffLock
from kiosk.core.player import Overlay, Player


class KeyboardController(QObject):
    """Turns key presses on the watched windows into Player calls."""

    def __init__(
        self, player: Player, lock: StaffLock | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._player = player
        self._lock = lock
        self._digits = ""

    @property
    def typed_number(self) -> str:
        """Digits typed so far for "number then Enter"."""
        return self._digits

    def watch(self, target: QObject) -> None:
        """Handle the keys sent to `target` (a window)."""
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Take key presses; let everything else through."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self.handle_key(event)
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            event.accept()  # keys come to us before any shortcut could act on them
            return True
        return False

    def handle_key(self, event: QKeyEvent) -> bool:
        """Act on one key press; True when it was ours."""
        key = Qt.Key(event.key())
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        ):
            return True  # Ctrl+Q, Alt+F4, Ctrl+W ... : no shortcut reaches the kiosk
        if self._player.overlay is Overlay.STAFF:
            self._player.report_user_input()
            return self._handle_keypad_key(key)
        if event.isAutoRepeat() and key not in (Qt.Key.Key_Right, Qt.Key.Key_Left):
            return True  # a held clicker button must not race through the show
        self._player.report_user_input()
        if key in DIGIT_KEYS:
            self._digits = (self._digits + DIGIT_KEYS[key])[-3:]
            return True
        if key in ENTER_KEYS and self._digits:
            number, self._digits = int(self._digits), ""
            if number >= 1:
                self._player.set_overlay(Overlay.NONE)
                self._player.go_to(number - 1)
            return True
        self._digits = ""
        binding = binding_for(key)
        if binding is None:
            return False
        binding.action(self._player)
        return True

    def _handle_keypad_key(self, key: Qt.Key) -> bool:
        """With the staff keypad open, a keyboard types the PIN; nothing else reacts."""
        if self._lock is None:
            return True
        if key in DIGIT_KEYS:
            self._lock.press_digit(DIGIT_KEYS[key])
        elif key == Qt.Key.Key_Backspace:
            self._lock.backspace()
        elif key in ENTER_KEYS:
            self._lock.submit()
        elif key == Qt.Key.Key_Escape:
            self._lock.clear()
            self._player.set_overlay(Overlay.NONE)
        return True
