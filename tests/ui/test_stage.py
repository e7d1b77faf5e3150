"""The stage: transitions from pre-rendered images, entrances, autoplay, a settled idle screen."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from kiosk.slides.base import canvas_for
from kiosk.slides.canvas import layout_key
from kiosk.ui.transitions import TRANSITIONS


def _changed(a: QImage, b: QImage) -> float:
    """Percentage of slide pixels (sampled every 5th) that visibly differ between two frames.

    The top and bottom bands hold the live navigation and language switch, painted over
    the transition with the new position, so only the slide area between them counts.
    """
    a = a.convertToFormat(QImage.Format.Format_RGB32)
    b = b.convertToFormat(QImage.Format.Format_RGB32)
    changed, count = 0, 0
    for y in range(a.height() // 12, a.height() * 5 // 6, 5):
        for x in range(0, a.width(), 5):
            pa, pb = a.pixel(x, y), b.pixel(x, y)
            count += 1
            if max(abs(((pa >> s) & 255) - ((pb >> s) & 255)) for s in (0, 8, 16)) > 24:
                changed += 1
    return 100.0 * changed / count


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_each_transition_moves_from_the_outgoing_to_the_incoming_slide(
    make_show,
    fake_clock,
    name,
) -> None:
    show = make_show(clock=fake_clock, animation_scale=1.0, transition=name)
    stage = show.stage
    fake_clock.advance(10)  # let the cover's entrance finish
    stage.repaint()
    before = stage.render_frame()
    show.player.next()
    running = stage._transition
    if name == "none":
        assert running is None
        return
    assert running is not None, "the incoming slide is pre-rendered before the transition"
    start = stage.render_frame()
    fake_clock.advance(running.seconds / 2)
    middle = stage.render_frame()
    fake_clock.advance(running.seconds)
    stage.repaint()  # the transition ends; the incoming slide's entrance begins
    assert stage._transition is None
    fake_clock.advance(10)
    stage.repaint()
    after = stage.render_frame()
    assert _changed(start, before) < 0.05  # the first frame is the outgoing slide
    assert _changed(after, before) > 0.5
    assert _changed(middle, before) > 0.25 and _changed(middle, after) > 0.25


def test_the_show_plays_by_itself_and_loops(make_show, qtbot) -> None:
    show = make_show(time_scale=0.0005)  # 600 s slides last 0.3 s
    seen: list[int] = []
    show.player.position_changed.connect(lambda index, _d: seen.append(index))
    qtbot.waitUntil(lambda: len(seen) >= 7, timeout=15000)
    assert seen[:7] == [1, 2, 3, 4, 5, 0, 1]


def test_a_settled_slide_costs_no_frames(make_show, qtbot) -> None:
    show = make_show()
    show.player.report_user_input()  # interactive: no autoplay line ticking either
    show.player.next()
    stage = show.stage
    # the last frame is painted, the settled image made and the neighbours prepared
    qtbot.waitUntil(
        lambda: (
            not stage._frames.isActive()
            and stage._settled is not None
            and stage._preparation.pending == 0
        ),
        timeout=3000,
    )
    painted: list[int] = []
    stage.frame_painted.connect(lambda: painted.append(1))
    qtbot.wait(300)  # an absence: nothing may paint meanwhile
    assert painted == []


def test_navigation_during_a_transition_starts_from_what_is_on_screen(
    make_show,
    fake_clock,
) -> None:
    show = make_show(clock=fake_clock, animation_scale=1.0)
    stage = show.stage
    show.player.next()
    fake_clock.advance(0.3)
    on_screen = stage.render_frame()
    show.player.next()
    assert _changed(stage._transition.outgoing, on_screen) < 0.05


def test_frames_keep_coming_until_the_entrance_is_reported(make_show, fake_clock) -> None:
    # Regression: "done?" was asked twice per frame (to report, then to schedule); when the
    # entrance finished between the two, the frame timer stopped, nothing ever reported the
    # entrance, and autoplay froze (seen after ~1,700 transitions of `kiosk soak`).
    show = make_show(clock=fake_clock, animation_scale=1.0)
    stage = show.stage
    show.player.report_user_input()
    show.player.next()
    fake_clock.advance(10)
    stage.repaint()  # the transition ends; the entrance starts
    fake_clock.advance(10)  # the entrance is due, but no frame has reported it yet
    stage._schedule()
    assert stage._frames.isActive()
    stage.repaint()
    assert stage._entrance_reported


def test_a_slow_render_of_the_incoming_slide_skips_no_transition_frame(
    make_show, fake_clock, monkeypatch
) -> None:
    # At 4K the two images of a transition take 50-100 ms; the transition's clock starts
    # when they exist, so its first frame is still the outgoing slide, not a third of the way.
    show = make_show(clock=fake_clock, animation_scale=1.0, transition="fade")
    stage = show.stage
    fake_clock.advance(10)
    stage.repaint()
    before = stage.render_frame()
    render_view = stage._render_view
    half = show.player.content.settings.transition_duration / 2

    def slow_render_view(*args):
        fake_clock.advance(half)
        return render_view(*args)

    monkeypatch.setattr(stage, "_render_view", slow_render_view)
    show.player.next()
    assert _changed(stage.render_frame(), before) < 0.05


def test_a_transition_from_a_settled_slide_starts_from_its_settled_image(
    make_show, fake_clock, qtbot
) -> None:
    # No third full-screen image while a transition runs (33 MiB at 4K): the settled image
    # on screen is the outgoing image. It is made after the frame that shows the final
    # state, off the frame path.
    show = make_show(clock=fake_clock, animation_scale=1.0)
    stage = show.stage
    fake_clock.advance(10)
    stage.repaint()
    qtbot.waitUntil(lambda: stage._settled is not None)
    settled = stage._settled
    show.player.next()
    assert stage._transition.outgoing is settled


@pytest.mark.parametrize("name", ["fade", "zoom"])
def test_a_transition_from_a_moving_slide_starts_from_that_slide(
    make_show, fake_clock, name
) -> None:
    # Regression: a cover (its background keeps moving, so no settled image) was replaced
    # at once by the *incoming* slide, which then faded into itself: the Player's index is
    # already the new one when it reports the change.
    show = make_show("golden.yaml", clock=fake_clock, animation_scale=1.0, transition=name)
    stage = show.stage
    assert stage.views[0].ambient
    fake_clock.advance(10)
    stage.repaint()
    before = stage.render_frame()
    show.player.next()
    assert _changed(stage.render_frame(), before) < 0.05
    fake_clock.advance(stage._transition.seconds * 0.25)
    quarter = stage.render_frame()
    assert _changed(quarter, before) < _changed(quarter, stage._transition.incoming)


def test_the_image_budget_holds_the_busiest_slide(make_show) -> None:
    # The bundled content's four-picture gallery at 4K keeps ~68 MiB of plates; the budget
    # must hold them with room for the rest, or the gallery re-makes a plate at each turn.
    from pathlib import Path

    from kiosk.slides import cache
    from kiosk.slides.gallery import GallerySlideView

    content = Path(__file__).resolve().parents[2] / "content.yaml"
    show = make_show(str(content), size=(3840, 2160))
    stage = show.stage
    canvas = canvas_for(stage.width(), stage.height())
    scale = stage.width() / canvas.width()
    galleries = [view for view in stage.views if isinstance(view, GallerySlideView)]
    busiest = max(view.cached_bytes(canvas, "en", scale) for view in galleries)
    assert busiest > 60 * 2**20
    assert cache._STORE.budget >= busiest + 3 * stage.width() * stage.height() * 4


def _settle(stage, fake_clock) -> None:
    """Let the entrance on screen end and report it (a still moment)."""
    fake_clock.advance(30)
    stage.repaint()
    assert not stage.animating


def test_still_moments_prepare_both_neighbours_and_a_step_uses_them(make_show, fake_clock) -> None:
    show = make_show(clock=fake_clock, animation_scale=1.0)
    stage, player = show.stage, show.player
    player.report_user_input()  # interactive: no autoplay
    player.go_to(2)  # "two": both neighbours ("one", "three") are plain slides
    fake_clock.advance(30)
    stage.repaint()  # the transition ends
    _settle(stage, fake_clock)
    stage.run_idle_jobs()
    assert stage._preparation.prepared == [1, 3]
    canvas = stage.placement().canvas
    for view in stage.views:  # the first still moment laid out every slide
        assert (*layout_key(canvas), player.language) in view._layouts
    incoming = stage._preparation._prepared[3][1]
    player.next()
    assert stage._transition.incoming is incoming  # made at the still moment, not now
    assert stage._preparation.prepared == []  # the old neighbours' images are dropped


def test_a_prepared_image_of_another_language_is_not_used(make_show, fake_clock) -> None:
    show = make_show(clock=fake_clock, animation_scale=1.0)
    stage, player = show.stage, show.player
    player.report_user_input()
    player.go_to(2)
    fake_clock.advance(30)
    stage.repaint()
    _settle(stage, fake_clock)
    stage.run_idle_jobs()
    stale = stage._preparation._prepared[3][1]
    player.toggle_language()  # forgets them; the next still moment makes new ones
    player.next()
    assert stage._transition.incoming is not stale


@pytest.mark.parametrize("on_screen", [True, False])
def test_the_real_show_starts_with_its_first_slide_in_its_final_state(
    make_show, fake_clock, qtbot, on_screen
) -> None:
    show = make_show(clock=fake_clock, animation_scale=1.0, on_screen=on_screen)
    show.stage.repaint()  # the first frames, no time passed on the show's clock
    qtbot.wait(50)  # absence check for the control: nothing ends the entrance meanwhile
    # Text is up on the very first frame: nothing left to wait for (the control, built as
    # the tests build shows, plays the cover's entrance first).
    assert (show.player._entrance_done_index == 0) is on_screen
    assert show.stage.animating is not on_screen


def test_a_zoom_that_keeps_missing_its_budget_on_screen_becomes_a_fade(
    make_show, fake_clock, caplog
) -> None:
    show = make_show(clock=fake_clock, animation_scale=1.0, on_screen=True, transition="zoom")
    stage, player = show.stage, show.player
    player.report_user_input()
    stage._pacer._clock = StepClock(0.040)  # every frame 40 ms after the last: all late
    degraded: list[tuple[str, str, str]] = []
    stage.transition_degraded.connect(lambda *verdict: degraded.append(verdict))
    names = []
    for _ in range(3):
        player.next()
        names.append(stage.transition_name)
        start = fake_clock.now
        for step in range(1, 13):
            fake_clock.now = start + 0.8 * step / 12
            stage.repaint()
        fake_clock.now = start + 1.0
        stage.repaint()  # the transition ends and is judged
        _settle(stage, fake_clock)
    assert names == ["zoom", "zoom", "fade"]
    assert [verdict[:2] for verdict in degraded] == [("zoom", "fade")]
    assert stage.degraded_transitions == {"zoom": "fade"}
    assert sum("misses its frame budget" in r.getMessage() for r in caplog.records) == 1


class StepClock:
    """A clock that moves by `step` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_a_gallery_next_door_has_every_picture_made_before_its_turn(
    make_show, fake_clock, monkeypatch
) -> None:
    from pathlib import Path

    from kiosk.slides.gallery import GallerySlideView

    made: list[str] = []
    scaled_image = GallerySlideView._scaled_image

    def counting(self, path, width, height, *, crop):
        made.append(path)
        return scaled_image(self, path, width, height, crop=crop)

    monkeypatch.setattr(GallerySlideView, "_scaled_image", counting)
    content = Path(__file__).resolve().parents[2] / "content.yaml"
    show = make_show(str(content), clock=fake_clock, animation_scale=1.0, size=(640, 360))
    stage, player = show.stage, show.player
    player.report_user_input()
    garden = player.content.index_of("garden")
    player.go_to(garden - 1)
    fake_clock.advance(30)
    stage.repaint()
    _settle(stage, fake_clock)
    stage.run_idle_jobs()
    pictures = {image.image for image in player.content.slides[garden].images}
    assert pictures <= set(made)  # every picture made ahead, at the still moment
    before = len(made)
    player.next()
    for _ in range(40):  # the transition, the entrance and a minute of turns
        fake_clock.advance(2.0)
        stage.repaint()
    assert len(made) == before  # no picture decoded or scaled inside a frame


