"""A child process for tests/insights/test_crash.py: records numbered slide rows in batches
of BATCH through the real recorder, forever, printing the last number of each batch once it
is committed. The test kills it with SIGKILL at a random moment.

    python crash_writer.py DATABASE FIRST_NUMBER
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from kiosk.insights.storage.events import SlideShown
from kiosk.insights.storage.recorder import InsightsRecorder

BATCH = 1500  # rows per transaction: big enough that a kill often lands inside one


def main() -> None:
    path, number = Path(sys.argv[1]), int(sys.argv[2])
    recorder = InsightsRecorder(path, flush_interval_s=0.01)
    now = time.time()  # recent rows: retention pruning leaves them alone
    while True:
        for _ in range(BATCH):
            recorder.record(SlideShown(now, now + 1, "cover", number, "zh", "attract", None, False))
            number += 1
        if not recorder.flush(timeout=30):
            sys.exit(f"batch ending {number - 1} was not written: {recorder.failing}")
        print(number - 1, flush=True)


if __name__ == "__main__":
    main()
