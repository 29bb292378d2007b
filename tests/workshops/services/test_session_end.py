"""The ending: a facilitator ends the session (and may reopen it); every screen then shows
the outcome, and the report link reaches the room only when the facilitator says so."""

import pytest

from tests.edge import send
from tests.workshops.live.client import join
from workshops import events, services
from workshops.models import Phase, Workshop
from workshops.selectors import workshop_state
from workshops.services import Refused

pytestmark = pytest.mark.django_db


def test_ending_closes_the_open_phases_in_one_event(host):
    services.phase_open(participant=host, phase="statements")
    event = services.session_end(participant=host)
    assert event.kind == "session.ended"
    events.check(event.kind, event.data)
    assert event.data == {"closed": ["values", "statements"], "report": None}
    assert not Phase.objects.filter(workshop=host.workshop, status=Phase.Status.OPEN).exists()


def test_a_participant_who_joins_after_the_end_sees_it_ended(host, workshop):
    services.session_end(participant=host)
    _seq, state = workshop_state(workshop)
    assert state["workshop"]["ended"]["report"] is None
    assert state["workshop"]["ended"]["at"].endswith("Z")


def test_it_shares_the_report_link_with_the_room_only_when_asked(host, workshop):
    services.session_end(participant=host, share_report=True)
    workshop.refresh_from_db()
    link = f"/r/{workshop.code}/{workshop.report_key}/"
    assert services.session_reopen(participant=host).data == {}
    assert workshop_state(workshop)[1]["workshop"]["ended"] is None
    # Ending again without sharing keeps the key (organisers' links work) out of the room.
    assert services.session_end(participant=host).data["report"] is None
    assert workshop_state(workshop)[1]["workshop"]["ended"]["report"] is None
    services.session_reopen(participant=host)
    assert services.session_end(participant=host, share_report=True).data["report"] == link


def test_an_existing_report_link_is_kept_when_shared_with_the_room(host, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(report_key="given-out-already")
    event = services.session_end(participant=host, share_report=True)
    assert event.data["report"] == f"/r/{workshop.code}/given-out-already/"


def test_participants_cannot_end_the_session(ada):
    with pytest.raises(Refused) as refused:
        services.session_end(participant=ada)
    assert refused.value.code == "forbidden"
    assert Workshop.objects.get(pk=ada.workshop_id).ended_at is None


@pytest.mark.parametrize("share_report", ["yes", 1, [True]])
def test_a_share_report_that_is_not_true_or_false_is_refused(host, share_report):
    with pytest.raises(Refused) as refused:
        send(host, "session.end", share_report=share_report)
    assert refused.value.code == "invalid"
    assert Workshop.objects.get(pk=host.workshop_id).ended_at is None


def test_ending_twice_or_reopening_an_open_session_says_why(host):
    with pytest.raises(Refused, match="has not ended"):
        services.session_reopen(participant=host)
    services.session_end(participant=host)
    with pytest.raises(Refused, match="already ended"):
        services.session_end(participant=host)


def test_a_phase_does_not_open_after_the_end_until_the_session_is_reopened(host):
    services.session_end(participant=host)
    with pytest.raises(Refused, match="reopen"):
        services.phase_open(participant=host, phase="values")
    services.session_reopen(participant=host)
    assert services.phase_open(participant=host, phase="values").kind == "phase.opened"


@pytest.mark.django_db(transaction=True)
async def test_the_end_reaches_every_socket_from_the_facilitators_command(workshop, facilitator):
    host = await join(workshop.code, user=facilitator)
    ada = await join(workshop.code, "Ada")
    await ada.send(type="session.end", ref="e0")
    assert (await ada.reply())["code"] == "forbidden"
    await host.send(type="session.end", ref="e1", share_report=False)
    assert (await host.reply())["type"] == "ack"
    await ada.wait_for_seq(1)
    assert ada.events[-1]["event"] == "session.ended"
    assert ada.events[-1]["data"] == {"closed": ["values"], "report": None}
    await host.close()
    await ada.close()
