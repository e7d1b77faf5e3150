"""Extract the Simplified Chinese face of Noto Sans CJK from Debian's TTC files.

Usage: python tools/extract_fonts.py [--src DIR] [--out DIR]

Reads NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc (package fonts-noto-cjk),
finds the face whose name-table family is "Noto Sans CJK SC" and writes it,
unmodified and unsubsetted, as a standalone OpenType/CFF file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

FAMILY = "Noto Sans CJK SC"
DEFAULT_SRC = Path("/usr/share/fonts/opentype/noto")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "assets" / "fonts"
JOBS: tuple[tuple[str, str], ...] = (
    ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"),
    ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf"),
)


def family_of(font: TTFont) -> str | None:
    """Return the face's typographic family (name ID 16), else its family (ID 1)."""
    name = font["name"]
    family = name.getDebugName(16) or name.getDebugName(1)
    return str(family) if family else None


def find_face(ttc: Path, family: str = FAMILY) -> int:
    """Return the index of the face in ``ttc`` whose family is ``family``."""
    collection = TTCollection(str(ttc), lazy=True)
    try:
        for index, face in enumerate(collection.fonts):
            if family_of(face) == family:
                return index
        found = [family_of(face) for face in collection.fonts]
    finally:
        collection.close()
    raise LookupError(f"{ttc}: no face with family {family!r} (found: {found})")


def extract(ttc: Path, out: Path, family: str = FAMILY) -> int:
    """Write the ``family`` face of ``ttc`` to ``out``; return its index."""
    index = find_face(ttc, family)
    # lazy=True, no table access and no timestamp update: every table is copied byte
    # for byte (only head.checkSumAdjustment is recomputed), so reruns are reproducible.
    font = TTFont(str(ttc), fontNumber=index, lazy=True, recalcTimestamp=False)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        font.save(str(out))
    finally:
        font.close()
    with TTFont(str(out), lazy=True) as check:
        if family_of(check) != family:
            raise RuntimeError(f"{out}: written face is not {family!r}")
    return index


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC, help="folder with the .ttc files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    for ttc_name, otf_name in JOBS:
        ttc, out = args.src / ttc_name, args.out / otf_name
        index = extract(ttc, out)
        print(f"{ttc} [face {index}] -> {out} ({out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
