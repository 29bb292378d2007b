"""Restoring a JSON export (version 1) as a new workshop: `workshop_import`.

The file is read up to IMPORT_MAX_BYTES and IMPORT_MAX_DEPTH, checked against
docs/export.schema.json, then field by field with the services' own cleaners and limits
(workshops/text.py: what the live app would refuse is refused, what it would clean is
cleaned, keys are computed again), then every link in it (authors, a statement's value,
merges, votes' targets and phases); a file that fails is refused whole, with one line
for a person. The new workshop gets a new join code and
new ids; everything else comes back: participants, values, statements, votes, hidden
flags, merges, phases with their status and, through `IMPORT_PARTS`, the tables of the
apps that plug into workshops (workshops/extensions.py). Items keep their original times.

The workshop is live-usable at once: each restored item is also written to its event
log, with seqs 1, 2, 3… and `last_seq` at the last one, exactly as if the session had
happened here. The events are checked against their schemas like any other; they are
not broadcast, since no socket can be connected to a workshop that did not exist.
Imported participants get fresh secret tokens, so nobody resumes an identity from the
file; the first facilitator of the file becomes the importing user's participant row.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import events
from ..designs import DESIGNS
from ..errors import Refused
from ..events import person
from ..models import (
    VOTING_PHASE,
    Event,
    Idea,
    Material,
    Participant,
    Phase,
    Statement,
    Value,
    Vote,
    Workshop,
)
from ..models import Table as BreakoutTable
from ..services import clean_columns, clean_statement_template, hash_token, new_join_code
from ..services.contributions import merge_root
from ..services.limits import CONTRIBUTION_LIMIT_MAX
from ..services.materials import clean_material_title, clean_url, material_data
from ..services.phases import VOTE_BUDGET_MAX, clean_minutes, clean_notes, room_report_url
from ..services.workshops import clean_activity_suggestions
from ..text import (
    ACTIVITY_MAX,
    DESCRIPTION_MAX,
    IDEA_MAX,
    LICENCE_MAX,
    NAME_MAX,
    PHASE_TITLE_MAX,
    POSITION_MAX,
    PROMPT_MAX,
    STATEMENT_TEXT_MAX,
    TABLE_NAME_MAX,
    VALUE_MAX,
    WORKSHOP_TITLE_MAX,
    clean_text,
    normalise_key,
    statement_key,
    time_zone_clean,
)
from .exports import FORMAT, VERSION

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "export.schema.json"
BATCH = 500
# The largest file read: an export of 10,000 values, 5,000 statements and 200 items of
# the extensions weighs about 5 MB; reading stops here, so /dev/zero or a stray video
# is refused at once.
IMPORT_MAX_BYTES = 32 * 2**20
# An export nests four deep (the file, its workshop, the phases, a phase); more than this
# is not an export, and would only exhaust the stack of whatever reads it.
IMPORT_MAX_DEPTH = 16
# A refusal is one line, however long the text it quotes.
MESSAGE_MAX = 300
# A phase key as the schema says it, matched whole (the schema's "$" lets "values\n" by).
PHASE_KEY = re.compile(r"[-a-zA-Z0-9_]{1,40}")


@dataclass
class ImportContext:
    """The new workshop and how the file's ids map to its rows, for every import part."""

    workshop: Workshop
    participants: dict[int, Participant] = field(default_factory=dict)
    phases: dict[str, Phase] = field(default_factory=dict)
    values: dict[int, Value] = field(default_factory=dict)
    statements: dict[int, Statement] = field(default_factory=dict)
    tables: dict[int, BreakoutTable] = field(default_factory=dict)  # breakout tables
    # For each kind of vote target, the file's ids to the new ids.
    targets: dict[str, dict[int, int]] = field(default_factory=dict)
    # The events to log, in order: (kind, data, actor, when: None for the import's time).
    log: list[tuple[str, dict[str, Any], Participant | None, datetime | None]] = field(
        default_factory=list
    )

    def author(self, old_id: int | None, where: str) -> Participant | None:
        if old_id is None:
            return None
        if old_id not in self.participants:
            raise refused(
                _("%(where)s names participant %(id)s, who is not in the file.")
                % {
                    "where": where,
                    "id": old_id,
                }
            )
        return self.participants[old_id]

    def table(self, old_id: Any, where: str) -> BreakoutTable | None:
        """The new table an item of the file came from (None: the room's)."""
        if old_id is None:
            return None
        if old_id not in self.tables:
            raise refused(
                _("%(where)s came from table %(id)s, which is not in the file.")
                % {"where": where, "id": old_id}
            )
        return self.tables[old_id]

    def event(
        self,
        kind: str,
        data: dict[str, Any],
        actor: Participant | None = None,
        at: datetime | None = None,
    ) -> None:
        events.check(kind, data)
        self.log.append((kind, data, actor, at))


