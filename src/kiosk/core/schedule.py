"""The hall's calendar as one pure function of time (no Qt): at a given instant, is the show
awake or in standby, which slides are in the loop, and when does that next change.

Everything is evaluated in the content's time zone (`settings.timezone`, else the machine's)
with `zoneinfo`. The rules, tested on real transition dates:

- Opening windows are half-open, `[from, to)`, and never span midnight (the model refuses that).
- The show wakes `standby.wake_before_open` minutes before each opening and sleeps at closing;
  periods that touch or overlap (20:00-24:00 and 00:00-02:00 the next day) are one period.
- A boundary that falls in a spring-forward gap (02:30 on a day that jumps from 02:00 to 03:00)
  fires at the first valid moment after the gap (03:00); one in the autumn fold (02:30 twice)
  fires once, at its first occurrence.
- What a day's hours are, the first rule that applies: a closed date; special hours; a public
  holiday when `holidays.on_holidays` is not `open`; the weekly hours (none given: always open).
  The holiday package's calendar of future years needs a yearly look, so the hall's own
  closed dates and special hours always win over it.
- Dated slides are in the loop from local midnight of `show_from` until local midnight after
  `show_until`. When no slide is in date, the loop is the cover alone.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from kiosk.content.hall import (
    DAY_NAMES,
    MINUTES_PER_DAY,
    Window,
    format_time,
    format_windows,
    parse_date,
    parse_day_hours,
    parse_week,
    zone_for,
)
from kiosk.content.model import Settings, SlideBase

SEARCH_DAYS = 400  # how far ahead the next change is looked for (a year and a bit)
Period = tuple[float, float]  # UTC seconds since the epoch, [start, end)


@dataclass(frozen=True)
class DayPlan:
    """One local day of the hall: its opening windows and why, and the slides in the loop."""

    day: date
    windows: tuple[Window, ...]  # minutes since local midnight, [start, end); () = closed
    why: str  # "weekly hours", "special hours", "closed date", "holiday", "always open"
    holiday: str | None  # the public holiday's name, when the day is one
    slides: tuple[str, ...]  # ids of the slides in the loop that day

    @property
    def closed(self) -> bool:
        """True when the hall does not open that day."""
        return not self.windows

    def describe(self) -> str:
        """The day's hours and why, as a person reads them."""
        hours = format_windows(self.windows)
        reason = self.why
        if self.holiday and "holiday" in self.why:
            reason = f"holiday: {self.holiday}"
        elif self.holiday:
            reason = f"{self.why}; holiday: {self.holiday}"
        if self.closed:
            return f"closed ({reason})"
        return f"{hours} ({reason})"


@dataclass(frozen=True)
class HallState:
    """What the show should be doing at one instant."""

    awake: bool  # the show plays (open, or waking before opening); False: standby
    slides: tuple[str, ...]  # ids of the slides in the loop
    next_change: float | None  # UTC seconds of the next change of either, None: never
    reason: str = ""  # for the log: "open until 17:00", "standby until 08:50 (closed: ...)"


