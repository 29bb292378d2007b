"""The live engine through real daphne processes, as browsers reach it."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from tests.conftest import needs
from workshops import services
from workshops.models import Value

from .wsclient import Attendee

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def code(workshop):
    return workshop.code


async def test_a_participant_whose_connection_drops_catches_up_on_what_was_said(server, code):
    ada, bob = Attendee(server.ws_url, code, "Ada"), Attendee(server.ws_url, code, "Bob")
    await ada.join()
    await bob.join()
    assert (await ada.command(type="value.add", ref="a1", text="equity"))["type"] == "ack"
    await bob.wait_for_seq(1)

    server.stop()
    await bob.closed()
    await ada.closed()
    server.start()
    await ada.join()
    for n in range(3):
        await ada.command(type="value.add", ref=f"a{n + 2}", text=f"said meanwhile {n}")

    welcome = await bob.join()  # same token, since=1
    assert "state" not in welcome
    assert welcome["you"]["name"] == "Bob"
    await bob.wait_for_seq(4)
    assert [e["data"]["text"] for e in bob.events] == [
        "equity",
        "said meanwhile 0",
        "said meanwhile 1",
        "said meanwhile 2",
    ]
    await ada.close()
    await bob.close()


async def test_a_command_retried_after_a_restart_is_stored_once(server, code):
    ada = Attendee(server.ws_url, code, "Ada")
    await ada.join()
    first = await ada.command(type="value.add", ref="same", text="trust")
    server.stop()
    await ada.closed()
    server.start()
    await ada.join()
    again = await ada.command(type="value.add", ref="same", text="trust")
    assert again["seq"] == first["seq"]
    assert await database_sync_to_async(Value.objects.count)() == 1
    await ada.close()


async def test_two_server_processes_deliver_the_same_events_in_the_same_order(
    server, second_server, code
):
    needs("postgres", "redis")
    servers = [server, second_server]
    attendees = [Attendee(servers[i % 2].ws_url, code, f"P{i}") for i in range(6)]
    for attendee in attendees:
        await attendee.join()

    async def send_ten(index, attendee):
        for n in range(10):
            reply = await attendee.command(type="value.add", ref=f"r{n}", text=f"p{index} v{n}")
            assert reply["type"] == "ack", reply

    await asyncio.gather(*(send_ten(i, a) for i, a in enumerate(attendees)))
    for attendee in attendees:
        await attendee.wait_for_seq(60)
    orders = {tuple(e["data"]["id"] for e in a.events) for a in attendees}
    assert len(orders) == 1
    assert [e["seq"] for e in attendees[0].events] == list(range(1, 61))
    for attendee in attendees:
        await attendee.close()


async def test_a_change_made_outside_any_socket_reaches_every_process(
    server, second_server, workshop, facilitator
):
    """A management command or the admin writes through the same services."""
    needs("postgres", "redis")
    one = Attendee(server.ws_url, workshop.code)
    two = Attendee(second_server.ws_url, workshop.code)
    await one.join()
    await two.join()
    host = await database_sync_to_async(services.participant_join)(
        workshop=workshop, user=facilitator
    )
    await database_sync_to_async(services.phase_open)(participant=host[0], phase="statements")
    await one.wait_for_seq(1, timeout=5)
    await two.wait_for_seq(1, timeout=5)
    assert one.events[0]["event"] == two.events[0]["event"] == "phase.opened"
    await one.close()
    await two.close()


async def test_the_server_closes_a_socket_that_sends_a_frame_over_64_kib(server, code):
    import websockets

    ada = Attendee(server.ws_url, code, "Ada")
    await ada.join()
    await ada.ws.send('{"type": "value.add", "ref": "big", "text": "' + "x" * 70_000 + '"}')
    await ada.closed()
    assert ada.ws.close_code == 4009
    assert "big" not in ada.replies
    with pytest.raises(websockets.ConnectionClosed):
        await ada.ws.send("{}")


async def test_a_foreign_origin_is_refused_at_the_handshake(server, code):
    import websockets

    with pytest.raises(websockets.InvalidStatus):
        await websockets.connect(f"{server.ws_url}/ws/j/{code}/", origin="http://evil.example")


async def test_a_socket_that_stops_reading_does_not_hold_up_the_others(server, code):
    stalled, fast = Attendee(server.ws_url, code, "Stalled"), Attendee(server.ws_url, code, "Fast")
    await stalled.join()
    await fast.join()
    stalled.ws.transport.pause_reading()
    for n in range(20):  # the throttle's burst: all accepted at once
        await fast.post(type="value.add", ref=f"f{n}", text=f"{n:02d} " + "x" * 70)
    await fast.wait_for_seq(20, timeout=5)
    assert stalled.seq == 0  # it really was not reading
    stalled.ws.transport.resume_reading()
    await stalled.wait_for_seq(20, timeout=10)
    assert [e["seq"] for e in stalled.events] == list(range(1, 21))
    await stalled.close()
    await fast.close()