def test_moves_reuse_the_whole_screen_images_of_earlier_moves(make_show, fake_clock) -> None:
    """A new whole-screen image is fresh memory (page faults: 12-25 ms at 4K), so the
    images a move paints into are those of earlier moves once nothing shows them any more;
    the slide on screen and the transition under way are never painted over."""
    show = make_show(clock=fake_clock, animation_scale=1.0, transition="fade")
    stage = show.stage
    seen: set[int] = set()
    for step in range(8):
        show.player.next()  # mid-entrance: both images are made at the key
        running = stage._transition
        assert running is not None
        keys = {running.outgoing.cacheKey() >> 32, running.incoming.cacheKey() >> 32}
        assert len(keys) == 2  # the outgoing and incoming images are different images
        if step >= 2:
            assert keys <= seen, "a move allocated new whole-screen images"
        seen |= keys
        fake_clock.advance(running.seconds + 0.1)
        stage.repaint()  # the transition ends and lets its images go
        fake_clock.advance(0.3)
        stage.repaint()
    assert stage._pool.kept <= 5


def test_a_move_onto_a_bar_chart_waits_for_its_library_while_frames_go_on(
    make_show, qtbot, monkeypatch
) -> None:
    """Laying out a bar chart imports pyqtgraph (~0.3 s), which froze the screen when a key
    came before its import on a thread was done: the slide on screen goes on until the
    library is there, then the show moves (tests normally move at once: no pacing)."""
    import kiosk.ui.stage as stage_module

    ready = [False]
    monkeypatch.setattr(stage_module, "chart_library_ready", lambda: ready[0])
    show = make_show("golden.yaml", on_screen=True, animation_scale=1.0)
    stage = show.stage
    qtbot.waitUntil(lambda: stage._entrance_reported, timeout=5000)  # the cover, settled
    painted: list[int] = []
    stage.frame_painted.connect(lambda: painted.append(stage._shown))
    show.player.next()  # onto "gdp", a bar chart
    assert show.player.content.slides[show.player.index].id == "gdp"
    assert stage._shown == 0 and stage._transition is None  # still the cover, not frozen
    stage.update()
    qtbot.waitUntil(lambda: len(painted) >= 2, timeout=5000)
    assert set(painted) == {0}
    ready[0] = True
    qtbot.waitUntil(lambda: stage._shown == 1 and stage._transition is not None, timeout=5000)


