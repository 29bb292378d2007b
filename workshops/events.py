"""The events a workshop's log holds: one schema per kind, and their wire shape.

Every event is checked against its schema when it is appended, so a socket, a replay
and an export can rely on the fields below. Events carry absolute values (a vote's new
total, not +1), so applying one twice changes nothing: a client that got a state and
then an event already in it stays right.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Event, Idea, Participant, Statement


class Optional:
    """A field that may be absent (events logged before it existed, or imported)."""

    def __init__(self, *types: type) -> None:
        self.types = types


PERSON = {"id": int, "name": str}
# The breakout table an item's author sat at (absent: the room's, or logged before tables).
AT_TABLE = (int, type(None))
TABLE = {"id": int, "name": str, "members": list}  # members: participant ids
VALUE = {"id": int, "text": str, "key": str, "by": PERSON, "table": Optional(*AT_TABLE)}
STATEMENT = {
    "id": int,
    "text": str,
    "activity": str,
    "value": str,
    "value_id": (int, type(None)),  # the live value with the same key, if any
    "key": str,
    "by": PERSON,
    "table": Optional(*AT_TABLE),
}
IDEA = {
    "id": int,
    "phase": str,  # the key of its `ideas` phase
    "text": str,
    "column": (str, type(None)),  # one of the phase's column keys; null when it has none
    "parent": (int, type(None)),  # the idea it answers
    "table": AT_TABLE,  # the breakout table it came from (null: the room)
    "by": PERSON,
}
# A restored item may have lost its author (the participant row can be deleted).
MAYBE_PERSON = (dict, type(None))


# What is left of an event that carried the text of an item its author removed (stored
# so), or of one currently hidden (as participants read it): the seq stays, the text goes.
REDACTED = {"id": int, "redacted": bool}

SCHEMAS: dict[str, dict[str, Any]] = {
    "value.added": VALUE,
    "value.hidden": {"id": int},
    "value.removed": {"id": int, "regrouped": list},
    # votes_moved_to: the identical statement (same key) the votes on it now count on.
    "statement.removed": {"id": int, "votes_moved_to": (int, type(None))},
    "value.merged": {"id": int, "into": int, "key": str, "ids": list},
    "statement.added": STATEMENT,
    # refunded: every vote on it was given back to its voter (absent in older logs).
    "statement.hidden": {"id": int, "refunded": Optional(bool)},
    "phase.opened": {"phase": str},
    "phase.closed": {"phase": str},
    "vote.changed": {
        "target": {"kind": str, "id": int},
        "total": (int, type(None)),  # null while the phase's results are hidden
        "voter": int,
        "voter_votes": int,
        "phase": str,
    },
    # A restored item that still awaits approval is submitted again (author may be gone).
    "value.submitted": {**VALUE, "by": MAYBE_PERSON},
    "statement.submitted": {**STATEMENT, "by": MAYBE_PERSON},
    "moderation.changed": {"premoderated": bool},
    "contribution_limit.changed": {"limit": (int, type(None))},
    "value.restored": {**VALUE, "by": MAYBE_PERSON},
    "statement.restored": {**STATEMENT, "by": MAYBE_PERSON},
    "workshop.updated": {
        "title": str,
        "description": str,
        "licence": str,
        "statement_template": str,
        "activity_suggestions": list,
    },
    # columns: an `ideas` phase's [{key, title}] (absent in older logs: none).
    "phase.added": {
        "phase": str,
        "kind": str,
        "title": str,
        "prompt": str,
        "position": int,
        "columns": Optional(list),
    },
    "phase.removed": {"phase": str},
    "phase.moved": {"order": list},
    "phase.updated": {
        "phase": str,
        "title": str,
        "prompt": str,
        "vote_budget": int,
        "columns": Optional(list),
    },
    "timer.started": {"phase": str, "ends_at": str, "seconds": int},
    "timer.stopped": {"phase": str},
    "results.hidden": {"phase": str},
    "results.revealed": {"phase": str, "totals": list},
    # The ending: the phases it closed, and the report link given to the room (or null).
    "session.ended": {"closed": list, "report": (str, type(None))},
    "session.reopened": {},
    # Moderation of a group in one event (branch control).
    "values.hidden": {"ids": list},
    "values.merged": {"into": int, "key": str, "ids": list},
    "statements.hidden": {"ids": list, "refunded": Optional(bool)},
    "activity.removed": {"ids": list, "refunded": bool, "activity": str, "key": str},
    "statement.merged": {"ids": list, "into": int, "key": str, "total": (int, type(None))},
    # The audit trail of what facilitators do beside the room's flow: who may run or read
    # the workshop, its secret links, its deletion day. Never a link's key.
    # username: the account's (null once imported from an anonymized export); role:
    # facilitator or organiser.
    "member.added": {"username": (str, type(None)), "role": str},
    "member.removed": {"username": (str, type(None)), "role": str},
    "screen.shared": {"replaced": bool},
    "screen.unshared": {},
    "report.shared": {"replaced": bool},
    "report.unshared": {},
    "retention.changed": {"delete_after": (str, type(None))},  # an ISO date, or null: kept
    # Ideas (phase kind `ideas`). A removed idea's answers stay, answering nothing
    # (`orphans`); a hidden one's votes go back to their voters, as for a statement.
    "idea.added": IDEA,
    "idea.submitted": {**IDEA, "by": MAYBE_PERSON},
    "idea.restored": {**IDEA, "by": MAYBE_PERSON},
    "idea.removed": {"id": int, "orphans": list},
    "idea.hidden": {"id": int, "refunded": bool},
    "idea.moved": {"id": int, "column": (str, type(None))},
    # Tables (breakouts). `people`: the names of those seated ({id, name}), so every
    # screen can show who sits where; `table.changed` names the one it seats likewise.
    "tables.formed": {"tables": list, "people": list},
    "table.changed": {"participant": int, "table": int, "name": str},
    "table.added": TABLE,
    "table.renamed": {"table": int, "name": str},
    "tables.ended": {"tables": list},  # the ids of the tables whose round it ended
    "tables.top_shown": {"shown": bool},  # the projector shows each table's top items
}

# ... which only facilitators and organisers read (PRIVATE_KINDS: nothing of them for
# anyone else, who keep only the seq).
AUDIT_KINDS = (
    "member.added",
    "member.removed",
    "screen.shared",
    "screen.unshared",
    "report.shared",
    "report.unshared",
    "retention.changed",
)


# Kinds that carry the text of one item, and which kind of item ("value", "statement").
TEXT_KINDS: dict[str, str] = {
    "value.added": "value",
    "value.submitted": "value",
    "value.restored": "value",
    "statement.added": "statement",
    "statement.submitted": "statement",
    "statement.restored": "statement",
    "idea.added": "idea",
    "idea.submitted": "idea",
    "idea.restored": "idea",
}


# ... and those that may be stored cut to REDACTED: a merge carries the key (the text,
# normalised) of the value merged into.
REDACTABLE_KINDS = {*TEXT_KINDS, "value.merged"}


def redacted(id: int) -> dict[str, Any]:
    """The data of an event whose item must not be read again: its id, and that it was cut."""
    return {"id": id, "redacted": True}


def is_redacted(data: dict[str, Any]) -> bool:
    return data.get("redacted") is True


# Kinds only facilitators read in full (contributions awaiting approval). Everyone else
# gets just these fields: enough to keep their seq contiguous, nothing of the text.
PRIVATE_KINDS: dict[str, tuple[str, ...]] = {
    "value.submitted": ("id",),
    "statement.submitted": ("id",),
    **{kind: () for kind in AUDIT_KINDS},
    "idea.submitted": ("id",),
    # The statements it hid, not the words a facilitator took off the room's screens.
    "activity.removed": ("ids", "refunded"),
}


def register(kind: str, schema: dict[str, Any]) -> None:
    """Let another app (principles) add its event kinds, from its AppConfig.ready()."""
    SCHEMAS[kind] = schema


def check(kind: str, data: dict[str, Any]) -> None:
    """Raise ValueError when `data` does not match the schema of `kind`."""
    if kind not in SCHEMAS:
        raise ValueError(f"unknown event kind {kind!r}")
    if kind in REDACTABLE_KINDS and isinstance(data, dict) and is_redacted(data):
        _check_fields(kind, REDACTED, data)
    else:
        _check_fields(kind, SCHEMAS[kind], data)


def _check_fields(path: str, schema: dict[str, Any], data: Any) -> None:
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected an object")
    for name, expected in schema.items():
        if isinstance(expected, Optional):
            if name in data and not isinstance(data[name], expected.types):
                raise ValueError(f"{path}.{name}: wrong type {type(data[name]).__name__}")
            continue
        if name not in data:
            raise ValueError(f"{path}.{name}: missing")
        if isinstance(expected, dict):
            _check_fields(f"{path}.{name}", expected, data[name])
        elif not isinstance(data[name], expected) or (
            expected is int and isinstance(data[name], bool)
        ):
            raise ValueError(f"{path}.{name}: wrong type {type(data[name]).__name__}")


def person(participant: Participant | None) -> dict[str, Any] | None:
    """How an author appears in events and states; None once their row is gone."""
    return None if participant is None else {"id": participant.pk, "name": participant.name}


def person_named(id: int, name: str) -> dict[str, Any]:
    return {"id": id, "name": name}


def at_table(table_id: int | None) -> dict[str, Any]:
    """`{"table": id}` for an item written at a breakout table; nothing for the room's."""
    return {} if table_id is None else {"table": table_id}


