"""The arguments of the fleet's commands (stdlib only: `kiosk show` starts without loading
the signing library); kiosk.fleet.commands runs them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

FLEET_COMMANDS = ("keygen", "bundle", "sync", "status")
DEFAULT_EXPIRES_DAYS = 30  # a kiosk warns staff when its release is older: a frozen mirror


def add_fleet_commands(commands: Any) -> None:
    """Add keygen, bundle, sync and status to the `kiosk` parser."""
    keygen = commands.add_parser("keygen", help="make the minisign key pair that signs releases")
    keygen.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for them")
    keygen.add_argument(
        "--unencrypted",
        action="store_true",
        help="store the secret key WITHOUT a passphrase (for automated publishing only: "
        "anyone who copies the file can then sign content for every kiosk)",
    )

    pack = commands.add_parser(
        "bundle", help="check the content and write a signed release into a publish folder"
    )
    pack.add_argument(
        "content_dir", type=Path, metavar="CONTENT_DIR", help="folder of content.yaml"
    )
    pack.add_argument("--out", type=Path, required=True, metavar="PUBLISH_DIR")
    pack.add_argument("--key", type=Path, required=True, metavar="SECRET_KEY", help="kiosk.key")
    pack.add_argument("--version", type=int, metavar="N", help="default: the last one + 1")
    pack.add_argument(
        "--expires-days",
        type=float,
        default=DEFAULT_EXPIRES_DAYS,
        metavar="DAYS",
        help=f"kiosks warn staff when no newer release came for this long "
        f"(default {DEFAULT_EXPIRES_DAYS})",
    )

    sync = commands.add_parser(
        "sync", help="fetch a newer signed release and switch ROOT/current to it"
    )
    sync.add_argument(
        "url",
        nargs="?",
        metavar="URL",
        help="the release folder's URL (default: kiosk.toml [fleet] url)",
    )
    sync.add_argument(
        "--into",
        type=Path,
        metavar="ROOT",
        help="where this kiosk keeps releases (default: [fleet] root)",
    )
    sync.add_argument(
        "--pubkey", metavar="KEY", help="kiosk.pub, or its RW… line (default: [fleet] public_key)"
    )
    sync.add_argument(
        "--every",
        type=float,
        nargs="?",
        const=0.0,  # --every alone: [fleet] every
        metavar="SECONDS",
        help="keep checking, this often, ±10 %% (alone: [fleet] every, default 300)",
    )
    sync.add_argument("--rollback", action="store_true", help="switch back to the release before")
    sync.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="give up after this long without an answer (default 30)",
    )
    sync.add_argument(
        "--status-url",
        metavar="URL",
        help="also PUT the status JSON there, on another host (default: [fleet] status_url)",
    )
    sync.add_argument("-v", "--verbose", action="store_true", help="log unchanged checks too")
    _add_settings(sync)

    status = commands.add_parser("status", help="what this kiosk shows and how its sync is")
    status.add_argument("root", nargs="?", type=Path, metavar="ROOT")
    status.add_argument("--json", action="store_true", help="as JSON")
    _add_settings(status)


def _add_settings(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--settings", type=Path, metavar="FILE", help="this kiosk's kiosk.toml")
