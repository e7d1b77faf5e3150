"""`kiosk report`: the figures of the scripted morning match a hand count, the page says them,
heat maps put the hot spot where the taps were, an empty period says "no data"."""

from __future__ import annotations

import base64
import csv
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from scripted import T0, play_the_morning, start_recording_show

from kiosk.cli import main
from kiosk.insights.storage import database
from kiosk.insights.storage.events import InputRecorded, Layout, SlideShown
from kiosk.insights.storage.summary import summarize

DAY = date(2025, 3, 14)
NAME = "Hall A entrance 东门"


@pytest.fixture(scope="module")
def morning_db(tmp_path_factory, qapp, font_family):
    """The scripted morning's database (played once for this module)."""
    from PySide6.QtTest import QTest

    folder = tmp_path_factory.mktemp("morning")
    run = start_recording_show(folder, font_family, QTest.createTouchDevice())
    try:
        play_the_morning(run)
        assert run.recorder.flush()
    finally:
        run.recorder.close()
        run.show.window.allow_close()
        run.show.window.close()
    return run.database, run.deck


class _Page(HTMLParser):
    """The parts of the report a reader looks at: title, cards, tables, images, 'no data'."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.h1 = ""
        self.cards: list[str] = []
        self.rows: list[list[str]] = []
        self.images: list[tuple[str, str]] = []  # (alt, src)
        self.captions: list[str] = []
        self.no_data = 0
        self._stack: list[tuple[str, str]] = []
        self._text = ""

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        self._stack.append((tag, found.get("class") or ""))
        self._text = ""
        if tag == "img":
            self.images.append((found.get("alt", ""), found.get("src", "")))
        if tag == "tr":
            self.rows.append([])

    def handle_endtag(self, tag):
        if not self._stack:
            return
        opened, cls = self._stack.pop()
        text = self._text.strip()
        if opened == "title":
            self.title = text
        elif opened == "h1":
            self.h1 = text
        elif opened == "div" and cls == "value":
            self.cards.append(text)
        elif opened == "div" and cls == "nodata":
            self.no_data += 1
        elif opened in ("td", "th") and self.rows:
            self.rows[-1].append(text)
        elif opened == "figcaption":
            self.captions.append(text)
        self._text = ""

    def handle_data(self, data):
        self._text += data


def _report(tmp_path: Path, db: Path, deck: Path, *extra: str) -> tuple[_Page, list[Path]]:
    settings = tmp_path / "kiosk.toml"
    settings.write_text(f'name = "{NAME}"\n', encoding="utf-8")
    out = tmp_path / "out"
    arguments = ["report", str(deck), "--out", str(out), "--db", str(db)]
    code = main([*arguments, "--settings", str(settings), *extra])
    assert code == 0
    pages = sorted(out.glob("*.html"))
    assert len(pages) == 1
    page = _Page()
    page.feed(pages[0].read_text(encoding="utf-8"))
    return page, sorted(out.iterdir())


def test_the_figures_of_the_morning_match_the_hand_count(morning_db) -> None:
    db, _deck = morning_db
    connection = database.connect_for_reading(db)
    order = ["cover", "one", "two", "three", "four", "five"]
    summary = summarize(connection, DAY, DAY, order)
    connection.close()
    assert summary.sessions == 2
    assert summary.days == {DAY: 2}
    assert summary.hours[10] == 2 and sum(summary.hours) == 2
    # First to last input: visitor 1 from 12.0 to 40.0 s, visitor 2 from 200 to 206 s.
    assert summary.session_lengths == pytest.approx([28.0, 6.0])
    assert summary.median_session == pytest.approx(17.0)
    assert summary.navigation == {
        "chapter": 1,
        "dot": 0,
        "swipe": 1,
        "edge": 1,
        "key": 4,  # L, Right, 4, Enter
        "overview": 0,
        "language": 1,
        "other": 0,
    }
    # Visitors' time up to their last input: zh 0.1 + 8.1 + 9.8 (one, two, three) + 6 (one,
    # visitor 2); en 5.1 (three) + 4.9 (four, until the tap on the switch).
    assert summary.language_seconds == pytest.approx({"zh": 24.0, "en": 10.0})
    assert summary.seconds_with_visitors == pytest.approx(34.0)
    assert summary.seconds_on == pytest.approx(278.5)
    assert (summary.sessions_switching, summary.sessions_by_language) == (1, {"zh": 2})
    figures = {
        s.slide_id: (s.shown, s.reached, s.dwells, s.quick_passes, s.exits, s.touches)
        for s in summary.slides
    }
    assert [s.slide_id for s in summary.slides] == order
    assert figures["cover"] == (3, 0, [], 0, 0, 1)
    # one: paused on by visitor 1 (0.1 s before the tap moved on), 6 s with visitor 2.
    assert figures["one"][:2] == (2, 2) and figures["one"][2] == pytest.approx([0.1, 6.0])
    assert figures["one"][3:] == (1, 0, 3)
    assert figures["two"][:2] == (1, 1) and figures["two"][2] == pytest.approx([8.1])
    assert figures["two"][3:] == (0, 0, 1)
    # three: 9.8 s in Chinese plus 5.1 s in English is one appearance of 14.9 s.
    assert figures["three"][:2] == (2, 2) and figures["three"][2] == pytest.approx([14.9, 4.0])
    assert figures["three"][3:] == (0, 0, 2)
    # four: both visitors left on it; how long they really stayed there is unknown.
    assert figures["four"] == (2, 2, [], 0, 2, 1)
    assert figures["five"] == (0, 0, [], 0, 0, 0)
    layouts = {(slide, key.language) for slide, key in summary.touches}
    assert layouts == {("one", "zh"), ("two", "zh"), ("three", "en"), ("four", "en")}


def test_the_page_says_the_hand_count_with_the_name_and_period(tmp_path, morning_db) -> None:
    db, deck = morning_db
    page, files = _report(tmp_path, db, deck, "--from", "2025-03-14", "--to", "2025-03-14", "--csv")
    assert NAME in page.title and "2025-03-14 – 2025-03-14" in page.title
    assert NAME in page.h1
    # Visitors, median session, touches and keys, slides shown, on screen, with visitors.
    assert page.cards == ["2", "17 s", "8", "10", "4 min 38 s", "34 s"]
    table = page.rows[1:]  # under the header row
    assert [row[:8] for row in table] == [
        ["1", "封面 · Cover", "3", "0", "—", "0", "0", "1"],
        ["2", "一", "2", "2", "3.0 s", "1", "0", "3"],
        ["3", "二", "1", "1", "8.1 s", "0", "0", "1"],
        ["4", "三", "2", "2", "9.4 s", "0", "0", "2"],
        ["5", "四", "2", "2", "—", "0", "2", "1"],
        ["6", "五", "0", "0", "—", "0", "0", "0"],
    ]
    assert page.no_data == 0
    charts = [alt for alt, _ in page.images]
    assert charts[:7] == [
        "每日访客 · Visitors per day",
        "各时段访客 · Visitors by hour of the day",
        "会话时长分布 · Session length (median 17 s)",
        "观众使用的语言 · Visitors' time by language",
        "观众如何浏览 · Chapter bar, swipes and keys",
        "观众停留时间中位数 · Visitors' median time on each slide",
        "2. 一 · 一",
    ]
    assert len(page.images) == 6 + 4  # four heat maps: one, two, three (en), four (en)
    for _alt, src in page.images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG\r\n")
    assert any("en · 1920×1080 · text ×1 · release 2025.03.1" in c for c in page.captions)
    names = {path.name for path in files}
    prefix = "insights-2025-03-14_2025-03-14"
    assert names == {f"{prefix}.html"} | {
        f"{prefix}-{n}.csv"
        for n in (
            "visitors-per-day",
            "visitors-per-hour",
            "sessions",
            "slides",
            "navigation",
            "languages",
        )
    }
    with (tmp_path / "out" / f"{prefix}-slides.csv").open(encoding="utf-8-sig") as file:
        slides = list(csv.DictReader(file))
    assert [
        (r["slide_id"], r["shown"], r["reached_by_visitors"], r["touches"]) for r in slides
    ] == [
        ("cover", "3", "0", "1"),
        ("one", "2", "2", "3"),
        ("two", "1", "1", "1"),
        ("three", "2", "2", "2"),
        ("four", "2", "2", "1"),
        ("five", "0", "0", "0"),
    ]
    with (tmp_path / "out" / f"{prefix}-sessions.csv").open(encoding="utf-8-sig") as file:
        sessions = list(csv.DictReader(file))
    assert [(r["seconds"], r["inputs"], r["left_on_slide"]) for r in sessions] == [
        ("28.0", "5", "four"),
        ("6.0", "3", "four"),
    ]


def test_an_empty_period_says_no_data_instead_of_blank_charts(tmp_path, morning_db) -> None:
    db, deck = morning_db
    page, _files = _report(tmp_path, db, deck, "--from", "2025-02-01", "--to", "2025-02-28")
    assert page.images == []
    # The whole page, visitors, sessions, languages, navigation, slides, heat maps.
    assert page.no_data == 7
    assert page.cards[0] == "0"


def test_the_heat_maps_hot_spot_is_where_the_taps_were(tmp_path: Path, morning_db) -> None:
    _db, deck = morning_db
    db = tmp_path / "taps.sqlite3"
    connection = database.connect(db)
    layout = Layout("en", 1920, 1080, 1.0, None)
    spot = (0.70, 0.30)
    taps = [
        InputRecorded(
            T0 + n, None, "two", "tap", "slide", spot[0] + dx, spot[1] + dy, None, None, layout
        )
        for n, (dx, dy) in enumerate(
            [(-0.01, 0.0), (0.0, 0.01), (0.01, -0.01), (0.005, 0.005), (0.0, 0.0)] * 6
        )
    ]
    stray = [(0.1, 0.8), (0.5, 0.5), (0.9, 0.9), (0.2, 0.2), (0.3, 0.7)]
    taps += [
        InputRecorded(T0 + 100 + n, None, "two", "tap", "slide", x, y, None, None, layout)
        for n, (x, y) in enumerate(stray)
    ]
    database.write_batch(
        connection, [SlideShown(T0, T0 + 500, "two", 2, "en", "attract", None, False), *taps], {}
    )
    connection.close()
    page, _files = _report(tmp_path, db, deck, "--from", "2025-03-14", "--to", "2025-03-14")
    caption = next(c for c in page.captions if "35 touches" in c)
    across, down = (
        int(v) for v in re.search(r"hottest at (\d+)% across, (\d+)% down", caption).groups()
    )
    assert abs(across - 70) <= 2 and abs(down - 30) <= 2
    # The picture agrees: its brightest colour sits on the spot.
    from PySide6.QtGui import QImage

    src = next(src for alt, src in page.images if alt.startswith("3. 二"))
    image = QImage.fromData(base64.b64decode(src.split(",", 1)[1]))
    best, where = -1, (0, 0)
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            colour = image.pixelColor(x, y)
            warmth = colour.red() + colour.green() - colour.blue()  # inferno: yellow is hottest
            if warmth > best:
                best, where = warmth, (x, y)
    assert abs(where[0] / image.width() - spot[0]) < 0.04
    assert abs(where[1] / image.height() - spot[1]) < 0.06


def test_chart_text_is_drawn_with_the_bundled_chinese_font(font_family: str) -> None:
    from PySide6.QtGui import QFontMetricsF, QRawFont

    from kiosk.insights.report import build, charts, words
    from kiosk.insights.storage import summary

    font = charts.ChartStyle(font_family).font(19, bold=True)
    assert QRawFont.fromFont(font).familyName() == font_family  # not a fallback font
    metrics = QFontMetricsF(font)
    labels = "".join(
        [build.TITLE, build.UNNAMED, *words.LANGUAGE_NAMES.values()]
        + [label for _key, label in summary.NAVIGATION]
    )
    assert [c for c in labels if not c.isspace() and not metrics.inFontUcs4(ord(c))] == []


def test_a_period_that_ends_before_it_starts_is_refused(tmp_path: Path, capsys) -> None:
    code = main(["report", "--out", str(tmp_path), "--from", "2025-03-14", "--to", "2025-03-01"])
    assert code == 2
    assert "is after" in capsys.readouterr().err


def test_a_database_named_but_missing_is_an_error(tmp_path: Path, capsys) -> None:
    code = main(["report", "--out", str(tmp_path), "--db", str(tmp_path / "nope.sqlite3")])
    assert code == 1
    assert "no such database" in capsys.readouterr().err


def test_the_default_database_missing_gives_a_page_that_says_so(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_SETTINGS", str(tmp_path / "kiosk.toml"))
    assert main(["report", "--out", str(tmp_path / "out")]) == 0
    page = _Page()
    page.feed(next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8"))
    assert page.no_data >= 1 and page.images == []
