"""The stage's whole-screen images are reused only once nothing holds them."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter

from kiosk.ui.frame_pool import FramePool

SIZE = QSize(64, 36)


def test_an_image_nobody_holds_is_handed_out_again() -> None:
    pool = FramePool()
    first = pool.take(SIZE)
    key = first.cacheKey()
    del first
    again = pool.take(SIZE)
    assert again.cacheKey() == key  # the same pixels, not a new image
    assert pool.kept == 1


def test_an_image_still_held_is_never_painted_over() -> None:
    pool = FramePool()
    shown = pool.take(SIZE)
    shown.fill(QColor("red"))
    moving = pool.take(SIZE)
    moving.fill(QColor("blue"))
    assert shown.pixelColor(0, 0) == QColor("red")
    assert pool.kept == 2
    assert pool.free() == 0
    del moving
    assert pool.free() == 1


def test_a_held_copy_keeps_its_pixels_when_the_pool_reuses_the_image() -> None:
    pool = FramePool()
    image = pool.take(SIZE)
    image.fill(QColor("red"))
    copy = QImage(image)  # a Qt copy elsewhere shares the pixels
    del image
    reused = pool.take(SIZE)
    reused.fill(QColor("blue"))
    assert copy.pixelColor(0, 0) == QColor("red")


def test_the_pool_keeps_at_most_its_number_and_only_the_current_size() -> None:
    pool = FramePool(keep=2)
    held = [pool.take(SIZE) for _ in range(4)]
    assert len({image.cacheKey() for image in held}) == 4
    assert pool.kept == 2
    bigger = pool.take(QSize(128, 72))
    assert bigger.size() == QSize(128, 72)
    assert pool.kept == 1  # the old size is let go
    del held


def test_a_frame_with_soft_edges_shows_nothing_of_the_screen_beneath_it() -> None:
    # A canvas scaled to a screen of another shape ends on fractions of a pixel, and its
    # antialiased edge is partly transparent in a new image: drawn onto the screen, the
    # frame before would show through that edge.
    frame = FramePool().take(SIZE)
    painter = QPainter(frame)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(QRectF(0.5, 0.5, SIZE.width() - 1.0, SIZE.height() - 1.0), QColor("navy"))
    painter.end()
    screen = QImage(SIZE, QImage.Format.Format_RGB32)
    screen.fill(QColor("white"))  # the frame shown before
    painter = QPainter(screen)
    painter.drawImage(0, 0, frame)
    painter.end()
    assert screen.pixelColor(0, 0).lightness() < 40  # no white at the corner
    assert screen == frame.convertToFormat(QImage.Format.Format_RGB32)
