"""A facilitator removes an activity people typed: phones stop offering it, for good."""

import pytest

from workshops import events, services
from workshops.models import Event, Statement, Vote
from workshops.selectors import events_between, workshop_state
from workshops.services import Refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def statements_open(host):
    services.phase_close(participant=host, phase="values")
    services.phase_open(participant=host, phase="statements")


def _statement(participant, activity, value="equity"):
    event = services.statement_add(participant=participant, activity=activity, value=value)
    return event.data["id"]


def _activities(state):
    return {statement["activity"] for statement in state["statements"]}


def test_it_hides_every_statement_built_on_the_activity_in_one_event(
    statements_open, ada, bob, host
):
    typed = [_statement(ada, "Lurking"), _statement(bob, "lurking ", "care")]
    kept = _statement(ada, "assessment")
    event = services.activity_remove(participant=host, activity="LURKING")
    assert event.kind == "activity.removed"
    assert event.data == {"ids": typed, "refunded": True, "activity": "LURKING", "key": "lurking"}
    events.check(event.kind, event.data)
    assert set(Statement.objects.filter(hidden=True).values_list("pk", flat=True)) == set(typed)
    _seq, state = workshop_state(host.workshop)
    assert _activities(state) == {"assessment"}
    assert Statement.objects.get(pk=kept).hidden is False


def test_the_votes_on_them_go_back_to_their_voters(statements_open, ada, bob, host):
    typed = _statement(ada, "lurking")
    services.vote_cast(participant=bob, target={"kind": "statement", "id": typed})
    services.activity_remove(participant=host, activity="lurking")
    assert not Vote.objects.filter(participant=bob).exists()


def test_participants_learn_which_statements_went_but_never_the_activity(
    statements_open, ada, host
):
    _statement(ada, "lurking")
    services.activity_remove(participant=host, activity="lurking")
    logged = events_between(host.workshop_id, 0, private=False, reader=ada.pk)
    assert "lurking" not in str(logged)
    removed = [e for e in logged if e["event"] == "activity.removed"]
    assert [e["data"] for e in removed] == [{"ids": removed[0]["data"]["ids"], "refunded": True}]
    _seq, state = workshop_state(host.workshop)
    assert "activities_removed" not in state["workshop"]
    _seq, private = workshop_state(host.workshop, private=True)
    assert private["workshop"]["activities_removed"] == ["lurking"]


def test_typed_again_it_waits_for_approval_instead_of_reaching_the_room(
    statements_open, ada, bob, host
):
    _statement(ada, "lurking")
    services.activity_remove(participant=host, activity="lurking")
    again = services.statement_add(participant=bob, activity="Lurking", value="care")
    assert again.kind == "statement.submitted"
    assert Statement.objects.get(pk=again.data["id"]).pending is True
    # Another activity still goes live at once, and a facilitator's own is never held.
    assert services.statement_add(participant=bob, activity="mentoring", value="care").kind == (
        "statement.added"
    )
    assert services.statement_add(participant=host, activity="lurking", value="x").kind == (
        "statement.added"
    )


def test_a_statement_awaiting_approval_with_it_is_hidden_too(statements_open, ada, host):
    services.moderation_set(participant=host, premoderated=True)
    waiting = _statement(ada, "lurking")
    event = services.activity_remove(participant=host, activity="lurking")
    assert event.data["ids"] == [waiting]
    with pytest.raises(Refused):
        services.statement_approve(participant=host, id=waiting)


def test_removing_it_twice_says_so_and_changes_nothing(statements_open, ada, host):
    _statement(ada, "lurking")
    services.activity_remove(participant=host, activity="lurking")
    logged = Event.objects.count()
    with pytest.raises(Refused) as refused:
        services.activity_remove(participant=host, activity="Lurking")
    assert refused.value.code == "invalid"
    assert "already" in refused.value.message
    assert Event.objects.count() == logged


def test_it_refuses_an_empty_activity(statements_open, host):
    with pytest.raises(Refused) as refused:
        services.activity_remove(participant=host, activity="   ")
    assert refused.value.code == "empty"


def test_a_participant_cannot_remove_an_activity(statements_open, ada, bob):
    _statement(ada, "lurking")
    with pytest.raises(Refused) as refused:
        services.activity_remove(participant=bob, activity="lurking")
    assert refused.value.code == "forbidden"
    assert not Statement.objects.filter(hidden=True).exists()
