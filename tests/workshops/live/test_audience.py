"""What each socket is sent, live and when it catches up: the room never reads what was
hidden, secret votes reach their own voter only, and rights follow membership."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from tests.workshops.live.client import connect, join
from workshops import services

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def hide_a_value_said_by_ada(workshop, facilitator) -> tuple[int, int]:
    """Ada says something the facilitator hides; returns (value id, seq before it)."""
    host, _token = services.participant_join(workshop=workshop, user=facilitator)
    ada, _token = services.participant_join(workshop=workshop, name="Ada")
    services.value_add(participant=host, text="welcome")  # what a resuming socket had seen
    added = services.value_add(participant=ada, text="an insult")
    services.value_hide(participant=host, id=added.data["id"])
    return added.data["id"], added.seq - 1


async def test_a_socket_resuming_from_before_a_hide_is_not_sent_the_hidden_text(
    workshop, facilitator
):
    value_id, before = await hide_a_value_said_by_ada(workshop, facilitator)
    assert before > 0  # so that `since` replays the value.added
    bob = await connect(workshop.code)
    welcome = await bob.hello(name="Bob", since=before)
    assert "state" not in welcome
    await bob.wait_for_seq(welcome["seq"])
    assert "insult" not in str(bob.events)
    assert {"id": value_id, "redacted": True} in [e["data"] for e in bob.events]
    assert [e["seq"] for e in bob.events] == list(range(bob.events[0]["seq"], welcome["seq"] + 1))
    await bob.close()


async def test_a_projector_opened_with_its_secret_link_reads_as_the_room(workshop, facilitator):
    """The shared screen signs nobody in: it must not read what facilitators read."""
    await database_sync_to_async(services.screen_share)(workshop=workshop, by=facilitator)
    await hide_a_value_said_by_ada(workshop, facilitator)
    screen = await connect(workshop.code)
    welcome = await screen.hello(since=1)
    await screen.wait_for_seq(welcome["seq"])
    assert "insult" not in str(screen.events)
    fresh = await join(workshop.code)
    assert "insult" not in str(fresh.welcome)
    for client in (screen, fresh):
        await client.close()


async def test_while_results_are_hidden_only_the_voter_learns_their_vote(workshop, facilitator):
    host = await join(workshop.code, user=facilitator)
    ada = await join(workshop.code, "Ada")
    bob = await join(workshop.code, "Bob")
    for ref, command in [("o", "phase.open"), ("h", "results.hide")]:
        await host.send(type=command, ref=ref, phase="statements")
        assert (await host.reply())["type"] == "ack"
    await ada.send(type="statement.add", ref="s", activity="assessment", value="equity")
    added = await ada.reply()
    await ada.wait_for_seq(added["seq"])
    statement_id = ada.events[-1]["data"]["id"]
    await bob.send(type="vote.cast", ref="v", target={"kind": "statement", "id": statement_id})
    vote = await bob.reply()
    assert vote["type"] == "ack"
    for client in (host, ada, bob):
        await client.wait_for_seq(vote["seq"])
    [for_ada] = [e["data"] for e in ada.events if e["seq"] == vote["seq"]]
    [for_bob] = [e["data"] for e in bob.events if e["seq"] == vote["seq"]]
    [for_host] = [e["data"] for e in host.events if e["seq"] == vote["seq"]]
    assert "voter" not in for_ada and "voter_votes" not in for_ada
    assert for_ada["total"] is None
    assert (for_bob["voter_votes"], for_host["voter_votes"]) == (1, 1)
    # Catching up later tells Ada no more than she was sent live.
    late = await connect(workshop.code)
    await late.hello(token=ada.welcome["token"], since=vote["seq"] - 1)
    await late.wait_for_seq(vote["seq"])
    assert "voter" not in late.events[-1]["data"]
    for client in (host, ada, bob, late):
        await client.close()


@database_sync_to_async
def add_co_facilitator(workshop, facilitator, outsider) -> None:
    services.workshop_member_add(
        workshop=workshop, by=facilitator, username=outsider.username, role="facilitator"
    )


@database_sync_to_async
def remove_co_facilitator(workshop, facilitator, outsider) -> None:
    services.workshop_member_remove(workshop=workshop, by=facilitator, user_id=outsider.pk)


async def test_a_removed_co_facilitator_stops_seeing_pending_contributions(
    workshop, facilitator, outsider
):
    await add_co_facilitator(workshop, facilitator, outsider)
    host = await join(workshop.code, user=facilitator)
    charlie = await join(workshop.code, user=outsider)
    assert charlie.welcome["you"]["role"] == "facilitator"
    await host.send(type="moderation.set", ref="m", premoderated=True)
    assert (await host.reply())["type"] == "ack"
    await remove_co_facilitator(workshop, facilitator, outsider)
    await asyncio.sleep(0.3)  # the hub hears of it through the channel layer
    ada = await join(workshop.code, "Ada")
    await ada.send(type="value.add", ref="a", text="awaiting approval")
    added = await ada.reply()
    await charlie.wait_for_seq(added["seq"])
    await host.wait_for_seq(added["seq"])
    assert charlie.events[-1]["data"] == {"id": charlie.events[-1]["data"]["id"]}
    assert host.events[-1]["data"]["text"] == "awaiting approval"
    # Added back, the same open socket reads them in full again.
    await add_co_facilitator(workshop, facilitator, outsider)
    await asyncio.sleep(0.3)
    await ada.send(type="value.add", ref="b", text="second one")
    again = await ada.reply()
    await charlie.wait_for_seq(again["seq"])
    assert charlie.events[-1]["data"]["text"] == "second one"
    for client in (host, charlie, ada):
        await client.close()
