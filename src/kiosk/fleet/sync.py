"""`kiosk sync`: fetch a newer signed release and switch ROOT/current to it atomically.

One run: a conditional GET of manifest.json (a 304 costs nothing else); its signature checked
against this kiosk's public key; a version not newer than the highest ever installed refused
(a replayed old manifest is an attack, not an update; a rolled-back release is never taken
again); the changed files fetched into `releases/<N>.partial/`, unchanged ones hard-linked
from the releases kept; every size and sha256 checked; the content loaded by the content
loader; the folder synced, renamed to `releases/<N>` and `current` switched by renaming a new
link over it. A kill or a power cut at any point leaves `current` on a whole release, and the
next run finishes the work. A failed run changes nothing but the status it reports.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import minisign

from kiosk.content import check_content
from kiosk.fleet.files import fsync_dir, switch_link, sync_tree, write_durably
from kiosk.fleet.http import Fetched, Fetcher, FetchError
from kiosk.fleet.manifest import (
    CONTENT,
    MANIFEST,
    MAX_MANIFEST_BYTES,
    SIGNATURE,
    Manifest,
    ManifestError,
    parse_manifest,
    sha256_file,
)
from kiosk.fleet.release import (
    CURRENT,
    PARTIAL,
    RELEASES,
    TRASH,
    Release,
    SyncState,
    current_release,
    expiry_warning,
    releases,
)
from kiosk.fleet.signing import MAX_SIGNATURE_BYTES, SigningError, verify_manifest

log = logging.getLogger("kiosk.sync")

KEEP = 3  # releases kept on disk: the current one and two to roll back to
# A server's ETag is often the file's mtime in seconds and its size (nginx): a release
# published in the second of the last check, with a manifest of the same size, would look
# unchanged for ever. So an hour after the ETag was stored, the manifest is fetched whole.
ETAG_TRUST_S = 3600.0
LOCK_FILE = ".sync.lock"
KILL_AT_ENV = "KIOSK_SYNC_KILL_AT"  # tests only: SIGKILL this process at the named step


class SyncError(Exception):
    """A run that failed; the message says why, in words. Nothing was changed."""


@dataclass(frozen=True)
class Outcome:
    """What one run did: `updated`, `unchanged`, `pinned` or `rolled back`."""

    result: str
    version: int | None
    message: str
    warning: str | None = None  # e.g. the served manifest has expired (a frozen mirror)


def checkpoint(step: str) -> None:
    """A named step of the work; the crash tests kill the process here (KIOSK_SYNC_KILL_AT)."""
    if os.environ.get(KILL_AT_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


@contextmanager
def exclusive(root: Path) -> Iterator[None]:
    """One sync or rollback at a time per ROOT (an flock: a kill cannot leave it held)."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncError(f"another kiosk sync is working on {root}; try again later") from None
        yield


