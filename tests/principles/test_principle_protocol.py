import pytest
from channels.db import database_sync_to_async

from principles import services as principle_services
from tests.workshops.live.client import connect, join

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_principle_proposed_from_two_statements_reaches_everyone(workshop, facilitator):
    host = await join(workshop.code, user=facilitator)
    ada = await join(workshop.code, "Ada")
    await host.send(type="phase.open", ref="p1", phase="statements")
    await host.reply()
    ids = []
    for n, (activity, value) in enumerate([("assessment", "equity"), ("co-creation", "care")]):
        await ada.send(type="statement.add", ref=f"s{n}", activity=activity, value=value)
        ack = await ada.reply()
        await ada.wait_for_seq(ack["seq"])
        ids.append(ada.events[-1]["data"]["id"])
    await host.send(type="principle.propose", ref="pr1", title="Care in assessment", sources=ids)
    ack = await host.reply()
    assert ack["type"] == "ack"
    await ada.wait_for_seq(ack["seq"])
    event = ada.events[-1]
    assert event["event"] == "principle.proposed"
    assert event["data"]["sources"] == ids
    await host.close()
    await ada.close()


async def test_participants_cannot_edit_or_finalise(workshop):
    ada = await join(workshop.code, "Ada")
    for n, frame in enumerate(
        [{"type": "principle.edit", "id": 1, "title": "x"}, {"type": "principle.finalize", "id": 1}]
    ):
        await ada.send(ref=f"c{n}", **frame)
        reply = await ada.reply()
        assert reply["code"] == "forbidden"
    await ada.send(type="principle.propose", ref="c9", title="Openness")
    assert (await ada.reply())["code"] == "phase_closed"
    await ada.close()


async def test_a_returning_participant_sees_where_they_stand(workshop, host):
    propose = database_sync_to_async(principle_services.principle_propose)
    principle_id = (await propose(participant=host, title="Open by default")).data["id"]
    await database_sync_to_async(principle_services.consent_open)(participant=host, id=principle_id)
    ada = await join(workshop.code, "Ada")
    await ada.send(type="consent.place", ref="c1", id=principle_id, level="reservations")
    assert (await ada.reply())["type"] == "ack"
    await ada.close()
    again = await connect(workshop.code)
    welcome = await again.hello(token=ada.welcome["token"])
    assert welcome["you"]["consent"] == {str(principle_id): "reservations"}
    await again.close()
