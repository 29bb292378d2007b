"""The events a workshop's log holds: one schema per kind, and the shape they are sent in.

Every event is checked against its schema when it is appended, so a socket, a replay
and an export can rely on the fields below. Events carry absolute values (a vote's new
total, not +1), so applying one twice changes nothing: a client that got a state and
then an event already in it stays right.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from . import shapes

if TYPE_CHECKING:
    from .models import Event, Idea, Participant, Phase, Statement

# The payload of each kind, as a TypedDict, which `check` reads when an event is appended
# or imported. `NotRequired`: absent from events logged before the field existed.


class Person(TypedDict):
    id: int
    name: str


class Target(TypedDict):
    """What a vote is for: {"kind": "statement", "id": 3}."""

    kind: str
    id: int


class Column(TypedDict):
    """One column of an `ideas` phase: {"key": "h1", "title": "Horizon 1"}."""

    key: str
    title: str


class _Value(TypedDict):
    id: int
    text: str
    key: str
    table: NotRequired[int | None]  # the breakout table its author sat at (absent: the room)


class ValueAdded(_Value):
    by: Person


class ValueRestored(_Value):
    by: Person | None  # a restored item may have lost its author (the row can be deleted)


class _Statement(TypedDict):
    id: int
    text: str
    activity: str
    value: str
    value_id: int | None  # the live value with the same key, if any
    key: str
    table: NotRequired[int | None]  # the breakout table its author sat at (absent: the room)


class StatementAdded(_Statement):
    by: Person


class StatementRestored(_Statement):
    by: Person | None


class _Idea(TypedDict):
    id: int
    phase: str  # the key of its `ideas` phase
    text: str
    column: str | None  # one of the phase's column keys; null when it has none
    parent: int | None  # the idea it answers
    table: int | None  # the breakout table it came from (null: the room)


class IdeaAdded(_Idea):
    by: Person


class IdeaRestored(_Idea):
    by: Person | None


class Redacted(TypedDict):
    """What is left of an event that carried the text of an item its author removed
    (stored so), or of one currently hidden (as participants read it): the seq stays,
    the text goes."""

    id: int
    redacted: bool


class ItemId(TypedDict):
    id: int


class Regrouped(TypedDict):
    id: int
    key: str


class ValueRemoved(TypedDict):
    id: int
    regrouped: list[Regrouped]


class StatementRemoved(TypedDict):
    id: int
    votes_moved_to: int | None  # the identical statement (same key) its votes count on now


class ValueMerged(TypedDict):
    id: int
    into: int
    key: str
    ids: list[int]


class StatementHidden(TypedDict):
    id: int
    refunded: NotRequired[bool]  # every vote on it was given back to its voter


class PhaseKey(TypedDict):
    phase: str


class PhaseOpenedOrClosed(PhaseKey):
    scheduled: NotRequired[bool]  # by its schedule (no actor), not by a facilitator


class VoteChanged(TypedDict):
    target: Target
    total: int | None  # null while the phase's results are hidden
    voter: int
    voter_votes: int
    phase: str


class ModerationChanged(TypedDict):
    premoderated: bool


class ContributionLimitChanged(TypedDict):
    limit: int | None


class WorkshopUpdated(TypedDict):
    title: str
    description: str
    licence: str
    statement_template: str
    activity_suggestions: list[str]


class PhaseAdded(TypedDict):
    phase: str
    kind: str
    title: str
    prompt: str
    position: int
    columns: NotRequired[list[Column]]  # an `ideas` phase's


class PhaseMoved(TypedDict):
    order: list[str]


class PhaseUpdated(TypedDict):
    phase: str
    title: str
    prompt: str
    vote_budget: int
    columns: NotRequired[list[Column]]
    minutes: NotRequired[int | None]  # the suggested duration; null: none
    tables: NotRequired[bool]  # the step runs in breakout tables
    notes: NotRequired[str]  # the facilitators' alone (PRIVATE_FIELDS)
    # When it opens and closes by itself (ISO 8601 in UTC), or null.
    opens_at: NotRequired[str | None]
    closes_at: NotRequired[str | None]


class TimerStarted(TypedDict):
    phase: str
    ends_at: str
    seconds: int


class Total(TypedDict):
    kind: str
    id: int
    total: int


class ResultsRevealed(TypedDict):
    phase: str
    totals: list[Total]


class SessionEnded(TypedDict):
    closed: list[str]  # the phases it closed
    report: str | None  # the report link given to the room


class Nothing(TypedDict):
    pass


class Ids(TypedDict):
    ids: list[int]


class ValuesMerged(TypedDict):
    into: int
    key: str
    ids: list[int]


class StatementsHidden(TypedDict):
    ids: list[int]
    refunded: NotRequired[bool]


class ActivityRemoved(TypedDict):
    ids: list[int]
    refunded: bool
    activity: str
    key: str


class StatementMerged(TypedDict):
    ids: list[int]
    into: int
    key: str
    total: int | None


class Member(TypedDict):
    username: str | None  # null once imported from an anonymized export
    role: str  # facilitator or organiser


class LinkShared(TypedDict):
    replaced: bool


class RetentionChanged(TypedDict):
    delete_after: str | None  # an ISO date, or null: kept


class IdeaRemoved(TypedDict):
    id: int
    orphans: list[int]  # its answers, which stay, answering nothing


class IdeaHidden(TypedDict):
    id: int
    refunded: bool  # the votes on it went back to their voters, as for a statement


class IdeaMoved(TypedDict):
    id: int
    column: str | None


class TableFormed(TypedDict):
    id: int
    name: str
    members: list[int]  # participant ids


class TablesFormed(TypedDict):
    tables: list[TableFormed]  # the new round
    people: list[Person]  # everyone it seats


class TableChanged(TypedDict):
    participant: int
    table: int  # where they sit now
    name: str  # the participant's


class TableRenamed(TypedDict):
    table: int
    name: str


class TablesEnded(TypedDict):
    tables: list[int]  # the tables whose round it ended


class TablesTopShown(TypedDict):
    shown: bool  # the projector shows each table's top items


class Material(TypedDict):
    id: int
    title: str
    url: str  # http or https


class MessageSent(TypedDict):
    text: str  # the facilitator's message to every screen (1-280 characters)
    at: str  # when it was sent (ISO 8601 in UTC): the state's `workshop.message.at`


# Extensions (workshops/extensions.py) add their own kinds.
SCHEMAS: dict[str, Any] = {
    "value.added": ValueAdded,
    "value.hidden": ItemId,
    "value.removed": ValueRemoved,
    "statement.removed": StatementRemoved,
    "value.merged": ValueMerged,
    "statement.added": StatementAdded,
    "statement.hidden": StatementHidden,
    "phase.opened": PhaseOpenedOrClosed,
    "phase.closed": PhaseOpenedOrClosed,
    "vote.changed": VoteChanged,
    # A restored item that still awaits approval is submitted again (author may be gone).
    "value.submitted": ValueRestored,
    "statement.submitted": StatementRestored,
    "moderation.changed": ModerationChanged,
    "contribution_limit.changed": ContributionLimitChanged,
    "value.restored": ValueRestored,
    "statement.restored": StatementRestored,
    "workshop.updated": WorkshopUpdated,
    "phase.added": PhaseAdded,
    "phase.removed": PhaseKey,
    "phase.moved": PhaseMoved,
    "phase.updated": PhaseUpdated,
    "timer.started": TimerStarted,
    "timer.stopped": PhaseKey,
    "results.hidden": PhaseKey,
    "results.revealed": ResultsRevealed,
    "session.ended": SessionEnded,
    "session.reopened": Nothing,
    # Moderation of a group in one event (branch control).
    "values.hidden": Ids,
    "values.merged": ValuesMerged,
    "statements.hidden": StatementsHidden,
    "activity.removed": ActivityRemoved,
    "statement.merged": StatementMerged,
    # The audit trail of what facilitators do beside the room's flow: who may run or read
    # the workshop, its secret links, its deletion day. Never a link's key.
    "member.added": Member,
    "member.removed": Member,
    "screen.shared": LinkShared,
    "screen.unshared": Nothing,
    "report.shared": LinkShared,
    "report.unshared": Nothing,
    "retention.changed": RetentionChanged,
    # Ideas (phase kind `ideas`).
    "idea.added": IdeaAdded,
    "idea.submitted": IdeaRestored,
    "idea.restored": IdeaRestored,
    "idea.removed": IdeaRemoved,
    "idea.hidden": IdeaHidden,
    "idea.moved": IdeaMoved,
    # Tables (breakouts). `people`: the names of those seated, so every screen can show
    # who sits where; `table.changed` names the one it seats likewise.
    "tables.formed": TablesFormed,
    "table.changed": TableChanged,
    "table.added": TableFormed,
    "table.renamed": TableRenamed,
    "tables.ended": TablesEnded,
    "tables.top_shown": TablesTopShown,
    # Links the facilitator gives the room (slides, the recording, related work).
    "material.added": Material,
    "material.removed": ItemId,
    # The facilitator's message to every screen, and taking it off.
    "message.sent": MessageSent,
    "message.cleared": Nothing,
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


# ... and those that may be stored cut to `Redacted`: a merge carries the key (the text,
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


# Fields of otherwise public kinds that only facilitators read: left out for everyone else.
PRIVATE_FIELDS: dict[str, tuple[str, ...]] = {
    # A phase's notes are the facilitator's script.
    "phase.updated": ("notes",),
}


def check(kind: str, data: dict[str, Any]) -> None:
    """Raise ValueError (shapes.ShapeError) when `data` is not a `kind` payload."""
    if kind not in SCHEMAS:
        raise ValueError(f"unknown event kind {kind!r}")
    redacted_form = kind in REDACTABLE_KINDS and isinstance(data, dict) and is_redacted(data)
    shapes.check(data, Redacted if redacted_form else SCHEMAS[kind], kind)


def person(participant: Participant | None) -> dict[str, Any] | None:
    """How an author appears in events and states; None once their row is gone."""
    return None if participant is None else {"id": participant.pk, "name": participant.name}


def person_named(id: int, name: str) -> dict[str, Any]:
    return {"id": id, "name": name}


def at_table(table_id: int | None) -> dict[str, Any]:
    """`{"table": id}` for an item written at a breakout table; nothing for the room's."""
    return {} if table_id is None else {"table": table_id}


def phase_fields(phase: Phase) -> dict[str, Any]:
    """A phase's settings, as the room's state and the export carry them (each adds its
    own: the state its timer and, for facilitators, the notes; the export its position
    and the notes)."""
    return {
        "key": phase.key,
        "kind": phase.kind,
        "title": phase.title,
        "prompt": phase.prompt,
        "status": phase.status,
        "vote_budget": phase.vote_budget,
        "results_hidden": phase.results_hidden,
        "columns": phase.columns,
        "minutes": phase.minutes,
        "tables": phase.tables,
        "opens_at": timestamp(phase.opens_at) if phase.opens_at else None,
        "closes_at": timestamp(phase.closes_at) if phase.closes_at else None,
    }


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


def as_sent(event: Event) -> dict[str, Any]:
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
    hidden_fields = PRIVATE_FIELDS.get(wired["event"], ())
    if any(name in data for name in hidden_fields):
        data = {name: value for name, value in data.items() if name not in hidden_fields}
        return {**wired, "data": data}
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
