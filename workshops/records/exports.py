"""Exports of a workshop: JSON (the archive), CSV (a zip), XLSX and Markdown.

Everything is read once, into the JSON version 1 shape (`export_data`), with a fixed
number of queries however large the workshop; the other formats are drawn from that
dict. Other apps add their tables through `EXPORT_PARTS` (their rows, CSV files and XLSX
sheets) and `MARKDOWN_SECTIONS` (what the group said in a phase of theirs), as they add
their part of the live state through `selectors.STATE_PARTS` (workshops/extensions.py).

What each format keeps:
- JSON is the archive: every item, hidden ones included (`"hidden": true`) and those
  still awaiting approval (`"pending": true`), so an import restores moderation too.
- CSV, XLSX and Markdown are for reading and publishing: hidden and pending items are
  left out.

With `anonymize`, participants are "Participant 1", "Participant 2"… in the order they
joined, and every author field is null; ids stay, so links between items survive.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

from .. import events
from ..errors import Refused
from ..events import timestamp
from ..models import Event, Idea, Participant, Phase, Statement, Value, Vote, Workshop
from ..models import Table as BreakoutTable
from ..services.contributions import merge_root
from .after_the_session import (
    MATERIAL_COLUMNS,
    markdown_afterwards,
    markdown_materials,
    material_rows,
)
from .grouping import Mention, group_statements, group_values, most_voted

FORMAT = "visioning-workshop"
VERSION = 1
FORMATS = ("json", "csv", "xlsx", "md")

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
}
# The file extension of each format ("csv" is a zip of CSV files).
EXTENSIONS = {"json": ".json", "csv": ".csv.zip", "xlsx": ".xlsx", "md": ".md"}
TEXT_FORMATS = ("json", "md")


@dataclass
class ExportContext:
    """What every part of an export reads from: built once per export."""

    workshop: Workshop
    anonymize: bool
    # Votes per target: {("statement", 12): 3}.
    vote_totals: Counter[tuple[str, int]] = field(default_factory=Counter)

    def author(self, participant_id: int | None) -> int | None:
        """An author field: the participant id, or None when anonymized."""
        return None if self.anonymize else participant_id

    def time(self, moment: datetime) -> str:
        """ISO 8601 with milliseconds in the workshop's time zone, with its offset
        (2026-11-28T18:20:03.120+01:00); UTC keeps the live protocol's "Z"."""
        return local_timestamp(moment, zone_named(self.workshop.time_zone))


def local_timestamp(moment: datetime, zone: ZoneInfo) -> str:
    if zone.key == "UTC":
        return timestamp(moment.astimezone(zone))
    return moment.astimezone(zone).isoformat(timespec="milliseconds")