# The extensions restore their tables: fn(context, data). They run after
# statements and before votes, and register their vote targets in context.targets.
IMPORT_PARTS: list[Callable[[ImportContext, dict[str, Any]], None]] = []


def refused(message: str) -> Refused:
    """The import's refusal: one line for a person, however long the text it quotes."""
    line = " ".join(message.split())
    if len(line) > MESSAGE_MAX:
        line = line[: MESSAGE_MAX - 1] + "…"
    return Refused("invalid", line)


@contextmanager
def refusing_at(where: str) -> Iterator[None]:
    """A service's cleaner refusing a field of the file, said with where it is."""
    try:
        yield
    except Refused as error:
        raise refused(f"{where}: {error.message}") from None


def clean_whole_number(raw: Any, *, field: str, maximum: int) -> int:
    """A count or a position as the services take one: an int (not a bool), 0 to `maximum`."""
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw <= maximum:
        raise Refused(
            "invalid",
            _("The %(field)s must be a whole number from 0 to %(max)d.")
            % {"field": field, "max": maximum},
        )
    return raw


def parse_time(raw: str, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=UTC)
        # In UTC now: a time that falls off the calendar there is refused, not stored.
        return moment.astimezone(UTC)
    except (TypeError, ValueError, OverflowError):
        raise refused(
            _("%(where)s has a time that is not ISO 8601: %(raw)s") % {"where": where, "raw": raw}
        ) from None


def restore_times(
    model: type[models.Model], rows: list[Any], items: Iterable[dict[str, Any]], what: str
) -> None:
    """Put back the original created_at that auto_now_add replaced on insert.

    One prepared UPDATE run for every row (executemany): bulk_update's CASE expressions
    take seconds on a workshop with thousands of items.
    """
    ops = connection.ops
    params = []
    for row, item in zip(rows, items, strict=True):
        row.created_at = parse_time(item["created_at"], what)
        params.append((ops.adapt_datetimefield_value(row.created_at), row.pk))
    if params:
        table = ops.quote_name(model._meta.db_table)
        column = ops.quote_name("created_at")
        pk = ops.quote_name(model._meta.pk.column)  # type: ignore[union-attr]
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", params)


# ---------------------------------------------------------------------------- validation


def validate(data: Any) -> None:
    """Refuse anything that is not a version 1 export (docs/export.schema.json)."""
    _check_nesting_and_text(data)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise refused(_("This file is not a workshop export."))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise refused(
            _("The export's version must be the number %(ours)s, not %(v)s.")
            % {"v": json.dumps(version, ensure_ascii=False), "ours": VERSION}
        )
    if version != VERSION:
        raise refused(
            _("This export is version %(v)s; this server reads version %(ours)s.")
            % {"v": version, "ours": VERSION}
        )
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the file"
        raise refused(
            _("This export does not match the format at %(where)s: %(message)s")
            % {"where": where, "message": _schema_message(error)}
        )


def _schema_message(error: Any) -> str:
    """jsonschema's message, quoting at most the start of the text it refuses, and saying
    the limit a text, a list or a number went over."""
    message = error.message
    quoted = repr(error.instance)
    if len(quoted) > 60:
        message = message.replace(quoted, quoted[:40] + "…")
    if error.validator in ("maxLength", "maxItems", "maximum"):
        message = _("%(message)s; the limit is %(limit)s") % {
            "message": message,
            "limit": error.validator_value,
        }
    return message


