"""Visitor insights: what the show did and what visitors did, kept in a local SQLite
database (no personal data), and `kiosk report` for staff.

- `storage/`: the records, the database and its writer thread, the figures (no Qt);
- `tracker.py`: follows the Player, the strokes and the audience window's keys;
- `report/`: the HTML page with its charts and heat maps, and the CSV files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def status_summary(db_path: Path) -> dict[str, Any]:
    """Today's visitors and the state of the database, for `kiosk status` (never raises)."""
    from kiosk.insights.storage.summary import status_summary as summary

    return summary(db_path)
