"""The settings of one kiosk PC: `kiosk.toml` in the platform config folder (no Qt).

`content.yaml` is what a whole hall shares (and, with many kiosks, one signed file); what belongs
to one screen lives here: its name, and the settings each feature documents in this model. The
merge order is: built-in defaults < content.yaml `settings` < kiosk.toml < the command line.

A problem in the file is reported like a content problem, `PATH:LINE:COL: error: message`, and
never stops the show: a kiosk with a broken kiosk.toml runs on the hall's settings and says why.
"""

from __future__ import annotations

import os
import re
import tomllib
import urllib.parse
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError, ValidationInfo, field_validator

from kiosk.content.common import Model
from kiosk.content.errors import ContentError, Problem
from kiosk.content.screens import Bezels, Screens

SETTINGS_FILE = "kiosk.toml"
SETTINGS_ENV = "KIOSK_SETTINGS"  # a path; wins over the platform config folder
MAX_SETTINGS_BYTES = 64 * 1024

_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\- ]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


_PUBLIC_KEY_LINE = re.compile(r"^RW[A-Za-z0-9+/]{54}$")  # minisign's base64 public key


def _web_origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f'must be an http:// or https:// address, got "{url}"')
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f'has a port that is not a number: "{url}"') from None
    return (parts.scheme, parts.hostname.lower(), port or (443 if parts.scheme == "https" else 80))


class FleetSettings(Model):
    """Where this kiosk takes its content from (`kiosk sync`); without a url, no fleet."""

    url: str = Field(
        "",
        max_length=500,
        description="The release folder on a web server that `kiosk bundle` output was copied "
        "to, e.g. 'https://content.example/hall-a/'",
    )
    public_key: str = Field(
        "",
        max_length=500,
        description="The minisign public key that signs the releases: the 'RW…' line of "
        "kiosk.pub, or the path of that file",
    )
    root: str = Field(
        "",
        max_length=500,
        description="Folder for the releases (the show plays ROOT/current/content.yaml); "
        "empty: ~/.local/share/kiosk/fleet",
    )
    every: float = Field(
        300,
        ge=30,
        le=86400,
        description="Seconds between checks (`kiosk sync --every`, with ±10 % jitter; the "
        "systemd timer in deploy/ uses the same 5 minutes)",
    )
    timeout: float = Field(
        30, ge=1, le=600, description="Seconds without an answer before a check gives up"
    )
    status_url: str = Field(
        "",
        max_length=500,
        description="Optional: where each check PUTs this kiosk's status JSON ({name} becomes "
        "the kiosk's name); another host than the content's, never the content host",
    )

    @field_validator("url")
    @classmethod
    def _url_is_web(cls, url: str) -> str:
        if url:
            _web_origin(url)
        return url

    @field_validator("public_key")
    @classmethod
    def _key_is_minisign(cls, key: str) -> str:
        text = key.strip()
        if text.startswith("RW") and " " not in text and not _PUBLIC_KEY_LINE.match(text):
            raise ValueError(
                "must be the whole second line of kiosk.pub (56 characters starting with RW)"
            )
        return text

    @field_validator("status_url")
    @classmethod
    def _status_elsewhere(cls, status_url: str, info: ValidationInfo) -> str:
        if not status_url:
            return status_url
        origin = _web_origin(status_url)
        url = info.data.get("url") or ""
        if url and origin == _web_origin(url):
            raise ValueError(
                "must be on another host than the content (url): a content host that "
                "accepts writes from kiosks is one anyone at a kiosk can change"
            )
        return status_url


class InsightsSettings(Model):
    """Visitor insights (`[insights]`): what was shown and what visitors did, kept on this PC."""

    enabled: bool = Field(
        True,
        description="Record what the show did and what visitors did (no personal data: "
        "the README lists what is and is not recorded)",
    )
    database: str | None = Field(
        None,
        min_length=1,
        max_length=1000,
        description="The database file; default insights.sqlite3 in the platform data folder "
        "(~/.local/share/kiosk). A relative path is relative to this kiosk.toml",
    )
    retention_days: int = Field(
        400, ge=1, le=3660, description="Days of records kept; older ones are deleted"
    )
    max_megabytes: int = Field(
        200,
        ge=1,
        le=100_000,
        description="Size cap of the database in MB; the oldest records go first past it",
    )
    write_every_seconds: float = Field(
        3.0,
        ge=0.5,
        le=60,
        description="How often the records waiting in memory are written (one transaction)",
    )


class KioskAccessibility(Model):
    """`[accessibility]`: what differs per screen. The first five, when written, replace the
    hall's defaults from content.yaml's `settings.accessibility` for this kiosk."""

    reduce_motion: bool | None = Field(None, description="Reduced motion from the start")
    larger_text: bool | None = Field(None, description="Larger text from the start")
    high_contrast: bool | None = Field(None, description="The high-contrast theme from the start")
    read_aloud: bool | None = Field(None, description="Read each slide aloud from the start")
    offer_read_aloud: bool | None = Field(
        None, description="Offer read-aloud on this kiosk (false: no button, no key)"
    )
    read_aloud_key: str = Field(
        "F9",
        max_length=32,
        pattern=r"^[A-Za-z0-9+ _]*$",
        description="The key a large USB button sends: it starts read-aloud, then repeats "
        "or stops it (a Qt key name such as F9, F13, Media Play; empty: no key)",
    )
    screen_reader: bool = Field(
        True,
        description="Expose the slides to screen readers (AT-SPI); false turns Qt's AT-SPI "
        "bridge off on this kiosk",
    )
    voice_zh: str = Field("", max_length=80, description="Speech voice for Chinese (by name)")
    voice_en: str = Field("", max_length=80, description="Speech voice for English (by name)")
    speech_rate: float = Field(
        0.0, ge=-1.0, le=1.0, description="Speech rate: -1 slowest, 0 normal, 1 fastest"
    )