def _check_nesting_and_text(data: Any) -> None:
    """Before any field is read: nothing nested deeper than IMPORT_MAX_DEPTH, and only
    text a database can store (a lone surrogate such as "\\ud800" is not Unicode)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if not node.isascii() and not _is_unicode(node):
                raise refused(_("The file has text that is not valid Unicode."))
            continue
        if isinstance(node, dict):
            children = [*node.keys(), *node.values()]
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > IMPORT_MAX_DEPTH:
            raise refused(
                _("The file nests lists or objects more than %(n)d deep; no export does.")
                % {"n": IMPORT_MAX_DEPTH}
            )
        stack.extend((child, depth + 1) for child in children)


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def _validator() -> Any:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    # "integer" means a whole number written as one: the schema's default takes 1.0 and
    # 1e300, which no column stores.
    types = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, raw: isinstance(raw, int) and not isinstance(raw, bool)
    )
    strict = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=types)
    return strict(_inline_refs(schema, schema.get("$defs", {})))


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with its local "#/$defs/..." references written out: the same rules,
    checked about twice as fast on a large export."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            rest = {key: value for key, value in node.items() if key != "$ref"}
            return _inline_refs({**defs[ref.removeprefix("#/$defs/")], **rest}, defs)
        return {key: _inline_refs(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_refs(value, defs) for value in node]
    return node


def _unique_ids(items: list[dict[str, Any]], what: str) -> None:
    repeated = [id for id, n in Counter(item["id"] for item in items).items() if n > 1]
    if repeated:
        raise refused(
            _("The %(what)s id %(id)s appears twice.") % {"what": what, "id": repeated[0]}
        )


# ---------------------------------------------------------------------------- import


@transaction.atomic
def workshop_import(*, data: dict[str, Any], facilitator: User | None = None) -> Workshop:
    """Restore a JSON export as a new workshop, in one transaction; returns it."""
    validate(data)
    for table in ("participants", "values", "statements"):
        _unique_ids(data[table], table)
    _unique_ids(data.get("ideas", []), "ideas")
    _unique_ids(data.get("tables", []), "tables")
    source = data["workshop"]
    workshop = Workshop.objects.create(code=new_join_code(), **_workshop_fields(source))
    if facilitator is not None:
        workshop.facilitators.add(facilitator)
    context = ImportContext(workshop=workshop)
    _import_phases(context, source["phases"])
    _import_participants(context, data["participants"], facilitator)
    _import_tables(context, data.get("tables", []))
    _import_values(context, data["values"])
    _import_statements(context, data["statements"])
    _import_ideas(context, data.get("ideas", []))
    for part in IMPORT_PARTS:
        part(context, data)
    _import_votes(context, data.get("votes", []))
    _log_phase_states(context)
    if workshop.contribution_limit is not None:
        context.event("contribution_limit.changed", {"limit": workshop.contribution_limit})
    _import_audit(context, data.get("audit", []))
    _import_materials(context, data.get("materials", []))
    if workshop.ended_at is not None:
        context.event("session.ended", {"closed": [], "report": room_report_url(workshop)})
    _write_log(context)
    return workshop


def _log_phase_states(context: ImportContext) -> None:
    """Where each phase stands, as the live log would have it: opened or closed, and
    its results hidden."""
    for phase in context.phases.values():
        if phase.status == Phase.Status.OPEN:
            context.event("phase.opened", {"phase": phase.key})
        elif phase.status == Phase.Status.CLOSED:
            context.event("phase.closed", {"phase": phase.key})
        if phase.results_hidden:
            context.event("results.hidden", {"phase": phase.key})


def _workshop_fields(source: dict[str, Any]) -> dict[str, Any]:
    """The workshop's own fields, cleaned as workshop_create and workshop_update clean them."""
    template = source.get("template", "open-values")
    if template not in DESIGNS:
        raise refused(_("There is no template called %(t)s.") % {"t": template})
    with refusing_at(_("The workshop")):
        fields = {
            "title": clean_text(
                source["title"], field=gettext_lazy("title"), max_length=WORKSHOP_TITLE_MAX
            ),
            "description": clean_text(
                source.get("description", ""),
                field=gettext_lazy("description"),
                max_length=DESCRIPTION_MAX,
                required=False,
            ),
            "licence": clean_text(
                source["licence"], field=gettext_lazy("licence"), max_length=LICENCE_MAX
            ),
            "template": template,
            "activity_suggestions": clean_activity_suggestions(
                source.get("activity_suggestions", [])
            ),
            # Keys, recomputed: a removed activity stays held back in the copy too.
            "activities_removed": list(
                dict.fromkeys(
                    normalise_key(
                        clean_text(a, field=gettext_lazy("activity"), max_length=ACTIVITY_MAX)
                    )
                    for a in source.get("activities_removed", [])
                )
            ),
            "premoderated": source.get("premoderated", False),
            "time_zone": time_zone_clean(source.get("time_zone", "UTC")),
            "contribution_limit": _clean_contribution_limit(source.get("contribution_limit")),
        }
        if source.get("ended_at") is not None:
            fields["ended_at"] = parse_time(source["ended_at"], _("The workshop"))
            # The room's report link is a secret of the instance, never in the file: an
            # ending that gave the room the report gives it this workshop's own link.
            if source.get("report_for_room", False):
                fields["report_for_room"] = True
                fields["report_key"] = secrets.token_urlsafe(32)
        if source.get("statement_template"):
            fields["statement_template"] = clean_statement_template(source["statement_template"])
    return fields


