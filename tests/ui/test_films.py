"""Films in the show: played when their slide stands, read from the pixels the stage paints
(each test clip shows its frame number as a row of cells, tests/films.py), looped without a
gap, ended into the next slide, paused by a tap, started again on return, and every fault
turned into a placeholder, one log line and a show that moves on."""

from __future__ import annotations

import logging
import os
import time

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QMediaPlayer

from films import make_clip, read_counter
from kiosk.core.player import Mode, Overlay
from kiosk.slides.film import VideoSlideView

FILM, LOOP, AFTER = 1, 2, 3  # slide positions in tests/fixtures/decks/films.yaml
WAIT_MS = 8000  # opening a film and a frame: ~20 ms, generously more on a busy machine


def on_screen(image: QImage) -> int | None:
    """The frame number a whole-screen image shows (the clips are 16:9 like the screen)."""
    return read_counter(image, 0, 0, image.width(), image.height())


def counter_painted(show) -> int | None:
    """The frame number the stage paints now."""
    return on_screen(show.stage.render_frame())


def wait_playing(qtbot, show, index: int) -> VideoSlideView:
    """Until the film of slide `index` has shown a frame of its own; its view."""
    view = show.stage.views[index]
    qtbot.waitUntil(
        lambda: show.films.playing_index == index and show.films.deck.screen.frames > 0,
        timeout=WAIT_MS,
    )
    return view


def frames_seen(qtbot, show, seconds: float) -> list[tuple[float, int | None]]:
    """(time, frame number) of every frame the stage paints for `seconds`."""
    seen: list[tuple[float, int | None]] = []

    def record() -> None:
        view = show.stage.views[show.player.index]
        picture = view.picture() if isinstance(view, VideoSlideView) else None
        number = None if picture is None else on_screen(picture)
        seen.append((time.monotonic(), number))

    show.stage.frame_painted.connect(record)
    qtbot.wait(round(seconds * 1000))
    show.stage.frame_painted.disconnect(record)
    return seen


def test_a_film_plays_when_its_slide_stands_and_the_screen_shows_its_frames(
    qtbot, make_show, film_deck
) -> None:
    show = make_show(str(film_deck()), start_index=FILM)
    wait_playing(qtbot, show, FILM)
    first = counter_painted(show)
    qtbot.waitUntil(lambda: (counter_painted(show) or 0) > (first or 0) + 5, timeout=WAIT_MS)
    assert first is not None, "the stage paints the film's frames (counter cells readable)"


def test_the_probe_gives_a_play_once_film_its_length_and_the_show_moves_on_at_its_end(
    qtbot, make_show, film_deck
) -> None:
    show = make_show(str(film_deck()), start_index=FILM)
    qtbot.waitUntil(lambda: show.player.dwell_seconds(FILM) == pytest.approx(2.0), timeout=WAIT_MS)
    assert show.player.dwell_seconds(LOOP) == 4.0  # play: loop keeps its duration
    wait_playing(qtbot, show, FILM)
    last: list[int] = []
    show.stage.frame_painted.connect(
        lambda: last.append(counter_painted(show) or 0) if show.player.index == FILM else None
    )
    with qtbot.waitSignal(show.player.position_changed, timeout=WAIT_MS) as moved:
        pass
    assert moved.args[0] == LOOP
    assert max(last) >= 44, f"the film was shown to its end (frame 49), last seen {max(last)}"


def test_a_looping_film_loops_without_a_gap(qtbot, make_show, film_deck) -> None:
    show = make_show(str(film_deck()), start_index=LOOP)
    wait_playing(qtbot, show, LOOP)
    seen = frames_seen(qtbot, show, 2.6)
    numbers = [number for _, number in seen]
    assert None not in numbers, "every painted frame is a film frame: never black, never blank"
    wraps = [i for i in range(1, len(seen)) if numbers[i] < numbers[i - 1]]
    assert wraps, f"the 1 s film looped: {numbers}"
    for i in wraps:
        assert numbers[i - 1] >= 22 and numbers[i] <= 2, f"a jump at the loop: {numbers}"
        gap = seen[i][0] - seen[i - 1][0]
        assert gap < 0.5, f"{gap:.2f} s between the last and the first frame of the loop"


def test_a_tap_on_the_film_pauses_it_and_another_resumes_it(qtbot, make_show, film_deck) -> None:
    show = make_show(str(film_deck()), start_index=LOOP)
    wait_playing(qtbot, show, LOOP)
    target = show.stage.hit_test(QPointF(960, 500))
    assert target is not None and target.name == "film"
    show.player.report_user_input()  # what the touch controller reports first
    target.action()
    assert show.player.mode is Mode.INTERACTIVE
    media = show.films.deck.screen.media_player
    qtbot.waitUntil(
        lambda: media.playbackState() is QMediaPlayer.PlaybackState.PausedState, timeout=WAIT_MS
    )
    held = counter_painted(show)
    qtbot.wait(300)
    assert counter_painted(show) == held, "a paused film holds its frame"
    assert show.films.paused
    target.action()
    qtbot.waitUntil(lambda: counter_painted(show) != held, timeout=WAIT_MS)
    edge = show.stage.hit_test(QPointF(1900, 500))
    assert edge is None or edge.name != "film", "the edges still step through the show"