class Syncer:
    """Brings ROOT up to the newest signed release at one URL."""

    def __init__(
        self,
        root: Path,
        url: str,
        public_key: minisign.PublicKey,
        *,
        timeout: float = 30.0,
        who: str = "",
    ) -> None:
        self.root = root.absolute()
        self.public_key = public_key
        try:
            self.fetcher = Fetcher(url, timeout=timeout, who=who)
        except FetchError as error:
            raise SyncError(str(error)) from None

    # -- one run ------------------------------------------------------------------------------

    def run(self, now: datetime | None = None) -> Outcome:
        """Check once; install a newer release. Raises SyncError (nothing changed) on failure."""
        with exclusive(self.root):
            _clean_up(self.root)
            outcome = self._run(now or datetime.now(UTC))
            current = current_release(self.root)
            if current is not None:  # also after a run killed between the switch and this
                _prune(self.root, current.version)
            return outcome

    def _run(self, now: datetime) -> Outcome:
        state = SyncState.load(self.root)
        current = current_release(self.root)
        highest = max(state.highest, current.version if current else 0)
        etag = None
        fresh = 0 <= time.time() - state.etag_at < ETAG_TRUST_S
        if current is not None and state.etag_version == current.version and fresh:
            etag = state.etag
        fetched = self._get(MANIFEST, MAX_MANIFEST_BYTES, etag)
        if fetched.status == 304 and current is not None:
            warning = expiry_warning(current.manifest) if current.manifest.expired(now) else None
            return Outcome("unchanged", current.version, "unchanged (304)", warning)
        signature = self._get(SIGNATURE, MAX_SIGNATURE_BYTES, None).body
        try:
            signed = verify_manifest(self.public_key, fetched.body, signature)
            manifest = parse_manifest(fetched.body)
        except (SigningError, ManifestError) as error:
            raise SyncError(f"{self.fetcher.url_of(MANIFEST)}: {error}") from None
        if manifest.version != signed:
            raise SyncError(
                f"the manifest says version {manifest.version} but its signature {signed}: refused"
            )
        checkpoint("verified")
        warning = expiry_warning(manifest) if manifest.expired(now) else None
        if manifest.version <= highest:
            return self._not_newer(manifest, current, state, highest, fetched.etag, warning)
        self._install(manifest, fetched.body, signature)
        state.highest = manifest.version
        state.pinned = None
        state.etag, state.etag_version, state.etag_at = fetched.etag, manifest.version, time.time()
        state.save(self.root)
        checkpoint("state-saved")
        before = f"release {current.version}" if current else "nothing"
        return Outcome(
            "updated",
            manifest.version,
            f"switched from {before} to release {manifest.version} ({len(manifest.files)} files)",
            warning,
        )

    def _not_newer(
        self,
        manifest: Manifest,
        current: Release | None,
        state: SyncState,
        highest: int,
        etag: str | None,
        warning: str | None,
    ) -> Outcome:
        version = manifest.version
        if current is not None and version == current.version:
            state.etag, state.etag_version, state.etag_at = etag, version, time.time()
            state.highest = highest  # a run killed after its switch had not stored it yet
            state.save(self.root)
            return Outcome("unchanged", version, f"release {version} is current", warning)
        if version in state.rolled_back and current is not None:
            return Outcome(
                "pinned",
                current.version,
                f"release {version} was rolled back and is not taken again; staying on "
                f"release {current.version} until a release newer than {highest} is published",
                warning,
            )
        raise SyncError(
            f"the server offers release {version}, not newer than release {highest} "
            "installed here: a replayed old manifest is refused"
        )

    def _get(self, name: str, limit: int, etag: str | None) -> Fetched:
        try:
            return self.fetcher.get(name, max_bytes=limit, etag=etag)
        except FetchError as error:
            raise SyncError(str(error)) from None

    # -- installing ---------------------------------------------------------------------------

    def _install(self, manifest: Manifest, manifest_bytes: bytes, signature: bytes) -> None:
        releases_dir = self.root / RELEASES
        releases_dir.mkdir(parents=True, exist_ok=True)
        final = releases_dir / str(manifest.version)
        partial = releases_dir / f"{manifest.version}{PARTIAL}"
        if final.exists():  # renamed before a crash, never switched to: check it again
            if partial.exists():
                shutil.rmtree(partial)
            final.rename(partial)
        partial.mkdir(exist_ok=True)
        try:
            self._fill(partial, manifest)
            write_durably(partial / SIGNATURE, signature)
            write_durably(partial / MANIFEST, manifest_bytes)
            _remove_strays(partial, manifest)
            result = check_content(partial / CONTENT, require_media=True)
            errors = [p for p in result.problems if p.severity == "error"]
            if errors or result.content is None:
                shutil.rmtree(partial, ignore_errors=True)  # fetching it again will not help
                raise SyncError(
                    f"release {manifest.version} does not load on this kiosk: {errors[0]}"
                    if errors
                    else f"release {manifest.version} does not load on this kiosk"
                )
            sync_tree(partial)
            checkpoint("verified-folder")
            partial.rename(final)
            fsync_dir(releases_dir)
            checkpoint("renamed")
            switch_link(self.root / CURRENT, f"{RELEASES}/{manifest.version}")
            checkpoint("switched")
        except OSError as error:
            raise SyncError(
                f"release {manifest.version}: cannot write {error.filename or self.root}: "
                f"{error.strerror or error}"
            ) from None

    def _fill(self, partial: Path, manifest: Manifest) -> None:
        """Every file of the manifest in `partial`: kept when already right (a resumed run),
        hard-linked from a kept release when unchanged, else fetched."""
        known = _files_by_hash(self.root)
        for number, entry in enumerate(manifest.files):
            target = partial / entry.path
            target.parent.mkdir(parents=True, exist_ok=True)
            if _is_file_with(target, entry.size, entry.sha256):
                continue
            temporary = target.with_name(f".{target.name}.download")
            temporary.unlink(missing_ok=True)
            source = known.get((entry.sha256, entry.size))
            if source is not None and _link_or_copy(source, temporary, entry.sha256):
                pass
            else:
                try:
                    self.fetcher.download(
                        entry.path, temporary, size=entry.size, sha256=entry.sha256
                    )
                except FetchError as error:
                    raise SyncError(str(error)) from None
            temporary.replace(target)
            if number == 0:
                checkpoint("first-file")


