"""Signing releases in the minisign format (py-minisign), so IT can use the standard tool.

Debian's `minisign` makes and checks the same files: `minisign -G` keys sign our releases,
`minisign -Vm manifest.json -p kiosk.pub` checks ours. The signature's trusted comment (signed
too) carries the release version: `timestamp:<unix>\tfile:manifest.json\tversion:<N>`.
"""

from __future__ import annotations

import base64
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import minisign

from kiosk.fleet.manifest import MANIFEST

SECRET_KEY_FILE = "kiosk.key"
PUBLIC_KEY_FILE = "kiosk.pub"
_VERSION = re.compile(r"(?:^|\s)version:(\d{1,16})(?:\s|$)")
_KEY_LINE = re.compile(r"^RW[A-Za-z0-9+/]{54}$")  # the base64 line of a minisign public key
MAX_KEY_FILE_BYTES = 4096
MAX_SIGNATURE_BYTES = 8192


class SigningError(ValueError):
    """A key or a signature that cannot be used; the message says why, in words."""


def generate_keys(folder: Path, passphrase: str | None) -> tuple[Path, Path]:
    """A new key pair in `folder`: kiosk.key (mode 600; encrypted unless `passphrase` is None)
    and kiosk.pub. Existing keys are never overwritten."""
    secret_path, public_path = folder / SECRET_KEY_FILE, folder / PUBLIC_KEY_FILE
    for path in (secret_path, public_path):
        if path.exists():
            raise SigningError(f"{path} exists already; keys are never overwritten")
    folder.mkdir(parents=True, exist_ok=True)
    pair = minisign.KeyPair.generate()
    secret, public = pair.secret_key, pair.public_key
    public.untrusted_comment = f"minisign public key {key_id(public)}"
    if passphrase is not None:
        secret.encrypt(passphrase)
    descriptor = os.open(secret_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(bytes(secret) + b"\n")
    secret.wipe()
    public_path.write_bytes(bytes(public) + b"\n")
    return secret_path, public_path


def load_secret_key(path: Path, ask_passphrase: Callable[[], str]) -> minisign.SecretKey:
    """The secret key in `path`, decrypted (asking for the passphrase only when it is
    encrypted)."""
    try:
        secret = minisign.SecretKey.from_bytes(path.read_bytes()[:MAX_KEY_FILE_BYTES])
    except OSError as error:
        raise SigningError(f"cannot read the secret key {path}: {error.strerror}") from None
    except minisign.Error as error:
        raise SigningError(f"{path} is not a minisign secret key ({error})") from None
    if secret.is_encrypted():
        try:
            secret.decrypt(ask_passphrase())
        except minisign.Error:
            raise SigningError(f"wrong passphrase for {path}") from None
    return secret


def load_public_key(spec: str) -> minisign.PublicKey:
    """A public key given as its base64 line (`RW…`, as in kiosk.toml) or as a .pub file."""
    text = spec.strip()
    try:
        if _KEY_LINE.match(text):
            return minisign.PublicKey.from_base64(text)
        data = Path(text).expanduser().read_bytes()[:MAX_KEY_FILE_BYTES]
        lines = [line for line in data.splitlines() if line.strip()]
        return minisign.PublicKey.from_base64(lines[-1].strip() if lines else b"")
    except OSError as error:
        raise SigningError(f"cannot read the public key {text}: {error.strerror}") from None
    except minisign.Error as error:
        raise SigningError(f"{text} is not a minisign public key ({error})") from None


def key_id(key: minisign.PublicKey) -> str:
    """The key's id as minisign prints it (hex of a little-endian number)."""
    return base64.b64decode(key.to_base64())[2:10][::-1].hex().upper()


def public_key_line(key: minisign.PublicKey) -> str:
    """The base64 line of a public key (what goes into kiosk.toml)."""
    line: bytes = key.to_base64()
    return line.decode()


def sign_manifest(secret: minisign.SecretKey, manifest: bytes, version: int) -> bytes:
    """The manifest.json.minisig for `manifest`, its trusted comment naming `version`."""
    comment = f"timestamp:{int(time.time())}\tfile:{MANIFEST}\tversion:{version}"
    signature = secret.sign(manifest, trusted_comment=comment)  # pre-hashed, as minisign 0.10+
    return bytes(signature) + b"\n"


def verify_manifest(public: minisign.PublicKey, manifest: bytes, signature: bytes) -> int:
    """Check `signature` over `manifest`; return the version its trusted comment names.

    Raises SigningError for a signature that is missing its parts, made by another key, or not
    matching the bytes (a tampered manifest or comment).
    """
    if len(signature) > MAX_SIGNATURE_BYTES:
        raise SigningError("the signature file is too large to be a minisign signature")
    try:
        parsed = minisign.Signature.from_bytes(signature)
    except minisign.Error as error:
        raise SigningError(f"the signature is not a minisign signature ({error})") from None
    try:
        public.verify(manifest, parsed)
    except minisign.VerifyError as error:
        if "key identifiers" in str(error):
            raise SigningError("the manifest is signed with another key") from None
        raise SigningError("the signature does not match the manifest: refused") from None
    found = _VERSION.search(parsed.trusted_comment)
    if found is None:
        raise SigningError("the signature's trusted comment names no version (expected version:N)")
    return int(found[1])
