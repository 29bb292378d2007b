"""Exports of a workshop: JSON (the archive), CSV (a zip), XLSX and Markdown.

Everything is read once, into the JSON version 1 shape (`export_data`), with a fixed
number of queries however large the workshop; the other formats are drawn from that
dict. Other apps add their table (principles) through `EXPORT_PARTS`, as they add their
part of the live state through `selectors.STATE_PARTS`.

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
from typing import Any

from django.utils import timezone

from ..events import timestamp
from ..models import Participant, Phase, Statement, Value, Vote, Workshop

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


@dataclass(frozen=True)
class ExportPart:
    """A table another app adds to every export: its rows in the JSON v1 shape, and the
    columns the CSV and XLSX tables show (lists become space-separated ids)."""

    table: str
    columns: tuple[str, ...]
    rows: Callable[[ExportContext], list[dict[str, Any]]]


# Filled by other apps from their AppConfig.ready() (principles adds "principles").
EXPORT_PARTS: list[ExportPart] = []

PARTICIPANT_COLUMNS = ("id", "name", "role", "created_at")
VALUE_COLUMNS = ("id", "text", "key", "author", "created_at", "merged_into")
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
)


# ---------------------------------------------------------------------------- data


def export_data(workshop: Workshop, *, anonymize: bool = False) -> dict[str, Any]:
    """The whole workshop in the JSON version 1 shape (see docs/export.schema.json)."""
    phases = list(Phase.objects.filter(workshop=workshop).order_by("position", "id"))
    phase_keys = {phase.pk: phase.key for phase in phases}
    participants = list(Participant.objects.filter(workshop=workshop).order_by("id"))
    values = list(Value.objects.filter(workshop=workshop).order_by("id"))
    statements = list(Statement.objects.filter(workshop=workshop).order_by("id"))
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
        "exported_at": timestamp(timezone.now()),
        "anonymized": anonymize,
        "workshop": {
            "code": workshop.code,
            "title": workshop.title,
            "description": workshop.description,
            "licence": workshop.licence,
            "template": workshop.template,
            "created_at": timestamp(workshop.created_at),
            "statement_template": workshop.statement_template,
            "activity_suggestions": list(workshop.activity_suggestions or []),
            "premoderated": workshop.premoderated,
            "phases": [
                {
                    "key": phase.key,
                    "kind": phase.kind,
                    "title": phase.title,
                    "prompt": phase.prompt,
                    "status": phase.status,
                    "position": phase.position,
                    "vote_budget": phase.vote_budget,
                }
                for phase in phases
            ],
        },
        "participants": [
            {
                "id": participant.pk,
                "name": f"Participant {number}" if anonymize else participant.name,
                "role": participant.role,
                "created_at": timestamp(participant.created_at),
            }
            for number, participant in enumerate(participants, start=1)
        ],
        "values": [
            {
                "id": value.pk,
                "text": value.text,
                "key": value.key,
                "author": context.author(value.author_id),
                "created_at": timestamp(value.created_at),
                "hidden": value.hidden,
                "pending": value.pending,
                "merged_into": value.merged_into_id,
            }
            for value in values
        ],
        "statements": [
            {
                "id": statement.pk,
                "text": statement.text,
                "activity": statement.activity,
                "value": statement.value_text,
                "value_id": statement.value_id,
                "key": statement.key,
                "author": context.author(statement.author_id),
                "created_at": timestamp(statement.created_at),
                "hidden": statement.hidden,
                "pending": statement.pending,
                "votes": context.vote_totals[("statement", statement.pk)],
            }
            for statement in statements
        ],
        "principles": [],
        "votes": [
            {
                "participant": participant_id,
                "target_kind": kind,
                "target_id": target_id,
                "phase": phase_keys[phase_id],
                "created_at": timestamp(at),
            }
            for participant_id, kind, target_id, phase_id, at in votes
        ],
    }
    for part in EXPORT_PARTS:
        data[part.table] = part.rows(context)
    return data


# ---------------------------------------------------------------------------- tables


def _tables(data: dict[str, Any]) -> list[tuple[str, tuple[str, ...], list[dict[str, Any]]]]:
    """The tables CSV and XLSX show: published items only, in a fixed order."""

    def visible(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        return [row for row in rows if published(row)]

    tables = [
        ("participants", PARTICIPANT_COLUMNS, list(data["participants"])),
        ("values", VALUE_COLUMNS, visible(data["values"])),
        ("statements", STATEMENT_COLUMNS, visible(data["statements"])),
    ]
    tables += [(part.table, part.columns, visible(data[part.table])) for part in EXPORT_PARTS]
    return tables


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


def export_xlsx(data: dict[str, Any]) -> bytes:
    """One sheet per table; header bold and frozen; text always stored as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for table, columns, rows in _tables(data):
        sheet = book.create_sheet(table)
        sheet.freeze_panes = "A2"
        grid = [[_cell(row.get(column)) for column in columns] for row in rows]
        for index, column in enumerate(columns, start=1):
            longest = max([len(column)] + [len(str(line[index - 1])) for line in grid[:500]])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(longest, 6), 60) + 2
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for line in grid:
            cells: list[Any] = []
            for item in line:
                if isinstance(item, int):
                    cells.append(item)
                    continue
                text = ILLEGAL_CHARACTERS_RE.sub("", item)
                if not text.startswith(FORMULA_STARTS) and text not in ERROR_CODES:
                    cells.append(text)  # openpyxl stores it as text, no cell object needed
                    continue
                cell = WriteOnlyCell(sheet, value=text)
                cell.data_type = "s"  # text, even when it starts with "=" or reads "#N/A"
                cell.quotePrefix = text.startswith(FORMULA_STARTS)
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


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


