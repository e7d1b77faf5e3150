"""`kiosk export`: every slide settled, as PNG files and one PDF, without opening a window."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QColor, QImage

from kiosk.cli import main

REPO = Path(__file__).resolve().parents[1]


def test_export_writes_one_png_per_slide_named_by_position_and_id(
    tmp_path: Path, repo_content, qapp
) -> None:
    out = tmp_path / "review"
    pdf = tmp_path / "review.pdf"
    code = main(
        [
            "export",
            str(REPO / "content.yaml"),
            "--out",
            str(out),
            "--size",
            "480x270",
            "--lang",
            "en",
            "--pdf",
            str(pdf),
        ]
    )
    assert code == 0
    expected = [f"{n:02d}-{slide.id}.png" for n, slide in enumerate(repo_content.slides, 1)]
    assert sorted(p.name for p in out.iterdir()) == expected
    for name in expected:
        image = QImage(str(out / name))
        assert (image.width(), image.height()) == (480, 270)
        colours = {image.pixel(x, y) for x in range(0, 480, 7) for y in range(0, 270, 7)}
        assert len(colours) > 30, f"{name} looks blank"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", data)) == len(expected)  # a page per slide


def test_export_runs_headless_even_without_a_display(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "QT_LOGGING_RULES"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "export",
            str(REPO / "content.yaml"),
            "--out",
            str(tmp_path),
            "--size",
            "320x180",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert len(list(tmp_path.glob("*.png"))) >= 10
    assert "Traceback" not in result.stderr
    # The film slide loads QtMultimedia: its always-there startup lines stay out of the way.
    assert "pipewire" not in result.stderr and "No RHI backend" not in result.stderr


def test_export_of_broken_content_lists_the_problems_and_writes_nothing(
    tmp_path: Path, capsys
) -> None:
    broken = tmp_path / "content.yaml"
    broken.write_text("slides:\n  - {id: a, type: nope, title: x}\n", encoding="utf-8")
    assert main(["export", str(broken), "--out", str(tmp_path / "out")]) == 1
    assert 'unknown slide type "nope"' in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_film_exports_its_first_frame_under_the_title_band_or_its_placeholder(
    tmp_path: Path, film_deck, qapp, capsys
) -> None:
    from films import read_counter

    deck = film_deck(loop=b"broken")
    out = tmp_path / "review"
    assert main(["export", str(deck), "--out", str(out), "--size", "960x540"]) == 0
    film = QImage(str(out / "02-film.png"))
    assert read_counter(film, 0, 0, 960, 540) == 0, "the film's first frame is the picture"
    top, middle = QColor(film.pixel(480, 12)), QColor(film.pixel(480, 200))
    assert top.lightness() < middle.lightness(), "a dark band carries the title at the top"
    broken = QImage(str(out / "03-loop.png"))
    assert read_counter(broken, 0, 0, 960, 540) is None
    said = capsys.readouterr().err
    assert "clips/loop.mp4: cannot be opened" in said and "exported as a placeholder" in said


def test_a_png_that_cannot_be_written_still_ends_the_pdf(tmp_path: Path, qapp, capsys) -> None:
    out = tmp_path / "review"
    (out / "02-one.png").mkdir(parents=True)  # a folder where the second PNG should go
    pdf = tmp_path / "review.pdf"
    deck = REPO / "tests" / "fixtures" / "decks" / "chapters.yaml"
    code = main(["export", str(deck), "--out", str(out), "--size", "320x180", "--pdf", str(pdf)])
    assert code == 1
    assert "02-one.png: cannot write the image" in capsys.readouterr().err
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")  # painter ended
    assert len(re.findall(rb"/Type\s*/Page(?!s)", data)) == 1  # the page made before it
