"""The key bindings: one table that drives the keyboard, the help overlay and the tests."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from kiosk.controllers import actions
from kiosk.controllers.actions import Action

K = Qt.Key


@dataclass(frozen=True)
class KeyBinding:
    """Keys that trigger one action, with the words the help overlay shows."""

    keys: tuple[Qt.Key, ...]
    labels: str  # how the keys are written in the help overlay
    action: Action
    help_zh: str
    help_en: str


KEY_BINDINGS: tuple[KeyBinding, ...] = (
    KeyBinding(
        (K.Key_Right, K.Key_Down, K.Key_PageDown, K.Key_Space, K.Key_Return, K.Key_Enter, K.Key_N),
        "→ ↓ PgDn Space Enter N",
        actions.next_slide,
        "下一张",
        "Next slide",
    ),
    KeyBinding(
        (K.Key_Left, K.Key_Up, K.Key_PageUp, K.Key_Backspace, K.Key_P),
        "← ↑ PgUp Backspace P",
        actions.previous_slide,
        "上一张",
        "Previous slide",
    ),
    KeyBinding((K.Key_Home,), "Home", actions.first_slide, "第一张", "First slide"),
    KeyBinding((K.Key_End,), "End", actions.last_slide, "最后一张", "Last slide"),
    KeyBinding(
        (K.Key_B, K.Key_Period),
        "B .",
        actions.toggle_blackout,
        "黑屏 / 恢复",
        "Black screen (toggle)",
    ),
    KeyBinding((K.Key_L,), "L", actions.toggle_language, "中文 / English", "Language"),
    KeyBinding((K.Key_O,), "O", actions.toggle_overview, "全部幻灯片", "Overview of all slides"),
    KeyBinding((K.Key_H, K.Key_Question), "H ?", actions.toggle_help, "按键说明", "This help"),
    KeyBinding((K.Key_A,), "A", actions.resume_autoplay, "恢复自动播放", "Resume autoplay"),
    KeyBinding((K.Key_Escape,), "Esc", actions.close_overlay, "关闭面板", "Close a panel"),
)
GOTO_HELP = ("1 … 9 Enter", "跳到第 N 张", "Go to slide N")
DIGIT_KEYS = {getattr(K, f"Key_{digit}"): str(digit) for digit in range(10)}
ENTER_KEYS = (K.Key_Return, K.Key_Enter)


def binding_for(key: int) -> KeyBinding | None:
    """The binding that handles `key`, if any."""
    for binding in KEY_BINDINGS:
        if key in binding.keys:
            return binding
    return None
