"""The tuned allocator gives freed frame images back to the system."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Frame images come and go (two per transition) while small images made in between stay
# (layer caches, glyphs); then every frame image is freed. What stays resident?
CHURN = """
import sys
from kiosk.memory import tune_allocator
if sys.argv[1] == "tuned":
    assert tune_allocator()
from PySide6.QtGui import QImage
frames, small = [], []
for _ in range(40):
    frame = QImage(1920, 1080, QImage.Format.Format_RGB32)
    frame.fill(0)
    frames = [*frames[-1:], frame]
    small.append(QImage(200, 200, QImage.Format.Format_RGB32))
    small[-1].fill(0)
del frames, frame
rss = [line for line in open("/proc/self/status") if line.startswith("VmRSS")][0]
print(int(rss.split()[1]) // 1024)
"""


def _resident_mib(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", CHURN, mode], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_freed_frame_images_leave_memory_with_the_tuned_allocator() -> None:
    default, tuned = _resident_mib("default"), _resident_mib("tuned")
    # Untuned, the freed 8 MiB images stay on glibc's heap pinned by the small ones above
    # them (measured: ~19 MiB more).
    assert default - tuned >= 10, f"resident after the churn: {default} MiB default, {tuned} tuned"