def md_escape(text: str) -> str:
    """User text as literal Markdown text: no HTML, links, emphasis or code survive."""
    return _MD_ACTIVE.sub(r"\\\1", text)


def md_paragraphs(text: str, indent: str = "") -> list[str]:
    """Multi-line user text, escaped line by line so no line starts a list or a heading."""
    lines = []
    for raw in text.strip().splitlines():
        line = md_escape(raw.strip())
        line = _MD_NUMBER_START.sub(r"\1\2\\\3", _MD_BULLET_START.sub(r"\1\\\2", line))
        lines.append(indent + line if line else "")
    return lines


def _date(moment: str) -> str:
    parsed = datetime.fromisoformat(moment)
    return f"{parsed.day} {parsed:%B %Y}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _value_groups(data: dict[str, Any]) -> list[tuple[str, int]]:
    """Visible values grouped by key (merged values count under their target)."""
    by_id = {value["id"]: value for value in data["values"]}

    def root(value: dict[str, Any]) -> dict[str, Any]:
        seen = set()
        while value["merged_into"] in by_id and value["id"] not in seen:
            seen.add(value["id"])
            value = by_id[value["merged_into"]]
        return value

    first_text: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for value in data["values"]:
        if not published(value):
            continue
        target = root(value)
        first_text.setdefault(target["key"], target["text"])
        counts[target["key"]] += 1
    return [(first_text[key], n) for key, n in counts.most_common()]


def _statement_groups(data: dict[str, Any]) -> list[tuple[str, int, int]]:
    first_text: dict[str, str] = {}
    counts: Counter[str] = Counter()
    votes: Counter[str] = Counter()
    for statement in data["statements"]:
        if not published(statement):
            continue
        first_text.setdefault(statement["key"], statement["text"])
        counts[statement["key"]] += 1
        votes[statement["key"]] += statement["votes"]
    order = sorted(counts, key=lambda key: (-votes[key], -counts[key]))
    return [(first_text[key], counts[key], votes[key]) for key in order]


def _markdown_values(data: dict[str, Any]) -> list[str]:
    return [
        f"- {md_escape(text)}" + (f" ({n})" if n > 1 else "") for text, n in _value_groups(data)
    ]


def _markdown_statements(data: dict[str, Any]) -> list[str]:
    lines = []
    for text, n, votes in _statement_groups(data):
        notes = [_count(n, "time", "times")] if n > 1 else []
        if votes:
            notes.append(_count(votes, "vote", "votes"))
        lines.append(f"- {md_escape(text)}" + (f" ({', '.join(notes)})" if notes else ""))
    return lines


def _markdown_principles(data: dict[str, Any]) -> list[str]:
    statements = {statement["id"]: statement for statement in data["statements"]}
    principles = [p for p in data.get("principles", []) if published(p)]
    lines: list[str] = []
    for number, principle in enumerate(principles, start=1):
        notes = [_count(principle["votes"], "vote", "votes")]
        if principle["status"] == "final":
            notes.append("final")
        lines.append(f"{number}. **{md_escape(principle['title'])}** ({', '.join(notes)})")
        if principle["body"]:
            lines += ["", *md_paragraphs(principle["body"], indent="   ")]
        sources = [
            statements[i]["text"]
            for i in principle["sources"]
            if i in statements and published(statements[i])
        ]
        if sources:
            lines += ["", "   Grounded in:", ""]
            lines += [f"   - {md_escape(text)}" for text in sources]
        lines.append("")
    return lines


# What the group said in a phase of each kind.
MARKDOWN_SECTIONS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    Phase.Kind.VALUES: _markdown_values,
    Phase.Kind.STATEMENTS: _markdown_statements,
    Phase.Kind.PRINCIPLES: _markdown_principles,
}


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
    number = 0
    for phase in workshop["phases"]:
        said = MARKDOWN_SECTIONS.get(phase["kind"], lambda _data: [])(data)
        if phase["status"] == Phase.Status.PENDING and not said:
            continue  # an activity the session never got to
        number += 1
        ordinal = ORDINALS[number - 1] if number <= len(ORDINALS) else str(number)
        lines += [f"## {md_escape(phase['title'])}", ""]
        prompt = " ".join(phase["prompt"].split())
        lines += [f"**Activity {ordinal}: {md_escape(prompt)}**" if prompt else "", ""]
        lines += said or ["Nothing was shared in this activity."]
        lines.append("")
    people = sum(1 for p in data["participants"] if p["role"] == "participant")
    lines += [
        "---",
        "",
        f"{_count(people, 'participant', 'participants')}. "
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
