"""Shared test setup: headless Qt, the bundled font, and small factories that own teardown."""

from __future__ import annotations

import os

# Tests never open a real window unless they start Xvfb themselves (tests/e2e).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.fonts.warning=false")

from pathlib import Path

import pytest

from kiosk.content import Content, load_content

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def repo_content() -> Content:
    """The bundled content.yaml, loaded once."""
    return load_content(REPO / "content.yaml")


@pytest.fixture(scope="session")
def font_family(qapp) -> str:
    """The bundled CJK font, registered with Qt."""
    from kiosk.ui.fonts import register_fonts

    return register_fonts()


@pytest.fixture
def theme(font_family: str, repo_content: Content):
    """The slide theme of the bundled content."""
    from kiosk.slides.theme import SlideTheme

    return SlideTheme.from_content(repo_content.settings.theme, font_family)


@pytest.fixture
def media():
    """Images relative to the repo (where content.yaml lives)."""
    from kiosk.slides.media import MediaLibrary

    return MediaLibrary(REPO)
