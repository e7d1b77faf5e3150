"""Touch heat maps: where fingers went down on a slide, as a blurred density coloured with
pyqtgraph's "inferno" map over the slide's exported picture (dimmed so the colours read).

Positions are fractions of the canvas, so every touch made on one layout (language, canvas
shape, text scale, release) lands on the same spot of the picture.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

CELL_PX = 8  # density grid cell, in picture pixels
SIGMA_CANVAS = 36.0  # blur radius in canvas pixels: about a fingertip on a 1080p panel
MAX_DOTS = 400  # each touch is also marked as a dot when there are no more than this
DIM = 0.45  # how much the picture is darkened under the colours


def density(
    points: Sequence[tuple[float, float]], columns: int, rows: int, sigma_cells: float
) -> np.ndarray:
    """Touches per grid cell (points in 0..1 of the canvas), blurred by a Gaussian."""
    grid = np.zeros((rows, columns), dtype=float)
    for x, y in points:
        column = min(columns - 1, max(0, int(x * columns)))
        row = min(rows - 1, max(0, int(y * rows)))
        grid[row, column] += 1.0
    radius = max(1, round(3 * sigma_cells))
    offsets = np.arange(-radius, radius + 1, dtype=float)
    kernel = np.exp(-(offsets**2) / (2 * sigma_cells**2))
    kernel /= kernel.sum()
    grid = np.apply_along_axis(lambda line: np.convolve(line, kernel, mode="same"), 1, grid)
    return np.apply_along_axis(lambda line: np.convolve(line, kernel, mode="same"), 0, grid)


def grid_size(width: int, height: int) -> tuple[int, int]:
    """Columns and rows of the density grid for a picture of `width` x `height` pixels."""
    return max(1, width // CELL_PX), max(1, height // CELL_PX)


def hot_spot(
    points: Sequence[tuple[float, float]], canvas: tuple[int, int], picture: tuple[int, int]
) -> tuple[float, float]:
    """The centre of the hottest cell, in fractions of the canvas."""
    columns, rows = grid_size(*picture)
    sigma = SIGMA_CANVAS * picture[0] / canvas[0] / CELL_PX
    grid = density(points, columns, rows, sigma)
    row, column = np.unravel_index(int(np.argmax(grid)), grid.shape)
    return (column + 0.5) / columns, (row + 0.5) / rows


def _colour_layer(grid: np.ndarray) -> QImage:
    """The density as an RGBA image: transparent where nobody touched."""
    import pyqtgraph as pg

    peak = float(grid.max())
    scaled = grid / peak if peak > 0 else grid
    table = pg.colormap.get("inferno").getLookupTable(start=0.15, stop=1.0, nPts=256, alpha=False)
    rgba = np.zeros((*grid.shape, 4), dtype=np.uint8)
    rgba[..., :3] = table[np.clip((scaled * 255).astype(int), 0, 255)]
    rgba[..., 3] = np.clip(np.sqrt(scaled) * 1.25 * 235, 0, 235).astype(np.uint8)
    rgba[scaled < 0.02, 3] = 0
    height, width = grid.shape
    data = np.ascontiguousarray(rgba)
    image = QImage(data.data, width, height, width * 4, QImage.Format.Format_RGBA8888)
    return image.copy()  # own the pixels: `data` goes away with this function


def heat_map(
    picture: QImage, points: Sequence[tuple[float, float]], canvas: tuple[int, int]
) -> QImage:
    """`picture` dimmed, the touch density over it, and a dot at each touch."""
    width, height = picture.width(), picture.height()
    columns, rows = grid_size(width, height)
    sigma = SIGMA_CANVAS * width / canvas[0] / CELL_PX
    layer = _colour_layer(density(points, columns, rows, sigma))
    result = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(result)
    try:
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        painter.drawImage(0, 0, picture)
        painter.fillRect(QRectF(0, 0, width, height), QColor(0, 0, 0, round(255 * DIM)))
        painter.drawImage(QRectF(0, 0, width, height), layer)
        if len(points) <= MAX_DOTS:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(255, 255, 255, 210))
            for x, y in points:
                painter.drawEllipse(QPointF(x * width, y * height), 2.2, 2.2)
    finally:
        painter.end()
    return result
