"""Protocol v1 commands: which service each one calls, with which fields, and who may.

Other apps add their commands through their WorkshopExtension (workshops/extensions.py).
"""

from __future__ import annotations

import logging
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, get_args, get_origin, is_typeddict

import redis.exceptions
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import InterfaceError, OperationalError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .. import access, services, shapes
from ..errors import Refused
from ..events import Column, Target
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
    # Each field the command takes and its type, checked here once (`parse`): the service
    # is called with values of these types only. `X | None`: the field may be left out.
    fields: Mapping[str, Any]
    facilitator_only: bool = False
    # The frame a stored command is answered with, when not the usual ack (credential.claim
    # answers with the credential's URLs); it runs once the command is committed.
    answer: Callable[[Participant, Event, str], dict[str, Any]] | None = None
    # A field whose name the service's own keywords hold (`participant` is the sender):
    # (("participant", "person"),) passes the message's `participant` as `person`.
    renamed: tuple[tuple[str, str], ...] = ()
    # Fields that null clears, whereas left out they keep their value: the service reads
    # null as "" (a phase's opens_at / closes_at).
    cleared_by_null: frozenset[str] = frozenset()
    # Its service only inserts a new contribution and its event (`contribution_append`):
    # in a group, it runs in no savepoint of its own and its rows are written with the
    # group's, one INSERT per table (decision 0016).
    inserts_only: bool = False


ID = {"id": int}
PHASE = {"phase": str}
COLUMNS = list[Column] | None

COMMANDS: dict[str, Command] = {
    "value.add": Command(services.value_add, {"text": str}, inserts_only=True),
    "statement.add": Command(
        services.statement_add, {"activity": str, "value": str}, inserts_only=True
    ),
    "value.remove": Command(services.value_remove, ID),
    "statement.remove": Command(services.statement_remove, ID),
    "vote.cast": Command(services.vote_cast, {"target": Target}),
    "vote.retract": Command(services.vote_retract, {"target": Target}),
    "value.hide": Command(services.value_hide, ID, facilitator_only=True),
    "statement.hide": Command(services.statement_hide, ID, facilitator_only=True),
    "value.merge": Command(services.value_merge, {"id": int, "into": int}, facilitator_only=True),
    "values.hide": Command(services.values_hide, {"ids": list[int]}, facilitator_only=True),
    "values.merge": Command(
        services.values_merge, {"ids": list[int], "into": int}, facilitator_only=True
    ),
    "statements.hide": Command(services.statements_hide, {"ids": list[int]}, facilitator_only=True),
    "statement.merge": Command(
        services.statement_merge, {"id": int, "into": int}, facilitator_only=True
    ),
    "activity.remove": Command(services.activity_remove, {"activity": str}, facilitator_only=True),
    "value.approve": Command(services.value_approve, ID, facilitator_only=True),
    "statement.approve": Command(services.statement_approve, ID, facilitator_only=True),
    "moderation.set": Command(
        services.moderation_set, {"premoderated": bool}, facilitator_only=True
    ),
    "contribution_limit.set": Command(
        services.contribution_limit_set, {"limit": int | None}, facilitator_only=True
    ),
    "value.restore": Command(services.value_restore, ID, facilitator_only=True),
    "statement.restore": Command(services.statement_restore, ID, facilitator_only=True),
    "phase.open": Command(services.phase_open, PHASE, facilitator_only=True),
    "phase.close": Command(services.phase_close, PHASE, facilitator_only=True),
    "workshop.update": Command(
        services.workshop_update,
        {
            "title": str | None,
            "description": str | None,
            "licence": str | None,
            "statement_template": str | None,
            "activity_suggestions": list[str] | None,
        },
        facilitator_only=True,
    ),
    "phase.add": Command(
        services.phase_add,
        {"kind": str, "title": str, "prompt": str | None, "columns": COLUMNS},
        facilitator_only=True,
    ),
    "phase.remove": Command(services.phase_remove, PHASE, facilitator_only=True),
    "phase.move": Command(
        services.phase_move, {"phase": str, "position": int}, facilitator_only=True
    ),
    "phase.update": Command(
        services.phase_update,
        {
            "phase": str,
            "title": str | None,
            "prompt": str | None,
            "vote_budget": int | None,
            "columns": COLUMNS,
            "notes": str | None,
            "minutes": int | None,
            "tables": bool | None,
            "opens_at": str | None,
            "closes_at": str | None,
        },
        facilitator_only=True,
        cleared_by_null=frozenset({"opens_at", "closes_at"}),
    ),
    "timer.start": Command(
        services.timer_start, {"phase": str, "seconds": int}, facilitator_only=True
    ),
    "timer.stop": Command(services.timer_stop, PHASE, facilitator_only=True),
    "results.hide": Command(services.results_hide, PHASE, facilitator_only=True),
    "results.reveal": Command(services.results_reveal, PHASE, facilitator_only=True),
    "session.end": Command(
        services.session_end, {"share_report": bool | None}, facilitator_only=True
    ),
    "session.reopen": Command(services.session_reopen, {}, facilitator_only=True),
    # Ideas (phase kind `ideas`): cards in columns, answering each other.
    "idea.add": Command(
        services.idea_add,
        {"phase": str, "text": str, "column": str | None, "parent": int | None},
        inserts_only=True,
    ),
    "idea.remove": Command(services.idea_remove, ID),
    "idea.hide": Command(services.idea_hide, ID, facilitator_only=True),
    "idea.restore": Command(services.idea_restore, ID, facilitator_only=True),
    "idea.approve": Command(services.idea_approve, ID, facilitator_only=True),
    "idea.move": Command(
        services.idea_move, {"id": int, "column": str | None}, facilitator_only=True
    ),
    # Tables (breakouts): formed, changed, ended by facilitators; participants are seated.
    "tables.form": Command(
        services.tables_form,
        {"size": int | None, "count": int | None, "apart": bool | None},
        facilitator_only=True,
    ),
    "table.move": Command(
        services.table_move,
        {"participant": int, "table": int},
        facilitator_only=True,
        renamed=(("participant", "person"),),
    ),
    "table.add": Command(services.table_add, {"name": str | None}, facilitator_only=True),
    "table.rename": Command(
        services.table_rename, {"table": int, "name": str}, facilitator_only=True
    ),
    "tables.end": Command(services.tables_end, {}, facilitator_only=True),
    "tables.top": Command(services.tables_top_show, {"shown": bool}, facilitator_only=True),
    # Materials: links the facilitator gives the room.
    "material.add": Command(
        services.material_add, {"title": str, "url": str}, facilitator_only=True
    ),
    "material.remove": Command(services.material_remove, ID, facilitator_only=True),
    # The facilitator's message to every screen (each table's phones, the projector).
    "message.send": Command(services.message_send, {"text": str}, facilitator_only=True),
    "message.clear": Command(services.message_clear, {}, facilitator_only=True),
}


