"""`kiosk status`: what this kiosk shows, its sync, its clock and uptime, as lines or JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kiosk.cli import main
from kiosk.fleet.manifest import sha256_file

if TYPE_CHECKING:
    from fleet_bench import Fleet

pytest_plugins = ["fleet_bench"]  # the nginx, keys and fleet fixtures

KEYS = {
    "kiosk", "time", "root", "content", "release", "release_created", "manifest_expires",
    "manifest_expired", "content_sha256", "manifest_sha256", "pinned", "rolled_back",
    "last_check", "last_sync", "last_result", "last_error", "next_check", "clock_sync",
    "clock_sync_source", "uptime_s", "show", "warnings", "visitors_today", "insights",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _private_folders(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KIOSK_SETTINGS", str(tmp_path / "kiosk.toml"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def test_status_json_says_what_the_kiosk_shows(fleet: Fleet, capsys, tmp_path: Path) -> None:
    (tmp_path / "kiosk.toml").write_text('name = "Hall B"\n')
    fleet.publish("First")
    assert main(["sync", fleet.server.url, "--into", str(fleet.root), "--pubkey",
                 str(fleet.keys.public)]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["status", str(fleet.root), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert set(status) == KEYS
    release = fleet.root / "releases" / "1"
    assert (status["kiosk"], status["release"], status["last_result"]) == ("Hall B", 1, "updated")
    assert status["content_sha256"] == sha256_file(release / "content.yaml")
    assert status["manifest_sha256"] == sha256_file(release / "manifest.json")
    assert status["manifest_expired"] is False and status["last_error"] is None
    assert status["clock_sync"] in {"synchronized", "not synchronized", "unknown"}
    assert status["uptime_s"] > 0
    assert status["last_sync"] == status["last_check"]


def test_status_lines_warn_about_an_expired_release_and_a_failed_check(
    fleet: Fleet, capsys
) -> None:
    fleet.publish("Old", expires_days=1, now=datetime.now(UTC) - timedelta(days=2))
    url, key = fleet.server.url, str(fleet.keys.public)
    assert main(["sync", url, "--into", str(fleet.root), "--pubkey", key]) == 0
    fleet.server.stop()
    assert main(["sync", url, "--into", str(fleet.root), "--pubkey", key]) == 1
    capsys.readouterr()
    assert main(["status", str(fleet.root)]) == 0
    text = capsys.readouterr().out
    assert "release: 1\n" in text
    assert "WARNING: release 1 expired on" in text
    assert "WARNING: the last check failed:" in text and "cannot reach the server" in text
    assert "last result: failed" in text


def test_status_of_a_kiosk_without_a_release(tmp_path: Path, capsys) -> None:
    assert main(["status", str(tmp_path / "nothing"), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["release"] is None
    assert any("no release" in warning for warning in status["warnings"])


def test_status_counts_todays_visitors_from_the_insights_database(capsys, tmp_path: Path) -> None:
    import time

    from kiosk.insights.storage import database
    from kiosk.insights.storage.events import SessionStarted

    (tmp_path / "kiosk.toml").write_text('[insights]\ndatabase = "visits.sqlite3"\n')
    connection = database.connect(tmp_path / "visits.sqlite3")
    midnight = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    today = [max(midnight + n, time.time() - n) for n in (1, 2, 3)]  # today, even at 00:00:01
    database.write_batch(
        connection, [SessionStarted(n, at, "zh") for n, at in enumerate(today)], {}
    )
    connection.close()
    assert main(["status", str(tmp_path / "fleet"), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["visitors_today"] == 3
    assert status["insights"] == str(tmp_path / "visits.sqlite3")
