"""Commands committed together (workshops/live/group_commit.py) keep everything a command
sent alone has: its own outcome, its own error, its own seq, in the order they arrived.

`group_commit.run` calls made in one turn of the event loop wait for the same lane, so
they are committed as one group: each test checks the group it meant to make.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from typing import Any

import pytest
from channels.db import database_sync_to_async as sync_to_async
from django.db import IntegrityError, OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import needs
from workshops import services
from workshops.errors import Refused
from workshops.live import group_commit, protocol, throttle
from workshops.live.hub import Hub, hub_for
from workshops.models import Event, Participant, Value, Workshop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def groups(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every group the lanes commit (this test's lanes are new: its loop is)."""
    sizes: list[int] = []
    commit_group = group_commit.commit_group

    def counted(jobs: list[group_commit.Job[Any]]) -> None:
        sizes.append(len(jobs))
        commit_group(jobs)

    monkeypatch.setattr(group_commit, "commit_group", counted)
    return sizes


def command(participant: Participant, **message: Any) -> Callable[[], Any]:
    """A socket's command as the consumer sends it to the lane."""
    return functools.partial(
        protocol.apply, participant=participant, session_key=None, message=message
    )


def admitted(participant: Participant, message: dict[str, Any]) -> Callable[[], None]:
    return functools.partial(
        protocol.admit, participant=participant, message=message, address="10.0.0.1"
    )


async def together(workshop: Workshop, *works: Callable[[], Any]) -> list[Any]:
    """Run the works in one turn of the loop: their outcomes (results or exceptions).
    A socket's command says which ref it dedupes on and whether it only inserts, as the
    consumer does."""
    return await asyncio.gather(
        *(
            group_commit.run(workshop.pk, work, ref=ref_of(work), inserts_only=inserts(work))
            for work in works
        ),
        return_exceptions=True,
    )


def inserts(work: Callable[[], Any]) -> bool:
    message = getattr(work, "keywords", {}).get("message")
    return message is not None and protocol.inserts_only(message)


def ref_of(work: Callable[[], Any]) -> tuple[int, str] | None:
    if not isinstance(work, functools.partial) or "message" not in work.keywords:
        return None
    ref = work.keywords["message"].get("ref")
    return (work.keywords["participant"].pk, ref) if ref else None


def as_facilitator(
    service: Callable[..., Any], host: Participant, **fields: Any
) -> Callable[[], Any]:
    """A facilitator's command (the socket's sign-in check is not what these test)."""
    return functools.partial(service, participant=host, **fields)


async def last_seq(workshop: Workshop) -> int:
    return await sync_to_async(lambda: Workshop.objects.get(pk=workshop.pk).last_seq)()


async def stored_values() -> list[str]:
    return await sync_to_async(
        lambda: list(Value.objects.order_by("pk").values_list("text", flat=True))
    )()


async def test_each_command_of_a_group_gets_its_own_ack_or_error_in_arrival_order(
    workshop: Workshop, ada: Participant, bob: Participant, groups: list[int]
) -> None:
    before = await last_seq(workshop)
    outcomes = await together(
        workshop,
        command(ada, type="value.add", ref="a1", text="care"),
        command(bob, type="value.add", ref="b1", text="   "),
        command(bob, type="value.add", ref="b2", text="equity"),
        command(ada, type="statement.add", ref="a2", activity="assessment", value="care"),
        command(ada, type="value.add", ref="a3", text="x" * 81),
        command(bob, type="value.add", ref="b3", text="justice"),
    )

    assert groups == [6]
    kept, empty, second, closed, too_long, third = outcomes
    assert [event.seq for event in (kept, second, third)] == [before + 1, before + 2, before + 3]
    assert [event.data["text"] for event in (kept, second, third)] == ["care", "equity", "justice"]
    assert [(e.code, type(e)) for e in (empty, closed, too_long)] == [
        ("empty", Refused),
        ("phase_closed", Refused),
        ("too_long", Refused),
    ]
    assert await stored_values() == ["care", "equity", "justice"]
    assert await last_seq(workshop) == before + 3


