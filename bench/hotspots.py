"""Where a profiled server spent its time: the top frames of py-spy's raw stacks.

    python -m bench.run --only join-wave --profile /tmp/prof
    python -m bench.hotspots /tmp/prof/wave-1000-1-0.txt [--top 25] [--match workshops/]

`bench.run --profile` samples each daphne with `py-spy record -f raw` (one line per
distinct stack, root first, then its sample count). This prints, per thread, the share
of samples in which each function is on the stack (inclusive) and at the top (self),
so "where the time goes per join" is a table rather than a flame graph to squint at.
Functions are named `function (file)` without line numbers, so a loop's lines add up.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<name>.*?) \((?P<file>[^:()]*)(?::\d+)?\)$")


def function(frame: str) -> str:
    found = FRAME.match(frame.strip())
    if not found:
        return frame.strip()
    path = found["file"]
    for marker in ("site-packages/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    else:
        path = "/".join(path.split("/")[-3:])
    return f"{found['name']} ({path})"


def read(path: Path) -> dict[str, list[tuple[list[str], int]]]:
    """Stacks by thread: [(functions root first, samples)]."""
    threads: dict[str, list[tuple[list[str], int]]] = {}
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        thread = next((f for f in frames if f.startswith("thread ")), "") or (
            # Recorded without --threads: the main thread runs the module, others a Thread.
            "worker threads (database)"
            if frames[0].startswith("Thread._bootstrap")
            else "main thread (event loop)"
        )
        calls = [function(f) for f in frames if not f.startswith(("thread ", "process "))]
        threads.setdefault(thread, []).append((calls, int(count)))
    return threads


def report(path: Path, top: int, match: str) -> str:
    lines = [f"{path}:"]
    threads = read(path)
    ranked = sorted(threads.items(), key=lambda item: -sum(n for _, n in item[1]))
    for thread, stacks in ranked:
        total = sum(n for _, n in stacks)
        if total < 20:
            continue
        inclusive: Counter[str] = Counter()
        own: Counter[str] = Counter()
        for calls, n in stacks:
            for call in set(calls):
                inclusive[call] += n
            if calls:
                own[calls[-1]] += n
        lines.append(f"\n{thread}: {total} samples")
        lines.append("  inclusive  self   function")
        shown = 0
        for call, n in inclusive.most_common():
            if match and match not in call:
                continue
            lines.append(f"  {n / total:8.1%} {own[call] / total:6.1%}  {call}")
            shown += 1
            if shown >= top:
                break
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="", help="only functions whose name or file has this")
    args = parser.parse_args()
    for path in args.files:
        print(report(path, args.top, args.match))


if __name__ == "__main__":
    main()
