"""The hall's calendar as content.yaml writes it (no Qt): times of day, opening windows, days of
the week, dates, time zones and holiday countries.

Each is text to an editor (YAML 1.2 reads `09:00` and `2026-12-01` as text, not as a time or a
date), with its pattern in the JSON Schema so that the editor flags `25:00` too, and validated
here with a sentence staff understand. Rules a pattern cannot express (a window whose end is not
after its start, 2026-02-30, an unknown zone or country) are checked here only.

Windows are half-open, `[from, to)`: "09:00-17:00" is open at 09:00 and closed at 17:00. A
window never spans midnight: "20:00-02:00" is an error; write "20:00-24:00" on one day and
"00:00-02:00" on the next.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import itertools
import os
import re
from datetime import date, tzinfo
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, Discriminator, Tag, WithJsonSchema

from kiosk.content.errors import KioskOnlyError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MINUTES_PER_DAY = 24 * 60
CLOSED = "closed"

_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00"
WINDOW_PATTERN = rf"^(?:{_TIME})-(?:{_TIME})$"
DAY_HOURS_PATTERN = rf"^(?:closed|(?:{_TIME})-(?:{_TIME}))$"
DATE_PATTERN = r"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"
_ONE_DAY = "(?:mon|tue|wed|thu|fri|sat|sun)"
DAYS_PATTERN = rf"^{_ONE_DAY}(?:-{_ONE_DAY})?(?:,{_ONE_DAY}(?:-{_ONE_DAY})?)*$"
ZONE_PATTERN = r"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
_WINDOW = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")

Window = tuple[int, int]  # minutes since local midnight, [start, end)


# --- times of day and windows ---------------------------------------------------------------


def _minutes(hours: str, minutes: str, text: str) -> int:
    h, m = int(hours), int(minutes)
    if m > 59 or h > 24 or (h == 24 and m != 0):
        raise ValueError(
            f'"{text}" holds a time that does not exist: write times as HH:MM from 00:00 '
            "to 23:59 (24:00 only as the end of a day)"
        )
    return h * 60 + m


def parse_window(text: str) -> Window:
    """`"09:00-17:00"` as minutes since midnight, (540, 1020); ValueError in plain words."""
    found = _WINDOW.match(text)
    if found is None:
        raise ValueError(
            f'"{text}" is not opening hours: write "HH:MM-HH:MM" (e.g. "09:00-17:00") or closed'
        )
    start = _minutes(found[1], found[2], text)
    end = _minutes(found[3], found[4], text)
    # What the patterns of the schema cannot say, editors do not flag: kiosk's own rules.
    if start == MINUTES_PER_DAY:
        raise KioskOnlyError(f'"{text}" starts at 24:00: a window starts at 23:59 at the latest')
    if end <= start:
        raise KioskOnlyError(
            f'"{text}" ends before it starts: a window ends after its start on the same day; '
            'for hours past midnight write two windows ("20:00-24:00" on one day, "00:00-02:00" '
            "on the next)"
        )
    return (start, end)


def parse_day_hours(value: str | list[str]) -> tuple[Window, ...]:
    """`closed`, one window or a list of windows as sorted windows (empty when closed)."""
    if isinstance(value, str):
        if value == CLOSED:
            return ()
        items = [value]
    else:
        items = list(value)
        if not items:
            raise ValueError('needs at least one window such as "09:00-17:00", or write closed')
    windows = sorted(parse_window(item) for item in items)
    for (_, end), (start, _) in itertools.pairwise(windows):
        if start < end:
            raise KioskOnlyError(
                f"the windows {format_windows(windows)} overlap: give each time of day once"
            )
    return tuple(windows)


def format_time(minutes: int) -> str:
    """Minutes since midnight as HH:MM (1440 is 24:00)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_windows(windows: tuple[Window, ...] | list[Window]) -> str:
    """Windows as staff write them: "09:00-12:00, 14:00-17:00", or closed."""
    if not windows:
        return CLOSED
    return ", ".join(f"{format_time(start)}-{format_time(end)}" for start, end in windows)