def _clean_contribution_limit(raw: Any) -> int | None:
    if raw is None:
        return None
    # The schema refuses 0: no cap is null, as contribution_limit_set takes it.
    return clean_whole_number(raw, field=_("contribution limit"), maximum=CONTRIBUTION_LIMIT_MAX)


def _import_phases(context: ImportContext, phases: list[dict[str, Any]]) -> None:
    keys = [phase["key"] for phase in phases]
    if len(set(keys)) != len(keys):
        raise refused(_("Two phases of the workshop have the same key."))
    rows = []
    for index, phase in enumerate(phases):
        if not PHASE_KEY.fullmatch(phase["key"]):
            raise refused(
                _("Phase %(n)d has the key %(key)s; a key is 1 to 40 letters, digits, - or _.")
                % {"n": index + 1, "key": json.dumps(phase["key"])}
            )
        with refusing_at(_("Phase %(key)s") % {"key": phase["key"]}):
            rows.append(
                Phase(
                    workshop=context.workshop,
                    key=phase["key"],
                    kind=phase["kind"],
                    title=clean_text(
                        phase["title"], field=gettext_lazy("title"), max_length=PHASE_TITLE_MAX
                    ),
                    prompt=clean_text(
                        phase.get("prompt", ""),
                        field=gettext_lazy("prompt"),
                        max_length=PROMPT_MAX,
                        required=False,
                    ),
                    status=phase["status"],
                    position=clean_whole_number(
                        phase.get("position", index), field=_("position"), maximum=POSITION_MAX
                    ),
                    vote_budget=clean_whole_number(
                        phase.get("vote_budget", 3),
                        field=_("vote budget"),
                        maximum=VOTE_BUDGET_MAX,
                    ),
                    columns=_phase_columns(phase),
                    results_hidden=phase.get("results_hidden", False),
                    minutes=clean_minutes(phase.get("minutes") or 0),
                    tables=phase.get("tables", False),
                    notes=clean_notes(phase.get("notes", "")),
                    **_phase_schedule(phase),
                )
            )
    context.phases = {phase.key: phase for phase in Phase.objects.bulk_create(rows)}


def _phase_schedule(phase: dict[str, Any]) -> dict[str, datetime | None]:
    """When the phase opens and closes by itself: what has not happened yet when it was
    exported (a time is cleared once it has: services/schedule.py)."""
    where = _("Phase %(key)s") % {"key": phase["key"]}
    times = {
        name: parse_time(phase[name], where) if phase.get(name) else None
        for name in ("opens_at", "closes_at")
    }
    if times["opens_at"] and times["closes_at"] and times["closes_at"] <= times["opens_at"]:
        raise refused(_("%(where)s closes before it opens.") % {"where": where})
    return times


def _phase_columns(phase: dict[str, Any]) -> list[dict[str, str]]:
    """An ideas phase's columns, cleaned as phase.add cleans them; other kinds have none."""
    columns = phase.get("columns") or []
    if columns and phase["kind"] != Phase.Kind.IDEAS:
        raise Refused("invalid", _("Only an ideas phase has columns."))
    return clean_columns(columns)


