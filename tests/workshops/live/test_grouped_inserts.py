"""A group's contributions are written in one INSERT per table (decision 0016), and keep
everything a command sent alone has: its own validation, error, ack and seq, in arrival
order, and a failing command never undoes its neighbours.

Run with DATABASE_URL=postgres://... for PostgreSQL, where a failed statement outside a
savepoint loses the whole transaction.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any

import pytest
from channels.db import database_sync_to_async as sync_to_async
from django.db import IntegrityError, connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from workshops import services
from workshops.errors import Refused
from workshops.live import group_commit, protocol, throttle
from workshops.live.hub import Hub, hub_for
from workshops.models import Event, Participant, Phase, Statement, Value, Workshop

pytestmark = pytest.mark.django_db(transaction=True)


def command(participant: Participant, **message: Any) -> Callable[[], Any]:
    return functools.partial(
        protocol.apply, participant=participant, session_key=None, message=message
    )


def job(loop: asyncio.AbstractEventLoop, participant: Participant, **message: Any) -> Any:
    """A socket's command as the consumer hands it to its lane."""
    return group_commit.Job(
        command(participant, **message),
        None,
        loop.create_future(),
        ref=(participant.pk, message["ref"]),
        inserts_only=protocol.inserts_only(message),
    )


async def last_seq(workshop: Workshop) -> int:
    return await sync_to_async(lambda: Workshop.objects.get(pk=workshop.pk).last_seq)()


async def stored_texts() -> list[str]:
    return await sync_to_async(lambda: list(Value.objects.values_list("text", flat=True)))()


def outcome(done: group_commit.Job[Any]) -> Any:
    return done.error if done.error is not None else done.result


