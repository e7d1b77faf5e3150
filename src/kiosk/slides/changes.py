"""Where an entrance changes the slide between two moments: the stage repaints only there.

At 4K every live entrance frame repainted and handed the X server the whole 33 MB screen,
though at most moments one card rises or one number counts. A view that knows its elements'
moves gives each as a `Track`: the canvas area it can paint into while it moves, and the
seconds of the entrance in which it moves (before them it is not drawn yet, after them it
stands still). `changed_between(tracks, t0, t1)` is the area to repaint to go from the frame
at `t0` to the one at `t1`.

Tracks are generous (each covers its element's whole path, plus a margin for antialiasing),
and `tests/slides/test_entrance_changes.py` renders every bundled slide's entrance frame by
frame and fails when any pixel changes outside the area given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QRectF

from kiosk.slides.typeset import SPRITE_PAD, TextBox

MARGIN = 4.0  # canvas px round every track: antialiased edges and whole-pixel rounding


@dataclass(frozen=True)
class Track:
    """An element that moves (or fades) inside `rect` from `start` to `end` seconds into
    the entrance and is constant before and after."""

    rect: QRectF
    start: float
    end: float


def track(rect: QRectF, start: float, end: float) -> Track:
    """A track over `rect` with the margin added."""
    return Track(rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN), start, end)


def text_reach(box: TextBox | None, *, dx: float = 0.0, dy: float = 0.0) -> QRectF:
    """The canvas area `box`'s text covers drawn anywhere between no offset and (dx, dy)."""
    if box is None or not box.text:
        return QRectF()
    used = box.used_rect().adjusted(-SPRITE_PAD, -SPRITE_PAD, SPRITE_PAD, SPRITE_PAD)
    return used.united(used.translated(dx, dy))


def text_track(
    box: TextBox | None, start: float, end: float, *, dx: float = 0.0, dy: float = 0.0
) -> list[Track]:
    """The track of a text box that fades in from (dx, dy) away; none for no box."""
    if box is None or not box.text:
        return []
    return [track(text_reach(box, dx=dx, dy=dy), start, end)]


def united(rects: Iterable[QRectF]) -> QRectF:
    """The bounding rect of `rects` (empty ones ignored)."""
    found = QRectF()
    for rect in rects:
        if not rect.isEmpty():
            found = rect if found.isEmpty() else found.united(rect)
    return found


def changed_between(tracks: Iterable[Track], t0: float, t1: float) -> list[QRectF]:
    """The areas of the tracks that move at some moment between `t0` and `t1`."""
    low, high = min(t0, t1), max(t0, t1)
    return [t.rect for t in tracks if t.start < high and t.end > low and not t.rect.isEmpty()]
