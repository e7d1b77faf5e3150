"""`kiosk check` on the hall's screens: every slide laid out on each listed screen size, what
does not fit reported at the line of its text (an error), what fits only at its smallest size
(a warning). Screens come from --size, else kiosk.toml, else content.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main

REPO = Path(__file__).resolve().parents[1]

# Four cards of four long facts: fine on a 16:9 screen, too much for a square one.
CROWDED = """\
settings:
  languages: [en]
  default_language: en
{screens}slides:
  - id: crowded
    type: cards
    title: Crowded
    cards:
{cards}"""
CARD = """\
      - title: Card {n}
        facts:
          - {fact}
          - Another fact that is just as long as the one above it
          - A third fact of about the same length as the others
          - And a fourth, which makes this card rather full indeed
"""
LONG_FACT = "A fact with so many words in it that a small screen has no room left for it at all"


def _deck(tmp_path: Path, *, screens: str = "", first_fact: str = LONG_FACT) -> Path:
    cards = "".join(
        CARD.format(n=n, fact=first_fact if n == 0 else LONG_FACT[:50]) for n in range(4)
    )
    path = tmp_path / "content.yaml"
    path.write_text(CROWDED.format(screens=screens, cards=cards), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This kiosk's settings file lives in the test's folder (absent unless a test writes it)."""
    settings = tmp_path / "kiosk.toml"
    monkeypatch.setenv("KIOSK_SETTINGS", str(settings))
    return settings


def test_the_bundled_show_fits_every_hall_screen(capsys: pytest.CaptureFixture[str]) -> None:
    sizes = ["2560x1080", "3840x1080", "5760x1080/3", "1440x1080", "1080x1920", "1080x2560"]
    args = ["check", str(REPO / "content.yaml")]
    for size in sizes:
        args += ["--size", size]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "error" not in captured.out
    assert f"laid out on {', '.join(sizes)}" in captured.err


def test_text_that_cannot_fit_is_an_error_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = _deck(tmp_path)
    assert main(["check", str(deck), "--size", "1920x1080"]) == 0  # fits on 16:9
    capsys.readouterr()
    assert main(["check", str(deck), "--size", "1080x1080"]) == 1
    errors = [line for line in capsys.readouterr().out.splitlines() if ": error: " in line]
    assert errors
    lines = deck.read_text(encoding="utf-8").splitlines()
    for error in errors:  # each at the line of the text it is about
        assert 'slide "crowded" (en)' in error and "1080x1080" in error, error
        number, column = (int(part) for part in error[len(str(deck)) + 1 :].split(":")[:2])
        if ': "' not in error:  # a text cut to nothing: at its slide
            assert lines[number - 1].strip() == "- id: crowded", error
            continue
        quoted = error.split(': "', 1)[1].split('"')[0].rstrip("…")
        assert lines[number - 1][column - 1 :].startswith(quoted), (error, lines[number - 1])


def test_the_screens_setting_is_used_and_kiosk_toml_wins(
    tmp_path: Path, _own_settings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = _deck(tmp_path, screens="  screens: [1080x1080]\n")
    assert main(["check", str(deck)]) == 1  # content.yaml's square screen
    assert "1080x1080" in capsys.readouterr().out
    _own_settings.write_text('screens = ["3840x1080"]\n', encoding="utf-8")
    assert main(["check", str(deck)]) == 0  # this kiosk's bar display wins
    assert "laid out on 3840x1080" in capsys.readouterr().err
    assert main(["check", str(deck), "--size", "1080x1080"]) == 1  # the command line wins
    capsys.readouterr()


def test_text_at_its_smallest_size_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = _deck(tmp_path, first_fact="A short fact")
    assert main(["check", str(deck), "--size", "1440x1080"]) == 0
    captured = capsys.readouterr()
    warnings = [line for line in captured.out.splitlines() if ": warning: " in line]
    assert warnings and all("smallest body size" in line for line in warnings)
    assert "1 warning" in captured.err or f"{len(warnings)} warnings" in captured.err


def test_a_wrong_screen_size_is_located(tmp_path: Path, capsys) -> None:
    deck = _deck(tmp_path, screens="  screens: [3840x]\n")
    assert main(["check", str(deck)]) == 1
    out = capsys.readouterr().out
    assert f"{deck}:4:" in out and "screen size such as 3840x1080" in out


def test_bezels_are_located_in_kiosk_toml(_own_settings: Path, capsys) -> None:
    _own_settings.write_text("name = 'wall'\nbezels = [3840, 1920]\n", encoding="utf-8")
    assert main(["check", str(REPO / "content.yaml")]) == 1
    out = capsys.readouterr().out
    assert f"{_own_settings}:2:1: error:" in out and "left to right" in out


def test_bundle_refuses_what_cannot_fit_on_the_halls_screens(tmp_path: Path) -> None:
    """`kiosk bundle` uses the same content check: a fit error at a listed screen is an error
    there too (a warning would not stop it)."""
    from kiosk.cli import content_check

    deck = _deck(tmp_path, screens="  screens: [1080x1080]\n")
    assert any("1080x1080" in problem.message for problem in content_check(deck).errors)
    fits = _deck(tmp_path, screens="  screens: [3840x1080]\n")
    assert content_check(fits).errors == []
