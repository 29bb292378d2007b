"""Group commit: what arrives while the database is busy is committed together.

A command costs its transaction as much as its work: one thread hop, a BEGIN, a COMMIT.
So the commands that arrive while a group is being written wait for it to finish and are
then written together, in one transaction, each in a savepoint of its own, in arrival
order. Nobody waits for company: a command that finds the lane idle goes at once, alone,
exactly as it would without grouping; the busier the room, the bigger the groups.

What each job keeps of its own (decision 0006):
- its own work, run in the context it was submitted from (its language, its locals);
- its own outcome: a result or an exception, given back to its own caller only after the
  group's transaction has committed, so no ack ever stands for something unstored;
- its own failure: a refusal, a bug or a database error inside it rolls back its own
  savepoint, not its neighbours (what it registered with `on_commit` goes too);
- its seq, since every service still appends its event itself under the workshop's
  lock (`services.core`): seqs stay consecutive, in the order the jobs ran.
What the jobs share is what they would each have read before writing: the group runs in
one `services.Group`, which locks the workshop once, looks the refs of all its commands
up in one query (each job says which, `ref`) and reads the open phases once, for as long
as no command of the group changes them; the group's admissions (`before`) read their
throttle counts in one round trip and write them in one (`throttle.counted_together`)
(decisions 0010, 0016).
A job whose command only inserts a contribution (`inserts_only`: `value.add`,
`statement.add`, `idea.add`) runs in no savepoint: its value and event wait in the group
and are written with the others', one INSERT per table, before any other statement of
the transaction runs (`Group.write_rows`), so what a later command reads sees them. A
refusal of such a job has nothing to undo; should it fail after something was written
for it, or leave the transaction unusable, the group runs again alone (decision 0016).
Should the group's transaction fail as a whole (its COMMIT, or a connection that broke
under one job), nothing of it is stored, and every job that had not failed on its own
runs again alone, so each still gets the outcome it would have had alone.

Lanes: SQLite has one writer, so every job of the process goes through one lane, in
Channels' shared database thread (where the hubs read too, decision 0001). PostgreSQL
runs transactions side by side, so each workshop has its own lane, on one of
`settings.COMMAND_THREADS` database threads; a group never spans two workshops, so two
threads never wait on each other's workshop locks. A lane runs one group at a time:
jobs of one workshop are gathered and ordered there, never raced.

The same lanes can carry any short write that ends in its own transaction: a job is a
callable, and `before` (run once, outside the transaction) is for what must not be
repeated if the job runs again alone, such as counting it against a throttle.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from channels.db import DatabaseSyncToAsync, database_sync_to_async
from django.conf import settings
from django.db import connection, transaction

from ..services import Group
from . import throttle

log = logging.getLogger(__name__)

T = TypeVar("T")

# Jobs in one transaction at most. A group holds the workshop's lock while it runs; a
# hundred commands take 100-300 ms, and the hub sends between groups, not during them.
GROUP_MAX = 100


@dataclass(eq=False)
class Job(Generic[T]):
    """One caller's work, with the context it came from and where its outcome goes."""

    work: Callable[[], T]
    before: Callable[[], object] | None
    future: asyncio.Future[T]
    # The (participant, ref) its command dedupes on, if any: looked up with the group's.
    ref: tuple[int, str] | None = None
    # Its command only inserts a contribution and its event: it runs in no savepoint, and
    # its rows wait for the group's one INSERT per table (decision 0016).
    inserts_only: bool = False
    # The throttle's keys `before` counts it under: read with the group's, in one MGET.
    counts: tuple[str, ...] = ()
    context: contextvars.Context = field(default_factory=contextvars.copy_context)
    # Filled in the database thread: what `work` returned, or what it raised.
    result: Any = None
    error: BaseException | None = None
    done: bool = False

    def prepare(self) -> bool:
        """Run `before` (once, outside any transaction); False if it refused the job."""
        if self.before is None:
            return True
        try:
            self.context.run(self.before)
        except Exception as error:
            self.fail(error)
            return False
        return True

    def run_alone(self) -> None:
        """The work in its own transactions, exactly as without grouping."""
        try:
            self._succeeded(self.context.run(self.work))
        except Exception as error:
            self.fail(error)

    def run_in_group(self, group: Group) -> None:
        """Its work in the group's transaction, in a savepoint of its own unless it only
        inserts (then a refusal has nothing to undo: what it stored waits in the group).
        Raises _GroupBroken when only running the whole group again alone can undo it."""
        try:
            if self.inserts_only:
                result = self.context.run(group.run, self.work, inserts_only=True)
            else:
                with transaction.atomic():
                    result = self.context.run(group.run, self.work)
        except Exception as error:
            if group.broken is not None:  # the group's rows failed, not this job
                raise _GroupBroken from error
            if self.inserts_only:
                if group.job_rows_written or _aborted():
                    raise _GroupBroken from error  # it runs again alone, with the rest
                # It wrote nothing and the transaction is sound: the rollback its command's
                # atomic block asked for (it had no savepoint to roll back) is not needed.
                transaction.set_rollback(False)
            group.rolled_back()
            self.fail(error)
        else:
            self._succeeded(result)

    def _succeeded(self, result: T) -> None:
        self.result, self.error, self.done = result, None, True

    def fail(self, error: BaseException) -> None:
        self.result, self.error, self.done = None, error, True

    def settle(self) -> None:
        """Hand the outcome to the caller (on the event loop, after the commit)."""
        if self.future.done():  # the caller went away (its socket closed)
            return
        if self.error is not None:
            self.future.set_exception(self.error)
        else:
            self.future.set_result(self.result)


class _GroupBroken(Exception):
    """A job left the group's transaction unusable (its connection broke), or only the
    whole group rolled back can undo what it did."""