def test_returning_to_a_film_starts_it_from_the_beginning(qtbot, make_show, film_deck) -> None:
    show = make_show(str(film_deck()), start_index=LOOP)
    show.player.set_mode(Mode.INTERACTIVE)
    wait_playing(qtbot, show, LOOP)
    qtbot.waitUntil(lambda: show.films.deck.screen.frames > 12, timeout=WAIT_MS)
    show.player.next()
    assert show.films.playing_index is None, "the film stops when the show moves on"
    show.player.previous()
    wait_playing(qtbot, show, LOOP)
    assert (counter_painted(show) or 0) <= 3


def test_the_transition_shows_the_last_frame_out_and_the_first_frame_in(
    qtbot, make_show, film_deck, fake_clock
) -> None:
    show = make_show(str(film_deck()), clock=fake_clock, animation_scale=1.0)
    show.player.set_mode(Mode.INTERACTIVE)
    qtbot.waitUntil(lambda: show.stage.views[FILM].first_frame is not None, timeout=WAIT_MS)
    show.player.go_to(FILM)  # a fade from the text slide
    assert on_screen(show.stage._transition.incoming) == 0, "the film comes in on its first frame"
    fake_clock.advance(5)
    show.stage.repaint()
    wait_playing(qtbot, show, FILM)
    qtbot.waitUntil(lambda: show.films.deck.screen.frames > 10, timeout=WAIT_MS)
    show.stage.repaint()
    shown = counter_painted(show)
    show.player.next()
    outgoing = on_screen(show.stage._transition.outgoing)
    assert outgoing is not None and outgoing >= (shown or 0) >= 8, "out on its last shown frame"


def test_at_most_two_media_players_ever_exist(qtbot, make_show, film_deck) -> None:
    show = make_show(str(film_deck()), start_index=FILM)
    show.player.set_mode(Mode.INTERACTIVE)
    for _ in range(3):
        for index in (FILM, LOOP):
            show.player.go_to(index)
            wait_playing(qtbot, show, index)
    assert len(show.player.findChildren(QMediaPlayer)) == 2


def test_sound_is_muted_whenever_the_player_says_the_show_is_not_audible(
    qtbot, make_show, film_deck, tmp_path
) -> None:
    sound = make_clip(tmp_path / "sound.mp4", seconds=1.0, audio=True)
    deck = film_deck(loop=sound)
    text = deck.read_text(encoding="utf-8").replace("    fit: cover", "    audio: true")
    deck.write_text(text, encoding="utf-8")
    show = make_show(str(deck), start_index=LOOP)
    wait_playing(qtbot, show, LOOP)
    output = show.films.deck.screen.media_player.audioOutput()
    assert output is not None and not output.isMuted()
    assert output.volume() > 0.0
    show.player.set_blackout(True)
    assert output.isMuted()
    show.player.set_blackout(False)
    show.player.set_overlay(Overlay.HELP)
    assert output.isMuted()
    show.player.set_overlay(Overlay.NONE)
    assert not output.isMuted()


def test_a_film_without_sound_attaches_no_audio_output(qtbot, make_show, film_deck) -> None:
    show = make_show(str(film_deck()), start_index=LOOP)
    wait_playing(qtbot, show, LOOP)
    assert show.films.deck.screen.media_player.audioOutput() is None


