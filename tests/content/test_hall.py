"""`kiosk check` on the hall's calendar: errors located at the value, warnings that depend on
today's date, and the JSON Schema an editor validates the same values with."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from kiosk.content.loader import check_bytes
from kiosk.content.schema import content_json_schema_text

TEXT_SLIDE = "  - {id: a, type: text, title: A, body: a}\n"


def problems(yaml: str, today: date | None = None) -> list[str]:
    result = check_bytes(
        yaml.encode(), source="c.yaml", base_dir=None, glyph_check=lambda _t: set(), today=today
    )
    return [str(problem) for problem in result.problems]


def settings(line: str) -> str:
    return f"settings:\n  {line}\nslides:\n{TEXT_SLIDE}"


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ("timezone: Asia/Shangai", 13, 'not a time zone (did you mean "Asia/Shanghai"?)'),
        ("timezone: Europe/Berln", 13, 'did you mean "Europe/Berlin"?'),
        ("hours: {mon: '09:00-25:00'}", 16, "holds a time that does not exist"),
        ("hours: {mon: '18:00-09:00'}", 16, "ends before it starts"),
        ("hours: {mon: '09:00-09:00'}", 16, "ends before it starts"),
        ("hours: {mon: '9-17'}", 16, 'write "HH:MM-HH:MM"'),
        ("hours: {tue-fry: '09:00-17:00'}", 11, '"fry" is not a day (did you mean "fri"?)'),
        ("hours: {mon-fri: '09:00-17:00', fri: closed}", 10, "Friday is given twice"),
        ("hours: {mon: ['09:00-12:00', '11:00-14:00']}", 16, "overlap"),
        ("holidays: {country: XX}", 23, "not a country the holiday calendar knows"),
        ("holidays: {country: cn}", 23, 'write it in capitals: "CN"'),
        ("holidays: {country: DE, subdivision: ZZ}", 40, "not a subdivision of DE"),
        ("holidays: {country: CN, on_holidays: sometimes}", 40, "is not opening hours"),
        ("closed_dates: [2027-02-30]", 18, "is not a day of the calendar"),
        ("closed_dates: [2027-2-3]", 18, "is not a date: write YYYY-MM-DD"),
        (
            "{closed_dates: [2026-12-31], special_hours: {2026-12-31: '09:00-12:00'}}",
            55,
            "is in closed_dates too",
        ),
        ("standby: {screen: logo}", 12, 'screen "logo" needs a logo'),
        ("standby: {wake_before_open: 300}", 31, "at most 240"),
        ("sync: wallclock", 9, "must be one of"),
    ],
)
def test_bad_calendar_values_are_errors_located_at_the_value(
    line: str, column: int, words: str
) -> None:
    if line.startswith("{"):
        text = f"settings: {line}\nslides:\n{TEXT_SLIDE}"
        where = f"c.yaml:1:{column}: error: "
    else:
        text = settings(line)
        where = f"c.yaml:2:{column}: error: "
    found = problems(text)
    assert any(p.startswith(where) and words in p for p in found), found


def test_show_until_before_show_from_is_an_error_at_show_until() -> None:
    found = problems(
        "slides:\n"
        "  - id: event\n"
        "    type: text\n"
        "    title: E\n"
        "    body: e\n"
        "    show_from: 2026-12-01\n"
        "    show_until: 2026-11-03\n"
    )
    assert found == [
        'c.yaml:7:17: error: slide "event": show_until 2026-11-03 is before show_from '
        "2026-12-01: the slide would never show"
    ]


DATED = (
    "slides:\n"
    "  - {id: cover, type: cover, title: C, show_until: 2026-01-10}\n"
    "  - {id: event, type: text, title: E, body: e, show_from: 2026-01-01,"
    " show_until: 2026-01-31}\n"
)


def test_expired_slides_are_warnings_that_depend_on_today() -> None:
    assert problems(DATED, today=date(2026, 1, 5)) == []
    in_between = problems(DATED, today=date(2026, 1, 20))
    assert in_between == [
        'c.yaml:2:52: warning: slide "cover" ended on 2026-01-10 (show_until): it is no longer '
        "in the loop; remove it or change the date"
    ]
    after = problems(DATED, today=date(2026, 2, 1))
    assert len(after) == 3 and all(": warning: " in p for p in after)
    assert after[-1] == (
        "c.yaml:2:3: warning: no slide is in date on 2026-02-01 (show_from/show_until): the "
        'show shows "cover" alone'
    )


def test_a_good_calendar_checks_clean() -> None:
    good = (
        "settings:\n"
        "  timezone: Asia/Shanghai\n"
        "  hours: {mon: closed, tue-fri: '09:00-17:00',\n"
        "          'sat,sun': ['09:00-12:00', '13:00-18:00']}\n"
        "  holidays: {country: CN, on_holidays: '10:00-16:00'}\n"
        "  closed_dates: [2027-01-01]\n"
        "  special_hours: {2026-12-31: '09:00-15:00', 2027-01-02: closed}\n"
        "  standby: {screen: clock, display_power: keep_on, wake_before_open: 0}\n"
        "  sync: wall_clock\n"
        f"slides:\n{TEXT_SLIDE}"
    )
    assert problems(good) == []


def test_the_schema_gives_editors_the_same_patterns() -> None:
    schema = json.loads(content_json_schema_text())
    settings_schema = schema["$defs"]["Settings"]["properties"]
    day_hours = settings_schema["special_hours"]["additionalProperties"]["anyOf"][0]["pattern"]
    dates = settings_schema["special_hours"]["propertyNames"]["pattern"]
    days = settings_schema["hours"]["anyOf"][0]["propertyNames"]["pattern"]
    for good in ("09:00-17:00", "closed", "00:00-24:00"):
        assert re.fullmatch(day_hours, good)
    for bad in ("25:00-26:00", "9:00-17:00", "Closed", "09:00-17:00 "):
        assert not re.fullmatch(day_hours, bad), bad
    assert re.fullmatch(dates, "2026-12-31") and not re.fullmatch(dates, "2026-13-01")
    assert re.fullmatch(days, "sat,sun") and re.fullmatch(days, "tue-fri")
    assert not re.fullmatch(days, "tue-fry")
    slide = schema["$defs"]["TextSlide"]["properties"]["show_from"]["anyOf"][0]
    assert slide["type"] == "string" and slide["pattern"] == dates
