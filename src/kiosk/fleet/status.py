"""`kiosk status`: what this kiosk shows and how its sync is doing, for staff and the fleet.

`collect_status` builds the whole report as one dict (printed as lines, or `--json`, and
optionally PUT to a status URL after each sync). A new field is one more line there.
"""

from __future__ import annotations

import json
import logging
import socket
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.clock_sync import clock_sync_state
from kiosk.content.kiosk_settings import KioskSettings
from kiosk.fleet.manifest import CONTENT, MANIFEST, sha256_file
from kiosk.fleet.release import CURRENT, SyncState, current_release, read_status, utc_text

log = logging.getLogger("kiosk.sync")

UPLOAD_TIMEOUT_S = 15.0


def clock_sync_words() -> tuple[str, str]:
    """The clock's NTP state for the status: ("synchronized" | "not synchronized" |
    "unknown", where it was found) (the one probe is kiosk.clock_sync)."""
    found = clock_sync_state()
    if found.synchronized is None:
        return ("unknown", found.detail or "neither timedatectl nor adjtimex answered")
    return ("synchronized" if found.synchronized else "not synchronized", found.source)


def uptime_seconds() -> float | None:
    """Seconds since the PC booted (/proc/uptime), or None."""
    try:
        return float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def show_status_line(log_folder: Path | None) -> str | None:
    """The first line of the running show's status.txt (OK … or PROBLEM …), or None."""
    if log_folder is None:
        return None
    try:
        lines = (log_folder / "status.txt").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return lines[0] if lines else None


def collect_status(
    root: Path,
    settings: KioskSettings,
    *,
    log_folder: Path | None = None,
    now: datetime | None = None,
    settings_file: Path | None = None,
) -> dict[str, Any]:
    """This kiosk's status as one dict: what it shows, its sync, its clock, its uptime, and
    today's visitors (from the insights database that `settings_file`'s [insights] names)."""
    now = now or datetime.now(UTC)
    current = current_release(root)
    synced = read_status(root)
    state = SyncState.load(root)
    clock, clock_source = clock_sync_words()
    warnings = []
    status: dict[str, Any] = {
        "kiosk": settings.name or socket.gethostname(),
        "time": utc_text(now),
        "root": str(root),
        "content": str(root / CURRENT / CONTENT),
        "release": current.version if current else None,
        "release_created": utc_text(current.manifest.created) if current else None,
        "manifest_expires": utc_text(current.manifest.expires) if current else None,
        "manifest_expired": current.manifest.expired(now) if current else None,
        "content_sha256": _sha256_or_none(current.folder / CONTENT) if current else None,
        "manifest_sha256": _sha256_or_none(current.folder / MANIFEST) if current else None,
        "pinned": state.pinned,
        "rolled_back": state.rolled_back,
        "last_check": synced.get("last_check"),
        "last_sync": synced.get("last_sync"),
        "last_result": synced.get("result"),
        "last_error": synced.get("last_error"),
        "next_check": synced.get("next_check"),
        "clock_sync": clock,
        "clock_sync_source": clock_source,
        "uptime_s": uptime_seconds(),
        "show": show_status_line(log_folder),
    }
    visitors = _visitors(settings, settings_file)
    status["visitors_today"] = visitors["visitors_today"]
    status["insights"] = visitors["problem"] or visitors["database"]
    if current is None:
        warnings.append(f"no release in {root} yet: run kiosk sync")
    elif current.manifest.expired(now):
        warnings.append(
            f"release {current.version} expired on {status['manifest_expires']}: "
            "is the content server or its mirror frozen?"
        )
    if status["last_error"]:
        warnings.append(f"the last check failed: {status['last_error']}")
    if clock != "synchronized":
        warnings.append(f"the clock is {clock} ({clock_source})")
    status["warnings"] = warnings
    return status


def _visitors(settings: KioskSettings, settings_file: Path | None) -> dict[str, Any]:
    """Today's visitor count and the insights database (never raises)."""
    from kiosk.insights.storage.database import database_path
    from kiosk.insights.storage.summary import status_summary

    if not settings.insights.enabled:
        return {"visitors_today": None, "problem": "insights are off ([insights] enabled)"}
    return status_summary(database_path(settings.insights.database, settings_file))


def _sha256_or_none(path: Path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None


def status_text(status: dict[str, Any]) -> str:
    """The status as staff read it in a terminal: one `key: value` line each."""
    lines = []
    for key, value in status.items():
        if key == "warnings":
            continue
        shown = "-" if value is None or value == [] else value
        label = key.replace("_", " ")
        if key == "uptime_s" and isinstance(value, float):
            label, shown = "uptime", f"{value / 3600:.1f} h"
        lines.append(f"{label}: {shown}")
    lines += [f"WARNING: {warning}" for warning in status.get("warnings", [])]
    return "\n".join(lines)


def upload_status(url: str, status: dict[str, Any], *, timeout: float = UPLOAD_TIMEOUT_S) -> None:
    """PUT the status JSON to `url` ({name} replaced by the kiosk's name); raises OSError."""
    target = url.replace("{name}", urllib.parse.quote(str(status.get("kiosk", "")), safe=""))
    body = (json.dumps(status, indent=1) + "\n").encode()
    request = urllib.request.Request(
        target, data=body, method="PUT", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read(64 * 1024)
    except urllib.error.HTTPError as error:
        raise OSError(f"{target}: the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise OSError(f"{target}: {error.reason}") from None