def _import_participants(
    context: ImportContext, participants: list[dict[str, Any]], facilitator: User | None
) -> None:
    ordered = sorted(participants, key=lambda item: item["id"])
    linked = False
    rows = []
    for item in ordered:
        user = None
        if facilitator is not None and not linked and item["role"] == "facilitator":
            user, linked = facilitator, True
        with refusing_at(_("Participant %(id)s") % {"id": item["id"]}):
            name = clean_text(
                item["name"], field=gettext_lazy("name"), max_length=NAME_MAX, required=False
            )
        rows.append(
            Participant(
                workshop=context.workshop,
                name=name,
                role=item["role"],
                user=user,
                token_hash=hash_token(secrets.token_urlsafe(32)),
            )
        )
    Participant.objects.bulk_create(rows, batch_size=BATCH)
    restore_times(Participant, rows, ordered, _("A participant"))
    context.participants = {item["id"]: row for item, row in zip(ordered, rows, strict=True)}


def _import_tables(context: ImportContext, tables: list[dict[str, Any]]) -> None:
    """The breakout tables of every round, with who sat where; the round of tables whose
    `ended_at` is null is on again in the new workshop. Logged as each round was formed
    (and ended), so a replay and every client see the same tables."""
    ordered = sorted(tables, key=lambda item: (item["round"], item.get("position", 0), item["id"]))
    rows, seats = [], []
    for item in ordered:
        where = _("Table %(id)s") % {"id": item["id"]}
        with refusing_at(where):
            name = clean_text(
                item["name"], field=gettext_lazy("table name"), max_length=TABLE_NAME_MAX
            )
        row = BreakoutTable(
            workshop=context.workshop,
            round=item["round"],
            name=name,
            position=item.get("position", 0),
            ended_at=parse_time(item["ended_at"], where) if item["ended_at"] else None,
        )
        rows.append(row)
        for member in item["members"]:
            participant = context.author(member, where)
            if participant is None or participant.role != Participant.Role.PARTICIPANT:
                raise refused(
                    _("%(where)s seats %(id)s, who is not a participant.")
                    % {"where": where, "id": member}
                )
            seats.append((row, participant))
    BreakoutTable.objects.bulk_create(rows, batch_size=BATCH)
    restore_times(BreakoutTable, rows, ordered, _("A table"))
    Seat = BreakoutTable.members.through
    Seat.objects.bulk_create(
        (Seat(table_id=row.pk, participant_id=participant.pk) for row, participant in seats),
        batch_size=BATCH,
        ignore_conflicts=True,  # one person listed twice at one table sits there once
    )
    context.tables = {item["id"]: row for item, row in zip(ordered, rows, strict=True)}
    on = [row for row in rows if row.ended_at is None]
    if len({row.round for row in on}) > 1:
        raise refused(_("Tables of two rounds are on at once in the file; only one round can be."))
    if on:
        Workshop.objects.filter(pk=context.workshop.pk).update(seating=on[0].round)
        context.workshop.seating = on[0].round
    members: dict[int, list[int]] = {}
    for row, participant in seats:
        members.setdefault(row.pk, []).append(participant.pk)
    for round in sorted({row.round for row in rows}):
        sitting = [row for row in rows if row.round == round]
        seated = sorted({pk for row in sitting for pk in members.get(row.pk, [])})
        data = {
            "tables": [
                {"id": row.pk, "name": row.name, "members": sorted(set(members.get(row.pk, [])))}
                for row in sitting
            ],
            "people": [
                events.person_named(pk, participant.name)
                for pk, participant in sorted(
                    (p.pk, p) for p in context.participants.values() if p.pk in seated
                )
            ],
        }
        context.event("tables.formed", data)
        if all(row.ended_at is not None for row in sitting):
            context.event("tables.ended", {"tables": [row.pk for row in sitting]})


