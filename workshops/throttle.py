"""Counting misses per client address: code guessing and password guessing get HTTP 429.

Counts live in Django's cache: Redis when REDIS_URL is set, so every server process
shares them; process memory otherwise.
"""

from __future__ import annotations

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
