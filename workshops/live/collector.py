"""When Python's garbage collector may walk every object: when the process is quiet.

A full collection visits every tracked object, and a thousand connected sockets are a
few hundred thousand of them: each full pass stopped delivery to everyone for 100-200 ms,
which was the whole p99 of the steady benchmark (docs/benchmarks.md). The objects behind
a live socket live as long as it does, so there is nothing to find among them.

So the automatic full pass is made rare (young collections find nearly all the garbage
the project makes: Django's SQL compiler leaves one small cycle per query), and the
process keeps its long-lived objects frozen (`gc.freeze()`: out of the collector's
sight, still freed by reference counting). When no batch has gone out for a moment, at
most every few seconds, it thaws everything, collects once (finding the cycles of closed
connections) and freezes what survives. A process that is never quiet collects anyway
every `LONGEST` seconds, so nothing piles up for longer than that.
"""

from __future__ import annotations

import gc
import time

QUIET = 1.0  # seconds without a delivery before a full pass may run
EVERY = 10.0  # at most one full pass this often
LONGEST = 300.0  # and at least this often, quiet or not
# Young collections between two automatic full passes (Python's default: 10). Around a
# second each under load, so an automatic full pass comes about every quarter hour.
RARE_FULL_PASS = 1000

_last_busy = 0.0
_last_full = time.monotonic()


def install() -> None:
    """At start-up, once everything is imported."""
    threshold0, threshold1, _ = gc.get_threshold()
    gc.set_threshold(threshold0, threshold1, RARE_FULL_PASS)
    collect_and_freeze()


def busy() -> None:
    """Called as a batch goes out, and as a socket's message arrives or its welcome goes
    out: a join wave sends no batch, and full passes in the middle of one (7-14% of the
    event loop's time in a wave) stalled every handshake and delivery."""
    global _last_busy
    _last_busy = time.monotonic()


def collect_if_quiet() -> bool:
    """Run the full pass if it is due and the process is quiet (called by the hubs' polls)."""
    global _last_full
    now = time.monotonic()
    due = now - _last_full >= EVERY and now - _last_busy >= QUIET
    if not due and now - _last_full < LONGEST:
        return False
    collect_and_freeze()
    _last_full = time.monotonic()
    return True


def collect_and_freeze() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()
