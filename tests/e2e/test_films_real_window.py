"""End to end: the real `kiosk show` full screen on Xvfb plays a film. An observer process on
the same display reads the frame number each clip frame carries (a row of cells) straight
from the X server: the film plays at about its frame rate, loops with no blank between the
last frame and the first, and gives way to the next slide with a cross-fade.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from films import make_clip
from kiosk.bench_film import observe, show_env, start_xvfb, stop, wait_for

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

SIZE = (1280, 720)
FPS = 25
DECK = """\
settings: {default_duration: 600, transition: fade, transition_duration: 0.6}
slides:
  - {id: before, type: text, title: 开始, body: Before the film, duration: 1}
  - {id: film, type: video, title: {zh: 测试影片, en: Test film}, video: loop.mp4, play: loop,
     duration: 3.5}
  - {id: after, type: text, title: 结束, body: After the film}
"""


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A private Xvfb (1280x720, no window manager)."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (./dev.sh test installs it)")
    server, name = start_xvfb(SIZE)
    try:
        yield name
    finally:
        stop(server)


def test_a_film_plays_at_its_rate_loops_without_a_gap_and_fades_into_the_next_slide(
    display: str, tmp_path: Path
) -> None:
    make_clip(tmp_path / "loop.mp4", seconds=1.0, fps=FPS, size=SIZE)
    deck = tmp_path / "content.yaml"
    deck.write_text(DECK, encoding="utf-8")
    log = tmp_path / "show.log"
    env = show_env(tmp_path, display)
    with log.open("wb") as out:
        show = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "show", str(deck)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(log, "showing ", show, 30)
        samples = observe(env, 7.0)  # the still slide, the film, the fade to the last slide
        wait_for(log, "slide 3/3: after", show, 10)
    finally:
        stop(show)
    text = log.read_text("utf-8", "replace")
    assert "Traceback" not in text and "cannot play" not in text, text
    film = [(t, n) for t, n, _m in samples if n is not None]
    assert film, f"no film frame ever reached the screen:\n{text}"
    numbers = [n for _, n in film]
    distinct = sum(1 for a, b in itertools.pairwise(numbers) if a != b) + 1
    seconds = film[-1][0] - film[0][0]
    assert distinct / seconds >= FPS * 0.5, f"{distinct} frames in {seconds:.1f} s: not a film"
    # Between its first and last frame on screen, the film never left it: no blank, no black.
    first = samples.index(next(s for s in samples if s[1] is not None))
    last = (
        len(samples) - 1 - samples[::-1].index(next(s for s in samples[::-1] if s[1] is not None))
    )
    assert all(n is not None for _, n, _m in samples[first : last + 1]), "a blank in the film"
    wraps = [i for i in range(1, len(numbers)) if numbers[i] < numbers[i - 1]]
    assert wraps, f"the 1 s film never looped: {numbers}"
    for i in wraps:
        assert numbers[i - 1] >= FPS - 4 and numbers[i] <= 3, f"a jump at the loop: {numbers}"
        assert film[i][0] - film[i - 1][0] < 0.3, "a pause at the loop point"
    # Then the cross-fade: the white marker cell dims through grey, not in one cut.
    after = [m for _t, n, m in samples[last + 1 :] if n is None]
    assert any(60 < m < 200 for m in after), f"no blend after the film: {after[:40]}"
