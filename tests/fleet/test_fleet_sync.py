"""`kiosk sync` against a real nginx: first sync, 304, a new version, and everything refused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fleet_content import write_content

from kiosk.cli import main
from kiosk.fleet.manifest import MANIFEST, SIGNATURE, Manifest, ManifestFile, sha256_file
from kiosk.fleet.release import SyncState, current_release, read_status
from kiosk.fleet.signing import generate_keys, load_secret_key, sign_manifest
from kiosk.fleet.sync import ETAG_TRUST_S, SyncError

if TYPE_CHECKING:
    from fleet_bench import Fleet

pytest_plugins = ["fleet_bench"]  # the nginx, keys and fleet fixtures


def _cli_sync(fleet: Fleet, *extra: str) -> int:
    return main(
        [
            "sync",
            fleet.server.url,
            "--into",
            str(fleet.root),
            "--pubkey",
            str(fleet.keys.public),
            "--timeout",
            "3",
            *extra,
        ]
    )


@pytest.fixture(autouse=True)
def _no_real_settings(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KIOSK_SETTINGS", str(tmp_path / "no-kiosk.toml"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def test_first_sync_installs_the_release_and_switches_current(fleet: Fleet) -> None:
    fleet.publish("First")
    assert fleet.sync().result == "updated"
    assert (fleet.root / "current").is_symlink()
    assert str((fleet.root / "current").readlink()) == "releases/1"
    assert fleet.current_title() == "First"
    release = fleet.root / "releases" / "1"
    # the files the content uses, the signed manifest at its root, nothing else
    found = sorted(str(p.relative_to(release)) for p in release.rglob("*") if p.is_file())
    assert found == [
        "content.yaml",
        MANIFEST,
        SIGNATURE,
        "media/logo.png",
        "media/picture.png",
    ]
    status = read_status(fleet.root) or {}
    assert status == {}  # status.json is the command's: the library call writes none


def test_an_unchanged_release_costs_one_304(fleet: Fleet) -> None:
    fleet.publish("First")
    assert _cli_sync(fleet) == 0
    before = len(fleet.server.access_log())
    assert _cli_sync(fleet) == 0
    requests = fleet.server.access_log()[before:]
    assert requests == ['GET /manifest.json HTTP/1.1" 304 0'], requests
    status = read_status(fleet.root)
    assert (status["release"], status["result"], status["last_error"]) == (1, "unchanged", None)
    assert status["next_check"] > status["last_check"]


def test_an_old_etag_is_not_trusted(fleet: Fleet) -> None:
    """nginx's ETag is the mtime in seconds and the size: a release published in the second of
    a check could look unchanged for ever. An hour on, the manifest is fetched whole."""
    fleet.publish("First")
    fleet.sync()
    state = SyncState.load(fleet.root)
    state.etag_at -= ETAG_TRUST_S + 1
    state.save(fleet.root)
    before = len(fleet.server.access_log())
    assert fleet.sync().result == "unchanged"
    requests = fleet.server.access_log()[before:]
    assert requests[0].startswith('GET /manifest.json HTTP/1.1" 200'), requests
    before = len(fleet.server.access_log())
    fleet.sync()  # the ETag was stored again: a 304 once more
    assert fleet.server.access_log()[before:] == ['GET /manifest.json HTTP/1.1" 304 0']


def test_a_new_version_fetches_only_changed_files_and_links_the_rest(fleet: Fleet) -> None:
    fleet.publish("First")
    fleet.sync()
    fleet.publish("Second", picture=1)  # content.yaml and picture.png change
    before = len(fleet.server.access_log())
    outcome = fleet.sync()
    assert (outcome.result, outcome.version) == ("updated", 2)
    assert fleet.current_title() == "Second"
    fetched = sorted(line.split()[1] for line in fleet.server.access_log()[before:])
    assert fetched == [
        "/content.yaml",
        "/manifest.json",
        "/manifest.json.minisig",
        "/media/picture.png",
    ]
    old, new = fleet.root / "releases" / "1", fleet.root / "releases" / "2"
    assert (old / "media/logo.png").stat().st_ino == (new / "media/logo.png").stat().st_ino
    assert old.is_dir()  # kept for a rollback


def test_the_last_three_releases_are_kept(fleet: Fleet) -> None:
    for number in range(1, 6):
        fleet.publish(f"R{number}")
        fleet.sync()
    kept = sorted(p.name for p in (fleet.root / "releases").iterdir())
    assert kept == ["3", "4", "5"]
    assert fleet.current_title() == "R5"


def _tamper(fleet: Fleet) -> None:
    """Change one byte of a published picture (same size, another sha256)."""
    path = fleet.server.publish / "media" / "picture.png"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_tampered_file_is_refused_and_current_stays(fleet: Fleet, capsys) -> None:
    fleet.publish("First")
    fleet.sync()
    fleet.publish("Second", picture=1)
    _tamper(fleet)
    before = fleet.snapshot()
    assert _cli_sync(fleet) == 1
    assert "sha256 does not match the signed manifest" in capsys.readouterr().err
    after = fleet.snapshot()
    assert after["current"] == before["current"] == "-> releases/1"
    assert fleet.current_title() == "First"
    assert not (fleet.root / "releases" / "2").exists()
    status = read_status(fleet.root)
    assert status["result"] == "failed" and "sha256" in status["last_error"]


def test_an_edited_manifest_fails_its_signature(fleet: Fleet) -> None:
    fleet.publish("First")
    fleet.sync()
    fleet.publish("Second", picture=1)
    _tamper(fleet)
    # the attacker also fixes the manifest's hash to match the tampered file
    path = fleet.server.publish / MANIFEST
    data = json.loads(path.read_text())
    for entry in data["files"]:
        if entry["path"] == "media/picture.png":
            entry["size"] = (fleet.server.publish / "media/picture.png").stat().st_size
            entry["sha256"] = sha256_file(fleet.server.publish / "media/picture.png")
    path.write_text(json.dumps(data))
    before = fleet.snapshot()
    with pytest.raises(SyncError, match="signature does not match the manifest"):
        fleet.sync()
    assert fleet.snapshot() == before


def test_a_missing_signature_is_refused(fleet: Fleet) -> None:
    fleet.publish("First")
    (fleet.server.publish / SIGNATURE).unlink()
    with pytest.raises(SyncError, match="404"):
        fleet.sync()
    assert not (fleet.root / "current").exists()


def test_a_release_signed_by_another_key_is_refused(fleet: Fleet, tmp_path: Path) -> None:
    fleet.publish("First")
    fleet.sync()
    other_secret, _public = generate_keys(tmp_path / "intruder", None)
    write_content(fleet.content, "Intruder")
    from kiosk.fleet.bundle import bundle

    bundle(fleet.content, fleet.server.publish, load_secret_key(other_secret, lambda: ""))
    before = fleet.snapshot()
    with pytest.raises(SyncError, match="signed with another key"):
        fleet.sync()
    assert fleet.snapshot() == before and fleet.current_title() == "First"


def test_a_replayed_older_manifest_is_refused(fleet: Fleet) -> None:
    fleet.publish("First")
    old = {name: (fleet.server.publish / name).read_bytes() for name in (MANIFEST, SIGNATURE)}
    old_content = (fleet.server.publish / "content.yaml").read_bytes()
    fleet.sync()
    fleet.publish("Second", picture=1)
    fleet.sync()
    for name, data in old.items():  # a mirror serves the old, validly signed release again
        (fleet.server.publish / name).write_bytes(data)
    (fleet.server.publish / "content.yaml").write_bytes(old_content)
    before = fleet.snapshot()
    with pytest.raises(SyncError, match="replayed old manifest is refused"):
        fleet.sync()
    assert fleet.snapshot() == before and fleet.current_title() == "Second"


def test_a_version_in_the_comment_that_differs_from_the_manifest_is_refused(
    fleet: Fleet,
) -> None:
    fleet.publish("First")
    manifest_bytes = (fleet.server.publish / MANIFEST).read_bytes()
    secret = load_secret_key(fleet.keys.secret, lambda: "")
    (fleet.server.publish / SIGNATURE).write_bytes(sign_manifest(secret, manifest_bytes, 99))
    with pytest.raises(SyncError, match="says version 1 but its signature 99"):
        fleet.sync()


def test_signed_content_that_does_not_load_is_refused(fleet: Fleet) -> None:
    fleet.publish("First")
    fleet.sync()
    # signed by the office key, but by hand, without the checks of kiosk bundle
    publish = fleet.server.publish
    (publish / "content.yaml").write_text("slides:\n  - {id: x, type: nonsense}\n")
    manifest = Manifest(
        version=2,
        created=datetime.now(UTC),
        expires=datetime.now(UTC) + timedelta(days=1),
        files=[
            ManifestFile(
                path="content.yaml",
                size=(publish / "content.yaml").stat().st_size,
                sha256=sha256_file(publish / "content.yaml"),
            )
        ],
    )
    secret = load_secret_key(fleet.keys.secret, lambda: "")
    (publish / SIGNATURE).write_bytes(sign_manifest(secret, manifest.to_bytes(), 2))
    (publish / MANIFEST).write_bytes(manifest.to_bytes())
    before = fleet.snapshot()
    with pytest.raises(
        SyncError, match=r'does not load on this kiosk: .*unknown slide type "nonsense"'
    ):
        fleet.sync()
    assert fleet.snapshot() == before


@pytest.mark.parametrize("broken", ["server down", "404"])
def test_an_unreachable_release_exits_non_zero_and_changes_nothing(
    fleet: Fleet, broken: str, capsys
) -> None:
    fleet.publish("First")
    fleet.sync()
    fleet.publish("Second", picture=1)
    if broken == "server down":
        fleet.server.stop()
    else:
        (fleet.server.publish / "media" / "picture.png").unlink()
    before = fleet.snapshot()
    assert _cli_sync(fleet) == 1
    err = capsys.readouterr().err
    assert ("cannot reach the server" if broken == "server down" else "404 Not Found") in err
    after = fleet.snapshot()
    assert {k: v for k, v in after.items() if ".partial" not in k} == before
    assert fleet.current_title() == "First"


def test_an_interrupted_download_resumes_without_fetching_again(fleet: Fleet) -> None:
    fleet.publish("First")
    fleet.sync()
    fleet.publish("Second", picture=1)
    missing = fleet.server.publish / "media" / "picture.png"
    kept = missing.read_bytes()
    missing.unlink()
    with pytest.raises(SyncError):
        fleet.sync()
    missing.write_bytes(kept)
    before = len(fleet.server.access_log())
    assert fleet.sync().version == 2
    fetched = [line.split()[1] for line in fleet.server.access_log()[before:]]
    assert "/content.yaml" not in fetched  # already in 2.partial, checked by its sha256
    assert "/media/picture.png" in fetched
    assert not (fleet.root / "releases" / "2.partial").exists()


def test_rollback_pins_the_previous_release_until_a_newer_one(fleet: Fleet) -> None:
    fleet.publish("First")
    fleet.sync()
    fleet.publish("Second", picture=1)
    fleet.sync()
    assert main(["sync", "--rollback", "--into", str(fleet.root)]) == 0
    assert fleet.current_title() == "First"
    # the server still offers release 2: it is not taken again
    outcome = fleet.sync()
    assert (outcome.result, outcome.version) == ("pinned", 1)
    assert fleet.current_title() == "First"
    fleet.publish("Third")
    assert fleet.sync().version == 3
    assert fleet.current_title() == "Third"
    # rolling back from 3 skips 2, which was rolled back before
    assert main(["sync", "--rollback", "--into", str(fleet.root)]) == 0
    assert fleet.current_title() == "First"


def test_rollback_without_an_older_release_fails_and_changes_nothing(fleet: Fleet) -> None:
    fleet.publish("First")
    fleet.sync()
    before = fleet.snapshot()
    assert main(["sync", "--rollback", "--into", str(fleet.root)]) == 1
    assert fleet.snapshot() == before


def test_an_expired_manifest_installs_but_warns(fleet: Fleet, capsys) -> None:
    fleet.publish("First", expires_days=1, now=datetime.now(UTC) - timedelta(days=2))
    assert _cli_sync(fleet) == 0
    assert "expired on" in capsys.readouterr().err
    assert "frozen" in read_status(fleet.root)["warning"]
    assert _cli_sync(fleet) == 0  # the 304 of a frozen mirror warns too
    assert "expired on" in capsys.readouterr().err


def test_the_status_is_uploaded_to_its_own_host(fleet: Fleet, monkeypatch) -> None:
    monkeypatch.setenv("KIOSK_SETTINGS", str(fleet.root.parent / "kiosk.toml"))
    (fleet.root.parent / "kiosk.toml").write_text(
        'name = "Hall A entrance"\n'
        "[fleet]\n"
        f'url = "{fleet.server.url}"\n'
        f'public_key = "{fleet.keys.public}"\n'
        f'root = "{fleet.root}"\n'
        f'status_url = "{fleet.server.status_url}"\n'
    )
    fleet.publish("First")
    assert main(["sync"]) == 0  # everything from kiosk.toml
    uploaded = fleet.server.status_root / "status" / "Hall A entrance.json"  # as nginx decodes
    status = json.loads(uploaded.read_text())
    assert (status["kiosk"], status["release"], status["last_result"]) == (
        "Hall A entrance",
        1,
        "updated",
    )
    assert current_release(fleet.root) is not None


def test_a_status_url_on_the_content_host_is_refused(fleet: Fleet, capsys) -> None:
    fleet.publish("First")
    assert _cli_sync(fleet, "--status-url", fleet.server.url + "status.json") == 2
    assert "another host than the content" in capsys.readouterr().err
    assert not (fleet.root / "current").exists()


def test_settings_missing_url_and_key_are_named(tmp_path: Path, capsys) -> None:
    assert main(["sync", "--into", str(tmp_path / "k")]) == 2
    assert "give URL and --pubkey" in capsys.readouterr().err


def test_a_publish_folder_copied_elsewhere_keeps_working(fleet: Fleet) -> None:
    """The release is plain files: copying the folder to another server path is publishing."""
    fleet.publish("First")
    shutil.copytree(fleet.server.publish, fleet.server.publish / "hall-a")
    outcome = fleet.syncer(url=fleet.server.url + "hall-a/manifest.json").run()
    assert outcome.version == 1


def test_every_keeps_checking_and_takes_the_next_release(fleet: Fleet, tmp_path: Path) -> None:
    fleet.publish("First")
    env = dict(os.environ, KIOSK_SETTINGS=str(tmp_path / "none.toml"), HOME=str(tmp_path))
    command = [sys.executable, "-m", "kiosk", "sync", fleet.server.url, "--into",
               str(fleet.root), "--pubkey", str(fleet.keys.public), "--every", "0.3"]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:

        def manifest_requests() -> list[str]:
            return [line for line in fleet.server.access_log() if "/manifest.json " in line]

        _wait(lambda: len(manifest_requests()) >= 3, process)
        assert [line.split('" ')[1][:3] for line in manifest_requests()[:3]] == [
            "200",
            "304",
            "304",
        ]
        fleet.publish("Second", picture=1)
        # status.json is written after the run's log line
        _wait(lambda: read_status(fleet.root).get("release") == 2, process)
        assert fleet.current_title() == "Second"
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=10)
    assert "switched from nothing to release 1" in err
    assert "switched from release 1 to release 2" in err


def _wait(condition, process: subprocess.Popen[str], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"kiosk sync --every exited: {process.stderr.read()}"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