def zone_named(name: str | None) -> ZoneInfo:
    """The named time zone; UTC for none, or for a name this server does not know."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class Table(NamedTuple):
    """One CSV file of the zip: its name, its columns and its rows (published only)."""

    name: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class ExportPart:
    """A table another app adds to every export: its rows in the JSON v1 shape, and the
    columns the CSV tables show (lists become space-separated ids). `tables`, when
    given, draws the CSV files from the JSON rows instead (one table as two files)."""

    table: str
    columns: tuple[str, ...]
    rows: Callable[[ExportContext], list[dict[str, Any]]]
    tables: Callable[[dict[str, Any]], list[Table]] | None = None
    # The key of the JSON file its list stands before (a file keeps one order of keys).
    before: str = "audit"
    # Its XLSX sheets (none: no sheet), before the workshop's sheet named in
    # `sheets_before` (at the end when the book has no such sheet).
    sheets: Callable[[SheetContext], list[Sheet]] | None = None
    sheets_before: str = "materials"
    # The kind of vote target its rows are: votes on a published row are published, and
    # the votes sheet names what they are on by the row's "text" or "title".
    vote_target: str | None = None


# Filled by extensions.register.
EXPORT_PARTS: list[ExportPart] = []

PARTICIPANT_COLUMNS = ("id", "name", "role", "created_at")
VALUE_COLUMNS = (
    "id",
    "text",
    "key",
    "author",
    "created_at",
    "merged_into",
    "table",
    "table_name",
    "afterwards",
)
STATEMENT_COLUMNS = (
    "id",
    "text",
    "activity",
    "value",
    "value_id",
    "key",
    "author",
    "created_at",
    "votes",
    "table",
    "table_name",
    "afterwards",
)
IDEA_COLUMNS = (
    "id",
    "phase",
    "column",
    "text",
    "parent",
    "table",
    "author",
    "created_at",
    "votes",
    "table_name",
    "afterwards",
)
TABLE_COLUMNS = ("id", "name", "round", "members", "created_at", "ended_at")
VOTE_COLUMNS = ("participant", "target_kind", "target_id", "phase", "created_at")


# ---------------------------------------------------------------------------- data


def export_data(workshop: Workshop, *, anonymize: bool = False) -> dict[str, Any]:
    """The whole workshop in the JSON version 1 shape (see docs/export.schema.json)."""
    phases = list(Phase.objects.filter(workshop=workshop).order_by("position", "id"))
    phase_keys = {phase.pk: phase.key for phase in phases}
    votes = list(
        Vote.objects.filter(phase__workshop=workshop)
        .order_by("id")
        .values_list("participant_id", "target_kind", "target_id", "phase_id", "created_at")
    )
    context = ExportContext(workshop=workshop, anonymize=anonymize)
    context.vote_totals.update((kind, target) for _p, kind, target, _ph, _at in votes)
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": context.time(timezone.now()),
        "anonymized": anonymize,
        "workshop": _workshop_row(context, phases),
        "participants": _participant_rows(context),
        "values": _value_rows(context),
        "statements": _statement_rows(context),
        "ideas": _idea_rows(context, phase_keys),
        "tables": _breakout_tables(context),
        "votes": [
            {
                "participant": participant_id,
                "target_kind": kind,
                "target_id": target_id,
                "phase": phase_keys[phase_id],
                "created_at": context.time(at),
            }
            for participant_id, kind, target_id, phase_id, at in votes
        ],
        "materials": material_rows(workshop, context.time),
        "audit": _audit(context),
    }
    for part in EXPORT_PARTS:
        data = _inserted(data, part.before, part.table, part.rows(context))
    return data


def _inserted(data: dict[str, Any], before: str, key: str, rows: Any) -> dict[str, Any]:
    """`data` with `key` just before `before` (at the end when there is no `before`)."""
    if before not in data:
        return {**data, key: rows}
    inserted: dict[str, Any] = {}
    for name, item in data.items():
        if name == before:
            inserted[key] = rows
        inserted[name] = item
    return inserted


def _workshop_row(context: ExportContext, phases: list[Phase]) -> dict[str, Any]:
    """The workshop's settings and its phases, in their order."""
    workshop = context.workshop
    return {
        "code": workshop.code,
        "title": workshop.title,
        "description": workshop.description,
        "licence": workshop.licence,
        "template": workshop.template,
        "created_at": context.time(workshop.created_at),
        "time_zone": workshop.time_zone,
        "statement_template": workshop.statement_template,
        "activity_suggestions": list(workshop.activity_suggestions or []),
        "activities_removed": list(workshop.activities_removed or []),
        "premoderated": workshop.premoderated,
        "contribution_limit": workshop.contribution_limit,
        # How the session ended, if it did: every screen then shows the outcome.
        "ended_at": context.time(workshop.ended_at) if workshop.ended_at else None,
        "report_for_room": workshop.report_for_room,
        "phases": [
            {**events.phase_fields(phase), "position": phase.position, "notes": phase.notes}
            for phase in phases
        ],
    }


def _contribution_fields(context: ExportContext, item: Value | Statement | Idea) -> dict[str, Any]:
    """What every contribution keeps in the archive: who made it and when, and whether the
    room saw it (neither hidden nor awaiting approval), whether it came after the live
    session (decision 0011), and the breakout table it was said at (decision 0012)."""
    return {
        "author": context.author(item.author_id),
        "created_at": context.time(item.created_at),
        "hidden": item.hidden,
        "pending": item.pending,
        "afterwards": item.afterwards,
        # The breakout table its author sat at, or None: the room's (decision 0012).
        "table": item.table_id,
    }