def statement_fields(statement: Statement) -> dict[str, Any]:
    """A statement's own fields, as every event, state and export carries them (each adds
    who wrote it in its own way: `by`, or `author`)."""
    return {
        "id": statement.pk,
        "text": statement.text,
        "activity": statement.activity,
        "value": statement.value_text,
        "value_id": statement.value_id,
        "key": statement.key,
        **at_table(statement.table_id),
    }


def idea_fields(idea: Idea, phase_key: str) -> dict[str, Any]:
    """An idea's own fields, as its events, the state and the export carry them."""
    return {
        "id": idea.pk,
        "phase": phase_key,
        "text": idea.text,
        "column": idea.column or None,
        "parent": idea.parent_id,
        "table": idea.table_id,
    }


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds: 2026-11-28T17:20:03.120Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def wire(event: Event) -> dict[str, Any]:
    """The shape of one event inside an `events` frame, as a facilitator receives it:
    what a facilitator did also names them (`actor`), for the facilitation log."""
    wired = {"seq": event.seq, "event": event.kind, "at": timestamp(event.at), "data": event.data}
    # actor_id first: no query for the room's own events (callers select_related it).
    actor = event.actor if event.actor_id is not None else None
    if actor is not None and actor.role == "facilitator":
        wired["actor"] = person(actor)
    return wired