def test_a_move_onto_a_slide_without_a_bar_chart_never_waits(make_show, monkeypatch) -> None:
    import kiosk.ui.stage as stage_module

    monkeypatch.setattr(stage_module, "chart_library_ready", lambda: False)
    show = make_show("golden.yaml", on_screen=True, animation_scale=1.0)
    show.player.go_to_id("peaks")  # cards
    assert show.stage._shown == show.player.index


def test_the_incoming_text_is_made_between_transition_frames_not_in_its_entrance(
    make_show, fake_clock, monkeypatch
) -> None:
    # A visitor stepping every few seconds leaves no still moment to prepare the next slide:
    # each text then made its sprite on the entrance frame that first showed it.
    from kiosk.slides import typeset
    from kiosk.slides.cache import ImageStore

    show = make_show(clock=fake_clock, animation_scale=1.0)
    stage, player = show.stage, show.player
    player.report_user_input()  # interactive: no autoplay
    _settle(stage, fake_clock)
    monkeypatch.setattr(typeset, "_sprites", ImageStore(typeset.SPRITE_BUDGET_BYTES))  # none made
    made: list[str] = []
    render_sprite = typeset.TextBox._render_sprite

    def counted(box, scale):
        made.append(box.text)
        return render_sprite(box, scale)

    monkeypatch.setattr(typeset.TextBox, "_render_sprite", counted)
    player.next()
    first_frame = len(made)  # the text the incoming image shows at the entrance's start
    while stage._transition is not None:
        fake_clock.advance(1 / 60)
        stage.repaint()
    during_transition = made[first_frame:]
    del made[:]
    for _ in range(int(stage.views[player.index].entrance_seconds * 60) + 2):
        fake_clock.advance(1 / 60)
        stage.repaint()
    assert not stage.animating  # the entrance ran to its end
    assert during_transition, "the entrance shows text its first frame did not"
    assert made == [], "text first made on an entrance frame"


