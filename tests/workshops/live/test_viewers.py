"""Screens are not people: a projector or a control room says hello as a viewer, sees
what its sign-in or secret link allows, and is counted nowhere."""

import asyncio

import pytest
from channels.db import database_sync_to_async as sync_to_async

from tests.workshops.live.client import connect, join
from workshops import services
from workshops.models import Event, Participant

pytestmark = pytest.mark.django_db(transaction=True)


async def viewer(code, **kwargs):
    """A socket that said hello as a viewer (kwargs: user for connect, key for hello)."""
    key = kwargs.pop("key", None)
    client = await connect(code, **kwargs)
    welcome = await client.hello(role="viewer", key=key)
    return client, welcome


async def people_rows(workshop):
    return await sync_to_async(Participant.objects.filter(workshop=workshop).count)()


async def presence_with(client, **expected):
    """Read presence frames until one says what is expected (or time out)."""
    while True:
        frame = await client.receive_presence()
        if all(frame.get(name) == value for name, value in expected.items()):
            return frame


async def test_a_projector_through_its_secret_link_creates_nobody(workshop, facilitator):
    key = await sync_to_async(services.screen_share)(workshop=workshop, by=facilitator)
    rows = await people_rows(workshop)  # the facilitator's, who shared it (the log's actor)
    screen, welcome = await viewer(workshop.code, key=key)
    assert welcome["type"] == "welcome", welcome
    assert welcome["you"]["role"] == "viewer"
    assert welcome["you"]["sees"] == "participant"
    assert welcome["token"] is None
    assert welcome["state"]["participants"] == 0
    assert await people_rows(workshop) == rows
    await screen.close()


async def test_a_projector_and_a_control_room_are_not_counted_online(workshop, facilitator):
    key = await sync_to_async(services.screen_share)(workshop=workshop, by=facilitator)
    screen, _ = await viewer(workshop.code, key=key)
    control, _ = await viewer(workshop.code, user=facilitator)
    ada = await join(workshop.code, "Ada")
    frame = await presence_with(control, joined=1)
    assert frame["online"] == 1
    assert (await presence_with(screen, online=1))["joined"] == 1
    for client in (screen, control, ada):
        await client.close()


async def test_the_control_room_hears_live_how_many_have_joined(workshop, facilitator):
    control, welcome = await viewer(workshop.code, user=facilitator)
    assert welcome["state"]["participants"] == 0
    ada = await join(workshop.code, "Ada")
    bob = await join(workshop.code, "Bob")
    frame = await presence_with(control, joined=2)
    assert frame["online"] == 2
    for client in (control, ada, bob):
        await client.close()


async def test_a_viewer_without_sign_in_or_screen_link_is_refused(workshop, facilitator):
    await sync_to_async(services.screen_share)(workshop=workshop, by=facilitator)
    rows = await people_rows(workshop)
    for key in (None, "", "wrong", 42):
        stranger, refused = await viewer(workshop.code, key=key)
        assert (refused["type"], refused["code"]) == ("error", "forbidden"), refused
        await stranger.close()
    assert await people_rows(workshop) == rows


async def test_a_facilitators_screen_sees_what_awaits_approval_and_a_linked_one_does_not(
    workshop, facilitator, host, ada
):
    await sync_to_async(services.moderation_set)(participant=host, premoderated=True)
    await sync_to_async(services.value_add)(participant=ada, text="care")
    key = await sync_to_async(services.screen_share)(workshop=workshop, by=facilitator)
    _, private = await viewer(workshop.code, user=facilitator)
    _, public = await viewer(workshop.code, key=key)
    assert private["you"]["sees"] == "facilitator"
    assert [v["text"] for v in private["state"]["values"]] == ["care"]
    assert public["state"]["values"] == []


async def test_the_control_room_opens_a_phase_as_its_facilitator_without_joining(
    workshop, facilitator
):
    control, _ = await viewer(workshop.code, user=facilitator)
    assert await people_rows(workshop) == 0  # watching creates nobody
    await control.send(type="phase.open", ref="c1", phase="statements")
    ack = await control.reply()
    assert ack["type"] == "ack", ack
    event = await sync_to_async(Event.objects.select_related("actor").get)(seq=ack["seq"])
    assert event.actor.user_id == facilitator.pk
    assert event.actor.role == "facilitator"
    joined = await sync_to_async(Participant.objects.filter(role="participant").count)()
    assert joined == 0
    await control.close()


async def test_a_projector_through_its_link_cannot_send_commands(workshop, facilitator):
    key = await sync_to_async(services.screen_share)(workshop=workshop, by=facilitator)
    rows = await people_rows(workshop)
    screen, _ = await viewer(workshop.code, key=key)
    await screen.send(type="value.add", ref="c1", text="care")
    refused = await screen.reply()
    assert (refused["type"], refused["code"]) == ("error", "forbidden")
    assert await people_rows(workshop) == rows
    await screen.close()


async def test_a_hello_with_an_unknown_role_is_invalid(workshop):
    client = await connect(workshop.code)
    refused = await client.hello(role="projector")
    assert (refused["type"], refused["code"]) == ("error", "invalid")
    await client.close()


async def test_a_removed_co_facilitators_control_room_stops_seeing_pending_contributions(
    workshop, facilitator, outsider, host
):
    await sync_to_async(services.workshop_member_add)(
        workshop=workshop, by=facilitator, username=outsider.username, role="facilitator"
    )
    await sync_to_async(services.moderation_set)(participant=host, premoderated=True)
    control, welcome = await viewer(workshop.code, user=outsider)
    assert welcome["you"]["sees"] == "facilitator"
    await sync_to_async(services.workshop_member_remove)(
        workshop=workshop, by=facilitator, user_id=outsider.pk
    )
    await asyncio.sleep(0.3)  # the hub hears of it through the channel layer
    ada = await join(workshop.code, "Ada")
    await ada.send(type="value.add", ref="a", text="awaiting approval")
    added = await ada.reply()
    await control.wait_for_seq(added["seq"])
    assert control.events[-1]["data"] == {"id": control.events[-1]["data"]["id"]}
    for client in (control, ada):
        await client.close()


async def test_a_control_room_command_during_a_database_restart_is_unavailable_not_lost(
    workshop, facilitator, monkeypatch
):
    from django.db import OperationalError

    control, _ = await viewer(workshop.code, user=facilitator)

    def restarting(**kwargs):
        raise OperationalError("the database is restarting")

    monkeypatch.setattr(services, "facilitator_participant", restarting)
    await control.send(type="phase.open", ref="c1", phase="statements")
    refused = await control.reply()
    assert (refused["type"], refused["code"]) == ("error", "unavailable")
    monkeypatch.undo()
    await control.send(type="phase.open", ref="c1", phase="statements")  # the client resends
    assert (await control.reply())["type"] == "ack"
    await control.close()
