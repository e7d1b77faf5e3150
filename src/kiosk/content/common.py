"""What every part of the content model builds on: the frozen base model, bilingual text,
media paths confined to the content folder, the theme and the global settings (no Qt).

Every field carries its default and its sane range here, in one place; its description
becomes the help that editors show from the JSON Schema while staff type.

Values arrive typed by the YAML 1.2 core schema (`scalars.py`), as editors read them, and the
models are strict: no text becomes a number or a yes/no, no number becomes a yes/no. The one
widening is text: a field of visible text (`Text`, `VisibleText`, `Label`) takes a number as
the text it was written as (`title: 2020`, `year: 1.10`), and its JSON Schema says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from kiosk.content.errors import KioskOnlyError, echo
from kiosk.content.hall import (
    DAY_HOURS_PATTERN,
    WINDOW_PATTERN,
    CountryCode,
    DateText,
    OneOrMoreWindows,
    SpecialHours,
    TimeZoneName,
    WeeklyHours,
    check_subdivision,
    parse_date,
    parse_day_hours,
)
from kiosk.content.scalars import as_written
from kiosk.content.screens import Screens

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
TransitionName = Literal["fade", "slide", "zoom", "none"]
TRANSITION_NAMES: tuple[str, ...] = get_args(TransitionName)  # the one list: the Literal

MAX_TEXT = 600  # characters in one piece of visible text; longer text cannot fit a slide
MAX_DURATION_S = 600.0  # ten minutes on one slide is already a frozen-looking kiosk


class Model(BaseModel):
    """Base for every content model: frozen, unknown keys rejected, no NaN or infinity, and
    strict: a value must already have its field's type as YAML 1.2 reads it (a quoted "10.5"
    is text, not a number; `yes` is text, not a yes/no)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False, strict=True)


# Text must show something: at least one character that is not white space. The set is
# JavaScript's `\s` written out, so that Python, Rust (pydantic) and the editors' regular
# expressions agree on it.
_BLANKS = r"\t-\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_BLANK = f"[^{_BLANKS}]"
_NOT_BLANK = re.compile(NOT_BLANK)


class WrittenText:
    """Marks a `str` field as visible text: a number there is the text it was written as
    (`2020`, `1.10`), and the JSON Schema lets editors accept a number there too.

    Put it last in `Annotated[str, Field(...), ..., WrittenText()]`; `string_schema` adds
    keywords to the schema of the text (a pattern the validators check)."""

    def __init__(self, **string_schema: Any) -> None:
        self.string_schema = string_schema

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(as_written, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"anyOf": [{**handler(schema), **self.string_schema}, {"type": "number"}]}


def _not_blank(text: str) -> str:
    if not _NOT_BLANK.search(text):
        raise ValueError("must not be empty or only spaces")
    return text


# One language's version of a piece of visible text.
VisibleText = Annotated[
    str,
    Field(min_length=1, max_length=MAX_TEXT),
    AfterValidator(_not_blank),
    WrittenText(pattern=NOT_BLANK),
]


def _text_json_schema(schema: dict[str, Any]) -> None:
    """Let editors accept both forms of Text: one string (or number), or {zh, en}."""
    as_mapping = {key: value for key, value in schema.items() if key not in {"title"}}
    schema.clear()
    schema["title"] = "Text"
    schema["description"] = "Visible text: one string for both languages, or {zh: ..., en: ...}"
    one_string = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT, "pattern": NOT_BLANK}
    schema["anyOf"] = [one_string, {"type": "number"}, as_mapping]