def _import_values(context: ImportContext, values: list[dict[str, Any]]) -> None:
    ordered = sorted(values, key=lambda item: item["id"])
    rows = []
    for item in ordered:
        with refusing_at(_("Value %(id)s") % {"id": item["id"]}):
            text = clean_text(item["text"], field=gettext_lazy("value"), max_length=VALUE_MAX)
        rows.append(
            Value(
                workshop=context.workshop,
                text=text,
                key=normalise_key(text),  # recomputed: a key from the file could group anything
                **_contribution_fields(context, item, _("A value")),
            )
        )
    Value.objects.bulk_create(rows, batch_size=BATCH)
    restore_times(Value, rows, ordered, _("A value"))
    context.values = {item["id"]: row for item, row in zip(ordered, rows, strict=True)}
    _restore_merges(context, ordered)
    for row in rows:
        data = {"id": row.pk, "text": row.text, "key": row.key, **events.at_table(row.table_id)}
        _contribution_event(context, "value", row, data)
        if row.hidden:
            context.event("value.hidden", {"id": row.pk})
    for row in rows:
        if row.merged_into is not None:
            root = row.merged_into
            data = {"id": row.pk, "into": root.pk, "key": root.key, "ids": [row.pk]}
            context.event("value.merged", data)


def _contribution_fields(
    context: ImportContext, item: dict[str, Any], what: str, where: str | None = None
) -> dict[str, Any]:
    """What every contribution restores beside its text, as the export writes it: its
    author, whether the room saw it, its breakout table and whether it came after the
    session. `what` names it in a refusal ("A value"), `where` its table's (or `what`)."""
    return {
        "author": context.author(item["author"], what),
        "hidden": item.get("hidden", False),
        "pending": item.get("pending", False),
        "table": context.table(item.get("table"), where or what),
        "afterwards": item.get("afterwards", False),
    }


def _restore_merges(context: ImportContext, values: list[dict[str, Any]]) -> None:
    """Each merged value points at the end of its chain, one step, as value_merge leaves
    every merge; a chain that goes round in a circle, or leaves the file, is refused."""
    into_of = {item["id"]: item.get("merged_into") for item in values}
    for id, into in into_of.items():
        if into is not None and into not in into_of:
            raise refused(
                _("Value %(id)s is merged into value %(into)s, which is not in the file.")
                % {"id": id, "into": into}
            )
    merged = []
    for id, into in into_of.items():
        if into is not None:
            row = context.values[id]
            row.merged_into = context.values[merge_root(id, into_of.__getitem__)]
            merged.append(row)
    Value.objects.bulk_update(merged, ["merged_into"], batch_size=BATCH)


def _import_statements(context: ImportContext, statements: list[dict[str, Any]]) -> None:
    ordered = sorted(statements, key=lambda item: item["id"])
    rows = []
    for item in ordered:
        value_id = item.get("value_id")
        if value_id is not None and value_id not in context.values:
            raise refused(
                _("Statement %(id)s builds on value %(value)s, which is not in the file.")
                % {"id": item["id"], "value": value_id}
            )
        with refusing_at(_("Statement %(id)s") % {"id": item["id"]}):
            activity = clean_text(
                item["activity"], field=gettext_lazy("activity"), max_length=ACTIVITY_MAX
            )
            value_text = clean_text(
                item["value"], field=gettext_lazy("value"), max_length=VALUE_MAX
            )
            text = clean_text(
                item["text"], field=gettext_lazy("statement"), max_length=STATEMENT_TEXT_MAX
            )
        rows.append(
            Statement(
                workshop=context.workshop,
                activity=activity,
                value_text=value_text,
                value=context.values[value_id] if value_id is not None else None,
                text=text,
                key=statement_key(activity, value_text),
                **_contribution_fields(context, item, _("A statement")),
            )
        )
    Statement.objects.bulk_create(rows, batch_size=BATCH)
    restore_times(Statement, rows, ordered, _("A statement"))
    context.statements = {item["id"]: row for item, row in zip(ordered, rows, strict=True)}
    context.targets[Vote.Kind.STATEMENT] = {old: row.pk for old, row in context.statements.items()}
    for row in rows:
        data = {
            "id": row.pk,
            "text": row.text,
            "activity": row.activity,
            "value": row.value_text,
            "value_id": row.value.pk if row.value is not None else None,
            "key": row.key,
            **events.at_table(row.table_id),
        }
        _contribution_event(context, "statement", row, data)
        if row.hidden:
            context.event("statement.hidden", {"id": row.pk})


