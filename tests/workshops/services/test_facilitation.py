"""Facilitation tools: restoring moderated items, phase settings, timers, hidden results."""

import pytest

from tests.edge import send
from workshops import events, services
from workshops.models import Phase, Statement, Value
from workshops.selectors import workshop_state
from workshops.services import Refused

pytestmark = pytest.mark.django_db


def test_a_hidden_value_can_be_restored_with_its_text(ada, host):
    value_id = services.value_add(participant=ada, text="trust").data["id"]
    services.value_hide(participant=host, id=value_id)
    event = services.value_restore(participant=host, id=value_id)
    assert event.data["text"] == "trust"
    events.check(event.kind, event.data)
    assert not Value.objects.get(pk=value_id).hidden


def test_restoring_a_visible_value_is_not_found(ada, host):
    value_id = services.value_add(participant=ada, text="trust").data["id"]
    with pytest.raises(Refused) as refused:
        services.value_restore(participant=host, id=value_id)
    assert refused.value.code == "not_found"


def test_a_hidden_statement_can_be_restored(ada, host):
    services.phase_open(participant=host, phase="statements")
    statement_id = services.statement_add(
        participant=ada, activity="assessment", value="equity"
    ).data["id"]
    services.statement_hide(participant=host, id=statement_id)
    event = services.statement_restore(participant=host, id=statement_id)
    assert event.data["text"] == "What might assessment look like as a practice of equity?"
    assert not Statement.objects.get(pk=statement_id).hidden


def test_a_facilitator_sets_the_vote_budget_and_prompt(host):
    event = services.phase_update(
        participant=host, phase="statements", vote_budget=5, prompt="Build a statement."
    )
    assert event.data["vote_budget"] == 5
    assert event.data["prompt"] == "Build a statement."
    events.check(event.kind, event.data)
    phase = Phase.objects.get(workshop=host.workshop, key="statements")
    assert (phase.vote_budget, phase.prompt) == (5, "Build a statement.")


@pytest.mark.parametrize("budget", [-1, 51, "3", True])
def test_it_rejects_a_bad_vote_budget(host, budget):
    with pytest.raises(Refused) as refused:
        send(host, "phase.update", phase="statements", vote_budget=budget)
    assert refused.value.code == "invalid"


def test_a_timer_counts_down_on_every_screen(host):
    event = services.timer_start(participant=host, phase="values", seconds=300)
    assert event.data["seconds"] == 300
    assert event.data["ends_at"].endswith("Z")
    _seq, state = workshop_state(host.workshop)
    assert state["phases"][0]["timer_ends_at"] == event.data["ends_at"]
    services.timer_stop(participant=host, phase="values")
    _seq, state = workshop_state(host.workshop)
    assert state["phases"][0]["timer_ends_at"] is None


def test_hidden_results_keep_totals_off_the_wire_until_revealed(ada, bob, host):
    services.phase_open(participant=host, phase="statements")
    statement_id = services.statement_add(
        participant=ada, activity="assessment", value="equity"
    ).data["id"]
    services.results_hide(participant=host, phase="statements")
    target = {"kind": "statement", "id": statement_id}
    cast = services.vote_cast(participant=bob, target=target)
    assert cast.data["total"] is None
    assert cast.data["voter_votes"] == 1
    _seq, state = workshop_state(host.workshop)
    assert state["statements"][0]["votes"] is None
    revealed = services.results_reveal(participant=host, phase="statements")
    assert revealed.data["totals"] == [{"kind": "statement", "id": statement_id, "total": 1}]
    events.check(revealed.kind, revealed.data)


def test_participants_cannot_use_facilitation_tools(ada):
    for service, kwargs in [
        (services.timer_start, {"phase": "values", "seconds": 60}),
        (services.results_hide, {"phase": "statements"}),
        (services.phase_update, {"phase": "values", "vote_budget": 9}),
    ]:
        with pytest.raises(Refused) as refused:
            service(participant=ada, **kwargs)
        assert refused.value.code == "forbidden"
