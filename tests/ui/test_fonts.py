"""The bundled Noto Sans CJK SC font is registered with Qt and used to draw Chinese text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontInfo,
    QGlyphRun,
    QImage,
    QPainter,
    QRawFont,
)
from PySide6.QtWidgets import QApplication

import kiosk
from kiosk.ui import fonts

FAMILY = "Noto Sans CJK SC"
TEXT = "济南高新区"
SRC_DIR = Path(kiosk.__file__).resolve().parents[1]


def _blank(width: int = 400, height: int = 96) -> QImage:
    image = QImage(width, height, QImage.Format.Format_Grayscale8)
    image.fill(255)
    return image


def _pixels(image: QImage) -> bytes:
    """Return the image's grey levels row by row, without the scan-line padding."""
    data = bytes(image.constBits())
    stride, width = image.bytesPerLine(), image.width()
    return b"".join(data[row * stride : row * stride + width] for row in range(image.height()))


def _dark_pixels(image: QImage) -> int:
    return sum(1 for value in _pixels(image) if value < 128)


def _differing_pixels(a: QImage, b: QImage) -> int:
    return sum(1 for x, y in zip(_pixels(a), _pixels(b), strict=True) if abs(x - y) > 64)


def _draw_text(text: str, font: QFont) -> QImage:
    image = _blank()
    painter = QPainter(image)
    painter.setPen(QColor(0, 0, 0))
    painter.setFont(font)
    painter.drawText(QPointF(8, 72), text)
    painter.end()
    return image


def _draw_raw(text: str, path: Path, pixel_size: int) -> QImage:
    """Draw ``text`` with glyphs taken straight from the font file at ``path`` (needs a qapp)."""
    raw = QRawFont(str(path), pixel_size)
    assert raw.isValid(), path
    glyphs = raw.glyphIndexesForString(text)
    assert all(glyphs), "the bundled font maps every test character to a real glyph"
    positions, x = [], 0.0
    for advance in raw.advancesForGlyphIndexes(glyphs):
        positions.append(QPointF(x, 0))
        x += advance.x()
    run = QGlyphRun()
    run.setRawFont(raw)
    run.setGlyphIndexes(glyphs)
    run.setPositions(positions)
    image = _blank()
    painter = QPainter(image)
    painter.setPen(QColor(0, 0, 0))
    painter.drawGlyphRun(QPointF(8, 72), run)
    painter.end()
    return image


@pytest.fixture
def family(qapp: QApplication) -> str:
    return fonts.register_fonts()


def test_bundled_files_are_the_sc_face(qapp: QApplication) -> None:
    regular, bold = fonts.font_paths()
    assert regular.name == "NotoSansCJKsc-Regular.otf"
    assert bold.name == "NotoSansCJKsc-Bold.otf"
    assert (fonts.font_dir() / "OFL.txt").is_file()
    assert QRawFont(str(regular), 12).familyName() == FAMILY
    assert QRawFont(str(bold), 12).weight() == QFont.Weight.Bold.value


def test_font_dir_reports_missing_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "REGULAR_FILE", "NoSuchFont.otf")
    with pytest.raises(FileNotFoundError, match=r"NoSuchFont\.otf"):
        fonts.font_dir()


def test_register_fonts_registers_the_bundled_files(family: str) -> None:
    assert family == FAMILY
    assert FAMILY in QFontDatabase.families()
    ids = fonts.registered_font_ids()
    assert len(ids) == 2
    # Anchors on our files, not on a system copy of Noto Sans CJK.
    for font_id in ids:
        assert QFontDatabase.applicationFontFamilies(font_id) == [FAMILY]
    assert fonts.register_fonts() == FAMILY
    assert fonts.registered_font_ids() == ids, "a second call registers nothing new"


def test_ui_font(family: str) -> None:
    regular, bold = fonts.ui_font(64), fonts.ui_font(40, bold=True)
    assert (regular.pixelSize(), regular.weight()) == (64, QFont.Weight.Normal)
    assert (bold.pixelSize(), bold.weight()) == (40, QFont.Weight.Bold)
    assert regular.styleStrategy() & QFont.StyleStrategy.PreferAntialias
    assert QFontInfo(regular).family() == family
    assert QFontInfo(bold).family() == family
    assert QFontInfo(bold).weight() == QFont.Weight.Bold.value


def test_chinese_text_is_drawn_with_the_bundled_glyphs(family: str) -> None:
    regular_path, bold_path = fonts.font_paths()
    for font, path in ((fonts.ui_font(64), regular_path), (fonts.ui_font(64, True), bold_path)):
        drawn = _draw_text(TEXT, font)
        assert _dark_pixels(drawn) > 3000
        assert _differing_pixels(drawn, _draw_raw(TEXT, path, 64)) < 40


def test_each_character_has_its_own_glyph(family: str) -> None:
    # Missing glyphs would all come out as the same box.
    images = [_pixels(_draw_text(char, fonts.ui_font(64))) for char in TEXT]
    assert len(set(images)) == len(TEXT)
    assert all(sum(1 for value in image if value < 128) > 300 for image in images)


ISOLATED_SCRIPT = textwrap.dedent(
    """
    import json
    from PySide6.QtGui import QFontInfo
    from PySide6.QtWidgets import QApplication
    from kiosk.ui import fonts

    app = QApplication([])
    before = QFontInfo(fonts.ui_font(64)).family()
    family = fonts.register_fonts()
    after = QFontInfo(fonts.ui_font(64)).family()
    print(json.dumps({"before": before, "family": family, "after": after}))
    """
)


def test_bundled_font_works_without_system_cjk_fonts(tmp_path: Path) -> None:
    """On a machine with no fonts at all, registering the bundled files is enough."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(config),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC_DIR), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(
        [sys.executable, "-c", ISOLATED_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    if report["before"] == FAMILY:
        pytest.skip("could not hide the system fonts from Qt (no fontconfig?)")
    assert report["family"] == FAMILY
    assert report["after"] == FAMILY


def test_missing_glyphs_accepts_kiosk_text() -> None:
    assert fonts.missing_glyphs("济南高新区 Jinan 2019 ×%") == set()
    assert fonts.missing_glyphs("高新区\t\n\u3000\x00\u200b 「创新」，100%！") == set()


def test_missing_glyphs_reports_uncovered_characters() -> None:
    # U+20000 (CJK Extension B) and emoji are not in Noto Sans CJK SC.
    assert fonts.missing_glyphs("济南\U00020000高新区😀") == {"\U00020000", "😀"}


def test_missing_glyphs_needs_no_qt() -> None:
    script = (
        "import sys\n"
        "from kiosk.ui.fonts import missing_glyphs\n"
        "assert missing_glyphs('济南😀') == {'😀'}\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC_DIR)}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
