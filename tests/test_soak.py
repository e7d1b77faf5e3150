"""`kiosk soak` runs real transitions through every slide and reports memory and QObjects.

The 3,000-transition figures are measured by hand (README); here a short run checks the
command works end to end and its report is complete and plausible.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
    assert isinstance(report["rss_slope_kib_per_transition"], float)
    assert abs(report["qobjects_end"] - report["qobjects_start"]) <= 50
    assert "Traceback" not in result.stderr
