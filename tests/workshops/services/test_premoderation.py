"""Pre-moderation: contributions reach the facilitators first and go live on approval."""

import pytest

from tests.workshops.live.client import join
from workshops import services
from workshops.models import Value
from workshops.selectors import events_between, workshop_state
from workshops.services import Refused

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def premoderated(host):
    services.moderation_set(participant=host, premoderated=True)


def test_a_participants_value_waits_for_approval(ada, host, premoderated):
    submitted = services.value_add(participant=ada, text="trust")
    assert submitted.kind == "value.submitted"
    _seq, public = workshop_state(ada.workshop)
    assert public["values"] == []
    _seq, private = workshop_state(ada.workshop, private=True)
    assert [(v["text"], v["pending"]) for v in private["values"]] == [("trust", True)]
    approved = services.value_approve(participant=host, id=submitted.data["id"])
    assert approved.kind == "value.added"
    assert approved.data["text"] == "trust"
    assert not Value.objects.get().pending


def test_everyone_but_facilitators_gets_only_the_id_of_a_submission(ada, premoderated):
    seq = services.value_add(participant=ada, text="secret until approved").seq
    [public] = events_between(ada.workshop_id, seq - 1, seq, private=False)
    assert public["data"] == {"id": public["data"]["id"]}
    [private] = events_between(ada.workshop_id, seq - 1, seq, private=True)
    assert private["data"]["text"] == "secret until approved"


def test_a_facilitators_own_contributions_go_live_at_once(host, premoderated):
    assert services.value_add(participant=host, text="equity").kind == "value.added"


def test_only_pending_items_can_be_approved(ada, host):
    value_id = services.value_add(participant=ada, text="live already").data["id"]
    with pytest.raises(Refused) as refused:
        services.value_approve(participant=host, id=value_id)
    assert refused.value.code == "not_found"


async def test_sockets_see_a_submission_as_their_role_allows(workshop, facilitator):
    host = await join(workshop.code, user=facilitator)
    await host.send(type="moderation.set", ref="m1", premoderated=True)
    assert (await host.reply())["type"] == "ack"
    ada = await join(workshop.code, "Ada")
    bob = await join(workshop.code, "Bob")
    await ada.send(type="value.add", ref="a1", text="<i>pending</i>")
    ack = await ada.reply()
    await bob.wait_for_seq(ack["seq"])
    await host.wait_for_seq(ack["seq"])
    assert bob.events[-1]["event"] == "value.submitted"
    assert "text" not in bob.events[-1]["data"]
    assert host.events[-1]["data"]["text"] == "<i>pending</i>"
    value_id = host.events[-1]["data"]["id"]
    await host.send(type="value.approve", ref="ok1", id=value_id)
    approved = await host.reply()
    await bob.wait_for_seq(approved["seq"])
    assert bob.events[-1]["event"] == "value.added"
    assert bob.events[-1]["data"]["text"] == "<i>pending</i>"
    for client in (host, ada, bob):
        await client.close()


def test_restoring_a_hidden_pending_value_does_not_publish_it(ada, host, premoderated):
    value_id = services.value_add(participant=ada, text="still waiting").data["id"]
    services.value_hide(participant=host, id=value_id)
    restored = services.value_restore(participant=host, id=value_id)
    assert restored.kind == "value.submitted"  # back in the facilitators' queue
    [public] = events_between(ada.workshop_id, restored.seq - 1, restored.seq, private=False)
    assert public["data"] == {"id": value_id}
    _seq, state = workshop_state(ada.workshop)
    assert state["values"] == []


def test_merging_into_a_value_awaiting_approval_is_refused(ada, bob, host, premoderated):
    pending = services.value_add(participant=bob, text="not yet public").data["id"]
    services.moderation_set(participant=host, premoderated=False)
    live = services.value_add(participant=ada, text="care").data["id"]
    with pytest.raises(Refused) as refused:
        services.value_merge(participant=host, id=live, into=pending)
    assert refused.value.code == "invalid"
    assert Value.objects.get(pk=live).merged_into_id is None


def test_an_approved_merged_value_counts_under_its_group(ada, bob, host, premoderated):
    pending = services.value_add(participant=ada, text="caring").data["id"]
    live = services.value_add(participant=host, text="care").data["id"]
    services.value_merge(participant=host, id=pending, into=live)
    approved = services.value_approve(participant=host, id=pending)
    assert approved.data["key"] == "care"


def test_a_removed_co_facilitators_values_wait_for_approval(
    workshop, facilitator, outsider, premoderated
):
    services.workshop_member_add(
        workshop=workshop, by=facilitator, username=outsider.username, role="facilitator"
    )
    charlie, _token = services.participant_join(workshop=workshop, user=outsider)
    services.workshop_member_remove(workshop=workshop, by=facilitator, user_id=outsider.pk)
    assert services.value_add(participant=charlie, text="unchecked").kind == "value.submitted"
