"""What the guide tells an operator to run agrees with what the protocol promises."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDES = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").rglob("*.md")),
    *(ROOT / "docs/deploy").iterdir(),
]
LIMIT = re.compile(r"--websocket-max-message-size[ =](\d+)")
BIG_FRAME = 64 * 1024  # the application closes a bigger frame with 4009 (docs/protocol.md)


def test_no_guide_sets_a_frame_limit_under_which_big_frames_lose_their_4009():
    # daphne drops a frame over its own limit with no close frame (1006 at the client);
    # at 64 KiB or less, that pre-empts the application's 4009 (tested in
    # test_deployment.py with the shipped unit).
    too_low = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in GUIDES
        for match in LIMIT.finditer(path.read_text())
        if int(match.group(1)) <= BIG_FRAME
    ]
    assert too_low == []
