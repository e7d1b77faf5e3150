"""The staff keypad layer: shown only for the STAFF overlay, modal, big keys, text that fits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter

from conftest import FakeClock, FakePinStore
from kiosk.content import parse_content
from kiosk.core.lock import StaffLock
from kiosk.core.pin import hash_pin
from kiosk.core.player import Overlay, Player
from kiosk.slides.theme import SlideTheme
from kiosk.ui.keypad import LOCKOUT_FRAME_MS, MIN_KEY, StaffKeypadLayer
from kiosk.ui.layers import MIN_TARGET, HitTarget

DECK = b"slides:\n  - {id: a, type: text, title: A, body: a}\n"
PIN = "1234"
CANVASES = [QRectF(0, 0, 1920, 1080), QRectF(0, 0, 1080, 1920)]
EXPECTED_NAMES = {f"keypad:{d}" for d in "0123456789"} | {
    "keypad:back",
    "keypad:ok",
    "keypad:cancel",
}


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin(PIN)


class Keypad:
    """A keypad layer with everything it talks to, for one test."""

    def __init__(self, theme: SlideTheme, pin_hash: str | None) -> None:
        self.clock = FakeClock()
        self.player = Player(parse_content(DECK), clock=self.clock)
        self.lock = StaffLock(FakePinStore(pin_hash), clock=self.clock)
        self.layer = StaffKeypadLayer(self.player, self.lock, lambda: theme, self.clock)

    def target(self, name: str, canvas: QRectF = CANVASES[0]) -> HitTarget:
        return next(t for t in self.layer.targets(canvas) if t.name == name)

    def tap(self, *names: str) -> None:
        for name in names:
            self.target(name).action()


@pytest.fixture
def keypad(qtbot, theme: SlideTheme, pin_hash: str) -> Keypad:
    return Keypad(theme, pin_hash)


def test_the_layer_shows_only_for_the_staff_overlay(keypad: Keypad) -> None:
    assert not keypad.layer.visible()
    keypad.player.set_overlay(Overlay.HELP)
    assert not keypad.layer.visible()
    keypad.player.set_overlay(Overlay.STAFF)
    assert keypad.layer.visible() and keypad.layer.modal()


def test_the_right_pin_unlocks(qtbot, keypad: Keypad) -> None:
    keypad.player.set_overlay(Overlay.STAFF)
    with qtbot.waitSignal(keypad.lock.unlocked, timeout=1000):
        keypad.tap("keypad:1", "keypad:2", "keypad:3", "keypad:4", "keypad:ok")


def test_a_wrong_pin_fails_and_backspace_edits(qtbot, keypad: Keypad) -> None:
    keypad.player.set_overlay(Overlay.STAFF)
    keypad.tap("keypad:1", "keypad:2", "keypad:9", "keypad:back")
    assert keypad.lock.entered_length == 2
    with qtbot.waitSignal(keypad.lock.failed, timeout=1000) as blocker:
        keypad.tap("keypad:3", "keypad:5", "keypad:ok")
    assert blocker.args == [1]
    assert "Wrong PIN" in keypad.layer.message_text()


@pytest.mark.parametrize("canvas", CANVASES, ids=["landscape", "portrait"])
def test_every_target_is_big_enough_and_inside_the_canvas(keypad: Keypad, canvas: QRectF) -> None:
    targets = keypad.layer.targets(canvas)
    assert {t.name for t in targets} == EXPECTED_NAMES
    for target in targets:
        assert target.rect.width() >= MIN_TARGET and target.rect.height() >= MIN_TARGET
        assert canvas.contains(target.rect), target.name
        if target.name != "keypad:cancel":
            assert min(target.rect.width(), target.rect.height()) >= MIN_KEY, target.name
    for i, first in enumerate(targets):
        assert not any(first.rect.intersects(other.rect) for other in targets[i + 1 :])


def _render(keypad: Keypad, canvas: QRectF) -> QImage:
    image = QImage(QSize(int(canvas.width()), int(canvas.height())), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    keypad.layer.paint(painter, canvas, keypad.clock())
    painter.end()
    return image


def _locked(keypad: Keypad) -> None:
    for _ in range(3):
        keypad.tap("keypad:9", "keypad:9", "keypad:9", "keypad:9", "keypad:ok")


@pytest.mark.parametrize("canvas", CANVASES, ids=["landscape", "portrait"])
@pytest.mark.parametrize("state", ["typing", "wrong", "locked", "no_pin"])
def test_the_rendered_keypad_fits_every_text(
    theme: SlideTheme, pin_hash: str, canvas: QRectF, state: str
) -> None:
    keypad = Keypad(theme, None if state == "no_pin" else pin_hash)
    keypad.player.set_overlay(Overlay.STAFF)
    if state == "typing":
        keypad.tap(*(["keypad:8"] * 12))
    elif state == "wrong":
        keypad.tap("keypad:9", "keypad:9", "keypad:9", "keypad:9", "keypad:ok")
    elif state == "locked":
        _locked(keypad)
    assert keypad.lock.message == ("" if state == "typing" else state)
    image = _render(keypad, canvas)
    corner = image.pixelColor(5, 5)
    assert corner.lightness() < 128  # the backdrop dims what is below
    centre = canvas.center()
    assert image.pixelColor(int(centre.x()), int(centre.y())) != corner  # the panel is there
    boxes = keypad.layer.text_boxes(canvas)
    assert {b.text for b in boxes} >= {"员工退出 · Staff exit", "0", "9", "OK", "取消 · Cancel"}
    assert all(box.fits for box in boxes), [box.text for box in boxes if not box.fits]


def test_the_lockout_countdown_runs_frames_and_ends(keypad: Keypad) -> None:
    keypad.player.set_overlay(Overlay.STAFF)
    assert keypad.layer.frame_interval(keypad.clock()) == 0
    _locked(keypad)
    assert keypad.layer.frame_interval(keypad.clock()) == LOCKOUT_FRAME_MS
    assert "30 s" in keypad.layer.message_text()
    keypad.clock.now += 12.5
    assert "18 s" in keypad.layer.message_text()
    keypad.tap("keypad:1")  # ignored while locked
    assert keypad.lock.entered_length == 0
    keypad.clock.now += 18
    assert keypad.layer.frame_interval(keypad.clock()) == 0
    assert "Enter the staff PIN" in keypad.layer.message_text()


def test_cancel_closes_the_overlay_and_forgets_the_digits(keypad: Keypad) -> None:
    keypad.player.set_overlay(Overlay.STAFF)
    keypad.tap("keypad:1", "keypad:2")
    keypad.tap("keypad:cancel")
    assert keypad.player.overlay is Overlay.NONE
    assert keypad.lock.entered_length == 0
    assert not keypad.layer.visible()


def test_closing_or_opening_the_overlay_starts_from_an_empty_field(keypad: Keypad) -> None:
    keypad.player.set_overlay(Overlay.STAFF)
    keypad.tap("keypad:5", "keypad:5")
    keypad.player.set_overlay(Overlay.NONE)  # e.g. the idle reset
    assert keypad.lock.entered_length == 0
    keypad.tap("keypad:9", "keypad:9", "keypad:9", "keypad:9")
    keypad.tap("keypad:ok")
    keypad.player.set_overlay(Overlay.STAFF)
    assert keypad.lock.message == ""  # an old "wrong PIN" is not shown to the next person


def test_on_the_stage_the_keypad_takes_every_tap(keypad: Keypad, font_family: str, media) -> None:
    from kiosk.ui.stage import Stage

    stage = Stage(keypad.player, font_family, media, clock=keypad.clock)
    stage.resize(1920, 1080)
    stage.add_layer(keypad.layer)
    assert stage.hit_test(QPointF(960, 540)) is None  # nothing on the keypad is visible yet
    keypad.player.set_overlay(Overlay.STAFF)
    ok = keypad.target("keypad:ok")
    hit = stage.hit_test(ok.rect.center())
    assert hit is not None and hit.name == "keypad:ok"
    assert stage.hit_test(QPointF(10, 10)) is None  # the backdrop swallows the tap
    stage.deleteLater()
