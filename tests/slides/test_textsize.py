"""`kiosk check` warns about text smaller than `min_text_px` screen pixels, at the text's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content import load_content
from kiosk.slides.media import MediaLibrary
from kiosk.slides.textsize import small_texts

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "content" / "small_text.yaml"
REPO = Path(__file__).resolve().parents[2]


def test_small_text_is_warned_about_at_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_SETTINGS", str(tmp_path / "absent.toml"))
    assert main(["check", str(FIXTURE)]) == 0  # warnings only
    out = capsys.readouterr().out.splitlines()
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    source_line = (
        lines.index("    source: {zh: 济南高新区（2020）, en: Jinan High-tech Zone (2020)}") + 1
    )
    found = [line for line in out if line.startswith(f"{FIXTURE}:{source_line}:")]
    assert found, out
    assert (
        ': warning: slide "gdp": "来源：济南高新区（2020）" is 20.0 px high on a 1920x1080 '
        in found[0]
    )
    assert "below the 24 px of min_text_px" in found[0]


def test_the_bundled_show_has_no_text_below_the_default_minimum(font_family: str) -> None:
    content = load_content(REPO / "content.yaml")
    assert content.settings.accessibility.min_text_px == 12
    assert small_texts(content, font_family, MediaLibrary(REPO)) == []


def test_a_smaller_screen_makes_text_smaller(font_family: str) -> None:
    content = load_content(FIXTURE)
    small = small_texts(content, font_family, MediaLibrary(FIXTURE.parent), [(1280, 720)])
    sizes = {text.text: round(text.pixels, 1) for text in small}
    assert sizes["来源：济南高新区（2020）"] == pytest.approx(20 * 1280 / 1920, abs=0.1)
