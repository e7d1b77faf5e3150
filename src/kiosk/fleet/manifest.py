"""manifest.json: what one release is made of (version, dates, each file's size and sha256).

The manifest is the one file that is signed; every other file of a release is trusted through
its size and sha256 here. Paths are checked as strictly as a hostile server deserves: relative,
POSIX, inside the release folder, each once.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.minisig"
CONTENT = "content.yaml"
FORMAT = "kiosk-release/1"
MAX_MANIFEST_BYTES = 1024 * 1024  # ~5,000 files; a show has dozens
MAX_FILES = 5000
MAX_FILE_BYTES = 4 * 1024**3  # a long 4K film; anything larger is a mistake or an attack
RESERVED = {MANIFEST, SIGNATURE}


class ManifestError(ValueError):
    """The manifest is not one we can trust or use; the message says why, in words."""


class ManifestFile(BaseModel):
    """One file of a release."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(min_length=1, max_length=400)
    size: int = Field(strict=True, ge=0, le=MAX_FILE_BYTES)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @field_validator("path")
    @classmethod
    def _path_stays_inside(cls, path: str) -> str:
        pure = PurePosixPath(path)
        if (
            pure.is_absolute()
            or "\\" in path
            or "\x00" in path
            or path != pure.as_posix()  # no "a//b", "./a", trailing "/"
            or any(part in {"", ".", ".."} for part in pure.parts)
            or pure.parts[0] in RESERVED
        ):
            raise ValueError(f"unsafe file path {path!r}")
        return path


class Manifest(BaseModel):
    """The signed description of one release."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["kiosk-release/1"] = "kiosk-release/1"
    version: int = Field(strict=True, ge=1, le=2**53)
    created: datetime
    expires: datetime
    files: list[ManifestFile] = Field(min_length=1, max_length=MAX_FILES)

    @field_validator("created", "expires")
    @classmethod
    def _aware(cls, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("times must carry a time zone (UTC: a trailing Z)")
        return moment.astimezone(UTC)

    @model_validator(mode="after")
    def _consistent(self) -> Manifest:
        paths = [entry.path for entry in self.files]
        if len(set(paths)) != len(paths):
            raise ValueError("a file is listed twice")
        if CONTENT not in paths:
            raise ValueError(f"{CONTENT} is not in the release")
        folders = {str(parent) for path in paths for parent in PurePosixPath(path).parents}
        if folders & set(paths):
            raise ValueError("a path is both a file and a folder")
        if self.expires <= self.created:
            raise ValueError("it expires before it was created")
        return self

    def file(self, path: str) -> ManifestFile | None:
        """The entry of `path`, or None."""
        return next((entry for entry in self.files if entry.path == path), None)

    def expired(self, now: datetime | None = None) -> bool:
        """True once `expires` has passed."""
        return (now or datetime.now(UTC)) >= self.expires

    def to_bytes(self) -> bytes:
        """The manifest as published (stable key order, UTC times with a Z)."""
        data = {
            "format": self.format,
            "version": self.version,
            "created": _utc_text(self.created),
            "expires": _utc_text(self.expires),
            "files": [entry.model_dump() for entry in self.files],
        }
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode()


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_manifest(data: bytes) -> Manifest:
    """The manifest in `data`, or ManifestError saying what is wrong with it."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise ManifestError(f"the manifest is larger than {MAX_MANIFEST_BYTES // 1024} KB")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(f"the manifest is not JSON ({error})") from None
    try:
        return Manifest.model_validate(raw)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "manifest"
        raise ManifestError(f"the manifest is not valid: {where}: {first['msg']}") from None


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest of a release folder, or None when it has none or it does not parse."""
    try:
        return parse_manifest((folder / MANIFEST).read_bytes())
    except (OSError, ManifestError):
        return None


def sha256_file(path: Path) -> str:
    """The file's sha256, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def describe_file(folder: Path, relative: str) -> ManifestFile:
    """The manifest entry of a file on disk."""
    path = folder / relative
    return ManifestFile(path=relative, size=path.stat().st_size, sha256=sha256_file(path))
