"""Whole-screen images the stage renders into, reused once nothing holds them any more.

The stage renders whole-screen images at every move (the outgoing and incoming slides of a
transition), after it (the settled slide) and at still moments (the neighbours). kiosk.memory
keeps such large blocks in their own mappings, so a new one is fresh memory: at 3840x2160 the
first write to its 33 MB costs 12-25 ms of page faults on the 2-core test machine, more than
painting into it (a copy of a 4K frame into an image already written once: ~3 ms). Paid at a
key press, that was a late frame at the start of every transition (`kiosk bench --display`).

The pool keeps the images it made (at most KEEP, of the current size) and hands one out again
once no Python object refers to it any more: the stage keeps images only in plain
attributes, so a reference count tells whether one is still shown, moving or prepared. A Qt
copy made elsewhere shares the pixels until written; painting into the pooled image then
copies them first (Qt's copy-on-write), so a holder never sees its image change.

The images are ARGB32_Premultiplied, filled opaque once when made. An opaque RGB32 image is
drawn onto the screen with one memcpy per row, and glibc's memcpy (`rep movsb` on this
machine's AMD EPYC) slows 3-6x when the destination row starts a few bytes past the
source row modulo 4096: the slide transition drew its incoming image at such a shift in
its last frames (5-7 px from the edge, against the window's page-aligned X shared-memory
buffer) and now and then mid-push, 10-34 ms instead of 3-5 (a late frame at 4K). Qt blends
premultiplied pixels with its own vector loop, which copies opaque pixels at the same
speed at every shift (in a 4K window on Xvfb: 2.7-3.6 ms per image at shifts 0-15 px,
against 2.8-27 ms for RGB32; a run of ten pushes: worst transition paint 34 ms -> 10 ms).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

KEEP = 5  # a settled image, a transition's two, both prepared neighbours
FORMAT = QImage.Format.Format_ARGB32_Premultiplied  # see above: no slow shifts
OPAQUE = QColor(0, 0, 0)  # a new image starts opaque: soft edges never let old frames through
_UNHELD = sys.getrefcount(object()) + 2  # an argument, the pool's list and its loop variable


class FramePool:
    """Images of one size for the stage's renders, reused when no longer referenced."""

    def __init__(self, keep: int = KEEP) -> None:
        self._keep = keep
        self._images: list[QImage] = []

    @property
    def kept(self) -> int:
        """Images the pool keeps (in use or free)."""
        return len(self._images)

    def free(self) -> int:
        """Kept images nobody holds now."""
        return sum(1 for image in self._images if sys.getrefcount(image) <= _UNHELD)

    def take(self, size: QSize, ratio: float = 1.0) -> QImage:
        """An image of `size` device pixels whose old pixels are to be painted over: a kept
        one that nobody holds, else a new one (kept while the pool has room)."""
        for image in self._images:
            if image.size() == size and sys.getrefcount(image) <= _UNHELD:
                image.setDevicePixelRatio(ratio)
                return image
        self._images = [image for image in self._images if image.size() == size]
        made = QImage(size, FORMAT)
        made.fill(OPAQUE)
        made.setDevicePixelRatio(ratio)
        if len(self._images) < self._keep:
            self._images.append(made)
        return made

    def clear(self) -> None:
        """Forget the kept images (the ones still held live on with their holders)."""
        self._images.clear()
