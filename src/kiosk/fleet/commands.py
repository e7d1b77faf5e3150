"""The fleet's commands: `kiosk keygen`, `bundle`, `sync` and `status` (arguments and runs).

Settings a kiosk keeps (the URL, the public key, the folder, the status URL) come from its
kiosk.toml `[fleet]` section when the command line leaves them out.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.content import CheckResult, ContentError
from kiosk.content.kiosk_settings import (
    FleetSettings,
    KioskSettings,
    default_settings_path,
    load_kiosk_settings,
)
from kiosk.fleet.bundle import BundleError, bundle
from kiosk.fleet.http import origin
from kiosk.fleet.release import current_release, read_status, utc_text, write_status
from kiosk.fleet.signing import (
    SigningError,
    generate_keys,
    key_id,
    load_public_key,
    load_secret_key,
    public_key_line,
)
from kiosk.fleet.status import collect_status, status_text, upload_status
from kiosk.fleet.sync import Outcome, Syncer, SyncError, rollback

log = logging.getLogger("kiosk.sync")

JITTER = 0.1  # --every waits the period ±10 %, so a hall's kiosks do not ask all at once


def default_root() -> Path:
    """Where a kiosk keeps its releases when kiosk.toml says nothing (~/.local/share/...)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("kiosk", appauthor=False)) / "fleet"


def run_fleet_command(args: argparse.Namespace, checker: Callable[[Path], CheckResult]) -> int:
    """Run one of FLEET_COMMANDS; `checker` is `kiosk check`'s content check."""
    if args.command == "keygen":
        return run_keygen(args.out, unencrypted=args.unencrypted)
    if args.command == "bundle":
        return run_bundle(args, checker)
    settings = _settings(args.settings)
    if settings is None:
        return 2
    if args.command == "status":
        root = (args.root or _root(settings.fleet)).absolute()
        settings_file = args.settings or default_settings_path()
        return run_status(root, settings, as_json=args.json, settings_file=settings_file)
    return run_sync(args, settings)


def _settings(path: Path | None) -> KioskSettings | None:
    try:
        return load_kiosk_settings(path or default_settings_path(), required=path is not None)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return None


def _root(fleet: FleetSettings) -> Path:
    return Path(fleet.root).expanduser() if fleet.root else default_root()


