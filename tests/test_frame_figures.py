"""The figures of `kiosk bench --display`, from made-up frame times (no X server needed)."""

from __future__ import annotations

import math

import pytest

from kiosk.frame_figures import (
    Run,
    Step,
    frames_from,
    late_counts,
    percentile,
    run_figures,
    startup_figures,
    step_intervals,
)

MS = 0.001


def test_damage_events_of_one_flush_are_one_frame() -> None:
    events = [1.0, 1.001, 1.0025, 1.0167, 1.0335, 1.034]
    assert frames_from(events) == [1.0025, 1.0167, 1.034]


def test_late_means_over_one_and_a_half_and_three_periods() -> None:
    assert late_counts([16.7, 25.0, 25.1, 50.0, 50.1, 300.0]) == (4, 2)


def test_percentile_is_the_nearest_rank() -> None:
    assert percentile(list(range(1, 101)), 0.95) == 95
    assert percentile([3.0], 0.95) == 3.0
    assert math.isnan(percentile([], 0.95))


def _frames(start: float, count: int, every: float = 1 / 60) -> list[float]:
    return [start + n * every for n in range(count)]


def test_a_step_splits_into_transition_and_entrance_and_finds_the_freeze() -> None:
    # Key at 10.0; the move is shown 40 ms later; 48 transition frames; a 300 ms freeze as
    # the entrance starts; 30 entrance frames; the entrance ends at 11.6.
    frames = _frames(10.04, 48)
    frames += _frames(frames[-1] + 0.3, 30)
    step = Step(1, "chart", "fade", asked=10.0, moved=10.03, transition_end=10.83)
    step.entrance_end = frames[-1] - 0.001
    transition, entrance, response = step_intervals(frames, step)
    assert len(transition) == 47 and max(transition) == pytest.approx(1000 / 60)
    assert max(entrance) == pytest.approx(300.0)
    assert response == pytest.approx(40.0)
    run = Run("interactive", "fade", launched=9.0, steps=[step], frames=frames)
    figures = run_figures([run])
    assert figures["transition"]["late_per_10"] == 0
    assert figures["entrance"]["very_late_per_10"] == 10.0  # one per transition
    assert figures["worst_interval"] == {"ms": pytest.approx(300.0), "where": "entrance onto chart"}
    assert figures["key_to_first_frame_ms"]["max"] == pytest.approx(40.0)


def test_a_pause_with_nothing_to_change_is_on_time_and_a_late_frame_after_it_is_late() -> None:
    # An entrance that repaints only what moves: nothing moves from 11.0 to 11.3, and the
    # stage says so at each 60 Hz tick; then the final frame comes 40 ms after the last tick.
    frames = _frames(10.04, 58)
    pause = _frames(frames[-1] + 1 / 60, 18)
    frames.append(pause[-1] + 0.040)
    step = Step(1, "cards", "fade", asked=10.0, moved=10.03, transition_end=10.83)
    step.entrance_end = frames[-1] - 0.001
    _, entrance, _ = step_intervals(frames, step)
    assert max(entrance) > 300  # the frames alone: a "freeze" nobody could see
    _, entrance, _ = step_intervals(frames, step, unchanged=pause)
    assert max(entrance) == pytest.approx(40.0)  # the frame after the pause was late
    run = Run("interactive", "fade", launched=9.0, steps=[step], frames=frames, unchanged=pause)
    figures = run_figures([run])
    assert (
        figures["entrance"]["late_per_10"] == 10.0 and figures["entrance"]["very_late_per_10"] == 0
    )


def test_a_step_whose_screen_already_showed_the_final_state_ends_when_the_stage_says_so() -> None:
    frames = _frames(10.04, 70)  # the transition and the entrance's moves
    step = Step(1, "cards", "fade", asked=10.0, moved=10.03, transition_end=10.83)
    step.entrance_end = frames[-1] + 0.3  # nothing moved in its last 300 ms
    ticks = _frames(frames[-1] + 1 / 60, 19)  # the stage's "unchanged", up to the report
    assert step_intervals(frames, step) == ([], [], math.nan)  # no frame after the end
    transition, entrance, _ = step_intervals(frames, step, unchanged=ticks)
    assert len(transition) == 47 and max(entrance) == pytest.approx(1000 / 60)


def test_a_step_cut_short_by_the_next_key_ends_there() -> None:
    frames = _frames(10.0, 200)  # 3.3 s of frames at 60 Hz, no freeze
    first = Step(1, "a", "fade", asked=10.0, moved=10.0, transition_end=10.8)
    second = Step(2, "b", "fade", asked=12.0, moved=12.0, transition_end=12.8)
    second.entrance_end = 13.2
    run = Run("interactive", "fade", launched=9.0, steps=[first, second], frames=frames)
    figures = run_figures([run])
    assert figures["transition"]["transitions"] == 2
    assert figures["entrance"]["interval_max_ms"] == pytest.approx(1000 / 60)


def test_start_up_counts_the_first_frames_the_server_received() -> None:
    run = Run("interactive", "fade", launched=0.0, frames=[0.5, 0.52, 1.3, 1.32])
    run.first_painted, run.first_complete = 0.49, 1.29
    found = startup_figures([run])
    assert found["first_frame_ms"] == pytest.approx(500.0)
    assert found["first_complete_frame_ms"] == pytest.approx(1300.0)


def test_a_step_without_an_entrance_ends_with_its_last_transition_frame() -> None:
    frames = _frames(10.0, 49) + _frames(11.2, 49)  # two fades of the floor, 0.4 s apart
    step = Step(1, "floor", "fade", asked=10.0, moved=10.0, transition_end=10.8)
    step.entrance_end = 10.8001
    transition, entrance, _ = step_intervals(frames, step)
    assert len(transition) == 48 and entrance == []  # the idle gap is no frame interval
