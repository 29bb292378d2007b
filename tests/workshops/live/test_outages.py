"""Redis restarting, the database blinking, a workshop purged by another process: what
people typed is stored or sent again by itself, never refused as `invalid`."""

import asyncio
import logging

import pytest
import redis.exceptions
from channels.db import database_sync_to_async as sync_to_async
from channels.layers import get_channel_layer
from django.db import OperationalError

from tests.workshops.live.client import join
from workshops.live import hub as fanout
from workshops.live import protocol, throttle
from workshops.models import Value, Workshop

pytestmark = pytest.mark.django_db(transaction=True)


class RedisAway:
    """Stands in for a cache or a channel layer whose Redis is restarting."""

    def __getattr__(self, name):
        def unreachable(*args, **kwargs):
            raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379.")

        return unreachable


async def layer_away(*args, **kwargs):
    raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379.")


@pytest.fixture
def redis_away(monkeypatch):
    """The throttle's counts and the channel layer both unreachable, as during a restart;
    the layer is treated as one that reaches other processes (as Redis does)."""
    monkeypatch.setattr(throttle, "cache", RedisAway())
    monkeypatch.setattr(throttle, "_counts", throttle._Counts())
    monkeypatch.setattr(fanout, "_in_memory", lambda layer: False)
    monkeypatch.setattr(fanout.DOORBELL, "away", False)
    monkeypatch.setattr(fanout.LISTENING, "away", False)
    layer = get_channel_layer()
    for method in ("group_send", "group_add", "group_discard", "receive"):
        monkeypatch.setattr(layer, method, layer_away)


async def test_a_value_sent_while_redis_restarts_is_stored_acked_and_shown(workshop, redis_away):
    ada = await join(workshop.code, "Ada")
    await ada.send(type="value.add", ref="c1", text="equity")
    assert await ada.reply() == {"type": "ack", "ref": "c1", "seq": 1}
    await ada.wait_for_seq(1)
    assert [e["data"]["text"] for e in ada.events] == ["equity"]
    assert await sync_to_async(Value.objects.filter(workshop=workshop, text="equity").count)() == 1
    await ada.close()


async def test_a_value_is_stored_while_only_the_throttle_counts_are_unreachable(
    workshop, monkeypatch
):
    monkeypatch.setattr(throttle, "_counts", throttle._Counts())
    ada = await join(workshop.code, "Ada")
    monkeypatch.setattr(throttle, "cache", RedisAway())
    await ada.send(type="value.add", ref="c1", text="equity")
    assert await ada.reply() == {"type": "ack", "ref": "c1", "seq": 1}
    await ada.close()


async def test_the_throttle_still_slows_a_flood_while_redis_is_away(workshop, redis_away):
    ada = await join(workshop.code, "Ada")
    codes = []
    for n in range(25):
        await ada.send(type="value.add", ref=f"c{n}", text=f"v{n}")
        codes.append((await ada.reply()).get("code"))
    assert codes[:20] == [None] * 20  # the burst a person gets
    assert "rate_limited" in codes[20:]  # counted in this process meanwhile
    await ada.close()


async def test_a_doorbell_that_fails_after_commit_is_logged_once(workshop, redis_away, caplog):
    ada = await join(workshop.code, "Ada")
    with caplog.at_level(logging.WARNING, logger="workshops"):
        for n in range(3):
            await ada.send(type="value.add", ref=f"c{n}", text=f"v{n}")
            assert (await ada.reply())["type"] == "ack"
        await ada.wait_for_seq(3)
        await asyncio.sleep(0.05)
    doorbells = [r for r in caplog.records if "doorbell" in r.getMessage()]
    assert len(doorbells) == 1, [r.getMessage() for r in caplog.records]
    await ada.close()


async def test_a_command_the_database_cannot_store_for_now_is_unavailable_not_invalid(
    workshop, monkeypatch
):
    def database_restarting(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    adding = protocol.COMMANDS["value.add"]
    monkeypatch.setitem(
        protocol.COMMANDS, "value.add", protocol.Command(database_restarting, adding.fields)
    )
    ada = await join(workshop.code, "Ada")
    await ada.send(type="value.add", ref="c1", text="equity")
    error = await ada.reply()
    assert (error["type"], error["code"]) == ("error", "unavailable")
    monkeypatch.setitem(protocol.COMMANDS, "value.add", adding)
    await ada.send(type="value.add", ref="c1", text="equity")  # what live.js does by itself
    assert await ada.reply() == {"type": "ack", "ref": "c1", "seq": 1}
    await ada.close()


async def test_sockets_are_closed_with_4404_when_another_process_deletes_the_workshop(
    workshop, monkeypatch
):
    """A cron purge with the in-memory layer (or Redis away) announces nothing here."""
    monkeypatch.setattr(fanout, "POLL_INTERVAL", 0.1)
    ada = await join(workshop.code, "Ada")
    await ada.receive_presence()
    await sync_to_async(Workshop.objects.filter(pk=workshop.pk).delete)()
    error = await ada.receive(timeout=2)
    assert (error["type"], error["code"]) == ("error", "not_found")
    closing = await ada.ws.receive_output(timeout=2)
    assert closing == {"type": "websocket.close", "code": 4404}