def _import_ideas(context: ImportContext, ideas: list[dict[str, Any]]) -> None:
    """The cards of the ideas phases, each in a column of its phase, answering a card of
    the same phase that came before it (so answers never go round in a circle)."""
    ordered = sorted(ideas, key=lambda item: item["id"])
    rows = []
    for item in ordered:
        where = _("Idea %(id)s") % {"id": item["id"]}
        phase = context.phases.get(item["phase"])
        if phase is None or phase.kind != Phase.Kind.IDEAS:
            raise refused(
                _("%(where)s is in phase %(phase)s, which is not an ideas phase of the file.")
                % {"where": where, "phase": item["phase"]}
            )
        keys = [column["key"] for column in phase.columns]
        column = item["column"] or ""
        if (column or keys) and column not in keys:
            raise refused(
                _("%(where)s is in column %(column)s, which phase %(phase)s does not have.")
                % {"where": where, "column": json.dumps(item["column"]), "phase": phase.key}
            )
        with refusing_at(where):
            text = clean_text(item["text"], field=gettext_lazy("idea"), max_length=IDEA_MAX)
        rows.append(
            Idea(
                workshop=context.workshop,
                phase=phase,
                text=text,
                key=normalise_key(text)[:300],
                column=column,
                **_contribution_fields(context, item, _("An idea"), where),
            )
        )
    Idea.objects.bulk_create(rows, batch_size=BATCH)
    restore_times(Idea, rows, ordered, _("An idea"))
    by_old = {item["id"]: row for item, row in zip(ordered, rows, strict=True)}
    for item, row in zip(ordered, rows, strict=True):
        parent = item["parent"]
        if parent is None:
            continue
        if parent not in by_old or parent >= item["id"] or by_old[parent].phase_id != row.phase_id:
            raise refused(
                _("Idea %(id)s answers idea %(parent)s, which is not an earlier idea of its phase.")
                % {"id": item["id"], "parent": parent}
            )
        row.parent = by_old[parent]
    Idea.objects.bulk_update([row for row in rows if row.parent], ["parent"], batch_size=BATCH)
    context.targets[Vote.Kind.IDEA] = {old: row.pk for old, row in by_old.items()}
    for row in rows:
        _contribution_event(context, "idea", row, events.idea_fields(row, row.phase.key))
        if row.hidden:
            context.event("idea.hidden", {"id": row.pk, "refunded": False})


def _contribution_event(
    context: ImportContext, noun: str, row: Value | Statement | Idea, data: dict[str, Any]
) -> None:
    """How a value or statement first reached the room: added, or submitted for approval.

    An item with no author (an anonymized export) is logged as restored, the kind that
    allows no author; one awaiting approval with no author is not logged: only
    facilitators see it, from the state.
    """
    if row.author is not None:
        kind = f"{noun}.submitted" if row.pending else f"{noun}.added"
        context.event(kind, {**data, "by": person(row.author)}, row.author)
    elif not row.pending:
        context.event(f"{noun}.restored", {**data, "by": None})


def _import_materials(context: ImportContext, materials: list[dict[str, Any]]) -> None:
    """The links given to the room, checked as the facilitator's were (http(s) only)."""
    rows = []
    ordered = sorted(materials, key=lambda item: item["id"])
    for item in ordered:
        with refusing_at(_("Link %(id)s") % {"id": item["id"]}):
            rows.append(
                Material(
                    workshop=context.workshop,
                    title=clean_material_title(item["title"]),
                    url=clean_url(item["url"]),
                )
            )
    Material.objects.bulk_create(rows)
    restore_times(Material, rows, ordered, _("A link"))
    for row in rows:
        context.event("material.added", material_data(row))


