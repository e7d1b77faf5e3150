"""Qt objects made in Python that Qt's own threads touch: settle their virtuals first.

An object made in Python is a PySide wrapper: every C++ virtual it has (`connectNotify`,
`disconnectNotify`, ...) first asks Python whether a subclass overrides it, and asking needs
the GIL, until the answer "no override" is cached on the object after the first call. Qt's
multimedia engine tears its renderers down on its own threads: a renderer being destroyed
disconnects from our QAudioOutput (or player, or sink) and calls that object's
`disconnectNotify` while it holds the connection lock. If that is the first call, the render
thread waits for the GIL, and the GUI thread, which holds the GIL while `QMediaPlayer.stop()`
waits for the same lock, waits for the render thread: the show freezes for good. It happened
on the first film with sound that stopped (tests/ui/test_films.py hung in CI).

`settle_notify_overrides` makes each virtual's first call here, on the GUI thread, once, so the
engine's threads find the answer cached and never ask for the GIL.
"""

from __future__ import annotations

from PySide6.QtCore import SIGNAL, SLOT, QMetaMethod, QObject


def settle_notify_overrides(*objects: QObject) -> None:
    """Call `connectNotify` and `disconnectNotify` of each object once, from this thread, by
    connecting one of its signals to a throwaway receiver and disconnecting it."""
    receiver = QObject()
    for obj in objects:
        signal = _first_signal(obj)
        QObject.connect(obj, SIGNAL(signal), receiver, SLOT("deleteLater()"))
        QObject.disconnect(obj, SIGNAL(signal), receiver, SLOT("deleteLater()"))


def _first_signal(obj: QObject) -> str:
    """The signature of the first signal `obj`'s own class declares (QObject's as a fallback)."""
    meta = obj.metaObject()
    for index in range(meta.methodCount() - 1, -1, -1):
        method = meta.method(index)
        if method.methodType() == QMetaMethod.MethodType.Signal:
            return bytes(method.methodSignature().data()).decode()
    return "destroyed()"
