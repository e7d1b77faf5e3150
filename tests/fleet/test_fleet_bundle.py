"""`kiosk bundle`: only checked content is published, only the files it uses, versions grow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fleet_content import write_content

from kiosk.cli import main
from kiosk.fleet.manifest import MANIFEST, SIGNATURE, parse_manifest


@pytest.fixture
def key(tmp_path: Path, monkeypatch) -> Path:
    """An unencrypted secret key (and no kiosk.toml of the user's)."""
    monkeypatch.setenv("KIOSK_SETTINGS", str(tmp_path / "none.toml"))
    assert main(["keygen", "--out", str(tmp_path / "keys"), "--unencrypted"]) == 0
    return tmp_path / "keys" / "kiosk.key"


def _bundle(office: Path, publish: Path, key: Path, *extra: str) -> int:
    return main(["bundle", str(office), "--out", str(publish), "--key", str(key), *extra])


def test_content_that_check_rejects_is_not_published(tmp_path: Path, key: Path, capsys) -> None:
    office = tmp_path / "office"
    write_content(office, "Broken")
    text = (office / "content.yaml").read_text().replace("type: cover", "type: cvoer")
    (office / "content.yaml").write_text(text)
    assert main(["check", str(office / "content.yaml")]) == 1
    capsys.readouterr()
    assert _bundle(office, tmp_path / "publish", key) == 1
    err = capsys.readouterr().err
    assert f"{office / 'content.yaml'}:3:" in err and 'unknown slide type "cvoer"' in err
    assert not (tmp_path / "publish").exists()


def test_a_missing_picture_is_an_error_for_bundle_too(tmp_path: Path, key: Path, capsys) -> None:
    office = tmp_path / "office"
    write_content(office, "No picture")
    (office / "media" / "picture.png").unlink()
    assert _bundle(office, tmp_path / "publish", key) == 1
    assert "picture.png" in capsys.readouterr().err
    assert not (tmp_path / "publish" / MANIFEST).exists()


def test_warnings_do_not_stop_a_bundle(tmp_path: Path, key: Path, capsys) -> None:
    office = tmp_path / "office"
    write_content(office, "Hieroglyph 𓀀")  # a character the bundled font cannot draw
    assert main(["check", str(office / "content.yaml")]) == 0
    assert "warning:" in capsys.readouterr().out
    assert _bundle(office, tmp_path / "publish", key) == 0


def test_only_the_files_the_content_uses_are_published(tmp_path: Path, key: Path) -> None:
    office = tmp_path / "office"
    write_content(office, "Used")
    (office / "media" / "unused.png").write_bytes(b"not referenced")
    publish = tmp_path / "publish"
    assert _bundle(office, publish, key) == 0
    found = sorted(str(p.relative_to(publish)) for p in publish.rglob("*") if p.is_file())
    assert found == ["content.yaml", MANIFEST, SIGNATURE, "media/logo.png", "media/picture.png"]
    manifest = parse_manifest((publish / MANIFEST).read_bytes())
    assert [entry.path for entry in manifest.files] == [
        "content.yaml",
        "media/logo.png",
        "media/picture.png",
    ]
    assert manifest.expires > manifest.created


def test_versions_only_grow(tmp_path: Path, key: Path, capsys) -> None:
    office, publish = tmp_path / "office", tmp_path / "publish"
    write_content(office, "One")
    assert _bundle(office, publish, key) == 0
    assert _bundle(office, publish, key, "--version", "1") == 1
    assert "versions only grow" in capsys.readouterr().err
    assert _bundle(office, publish, key, "--version", "5") == 0
    assert _bundle(office, publish, key) == 0
    assert json.loads((publish / MANIFEST).read_text())["version"] == 6


def test_a_file_the_content_no_longer_uses_leaves_the_publish_folder(
    tmp_path: Path, key: Path
) -> None:
    office, publish = tmp_path / "office", tmp_path / "publish"
    write_content(office, "With logo")
    (publish / "other-hall").mkdir(parents=True)
    (publish / "other-hall" / "keep.txt").write_text("not ours")
    assert _bundle(office, publish, key) == 0
    text = (
        (office / "content.yaml")
        .read_text()
        .replace("settings: {theme: {logo: media/logo.png}}\n", "")
    )
    (office / "content.yaml").write_text(text)
    assert _bundle(office, publish, key) == 0
    assert not (publish / "media" / "logo.png").exists()
    assert (publish / "media" / "picture.png").exists()
    assert (publish / "other-hall" / "keep.txt").exists()  # only files a manifest listed go


def test_publishing_into_the_content_folder_is_refused(tmp_path: Path, key: Path, capsys) -> None:
    office = tmp_path / "office"
    write_content(office, "Here")
    assert _bundle(office, office / "publish", key) == 1
    assert "outside" in capsys.readouterr().err


def test_each_manifest_gets_its_own_etag_second(tmp_path: Path, key: Path) -> None:
    """Web servers make a file's ETag from its mtime in whole seconds and its size: two
    manifests of one length published in the same second would look unchanged to a kiosk."""
    from kiosk.fleet.bundle import bundle
    from kiosk.fleet.signing import load_secret_key

    content, publish = tmp_path / "content", tmp_path / "publish"
    seconds = []
    for title in ("First", "Other"):  # same length: the manifests are the same size
        write_content(content, title)
        bundle(content, publish, load_secret_key(key, lambda: ""))
        seconds.append((publish / "manifest.json").stat().st_mtime_ns // 1_000_000_000)
    assert seconds[1] > seconds[0]
