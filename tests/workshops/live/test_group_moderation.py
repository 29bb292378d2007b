"""A facilitator hides or merges a card of 25 duplicates over the socket: one command."""

import pytest
from channels.db import database_sync_to_async as sync_to_async

from tests.workshops.live.client import join
from workshops import services
from workshops.models import Value

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def _spam(workshop, n):
    ada, _token = services.participant_join(workshop=workshop, name="Ada")
    return [services.value_add(participant=ada, text="buy my course").data["id"] for _ in range(n)]


async def test_it_hides_25_duplicates_without_being_throttled(workshop, facilitator):
    ids = await _spam(workshop, 25)
    host = await join(workshop.code, user=facilitator)
    await host.send(type="values.hide", ref="h1", ids=ids)
    reply = await host.reply()
    assert reply["type"] == "ack", reply
    await host.wait_for_seq(reply["seq"])
    assert [e["event"] for e in host.events] == ["values.hidden"]
    assert host.events[0]["data"]["ids"] == ids
    assert await sync_to_async(Value.objects.filter(hidden=True).count)() == 25
    await host.close()


async def test_a_participant_cannot_hide_a_group(workshop):
    ids = await _spam(workshop, 2)
    bob = await join(workshop.code, name="Bob")
    await bob.send(type="values.hide", ref="h1", ids=ids)
    reply = await bob.reply()
    assert (reply["type"], reply["code"]) == ("error", "forbidden")
    await bob.close()
