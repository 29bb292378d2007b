"""The write path every change takes: lock the workshop, dedupe the ref, check the
event's schema, assign the seq, announce it after commit.

Consumers, views, the admin and management commands all call the services built on it.
Each `@workshop_write` service runs in one transaction that first locks the workshop row,
so events get consecutive seqs in commit order; the event is appended to the log and
handed to the fan-out only after the transaction commits. A command a client sends again
with the same `ref` by the same participant returns the event its service produced the
first time and writes nothing; the same `ref` with another command or other fields is
refused, so no ack ever stands for something unstored.

Commands committed together (`workshops.live.group_commit`) share one `Group`: what every
command reads before it writes (the locked workshop row, its open phases, the refs
already used) is read once for the group instead of once per command (decision 0010).
A command sent alone is a group of one. A group's new contributions and their events are
written together too, one INSERT per table (`contribution_append`, decision 0016).

Words: a *command* is what a client sends (protocol v1, `live/protocol.py`); a *service*
is the function that carries it out; a *management command* is a `manage.py` one; a
*job* is a group commit's unit of work (`live/group_commit.py`).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access, events
from ..errors import Refused
from ..models import (
    Event,
    Participant,
    Phase,
    Workshop,
)
from . import announce

log = logging.getLogger(__name__)

REF_MAX = 64


T = TypeVar("T")

RefKey = tuple[int, str]  # (participant, ref): what `workshop_write` dedupes on


def event_append(
    workshop_id: int, kind: str, data: dict[str, Any], *, actor: Participant | None, ref: str
) -> Event:
    """Log an event under the next seq and broadcast it once the transaction commits.

    Must run inside the transaction that locked the workshop (see `workshop_write`).
    """
    events.check(kind, data)
    group = _group.get()
    if group is not None:
        seq = group.next_seq(workshop_id)
    else:  # outside any command: the seq is taken and stored now
        seq = _lock(workshop_id).last_seq + 1
        Workshop.objects.filter(pk=workshop_id).update(last_seq=seq)
    event = Event.objects.create(
        workshop_id=workshop_id,
        seq=seq,
        kind=kind,
        data=data,
        at=timezone.now(),
        actor=actor,
        ref=ref,
        ref_digest=_ref_digest.get() if ref else "",
    )
    if group is not None:
        group.appended(event)
    transaction.on_commit(
        functools.partial(announce.event_committed, workshop_id, events.as_sent(event))
    )
    return event


def contribution_append(
    item: models.Model,
    kind: str,
    data: Callable[[], dict[str, Any]],
    *,
    actor: Participant,
    ref: str,
) -> Event:
    """Store a new contribution (a value, statement or idea) and log its event, whose
    `data` (built by `data`, once the item has its id) carries it.

    In a group of commands that only insert (`Group.run(..., inserts_only=True)`), both
    rows wait for the group's one INSERT per table (`Group.write_rows`, decision 0016): the
    event has its seq now and its data once written, before the COMMIT. Otherwise they
    are written now, as `event_append` does.
    """
    workshop_id: int = item.workshop_id  # type: ignore[attr-defined]
    group = _group.get()
    if group is None or not group.defers_inserts():
        item.save(force_insert=True)
        return event_append(workshop_id, kind, data(), actor=actor, ref=ref)
    event = Event(
        workshop_id=workshop_id,
        seq=group.next_seq(workshop_id),
        kind=kind,
        data={},
        at=timezone.now(),
        actor=actor,
        ref=ref,
        ref_digest=_ref_digest.get() if ref else "",
    )
    group.appended(event)
    group.insert_later(_Later(item, event, data))
    return event


@dataclass
class _Later:
    """A contribution and its event, waiting for the group's INSERTs."""

    item: models.Model
    event: Event
    data: Callable[[], dict[str, Any]]


# The commands that log only these change nothing a group has read (the workshop row,
# which phases are open): the group goes on sharing its reads after them. After any other
# event (a phase opened, the statement template changed, a command yet to be listed here)
# the group reads them again. The kinds of the type wave and the votes that follow it.
KEEPS_GROUP_READS = frozenset(
    {
        "value.added",
        "value.submitted",
        "statement.added",
        "statement.submitted",
        "idea.added",
        "idea.submitted",
        "vote.changed",
    }
)