@pytest.mark.parametrize(
    "broken",
    ["missing", "garbage", "truncated"],
)
def test_a_film_that_cannot_play_is_a_placeholder_one_log_line_and_skipped(
    qtbot, make_show, film_deck, film_clips, caplog, broken
) -> None:
    data = (film_clips / "once.mp4").read_bytes()
    replace = {
        "garbage": b"not a film at all " * 64,
        "truncated": data[: len(data) // 3],
    }
    deck = film_deck(**({"once": replace[broken]} if broken in replace else {}))
    if broken == "missing":
        (deck.parent / "clips" / "once.mp4").unlink()
    caplog.set_level(logging.WARNING)
    show = make_show(str(deck), start_index=0)
    show.player.set_mode(Mode.INTERACTIVE)
    show.player.go_to(FILM)  # a visitor steps onto it (a truncated film fails as it plays)
    view = show.stage.views[FILM]
    qtbot.waitUntil(lambda: view.fault is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: show.player.index == LOOP, timeout=WAIT_MS)  # it moved on
    placeholder = show.stage._render_view(FILM, 0.0, 0.0)
    assert on_screen(placeholder) is None  # no film, no counter: the calm placeholder
    show.player.previous()
    assert show.player.index == 0, "the show skips the film that cannot play from now on"
    lines = [r for r in caplog.records if "clips/once.mp4" in r.getMessage()]
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert "placeholder" in lines[0].getMessage()


@pytest.mark.slow
def test_a_film_damaged_while_it_plays_moves_the_show_on(
    qtbot, make_show, film_deck, tmp_path, caplog
) -> None:
    # Long enough that the engine has not read it all: it reads ~5 s ahead.
    long = make_clip(tmp_path / "long.mp4", seconds=20.0)
    show = make_show(str(film_deck(loop=long)), start_index=LOOP)
    show.player.set_mode(Mode.INTERACTIVE)  # no autoplay: only the fault may move the show
    show.films.deck.screen.stall_ms = 800
    wait_playing(qtbot, show, LOOP)
    caplog.set_level(logging.WARNING)
    path = show.stage.views[LOOP].video_path
    with path.open("r+b") as film:  # the middle of the file turns to noise under the decoder
        film.seek(path.stat().st_size // 8)
        film.write(os.urandom(path.stat().st_size * 7 // 8))
    with qtbot.waitSignal(show.player.position_changed, timeout=15000) as moved:
        pass
    assert moved.args[0] == AFTER
    assert show.stage.views[LOOP].fault is not None
    assert sum("clips/loop.mp4" in r.getMessage() for r in caplog.records) == 1


def test_a_film_replaced_by_a_broken_file_while_it_plays_moves_the_show_on(
    qtbot, make_show, film_deck, caplog
) -> None:
    from kiosk.core.watcher import ContentWatcher
    from kiosk.ui.live import LiveContent

    deck = film_deck()
    show = make_show(str(deck), start_index=LOOP)
    show.player.set_mode(Mode.INTERACTIVE)
    watcher = ContentWatcher(deck, show.player.content, poll_ms=100, parent=show.player)
    LiveContent(watcher, show.player, show.stage, parent=show.player)
    watcher.start()
    wait_playing(qtbot, show, LOOP)
    caplog.set_level(logging.WARNING)
    fresh = deck.parent / "clips" / "loop.new"
    fresh.write_bytes(b"an editor saved the wrong file " * 40)
    fresh.replace(deck.parent / "clips" / "loop.mp4")  # a new file under the same name
    qtbot.waitUntil(lambda: show.player.index == AFTER, timeout=WAIT_MS)
    assert show.stage.views[LOOP].fault is not None
    assert sum("clips/loop.mp4" in r.getMessage() for r in caplog.records) == 1
    watcher.stop()


def test_captions_follow_the_film_in_the_shows_language(qtbot, make_show, film_deck) -> None:
    show = make_show(str(film_deck()), start_index=FILM)
    view = wait_playing(qtbot, show, FILM)
    assert [cue.text for cue in view.cues("zh")] == ["第一句字幕", "第二句字幕"]
    assert [cue.text for cue in view.cues("en")] == ["The first line", "The second"]
    with_captions = show.stage.render_frame()
    cues = view._cues
    view._cues = {"zh": [], "en": []}
    without = show.stage.render_frame()
    view._cues = cues
    band = [
        (x, y)
        for y in range(with_captions.height() * 3 // 4, with_captions.height() * 7 // 8, 4)
        for x in range(with_captions.width() // 3, with_captions.width() * 2 // 3, 4)
    ]
    differ = sum(with_captions.pixel(x, y) != without.pixel(x, y) for x, y in band)
    assert differ > len(band) * 0.05, "the caption is drawn near the bottom of the film"


def test_a_screen_joining_the_common_timeline_mid_film_starts_the_film_there(
    qtbot, make_show, film_deck
) -> None:
    deck = film_deck()
    text = deck.read_text(encoding="utf-8")
    deck.write_text(
        text.replace("  transition: fade\n", "  transition: fade\n  sync: wall_clock\n")
    )
    wall = [1_000_000.0]
    show = make_show(str(deck), wall_clock=lambda: wall[0])
    player = show.player
    qtbot.waitUntil(lambda: player.dwell_seconds(FILM) == pytest.approx(2.0), timeout=WAIT_MS)
    asked: list[float] = []
    timeline = show.films.start_position
    show.films.start_position = lambda index: asked.append(timeline(index)) or asked[-1]
    slots = [player.slot_seconds(index) for index in range(player.count)]
    wall[0] = sum(slots) * 10_000 + 0.5  # on the first slide
    player.check_clock()
    assert player.index == 0 and show.films.playing_index is None
    wall[0] += slots[0] - 0.5 + player.lead_in_seconds(FILM) + 1.2
    player.check_clock()  # the clock moved: this screen joins the timeline, mid-film
    assert player.index == FILM
    wait_playing(qtbot, show, FILM)
    assert asked and asked[0] > 0.7, f"the film starts where the timeline is: {asked}"
    qtbot.waitUntil(lambda: show.films.deck.screen.frames >= 2, timeout=WAIT_MS)
    shown = counter_painted(show)
    expected = round(asked[0] * 25)  # 25 fps: the frame at that position
    assert shown is not None and expected - 1 <= shown <= expected + 12, (shown, expected)
