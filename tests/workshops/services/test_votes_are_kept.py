"""Nothing counted is lost: votes outlive a statement taken back when someone else wrote
the same one, and come back to their voters when their statement is hidden."""

from __future__ import annotations

import pytest

from workshops import events, services
from workshops.models import Statement, Vote
from workshops.services import Refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol(workshop):
    participant, _token = services.participant_join(workshop=workshop, name="Carol")
    return participant


@pytest.fixture
def statements_open(host):
    services.phase_open(participant=host, phase="statements")


def add_statement(participant, activity="assessment", value="equity") -> int:
    return services.statement_add(participant=participant, activity=activity, value=value).data[
        "id"
    ]


def votes_of(participant) -> int:
    return Vote.objects.filter(participant=participant).count()


def test_taking_back_one_of_two_identical_statements_keeps_every_vote(
    ada, bob, carol, statements_open
):
    adas = add_statement(ada)
    bobs = add_statement(bob, activity="Assessment", value="equity!")  # same key: one card
    card = {"kind": "statement", "id": adas}  # a vote on the card goes to its first id
    services.vote_cast(participant=carol, target=card)
    services.vote_cast(participant=bob, target=card)
    removed = services.statement_remove(participant=ada, id=adas)
    assert removed.data == {"id": adas, "votes_moved_to": bobs}
    events.check(removed.kind, removed.data)
    assert Statement.objects.filter(pk=bobs).exists()
    assert Vote.objects.filter(target_kind="statement", target_id=bobs).count() == 2
    assert (votes_of(carol), votes_of(bob)) == (1, 1)  # nobody's budget changed
    # Carol can still take her vote back, from the card as it is now.
    services.vote_retract(participant=carol, target={"kind": "statement", "id": bobs})
    assert votes_of(carol) == 0


def test_taking_back_a_statement_nobody_else_wrote_gives_its_votes_back(
    ada, carol, statements_open
):
    adas = add_statement(ada)
    services.vote_cast(participant=carol, target={"kind": "statement", "id": adas})
    removed = services.statement_remove(participant=ada, id=adas)
    assert removed.data == {"id": adas, "votes_moved_to": None}
    assert votes_of(carol) == 0


def test_hiding_a_statement_gives_its_votes_back_to_the_voters(ada, carol, host, statements_open):
    adas = add_statement(ada)
    others = add_statement(ada, activity="teaching")
    target = {"kind": "statement", "id": adas}
    for _ in range(3):
        services.vote_cast(participant=carol, target=target)
    hidden = services.statement_hide(participant=host, id=adas)
    assert hidden.data == {"id": adas, "refunded": True}
    events.check(hidden.kind, hidden.data)
    assert votes_of(carol) == 0
    # The whole budget is hers again, to spend on what the room still sees.
    for _ in range(3):
        services.vote_cast(participant=carol, target={"kind": "statement", "id": others})
    with pytest.raises(Refused) as refused:
        services.vote_cast(participant=carol, target={"kind": "statement", "id": others})
    assert refused.value.code == "over_budget"