class Group:
    """What the commands of one transaction read once, for all of them.

    Every command reads the same things before it writes: the workshop row it locks
    (seq, moderation, template, limit), the phase it needs open, whether its ref was
    used; and it stores the seq it took. A group reads each once and stores the last seq
    once, at its end, and keeps each command's own validation, error and seq: only what
    no command of the group has changed is shared (decision 0010).

    `run` runs one job of `group_commit` in the group, inside that job's savepoint, which
    is the savepoint of the command it runs too: a job is all or nothing. `rolled_back`
    is told when that savepoint rolled back, so nothing the job stored, counted or read
    under its own changes is kept. `write_seqs` ends the group, before its COMMIT.
    """

    def __init__(self, refs: Iterable[RefKey] = ()) -> None:
        # The refs the group's commands will look up: looked up together, at the first
        # command that needs one (after it locked the workshop, so none can be added since).
        self._refs_wanted = set(refs)
        self._refs: dict[RefKey, Event | None] | None = None
        self._stored: dict[RefKey, Event] = {}  # by the group's commands so far
        self._workshops: dict[int, Workshop] = {}
        self._phases: dict[tuple[int, str], Phase | None] = {}
        # The last seq each workshop took in the group, stored by `write_seqs`.
        self._seqs: dict[int, int] = {}
        # What the running job did: the refs it stored, the kinds it logged, whether it
        # was a retry that only found its ref's first event.
        self._job_refs: list[RefKey] = []
        self._job_kinds: list[str] = []
        self._job_found_its_ref = False
        self._seqs_before_job: dict[int, int] = {}
        self._job_savepoint_depth: int | None = None  # None: a group of one command
        # Contributions and their events waiting for the group's INSERTs (decision 0016),
        # in seq order; how many of them were there before the running job.
        self._later: list[_Later] = []
        self._later_before_job = 0
        self._job_inserts_only = False
        # The running job's own rows were written while it ran (a query after them): a
        # failure of it can no longer be undone alone.
        self.job_rows_written = False
        # Writing the waiting rows failed: the transaction is lost, for every job.
        self.broken: BaseException | None = None
        self._writing = False

    def run(self, work: Callable[[], T], *, inserts_only: bool = False) -> T:
        """Run one job in the group: in its savepoint, which the caller holds, or, for a
        job whose command only inserts a contribution (`inserts_only`), in none: what it
        stores waits in the group (`contribution_append`), and a refusal leaves nothing."""
        self._job_refs, self._job_kinds, self._job_found_its_ref = [], [], False
        self._seqs_before_job = dict(self._seqs)
        self._job_savepoint_depth = len(connection.savepoint_ids)
        self._later_before_job, self.job_rows_written = len(self._later), False
        self._job_inserts_only = inserts_only
        token = _group.set(self)
        try:
            result = work()
        finally:
            _group.reset(token)
            self._job_savepoint_depth = None
            self._job_inserts_only = False
        # A job that logged nothing and found no ref is not a command: it may have
        # changed anything.
        did_a_command = bool(self._job_kinds) or self._job_found_its_ref
        if not did_a_command or not KEEPS_GROUP_READS.issuperset(self._job_kinds):
            self._forget_reads()
        return result

    def rolled_back(self) -> None:
        """The running job's savepoint rolled back: forget what it stored, and what was
        read while it ran (it may have changed the workshop row, in memory too)."""
        for key in self._job_refs:
            del self._stored[key]
        self._job_refs = []
        del self._later[self._later_before_job :]  # what it left waiting goes with it
        self._seqs = self._seqs_before_job  # its seqs go to the next job
        self._forget_reads()
        # Looked up under a lock the rollback may have let go (PostgreSQL releases what a
        # rolled-back savepoint locked): looked up again, under the next lock.
        self._refs = None

    def in_job_savepoint(self) -> bool:
        """Is the running job's savepoint the innermost one (a command it runs needs no
        savepoint of its own)?"""
        return self._job_savepoint_depth == len(connection.savepoint_ids)

    def defers_inserts(self) -> bool:
        """Does the running command's contribution wait for the group's INSERTs? Only that
        of the job's own command (`workshop_write` directly in the job, no savepoint)."""
        depth = self._job_savepoint_depth
        return (
            self._job_inserts_only
            and depth is not None
            and len(connection.savepoint_ids) == depth + 1
        )

    def insert_later(self, row: _Later) -> None:
        self._later.append(row)

    def before_query(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        """Every statement of the group's transaction (`connection.execute_wrapper`) runs
        after the rows waiting are written: whatever a command reads sees them."""
        if self._later:
            self.write_rows()
        if self._job_inserts_only and not self._writing and sql.lstrip()[:6].upper() != "SELECT":
            # A job without a savepoint wrote something itself: should it fail, only its
            # whole group running again alone can undo that.
            self.job_rows_written = True
        return execute(sql, params, many, context)

    def write_rows(self) -> None:
        """Write the waiting contributions, one INSERT per table, then their events, one
        INSERT, and announce those after the COMMIT, in seq order."""
        if not self._later:
            return
        later, self._later = self._later, []
        if self._job_savepoint_depth is not None and len(later) > self._later_before_job:
            self.job_rows_written = True
        self._later_before_job = 0
        self._writing = True
        try:
            by_model: dict[type[models.Model], list[models.Model]] = {}
            for row in later:
                by_model.setdefault(type(row.item), []).append(row.item)
            for model, items in by_model.items():
                model._default_manager.bulk_create(items)  # their ids, from RETURNING
            for row in later:
                row.event.data = row.data()
                events.check(row.event.kind, row.event.data)
            Event.objects.bulk_create([row.event for row in later])
        except BaseException as failure:
            self.broken = failure
            raise
        finally:
            self._writing = False
        # Announced together, once per workshop: one doorbell for the group (decision 0016).
        by_workshop: dict[int, list[dict[str, Any]]] = {}
        for row in later:
            by_workshop.setdefault(row.event.workshop_id, []).append(events.as_sent(row.event))
        for workshop_id, sent in by_workshop.items():
            transaction.on_commit(functools.partial(announce.events_committed, workshop_id, sent))

    def next_seq(self, workshop_id: int) -> int:
        seq = self._seqs.get(workshop_id, self.locked(workshop_id).last_seq) + 1
        self._seqs[workshop_id] = self.locked(workshop_id).last_seq = seq
        return seq

    def write_seqs(self) -> None:
        """Store the last seq each workshop took: once per group, before its COMMIT (and
        the rows still waiting before it)."""
        self.write_rows()
        for workshop_id, seq in self._seqs.items():
            Workshop.objects.filter(pk=workshop_id).update(last_seq=seq)

    def locked(self, workshop_id: int) -> Workshop:
        workshop = self._workshops.get(workshop_id)
        if workshop is None:
            workshop = self._workshops[workshop_id] = _lock(workshop_id)
            # Read again after a change: the row holds the seq as last stored.
            workshop.last_seq = self._seqs.get(workshop_id, workshop.last_seq)
        return workshop

    def first_event(self, participant: Participant, ref: str) -> Event | None:
        key = (participant.pk, ref)
        if key in self._stored:  # a retry within the group
            return self._stored[key]
        if key not in self._refs_wanted:
            return _first_event(participant, ref)
        if self._refs is None:
            self._refs = _first_events(self._refs_wanted)
        return self._refs[key]

    def found_its_ref(self) -> None:
        self._job_found_its_ref = True

    def open_phase(self, workshop_id: int, kind: str) -> Phase | None:
        key = (workshop_id, kind)
        if key not in self._phases:
            self._phases[key] = _open_phase(workshop_id, kind)
        return self._phases[key]

    def appended(self, event: Event) -> None:
        self._job_kinds.append(event.kind)
        if event.ref and event.actor_id is not None:
            key = (event.actor_id, event.ref)
            self._stored[key] = event
            self._job_refs.append(key)

    def _forget_reads(self) -> None:
        self._workshops.clear()
        self._phases.clear()


# The group the running command belongs to: a job's (`Group.run`), or its own.
_group: contextvars.ContextVar[Group | None] = contextvars.ContextVar("group", default=None)
# The digest of the call `workshop_write` is running, stored beside its ref by `event_append`.
_ref_digest: contextvars.ContextVar[str] = contextvars.ContextVar("ref_digest", default="")


def _lock(workshop_id: int) -> Workshop:
    return (
        Workshop.objects.select_for_update()
        .only(
            "last_seq",
            "premoderated",
            "statement_template",
            "contribution_limit",
            "activities_removed",
            "ended_at",
            "seating",
        )
        .get(pk=workshop_id)
    )


def _first_event(participant: Participant, ref: str) -> Event | None:
    # At most one: the constraint unique_actor_ref.
    return Event.objects.filter(actor=participant, ref=ref).first()


def _first_events(keys: set[RefKey]) -> dict[RefKey, Event | None]:
    """The events already logged under these refs, in one query (None: unused)."""
    found: dict[RefKey, Event | None] = dict.fromkeys(keys)
    if keys:
        actors = {actor for actor, _ in keys}
        refs = {ref for _, ref in keys}
        for event in Event.objects.filter(actor_id__in=actors, ref__in=refs):
            key = (event.actor_id, event.ref)
            if key in found:  # not another pair's actor with this one's ref
                found[key] = event
    return found


def locked_workshop(workshop_id: int) -> Workshop:
    """The workshop row this transaction holds locked: the one its group locked, or now."""
    group = _group.get()
    return _lock(workshop_id) if group is None else group.locked(workshop_id)


@contextlib.contextmanager
def _in_group() -> Iterator[Group]:
    """The running job's group, or a group of one for a command sent alone."""
    group = _group.get()
    if group is not None:
        yield group
        return
    group = Group()
    token = _group.set(group)
    try:
        yield group
        group.write_seqs()
    finally:
        _group.reset(token)


P = ParamSpec("P")
# Who sent a command and its ref: not part of what the ref stands for (its digest).
SENDER = ("participant", "ref")


def workshop_write(fn: Callable[P, Event]) -> Callable[P, Event]:
    """Run a participant's command atomically, at most once per `ref`.

    The workshop row is locked first (once per group), so commands on one workshop run one
    at a time and a retried ref always sees the first attempt's event. `fn` takes keyword
    arguments only, among them `participant` and `ref`; the decorated service keeps its
    signature, so mypy checks every call of it.
    """

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> Event:
        participant = kwargs["participant"]
        assert isinstance(participant, Participant) and not args, "keyword arguments only"
        ref = kwargs["ref"] = str(kwargs.get("ref") or "")[:REF_MAX]
        fields = {name: value for name, value in kwargs.items() if name not in SENDER}
        digest = command_digest(fn.__name__, fields) if ref else ""
        running = _group.get()
        # A job's savepoint is its command's: a second one would only cost two queries.
        own_savepoint = running is None or not running.in_job_savepoint()
        with transaction.atomic(savepoint=own_savepoint), _in_group() as group:
            group.locked(participant.workshop_id)
            if ref:
                first = group.first_event(participant, ref)
                if first is not None:
                    _require_same_command(first, digest, ref)
                    group.found_its_ref()
                    return first
            digest_set = _ref_digest.set(digest)
            try:
                return fn(*args, **kwargs)
            finally:
                _ref_digest.reset(digest_set)

    return run


def command_digest(name: str, fields: dict[str, Any]) -> str:
    """What a ref stands for: the service and its fields, as the sender gave them."""
    # ensure_ascii: a lone surrogate in a field is escaped, not an encoding error.
    text = json.dumps([name, fields], sort_keys=True, default=repr, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _require_same_command(first: Event, digest: str, ref: str) -> None:
    # Events logged before digests were kept have none: their retries are still acked.
    if first.ref_digest and first.ref_digest != digest:
        raise Refused(
            "invalid",
            _("The ref %(ref)s was already used for another command; nothing was stored.")
            % {"ref": ref},
        )


def open_phase(workshop_id: int, kind: str) -> Phase:
    """The first open phase of this kind (read once per group), or the refusal to say so."""
    group = _group.get()
    found = _open_phase(workshop_id, kind) if group is None else group.open_phase(workshop_id, kind)
    if found is None:
        raise Refused("phase_closed", _PHASE_CLOSED_MESSAGES[kind]())
    return found


def _open_phase(workshop_id: int, kind: str) -> Phase | None:
    phase = Phase.objects.filter(workshop_id=workshop_id, kind=kind, status=Phase.Status.OPEN)
    return phase.order_by("position").first()


_PHASE_CLOSED_MESSAGES: dict[str, Callable[[], str]] = {
    Phase.Kind.VALUES: lambda: _("Adding values is closed right now."),
    Phase.Kind.STATEMENTS: lambda: _("Statements open when the facilitator starts that phase."),
    Phase.Kind.PRINCIPLES: lambda: _("Principles open when the facilitator starts that phase."),
}


def after_the_session(workshop_id: int) -> bool:
    """Whether what is contributed now comes after the live session (it has ended, and a
    phase is open by its schedule): marked `afterwards` in the report and exports."""
    return locked_workshop(workshop_id).ended_at is not None


def require_facilitator(participant: Participant) -> None:
    """Every facilitator-only service's guard (`access.facilitator_row`); the socket
    checks the sign-in and the account as well before it calls one."""
    access.facilitator_row(participant).require()
