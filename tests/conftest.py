"""Shared test setup: headless Qt, the bundled font, and small factories that own teardown."""

from __future__ import annotations

import gc
import os

# Tests never open a real window unless they start Xvfb themselves (tests/e2e).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.fonts.warning=false")

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.content import Content, load_content
from show_process import ShowProcess

# A safety net: nothing a test runs (in this process or a child) writes to the user's own
# config, state, data or cache folders; tests that need them set their own inside tmp_path.
_PRIVATE = Path(tempfile.mkdtemp(prefix="kiosk-tests-"))
for _name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
    os.environ[_name] = str(_PRIVATE / _name.lower())
os.environ.pop("KIOSK_SETTINGS", None)
os.environ.pop("KIOSK_STAFF_PIN_HASH", None)

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _unfrozen_garbage_collector() -> Iterator[None]:
    """A show that warmed up froze the objects alive (ui/preparation.py): in the one test
    process, thaw them after each test so later tests' collections and leak checks see
    them as a fresh process would."""
    yield
    gc.unfreeze()


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


class FakeClock:
    """A clock the test moves by hand (seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass."""
        self.now += seconds


@pytest.fixture
def fake_clock() -> FakeClock:
    """A hand-moved clock for idle and autoplay tests."""
    return FakeClock()


@pytest.fixture
def show_content(qtbot, font_family: str):
    """Build the wired show of a Content (window shown offscreen, 1920x1080 unless said);
    closes it afterwards."""
    from kiosk.app import build_show

    shows = []

    def make(
        content: Content, media_dir: Path, *, kiosk: bool = True, size=(1920, 1080), **options
    ):
        options.setdefault("animation_scale", 0.0)
        show = build_show(content, media_dir, font_family, kiosk=kiosk, **options)
        show.window.resize(*size)
        with qtbot.waitExposed(show.window):
            show.window.show()
        shows.append(show)
        return show

    yield make
    for show in shows:
        show.window.allow_close()
        show.window.close()
        show.window.deleteLater()


@pytest.fixture
def make_show(show_content):
    """Build the wired show of a deck in tests/fixtures/decks (window shown offscreen at
    1920x1080); closes it afterwards."""

    def make(
        deck: str = "chapters.yaml",
        *,
        transition: str | None = None,
        **options,
    ):
        path = FIXTURES / "decks" / deck
        content = load_content(path)
        if transition is not None:
            settings = content.settings.model_copy(update={"transition": transition})
            content = content.model_copy(update={"settings": settings})
        return show_content(content, path.parent, **options)

    return make


def pytest_addoption(parser: pytest.Parser) -> None:
    """--regen-golden rewrites the golden images instead of comparing with them."""
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite tests/golden/*.png from the current rendering",
    )


class FakePinStore:
    """A staff PIN store holding a hash in memory (tests never touch the real settings file)."""

    def __init__(self, pin_hash: str | None) -> None:
        self.pin_hash = pin_hash

    def load(self) -> str | None:
        return self.pin_hash


@pytest.fixture
def start_show() -> Iterator:
    """Start child kiosks (tests/show_process.py); every one is terminated after the test."""
    started: list[ShowProcess] = []

    def start(env: dict[str, str], content: str | None = None, *extra: str) -> ShowProcess:
        show = ShowProcess(env) if content is None else ShowProcess(env, content, *extra)
        started.append(show)
        return show

    yield start
    for show in started:
        show.stop()


@pytest.fixture(scope="session")
def film_clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Small clips with a burned-in frame counter, made once per run with ffmpeg (tests/films.py):
    once.mp4 (2 s), loop.mp4 (1 s), both 25 fps, and their zh/en captions."""
    from films import make_clip

    folder = tmp_path_factory.mktemp("clips")
    make_clip(folder / "once.mp4", seconds=2.0)
    make_clip(folder / "loop.mp4", seconds=1.0)
    (folder / "once.zh.vtt").write_text(
        "WEBVTT\n\n00:00.000 --> 00:01.000\n第一句字幕\n\n00:01.000 --> 00:02.000\n第二句字幕\n",
        encoding="utf-8",
    )
    (folder / "once.en.vtt").write_text(
        "WEBVTT\n\n00:00.000 --> 00:01.000\nThe first line\n\n"
        "00:01.000 --> 00:02.000\nThe second\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def film_deck(tmp_path: Path, film_clips: Path):
    """A copy of tests/fixtures/decks/films.yaml beside copies of the test clips; `replace`
    puts other files in place of clips (a broken film, a film with sound)."""
    import shutil

    def make(**replace: Path | bytes) -> Path:
        clips = tmp_path / "clips"
        shutil.copytree(film_clips, clips, dirs_exist_ok=True)
        for name, what in replace.items():
            target = clips / f"{name}.mp4"
            if isinstance(what, bytes):
                target.write_bytes(what)
            else:
                shutil.copyfile(what, target)
        deck = tmp_path / "content.yaml"
        shutil.copyfile(FIXTURES / "decks" / "films.yaml", deck)
        return deck

    return make


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove the session's private config, state, data and cache folders."""
    import shutil

    shutil.rmtree(_PRIVATE, ignore_errors=True)
