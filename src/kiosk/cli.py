"""The `kiosk` command: show (default), check, schema, export, report, soak, bench."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import kiosk
from kiosk.memory import tune_allocator

if TYPE_CHECKING:
    from kiosk.content.errors import Problem
    from kiosk.content.loader import CheckResult
    from kiosk.content.model import Content
    from kiosk.content.screens import Screen
    from kiosk.content.yaml_reader import Located

COMMANDS = (
    *("show", "check", "schema", "export", "report", "set-pin", "soak", "bench"),
    "schedule",
    *("keygen", "bundle", "sync", "status"),  # the fleet: kiosk.fleet.commands
)


def default_content_path() -> Path:
    """content.yaml in the current folder, else the one bundled beside the package source."""
    here = Path("content.yaml")
    if here.is_file():
        return here
    bundled = Path(kiosk.__file__).resolve().parents[2] / "content.yaml"
    return bundled if bundled.is_file() else here


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Exhibition kiosk for the Jinan High-tech Zone. Without a command: show.",
    )
    parser.add_argument("--version", action="version", version=f"kiosk {kiosk.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    show = commands.add_parser("show", help="run the show (the default command)")
    show.add_argument("content", nargs="?", type=Path, help="content file (default: content.yaml)")
    show.add_argument("--windowed", action="store_true", help="a 1280x720 window, not kiosk mode")
    show.add_argument("--screen", type=int, metavar="N", help="screen number (0 = first)")
    show.add_argument("--lang", choices=("zh", "en"), help="start language")
    show.add_argument("--start", metavar="SLIDE_ID", help="start on this slide")
    show.add_argument(
        "--presenter",
        action="store_true",
        help="a second window with notes, the next slide and a timer",
    )
    show.add_argument(
        "--fps", action="store_true", help="show frame and paint times at the top left (staff)"
    )
    show.add_argument(
        "--no-insights",
        dest="record_insights",
        action="store_false",
        help="record no visitor insights (rehearsals, tests)",
    )
    show.add_argument(
        "--at",
        type=_local_time,
        metavar="YYYY-MM-DDTHH:MM[:SS]",
        help="rehearse: run the whole show on a clock that starts at this local time "
        "(standby and dated slides included; nothing is switched off or recorded)",
    )
    for flag, words in (
        ("--reduce-motion", "short cross-fades, no entrances or drifting"),
        ("--larger-text", "every slide laid out with larger text"),
        ("--high-contrast", "the high-contrast theme"),
        ("--read-aloud", "read each slide aloud"),
    ):
        show.add_argument(flag, action="store_const", const=True, help=f"start with {words}")
    show.add_argument(
        "--volume",
        type=_percent,
        metavar="0-100",
        help="loudness of films with sound, in percent (wins over kiosk.toml and content.yaml)",
    )
    _add_settings_argument(show)

    schedule = commands.add_parser(
        "schedule", help="opening hours, standby and the slides in the loop, day by day"
    )
    schedule.add_argument(
        "content", nargs="?", type=Path, help="content file (default: content.yaml)"
    )
    schedule.add_argument(
        "--from", dest="first", type=_day, metavar="YYYY-MM-DD", help="first day (default: today)"
    )
    schedule.add_argument(
        "--days", type=int, default=14, metavar="N", help="how many days (default 14)"
    )
    schedule.add_argument("--json", action="store_true", help="JSON instead of text")

    check = commands.add_parser("check", help="check a content file and list every problem")
    check.add_argument("content", nargs="?", type=Path, help="content file (default: content.yaml)")
    check.add_argument(
        "--size",
        dest="sizes",
        action="append",
        type=_screen_argument,
        metavar="WxH[/N]",
        help="also lay every slide out on this screen (repeatable; /N: a wall of N panels); "
        "default: the screens of kiosk.toml, else of content.yaml",
    )
    _add_settings_argument(check)

    commands.add_parser("schema", help="print the JSON Schema of content.yaml")
    soak = commands.add_parser("soak", help="run many transitions offscreen, watch memory")
    soak.add_argument("content", nargs="?", type=Path, help="content file (default: content.yaml)")
    soak.add_argument(
        "--transitions",
        type=int,
        default=3000,
        metavar="N",
        help="how many transitions (default 3000)",
    )
    soak.add_argument("--json", type=Path, metavar="FILE", help="also write the report here")

    commands.add_parser("set-pin", help="set the staff exit PIN (only a salted hash is stored)")

    from kiosk.bench import add_bench_arguments  # stdlib only: no Qt is imported here

    bench = commands.add_parser(
        "bench", help="measure transitions, start-up and memory per screen size (headless)"
    )
    add_bench_arguments(bench)

    export = commands.add_parser("export", help="render every slide to PNG (and PDF), headless")
    export.add_argument(
        "content", nargs="?", type=Path, help="content file (default: content.yaml)"
    )
    export.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    export.add_argument(
        "--size",
        type=_screen_argument,
        default="1920x1080",
        metavar="WxH[/N]",
        help="image size (default 1920x1080); /N lays the slides out for a wall of N panels",
    )
    export.add_argument("--lang", choices=("zh", "en"), help="language (default: the content's)")
    export.add_argument("--pdf", type=Path, metavar="FILE", help="also write one PDF")
    export.add_argument("--larger-text", action="store_true", help="with the visitors' larger text")
    export.add_argument("--high-contrast", action="store_true", help="in the high-contrast theme")

    from kiosk.fleet.arguments import add_fleet_commands

    add_fleet_commands(commands)
    report = commands.add_parser(
        "report", help="visitor insights of a period as one HTML page (and CSV files)"
    )
    report.add_argument(
        "content",
        nargs="?",
        type=Path,
        help="content file, for slide titles and pictures (default: content.yaml)",
    )
    report.add_argument(
        "--from",
        dest="first_day",
        type=parse_day,
        metavar="DATE",
        help="first day, YYYY-MM-DD (default: 29 days before --to)",
    )
    report.add_argument(
        "--to", dest="last_day", type=parse_day, metavar="DATE", help="last day (default: today)"
    )
    report.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    report.add_argument("--csv", action="store_true", help="also write the figures as CSV files")
    report.add_argument(
        "--db",
        type=Path,
        metavar="FILE",
        help="an insights database (default: this kiosk's, as kiosk.toml says)",
    )
    _add_settings_argument(report)
    return parser


def parse_day(text: str) -> date:
    """A day written YYYY-MM-DD (for --from and --to)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'"{text}" is not a date: write it as 2025-03-14'
        ) from None