async def test_a_bug_in_one_command_rolls_back_its_own_writes_and_announcement_only(
    workshop: Workshop, ada: Participant, bob: Participant, groups: list[int], monkeypatch
) -> None:
    hub = await hub_for(workshop.pk)
    announced: list[int] = []
    committed = Hub.committed

    def heard(self: Hub, events: list[dict[str, Any]]) -> None:
        announced.extend(event["seq"] for event in events)
        committed(self, events)

    monkeypatch.setattr(Hub, "committed", heard)
    before = await last_seq(workshop)

    def stores_then_breaks() -> None:
        services.value_add(participant=bob, text="half-written", ref="b1")
        raise RuntimeError("a bug after the write")

    outcomes = await together(
        workshop,
        command(ada, type="value.add", ref="a1", text="care"),
        stores_then_breaks,
        command(ada, type="value.add", ref="a2", text="equity"),
    )

    assert groups == [3]
    assert isinstance(outcomes[1], RuntimeError)
    assert [outcomes[0].seq, outcomes[2].seq] == [before + 1, before + 2]
    assert await stored_values() == ["care", "equity"]
    assert announced == [before + 1, before + 2]  # in seq order, and not the rolled-back one
    assert hub.known_seq == before + 2


async def test_a_database_error_in_one_command_does_not_roll_back_its_neighbours(
    workshop: Workshop, ada: Participant, groups: list[int]
) -> None:
    def breaks_a_constraint() -> None:
        # seq 1 is taken: on PostgreSQL this error aborts the whole transaction but for
        # the savepoint each command runs in.
        Event.objects.create(
            workshop_id=workshop.pk, seq=1, kind="value.added", data={}, at=timezone.now()
        )

    outcomes = await together(
        workshop,
        command(ada, type="value.add", ref="a1", text="care"),
        breaks_a_constraint,
        command(ada, type="value.add", ref="a2", text="equity"),
    )

    assert groups == [3]
    assert isinstance(outcomes[1], IntegrityError)
    assert outcomes[2].seq == outcomes[0].seq + 1
    assert await stored_values() == ["care", "equity"]


async def test_a_ref_retried_within_one_group_is_stored_once(
    workshop: Workshop, ada: Participant, groups: list[int]
) -> None:
    first, retried, reused = await together(
        workshop,
        command(ada, type="value.add", ref="c1", text="care"),
        command(ada, type="value.add", ref="c1", text="care"),
        command(ada, type="value.add", ref="c1", text="equity"),
    )

    assert groups == [3]
    assert retried.seq == first.seq
    assert isinstance(reused, Refused) and reused.code == "invalid"
    assert await stored_values() == ["care"]


async def test_a_group_whose_commit_fails_runs_each_command_again_alone_admitted_once(
    workshop: Workshop, ada: Participant, bob: Participant, groups: list[int], monkeypatch
) -> None:
    commit = BaseDatabaseWrapper.commit
    failed: list[bool] = []

    def commit_fails_once(self: BaseDatabaseWrapper) -> None:
        if not failed:
            failed.append(True)
            raise OperationalError("the server closed the connection during COMMIT")
        commit(self)

    monkeypatch.setattr(BaseDatabaseWrapper, "commit", commit_fails_once)
    admissions: list[str] = []
    before = await last_seq(workshop)
    messages = [
        (ada, {"type": "value.add", "ref": "a1", "text": "care"}),
        (bob, {"type": "value.add", "ref": "b1", "text": ""}),
        (bob, {"type": "value.add", "ref": "b2", "text": "equity"}),
    ]

    def counting(participant: Participant, message: dict[str, Any]) -> Callable[[], None]:
        admit = admitted(participant, message)

        def counted() -> None:
            admissions.append(message["ref"])
            admit()

        return counted

    outcomes: list[Any] = await asyncio.gather(
        *(
            group_commit.run(workshop.pk, command(who, **message), before=counting(who, message))
            for who, message in messages
        ),
        return_exceptions=True,
    )

    assert failed == [True] and groups == [3]
    care, empty, equity = outcomes
    assert [care.seq, equity.seq] == [before + 1, before + 2]
    assert isinstance(empty, Refused) and empty.code == "empty"
    assert await stored_values() == ["care", "equity"]
    assert admissions == ["a1", "b1", "b2"]  # the throttle counted each command once


async def test_a_command_refused_by_the_throttle_in_a_group_changes_nothing(
    workshop: Workshop, ada: Participant, bob: Participant, groups: list[int], monkeypatch
) -> None:
    monkeypatch.setattr(
        protocol.throttle, "command_allowed", lambda **who: who["participant_id"] != bob.pk
    )
    messages = [
        (ada, {"type": "value.add", "ref": "a1", "text": "care"}),
        (bob, {"type": "value.add", "ref": "b1", "text": "flood"}),
        (ada, {"type": "value.add", "ref": "a2", "text": "equity"}),
    ]
    outcomes: list[Any] = await asyncio.gather(
        *(
            group_commit.run(workshop.pk, command(who, **message), before=admitted(who, message))
            for who, message in messages
        ),
        return_exceptions=True,
    )
    care, flood, equity = outcomes

    assert isinstance(flood, Refused) and flood.code == "rate_limited"
    assert equity.seq == care.seq + 1
    assert await stored_values() == ["care", "equity"]