@dataclass
class HallCalendar:
    """The hall's hours, holidays and dated slides, evaluated at any instant (pure)."""

    settings: Settings
    slides: Sequence[SlideBase]
    zone: tzinfo = field(init=False)

    def __post_init__(self) -> None:
        self.zone = zone_for(self.settings.timezone)
        hours = self.settings.hours
        self._week = parse_week(dict(hours)) if hours is not None else None
        self._closed = {parse_date(day) for day in self.settings.closed_dates}
        self._special = {
            parse_date(day): parse_day_hours(value)
            for day, value in self.settings.special_hours.items()
        }
        rule = self.settings.holidays
        self._holiday_hours: tuple[Window, ...] | None = None  # None: weekly hours apply
        if rule is not None and rule.on_holidays != "open":
            self._holiday_hours = parse_day_hours(rule.on_holidays)
        self._wake_s = self.settings.standby.wake_before_open * 60.0
        self._dated = any(s.show_from or s.show_until for s in self.slides)
        self._plans: dict[date, DayPlan] = {}

    # --- per day ---------------------------------------------------------------------------

    @property
    def trivial(self) -> bool:
        """True when nothing ever changes: always open, no dated slides (no timers needed)."""
        return (
            self.settings.hours is None
            and self._holiday_hours in (None, ((0, MINUTES_PER_DAY),))
            and not self._closed
            and all(windows == ((0, MINUTES_PER_DAY),) for windows in self._special.values())
            and not self._dated
        )

    def holiday(self, day: date) -> str | None:
        """The public holiday's name on `day` (zh / en), or None."""
        rule = self.settings.holidays
        if rule is None:
            return None
        return _holiday_name(rule.country, rule.subdivision, day)

    def plan(self, day: date) -> DayPlan:
        """The hours of local `day` and the slides in its loop (cached)."""
        found = self._plans.get(day)
        if found is None:
            if len(self._plans) > 64:
                self._plans.clear()
            found = self._plans[day] = self._make_plan(day)
        return found

    def _make_plan(self, day: date) -> DayPlan:
        holiday = self.holiday(day)
        slides = self.slides_on(day)
        always: tuple[Window, ...] = ((0, MINUTES_PER_DAY),)
        if day in self._closed:
            return DayPlan(day, (), "closed date", holiday, slides)
        if day in self._special:
            return DayPlan(day, self._special[day], "special hours", holiday, slides)
        if holiday is not None and self._holiday_hours is not None:
            return DayPlan(day, self._holiday_hours, "holiday", holiday, slides)
        if self._week is None:
            return DayPlan(day, always, "always open", holiday, slides)
        windows = self._week[day.weekday()]
        why = "weekly hours" if windows else f"closed on {DAY_NAMES[day.weekday()]}s"
        return DayPlan(day, windows, why, holiday, slides)

    def slides_on(self, day: date) -> tuple[str, ...]:
        """Ids of the slides in the loop on `day`; the cover alone when none is in date."""
        shown = tuple(s.id for s in self.slides if s.shown_on(day))
        if shown:
            return shown
        covers = [s.id for s in self.slides if getattr(s, "type", None) == "cover"]
        return (covers[0] if covers else self.slides[0].id,)

    # --- instants --------------------------------------------------------------------------

    def local_day(self, instant: float) -> date:
        """The local date at UTC `instant`."""
        return datetime.fromtimestamp(instant, self.zone).date()

    def to_utc(self, day: date, minute: int) -> float:
        """UTC seconds of local `day` at `minute` since midnight (1440 is the next midnight).

        A time in a spring-forward gap is the first valid moment after it; a time in the
        autumn fold is its first occurrence.
        """
        if minute >= MINUTES_PER_DAY:
            day, minute = day + timedelta(days=1), minute - MINUTES_PER_DAY
        return self.utc_of(datetime.combine(day, time(minute // 60, minute % 60)))

    def utc_of(self, naive: datetime) -> float:
        """UTC seconds of the local wall time `naive` (gap: the first valid moment after it;
        fold: the first occurrence)."""
        first = naive.replace(tzinfo=self.zone, fold=0).timestamp()
        if datetime.fromtimestamp(first, self.zone).replace(tzinfo=None) == naive:
            return first
        # In a gap: fold=1 reads the time with the offset after the transition (an instant
        # before it), fold=0 with the offset before (an instant after it). The transition,
        # the first valid moment, is the first whole second whose local time is >= naive.
        low = int(naive.replace(tzinfo=self.zone, fold=1).timestamp())
        high = int(first)
        while low < high:
            middle = (low + high) // 2
            if datetime.fromtimestamp(middle, self.zone).replace(tzinfo=None) >= naive:
                high = middle
            else:
                low = middle + 1
        return float(high)

    def awake_periods(self, first: date, last: date) -> list[Period]:
        """The periods (UTC) in which the show is awake, of the days first..last, merged."""
        periods: list[Period] = []
        day = first
        while day <= last:
            for start, end in self.plan(day).windows:
                begin = self.to_utc(day, start) - self._wake_s
                finish = self.to_utc(day, end)
                if finish > begin:
                    periods.append((begin, finish))
            day += timedelta(days=1)
        periods.sort()
        merged: list[Period] = []
        for begin, finish in periods:
            if merged and begin <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
            else:
                merged.append((begin, finish))
        return merged

    def _snapshot(self, instant: float) -> tuple[bool, tuple[str, ...]]:
        day = self.local_day(instant)
        periods = self.awake_periods(day - timedelta(days=1), day + timedelta(days=1))
        awake = any(begin <= instant < finish for begin, finish in periods)
        return awake, self.plan(day).slides

    def state_at(self, instant: float) -> HallState:
        """What the show should be doing at UTC `instant`, and when that next changes."""
        awake, slides = self._snapshot(instant)
        change = self.next_change(instant, (awake, slides))
        flip = change
        if change is not None and self._snapshot(change)[0] == awake:  # only the loop changes
            flip = self.next_change(instant, (awake, slides), awake_only=True)
        return HallState(awake, slides, change, self._reason(instant, awake, flip))

    def next_change(
        self,
        instant: float,
        current: tuple[bool, tuple[str, ...]] | None = None,
        *,
        awake_only: bool = False,
    ) -> float | None:
        """The first instant after `instant` at which awake or the loop differ (or, with
        `awake_only`, awake alone), or None."""
        if self.trivial:
            return None
        current = current or self._snapshot(instant)
        day = self.local_day(instant)
        for offset in range(0, SEARCH_DAYS, 7):
            first = day + timedelta(days=offset - 1)
            last = day + timedelta(days=offset + 8)
            candidates = {edge for period in self.awake_periods(first, last) for edge in period}
            if self._dated and not awake_only:
                candidates |= {
                    self.to_utc(first + timedelta(days=n), 0) for n in range((last - first).days)
                }
            for candidate in sorted(c for c in candidates if c > instant):
                found = self._snapshot(candidate)
                if (found[0] != current[0]) if awake_only else (found != current):
                    return candidate
        return None

    def _reason(self, instant: float, awake: bool, change: float | None) -> str:
        plan = self.plan(self.local_day(instant))
        if change is None:
            return "always open" if awake else f"closed ({plan.why})"
        when = datetime.fromtimestamp(change, self.zone)
        at = format_time(when.hour * 60 + when.minute)
        if when.date() != plan.day:
            at = f"{when:%a %Y-%m-%d} {at}"
        if awake:
            return f"awake until {at}; today: {plan.describe()}"
        return f"standby until {at}; today: {plan.describe()}"


def _holiday_name(country: str, subdivision: str | None, day: date) -> str | None:
    names = _holiday_table(country, subdivision, day.year)
    return names.get(day)


@functools.lru_cache(maxsize=16)
def _holiday_table(country: str, subdivision: str | None, year: int) -> dict[date, str]:
    """The holidays of one year as {date: "中文名 / English name"} (English alone when the
    calendar has no Chinese names)."""
    import holidays  # ~0.2 s, only for halls that use holidays

    def names(language: str | None) -> dict[date, str]:
        table: Any = holidays.country_holidays(
            country, subdiv=subdivision, years=year, language=language
        )
        return {day: str(name) for day, name in table.items()}

    english = names("en_US")
    supported = holidays.country_holidays(country).supported_languages
    chinese = names("zh_CN") if "zh_CN" in supported else {}
    return {
        day: f"{chinese[day]} / {name}" if chinese.get(day, name) != name else name
        for day, name in english.items()
    }


def schedule_days(calendar: HallCalendar, first: date, days: int) -> list[dict[str, Any]]:
    """`kiosk schedule`: per local day, the opening hours or why it is closed, when the show
    wakes and sleeps, and the slides in the loop (plain data, for text and JSON)."""
    wake = calendar.settings.standby.wake_before_open
    rows: list[dict[str, Any]] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        plan = calendar.plan(day)
        rows.append(
            {
                "date": day.isoformat(),
                "weekday": DAY_NAMES[day.weekday()],
                "open": [
                    {"from": format_time(start), "until": format_time(end)}
                    for start, end in plan.windows
                ],
                "closed": plan.closed,
                "why": plan.why,
                "holiday": plan.holiday,
                "wakes": [format_time(max(0, start - wake)) for start, _ in plan.windows],
                "slides": list(plan.slides),
            }
        )
    return rows


def format_schedule(calendar: HallCalendar, rows: list[dict[str, Any]]) -> str:
    """The rows of `schedule_days` as text a person reads."""
    settings = calendar.settings
    zone = settings.timezone or f"{getattr(calendar.zone, 'key', calendar.zone)} (the machine's)"
    lines = [
        f"time zone {zone}; standby screen {settings.standby.screen}, the show wakes "
        f"{settings.standby.wake_before_open} min before opening"
        + ("; screens in step (sync: wall_clock)" if settings.sync == "wall_clock" else "")
    ]
    all_ids = [slide.id for slide in calendar.slides]
    previous: list[str] | None = None
    for row in rows:
        windows = ", ".join(f"{w['from']}-{w['until']}" for w in row["open"])
        if row["closed"]:
            why = f"holiday: {row['holiday']}" if row["why"] == "holiday" else row["why"]
            if row["holiday"] and row["why"] != "holiday":
                why += f"; holiday: {row['holiday']}"
            hours = f"closed ({why})"
        else:
            notes = [] if row["why"] in {"weekly hours", "always open"} else [row["why"]]
            if row["holiday"] and row["why"] != "holiday":
                notes.append(f"holiday: {row['holiday']}")
            elif row["why"] == "holiday":
                notes = [f"holiday: {row['holiday']}"]
            hours = windows + (f" ({'; '.join(notes)})" if notes else "")
        line = f"{row['date']} {row['weekday'][:3]}  {hours}"
        if row["slides"] != previous:
            left_out = [slide_id for slide_id in all_ids if slide_id not in row["slides"]]
            shown = f"{len(row['slides'])} of {len(all_ids)} slides"
            line += f"\n    loop: {shown}" + (
                f", without {', '.join(left_out)}" if left_out else ""
            )
            previous = row["slides"]
        lines.append(line)
    return "\n".join(lines)
