"""Each server process advances the phases' schedules by itself, connected or not.

A daemon thread calls `services.schedule_advance` every `SCHEDULE_EVERY` seconds (0:
never, as in the tests, which call it themselves). Every process runs one: the service
is safe to run side by side (one opening, one event; services/schedule.py), so nothing
has to elect a leader, and a schedule still runs while one process is down. A thread,
not a task on the event loop: its queries would otherwise hold up delivery.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)

_started = threading.Event()


def install() -> None:
    """At start-up (config/asgi.py), once per process."""
    every = settings.SCHEDULE_EVERY
    if every <= 0 or _started.is_set():
        return
    _started.set()
    threading.Thread(target=_run, args=(every,), name="schedule", daemon=True).start()


def _run(every: int) -> None:
    from workshops import services

    stop = threading.Event()
    while not stop.wait(every):
        try:
            services.schedule_advance()
        except Exception:  # a database restarting: the next tick tries again
            log.exception("advancing the phases' schedules failed")
        finally:
            close_old_connections()
