"""A phase's notes are the facilitator's script: facilitators' sockets read them, a
participant's or a shared screen's never do, neither in a welcome (the state shared
per audience, workshops/live/welcome.py) nor in any event, live or caught up."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from tests.workshops.live.client import connect, join
from workshops import services

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = "SECRET-SCRIPT: read the example aloud, then open."
EDITED = "SECRET-EDIT: ask for votes after ten minutes."


@database_sync_to_async
def a_workshop_from_a_design(facilitator):
    workshop = services.workshop_create(
        title="Horizons", template="three-horizons", facilitator=facilitator
    )
    host, _token = services.participant_join(workshop=workshop, user=facilitator)
    services.phase_update(participant=host, phase="horizons", notes=SCRIPT)
    screen_key = services.screen_share(workshop=workshop, by=facilitator)
    return workshop, screen_key


def said(client) -> str:
    return json.dumps([client.welcome, client.events])


async def test_a_participant_never_receives_a_phases_notes(facilitator):
    workshop, screen_key = await a_workshop_from_a_design(facilitator)
    host = await join(workshop.code, user=facilitator)
    ada = await join(workshop.code, "Ada")
    # A screen opened with the secret link reads as the room does.
    screen = await connect(workshop.code)
    await screen.hello(role="viewer", key=screen_key)
    assert screen.welcome["type"] == "welcome"
    # The first welcomes, built for each audience and shared: the room's has no notes.
    assert SCRIPT in json.dumps(host.welcome)
    [horizons] = [p for p in host.welcome["state"]["phases"] if p["key"] == "horizons"]
    assert horizons["notes"] == SCRIPT and horizons["minutes"] == 30 and horizons["tables"]
    [seen] = [p for p in ada.welcome["state"]["phases"] if p["key"] == "horizons"]
    assert "notes" not in seen
    assert (seen["minutes"], seen["tables"]) == (30, True)

    # Live: the facilitator edits the notes (and the minutes) of a phase.
    await host.send(type="phase.update", ref="n", phase="horizons", notes=EDITED, minutes=25)
    edited = await host.reply()
    assert edited["type"] == "ack", edited
    for client in (host, ada, screen):
        await client.wait_for_seq(edited["seq"])
    [for_ada] = [e for e in ada.events if e["seq"] == edited["seq"]]
    assert for_ada["event"] == "phase.updated"
    assert "notes" not in for_ada["data"] and for_ada["data"]["minutes"] == 25
    [for_host] = [e for e in host.events if e["seq"] == edited["seq"]]
    assert for_host["data"]["notes"] == EDITED

    # Those who come later: a new joiner's welcome, and a socket catching up from seq 1.
    bob = await join(workshop.code, "Bob")
    late = await connect(workshop.code)
    caught_up = await late.hello(name="Cy", since=1)
    assert "state" not in caught_up
    await late.wait_for_seq(caught_up["seq"])
    assert late.events[0]["seq"] == 2
    for reader in (ada, screen, bob, late):
        assert "SECRET" not in said(reader)
    assert EDITED in said(host)
    for client in (host, ada, screen, bob, late):
        await client.close()
