"""`kiosk bench` runs end to end (a smoke test, not a timing test) and the FPS readout works."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.bench import format_table

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _positive_numbers(value: object, where: str = "") -> list[str]:
    """Paths of every number in `value` that is not positive (empty when all are)."""
    if isinstance(value, dict):
        return [
            bad
            for key, inner in value.items()
            for bad in _positive_numbers(inner, f"{where}.{key}")
        ]
    if isinstance(value, list):
        return [
            bad
            for n, inner in enumerate(value)
            for bad in _positive_numbers(inner, f"{where}[{n}]")
        ]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [] if value > 0 else [where]
    return []


def test_the_bench_measures_every_figure_on_a_tiny_screen(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk.bench",
            str(FIXTURES / "decks" / "chapters.yaml"),
            "--size",
            "320x180",
            "--frames",
            "5",
            "--startup-runs",
            "1",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    size = result["sizes"]["320x180"]
    assert set(size["transitions"]) == {"fade", "slide", "zoom"}
    for figures in [
        size["limit_crossfade"],
        size["naive_opacity_effect"],
        *size["transitions"].values(),
    ]:
        assert figures["frames"] == 5 and figures["max_ms"] > 0
    assert set(size["slide_build_ms"]) == {"text"} == set(size["slide_render_ms"])
    assert result["startup_first_frame_ms"]["median"] > 0
    assert len(result["startup_first_frame_ms"]["runs"]) == 1
    assert result["peak_rss_mib"]["320x180"] > 0
    parts = result["memory_breakdown_mib"]["320x180"]
    assert 0 < parts["first_slide_shown"] <= result["peak_rss_mib"]["320x180"]
    assert 0 < parts["image_store_peak"] < parts["first_slide_shown"]
    assert _positive_numbers({k: v for k, v in result.items() if k != "meta"}) == []
    assert "transition fade" in done.stdout and format_table(result) in done.stdout


def test_summary_keeps_the_nearest_rank_p95_and_the_worst_frame() -> None:
    from kiosk.bench_probes import summary

    found = summary([n / 1000.0 for n in range(100, 0, -1)])  # 100 frames of 1..100 ms
    assert found["median_ms"] == pytest.approx(50.5)
    assert found["p95_ms"] == pytest.approx(95.0)
    assert found["max_ms"] == pytest.approx(100.0)
    assert found["frames"] == 100
    # One 100 ms freeze in 120 frames (once per transition): p95 hides it, max does not.
    found = summary([0.002] * 119 + [0.1])
    assert found["p95_ms"] == pytest.approx(2.0)
    assert found["max_ms"] == pytest.approx(100.0)


def test_the_fps_layer_shows_frame_and_paint_times_after_some_paints(make_show, qtbot) -> None:
    from kiosk.ui.fps import FpsLayer

    show = make_show(size=(640, 360))
    stage = show.stage
    layer = FpsLayer(stage, lambda: stage.theme)
    stage.add_layer(layer)
    assert layer.figures()["interval_median"] is None  # nothing measured yet
    assert layer.frame_interval(0.0) == 0  # it never keeps an idle kiosk painting
    for _ in range(6):
        stage.repaint()
        qtbot.wait(5)
    figures = layer.figures()
    assert all(value is not None and value > 0 for value in figures.values()), figures
    assert figures["interval_max"] >= figures["interval_median"]
    assert all("–" not in line and "ms" in line for line in layer.lines())
    shown = stage.render_frame()
    layer.enabled = False
    hidden = stage.render_frame()
    assert shown.pixel(20, 15) != hidden.pixel(20, 15)  # the box is painted at the top left
