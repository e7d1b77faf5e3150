"""deploy/: the sync's service and timer are units systemd accepts, beside the show's."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_systemd_accepts_the_sync_service_and_timer(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    kiosk = Path(sys.executable).parent / "kiosk"  # the unit's /opt/kiosk/.venv/bin/kiosk
    for name in ("kiosk-sync.service", "kiosk-sync.timer"):
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("/opt/kiosk/.venv/bin/kiosk", str(kiosk)))
    done = subprocess.run(
        [
            analyze,
            "verify",
            str(tmp_path / "kiosk-sync.service"),
            str(tmp_path / "kiosk-sync.timer"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr
    assert (
        "ExecStart=/opt/kiosk/.venv/bin/kiosk sync\n" in (DEPLOY / "kiosk-sync.service").read_text()
    )
