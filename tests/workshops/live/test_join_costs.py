"""What a join wave's speed relies on (docs/benchmarks.md, seventh round): a new joiner
costs its own row and nothing it does not need, and the shortcuts give the same welcome
as the long way, with tables on and off, and for screens whose link was revoked."""

import asyncio
import json
import time

import pytest
from channels.db import database_sync_to_async as sync_to_async
from django.core.cache.backends.locmem import LocMemCache

from tests.workshops.live.client import connect, join
from tests.workshops.live.test_shared_welcome import welcome_built_alone
from workshops import selectors, services
from workshops.live import collector, consumer, hub, middleware, throttle, wire
from workshops.live.welcome import SharedWelcomes


def hello(name="", token=None, user=None) -> consumer.ParticipantHello:
    return consumer.ParticipantHello(name=name, token=token, since=0, user=user)


def token_of(answer: consumer.Hello) -> str:
    return json.loads(answer.frame)["token"]


@pytest.mark.django_db
def test_a_new_joiner_costs_its_savepoint_and_its_row_and_no_reads_of_its_own(
    workshop, django_assert_num_queries
):
    welcomes = SharedWelcomes(workshop.pk)
    consumer._participants_hello(workshop, welcomes, [hello("warm")])  # the state is built
    # Per joiner: SAVEPOINT, INSERT, RELEASE. Per group: whether a round of tables is on,
    # the workshop's version, the people count (no vote, consent, credential or seat
    # read); and here, inside the test's transaction, the group's own SAVEPOINT, RELEASE.
    with django_assert_num_queries(3 + 3 + 2) as one:
        consumer._participants_hello(workshop, welcomes, [hello("Ada")])
    with django_assert_num_queries(3 * 3 + 3 + 2):
        consumer._participants_hello(workshop, welcomes, [hello("Bea"), hello("Cy"), hello("Di")])
    assert "seating" in " ".join(q["sql"] for q in one.captured_queries)


@pytest.mark.django_db
def test_late_joiners_in_a_group_are_seated_and_welcomed_as_alone(workshop, host, ada, bob):
    services.tables_form(participant=host, count=2)
    answers = consumer._participants_hello(
        workshop, SharedWelcomes(workshop.pk), [hello("Cy"), hello("x" * 61), hello("Di")]
    )
    cy, too_long, di = answers
    assert isinstance(too_long, services.Refused)
    tables = [json.loads(a.frame)["you"]["table"] for a in (cy, di)]  # type: ignore[union-attr]
    assert None not in tables and tables[0] != tables[1]  # the smallest table, in turn
    for answer in (cy, di):
        assert isinstance(answer, consumer.Hello) and answer.participant is not None
        alone = welcome_built_alone(workshop, answer.participant, token_of(answer))
        # Built alone now, the state holds both seats: compare the parts each can know.
        assert json.loads(answer.frame)["you"] == json.loads(alone)["you"]


@pytest.mark.django_db
def test_a_new_joiners_welcome_without_reads_is_the_welcome_built_alone(workshop, host, ada):
    services.tables_form(participant=host, count=1)
    services.tables_end(participant=host)  # a round that is over seats nobody
    (answer,) = consumer._participants_hello(workshop, SharedWelcomes(workshop.pk), [hello("Cy")])
    assert isinstance(answer, consumer.Hello) and answer.participant is not None
    assert answer.frame == welcome_built_alone(workshop, answer.participant, token_of(answer))


@pytest.mark.django_db
def test_a_seat_that_fails_refuses_that_join_alone(workshop, host, ada, monkeypatch):
    services.tables_form(participant=host, count=1)
    real = services.seat_late_joiner

    def seat(participant):
        if participant.name == "Cy":
            raise RuntimeError("the seat could not be written")
        return real(participant)

    monkeypatch.setattr(services, "seat_late_joiner", seat)
    cy, di = consumer._participants_hello(
        workshop, SharedWelcomes(workshop.pk), [hello("Cy"), hello("Di")]
    )
    assert isinstance(cy, RuntimeError)
    assert isinstance(di, consumer.Hello) and json.loads(di.frame)["you"]["table"] is not None


async def test_a_socket_without_a_session_is_anonymous_without_the_database(monkeypatch):
    def no_database(session_key):
        raise AssertionError("a socket without a session cookie asked the database")

    monkeypatch.setattr(middleware, "_user_of", no_database)
    scopes = []

    async def inner(scope, receive, send):
        scopes.append(scope)

    await middleware.SessionUserMiddleware(inner)({"type": "websocket", "headers": []}, None, None)
    assert not scopes[0]["user"].is_authenticated and scopes[0]["session_key"] is None


