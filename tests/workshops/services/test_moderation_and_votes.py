import pytest

from workshops import events, services
from workshops.models import Statement, Value
from workshops.services import Refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(ada, host):
    services.phase_open(participant=host, phase="statements")
    event = services.statement_add(participant=ada, activity="assessment", value="equity")
    return Statement.objects.get(pk=event.data["id"])


def test_a_facilitator_hides_a_value(ada, host):
    value_id = services.value_add(participant=ada, text="spam").data["id"]
    event = services.value_hide(participant=host, id=value_id)
    assert event.data == {"id": value_id}
    assert Value.objects.get(pk=value_id).hidden


def test_a_participant_cannot_hide(ada, bob):
    value_id = services.value_add(participant=ada, text="care").data["id"]
    with pytest.raises(Refused) as refused:
        services.value_hide(participant=bob, id=value_id)
    assert refused.value.code == "forbidden"
    assert not Value.objects.get(pk=value_id).hidden


def test_hiding_an_unknown_value_is_not_found(host):
    with pytest.raises(Refused) as refused:
        services.value_hide(participant=host, id=999)
    assert refused.value.code == "not_found"


def test_merging_moves_the_value_and_its_statements(ada, bob, host):
    caring = services.value_add(participant=ada, text="caring").data["id"]
    care = services.value_add(participant=bob, text="care").data["id"]
    services.phase_open(participant=host, phase="statements")
    services.statement_add(participant=ada, activity="co-creation", value="caring")
    event = services.value_merge(participant=host, id=caring, into=care)
    assert event.data == {"id": caring, "into": care, "key": "care", "ids": [caring]}
    events.check(event.kind, event.data)
    assert Statement.objects.get().value_id == care


def test_votes_count_within_the_budget(ada, statement):
    target = {"kind": "statement", "id": statement.pk}
    totals = [services.vote_cast(participant=ada, target=target).data["total"] for _ in range(3)]
    assert totals == [1, 2, 3]
    with pytest.raises(Refused) as refused:
        services.vote_cast(participant=ada, target=target)
    assert refused.value.code == "over_budget"
    event = services.vote_retract(participant=ada, target=target)
    assert event.data["total"] == 2
    assert event.data["voter_votes"] == 2


def test_voting_for_nothing_is_not_found(ada, statement):
    with pytest.raises(Refused) as refused:
        services.vote_cast(participant=ada, target={"kind": "statement", "id": 999})
    assert refused.value.code == "not_found"


def test_retracting_a_vote_you_never_cast_is_not_found(ada, statement):
    with pytest.raises(Refused) as refused:
        services.vote_retract(participant=ada, target={"kind": "statement", "id": statement.pk})
    assert refused.value.code == "not_found"


def test_only_facilitators_open_phases(ada):
    with pytest.raises(Refused) as refused:
        services.phase_open(participant=ada, phase="statements")
    assert refused.value.code == "forbidden"


def test_opening_an_unknown_phase_is_not_found(host):
    with pytest.raises(Refused) as refused:
        services.phase_open(participant=host, phase="dancing")
    assert refused.value.code == "not_found"
