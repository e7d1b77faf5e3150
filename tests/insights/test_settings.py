"""The `[insights]` section of kiosk.toml: defaults, and located problems from `kiosk check`."""

from __future__ import annotations

import pytest

from kiosk.content.errors import ContentError
from kiosk.content.kiosk_settings import KioskSettings, parse_kiosk_settings


def test_the_defaults_record_for_400_days_in_the_data_folder() -> None:
    insights = KioskSettings().insights
    assert insights.enabled is True
    assert insights.database is None
    assert (insights.retention_days, insights.max_megabytes) == (400, 200)
    assert insights.write_every_seconds == 3.0


def test_the_section_is_read() -> None:
    text = b'name = "A"\n[insights]\nenabled = false\nretention_days = 90\ndatabase = "i.db"\n'
    insights = parse_kiosk_settings(text).insights
    assert (insights.enabled, insights.retention_days, insights.database) == (False, 90, "i.db")


def test_a_wrong_value_is_located_in_the_section() -> None:
    text = b'name = "A"\n\n[insights]\nretention_days = 0\nmax_megabyte = 5\n'
    with pytest.raises(ContentError) as raised:
        parse_kiosk_settings(text, source="kiosk.toml")
    found = [str(problem) for problem in raised.value.problems]
    assert found[0].startswith("kiosk.toml:4:1: error:") and "retention_days" in found[0]
    assert found[1].startswith("kiosk.toml:5:1: error:")
    assert 'did you mean "max_megabytes"' in found[1]
