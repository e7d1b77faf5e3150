"""The typed, frozen content model of content.yaml (pydantic v2, no Qt): the slides and the
whole show. The building blocks (text, media paths, theme, settings) are in `common.py` and
are exported from here too, so that `kiosk.content.model` stays the one place to import from.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from kiosk.content.common import (
    LANGUAGES,
    MAX_DURATION_S,
    MAX_TEXT,
    TRANSITION_NAMES,
    Accessibility,
    BiText,
    Color,
    Language,
    MediaPath,
    Model,
    Seconds,
    Settings,
    ShortLabel,
    SlideId,
    Text,
    Theme,
    TransitionName,
    VisibleText,
    WrittenText,
    check_media,
)
from kiosk.content.errors import KioskOnlyError
from kiosk.content.hall import DateText, parse_date

__all__ = [
    "LANGUAGES",
    "MAX_DURATION_S",
    "MAX_TEXT",
    "SLIDE_MODELS",
    "SLIDE_TYPES",
    "TRANSITION_NAMES",
    "Accessibility",
    "AxisTop",
    "AxisTopOrPerLanguage",
    "Bar",
    "BarChart",
    "BiText",
    "Captions",
    "Card",
    "CardsSlide",
    "Chart",
    "Color",
    "Content",
    "CoverSlide",
    "Figure",
    "FigureOrPerLanguage",
    "GalleryImage",
    "GallerySlide",
    "Indicator",
    "IndicatorsSlide",
    "KioskOnlyError",
    "Language",
    "MarksChart",
    "MediaPath",
    "Model",
    "Number",
    "NumberOrPerLanguage",
    "PerLanguageAxisTop",
    "PerLanguageFigure",
    "PerLanguageNumber",
    "Ring",
    "RingChart",
    "Seconds",
    "Settings",
    "ShortLabel",
    "Slide",
    "SlideBase",
    "SlideId",
    "Text",
    "TextSlide",
    "Theme",
    "TimelineEvent",
    "TimelineSlide",
    "TransitionName",
    "VideoSlide",
    "VisibleText",
    "WrittenText",
    "in_language",
]


class SlideBase(Model):
    """Fields every slide has."""

    id: SlideId
    title: BiText
    duration: Seconds | None = Field(None, description="Overrides settings.default_duration")
    transition: TransitionName | None = Field(None, description="Overrides settings.transition")
    notes: BiText | None = Field(None, description="Presenter notes, never shown to visitors")
    source: BiText | None = Field(None, description="Where the facts on this slide come from")
    chapter: BiText | None = Field(
        None, description="Chapter this slide starts (shown in the chapter bar for visitors)"
    )
    show_from: DateText | None = Field(
        None, description="First day the slide is in the loop (YYYY-MM-DD, the hall's zone)"
    )
    show_until: DateText | None = Field(
        None, description="Last day the slide is in the loop (inclusive, YYYY-MM-DD)"
    )

    @field_validator("show_until")
    @classmethod
    def _until_is_not_before_from(cls, until: str | None, info: ValidationInfo) -> str | None:
        start = info.data.get("show_from")
        if until is not None and start is not None and parse_date(until) < parse_date(start):
            raise KioskOnlyError(
                f"show_until {until} is before show_from {start}: the slide would never show"
            )
        return until

    def shown_on(self, day: date) -> bool:
        """True when the slide is in the loop on `day` (its dates are inclusive)."""
        if self.show_from is not None and day < parse_date(self.show_from):
            return False
        return self.show_until is None or day <= parse_date(self.show_until)

    speech: BiText | None = Field(
        None,
        description="What read-aloud says for this slide, instead of the text it reads from "
        "the slide itself",
    )

    def texts(self) -> Iterator[Text]:
        """Every piece of visible text on the slide."""
        for name in type(self).model_fields:
            yield from _texts_in(getattr(self, name))

    def media(self) -> Iterator[str]:
        """Every media path the slide refers to."""
        for name in type(self).model_fields:
            yield from _media_in(self, name)


class CoverSlide(SlideBase):
    """Title slide: title and subtitle over a slowly living background."""

    type: Literal["cover"]
    subtitle: BiText | None = None
    kicker: BiText | None = Field(None, description="Small line above the title")
    image: MediaPath | None = None


class TimelineEvent(Model):
    """One step of the history."""

    year: ShortLabel
    text: BiText
    image: MediaPath | None = None


class TimelineSlide(SlideBase):
    """History: the years appear one after another along an axis."""

    type: Literal["timeline"]
    events: list[TimelineEvent] = Field(min_length=1, max_length=10)
    image: MediaPath | None = None


class Card(Model):
    """One card: an icon or image, a title and a few key facts."""

    title: BiText
    image: MediaPath | None = None
    facts: list[BiText] = Field(min_length=1, max_length=4)


class CardsSlide(SlideBase):
    """Cards that rise in turn, e.g. the four industry peaks."""

    type: Literal["cards"]
    subtitle: BiText | None = None
    cards: list[Card] = Field(min_length=1, max_length=6)


Number = Annotated[float, Field(ge=-1e12, le=1e12)]


class PerLanguageNumber(Model):
    """A figure written differently per language, e.g. 1150.2 亿元 and 115.02 billion yuan."""

    zh: Number
    en: Number

    def __getitem__(self, language: Language) -> float:
        return self.zh if language == "zh" else self.en


def _number_form(value: Any) -> str:
    return "per-language" if isinstance(value, dict | BaseModel) else "number"


# One number for both languages, or {zh: ..., en: ...} where the languages count in different
# units (1150.2 亿元 is 115.02 billion yuan).
NumberOrPerLanguage = Annotated[
    Annotated[Number, Tag("number")] | Annotated[PerLanguageNumber, Tag("per-language")],
    Discriminator(_number_form),
]


# A bar's figure: bars grow up from zero. The top of a bar chart's axis: above zero. Bounds,
# not validators, so that the JSON Schema (and the editor) says so too.
Figure = Annotated[float, Field(ge=0, le=1e12)]
AxisTop = Annotated[float, Field(gt=0, le=1e12)]


class PerLanguageFigure(PerLanguageNumber):
    """A bar's figure per language (never below zero)."""

    zh: Figure
    en: Figure


