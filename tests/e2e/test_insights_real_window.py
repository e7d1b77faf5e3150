"""End to end: real X input (xdotool) on the real `kiosk show` under Xvfb lands in the insights
database, and `kiosk report` counts it. (Xvfb has no touch device: the pointer stands in for
a finger, as in the other real-window tests.)"""

from __future__ import annotations

import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest
from test_real_window import SCREEN, RealKiosk, real_kiosk, xvfb_display  # noqa: F401

from kiosk.cli import main

pytestmark = pytest.mark.xvfb
WRITE_EVERY_S = 0.5
WAIT_S = 15.0


@pytest.fixture
def insights_settings(tmp_path: Path) -> Path:
    """The kiosk's kiosk.toml (read from XDG_CONFIG_HOME): a name, quick writes."""
    folder = tmp_path / "config" / "kiosk"
    folder.mkdir(parents=True)
    settings = folder / "kiosk.toml"
    settings.write_text(
        f'name = "Xvfb test kiosk"\n\n[insights]\nwrite_every_seconds = {WRITE_EVERY_S}\n',
        encoding="utf-8",
    )
    return settings


def _inputs(path: Path, count: int, kiosk: RealKiosk) -> list[tuple]:
    """Poll the database (as a second program would) until it holds `count` inputs."""
    deadline = time.monotonic() + WAIT_S
    found: list[tuple] = []
    while time.monotonic() < deadline:
        kiosk.assert_running()
        if path.exists():
            with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as connection:
                try:
                    found = connection.execute(
                        "SELECT slide_id, kind, target, round(x, 3), round(y, 3), language,"
                        " canvas_width, canvas_height FROM inputs ORDER BY id"
                    ).fetchall()
                except sqlite3.OperationalError:  # not created yet
                    found = []
            if len(found) >= count:
                return found
        time.sleep(0.1)
    pytest.fail(f"the database holds {found} after {WAIT_S} s:\n{kiosk.log_text()}")


def test_real_x_input_lands_in_the_database_and_the_report(
    insights_settings: Path,  # before the kiosk starts: it reads kiosk.toml once
    real_kiosk: RealKiosk,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    middle = SCREEN[1] // 2
    real_kiosk.drag((1000, middle), (300, middle))  # a swipe to the left: next
    assert real_kiosk.wait_for_slide(2).id == "one"
    real_kiosk.step("Right", 3)
    real_kiosk.xdotool("mousemove", "1250", str(middle), "click", "1")  # the right edge
    assert real_kiosk.wait_for_slide(4).id == "three"
    database = tmp_path / "data" / "kiosk" / "insights.sqlite3"
    # 1280x720 is the 1920x1080 canvas at 2/3: positions are fractions of it.
    assert _inputs(database, 3, real_kiosk) == [
        ("cover", "swipe-left", "slide", round(1000 / 1280, 3), 0.5, "zh", 1920, 1080),
        ("one", "key", "next_slide", None, None, "zh", 1920, 1080),
        ("two", "tap", "edge-next", round(1250 / 1280, 3), 0.5, "zh", 1920, 1080),
    ]
    today = date.today().isoformat()
    out = tmp_path / "report"
    assert main(["report", "--db", str(database), "--out", str(out), "--from", today]) == 0
    page = next(out.glob("*.html")).read_text(encoding="utf-8")
    # One visitor, three inputs: a swipe, a key and an edge tap, each 33 % of the moves.
    assert '<div class="value">1</div><div class="label">访客' in page
    assert '<div class="value">3</div><div class="label">触摸与按键' in page
    assert page.count('alt="观众如何浏览') == 1
