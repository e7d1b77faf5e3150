"""`kiosk export`: every slide in its final state as PNG files (and one PDF), headless."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.app import ensure_headless, load_or_report
from kiosk.content.model import Language

if TYPE_CHECKING:
    from kiosk.slides.film import VideoSlideView


def export_slides(
    content_path: Path,
    out_dir: Path,
    *,
    width: int,
    height: int,
    language: Language | None,
    pdf: Path | None,
    panels: int = 1,
    larger_text: bool = False,
    high_contrast: bool = False,
) -> int:
    """Render each slide to `out_dir/NN-<id>.png` (and `pdf`); returns the exit code.

    `panels` > 1 lays the slides out for a wall of that many equal panels (text keeps off
    the seams between them); `larger_text` and `high_contrast` render what a visitor who
    chose them sees."""
    ensure_headless()
    content = load_or_report(content_path)
    if content is None:
        return 1
    from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter
    from PySide6.QtWidgets import QApplication

    from kiosk.slides.canvas import seam_positions
    from kiosk.slides.film import VideoSlideView
    from kiosk.slides.media import MediaLibrary
    from kiosk.slides.registry import build_view
    from kiosk.slides.render import render_view
    from kiosk.slides.theme import SlideTheme
    from kiosk.ui.fonts import register_fonts

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - keeps Qt alive
    family = register_fonts()
    scale = content.settings.accessibility.text_scale if larger_text else 1.0
    theme = SlideTheme.for_show(
        content.settings, family, text_scale=scale, high_contrast=high_contrast
    )
    media = MediaLibrary(content_path.parent)
    lang: Language = language or content.settings.default_language
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"{out_dir}: cannot create the folder ({error.strerror})", file=sys.stderr)
        return 1
    size = QSize(width, height)
    writer: QPdfWriter | None = None
    pdf_painter: QPainter | None = None
    if pdf is not None:
        writer = QPdfWriter(str(pdf))
        writer.setResolution(96)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QSizeF(width * 0.75, height * 0.75), QPageSize.Unit.Point, "slide"),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
            )
        )
        writer.setTitle("Jinan High-tech Zone kiosk")
        pdf_painter = QPainter(writer)
    try:
        for number, slide in enumerate(content.slides, start=1):
            view = build_view(slide, theme, media)
            if isinstance(view, VideoSlideView):
                _read_film(view)
            image = render_view(view, size, lang, seams=seam_positions(panels, width))
            target = out_dir / f"{number:02d}-{slide.id}.png"
            if not image.save(str(target)):
                print(f"{target}: cannot write the image", file=sys.stderr)
                return 1
            print(target)
            if writer is not None and pdf_painter is not None:
                if number > 1:
                    writer.newPage()
                page = pdf_painter.viewport()
                pdf_painter.drawImage(QRectF(page), image)
    finally:
        # An open painter on a writer that is freed crashes Qt: ended on every path.
        if pdf_painter is not None and pdf_painter.isActive():
            pdf_painter.end()
    if pdf is not None:
        print(pdf)
    return 0


def _read_film(view: VideoSlideView) -> None:
    """A film exports as its poster, or else its first frame, under the title band; a film
    that cannot play exports as its placeholder (and says why)."""
    from kiosk.slides.film_probe import FilmFault, probe_film

    if view.poster() is not None:
        return
    result = probe_film(view.video_path)
    if isinstance(result, FilmFault):
        view.fault = result.reason
        print(f"{view.slide.video}: {result.reason}; exported as a placeholder", file=sys.stderr)
    else:
        view.first_frame = result.first_frame
