import pytest

from tests.workshops.live import join

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
