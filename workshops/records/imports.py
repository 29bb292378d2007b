"""Restoring a JSON export (version 1) as a new workshop: `workshop_import`.

The file is checked against docs/export.schema.json first, then every link in it
(authors, a statement's value, merges, votes' targets and phases); a file that fails is
refused whole, with a message for a person. The new workshop gets a new join code and
new ids; everything else comes back: participants, values, statements, votes, hidden
flags, merges, phases with their status and, through `IMPORT_PARTS`, the other apps'
tables (principles). Items keep their original times.

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
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..errors import CommandError
from ..events import person
from ..models import Event, Participant, Phase, Statement, Value, Vote, Workshop
from ..services import hash_token, new_join_code
from .exports import FORMAT, VERSION, zone_named

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "export.schema.json"
BATCH = 500


@dataclass
class ImportContext:
    """The new workshop and how the file's ids map to its rows, for every import part."""

    workshop: Workshop
    participants: dict[int, Participant] = field(default_factory=dict)
    phases: dict[str, Phase] = field(default_factory=dict)
    values: dict[int, Value] = field(default_factory=dict)
    statements: dict[int, Statement] = field(default_factory=dict)
    # For each kind of vote target, the file's ids to the new ids.
    targets: dict[str, dict[int, int]] = field(default_factory=dict)
    # The events to log, in order: (kind, data, actor).
    log: list[tuple[str, dict[str, Any], Participant | None]] = field(default_factory=list)

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

    def event(self, kind: str, data: dict[str, Any], actor: Participant | None = None) -> None:
        events.check(kind, data)
        self.log.append((kind, data, actor))


# Other apps (principles) restore their table: fn(context, data). They run after
# statements and before votes, and register their vote targets in context.targets.
IMPORT_PARTS: list[Callable[[ImportContext, dict[str, Any]], None]] = []


def refused(message: str) -> CommandError:
    return CommandError("invalid", message)


