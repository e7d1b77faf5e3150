"""Work off the frame path and transitions that keep missing their budget (ui/pacing.py)."""

from __future__ import annotations

import logging

from kiosk.ui.pacing import IdleJobs, TransitionPacer


class StepClock:
    """A clock that moves by `step` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


class LateClock:
    """60 Hz frames, with the frame after each `late()` call 35 ms late (two vsyncs)."""

    def __init__(self) -> None:
        self.now, self._late = 0.0, 0

    def late(self, frames: int = 1) -> None:
        self._late += frames

    def __call__(self) -> float:
        if self._late:
            self._late -= 1
            self.now += 0.035
        else:
            self.now += 1 / 60
        return self.now


def _run(pacer: TransitionPacer, name: str, frames: int = 48, late: int = 0):
    """A transition of `frames` frames; with `late`, that many frames mid-run come late (the
    pacer must then be on a LateClock)."""
    pacer.start(name)
    for frame in range(frames):
        if late and frame == frames // 2:
            pacer._clock.late(late)
        pacer.frame()
    return pacer.finish()


def test_zoom_that_keeps_missing_its_budget_becomes_a_fade_once(caplog) -> None:
    slow = StepClock(0.040)  # every frame 40 ms after the last: all late
    pacer = TransitionPacer(clock=slow)
    assert _run(pacer, "zoom") is None  # one bad run is not "keeps missing"
    verdict = _run(pacer, "zoom")
    assert verdict is not None and verdict[:2] == ("zoom", "fade")
    assert pacer.choose("zoom") == "fade" and pacer.degraded == {"zoom": "fade"}
    assert _run(pacer, "zoom") is None  # said once
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "using fade from now on" in warnings[0].getMessage()


def test_a_zoom_one_frame_late_each_run_is_given_up_for_the_goal_of_2_per_10() -> None:
    """At 4K a zoom missed one vsync in most runs (12 late frames per 10): within the old
    budget of 2 late frames *per run* it stayed a zoom, 6 times over the show's goal."""
    clock = LateClock()
    pacer = TransitionPacer(clock=clock)
    verdicts = []
    for _ in range(3):
        verdicts.append(_run(pacer, "zoom", late=1))
    assert verdicts[:2] == [None, None]  # 2 late frames in 2 runs: still within the goal
    assert verdicts[2] is not None and verdicts[2][:2] == ("zoom", "fade")
    assert "3 frames later than 25 ms, in 3 runs" in verdicts[2][2]


def test_a_zoom_within_the_goal_or_with_one_bad_moment_stays() -> None:
    clock = LateClock()
    pacer = TransitionPacer(clock=clock)
    assert _run(pacer, "zoom", late=5) is None  # one hiccup of the machine
    for _ in range(9):
        assert _run(pacer, "zoom") is None
    # The hiccup has left the ten runs judged; now 2 late frames per 10, in two runs.
    for _ in range(2):
        assert _run(pacer, "zoom", late=1) is None
        for _ in range(4):
            assert _run(pacer, "zoom") is None
    assert pacer.degraded == {}


def test_a_transition_on_time_or_without_a_cheaper_one_stays() -> None:
    pacer = TransitionPacer(clock=StepClock(1 / 60))
    for _ in range(3):
        assert _run(pacer, "zoom") is None
    pacer = TransitionPacer(clock=StepClock(0.040))
    for _ in range(3):
        assert _run(pacer, "fade") is None  # fade is the floor: nothing cheaper
    assert pacer.choose("fade") == "fade"


def test_a_transition_cut_short_is_not_judged() -> None:
    pacer = TransitionPacer(clock=StepClock(0.040))
    for _ in range(3):
        pacer.start("zoom")
        for _ in range(10):
            pacer.frame()
        pacer.cancel()
        assert pacer.finish() is None
    assert pacer.degraded == {}


def test_idle_jobs_run_one_per_turn_and_stop_when_the_stage_moves(qtbot) -> None:
    done: list[str] = []
    still = [True]
    jobs = IdleJobs(lambda: still[0])
    jobs.replace([(name, lambda name=name: done.append(name)) for name in "abc"])
    assert done == []  # nothing runs synchronously
    qtbot.waitUntil(lambda: done == ["a", "b", "c"])
    jobs.replace([(name, lambda name=name: done.append(name)) for name in "de"])
    jobs.clear()
    still[0] = False
    jobs.replace([("f", lambda: done.append("f"))])
    qtbot.waitUntil(lambda: not jobs._timer.isActive())
    assert done == ["a", "b", "c"] and len(jobs) == 1  # kept for the next still moment


def test_the_process_exits_only_once_the_chart_library_import_is_done() -> None:
    """A process that exited while the preload thread imported pyqtgraph crashed at times
    after its work was done (`kiosk bench`'s children: 1 of 45 under load)."""
    import subprocess
    import sys

    script = (
        "import atexit, sys\n"
        "def said():\n"  # registered first, so it runs after the pacing module's own handler
        "    module = sys.modules.get('pyqtgraph')\n"
        "    print('complete' if hasattr(module, 'PlotItem') else 'mid-import', flush=True)\n"
        "atexit.register(said)\n"
        "from kiosk.ui.pacing import preload_chart_library\n"
        "preload_chart_library()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "complete"
