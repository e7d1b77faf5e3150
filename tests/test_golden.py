"""Golden images guard the look: a few slides compared with stored renders, with a tolerance.

Regenerate after an intended change with `pytest tests/test_golden.py --regen-golden`, then
open tests/golden/*.png and look at them before committing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from kiosk.content import load_content
from kiosk.slides.media import MediaLibrary
from kiosk.slides.registry import build_view
from kiosk.slides.render import render_view
from kiosk.slides.theme import SlideTheme

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
DECK = HERE / "fixtures" / "decks" / "golden.yaml"
CASES = [
    ("cover", "zh", QSize(960, 540)),
    ("gdp", "en", QSize(960, 540)),
    ("shares", "zh", QSize(540, 960)),
    ("peaks", "en", QSize(960, 540)),
    # every screen shape: a 32:9 bar display (a 3840x1080 canvas) and a 1080x2560 totem
    ("peaks", "en", QSize(1920, 540)),
    ("gdp", "zh", QSize(1920, 540)),
    ("cover", "zh", QSize(540, 1280)),
    ("shares", "en", QSize(540, 1280)),
]
# What a reviewer looks for in each image (shown when it changes).
LOOK_FOR = {
    "cover-zh-960x540": "kicker, very large title, accent rule and subtitle stacked on the "
    "left; ridges in the lower third",
    "gdp-en-960x540": "two numbers stacked on the left (115.02 billion yuan, +10.5 %), two "
    "bars on the right with their values on top and years under them",
    "shares-zh-540x960": "the number above, two rings with >50% and >45% below it",
    "peaks-en-960x540": "three cards in a row, icon above title, one fact each",
    "peaks-en-1920x540": "32:9: three wide cards in one row, centred, each with its icon "
    "(a placeholder) beside the title and the fact; full height text, nothing squeezed",
    "gdp-zh-1920x540": "32:9: both numbers side by side in one row, at one size, then the "
    "two bars at the right with 1150.2 and 1291.5 on top and years under them",
    "cover-zh-540x1280": "1080x2560: kicker, title (one line), rule and subtitle stacked "
    "above the middle, ridges across the lower third",
    "shares-en-540x1280": "1080x2560: the number with its label at the top, the two rings "
    "(>50%, >45%) one above the other below it, each with its label; nothing cut",
}
DIFF_LEVEL = 48  # a channel differing by more than this is a visible change
MAX_CHANGED = 0.004  # at most 0.4 % of pixels may change (antialiasing noise across machines)


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(bytes(image.constBits()), dtype=np.uint8)
    data = data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width()]
    return data[:, :, :3].astype(np.int16)


def _compare(actual: QImage, expected: QImage) -> tuple[float, QImage]:
    changed = (np.abs(_pixels(actual) - _pixels(expected)) > DIFF_LEVEL).any(axis=-1)
    diff = QImage(actual.size(), QImage.Format.Format_RGB32)
    diff.fill(QColor("black"))
    for y, x in zip(*np.nonzero(changed), strict=True):
        diff.setPixel(int(x), int(y), 0xFFFF00FF)
    return float(changed.mean()), diff


@pytest.mark.parametrize(
    ("slide_id", "language", "size"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2].width()}x{c[2].height()}" for c in CASES],
)
def test_slide_looks_as_approved(request, font_family, tmp_path, slide_id, language, size) -> None:
    content = load_content(DECK)
    theme = SlideTheme.from_content(content.settings.theme, font_family)
    slide = content.slides[content.index_of(slide_id)]
    view = build_view(slide, theme, MediaLibrary(DECK.parent))
    actual = render_view(view, size, language)
    name = f"{slide_id}-{language}-{size.width()}x{size.height()}.png"
    golden = GOLDEN / name
    if request.config.getoption("--regen-golden"):
        GOLDEN.mkdir(exist_ok=True)
        actual.save(str(golden))
        pytest.skip(f"regenerated {golden}")
    assert golden.exists(), f"no golden image {golden}: run with --regen-golden and look at it"
    fraction, diff = _compare(actual, QImage(str(golden)))
    if fraction > MAX_CHANGED:
        actual.save(str(tmp_path / f"actual-{name}"))
        diff.save(str(tmp_path / f"diff-{name}"))
        pytest.fail(
            f"{name}: {fraction:.2%} of pixels changed (allowed {MAX_CHANGED:.2%}). Look at "
            f"{tmp_path}/actual-{name} beside {golden} and the magenta pixels of "
            f"{tmp_path}/diff-{name}: moved or clipped text, a missing chart, boxes instead of "
            f"Chinese? Look for: {LOOK_FOR[name.removesuffix('.png')]}. If the change is "
            "intended, regenerate with --regen-golden."
        )
