"""A facilitator caps what each participant may contribute, so no crowd of sockets can
make every welcome weigh megabytes."""

import pytest

from tests.edge import send
from workshops import events, services
from workshops.models import Statement, Value
from workshops.selectors import workshop_state
from workshops.services import Refused

pytestmark = pytest.mark.django_db


def test_a_participant_over_the_workshops_cap_is_told_and_nothing_is_stored(ada, bob, host):
    event = services.contribution_limit_set(participant=host, limit=2)
    events.check(event.kind, event.data)
    assert (event.kind, event.data) == ("contribution_limit.changed", {"limit": 2})
    services.value_add(participant=ada, text="equity")
    services.phase_open(participant=host, phase="statements")
    services.statement_add(participant=ada, activity="assessment", value="care")
    with pytest.raises(Refused) as refused:
        services.value_add(participant=ada, text="one more")
    assert refused.value.code == "over_budget"
    assert "2" in refused.value.message
    with pytest.raises(Refused):
        services.statement_add(participant=ada, activity="teaching", value="care")
    assert Value.objects.filter(author=ada).count() == 1
    assert Statement.objects.filter(author=ada).count() == 1
    services.value_add(participant=bob, text="openness")  # others have their own
    for n in range(3):  # facilitators have no cap
        services.value_add(participant=host, text=f"seed {n}")


def test_taking_one_back_makes_room_and_lifting_the_cap_lets_everyone_go_on(ada, host):
    services.contribution_limit_set(participant=host, limit=1)
    first = services.value_add(participant=ada, text="equity")
    services.value_remove(participant=ada, id=first.data["id"])
    services.value_add(participant=ada, text="care")
    services.contribution_limit_set(participant=host, limit=None)
    services.value_add(participant=ada, text="openness")
    assert workshop_state(ada.workshop)[1]["workshop"]["contribution_limit"] is None


def test_the_cap_is_in_the_state(ada, host):
    services.contribution_limit_set(participant=host, limit=30)
    assert workshop_state(ada.workshop)[1]["workshop"]["contribution_limit"] == 30


@pytest.mark.parametrize("limit", [0, -1, 1001, "5", 2.5, True, [3]])
def test_a_cap_that_is_not_a_whole_number_from_1_to_1000_is_invalid(host, limit):
    with pytest.raises(Refused) as refused:
        send(host, "contribution_limit.set", limit=limit)
    assert refused.value.code == "invalid"
    host.workshop.refresh_from_db()
    assert host.workshop.contribution_limit is None


def test_only_a_facilitator_sets_the_cap(ada):
    with pytest.raises(Refused) as refused:
        services.contribution_limit_set(participant=ada, limit=3)
    assert refused.value.code == "forbidden"