def _participant_rows(context: ExportContext) -> list[dict[str, Any]]:
    """Everyone who joined, in the order they did (pseudonyms when anonymized): one query."""
    participants = Participant.objects.filter(workshop=context.workshop).order_by("id")
    return [
        {
            "id": participant.pk,
            "name": f"Participant {number}" if context.anonymize else participant.name,
            "role": participant.role,
            "created_at": context.time(participant.created_at),
        }
        for number, participant in enumerate(participants, start=1)
    ]


def _value_rows(context: ExportContext) -> list[dict[str, Any]]:
    """Every value, hidden and pending ones included (marked), oldest first: one query."""
    return [
        {
            "id": value.pk,
            "text": value.text,
            "key": value.key,
            **_contribution_fields(context, value),
            "merged_into": value.merged_into_id,
        }
        for value in Value.objects.filter(workshop=context.workshop).order_by("id")
    ]


def _statement_rows(context: ExportContext) -> list[dict[str, Any]]:
    """Every statement, hidden and pending ones included (marked), oldest first: one query."""
    return [
        {
            **events.statement_fields(statement),
            **_contribution_fields(context, statement),
            "votes": context.vote_totals[("statement", statement.pk)],
        }
        for statement in Statement.objects.filter(workshop=context.workshop).order_by("id")
    ]


def _audit(context: ExportContext) -> list[dict[str, Any]]:
    """The audit trail (events.AUDIT_KINDS): roles given and taken, secret links made and
    revoked, the deletion day, each with who did it. Anonymized: no actor, no username."""
    logged = (
        Event.objects.filter(workshop=context.workshop, kind__in=events.AUDIT_KINDS)
        .order_by("seq")
        .values_list("kind", "at", "actor_id", "data")
    )
    nameless = {"username": None} if context.anonymize else {}
    return [
        {
            "event": kind,
            "at": context.time(at),
            "actor": context.author(actor_id),
            "data": {**data, **nameless} if "username" in data else data,
        }
        for kind, at, actor_id, data in logged
    ]


def _breakout_tables(context: ExportContext) -> list[dict[str, Any]]:
    """Every breakout table of every round, with who sat there at the end of it (ids:
    left out when anonymized, where they would tie pseudonyms to what each table made)."""
    tables = list(
        BreakoutTable.objects.filter(workshop=context.workshop).order_by("round", "position")
    )
    if not tables:
        return []  # most workshops: no second query for the seats
    seats = BreakoutTable.members.through.objects.filter(table__workshop=context.workshop)
    members: dict[int, list[int]] = {}
    for table_id, participant_id in seats.order_by("participant_id").values_list(
        "table_id", "participant_id"
    ):
        members.setdefault(table_id, []).append(participant_id)
    return [
        {
            "id": table.pk,
            "name": table.name,
            "round": table.round,
            "position": table.position,
            "members": [] if context.anonymize else members.get(table.pk, []),
            "created_at": context.time(table.created_at),
            "ended_at": context.time(table.ended_at) if table.ended_at else None,
        }
        for table in tables
    ]


def table_names(data: dict[str, Any]) -> dict[int, str]:
    """{table id: name} of an export's breakout tables (none in files from before them)."""
    return {table["id"]: table["name"] for table in data.get("tables", [])}


def table_of(names: dict[int, str], item: dict[str, Any]) -> str | None:
    """The name of the breakout table an exported item came from, or None: the room's."""
    table = item.get("table")
    return names.get(table) if isinstance(table, int) else None


def _idea_rows(context: ExportContext, phase_keys: dict[int, str]) -> list[dict[str, Any]]:
    """Every idea, hidden and pending ones included (marked), oldest first: one query."""
    return [
        {
            **events.idea_fields(idea, phase_keys[idea.phase_id]),
            **_contribution_fields(context, idea),
            "votes": context.vote_totals[("idea", idea.pk)],
        }
        for idea in Idea.objects.filter(workshop=context.workshop).order_by("id")
    ]


# ---------------------------------------------------------------------------- tables