def _import_votes(context: ImportContext, votes: list[dict[str, Any]]) -> None:
    rows = []
    spent: Counter[tuple[int, str]] = Counter()
    for item in votes:
        kind, old = item["target_kind"], item["target_id"]
        target = context.targets.get(kind, {}).get(old)
        phase = context.phases.get(item["phase"])
        voter = context.participants.get(item["participant"])
        if target is None or phase is None or voter is None:
            raise refused(
                _("A vote for %(kind)s %(id)s names someone, something or a phase not in the file.")
                % {"kind": kind, "id": old}
            )
        if phase.kind != VOTING_PHASE[kind]:
            raise refused(
                _("A vote for %(kind)s %(id)s is in phase %(phase)s, where nobody votes on that.")
                % {"kind": kind, "id": old, "phase": phase.key}
            )
        # A budget may shrink after votes were cast, but never past the largest one.
        spent[(item["participant"], phase.key)] += 1
        if spent[(item["participant"], phase.key)] > VOTE_BUDGET_MAX:
            raise refused(
                _("Participant %(id)s has more votes in phase %(phase)s than any budget allows.")
                % {"id": item["participant"], "phase": phase.key}
            )
        rows.append(Vote(participant=voter, phase=phase, target_kind=kind, target_id=target))
    Vote.objects.bulk_create(rows, batch_size=BATCH)
    restore_times(Vote, rows, votes, _("A vote"))
    totals: Counter[tuple[str, int]] = Counter()
    mine: Counter[tuple[int, str, int]] = Counter()
    for row in rows:
        totals[(row.target_kind, row.target_id)] += 1
        mine[(row.participant.pk, row.target_kind, row.target_id)] += 1
        data = {
            "target": {"kind": row.target_kind, "id": row.target_id},
            # As the live vote was sent: no total while its phase hides results.
            "total": None if row.phase.results_hidden else totals[(row.target_kind, row.target_id)],
            "voter": row.participant.pk,
            "voter_votes": mine[(row.participant.pk, row.target_kind, row.target_id)],
            "phase": row.phase.key,
        }
        context.event("vote.changed", data, row.participant)


def _import_audit(context: ImportContext, audit: list[dict[str, Any]]) -> None:
    """The audit trail, last and at its own times: what was done to the workshop where it
    ran (the accounts, links and deletion day it names do not come back)."""
    for number, entry in enumerate(audit, start=1):
        where = _("Audit entry %(n)d") % {"n": number}
        actor = context.author(entry["actor"], where)
        try:
            events.check(entry["event"], entry["data"])
        except ValueError:
            raise refused(
                _("%(where)s does not have the fields of %(kind)s.")
                % {"where": where, "kind": entry["event"]}
            ) from None
        context.event(entry["event"], entry["data"], actor, parse_time(entry["at"], where))


def _write_log(context: ImportContext) -> None:
    """The restored items as the workshop's first events, seq 1, 2, 3…"""
    now = timezone.now()
    workshop = Workshop.objects.select_for_update().only("last_seq").get(pk=context.workshop.pk)
    first = workshop.last_seq + 1
    Event.objects.bulk_create(
        (
            Event(workshop=workshop, seq=seq, kind=kind, data=data, at=at or now, actor=actor)
            for seq, (kind, data, actor, at) in enumerate(context.log, start=first)
        ),
        batch_size=BATCH,
    )
    last = workshop.last_seq + len(context.log)
    Workshop.objects.filter(pk=workshop.pk).update(last_seq=last)
    context.workshop.last_seq = last


def workshop_import_file(path: str | Path, *, facilitator: User | None = None) -> Workshop:
    """`workshop_import` of a JSON file, refusing unreadable files with a clear message."""
    try:
        with Path(path).open("rb") as file:
            raw = file.read(IMPORT_MAX_BYTES + 1)
    except OSError as error:
        raise refused(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
        ) from None
    if len(raw) > IMPORT_MAX_BYTES:
        raise refused(
            _("%(path)s is over the size limit of an import, %(n)d MiB.")
            % {"path": path, "n": IMPORT_MAX_BYTES // 2**20}
        )
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
    except RecursionError:
        raise refused(
            _("%(path)s nests lists or objects too deep to be an export.") % {"path": path}
        ) from None
    except ValueError as error:  # not UTF-8, not JSON, or a number of thousands of digits
        raise refused(
            _("%(path)s is not JSON: %(error)s") % {"path": path, "error": error}
        ) from None
    return workshop_import(data=data, facilitator=facilitator)


def _no_constant(name: str) -> Any:
    """NaN and Infinity, which Python's JSON reader takes and JSON does not have."""
    raise ValueError(_("%(name)s is not a JSON number") % {"name": name})
