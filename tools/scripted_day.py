"""Play a scripted day at the kiosk and record it, to look at `kiosk report` with real rows.

Usage: QT_QPA_PLATFORM=offscreen python tools/scripted_day.py [CONTENT] --db FILE
       [--date 2025-03-14] [--visitors 36] [--seed 16]

The real show (Player, stage, controllers, insights tracker and recorder) runs offscreen on a
fake clock from 09:00 to 17:30: the attract loop moves on by each slide's duration, and
visitors, made up from a fixed random seed, arrive through the day and tap, swipe, hop
chapters, switch language or press keys, then walk away (the idle reset follows a minute
later). The visitors are invented: this is test data for looking at the report, not figures.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, datetime, time
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parents[1]
WINDOW = (960, 540)  # half of the 1920x1080 canvas: the same layout, a quarter of the pixels
OPEN, CLOSE = time(9, 0), time(17, 30)


class Clock:
    """The day's fake wall clock (UTC seconds)."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", type=Path, default=REPO / "content.yaml")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--date", type=date.fromisoformat, default=date(2025, 3, 14))
    parser.add_argument("--visitors", type=int, default=36)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()

    from kiosk.app import build_show
    from kiosk.content import load_content
    from kiosk.insights.storage.recorder import InsightsRecorder
    from kiosk.ui.fonts import register_fonts

    app = QApplication.instance() or QApplication(sys.argv[:1])
    family = register_fonts()
    content = load_content(args.content)
    start = datetime.combine(args.date, OPEN).timestamp()
    end = datetime.combine(args.date, CLOSE).timestamp()
    clock = Clock(start)
    recorder = InsightsRecorder(args.db, clock=clock, flush_interval_s=0.5)
    show = build_show(
        content,
        args.content.parent,
        family,
        kiosk=False,
        animation_scale=0.0,
        clock=clock,
        insights=recorder,
    )
    show.window.resize(*WINDOW)
    show.window.show()
    QTest.qWaitForWindowExposed(show.window)
    rng = random.Random(args.seed)
    arrivals = sorted(
        start + rng.triangular(0, end - start, (end - start) * 0.62) for _ in range(args.visitors)
    )
    day = Day(show, clock, rng, app)
    for arrival in arrivals:
        day.loop_until(arrival)
        day.visitor()
    day.loop_until(end)
    show.insights.finish()
    recorder.close()
    print(f"{args.db}: {args.visitors} visitors on {args.date}")
    return 0


class Day:
    """Drives the show: the attract loop between visitors, and each visitor's moves."""

    def __init__(self, show, clock: Clock, rng: random.Random, app: QApplication) -> None:
        self.show = show
        self.player = show.player
        self.clock = clock
        self.rng = rng
        self.app = app
        slides = self.player.content.slides
        self.chapters = [i for i, slide in enumerate(slides) if slide.chapter is not None]
        # Where on each slide visitors like to tap (a chart, a picture): made up per slide.
        self.spots = {slide.id: (rng.uniform(0.25, 0.8), rng.uniform(0.3, 0.7)) for slide in slides}
        self.slide_loop_at = clock.now

    def loop_until(self, moment: float) -> None:
        """The attract loop: each slide for its duration, until `moment`."""
        while True:
            due = self.slide_loop_at + self.player.content.duration_of(self.player.index) + 0.8
            if due > moment:
                break
            self.clock.now = due
            self.player.next()
            self.slide_loop_at = due
            self.app.processEvents()
        self.clock.now = max(self.clock.now, moment)

    # --- a visitor -------------------------------------------------------------------------

    def visitor(self) -> None:
        rng = self.rng
        kind = rng.choices(["browser", "chapters", "quick", "keys"], [50, 27, 18, 5])[0]
        if rng.random() < 0.3:
            self.tap_target("language")
            self.wait(2, 6)
        if kind == "quick":
            for _ in range(rng.randint(1, 2)):
                self.swipe() if rng.random() < 0.6 else self.tap_edge()
                self.wait(2, 8)
        elif kind == "keys":
            for _ in range(rng.randint(3, 7)):
                QTest.keyClick(self.show.window, Qt.Key.Key_Right)
                self.wait(4, 20)
        else:
            for _ in range(rng.randint(3, 10)):
                roll = rng.random()
                if kind == "chapters" and roll < 0.55:
                    self.tap_target(f"chapter:{rng.choice(self.chapters)}")
                elif roll < 0.2:
                    self.tap_spot()
                elif roll < 0.28:
                    self.tap_target(f"dot:{rng.randrange(self.player.count)}")
                elif roll < 0.75:
                    self.swipe()
                else:
                    self.tap_edge()
                self.wait(3, 28 if kind == "browser" else 40)
        self.clock.now += 61.0  # the visitor has gone; the idle reset follows
        self.player.check_idle()
        self.slide_loop_at = self.clock.now

    def wait(self, low: float, high: float) -> None:
        self.clock.now += self.rng.uniform(low, high)
        self.app.processEvents()

    def widget(self, x: float, y: float) -> QPoint:
        scale = self.show.stage.scale()
        return QPointF(x * scale, y * scale).toPoint()

    def stroke(self, start: tuple[float, float], end: tuple[float, float], seconds: float) -> None:
        stage = self.show.stage
        QTest.mousePress(stage, Qt.MouseButton.LeftButton, pos=self.widget(*start))
        QTest.mouseMove(stage, self.widget(*end))
        self.clock.now += seconds
        QTest.mouseRelease(stage, Qt.MouseButton.LeftButton, pos=self.widget(*end))
        self.clock.now += 0.8  # past the window in which a mouse press could be a touch echo

    def tap_target(self, name: str) -> None:
        stage = self.show.stage
        canvas = stage.canvas_rect()
        for layer in stage._layers:
            if layer.visible():
                for target in layer.targets(canvas):
                    if target.name == name:
                        centre = target.rect.center()
                        jitter = (self.rng.gauss(0, 5), self.rng.gauss(0, 4))
                        point = (centre.x() + jitter[0], centre.y() + jitter[1])
                        self.stroke(point, point, 0.1)
                        return

    def tap_spot(self) -> None:
        canvas = self.show.stage.canvas_rect()
        x, y = self.spots[self.player.content.slides[self.player.index].id]
        point = (
            canvas.width() * x + self.rng.gauss(0, 60),
            canvas.height() * y + self.rng.gauss(0, 45),
        )
        self.stroke(point, point, 0.12)

    def tap_edge(self) -> None:
        canvas = self.show.stage.canvas_rect()
        x = canvas.width() * self.rng.uniform(0.9, 0.98)
        y = canvas.height() * self.rng.uniform(0.3, 0.75)
        self.stroke((x, y), (x, y), 0.1)

    def swipe(self) -> None:
        canvas = self.show.stage.canvas_rect()
        y = canvas.height() * self.rng.uniform(0.3, 0.7)
        x0 = canvas.width() * self.rng.uniform(0.55, 0.85)
        x1 = x0 - canvas.width() * self.rng.uniform(0.2, 0.45)
        self.stroke((x0, y), (x1, y + self.rng.gauss(0, 20)), self.rng.uniform(0.15, 0.4))


if __name__ == "__main__":
    sys.exit(main())