def clean_ref(ref: Any) -> str:
    # Only text: were numbers accepted, 1 and "1" would be one ref, and the second
    # command would be acknowledged with the first one's seq without being stored.
    if ref is None:
        return ""
    if not isinstance(ref, str) or len(ref) > services.REF_MAX:
        raise Refused("invalid", _("A command's ref must be a text of at most 64 characters."))
    return ref


def parse(command: Command, message: dict[str, Any]) -> dict[str, Any]:
    """The command's fields from `message`, each checked against its declared type (left
    out: None); a field of another type is refused as `invalid`, naming it."""
    fields = {}
    for name, expected in command.fields.items():
        value = message.get(name)
        try:
            shapes.check(value, expected, name)
        except shapes.ShapeError as refused:
            left_out = value is None and refused.path == name
            raise Refused("invalid", _refusal(refused, left_out)) from None
        if value is None and name in command.cleared_by_null and name in message:
            value = ""
        fields[name] = value
    return fields


def _refusal(refused: shapes.ShapeError, left_out: bool) -> str:
    if left_out or refused.missing:
        return _("The command needs its field %(field)s.") % {"field": refused.path}
    return _("The field %(field)s must be %(what)s.") % {
        "field": refused.path,
        "what": _what(refused.expected),
    }


def _what(expected: Any) -> str:
    """A type, as the person who sent the field reads it."""
    options = [option for option in get_args(expected) if option is not type(None)]
    if isinstance(expected, types.UnionType) and len(options) == 1:
        return pgettext("field type", "%(what)s or null") % {"what": _what(options[0])}
    if expected is str:
        return pgettext("field type", "text")
    if expected is bool:
        return pgettext("field type", "true or false")
    if expected is int:
        return pgettext("field type", "a whole number")
    if get_origin(expected) is list:
        return pgettext("field type", "a list")
    if is_typeddict(expected):
        keys = ", ".join(shapes.fields(expected))
        return pgettext("field type", "an object with %(keys)s") % {"keys": keys}
    return pgettext("field type", "an object")


def run(
    *,
    participant: Participant,
    session_key: str | None,
    message: dict[str, Any],
    address: str,
) -> Event:
    """Run one command from a socket, whose client is at `address` (its IP, counted by the
    throttle); raises Refused for anything refused."""
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
        raise Refused("rate_limited", _("Slow down a little, then try again."))


def inserts_only(message: dict[str, Any]) -> bool:
    """Does this command only insert a contribution (`Command.inserts_only`)?"""
    command = COMMANDS.get(message.get("type"))  # type: ignore[arg-type]
    return command is not None and command.inserts_only


def throttle_keys(*, participant: Participant, address: str) -> tuple[str, ...]:
    """The throttle's keys `admit` counts a command of `participant` under."""
    return throttle.command_keys(
        participant_id=participant.pk, address=address, workshop_id=participant.workshop_id
    )


def apply(*, participant: Participant, session_key: str | None, message: dict[str, Any]) -> Event:
    """Run an admitted command's service: the part that writes, in its own transaction."""
    command = COMMANDS[message["type"]]
    ref = clean_ref(message.get("ref"))
    try:
        if command.facilitator_only:
            _still_facilitator(participant, session_key).require()
        kwarg = dict(command.renamed)
        fields = {kwarg.get(name, name): value for name, value in parse(command, message).items()}
        return command.service(participant=participant, ref=ref, **fields)
    except PASSING_FAILURES as failure:
        log.warning("command %s unavailable for now: %r", message["type"], failure)
        raise unavailable() from failure
    except Workshop.DoesNotExist:  # deleted while this socket was open
        raise Refused("not_found", _("This workshop has been deleted.")) from None


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


def unavailable() -> Refused:
    """The refusal for a passing failure (PASSING_FAILURES): nothing stored, resend it."""
    return Refused("unavailable", _("The server is busy for a moment; this will be sent again."))


def _still_facilitator(participant: Participant, session_key: str | None) -> access.Access:
    """Re-checked on every privileged command: signing out elsewhere takes effect at once."""
    signed_in = None
    if participant.role == Participant.Role.FACILITATOR and session_key:
        session = import_string(settings.SESSION_ENGINE).SessionStore(session_key)
        signed_in = session.get(SESSION_KEY)
    return access.signed_in_facilitator(participant, signed_in)
