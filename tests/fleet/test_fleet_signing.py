"""Our signatures and Debian's `minisign` tool agree, in both directions, with real keys."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from fleet_content import write_content

from kiosk.cli import main
from kiosk.fleet.manifest import MANIFEST, SIGNATURE
from kiosk.fleet.signing import (
    SigningError,
    load_public_key,
    load_secret_key,
    verify_manifest,
)


def _minisign() -> str:
    found = shutil.which("minisign")
    if found is None:
        pytest.skip("minisign is not installed: ./dev.sh test installs it")
    return found


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_minisign(), *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def office(tmp_path: Path, monkeypatch) -> Path:
    """A content folder with a good show in tmp_path/office."""
    monkeypatch.setenv("KIOSK_SETTINGS", str(tmp_path / "none.toml"))
    write_content(tmp_path / "office", "Signed")
    return tmp_path / "office"


def _with_stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_minisign_verifies_what_kiosk_bundle_signs(tmp_path: Path, office: Path) -> None:
    assert main(["keygen", "--out", str(tmp_path / "keys"), "--unencrypted"]) == 0
    publish = tmp_path / "publish"
    assert (
        main(
            [
                "bundle",
                str(office),
                "--out",
                str(publish),
                "--key",
                str(tmp_path / "keys/kiosk.key"),
            ]
        )
        == 0
    )
    checked = _run("-Vm", str(publish / MANIFEST), "-p", str(tmp_path / "keys/kiosk.pub"))
    assert checked.returncode == 0, checked.stderr + checked.stdout
    assert "version:1" in checked.stdout  # the trusted comment carries the version
    # and minisign really checks: one changed byte and it refuses
    data = (publish / MANIFEST).read_bytes().replace(b'"version": 1', b'"version": 7')
    (publish / MANIFEST).write_bytes(data)
    refused = _run("-Vm", str(publish / MANIFEST), "-p", str(tmp_path / "keys/kiosk.pub"))
    assert refused.returncode != 0


def test_our_encrypted_secret_key_is_one_minisign_can_use(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    _with_stdin(monkeypatch, "office passphrase\n")
    assert main(["keygen", "--out", str(tmp_path / "keys")]) == 0
    assert 'public_key = "RW' in capsys.readouterr().out  # the line for kiosk.toml
    secret = tmp_path / "keys" / "kiosk.key"
    assert secret.stat().st_mode & 0o777 == 0o600
    assert b"encrypted secret key" in secret.read_bytes()
    document = tmp_path / "file.txt"
    document.write_text("hello")
    wrong = _run("-S", "-s", str(secret), "-m", str(document), stdin="not it\n")
    assert wrong.returncode != 0
    signed = _run("-S", "-s", str(secret), "-m", str(document), stdin="office passphrase\n")
    assert signed.returncode == 0, signed.stderr
    assert _run("-Vm", str(document), "-p", str(tmp_path / "keys/kiosk.pub")).returncode == 0


def test_keys_made_by_minisign_sign_releases_a_kiosk_accepts(
    tmp_path: Path, office: Path, monkeypatch
) -> None:
    # -W: no passphrase. minisign encrypts with scrypt at its "sensitive" cost (~3 s and
    # 1 GiB per use), too slow for the suite; test_our_encrypted_secret_key_is_one_minisign_
    # can_use covers the encrypted format in the other direction.
    made = _run("-G", "-W", "-p", str(tmp_path / "it.pub"), "-s", str(tmp_path / "it.key"))
    assert made.returncode == 0, made.stderr
    load_secret_key(tmp_path / "it.key", lambda: pytest.fail("asked for a passphrase")).wipe()
    publish = tmp_path / "publish"
    _with_stdin(monkeypatch, "")  # never asked: the key is not encrypted
    assert (
        main(["bundle", str(office), "--out", str(publish), "--key", str(tmp_path / "it.key")]) == 0
    )
    version = verify_manifest(
        load_public_key(str(tmp_path / "it.pub")),
        (publish / MANIFEST).read_bytes(),
        (publish / SIGNATURE).read_bytes(),
    )
    assert version == 1


def test_a_manifest_signed_by_hand_with_minisign_is_accepted(tmp_path: Path, office: Path) -> None:
    """IT may sign manifest.json itself: `minisign -Sm manifest.json -t version:N`."""
    assert main(["keygen", "--out", str(tmp_path / "keys"), "--unencrypted"]) == 0
    publish = tmp_path / "publish"
    key = str(tmp_path / "keys/kiosk.key")
    assert main(["bundle", str(office), "--out", str(publish), "--key", key]) == 0
    public = load_public_key(str(tmp_path / "keys/kiosk.pub"))
    manifest = (publish / MANIFEST).read_bytes()
    signed = _run("-S", "-s", key, "-m", str(publish / MANIFEST), "-t", "version:1 by IT")
    assert signed.returncode == 0, signed.stderr
    assert verify_manifest(public, manifest, (publish / SIGNATURE).read_bytes()) == 1
    unversioned = _run("-S", "-s", key, "-m", str(publish / MANIFEST), "-t", "hello")
    assert unversioned.returncode == 0
    with pytest.raises(SigningError, match="names no version"):
        verify_manifest(public, manifest, (publish / SIGNATURE).read_bytes())


def test_a_wrong_passphrase_publishes_nothing(
    tmp_path: Path, office: Path, monkeypatch, capsys
) -> None:
    _with_stdin(monkeypatch, "right\n")
    assert main(["keygen", "--out", str(tmp_path / "keys")]) == 0
    _with_stdin(monkeypatch, "wrong\n")
    publish = tmp_path / "publish"
    key = str(tmp_path / "keys/kiosk.key")
    assert main(["bundle", str(office), "--out", str(publish), "--key", key]) == 1
    assert "wrong passphrase" in capsys.readouterr().err
    assert not publish.exists()


def test_keygen_never_overwrites_a_key(tmp_path: Path, capsys) -> None:
    assert main(["keygen", "--out", str(tmp_path), "--unencrypted"]) == 0
    before = (tmp_path / "kiosk.key").read_bytes()
    assert main(["keygen", "--out", str(tmp_path), "--unencrypted"]) == 1
    assert "never overwritten" in capsys.readouterr().err
    assert (tmp_path / "kiosk.key").read_bytes() == before


def test_an_empty_passphrase_needs_unencrypted(tmp_path: Path, monkeypatch, capsys) -> None:
    _with_stdin(monkeypatch, "\n")
    assert main(["keygen", "--out", str(tmp_path)]) == 1
    assert "--unencrypted" in capsys.readouterr().err
    assert not (tmp_path / "kiosk.key").exists()


def test_a_public_key_line_and_a_pub_file_are_the_same_key(tmp_path: Path) -> None:
    assert main(["keygen", "--out", str(tmp_path), "--unencrypted"]) == 0
    line = (tmp_path / "kiosk.pub").read_text().splitlines()[1]
    assert load_public_key(line) == load_public_key(str(tmp_path / "kiosk.pub"))
    with pytest.raises(SigningError, match="cannot read the public key"):
        load_public_key(str(tmp_path / "missing.pub"))
    secret = load_secret_key(tmp_path / "kiosk.key", lambda: pytest.fail("not encrypted"))
    secret.wipe()
