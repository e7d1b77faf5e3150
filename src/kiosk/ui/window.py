"""The top-level window: full screen on a chosen screen (even without a window manager)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QScreen
from PySide6.QtWidgets import QVBoxLayout, QWidget

log = logging.getLogger(__name__)

WINDOWED_SIZE = (1280, 720)


class KioskWindow(QWidget):
    """Holds the stage; in kiosk mode frameless, on top, cursor hidden, sized to the screen."""

    def __init__(self, stage: QWidget, *, kiosk: bool) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.stage = stage
        self._may_close = not kiosk
        self.setWindowTitle("济南高新区 · Jinan High-tech Zone")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(stage)
        if kiosk:
            self.setWindowFlags(
                Qt.WindowType.Window
                | Qt.WindowType.FramelessWindowHint
                | Qt.WindowType.WindowStaysOnTopHint
            )
            self.setCursor(Qt.CursorShape.BlankCursor)
            self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)

    def allow_close(self) -> None:
        """Staff unlocked the kiosk: the next close request is honoured."""
        self._may_close = True

    def closeEvent(self, event: QCloseEvent) -> None:
        """In kiosk mode a visitor cannot close the show (Alt+F4, a window manager's close)."""
        if self._may_close:
            event.accept()
            return
        log.info("close request refused: kiosk mode (staff exit: five taps top left, then PIN)")
        event.ignore()

    def changeEvent(self, event: QEvent) -> None:
        """In kiosk mode, undo a minimise: the show stays on screen."""
        super().changeEvent(event)
        if (
            self.kiosk
            and event.type() == QEvent.Type.WindowStateChange
            and self.windowState() & Qt.WindowState.WindowMinimized
        ):
            self.setWindowState(Qt.WindowState.WindowFullScreen)

    def show_on(self, screen: QScreen | None) -> None:
        """Show on `screen`: filling it in kiosk mode, as a normal window otherwise."""
        screen = screen or QGuiApplication.primaryScreen()
        if not self.kiosk:
            self.resize(*WINDOWED_SIZE)
            if screen is not None:
                self.move(screen.availableGeometry().center() - self.rect().center())
            self.show()
            return
        if screen is not None:
            # Without a window manager showFullScreen() alone leaves a small window:
            # size it to the screen ourselves, before and after showing.
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        if screen is not None and self.geometry() != screen.geometry():
            self.setGeometry(screen.geometry())


def pick_screen(index: int | None) -> QScreen | None:
    """The screen with this index (0 = primary order), or the primary screen."""
    screens = QGuiApplication.screens()
    if index is not None and 0 <= index < len(screens):
        return screens[index]
    return QGuiApplication.primaryScreen()