async def test_a_groups_counts_are_written_once_and_each_command_counts_against_the_next(
    workshop: Workshop, ada: Participant, groups: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[int] = []
    set_many = throttle.cache.set_many

    def counted(data: dict[str, Any], timeout: Any = None) -> Any:
        writes.append(len(data))
        return set_many(data, timeout=timeout)

    monkeypatch.setattr(throttle.cache, "set_many", counted)
    messages = [{"type": "value.add", "ref": f"a{n}", "text": f"idea {n}"} for n in range(22)]
    outcomes: list[Any] = await asyncio.gather(
        *(
            group_commit.run(workshop.pk, command(ada, **message), before=admitted(ada, message))
            for message in messages
        ),
        return_exceptions=True,
    )

    assert groups == [22]
    refused = [getattr(outcome, "code", None) for outcome in outcomes]
    assert refused == [None] * 20 + ["rate_limited"] * 2  # a person's burst is 20
    assert len(writes) == 1


async def test_commands_sent_at_once_from_sockets_are_acked_each_with_their_own_seq(
    workshop: Workshop,
) -> None:
    from tests.workshops.live.client import join

    people = [await join(workshop.code, f"Person {n}") for n in range(6)]
    watcher = await join(workshop.code, "Watcher")
    for n, person in enumerate(people):
        await person.send(type="value.add", ref="v", text=f"idea {n}")
    acks = [await person.reply() for person in people]
    await watcher.wait_for_seq(max(ack["seq"] for ack in acks))

    assert [ack["type"] for ack in acks] == ["ack"] * len(people)
    by_seq = {event["seq"]: event["data"]["text"] for event in watcher.events}
    assert [by_seq[ack["seq"]] for ack in acks] == [f"idea {n}" for n in range(len(people))]
    seqs = [event["seq"] for event in watcher.events]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    for client in [*people, watcher]:
        await client.close()


async def test_a_group_reads_the_workshop_its_refs_and_the_open_phase_and_stores_the_seq_once(
    workshop: Workshop, ada: Participant, bob: Participant, groups: list[int]
) -> None:
    """What a thousand values a second rely on: the reads every command makes before it
    writes, and the seq it stores, are made once for its group (decision 0010)."""
    people = [ada, bob] * 5

    def group_of_ten() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            group_commit.commit_group(
                [
                    group_commit.Job(work, None, loop.create_future(), ref=ref_of(work))
                    for work in (
                        command(who, type="value.add", ref=f"v{n}", text=f"idea {n}")
                        for n, who in enumerate(people)
                    )
                ]
            )
        return [query["sql"] for query in queries.captured_queries]

    loop = asyncio.get_running_loop()
    sql = await sync_to_async(group_of_ten)()

    def reading(table: str) -> int:
        return sum(1 for q in sql if q.startswith("SELECT") and f'FROM "{table}"' in q)

    assert reading("workshops_workshop") == 1  # the lock, with the seq and the moderation
    assert reading("workshops_event") == 1  # the ten refs
    assert reading("workshops_phase") == 1
    assert sum(1 for q in sql if q.startswith('UPDATE "workshops_workshop"')) == 1  # the seq
    assert sum(1 for q in sql if q.startswith("SAVEPOINT")) == 10  # one per command
    assert await stored_values() == [f"idea {n}" for n in range(10)]


async def test_a_command_that_changes_what_the_group_read_is_seen_by_the_commands_after_it(
    workshop: Workshop, ada: Participant, host: Participant, groups: list[int]
) -> None:
    before = await last_seq(workshop)
    outcomes = await together(
        workshop,
        command(ada, type="value.add", ref="a1", text="care"),
        as_facilitator(services.moderation_set, host, premoderated=True),
        command(ada, type="value.add", ref="a2", text="equity"),
        as_facilitator(services.phase_close, host, phase="values"),
        command(ada, type="value.add", ref="a3", text="justice"),
        as_facilitator(services.phase_open, host, phase="statements"),
        as_facilitator(services.workshop_update, host, statement_template="{activity} / {value}"),
        command(ada, type="statement.add", ref="a4", activity="assessment", value="care"),
    )

    assert groups == [8]
    care, _, equity, _, closed, _, _, statement = outcomes
    assert (care.kind, equity.kind) == ("value.added", "value.submitted")
    assert isinstance(closed, Refused) and closed.code == "phase_closed"
    assert statement.kind == "statement.submitted"  # still pre-moderated
    assert statement.data["text"] == "assessment / care"
    assert await last_seq(workshop) == before + 7


async def test_a_command_rolled_back_after_changing_the_workshop_leaves_no_trace_on_the_rest(
    workshop: Workshop, ada: Participant, host: Participant, groups: list[int]
) -> None:
    before = await last_seq(workshop)

    def premoderates_then_breaks() -> None:
        services.moderation_set(participant=host, premoderated=True, ref="h1")
        raise RuntimeError("a bug after the write")

    outcomes = await together(
        workshop,
        command(ada, type="value.add", ref="a1", text="care"),
        premoderates_then_breaks,
        command(ada, type="value.add", ref="a2", text="equity"),
    )

    assert groups == [3]
    care, broken, equity = outcomes
    assert isinstance(broken, RuntimeError)
    assert (care.kind, equity.kind) == ("value.added", "value.added")  # not pre-moderated
    assert [care.seq, equity.seq] == [before + 1, before + 2]
    assert not (await sync_to_async(Workshop.objects.get)(pk=workshop.pk)).premoderated


async def test_a_ref_stored_before_the_group_is_acked_with_its_first_seq_and_stores_nothing(
    workshop: Workshop, ada: Participant, bob: Participant, groups: list[int]
) -> None:
    first = await sync_to_async(services.value_add)(participant=ada, text="care", ref="c1")
    retried, other = await together(
        workshop,
        command(ada, type="value.add", ref="c1", text="care"),
        command(bob, type="value.add", ref="c1", text="equity"),  # another sender's c1
    )

    assert groups == [2]
    assert retried.seq == first.seq
    assert other.seq == first.seq + 1
    assert await stored_values() == ["care", "equity"]


async def test_a_ref_whose_first_attempt_rolled_back_in_the_group_is_stored_by_the_retry(
    workshop: Workshop, ada: Participant, groups: list[int]
) -> None:
    before = await last_seq(workshop)

    def stores_then_breaks() -> None:
        services.value_add(participant=ada, text="care", ref="c1")
        raise RuntimeError("a bug after the write")

    broken, retried = await together(
        workshop, stores_then_breaks, command(ada, type="value.add", ref="c1", text="care")
    )

    assert groups == [2]
    assert isinstance(broken, RuntimeError)
    assert retried.seq == before + 1
    assert await stored_values() == ["care"]  # not acked with the rolled-back attempt


ROUNDS = 5
PER_GROUP = 10


def test_two_lanes_writing_one_workshop_at_once_keep_seqs_unique_and_consecutive(
    workshop: Workshop,
) -> None:
    """Two processes each have a lane for the workshop: on PostgreSQL their groups really
    run side by side, and the workshop's row lock orders them."""
    needs("postgres")
    people = [services.participant_join(workshop=workshop, name=f"P{n}")[0] for n in range(2)]
    first_seq = Workshop.objects.get(pk=workshop.pk).last_seq + 1
    start = threading.Barrier(2)
    failures: list[BaseException] = []
    loop = asyncio.new_event_loop()

    def lane(person: Participant) -> None:
        try:
            start.wait()
            for round_ in range(ROUNDS):
                works = [
                    command(person, type="value.add", ref=f"{round_}-{n}", text=f"{round_}-{n}")
                    for n in range(PER_GROUP)
                ]
                jobs = [
                    group_commit.Job(work, None, loop.create_future(), ref=ref_of(work))
                    for work in works
                ]
                group_commit.commit_group(jobs)
                failures.extend(job.error for job in jobs if job.error is not None)
        except BaseException as failure:
            failures.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=lane, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    loop.close()

    assert failures == []
    seqs = list(
        Event.objects.filter(workshop=workshop, seq__gte=first_seq).values_list("seq", flat=True)
    )
    assert sorted(seqs) == list(range(first_seq, first_seq + 2 * ROUNDS * PER_GROUP))
    for person in people:
        assert Value.objects.filter(author=person).count() == ROUNDS * PER_GROUP


async def test_values_in_one_group_with_tables_formed_and_ended_carry_the_table_of_their_moment(
    workshop: Workshop, ada: Participant, host: Participant, groups: list[int]
) -> None:
    # Forming and ending tables changes the workshop row the group shares (`seating`):
    # the values after each see the round as it is then.
    outcomes = await together(
        workshop,
        command(ada, type="value.add", ref="a1", text="care"),
        as_facilitator(services.tables_form, host, count=1),
        command(ada, type="value.add", ref="a2", text="equity"),
        as_facilitator(services.tables_end, host),
        command(ada, type="value.add", ref="a3", text="justice"),
    )

    assert groups == [5]
    before, formed, during, _, after = outcomes
    (table,) = formed.data["tables"]
    assert [before.data.get("table"), during.data.get("table"), after.data.get("table")] == [
        None,
        table["id"],
        None,
    ]
