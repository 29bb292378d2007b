"""The audit trail: who gave or took a role, made or revoked a secret link, set or
cleared the deletion date. Each is an event in the workshop's log under the facilitator
who did it; no key is ever in it, and the room reads nothing of them but their seq."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from workshops import selectors, services
from workshops.models import Event
from workshops.services import Refused

pytestmark = pytest.mark.django_db


def logged(workshop):
    """The log as events.json gives it: (kind, data, the actor's name)."""
    return [
        (event["event"], event["data"], event["actor"] and event["actor"]["name"])
        for event in selectors.audit_log(workshop.pk)
    ]


def test_adding_and_removing_members_is_logged_with_who_did_it(workshop, facilitator, outsider):
    services.workshop_member_add(
        workshop=workshop, by=facilitator, username="charlie", role="organiser"
    )
    services.workshop_member_add(
        workshop=workshop, by=facilitator, username="charlie", role="facilitator"
    )
    services.workshop_member_remove(workshop=workshop, by=facilitator, user_id=outsider.pk)
    assert logged(workshop) == [
        ("member.added", {"username": "charlie", "role": "organiser"}, "alice"),
        ("member.added", {"username": "charlie", "role": "facilitator"}, "alice"),
        ("member.removed", {"username": "charlie", "role": "facilitator"}, "alice"),
    ]


def test_a_co_facilitator_acts_under_their_own_name(workshop, facilitator, outsider, organiser):
    services.workshop_member_add(
        workshop=workshop, by=facilitator, username="charlie", role="facilitator"
    )
    services.workshop_member_remove(workshop=workshop, by=outsider, user_id=organiser.pk)
    assert logged(workshop)[-1] == (
        "member.removed",
        {"username": "olga", "role": "organiser"},
        "charlie",
    )


def test_a_refused_change_of_members_logs_nothing(workshop, facilitator, outsider):
    for call in (
        lambda: services.workshop_member_add(
            workshop=workshop, by=facilitator, username="nobody", role="organiser"
        ),
        lambda: services.workshop_member_add(
            workshop=workshop, by=facilitator, username="charlie", role="owner"
        ),
        lambda: services.workshop_member_remove(
            workshop=workshop, by=facilitator, user_id=facilitator.pk
        ),
        lambda: services.workshop_member_remove(
            workshop=workshop, by=facilitator, user_id=outsider.pk
        ),
        lambda: services.workshop_member_add(
            workshop=workshop, by=outsider, username="charlie", role="facilitator"
        ),
    ):
        with pytest.raises(Refused):
            call()
    assert logged(workshop) == []


def test_secret_links_made_and_revoked_are_logged_without_their_keys(workshop, facilitator):
    keys = [
        services.screen_share(workshop=workshop, by=facilitator),
        services.screen_share(workshop=workshop, by=facilitator),
        services.report_share(workshop=workshop, by=facilitator),
        services.report_share(workshop=workshop, by=facilitator),
    ]
    services.screen_unshare(workshop=workshop, by=facilitator)
    services.report_unshare(workshop=workshop, by=facilitator)
    assert logged(workshop) == [
        ("screen.shared", {"replaced": False}, "alice"),
        ("screen.shared", {"replaced": True}, "alice"),
        ("report.shared", {"replaced": False}, "alice"),
        ("report.shared", {"replaced": True}, "alice"),
        ("screen.unshared", {}, "alice"),
        ("report.unshared", {}, "alice"),
    ]
    stored = json.dumps(list(Event.objects.filter(workshop=workshop).values()), default=str)
    for key in keys:
        assert key not in stored


def test_setting_and_clearing_the_deletion_date_is_logged(workshop, facilitator):
    day = date.today() + timedelta(days=30)
    services.workshop_schedule_deletion(workshop=workshop, by=facilitator, delete_after=day)
    services.workshop_schedule_deletion(workshop=workshop, by=facilitator, delete_after=None)
    assert logged(workshop) == [
        ("retention.changed", {"delete_after": day.isoformat()}, "alice"),
        ("retention.changed", {"delete_after": None}, "alice"),
    ]


def test_the_room_reads_only_the_seq_of_the_audit_trail(workshop, facilitator, ada):
    services.workshop_member_add(
        workshop=workshop, by=facilitator, username="alice", role="facilitator"
    )
    services.screen_share(workshop=workshop, by=facilitator)
    services.workshop_schedule_deletion(workshop=workshop, by=facilitator, delete_after=None)
    as_participant = selectors.events_between(workshop.pk, 0, private=False, reader=ada.pk)
    assert [(e["seq"], e["data"]) for e in as_participant] == [(1, {}), (2, {}), (3, {})]
    assert all("actor" not in e for e in as_participant)


def test_facilitators_read_who_of_them_did_it_and_the_room_does_not(workshop, host, ada):
    services.phase_open(participant=host, phase="statements")
    services.value_add(participant=ada, text="care")
    facilitators_view = selectors.events_between(workshop.pk, 0, private=True)
    assert facilitators_view[0]["actor"] == {"id": host.pk, "name": host.name}
    assert "actor" not in facilitators_view[1]  # the room's own: `by` says who
    rooms_view = selectors.events_between(workshop.pk, 0, private=False, reader=ada.pk)
    assert all("actor" not in event for event in rooms_view)
