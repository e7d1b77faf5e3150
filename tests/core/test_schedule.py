"""The hall's calendar as a pure function of time: opening and closing, a closed Monday,
holidays, special hours, dated slides at midnight, and both DST transitions (Europe/Berlin)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.content import load_content, parse_content
from kiosk.core.schedule import HallCalendar, format_schedule, schedule_days

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")


@pytest.fixture(scope="module")
def hall() -> HallCalendar:
    content = load_content(FIXTURES / "decks" / "hall.yaml")
    return HallCalendar(content.settings, content.slides)


def at(text: str, zone: ZoneInfo = SHANGHAI) -> float:
    """UTC seconds of a wall time in `zone` (its first occurrence)."""
    return datetime.fromisoformat(text).replace(tzinfo=zone).timestamp()


def local(instant: float | None, zone: ZoneInfo = SHANGHAI) -> str:
    assert instant is not None
    return datetime.fromtimestamp(instant, zone).strftime("%Y-%m-%d %H:%M:%S")


def utc(instant: float | None) -> str:
    return local(instant, UTC)


def test_a_weekday_wakes_before_opening_and_sleeps_at_closing(hall: HallCalendar) -> None:
    # Tuesday 2026-12-01, 09:00-17:00, the show wakes 10 minutes early; [from, to).
    assert not hall.state_at(at("2026-12-01T08:49:59")).awake
    woken = hall.state_at(at("2026-12-01T08:50:00"))
    assert woken.awake
    assert local(woken.next_change) == "2026-12-01 17:00:00"
    assert hall.state_at(at("2026-12-01T16:59:59")).awake
    closed = hall.state_at(at("2026-12-01T17:00:00"))
    assert not closed.awake
    assert local(closed.next_change) == "2026-12-02 08:50:00"
    assert closed.reason.startswith("standby until Wed 2026-12-02 08:50")


def test_a_closed_monday_sleeps_from_sunday_evening_to_tuesday(hall: HallCalendar) -> None:
    sunday_evening = hall.state_at(at("2026-11-29T18:00:00"))
    assert not sunday_evening.awake
    monday = hall.state_at(at("2026-11-30T12:00:00"))
    assert not monday.awake
    assert hall.plan(date(2026, 11, 30)).why == "closed on Mondays"
    # The next *wake* is Tuesday 08:50 (the winter slide joining the loop at midnight is a
    # change of the loop, not of standby: the reason says when the show wakes).
    assert "standby until Tue 2026-12-01 08:50" in monday.reason
    assert local(monday.next_change) == "2026-12-01 00:00:00"


def test_a_holiday_follows_the_halls_rule(hall: HallCalendar) -> None:
    national_day = hall.plan(date(2026, 10, 1))  # a Thursday
    assert national_day.closed and national_day.why == "holiday"
    assert "National Day" in (national_day.holiday or "")
    assert "国庆" in (national_day.holiday or "")  # the Chinese name for Chinese staff
    assert not hall.state_at(at("2026-10-01T12:00:00")).awake

    def calendar(rule: str) -> HallCalendar:
        content = parse_content(
            b"settings: {timezone: Asia/Shanghai, hours: {mon: closed, tue-sun: '09:00-17:00'},"
            + f" holidays: {{country: CN{rule}}}}}\n".encode()
            + b"slides: [{id: a, type: text, title: A, body: a}]\n"
        )
        return HallCalendar(content.settings, content.slides)

    # Default: open, by the weekly hours; the day is still named a holiday.
    default = calendar("").plan(date(2026, 10, 1))
    assert default.windows == ((540, 1020),) and default.holiday
    # Hours of their own, also on a Monday the week closes (2026-10-05, observed holiday).
    hours = calendar(", on_holidays: '10:00-16:00'")
    assert hours.plan(date(2026, 10, 5)).windows == ((600, 960),)
    assert hours.plan(date(2026, 10, 12)).closed  # an ordinary Monday


def test_closed_dates_and_special_hours_win(hall: HallCalendar) -> None:
    new_year = hall.plan(date(2027, 1, 1))  # a closed date and a public holiday
    assert new_year.closed and new_year.why == "closed date"
    assert new_year.holiday  # still named, for `kiosk schedule`
    eve = hall.state_at(at("2026-12-31T14:59:59"))
    assert eve.awake and local(eve.next_change) == "2026-12-31 15:00:00"
    after = hall.state_at(at("2026-12-31T15:00:00"))
    assert not after.awake
    assert local(after.next_change) == "2027-01-02 08:50:00"  # past the closed New Year's Day


def test_a_dated_slide_joins_and_leaves_the_loop_at_local_midnight(hall: HallCalendar) -> None:
    assert "winter" not in hall.state_at(at("2026-11-30T23:59:59")).slides
    assert "winter" in hall.state_at(at("2026-12-01T00:00:00")).slides
    assert "winter" in hall.state_at(at("2027-01-03T23:59:59")).slides  # show_until inclusive
    last = hall.state_at(at("2027-01-03T23:00:00"))
    assert local(last.next_change) == "2027-01-04 00:00:00"
    assert hall.state_at(at("2027-01-04T00:00:00")).slides == ("cover", "one", "two")


def test_with_no_slide_in_date_the_loop_is_the_cover() -> None:
    content = parse_content(
        b"slides:\n"
        b"  - {id: title, type: cover, title: T, show_until: 2026-01-01}\n"
        b"  - {id: event, type: text, title: E, body: e, show_from: 2026-06-01}\n"
    )
    calendar = HallCalendar(content.settings, content.slides)
    assert calendar.slides_on(date(2026, 3, 1)) == ("title",)
    assert calendar.slides_on(date(2026, 6, 1)) == ("event",)


def berlin(hours: str) -> HallCalendar:
    content = parse_content(
        b"settings: {timezone: Europe/Berlin, standby: {wake_before_open: 0},"
        + f" hours: {{mon-sun: {hours}}}}}\n".encode()
        + b"slides: [{id: a, type: text, title: A, body: a}]\n"
    )
    return HallCalendar(content.settings, content.slides)


def test_spring_forward_a_boundary_in_the_gap_fires_at_the_first_valid_moment() -> None:
    # 2026-03-29 in Berlin: 02:00 CET becomes 03:00 CEST (01:00 UTC); 02:30 does not exist.
    calendar = berlin("'02:30-04:00'")
    night = calendar.state_at(at("2026-03-29T00:30:00", UTC))  # 01:30 CET
    assert not night.awake
    assert utc(night.next_change) == "2026-03-29 01:00:00"  # 03:00 CEST, the gap's end
    assert calendar.state_at(at("2026-03-29T01:00:00", UTC)).awake
    assert utc(calendar.state_at(at("2026-03-29T01:00:00", UTC)).next_change) == (
        "2026-03-29 02:00:00"  # 04:00 CEST
    )
    # Ordinary hours on that day keep their wall times: 09:00 CEST is 07:00 UTC.
    day = berlin("'09:00-17:00'")
    assert utc(day.state_at(at("2026-03-29T03:00:00", UTC)).next_change) == "2026-03-29 07:00:00"


def test_fall_back_a_boundary_in_the_fold_fires_once() -> None:
    # 2026-10-25 in Berlin: 03:00 CEST becomes 02:00 CET (01:00 UTC); 02:30 happens twice.
    calendar = berlin("'02:30-04:00'")
    before = calendar.state_at(at("2026-10-25T00:00:00", UTC))  # 02:00 CEST
    assert not before.awake
    assert utc(before.next_change) == "2026-10-25 00:30:00"  # the first 02:30 (CEST)
    opened = calendar.state_at(at("2026-10-25T00:30:00", UTC))
    assert opened.awake
    # Open through the second 02:30 (01:30 UTC): the next change is 04:00 CET, not 02:30.
    assert utc(opened.next_change) == "2026-10-25 03:00:00"
    assert calendar.state_at(at("2026-10-25T01:30:00", UTC)).awake


def test_windows_that_touch_across_midnight_are_one_awake_period() -> None:
    content = parse_content(
        b"settings: {timezone: Asia/Shanghai, standby: {wake_before_open: 0}, hours: "
        b"{fri: '20:00-24:00', sat: ['00:00-02:00', '10:00-12:00']}}\n"
        b"slides: [{id: a, type: text, title: A, body: a}]\n"
    )
    calendar = HallCalendar(content.settings, content.slides)
    friday_night = calendar.state_at(at("2026-12-04T23:00:00"))
    assert friday_night.awake
    assert local(friday_night.next_change) == "2026-12-05 02:00:00"  # no flicker at midnight


def test_kiosk_schedule_lists_days_with_reasons(hall: HallCalendar) -> None:
    rows = schedule_days(hall, date(2026, 12, 30), 6)
    assert [row["date"] for row in rows][:2] == ["2026-12-30", "2026-12-31"]
    assert rows[1]["open"] == [{"from": "09:00", "until": "15:00"}]
    assert rows[1]["wakes"] == ["08:50"]
    assert rows[2]["closed"] and rows[2]["why"] == "closed date"
    text = format_schedule(hall, rows)
    assert "2026-12-31 Thu  09:00-15:00 (special hours)" in text
    assert "2027-01-01 Fri  closed (closed date; holiday:" in text
    assert (
        "2027-01-04 Mon  closed (closed on Mondays)\n    loop: 3 of 4 slides, without winter"
        in (text)
    )