def _local_time(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'"{text}" is not a local time: write it as 2026-12-31T14:59:30'
        ) from None
    return value.replace(tzinfo=None) if value.tzinfo is None else value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a day: write it as 2026-12-31') from None


def run_schedule(path: Path, first: date | None, days: int, as_json: bool) -> int:
    """`kiosk schedule`: the hall's days as text (or JSON); 1 when the content has errors."""
    import json

    from kiosk.content.errors import ContentError
    from kiosk.content.loader import load_content
    from kiosk.core.schedule import HallCalendar, format_schedule, schedule_days

    try:
        content = load_content(path)
    except ContentError as error:
        for problem in error.problems:
            print(problem)
        print(f"{path}: fix these first (kiosk check {path})", file=sys.stderr)
        return 1
    calendar = HallCalendar(content.settings, content.slides)
    start = first or calendar.local_day(time.time())
    rows = schedule_days(calendar, start, max(1, min(days, 3660)))
    if as_json:
        print(
            json.dumps(
                {"timezone": str(getattr(calendar.zone, "key", calendar.zone)), "days": rows},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(format_schedule(calendar, rows))
    return 0


def _screen_argument(text: str) -> Screen:
    """`3840x1080` or `5760x1080/3` as a Screen; an argparse type."""
    from kiosk.content.screens import parse_screen

    try:
        return parse_screen(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _percent(text: str) -> int:
    """An argparse type: a whole percent 0..100."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a whole number') from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 100")
    return value


def _add_settings_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--settings",
        type=Path,
        metavar="FILE",
        help="this kiosk's settings (default: $KIOSK_SETTINGS, else ~/.config/kiosk/kiosk.toml)",
    )


def content_check(
    path: Path, screens: Sequence[Screen] | None = None, bezels: int | Sequence[int] = 1
) -> CheckResult:
    """Everything `kiosk check` checks in a content file (not the kiosk's own settings).
    `kiosk bundle` refuses what this finds errors in: a new content check belongs here.

    Every slide is also laid out on `screens` (by default the hall's, content.yaml
    `screens`): text that cannot fit there is an error, text at its smallest size a warning."""
    from kiosk.content.loader import check_content
    from kiosk.content.screens import parse_screen
    from kiosk.ui.fonts import missing_glyphs

    result = check_content(path, require_media=True, glyph_check=missing_glyphs)
    content, located = result.content, result.located
    if content is None or located is None:
        return result
    if content.films():  # opened with the engine that plays them
        result.problems += _film_problems(result, path)
    if screens is None:
        screens = [parse_screen(text) for text in content.settings.screens]
    if screens:
        result.problems += _screen_problems(path, content, located, list(screens), bezels)
        result.problems += small_text_problems(path, content, located, screens)
    return result


def small_text_problems(
    path: Path, content: Content, located: Located, screens: Sequence[Screen]
) -> list[Problem]:
    """Warnings for text below `settings.accessibility.min_text_px` screen pixels on the
    hall's screens, laid out with Qt, headless."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.slides.media import MediaLibrary
    from kiosk.slides.textsize import small_text_warnings
    from kiosk.ui.fonts import register_fonts

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - keeps Qt alive
    sizes = [(screen.width, screen.height) for screen in screens]
    media = MediaLibrary(path.parent)
    return small_text_warnings(content, located, str(path), register_fonts(), media, sizes)


def run_check(
    path: Path, settings_path: Path | None = None, sizes: Sequence[Screen] | None = None
) -> int:
    """`kiosk check`: one `PATH:LINE:COL: error|warning: message` line per problem on stdout,
    the summary on stderr; exit 1 on any error, 0 otherwise (warnings included).

    With screens (`--size`, else kiosk.toml `screens`, else content.yaml `screens`) every
    slide is also laid out on each, in each language, and what does not fit is reported at
    the line of its text."""
    from kiosk.content.errors import ContentError
    from kiosk.content.kiosk_settings import (
        KioskSettings,
        default_settings_path,
        load_kiosk_settings,
    )
    from kiosk.content.screens import parse_screen

    started = time.perf_counter()
    settings_file = settings_path or default_settings_path()
    kiosk_settings = KioskSettings()
    settings_problems: list[Problem] = []
    try:
        kiosk_settings = load_kiosk_settings(settings_file, required=settings_path is not None)
    except ContentError as error:
        settings_problems = list(error.problems)
    # The command line's screens, else this kiosk's (kiosk.toml), else the hall's (content.yaml).
    screens: list[Screen] | None = list(sizes) if sizes else None
    if screens is None and kiosk_settings.screens is not None:
        screens = [parse_screen(text) for text in kiosk_settings.screens]
    result = content_check(path, screens, kiosk_settings.bezels)
    if screens is None and result.content is not None:
        screens = [parse_screen(text) for text in result.content.settings.screens]
    problems = [*result.problems, *settings_problems]
    for problem in problems:
        print(problem)
    errors = [problem for problem in problems if problem.severity == "error"]
    warnings = len(problems) - len(errors)
    elapsed = f"{(time.perf_counter() - started) * 1000:.0f} ms"
    if result.errors or result.content is None:
        count = len(result.errors)
        print(
            f"{path}: {count} error{'s' if count != 1 else ''}; the show keeps the last good "
            f"content until they are fixed ({elapsed})",
            file=sys.stderr,
        )
    if settings_problems:
        print(
            f"{settings_file}: {len(settings_problems)} error"
            f"{'s' if len(settings_problems) != 1 else ''}; this kiosk plays on the hall's "
            "settings until they are fixed",
            file=sys.stderr,
        )
    if errors or result.content is None:
        return 1
    content = result.content
    slides = len(content.slides)
    on_screens = f", laid out on {', '.join(str(s) for s in screens)}" if screens else ""
    print(
        f"{path}: OK, {slides} slide{'s' if slides != 1 else ''}, languages "
        f"{', '.join(content.settings.languages)}{on_screens}"
        + (f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
        + f" ({elapsed})",
        file=sys.stderr,
    )
    return 0


def _screen_problems(
    path: Path,
    content: Content,
    located: Located,
    screens: list[Screen],
    bezels: int | Sequence[int],
) -> list[Problem]:
    """Lay every slide out on each screen (headless Qt, layout only, no painting)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.slides.fitcheck import screen_problems
    from kiosk.slides.media import MediaLibrary
    from kiosk.slides.theme import SlideTheme
    from kiosk.ui.fonts import register_fonts

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - keeps Qt alive
    theme = SlideTheme.from_content(content.settings.theme, register_fonts())
    return screen_problems(
        content,
        located,
        str(path),
        screens,
        theme,
        MediaLibrary(path.parent),
        bezels=bezels,
    )


def _film_problems(result: CheckResult, path: Path) -> list[Problem]:
    """Open each film with Qt's own engine (headless): what check accepts is what plays."""
    from kiosk.app import ensure_headless

    ensure_headless()
    from PySide6.QtWidgets import QApplication

    from kiosk.slides.film_check import film_problems

    # A QApplication, not a bare QGuiApplication: a program (or a test run) that builds
    # widgets after a check in the same process needs one.
    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - for Qt
    assert result.content is not None
    found = film_problems(result.content, path.parent, str(path), result.position_of)
    return sorted(found, key=lambda problem: (problem.line, problem.column))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `kiosk` console script."""
    tune_allocator()  # before Qt allocates its first image
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (
        args_list[0] not in COMMANDS and args_list[0] not in {"-h", "--help", "--version"}
    ):
        args_list.insert(0, "show")
    args = build_parser().parse_args(args_list)
    if args.command in {"show", "check", "export", "report", "soak", "bench", "schedule"}:
        from kiosk.qt_messages import quiet_known_noise

        quiet_known_noise()  # before Qt loads
    from kiosk.fleet.arguments import FLEET_COMMANDS

    if args.command in FLEET_COMMANDS:
        from kiosk.fleet.commands import run_fleet_command

        return run_fleet_command(args, content_check)
    content = getattr(args, "content", None) or default_content_path()
    if args.command == "check":
        return run_check(content, args.settings, args.sizes)
    if args.command == "schedule":
        return run_schedule(content, args.first, args.days, args.json)
    if args.command == "soak":
        from kiosk.soak import run_soak

        return run_soak(content, max(1, args.transitions), args.json)
    if args.command == "bench":
        from kiosk.bench import run_from_args

        return run_from_args(args, content)
    if args.command == "set-pin":
        from getpass import getpass

        from kiosk.core.pin import PinStore, set_pin_interactively

        return set_pin_interactively(PinStore(), getpass)
    if args.command == "schema":
        from kiosk.content.schema import content_json_schema_text

        sys.stdout.write(content_json_schema_text())
        return 0
    if args.command == "report":
        from kiosk.insights.report import run_report

        return run_report(
            content,
            args.out,
            first_day=args.first_day,
            last_day=args.last_day,
            csv=args.csv,
            db_path=args.db,
            settings_path=args.settings,
        )
    if args.command == "export":
        from kiosk.export import export_slides

        screen = args.size  # a Screen (argparse converts the default too)
        return export_slides(
            content,
            args.out,
            width=screen.width,
            height=screen.height,
            language=args.lang,
            pdf=args.pdf,
            panels=screen.panels,
            larger_text=args.larger_text,
            high_contrast=args.high_contrast,
        )
    from kiosk.app import ShowOptions, run_show

    return run_show(
        ShowOptions(
            content,
            windowed=args.windowed,
            presenter=args.presenter,
            screen=args.screen,
            language=args.lang,
            start=args.start,
            fps=args.fps,
            settings_path=args.settings,
            # a rehearsal on a simulated clock is never recorded
            record_insights=args.record_insights and args.at is None,
            at=args.at,
            reduce_motion=args.reduce_motion,
            larger_text=args.larger_text,
            high_contrast=args.high_contrast,
            read_aloud=args.read_aloud,
            volume=args.volume,
        )
    )