def _aborted() -> bool:
    """Did a statement fail outside any savepoint (PostgreSQL then refuses every other
    statement of the transaction)? SQLite goes on."""
    if connection.vendor != "postgresql" or connection.connection is None:
        return False
    from psycopg.pq import TransactionStatus

    status: TransactionStatus = connection.connection.info.transaction_status
    return status == TransactionStatus.INERROR


def commit_group(jobs: list[Job[Any]]) -> None:
    """Run the jobs in arrival order, in one transaction, a savepoint each (a database
    thread). Each job's outcome is left on it."""
    # One read and one write of the group's counts.
    with throttle.counted_together([key for job in jobs for key in job.counts]):
        ready = [job for job in jobs if job.prepare()]
    if len(ready) == 1:
        ready[0].run_alone()  # no company: no savepoint either
        return
    if not ready:
        return
    committed = False

    def mark_committed() -> None:
        nonlocal committed
        committed = True

    try:
        with transaction.atomic():
            # First of the commit hooks, so it runs before the jobs' announcements: if one
            # of those raises after the COMMIT, the group is stored and must not run again.
            transaction.on_commit(mark_committed)
            group = Group(refs=[job.ref for job in ready if job.ref is not None])
            # Every statement after the rows the group's jobs left waiting (decision 0016).
            with connection.execute_wrapper(group.before_query):
                for job in ready:
                    job.run_in_group(group)
                    if connection.needs_rollback:
                        raise _GroupBroken  # the job's error stands; its neighbours run alone
                group.write_seqs()
    except Exception as failure:
        if committed:
            log.exception("an announcement of a committed group failed")
            return
        # Nothing of the group is stored. A job that failed on its own keeps its error
        # (it changed nothing); every other one runs again, alone, in the same order.
        log.warning("a group of %d jobs failed as a whole (%r)", len(ready), failure)
        for job in ready:
            if job.error is None:
                job.run_alone()


class Lane:
    """Jobs waiting their turn for one writer, committed a group at a time."""

    def __init__(self, key: int | None, write: Callable[[list[Job[Any]]], Any]) -> None:
        self.key = key  # the workshop, or None: every workshop (SQLite's one writer)
        self.loop = asyncio.get_running_loop()
        self._write = write  # commit_group, in the lane's database thread (awaitable)
        self._waiting: deque[Job[Any]] = deque()
        self._draining: asyncio.Task[None] | None = None

    def submit(self, job: Job[T]) -> None:
        self._waiting.append(job)
        if self._draining is None:
            # A context of its own: the first caller's (its language, its locals) would
            # otherwise leak into every group this task runs.
            self._draining = self.loop.create_task(self._drain(), context=contextvars.Context())

    async def _drain(self) -> None:
        try:
            while self._waiting:
                group = self._next_group()
                if group:
                    await self._commit(group)
        finally:
            self._draining = None
            self._cancel_waiting()
            if _lanes.get(self.key) is self:  # idle: a workshop that went quiet costs nothing
                del _lanes[self.key]

    def _next_group(self) -> list[Job[Any]]:
        """The next jobs in arrival order, GROUP_MAX at most."""
        group: list[Job[Any]] = []
        while self._waiting and len(group) < GROUP_MAX:
            job = self._waiting.popleft()
            if not job.future.done():  # a caller that went away is not run
                group.append(job)
        return group

    async def _commit(self, group: list[Job[Any]]) -> None:
        """Write one group in the lane's thread, then hand each job its outcome."""
        try:
            await self._write(group)
        except Exception as failure:  # the hop itself failed: the rest never ran
            for job in group:
                if not job.done:
                    job.fail(failure)
        except BaseException:  # cancelled: the loop is stopping
            for job in group:
                job.future.cancel()
            raise
        for job in group:
            job.settle()

    def _cancel_waiting(self) -> None:
        """Cancelled with jobs still waiting: they must not hang."""
        for job in self._waiting:
            job.future.cancel()
        self._waiting.clear()


_lanes: dict[int | None, Lane] = {}
_threads: list[ThreadPoolExecutor] = []


def _one_writer() -> bool:
    return "sqlite" in settings.DATABASES["default"]["ENGINE"]


def _lane_for(workshop_id: int) -> Lane:
    key = None if _one_writer() else workshop_id
    lane = _lanes.get(key)
    if lane is None or lane.loop is not asyncio.get_running_loop():
        lane = _lanes[key] = Lane(key, _writer(key))
    return lane


def _writer(key: int | None) -> Callable[[list[Job[Any]]], Any]:
    if key is None:
        return database_sync_to_async(commit_group)
    if not _threads:
        _threads.extend(
            ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"group-commit-{n}")
            for n in range(max(1, settings.COMMAND_THREADS))
        )
    # One thread per workshop, always the same: its connection stays warm, its groups
    # run in order.
    thread = _threads[key % len(_threads)]
    return DatabaseSyncToAsync(commit_group, thread_sensitive=False, executor=thread)


async def run(
    workshop_id: int,
    work: Callable[[], T],
    *,
    before: Callable[[], object] | None = None,
    ref: tuple[int, str] | None = None,
    inserts_only: bool = False,
    counts: tuple[str, ...] = (),
) -> T:
    """Run `work` (sync, ending in its own transaction) in the workshop's lane, grouped
    with whatever else is waiting; its result, or what it raised, once committed. `ref`:
    the (participant, ref) the command in `work` dedupes on, looked up with its group's;
    `inserts_only`: its command only inserts a contribution (`Job.inserts_only`);
    `counts`: the throttle's keys `before` reads, read with its group's."""
    future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
    job = Job(work, before, future, ref=ref, inserts_only=inserts_only, counts=counts)
    _lane_for(workshop_id).submit(job)
    return await future
