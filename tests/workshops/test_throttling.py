"""Guessing join codes or passwords from one address gets HTTP 429; people do not."""

import pytest
from django.core.cache import cache

from workshops.throttle import JOIN_MISSES, LOGIN_FAILURES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_counts():
    cache.clear()
    yield
    cache.clear()


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
