"""A kiosk's release folder on disk, read by the sync, `kiosk status` and the show (no Qt).

The layout under ROOT:
ROOT/current -> releases/7        the link the show plays through (ROOT/current/content.yaml)
ROOT/releases/7/                  manifest.json, manifest.json.minisig, content.yaml, media
ROOT/releases/8.partial/          a release being fetched (never played)
ROOT/state.json                   highest version installed, rollback pin, the ETag
ROOT/status.json                  the last check, its result and error, the next check
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.fleet.files import write_durably
from kiosk.fleet.manifest import MANIFEST, Manifest, read_manifest

RELEASES = "releases"
CURRENT = "current"
STATE_FILE = "state.json"
STATUS_FILE = "status.json"
PARTIAL = ".partial"
TRASH = ".trash-"  # a release being removed: renamed first, so it is never half there


@dataclass(frozen=True)
class Release:
    """One whole release folder."""

    version: int
    folder: Path
    manifest: Manifest


def _release_in(folder: Path) -> Release | None:
    if not folder.name.isdigit() or not folder.is_dir():
        return None
    manifest = read_manifest(folder)
    if manifest is None or manifest.version != int(folder.name):
        return None
    return Release(manifest.version, folder, manifest)


def releases(root: Path) -> list[Release]:
    """The whole releases kept under ROOT/releases, oldest first."""
    try:
        entries = list((root / RELEASES).iterdir())
    except OSError:
        return []
    found = [release for entry in entries if (release := _release_in(entry)) is not None]
    return sorted(found, key=lambda release: release.version)


def current_release(root: Path) -> Release | None:
    """The release ROOT/current points at, or None (no link yet, or not a whole release)."""
    link = root / CURRENT
    try:
        target = link.readlink()
    except OSError:
        return None
    folder = (link.parent / target).absolute()
    if folder.parent != (root / RELEASES).absolute():
        return None
    return _release_in(folder)


def release_notice(content_path: Path, now: datetime | None = None) -> str | None:
    """A warning for staff when the content is a fleet release whose manifest has expired
    (its mirror may be frozen); None otherwise, and for content that is not a release."""
    manifest = read_manifest(content_path.parent)
    if manifest is None or not manifest.expired(now):
        return None
    return expiry_warning(manifest)


def expiry_warning(manifest: Manifest) -> str:
    """What staff read about an expired release."""
    when = manifest.expires.strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"release {manifest.version} expired on {when}: no newer release has reached this "
        "kiosk; is the content server or its mirror frozen? (the show keeps playing it)"
    )


@dataclass
class SyncState:
    """What the sync remembers between runs (ROOT/state.json)."""

    highest: int = 0  # the highest version ever installed: nothing older or equal is accepted
    rolled_back: list[int] = field(default_factory=list)  # never installed again
    pinned: int | None = None  # the release a rollback went back to, until a newer one comes
    etag: str | None = None  # of the manifest that `etag_version` came from
    etag_version: int | None = None
    etag_at: float = 0.0  # when the ETag was stored (time.time())

    @classmethod
    def load(cls, root: Path) -> SyncState:
        """The stored state; the defaults when there is none or it does not parse."""
        try:
            raw = json.loads((root / STATE_FILE).read_text(encoding="utf-8"))
            return cls(
                highest=int(raw.get("highest", 0)),
                rolled_back=[int(v) for v in raw.get("rolled_back", [])][-50:],
                pinned=None if raw.get("pinned") is None else int(raw["pinned"]),
                etag=raw.get("etag") if isinstance(raw.get("etag"), str) else None,
                etag_version=None if raw.get("etag_version") is None else int(raw["etag_version"]),
                etag_at=float(raw.get("etag_at", 0.0)),
            )
        except (OSError, ValueError, TypeError, AttributeError):
            return cls()

    def save(self, root: Path) -> None:
        """Store durably (synced, renamed into place)."""
        data = {
            "highest": self.highest,
            "rolled_back": self.rolled_back[-50:],
            "pinned": self.pinned,
            "etag": self.etag,
            "etag_version": self.etag_version,
            "etag_at": self.etag_at,
        }
        write_durably(root / STATE_FILE, (json.dumps(data, indent=1) + "\n").encode())


def read_status(root: Path) -> dict[str, Any]:
    """ROOT/status.json as the last sync wrote it ({} when there is none)."""
    try:
        data = json.loads((root / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_status(root: Path, status: dict[str, Any]) -> None:
    """Replace ROOT/status.json (atomically)."""
    write_durably(root / STATUS_FILE, (json.dumps(status, indent=1) + "\n").encode())


def utc_text(moment: datetime | None = None) -> str:
    """An ISO time in UTC with a Z, to the second."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def manifest_path(release: Release) -> Path:
    """The manifest file of a release."""
    return release.folder / MANIFEST