@pytest.mark.django_db(transaction=True)
async def test_sockets_after_the_first_take_the_hubs_workshop_without_a_query(
    workshop, monkeypatch
):
    ada = await join(workshop.code, "Ada")
    lookups = []
    real = selectors.workshop_by_code
    monkeypatch.setattr(
        selectors, "workshop_by_code", lambda code: lookups.append(code) or real(code)
    )
    bea = await join(workshop.code.lower(), "Bea")  # codes are read in any case
    assert lookups == []
    assert bea.welcome is not None and bea.welcome["state"]["participants"] == 2
    for client in (ada, bea):
        await client.close()
    await hub.stop_all()  # a hub that stopped no longer stands for its code
    assert hub.known_workshop(workshop.code) is None
    cy = await join(workshop.code, "Cy")
    assert lookups == [workshop.code]
    await cy.close()


@pytest.mark.django_db(transaction=True)
async def test_a_revoked_screen_link_is_refused_though_the_hub_knows_the_workshop(
    workshop, facilitator
):
    key = await sync_to_async(services.screen_share)(workshop=workshop, by=facilitator)
    ada = await join(workshop.code, "Ada")  # the hub now holds the workshop as it was
    await sync_to_async(services.screen_unshare)(workshop=workshop, by=facilitator)
    screen = await connect(workshop.code)
    refused = await screen.hello(role="viewer", key=key)
    assert refused["type"] == "error" and refused["code"] == "forbidden"
    for client in (ada, screen):
        await client.close()


@pytest.mark.django_db(transaction=True)
async def test_a_socket_takes_no_trip_to_the_database_thread_per_message(workshop, monkeypatch):
    """Channels' consumers close stale connections before each message, in the database
    thread; here every database call does it itself, so a hello or a command does not
    queue there behind a join wave first."""

    async def no_trip():
        raise AssertionError("a message waited for the database thread before its handler")

    monkeypatch.setattr("channels.consumer.aclose_old_connections", no_trip)
    ada = await join(workshop.code, "Ada")
    await ada.send(type="value.add", ref="v1", text="care")
    assert (await ada.reply())["type"] == "ack"
    await ada.close()


@pytest.mark.django_db(transaction=True)
async def test_sockets_that_connect_together_look_their_workshop_up_once(workshop, monkeypatch):
    lookups = []
    real = selectors.workshop_by_code
    monkeypatch.setattr(
        selectors, "workshop_by_code", lambda code: lookups.append(code) or real(code)
    )
    found = await asyncio.gather(*(hub.workshop_for(workshop.code) for _ in range(5)))
    assert [w.pk for w in found if w is not None] == [workshop.pk] * 5
    assert lookups == [workshop.code]
    assert await hub.workshop_for("ZZZZZZ") is None  # and no such code is no workshop


def test_autobahns_debug_line_is_formatted_only_when_it_is_written(monkeypatch):
    import txaio
    from autobahn.websocket import protocol as autobahn_protocol

    assert autobahn_protocol.pformat is wire.pformat_if_logged
    assert wire.pformat_if_logged({"a": 1}) == wire.NOT_FORMATTED
    monkeypatch.setattr(txaio, "get_global_log_level", lambda: "debug")
    assert wire.pformat_if_logged({"a": 1}) == "{'a': 1}"


@pytest.mark.django_db(transaction=True)
async def test_sockets_connecting_keep_the_full_garbage_collection_away(workshop, monkeypatch):
    monkeypatch.setattr(collector, "_last_busy", 0.0)
    ada = await join(workshop.code, "Ada")
    assert time.monotonic() - collector._last_busy < collector.QUIET
    await ada.close()


async def test_the_address_check_at_connect_needs_no_thread_when_counts_are_in_memory(
    monkeypatch,
):
    def no_thread(*args, **kwargs):
        raise AssertionError("the check was handed to a thread")

    # As on one process with no REDIS_URL (CI sets it: the counts would be in Redis).
    monkeypatch.setattr(throttle, "cache", LocMemCache("join-costs", {"OPTIONS": {}}))
    monkeypatch.setattr(throttle, "sync_to_async", no_thread)
    assert not await throttle.JOIN_MISSES.exceeded_soon("10.9.9.9")
    for _ in range(throttle.JOIN_MISSES.attempts):
        throttle.JOIN_MISSES.miss("10.9.9.9")
    assert await throttle.JOIN_MISSES.exceeded_soon("10.9.9.9")