class Text(Model):
    """A piece of visible text in both languages; a plain string means the same in both."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", strict=True, json_schema_extra=_text_json_schema
    )

    zh: VisibleText
    en: VisibleText

    @model_validator(mode="before")
    @classmethod
    def _accept_plain_string(cls, data: Any) -> Any:
        written = as_written(data)
        if isinstance(written, str):
            # Checked here so that a bad plain string gives one error, not one per language.
            if not _NOT_BLANK.search(written):
                raise ValueError("must not be empty or only spaces")
            if len(written) > MAX_TEXT:
                # The schema counts the characters of text, not the digits of a number.
                too_long = KioskOnlyError if written is not data else ValueError
                raise too_long(f"is too long: at most {MAX_TEXT} characters")
            return {"zh": written, "en": written}
        return data

    def __getitem__(self, language: Language) -> str:
        return self.zh if language == "zh" else self.en

    def words(self) -> Iterator[str]:
        """Both language versions, for checks that look at every character."""
        yield self.zh
        yield self.en


BiText = Text  # a field of visible text: one string, or {zh: ..., en: ...}


def check_media(value: str, info: ValidationInfo) -> str:
    """Keep a media path relative and inside the content folder; check the file exists."""
    posix = PurePosixPath(value.replace("\\", "/"))
    if posix.is_absolute() or (len(value) > 1 and value[1] == ":"):
        raise KioskOnlyError(
            f'"{echo(value)}" is an absolute path; write it relative to the content file'
        )
    if ".." in posix.parts:
        raise KioskOnlyError(f'"{echo(value)}" leaves the content folder ("..")')
    context = info.context or {}
    base: Path | None = context.get("base_dir")
    if base is None:
        return value
    try:
        base = base.resolve()
        target = (base / Path(*posix.parts)).resolve()
        if not target.is_relative_to(base):
            raise KioskOnlyError(
                f'"{echo(value)}" points outside the content folder (through a link)'
            )
        if context.get("require_media", True) and not target.is_file():
            if target.is_dir():
                raise KioskOnlyError(f'"{echo(value)}" is a folder, not an image file')
            raise KioskOnlyError(
                f'media file "{echo(value)}" does not exist next to the content file'
            )
    except (OSError, RuntimeError) as error:  # link loops, names too long for the disk
        reason = getattr(error, "strerror", None) or str(error)
        raise KioskOnlyError(f'"{echo(value)}" cannot be opened ({reason})') from None
    return posix.as_posix()


MediaPath = Annotated[
    str,
    Field(min_length=1, max_length=260, description="Image path relative to content.yaml"),
    AfterValidator(check_media),
]
Color = Annotated[
    str,
    Field(
        pattern=r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$",
        description="A colour as #RRGGBB or #RRGGBBAA",
    ),
]
Seconds = Annotated[float, Field(ge=1.0, le=MAX_DURATION_S, description="Seconds on screen")]
SlideId = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$",
        description="Unique name of the slide: lowercase letters, digits, - and _",
    ),
]
ShortLabel = Annotated[str, Field(min_length=1, max_length=16), WrittenText()]


class Theme(Model):
    """Colours and logo of the show."""

    background: Color = "#0b1f2a"
    surface: Color = "#12303f"
    text: Color = "#f4f7f8"
    muted: Color = "#9fb6c1"
    accent: Color = "#2ec4b6"
    accent2: Color = "#f4b942"
    logo: MediaPath | None = None


def _check_on_holidays(value: str | list[str]) -> str | list[str]:
    if value != "open":
        parse_day_hours(value)
    return value


OnHolidays = Annotated[
    OneOrMoreWindows,
    AfterValidator(_check_on_holidays),
    WithJsonSchema(
        {
            "description": "open (the weekly hours apply), closed, or the hours of a holiday",
            "anyOf": [
                {"type": "string", "pattern": DAY_HOURS_PATTERN.replace("closed", "open|closed")},
                {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "string", "pattern": WINDOW_PATTERN},
                },
            ],
        }
    ),
]


class HolidayRule(Model):
    """Public holidays: a calendar (the `holidays` package), and what the hall does on them."""

    country: CountryCode = Field(description='ISO country code of the holiday calendar, e.g. "CN"')
    subdivision: str | None = Field(
        None, max_length=16, description='A region with its own holidays, e.g. "BE" in DE'
    )
    on_holidays: OnHolidays = Field(
        "open",
        description='open (the weekly hours), closed, or hours such as "10:00-16:00" (also on a '
        "day the weekly hours close); closed_dates and special_hours always win",
    )

    @field_validator("subdivision")
    @classmethod
    def _subdivision_is_known(cls, subdivision: str | None, info: ValidationInfo) -> str | None:
        country = info.data.get("country")
        if subdivision is not None and country is not None:
            check_subdivision(country, subdivision)
        return subdivision


class Standby(Model):
    """Outside opening hours: what the screen shows and whether the display sleeps."""

    screen: Literal["black", "clock", "logo"] = Field(
        "black", description="black, a dim clock or the theme's logo, moving slowly"
    )
    display_power: Literal["auto", "keep_on"] = Field(
        "auto", description="auto: switch the display off where it can (X11 DPMS); keep_on: never"
    )
    wake_before_open: int = Field(
        10, ge=0, le=240, description="Minutes before opening at which the show wakes"
    )
    touch_wakes: bool | None = Field(
        None,
        description="A touch in standby wakes the show until the idle timeout "
        "(default: no for the black screen, yes for clock and logo)",
    )

    def touch_wakes_show(self) -> bool:
        """Whether a touch in standby wakes the show (the default depends on the screen)."""
        return self.touch_wakes if self.touch_wakes is not None else self.screen != "black"


class HighContrastTheme(Theme):
    """The high-contrast theme: solid black, white text; every text colour is 7:1 or more on
    both grounds (WCAG 1.4.6). Colours left out keep these, not the show's theme."""

    background: Color = "#000000"
    surface: Color = "#1a1a1a"
    text: Color = "#ffffff"
    muted: Color = "#e6e6e6"
    accent: Color = "#ffd23f"
    accent2: Color = "#8fe3ff"


