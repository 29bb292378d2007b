"""Joins arriving together are written in one transaction, and each joiner still gets
their own participant, token and welcome, in arrival order; a refused join refuses only
itself."""

import asyncio
import json
import time

import pytest

from tests.workshops.live.client import connect
from workshops.live import consumer
from workshops.live.joins import GroupCommit, each_in_its_savepoint
from workshops.live.welcome import SharedWelcomes
from workshops.models import Participant
from workshops.services import Refused


def hello(name="", token=None, since=0, user=None) -> consumer.ParticipantHello:
    return consumer.ParticipantHello(name=name, token=token, since=since, user=user)


@pytest.mark.django_db
def test_a_group_gives_each_joiner_their_own_participant_and_token_in_order(workshop):
    names = ["Ada", "Bea", "Cy"]
    answers = consumer._participants_hello(
        workshop, SharedWelcomes(workshop.pk), [hello(name) for name in names]
    )
    welcomes = [json.loads(answer.frame) for answer in answers]  # type: ignore[union-attr]
    assert [w["you"]["name"] for w in welcomes] == names
    ids = [w["you"]["id"] for w in welcomes]
    assert ids == sorted(ids) and len(set(ids)) == 3  # made in arrival order
    assert len({w["token"] for w in welcomes}) == 3
    assert [w["state"]["participants"] for w in welcomes] == [3, 3, 3]


@pytest.mark.django_db
def test_a_refused_join_does_not_refuse_its_neighbours(workshop):
    answers = consumer._participants_hello(
        workshop,
        SharedWelcomes(workshop.pk),
        [hello("Ada"), hello("x" * 61), hello("Bea"), hello(token="nobody's"), hello("Cy")],
    )
    too_long, forbidden = answers[1], answers[3]
    assert isinstance(too_long, Refused) and too_long.code == "too_long"
    assert isinstance(forbidden, Refused) and forbidden.code == "forbidden"
    joined = [json.loads(a.frame)["you"]["name"] for a in answers if isinstance(a, consumer.Hello)]
    assert joined == ["Ada", "Bea", "Cy"]
    assert list(Participant.objects.filter(workshop=workshop).values_list("name", flat=True)) == [
        "Ada",
        "Bea",
        "Cy",
    ]


@pytest.mark.django_db
def test_a_returning_participant_in_a_group_is_welcomed_with_their_votes(workshop, ada, host):
    from workshops import services

    services.phase_open(participant=host, phase="statements")
    services.statement_add(participant=ada, activity="assessment", value="equity")
    statement = workshop.statement_set.get()
    services.vote_cast(participant=ada, target={"kind": "statement", "id": statement.pk})
    token = "ada-token"
    ada.token_hash = services.hash_token(token)
    ada.save(update_fields=["token_hash"])
    (answer,) = consumer._participants_hello(
        workshop, SharedWelcomes(workshop.pk), [hello("Ada", token=token)]
    )
    assert json.loads(answer.frame)["you"]["votes"] == {f"statement:{statement.pk}": 1}  # type: ignore[union-attr]


@pytest.mark.django_db(transaction=True)
async def test_what_arrives_together_is_run_as_one_group_in_arrival_order():
    groups: list[list[int]] = []

    def run_group(items: list[int]) -> list[int | Exception]:
        groups.append(items)
        return [ValueError(item) if item == 3 else item * 10 for item in items]

    group_commit: GroupCommit[int, int] = GroupCommit(run_group)
    outcomes = await asyncio.gather(
        *(group_commit.submit(item) for item in range(1, 6)), return_exceptions=True
    )
    assert groups == [[1, 2, 3, 4, 5]]
    assert outcomes[:2] == [10, 20] and outcomes[3:] == [40, 50]
    assert isinstance(outcomes[2], ValueError)


@pytest.mark.django_db(transaction=True)
async def test_a_group_whose_transaction_fails_fails_each_of_its_items():
    def run_group(items: list[int]) -> list[int | Exception]:
        raise RuntimeError("the database went away")

    group_commit: GroupCommit[int, int] = GroupCommit(run_group)
    outcomes = await asyncio.gather(
        *(group_commit.submit(item) for item in range(3)), return_exceptions=True
    )
    assert all(isinstance(outcome, RuntimeError) for outcome in outcomes)


@pytest.mark.django_db
def test_an_item_that_fails_rolls_back_only_its_own_writes(workshop):
    def write(name: str) -> Participant:
        participant = Participant.objects.create(workshop=workshop, name=name, token_hash=name)
        if name == "bad":
            raise Refused("invalid", "no")
        return participant

    outcomes = each_in_its_savepoint(["a", "bad", "b"], write)
    assert isinstance(outcomes[1], Refused)
    assert sorted(Participant.objects.values_list("name", flat=True)) == ["a", "b"]


@pytest.mark.django_db(transaction=True)
async def test_sockets_joining_at_once_are_each_welcomed_as_themselves(workshop):
    clients = [await connect(workshop.code) for _ in range(6)]
    names = [f"P{i}" for i in range(5)] + ["x" * 61]
    frames = await asyncio.gather(
        *(client.hello(name=name) for client, name in zip(clients, names, strict=True))
    )
    assert [frame["type"] for frame in frames] == ["welcome"] * 5 + ["error"]
    assert frames[-1]["code"] == "too_long"
    assert [frame["you"]["name"] for frame in frames[:5]] == names[:5]
    assert len({frame["you"]["id"] for frame in frames[:5]}) == 5
    for client in clients:
        await client.ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_hub_does_not_stop_under_a_hello_still_waiting_for_its_welcome(
    workshop, monkeypatch
):
    """A wave's first hello may wait longer than a quiet hub's grace: its hub stays."""
    from workshops.live import hub as fanout

    monkeypatch.setattr(fanout, "IDLE_GRACE", 0.05)
    build = consumer._participants_hello

    def slow_build(*args, **kwargs):
        time.sleep(0.3)  # the database thread busy with a thousand other joiners
        return build(*args, **kwargs)

    monkeypatch.setattr(consumer, "_participants_hello", slow_build)
    ada = await connect(workshop.code)
    assert (await ada.hello(name="Ada"))["type"] == "welcome"
    await ada.send(type="value.add", ref="c1", text="care")
    assert (await ada.reply())["type"] == "ack"
    await ada.wait_for_seq(1)  # delivered: the hub it attached to is still running
    await ada.ws.disconnect()
