"""The bundled Noto Sans CJK SC font: where it lives, Qt registration, glyph coverage.

``font_dir``, ``font_paths`` and ``missing_glyphs`` import no Qt module, so ``kiosk check``
can use them without starting Qt; ``register_fonts`` and ``ui_font`` import PySide6 lazily.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import kiosk

if TYPE_CHECKING:
    from PySide6.QtGui import QFont

REGULAR_FILE = "NotoSansCJKsc-Regular.otf"
BOLD_FILE = "NotoSansCJKsc-Bold.otf"
FAMILY = "Noto Sans CJK SC"

# Path of each registered file -> the id QFontDatabase gave it.
_font_ids: dict[Path, int] = {}
_family: str | None = None


def font_dir() -> Path:
    """Return the folder holding the bundled fonts (wheel install first, then the repo)."""
    package_file = getattr(kiosk, "__file__", None)
    candidates = [Path(__file__).resolve().parents[3] / "assets" / "fonts"]
    if package_file:
        candidates.insert(0, Path(package_file).parent / "assets" / "fonts")
    for folder in candidates:
        if (folder / REGULAR_FILE).is_file() and (folder / BOLD_FILE).is_file():
            return folder
    tried = ", ".join(str(folder) for folder in candidates)
    raise FileNotFoundError(
        f"bundled fonts {REGULAR_FILE} and {BOLD_FILE} not found (looked in: {tried}); "
        "run tools/extract_fonts.py to regenerate them"
    )


def font_paths() -> tuple[Path, Path]:
    """Return the paths of the bundled (regular, bold) font files."""
    folder = font_dir()
    return folder / REGULAR_FILE, folder / BOLD_FILE


@cache
def _regular_codepoints() -> frozenset[int]:
    """Return the code points the bundled Regular font maps to a glyph (read once)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(font_paths()[0]), lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(text: str) -> set[str]:
    """Return the characters of ``text`` the bundled font cannot draw (spaces/controls skipped)."""
    covered = _regular_codepoints()
    return {
        char
        for char in set(text)
        if not char.isspace()
        # Cc: control characters; Cf: invisible format characters (ZWJ, ZWSP, BOM...),
        # which Qt handles without drawing a glyph.
        and unicodedata.category(char) not in {"Cc", "Cf"}
        and ord(char) not in covered
    }


def register_fonts() -> str:
    """Register the bundled fonts with Qt (once) and return the family name Qt reports."""
    global _family
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    if QGuiApplication.instance() is None:
        raise RuntimeError("register_fonts() needs a QGuiApplication: create QApplication first")
    if _family is not None and all(
        QFontDatabase.applicationFontFamilies(font_id) for font_id in _font_ids.values()
    ):
        return _family
    _font_ids.clear()
    families: list[str] = []
    for path in font_paths():
        font_id = QFontDatabase.addApplicationFont(str(path))
        names = QFontDatabase.applicationFontFamilies(font_id) if font_id != -1 else []
        if not names:
            raise RuntimeError(f"Qt could not load the font file {path}")
        _font_ids[path] = font_id
        families.append(names[0])
    if len(set(families)) != 1:
        raise RuntimeError(f"bundled fonts report different families: {families}")
    _family = families[0]
    return _family


def registered_font_ids() -> tuple[int, ...]:
    """Return the QFontDatabase ids of the registered (regular, bold) fonts, if registered."""
    return tuple(_font_ids.values())


def ui_font(pixel_size: int, bold: bool = False) -> QFont:
    """Return a QFont in the bundled family at ``pixel_size`` pixels, bold or normal weight."""
    from PySide6.QtGui import QFont

    font = QFont(_family or FAMILY)
    font.setPixelSize(pixel_size)
    font.setWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font
