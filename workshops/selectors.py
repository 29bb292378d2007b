"""Reads: the full state a new socket starts from, and the log a returning one replays.

Both are built from the tables with a fixed number of queries, however large the
workshop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from . import events
from .events import as_sent, person, timestamp
from .models import (
    VOTING_PHASE,
    Event,
    Idea,
    Participant,
    Phase,
    Statement,
    Table,
    Value,
    Vote,
    Workshop,
)
from .services.materials import material_data
from .services.phases import room_report_url
from .text import statement_key

# Other apps (principles) add their part of the state: {"principles": [...]}.
STATE_PARTS: list[Callable[[Workshop], dict[str, Any]]] = []

# ... and their part of what a participant sees of themselves: {"consent": {...}}.
YOU_PARTS: list[Callable[[Participant], dict[str, Any]]] = []
# ... and what such a part is for someone made just now, with no rows of theirs yet (a
# new joiner's welcome then asks nothing of it): {my_consent: {"consent": {}}}.
YOU_BLANKS: dict[Callable[[Participant], dict[str, Any]], dict[str, Any]] = {}

# A returning socket further behind than this gets the full state instead of the log.
REPLAY_LIMIT = 2_000


def workshop_by_code(code: str) -> Workshop | None:
    return Workshop.objects.filter(code=code.strip().upper()).first()


class VoteTotals:
    """Votes per target, as the room may see them: None while their phase hides results."""

    def __init__(self, workshop: Workshop) -> None:
        rows = (
            Vote.objects.filter(phase__workshop=workshop)
            .values_list("target_kind", "target_id")
            .annotate(total=Count("id"))
        )
        self.totals = {(kind, id): total for kind, id, total in rows}
        hidden_phases = Phase.objects.filter(workshop=workshop, results_hidden=True)
        hidden_phase_kinds = set(hidden_phases.values_list("kind", flat=True))
        self.hidden_kinds = {
            target
            for target, phase_kind in VOTING_PHASE.items()
            if phase_kind in hidden_phase_kinds
        }

    def get(self, kind: str, id: int) -> int | None:
        if kind in self.hidden_kinds:
            return None
        return self.totals.get((kind, id), 0)


def workshop_state(workshop: Workshop, *, private: bool = False) -> tuple[int, dict[str, Any]]:
    """The whole visible state of a workshop and the seq it is current to.

    `private` (facilitators) adds the contributions awaiting approval, marked pending.

    The seq is read first: anything committed after it is in the state too and is then
    delivered again as an event, which clients apply idempotently.
    """
    with transaction.atomic():
        # Read afresh: the caller's instance may predate a workshop.update.
        workshop = Workshop.objects.get(pk=workshop.pk)
        seq = workshop.last_seq
        phases = list(Phase.objects.filter(workshop=workshop).order_by("position"))
        values = list(
            _visible(Value.objects.filter(workshop=workshop), private)
            .select_related("author", "merged_into")
            .order_by("id")
        )
        shown_ids = {value.pk for value in values}
        statements = list(
            _visible(Statement.objects.filter(workshop=workshop), private)
            .select_related("author")
            .order_by("id")
        )
        totals = VoteTotals(workshop)
        people = people_joined(workshop.pk)
        state: dict[str, Any] = {
            "workshop": {
                "code": workshop.code,
                "title": workshop.title,
                "description": workshop.description,
                "licence": workshop.licence,
                "premoderated": workshop.premoderated,
                "contribution_limit": workshop.contribution_limit,
                "statement_template": workshop.statement_template,
                "activity_suggestions": workshop.activity_suggestions,
                # The projector shows each table's top items side by side.
                "tables_top": workshop.tables_top,
                # The facilitator's message every screen shows (null: none).
                "message": {"text": workshop.message, "at": timestamp(workshop.message_at)}
                if workshop.message and workshop.message_at
                else None,
                # Set once the facilitator ended the session: every screen shows the outcome.
                "ended": {"at": timestamp(workshop.ended_at), "report": room_report_url(workshop)}
                if workshop.ended_at
                else None,
            },
            "phases": [
                {
                    **events.phase_fields(phase),
                    "timer_ends_at": timestamp(phase.timer_ends_at)
                    if phase.timer_ends_at
                    else None,
                    # The facilitator's script: theirs alone (events.PRIVATE_FIELDS too).
                    **({"notes": phase.notes} if private else {}),
                }
                for phase in phases
            ],
            "values": [
                {
                    "id": value.pk,
                    "text": value.text,
                    # A merged value counts under the value it was merged into, unless
                    # that one is hidden or awaits approval: its key is its text.
                    "key": value.merged_into.key
                    if value.merged_into_id in shown_ids
                    else value.key,
                    "by": person(value.author),
                    "at": timestamp(value.created_at),
                    "pending": value.pending,
                    "table": value.table_id,
                }
                for value in values
            ],
            "statements": [
                {
                    **events.statement_fields(statement),
                    "by": person(statement.author),
                    "at": timestamp(statement.created_at),
                    "votes": totals.get("statement", statement.pk),
                    "pending": statement.pending,
                    # Merged into another statement: it counts under that one's key.
                    "merged": statement.key
                    != statement_key(statement.activity, statement.value_text),
                    "table": statement.table_id,
                }
                for statement in statements
            ],
            "ideas": ideas_state(workshop, phases, totals, private),
            **tables_state(workshop),
            "materials": [material_data(material) for material in workshop.materials.all()],
            "participants": people,
        }
        if private:
            # What a facilitator took off the room's suggestions, in the words' keys.
            state["workshop"]["activities_removed"] = workshop.activities_removed
        for part in STATE_PARTS:
            state.update(part(workshop))
    return seq, state


def ideas_state(
    workshop: Workshop, phases: list[Phase], totals: VoteTotals, private: bool
) -> list[dict[str, Any]]:
    """The ideas the room sees (facilitators: those awaiting approval too), oldest first.

    Their votes read as None while their own phase hides its results: one query."""
    phase_of = {phase.pk: phase for phase in phases}
    ideas = _visible(Idea.objects.filter(workshop=workshop), private).select_related("author")
    return [
        {
            **events.idea_fields(idea, phase_of[idea.phase_id].key),
            "by": person(idea.author),
            "at": timestamp(idea.created_at),
            "votes": None
            if phase_of[idea.phase_id].results_hidden
            else totals.totals.get(("idea", idea.pk), 0),
            "pending": idea.pending,
        }
        for idea in ideas.order_by("id")
    ]


def tables_state(workshop: Workshop) -> dict[str, Any]:
    """Every table of every round, oldest first (`ended`: its round is over: its label
    still names the work done there), and the names of everyone ever seated (`people`).

    One query in a workshop that never formed tables, three however many it did."""
    tables = list(Table.objects.filter(workshop=workshop).order_by("round", "position", "id"))
    if not tables:
        return {"tables": [], "people": []}
    seats = Table.members.through.objects.filter(table__workshop=workshop).order_by(
        "participant_id"
    )
    members: dict[int, list[int]] = {}
    for table_id, participant_id in seats.values_list("table_id", "participant_id"):
        members.setdefault(table_id, []).append(participant_id)
    seated = Participant.objects.filter(tables__workshop=workshop).distinct().order_by("id")
    return {
        "tables": [
            {
                "id": table.pk,
                "name": table.name,
                "members": members.get(table.pk, []),
                "ended": table.ended_at is not None,
            }
            for table in tables
        ],
        "people": [events.person_named(pk, name) for pk, name in seated.values_list("pk", "name")],
    }


class ScreenHeadline(NamedTuple):
    kind: str  # the phase kind people see, "none" between activities, or "ended"
    eyebrow: str
    prompt: str


def screen_headline(workshop: Workshop) -> ScreenHeadline:
    """What the projector shows first, as screen.js draws it from the state: in the page
    itself, the stage keeps its layout when the socket's welcome arrives (Lighthouse
    measured a layout shift of 0.09 when the page said "Connecting…" over an empty cloud
    that the state of a statements phase then took away)."""
    if workshop.ended_at is not None:
        return ScreenHeadline("ended", _("The session has ended"), _("Thank you for taking part!"))
    # People see the later of two open phases (state.js currentPhase).
    phase = (
        Phase.objects.filter(workshop=workshop, status=Phase.Status.OPEN)
        .order_by("-position", "-id")
        .first()
    )
    if phase is None:
        return ScreenHeadline("none", _("Between activities"), _("The next activity starts soon."))
    return ScreenHeadline(phase.kind, phase.title, phase.prompt or phase.title)


def people_joined(workshop_id: int) -> int:
    """How many people have joined: participants, not facilitators (nor screens, which
    have no row at all)."""
    return Participant.objects.filter(
        workshop_id=workshop_id, role=Participant.Role.PARTICIPANT
    ).count()


def _visible(items: Any, private: bool) -> Any:
    return items.filter(hidden=False) if private else items.live()


def my_votes(participant: Participant) -> dict[str, int]:
    """How many of this participant's votes sit on each target: {"statement:12": 2}."""
    rows = (
        Vote.objects.filter(participant=participant)
        .values_list("target_kind", "target_id")
        .annotate(n=Count("id"))
    )
    return {f"{kind}:{id}": n for kind, id, n in rows}


