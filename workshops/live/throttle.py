"""Throttling: commands per participant, per address and per workshop, and misses per
address (code and password guessing get HTTP 429).

State lives in Django's cache: Redis when REDIS_URL is set, so every server process
shares it; process memory otherwise. Redis is only a counter here: while it is
unreachable (a restart), each process counts in its own memory for a few seconds and
tries again, so nobody's command fails because the counter is away.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import redis.exceptions
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache

log = logging.getLogger(__name__)

# One client for the process, shared by every thread. Django's `cache` is one per async
# context, and each socket's command is admitted in a context of its own (group_commit):
# through it, every command opened a connection to Redis of its own, a third of a group's
# time on two processes (decision 0010).
cache = caches.create_connection(DEFAULT_CACHE_ALIAS)

T = TypeVar("T")

# What a cache server that went away raises: redis-py's own errors, or the socket's.
UNREACHABLE: tuple[type[Exception], ...] = (redis.exceptions.RedisError, OSError)


class _Counts:
    """The shared cache, or this process's memory while the shared one is unreachable."""

    RETRY_AFTER = 5.0  # seconds counted locally before the shared cache is tried again

    def __init__(self) -> None:
        self._local = LocMemCache("throttle-while-redis-is-away", {"OPTIONS": {}})
        self._away_until: float | None = None  # monotonic time; None while reachable

    def run(self, operation: Callable[[BaseCache], T]) -> T:
        if self._away_until is None or time.monotonic() >= self._away_until:
            try:
                result = operation(cache)
            except UNREACHABLE as error:
                if self._away_until is None:  # once per outage, not once per command
                    log.warning("throttle counts unreachable (%s); counting per process", error)
                self._away_until = time.monotonic() + self.RETRY_AFTER
            else:
                if self._away_until is not None:
                    log.info("throttle counts reachable again")
                    self._away_until = None
                return result
        return operation(self._local)


_counts = _Counts()


class Limit:
    def __init__(self, name: str, *, attempts: int, window: int) -> None:
        self.name, self.attempts, self.window = name, attempts, window

    def _key(self, address: str) -> str:
        return f"throttle:{self.name}:{address}"

    def exceeded(self, address: str) -> bool:
        return int(_counts.run(lambda counts: counts.get(self._key(address), 0))) >= self.attempts

    async def exceeded_soon(self, address: str) -> bool:
        """`exceeded`, from the event loop: at once when the counts are in this process's
        memory (a dict and a lock), in a thread of its own when they are in Redis (a
        round trip). The hand-over to a thread was 8% of the event loop's time in a
        join wave on one process (docs/benchmarks.md, seventh round)."""
        if isinstance(cache, LocMemCache):
            return self.exceeded(address)
        return await sync_to_async(self.exceeded, thread_sensitive=False)(address)

    def miss(self, address: str) -> None:
        _counts.run(lambda counts: self._count(counts, self._key(address)))

    def _count(self, counts: BaseCache, key: str) -> None:
        if not counts.add(key, 1, timeout=self.window):
            try:
                counts.incr(key)
            except ValueError:  # expired between add and incr
                counts.add(key, 1, timeout=self.window)


# Someone typing a code wrong a few times is fine; a script trying codes is not.
JOIN_MISSES = Limit("join", attempts=30, window=600)
LOGIN_FAILURES = Limit("login", attempts=10, window=900)


class CommandRate:
    """A burst of `burst` commands, then `per_second` sustained, per key (a participant,
    an address, a workshop).

    The generic cell rate algorithm: one timestamp per key (the theoretical arrival time
    of the next command). Two processes racing may both read the old one; that only lets
    one more command through, never refuses a person.
    """

    def __init__(self, name: str = "commands", *, burst: int, per_second: float) -> None:
        self.name = name
        self.interval = 1 / per_second
        self.tolerance = (burst - 1) * self.interval
        self.expiry = int(self.tolerance + self.interval) + 1  # seconds a count matters

    def key(self, who: Any) -> str:
        return f"throttle:{self.name}:{who}"

    def allow(self, who: Any) -> bool:
        return allow_all([(self, who)])


def allow_all(limits: list[tuple[CommandRate, Any]]) -> bool:
    """Whether one command passes every rate; it counts against them only if it does (a
    refused command costs nobody anything). Two round trips to Redis, however many; one
    within `counted_together`."""
    return _counts.run(lambda counts: _allow_all(counts, limits))


