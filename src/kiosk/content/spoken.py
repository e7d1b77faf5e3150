"""What a slide says to someone who cannot see it (no Qt): the text runs a screen reader finds
on the slide, and the text read aloud.

Both come from the content model, not from the painted layout, so they are the same whatever
the screen's shape or the text size, and a test can check them for every slide type without a
window. A slide's own `speech:` replaces the read-aloud text (the runs stay as shown).
"""

from __future__ import annotations

from collections.abc import Iterator

from kiosk.content.model import (
    BarChart,
    CardsSlide,
    CoverSlide,
    GallerySlide,
    Indicator,
    IndicatorsSlide,
    Language,
    MarksChart,
    RingChart,
    SlideBase,
    TextSlide,
    TimelineSlide,
    in_language,
)
from kiosk.content.numbers import decimals_of, format_number

# How a figure's sign is said: "> 50 %" reads "more than 50 percent".
SPOKEN_PREFIX: dict[str, tuple[str, str]] = {
    ">": ("超过", "more than "),
    "≥": ("不低于", "at least "),
    "<": ("低于", "less than "),
    "≤": ("不超过", "at most "),
    "~": ("约", "about "),
    "≈": ("约", "about "),
    "+": ("", "plus "),  # "同比增长：百分之10.5" already says growth
}
# Units a speech engine would spell out as symbols.
SPOKEN_UNIT_EN = {"%": " percent", "×": " times", "km²": " square kilometres"}
SPOKEN_UNIT_ZH = {"×": "倍", "km²": "平方公里"}
READ_ALOUD_INTRO = {
    "zh": "朗读已开启。向左滑动看下一张，向右滑动回到上一张。"
    "再按一次按钮重新朗读，朗读时按下则停止。",
    "en": "Read aloud is on. Swipe left for the next slide, right for the one before. "
    "Press the button again to hear the slide again; while it speaks, press it to stop.",
}


def figure_text(item: Indicator, language: Language) -> str:
    """A big number as it is shown: prefix, value and unit ("> 50 %", "1150.2 亿元")."""
    value = item.value_in(language)
    decimals = item.decimals if item.decimals is not None else decimals_of(value)
    unit = item.unit[language] if item.unit is not None else ""
    prefix = item.prefix or ""
    separator = " " if unit and (language == "en" or unit[0].isascii()) and unit != "%" else ""
    return f"{prefix}{format_number(value, decimals)}{separator}{unit}"


def slide_runs(slide: SlideBase, language: Language) -> list[str]:
    """Every piece of text on the slide, in reading order, the title first: the children a
    screen reader finds under the slide (figures carry their unit, label, year and source)."""
    runs = [slide.title[language], *_body_runs(slide, language, spoken=False)]
    if slide.source is not None:
        runs.append(("来源：" if language == "zh" else "Source: ") + slide.source[language])
    return [run for run in runs if run.strip()]


def speech_text(
    slide: SlideBase,
    language: Language,
    *,
    number: int | None = None,
    count: int | None = None,
    intro: bool = False,
) -> str:
    """What read-aloud says for `slide`: where it is in the show, its title and its text (the
    slide's own `speech:` instead, when it has one). Sources are left to the screen."""
    zh = language == "zh"
    parts: list[str] = []
    if intro:
        parts.append(READ_ALOUD_INTRO[language])
    if number is not None and count is not None:
        parts.append(f"第{number}张，共{count}张" if zh else f"Slide {number} of {count}")
    if slide.speech is not None:
        parts.append(slide.speech[language])
    else:
        parts.append(slide.title[language])
        parts.extend(_body_runs(slide, language, spoken=True))
    return _sentences(parts, language)


def _sentences(parts: list[str], language: Language) -> str:
    """Join parts as sentences, adding a full stop only where a part has none."""
    stop = "。" if language == "zh" else "."
    out = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        out.append(part if part[-1] in "。.!?！？:：" else part + stop)
    return ("" if language == "zh" else " ").join(out)