def _tables(data: dict[str, Any]) -> list[Table]:
    """The tables CSV shows: published items only, in a fixed order."""

    names = table_names(data)

    def visible(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        return [labelled(row) for row in rows if published(row)]

    def labelled(row: dict[str, Any]) -> dict[str, Any]:
        # The breakout table it came from, by name as well as by id.
        return {**row, "table_name": table_of(names, row)}

    tables = [
        Table("participants", PARTICIPANT_COLUMNS, list(data["participants"])),
        Table("values", VALUE_COLUMNS, visible(data["values"])),
        Table("statements", STATEMENT_COLUMNS, visible(data["statements"])),
        Table("ideas", IDEA_COLUMNS, [labelled(idea) for idea in published_ideas(data)]),
        Table("tables", TABLE_COLUMNS, list(data.get("tables", []))),
    ]
    for part in EXPORT_PARTS:
        if part.tables is not None:
            tables += part.tables(data)
        else:
            tables.append(Table(part.table, part.columns, visible(data[part.table])))
    tables.append(Table("votes", VOTE_COLUMNS, published_votes(data)))
    tables.append(Table("materials", MATERIAL_COLUMNS, list(data.get("materials", []))))
    return tables


def published_votes(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every vote on an item the room saw."""
    tables = [("statement", "statements")] + [
        (part.vote_target, part.table) for part in EXPORT_PARTS if part.vote_target
    ]
    shown = {
        (kind, item["id"])
        for kind, table in tables
        for item in data.get(table, [])
        if published(item)
    } | {("idea", idea["id"]) for idea in published_ideas(data)}
    return [vote for vote in data["votes"] if (vote["target_kind"], vote["target_id"]) in shown]


def published_ideas(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The ideas the room saw: published, and answering a card the room saw too (an
    answer to a hidden card stands alone, as on the screens)."""
    shown = {idea["id"] for idea in data.get("ideas", []) if published(idea)}
    return [
        {**idea, "parent": idea["parent"] if idea["parent"] in shown else None}
        for idea in data.get("ideas", [])
        if idea["id"] in shown
    ]


def export_zone(data: dict[str, Any]) -> ZoneInfo:
    """The workshop's time zone (UTC for files from before workshops had one)."""
    return zone_named(data["workshop"].get("time_zone"))


def published(item: dict[str, Any]) -> bool:
    """Whether the room saw it: neither hidden by a facilitator nor awaiting approval."""
    return not item.get("hidden") and not item.get("pending")


def _cell(value: Any) -> str | int:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    return str(value)


# A spreadsheet takes a cell starting with one of these for a formula (or its prefix).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A CSV cell a spreadsheet will not run: a leading apostrophe before formula starts."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_csv(data: dict[str, Any]) -> bytes:
    """A zip with one UTF-8 CSV per table (with a BOM, so Excel reads accents)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, columns, rows in _tables(data):
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(columns)
            for row in rows:
                cells = (_cell(row.get(column)) for column in columns)
                writer.writerow([neutralise(c) if isinstance(c, str) else c for c in cells])
            archive.writestr(f"{table}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()


# ---------------------------------------------------------------------------- XLSX

# What the XLSX cells hold: text, numbers, real date cells, or nothing.
XlsxCell = str | int | datetime | None


class Sheet(NamedTuple):
    """One sheet of the XLSX book: made to be read by people, so beside every id there
    is what it names (an author's name, a statement's value, the items it links)."""

    name: str
    headers: tuple[str, ...]
    rows: list[list[XlsxCell]]


@dataclass(frozen=True)
class SheetContext:
    """What every sheet is drawn with: the export, its time zone and people's names."""

    data: dict[str, Any]
    zone: ZoneInfo
    names: dict[int, str]

    @property
    def at(self) -> str:
        """ " (Europe/Paris)": the headers of time columns name the zone."""
        return f" ({self.zone.key})"

    def when(self, moment: str | None) -> datetime | None:
        """Excel has no time zones: the wall-clock time of the workshop's zone."""
        if not moment:
            return None
        return datetime.fromisoformat(moment).astimezone(self.zone).replace(tzinfo=None)

    def name(self, id: int | None) -> str | None:
        return self.names.get(id) if id is not None else None


def _sheets(data: dict[str, Any]) -> list[Sheet]:
    """The XLSX sheets: published items only, every time a date cell in the workshop's
    time zone, people named beside their ids (pseudonyms when anonymized, where authors
    are left out as in every anonymized export)."""
    sheet = SheetContext(
        data, export_zone(data), {p["id"]: p["name"] for p in data["participants"]}
    )
    when, name, at = sheet.when, sheet.name, sheet.at
    tables = table_names(data)
    values = {v["id"]: v for v in data["values"]}
    statements = {s["id"]: s for s in data["statements"]}
    ideas = {i["id"]: i for i in published_ideas(data)}
    titles = {"statement": statements, "idea": ideas}
    for part in EXPORT_PARTS:
        if part.vote_target:
            titles[part.vote_target] = {row["id"]: row for row in data.get(part.table, [])}

    def target(kind: str, id: int) -> str | None:
        item = titles.get(kind, {}).get(id)
        return item and (item.get("text") or item.get("title"))

    sheets = [
        Sheet(
            "participants",
            ("id", "name", "role", "joined" + at),
            [[p["id"], p["name"], p["role"], when(p["created_at"])] for p in data["participants"]],
        ),
        Sheet(
            "values",
            (
                "id",
                "text",
                "author id",
                "author",
                "added" + at,
                "merged into id",
                "merged into",
                "table",
                "afterwards",
            ),
            [
                [
                    v["id"],
                    v["text"],
                    v["author"],
                    name(v["author"]),
                    when(v["created_at"]),
                    v["merged_into"],
                    values[v["merged_into"]]["text"] if v["merged_into"] in values else None,
                    table_of(tables, v),
                    afterwards(v),
                ]
                for v in data["values"]
                if published(v)
            ],
        ),
        Sheet(
            "statements",
            (
                "id",
                "text",
                "activity",
                "value",
                "value id",
                "author id",
                "author",
                "added" + at,
                "votes",
                "table",
                "afterwards",
            ),
            [
                [
                    s["id"],
                    s["text"],
                    s["activity"],
                    s["value"],
                    s["value_id"],
                    s["author"],
                    name(s["author"]),
                    when(s["created_at"]),
                    s["votes"],
                    table_of(tables, s),
                    afterwards(s),
                ]
                for s in data["statements"]
                if published(s)
            ],
        ),
    ]
    if ideas:
        sheets.append(_idea_sheet(data, ideas, name, when, at))
    if data.get("tables"):
        sheets.append(
            Sheet(
                "tables",
                ("id", "name", "round", "members", "formed" + at, "ended" + at),
                [
                    [
                        t["id"],
                        t["name"],
                        t["round"],
                        ", ".join(name(member) or str(member) for member in t["members"]),
                        when(t["created_at"]),
                        when(t["ended_at"]),
                    ]
                    for t in data["tables"]
                ],
            )
        )
    sheets.append(
        Sheet(
            "votes",
            ("participant id", "participant", "on", "id", "what", "phase", "cast" + at),
            [
                [
                    v["participant"],
                    name(v["participant"]),
                    v["target_kind"],
                    v["target_id"],
                    target(v["target_kind"], v["target_id"]),
                    v["phase"],
                    when(v["created_at"]),
                ]
                for v in published_votes(data)
            ],
        )
    )
    if data.get("materials"):
        materials = [[m["title"], m["url"], when(m["created_at"])] for m in data["materials"]]
        sheets.append(Sheet("materials", ("title", "link", "added" + at), materials))
    for part in EXPORT_PARTS:
        if part.sheets is not None:
            named = [each.name for each in sheets]
            place = named.index(part.sheets_before) if part.sheets_before in named else len(named)
            sheets[place:place] = part.sheets(sheet)
    return sheets


def _idea_sheet(
    data: dict[str, Any],
    ideas: dict[int, dict[str, Any]],
    name: Callable[[int | None], str | None],
    when: Callable[[str | None], datetime | None],
    at: str,
) -> Sheet:
    """The published ideas, with their phase's and column's titles and the card each answers."""
    phases = {phase["key"]: phase for phase in data["workshop"]["phases"]}

    def column_title(idea: dict[str, Any]) -> str | None:
        columns = phases.get(idea["phase"], {}).get("columns") or []
        return next((c["title"] for c in columns if c["key"] == idea["column"]), idea["column"])

    return Sheet(
        "ideas",
        (
            "id",
            "phase",
            "column",
            "text",
            "answers id",
            "answers",
            "author id",
            "author",
            "added" + at,
            "votes",
            "table",
            "afterwards",
        ),
        [
            [
                i["id"],
                phases[i["phase"]]["title"] if i["phase"] in phases else i["phase"],
                column_title(i),
                i["text"],
                i["parent"],
                ideas[i["parent"]]["text"] if i["parent"] in ideas else None,
                i["author"],
                name(i["author"]),
                when(i["created_at"]),
                i["votes"],
                table_of(table_names(data), i),
                afterwards(i),
            ]
            for i in ideas.values()
        ],
    )


def afterwards(item: dict[str, Any]) -> bool:
    """A contribution's `afterwards` cell, TRUE when it came after the live session, as
    in the CSV and JSON (decision 0011): a boolean cell a spreadsheet filters on."""
    return bool(item.get("afterwards", False))


def export_xlsx(data: dict[str, Any]) -> bytes:
    """One sheet per table (the extensions' too); header bold and frozen; dates as
    date cells; text always stored as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True, name="Calibri")  # the body's font: no serif header elsewhere
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet_data in _sheets(data):
        sheet = book.create_sheet(sheet_data.name)
        sheet.freeze_panes = "A2"
        # Printed (or made a PDF), a sheet is as wide as the page, however many columns.
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "1:1"
        headers = sheet_data.headers
        for index, header in enumerate(headers, start=1):
            longest = max(
                [len(header)] + [_width(line[index - 1]) for line in sheet_data.rows[:500]]
            )
            sheet.column_dimensions[get_column_letter(index)].width = min(max(longest, 6), 60) + 2
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for line in sheet_data.rows:
            cells: list[Any] = []
            for item in line:
                if item is None or item == "" or isinstance(item, int | datetime):
                    # openpyxl gives a datetime a date format of its own: a date cell.
                    cells.append(None if item == "" else item)  # an empty cell, not ""
                    continue
                text = ILLEGAL_CHARACTERS_RE.sub("", item)
                formula_like = text.startswith(FORMULA_STARTS) or text in ERROR_CODES
                if not formula_like and "\n" not in text:
                    cells.append(text)  # openpyxl stores it as text, no cell object needed
                    continue
                cell = WriteOnlyCell(sheet, value=text)
                cell.data_type = "s"  # text, even when it starts with "=" or reads "#N/A"
                cell.quotePrefix = text.startswith(FORMULA_STARTS)
                if "\n" in text:
                    cell.alignment = wrap  # a list of linked items, one a line
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _width(item: XlsxCell) -> int:
    if isinstance(item, datetime):
        return 19
    text = "" if item is None else str(item)
    return max((len(line) for line in text.splitlines()), default=0)


# ---------------------------------------------------------------------------- JSON


def export_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------- Markdown

# Characters that can start emphasis, code, links, HTML, entities or tables inline.
_MD_ACTIVE = re.compile(r"([\\`*_\[\]<>#|~&])")
# What starts a list, a quote or a setext heading at the beginning of a line.
_MD_BULLET_START = re.compile(r"^(\s*)([-+=])")
_MD_NUMBER_START = re.compile(r"^(\s*)(\d+)([.)])")
ORDINALS = ("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")


# What a linkifying renderer (GFM, markdown-it's linkify, forums) takes for a link: a
# scheme's "://", or a dot inside a word ("example.org", "a@b.org", "www.x.y").
_MD_LINKY = re.compile(r"(?<=\w):(?=//)|(?<=\S)\.(?=[^\W\d_])")


def md_escape(text: str) -> str:
    """User text as literal Markdown text: no HTML, links (bare URLs included),
    emphasis or code survive; the rendered text reads exactly as typed."""
    return _MD_LINKY.sub(r"\\\g<0>", _MD_ACTIVE.sub(r"\\\1", text))


def md_item(text: str) -> str:
    """One-line user text as the content of a list item: escaped, and its start
    (`1.`, `2)`, `+`, `-`, `---`) never opens a list or a rule inside the item."""
    line = md_escape(" ".join(text.split()))
    return _MD_NUMBER_START.sub(r"\1\2\\\3", _MD_BULLET_START.sub(r"\1\\\2", line))


def md_paragraphs(text: str, indent: str = "") -> list[str]:
    """Multi-line user text, escaped line by line so no line starts a list or a heading."""
    lines = []
    for raw in text.strip().splitlines():
        line = md_item(raw)
        lines.append(indent + line if line else "")
    return lines


def _date(moment: str) -> str:
    parsed = datetime.fromisoformat(moment)
    return f"{parsed.day} {parsed:%B %Y}"


def counted(n: int, one: str, many: str) -> str:
    """ "1 vote", "2 votes": English only, as the whole Markdown export is."""
    return f"{n} {one if n == 1 else many}"


def _tables_said(data: dict[str, Any], items: Iterable[dict[str, Any]]) -> str:
    """The breakout tables these items came from, by name ("Table 1, Table 2"), or ""."""
    names = table_names(data)
    ids = sorted({item["table"] for item in items if item.get("table") in names})
    return ", ".join(names[id] for id in ids)


def _value_groups(data: dict[str, Any]) -> list[tuple[str, int]]:
    """Visible values grouped by key (merged values count under their target), the most
    said first, each as its target's wording."""
    by_id = {value["id"]: value for value in data["values"]}

    def merged_into(id: int) -> int | None:
        into = by_id[id]["merged_into"]
        return into if into in by_id else None

    def target(value: dict[str, Any]) -> dict[str, Any]:
        try:
            return by_id[merge_root(value["id"], merged_into)]
        except Refused:  # a chain in a circle (never saved since merges are checked)
            return value

    mentions = []
    for value in data["values"]:
        if published(value):
            root = target(value)
            mentions.append(Mention(value["id"], root["key"], root["text"], value["author"], True))
    groups = group_values(mentions).values()
    return [(group.text, group.count) for group in sorted(groups, key=lambda g: -g.count)]


def _statement_groups(data: dict[str, Any]) -> list[tuple[str, int, int]]:
    rows = group_statements(s for s in data["statements"] if published(s))
    return [(row.text, row.count, row.votes or 0) for row in most_voted(rows.values())]


def _markdown_values(data: dict[str, Any]) -> list[str]:
    lines = []
    for text, n in _value_groups(data):
        notes = [str(n)] if n > 1 else []
        said_at = _tables_said(
            data, (v for v in data["values"] if published(v) and v["text"] == text)
        )
        notes += [said_at] if said_at else []
        lines.append(f"- {md_item(text)}" + (f" ({'; '.join(notes)})" if notes else ""))
    return lines


def _markdown_statements(data: dict[str, Any]) -> list[str]:
    lines = []
    for text, n, votes in _statement_groups(data):
        notes = [counted(n, "time", "times")] if n > 1 else []
        if votes:
            notes.append(counted(votes, "vote", "votes"))
        said_at = _tables_said(
            data, (s for s in data["statements"] if published(s) and s["text"] == text)
        )
        notes += [said_at] if said_at else []
        lines.append(f"- {md_item(text)}" + (f" ({', '.join(notes)})" if notes else ""))
    return lines


def _markdown_ideas(data: dict[str, Any], phase: dict[str, Any]) -> list[str]:
    """An ideas phase's cards, column by column, each card's answers under it."""
    ideas = [idea for idea in published_ideas(data) if idea["phase"] == phase["key"]]
    answers: dict[int, list[dict[str, Any]]] = {}
    for idea in ideas:
        if idea["parent"] is not None:
            answers.setdefault(idea["parent"], []).append(idea)

    def card(idea: dict[str, Any], depth: int) -> list[str]:
        notes = [counted(idea["votes"], "vote", "votes")] if idea["votes"] else []
        said_at = _tables_said(data, [idea])
        notes += [said_at] if said_at else []
        said = f" ({', '.join(notes)})" if notes else ""
        lines = [f"{'  ' * depth}- {md_item(idea['text'])}{said}"]
        for answer in answers.get(idea["id"], []):
            lines += card(answer, depth + 1)
        return lines

    tops = [idea for idea in ideas if idea["parent"] is None]
    columns = phase.get("columns") or []
    if not columns:
        return [line for idea in tops for line in card(idea, 0)]
    lines: list[str] = []
    keys = {column["key"] for column in columns}
    for index, column in enumerate(columns):
        # A card in a column the phase no longer has goes with the first one.
        cards = [
            i
            for i in tops
            if i["column"] == column["key"] or (index == 0 and i["column"] not in keys)
        ]
        lines += [f"### {md_escape(column['title'])}", ""]
        lines += [line for idea in cards for line in card(idea, 0)] or ["Nothing yet."]
        lines.append("")
    return lines if ideas else []


# Kinds whose section is the phase's own (each ideas phase has its cards).
MARKDOWN_PHASE_SECTIONS: dict[str, Callable[[dict[str, Any], dict[str, Any]], list[str]]] = {
    Phase.Kind.IDEAS: _markdown_ideas,
}

# What the group said in a phase of each kind.
MARKDOWN_SECTIONS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    Phase.Kind.VALUES: _markdown_values,
    Phase.Kind.STATEMENTS: _markdown_statements,
}  # and the extensions' (extensions.register)


def export_markdown(data: dict[str, Any]) -> str:
    """The results post a facilitator would write after the session: for each activity,
    its prompt, then what the group said. Hidden and pending items are left out."""
    workshop = data["workshop"]
    lines = [f"# {md_escape(workshop['title'])}", ""]
    lines += [
        f"{_date(workshop['created_at'])} · Licence: {md_escape(workshop['licence'])}",
        "",
    ]
    if workshop["description"].strip():
        lines += [*md_paragraphs(workshop["description"]), ""]
    lines += markdown_materials(data, md_escape)
    number = 0
    for phase in workshop["phases"]:
        own = MARKDOWN_PHASE_SECTIONS.get(phase["kind"])
        said = (
            own(data, phase)
            if own
            else MARKDOWN_SECTIONS.get(phase["kind"], lambda _data: [])(data)
        )
        if phase["status"] == Phase.Status.PENDING and not said:
            continue  # an activity the session never got to
        number += 1
        ordinal = ORDINALS[number - 1] if number <= len(ORDINALS) else str(number)
        lines += [f"## {md_escape(phase['title'])}", ""]
        prompt = " ".join(phase["prompt"].split())
        lines += [f"**Activity {ordinal}: {md_escape(prompt)}**" if prompt else "", ""]
        lines += said or ["Nothing was shared in this activity."]
        lines.append("")
    lines += markdown_afterwards(data, md_escape, published)
    people = sum(1 for p in data["participants"] if p["role"] == "participant")
    lines += [
        "---",
        "",
        f"{counted(people, 'participant', 'participants')}. "
        f"Shared under {md_escape(workshop['licence'])}. "
        f"Exported on {_date(data['exported_at'])}.",
    ]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------- entry point


def workshop_export(workshop: Workshop, *, format: str, anonymize: bool = False) -> bytes:
    """One export of a workshop as the bytes of a file (text formats in UTF-8)."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}")
    data = export_data(workshop, anonymize=anonymize)
    if format == "json":
        return export_json(data).encode()
    if format == "md":
        return export_markdown(data).encode()
    if format == "csv":
        return export_csv(data)
    return export_xlsx(data)


def export_filename(workshop: Workshop, format: str, *, anonymize: bool = False) -> str:
    """open-futures-for-micro-credentialing-ABC234.json"""
    from django.utils.text import slugify

    stem = slugify(workshop.title)[:40].strip("-") or "workshop"
    suffix = "-anonymized" if anonymize else ""
    return f"{stem}-{workshop.code}{suffix}{EXTENSIONS[format]}"
