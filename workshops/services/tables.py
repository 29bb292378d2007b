"""Tables: the room split into breakout groups for a while, then merged back.

`tables_form` seats every participant (never a facilitator, never a screen) at a new
*round* of tables, at random or keeping apart people who sat together in earlier rounds;
a late joiner is seated at the smallest table, and a participant who comes back keeps
their seat (it is a row, not a socket). While a round is on, each contribution records
the table its author sits at. `tables_end` ends the round: the room is one again, and
what each table made stays labelled with its table's name.
"""

from __future__ import annotations

import math
import random
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import events
from ..errors import Refused
from ..models import Event, Participant, Table, Workshop
from ..text import TABLE_NAME_MAX, clean_text
from .core import event_append, locked_workshop, require_facilitator, workshop_write

SIZE_MIN, SIZE_MAX = 2, 12
COUNT_MIN, COUNT_MAX = 1, 500

# Seating is a draw, not a secret: any fair shuffle will do (tests fix nothing of it).
_draw = random.Random()


def current_tables(workshop_id: int) -> Any:
    """The tables of the round that is on now (none between rounds)."""
    return Table.objects.filter(workshop_id=workshop_id, ended_at__isnull=True)


def seat_of(participant: Participant) -> int | None:
    """The id of the table this participant sits at now, or None (one query)."""
    return (
        current_tables(participant.workshop_id)
        .filter(members=participant)
        .values_list("pk", flat=True)
        .first()
    )


def author_table(participant: Participant) -> int | None:
    """The table a contribution being written now comes from: its author's, while tables
    are formed (inside a command: no query at all when they are not)."""
    if not locked_workshop(participant.workshop_id).seating:
        return None
    return seat_of(participant)


def _whole_number(raw: Any, name: str, low: int, high: int) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or not low <= raw <= high:
        raise Refused(
            "invalid",
            _("The %(name)s of tables is a whole number from %(low)d to %(high)d.")
            % {"name": name, "low": low, "high": high},
        )
    return raw


def _table_count(size: Any, count: Any, people: int) -> int:
    """How many tables: `count` itself, or enough tables of at most `size` people."""
    if (size is None) == (count is None):
        raise Refused("invalid", _("Give either the size of the tables or their count, not both."))
    if count is not None:
        return _whole_number(count, _("count"), COUNT_MIN, COUNT_MAX)
    size = _whole_number(size, _("size"), SIZE_MIN, SIZE_MAX)
    return min(COUNT_MAX, max(1, math.ceil(people / size)))


def _require_no_round(workshop_id: int) -> None:
    if locked_workshop(workshop_id).seating:
        raise Refused("invalid", _("Tables are already formed: end them before forming new ones."))


def _require_round(workshop_id: int) -> None:
    if not locked_workshop(workshop_id).seating:
        raise Refused("invalid", _("No tables are formed right now."))


def _past_tablemates(workshop_id: int) -> dict[int, set[int]]:
    """Who sat with whom at the tables of earlier rounds: {participant: {others}}."""
    seats = Table.members.through.objects.filter(
        table__workshop_id=workshop_id, table__ended_at__isnull=False
    ).values_list("table_id", "participant_id")
    at_table: dict[int, set[int]] = {}
    for table_id, participant_id in seats:
        at_table.setdefault(table_id, set()).add(participant_id)
    mates: dict[int, set[int]] = {}
    for sitting in at_table.values():
        for person in sitting:
            mates.setdefault(person, set()).update(sitting - {person})
    return mates


def _deal(people: list[int], count: int, apart: dict[int, set[int]] | None) -> list[list[int]]:
    """Deal shuffled people to `count` tables whose sizes differ by one at most.

    With `apart`, each person goes to the open table where they meet the fewest of their
    past tablemates (a greedy seating: good, not optimal, and instant for a thousand)."""
    people = list(people)
    _draw.shuffle(people)
    tables: list[list[int]] = [[] for _ in range(count)]
    if apart is None:
        for index, person in enumerate(people):
            tables[index % count].append(person)
        return tables
    most = math.ceil(len(people) / count) if people else 0
    for person in people:
        mates = apart.get(person, set())
        open_tables = [table for table in tables if len(table) < most]
        best = min(
            open_tables,
            key=lambda table: (sum(other in mates for other in table), len(table)),
        )
        best.append(person)
    return tables