def _is_file_with(path: Path, size: int, sha256: str) -> bool:
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != size:
            return False
        return sha256_file(path) == sha256
    except OSError:
        return False


def _files_by_hash(root: Path) -> dict[tuple[str, int], Path]:
    """(sha256, size) -> a file of a kept release with those bytes (per its manifest)."""
    found: dict[tuple[str, int], Path] = {}
    for release in releases(root):
        for entry in release.manifest.files:
            found.setdefault((entry.sha256, entry.size), release.folder / entry.path)
    return found


def _link_or_copy(source: Path, target: Path, sha256: str) -> bool:
    """Hard-link (or copy, across file systems) an unchanged file from a kept release;
    False when the kept file is not what its manifest says (then it is fetched again)."""
    try:
        if source.is_symlink() or not source.is_file():
            return False
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        if sha256_file(target) == sha256:
            return True
    except OSError:
        pass
    target.unlink(missing_ok=True)
    return False


def _remove_strays(partial: Path, manifest: Manifest) -> None:
    """Anything in the folder that the manifest does not list (left by an older attempt)."""
    wanted = {entry.path for entry in manifest.files} | {MANIFEST, SIGNATURE}
    for parent, folders, files in os.walk(partial, topdown=False):
        base = Path(parent)
        for name in files + [f for f in folders if (base / f).is_symlink()]:
            path = base / name
            if path.relative_to(partial).as_posix() not in wanted:
                path.unlink()
        for name in folders:
            path = base / name
            if path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
                path.rmdir()


def _clean_up(root: Path) -> None:
    """Finish removals a kill interrupted and drop stray temporary links."""
    releases_dir = root / RELEASES
    if releases_dir.is_dir():
        for entry in releases_dir.iterdir():
            if entry.name.startswith(TRASH):
                shutil.rmtree(entry, ignore_errors=True)
    for entry in root.glob(f".{CURRENT}.*.new"):
        entry.unlink(missing_ok=True)


def _prune(root: Path, current_version: int) -> None:
    """Keep the current release and the newest others, KEEP in all; drop stale partials.

    A release is renamed out of the way before it is deleted, so a kill in the middle never
    leaves a half release that a rollback could switch to."""
    releases_dir = root / RELEASES
    kept = [r for r in releases(root) if r.version != current_version][-(KEEP - 1) :]
    keep_names = {str(current_version), *(str(r.version) for r in kept)}
    for entry in sorted(releases_dir.iterdir()):
        if entry.name in keep_names or entry.name.startswith(TRASH):
            continue
        if entry.name.isdigit() or entry.name.endswith(PARTIAL):
            trash = releases_dir / f"{TRASH}{entry.name}"
            entry.rename(trash)
            fsync_dir(releases_dir)
            checkpoint("pruning")
            shutil.rmtree(trash, ignore_errors=True)


def rollback(root: Path) -> Outcome:
    """Switch ROOT/current back to the newest kept release older than it (skipping releases
    rolled back before), and pin it: the release rolled back is never installed again."""
    root = root.absolute()
    with exclusive(root):
        _clean_up(root)
        current = current_release(root)
        if current is None:
            raise SyncError(f"{root}: there is no current release to roll back from")
        state = SyncState.load(root)
        older = [
            release
            for release in releases(root)
            if release.version < current.version and release.version not in state.rolled_back
        ]
        if not older:
            raise SyncError(f"{root}: no release older than {current.version} is kept")
        target = older[-1]
        if not all(_is_whole(target.folder / e.path, e.size) for e in target.manifest.files):
            raise SyncError(f"release {target.version} is not whole on disk; not switching")
        state.highest = max(state.highest, current.version)
        if current.version not in state.rolled_back:
            state.rolled_back.append(current.version)
        state.pinned = target.version
        state.save(root)  # first: a kill now leaves the pin, and rollback again finishes
        checkpoint("rollback-state")
        switch_link(root / CURRENT, f"{RELEASES}/{target.version}")
        return Outcome(
            "rolled back",
            target.version,
            f"rolled back from release {current.version} to release {target.version}; "
            f"release {current.version} will not be installed again",
        )


def _is_whole(path: Path, size: int) -> bool:
    try:
        return path.is_file() and path.stat().st_size == size
    except OSError:
        return False
