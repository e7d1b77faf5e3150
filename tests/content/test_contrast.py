"""Theme contrast (WCAG 2.2 1.4.3, 1.4.6, 1.4.11): the ratios, and `kiosk check` warnings at
the line of the colour in question."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content import check_content, load_content
from kiosk.content.common import Accessibility, Theme
from kiosk.content.contrast import BODY_MIN, HIGH_CONTRAST_MIN, contrast_ratio, theme_findings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "content"
LOW = FIXTURES / "low_contrast.yaml"
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("foreground", "background", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#777777", "#ffffff", 4.48),  # the classic just-too-light grey
        ("#0000ff", "#ffffff", 8.59),
        ("#00000080", "#ffffff", 4.0),  # translucent black over white is mid grey
    ],
)
def test_contrast_ratios_follow_wcag(foreground: str, background: str, ratio: float) -> None:
    assert contrast_ratio(foreground, background) == pytest.approx(ratio, abs=0.01)


def test_the_bundled_themes_pass() -> None:
    content = load_content(REPO / "content.yaml")
    assert theme_findings(content.settings.theme, BODY_MIN, ()) == []
    high = content.settings.accessibility.high_contrast_theme
    assert theme_findings(high, HIGH_CONTRAST_MIN, ()) == []
    for colour in ("text", "muted", "accent", "accent2"):
        for ground in ("background", "surface"):
            ratio = contrast_ratio(getattr(high, colour), getattr(high, ground))
            assert ratio >= 7.0, (colour, ground, ratio)
    assert Accessibility().high_contrast_theme == high  # content.yaml keeps the built-in one
    assert Theme().background == content.settings.theme.background


def test_a_low_contrast_theme_is_warned_about_at_its_lines() -> None:
    result = check_content(LOW)
    assert result.content is not None and result.errors == []
    lines = LOW.read_text(encoding="utf-8").splitlines()
    found = {(p.line, p.message.split(":")[1].strip().split(" on ")[0]) for p in result.warnings}
    muted = lines.index('    muted: "#aaaaaa"') + 1
    accent = lines.index('    accent: "#ffe066"') + 1
    high_text = lines.index('      text: "#666666"') + 1
    assert (muted, "muted") in found
    assert (accent, "accent") in found
    assert (high_text, "text") in found
    message = next(p for p in result.warnings if p.line == muted).message
    assert "muted on background has a contrast of 2.3:1" in message
    assert "below the 4.5:1 for secondary text and sources" in message
    high = next(p for p in result.warnings if p.line == high_text).message
    assert high.startswith("high-contrast theme: text on") and "below the 7:1" in high
    assert not [p for p in result.warnings if p.line == high_text and "accent" in p.message]
    assert all(p.severity == "warning" for p in result.problems)


def test_kiosk_check_prints_contrast_warnings_and_exits_0(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_SETTINGS", str(tmp_path / "absent.toml"))
    assert main(["check", str(LOW)]) == 0
    out, err = capsys.readouterr()
    assert f"{LOW}:7:12: warning: theme: muted on background" in out
    assert "warning" in err
