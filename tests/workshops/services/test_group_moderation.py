"""Moderating what the room sees as one card: one command, one event, all or nothing."""

import pytest

from tests.edge import send
from workshops import events, services
from workshops.models import Event, Statement, Value, Vote
from workshops.selectors import workshop_state
from workshops.services import Refused

pytestmark = pytest.mark.django_db


def _values(participant, *texts):
    return [services.value_add(participant=participant, text=t).data["id"] for t in texts]


def _statement(participant, activity, value):
    return services.statement_add(participant=participant, activity=activity, value=value).data[
        "id"
    ]


def test_it_hides_25_duplicates_with_one_event(ada, host):
    spam = _values(ada, *["buy my course"] * 25)
    before = Event.objects.count()
    event = services.values_hide(participant=host, ids=spam)
    assert event.kind == "values.hidden"
    assert event.data == {"ids": spam}
    events.check(event.kind, event.data)
    assert Event.objects.count() == before + 1
    assert Value.objects.filter(pk__in=spam, hidden=True).count() == 25


def test_a_group_with_one_wrong_id_hides_nothing(ada, host):
    ids = _values(ada, "spam", "spam")
    with pytest.raises(Refused) as refused:
        services.values_hide(participant=host, ids=[*ids, 9999])
    assert refused.value.code == "not_found"
    assert "9999" in refused.value.message
    assert not Value.objects.filter(hidden=True).exists()


@pytest.mark.parametrize(
    ("ids", "code"),
    [(None, "invalid"), ([], "invalid"), ("1,2", "invalid"), ([1, True], "invalid")],
)
def test_it_refuses_a_group_that_is_not_a_list_of_ids(ada, host, ids, code):
    _values(ada, "spam")
    with pytest.raises(Refused) as refused:
        send(host, "values.hide", ids=ids)
    assert refused.value.code == code
    assert not Value.objects.filter(hidden=True).exists()


def test_a_participant_cannot_hide_a_group(ada, bob):
    ids = _values(ada, "care")
    with pytest.raises(Refused) as refused:
        services.values_hide(participant=bob, ids=ids)
    assert refused.value.code == "forbidden"


def test_it_merges_a_group_and_what_was_merged_into_it(ada, bob, host):
    caring = _values(ada, "caring", "caring")
    carer = _values(bob, "carer")[0]
    care = _values(bob, "care")[0]
    services.value_merge(participant=host, id=carer, into=caring[0])
    event = services.values_merge(participant=host, ids=caring, into=care)
    assert event.data == {"into": care, "key": "care", "ids": sorted([*caring, carer])}
    events.check(event.kind, event.data)
    _, state = workshop_state(ada.workshop)
    keys = {v["id"]: v["key"] for v in state["values"]}
    assert {keys[i] for i in [*caring, carer, care]} == {"care"}


def test_a_group_cannot_be_merged_into_one_of_its_own(ada, host):
    ids = _values(ada, "care", "care")
    with pytest.raises(Refused) as refused:
        services.values_merge(participant=host, ids=ids, into=ids[0])
    assert refused.value.code == "invalid"
    assert not Value.objects.filter(merged_into__isnull=False).exists()


def test_it_hides_a_card_of_statements_at_once(ada, bob, host):
    services.phase_open(participant=host, phase="statements")
    ids = [_statement(ada, "badges", "spam"), _statement(bob, "badges", "spam")]
    event = services.statements_hide(participant=host, ids=ids)
    assert event.data == {"ids": ids, "refunded": True}
    events.check(event.kind, event.data)
    assert Statement.objects.filter(hidden=True).count() == 2


def test_hiding_a_card_of_statements_gives_their_votes_back(ada, bob, host):
    services.phase_open(participant=host, phase="statements")
    ids = [_statement(ada, "badges", "spam"), _statement(bob, "badges", "spam")]
    _vote(ada, ids[0])
    _vote(ada, ids[1])
    services.statements_hide(participant=host, ids=ids)
    assert not Vote.objects.filter(participant=ada).exists()


def test_a_group_cannot_be_merged_into_a_value_awaiting_approval(ada, bob, host):
    services.moderation_set(participant=host, premoderated=True)
    pending = services.value_add(participant=ada, text="secret").data["id"]
    services.moderation_set(participant=host, premoderated=False)
    ids = _values(bob, "care", "care")
    with pytest.raises(Refused) as refused:
        services.values_merge(participant=host, ids=ids, into=pending)
    assert refused.value.code == "invalid"
    assert not Value.objects.filter(merged_into__isnull=False).exists()


def _vote(participant, statement_id):
    services.vote_cast(participant=participant, target={"kind": "statement", "id": statement_id})


def test_a_misspelt_statement_merged_keeps_every_vote(ada, bob, host):
    services.phase_open(participant=host, phase="statements")
    good = _statement(ada, "assessment", "equity")
    typo = _statement(bob, "assesment", "equity")
    _vote(ada, good)
    _vote(ada, typo)  # voted for both: keeps both
    _vote(bob, typo)
    event = services.statement_merge(participant=host, id=typo, into=good)
    events.check(event.kind, event.data)
    assert event.data == {"ids": [typo], "into": good, "key": "assessment|equity", "total": 3}
    votes = Vote.objects.filter(target_kind="statement")
    voters = sorted(votes.values_list("participant_id", flat=True))
    assert voters == sorted([ada.pk, ada.pk, bob.pk])
    assert set(votes.values_list("target_id", flat=True)) == {good}
    _, state = workshop_state(ada.workshop)
    by_id = {s["id"]: s for s in state["statements"]}
    assert (by_id[good]["votes"], by_id[typo]["votes"]) == (3, 0)
    assert (by_id[good]["merged"], by_id[typo]["merged"]) == (False, True)
    assert by_id[typo]["key"] == by_id[good]["key"]


def test_a_merge_never_puts_anyone_over_budget(ada, host):
    services.phase_open(participant=host, phase="statements")
    good = _statement(ada, "assessment", "equity")
    typo = _statement(ada, "assesment", "equity")
    for _ in range(3):
        _vote(ada, typo)
    services.statement_merge(participant=host, id=typo, into=good)
    with pytest.raises(Refused) as refused:
        _vote(ada, good)
    assert refused.value.code == "over_budget"
    services.vote_retract(participant=ada, target={"kind": "statement", "id": good})


def test_statements_that_already_count_as_one_are_not_merged(ada, bob, host):
    services.phase_open(participant=host, phase="statements")
    first = _statement(ada, "assessment", "equity")
    second = _statement(bob, "Assessment", "Equity")
    with pytest.raises(Refused) as refused:
        services.statement_merge(participant=host, id=second, into=first)
    assert refused.value.code == "invalid"


def test_a_statement_awaiting_approval_cannot_be_merged(ada, host):
    services.phase_open(participant=host, phase="statements")
    good = _statement(ada, "assessment", "equity")
    services.moderation_set(participant=host, premoderated=True)
    waiting = _statement(ada, "assesment", "equity")
    with pytest.raises(Refused) as refused:
        services.statement_merge(participant=host, id=waiting, into=good)
    assert refused.value.code == "not_found"
    assert Statement.objects.get(pk=waiting).key == "assesment|equity"