class KioskSettings(Model):
    """Settings of this kiosk PC. Each feature adds its section here, with its defaults."""

    name: str = Field(
        "",
        max_length=80,
        description="What staff call this kiosk (logs, status, reports), e.g. 'Hall A entrance'",
    )
    fleet: FleetSettings = Field(
        default_factory=FleetSettings,
        description="Content from the office: the release folder to sync from, and its key",
    )
    insights: InsightsSettings = Field(
        default_factory=InsightsSettings,
        description="Visitor insights: the local statistics database and `kiosk report`",
    )
    sync_offset_ms: int = Field(
        0,
        ge=-10_000,
        le=10_000,
        description="With sync: wall_clock, run this screen's timeline this many ms ahead "
        "(a display that shows frames late, e.g. a TV's picture processing, gets its latency)",
    )
    # --- every screen shape (issue 17) -------------------------------------------------------
    screens: Screens | None = Field(
        None,
        description='This kiosk\'s screen sizes for `kiosk check`, e.g. ["5760x1080"]; when '
        "set they replace content.yaml's `screens`, and `bezels` applies to them",
    )
    bezels: Bezels = 1
    accessibility: KioskAccessibility = Field(default_factory=KioskAccessibility)
    volume: int | None = Field(
        None,
        ge=0,
        le=100,
        description="Loudness of films with `audio: true` on this kiosk, in percent "
        "(overrides content.yaml's settings.volume)",
    )


def default_settings_path() -> Path:
    """`$KIOSK_SETTINGS`, else kiosk.toml in the platform config folder (~/.config/kiosk)."""
    chosen = os.environ.get(SETTINGS_ENV)
    if chosen:
        return Path(chosen)
    from platformdirs import user_config_dir

    return Path(user_config_dir("kiosk", appauthor=False)) / SETTINGS_FILE


def load_kiosk_settings(path: Path, *, required: bool = False) -> KioskSettings:
    """Read and validate `path`; a missing file is the defaults unless `required`.

    Raises ContentError with every problem located in the file.
    """
    label = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if required:
            raise ContentError([Problem(label, 1, 1, "the settings file does not exist")]) from None
        return KioskSettings()
    except OSError as error:
        message = f"the settings file cannot be read ({error.strerror or error})"
        raise ContentError([Problem(label, 1, 1, message)]) from None
    return parse_kiosk_settings(data, source=label)


def parse_kiosk_settings(data: bytes, *, source: str = SETTINGS_FILE) -> KioskSettings:
    """Validate the bytes of a kiosk.toml; raise ContentError with located problems."""
    if len(data) > MAX_SETTINGS_BYTES:
        message = f"the file is {len(data) // 1024} KB; a kiosk.toml is a few lines. Right file?"
        raise ContentError([Problem(source, 1, 1, message)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError(
            [Problem(source, 1, 1, "the file is not UTF-8 text: save it again as UTF-8")]
        ) from None
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_POSITION.search(str(error))
        line, column = (int(found[1]), int(found[2])) if found else (1, 1)
        words = _TOML_POSITION.sub("", str(error)).strip()
        raise ContentError([Problem(source, line, column, f"TOML syntax error: {words}")]) from None
    try:
        return KioskSettings.model_validate(values)
    except ValidationError as error:
        raise ContentError(_settings_problems(error, text, source)) from None


def _settings_problems(error: ValidationError, text: str, source: str) -> list[Problem]:
    from kiosk.content.loader import describe_error  # the same plain words as content.yaml

    problems = []
    for detail in error.errors(include_url=False):
        path = tuple(part for part in detail["loc"] if isinstance(part, str | int))
        line, column = locate_toml(text, path)
        message = describe_error(detail, path, _field_names(KioskSettings))
        problems.append(Problem(source, line, column, message))
    return problems


def _field_names(model: type[BaseModel]) -> set[str]:
    """Every field name of `model` and of the models inside it (for "did you mean")."""
    names = set(model.model_fields)
    for info in model.model_fields.values():
        inner = info.annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            names |= _field_names(inner)
    return names


def locate_toml(text: str, path: tuple[str | int, ...]) -> tuple[int, int]:
    """Line and column of the key at `path` (`("fleet", "url")`) in simple TOML text: the
    `[fleet]` table header, then its `url =` line; the nearest enclosing table when the key is
    missing, else (1, 1)."""
    names = [part for part in path if isinstance(part, str)]
    if not names:
        return (1, 1)
    *tables, key = names
    table: tuple[str, ...] = ()
    best = (1, 1)
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header is not None:
            table = tuple(part.strip() for part in header[1].split("."))
            if list(table) == tables:
                best = (number, line.index("[") + 1)
            continue
        found = _KEY.match(line)
        if found is not None and list(table) == tables and found[1] == key:
            return (number, found.start(1) + 1)
    return best


def accessibility_overrides(settings: KioskSettings) -> dict[str, Any]:
    """The hall's accessibility defaults this kiosk replaces (the fields it writes)."""
    own = settings.accessibility
    chosen = ("reduce_motion", "larger_text", "high_contrast", "read_aloud", "offer_read_aloud")
    return {name: getattr(own, name) for name in chosen if getattr(own, name) is not None}


def settings_overrides(settings: KioskSettings) -> dict[str, Any]:
    """The values this kiosk sets explicitly (what it overrides of content.yaml's settings)."""
    return settings.model_dump(exclude_unset=True)