def _ask(prompt: str) -> str:
    """A passphrase: typed without echo at a terminal, else one line from standard input."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def run_keygen(out: Path, *, unencrypted: bool) -> int:
    """`kiosk keygen`: a new key pair, the secret one protected by a passphrase."""
    passphrase = None
    if not unencrypted:
        passphrase = _ask("Passphrase for the new secret key: ")
        if sys.stdin.isatty() and passphrase != _ask("The same passphrase again: "):
            print("kiosk keygen: the passphrases differ; nothing was written", file=sys.stderr)
            return 1
        if not passphrase:
            print(
                "kiosk keygen: an empty passphrase; use --unencrypted to mean it",
                file=sys.stderr,
            )
            return 1
    try:
        secret_path, public_path = generate_keys(out, passphrase)
    except (SigningError, OSError) as error:
        print(f"kiosk keygen: {error}", file=sys.stderr)
        return 1
    public = load_public_key(str(public_path))
    print(f"secret key: {secret_path} (keep it in the office; mode 600)", file=sys.stderr)
    if unencrypted:
        print(
            "WARNING: the secret key is NOT encrypted: whoever copies it can publish content "
            "to every kiosk. Keep it on the publishing machine only.",
            file=sys.stderr,
        )
    print(f"public key: {public_path} (key id {key_id(public)}); for each kiosk's kiosk.toml:")
    print(f'[fleet]\npublic_key = "{public_key_line(public)}"')
    return 0


def run_bundle(args: argparse.Namespace, checker: Callable[[Path], CheckResult]) -> int:
    """`kiosk bundle`: refuse content with errors, else publish a signed release."""
    try:
        secret = load_secret_key(args.key, lambda: _ask(f"Passphrase for {args.key}: "))
        try:
            manifest = bundle(
                args.content_dir,
                args.out,
                secret,
                version=args.version,
                expires_days=args.expires_days,
                checker=checker,
            )
        finally:
            secret.wipe()
    except (BundleError, SigningError) as error:
        print(f"kiosk bundle: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"kiosk bundle: {error.filename}: {error.strerror}", file=sys.stderr)
        return 1
    size = sum(entry.size for entry in manifest.files)
    print(
        f"{args.out}: release {manifest.version}, {len(manifest.files)} files, "
        f"{size / 1e6:.1f} MB, expires {utc_text(manifest.expires)}; copy this folder to the "
        "web server (e.g. rsync -a --delay-updates)",
        file=sys.stderr,
    )
    return 0


def run_status(
    root: Path, settings: KioskSettings, *, as_json: bool, settings_file: Path | None = None
) -> int:
    """`kiosk status`: the report on stdout; exit 0 (it reports problems, it is not one)."""
    import json

    from kiosk.logs import log_dir

    status = collect_status(root, settings, log_folder=log_dir(), settings_file=settings_file)
    if as_json:
        print(json.dumps(status, indent=1, ensure_ascii=False))
    else:
        print(status_text(status))
    return 0


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s kiosk sync: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.DEBUG if verbose else logging.INFO)
    log.propagate = False


def run_sync(args: argparse.Namespace, settings: KioskSettings) -> int:
    """`kiosk sync`: one check (exit 1 when it fails), --every checks forever, or --rollback."""
    _configure_logging(args.verbose)
    fleet = settings.fleet
    root = (args.into or _root(fleet)).absolute()
    if args.rollback:
        try:
            outcome = rollback(root)
        except SyncError as error:
            log.error("rollback failed: %s", error)
            return 1
        log.info("%s", outcome.message)
        _record(root, outcome, None, None)
        return 0
    url = args.url or fleet.url
    key_spec = args.pubkey or fleet.public_key
    status_url = args.status_url if args.status_url is not None else fleet.status_url
    missing = [what for what, value in (("URL", url), ("--pubkey", key_spec)) if not value]
    if missing:
        print(
            f"kiosk sync: give {' and '.join(missing)} (or set them in kiosk.toml [fleet])",
            file=sys.stderr,
        )
        return 2
    if status_url and origin(status_url) == origin(url):
        print(
            "kiosk sync: the status URL must be on another host than the content: a content "
            "host that accepts writes from kiosks is one anyone at a kiosk can change",
            file=sys.stderr,
        )
        return 2
    try:
        public_key = load_public_key(key_spec)
        syncer = Syncer(
            root,
            url,
            public_key,
            timeout=args.timeout or fleet.timeout,
            who=settings.name,
        )
    except (SigningError, SyncError) as error:
        print(f"kiosk sync: {error}", file=sys.stderr)
        return 2
    period = args.every or fleet.every
    if args.every is None:
        return _check_once(syncer, settings, status_url, period)
    while True:
        _check_once(syncer, settings, status_url, period)
        time.sleep(period * random.uniform(1 - JITTER, 1 + JITTER))


def _check_once(syncer: Syncer, settings: KioskSettings, status_url: str, period: float) -> int:
    """One check, logged (one line per change or failure) and recorded in status.json."""
    next_check = datetime.now(UTC) + timedelta(seconds=period)
    try:
        outcome = syncer.run()
    except SyncError as error:
        log.error("check failed; %s", error)
        _record(syncer.root, None, str(error), next_check)
        code = 1
    else:
        if outcome.result == "unchanged":
            log.debug("%s", outcome.message)
        else:
            log.info("%s", outcome.message)
        if outcome.warning:
            log.warning("WARNING: %s", outcome.warning)
        _record(syncer.root, outcome, None, next_check)
        code = 0
    if status_url:
        try:
            from kiosk.logs import log_dir

            upload_status(status_url, collect_status(syncer.root, settings, log_folder=log_dir()))
        except OSError as error:
            log.warning("status upload failed: %s", error)
    return code


def _record(
    root: Path, outcome: Outcome | None, error: str | None, next_check: datetime | None
) -> None:
    """ROOT/status.json: release, last check and sync, result, last error, next check."""
    previous = read_status(root)
    now = utc_text()
    current = current_release(root)
    status = {
        "release": current.version if current else None,
        "last_check": now,
        "last_sync": now if outcome else previous.get("last_sync"),
        "result": outcome.result if outcome else "failed",
        "message": outcome.message if outcome else error,
        "last_error": error,
        "warning": outcome.warning if outcome else None,
        "next_check": utc_text(next_check) if next_check else None,
    }
    try:
        write_status(root, status)
    except OSError as error_writing:
        log.warning("cannot write %s: %s", root, error_writing)
