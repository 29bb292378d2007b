"""Designing a workshop: wording, suggestions, phases added, moved, removed; duplicates."""

import pytest

from workshops import events, services
from workshops.models import Phase
from workshops.services import Refused

pytestmark = pytest.mark.django_db


def test_the_statement_wording_keeps_its_two_slots(host, ada):
    event = services.workshop_update(
        participant=host,
        statement_template="How could (ACTIVITY) embody (VALUE)?",
        activity_suggestions=["peer review", "badges", "badges"],
    )
    events.check(event.kind, event.data)
    assert event.data["statement_template"] == "How could {activity} embody {value}?"
    assert event.data["activity_suggestions"] == ["peer review", "badges"]
    services.phase_open(participant=host, phase="statements")
    statement = services.statement_add(participant=ada, activity="badges", value="trust")
    assert statement.data["text"] == "How could badges embody trust?"


@pytest.mark.parametrize(
    "wording", ["No slots at all", "(ACTIVITY) only", "(ACTIVITY) (VALUE) (VALUE)"]
)
def test_it_refuses_wording_without_both_slots(host, wording):
    with pytest.raises(Refused) as refused:
        services.workshop_update(participant=host, statement_template=wording)
    assert refused.value.code == "invalid"


def test_phases_are_added_moved_and_removed(host):
    added = services.phase_add(participant=host, kind="values", title="Warm-up", prompt="One word?")
    assert added.data["phase"] == "values-2"
    events.check(added.kind, added.data)
    moved = services.phase_move(participant=host, phase="values-2", position=0)
    assert moved.data["order"] == ["values-2", "values", "statements", "principles"]
    services.phase_remove(participant=host, phase="values-2")
    keys = list(Phase.objects.filter(workshop=host.workshop).values_list("key", flat=True))
    assert keys == ["values", "statements", "principles"]


def test_a_phase_with_votes_cannot_be_removed(host, ada):
    services.phase_open(participant=host, phase="statements")
    sid = services.statement_add(participant=ada, activity="assessment", value="equity").data["id"]
    services.vote_cast(participant=ada, target={"kind": "statement", "id": sid})
    with pytest.raises(Refused) as refused:
        services.phase_remove(participant=host, phase="statements")
    assert refused.value.code == "invalid"
    assert Phase.objects.filter(key="statements").exists()


def test_duplicating_copies_the_design_and_nothing_said(workshop, facilitator, host, ada):
    services.workshop_update(participant=host, activity_suggestions=["badges"])
    services.phase_update(participant=host, phase="statements", vote_budget=5)
    services.value_add(participant=ada, text="equity")
    workshop.refresh_from_db()
    copy = services.workshop_duplicate(workshop=workshop, facilitator=facilitator)
    assert copy.code != workshop.code
    assert copy.activity_suggestions == ["badges"]
    assert list(copy.phases.values_list("key", "vote_budget")) == [
        ("values", 3),
        ("statements", 5),
        ("principles", 3),
    ]
    assert not copy.participants.exists()


def test_a_facilitator_duplicates_from_the_control_room(client, workshop, facilitator):
    client.force_login(facilitator)
    response = client.post(f"/facilitate/{workshop.code}/duplicate/")
    assert response.status_code == 302
    copy = facilitator.facilitated_workshops.exclude(pk=workshop.pk).get()
    assert response["Location"] == f"/facilitate/{copy.code}/"


def test_outsiders_cannot_duplicate(client, workshop, outsider):
    client.force_login(outsider)
    assert client.post(f"/facilitate/{workshop.code}/duplicate/").status_code == 404
