"""Protocol v1 commands: which service each one calls, with which fields, and who may.

Other apps add their commands with `register` from their AppConfig.ready().
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis.exceptions
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import InterfaceError, OperationalError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .. import access, services
from ..errors import CommandError
from ..models import Event, Participant, Workshop
from . import throttle

log = logging.getLogger(__name__)

# Passing reasons a command could not be stored: the database or Redis restarting, a
# connection dropped. Nothing was stored (the transaction rolled back), and the same
# command sent again with the same ref will be: `unavailable` tells the client so.
PASSING_FAILURES: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    TimeoutError,
)


@dataclass(frozen=True)
class Command:
    service: Callable[..., Event]
    fields: tuple[str, ...]
    facilitator_only: bool = False
    # The frame a stored command is answered with, when not the usual ack (credential.claim
    # answers with the credential's URLs); it runs once the command is committed.
    answer: Callable[[Participant, Event, str], dict[str, Any]] | None = None
    # A field whose name the service's own keywords hold (`participant` is the sender):
    # (("participant", "person"),) passes the message's `participant` as `person`.
    renamed: tuple[tuple[str, str], ...] = ()


COMMANDS: dict[str, Command] = {
    "value.add": Command(services.value_add, ("text",)),
    "statement.add": Command(services.statement_add, ("activity", "value")),
    "value.remove": Command(services.value_remove, ("id",)),
    "statement.remove": Command(services.statement_remove, ("id",)),
    "vote.cast": Command(services.vote_cast, ("target",)),
    "vote.retract": Command(services.vote_retract, ("target",)),
    "value.hide": Command(services.value_hide, ("id",), facilitator_only=True),
    "statement.hide": Command(services.statement_hide, ("id",), facilitator_only=True),
    "value.merge": Command(services.value_merge, ("id", "into"), facilitator_only=True),
    "values.hide": Command(services.values_hide, ("ids",), facilitator_only=True),
    "values.merge": Command(services.values_merge, ("ids", "into"), facilitator_only=True),
    "statements.hide": Command(services.statements_hide, ("ids",), facilitator_only=True),
    "statement.merge": Command(services.statement_merge, ("id", "into"), facilitator_only=True),
    "activity.remove": Command(services.activity_remove, ("activity",), facilitator_only=True),
    "value.approve": Command(services.value_approve, ("id",), facilitator_only=True),
    "statement.approve": Command(services.statement_approve, ("id",), facilitator_only=True),
    "moderation.set": Command(services.moderation_set, ("premoderated",), facilitator_only=True),
    "contribution_limit.set": Command(
        services.contribution_limit_set, ("limit",), facilitator_only=True
    ),
    "value.restore": Command(services.value_restore, ("id",), facilitator_only=True),
    "statement.restore": Command(services.statement_restore, ("id",), facilitator_only=True),
    "phase.open": Command(services.phase_open, ("phase",), facilitator_only=True),
    "phase.close": Command(services.phase_close, ("phase",), facilitator_only=True),
    "workshop.update": Command(
        services.workshop_update,
        ("title", "description", "licence", "statement_template", "activity_suggestions"),
        facilitator_only=True,
    ),
    "phase.add": Command(
        services.phase_add, ("kind", "title", "prompt", "columns"), facilitator_only=True
    ),
    "phase.remove": Command(services.phase_remove, ("phase",), facilitator_only=True),
    "phase.move": Command(services.phase_move, ("phase", "position"), facilitator_only=True),
    "phase.update": Command(
        services.phase_update,
        ("phase", "title", "prompt", "vote_budget", "columns"),
        facilitator_only=True,
    ),
    "timer.start": Command(services.timer_start, ("phase", "seconds"), facilitator_only=True),
    "timer.stop": Command(services.timer_stop, ("phase",), facilitator_only=True),
    "results.hide": Command(services.results_hide, ("phase",), facilitator_only=True),
    "results.reveal": Command(services.results_reveal, ("phase",), facilitator_only=True),
    "session.end": Command(services.session_end, ("share_report",), facilitator_only=True),
    "session.reopen": Command(services.session_reopen, (), facilitator_only=True),
    # Ideas (phase kind `ideas`): cards in columns, answering each other.
    "idea.add": Command(services.idea_add, ("phase", "text", "column", "parent")),
    "idea.remove": Command(services.idea_remove, ("id",)),
    "idea.hide": Command(services.idea_hide, ("id",), facilitator_only=True),
    "idea.restore": Command(services.idea_restore, ("id",), facilitator_only=True),
    "idea.approve": Command(services.idea_approve, ("id",), facilitator_only=True),
    "idea.move": Command(services.idea_move, ("id", "column"), facilitator_only=True),
    # Tables (breakouts): formed, changed, ended by facilitators; participants are seated.
    "tables.form": Command(services.tables_form, ("size", "count", "apart"), facilitator_only=True),
    "table.move": Command(
        services.table_move,
        ("participant", "table"),
        facilitator_only=True,
        renamed=(("participant", "person"),),
    ),
    "table.add": Command(services.table_add, ("name",), facilitator_only=True),
    "table.rename": Command(services.table_rename, ("table", "name"), facilitator_only=True),
    "tables.end": Command(services.tables_end, (), facilitator_only=True),
    "tables.top": Command(services.tables_top_show, ("shown",), facilitator_only=True),
}


def register(name: str, command: Command) -> None:
    COMMANDS[name] = command


def clean_ref(ref: Any) -> str:
    # Only text: were numbers accepted, 1 and "1" would be one ref, and the second
    # command would be acknowledged with the first one's seq without being stored.
    if ref is None:
        return ""
    if not isinstance(ref, str) or len(ref) > services.REF_MAX:
        raise CommandError("invalid", _("A command's ref must be a text of at most 64 characters."))
    return ref


def run(
    *,
    participant: Participant,
    session_key: str | None,
    message: dict[str, Any],
    address: str,
) -> Event:
    """Run one command from a socket, whose client is at `address` (its IP, counted by the
    throttle); raises CommandError for anything refused."""
    admit(participant=participant, message=message, address=address)
    return apply(participant=participant, session_key=session_key, message=message)


def admit(*, participant: Participant, message: dict[str, Any], address: str) -> None:
    """Check a command's ref and count it against the throttle: once per command, outside
    its transaction (a group commit may run the command again, never admit it twice)."""
    clean_ref(message.get("ref"))
    allowed = throttle.command_allowed(
        participant_id=participant.pk, address=address, workshop_id=participant.workshop_id
    )
    if not allowed:
        raise CommandError("rate_limited", _("Slow down a little, then try again."))


def apply(*, participant: Participant, session_key: str | None, message: dict[str, Any]) -> Event:
    """Run an admitted command's service: the part that writes, in its own transaction."""
    command = COMMANDS[message["type"]]
    ref = clean_ref(message.get("ref"))
    try:
        if command.facilitator_only:
            _still_facilitator(participant, session_key).require()
        kwarg = dict(command.renamed)
        fields = {kwarg.get(name, name): message.get(name) for name in command.fields}
        return command.service(participant=participant, ref=ref, **fields)
    except PASSING_FAILURES as failure:
        log.warning("command %s unavailable for now: %r", message["type"], failure)
        raise unavailable() from failure
    except Workshop.DoesNotExist:  # deleted while this socket was open
        raise CommandError("not_found", _("This workshop has been deleted.")) from None


async def answer(
    *, participant: Participant, message: dict[str, Any], event: Event
) -> dict[str, Any]:
    """The frame that answers a stored command: an ack, or the command's own `answer`
    (read after the commit, in a thread of its own: only such commands pay for it)."""
    ref = message.get("ref")
    command_answer = COMMANDS[message["type"]].answer
    if command_answer is None:
        return {"type": "ack", "ref": ref, "seq": event.seq}
    answered: dict[str, Any] = await database_sync_to_async(command_answer)(
        participant, event, clean_ref(ref)
    )
    return answered


def unavailable() -> CommandError:
    """The refusal for a passing failure (PASSING_FAILURES): nothing stored, resend it."""
    return CommandError(
        "unavailable", _("The server is busy for a moment; this will be sent again.")
    )


def _still_facilitator(participant: Participant, session_key: str | None) -> access.Access:
    """Re-checked on every privileged command: signing out elsewhere takes effect at once."""
    signed_in = None
    if participant.role == Participant.Role.FACILITATOR and session_key:
        session = import_string(settings.SESSION_ENGINE).SessionStore(session_key)
        signed_in = session.get(SESSION_KEY)
    return access.signed_in_facilitator(participant, signed_in)
