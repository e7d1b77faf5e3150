"""`kiosk soak`: thousands of real transitions offscreen, watching memory and live QObjects.

The show runs through the real Player, Stage, layers and event loop at 1920x1080 with
animations and slide durations sped up; every SAMPLE_EVERY transitions the process's RSS and
the number of live QObjects are sampled (after collecting garbage and running deferred
deletes, as an idle event loop would). A flat RSS slope after the warm-up (caches filling on
the first loops) and a QObject count back at its baseline mean nothing piles up over months.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ANIMATION_SCALE = 0.02  # a 0.8 s transition takes 16 ms: about one frame
DWELL_S = 0.025  # each slide stays about this long (its duration scaled down to it)
SAMPLE_EVERY = 25
WARMUP_FRACTION = 0.2  # the first fifth fills caches (every slide rendered once or more)
SIZE = (1920, 1080)


def rss_mib() -> float:
    """Resident memory of this process in MiB (Linux /proc)."""
    with open("/proc/self/statm", encoding="ascii") as statm:  # noqa: PTH123
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def _live_qobjects(roots: list[Any]) -> int:
    from PySide6.QtCore import QObject

    return sum(1 + len(root.findChildren(QObject)) for root in roots)


def _slope(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of (x, y) points."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    if var == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var


def run_soak(content_path: Path, transitions: int, json_path: Path | None = None) -> int:
    """Run the soak and print (and optionally write) the report; returns the exit code."""
    from kiosk.app import ensure_headless, load_or_report

    ensure_headless()
    content = load_or_report(content_path)
    if content is None:
        return 1
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from kiosk.app import build_show
    from kiosk.ui.fonts import register_fonts

    app = QApplication.instance() or QApplication(sys.argv[:1])
    family = register_fonts()
    time_scale = DWELL_S / max(content.duration_of(i) for i in range(len(content.slides)))
    show = build_show(
        content,
        content_path.parent,
        family,
        kiosk=False,
        time_scale=time_scale,
        animation_scale=ANIMATION_SCALE,
    )
    show.window.resize(*SIZE)
    show.window.show()
    shown: Counter[str] = Counter()
    done = {"count": 0}

    def on_position_changed(index: int, _direction: int) -> None:
        shown[show.player.content.slides[index].id] += 1
        done["count"] += 1

    show.player.position_changed.connect(on_position_changed)
    roots = [app, show.player, *app.topLevelWidgets()]

    def settle() -> None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()

    settle()
    samples: list[dict[str, float]] = []
    start = time.monotonic()
    next_sample = 0
    next_report = 250
    while done["count"] < transitions:
        app.processEvents()
        if done["count"] >= next_sample:
            settle()
            samples.append(
                {
                    "transitions": done["count"],
                    "rss_mib": rss_mib(),
                    "qobjects": _live_qobjects(roots),
                }
            )
            next_sample += SAMPLE_EVERY
            if done["count"] >= next_report:
                next_report += 250
                print(
                    f"soak: {done['count']} transitions, {samples[-1]['rss_mib']:.1f} MiB, "
                    f"{time.monotonic() - start:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
        if time.monotonic() - start > 3600:
            print("soak: gave up after an hour", file=sys.stderr)
            break
        time.sleep(0.001)  # let the timers come due without spinning a core
    settle()
    samples.append(
        {"transitions": done["count"], "rss_mib": rss_mib(), "qobjects": _live_qobjects(roots)}
    )
    warm = [s for s in samples if s["transitions"] >= transitions * WARMUP_FRACTION]
    slope_mib = _slope([(int(s["transitions"]), s["rss_mib"]) for s in warm])
    report = {
        "transitions": done["count"],
        "seconds": round(time.monotonic() - start, 1),
        "rss_start_mib": round(samples[0]["rss_mib"], 1),
        "rss_warm_mib": round(warm[0]["rss_mib"], 1) if warm else None,
        "rss_end_mib": round(samples[-1]["rss_mib"], 1),
        "rss_slope_kib_per_transition": round(slope_mib * 1024, 3),
        "qobjects_start": int(samples[0]["qobjects"]),
        "qobjects_end": int(samples[-1]["qobjects"]),
        "slides_shown": dict(shown),
        "samples": samples,  # the slope is the least-squares line through the warm ones
    }
    show.window.close()
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if json_path is not None:
        json_path.write_text(text + "\n", encoding="utf-8")
    return 0
