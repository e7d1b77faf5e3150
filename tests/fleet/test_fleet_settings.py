"""A kiosk's fleet settings live in its kiosk.toml [fleet]; the command line wins over them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kiosk.cli import main
from kiosk.content.errors import ContentError
from kiosk.content.kiosk_settings import FleetSettings, parse_kiosk_settings

if TYPE_CHECKING:
    from fleet_bench import Fleet

pytest_plugins = ["fleet_bench"]  # the nginx, keys and fleet fixtures

KEY = "RWQClueCJ3A2IdNMSNC/2WCXamoy2oOuiAcFV5vVnR44UfSS8csVZyoE"


def test_the_defaults_mean_no_fleet() -> None:
    fleet = parse_kiosk_settings(b'name = "A"\n').fleet
    assert fleet == FleetSettings()
    assert (fleet.url, fleet.public_key, fleet.every, fleet.status_url) == ("", "", 300, "")


def test_a_fleet_section_is_read() -> None:
    text = f'[fleet]\nurl = "https://content.example/hall-a/"\npublic_key = "{KEY}"\n'
    fleet = parse_kiosk_settings(text.encode()).fleet
    assert (fleet.url, fleet.public_key) == ("https://content.example/hall-a/", KEY)


@pytest.mark.parametrize(
    ("lines", "where", "words"),
    [
        ('url = "ftp://x/"', (2, 1), '"url" must be an http:// or https:// address'),
        ('public_key = "RWQ123"', (2, 1), '"public_key" must be the whole second line'),
        ("every = 5", (2, 1), '"every" must be at least 30'),
        ('url = "http://a/"\nstatus_url = "http://a/up"', (3, 1), "another host than"),
        ('utl = "http://a/"', (2, 1), 'unknown key "utl" (did you mean "url"?)'),
    ],
)
def test_fleet_mistakes_are_located(lines: str, where: tuple[int, int], words: str) -> None:
    with pytest.raises(ContentError) as raised:
        parse_kiosk_settings(f"[fleet]\n{lines}\n".encode(), source="kiosk.toml")
    problem = raised.value.first
    assert (problem.line, problem.column) == where and words in problem.message


def test_kiosk_check_reports_the_fleet_section(tmp_path: Path, capsys) -> None:
    settings = tmp_path / "kiosk.toml"
    settings.write_text('[fleet]\nurl = "content.example"\n')
    content = Path(__file__).resolve().parents[1] / "fixtures" / "content" / "minimal.yaml"
    assert main(["check", str(content), "--settings", str(settings)]) == 1
    assert f"{settings}:2:1: error: " in capsys.readouterr().out


def test_the_command_line_wins_over_kiosk_toml(fleet: Fleet, tmp_path: Path, monkeypatch) -> None:
    settings = tmp_path / "kiosk.toml"
    settings.write_text(
        f'[fleet]\nurl = "http://127.0.0.1:9/"\npublic_key = "{fleet.keys.public}"\n'
        f'root = "{tmp_path / "from-settings"}"\n'
    )
    monkeypatch.setenv("KIOSK_SETTINGS", str(settings))
    fleet.publish("First")
    assert main(["sync", fleet.server.url, "--into", str(fleet.root)]) == 0  # key from toml
    assert fleet.current_title() == "First"
    assert not (tmp_path / "from-settings").exists()
