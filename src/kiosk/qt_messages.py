"""Qt's messages without the known noise: what QtMultimedia says every time it starts.

A kiosk's log is read by staff; lines that are always there teach them to skip lines. Qt's
multimedia backend search (no pipewire here), and the one-time note that video frames are
converted on the CPU (the stage converts them itself, on purpose), are always there. Everything
else Qt says still reaches stderr (and so the journal) as before. QT_LOGGING_RULES, when set,
still decides the rest, for whoever debugs.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger("qt")

NOISE_RULES = "qt.multimedia.*=false"  # backend search: "Couldn't load pipewire-0.3 library"
NOISE_MESSAGES = ("No RHI backend. Using CPU conversion.",)  # QtMultimedia, default category

_installed = False


def quiet_known_noise() -> None:
    """Drop Qt's known-harmless startup lines (once per process; before Qt is used)."""
    global _installed
    if _installed:
        return
    _installed = True
    os.environ.setdefault("QT_LOGGING_RULES", NOISE_RULES)
    from PySide6.QtCore import qFormatLogMessage, qInstallMessageHandler

    previous = None

    def handler(kind, context, message):  # type: ignore[no-untyped-def]
        if any(noise in message for noise in NOISE_MESSAGES):
            log.debug("%s", message)
            return
        if previous is not None:
            previous(kind, context, message)
        else:
            print(qFormatLogMessage(kind, context, message), file=sys.stderr, flush=True)

    previous = qInstallMessageHandler(handler)
