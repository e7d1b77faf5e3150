"""Draw the kiosk's original abstract illustrations with QPainter and save them as PNG.

Usage: python tools/make_images.py [--out DIR] [--only NAME]

Everything is drawn from code (flat shapes and gradients, no photos, no text) with fixed
random seeds, so every run produces the same pictures. Run with QT_QPA_PLATFORM=offscreen
on a machine without a display.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QRadialGradient,
    QTransform,
)

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "assets" / "images"
GALLERY_SIZE = (1600, 1000)
ICON_SIZE = 512
LOGO_SIZE = 256

NAVY = "#0b1f2a"
NAVY_LIGHT = "#143544"
TEAL = "#2ec4b6"
SKY = "#4ea8de"
GOLD = "#f4b942"
GREEN = "#8fd18a"
WHITE = "#ffffff"

Ridge = Callable[[float], float]


# --------------------------------------------------------------------------- helpers


def colour(spec: str, alpha: int = 255) -> QColor:
    """Return ``spec`` as a QColor with the given alpha."""
    result = QColor(spec)
    result.setAlpha(alpha)
    return result


def mix(a: str, b: str, t: float) -> QColor:
    """Return the colour a fraction ``t`` of the way from ``a`` to ``b``."""
    ca, cb = QColor(a), QColor(b)
    return QColor(
        round(ca.red() + (cb.red() - ca.red()) * t),
        round(ca.green() + (cb.green() - ca.green()) * t),
        round(ca.blue() + (cb.blue() - ca.blue()) * t),
    )


def new_image(width: int, height: int) -> QImage:
    """Return a transparent premultiplied ARGB image."""
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    return image


def start(image: QImage) -> QPainter:
    """Return an antialiased painter on ``image``."""
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    return painter


def no_pen(p: QPainter) -> None:
    """Switch the painter's outline off."""
    p.setPen(Qt.PenStyle.NoPen)


