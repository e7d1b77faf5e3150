"""What a slide says to someone who cannot see it: the screen reader's text runs and the
read-aloud text, for every slide type, in Chinese and English (no Qt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content import load_content
from kiosk.content.model import Content, Slide
from kiosk.content.numbers import decimals_of, format_number
from kiosk.content.spoken import READ_ALOUD_INTRO, slide_runs, speech_text

EVERY_TYPE = Path(__file__).resolve().parents[1] / "fixtures" / "content" / "every_type.yaml"


def _slide(content: Content, slide_id: str) -> Slide:
    index = content.index_of(slide_id)
    assert index is not None, slide_id
    return content.slides[index]


# (slide id, language, words the speech must contain in this order)
SPOKEN = [
    (
        "cover",
        "zh",
        ["第1张，共14张", "济南高新区", "济南高新技术产业开发区", "以产业立区、以创新求突破"],
    ),
    ("cover", "en", ["Slide 1 of 14", "Jinan High-tech Zone.", "Built on industry, Breaking"]),
    ("history", "zh", ["发展历程：29年风雨兼程", "1991：经国务院批准", "2020：318平方公里"]),
    ("history", "en", ["Our journey", "1991: Approved by the State Council", "2013: Jinan"]),
    ("industry-peaks", "zh", ["四大产业崛起成峰", "信息技术：依托浪潮集团", "；以服务器为核心"]),
    ("industry-peaks", "en", ["Four industry peaks", "Information technology: China Computing"]),
    ("economy-2019", "zh", ["地区生产总值，稳居济南市第一位：1150.2亿元（2019）", "百分之10.5"]),
    (
        "economy-2019",
        "en",
        ["GDP, first in Jinan: 115.02 billion yuan (2019)", "plus 10.5 percent"],
    ),
    ("growth-vs-city", "zh", ["不低于1.8倍", "济南市平均：1", "进出口总值：1.8"]),
    (
        "growth-vs-city",
        "en",
        ["at least 1.8 times", "Jinan average: 1.", "Imports and exports: 1.8"],
    ),
    ("new-economy", "zh", ["超过百分之50", "超过百分之45", "2家"]),
    ("new-economy", "en", ["more than 50 percent", "more than 45 percent", "2 companies"]),
    ("trade-2020", "en", ["plus 48.1 percent (Q1 2020)", "38 months (2020)"]),
    ("garden", "zh", ["花园中的高新区", "四季有花", "四季有景", "高标准、高质量建设"]),
    ("garden", "en", ["A high-tech zone in a garden", "Flowers in every season"]),
    ("seven-directions", "zh", ["生物医药、智能装备、芯片", "夯实主导产业"]),
    ("seven-directions", "en", ["Biomedicine, Intelligent equipment, Chips"]),
    ("world-class", "en", ["Turning thirty.", "Striving to become a world-class high-tech park."]),
]


@pytest.mark.parametrize(("slide_id", "language", "words"), SPOKEN)
def test_read_aloud_says_the_slide_in_order(
    repo_content: Content, slide_id: str, language: str, words: list[str]
) -> None:
    index = repo_content.index_of(slide_id)
    assert index is not None
    text = speech_text(
        repo_content.slides[index], language, number=index + 1, count=len(repo_content.slides)
    )
    position = 0
    for word in words:
        found = text.find(word, position)
        assert found >= 0, f"{word!r} missing (or out of order) in {text!r}"
        position = found + len(word)


def test_read_aloud_leaves_sources_and_symbols_to_the_screen(repo_content: Content) -> None:
    for slide in repo_content.slides:
        for language in ("zh", "en"):
            text = speech_text(slide, language)
            assert "来源" not in text and "Source:" not in text
            assert " · " not in text and "≥" not in text and ">5" not in text
            assert "济南高新区（2020）" not in text


def test_every_slide_type_speaks_both_languages() -> None:
    content = load_content(EVERY_TYPE)
    for slide in content.slides:
        for language in ("zh", "en"):
            text = speech_text(slide, language)
            assert len(text) > len(slide.title[language]), (slide.type, language, text)


def test_a_slides_own_speech_replaces_what_it_would_read() -> None:
    content = load_content(EVERY_TYPE)
    cover = _slide(content, "cover")
    assert cover.speech is not None
    assert speech_text(cover, "en", number=1, count=6) == (
        "Slide 1 of 6. Welcome to the Jinan High-tech Zone."
    )
    assert speech_text(cover, "zh") == "欢迎来到济南高新区。"
    assert slide_runs(cover, "en")[0] == "Jinan High-tech Zone"  # the screen's text stays


def test_the_intro_tells_how_to_use_read_aloud(repo_content: Content) -> None:
    text = speech_text(repo_content.slides[0], "en", number=1, count=13, intro=True)
    assert text.startswith(READ_ALOUD_INTRO["en"])
    assert "Swipe left" in text and text.endswith("Growing through reform.")


def test_runs_are_what_a_screen_reader_finds(repo_content: Content) -> None:
    gdp = slide_runs(_slide(repo_content, "economy-2019"), "zh")
    assert gdp[0] == "2019年：高质量发展跑出加速度"
    assert "1150.2亿元 · 地区生产总值，稳居济南市第一位 · 2019 · 济南高新区" in gdp
    assert "+10.5% · 同比增长 · 2019 · 济南高新区" in gdp
    assert "2019：1150.2亿元" in gdp  # the chart's bars
    assert gdp[-1].startswith("来源：济南高新区（2020）")
    rings = slide_runs(_slide(repo_content, "new-economy"), "en")
    assert "“Four New” economy: >50%" in rings
    peaks = slide_runs(_slide(repo_content, "industry-peaks"), "en")
    assert peaks[2:4] == ["Information technology", "China Computing Valley, built around Inspur"]
    garden = slide_runs(_slide(repo_content, "garden"), "en")
    assert "Flowers in every season" in garden


def test_figures_read_as_written() -> None:
    assert decimals_of(1150.2) == 1 and decimals_of(318.0) == 0
    assert format_number(115.02, 2) == "115.02"
    assert format_number(12345.5, 1) == "12,345.5"