def parse_time(raw: str, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        raise refused(
            _("%(where)s has a time that is not ISO 8601: %(raw)s") % {"where": where, "raw": raw}
        ) from None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


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
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise refused(_("This file is not a workshop export."))
    if data.get("version") != VERSION:
        raise refused(
            _("This export is version %(v)s; this server reads version %(ours)s.")
            % {"v": data.get("version"), "ours": VERSION}
        )
    try:
        import jsonschema
    except ImportError:  # a production install without the dev extra: links are still checked
        return
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the file"
        raise refused(
            _("This export does not match the format at %(where)s: %(message)s")
            % {"where": where, "message": error.message}
        )


@functools.cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(_inline_refs(schema, schema.get("$defs", {})))


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
    source = data["workshop"]
    code = new_join_code()
    while Workshop.objects.filter(code=code).exists():
        code = new_join_code()
    workshop = Workshop.objects.create(
        code=code,
        title=source["title"],
        description=source.get("description", ""),
        licence=source.get("licence") or Workshop._meta.get_field("licence").get_default(),
        template=source.get("template", "open-values"),
        **(
            {"statement_template": source["statement_template"]}
            if source.get("statement_template")
            else {}
        ),
        activity_suggestions=list(source.get("activity_suggestions", [])),
        premoderated=source.get("premoderated", False),
        time_zone=zone_named(source.get("time_zone")).key,
    )
    if facilitator is not None:
        workshop.facilitators.add(facilitator)
    context = ImportContext(workshop=workshop)
    _import_phases(context, source["phases"])
    _import_participants(context, data["participants"], facilitator)
    _import_values(context, data["values"])
    _import_statements(context, data["statements"])
    for part in IMPORT_PARTS:
        part(context, data)
    _import_votes(context, data.get("votes", []))
    for phase in context.phases.values():
        if phase.status == Phase.Status.OPEN:
            context.event("phase.opened", {"phase": phase.key})
        elif phase.status == Phase.Status.CLOSED:
            context.event("phase.closed", {"phase": phase.key})
    _write_log(context)
    return workshop


def _import_phases(context: ImportContext, phases: list[dict[str, Any]]) -> None:
    keys = [phase["key"] for phase in phases]
    if len(set(keys)) != len(keys):
        raise refused(_("Two phases of the workshop have the same key."))
    rows = Phase.objects.bulk_create(
        Phase(
            workshop=context.workshop,
            key=phase["key"],
            kind=phase["kind"],
            title=phase["title"],
            prompt=phase.get("prompt", ""),
            status=phase["status"],
            position=phase.get("position", index),
            vote_budget=phase.get("vote_budget", 3),
        )
        for index, phase in enumerate(phases)
    )
    context.phases = {phase.key: phase for phase in rows}


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
        rows.append(
            Participant(
                workshop=context.workshop,
                name=item["name"],
                role=item["role"],
                user=user,
                token_hash=hash_token(secrets.token_urlsafe(32)),
            )
        )
    Participant.objects.bulk_create(rows, batch_size=BATCH)
    restore_times(Participant, rows, ordered, _("A participant"))
    context.participants = {item["id"]: row for item, row in zip(ordered, rows, strict=True)}


def _import_values(context: ImportContext, values: list[dict[str, Any]]) -> None:
    ordered = sorted(values, key=lambda item: item["id"])
    rows = [
        Value(
            workshop=context.workshop,
            author=context.author(item["author"], _("A value")),
            text=item["text"],
            key=item["key"],
            hidden=item.get("hidden", False),
            pending=item.get("pending", False),
        )
        for item in ordered
    ]
    Value.objects.bulk_create(rows, batch_size=BATCH)
    restore_times(Value, rows, ordered, _("A value"))
    context.values = {item["id"]: row for item, row in zip(ordered, rows, strict=True)}
    merged = []
    for item, row in zip(ordered, rows, strict=True):
        into = item.get("merged_into")
        if into is not None:
            if into not in context.values or into == item["id"]:
                raise refused(
                    _("Value %(id)s is merged into value %(into)s, which is not in the file.")
                    % {"id": item["id"], "into": into}
                )
            row.merged_into = context.values[into]
            merged.append(row)
    Value.objects.bulk_update(merged, ["merged_into"], batch_size=BATCH)
    for row in rows:
        data = {"id": row.pk, "text": row.text, "key": row.key}
        _contribution_event(context, "value", row, data)
        if row.hidden:
            context.event("value.hidden", {"id": row.pk})
    for row in rows:
        if row.merged_into is not None:
            root = row.merged_into
            seen = {row.pk}
            while root.merged_into is not None and root.pk not in seen:
                seen.add(root.pk)
                root = root.merged_into
            data = {"id": row.pk, "into": root.pk, "key": root.key, "ids": [row.pk]}
            context.event("value.merged", data)


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
        rows.append(
            Statement(
                workshop=context.workshop,
                author=context.author(item["author"], _("A statement")),
                activity=item["activity"],
                value_text=item["value"],
                value=context.values[value_id] if value_id is not None else None,
                text=item["text"],
                key=item["key"],
                hidden=item.get("hidden", False),
                pending=item.get("pending", False),
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
        }
        _contribution_event(context, "statement", row, data)
        if row.hidden:
            context.event("statement.hidden", {"id": row.pk})


def _contribution_event(
    context: ImportContext, noun: str, row: Value | Statement, data: dict[str, Any]
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


def _import_votes(context: ImportContext, votes: list[dict[str, Any]]) -> None:
    rows = []
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
            "total": totals[(row.target_kind, row.target_id)],
            "voter": row.participant.pk,
            "voter_votes": mine[(row.participant.pk, row.target_kind, row.target_id)],
            "phase": row.phase.key,
        }
        context.event("vote.changed", data, row.participant)


def _write_log(context: ImportContext) -> None:
    """The restored items as the workshop's first events, seq 1, 2, 3…"""
    now = timezone.now()
    workshop = Workshop.objects.select_for_update().only("last_seq").get(pk=context.workshop.pk)
    first = workshop.last_seq + 1
    Event.objects.bulk_create(
        (
            Event(workshop=workshop, seq=seq, kind=kind, data=data, at=now, actor=actor)
            for seq, (kind, data, actor) in enumerate(context.log, start=first)
        ),
        batch_size=BATCH,
    )
    last = workshop.last_seq + len(context.log)
    Workshop.objects.filter(pk=workshop.pk).update(last_seq=last)
    context.workshop.last_seq = last


def workshop_import_file(path: str | Path, *, facilitator: User | None = None) -> Workshop:
    """`workshop_import` of a JSON file, refusing unreadable files with a clear message."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise refused(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise refused(
            _("%(path)s is not JSON: %(error)s") % {"path": path, "error": error}
        ) from None
    return workshop_import(data=data, facilitator=facilitator)
