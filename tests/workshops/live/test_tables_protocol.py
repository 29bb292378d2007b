"""Tables through the socket: the facilitator's commands, what every phone is told, and
what a participant's welcome says of their seat."""

import pytest

from tests.workshops.live.client import connect, join

pytestmark = pytest.mark.django_db(transaction=True)


async def control_room(code, facilitator):
    client = await connect(code, user=facilitator)
    welcome = await client.hello(role="viewer")
    assert welcome["type"] == "welcome", welcome
    return client


async def event_of(client, kind):
    """The next event of `kind` this socket is sent (recording the others)."""
    while True:
        for event in client.events:
            if event["event"] == kind:
                client.events.remove(event)
                return event
        await client.receive()


async def test_tables_formed_through_the_socket_reach_every_phone(workshop, facilitator):
    people = [await join(workshop.code, name) for name in ("Ada", "Bob", "Cy", "Di")]
    control = await control_room(workshop.code, facilitator)
    await control.send(type="tables.form", ref="t1", size=2)
    ack = await control.reply()
    assert ack["type"] == "ack", ack
    ids = {client.welcome["you"]["id"]: client.welcome["you"]["name"] for client in people}
    for client in people:
        formed = await event_of(client, "tables.formed")
        tables = formed["data"]["tables"]
        assert len(tables) == 2 and all(len(table["members"]) == 2 for table in tables)
        assert {p["id"]: p["name"] for p in formed["data"]["people"]} == ids
        assert "actor" not in formed  # the room reads what happened, not who pressed it
    for client in (*people, control):
        await client.close()


async def test_a_late_joiner_is_told_their_table_in_the_welcome_and_everyone_hears_it(
    workshop, facilitator
):
    ada = await join(workshop.code, "Ada")
    control = await control_room(workshop.code, facilitator)
    await control.send(type="tables.form", ref="t1", count=2)
    assert (await control.reply())["type"] == "ack"
    ada_table = (await event_of(ada, "tables.formed"))["data"]["tables"]
    late = await join(workshop.code, "Late")
    empty = next(table["id"] for table in ada_table if not table["members"])
    assert late.welcome["you"]["table"] == empty
    assert {"id": late.welcome["you"]["id"], "name": "Late"} in late.welcome["state"]["people"]
    changed = await event_of(ada, "table.changed")
    assert changed["data"] == {
        "participant": late.welcome["you"]["id"],
        "table": empty,
        "name": "Late",
    }
    for client in (ada, late, control):
        await client.close()


async def test_a_participant_who_reconnects_is_welcomed_back_at_their_table(workshop, facilitator):
    ada = await join(workshop.code, "Ada")
    token = ada.welcome["token"]
    control = await control_room(workshop.code, facilitator)
    await control.send(type="tables.form", ref="t1", count=3)
    assert (await control.reply())["type"] == "ack"
    seat = next(
        table["id"]
        for table in (await event_of(ada, "tables.formed"))["data"]["tables"]
        if table["members"]
    )
    await ada.close()
    again = await connect(workshop.code)
    welcome = await again.hello(token=token)
    assert welcome["you"]["table"] == seat
    for client in (again, control):
        await client.close()


async def test_a_move_and_a_value_carry_the_table_and_ending_brings_everyone_back(
    workshop, facilitator
):
    ada = await join(workshop.code, "Ada")
    control = await control_room(workshop.code, facilitator)
    await control.send(type="tables.form", ref="t1", count=2)
    assert (await control.reply())["type"] == "ack"
    tables = (await event_of(ada, "tables.formed"))["data"]["tables"]
    other = next(table["id"] for table in tables if not table["members"])
    await control.send(
        type="table.move", ref="t2", participant=ada.welcome["you"]["id"], table=other
    )
    assert (await control.reply())["type"] == "ack"
    await ada.send(type="value.add", ref="v1", text="equity")
    assert (await ada.reply())["type"] == "ack"
    added = await event_of(ada, "value.added")
    assert added["data"]["table"] == other
    await control.send(type="table.rename", ref="t3", table=other, name="Optimists")
    assert (await control.reply())["type"] == "ack"
    await control.send(type="tables.end", ref="t4")
    assert (await control.reply())["type"] == "ack"
    assert (await event_of(ada, "table.renamed"))["data"] == {"table": other, "name": "Optimists"}
    assert sorted((await event_of(ada, "tables.ended"))["data"]["tables"]) == sorted(
        table["id"] for table in tables
    )
    for client in (ada, control):
        await client.close()


async def test_a_participant_cannot_form_tables_and_bad_sizes_are_invalid(workshop, facilitator):
    ada = await join(workshop.code, "Ada")
    await ada.send(type="tables.form", ref="t1", size=4)
    assert (await ada.reply())["code"] == "forbidden"
    control = await control_room(workshop.code, facilitator)
    for ref, fields in (("a", {"size": 1}), ("b", {"count": 501}), ("c", {})):
        await control.send(type="tables.form", ref=ref, **fields)
        refused = await control.reply()
        assert (refused["type"], refused["code"]) == ("error", "invalid"), refused
    await control.send(type="table.move", ref="d", participant=ada.welcome["you"]["id"], table=1)
    assert (await control.reply())["code"] == "invalid"  # no tables formed
    for client in (ada, control):
        await client.close()
