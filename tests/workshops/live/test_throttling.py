"""Guessing join codes or passwords from one address gets HTTP 429; people do not."""

import pytest

from workshops.live import throttle
from workshops.live.throttle import JOIN_MISSES, LOGIN_FAILURES, CommandRate

pytestmark = pytest.mark.django_db


def test_a_few_wrong_codes_get_a_helpful_message(client, workshop):
    response = client.post("/", {"code": "ZZZZZZ"})
    assert response.status_code == 200
    assert "ZZZZZZ" in response.content.decode()
    assert client.post("/", {"code": workshop.code.lower()}).status_code == 302


def test_guessing_codes_gets_429(client, workshop):
    for n in range(JOIN_MISSES.attempts):
        client.get(f"/j/ZZZZ{n:02d}/".replace("0", "A").replace("1", "B"))
    assert client.post("/", {"code": "QQQQQQ"}).status_code == 429
    assert client.get(f"/j/{workshop.code}/").status_code == 429


def test_repeated_failed_logins_get_429(client, facilitator):
    for _ in range(LOGIN_FAILURES.attempts):
        response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": "alice", "password": "alice-pass-123"})
    assert response.status_code == 429


def test_a_participant_gets_a_burst_of_20_then_2_per_second(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: now[0])
    rate = CommandRate(burst=20, per_second=2)
    assert all(rate.allow(7) for _ in range(20))
    assert not rate.allow(7)
    assert rate.allow(8)  # someone else is not slowed
    now[0] += 0.5
    assert rate.allow(7)
    assert not rate.allow(7)
    now[0] += 60  # a quiet minute refills the burst
    assert all(rate.allow(7) for _ in range(20))


def test_the_counts_live_in_the_shared_cache(settings):
    """With REDIS_URL set, the cache is Redis: every server process sees the same counts."""
    if settings.REDIS_URL:
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    rate = CommandRate(burst=1, per_second=1)
    assert rate.allow(9)
    assert not CommandRate(burst=1, per_second=1).allow(9)  # another instance, same state
