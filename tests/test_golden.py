"""Golden images guard the look: a few slides compared with stored renders, with a tolerance.

Regenerate after an intended change with `pytest tests/test_golden.py --regen-golden`, then
open tests/golden/*.png and look at them before committing.
"""

from __future__ import annotations

from pathlib import Path

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
]
DIFF_LEVEL = 48  # a channel differing by more than this is a visible change
MAX_CHANGED = 0.004  # at most 0.4 % of pixels may change (antialiasing noise across machines)


def _compare(actual: QImage, expected: QImage) -> tuple[float, QImage]:
    actual = actual.convertToFormat(QImage.Format.Format_RGB32)
    expected = expected.convertToFormat(QImage.Format.Format_RGB32)
    diff = QImage(actual.size(), QImage.Format.Format_RGB32)
    diff.fill(QColor("black"))
    changed = 0
    for y in range(actual.height()):
        for x in range(actual.width()):
            a, b = actual.pixel(x, y), expected.pixel(x, y)
            delta = max(abs(((a >> s) & 255) - ((b >> s) & 255)) for s in (0, 8, 16))
            if delta > DIFF_LEVEL:
                changed += 1
                diff.setPixel(x, y, 0xFFFF00FF)
    return changed / (actual.width() * actual.height()), diff


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
            "Chinese? If the change is intended, regenerate with --regen-golden."
        )