@workshop_write
def tables_form(
    *,
    participant: Participant,
    size: int | None = None,
    count: int | None = None,
    apart: bool | None = None,
    ref: str = "",
) -> Event:
    """Seat every participant at a new round of tables: `count` tables, or as many as
    tables of at most `size` people need; at random, or (`apart`) keeping apart people
    who sat together before."""
    require_facilitator(participant)
    workshop_id = participant.workshop_id
    if apart not in (None, True, False):
        raise Refused("invalid", _("Say true or false for keeping tablemates apart."))
    _require_no_round(workshop_id)
    people = list(
        Participant.objects.filter(
            workshop_id=workshop_id, role=Participant.Role.PARTICIPANT
        ).values_list("pk", "name")
    )
    count = _table_count(size, count, len(people))
    round = (
        Table.objects.filter(workshop_id=workshop_id).aggregate(Max("round"))["round__max"] or 0
    ) + 1
    _seating_set(workshop_id, round)
    seating = _deal(
        [pk for pk, _name in people], count, _past_tablemates(workshop_id) if apart else None
    )
    tables = Table.objects.bulk_create(
        Table(workshop_id=workshop_id, round=round, name=_("Table %(n)d") % {"n": n}, position=n)
        for n in range(1, count + 1)
    )
    Seat = Table.members.through
    Seat.objects.bulk_create(
        Seat(table_id=table.pk, participant_id=member)
        for table, members in zip(tables, seating, strict=True)
        for member in members
    )
    data = {
        "tables": [
            {"id": table.pk, "name": table.name, "members": sorted(members)}
            for table, members in zip(tables, seating, strict=True)
        ],
        "people": [events.person_named(pk, name) for pk, name in sorted(people)],
    }
    return event_append(workshop_id, "tables.formed", data, actor=participant, ref=ref)


def _seating_set(workshop_id: int, round: int) -> None:
    """Record which round is on (0: none) on the workshop row this command holds locked."""
    Workshop.objects.filter(pk=workshop_id).update(seating=round)
    locked_workshop(workshop_id).seating = round


def _current_table(workshop_id: int, id: Any) -> Table:
    if not isinstance(id, int) or isinstance(id, bool):
        raise Refused("invalid", _("The table id must be a number."))
    table = current_tables(workshop_id).filter(pk=id).first()
    if table is None:
        raise Refused("not_found", _("There is no table %(id)s now.") % {"id": id})
    return table


@workshop_write
def table_move(*, participant: Participant, person: int, table: int, ref: str = "") -> Event:
    """Move participant `person` (an id) to another table of the round, or seat them."""
    require_facilitator(participant)
    workshop_id = participant.workshop_id
    if not isinstance(person, int) or isinstance(person, bool):
        raise Refused("invalid", _("The participant id must be a number."))
    _require_round(workshop_id)
    moved = Participant.objects.filter(
        workshop_id=workshop_id, pk=person, role=Participant.Role.PARTICIPANT
    ).first()
    if moved is None:
        raise Refused("not_found", _("There is no participant %(id)s to seat.") % {"id": person})
    to = _current_table(workshop_id, table)
    if seat_of(moved) == to.pk:
        raise Refused(
            "invalid",
            _("%(name)s already sits at %(table)s.")
            % {"name": moved.name or _("This participant"), "table": to.name},
        )
    _seat(moved, to)
    data = _changed(moved, to)
    return event_append(workshop_id, "table.changed", data, actor=participant, ref=ref)


def _seat(person: Participant, table: Table) -> None:
    """Take `person` from their table of this round, if any, and sit them at `table`."""
    Seat = Table.members.through
    Seat.objects.filter(participant=person, table__in=current_tables(table.workshop_id)).delete()
    Seat.objects.create(table=table, participant=person)