def _allow_all(counts: BaseCache, limits: list[tuple[CommandRate, Any]]) -> bool:
    now = time.time()
    keys = [rate.key(who) for rate, who in limits]
    stored = _together.read(counts, keys) if _together.active else counts.get_many(keys)
    due: dict[str, float] = {}
    for (rate, _who), key in zip(limits, keys, strict=True):
        at = max(float(stored.get(key, now)), now)
        if at - now > rate.tolerance:
            return False
        due[key] = at + rate.interval
    timeout = max(rate.expiry for rate, _who in limits)
    if _together.active:
        _together.wrote(due, timeout)
    else:
        counts.set_many(due, timeout=timeout)
    return True


class _Together(threading.local):
    """The counts of a group of commands being admitted (`counted_together`): each key
    read once, every count written at the end."""

    active = False

    def start(self) -> None:
        self.active = True
        self.known: dict[str, Any] = {}  # None: not stored
        self.due: dict[str, float] = {}
        self.timeout = 0
        self.wanted: list[str] = []  # read with the first read (`counted_together`)

    def read(self, counts: BaseCache, keys: list[str]) -> dict[str, Any]:
        unread = [key for key in keys if key not in self.known]
        if unread and self.wanted:  # the group's keys, with these: one round trip
            unread = list(dict.fromkeys([*unread, *self.wanted]))
            self.wanted = []
        if unread:
            self.known.update(dict.fromkeys(unread))
            self.known.update(counts.get_many(unread))
        return {key: self.known[key] for key in keys if self.known[key] is not None}

    def wrote(self, due: dict[str, float], timeout: int) -> None:
        self.known.update(due)
        self.due.update(due)
        self.timeout = max(self.timeout, timeout)


_together = _Together()


@contextlib.contextmanager
def counted_together(keys: list[str] | None = None) -> Iterator[None]:
    """Admit a group of commands (group_commit) with one write of their counts, at the
    end, and a read only of the keys not read yet; `keys` (the group's commands' own,
    `command_keys`) are all read with the first read. So a group of commands costs two
    round trips to Redis, not one per command (decision 0016). Counts a command makes
    count against the next one at once, as without it."""
    if _together.active:  # already counting a group in this thread
        yield
        return
    _together.start()
    _together.wanted = list(keys or ())
    try:
        yield
    finally:
        due, timeout = _together.due, _together.timeout
        _together.active = False
        if due:
            _counts.run(lambda counts: counts.set_many(due, timeout=timeout))


# Never refuses what a quick human does; a script flooding the room is slowed.
PER_PARTICIPANT = CommandRate(burst=20, per_second=2)


def command_allowed(*, participant_id: int, address: str, workshop_id: int) -> bool:
    """A participant's command against their own rate, their address's and their
    workshop's: many sockets from one address, or many addresses on one workshop, are
    slowed like one flooder, while a real room passes (sizes: README "Settings")."""
    return allow_all(_command_limits(participant_id, address, workshop_id))


def command_keys(*, participant_id: int, address: str, workshop_id: int) -> tuple[str, ...]:
    """The keys `command_allowed` reads for this command (read with its group's)."""
    limits = _command_limits(participant_id, address, workshop_id)
    return tuple(rate.key(who) for rate, who in limits)


def _command_limits(
    participant_id: int, address: str, workshop_id: int
) -> list[tuple[CommandRate, Any]]:
    limits: list[tuple[CommandRate, Any]] = [(PER_PARTICIPANT, participant_id)]
    by_address = _rate(
        "address", settings.THROTTLE_ADDRESS_BURST, settings.THROTTLE_ADDRESS_PER_SECOND
    )
    if by_address is not None:
        limits.append((by_address, address))
    by_workshop = _rate(
        "workshop", settings.THROTTLE_WORKSHOP_BURST, settings.THROTTLE_WORKSHOP_PER_SECOND
    )
    if by_workshop is not None:
        limits.append((by_workshop, workshop_id))
    return limits


def _rate(name: str, burst: int, per_second: int) -> CommandRate | None:
    """A rate from the settings; None when it is turned off (0)."""
    if burst <= 0 or per_second <= 0:
        return None
    return CommandRate(name, burst=burst, per_second=per_second)
