"""Each error code of protocol v1 comes from the input that should produce it, and
none of them closes the socket or changes anything."""

import pytest
from channels.db import database_sync_to_async as sync_to_async

from tests.workshops.live.client import join
from workshops.live import protocol
from workshops.models import Event

pytestmark = pytest.mark.django_db(transaction=True)


async def expect_error(client, code, **frame):
    await client.send(**frame)
    reply = await client.reply()
    assert reply["type"] == "error", reply
    assert reply["code"] == code
    assert reply["message"]
    assert reply["ref"] == frame.get("ref")
    return reply


async def event_count():
    return await sync_to_async(Event.objects.count)()


async def test_frames_that_are_not_json_objects_are_bad_json(workshop):
    ada = await join(workshop.code, "Ada")
    for raw in ["not json", "[1, 2]", '"hello"', "{"]:
        await ada.ws.send_to(text_data=raw)
        reply = await ada.reply()
        assert reply["code"] == "bad_json"
    await ada.close()


async def test_unknown_types_are_unknown_type(workshop):
    ada = await join(workshop.code, "Ada")
    await expect_error(ada, "unknown_type", type="value.explode", ref="c1")
    await ada.close()


async def test_mistyped_fields_are_invalid(workshop):
    ada = await join(workshop.code, "Ada")
    await expect_error(ada, "invalid", type="value.add", ref="c1", text=42)
    await expect_error(ada, "invalid", type="value.add", ref={"a": 1}, text="x")
    await expect_error(ada, "invalid", type="vote.cast", ref="c2", target="statement 3")
    assert await event_count() == 0
    await ada.close()


async def test_empty_and_too_long_text(workshop):
    ada = await join(workshop.code, "Ada")
    await expect_error(ada, "empty", type="value.add", ref="c1", text="   ")
    await expect_error(ada, "too_long", type="value.add", ref="c2", text="x" * 81)
    assert await event_count() == 0
    await ada.close()


async def test_statements_before_their_phase_are_phase_closed(workshop):
    ada = await join(workshop.code, "Ada")
    await expect_error(
        ada, "phase_closed", type="statement.add", ref="c1", activity="assessment", value="equity"
    )
    await ada.close()


async def test_participants_cannot_use_facilitator_commands(workshop):
    ada = await join(workshop.code, "Ada")
    await expect_error(ada, "forbidden", type="phase.open", ref="c1", phase="statements")
    await expect_error(ada, "forbidden", type="value.hide", ref="c2", id=1)
    assert await event_count() == 0
    await ada.close()


async def test_commands_before_hello_are_forbidden(workshop):
    from tests.workshops.live.client import connect

    client = await connect(workshop.code)
    await expect_error(client, "forbidden", type="value.add", ref="c1", text="equity")
    await client.close()


async def test_unknown_ids_and_phases_are_not_found(workshop, facilitator):
    host = await join(workshop.code, user=facilitator)
    await expect_error(host, "not_found", type="phase.open", ref="c1", phase="dancing")
    await expect_error(host, "not_found", type="value.hide", ref="c2", id=12345)
    await host.close()


async def test_votes_past_the_budget_are_over_budget(workshop, facilitator):
    host = await join(workshop.code, user=facilitator)
    await host.send(type="phase.open", ref="p1", phase="statements")
    await host.reply()
    ada = await join(workshop.code, "Ada")
    await ada.send(type="statement.add", ref="s1", activity="assessment", value="equity")
    ack = await ada.reply()
    await ada.wait_for_seq(ack["seq"])
    statement_id = ada.events[-1]["data"]["id"]
    target = {"kind": "statement", "id": statement_id}
    for n in range(3):
        await ada.send(type="vote.cast", ref=f"v{n}", target=target)
        assert (await ada.reply())["type"] == "ack"
    await expect_error(ada, "over_budget", type="vote.cast", ref="v3", target=target)
    await host.close()
    await ada.close()


async def test_a_flood_of_commands_is_rate_limited_but_a_quick_human_is_not(workshop):
    ada = await join(workshop.code, "Ada")
    bob = await join(workshop.code, "Bob")
    for n in range(20):  # the burst is always accepted
        await ada.send(type="value.add", ref=f"c{n}", text=f"idea {n}")
    replies = [await ada.reply() for _ in range(20)]
    assert [r["type"] for r in replies] == ["ack"] * 20
    for n in range(20, 30):
        await ada.send(type="value.add", ref=f"c{n}", text=f"idea {n}")
    replies = [await ada.reply() for _ in range(10)]
    assert "rate_limited" in {r.get("code") for r in replies}
    # Somebody else is not slowed down by Ada's flood.
    await bob.send(type="value.add", ref="b1", text="calm")
    assert (await bob.reply())["type"] == "ack"
    await ada.close()
    await bob.close()