@pytest.fixture
def announced(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The seqs the hub hears, in the order it hears them."""
    seqs: list[int] = []
    committed = Hub.committed

    def heard(self: Hub, events: list[dict[str, Any]]) -> None:
        seqs.extend(event["seq"] for event in events)
        committed(self, events)

    monkeypatch.setattr(Hub, "committed", heard)
    return seqs


@pytest.fixture
def kept_together(caplog: pytest.LogCaptureFixture) -> Any:
    """The group is committed as one: no command made it run again alone."""
    yield
    assert "failed as a whole" not in caplog.text


def statements_open(workshop: Workshop) -> None:
    Phase.objects.filter(workshop=workshop, kind=Phase.Kind.STATEMENTS).update(
        status=Phase.Status.OPEN
    )


async def test_a_groups_values_and_events_are_written_in_one_insert_each_with_no_savepoint(
    workshop: Workshop, ada: Participant, bob: Participant, kept_together: None
) -> None:
    """What a thousand values a second rely on: ten values cost two INSERTs, not twenty,
    and no SAVEPOINT or RELEASE around each."""
    loop = asyncio.get_running_loop()
    people = [ada, bob] * 5
    jobs = [
        job(loop, who, type="value.add", ref=f"v{n}", text=f"idea {n}")
        for n, who in enumerate(people)
    ]

    def commit() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            group_commit.commit_group(jobs)
        return [query["sql"] for query in queries.captured_queries]

    before = await last_seq(workshop)
    sql = await sync_to_async(commit)()

    assert sum(1 for q in sql if q.startswith('INSERT INTO "workshops_value"')) == 1
    assert sum(1 for q in sql if q.startswith('INSERT INTO "workshops_event"')) == 1
    assert not [q for q in sql if q.startswith(("SAVEPOINT", "RELEASE"))]
    events = [outcome(done) for done in jobs]
    assert [event.seq for event in events] == list(range(before + 1, before + 11))

    def stored() -> list[tuple[int, str, int]]:
        return [
            (event.seq, event.data["text"], event.data["id"])
            for event in Event.objects.filter(workshop=workshop, seq__gt=before).order_by("seq")
        ]

    rows = await sync_to_async(stored)()
    assert [text for _, text, _ in rows] == [f"idea {n}" for n in range(10)]
    values = await sync_to_async(
        lambda: dict(Value.objects.values_list("pk", "text").order_by("pk"))
    )()
    assert [values[id] for _, _, id in rows] == [f"idea {n}" for n in range(10)]
    ids = [id for _, _, id in rows]
    assert ids == sorted(ids)  # ids in arrival order too
    assert [event.data["id"] for event in events] == [id for _, _, id in rows]  # the acks'


async def test_a_command_failing_in_the_middle_gets_its_own_error_and_the_rest_consecutive_seqs(
    workshop: Workshop,
    ada: Participant,
    bob: Participant,
    announced: list[int],
    kept_together: None,
) -> None:
    hub = await hub_for(workshop.pk)
    loop = asyncio.get_running_loop()
    before = await last_seq(workshop)
    jobs = [
        job(loop, ada, type="value.add", ref="a1", text="care"),
        job(loop, bob, type="value.add", ref="b1", text="   "),
        job(loop, bob, type="value.add", ref="b2", text="equity"),
        job(loop, ada, type="statement.add", ref="a2", activity="assessment", value="care"),
        job(loop, ada, type="value.add", ref="a3", text="x" * 81),
        job(loop, bob, type="value.add", ref="b3", text="justice"),
        job(loop, ada, type="value.add", ref="a1", text="care"),  # a1 retried
    ]
    await sync_to_async(group_commit.commit_group)(jobs)

    care, empty, equity, closed, too_long, justice, retried = (outcome(done) for done in jobs)
    assert [(e.code, type(e)) for e in (empty, closed, too_long)] == [
        ("empty", Refused),
        ("phase_closed", Refused),
        ("too_long", Refused),
    ]
    assert [e.seq for e in (care, equity, justice)] == [before + 1, before + 2, before + 3]
    assert retried is care  # acked with the first attempt's seq, stored once
    texts = await stored_texts()
    assert sorted(texts) == ["care", "equity", "justice"]
    await sync_to_async(lambda: None)()  # the announcements reach the hub on the loop
    assert announced == [before + 1, before + 2, before + 3]
    assert hub.known_seq == before + 3
    last = await last_seq(workshop)
    assert last == before + 3


async def test_what_a_command_reads_sees_the_contributions_of_the_group_before_it(
    workshop: Workshop, ada: Participant, host: Participant, kept_together: None
) -> None:
    """Rows wait for the group's INSERT only until a statement reads: a statement on a value
    added just before it links to that value, and a facilitator's phase.close between
    values refuses those after it, not those before."""
    await sync_to_async(statements_open)(workshop)
    loop = asyncio.get_running_loop()
    close = group_commit.Job(
        functools.partial(services.phase_close, participant=host, phase="values"),
        None,
        loop.create_future(),
    )
    jobs = [
        job(loop, ada, type="value.add", ref="a1", text="Care"),
        job(loop, ada, type="statement.add", ref="a2", activity="assessment", value="care"),
        close,
        job(loop, ada, type="value.add", ref="a3", text="justice"),
    ]
    await sync_to_async(group_commit.commit_group)(jobs)

    care, statement, closed, justice = (outcome(done) for done in jobs)
    assert statement.data["value_id"] == care.data["id"]
    assert closed.seq == statement.seq + 1 == care.seq + 2
    assert isinstance(justice, Refused) and justice.code == "phase_closed"
    linked = await sync_to_async(lambda: Statement.objects.get().value_id)()
    assert linked == care.data["id"]


async def test_a_group_whose_rows_fail_to_insert_runs_each_command_again_alone(
    workshop: Workshop, ada: Participant, bob: Participant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The group's INSERT failing (a constraint, the connection) loses the whole
    transaction: every command runs again alone and gets the outcome it would have had."""
    bulk_create = QuerySet.bulk_create
    failed: list[bool] = []

    def fails_once(self: QuerySet[Any], objs: Any, *args: Any, **kwargs: Any) -> Any:
        if self.model is Value and not failed:
            failed.append(True)
            raise IntegrityError("the group's INSERT broke a constraint")
        return bulk_create(self, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", fails_once)
    loop = asyncio.get_running_loop()
    before = await last_seq(workshop)
    jobs = [
        job(loop, ada, type="value.add", ref="a1", text="care"),
        job(loop, bob, type="value.add", ref="b1", text=""),
        job(loop, bob, type="value.add", ref="b2", text="equity"),
    ]
    await sync_to_async(group_commit.commit_group)(jobs)

    care, empty, equity = (outcome(done) for done in jobs)
    assert failed == [True]
    assert isinstance(empty, Refused) and empty.code == "empty"
    assert [care.seq, equity.seq] == [before + 1, before + 2]
    texts = await stored_texts()
    assert sorted(texts) == ["care", "equity"]


async def test_a_failure_after_a_command_wrote_rows_itself_runs_the_group_again_alone(
    workshop: Workshop, ada: Participant, bob: Participant
) -> None:
    """A command marked as only inserting that writes something itself and then fails
    cannot be undone on its own (it has no savepoint): its group runs again alone."""
    loop = asyncio.get_running_loop()

    def writes_then_breaks() -> None:
        Value.objects.create(workshop=workshop, author=bob, text="half-written", key="half")
        raise RuntimeError("a bug after the write")

    broken = group_commit.Job(writes_then_breaks, None, loop.create_future(), inserts_only=True)
    jobs = [
        job(loop, ada, type="value.add", ref="a1", text="care"),
        broken,
        job(loop, ada, type="value.add", ref="a2", text="equity"),
    ]
    await sync_to_async(group_commit.commit_group)(jobs)

    care, error, equity = (outcome(done) for done in jobs)
    assert equity.seq == care.seq + 1
    # Alone, it writes its row outside any group: what it would do sent alone.
    assert isinstance(error, RuntimeError)
    texts = await stored_texts()
    assert sorted(texts) == ["care", "equity", "half-written"]


async def test_a_groups_throttle_counts_are_read_in_one_round_trip(
    workshop: Workshop, monkeypatch: pytest.MonkeyPatch, kept_together: None
) -> None:
    reads: list[int] = []
    get_many = throttle.cache.get_many

    def counted(keys: Any) -> Any:
        reads.append(len(keys))
        return get_many(keys)

    monkeypatch.setattr(throttle.cache, "get_many", counted)
    people = await sync_to_async(
        lambda: [services.participant_join(workshop=workshop, name=f"P{n}")[0] for n in range(8)]
    )()
    loop = asyncio.get_running_loop()
    jobs = []
    for n, who in enumerate(people):
        message = {"type": "value.add", "ref": f"v{n}", "text": f"idea {n}"}
        jobs.append(
            group_commit.Job(
                command(who, **message),
                functools.partial(
                    protocol.admit, participant=who, message=message, address="10.0.0.1"
                ),
                loop.create_future(),
                ref=(who.pk, message["ref"]),
                inserts_only=True,
                counts=protocol.throttle_keys(participant=who, address="10.0.0.1"),
            )
        )
    await sync_to_async(group_commit.commit_group)(jobs)

    assert [done.error for done in jobs] == [None] * 8
    assert len(reads) == 1  # every participant's, the address's and the workshop's
    assert reads[0] >= 8


async def test_a_groups_events_ring_the_other_processes_once_in_seq_order(
    workshop: Workshop, ada: Participant, bob: Participant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes: a group's events reach the other process's hub in one message of
    the channel layer, not one per command."""
    hub = await hub_for(workshop.pk)
    rung: list[list[int]] = []

    class OtherProcesses:  # a layer that reaches another process (not the in-memory one)
        async def group_send(self, group: str, message: dict[str, Any]) -> None:
            rung.append([event["seq"] for event in message["events"]])

    monkeypatch.setattr(hub, "layer", OtherProcesses())
    loop = asyncio.get_running_loop()
    before = await last_seq(workshop)
    jobs = [
        job(loop, who, type="value.add", ref=f"v{n}", text=f"idea {n}")
        for n, who in enumerate([ada, bob] * 3)
    ]
    await sync_to_async(group_commit.commit_group)(jobs)
    for _ in range(100):
        if rung:
            break
        await asyncio.sleep(0.01)

    assert rung == [list(range(before + 1, before + 7))]