def events_between(
    workshop_id: int,
    after: int,
    upto: int | None = None,
    *,
    private: bool = True,
    reader: int | None = None,
) -> list[dict[str, Any]]:
    """The logged events with after < seq <= upto, in order, as they are sent (events.as_sent).

    `private`: as facilitators receive them (in full, hidden items included). Otherwise
    as participant `reader` (or anyone, when None) may read them now: what they carried
    of an item that is now hidden or awaiting approval is cut to its id, and only the
    reader's own votes name their voter while results are hidden.
    """
    wired = [as_sent(event) for event in _events(workshop_id, after, upto)]
    if private:
        return wired
    unseen = _unseen_items(workshop_id, wired)
    return [events.for_reader(_cut_unseen(event, unseen), reader) for event in wired]


def _unseen_items(workshop_id: int, wired: list[dict[str, Any]]) -> set[tuple[str, int]]:
    """Of the items these events carry text of, those the room may not see right now."""
    named: dict[str, set[int]] = {"value": set(), "statement": set(), "idea": set()}
    for event in wired:
        data = event["data"]
        if events.is_redacted(data) or event["event"] in events.PRIVATE_KINDS:
            continue  # cut already, or cut to its id for everyone anyway
        if event["event"] in events.TEXT_KINDS:
            named[events.TEXT_KINDS[event["event"]]].add(data["id"])
        elif event["event"] == "value.merged":
            named["value"].add(data["into"])  # its key is the text of `into`
    unseen: set[tuple[str, int]] = set()
    models: tuple[tuple[str, type[Value] | type[Statement] | type[Idea]], ...] = (
        ("value", Value),
        ("statement", Statement),
        ("idea", Idea),
    )
    for kind, model in models:
        if named[kind]:
            live = model.objects.filter(workshop_id=workshop_id, pk__in=named[kind]).live()
            shown = set(live.values_list("pk", flat=True))
            unseen |= {(kind, id) for id in named[kind] - shown}
    return unseen


def _cut_unseen(event: dict[str, Any], unseen: set[tuple[str, int]]) -> dict[str, Any]:
    data = event["data"]
    item = events.TEXT_KINDS.get(event["event"])
    if item is not None and (item, data.get("id")) in unseen:
        return {**event, "data": events.redacted(data["id"])}
    if event["event"] == "value.merged" and ("value", data.get("into")) in unseen:
        return {**event, "data": events.redacted(data["id"])}
    return event


def audit_log(workshop_id: int) -> list[dict[str, Any]]:
    """Every event with who did it (`actor`): the audit trail, and the replay's script."""
    return [
        {
            **as_sent(event),
            "actor": {
                "id": event.actor.pk,
                "name": event.actor.name,
                "role": event.actor.role,
            }
            if event.actor
            else None,
        }
        for event in _events(workshop_id, 0, None)
    ]


def _events(workshop_id: int, after: int, upto: int | None) -> Any:
    # With the actor: a facilitator's events name them (events.as_sent).
    query = Event.objects.filter(workshop_id=workshop_id, seq__gt=after).select_related("actor")
    if upto is not None:
        query = query.filter(seq__lte=upto)
    return query.order_by("seq")