def _check_window(text: str) -> str:
    parse_window(text)
    return text


def _check_day_hours(value: str | list[str]) -> str | list[str]:
    parse_day_hours(value)
    return value


WindowText = Annotated[
    str,
    AfterValidator(_check_window),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": WINDOW_PATTERN,
            "description": 'Opening window "HH:MM-HH:MM", half-open: open at the first time, '
            "closed at the second",
        }
    ),
]

_DAY_HOURS_SCHEMA: dict[str, Any] = {
    "description": 'closed, one window "HH:MM-HH:MM", or a list of windows',
    "anyOf": [
        {"type": "string", "pattern": DAY_HOURS_PATTERN},
        {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "pattern": WINDOW_PATTERN},
        },
    ],
}


def _one_or_list(value: Any) -> str:
    return "windows" if isinstance(value, list) else "one"


# `closed`, one window, or a list of windows. Each window of a list is checked on its own (so a
# wrong one is named at its line, as the editor names it), then the list as a whole (windows
# that overlap); the tag keeps a list from being reported as "must be text" too.
OneOrMoreWindows = Annotated[
    Annotated[str, Tag("one")] | Annotated[list[WindowText], Tag("windows")],
    Discriminator(_one_or_list),
]
DayHours = Annotated[
    OneOrMoreWindows, AfterValidator(_check_day_hours), WithJsonSchema(_DAY_HOURS_SCHEMA)
]


# --- days of the week -------------------------------------------------------------------------


def parse_days(key: str) -> tuple[int, ...]:
    """`"tue-fri"`, `"sat,sun"`, `"mon"` as weekday numbers (Monday 0); ranges may wrap
    (`"fri-mon"`)."""
    days: list[int] = []
    for part in key.split(","):
        first, _, last = part.partition("-")
        for name in (first, last) if last else (first,):
            if name not in WEEKDAYS:
                close = difflib.get_close_matches(name, WEEKDAYS, n=1, cutoff=0.5)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                raise ValueError(
                    f'"{key}": "{name}" is not a day{hint}; use mon, tue, wed, thu, fri, sat, '
                    'sun, a range such as "tue-fri", or a list such as "sat,sun"'
                )
        start = WEEKDAYS.index(first)
        end = WEEKDAYS.index(last) if last else start
        day = start
        while True:
            days.append(day)
            if day == end:
                break
            day = (day + 1) % 7
    return tuple(days)


def parse_week(hours: dict[str, Any]) -> dict[int, tuple[Window, ...]]:
    """The weekly hours as windows per weekday (Monday 0); a day left out is closed."""
    week: dict[int, tuple[Window, ...]] = {}
    named_in: dict[int, str] = {}
    for key, value in hours.items():
        windows = parse_day_hours(value)
        for day in parse_days(key):
            if day in named_in:
                raise KioskOnlyError(
                    f'{DAY_NAMES[day]} is given twice, in "{named_in[day]}" and in "{key}": '
                    "give each day once"
                )
            named_in[day] = key
            week[day] = windows
    return {day: week.get(day, ()) for day in range(7)}


def _check_week(hours: dict[str, Any]) -> dict[str, Any]:
    if not hours:
        raise ValueError("names no day: leave hours out for a hall that never closes")
    parse_week(hours)
    return hours


def _check_days_key(key: str) -> str:
    parse_days(key)
    return key


DaysKey = Annotated[
    str,
    AfterValidator(_check_days_key),
    WithJsonSchema({"type": "string", "pattern": DAYS_PATTERN}),
]
WeeklyHours = Annotated[
    dict[DaysKey, DayHours],
    AfterValidator(_check_week),
    WithJsonSchema(
        {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": DAYS_PATTERN},
            "additionalProperties": _DAY_HOURS_SCHEMA,
        }
    ),
]


# --- dates ------------------------------------------------------------------------------------


