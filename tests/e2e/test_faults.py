"""Faults with two server processes on PostgreSQL and Redis: nothing accepted is lost.

Clients here behave like static/js/live.js: an outbox of unacknowledged commands, resent
with the same refs after reconnecting (with token and since) to whichever server is up.
"""

import asyncio
from collections import Counter

import pytest
from channels.db import database_sync_to_async

from tests.conftest import needs
from workshops.models import Value, Workshop

from .conftest import LiveServer
from .wsclient import Attendee

pytestmark = pytest.mark.django_db(transaction=True)


async def send_values(attendee, prefix, count, survivors):
    """Send `count` values, reconnecting to a surviving server whenever the socket drops."""
    for n in range(count):
        if not attendee.connected:
            attendee.use(survivors[0].ws_url)
            await attendee.rejoin()
        await attendee.post(type="value.add", ref=f"{prefix}-{n}", text=f"{prefix} {n}")
        await asyncio.sleep(0.03)
    deadline = asyncio.get_running_loop().time() + 30
    while attendee.outbox:
        assert asyncio.get_running_loop().time() < deadline, attendee.outbox
        if not attendee.connected:
            attendee.use(survivors[0].ws_url)
            await attendee.rejoin()
        await asyncio.sleep(0.05)


async def assert_everyone_agrees(attendees, expected_texts):
    stored = await database_sync_to_async(
        lambda: list(Value.objects.values_list("text", flat=True))
    )()
    counts = Counter(stored)
    assert set(counts) == set(expected_texts)
    assert all(n == 1 for n in counts.values()), [t for t, n in counts.items() if n > 1]
    last = await database_sync_to_async(
        lambda: Workshop.objects.values_list("last_seq", flat=True).get()
    )()
    for attendee in attendees:
        if not attendee.connected:
            await attendee.rejoin()
        await attendee.wait_for_seq(last, timeout=15)
    orders = {tuple(e["seq"] for e in a.events) for a in attendees}
    assert orders == {tuple(range(1, last + 1))}
    contents = {tuple(e["data"].get("text") for e in a.events) for a in attendees}
    assert len(contents) == 1


async def test_killing_one_server_mid_session_loses_nothing(server, second_server, workshop):
    needs("postgres", "redis")
    attendees = [
        Attendee([server, second_server][i % 2].ws_url, workshop.code, f"P{i}") for i in range(4)
    ]
    for attendee in attendees:
        await attendee.join()

    async def kill_midway():
        await asyncio.sleep(0.3)
        server.stop(kill=True)

    await asyncio.gather(
        kill_midway(),
        *(send_values(a, f"p{i}", 20, [second_server]) for i, a in enumerate(attendees)),
    )
    expected = {f"p{i} {n}" for i in range(4) for n in range(20)}
    await assert_everyone_agrees(attendees, expected)
    for attendee in attendees:
        await attendee.close()


async def test_restarting_redis_mid_session_loses_nothing(
    private_redis, workshop, transactional_db
):
    needs("postgres", "redis")
    servers = [LiveServer(env={"REDIS_URL": private_redis.url}) for _ in range(2)]
    for each in servers:
        each.start()
    try:
        attendees = [Attendee(servers[i % 2].ws_url, workshop.code, f"P{i}") for i in range(4)]
        for attendee in attendees:
            await attendee.join()
        await asyncio.gather(
            *(send_values(a, f"a{i}", 5, servers) for i, a in enumerate(attendees))
        )

        private_redis.stop()
        await asyncio.sleep(0.5)
        private_redis.start()

        await asyncio.gather(
            *(send_values(a, f"b{i}", 5, servers) for i, a in enumerate(attendees))
        )
        expected = {f"{p}{i} {n}" for p in "ab" for i in range(4) for n in range(5)}
        await assert_everyone_agrees(attendees, expected)
        for attendee in attendees:
            await attendee.close()
    finally:
        for each in servers:
            each.stop()


async def test_values_sent_while_redis_is_down_are_stored_and_none_is_refused(
    private_redis, workshop, transactional_db
):
    """Redis is a doorbell and a throttle counter: while it is away, the database still
    stores every contribution and the log poll delivers it to the other process."""
    needs("postgres", "redis")
    servers = [LiveServer(env={"REDIS_URL": private_redis.url}) for _ in range(2)]
    for each in servers:
        each.start()
    try:
        attendees = [Attendee(servers[i % 2].ws_url, workshop.code, f"P{i}") for i in range(4)]
        for attendee in attendees:
            await attendee.join()
        private_redis.stop()
        await asyncio.gather(
            *(send_values(a, f"c{i}", 5, servers) for i, a in enumerate(attendees))
        )
        refused = [r for a in attendees for r in a.replies.values() if r["type"] != "ack"]
        assert refused == []
        expected = {f"c{i} {n}" for i in range(4) for n in range(5)}
        await assert_everyone_agrees(attendees, expected)
        private_redis.start()
        for attendee in attendees:
            await attendee.close()
    finally:
        for each in servers:
            each.stop()
