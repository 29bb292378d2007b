"""A consent round: the room places itself on a gradient of agreement, live."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from principles import services
from tests.edge import send
from workshops import events
from workshops import services as workshop_services
from workshops.models import Event
from workshops.selectors import workshop_state
from workshops.services import Refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def principle_id(host):
    return services.principle_propose(participant=host, title="Open by default").data["id"]


def test_the_distribution_and_the_reasons_of_those_who_cannot_support(ada, bob, host, principle_id):
    opened = services.consent_open(participant=host, id=principle_id)
    events.check(opened.kind, opened.data)
    services.consent_place(participant=ada, id=principle_id, level="full")
    changed = services.consent_place(
        participant=bob, id=principle_id, level="cannot", reason="Too vague to act on"
    )
    events.check(changed.kind, changed.data)
    assert changed.data["distribution"] == {
        "full": 1,
        "reservations": 0,
        "discuss": 0,
        "cannot": 1,
    }
    assert changed.data["reasons"] == ["Too vague to act on"]
    assert (changed.data["placer"], changed.data["level"]) == (bob.pk, "cannot")


def test_placing_again_moves_ones_place(ada, host, principle_id):
    services.consent_open(participant=host, id=principle_id)
    services.consent_place(participant=ada, id=principle_id, level="discuss")
    moved = services.consent_place(participant=ada, id=principle_id, level="reservations")
    assert moved.data["distribution"]["discuss"] == 0
    assert moved.data["distribution"]["reservations"] == 1


def test_it_needs_an_open_round(ada, host, principle_id):
    with pytest.raises(Refused) as refused:
        services.consent_place(participant=ada, id=principle_id, level="full")
    assert refused.value.code == "phase_closed"
    services.consent_open(participant=host, id=principle_id)
    services.consent_close(participant=host, id=principle_id)
    with pytest.raises(Refused):
        services.consent_place(participant=ada, id=principle_id, level="full")


def test_it_rejects_an_unknown_level(ada, host, principle_id):
    services.consent_open(participant=host, id=principle_id)
    with pytest.raises(Refused) as refused:
        services.consent_place(participant=ada, id=principle_id, level="maybe")
    assert refused.value.code == "invalid"


def test_only_a_facilitator_opens_a_round(ada, principle_id):
    with pytest.raises(Refused) as refused:
        services.consent_open(participant=ada, id=principle_id)
    assert refused.value.code == "forbidden"


def test_the_state_carries_each_principles_latest_round_in_fixed_queries(ada, host):
    for n in range(5):
        pid = services.principle_propose(participant=host, title=f"P{n}").data["id"]
        services.consent_open(participant=host, id=pid)
        services.consent_place(participant=ada, id=pid, level="full")
    with CaptureQueriesContext(connection) as queries:
        _seq, state = workshop_state(host.workshop)
    assert all(p["consent"]["distribution"]["full"] == 1 for p in state["principles"])
    assert len(queries) <= 18  # 16, whether the workshop ever formed tables, the materials


def test_the_control_room_hears_every_reason_not_only_those_who_cannot_support(
    ada, bob, host, principle_id
):
    services.consent_open(participant=host, id=principle_id)
    services.consent_place(participant=ada, id=principle_id, level="reservations", reason="Cost")
    changed = services.consent_place(
        participant=bob, id=principle_id, level="discuss", reason="Ask the students"
    )
    assert changed.data["all_reasons"] == [
        {"level": "reservations", "reason": "Cost"},
        {"level": "discuss", "reason": "Ask the students"},
    ]
    assert changed.data["reasons"] == []  # protocol 1's field keeps its meaning


def test_reasons_go_on_the_projector_only_when_the_facilitator_shows_them(ada, bob, host):
    principle_id = services.principle_propose(participant=host, title="Open by default").data["id"]
    services.consent_open(participant=host, id=principle_id)
    services.consent_place(participant=ada, id=principle_id, level="discuss", reason="Whose data?")
    closed = services.consent_close(participant=host, id=principle_id)
    assert closed.data["reasons_shown"] is False

    shown = services.consent_reasons_show(participant=host, id=principle_id, shown=True)
    events.check(shown.kind, shown.data)
    assert shown.kind == "consent.reasons_shown"
    assert shown.data["reasons_shown"] is True
    assert shown.data["all_reasons"] == [{"level": "discuss", "reason": "Whose data?"}]
    (principle,) = workshop_state(host.workshop)[1]["principles"]
    assert principle["consent"]["reasons_shown"] is True

    hidden = services.consent_reasons_show(participant=host, id=principle_id, shown=False)
    assert hidden.data["reasons_shown"] is False
    # A new round starts with its reasons off the projector.
    assert services.consent_open(participant=host, id=principle_id).data["reasons_shown"] is False


def test_only_a_facilitator_shows_reasons_and_only_once_a_round_was_held(ada, host):
    principle_id = services.principle_propose(participant=host, title="Open by default").data["id"]
    with pytest.raises(Refused) as refused:
        services.consent_reasons_show(participant=host, id=principle_id, shown=True)
    assert refused.value.code == "not_found"
    services.consent_open(participant=host, id=principle_id)
    with pytest.raises(Refused) as refused:
        services.consent_reasons_show(participant=ada, id=principle_id, shown=True)
    assert refused.value.code == "forbidden"
    with pytest.raises(Refused) as refused:
        send(host, "consent.reasons_show", id=principle_id, shown="yes")
    assert refused.value.code == "invalid"


def test_ending_the_session_closes_a_round_still_open_so_no_phone_keeps_asking(
    ada, host, principle_id
):
    services.consent_open(participant=host, id=principle_id)
    services.consent_place(participant=ada, id=principle_id, level="discuss", reason="Whose?")
    ended = workshop_services.session_end(participant=host)
    closing = Event.objects.get(workshop_id=host.workshop_id, seq=ended.seq - 1)
    assert closing.kind == "consent.closed"
    assert closing.data["status"] == "closed"
    assert closing.data["distribution"]["discuss"] == 1  # what was said is kept
    _, state = workshop_state(host.workshop)
    assert [p["consent"]["status"] for p in state["principles"]] == ["closed"]