def line_pen(spec: str | QColor, width: float, alpha: int = 255) -> QPen:
    """Return a round-capped, round-joined pen."""
    qcolour = QColor(spec)
    if isinstance(spec, str):
        qcolour.setAlpha(alpha)
    pen = QPen(qcolour, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def vertical_gradient(y0: float, y1: float, stops: Iterable[tuple[float, str]]) -> QBrush:
    """Return a top-to-bottom linear gradient brush."""
    gradient = QLinearGradient(0, y0, 0, y1)
    for position, spec in stops:
        gradient.setColorAt(position, QColor(spec))
    return QBrush(gradient)


def fill_sky(p: QPainter, width: int, height: int, stops: Iterable[tuple[float, str]]) -> None:
    """Fill the whole canvas with a vertical gradient."""
    p.fillRect(QRectF(0, 0, width, height), vertical_gradient(0, height, stops))


def glow(p: QPainter, centre: QPointF, radius: float, spec: str, alpha: int) -> None:
    """Paint a soft radial glow that fades to nothing at ``radius``."""
    gradient = QRadialGradient(centre, radius)
    gradient.setColorAt(0.0, colour(spec, alpha))
    gradient.setColorAt(0.35, colour(spec, alpha // 2))
    gradient.setColorAt(1.0, colour(spec, 0))
    no_pen(p)
    p.setBrush(QBrush(gradient))
    p.drawEllipse(centre, radius, radius)


def sun(p: QPainter, centre: QPointF, radius: float, core: str, halo: str) -> None:
    """Paint a flat sun disc with a wide gentle halo."""
    glow(p, centre, radius * 6, halo, 110)
    glow(p, centre, radius * 2.2, halo, 150)
    no_pen(p)
    p.setBrush(QColor(core))
    p.drawEllipse(centre, radius, radius)


def make_ridge(rng: random.Random, width: float, base_y: float, amplitude: float) -> Ridge:
    """Return a smooth hill line y(x) built from a few random sine waves."""
    waves = [
        (amplitude / (i + 1), rng.uniform(0.5, 1.3) * (i + 1), rng.uniform(0, math.tau))
        for i in range(3)
    ]

    def ridge(x: float) -> float:
        """Return the hill height at ``x``."""
        t = x / width * math.tau
        return base_y - sum(a * math.sin(f * t + ph) for a, f, ph in waves)

    return ridge


def ridge_path(ridge: Ridge, width: float, bottom: float, step: float = 8) -> QPainterPath:
    """Return the closed area under ``ridge`` down to ``bottom``."""
    path = QPainterPath(QPointF(0, bottom))
    x = 0.0
    while x <= width + step:
        path.lineTo(x, ridge(x))
        x += step
    path.lineTo(width + step, bottom)
    path.closeSubpath()
    return path


def fill_ridge(p: QPainter, ridge: Ridge, width: float, bottom: float, brush: QBrush) -> None:
    """Fill the area under ``ridge``."""
    no_pen(p)
    p.setBrush(brush)
    p.drawPath(ridge_path(ridge, width, bottom))


def blob(centre: QPointF, size: float, lobes: Iterable[tuple[float, float, float]]) -> QPainterPath:
    """Return the union of circles given as (dx, dy, r) fractions of ``size``."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for dx, dy, r in lobes:
        path.addEllipse(QPointF(centre.x() + dx * size, centre.y() + dy * size), r * size, r * size)
    return path.simplified()


def shaded_fill(p: QPainter, path: QPainterPath, base: QColor, light: QColor) -> None:
    """Fill ``path`` flat, then lay a lighter crescent on its upper-left side."""
    no_pen(p)
    p.setBrush(base)
    p.drawPath(path)
    box = path.boundingRect()
    p.save()
    p.setClipPath(path)
    p.setBrush(light)
    offset = box.width() * 0.16
    p.drawEllipse(box.translated(-offset, -offset * 1.1))
    p.restore()


def round_tree(
    p: QPainter,
    x: float,
    ground: float,
    size: float,
    crown: str,
    light: str,
    trunk: str = "#6b4f3a",
) -> QPainterPath:
    """Draw a round broad-leaved tree standing on ``ground``; return its crown path."""
    trunk_w = size * 0.13
    trunk_h = size * 0.75
    no_pen(p)
    p.setBrush(QColor(trunk))
    p.drawRoundedRect(QRectF(x - trunk_w / 2, ground - trunk_h, trunk_w, trunk_h), 3, 3)
    centre = QPointF(x, ground - trunk_h - size * 0.32)
    lobes = ((0, 0, 0.5), (-0.36, 0.12, 0.36), (0.36, 0.12, 0.36), (0.02, -0.3, 0.38))
    path = blob(centre, size, lobes)
    shaded_fill(p, path, QColor(crown), QColor(light))
    return path


def tall_tree(
    p: QPainter, x: float, ground: float, size: float, crown: str, light: str
) -> QPainterPath:
    """Draw a slim columnar tree (poplar-like); return its crown path."""
    no_pen(p)
    p.setBrush(QColor("#6b4f3a"))
    p.drawRoundedRect(QRectF(x - size * 0.05, ground - size * 0.5, size * 0.1, size * 0.5), 2, 2)
    path = QPainterPath()
    rect = QRectF(x - size * 0.28, ground - size * 1.75, size * 0.56, size * 1.4)
    path.addRoundedRect(rect, size * 0.28, size * 0.28)
    shaded_fill(p, path, QColor(crown), QColor(light))
    return path


def evergreen(
    p: QPainter,
    x: float,
    ground: float,
    height: float,
    body: str,
    light: str,
    snow: str | None = None,
) -> None:
    """Draw a three-tier conifer, optionally with snow resting on each tier."""
    width = height * 0.62
    no_pen(p)
    p.setBrush(QColor("#5a4636"))
    p.drawRect(QRectF(x - height * 0.04, ground - height * 0.14, height * 0.08, height * 0.14))
    for tier in range(3):
        top = ground - height + tier * height * 0.24
        bottom = top + height * 0.42
        half = width * (0.24 + tier * 0.16)
        tri = QPolygonF([QPointF(x, top), QPointF(x + half, bottom), QPointF(x - half, bottom)])
        p.setBrush(QColor(body))
        p.drawPolygon(tri)
        p.setBrush(QColor(light))
        p.drawPolygon(QPolygonF([QPointF(x, top), QPointF(x, bottom), QPointF(x - half, bottom)]))
        if snow:
            cap = QPainterPath(QPointF(x, top))
            depth = (bottom - top) * 0.42
            cap.lineTo(x + half * 0.42, top + depth)
            cap.quadTo(x + half * 0.2, top + depth * 0.78, x, top + depth * 0.95)
            cap.quadTo(x - half * 0.2, top + depth * 0.78, x - half * 0.42, top + depth)
            cap.closeSubpath()
            p.setBrush(QColor(snow))
            p.drawPath(cap)


def skyline(
    p: QPainter,
    rng: random.Random,
    x0: float,
    x1: float,
    base: float,
    peak: float,
    body: str,
    shade: str,
    window: QColor | None = None,
) -> None:
    """Draw a row of modern towers whose heights peak towards the middle of [x0, x1]."""
    middle = (x0 + x1) / 2
    spread = (x1 - x0) / 2
    x = x0 - 20
    while x < x1:
        w = rng.uniform(38, 86)
        envelope = 0.35 + 0.65 * math.exp(-(((x + w / 2 - middle) / (spread * 0.55)) ** 2))
        h = peak * envelope * rng.uniform(0.45, 1.0)
        top = base - h
        path = QPainterPath()
        kind = rng.random()
        if kind < 0.18:
            path.moveTo(x, base)
            path.lineTo(x, top + w * 0.35)
            path.lineTo(x + w, top)
            path.lineTo(x + w, base)
        elif kind < 0.3:
            path.addRoundedRect(QRectF(x, top, w, h + 20), w * 0.45, w * 0.45)
        elif kind < 0.42:
            path.addRect(QRectF(x, top + h * 0.18, w, h * 0.82 + 1))
            path.addRect(QRectF(x + w * 0.18, top, w * 0.64, h * 0.2))
        else:
            path.addRect(QRectF(x, top, w, h + 1))
        path = path.simplified()
        no_pen(p)
        p.setBrush(QColor(body))
        p.drawPath(path)
        p.save()
        p.setClipPath(path)
        p.setBrush(QColor(shade))
        p.drawRect(QRectF(x + w * 0.62, top - w, w, h + w * 2))
        if window is not None:
            p.setPen(QPen(window, 2))
            gap = rng.choice((10, 12, 14))
            y = top + 14
            while y < base - 6:
                p.drawLine(QPointF(x + 6, y), QPointF(x + w - 6, y))
                y += gap
        p.restore()
        if rng.random() < 0.12 and h > peak * 0.6:
            p.setPen(line_pen(body, 3))
            p.drawLine(QPointF(x + w / 2, top), QPointF(x + w / 2, top - h * 0.15))
        x += w + rng.uniform(-12, 4)


def cloud(p: QPainter, x: float, y: float, size: float, alpha: int = 235) -> None:
    """Draw a soft flat cloud whose flat base sits at ``y``."""
    lobes = ((-0.55, -0.18, 0.32), (-0.12, -0.42, 0.45), (0.38, -0.28, 0.36), (0.78, -0.1, 0.22))
    path = blob(QPointF(x, y), size, lobes)
    base = QPainterPath()
    base.addRoundedRect(QRectF(x - size * 0.85, y - size * 0.3, size * 1.85, size * 0.3), 12, 12)
    path = path.united(base)
    clip = QPainterPath()
    clip.addRect(QRectF(x - size * 2, y - size * 2, size * 4, size * 2))
    path = path.intersected(clip)
    no_pen(p)
    p.setBrush(colour(WHITE, alpha))
    p.drawPath(path)
    p.save()
    p.setClipPath(path)
    p.setBrush(colour("#d6e6f2", alpha))
    p.drawRect(QRectF(x - size * 2, y - size * 0.12, size * 4, size))
    p.restore()


def mirror(p: QPainter, layer: QImage, horizon: float, height: float, opacity: float) -> None:
    """Paint ``layer``'s content above ``horizon`` flipped below it, as a reflection."""
    band = layer.copy(0, 0, layer.width(), round(horizon))
    flipped = band.flipped(Qt.Orientation.Vertical)
    p.save()
    p.setOpacity(opacity)
    p.drawImage(QRectF(0, horizon, layer.width(), height), flipped)
    p.restore()


def ripples(
    p: QPainter,
    rng: random.Random,
    area: QRectF,
    count: int,
    spec: str,
    alpha: int,
) -> None:
    """Scatter short horizontal ripple strokes, longer and thicker towards the viewer."""
    for _ in range(count):
        t = rng.random() ** 0.8
        y = area.top() + t * area.height()
        length = 18 + t * 150 * rng.uniform(0.4, 1.0)
        x = rng.uniform(area.left() - 40, area.right())
        p.setPen(line_pen(spec, 1.5 + t * 3.5, round(alpha * (0.4 + 0.6 * t))))
        p.drawLine(QPointF(x, y), QPointF(x + length, y))


def leaf_shape(centre: QPointF, length: float, angle: float) -> QPainterPath:
    """Return a pointed leaf (vesica) of ``length`` rotated by ``angle`` degrees."""
    half = length / 2
    path = QPainterPath(QPointF(-half, 0))
    path.quadTo(0, -length * 0.42, half, 0)
    path.quadTo(0, length * 0.42, -half, 0)
    transform = QTransform()
    transform.translate(centre.x(), centre.y())
    transform.rotate(angle)
    return transform.map(path)


def scatter_in(
    rng: random.Random, path: QPainterPath, count: int, tries: int = 4000
) -> list[QPointF]:
    """Return up to ``count`` random points lying inside ``path``."""
    box = path.boundingRect()
    points: list[QPointF] = []
    for _ in range(tries):
        if len(points) >= count:
            break
        point = QPointF(rng.uniform(box.left(), box.right()), rng.uniform(box.top(), box.bottom()))
        if path.contains(point):
            points.append(point)
    return points


# --------------------------------------------------------------------------- gallery


def garden_spring() -> QImage:
    """Blossoming trees on soft green hills in front of a low modern skyline."""
    rng = random.Random(101)
    w, h = GALLERY_SIZE
    image = new_image(w, h)
    p = start(image)
    fill_sky(p, w, h, ((0.0, "#a9d8ee"), (0.5, "#dff1f4"), (0.68, "#fbe7ea"), (1.0, "#fbe7ea")))
    sun(p, QPointF(1260, 190), 46, "#fff6e0", "#ffe9c7")
    cloud(p, 330, 210, 120, 200)
    cloud(p, 930, 150, 80, 170)
    skyline(p, rng, 250, 1350, 640, 300, "#b3cbd9", "#a2bccc", colour(WHITE, 60))
    far = make_ridge(rng, w, 650, 22)
    fill_ridge(p, far, w, h, vertical_gradient(600, 760, ((0, "#c7e6b5"), (1, "#b4dc9f"))))
    for i in range(22):
        x = 30 + i * 72 + rng.uniform(-18, 18)
        size = rng.uniform(24, 34)
        if rng.random() < 0.45:
            tall_tree(p, x, far(x) + 14, size, "#8fcf84", "#a9dc9b")
        else:
            round_tree(p, x, far(x) + 14, size, "#f3b8c8", "#f8d2dc", "#8c7565")
    mid = make_ridge(rng, w, 760, 30)
    fill_ridge(p, mid, w, h, vertical_gradient(700, 900, ((0, "#a8d88e"), (1, "#93cc7b"))))
    path = QPainterPath(QPointF(560, h))
    path.cubicTo(640, 930, 980, 880, 820, mid(820) + 4)
    path.cubicTo(1030, 880, 760, 940, 900, h)
    path.closeSubpath()
    no_pen(p)
    p.setBrush(QColor("#f6efe0"))
    p.drawPath(path)
    trees = sorted(
        [(rng.uniform(40, w - 40), rng.uniform(0.85, 1.25)) for _ in range(9)],
        key=lambda item: item[0],
    )
    petals = ("#f7c6d3", "#fde3ea", WHITE, "#f2a7bc")
    for x, scale in trees:
        if 620 < x < 960:
            continue
        ground = mid(x) + 70 * scale
        size = 120 * scale
        crown = round_tree(p, x, ground, size, "#f29fb7", "#f8c6d4", "#7d5a48")
        for point in scatter_in(rng, crown, 40):
            no_pen(p)
            p.setBrush(colour(rng.choice(petals), 230))
            r = rng.uniform(3, 7)
            p.drawEllipse(point, r, r)
    near = make_ridge(rng, w, 965, 18)
    fill_ridge(p, near, w, h, QBrush(QColor("#7fc171")))
    for x in range(0, w, 9):
        y = near(x)
        p.setPen(line_pen("#6db35f", 3))
        p.drawLine(QPointF(x, y + 6), QPointF(x + rng.uniform(-4, 4), y - rng.uniform(4, 16)))
    for _ in range(26):
        x, y = rng.uniform(40, w - 40), near(rng.uniform(0, w)) + rng.uniform(0, 30)
        no_pen(p)
        p.setBrush(QColor(rng.choice(("#fde3ea", WHITE, "#ffe9a8"))))
        p.drawEllipse(QPointF(x, y), 5, 5)
    for _ in range(70):
        centre = QPointF(rng.uniform(0, w), rng.uniform(150, 900))
        p.setBrush(colour(rng.choice(petals), 200))
        p.drawPath(leaf_shape(centre, rng.uniform(9, 16), rng.uniform(0, 180)))
    p.end()
    return image


def summer_upper(rng: random.Random, w: int, horizon: float) -> QImage:
    """Return the sky, skyline and tree line of the summer lake scene, above ``horizon``."""
    layer = new_image(w, round(horizon))
    p = start(layer)
    fill_sky(p, w, round(horizon), ((0.0, "#2f8fd6"), (0.7, "#8fd0f1"), (1.0, "#cdeefa")))
    sun(p, QPointF(760, 110), 48, "#fffbe8", "#fff2c2")
    cloud(p, 330, 230, 130, 230)
    cloud(p, 1180, 200, 100, 220)
    cloud(p, 1460, 330, 66, 200)
    skyline(p, rng, 520, 1500, horizon - 30, 250, "#7fb0cf", "#71a3c3", colour(WHITE, 50))
    hill = make_ridge(rng, w, horizon - 40, 25)
    fill_ridge(p, hill, w, horizon, QBrush(QColor("#4fa866")))
    greens = (("#2f8f58", "#46a86a"), ("#3b9d5a", "#56b56f"), ("#27794c", "#3a925e"))
    for i in range(40):
        x = i * 42 + rng.uniform(-10, 10)
        crown, light = rng.choice(greens)
        if rng.random() < 0.3:
            tall_tree(p, x, horizon + 4, rng.uniform(40, 56), crown, light)
        else:
            round_tree(p, x, horizon + 4, rng.uniform(44, 64), crown, light, "#4f4a3a")
    p.end()
    return layer


def lotus_pad(p: QPainter, centre: QPointF, radius: float, body: str, light: str) -> None:
    """Draw a flattened lotus leaf with a small notch, seen in perspective."""
    rect = QRectF(centre.x() - radius, centre.y() - radius * 0.38, radius * 2, radius * 0.76)
    no_pen(p)
    p.setBrush(QColor(body))
    p.drawPie(rect, 100 * 16, 340 * 16)
    p.setBrush(QColor(light))
    p.drawPie(
        rect.adjusted(radius * 0.2, radius * 0.1, -radius * 0.2, -radius * 0.1), 100 * 16, 340 * 16
    )


def lotus_flower(p: QPainter, base: QPointF, size: float) -> None:
    """Draw a simple pink lotus flower of five pointed petals on a stem."""
    p.setPen(line_pen("#3f8f5a", size * 0.08))
    p.drawLine(base, QPointF(base.x(), base.y() + size * 0.9))
    no_pen(p)
    petals = ((-62, "#f39ab4"), (62, "#f39ab4"), (-30, "#f7b6c8"), (30, "#f7b6c8"), (0, "#fcd3df"))
    for angle, spec in petals:
        p.save()
        p.translate(base)
        p.rotate(angle)
        p.setBrush(QColor(spec))
        p.drawPath(leaf_shape(QPointF(0, -size * 0.45), size * 0.9, 90))
        p.restore()


def garden_summer() -> QImage:
    """A lake under a clear blue sky, mirroring a lush tree line and skyline, with lotus."""
    rng = random.Random(202)
    w, h = GALLERY_SIZE
    horizon = 560.0
    upper = summer_upper(rng, w, horizon)
    image = new_image(w, h)
    p = start(image)
    p.drawImage(QPointF(0, 0), upper)
    water = QRectF(0, horizon, w, h - horizon)
    p.fillRect(water, vertical_gradient(horizon, h, ((0, "#6bbbe0"), (1, "#1f6f9f"))))
    mirror(p, upper, horizon, h - horizon, 0.42)
    p.fillRect(water, vertical_gradient(horizon, h, ((0, "#00000000"), (1, "#5a1f6f9f"))))
    ripples(p, rng, water.adjusted(0, 6, 0, 0), 170, WHITE, 120)
    p.fillRect(QRectF(0, horizon, w, 3), colour(WHITE, 90))
    for _ in range(14):
        x, y = rng.uniform(960, 1560), rng.uniform(800, 980)
        lotus_pad(p, QPointF(x, y), rng.uniform(38, 62), "#3e9a5c", "#55b06f")
    for x, y, size in ((1150, 820, 58), (1380, 880, 70), (1250, 935, 46)):
        lotus_flower(p, QPointF(x, y), size)
    bank = QPainterPath(QPointF(0, 860))
    bank.cubicTo(180, 850, 320, 920, 420, h)
    bank.lineTo(0, h)
    bank.closeSubpath()
    no_pen(p)
    p.setBrush(QColor("#3f9a5a"))
    p.drawPath(bank)
    for i in range(46):
        x = rng.uniform(0, 330)
        top = 870 + x * 0.3 - rng.uniform(40, 120)
        p.setPen(line_pen(rng.choice(("#2f7d48", "#4fae68", "#6cc07c")), 4))
        path = QPainterPath(QPointF(x, h))
        path.quadTo(x + 4, (top + h) / 2, x + rng.uniform(-20, 25), top)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        if i % 9 == 0:
            no_pen(p)
            p.setBrush(QColor("#8a6a46"))
            p.drawRoundedRect(QRectF(x + 4, top - 10, 9, 34), 4, 4)
    p.end()
    return image


def lamp_post(p: QPainter, x: float, ground: float, height: float) -> None:
    """Draw a slim park lamp with a warm glow."""
    p.setPen(line_pen("#4a5560", height * 0.035))
    p.drawLine(QPointF(x, ground), QPointF(x, ground - height))
    top = QPointF(x, ground - height)
    glow(p, top, height * 0.45, "#ffe3a0", 120)
    no_pen(p)
    p.setBrush(QColor("#fff1c9"))
    p.drawEllipse(top, height * 0.07, height * 0.07)


def bench(p: QPainter, x: float, ground: float, width: float) -> None:
    """Draw a simple flat park bench seen from the front."""
    no_pen(p)
    p.setBrush(QColor("#6b4a36"))
    p.drawRoundedRect(QRectF(x, ground - width * 0.32, width, width * 0.07), 3, 3)
    p.drawRoundedRect(QRectF(x, ground - width * 0.52, width, width * 0.07), 3, 3)
    p.setBrush(QColor("#3d4349"))
    for leg_x in (x + width * 0.1, x + width * 0.85):
        p.drawRect(QRectF(leg_x, ground - width * 0.55, width * 0.05, width * 0.55))


def garden_autumn() -> QImage:
    """Golden and amber trees along a winding park path with lamps and a bench."""
    rng = random.Random(303)
    w, h = GALLERY_SIZE
    image = new_image(w, h)
    p = start(image)
    fill_sky(p, w, h, ((0.0, "#bfdbe6"), (0.45, "#f3e5c8"), (0.65, "#f8dcb0"), (1, "#f8dcb0")))
    sun(p, QPointF(1180, 330), 56, "#fff1cf", "#ffd98f")
    skyline(p, rng, 150, 1450, 600, 250, "#c3c9c6", "#b6bdbb", colour(WHITE, 55))
    far = make_ridge(rng, w, 610, 18)
    fill_ridge(p, far, w, h, QBrush(QColor("#d8c27f")))
    warm = (("#f4b942", "#f8cf72"), ("#e8892f", "#f0a552"), ("#d9622b", "#e8824a"))
    for i in range(26):
        x = i * 64 + rng.uniform(-14, 14)
        crown, light = rng.choice(warm)
        round_tree(p, x, far(x) + 12, rng.uniform(26, 38), crown, light, "#7a5a40")
    ground = make_ridge(rng, w, 700, 12)
    fill_ridge(p, ground, w, h, vertical_gradient(680, h, ((0, "#c9b463"), (1, "#a99a4a"))))
    path = QPainterPath(QPointF(420, h))
    path.cubicTo(560, 880, 1080, 820, 860, ground(860) + 4)
    path.lineTo(900, ground(900) + 4)
    path.cubicTo(1200, 830, 760, 900, 820, h)
    path.closeSubpath()
    no_pen(p)
    p.setBrush(QColor("#f2e3c2"))
    p.drawPath(path)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(line_pen("#e2cda0", 5))
    p.drawPath(path)
    lamp_post(p, 560, 930, 170)
    lamp_post(p, 1000, 800, 110)
    bench(p, 1080, 905, 120)
    spots = (70, 200, 330, 1250, 1390, 1530, 470, 1150)
    for index, x in enumerate(spots):
        scale = 1.25 if index < 6 else 0.8
        foot = ground(x) + (110 if index < 6 else 40) + rng.uniform(-10, 10)
        crown, light = warm[index % 3]
        round_tree(p, x, foot, 130 * scale, crown, light, "#6a4b35")
    leaf_colours = ("#f4b942", "#e8892f", "#d9622b", "#f8cf72")
    no_pen(p)
    for _ in range(60):
        p.setBrush(colour(rng.choice(leaf_colours), 230))
        centre = QPointF(rng.uniform(0, w), rng.uniform(250, 880))
        p.drawPath(leaf_shape(centre, rng.uniform(12, 20), rng.uniform(0, 180)))
    for _ in range(90):
        p.setBrush(colour(rng.choice(leaf_colours), 220))
        centre = QPointF(rng.uniform(0, w), rng.uniform(900, 995))
        p.drawPath(leaf_shape(centre, rng.uniform(12, 20), rng.uniform(-25, 25)))
    p.end()
    return image


def bare_branch(
    p: QPainter, rng: random.Random, start_at: QPointF, angle: float, length: float, depth: int
) -> None:
    """Draw a recursive leafless branch."""
    end = QPointF(
        start_at.x() + math.cos(math.radians(angle)) * length,
        start_at.y() - math.sin(math.radians(angle)) * length,
    )
    p.setPen(line_pen("#8896a3", max(1.5, depth * 1.6)))
    p.drawLine(start_at, end)
    if depth <= 0:
        return
    for turn in (-1, 1):
        bare_branch(p, rng, end, angle + turn * rng.uniform(18, 34), length * 0.72, depth - 1)


def garden_winter() -> QImage:
    """A calm pale-blue winter park: snowy hills, evergreens, a frozen pond, light snowfall."""
    rng = random.Random(404)
    w, h = GALLERY_SIZE
    image = new_image(w, h)
    p = start(image)
    fill_sky(p, w, h, ((0.0, "#c2dcee"), (0.6, "#e6f1f8"), (1.0, "#f1f7fb")))
    sun(p, QPointF(420, 330), 52, "#fffaf0", "#fff3dc")
    skyline(p, rng, 600, 1550, 610, 260, "#bdd0df", "#b0c5d6", colour(WHITE, 70))
    far = make_ridge(rng, w, 630, 26)
    fill_ridge(p, far, w, h, vertical_gradient(580, 720, ((0, "#f3f8fc"), (1, "#dfeaf3"))))
    for i in range(30):
        x = i * 55 + rng.uniform(-12, 12)
        evergreen(p, x, far(x) + 16, rng.uniform(46, 70), "#3f7f78", "#4f948b", "#f4f9fc")
    mid = make_ridge(rng, w, 760, 34)
    fill_ridge(p, mid, w, h, vertical_gradient(700, h, ((0, "#f7fbfd"), (1, "#e4eef6"))))
    pond = QRectF(520, 790, 640, 120)
    p.setBrush(vertical_gradient(pond.top(), pond.bottom(), ((0, "#b7d6ea"), (1, "#cfe4f1"))))
    p.drawEllipse(pond)
    p.setPen(line_pen(WHITE, 4, 170))
    p.drawLine(QPointF(640, 830), QPointF(780, 830))
    p.drawLine(QPointF(860, 860), QPointF(1040, 860))
    p.drawLine(QPointF(700, 880), QPointF(760, 880))
    for x, height in ((430, 110), (1190, 95)):
        bare_branch(p, rng, QPointF(x, mid(x) + 40), 90, height, 5)
    for x, height in ((90, 260), (250, 330), (1300, 300), (1480, 250), (1390, 200)):
        evergreen(p, x, mid(x) + 80, height, "#2e6f68", "#3d877d", "#f8fbfd")
    near = make_ridge(rng, w, 965, 12)
    fill_ridge(p, near, w, h, QBrush(QColor("#f9fcfe")))
    shade = make_ridge(rng, w, 985, 8)
    fill_ridge(p, shade, w, h, QBrush(QColor("#e8f0f7")))
    no_pen(p)
    for _ in range(260):
        r = rng.uniform(1.5, 4.5)
        p.setBrush(colour(WHITE, rng.randint(150, 240)))
        p.drawEllipse(QPointF(rng.uniform(0, w), rng.uniform(0, h)), r, r)
    p.end()
    return image


def bird(p: QPainter, x: float, y: float, span: float) -> None:
    """Draw a distant bird as two soft arcs."""
    path = QPainterPath(QPointF(x - span, y))
    path.quadTo(x - span * 0.45, y - span * 0.55, x, y)
    path.quadTo(x + span * 0.45, y - span * 0.55, x + span, y)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(line_pen("#1d4e6a", 3.5, 200))
    p.drawPath(path)


def blue_sky() -> QImage:
    """A wide clear blue sky with a few clouds over a teal city skyline."""
    rng = random.Random(505)
    w, h = GALLERY_SIZE
    image = new_image(w, h)
    p = start(image)
    fill_sky(p, w, h, ((0.0, "#1e69bf"), (0.45, "#4ea8de"), (0.8, "#a9dcf2"), (1.0, "#d8f1f8")))
    sun(p, QPointF(1380, 150), 50, "#fffdf3", "#fff5cf")
    cloud(p, 300, 300, 160, 235)
    cloud(p, 820, 200, 90, 215)
    cloud(p, 1150, 420, 120, 225)
    cloud(p, 560, 520, 60, 190)
    for bird_x, bird_y, span in ((700, 330, 14), (740, 350, 10), (668, 356, 9), (1000, 280, 11)):
        bird(p, bird_x, bird_y, span)
    skyline(p, rng, 0, w, 920, 300, "#8cbcd8", "#7eb0cf", colour(WHITE, 60))
    skyline(p, rng, 100, 1500, 960, 380, "#1f6f7d", "#195d6a", colour("#bdf2ea", 55))
    hedge = make_ridge(rng, w, 950, 8)
    for i in range(70):
        x = i * 24 + rng.uniform(-6, 6)
        round_tree(p, x, hedge(x) + 40, rng.uniform(34, 46), "#2b8f6a", "#38a77c", "#2d4a46")
    p.fillRect(QRectF(0, 975, w, 25), QColor("#1f6b58"))
    p.end()
    return image


def cable_bridge(p: QPainter, deck_y: float, x0: float, x1: float, tower_x: float) -> None:
    """Draw a cable-stayed bridge silhouette with one tall pylon standing in the water."""
    ink = QColor("#1c3a4a")
    water = deck_y + 46
    no_pen(p)
    p.setBrush(ink)
    p.drawRoundedRect(QRectF(x0, deck_y, x1 - x0, 13), 4, 4)
    top = deck_y - 240
    pylon = QPolygonF(
        [
            QPointF(tower_x - 15, water),
            QPointF(tower_x - 6, top),
            QPointF(tower_x + 6, top),
            QPointF(tower_x + 15, water),
        ]
    )
    p.drawPolygon(pylon)
    for pier in (x0 + 50, x1 - 50):
        p.drawRect(QRectF(pier - 7, deck_y, 14, water - deck_y - 8))
    p.setPen(QPen(ink, 2.2))
    for i in range(1, 10):
        anchor_y = top + 10 + i * 9
        spread = i / 9
        p.drawLine(
            QPointF(tower_x, anchor_y), QPointF(tower_x - spread * (tower_x - x0 - 24), deck_y)
        )
        p.drawLine(
            QPointF(tower_x, anchor_y), QPointF(tower_x + spread * (x1 - tower_x - 24), deck_y)
        )


def river_edges(y: float, horizon: float, height: float) -> tuple[float, float]:
    """Return the left and right bank x of the clear-water river at depth ``y``."""
    t = max(0.0, (y - horizon) / (height - horizon))
    bend = 140 * math.sin(t * math.pi * 0.9)
    spread = 560 * t**1.15
    return 640 - spread + bend, 900 + spread + bend


def clear_water() -> QImage:
    """A clear teal river winding towards the viewer under a cable-stayed bridge."""
    rng = random.Random(606)
    w, h = GALLERY_SIZE
    horizon, deck = 520.0, 640.0
    image = new_image(w, h)
    p = start(image)
    fill_sky(p, w, h, ((0.0, "#7cc3e6"), (0.5, "#d8f0f6"), (1.0, "#d8f0f6")))
    sun(p, QPointF(1250, 200), 44, "#fffcf0", "#fff2cc")
    cloud(p, 360, 250, 110, 210)
    cloud(p, 900, 140, 70, 190)
    skyline(p, rng, 200, 1400, horizon, 200, "#a6c6d6", "#98bbcd", colour(WHITE, 55))
    far = make_ridge(rng, w, horizon + 4, 10)
    fill_ridge(p, far, w, h, vertical_gradient(horizon, h, ((0, "#8acb8f"), (1, "#4f9e63"))))
    greens = (("#2f8f58", "#46a86a"), ("#3b9d5a", "#56b56f"), ("#2a7f66", "#3a9a7c"))
    for i in range(40):
        x = 10 + i * 40 + rng.uniform(-8, 8)
        crown, light = rng.choice(greens)
        if x < 600:
            round_tree(p, x, horizon + 26, rng.uniform(30, 40), crown, light, "#5b4a3a")
        elif x > 940:
            tall_tree(p, x, horizon + 28, rng.uniform(28, 36), crown, light)
    top = horizon + 14
    left_edge = [QPointF(river_edges(y, horizon, h)[0], y) for y in range(round(top), h + 9, 8)]
    right_edge = [QPointF(river_edges(y, horizon, h)[1], y) for y in range(round(top), h + 9, 8)]
    river = QPainterPath(left_edge[0])
    for point in [*left_edge[1:], *reversed(right_edge)]:
        river.lineTo(point)
    river.closeSubpath()
    no_pen(p)
    p.setBrush(vertical_gradient(top, h, ((0, "#a6e6e0"), (0.45, "#3dbab4"), (1, "#1b8196"))))
    p.drawPath(river)
    p.save()
    p.setClipPath(river)
    glow(p, QPointF(1150, 760), 380, WHITE, 60)
    p.setOpacity(0.22)
    p.translate(0, 2 * (deck + 46))
    p.scale(1, -1)
    cable_bridge(p, deck, 520, 1230, 880)
    p.restore()
    p.save()
    p.setClipPath(river)
    ripples(p, rng, QRectF(0, top + 6, w, h - top), 230, WHITE, 150)
    p.restore()
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(line_pen("#eef7e8", 6))
    for edge in (left_edge, right_edge):
        p.drawPolyline(QPolygonF(edge))
    cable_bridge(p, deck, 520, 1230, 880)
    for x, y, size in ((70, 770, 130), (250, 700, 90), (120, 950, 170), (1490, 720, 110)):
        crown, light = rng.choice(greens)
        round_tree(p, x, y, size, crown, light, "#5b4a3a")
    p.end()
    return image


# --------------------------------------------------------------------------- timeline


def timeline_origin() -> QImage:
    """An aerial grid of plots: a small gold core inside a much larger teal-blue city area."""
    rng = random.Random(707)
    w, h = GALLERY_SIZE
    image = new_image(w, h)
    p = start(image)
    background = QRadialGradient(QPointF(800, 500), 900)
    background.setColorAt(0.0, QColor("#15394a"))
    background.setColorAt(1.0, QColor(NAVY))
    p.fillRect(QRectF(0, 0, w, h), QBrush(background))
    p.setPen(QPen(colour(SKY, 16), 1))
    for x in range(0, w, 44):
        p.drawLine(QPointF(x, 0), QPointF(x, h))
    for y in range(0, h, 44):
        p.drawLine(QPointF(0, y), QPointF(w, y))
    river = QPainterPath(QPointF(-20, 900))
    river.cubicTo(400, 800, 700, 1010, 1050, 915)
    river.cubicTo(1300, 850, 1450, 930, 1620, 860)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(line_pen(SKY, 34, 55))
    p.drawPath(river)
    p.setPen(line_pen(SKY, 10, 110))
    p.drawPath(river)
    centre = QPointF(800, 430)
    waves = [(rng.uniform(0.06, 0.1), rng.uniform(0, math.tau)) for _ in range(3)]

    def outer_radius(angle: float) -> float:
        """Return the city boundary's radius in direction ``angle``."""
        return 470 * (
            1 + sum(a * math.sin((i + 2) * angle + ph) for i, (a, ph) in enumerate(waves))
        )

    cell, gap, squash = 36.0, 8.0, 1.45
    pitch = cell + gap
    road_rows, road_cols = (-4, 4), (-7, 7)
    for row in range(-11, 12):
        for col in range(-18, 19):
            if row in road_rows or col in road_cols:
                continue
            middle = QPointF(centre.x() + col * pitch, centre.y() + row * pitch)
            dx, dy = middle.x() - centre.x(), middle.y() - centre.y()
            distance = math.hypot(dx, dy * squash)
            limit = outer_radius(math.atan2(dy * squash, dx))
            no_pen(p)
            if abs(row) <= 1 and abs(col) <= 1:
                p.setBrush(QColor(GOLD))
            elif distance < limit:
                if rng.random() < 0.1:
                    p.setBrush(colour(GREEN, 150))
                else:
                    t = distance / limit
                    tone = mix(TEAL, SKY, t)
                    tone.setAlpha(round(230 - 140 * t + rng.uniform(-25, 10)))
                    p.setBrush(tone)
            elif distance < limit + 100 and rng.random() < 0.3:
                p.setBrush(colour(SKY, 38))
            else:
                continue
            rect = QRectF(middle.x() - cell / 2, middle.y() - cell / 2, cell, cell)
            p.drawRoundedRect(rect, 6, 6)
    p.setPen(line_pen(TEAL, 3, 90))
    for row in road_rows:
        road_y = centre.y() + row * pitch
        p.drawLine(
            QPointF(centre.x() - 17 * pitch, road_y), QPointF(centre.x() + 17 * pitch, road_y)
        )
    for col in road_cols:
        road_x = centre.x() + col * pitch
        p.drawLine(
            QPointF(road_x, centre.y() - 10 * pitch), QPointF(road_x, centre.y() + 10 * pitch)
        )
    outline = QPainterPath()
    for step in range(241):
        angle = step / 240 * math.tau
        r = outer_radius(angle) + 30
        point = QPointF(centre.x() + math.cos(angle) * r, centre.y() + math.sin(angle) * r / squash)
        if step == 0:
            outline.moveTo(point)
        else:
            outline.lineTo(point)
    outline.closeSubpath()
    dash = line_pen(TEAL, 4, 210)
    dash.setStyle(Qt.PenStyle.DashLine)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(dash)
    p.drawPath(outline)
    for scale in (0.45, 0.72):
        ring = QTransform()
        ring.translate(centre.x(), centre.y())
        ring.scale(scale, scale)
        ring.translate(-centre.x(), -centre.y())
        p.setPen(QPen(colour(TEAL, 80), 2, Qt.PenStyle.DotLine))
        p.drawPath(ring.map(outline))
    glow(p, centre, 180, GOLD, 80)
    core = QRectF(centre.x() - 1.5 * pitch, centre.y() - 1.5 * pitch, 3 * pitch, 3 * pitch)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(line_pen(GOLD, 5))
    p.drawRoundedRect(core.adjusted(-6, -6, 6, 6), 14, 14)
    p.end()
    return image


# --------------------------------------------------------------------------- icons

STROKE = 26.0
ICON_MARGIN = 36

Draw = Callable[[QPainter], None]


def render_icon(draw: Draw, size: int, transform: QTransform) -> QImage:
    """Render ``draw`` (which works in 512-unit space) onto a transparent square."""
    image = new_image(size, size)
    p = start(image)
    p.setTransform(transform)
    draw(p)
    p.end()
    return image


def opaque_bounds(image: QImage, threshold: int = 40) -> QRectF:
    """Return the bounding box of the pixels whose alpha exceeds ``threshold``."""
    argb = image.convertToFormat(QImage.Format.Format_ARGB32)
    stride = argb.bytesPerLine()
    pixels = np.frombuffer(argb.constBits(), np.uint8).reshape(argb.height(), stride)
    alpha = pixels[:, 3 : argb.width() * 4 : 4]
    rows = np.flatnonzero((alpha > threshold).any(axis=1))
    cols = np.flatnonzero((alpha > threshold).any(axis=0))
    return QRectF(cols[0], rows[0], cols[-1] - cols[0] + 1, rows[-1] - rows[0] + 1)


def fitted_icon(draw: Draw, size: int = ICON_SIZE, margin: int = ICON_MARGIN) -> QImage:
    """Render ``draw`` centred and scaled so its ink fills the canvas minus ``margin``."""
    scale = size / ICON_SIZE
    draft = render_icon(draw, size, QTransform().scale(scale, scale))
    box = opaque_bounds(draft)
    fit = min((size - 2 * margin) / box.width(), (size - 2 * margin) / box.height())
    transform = QTransform()
    transform.translate(size / 2, size / 2)
    transform.scale(fit, fit)
    transform.translate(-box.center().x(), -box.center().y())
    transform.scale(scale, scale)
    return render_icon(draw, size, transform)


def soft_fill(spec: str, alpha: int = 45) -> QColor:
    """Return a translucent tint used to fill icon shapes."""
    return colour(spec, alpha)


def punch(p: QPainter, path: QPainterPath) -> None:
    """Erase ``path`` back to full transparency (a knock-out behind the next shape)."""
    p.save()
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
    no_pen(p)
    p.setBrush(QColor(WHITE))
    p.drawPath(path)
    p.restore()


def disc(centre: QPointF, radius: float) -> QPainterPath:
    """Return a circle as a path."""
    path = QPainterPath()
    path.addEllipse(centre, radius, radius)
    return path


def peak_information(p: QPainter) -> None:
    """A chip with circuit traces running out to network nodes."""
    body = QRectF(156, 156, 200, 200)
    p.setPen(line_pen(SKY, STROKE * 0.6))
    for i in range(4):
        offset = 184 + i * 48
        for a, b in (
            (QPointF(offset, 156), QPointF(offset, 124)),
            (QPointF(offset, 356), QPointF(offset, 388)),
            (QPointF(156, offset), QPointF(124, offset)),
            (QPointF(356, offset), QPointF(388, offset)),
        ):
            p.drawLine(a, b)
    traces = (
        ((232, 124), (232, 84), (150, 84), (110, 44)),
        ((388, 232), (428, 232), (428, 150), (460, 118)),
        ((280, 388), (280, 428), (362, 428), (402, 468)),
        ((124, 280), (84, 280), (84, 362), (52, 394)),
    )
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(line_pen(TEAL, STROKE * 0.55))
    for trace in traces:
        path = QPainterPath(QPointF(*trace[0]))
        for point in trace[1:]:
            path.lineTo(QPointF(*point))
        p.drawPath(path)
    no_pen(p)
    p.setBrush(QColor(TEAL))
    for trace in traces:
        p.drawEllipse(QPointF(*trace[-1]), 22, 22)
    p.setPen(line_pen(SKY, STROKE))
    p.setBrush(soft_fill(SKY, 60))
    p.drawRoundedRect(body, 30, 30)
    no_pen(p)
    p.setBrush(QColor(GOLD))
    p.drawRoundedRect(body.adjusted(52, 52, -52, -52), 14, 14)


def gear_path(centre: QPointF, radius: float, teeth: int, depth: float) -> QPainterPath:
    """Return a gear outline with square-ish teeth and a round hole."""
    points = []
    for i in range(teeth * 4):
        angle = i / (teeth * 4) * math.tau
        r = radius if (i % 4) in (1, 2) else radius - depth
        points.append(QPointF(centre.x() + math.cos(angle) * r, centre.y() + math.sin(angle) * r))
    path = QPainterPath()
    path.addPolygon(QPolygonF([*points, points[0]]))
    path.closeSubpath()
    return path.subtracted(disc(centre, radius * 0.36))


def peak_equipment(p: QPainter) -> None:
    """A robot arm on a gear base firing a gold laser beam at a work piece."""
    shoulder, elbow, wrist = QPointF(150, 360), QPointF(236, 160), QPointF(380, 140)
    p.setPen(line_pen(TEAL, STROKE * 0.75))
    p.setBrush(soft_fill(TEAL, 60))
    p.drawPath(gear_path(shoulder, 92, 9, 24))
    p.setPen(line_pen(SKY, STROKE))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawLine(shoulder, elbow)
    p.drawLine(elbow, wrist)
    punch(p, disc(elbow, 40))
    p.setBrush(soft_fill(SKY, 70))
    p.drawEllipse(elbow, 26, 26)
    head = QPolygonF([QPointF(350, 140), QPointF(410, 140), QPointF(396, 206), QPointF(364, 206)])
    p.setBrush(soft_fill(SKY, 90))
    p.drawPolygon(head)
    p.setPen(line_pen(GOLD, 12))
    p.drawLine(QPointF(380, 236), QPointF(380, 390))
    glow(p, QPointF(380, 410), 70, GOLD, 170)
    p.setPen(line_pen(GOLD, 9))
    for angle in (-155, -120, -60, -25):
        rad = math.radians(angle)
        a = QPointF(380 + math.cos(rad) * 26, 410 + math.sin(rad) * 26)
        b = QPointF(380 + math.cos(rad) * 52, 410 + math.sin(rad) * 52)
        p.drawLine(a, b)
    p.setPen(line_pen(TEAL, STROKE * 0.75))
    p.drawLine(QPointF(290, 428), QPointF(470, 428))


def peak_biomedicine(p: QPainter) -> None:
    """A DNA double helix beside a small hexagonal molecule."""
    top, bottom, cx, amp = 60.0, 452.0, 200.0, 84.0
    turns = 1.6

    def strand_x(y: float, phase: float) -> float:
        """Return the x of one helix strand at height ``y``."""
        return cx + amp * math.sin((y - top) / (bottom - top) * turns * math.tau + phase)

    for i in range(11):
        y = top + 24 + i * (bottom - top - 48) / 10
        p.setPen(line_pen(GOLD if i % 2 else SKY, 12))
        p.drawLine(QPointF(strand_x(y, 0), y), QPointF(strand_x(y, math.pi), y))
    for phase, spec in ((0.0, TEAL), (math.pi, SKY)):
        path = QPainterPath(QPointF(strand_x(top, phase), top))
        y = top
        while y <= bottom:
            path.lineTo(strand_x(y, phase), y)
            y += 4
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(line_pen(spec, STROKE))
        p.drawPath(path)
    hub = QPointF(382, 300)
    vertices = [
        QPointF(
            hub.x() + math.cos(math.radians(60 * k + 30)) * 58,
            hub.y() + math.sin(math.radians(60 * k + 30)) * 58,
        )
        for k in range(6)
    ]
    branch = QPointF(vertices[5].x() + 36, vertices[5].y() - 62)
    p.setPen(line_pen(TEAL, 14))
    p.setBrush(soft_fill(TEAL, 50))
    p.drawPolygon(QPolygonF(vertices))
    p.drawLine(vertices[5], branch)
    no_pen(p)
    p.setBrush(QColor(GOLD))
    for point in vertices:
        p.drawEllipse(point, 14, 14)
    p.drawEllipse(branch, 20, 20)


def person(p: QPainter, centre_x: float, head_y: float, scale: float, spec: str) -> None:
    """Draw a person as a round head above rounded shoulders."""
    p.setPen(line_pen(spec, STROKE * scale))
    p.setBrush(soft_fill(spec, 55))
    p.drawEllipse(QPointF(centre_x, head_y), 38 * scale, 38 * scale)
    shoulders = QPainterPath(QPointF(centre_x - 72 * scale, head_y + 150 * scale))
    shoulders.cubicTo(
        centre_x - 72 * scale,
        head_y + 60 * scale,
        centre_x + 72 * scale,
        head_y + 60 * scale,
        centre_x + 72 * scale,
        head_y + 150 * scale,
    )
    p.drawPath(shoulders)


def peak_services(p: QPainter) -> None:
    """Three people under a rising gold trend line of connected hubs."""
    person(p, 112, 300, 0.78, SKY)
    person(p, 400, 300, 0.78, SKY)
    punch(p, disc(QPointF(256, 262), 56))
    shoulders = QPainterPath(QPointF(170, 412))
    shoulders.cubicTo(170, 300, 342, 300, 342, 412)
    shoulders.lineTo(170, 412)
    punch(p, shoulders)
    person(p, 256, 262, 1.0, TEAL)
    trend = QPainterPath(QPointF(86, 190))
    trend.lineTo(196, 132)
    trend.lineTo(282, 160)
    trend.lineTo(410, 70)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(line_pen(GOLD, STROKE * 0.75))
    p.drawPath(trend)
    arrow = QPainterPath(QPointF(362, 66))
    arrow.lineTo(414, 66)
    arrow.lineTo(414, 118)
    p.drawPath(arrow)
    no_pen(p)
    p.setBrush(QColor(GOLD))
    for x, y in ((86, 190), (196, 132), (282, 160)):
        p.drawEllipse(QPointF(x, y), 16, 16)


def open_cooperation(p: QPainter) -> None:
    """Two overlapping circles whose shared lens glows gold."""
    left = disc(QPointF(190, 256), 140)
    right = disc(QPointF(322, 256), 140)
    no_pen(p)
    p.setBrush(soft_fill(TEAL, 60))
    p.drawPath(left)
    p.setBrush(soft_fill(SKY, 60))
    p.drawPath(right)
    p.setBrush(QColor(GOLD))
    p.drawPath(left.intersected(right))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(line_pen(TEAL, STROKE))
    p.drawPath(left)
    p.setPen(line_pen(SKY, STROKE))
    p.drawPath(right)


def open_town(p: QPainter) -> None:
    """A small town: a saw-tooth factory with a chimney, a pitched-roof house and a tree."""
    ground = 420.0
    p.setPen(line_pen(TEAL, STROKE * 0.8))
    p.drawLine(QPointF(84, 226), QPointF(84, 110))
    factory = QPainterPath(QPointF(44, ground))
    factory.lineTo(44, 250)
    for i in range(3):
        x = 44 + i * 66
        factory.lineTo(x + 66, 200)
        factory.lineTo(x + 66, 250)
    factory.lineTo(242, ground)
    p.setBrush(soft_fill(TEAL, 55))
    p.drawPath(factory)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(line_pen(SKY, 12, 190))
    smoke = QPainterPath(QPointF(90, 76))
    smoke.cubicTo(120, 56, 104, 30, 142, 22)
    p.drawPath(smoke)
    no_pen(p)
    p.setBrush(QColor(GOLD))
    for x in (86, 143, 200):
        p.drawRoundedRect(QRectF(x - 15, 306, 30, 40), 6, 6)
    house = QPainterPath(QPointF(274, ground))
    house.lineTo(274, 292)
    house.lineTo(346, 226)
    house.lineTo(418, 292)
    house.lineTo(418, ground)
    p.setPen(line_pen(SKY, STROKE * 0.8))
    p.setBrush(soft_fill(SKY, 55))
    p.drawPath(house)
    no_pen(p)
    p.setBrush(QColor(GOLD))
    p.drawRoundedRect(QRectF(326, 344, 40, 76), 8, 8)
    p.setPen(line_pen(GREEN, STROKE * 0.6))
    p.drawLine(QPointF(462, ground), QPointF(462, 356))
    p.setBrush(soft_fill(GREEN, 80))
    p.drawEllipse(QPointF(462, 310), 34, 44)
    p.setPen(line_pen(TEAL, STROKE * 0.8))
    p.drawLine(QPointF(24, ground), QPointF(500, ground))


def open_global(p: QPainter) -> None:
    """A globe with meridians and parallels, ringed by a gold orbit with a node."""
    centre, radius = QPointF(256, 256), 150.0
    orbit = QRectF(-250, -70, 500, 140)
    p.save()
    p.translate(centre)
    p.rotate(-22)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(line_pen(GOLD, STROKE * 0.6))
    p.drawEllipse(orbit)
    p.restore()
    punch(p, disc(centre, radius + STROKE))
    p.setPen(line_pen(SKY, STROKE))
    p.setBrush(soft_fill(SKY, 45))
    p.drawEllipse(centre, radius, radius)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(line_pen(SKY, STROKE * 0.5))
    p.drawEllipse(centre, radius * 0.45, radius)
    p.drawLine(QPointF(centre.x(), centre.y() - radius), QPointF(centre.x(), centre.y() + radius))
    for offset in (-0.5, 0.0, 0.5):
        y = centre.y() + offset * radius
        half = math.sqrt(radius**2 - (offset * radius) ** 2)
        p.drawLine(QPointF(centre.x() - half, y), QPointF(centre.x() + half, y))
    p.save()
    p.translate(centre)
    p.rotate(-22)
    front = QPainterPath()
    front.arcMoveTo(orbit, 180)
    front.arcTo(orbit, 180, 180)
    gap = QPainterPathStroker(line_pen(GOLD, STROKE * 1.4)).createStroke(front)
    punch(p, gap.intersected(disc(QPointF(0, 0), radius + STROKE * 0.5)))
    p.setPen(line_pen(GOLD, STROKE * 0.6))
    p.drawPath(front)
    node = QPointF(250 * math.cos(math.radians(-28)), -70 * math.sin(math.radians(-28)))
    no_pen(p)
    p.setBrush(QColor(GOLD))
    p.drawEllipse(node, 24, 24)
    p.restore()


def open_approval(p: QPainter) -> None:
    """A document with a folded corner and a gold check-mark badge."""
    sheet = QPainterPath(QPointF(110, 60))
    sheet.lineTo(310, 60)
    sheet.lineTo(380, 130)
    sheet.lineTo(380, 450)
    sheet.lineTo(110, 450)
    sheet.closeSubpath()
    p.setPen(line_pen(SKY, STROKE))
    p.setBrush(soft_fill(SKY, 50))
    p.drawPath(sheet)
    fold = QPainterPath(QPointF(310, 60))
    fold.lineTo(310, 130)
    fold.lineTo(380, 130)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(fold)
    p.setPen(line_pen(TEAL, 16))
    for y, length in ((180, 170), (236, 170), (292, 120), (348, 80)):
        p.drawLine(QPointF(156, y), QPointF(156 + length, y))
    badge = QPointF(372, 392)
    punch(p, disc(badge, 98))
    no_pen(p)
    p.setBrush(QColor(GOLD))
    p.drawEllipse(badge, 84, 84)
    tick = QPainterPath(QPointF(badge.x() - 38, badge.y() + 2))
    tick.lineTo(badge.x() - 10, badge.y() + 30)
    tick.lineTo(badge.x() + 40, badge.y() - 26)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(line_pen(NAVY, 20))
    p.drawPath(tick)


def logo_mark(p: QPainter) -> None:
    """An original mark: two overlapping peaks with a leaf rising from the summit."""
    back = QPainterPath()
    back.addPolygon(QPolygonF([QPointF(196, 170), QPointF(372, 440), QPointF(20, 440)]))
    back.closeSubpath()
    front = QPainterPath()
    front.addPolygon(QPolygonF([QPointF(330, 250), QPointF(492, 440), QPointF(168, 440)]))
    front.closeSubpath()
    p.setPen(line_pen(TEAL, 24))
    p.setBrush(QColor(TEAL))
    p.drawPath(back)
    p.setPen(line_pen(SKY, 24))
    p.setBrush(QColor(SKY))
    p.drawPath(front)
    no_pen(p)
    p.setBrush(mix(TEAL, SKY, 0.5))
    p.drawPath(back.intersected(front))
    leaf = QPainterPath(QPointF(196, 166))
    leaf.cubicTo(150, 80, 250, 0, 400, 10)
    leaf.cubicTo(410, 130, 320, 200, 196, 166)
    p.setBrush(QColor(GREEN))
    p.drawPath(leaf)
    vein = QPainterPath(QPointF(214, 150))
    vein.cubicTo(270, 110, 320, 70, 360, 46)
    punch(p, QPainterPathStroker(line_pen(WHITE, 12)).createStroke(vein))


# --------------------------------------------------------------------------- main

SCENES: dict[str, Callable[[], QImage]] = {
    "garden-spring.png": garden_spring,
    "garden-summer.png": garden_summer,
    "garden-autumn.png": garden_autumn,
    "garden-winter.png": garden_winter,
    "blue-sky.png": blue_sky,
    "clear-water.png": clear_water,
    "timeline-origin.png": timeline_origin,
}
ICONS: dict[str, tuple[Draw, int]] = {
    "peak-information.png": (peak_information, ICON_SIZE),
    "peak-equipment.png": (peak_equipment, ICON_SIZE),
    "peak-biomedicine.png": (peak_biomedicine, ICON_SIZE),
    "peak-services.png": (peak_services, ICON_SIZE),
    "open-cooperation.png": (open_cooperation, ICON_SIZE),
    "open-town.png": (open_town, ICON_SIZE),
    "open-global.png": (open_global, ICON_SIZE),
    "open-approval.png": (open_approval, ICON_SIZE),
    "logo-mark.png": (logo_mark, LOGO_SIZE),
}
NAMES = (*SCENES, *ICONS)


def make(name: str) -> QImage:
    """Draw the image called ``name``."""
    if name in SCENES:
        return SCENES[name]()
    draw, size = ICONS[name]
    return fitted_icon(draw, size, round(ICON_MARGIN * size / ICON_SIZE))


def save(image: QImage, path: Path, opaque: bool) -> None:
    """Write ``image`` as PNG, dropping the alpha channel for opaque scenes."""
    if opaque:
        image = image.convertToFormat(QImage.Format.Format_RGB888)
    else:
        image = image.convertToFormat(QImage.Format.Format_ARGB32)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), quality=0):  # format from the suffix; 0 = smallest PNG
        raise OSError(f"could not write {path}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--only", metavar="NAME", help="draw just this image (e.g. logo-mark)")
    args = parser.parse_args(argv)
    names: tuple[str, ...] = NAMES
    if args.only:
        wanted = args.only if args.only.endswith(".png") else f"{args.only}.png"
        if wanted not in NAMES:
            parser.error(f"unknown image {args.only!r}; choose from: {', '.join(NAMES)}")
        names = (wanted,)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for name in names:
        path = args.out / name
        save(make(name), path, name in SCENES)
        print(f"{path} ({path.stat().st_size:,} bytes)")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
