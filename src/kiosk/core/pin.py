"""The staff PIN: only a salted scrypt hash of it, and where that hash is stored.

The digits are never stored (an environment variable or a settings file holds the hash, never
content.yaml) and never logged. `kiosk set-pin` writes the hash; `core/lock.py` checks PINs
against it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

# --- the hash ------------------------------------------------------------------------------

SCRYPT_N = 2**14  # 16 MiB (128 * N * r) per check: cheap for one staff member, dear for a guesser
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_DKLEN = 32
SALT_BYTES = 16
SCRYPT_MAXMEM = 64 * 1024 * 1024  # refuse stored parameters that would need more memory
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12
HASH_SCHEME = "scrypt"

# --- where it is stored --------------------------------------------------------------------

PIN_HASH_ENV = "KIOSK_STAFF_PIN_HASH"
SETTINGS_FILE = "staff.json"
FILE_MODE = 0o600  # only the kiosk's user may read the hash


@dataclass(frozen=True)
class PinHash:
    """A parsed "scrypt$n$r$p$salt$hash" string."""

    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes


def validate_pin(pin: str) -> None:
    """Raise ValueError with a plain message unless `pin` is 4 to 12 digits 0-9."""
    if not pin:
        raise ValueError("the PIN is empty: type 4 to 12 digits")
    if not (pin.isascii() and pin.isdigit()):
        raise ValueError("the PIN may contain only the digits 0-9")
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise ValueError(
            f"the PIN must be {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits long, not {len(pin)}"
        )


def _derive(pin: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("ascii"), salt=salt, n=n, r=r, p=p, maxmem=SCRYPT_MAXMEM, dklen=dklen
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """Return "scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>" for a valid PIN (random salt)."""
    validate_pin(pin)
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = _derive(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_DKLEN)
    return f"{HASH_SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def _decode(part: str, what: str) -> bytes:
    try:
        return base64.b64decode(part, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"the {what} is not valid base64") from None


def parse(stored: str) -> PinHash:
    """Parse a stored hash; raise ValueError saying what is wrong (never echoing the string)."""
    parts = stored.strip().split("$")
    if len(parts) != 6:
        raise ValueError(
            f"a staff PIN hash has 6 parts separated by $ "
            f"({HASH_SCHEME}$n$r$p$salt$hash), this one has {len(parts)}"
        )
    scheme, n_text, r_text, p_text, salt_text, digest_text = parts
    if scheme != HASH_SCHEME:
        raise ValueError(f'a staff PIN hash starts with "{HASH_SCHEME}$"')
    if not all(text.isascii() and text.isdigit() for text in (n_text, r_text, p_text)):
        raise ValueError("the scrypt parameters n, r and p must be whole numbers")
    n, r, p = int(n_text), int(r_text), int(p_text)
    if n < 2 or n & (n - 1):
        raise ValueError("the scrypt parameter n must be a power of 2")
    if r < 1 or p < 1 or 128 * n * r > SCRYPT_MAXMEM or p > 16:
        raise ValueError("the scrypt parameters are out of range")
    salt = _decode(salt_text, "salt")
    digest = _decode(digest_text, "hash")
    if not salt or len(digest) < 16:
        raise ValueError("the salt or the hash is too short")
    return PinHash(n, r, p, salt, digest)


def verify_pin(pin: str, stored: str) -> bool:
    """True when `pin` matches the stored hash; False for a wrong PIN or a malformed hash."""
    try:
        parsed = parse(stored)
        validate_pin(pin)
    except ValueError:
        return False
    digest = _derive(pin, parsed.salt, parsed.n, parsed.r, parsed.p, len(parsed.digest))
    return hmac.compare_digest(digest, parsed.digest)


# --- where the hash lives ------------------------------------------------------------------


def default_settings_path() -> Path:
    """staff.json in the user's config folder for "kiosk" (e.g. ~/.config/kiosk/)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("kiosk")) / SETTINGS_FILE


class PinSource(Protocol):
    """Anything that can tell the stored PIN hash (a PinStore, or a fake in tests)."""

    def load(self) -> str | None:
        """The stored hash, or None when no PIN is set."""
        ...