class PerLanguageAxisTop(PerLanguageNumber):
    """The top of a bar chart's axis per language (above zero)."""

    zh: AxisTop
    en: AxisTop


FigureOrPerLanguage = Annotated[
    Annotated[Figure, Tag("number")] | Annotated[PerLanguageFigure, Tag("per-language")],
    Discriminator(_number_form),
]
AxisTopOrPerLanguage = Annotated[
    Annotated[AxisTop, Tag("number")] | Annotated[PerLanguageAxisTop, Tag("per-language")],
    Discriminator(_number_form),
]


def in_language(value: float | PerLanguageNumber, language: Language) -> float:
    """The number shown in `language`."""
    return value[language] if isinstance(value, PerLanguageNumber) else value


class Indicator(Model):
    """A big number that counts up: value, unit, label, year and its source."""

    value: NumberOrPerLanguage
    decimals: int | None = Field(None, ge=0, le=4, description="Digits after the point")
    prefix: Annotated[str, Field(max_length=4), WrittenText()] | None = Field(
        None, description='Shown before the number, e.g. ">"'
    )
    unit: BiText | None = None
    label: BiText
    year: BiText | None = None
    source: BiText

    def value_in(self, language: Language) -> float:
        """The number shown in the given language."""
        return in_language(self.value, language)


class Bar(Model):
    """One bar of a bar chart."""

    label: BiText
    value: FigureOrPerLanguage = Field(description="The bar's figure, or {zh: ..., en: ...}")

    def value_in(self, language: Language) -> float:
        """The bar's figure in the given language."""
        return in_language(self.value, language)


class BarChart(Model):
    """Bars with a fixed axis range, built from figures given in the content."""

    kind: Literal["bars"]
    title: BiText | None = None
    unit: BiText | None = None
    bars: list[Bar] = Field(min_length=1, max_length=8)
    axis_max: AxisTopOrPerLanguage | None = Field(
        None, description="Top of the value axis (per language when the bars are)"
    )

    @field_validator("axis_max")
    @classmethod
    def _bars_fit_axis(
        cls, axis_max: float | PerLanguageNumber | None, info: ValidationInfo
    ) -> float | PerLanguageNumber | None:
        if axis_max is None:
            return None
        bars = info.data.get("bars") or []
        for language in LANGUAGES:
            top_of_axis = in_language(axis_max, language)
            top = max((bar.value_in(language) for bar in bars), default=0.0)
            if top > top_of_axis:
                raise KioskOnlyError(
                    f"axis_max {top_of_axis:g} is below the largest bar ({top:g})"
                    + ("" if isinstance(axis_max, float | int) else f" in {language}")
                )
        return axis_max

    def axis_max_in(self, language: Language) -> float | None:
        """The top of the value axis in the given language, or None to choose one."""
        return None if self.axis_max is None else in_language(self.axis_max, language)


class Ring(Model):
    """One share shown as a ring (0–100 %)."""

    label: BiText
    value: Annotated[float, Field(ge=0, le=100, description="Percent")]
    prefix: Annotated[str, Field(max_length=4), WrittenText()] | None = None


class RingChart(Model):
    """Shares as rings."""

    kind: Literal["rings"]
    title: BiText | None = None
    rings: list[Ring] = Field(min_length=1, max_length=4)


class MarksChart(Model):
    """A count shown as a row of marks, e.g. 38 months of growth."""

    kind: Literal["marks"]
    title: BiText | None = None
    count: int = Field(ge=1, le=120)


Chart = Annotated[BarChart | RingChart | MarksChart, Field(discriminator="kind")]


class IndicatorsSlide(SlideBase):
    """Key indicators: big numbers, optionally with one chart built from given figures."""

    type: Literal["indicators"]
    items: list[Indicator] = Field(min_length=1, max_length=6)
    chart: Chart | None = None


class GalleryImage(Model):
    """One image of a gallery with its caption."""

    image: MediaPath
    caption: BiText


