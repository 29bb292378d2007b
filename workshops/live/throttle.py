"""Throttling: commands per participant, and misses per address (code and password
guessing get HTTP 429).

State lives in Django's cache: Redis when REDIS_URL is set, so every server process
shares it; process memory otherwise.
"""

from __future__ import annotations

import time

from django.core.cache import cache


class Limit:
    def __init__(self, name: str, *, attempts: int, window: int) -> None:
        self.name, self.attempts, self.window = name, attempts, window

    def _key(self, address: str) -> str:
        return f"throttle:{self.name}:{address}"

    def exceeded(self, address: str) -> bool:
        return int(cache.get(self._key(address), 0)) >= self.attempts

    def miss(self, address: str) -> None:
        key = self._key(address)
        if not cache.add(key, 1, timeout=self.window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=self.window)


# Someone typing a code wrong a few times is fine; a script trying codes is not.
JOIN_MISSES = Limit("join", attempts=30, window=600)
LOGIN_FAILURES = Limit("login", attempts=10, window=900)


class CommandRate:
    """A burst of `burst` commands, then `per_second` sustained, per participant.

    The generic cell rate algorithm: one timestamp per participant (the theoretical
    arrival time of the next command). Two processes racing may both read the old one;
    that only lets one more command through, never refuses a person.
    """

    def __init__(self, *, burst: int, per_second: float) -> None:
        self.interval = 1 / per_second
        self.tolerance = (burst - 1) * self.interval

    def allow(self, participant_id: int) -> bool:
        key = f"throttle:commands:{participant_id}"
        now = time.time()
        due = max(float(cache.get(key, now)), now)
        if due - now > self.tolerance:
            return False
        cache.set(key, due + self.interval, timeout=int(self.tolerance + self.interval) + 1)
        return True


# Never refuses what a quick human does; a script flooding the room is slowed.
COMMANDS = CommandRate(burst=20, per_second=2)
