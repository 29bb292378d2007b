"""Limits that slow floods but never a person or a real room: join codes and passwords
guessed from one address get HTTP 429; commands per participant, address and workshop."""

import contextvars
import random

import pytest
import redis.connection

from tests.conftest import needs
from tests.workshops.live.client import join
from workshops.errors import Refused
from workshops.live import protocol, throttle
from workshops.live.throttle import JOIN_MISSES, LOGIN_FAILURES, CommandRate
from workshops.models import Value

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


def test_commands_from_many_sockets_share_one_connection_to_the_counts(monkeypatch):
    """Each socket's command is admitted in a context of its own: none opens a connection
    to Redis of its own (a type wave of 5,000 would open 5,000)."""
    needs("redis")
    opened = []
    open_socket = redis.connection.Connection._connect

    def counted(self):
        opened.append(self)
        return open_socket(self)

    monkeypatch.setattr(redis.connection.Connection, "_connect", counted)
    for participant_id in range(20):
        contextvars.Context().run(command_allowed, participant_id)

    assert len(opened) <= 1


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand: these tests do not wait."""
    now = [1000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: now[0])
    return now


def command_allowed(participant_id, address="10.0.0.1", workshop_id=1):
    return throttle.command_allowed(
        participant_id=participant_id, address=address, workshop_id=workshop_id
    )


def test_a_conference_of_300_behind_one_address_typing_like_people_is_never_refused(clock):
    """One university NAT: everyone sends a first value within seconds of the phase
    opening, then a few contributions a minute each, at moments of their own."""
    people = range(1, 301)
    start = clock[0]
    shuffle = random.Random(12)
    moments = [(shuffle.uniform(0, 10), person) for person in people]
    for person in people:
        for minute in range(20):
            moments += [(minute * 60 + shuffle.uniform(0, 60), person) for _ in range(3)]
    refused = []
    for at, person in sorted(moments):
        clock[0] = start + at
        if not command_allowed(person):
            refused.append((at, person))
    assert refused == []


def test_fifty_sockets_from_one_address_are_slowed_to_what_a_room_types(clock, settings):
    """50 sockets, each its own participant sending as fast as it is let: the address
    gets a room's burst, then a room's pace, not 50 times a person's."""
    start = clock[0]
    stored = 0
    for step in range(580):  # 29 seconds, 50 ms apart
        clock[0] = start + step / 20
        stored += sum(command_allowed(socket) for socket in range(1, 51))
    per_participant_only = 50 * (20 + 29 * 2)
    assert stored <= settings.THROTTLE_ADDRESS_BURST + 29 * settings.THROTTLE_ADDRESS_PER_SECOND + 1
    assert stored < per_participant_only / 4
    assert command_allowed(99, address="10.0.0.2")  # someone elsewhere is not slowed


def test_a_flood_from_many_addresses_on_one_workshop_is_slowed_but_a_webinar_of_5000_is_not(
    clock, settings
):
    """5,000 attendees each sending a value the moment a phase opens (issue 14's type
    wave) all pass; what comes on top of that, from anywhere, meets the workshop's burst."""
    assert all(command_allowed(n, address=f"10.1.{n // 250}.{n % 250}") for n in range(5000))
    flood = [
        command_allowed(n, address=f"10.2.{n // 250}.{n % 250}")
        for n in range(settings.THROTTLE_WORKSHOP_BURST)
    ]
    assert sum(flood) == settings.THROTTLE_WORKSHOP_BURST - 5000
    assert command_allowed(1, workshop_id=2)  # another workshop is not slowed


def test_a_command_refused_by_its_address_limit_costs_the_participant_nothing(clock, settings):
    settings.THROTTLE_ADDRESS_BURST = 1
    assert command_allowed(1)
    assert not command_allowed(2)  # the address is spent: refused
    settings.THROTTLE_ADDRESS_BURST = 0
    assert all(command_allowed(2) for _ in range(20))  # still its whole burst


def test_a_limit_set_to_0_is_off(clock, settings):
    settings.THROTTLE_ADDRESS_BURST = 0
    assert all(command_allowed(socket) for socket in range(1, 51) for _ in range(20))


def test_many_sockets_from_one_address_get_rate_limited_and_store_nothing(
    workshop, ada, bob, settings, clock
):
    # The clock stands still: on a loaded machine the first command (its whole write)
    # may take longer than the address's 50 ms, and the second would rightly pass.
    settings.THROTTLE_ADDRESS_BURST = 1
    add = {"type": "value.add", "text": "equity"}
    protocol.run(participant=ada, session_key=None, message={**add, "ref": "a"}, address="10.0.0.1")
    with pytest.raises(Refused) as refused:
        protocol.run(
            participant=bob, session_key=None, message={**add, "ref": "b"}, address="10.0.0.1"
        )
    assert refused.value.code == "rate_limited"
    assert Value.objects.filter(workshop=workshop).count() == 1


@pytest.mark.django_db(transaction=True)
async def test_a_facilitator_caps_contributions_per_participant_from_the_control_room(
    workshop, facilitator
):
    host = await join(workshop.code, user=facilitator)
    ada = await join(workshop.code, "Ada")
    await host.send(type="contribution_limit.set", ref="l1", limit=1)
    assert (await host.reply())["type"] == "ack"
    await ada.wait_for_seq(1)
    assert ada.events[-1]["data"] == {"limit": 1}
    await ada.send(type="value.add", ref="v1", text="equity")
    assert (await ada.reply())["type"] == "ack"
    await ada.send(type="value.add", ref="v2", text="care")
    assert (await ada.reply())["code"] == "over_budget"
    await host.close()
    await ada.close()
