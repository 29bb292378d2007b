"""Group commit: what arrives within a few milliseconds is written in one transaction.

A join wave is a thousand hellos in a second, and each hello alone was a round trip to
the database thread and a transaction of its own. Gathered, the group takes one trip and
one commit, and each item still runs in a savepoint of its own: its own validation, its
own result or error, in arrival order, and a failing item rolls back only itself (as a
database's own group commit keeps each transaction's outcome).

SQLite has one writer, so its groups run one at a time in Channels' database thread;
while one runs, the next gathers. PostgreSQL takes several writers: up to
`POSTGRES_GROUPS` groups run at once, each in a thread of its own (Channels'
`thread_sensitive` is only its default). Nothing here is about joins: `GroupCommit`
takes any `run_group` that writes a list of items, so commands could be grouped the
same way (`each_in_its_savepoint` keeps their outcomes apart).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

from channels.db import database_sync_to_async
from django.db import connection, transaction

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")

GATHER_WINDOW = 0.002  # seconds the first item of a group waits for company
GROUP_MOST = 200  # items in one transaction at most: a group is not a wave's whole wait
POSTGRES_GROUPS = 3  # groups in flight at once on PostgreSQL (each its own connection)


_writer_threads: ThreadPoolExecutor | None = None


def _writers() -> ThreadPoolExecutor:
    """The process's threads for groups beside Channels' own database thread (PostgreSQL).

    Its own pool, not an event loop's: each thread keeps its database connection for
    the process's life, as Channels' thread does, whichever loop calls on it.
    """
    global _writer_threads
    if _writer_threads is None:
        _writer_threads = ThreadPoolExecutor(POSTGRES_GROUPS, thread_name_prefix="group-commit")
    return _writer_threads


class GroupCommit(Generic[Item, Outcome]):
    """Runs items in groups: `run_group(items)` returns each one's outcome or exception.

    `run_group` runs in a database thread; it must return one entry per item, in order.
    """

    def __init__(
        self,
        run_group: Callable[[list[Item]], list[Outcome | Exception]],
        *,
        window: float = GATHER_WINDOW,
        most: int = GROUP_MOST,
    ) -> None:
        self.run_group = run_group
        self.window, self.most = window, most
        if connection.vendor == "postgresql":
            self.parallel = POSTGRES_GROUPS
            self._in_thread = database_sync_to_async(
                self._run, thread_sensitive=False, executor=_writers()
            )
        else:
            self.parallel = 1
            self._in_thread = database_sync_to_async(self._run)
        self._waiting: list[tuple[Item, asyncio.Future[Outcome]]] = []
        self._running = 0
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, item: Item) -> Outcome:
        """Run one item with whatever arrives with it; its outcome, or its exception."""
        done: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, done))
        if self._timer is None and self._running < self.parallel:
            self._timer = asyncio.get_running_loop().call_later(self.window, self._start)
        return await done

    def _start(self) -> None:
        self._timer = None
        while self._waiting and self._running < self.parallel:
            group, self._waiting = self._waiting[: self.most], self._waiting[self.most :]
            self._running += 1
            task = asyncio.ensure_future(self._run_and_answer(group))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _run_and_answer(self, group: list[tuple[Item, asyncio.Future[Outcome]]]) -> None:
        try:
            outcomes = await self._in_thread([item for item, _ in group])
        except Exception as failed:  # the group's transaction failed: so did every item
            outcomes = [failed] * len(group)
        finally:
            self._running -= 1
            # What gathered meanwhile goes at once: it has waited a whole group already.
            self._start()
        for (_, done), outcome in zip(group, outcomes, strict=True):
            if done.cancelled():
                continue  # its socket went away while it waited
            if isinstance(outcome, Exception):
                done.set_exception(outcome)
            else:
                done.set_result(outcome)

    def _run(self, items: list[Item]) -> list[Outcome | Exception]:
        outcomes = self.run_group(items)
        assert len(outcomes) == len(items), "run_group answers every item"
        return outcomes


def each_in_its_savepoint(
    items: list[Item], write: Callable[[Item], Outcome]
) -> list[Outcome | Exception]:
    """Write each item in a savepoint of the transaction around: an item that fails
    (a Refused, or a database error) rolls back only its own writes."""
    outcomes: list[Outcome | Exception] = []
    for item in items:
        try:
            with transaction.atomic():
                outcomes.append(write(item))
        except Exception as refused:
            outcomes.append(refused)
    return outcomes