class GallerySlide(SlideBase):
    """Images with a gentle pan-and-zoom and captions."""

    type: Literal["gallery"]
    images: list[GalleryImage] = Field(min_length=1, max_length=8)


class TextSlide(SlideBase):
    """A statement or closing line."""

    type: Literal["text"]
    body: BiText
    attribution: BiText | None = None


FilmPath = Annotated[
    str,
    Field(
        min_length=1,
        max_length=260,
        description="Film path relative to content.yaml: H.264 video in an .mp4 file",
    ),
    AfterValidator(check_media),
]


class Captions(Model):
    """WebVTT caption files of a film, one per language; a language left out has none."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})  # merged with Model's

    zh: MediaPath | None = Field(None, description="Chinese captions (.vtt), relative path")
    en: MediaPath | None = Field(None, description="English captions (.vtt), relative path")

    @model_validator(mode="after")
    def _one_at_least(self) -> Captions:
        if self.zh is None and self.en is None:
            raise ValueError("must name a caption file for zh, en or both")
        return self

    def __getitem__(self, language: Language) -> str | None:
        return self.zh if language == "zh" else self.en


class VideoSlide(SlideBase):
    """A film: plays inside the show (muted unless `audio`), with the title as a caption band."""

    type: Literal["video"]
    video: FilmPath
    poster: MediaPath | None = Field(
        None, description="Still shown before the film plays; default: the film's first frame"
    )
    play: Literal["once", "loop"] = Field(
        "once",
        description="once: the slide ends when the film ends; loop: the film repeats for the "
        "slide's duration",
    )
    audio: bool = Field(False, description="Play the film's sound (muted unless true)")
    captions: Captions | None = None
    fit: Literal["contain", "cover"] = Field(
        "contain",
        description="contain: the whole picture, on the theme background; cover: fill the "
        "screen, cropping the edges",
    )


def _slide_type(value: Any) -> str | None:
    if isinstance(value, dict):
        found = value.get("type")
        if found is None or isinstance(found, str):
            return found
        return repr(found)  # a list or mapping: reported as an unknown type, shown as written
    return getattr(value, "type", None)


Slide = Annotated[
    Annotated[CoverSlide, Tag("cover")]
    | Annotated[TimelineSlide, Tag("timeline")]
    | Annotated[CardsSlide, Tag("cards")]
    | Annotated[IndicatorsSlide, Tag("indicators")]
    | Annotated[GallerySlide, Tag("gallery")]
    | Annotated[TextSlide, Tag("text")]
    | Annotated[VideoSlide, Tag("video")],
    Discriminator(_slide_type),
]
# Derived from the union above, so a new slide type is added in one place.
SLIDE_MODELS: tuple[type[SlideBase], ...] = tuple(
    get_args(member)[0] for member in get_args(get_args(Slide)[0])
)
SLIDE_TYPES: tuple[str, ...] = tuple(
    get_args(model.model_fields["type"].annotation)[0] for model in SLIDE_MODELS
)


class Content(Model):
    """The whole show: settings and an ordered list of slides."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={"title": "Kiosk content (content.yaml)"},
    )

    settings: Settings = Field(default_factory=Settings)
    slides: list[Slide] = Field(min_length=1, max_length=60)

    @field_validator("slides")
    @classmethod
    def _ids_are_unique(cls, slides: list[SlideBase]) -> list[SlideBase]:
        seen: set[str] = set()
        for slide in slides:
            if slide.id in seen:
                raise KioskOnlyError(f'slide id "{slide.id}" is used twice; ids must be unique')
            seen.add(slide.id)
        return slides

    def media(self) -> list[str]:
        """Every media path the show uses (slides and the theme's logo), relative, sorted."""
        found = {relative for slide in self.slides for relative in slide.media()}
        if self.settings.theme.logo:
            found.add(self.settings.theme.logo)
        return sorted(found)

    def films(self) -> list[VideoSlide]:
        """The film slides, in show order."""
        return [slide for slide in self.slides if isinstance(slide, VideoSlide)]

    def index_of(self, slide_id: str) -> int | None:
        """Position of the slide with this id, or None."""
        for index, slide in enumerate(self.slides):
            if slide.id == slide_id:
                return index
        return None

    def duration_of(self, index: int) -> float:
        """Seconds the slide at `index` stays after its entrance animation."""
        slide = self.slides[index]
        return slide.duration if slide.duration is not None else self.settings.default_duration

    def transition_of(self, index: int) -> str:
        """Name of the transition that brings in the slide at `index`."""
        slide = self.slides[index]
        return slide.transition or self.settings.transition


def _texts_in(value: object) -> Iterator[Text]:
    if isinstance(value, Text):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts_in(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts_in(item)


_MEDIA_FIELDS = frozenset({"image", "logo", "video", "poster"})


def _media_in(owner: BaseModel, name: str) -> Iterator[str]:
    value = getattr(owner, name)
    if isinstance(value, str) and (name in _MEDIA_FIELDS or isinstance(owner, Captions)):
        yield value
    elif isinstance(value, BaseModel):
        for inner in type(value).model_fields:
            yield from _media_in(value, inner)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, BaseModel):
                for inner in type(item).model_fields:
                    yield from _media_in(item, inner)
