"""`kiosk soak` runs real transitions through every slide and reports memory and QObjects.

The 3,000-transition figures are measured by hand (README); here a short run checks the
command works end to end and its report is complete, and a show that leaks is caught.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.soak import WARMUP_FRACTION, _slope, run_soak

DECK = Path(__file__).resolve().parent / "fixtures" / "decks" / "chapters.yaml"


def test_a_short_soak_visits_every_slide_and_reports(tmp_path: Path) -> None:
    report_path = tmp_path / "soak.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "soak",
            str(DECK),
            "--transitions",
            "24",
            "--json",
            str(report_path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["transitions"] == 24
    assert set(report["slides_shown"]) == {"cover", "one", "two", "three", "four", "five"}
    assert sum(report["slides_shown"].values()) == 24
    for key in ("rss_start_mib", "rss_end_mib"):
        assert 20 < report[key] < 2000
    warm = [x for x in report["samples"] if x["transitions"] >= 24 * WARMUP_FRACTION]
    line = _slope([(x["transitions"], x["rss_mib"]) for x in warm]) * 1024
    assert report["rss_slope_kib_per_transition"] == pytest.approx(line, abs=0.001)
    assert abs(report["qobjects_end"] - report["qobjects_start"]) <= 50
    assert "Traceback" not in result.stderr


def test_the_slope_is_the_least_squares_line() -> None:
    assert _slope([(0, 10.0), (10, 20.0), (20, 30.0)]) == pytest.approx(1.0)
    assert _slope([(0, 5.0), (10, 5.0), (20, 5.0)]) == 0.0
    assert _slope([(0, 1.0), (1, 3.0), (2, 2.0)]) == pytest.approx(0.5)
    assert _slope([(5, 1.0)]) == 0.0


def test_a_show_that_leaks_two_mib_per_transition_is_caught(
    qapp, tmp_path: Path, monkeypatch
) -> None:
    import kiosk.app

    kept: list[bytearray] = []
    build_show = kiosk.app.build_show

    def leaky_build_show(*args, **kwargs):
        show = build_show(*args, **kwargs)
        show.player.position_changed.connect(lambda *_: kept.append(bytearray(2 * 2**20)))
        return show

    monkeypatch.setattr(kiosk.app, "build_show", leaky_build_show)
    report_path = tmp_path / "soak.json"
    assert run_soak(DECK, 30, report_path) == 0
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert len(kept) >= 30
    assert report["rss_slope_kib_per_transition"] > 1024  # ~2048 KiB per transition
