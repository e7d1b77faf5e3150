"""The visitors' accessibility button and panel, and what each choice does on screen: every
target 44 px or more (WCAG 2.5.5), reduced motion, pause, high contrast, larger text."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest

from kiosk.app import build_show
from kiosk.content import parse_content
from kiosk.core.player import Overlay
from kiosk.ui.access import AccessPanelLayer
from kiosk.ui.access_button import access_button_rect
from kiosk.ui.transitions import FadeTransition

REPO_DIR = Path(__file__).resolve().parents[2]
MIN_TARGET_PX = 44.0  # WCAG 2.5.5 (AAA); canvas px are screen px at 1080p
SIZES = [(1920, 1080), (1080, 1920), (1280, 720)]


def _point(show, name: str) -> QPoint:
    """Centre of the named target now reachable, in stage widget pixels."""
    for target in show.stage.targets():
        if target.name == name:
            return (target.rect.center() * show.stage.scale()).toPoint()
    names = [t.name for t in show.stage.targets()]
    raise AssertionError(f"no reachable target {name!r}; reachable: {names}")


def _tap(show, name: str) -> None:
    QTest.mouseClick(show.stage, Qt.MouseButton.LeftButton, pos=_point(show, name))


class Speaker:
    """Read-aloud as the panel sees it, where this PC can speak."""

    available = True

    def __init__(self) -> None:
        self.calls: list[str] = []

    def repeat(self) -> None:
        self.calls.append("repeat")

    def stop(self) -> None:
        self.calls.append("stop")


def _deck(slides: int, chapter_every: int) -> bytes:
    lines = ["settings: {default_duration: 600}", "slides:"]
    for n in range(slides):
        chapter = f", chapter: C{n // chapter_every}" if n and n % chapter_every == 0 else ""
        lines.append(f"  - {{id: s{n}, type: text, title: T{n}, body: B{n}{chapter}}}")
    return "\n".join(lines).encode()


@pytest.fixture
def make_deck_show(show_content, tmp_path):
    def make(data: bytes, **options):
        return show_content(parse_content(data), tmp_path, **options)

    return make


def test_the_button_opens_the_panel_and_its_rows_change_the_show(make_show) -> None:
    show = make_show()
    player, stage = show.player, show.stage
    _tap(show, "access")
    assert player.overlay is Overlay.ACCESS
    names = {t.name for t in stage.targets()}
    assert {"access:paused", "access:reduce_motion", "access:larger_text"} <= names
    assert "access:read_aloud" not in names  # no speech engine given: no read-aloud row
    _tap(show, "access:larger_text")
    _tap(show, "access:high_contrast")
    assert player.choices.larger_text and player.choices.high_contrast
    assert stage.theme.text_scale == pytest.approx(1.3) and stage.theme.solid
    assert stage.theme.background == QColor("#000000")
    _tap(show, "access:paused")
    assert player.paused
    _tap(show, "access:close")
    assert player.overlay is Overlay.NONE and player.paused
    _tap(show, "access")
    _tap(show, "access:outside")  # beside the card: closes
    assert player.overlay is Overlay.NONE
    QTest.keyClick(show.window, Qt.Key.Key_Escape)  # Esc closes it too
    _tap(show, "access")
    QTest.keyClick(show.window, Qt.Key.Key_Escape)
    assert player.overlay is Overlay.NONE


def test_read_aloud_is_offered_where_the_pc_can_speak(make_show) -> None:
    show = make_show()
    speaker = Speaker()
    panel = AccessPanelLayer(show.player, lambda: show.stage.theme, speaker)
    show.stage.add_layer(panel)  # over the app's own panel (which has no engine)
    show.player.set_overlay(Overlay.ACCESS)
    assert [row.name for row in panel.rows()][-1] == "read_aloud"
    _tap(show, "access:read_aloud")
    assert show.player.choices.read_aloud
    _tap(show, "access:repeat")
    _tap(show, "access:stop")
    assert speaker.calls == ["repeat", "stop"]
    speaker.available = False
    assert "read_aloud" not in [row.name for row in panel.rows()]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("slides", [6, 60])
def test_every_target_is_at_least_44_px_in_every_state(make_deck_show, size, slides) -> None:
    show = make_deck_show(_deck(slides, 5), size=size)
    stage, player = show.stage, show.player
    speaker = Speaker()
    stage.add_layer(AccessPanelLayer(player, lambda: stage.theme, speaker))
    seen = 0
    for index in (0, slides // 2, slides - 1):
        player.go_to(index)
        for overlay in (
            Overlay.NONE,
            Overlay.ACCESS,
            Overlay.OVERVIEW,
            Overlay.HELP,
            Overlay.STAFF,
        ):
            player.set_overlay(overlay)
            for read_aloud in (False, True):
                player.set_choice("read_aloud", read_aloud)
                for target in stage.targets():
                    seen += 1
                    rect: QRectF = target.rect
                    assert min(rect.width(), rect.height()) >= MIN_TARGET_PX, (
                        f"{target.name} is {rect.width():.0f}x{rect.height():.0f} canvas px "
                        f"({overlay.value or 'no overlay'}, slide {index + 1} of {slides})"
                    )
    assert seen > 100


def test_a_long_show_groups_its_dots_by_chapter(make_deck_show) -> None:
    show = make_deck_show(_deck(40, 8))  # a cover group, then five chapters of 8
    player = show.player
    player.go_to(10)
    names = [t.name for t in show.stage.targets()]
    assert [n for n in names if n.startswith("dot:")] == [f"dot:{i}" for i in range(8, 16)]
    assert [n for n in names if n.startswith("chapter:")] == [
        f"chapter:{i}" for i in range(0, 40, 8)
    ]
    _tap(show, "chapter:24")
    assert player.index == 24
    assert "dot:30" in [t.name for t in show.stage.targets()]
    _tap(show, "dot:30")
    assert player.index == 30


def _pixels(image: QImage, step: int = 7) -> list[tuple[int, int, int]]:
    """Sampled RGB of the slide area (between the top and bottom chrome bands)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    found = []
    for y in range(image.height() // 8, image.height() * 3 // 4, step):
        for x in range(0, image.width(), step):
            colour = image.pixelColor(x, y)
            found.append((colour.red(), colour.green(), colour.blue()))
    return found


def _blend_error(middle: QImage, before: QImage, after: QImage, amount: float) -> float:
    """Mean distance of `middle` from the cross-fade of `before` and `after`, over the
    pixels where those two differ (levels 0-255)."""
    total, count = 0.0, 0
    for m, b, a in zip(_pixels(middle), _pixels(before), _pixels(after), strict=True):
        if sum(abs(x - y) for x, y in zip(b, a, strict=True)) < 60:
            continue
        expected = [x + (y - x) * amount for x, y in zip(b, a, strict=True)]
        total += sum(abs(e - v) for e, v in zip(expected, m, strict=True)) / 3
        count += 1
    assert count > 50, "the two slides hardly differ"
    return total / count


@pytest.mark.parametrize("reduced", [True, False], ids=["reduced", "full"])
def test_reduced_motion_turns_a_push_into_a_short_cross_fade(
    make_show, fake_clock, reduced: bool
) -> None:
    show = make_show(clock=fake_clock, animation_scale=1.0, transition="slide")
    stage, player = show.stage, show.player
    player.set_choice("reduce_motion", reduced)
    fake_clock.advance(10)
    stage.repaint()
    before = stage.render_frame()
    player.next()
    running = stage._transition
    assert running is not None
    fake_clock.advance(running.seconds / 2)
    middle = stage.render_frame()
    fake_clock.advance(running.seconds)
    stage.repaint()  # the transition ends
    after = stage.render_frame()  # the very next frame
    fake_clock.advance(10)
    stage.repaint()
    settled = stage.render_frame()
    amount = FadeTransition.easing(0.5)
    if reduced:
        assert isinstance(running.transition, FadeTransition) and running.seconds <= 0.3
        assert _blend_error(middle, before, settled, amount) < 4  # a cross-fade, nothing moves
        assert _pixels(after) == _pixels(settled)  # no entrance: the final state at once
    else:
        assert _blend_error(middle, before, settled, amount) > 20  # the push moves pixels
        assert _pixels(after) != _pixels(settled)  # the entrance plays


def test_a_pause_stops_ambient_motion_where_it_is(make_deck_show, fake_clock) -> None:
    cover = b"slides:\n  - {id: c, type: cover, title: Cover, subtitle: Moving}\n"
    show = make_deck_show(
        cover + b"  - {id: t, type: text, title: T, body: B}\n",
        clock=fake_clock,
        animation_scale=1.0,
    )
    stage, player = show.stage, show.player
    fake_clock.advance(5)
    stage.repaint()
    moving = [stage.render_frame()]
    fake_clock.advance(3)
    moving.append(stage.render_frame())
    assert _pixels(moving[0]) != _pixels(moving[1])  # the cover's scenery drifts
    player.set_choice("paused", True)
    stage.repaint()
    still = [stage.render_frame()]
    fake_clock.advance(3)
    stage.repaint()
    still.append(stage.render_frame())
    assert _pixels(still[0]) == _pixels(still[1])
    assert not stage._frames.isActive()  # a paused cover costs no frames
    player.set_choice("paused", False)
    fake_clock.advance(3)
    assert _pixels(stage.render_frame()) != _pixels(still[1])  # and goes on from there


def test_reduced_motion_rests_the_scenery(make_deck_show, fake_clock) -> None:
    cover = b"settings: {accessibility: {reduce_motion: true}}\n"
    cover += b"slides:\n  - {id: c, type: cover, title: Cover, subtitle: Still}\n"
    show = make_deck_show(cover, clock=fake_clock, animation_scale=1.0)
    first = show.stage.render_frame()
    fake_clock.advance(7)
    show.stage.repaint()
    assert _pixels(show.stage.render_frame()) == _pixels(first)


def test_high_contrast_paints_solid_grounds_and_bright_text(make_show) -> None:
    show = make_show()
    show.player.set_choice("high_contrast", True)
    image = show.stage.render_frame().convertToFormat(QImage.Format.Format_RGB32)
    corners = [image.pixelColor(x, y) for x, y in ((60, 300), (1800, 400), (900, 900))]
    assert all(c == QColor("#000000") for c in corners)  # no gradient, no glow
    colours = {image.pixelColor(x, y).name() for y in range(150, 250, 2) for x in range(96, 500, 2)}
    assert "#ffffff" in colours  # the title, white on black


def test_larger_text_is_drawn_larger_not_fitted_back(make_show) -> None:
    """The rendered body text of a statement slide is 1.3 times as tall (measured in pixels)."""
    show = make_show()
    heights = []
    for larger in (False, True):
        show.player.set_choice("larger_text", larger)
        image = show.stage.render_frame().convertToFormat(QImage.Format.Format_RGB32)
        text = show.stage.theme.text
        rows = [
            y
            for y in range(300, 800)
            if any(_close(image.pixelColor(x, y), text) for x in range(300, 1620, 3))
        ]
        heights.append(rows[-1] - rows[0])
    assert heights[1] / heights[0] == pytest.approx(1.3, abs=0.06), heights


def _close(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 40


def test_the_button_sits_left_of_the_language_switch(make_show) -> None:
    show = make_show()
    canvas = show.stage.canvas_rect()
    button = access_button_rect(canvas)
    switch = next(t.rect for t in show.stage.targets() if t.name == "language")
    assert button.right() < switch.left() and button.top() == switch.top()


def test_larger_text_never_cuts_the_chapter_labels(repo_content, font_family, qtbot) -> None:
    from kiosk.ui.chrome import NavigationLayer

    show = build_show(repo_content, REPO_DIR, font_family, kiosk=False, animation_scale=0.0)
    try:
        show.window.resize(1920, 1080)
        show.player.set_choice("larger_text", True)
        nav = next(layer for layer in show.stage._layers if isinstance(layer, NavigationLayer))
        labels = nav.label_boxes(show.stage.canvas_rect())
        assert len(labels) == 4 and all(box.fits for _rect, _current, box in labels)
    finally:
        show.window.allow_close()
        show.window.close()