def test_a_key_during_an_entrance_starts_from_the_frame_on_screen_without_a_render(
    make_show, fake_clock, monkeypatch
) -> None:
    # On a real screen the slide painted live when a key comes is kept from the next frame,
    # not rendered at the key: that render was a whole extra paint before the first
    # transition frame (a late frame at 4K).
    show = make_show(clock=fake_clock, on_screen=True, animation_scale=1.0)
    stage, player = show.stage, show.player
    player.report_user_input()  # interactive: no autoplay
    player.go_to(2)
    stage.repaint()  # the transition's first frame
    fake_clock.advance(30)
    stage.repaint()  # the transition ends; the entrance of "two" begins
    fake_clock.advance(0.3)
    stage.repaint()
    assert stage.animating and stage._transition is None  # "two" is painted live
    on_screen = stage.grab().toImage()
    renders: list[object] = []
    render = stage._render
    monkeypatch.setattr(stage, "_render", lambda *a, **k: renders.append(a) or render(*a, **k))
    player.next()
    running = stage._transition
    assert running is not None and running.capture == 2
    assert len(renders) <= 1  # the incoming image at most (it may have been prepared)
    first = stage.grab().toImage()  # the transition's first frame keeps "two" as it was
    assert running.capture is None and running.outgoing is not running.incoming
    assert _changed(running.incoming, on_screen) > 0.1  # "three" would show
    assert _changed(first, on_screen) < 0.05


def test_after_warming_up_full_collections_skip_what_lives_as_long_as_the_show(
    make_show, fake_clock
) -> None:
    # A full collection walked every object of the show: 30-90 ms, a very late frame
    # wherever Python ran one. New content thaws them, so the old content can be freed.
    import gc

    gc.unfreeze()
    show = make_show(clock=fake_clock, animation_scale=1.0)
    stage, player = show.stage, show.player
    player.report_user_input()
    _settle(stage, fake_clock)
    assert gc.get_freeze_count() == 0
    stage.run_idle_jobs()  # the first still moment: every slide laid out, then frozen
    assert gc.get_freeze_count() > 1000
    player.set_content(player.content)
    assert gc.get_freeze_count() == 0
    _settle(stage, fake_clock)
    stage.run_idle_jobs()
    assert gc.get_freeze_count() > 1000
