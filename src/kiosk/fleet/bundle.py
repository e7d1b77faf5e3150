"""`kiosk bundle`: turn a checked content folder into a signed release in a publish folder.

The publish folder is what any static web server serves: content.yaml, the media it uses
(nothing else from the content folder), manifest.json and manifest.json.minisig. It is also
the record of the last version, so versions only grow.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import minisign

from kiosk.content import CheckResult, Content, check_content
from kiosk.fleet.arguments import DEFAULT_EXPIRES_DAYS
from kiosk.fleet.files import fsync_dir, fsync_file, write_durably
from kiosk.fleet.manifest import (
    CONTENT,
    MANIFEST,
    SIGNATURE,
    Manifest,
    ManifestError,
    ManifestFile,
    describe_file,
    parse_manifest,
    sha256_file,
)
from kiosk.fleet.signing import sign_manifest

log = logging.getLogger(__name__)

Checker = Callable[[Path], CheckResult]


class BundleError(ValueError):
    """The content cannot be published; the message says why, in words."""


def _default_checker(path: Path) -> CheckResult:
    return check_content(path, require_media=True)


def previous_version(out_dir: Path) -> int:
    """The version already published in `out_dir` (0 when it holds none)."""
    path = out_dir / MANIFEST
    if not path.exists():
        return 0
    try:
        return parse_manifest(path.read_bytes()).version
    except (OSError, ManifestError) as error:
        raise BundleError(
            f"{path} is there but cannot be read ({error}); is this the right publish folder?"
        ) from None


def bundle(
    content_dir: Path,
    out_dir: Path,
    secret: minisign.SecretKey,
    *,
    version: int | None = None,
    expires_days: float = DEFAULT_EXPIRES_DAYS,
    checker: Checker = _default_checker,
    now: datetime | None = None,
) -> Manifest:
    """Check the content, copy what it uses into `out_dir`, write and sign the manifest.

    Raises BundleError (nothing written) when the content has errors, the version would not
    grow, or the folders overlap. `checker` is `kiosk check`'s own check, so that bundle
    refuses exactly what check rejects.
    """
    content_dir = content_dir.absolute()
    out_dir = out_dir.absolute()
    content_path = content_dir / CONTENT
    if out_dir.resolve() == content_dir.resolve() or out_dir.resolve().is_relative_to(
        content_dir.resolve()
    ):
        raise BundleError(f"publish into a folder outside {content_dir}, not into it")
    result = checker(content_path)
    errors = [problem for problem in result.problems if problem.severity == "error"]
    if errors or result.content is None:
        lines = "\n".join(str(problem) for problem in errors)
        raise BundleError(f"{content_path} has errors; nothing was published:\n{lines}")
    last = previous_version(out_dir)
    chosen = last + 1 if version is None else version
    if chosen <= last:
        raise BundleError(
            f"version {chosen} is not newer than version {last} already in {out_dir}: "
            "versions only grow (kiosks refuse an older or equal one)"
        )
    if expires_days <= 0:
        raise BundleError("--expires-days must be more than 0")
    entries = _entries(content_dir, result.content)
    created = (now or datetime.now(UTC)).replace(microsecond=0)
    manifest = Manifest(
        version=chosen,
        created=created,
        expires=created + timedelta(days=expires_days),
        files=entries,
    )
    previous_stamp = _mtime_ns(out_dir / MANIFEST)
    _publish_files(content_dir, out_dir, entries)
    data = manifest.to_bytes()
    # Signature first, manifest last: a kiosk that meets a half-published folder sees a
    # signature that does not match, refuses it and tries again at its next check.
    write_durably(out_dir / SIGNATURE, sign_manifest(secret, data, chosen))
    write_durably(out_dir / MANIFEST, data)
    _new_etag_stamp(out_dir / MANIFEST, previous_stamp)
    log.info("published version %d to %s: %d files", chosen, out_dir, len(entries))
    return manifest


def _mtime_ns(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _new_etag_stamp(manifest: Path, previous_ns: int | None) -> None:
    """Give the new manifest a modification time at least a whole second after the last one's.

    Web servers derive a file's ETag from its mtime in whole seconds and its size (nginx:
    "<mtime hex>-<size hex>"), and two manifests of one length written in the same second would
    share one: a kiosk asking If-None-Match would hear 304 and miss the release. Copies that
    keep mtimes (rsync -a, as the guide says) carry the stamp to the server.
    """
    if previous_ns is None:
        return
    now_ns = manifest.stat().st_mtime_ns
    second = 1_000_000_000
    wanted = max(now_ns, (previous_ns // second + 1) * second)
    if wanted != now_ns:
        os.utime(manifest, ns=(wanted, wanted))


def _entries(content_dir: Path, content: Content) -> list[ManifestFile]:
    """content.yaml and every media file the content uses, each inside the content folder."""
    root = content_dir.resolve()
    entries = []
    for relative in [CONTENT, *content.media()]:
        path = content_dir / relative
        if not path.resolve().is_relative_to(root) or not path.is_file():
            raise BundleError(f"{relative}: not a file inside {content_dir}")
        try:
            entries.append(describe_file(content_dir, relative))
        except (OSError, ValueError) as error:
            raise BundleError(f"{relative}: cannot be published ({error})") from None
    return entries


def _publish_files(content_dir: Path, out_dir: Path, entries: list[ManifestFile]) -> None:
    """Copy changed files into `out_dir` (each replaced atomically); drop the files the
    previous release listed that this one no longer uses (and nothing else)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    old = out_dir / MANIFEST
    before = parse_manifest(old.read_bytes()).files if old.exists() else []
    for entry in entries:
        target = out_dir / entry.path
        if (
            target.is_file()
            and target.stat().st_size == entry.size
            and sha256_file(target) == entry.sha256
        ):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(content_dir / entry.path, temporary)
        if sha256_file(temporary) != entry.sha256:
            temporary.unlink()
            raise BundleError(f"{entry.path} changed while it was published; run bundle again")
        fsync_file(temporary)
        temporary.replace(target)
        fsync_dir(target.parent)
    kept = {entry.path for entry in entries}
    for entry in before:
        if entry.path not in kept:
            gone = out_dir / entry.path
            gone.unlink(missing_ok=True)
            for parent in gone.parents:
                if parent == out_dir or any(parent.iterdir()):
                    break
                parent.rmdir()
