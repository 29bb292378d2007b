"""A socket that never says hello is closed, so idle connections cannot pile up."""

import asyncio
import time

import pytest

from tests.workshops.live.client import connect, join
from workshops.live.consumer import CLOSE_NO_HELLO

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def short_hello_timeout(settings):
    settings.HELLO_TIMEOUT = 0.3


async def closed_with(client) -> int:
    while True:
        output = await client.ws.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            return output["code"]


async def test_a_socket_that_never_says_hello_is_closed(workshop, short_hello_timeout):
    client = await connect(workshop.code)
    assert await closed_with(client) == CLOSE_NO_HELLO


async def test_a_socket_whose_hello_was_refused_is_still_closed_in_time(
    workshop, short_hello_timeout
):
    client = await connect(workshop.code)
    refused = await client.hello(token="not-a-token")
    assert (refused["type"], refused["code"]) == ("error", "forbidden")
    assert await closed_with(client) == CLOSE_NO_HELLO


async def test_a_socket_that_said_hello_stays_open_past_the_timeout(workshop, short_hello_timeout):
    ada = await join(workshop.code, "Ada")
    await asyncio.sleep(0.6)
    await ada.send(type="value.add", ref="c1", text="care")
    assert (await ada.reply())["type"] == "ack"
    await ada.close()


async def test_a_hello_answered_slowly_in_a_join_wave_is_still_welcomed(
    workshop, short_hello_timeout, monkeypatch
):
    from workshops.live import consumer

    build = consumer._participants_hello

    def slow_build(*args, **kwargs):
        time.sleep(0.6)  # the database thread busy with a thousand other joiners
        return build(*args, **kwargs)

    monkeypatch.setattr(consumer, "_participants_hello", slow_build)
    ada = await join(workshop.code, "Ada")
    await ada.send(type="value.add", ref="c1", text="care")
    assert (await ada.reply())["type"] == "ack"
    await ada.close()
