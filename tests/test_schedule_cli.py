"""`kiosk schedule` and `kiosk show --at` as staff type them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main

HALL = Path(__file__).resolve().parent / "fixtures" / "decks" / "hall.yaml"


def test_schedule_prints_each_day_with_its_hours_or_why_it_is_closed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schedule", str(HALL), "--from", "2026-12-28", "--days", "8"]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0].startswith("time zone Asia/Shanghai; standby screen black")
    assert "2026-12-28 Mon  closed (closed on Mondays)" in lines
    assert "2026-12-31 Thu  09:00-15:00 (special hours)" in lines
    assert any(
        line.startswith("2027-01-01 Fri  closed (closed date; holiday: 元旦") for line in lines
    )
    assert "    loop: 3 of 4 slides, without winter" in lines  # from 2027-01-04 on


def test_schedule_json_is_plain_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", str(HALL), "--from", "2026-10-01", "--days", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["timezone"] == "Asia/Shanghai"
    national_day, friday = data["days"]
    assert national_day["closed"] and national_day["why"] == "holiday"
    assert "National Day" in national_day["holiday"]
    assert friday["date"] == "2026-10-02" and friday["closed"]  # also a holiday
    assert national_day["slides"] == ["cover", "one", "two"]


def test_schedule_of_a_broken_file_lists_its_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "content.yaml"
    broken.write_text(
        "settings: {timezone: Mars/Olympus}\nslides: [{id: a, type: text, title: A, body: a}]\n"
    )
    assert main(["schedule", str(broken)]) == 1
    assert '1:22: error: settings: "Mars/Olympus" is not a time zone' in capsys.readouterr().out


def test_show_at_refuses_a_time_it_cannot_read(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["show", str(HALL), "--at", "31.12.2026 14:59"])
    assert exit_info.value.code == 2
    assert "is not a local time: write it as 2026-12-31T14:59:30" in capsys.readouterr().err
