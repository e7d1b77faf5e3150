"""The report page from a period's figures: cards, charts, the slide table and heat maps."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter

import kiosk
from kiosk.content.model import Content, Language
from kiosk.core.player import Mode, Player
from kiosk.insights.report.charts import ChartStyle, bar_chart, png_bytes
from kiosk.insights.report.heatmap import heat_map, hot_spot
from kiosk.insights.report.page import Page
from kiosk.insights.report.words import (
    LANGUAGE_NAMES,
    LENGTH_BINS,
    day_label,
    duration_text,
    length_bins,
    percent,
    short,
    slide_titles,
)
from kiosk.insights.storage.layout import release_of
from kiosk.insights.storage.summary import NAVIGATION, QUICK_PASS_S, LayoutKey, Summary
from kiosk.slides.base import SlideView, canvas_for
from kiosk.slides.media import MediaLibrary
from kiosk.slides.registry import build_view
from kiosk.slides.render import render_view
from kiosk.slides.theme import SlideTheme
from kiosk.ui.chrome import LanguageLayer, NavigationLayer

log = logging.getLogger(__name__)

CHART_WIDTH = 900
PICTURE_LONG_SIDE = 640  # heat map pictures: 640x360 for a 16:9 screen
TITLE = "观众数据报告 · Visitor insights"
UNNAMED = "未命名的展台 · unnamed kiosk (set name in kiosk.toml)"


@dataclass(frozen=True)
class ReportContext:
    """What the page says around the figures."""

    kiosk_name: str
    content: Content | None  # slide titles and pictures; None when content.yaml does not load
    content_dir: Path | None
    database: Path
    generated: datetime


def build_report(summary: Summary, context: ReportContext, family: str) -> str:
    """The whole HTML page for `summary`."""
    name = context.kiosk_name or UNNAMED
    first, last = summary.first_day, summary.last_day
    span = (last - first).days + 1
    period = f"{first:%Y-%m-%d} – {last:%Y-%m-%d}"
    page = Page(f"{TITLE} — {name}", f"{period} ({span} 天 days)")
    style = ChartStyle(family)
    subtitle = f"{name} · {period}"
    if summary.empty:
        page.no_data()
    _cards(page, summary)
    _visitors(page, summary, style, subtitle, span)
    _sessions(page, summary, style, subtitle)
    _languages_and_navigation(page, summary, style, subtitle)
    _slides(page, summary, context, style, subtitle)
    _heat_maps(page, summary, context, family)
    page.footer(
        [
            "记录内容 · What is recorded: slides shown (when, how long, language, looping or "
            "with a visitor); visitor sessions (a run of touches between two returns to the "
            "loop); each touch and key (slide, place on the screen, gesture). No camera, no "
            "names, no identifiers; the staff keypad and presenter keys are never recorded.",
            "Days and hours are this PC's local time. A session's length runs from its first "
            "to its last touch.",
            f"Database: {context.database}",
            f"Generated {context.generated:%Y-%m-%d %H:%M} by kiosk {kiosk.__version__}",
        ]
    )
    return page.html()


def _cards(page: Page, summary: Summary) -> None:
    median = summary.median_session
    page.cards(
        [
            (str(summary.sessions), "访客（会话） · Visitors (sessions)"),
            (
                duration_text(median) if median is not None else "—",
                "会话时长中位数 · Median session",
            ),
            (str(summary.inputs), "触摸与按键 · Touches and keys"),
            (str(sum(s.shown for s in summary.slides)), "放映次数 · Slides shown"),
            (duration_text(summary.seconds_on), "播放时间 · On screen"),
            (duration_text(summary.seconds_with_visitors), "有观众 · With visitors"),
        ]
    )


def _visitors(page: Page, summary: Summary, style: ChartStyle, subtitle: str, span: int) -> None:
    page.heading("访客 · Visitors", "visitors")
    if summary.sessions == 0:
        page.no_data()
        return
    days = list(summary.days)
    counts = [summary.days[day] for day in days]
    title = "每日访客 · Visitors per day"
    image = bar_chart(
        style,
        title,
        subtitle,
        [day_label(day, span) for day in days],
        counts,
        [str(n) if n and span <= 31 else "" for n in counts],
        label_every=max(1, -(-span // 16)),
    )
    page.figure(png_bytes(image), CHART_WIDTH, title)
    busiest = max(range(24), key=lambda hour: summary.hours[hour])
    title = "各时段访客 · Visitors by hour of the day"
    image = bar_chart(
        style,
        title,
        subtitle,
        [f"{hour}" for hour in range(24)],
        summary.hours,
        [str(n) if n else "" for n in summary.hours],
        highlight=[busiest],
    )
    caption = f"最忙 · busiest: {busiest}:00–{busiest + 1}:00 ({summary.hours[busiest]})"
    page.figure(png_bytes(image), CHART_WIDTH, title, caption)


def _sessions(page: Page, summary: Summary, style: ChartStyle, subtitle: str) -> None:
    page.heading("会话时长 · Session length", "sessions")
    median = summary.median_session
    if median is None:
        page.no_data()
        return
    counts = length_bins(summary.session_lengths)
    title = f"会话时长分布 · Session length (median {duration_text(median)})"
    image = bar_chart(
        style,
        title,
        subtitle,
        [label for _, label in LENGTH_BINS],
        counts,
        [str(n) if n else "" for n in counts],
        height=300,
    )
    page.figure(png_bytes(image), CHART_WIDTH, title, "From the first to the last touch.")


def _languages_and_navigation(
    page: Page, summary: Summary, style: ChartStyle, subtitle: str
) -> None:
    page.heading("语言与操作 · Languages and how visitors moved", "languages")
    total = sum(summary.language_seconds.values())
    if total <= 0:
        page.no_data()
    else:
        languages = sorted(
            summary.language_seconds, key=lambda lang: -summary.language_seconds[lang]
        )
        seconds = [summary.language_seconds[lang] for lang in languages]
        title = "观众使用的语言 · Visitors' time by language"
        image = bar_chart(
            style,
            title,
            subtitle,
            [LANGUAGE_NAMES.get(lang, lang) for lang in languages],
            [100 * s / total for s in seconds],
            [f"{percent(s, total)} · {duration_text(s)}" for s in seconds],
            horizontal=True,
            height=80 + 46 * len(languages) + 40,
        )
        started = ", ".join(
            f"{LANGUAGE_NAMES.get(lang, lang)} {count}"
            for lang, count in sorted(summary.sessions_by_language.items())
        )
        caption = (
            f"Sessions that switched language: {summary.sessions_switching} of "
            f"{summary.sessions}. Language at the first touch: {started}."
        )
        page.figure(png_bytes(image), CHART_WIDTH, title, caption)
    moves = sum(summary.navigation.values())
    if moves == 0:
        page.no_data()
        return
    counts = [summary.navigation[key] for key, _ in NAVIGATION]
    title = "观众如何浏览 · Chapter bar, swipes and keys"
    image = bar_chart(
        style,
        title,
        subtitle,
        [label for _, label in NAVIGATION],
        counts,
        [f"{n} ({percent(n, moves)})" if n else "" for n in counts],
        horizontal=True,
        height=80 + 34 * len(NAVIGATION) + 40,
    )
    page.figure(
        png_bytes(image),
        CHART_WIDTH,
        title,
        "Every touch and key of a visitor, by what it was: a tap on the chapter bar or a dot, "
        "a swipe, a tap on the left or right edge, a key, the overview, the language switch, "
        "or anything else (a tap on the slide itself, a stroke that meant nothing).",
    )


def _slides(
    page: Page, summary: Summary, context: ReportContext, style: ChartStyle, subtitle: str
) -> None:
    page.heading("各幻灯片 · Slides", "slides")
    if not any(slide.shown or slide.touches for slide in summary.slides):
        page.no_data()
        return
    visited = [s for s in summary.slides if s.median_dwell is not None]
    if visited:
        labels = []
        for slide in visited:
            zh, _en, number = slide_titles(context.content, slide.slide_id)
            labels.append(short(f"{number}. {zh}" if number else zh))
        dwells = [slide.median_dwell or 0.0 for slide in visited]
        title = "观众停留时间中位数 · Visitors' median time on each slide"
        image = bar_chart(
            style,
            title,
            subtitle,
            labels,
            dwells,
            [duration_text(d) for d in dwells],
            horizontal=True,
            height=80 + 30 * len(visited) + 40,
        )
        page.figure(png_bytes(image), CHART_WIDTH, title)
    rows = []
    for slide in summary.slides:
        zh, en, number = slide_titles(context.content, slide.slide_id)
        name = zh if zh == en else f"{zh} · {en}"
        median = slide.median_dwell
        rows.append(
            [
                number if number is not None else "—",
                name if number is not None else f"{slide.slide_id} (not in the content now)",
                slide.shown,
                slide.reached,
                duration_text(median) if median is not None else "—",
                slide.quick_passes,
                slide.exits,
                slide.touches,
            ]
        )
    page.table(
        [
            "#",
            "幻灯片 · Slide",
            "放映 · Shown",
            "观众到达 · Reached by visitors",
            "停留中位数 · Median time",
            f"快速跳过 · Left within {QUICK_PASS_S:g} s",
            "在此离开 · Visitors left here",
            "触摸 · Touches",
        ],
        rows,
    )
    page.note(
        "Shown: times the slide came on screen, in the loop or with a visitor. Reached: "
        "visitor sessions that had it on screen. Median time: a visitor's time on it, each "
        "time they were there. Left here: the slide on screen when a visitor's session ended."
    )


def _heat_maps(page: Page, summary: Summary, context: ReportContext, family: str) -> None:
    page.heading("触摸热图 · Where visitors touched", "heat-maps")
    if not summary.touches:
        page.no_data()
        return
    pictures = _SlidePictures(context, family)
    order = {slide.slide_id: n for n, slide in enumerate(summary.slides)}
    keys = sorted(
        summary.touches,
        key=lambda key: (order.get(key[0], len(order)), -len(summary.touches[key])),
    )
    figures = []
    for slide_id, layout in keys:
        points = summary.touches[(slide_id, layout)]
        canvas = (layout.canvas_width, layout.canvas_height)
        picture = pictures.picture(slide_id, layout)
        image = heat_map(picture, points, canvas)
        x, y = hot_spot(points, canvas, (picture.width(), picture.height()))
        zh, en, number = slide_titles(context.content, slide_id)
        name = f"{number}. {zh} · {en}" if number is not None else slide_id
        caption = (
            f"{name} — {layout.label()} — {len(points)} touch{'es' if len(points) != 1 else ''}, "
            f"hottest at {x:.0%} across, {y:.0%} down"
        )
        caption += pictures.caveat(slide_id, layout)
        figures.append(page.figure_html(png_bytes(image), picture.width(), name, caption))
    page.raw('<div class="heat">' + "".join(figures) + "</div>")
    untouched = [
        slide_titles(context.content, s.slide_id)
        for s in summary.slides
        if not any(key[0] == s.slide_id for key in summary.touches)
    ]
    if untouched:
        names = ", ".join(f"{n}. {zh}" if n else zh for zh, _en, n in untouched)
        page.note(f"No touches on · 无触摸: {names}.")
    page.note(
        "Each picture is the slide as `kiosk export` draws it, in the layout the touches were "
        "made on; every dot is where a finger (or the mouse) went down, for taps and swipes."
    )


class _SlidePictures:
    """The slides as `kiosk export` draws them (kiosk.slides.render.render_view), at the
    shape and in the language of a layout."""

    def __init__(self, context: ReportContext, family: str) -> None:
        self._context = context
        self._family = family
        self._views: dict[str, SlideView] = {}
        self._release = None
        if context.content_dir is not None:
            self._release = release_of(context.content_dir)

    def picture(self, slide_id: str, layout: LayoutKey) -> QImage:
        """The slide in its final state, PICTURE_LONG_SIDE pixels on its long side."""
        width, height = layout.canvas_width, layout.canvas_height
        scale = PICTURE_LONG_SIDE / max(width, height, 1)
        size = QSize(max(1, round(width * scale)), max(1, round(height * scale)))
        content, folder = self._context.content, self._context.content_dir
        index = content.index_of(slide_id) if content is not None else None
        if content is None or index is None or folder is None:
            return _placeholder(size, f"{slide_id}: not in the current content")
        language: Language = "en" if layout.language == "en" else "zh"
        theme = SlideTheme.from_content(content.settings.theme, self._family)
        try:
            view = self._views.get(slide_id)
            if view is None:
                view = build_view(content.slides[index], theme, MediaLibrary(folder))
                self._views[slide_id] = view
            image = render_view(view, size, language)
            _paint_chrome(image, content, index, language, theme)
            return image
        except Exception:  # one broken slide costs its picture, not the report
            log.exception("report: slide %s cannot be drawn; a plain picture is used", slide_id)
            return _placeholder(size, f"{slide_id}: cannot be drawn")

    def caveat(self, slide_id: str, layout: LayoutKey) -> str:
        """A note when the picture may differ from what the visitors saw."""
        notes = []
        if layout.text_scale != 1.0:
            notes.append(f"picture drawn at text ×1, touches made at ×{layout.text_scale:g}")
        if layout.release != self._release:
            notes.append(
                f"touches made on release {layout.release or 'without a manifest'}, picture "
                "from the current content"
            )
        return f" ({'; '.join(notes)})" if notes else ""


def _paint_chrome(
    image: QImage, content: Content, index: int, language: Language, theme: SlideTheme
) -> None:
    """The chapter bar, the dots and the language switch over the slide, as a visitor who
    took over sees them: many touches land on these."""
    player = Player(content, language=language, start_index=index)
    player.set_mode(Mode.INTERACTIVE)
    canvas_size = canvas_for(image.width(), image.height())
    canvas = QRectF(0, 0, canvas_size.width(), canvas_size.height())
    painter = QPainter(image)
    try:
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        painter.scale(image.width() / canvas.width(), image.width() / canvas.width())
        for layer in (
            NavigationLayer(player, lambda: theme, lambda: 0.0),
            LanguageLayer(player, lambda: theme),
        ):
            if layer.visible():
                layer.paint(painter, canvas, 0.0)
    finally:
        painter.end()


def _placeholder(size: QSize, text: str) -> QImage:
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#3b4754"))
    painter = QPainter(image)
    try:
        painter.setPen(QColor("#e4e7eb"))
        painter.drawText(
            QRectF(0, 0, size.width(), size.height()), Qt.AlignmentFlag.AlignCenter, text
        )
    finally:
        painter.end()
    return image
