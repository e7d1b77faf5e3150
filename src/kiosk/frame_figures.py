"""The figures of `kiosk bench --display`, from frame times alone (no X, no Qt).

A frame is a burst of XDamage events (one flush of the window); a step is one move to another
slide, from the key press (or, in attract mode, the move) to the first frame after its
entrance ended. Intervals are split at the moment the transition was reported over:
"transition" and "entrance". Late frames are intervals over 1.5 frame periods (25 ms at
60 Hz), very late over 3 (50 ms), counted per 10 transitions, as reveal.js's peer figures are.

An entrance repaints only what moves, so where nothing moves for a moment no frame reaches
the X server. The stage reports each frame time at which nothing had to change ("unchanged"):
the screen was up to date then, so such a moment ends an interval as a frame does (else a
pause in an entrance would count as a freeze). Frames still count only what was received.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

PERIOD_MS = 1000.0 / 60.0  # a 60 Hz screen's frame period
LATE_FACTOR = 1.5  # an interval over 1.5 periods (25 ms): a frame was late
VERY_LATE_FACTOR = 3.0  # over 3 periods (50 ms): a freeze anyone sees
BURST_GAP_S = 0.004  # damage events closer than this belong to one frame (one flush)
NO_ENTRANCE_S = 0.005  # an entrance reported this soon after its transition: there was none


def frames_from(damage_times: Sequence[float], gap: float = BURST_GAP_S) -> list[float]:
    """One time per frame: damage events closer than `gap` are one flush; its last event."""
    frames: list[float] = []
    for moment in sorted(damage_times):
        if frames and moment - frames[-1] < gap:
            frames[-1] = moment
        else:
            frames.append(moment)
    return frames


@dataclass
class Step:
    """One move to another slide, as the child reported it (monotonic seconds)."""

    index: int
    slide: str
    transition: str
    asked: float  # the key press, or the position change in attract mode
    moved: float = math.nan  # the show changed position
    transition_end: float = math.nan
    entrance_end: float = math.nan
    prepare_ms: float = math.nan  # the stage's work when the position changed


@dataclass
class Run:
    """What one launch of the show produced."""

    mode: str
    transition: str
    launched: float
    first_painted: float = math.nan
    first_complete: float = math.nan
    steps: list[Step] = field(default_factory=list)
    frames: list[float] = field(default_factory=list)
    paints: list[tuple[float, float]] = field(default_factory=list)  # (end, ms)
    unchanged: list[float] = field(default_factory=list)  # frame times with nothing to change
    degraded: list[dict[str, Any]] = field(default_factory=list)
    exit_code: int | None = None


# --- figures --------------------------------------------------------------------------------


def _after(frames: Sequence[float], moment: float) -> float:
    """The first frame received at or after `moment` (nan when none)."""
    return next((f for f in frames if f >= moment), math.nan)


def step_intervals(
    frames: Sequence[float],
    step: Step,
    until: float = math.nan,
    unchanged: Sequence[float] = (),
) -> tuple[list[float], list[float], float]:
    """(transition intervals, entrance intervals, response) of one step, in ms.

    The step's frames run from the first frame after the key (or the move, in attract mode)
    to the first frame after its entrance ended (the settled slide), or, when the next key
    came first, to the last frame before `until` (that key). An interval belongs to the
    transition when it ends before the transition was reported over, else to the entrance.
    `response` is the key press to the first frame of the move. A moment in `unchanged` (the
    stage had nothing to repaint) ends an interval as a frame does.
    """
    if math.isnan(step.moved):
        return [], [], math.nan
    moments = sorted([*frames, *unchanged])
    if not math.isnan(step.entrance_end):
        # The settled frame, or the moment the stage found it already on screen.
        last = _after(moments, step.entrance_end)
        if step.entrance_end - step.transition_end < NO_ENTRANCE_S:
            # nothing moves after the transition (the floor): the step ends with its frame
            last = min(last, step.entrance_end + 2 * PERIOD_MS / 1000.0)
        if not math.isnan(until):
            last = min(last, until)
    elif not math.isnan(until):
        last = until
    else:
        return [], [], math.nan
    inside = [f for f in moments if step.asked <= f <= last]
    transition: list[float] = []
    entrance: list[float] = []
    for before, after in itertools.pairwise(inside):
        target = transition if after <= step.transition_end else entrance
        target.append((after - before) * 1000.0)
    shown = _after(frames, step.moved)  # the first frame of the move
    response = (shown - step.asked) * 1000.0 if shown <= last else math.nan
    return transition, entrance, response


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (nan for no values)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def late_counts(intervals: Sequence[float]) -> tuple[int, int]:
    """Intervals over 1.5 and over 3 frame periods."""
    return (
        sum(1 for ms in intervals if ms > LATE_FACTOR * PERIOD_MS),
        sum(1 for ms in intervals if ms > VERY_LATE_FACTOR * PERIOD_MS),
    )


def window_figures(per_step: Sequence[Sequence[float]]) -> dict[str, Any]:
    """Figures of one kind of window (transitions or entrances) over the steps of runs."""
    intervals = [ms for step in per_step for ms in step]
    n = len(per_step)
    late, very_late = late_counts(intervals)
    return {
        "transitions": n,
        "frames_per_transition": statistics.median(len(s) + 1 for s in per_step) if n else 0,
        "interval_median_ms": statistics.median(intervals) if intervals else math.nan,
        "interval_p95_ms": percentile(intervals, 0.95),
        "interval_max_ms": max(intervals) if intervals else math.nan,
        "late_per_10": 10.0 * late / n if n else math.nan,
        "very_late_per_10": 10.0 * very_late / n if n else math.nan,
    }


def run_figures(runs: Sequence[Run]) -> dict[str, Any]:
    """The figures of the runs of one mode and transition at one size."""
    transitions: list[list[float]] = []
    entrances: list[list[float]] = []
    responses: list[float] = []
    worst = (-1.0, "")
    for run in runs:
        ends = [s.asked for s in run.steps[1:]] + [run.frames[-1] if run.frames else math.nan]
        for step, until in zip(run.steps, ends, strict=True):
            moves, settles, response = step_intervals(run.frames, step, until, run.unchanged)
            if not moves and not settles:
                continue
            transitions.append(moves)
            entrances.append(settles)
            if not math.isnan(response) and run.mode in ("interactive", "cold"):
                responses.append(response)
            biggest = max([*moves, *settles])
            if biggest > worst[0]:
                part = "transition" if biggest in moves else "entrance"
                worst = (biggest, f"{part} onto {step.slide}")
    used = sorted({s.transition for run in runs for s in run.steps})
    return {
        "transition": window_figures(transitions),
        "entrance": window_figures(entrances),
        "key_to_first_frame_ms": {
            "median": statistics.median(responses) if responses else math.nan,
            "max": max(responses) if responses else math.nan,
        },
        "worst_interval": {"ms": worst[0], "where": worst[1]},
        "prepare_ms_max": max((s.prepare_ms for r in runs for s in r.steps), default=math.nan),
        "paint_ms_max": max((ms for r in runs for _, ms in r.paints[1:]), default=math.nan),
        "transitions_used": used,
        "degraded": [d for run in runs for d in run.degraded],
    }


def startup_figures(runs: Sequence[Run]) -> dict[str, Any]:
    """Launch to the first frame received, and to the first complete frame of the first slide."""

    def received(moment: float, frames: Sequence[float]) -> float:
        return _after(frames, moment)

    painted = [
        (received(r.first_painted, r.frames) - r.launched) * 1000.0
        for r in runs
        if not math.isnan(r.first_painted)
    ]
    complete = [  # not before the first frame: the first slide may be complete on it
        (received(max(r.first_complete, r.first_painted), r.frames) - r.launched) * 1000.0
        for r in runs
        if not math.isnan(r.first_complete) and not math.isnan(r.first_painted)
    ]
    painted = [ms for ms in painted if not math.isnan(ms)]
    complete = [ms for ms in complete if not math.isnan(ms)]
    return {
        "launches": len(runs),
        "first_frame_ms": statistics.median(painted) if painted else math.nan,
        "first_complete_frame_ms": statistics.median(complete) if complete else math.nan,
        "first_frame_runs": [round(ms) for ms in painted],
        "first_complete_runs": [round(ms) for ms in complete],
    }


# --- the table ------------------------------------------------------------------------------


def _f(value: float, digits: int = 1) -> str:
    return "   –" if value is None or math.isnan(value) else f"{value:6.{digits}f}"


def format_display_table(result: dict[str, Any]) -> str:
    """The display figures as plain text, one block per size."""
    lines = [
        "frames as the X server received them (Xvfb has no vblank; observer: XDamage);",
        f"late: interval > {LATE_FACTOR * PERIOD_MS:.0f} ms, very late: > "
        f"{VERY_LATE_FACTOR * PERIOD_MS:.0f} ms, per 10 transitions",
    ]
    for key, found in result.items():
        start = found.get("startup", {})
        lines.append("")
        lines.append(
            f"{key} on {found.get('display', '?')}: first frame "
            f"{_f(start.get('first_frame_ms'), 0)} ms, first complete frame "
            f"{_f(start.get('first_complete_frame_ms'), 0)} ms "
            f"(median of {start.get('launches', 0)} launches)"
        )
        lines.append(
            "  mode         type    frames  median   p95    max   late/10 v.late/10"
            "  entrance max late/10  key->frame  worst"
        )
        rows = [
            (mode, name, figures)
            for mode, per_type in found.get("modes", {}).items()
            for name, figures in per_type.items()
        ]
        if "floor_crossfade" in found:
            rows.insert(0, ("floor", "fade", found["floor_crossfade"]))
        if "cold_step_onto_first_chart" in found:
            rows.append(("cold>chart", "", found["cold_step_onto_first_chart"]))
        for mode, name, figures in rows:
            t, e = figures["transition"], figures["entrance"]
            used = ",".join(figures["transitions_used"])
            label = name if used in ("", name) else f"{name}>{used}"
            lines.append(
                f"  {mode:<12} {label:<7} {_f(t['frames_per_transition'], 0)} "
                f"{_f(t['interval_median_ms'])} {_f(t['interval_p95_ms'])} "
                f"{_f(t['interval_max_ms'])}  {_f(t['late_per_10'])}   {_f(t['very_late_per_10'])}"
                f"    {_f(e['interval_max_ms'])}  {_f(e['late_per_10'])}"
                f"   {_f(figures['key_to_first_frame_ms']['max'])}   "
                f"{_f(figures['worst_interval']['ms'], 0)} {figures['worst_interval']['where']}"
            )
            for degraded in figures.get("degraded", []):
                lines.append(f"    degraded: {degraded}")
    return "\n".join(lines)
