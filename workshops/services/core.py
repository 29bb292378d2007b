"""The write path every command takes: lock the workshop, dedupe the ref, check the
event's schema, assign the seq, announce it after commit.

Consumers, views, the admin and management commands all call these. Each command runs
in one transaction that first locks the workshop row, so events get consecutive seqs in
commit order; the event is appended to the log and handed to the fan-out only after the
transaction commits. A command sent again with the same `ref` by the same participant
returns the event it produced the first time and writes nothing; the same `ref` with
another command or other fields is refused, so no ack ever stands for something unstored.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any, ParamSpec

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access, events
from ..errors import CommandError
from ..models import (
    Event,
    Participant,
    Phase,
    Workshop,
)
from . import announce

log = logging.getLogger(__name__)

REF_MAX = 64


def event_append(
    workshop_id: int, kind: str, data: dict[str, Any], *, actor: Participant | None, ref: str
) -> Event:
    """Log an event under the next seq and broadcast it once the transaction commits.

    Must run inside the transaction that locked the workshop (see `command`).
    """
    events.check(kind, data)
    workshop = locked_workshop(workshop_id)
    workshop.last_seq += 1
    Workshop.objects.filter(pk=workshop_id).update(last_seq=workshop.last_seq)
    event = Event.objects.create(
        workshop_id=workshop_id,
        seq=workshop.last_seq,
        kind=kind,
        data=data,
        at=timezone.now(),
        actor=actor,
        ref=ref,
        ref_digest=_ref_digest.get() if ref else "",
    )
    transaction.on_commit(
        functools.partial(announce.event_committed, workshop_id, events.wire(event))
    )
    return event


# The workshop row `command` locked, with the fields commands read from it. Each query a
# command saves matters: they run one at a time per workshop, and a burst of a thousand
# values waits on them (docs/benchmarks.md).
_locked: contextvars.ContextVar[Workshop | None] = contextvars.ContextVar("locked", default=None)
# The digest of the command `command` is running, stored beside its ref by `event_append`.
_ref_digest: contextvars.ContextVar[str] = contextvars.ContextVar("ref_digest", default="")


def _lock(workshop_id: int) -> Workshop:
    return (
        Workshop.objects.select_for_update()
        .only("last_seq", "premoderated", "statement_template", "contribution_limit", "seating")
        .get(pk=workshop_id)
    )


def locked_workshop(workshop_id: int) -> Workshop:
    """The workshop row this transaction holds locked: the one `command` locked, or now."""
    workshop = _locked.get()
    if workshop is None or workshop.pk != workshop_id:
        workshop = _lock(workshop_id)
    return workshop


P = ParamSpec("P")
# Who sent a command and its ref: not part of what the ref stands for (its digest).
SENDER = ("participant", "ref")


def command(fn: Callable[P, Event]) -> Callable[P, Event]:
    """Run a participant's command atomically, at most once per `ref`.

    The workshop row is locked first, so commands on one workshop run one at a time and
    a retried ref always sees the first attempt's event. `fn` takes keyword arguments
    only, among them `participant` and `ref`; the decorated service keeps its signature,
    so mypy checks every call of it.
    """

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> Event:
        participant = kwargs["participant"]
        assert isinstance(participant, Participant) and not args, "keyword arguments only"
        ref = kwargs["ref"] = str(kwargs.get("ref") or "")[:REF_MAX]
        fields = {name: value for name, value in kwargs.items() if name not in SENDER}
        digest = command_digest(fn.__name__, fields) if ref else ""
        with transaction.atomic():
            workshop = _lock(participant.workshop_id)
            if ref:
                try:  # at most one: the constraint unique_actor_ref
                    first = Event.objects.get(actor=participant, ref=ref)
                except Event.DoesNotExist:
                    pass
                else:
                    _require_same_command(first, digest, ref)
                    return first
            locked = _locked.set(workshop)
            digest_set = _ref_digest.set(digest)
            try:
                return fn(*args, **kwargs)
            finally:
                _ref_digest.reset(digest_set)
                _locked.reset(locked)

    return run


def command_digest(name: str, fields: dict[str, Any]) -> str:
    """What a ref stands for: the service and its fields, as the sender gave them."""
    # ensure_ascii: a lone surrogate in a field is escaped, not an encoding error.
    text = json.dumps([name, fields], sort_keys=True, default=repr, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _require_same_command(first: Event, digest: str, ref: str) -> None:
    # Events logged before digests were kept have none: their retries are still acked.
    if first.ref_digest and first.ref_digest != digest:
        raise CommandError(
            "invalid",
            _("The ref %(ref)s was already used for another command; nothing was stored.")
            % {"ref": ref},
        )


def open_phase(workshop_id: int, kind: str) -> Phase:
    phase = Phase.objects.filter(workshop_id=workshop_id, kind=kind, status=Phase.Status.OPEN)
    found = phase.order_by("position").first()
    if found is None:
        raise CommandError("phase_closed", _PHASE_CLOSED_MESSAGES[kind]())
    return found


_PHASE_CLOSED_MESSAGES: dict[str, Callable[[], str]] = {
    Phase.Kind.VALUES: lambda: _("Adding values is closed right now."),
    Phase.Kind.STATEMENTS: lambda: _("Statements open when the facilitator starts that phase."),
    Phase.Kind.PRINCIPLES: lambda: _("Principles open when the facilitator starts that phase."),
}


def require_facilitator(participant: Participant) -> None:
    """Every facilitator-only service's guard (`access.facilitator_row`); the socket
    checks the sign-in and the account as well before it calls one."""
    access.facilitator_row(participant).require()