def parse_date(text: str) -> date:
    """`"2026-12-01"` as a date; ValueError in plain words."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f'"{text}" is not a date: write YYYY-MM-DD, e.g. "2026-12-01"')
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise KioskOnlyError(
            f'"{text}" is not a day of the calendar (check the month and day)'
        ) from None


def _check_date(text: str) -> str:
    parse_date(text)
    return text


DateText = Annotated[
    str,
    AfterValidator(_check_date),
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN, "description": "A day, YYYY-MM-DD"}),
]
SpecialHours = Annotated[
    dict[DateText, DayHours],
    WithJsonSchema(
        {
            "type": "object",
            "propertyNames": {"pattern": DATE_PATTERN},
            "additionalProperties": _DAY_HOURS_SCHEMA,
        }
    ),
]


# --- time zones -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def zone_named(name: str) -> tzinfo:
    """The IANA zone `name` (zone data from the system, else the `tzdata` package)."""
    return ZoneInfo(name)


def _check_zone(name: str) -> str:
    try:
        if "." in name or name.startswith("/"):
            raise ValueError(name)
        zone_named(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        known = sorted(available_timezones())
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        if not close:  # "shanghai" finds Asia/Shanghai by its city
            by_city = {zone.rsplit("/", 1)[-1].lower(): zone for zone in known}
            city = name.rsplit("/", 1)[-1].lower().replace(" ", "_")
            match = difflib.get_close_matches(city, list(by_city), n=1, cutoff=0.7)
            close = [by_city[match[0]]] if match else []
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        written_well = re.fullmatch(ZONE_PATTERN, name) is not None  # a zone that does not exist
        raise (KioskOnlyError if written_well else ValueError)(
            f'"{name}" is not a time zone{hint}; write an IANA name such as "Asia/Shanghai"'
        ) from None
    return name


TimeZoneName = Annotated[
    str,
    AfterValidator(_check_zone),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": ZONE_PATTERN,
            "description": 'IANA time zone, e.g. "Asia/Shanghai"; default: the machine\'s zone',
        }
    ),
]


def machine_zone() -> tzinfo:
    """The machine's zone: $TZ, else /etc/localtime's IANA name, else /etc/timezone, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = str(Path("/etc/localtime").resolve())
        if "/zoneinfo/" in target:
            candidates.append(target.split("/zoneinfo/", 1)[1])
    except OSError:
        pass
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text("utf-8").strip())
    for name in candidates:
        if name and not name.startswith("/"):
            try:
                return zone_named(name)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                continue
    return zone_named("UTC")


def zone_for(name: str | None) -> tzinfo:
    """The content's zone: `settings.timezone`, else the machine's."""
    return zone_named(name) if name else machine_zone()


# --- holiday countries --------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def holiday_countries() -> dict[str, list[str]]:
    """Country codes the `holidays` package knows, with their subdivisions."""
    import holidays  # ~0.2 s: only for halls that use holidays

    return dict(holidays.list_supported_countries())


def _check_country(code: str) -> str:
    known = holiday_countries()
    if code not in known:
        close = difflib.get_close_matches(code.upper(), list(known), n=1, cutoff=0.5)
        hint = f' (did you mean "{close[0]}"?)' if close and close[0] != code else ""
        if code.upper() in known:
            hint = f' (write it in capitals: "{code.upper()}")'
        written_well = re.fullmatch(COUNTRY_PATTERN, code) is not None
        raise (KioskOnlyError if written_well else ValueError)(
            f'"{code}" is not a country the holiday calendar knows{hint}; write its two-letter '
            'ISO code, e.g. "CN"'
        )
    return code


CountryCode = Annotated[
    str,
    AfterValidator(_check_country),
    WithJsonSchema(
        {"type": "string", "pattern": COUNTRY_PATTERN, "description": 'ISO code, e.g. "CN"'}
    ),
]


def check_subdivision(country: str, subdivision: str) -> None:
    """ValueError when `subdivision` is not one of `country`'s (e.g. DE: BE for Berlin)."""
    known = holiday_countries().get(country, [])
    if subdivision not in known:
        listed = ", ".join(known[:20]) + (" ..." if len(known) > 20 else "")
        raise KioskOnlyError(
            f'"{subdivision}" is not a subdivision of {country} in the holiday calendar'
            + (f"; known: {listed}" if known else f"; {country} has none")
        )
