"""Finalizing over an open round or an objection is the facilitator's stated choice."""

import pytest

from principles import services
from principles.models import Principle
from tests.edge import send
from workshops.models import Event
from workshops.services import Refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def principle_id(host):
    return services.principle_propose(participant=host, title="Open by default").data["id"]


def finalize_refused(host, principle_id, **fields) -> Refused:
    events_before = Event.objects.count()
    with pytest.raises(Refused) as refused:
        send(host, "principle.finalize", id=principle_id, **fields)
    assert Principle.objects.get(pk=principle_id).status == "draft"
    assert Event.objects.count() == events_before
    return refused.value


def test_it_refuses_to_finalize_while_the_consent_round_is_open(ada, host, principle_id):
    services.consent_open(participant=host, id=principle_id)
    services.consent_place(participant=ada, id=principle_id, level="full")
    refused = finalize_refused(host, principle_id)
    assert refused.code == "invalid"
    assert "still open" in refused.message


def test_it_refuses_to_finalize_over_objections_and_counts_them(ada, bob, host, principle_id):
    services.consent_open(participant=host, id=principle_id)
    services.consent_place(participant=ada, id=principle_id, level="cannot")
    services.consent_place(participant=bob, id=principle_id, level="cannot", reason="Vague")
    services.consent_close(participant=host, id=principle_id)
    refused = finalize_refused(host, principle_id)
    assert refused.code == "invalid"
    assert "2 people cannot support this principle" in refused.message


def test_a_confirmed_finalize_agrees_it_over_an_open_round(ada, host, principle_id):
    services.consent_open(participant=host, id=principle_id)
    services.consent_place(participant=ada, id=principle_id, level="cannot")
    final = services.principle_finalize(participant=host, id=principle_id, confirm=True)
    assert final.data == {"id": principle_id}
    assert Principle.objects.get(pk=principle_id).status == "final"


def test_a_round_without_objections_needs_no_confirmation(ada, host, principle_id):
    services.consent_open(participant=host, id=principle_id)
    services.consent_place(participant=ada, id=principle_id, level="reservations")
    services.consent_close(participant=host, id=principle_id)
    services.principle_finalize(participant=host, id=principle_id)
    assert Principle.objects.get(pk=principle_id).status == "final"


def test_a_confirm_that_is_not_true_or_false_is_refused(host, principle_id):
    refused = finalize_refused(host, principle_id, confirm="yes")
    assert refused.code == "invalid"
    assert "confirm" in refused.message
