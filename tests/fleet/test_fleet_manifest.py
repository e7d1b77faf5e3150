"""manifest.json is read as strictly as a hostile server deserves."""

from __future__ import annotations

import json

import pytest

from kiosk.fleet.manifest import MAX_MANIFEST_BYTES, ManifestError, parse_manifest

SHA = "0" * 64


def _manifest(**changes: object) -> bytes:
    data: dict[str, object] = {
        "format": "kiosk-release/1",
        "version": 3,
        "created": "2026-01-01T00:00:00Z",
        "expires": "2026-02-01T00:00:00Z",
        "files": [{"path": "content.yaml", "size": 10, "sha256": SHA}],
    }
    data.update(changes)
    return json.dumps(data).encode()


def _files(*paths: str) -> list[dict[str, object]]:
    return [{"path": "content.yaml", "size": 1, "sha256": SHA}] + [
        {"path": path, "size": 1, "sha256": SHA} for path in paths
    ]


def test_a_good_manifest_reads_back_the_same() -> None:
    manifest = parse_manifest(_manifest())
    assert manifest.version == 3 and manifest.file("content.yaml") is not None
    assert parse_manifest(manifest.to_bytes()) == manifest


@pytest.mark.parametrize(
    "path",
    [
        "../outside.png",
        "/etc/passwd",
        "media/../../x",
        "media//x.png",
        "./x.png",
        "media\\x.png",
        "manifest.json",
        "manifest.json.minisig",
        "media/",
    ],
)
def test_unsafe_paths_are_refused(path: str) -> None:
    with pytest.raises(ManifestError, match="unsafe file path"):
        parse_manifest(_manifest(files=_files(path)))


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"files": _files("a.png", "a.png")}, "listed twice"),
        ({"files": [{"path": "a.png", "size": 1, "sha256": SHA}]}, "content.yaml is not in"),
        ({"files": _files("a", "a/b.png")}, "both a file and a folder"),
        ({"expires": "2025-01-01T00:00:00Z"}, "expires before it was created"),
        ({"created": "2026-01-01T00:00:00"}, "time zone"),
        ({"version": 0}, "version"),
        ({"version": "3"}, "version"),
        ({"format": "kiosk-release/2"}, "format"),
        ({"signed_by": "me"}, "signed_by"),
        ({"files": [{"path": "content.yaml", "size": 1, "sha256": "ABC"}]}, "sha256"),
        ({"files": [{"path": "content.yaml", "size": -1, "sha256": SHA}]}, "size"),
    ],
)
def test_a_wrong_manifest_says_what_is_wrong(changes: dict[str, object], words: str) -> None:
    with pytest.raises(ManifestError, match=words):
        parse_manifest(_manifest(**changes))


def test_not_json_and_too_large_are_refused() -> None:
    with pytest.raises(ManifestError, match="not JSON"):
        parse_manifest(b"<html>404</html>")
    with pytest.raises(ManifestError, match="larger than"):
        parse_manifest(b" " * (MAX_MANIFEST_BYTES + 1))
