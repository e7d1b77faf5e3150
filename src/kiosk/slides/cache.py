"""Still parts of slides as device-pixel images, rendered once per scale and copied each frame.

Qt rasterises text above ~64 device pixels as paths and fills gradients pixel by pixel, so at
4K repainting them costs several times more than an unscaled copy of their image (`kiosk
bench` prints each slide type's first render, which makes them, beside its next).
"""

from __future__ import annotations

import itertools
import math
from collections import OrderedDict
from collections.abc import Callable, Hashable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform

from kiosk.slides.theme import SlideTheme

LAYER_BUDGET_BYTES = 96 * 1024 * 1024  # every cached layer of every view: ~3 full 4K screens
Paint = Callable[[QPainter], None]


class ImageStore:
    """Cached images within a budget of bytes; the least recently used go first past it."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.images: OrderedDict[Hashable, QImage] = OrderedDict()
        self.size = 0

    def get(self, key: Hashable) -> QImage | None:
        image = self.images.get(key)
        if image is not None:
            self.images.move_to_end(key)
        return image

    def put(self, key: Hashable, image: QImage) -> None:
        old = self.images.pop(key, None)
        if old is not None:
            self.size -= old.sizeInBytes()
        self.images[key] = image
        self.size += image.sizeInBytes()
        self.trim()

    def trim(self) -> None:
        """Drop the least recently used images until the store fits its budget."""
        while self.size > self.budget and len(self.images) > 1:
            _, dropped = self.images.popitem(last=False)
            self.size -= dropped.sizeInBytes()


_STORE = ImageStore(LAYER_BUDGET_BYTES)


def set_budget_for_screen(width: int, height: int, busiest: int = 0) -> None:
    """Size the shared budget to the screen: five full screens of pixels (at least 48 MiB),
    and at least the images the busiest slide takes turns with (`busiest` bytes, a gallery's
    plates) plus three screens for its background, text and the slides next to it. Below
    that, a gallery cycling through its pictures would re-make each one at its turn: 8
    pictures at 4K are ~136 MiB of plates, and re-making one makes a late frame (`kiosk bench
    --display` counts them).

    A 1080p kiosk then keeps up to 48 MiB of cached images, a 4K one ~158 MiB, more only for
    content that needs it.
    """
    screen = width * height * 4
    _STORE.budget = max(48 * 1024 * 1024, 5 * screen, busiest + 3 * screen)
    _STORE.trim()


def store_bytes() -> int:
    """Bytes of pixels in the shared image store now (for `kiosk bench`)."""
    return _STORE.size


def cached_image(key: Hashable, make: Callable[[], QImage | None]) -> QImage | None:
    """An image from the shared, budgeted store, made by `make` when it is not there.

    Pre-scaled pictures (gallery plates) live here too, so every cached image of every
    view shares one memory budget instead of growing with the number of slides.
    """
    found = _STORE.get(("image", key))
    if found is not None:
        return found
    made = make()
    if made is not None:
        _STORE.put(("image", key), made)
    return made


_OWNERS = itertools.count()


class LayerCache:
    """Device-pixel images of a view's still parts, made once per scale and copied each frame.

    Qt rasterises text above ~64 device px as paths and fills gradients pixel by pixel, so at
    4K repainting them costs several times more than an unscaled copy of their image. Copies
    land on whole device pixels (invisible, and it keeps the copy unscaled).
    """

    def __init__(self) -> None:
        self._owner = next(_OWNERS)

    def draw(
        self,
        painter: QPainter,
        key: Hashable,
        rect: QRectF,
        paint: Paint,
        *,
        opacity: float = 1.0,
        offset: QPointF | None = None,
        shared: bool = False,
    ) -> None:
        """Show what `paint` draws inside canvas `rect`, from the cache, faded and moved."""
        if opacity <= 0.0 or rect.isEmpty():
            return
        shift = offset if offset is not None else QPointF()
        device = painter.deviceTransform()
        painter.save()
        painter.setOpacity(painter.opacity() * min(1.0, opacity))
        if not is_plain_scale(device):  # rotated or sheared: no pixel grid to match
            painter.translate(shift)
            paint(painter)
            painter.restore()
            return
        painter.resetTransform()
        own = painter.deviceTransform()  # the paint device's own ratio (HiDPI widgets)
        scale, ratio = device.m11(), own.m11()
        full_key = (
            key if shared else (self._owner, key),
            round(scale, 4),
            round(ratio, 4),
            rect.x(),
            rect.y(),
            rect.width(),
            rect.height(),
        )
        image = _STORE.get(full_key)
        if image is None:
            image = _render_layer(rect, scale, paint)
            image.setDevicePixelRatio(ratio)
            _STORE.put(full_key, image)
        draw_on_device_pixels(painter, device.map(rect.topLeft() + shift), image)
        painter.restore()

    def draw_background(
        self,
        painter: QPainter,
        rect: QRectF,
        theme: SlideTheme,
        paint: Paint,
        *,
        key: Hashable | None = None,
    ) -> None:
        """The view's background; without `key` it is the plain themed one, shared by views."""
        if key is None:
            colours = tuple(color.rgba() for color in (theme.background, theme.accent))
            self.draw(painter, ("background", colours, theme.solid), rect, paint, shared=True)
        else:
            self.draw(painter, key, rect, paint)


def draw_on_device_pixels(painter: QPainter, corner: QPointF, image: QImage) -> None:
    """Copy `image` unscaled with its top-left corner at device position `corner`, rounded
    to a whole device pixel (no resampling). Resets the painter's transform: save first."""
    painter.resetTransform()
    own = painter.deviceTransform()  # the paint device's own ratio (HiDPI widgets)
    if image.devicePixelRatio() != own.m11():
        image.setDevicePixelRatio(own.m11())
    inverse, _ = own.inverted()
    painter.drawImage(inverse.map(QPointF(round(corner.x()), round(corner.y()))), image)


def is_plain_scale(transform: QTransform) -> bool:
    """True for an upright, unrotated, equal scale: images copy onto its pixel grid."""
    return (
        transform.type().value <= QTransform.TransformationType.TxScale.value
        and transform.m11() > 0
        and abs(transform.m11() - transform.m22()) < 1e-9
    )


def _render_layer(rect: QRectF, scale: float, paint: Paint) -> QImage:
    image = QImage(
        max(1, math.ceil(rect.width() * scale)),
        max(1, math.ceil(rect.height() * scale)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )
    painter.scale(scale, scale)
    painter.translate(-rect.x(), -rect.y())
    paint(painter)
    painter.end()
    return image