async def test_a_facilitator_who_signs_out_elsewhere_loses_their_powers_at_once(
    workshop, facilitator
):
    from django.contrib.sessions.models import Session

    host = await join(workshop.code, user=facilitator)
    await host.send(type="phase.open", ref="p1", phase="statements")
    assert (await host.reply())["type"] == "ack"
    await sync_to_async(Session.objects.all().delete)()  # signed out in another tab
    await expect_error(host, "forbidden", type="phase.close", ref="p2", phase="statements")
    await host.close()


@pytest.mark.parametrize(
    "kind", sorted(k for k, command in protocol.COMMANDS.items() if command.facilitator_only)
)
async def test_every_facilitator_command_is_forbidden_to_participants(workshop, kind):
    ada = await join(workshop.code, "Ada")
    await expect_error(ada, "forbidden", type=kind, ref="c1", id=1, phase="values")
    assert await event_count() == 0
    await ada.close()


async def test_a_retried_ref_stores_nothing_new_whatever_the_command(workshop, facilitator):
    host = await join(workshop.code, user=facilitator)
    for ref, phase in [("p1", "statements"), ("p2", "principles")]:
        await host.send(type="phase.open", ref=ref, phase=phase)
        await host.reply()
    ada = await join(workshop.code, "Ada")
    await ada.send(type="statement.add", ref="s1", activity="assessment", value="equity")
    first = await ada.reply()
    await ada.wait_for_seq(first["seq"])
    statement_id = ada.events[-1]["data"]["id"]
    commands_to_retry = [
        {"type": "statement.add", "activity": "assessment", "value": "equity"},
        {"type": "vote.cast", "target": {"kind": "statement", "id": statement_id}},
        {"type": "principle.propose", "title": "Care", "sources": [statement_id]},
    ]
    for n, frame in enumerate(commands_to_retry):
        await ada.send(ref=f"r{n}", **frame)
        ack = await ada.reply()
        before = await event_count()
        await ada.send(ref=f"r{n}", **frame)
        assert await ada.reply() == ack
        assert await event_count() == before
    await host.close()
    await ada.close()


async def still_alive(client) -> None:
    """The socket still answers: a good command after the bad frame is stored and acked."""
    await client.send(type="value.add", ref="alive", text="still here")
    assert (await client.reply())["type"] == "ack"


async def test_deeply_nested_json_is_bad_json_and_the_socket_lives(workshop):
    ada = await join(workshop.code, "Ada")
    await ada.ws.send_to(text_data="[" * 30_000 + "]" * 30_000)
    reply = await ada.reply()
    assert (reply["type"], reply["code"], reply["ref"]) == ("error", "bad_json", None)
    await ada.ws.send_to(text_data='{"type": "value.add", "x": ' + "[" * 5_000 + "]" * 5_000 + "}")
    assert (await ada.reply())["code"] == "bad_json"
    await still_alive(ada)
    await ada.close()


@pytest.mark.parametrize("kind", [["value.add"], {"value": "add"}, 7, None])
async def test_a_type_that_is_not_text_is_unknown_type_and_the_socket_lives(workshop, kind):
    ada = await join(workshop.code, "Ada")
    await expect_error(ada, "unknown_type", type=kind, ref="c1", text="care")
    await still_alive(ada)
    assert await event_count() == 1
    await ada.close()


@pytest.mark.parametrize("field", ["ref", "text"])
async def test_a_lone_surrogate_in_a_command_is_invalid_and_the_socket_lives(workshop, field):
    ada = await join(workshop.code, "Ada")
    await ada.send(**{"type": "value.add", "ref": "c1", "text": "care", field: "x\ud800"})
    reply = await ada.reply()
    assert (reply["type"], reply["code"], reply["ref"]) == ("error", "invalid", None)
    assert reply["message"]
    await still_alive(ada)
    assert await event_count() == 1
    await ada.close()


async def test_a_lone_surrogate_in_the_hello_name_is_invalid_and_hello_can_be_retried(workshop):
    from tests.workshops.live.client import connect

    client = await connect(workshop.code)
    refused = await client.hello(name="Ada\udfff")
    assert (refused["type"], refused["code"]) == ("error", "invalid")
    welcome = await client.hello(name="Ada")
    assert welcome["type"] == "welcome"
    assert welcome["you"]["name"] == "Ada"
    await still_alive(client)
    await client.close()