def for_everyone(wired: dict[str, Any]) -> dict[str, Any]:
    """The same event as participants receive it: private fields left out (and who of
    the facilitators did it: the room reads what happened, not who pressed the button).

    Returns `wired` itself when nothing is private in it.
    """
    if "actor" in wired:
        wired = {name: value for name, value in wired.items() if name != "actor"}
    data = wired["data"]
    public = PRIVATE_KINDS.get(wired["event"])
    if public is not None and not is_redacted(data):
        return {**wired, "data": {name: data[name] for name in public}}
    if _secret_vote(wired):
        # Summed up, who voted for what would rebuild the totals the phase hides.
        return {**wired, "data": {k: v for k, v in data.items() if k not in VOTER_FIELDS}}
    return wired


VOTER_FIELDS = ("voter", "voter_votes")


def _secret_vote(wired: dict[str, Any]) -> bool:
    """A vote cast while its phase hid its results (its total was withheld)."""
    return wired["event"] == "vote.changed" and wired["data"].get("total", 0) is None


def owner(wired: dict[str, Any]) -> int | None:
    """The participant who, besides facilitators, reads this event in full although
    others do not: the voter of a secret vote. None when there is no such person."""
    return wired["data"].get("voter") if _secret_vote(wired) else None


def for_reader(wired: dict[str, Any], reader: int | None) -> dict[str, Any]:
    """The event as one participant (id `reader`) receives it: their own votes in full."""
    if reader is not None and owner(wired) == reader:
        return wired
    return for_everyone(wired)
