"""The areas an entrance says it changes (slides/changes.py) hold every pixel that changes.

The stage repaints only those areas between live entrance frames on a real screen: a pixel
changing outside them would stay stale on screen (a card without its lower half, a number
half counted) until the next whole frame. Every bundled slide that gives tracks is rendered
frame by frame through its entrance, in both languages, landscape and portrait, and with a
visitor's larger text, and each changed pixel must lie inside the area given.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QRectF, QSize, QSizeF
from PySide6.QtGui import QImage

from kiosk.content import Content
from kiosk.slides.base import FINAL
from kiosk.slides.changes import changed_between
from kiosk.slides.registry import build_view
from kiosk.slides.render import render_view

FRAME_S = 1 / 30  # every other 60 Hz frame: a window spans two, as a late frame's does
SHAPES = [QSize(1920, 1080), QSize(1080, 1920)]


def _pixels(image: QImage) -> np.ndarray:
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    return rows[:, : width * 4].view(np.uint32).copy()


def _allowed(rects: list[QRectF], size: QSize) -> np.ndarray:
    mask = np.zeros((size.height(), size.width()), dtype=bool)
    for rect in rects:  # canvas = device pixels at these sizes
        left, top = max(0, math.floor(rect.left())), max(0, math.floor(rect.top()))
        right = min(size.width(), math.ceil(rect.right()))
        bottom = min(size.height(), math.ceil(rect.bottom()))
        mask[top:bottom, left:right] = True
    return mask


def _views_with_tracks(content: Content, theme, media) -> list:
    views = [build_view(slide, theme, media) for slide in content.slides]
    canvas = QSizeF(1920, 1080)
    return [v for v in views if v.entrance_changes(canvas, "zh", 0.0, 1.0) is not None]


def _check_entrance(view, size: QSize, language: str) -> None:
    canvas = QSizeF(size)
    steps = math.ceil(view.entrance_seconds / FRAME_S)
    times = [min(view.entrance_seconds, i * FRAME_S) for i in range(steps + 1)] + [FINAL]
    image = render_view(view, size, language, entrance=0.0)
    before = _pixels(image)
    for t0, t1 in itertools.pairwise(times):
        after = _pixels(render_view(view, size, language, entrance=t1))
        changed = after != before
        rects = view.entrance_changes(canvas, language, t0, t1)
        outside = changed & ~_allowed(rects, size)
        if outside.any():
            ys, xs = np.nonzero(outside)
            pytest.fail(
                f"{view.slide.id} ({language}, {size.width()}x{size.height()}): "
                f"{int(outside.sum())} pixels changed from {t0:.3f} to {t1:.3f} s outside the "
                f"areas given, within x {xs.min()}-{xs.max()}, y {ys.min()}-{ys.max()}"
            )
        before = after


@pytest.mark.parametrize("size", SHAPES, ids=["16x9", "9x16"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_pixel_an_entrance_changes_is_in_the_areas_it_gives(
    repo_content, theme, media, size, language
) -> None:
    views = _views_with_tracks(repo_content, theme, media)
    kinds = {view.slide.type for view in views}
    assert {"text", "cards", "indicators", "timeline"} <= kinds  # all four give tracks
    for view in views:
        _check_entrance(view, size, language)


def test_with_a_visitors_larger_text_too(repo_content, theme, media) -> None:
    larger = replace(theme, text_scale=1.3)
    for view in _views_with_tracks(repo_content, larger, media):
        _check_entrance(view, QSize(1920, 1080), "zh")


def test_the_areas_are_much_less_than_the_screen_at_most_moments(
    repo_content, theme, media
) -> None:
    """What the stage gains: the share of the canvas repainted per 60 Hz frame."""
    canvas = QSizeF(1920, 1080)
    shares = []
    for view in _views_with_tracks(repo_content, theme, media):
        for i in range(math.ceil(view.entrance_seconds * 60)):
            rects = view.entrance_changes(canvas, "zh", i / 60, (i + 1) / 60)
            shares.append(_allowed(rects, QSize(1920, 1080)).mean())
    assert float(np.median(shares)) < 0.5


def test_an_ambient_view_or_one_without_tracks_changes_anywhere(repo_content, theme, media) -> None:
    views = [build_view(slide, theme, media) for slide in repo_content.slides]
    canvas = QSizeF(1920, 1080)
    for view in views:
        if view.ambient:
            assert view.entrance_changes(canvas, "zh", 0.0, 0.1) is None
    assert changed_between([], 0.0, 1.0) == []