def _body_runs(slide: SlideBase, language: Language, *, spoken: bool) -> Iterator[str]:
    zh = language == "zh"
    colon = "：" if zh else ": "
    if isinstance(slide, CoverSlide):
        for text in (slide.kicker, slide.subtitle):
            if text is not None:
                yield _list(text[language], language) if spoken else text[language]
    elif isinstance(slide, TimelineSlide):
        for event in slide.events:
            yield f"{event.year}{colon}{event.text[language]}"
    elif isinstance(slide, CardsSlide):
        if slide.subtitle is not None:
            yield slide.subtitle[language]
        for card in slide.cards:
            if spoken:
                facts = ("；" if zh else "; ").join(fact[language] for fact in card.facts)
                yield f"{card.title[language]}{colon}{facts}"
            else:
                yield card.title[language]
                yield from (fact[language] for fact in card.facts)
    elif isinstance(slide, IndicatorsSlide):
        for item in slide.items:
            yield _indicator(item, language, spoken=spoken)
        if slide.chart is not None:
            yield from _chart(slide, language, spoken=spoken)
    elif isinstance(slide, GallerySlide):
        for image in slide.images:
            yield image.caption[language]
    elif isinstance(slide, TextSlide):
        yield _list(slide.body[language], language) if spoken else slide.body[language]
        if slide.attribution is not None:
            yield slide.attribution[language]


def _indicator(item: Indicator, language: Language, *, spoken: bool) -> str:
    zh = language == "zh"
    label = item.label[language]
    if not spoken:
        details = [figure_text(item, language), label]
        if item.year is not None:
            details.append(item.year[language])
        details.append(item.source[language])
        return " · ".join(details)
    figure = _spoken_figure(item, language)
    year = item.year[language] if item.year is not None else ""
    if zh:
        return f"{label}：{figure}" + (f"（{year}）" if year else "")
    return f"{label}: {figure}" + (f" ({year})" if year else "")


def _spoken_figure(item: Indicator, language: Language) -> str:
    """The figure in words an engine says well: "超过50%", "more than 50 percent"."""
    value = item.value_in(language)
    decimals = item.decimals if item.decimals is not None else decimals_of(value)
    number = format_number(value, decimals)
    unit = item.unit[language] if item.unit is not None else ""
    prefix = item.prefix or ""
    said_prefix = SPOKEN_PREFIX.get(prefix, (prefix, prefix))[0 if language == "zh" else 1]
    if language == "zh":
        if unit == "%":
            return f"{said_prefix}百分之{number}"
        return f"{said_prefix}{number}{SPOKEN_UNIT_ZH.get(unit, unit)}"
    spoken_unit = SPOKEN_UNIT_EN.get(unit, f" {unit}" if unit else "")
    return f"{said_prefix}{number}{spoken_unit}"


def _chart(slide: IndicatorsSlide, language: Language, *, spoken: bool) -> Iterator[str]:
    chart = slide.chart
    colon = "：" if language == "zh" else ": "
    if chart is None:
        return
    if chart.title is not None:
        yield chart.title[language]
    if isinstance(chart, BarChart):
        unit = chart.unit[language] if chart.unit is not None else ""
        for bar in chart.bars:
            value = in_language(bar.value, language)
            number = format_number(value, decimals_of(value))
            separator = " " if unit and language == "en" else ""
            yield f"{bar.label[language]}{colon}{number}{separator}{unit}"
    elif isinstance(chart, RingChart):
        for ring in chart.rings:
            number = format_number(ring.value, decimals_of(ring.value))
            prefix = ring.prefix or ""
            if spoken:
                said = SPOKEN_PREFIX.get(prefix, (prefix, prefix))[0 if language == "zh" else 1]
                shown = f"{said}百分之{number}" if language == "zh" else f"{said}{number} percent"
            else:
                shown = f"{prefix}{number}%"
            yield f"{ring.label[language]}{colon}{shown}"
    elif isinstance(chart, MarksChart) and chart.title is None:
        yield str(chart.count)


def _list(text: str, language: Language) -> str:
    """A display list ("a · b · c") said as a list ("a, b, c")."""
    comma = "、" if language == "zh" else ", "
    return comma.join(part.strip() for part in text.split("·"))
