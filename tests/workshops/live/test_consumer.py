"""Protocol v1 over a real consumer: hello, commands, acks, errors, broadcast."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from tests.workshops.live.client import connect, join
from workshops.models import Value

pytestmark = pytest.mark.django_db(transaction=True)


async def test_hello_gets_a_welcome_with_identity_token_and_state(workshop):
    client = await connect(workshop.code)
    welcome = await client.hello(name="Ada")
    assert welcome["type"] == "welcome"
    assert welcome["protocol"] == 1
    assert welcome["you"]["name"] == "Ada"
    assert welcome["you"]["role"] == "participant"
    assert isinstance(welcome["you"]["id"], int)
    assert len(welcome["token"]) >= 32
    assert welcome["seq"] == 0
    state = welcome["state"]
    assert state["workshop"]["code"] == workshop.code
    assert [p["key"] for p in state["phases"]] == ["values", "statements", "principles"]
    assert state["values"] == []
    await client.close()


async def test_join_codes_are_read_case_insensitively(workshop):
    client = await connect(workshop.code.lower())
    assert (await client.hello())["type"] == "welcome"
    await client.close()


async def test_an_unknown_code_is_not_found(db):
    client = await connect("ZZZZZZ")
    frame = await client.receive()
    assert frame["code"] == "not_found"
    assert (await client.ws.receive_output(timeout=2))["type"] == "websocket.close"


async def test_a_value_is_acked_and_broadcast_to_everyone_including_the_sender(workshop):
    ada = await join(workshop.code, "Ada")
    bob = await join(workshop.code, "Bob")
    await ada.send(type="value.add", ref="c1", text="equity")
    ack = await ada.reply()
    assert ack == {"type": "ack", "ref": "c1", "seq": 1}
    await ada.wait_for_seq(1)
    await bob.wait_for_seq(1)
    for client in (ada, bob):
        [event] = client.events
        assert event["seq"] == 1
        assert event["event"] == "value.added"
        assert event["at"].endswith("Z")
        assert event["data"]["text"] == "equity"
        assert event["data"]["key"] == "equity"
        assert event["data"]["by"] == {"id": ada.welcome["you"]["id"], "name": "Ada"}
    await ada.close()
    await bob.close()


async def test_a_statement_carries_the_whole_question(workshop, facilitator):
    host = await join(workshop.code, user=facilitator)
    assert host.welcome["you"]["role"] == "facilitator"
    await host.send(type="phase.open", ref="p1", phase="statements")
    assert (await host.reply())["type"] == "ack"
    ada = await join(workshop.code, "Ada")
    await ada.send(type="statement.add", ref="c2", activity="assessment", value="equity")
    assert (await ada.reply())["type"] == "ack"
    await ada.wait_for_seq(2)
    data = ada.events[-1]["data"]
    assert ada.events[-1]["event"] == "statement.added"
    assert data["text"] == "What might assessment look like as a practice of equity?"
    assert (data["activity"], data["value"]) == ("assessment", "equity")
    await host.close()
    await ada.close()


async def test_the_same_ref_twice_gets_the_same_ack_and_stores_once(workshop):
    ada = await join(workshop.code, "Ada")
    await ada.send(type="value.add", ref="c1", text="care")
    first = await ada.reply()
    await ada.send(type="value.add", ref="c1", text="care")
    again = await ada.reply()
    assert first == again
    assert await sync_to_async(Value.objects.count)() == 1
    await ada.close()


async def test_a_token_resumes_the_same_participant(workshop):
    first = await join(workshop.code, "Ada")
    token, you = first.welcome["token"], first.welcome["you"]
    await first.send(type="value.add", ref="c1", text="trust")
    await first.reply()
    await first.close()
    again = await connect(workshop.code)
    welcome = await again.hello(token=token)
    assert welcome["you"]["id"] == you["id"]
    assert welcome["you"]["name"] == "Ada"
    # The outbox resend after a reconnect is acknowledged, not stored twice.
    await again.send(type="value.add", ref="c1", text="trust")
    assert (await again.reply())["seq"] == 1
    assert await sync_to_async(Value.objects.count)() == 1
    await again.close()


async def test_a_bad_token_is_an_error_never_someone_elses_identity(workshop):
    await join(workshop.code, "Ada")
    client = await connect(workshop.code)
    frame = await client.hello(token="not-a-real-token")
    assert frame["type"] == "error"
    assert frame["code"] == "forbidden"
    # The socket stays open: it can still join as someone new.
    welcome = await client.hello()
    assert welcome["type"] == "welcome"
    await client.close()


async def test_since_in_the_log_replays_only_what_was_missed(workshop):
    ada = await join(workshop.code, "Ada")
    for i in range(3):
        await ada.send(type="value.add", ref=f"c{i}", text=f"value {i}")
        await ada.reply()
    bob = await connect(workshop.code)
    welcome = await bob.hello(since=1)
    assert "state" not in welcome
    assert welcome["seq"] == 3
    await bob.wait_for_seq(3)
    assert [e["seq"] for e in bob.events] == [2, 3]
    await ada.close()
    await bob.close()


async def test_since_beyond_the_log_gets_the_full_state(workshop):
    client = await connect(workshop.code)
    welcome = await client.hello(since=999)
    assert welcome["state"]["values"] == []
    await client.close()


async def test_a_state_shows_what_was_said_before_joining(workshop):
    ada = await join(workshop.code, "Ada")
    await ada.send(type="value.add", ref="c1", text="<b>x</b>")
    await ada.reply()
    bob = await join(workshop.code, "Bob")
    assert [v["text"] for v in bob.welcome["state"]["values"]] == ["<b>x</b>"]
    assert bob.welcome["seq"] == 1
    await ada.close()
    await bob.close()


async def test_six_sockets_sending_ten_values_each_receive_one_contiguous_log(workshop):
    clients = [await join(workshop.code, f"P{i}") for i in range(6)]

    async def send_ten(index, client):
        for n in range(10):
            await client.send(type="value.add", ref=f"r{n}", text=f"p{index} v{n}")
        acks = [await client.reply(timeout=10) for _ in range(10)]
        assert all(ack["type"] == "ack" for ack in acks)

    await asyncio.gather(*(send_ten(i, c) for i, c in enumerate(clients)))
    for client in clients:
        await client.wait_for_seq(60, timeout=10)
        assert [e["seq"] for e in client.events] == list(range(1, 61))
    texts = {e["data"]["text"] for e in clients[0].events}
    assert len(texts) == 60
    assert all(c.events == clients[0].events for c in clients)
    for client in clients:
        await client.close()


async def test_presence_counts_the_sockets_online(workshop):
    ada = await join(workshop.code, "Ada")
    bob = await join(workshop.code, "Bob")
    while not ada.others or ada.others[-1]["online"] != 2:
        frame = json.loads(await ada.ws.receive_from(timeout=3))
        if frame["type"] == "presence":
            ada.others.append(frame)
    assert ada.others[-1]["online"] == 2
    await bob.close()
    while ada.others[-1]["online"] != 1:
        frame = json.loads(await ada.ws.receive_from(timeout=3))
        if frame["type"] == "presence":
            ada.others.append(frame)
    await ada.close()


@pytest.mark.parametrize("origin", [None, b"null", b"http://evil.example"])
async def test_missing_null_and_foreign_origins_are_refused(workshop, origin):
    headers = [(b"origin", origin)] if origin is not None else []
    communicator = WebsocketCommunicator(application, f"/ws/j/{workshop.code}/", headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert not connected


async def test_a_frame_over_64_kib_closes_the_socket(workshop):
    ada = await join(workshop.code, "Ada")
    big = json.dumps({"type": "value.add", "ref": "big", "text": "x" * (64 * 1024)})
    await ada.ws.send_to(text_data=big)
    output = await ada.ws.receive_output(timeout=3)
    while output["type"] == "websocket.send":  # presence may come first
        assert '"ack"' not in output["text"]
        output = await ada.ws.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": 4009}


def accented_frame(letters: int) -> str:
    """A value.add of `letters` "é", sent as UTF-8 (2 bytes each), not as \\u escapes."""
    frame = {"type": "value.add", "ref": f"e{letters}", "text": "é" * letters}
    return json.dumps(frame, ensure_ascii=False)


async def test_the_64_kib_frame_limit_counts_bytes_not_characters(workshop):
    ada = await join(workshop.code, "Ada")
    # 60,000 bytes: under the limit, so it is read and answered (too long for a value).
    await ada.ws.send_to(text_data=accented_frame(30_000))
    reply = await ada.reply()
    assert (reply["ref"], reply["code"]) == ("e30000", "too_long")
    # 80,000 bytes in 40,000 characters: over the limit, however few the characters.
    await ada.ws.send_to(text_data=accented_frame(40_000))
    output = await ada.ws.receive_output(timeout=3)
    while output["type"] == "websocket.send":  # presence may come first
        assert '"e40000"' not in output["text"]
        output = await ada.ws.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": 4009}