def _changed(person: Participant, table: Table) -> dict[str, Any]:
    return {"participant": person.pk, "table": table.pk, "name": person.name}


def round_on(workshop_id: int) -> bool:
    """Whether a round of tables is on, seating whoever joins (one query)."""
    return Workshop.objects.filter(pk=workshop_id, seating__gt=0).exists()


def seat_late_joiner(participant: Participant) -> Event | None:
    """Seat someone who joins while tables are formed at the smallest table (the first
    of the smallest, so a wave of joiners fills the tables evenly), logging
    `table.changed`. Runs inside the join's transaction; nothing when no round is on."""
    if participant.role != Participant.Role.PARTICIPANT:
        return None
    if not round_on(participant.workshop_id):
        return None
    # Under the workshop's lock, joins are seated one at a time: the sizes stay true.
    if not locked_workshop(participant.workshop_id).seating:
        return None  # the round ended while this join waited for the lock
    tables = current_tables(participant.workshop_id)
    smallest = tables.annotate(seated=Count("members")).order_by("seated", "position").first()
    if smallest is None:
        return None
    _seat(participant, smallest)
    return event_append(
        participant.workshop_id,
        "table.changed",
        _changed(participant, smallest),
        actor=None,
        ref="",
    )


@workshop_write
def table_add(*, participant: Participant, name: str | None = None, ref: str = "") -> Event:
    """Add an empty table to the round that is on (people are then moved to it)."""
    require_facilitator(participant)
    workshop_id = participant.workshop_id
    _require_round(workshop_id)
    tables = current_tables(workshop_id)
    round = locked_workshop(workshop_id).seating
    position = (tables.aggregate(Max("position"))["position__max"] or 0) + 1
    if name is None:
        name = _("Table %(n)d") % {"n": position}
    name = clean_text(name, field=gettext_lazy("table name"), max_length=TABLE_NAME_MAX)
    table = Table.objects.create(workshop_id=workshop_id, round=round, name=name, position=position)
    data = {"id": table.pk, "name": table.name, "members": []}
    return event_append(workshop_id, "table.added", data, actor=participant, ref=ref)


@workshop_write
def table_rename(*, participant: Participant, table: int, name: str, ref: str = "") -> Event:
    """Rename a table, of this round or an earlier one: its work is labelled so everywhere."""
    require_facilitator(participant)
    if not isinstance(table, int) or isinstance(table, bool):
        raise Refused("invalid", _("The table id must be a number."))
    name = clean_text(name, field=gettext_lazy("table name"), max_length=TABLE_NAME_MAX)
    found = Table.objects.filter(workshop_id=participant.workshop_id, pk=table).first()
    if found is None:
        raise Refused("not_found", _("There is no table %(id)s.") % {"id": table})
    Table.objects.filter(pk=found.pk).update(name=name)
    data = {"table": found.pk, "name": name}
    return event_append(participant.workshop_id, "table.renamed", data, actor=participant, ref=ref)


@workshop_write
def tables_end(*, participant: Participant, ref: str = "") -> Event:
    """End the round: everyone is back in the plenary; each table's work keeps its label."""
    require_facilitator(participant)
    workshop_id = participant.workshop_id
    _require_round(workshop_id)
    tables = current_tables(workshop_id)
    ended = sorted(tables.values_list("pk", flat=True))
    tables.update(ended_at=timezone.now())
    _seating_set(workshop_id, 0)
    return event_append(workshop_id, "tables.ended", {"tables": ended}, actor=participant, ref=ref)


@workshop_write
def tables_top_show(*, participant: Participant, shown: bool, ref: str = "") -> Event:
    """Put each table's top items on the projector, side by side, or take them off."""
    require_facilitator(participant)
    if not isinstance(shown, bool):
        raise Refused("invalid", _("Say true or false for showing the tables' top items."))
    Workshop.objects.filter(pk=participant.workshop_id).update(tables_top=shown)
    data = {"shown": shown}
    return event_append(
        participant.workshop_id, "tables.top_shown", data, actor=participant, ref=ref
    )
