"""A scripted morning at the kiosk, shared by the insights tests: the real show (chapters deck,
1920x1080, offscreen) on a fake clock, driven with QTest touches, mouse clicks and keys.

Two visitors and a member of staff, 10:00 to 10:04:38 on 14 March 2025 (local time):

- 10:00:00 the show loops; at +10 s autoplay moves to slide "one".
- visitor 1: +12 s taps the right edge (next), +20 s swipes left (next), +30 s presses L
  (English), +35 s taps the "four" chapter, +40 s taps the language switch (Chinese), then
  walks away; the idle reset comes at +101.1 s.
- visitor 2: +200 s presses Right, +205 s types 4, +206 s Enter (slide 4, "three").
- a presenter key in the presenter window at +210 s (next: "four").
- staff, +211 s: five taps in the top-left corner, the keypad, a digit typed, a key tapped,
  Esc. The idle reset comes at +273.5 s; the show is stopped at +278.5 s.

Every number the tests expect is counted by hand from this script (see the tests).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from conftest import FIXTURES, FakeClock, FakePinStore
from kiosk.content import load_content
from kiosk.core.pin import hash_pin
from kiosk.insights.storage.recorder import InsightsRecorder

T0 = datetime(2025, 3, 14, 10, 0, 0).timestamp()
RELEASE = "2025.03.1"
SIZE = (1920, 1080)


@dataclass
class RecordingShow:
    """The show, its recorder, the fake clock and where the deck and database live."""

    show: object
    recorder: InsightsRecorder
    clock: FakeClock
    deck: Path
    database: Path
    touch_device: object

    # --- input ---------------------------------------------------------------------------

    def at(self, seconds: float) -> None:
        """Move the clock to T0 + seconds."""
        self.clock.now = T0 + seconds

    def point(self, name: str) -> QPoint:
        """Centre of a named tap target, in window coordinates."""
        stage = self.show.stage
        canvas = stage.canvas_rect()
        for layer in stage._layers:
            if layer.visible():
                for target in layer.targets(canvas):
                    if target.name == name:
                        return (target.rect.center() * stage.scale()).toPoint()
        raise AssertionError(f"no visible target {name}")

    def touch(self, points: list[QPoint], seconds: float = 0.1) -> None:
        """One finger down at the first point, through the others, up at the last, taking
        `seconds` on the fake clock."""
        steps = [("press", points[0])] + [("move", p) for p in points[1:-1]]
        steps.append(("release", points[-1]))
        for number, (verb, point) in enumerate(steps):
            if number == len(steps) - 1:
                self.clock.advance(seconds)
            sequence = QTest.touchEvent(self.show.window, self.touch_device, False)
            getattr(sequence, verb)(0, point)
            sequence.commit()

    def key(self, key: Qt.Key, widget: object | None = None) -> None:
        """A key press and release on the audience window (or `widget`)."""
        QTest.keyClick(widget or self.show.window, key)

    def click(self, point: QPoint) -> None:
        """A mouse click on the stage."""
        QTest.mouseClick(self.show.stage, Qt.MouseButton.LeftButton, pos=point)

    def idle_reset(self) -> None:
        """Let the Player look at its idle clock (its timer would, every 250 ms)."""
        self.show.player.check_idle()


def start_recording_show(tmp_path: Path, font_family: str, touch_device) -> RecordingShow:
    """The chapters deck copied beside a fleet manifest, shown and recorded from T0."""
    from kiosk.app import build_show

    folder = tmp_path / "release"
    folder.mkdir()
    deck = folder / "content.yaml"
    shutil.copy(FIXTURES / "decks" / "chapters.yaml", deck)
    (folder / "manifest.json").write_text(f'{{"version": "{RELEASE}"}}', encoding="utf-8")
    clock = FakeClock()
    clock.now = T0
    database = tmp_path / "insights.sqlite3"
    recorder = InsightsRecorder(database, clock=clock, flush_interval_s=60)
    show = build_show(
        load_content(deck),
        folder,
        font_family,
        kiosk=True,
        animation_scale=0.0,
        clock=clock,
        pin_store=FakePinStore(hash_pin("2468")),
        insights=recorder,
    )
    show.window.resize(*SIZE)
    show.window.show()
    assert QTest.qWaitForWindowExposed(show.window)
    return RecordingShow(show, recorder, clock, deck, database, touch_device)


def play_the_morning(run: RecordingShow) -> None:
    """The script of the module docstring."""
    from kiosk.ui.presenter import PresenterWindow

    show, player = run.show, run.show.player
    run.at(10)
    player.next()  # what autoplay's timer does after the cover's time

    run.at(12)
    run.touch([QPoint(1880, 540), QPoint(1880, 540)])  # tap on the right edge
    run.at(20)
    run.touch([QPoint(1400, 500), QPoint(1000, 510), QPoint(600, 520)], seconds=0.2)
    run.at(30)
    run.key(Qt.Key.Key_L)
    run.at(35)
    chapter = run.point("chapter:4")
    run.touch([chapter, chapter])
    run.at(40)
    switch = run.point("language")
    run.touch([switch, switch])
    run.at(101.1)
    run.idle_reset()

    run.at(200)
    run.key(Qt.Key.Key_Right)
    run.at(205)
    run.key(Qt.Key.Key_4)
    run.at(206)
    run.key(Qt.Key.Key_Return)

    run.at(210)
    presenter = PresenterWindow(show.stage)
    show.keyboard.watch(presenter)
    run.key(Qt.Key.Key_Right, presenter)
    presenter.close()
    presenter.deleteLater()

    run.at(211)
    for _ in range(5):
        run.click(QPoint(30, 30))
        run.clock.advance(0.3)
    assert player.overlay.value == "staff"
    run.key(Qt.Key.Key_1)
    run.click(run.point("keypad:2"))
    run.key(Qt.Key.Key_Escape)
    assert player.overlay.value == ""
    run.at(273.5)
    run.idle_reset()
    run.at(278.5)
    show.insights.finish()