class PinStore:
    """Where the PIN hash lives: env var KIOSK_STAFF_PIN_HASH first, else staff.json."""

    def __init__(
        self, path: Path | None = None, *, environ: Mapping[str, str] | None = None
    ) -> None:
        self._path = path if path is not None else default_settings_path()
        self._environ = environ if environ is not None else os.environ
        self._warned = False

    @property
    def path(self) -> Path:
        """The settings file (staff.json)."""
        return self._path

    def env_hash(self) -> str | None:
        """The hash from the environment variable, when it is set and not empty."""
        value = self._environ.get(PIN_HASH_ENV, "").strip()
        return value or None

    def load(self) -> str | None:
        """The usable stored hash, or None (then staff cannot leave kiosk mode: warned once)."""
        stored, source = self.env_hash(), PIN_HASH_ENV
        if stored is None:
            stored, source = self._read_file(), str(self._path)
        if stored is None:
            self._warn_once(
                f"no staff PIN is set ({PIN_HASH_ENV} is empty and {self._path} does not hold "
                "one): staff cannot leave kiosk mode; run `kiosk set-pin`"
            )
            return None
        try:
            parse(stored)
        except ValueError as error:
            self._warn_once(
                f"the staff PIN hash in {source} is unusable ({error}); "
                "staff cannot leave kiosk mode; run `kiosk set-pin`"
            )
            return None
        return stored

    def save(self, pin_hash: str) -> Path:
        """Write the hash to staff.json atomically, readable by this user only; return the path."""
        parse(pin_hash)  # never store something that could lock staff out
        folder = self._path.parent
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temp_name = tempfile.mkstemp(prefix=".staff-", suffix=".tmp", dir=folder)
        temp = Path(temp_name)
        try:
            if hasattr(os, "fchmod"):  # mkstemp already uses 0o600 on POSIX; say it anyway
                os.fchmod(descriptor, FILE_MODE)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump({"pin_hash": pin_hash}, handle)
                handle.write("\n")
                handle.flush()
                os.fsync(handle.fileno())
            # A crash leaves either the old file or the new one, never half of one.
            temp.replace(self._path)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        self._warned = False
        return self._path

    def _read_file(self) -> str | None:
        try:
            text = self._path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as error:
            self._warn_once(f"cannot read {self._path}: {error.strerror}")
            return None
        try:
            data = json.loads(text)
        except ValueError:
            self._warn_once(f"{self._path} is not valid JSON")
            return None
        value = data.get("pin_hash") if isinstance(data, dict) else None
        if not isinstance(value, str) or not value.strip():
            return None
        return value.strip()

    def _warn_once(self, message: str) -> None:
        # The keypad asks on every submit; months of repeats would drown the log.
        if not self._warned:
            self._warned = True
            log.warning(message)


# --- `kiosk set-pin` -----------------------------------------------------------------------


def set_pin_interactively(store: PinStore, ask: Callable[[str], str]) -> int:
    """Ask for a new PIN twice and store its hash; the exit code of `kiosk set-pin`."""
    try:
        first = ask(f"New staff PIN ({PIN_MIN_DIGITS}-{PIN_MAX_DIGITS} digits): ")
        validate_pin(first)
        second = ask("Type the PIN again: ")
    except ValueError as error:
        print(f"kiosk set-pin: {error}; nothing was changed", file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print("\nkiosk set-pin: cancelled; nothing was changed", file=sys.stderr)
        return 1
    if first != second:
        print("kiosk set-pin: the two PINs differ; nothing was changed", file=sys.stderr)
        return 1
    try:
        path = store.save(hash_pin(first))
    except OSError as error:
        print(f"kiosk set-pin: cannot write {store.path}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"Staff PIN set: its salted hash is in {path} (the digits are not stored).")
    if store.env_hash() is not None:
        print(
            f"Note: {PIN_HASH_ENV} is set in this environment and wins over {path}; "
            "unset it for the new PIN to take effect.",
            file=sys.stderr,
        )
    return 0
