"""`kiosk bench --display` end to end on a tiny Xvfb (a smoke test, not a timing test): the
real show on xcb, keys through XTEST, frames counted through XDamage."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

DECK = Path(__file__).resolve().parents[1] / "fixtures" / "decks" / "chapters.yaml"


def test_the_display_bench_counts_the_frames_of_each_transition(tmp_path: Path) -> None:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb not installed (./dev.sh test installs it)")
    out = tmp_path / "display.json"
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY"}}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk.bench",
            str(DECK),
            "--display",
            "--size",
            "320x180",
            "--transitions",
            "1",
            "--key-every",
            "1",
            "--modes",
            "interactive",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    found = result["display"]["320x180"]
    assert set(found["modes"]["interactive"]) == {"fade", "slide", "zoom"}
    for name, figures in found["modes"]["interactive"].items():
        moves = figures["transition"]
        assert moves["transitions"] == 1, (name, figures)
        # 0.8 s of transition at up to 60 Hz: frames the X server really received
        assert 10 <= moves["frames_per_transition"] <= 60, (name, figures)
        assert 10 < moves["interval_median_ms"] < 100, (name, figures)
        assert figures["transitions_used"] in ([name], ["fade"]), figures
    floor = found["floor_crossfade"]["transition"]  # a bare window's fades, for comparison
    assert floor["transitions"] == 1 and floor["frames_per_transition"] >= 10
    assert found["startup"]["launches"] == 3
    assert 0 < found["startup"]["first_frame_ms"] <= found["startup"]["first_complete_frame_ms"]
    assert "frames as the X server received them" in done.stdout