class Accessibility(Model):
    """What every visitor starts with (the hall's defaults). A visitor's own choices in the
    accessibility panel last until the idle reset, which returns to these."""

    reduce_motion: bool = Field(
        False,
        description="Short cross-fades instead of transitions; entrances, count-ups and "
        "ambient motion skipped (the final state is shown)",
    )
    larger_text: bool = Field(
        False, description="Every slide laid out again with its text `text_scale` times larger"
    )
    text_scale: float = Field(
        1.3, ge=1.1, le=1.6, description="How much larger 'larger text' makes every text"
    )
    high_contrast: bool = Field(
        False, description="The high-contrast theme: solid backgrounds, text at 7:1 or more"
    )
    high_contrast_theme: HighContrastTheme = Field(
        default_factory=HighContrastTheme,
        description="Colours of the high-contrast theme (kiosk check warns below 7:1)",
    )
    read_aloud: bool = Field(False, description="Read each slide aloud from the start")
    offer_read_aloud: bool = Field(
        True, description="Offer read-aloud to visitors (where the kiosk PC has a speech engine)"
    )
    idle_warning: float = Field(
        20.0,
        ge=20.0,
        le=120.0,
        description="Seconds the notice shows before an idle show returns to its start "
        "(WCAG 2.2.1: at least 20)",
    )
    min_text_px: float = Field(
        12.0,
        ge=6.0,
        le=48.0,
        description="kiosk check warns about text smaller than this many screen pixels at "
        "the hall's screen sizes",
    )


class Settings(Model):
    """Global settings. Merge order: these defaults < content.yaml `settings` < command line."""

    default_duration: Seconds = Field(
        10.0, description="Seconds a slide stays after its entrance animation"
    )
    transition: TransitionName = Field("fade", description="Transition between slides")
    transition_duration: float = Field(0.8, ge=0.0, le=5.0, description="Transition seconds")
    idle_timeout: float = Field(
        60.0, ge=5.0, le=3600.0, description="Seconds without input before attract mode"
    )
    languages: list[Language] = Field(
        default_factory=lambda: list(LANGUAGES),
        min_length=1,
        max_length=2,
        json_schema_extra={"uniqueItems": True},
    )
    default_language: Language = Field(
        "zh", validate_default=True, description="Language shown after idle return"
    )
    loop: bool = Field(True, description="Start again after the last slide")
    volume: int = Field(
        80,
        ge=0,
        le=100,
        description="Loudness of films with `audio: true`, in percent (a kiosk's kiosk.toml "
        "may set its own)",
    )
    theme: Theme = Field(default_factory=Theme)
    screens: Screens = Field(
        default_factory=list,
        description="The hall's screen sizes, e.g. [3840x1080, 5760x1080/3]: `kiosk check` "
        "lays every slide out on each and reports text that does not fit (a kiosk's own "
        "kiosk.toml `screens` wins)",
    )
    # --- the hall's clock (see README "Opening hours, standby and screens in step") ---
    timezone: TimeZoneName | None = Field(
        None, description="IANA zone of the hours and dates; default: the machine's zone"
    )
    hours: WeeklyHours | None = Field(
        None,
        description='When the hall is open, per day or range of days ("tue-fri": '
        '"09:00-17:00", mon: closed); a day left out is closed; absent: always open',
    )
    holidays: HolidayRule | None = Field(None, description="Public holidays and the hall's rule")
    closed_dates: list[DateText] = Field(
        default_factory=list, max_length=400, description="Extra closed days, YYYY-MM-DD"
    )
    special_hours: SpecialHours = Field(
        default_factory=dict, description="Hours of particular days: {YYYY-MM-DD: HH:MM-HH:MM}"
    )
    standby: Standby = Field(default_factory=Standby)
    sync: Literal["none", "wall_clock"] = Field(
        "none",
        description="wall_clock: attract mode follows UTC time, so every kiosk with this "
        "content shows the same slide at the same moment (clocks set by NTP)",
    )

    @field_validator("special_hours")
    @classmethod
    def _special_days_are_not_closed(
        cls, special: dict[str, Any], info: ValidationInfo
    ) -> dict[str, Any]:
        closed = {parse_date(day) for day in info.data.get("closed_dates") or []}
        for day in special:
            if parse_date(day) in closed:
                raise KioskOnlyError(
                    f"{day} is in closed_dates too: a day is either closed or has special hours"
                )
        return special

    @field_validator("standby")
    @classmethod
    def _logo_exists_for_standby(cls, standby: Standby, info: ValidationInfo) -> Standby:
        theme = info.data.get("theme")
        if standby.screen == "logo" and theme is not None and theme.logo is None:
            raise KioskOnlyError(
                'screen "logo" needs a logo: set theme.logo, or use black or clock'
            )
        return standby

    accessibility: Accessibility = Field(
        default_factory=Accessibility, description="What every visitor starts with"
    )

    @field_validator("languages")
    @classmethod
    def _languages_are_unique(cls, languages: list[Language]) -> list[Language]:
        if len(set(languages)) != len(languages):
            raise ValueError("each language may appear only once in `languages`")
        return languages

    @field_validator("default_language")
    @classmethod
    def _default_language_is_offered(cls, language: Language, info: ValidationInfo) -> Language:
        offered = info.data.get("languages")
        if offered is not None and language not in offered:
            raise KioskOnlyError(f'default_language "{language}" is not in languages {offered}')
        return language
