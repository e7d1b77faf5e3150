"""PySide6 6.12.0 drops references to None/True/False on Qt calls and aborts CPython 3.11.

A kiosk runs for months: this guards the pinned release. Run in a child process so that a bad
release fails this test with its fatal error instead of killing the whole test session.
"""

from __future__ import annotations

import os
import subprocess
import sys

CANARY = r"""
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
class Emitter(QObject):
    fired = Signal(int)
emitter = Emitter()
emitter.fired.connect(lambda value: None)
label = QLabel()

def calls(n):
    for i in range(n):
        emitter.fired.emit(i)
        label.setText("x")
        label.isVisible()
        label.setVisible(False)
        label.parent()

calls(100)  # warm-up: caches and interned results settle first
before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
calls(50_000)
after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
print("drift", *(a - b for a, b in zip(after, before)))
"""


def test_50000_qt_calls_leave_none_true_false_refcounts_unchanged() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", CANARY], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, f"the canary crashed:\n{result.stderr[-2000:]}"
    assert "drift 0 0 0" in result.stdout, result.stdout + result.stderr[-2000:]


def test_the_installed_pyside6_is_the_pinned_release() -> None:
    import PySide6

    assert PySide6.__version__ == "6.11.3"


def test_addons_match_the_pinned_essentials() -> None:
    """Addons (QtMultimedia, QtTextToSpeech) must be the very release of Essentials: a mismatch
    loads two different Qt builds into one process."""
    from importlib.metadata import version

    assert version("PySide6-Addons") == version("PySide6-Essentials") == "6.11.3"
